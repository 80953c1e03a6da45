"""Charts of the AI / RPA / telework theme, built on :mod:`helpers.figures.plots`.

The adoption chart is :func:`helpers.figures.plots.series_trend` (points of one series joined, breaks
marked, assumed dates hollow) with, where a series qualified for a diffusion curve, the fitted
curve and its confidence band drawn over that series only. Every frame is passed in (the curves
from :func:`helpers.analysis.uptake.fit_bands`); labels come from the report's wording.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping

from helpers.figures import plots
from helpers.words.i18n import date_tick, t

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure


def _from_decimal_year(years):
    import pandas as pd

    out = []
    for y in years:
        year = int(y)
        start = pd.Timestamp(year=year, month=1, day=1)
        days = 366 if start.is_leap_year else 365
        out.append(start + pd.Timedelta(days=(y - year) * days))
    return out


def _stagger_close_ticks(ax, min_gap_days: float = 270) -> None:
    """Move every other label of ticks closer than ``min_gap_days`` one line down, so two nearby
    dates (1 Oct 2019 and 26 Mar 2020) do not print over each other."""
    import matplotlib.dates as mdates

    ticks = list(ax.get_xticks())
    labels = [lab.get_text() for lab in ax.get_xticklabels()]
    if len(ticks) < 2:
        return
    out, low = [labels[0]], False
    for i in range(1, len(ticks)):
        close = (mdates.num2date(ticks[i]) - mdates.num2date(ticks[i - 1])).days < min_gap_days
        low = (not low) if close else False
        out.append(("\n\n" + labels[i]) if low else labels[i])
    ax.set_xticks(ticks, out, fontsize=8)


def adoption_chart(adopt: "pd.DataFrame", bands: "pd.DataFrame", *, names: Mapping[str, str], title: str, ylabel: str,
                   source: str, tier_label: Mapping[str, str], lang: str, confidence: float) -> "Figure":
    """Published adoption per indicator (one panel each) and tier, series by series; over a series
    with a fitted curve, the curve and its confidence band (``bands``: indicator, tier, series and
    ``year`` as a decimal year with ``rate``, ``lo``, ``hi``, as
    :func:`helpers.analysis.uptake.fit_bands` gives them); ``confidence`` is the band's level."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    df = adopt.assign(panel=adopt["indicator"].map(names))
    fig = plots.series_trend(df, title=title, ylabel=ylabel, source=source, tier_label=tier_label,
                             tick_label=lambda d, a: date_tick(d, a, lang), break_label=t("uptake.legend.break_short", lang),
                             assumed_note=t("date.assumed_note", lang), panel="panel")
    axes = {ax.get_title(): ax for ax in fig.axes}
    for name_, ax in axes.items():
        g = df[df["panel"] == name_]
        for r in g.to_dict("records"):
            ax.annotate(f"{r['rate']:.1f}", (r["as_of"], r["rate"]), textcoords="offset points", xytext=(0, 6),
                        ha="center", fontsize=7, color=plots.tier_color(r["tier"]))
        _stagger_close_ticks(ax)
    for (indicator, tier, _series), b in bands.groupby(["indicator", "tier", "series"], sort=False):
        ax = axes.get(names[indicator])
        if ax is None:
            continue
        x = _from_decimal_year(b["year"])
        color = plots.tier_color(tier)
        ax.fill_between(x, b["lo"], b["hi"], color=color, alpha=0.15, linewidth=0, zorder=1)
        ax.plot(x, b["rate"], color=color, linestyle="--", linewidth=1, zorder=1)
        ax.legend(handles=[Line2D([], [], color="0.3", linestyle="--"),
                           Patch(color="0.3", alpha=0.15)],
                  labels=[t("uptake.legend.fit", lang), t("uptake.legend.band", lang, level=round(100 * confidence))],
                  loc="upper left", fontsize=7)
    return fig


def reasons_chart(reasons: "pd.DataFrame", *, title: str, subtitle: str, xlabel: str, source: str) -> "Figure":
    """Reasons for not adopting, most cited first, each bar labelled with its share."""
    d = reasons.sort_values("percent", ascending=True, kind="stable")
    fig, ax = plots.new_figure(8, max(3.2, 0.5 * len(d) + 2.0))
    y = range(len(d))
    ax.barh(list(y), d["percent"].astype(float), color=plots.tier_color("all"), height=0.6)
    for yi, v in zip(y, d["percent"].astype(float)):
        ax.text(v + 1, yi, f"{v:.1f}%", va="center", ha="left", fontsize=8)
    ax.set_yticks(list(y), list(d["category_label"]), fontsize=9)
    ax.set_xlim(0, 100)
    ax.set_xlabel(xlabel)
    ax.set_title(f"{title}\n{plots.wrap_text(subtitle, 40, 80)}", fontsize=11)
    ax.grid(axis="y", visible=False)
    plots.add_source_note(fig, source)
    return fig
