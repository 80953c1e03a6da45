"""Charts of the municipal panel (notebook 05): adoption by group with intervals, predicted
probabilities over population, prefecture dot plots beside the prefecture's own answer, a forest
plot of governance–outcome odds ratios and the readiness score by size class.

Every chart takes frames from :mod:`helpers.analysis.municipal` and words in one language (labels
from :mod:`helpers.words.municipal`); the figure is returned for
:meth:`helpers.reporting.theme_report.ThemeReport.figure` to save.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping, Sequence

from helpers.figures import plots
from helpers.words.i18n import t

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

#: One colour and line style per model type group (Okabe–Ito; designated/core cities take the
#: designated-city tier colour).
GROUP_STYLE: Mapping[str, tuple[str, str]] = {
    "village": ("#56B4E9", ":"), "town": ("#D55E00", "--"), "city": ("#CC79A7", "-."), "large_city": ("#009E73", "-"),
}
POINT = "#333333"
OBSERVED = "#888888"


def _n_label(ns) -> str:
    lo, hi = int(min(ns)), int(max(ns))
    return f"n={lo:,}" if lo == hi else f"n={lo:,}–{hi:,}"


def _unmarked(note: str) -> str:
    """A figure note without its leading footnote mark (＊ / *) for a chart that marks nothing: a
    footnote mark with no mark in the plot sends the reader looking for it."""
    return note.lstrip("*＊ ").strip()


def adoption_panels(table: "pd.DataFrame", *, by: str, lang: str, indicators: Sequence[str], title: str,
                    source: str, note: str = "", ncols: int = 5) -> "Figure":
    """Small multiples: one panel per indicator, one row per group, the share with its Wilson
    interval; a dashed line marks the share among all municipalities; tick labels carry n."""
    import matplotlib.pyplot as plt
    import numpy as np

    from helpers.analysis.municipal import ALL, order_of
    from helpers.words.municipal import group_label, ind_title

    plots.apply_style()
    groups = [g for g in order_of(by) if g in set(table["group"])]
    nrows = -(-len(indicators) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(2.45 * ncols + 1.6, 0.34 * len(groups) * nrows + 1.5 * nrows + 0.4),
                             sharex=True, sharey=True, squeeze=False)
    y = np.arange(len(groups))
    for ax, ind in zip(axes.flat, indicators):
        sub = table[table["indicator"] == ind].set_index("group")
        g = sub.reindex(groups)
        ax.errorbar(g["rate"], y, xerr=[g["rate"] - g["lo"], g["hi"] - g["rate"]], fmt="o", color=POINT,
                    ecolor=POINT, elinewidth=1.2, capsize=2, markersize=4)
        if ALL in sub.index:
            ax.axvline(sub.loc[ALL, "rate"], color=OBSERVED, linestyle="--", linewidth=0.9)
        ax.set_title(ind_title(ind, lang), fontsize=10)
        ax.set_xlim(0, 100)
        ax.set_xticks([0, 25, 50, 75, 100])
        ax.grid(axis="y", visible=False)
    for ax in axes.flat[len(indicators):]:
        ax.set_visible(False)
    labels = []
    for grp in groups:
        ns = table.loc[(table["group"] == grp) & table["indicator"].isin(indicators), "n"]
        labels.append(f"{group_label(by, grp, lang)}\n{_n_label(ns)}")
    axes[0][0].set_yticks(y, labels)
    axes[0][0].invert_yaxis()
    for ax in axes[:, 0]:
        ax.tick_params(axis="y", labelsize=8)
    for ax in axes[-1]:
        ax.set_xlabel(t("muni.axis.share", lang), fontsize=9)
    fig.suptitle(title, fontsize=12)
    legend = t("muni.legend.adoption", lang)
    fig.text(0.99, 0.955, legend, ha="right", va="top", fontsize=8, color="#444444")
    fig.subplots_adjust(left=0.12, right=0.99, top=0.87, bottom=0.15 if note else 0.12, hspace=0.3, wspace=0.12)
    if note:
        fig.text(0.01, 0.035, _unmarked(note), ha="left", va="bottom", fontsize=7, color="#444444")
    plots.add_source_note(fig, source)
    return fig


def _pop_ticks(lang: str):
    ticks = [1_000, 10_000, 100_000, 1_000_000]
    labels = {"ja": ["1千", "1万", "10万", "100万"], "en": ["1k", "10k", "100k", "1M"]}[lang]
    return ticks, labels


def predicted_panels(curves: "pd.DataFrame", observed: "pd.DataFrame", class_pop: Mapping[str, float], *, lang: str,
                     indicators: Sequence[str], title: str, source: str, note: str = "", ncols: int = 5) -> "Figure":
    """Predicted probability over population per type group (line and 95 % band, each over the
    group's own population range), with the observed share per size class (grey, Wilson interval)
    at the class's median population."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    from helpers.words.municipal import group_label, ind_title

    plots.apply_style()
    nrows = -(-len(indicators) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(2.6 * ncols + 0.6, 2.7 * nrows + 1.6), sharex=True, sharey=True,
                             squeeze=False)
    ticks, tick_labels = _pop_ticks(lang)
    for ax, ind in zip(axes.flat, indicators):
        c = curves[curves["indicator"] == ind]
        for grp, gc in c.groupby("model_group", sort=False):
            color, ls = GROUP_STYLE[grp]
            ax.fill_between(gc["population"], gc["lo"], gc["hi"], color=color, alpha=0.18, linewidth=0)
            ax.plot(gc["population"], gc["p"], color=color, linestyle=ls, linewidth=1.6)
        o = observed[(observed["indicator"] == ind) & observed["group"].isin(list(class_pop))]
        xs = [class_pop[g] for g in o["group"]]
        ax.errorbar(xs, o["rate"], yerr=[o["rate"] - o["lo"], o["hi"] - o["rate"]], fmt="s", color=OBSERVED,
                    markersize=3, elinewidth=0.8, capsize=0, zorder=1)
        ax.set_xscale("log")
        ax.set_xticks(ticks, tick_labels)
        ax.minorticks_off()
        ax.set_ylim(0, 100)
        ax.set_title(ind_title(ind, lang), fontsize=10)
    for ax in axes.flat[len(indicators):]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel(t("muni.axis.population", lang), fontsize=9)
    for ax in axes[:, 0]:
        ax.set_ylabel(t("muni.axis.predicted", lang), fontsize=9)
    groups = list(dict.fromkeys(curves["model_group"]))
    handles = [Line2D([], [], color=GROUP_STYLE[g][0], linestyle=GROUP_STYLE[g][1], linewidth=1.8,
                      label=group_label("model_group", g, lang)) for g in groups]
    handles.append(Line2D([], [], color=OBSERVED, marker="s", linestyle="", markersize=4,
                          label=t("muni.legend.observed", lang)))
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), bbox_to_anchor=(0.5, 0.06), fontsize=8)
    fig.suptitle(title, fontsize=12)
    fig.subplots_adjust(left=0.07, right=0.99, top=0.88, bottom=0.21, hspace=0.35, wspace=0.1)
    if note:
        fig.text(0.01, 0.035, _unmarked(note), ha="left", va="bottom", fontsize=7, color="#444444")
    plots.add_source_note(fig, source)
    return fig


def prefecture_dotplot(rates: "pd.DataFrame", *, lang: str, indicators: Sequence[str], national: Mapping[str, float],
                       title: str, source: str, flagged: Mapping[str, str] | None = None, note: str = "") -> "Figure":
    """One panel per indicator: prefectures sorted by the share of their municipalities (Wilson
    interval, n in the label), and beside it the prefecture government's own answer (filled
    square 実施, open square 未実施). A prefecture some of whose municipalities were not surveyed for
    the item (``missing`` > 0) has a share over another coverage: it is drawn with an open marker
    below the others, apart from the ordering, and only there gets its ``flagged`` mark (pref_code →
    e.g. '*'). ``note`` is that mark's footnote: drawn only when some panel draws the mark."""
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd
    from matplotlib.lines import Line2D

    from helpers.words.municipal import ind_title, pref_label

    plots.apply_style()
    flagged = flagged or {}
    shown = rates[rates["indicator"].isin(indicators)]
    if "missing" not in shown or not (shown["pref_code"].isin(list(flagged)) & (shown["missing"] > 0)).any():
        note = ""  # no mark drawn: a footnote for it would explain nothing
    k = len(indicators)
    fig = plt.figure(figsize=(5.6 * k + 0.2, 10.2))
    ratios = [5, 0.45, 1.7] * k
    gs = fig.add_gridspec(1, 3 * k - 1, width_ratios=ratios[:-1], left=0.1 / k * 1.9, right=0.985, top=0.9,
                          bottom=0.1 if note else 0.08, wspace=0.06)
    for i, ind in enumerate(indicators):
        ax = fig.add_subplot(gs[0, 3 * i])
        side = fig.add_subplot(gs[0, 3 * i + 1], sharey=ax)
        r_all = rates[rates["indicator"] == ind]
        part = (r_all["missing"] > 0) if "missing" in r_all else pd.Series(False, index=r_all.index)
        apart = r_all[part].sort_values("pref_code")
        r = pd.concat([apart, r_all[~part].sort_values(["rate", "pref_code"], ascending=[True, False])])
        gap = 1.0 if len(apart) else 0.0  # an empty row between the prefectures apart and the ordered ones
        y = np.arange(len(r)) + np.where(np.arange(len(r)) >= len(apart), gap, 0.0)
        full = np.arange(len(r)) >= len(apart)
        ax.errorbar(r["rate"][full], y[full], xerr=[(r["rate"] - r["lo"])[full], (r["hi"] - r["rate"])[full]], fmt="o",
                    color=POINT, ecolor=POINT, markersize=3.5, elinewidth=1, capsize=0)
        if len(apart):
            ax.errorbar(r["rate"][~full], y[~full], xerr=[(r["rate"] - r["lo"])[~full], (r["hi"] - r["rate"])[~full]],
                        fmt="o", color=POINT, ecolor=POINT, markerfacecolor="white", markersize=3.5, elinewidth=1,
                        capsize=0)
            ax.axhline(len(apart) - 0.5 + gap / 2, color="0.6", linewidth=0.6)
        ax.axvline(national[ind], color=OBSERVED, linestyle="--", linewidth=0.9)
        labels = [f"{pref_label(c, n, lang)}{flagged.get(c, '') if p else ''} ({m:,})"
                  for c, n, m, p in zip(r["pref_code"], r["pref_name"], r["n"], ~full)]
        ax.set_yticks(y, labels, fontsize=7)
        ax.set_ylim(-0.7, float(y[-1]) + 0.7 if len(y) else 0.7)
        ax.set_xlim(0, 100)
        ax.set_title(ind_title(ind, lang), fontsize=10)
        ax.set_xlabel(t("muni.axis.share", lang), fontsize=9)
        ax.grid(axis="y", visible=False)
        gov = r["government"].to_numpy()
        yes = gov == 1
        no = gov == 0
        side.scatter(np.zeros(yes.sum()), y[yes], marker="s", s=16, color=POINT)
        side.scatter(np.zeros(no.sum()), y[no], marker="s", s=16, facecolor="white", edgecolor=POINT, linewidth=0.9)
        side.set_xlim(-1, 1)
        side.set_xticks([])
        side.tick_params(axis="y", left=False, labelleft=False)
        side.set_title(t("muni.axis.pref_gov", lang), fontsize=7)
        side.grid(False)
        for s in ("left", "bottom"):
            side.spines[s].set_visible(False)
    handles = [Line2D([], [], color=POINT, marker="o", linestyle="", markersize=4, label=t("muni.legend.pref_share", lang))]
    if "missing" in rates and (rates.loc[rates["indicator"].isin(indicators), "missing"] > 0).any():
        handles.append(Line2D([], [], color=POINT, marker="o", markerfacecolor="white", linestyle="", markersize=4,
                              label=t("muni.legend.pref_partial", lang)))
    handles += [
               Line2D([], [], color=OBSERVED, linestyle="--", label=t("muni.legend.national", lang)),
               Line2D([], [], color=POINT, marker="s", linestyle="", markersize=5, label=t("muni.legend.gov_yes", lang)),
               Line2D([], [], markerfacecolor="white", markeredgecolor=POINT, marker="s", linestyle="", markersize=5,
                      label=t("muni.legend.gov_no", lang))]
    fig.legend(handles=handles, loc="upper center", ncol=len(handles), bbox_to_anchor=(0.5, 0.955), fontsize=8)
    fig.suptitle(title, fontsize=12, y=0.99)
    if note:
        fig.text(0.01, 0.03, note, ha="left", va="bottom", fontsize=7, color="#444444", wrap=True)
    plots.add_source_note(fig, source)
    return fig


def forest(assoc: "pd.DataFrame", *, lang: str, title: str, source: str, note: str = "") -> "Figure":
    """Odds ratios (log scale) with 95 % intervals: one panel per outcome, one row per governance item.

    The pairs are one family of tests: a filled marker is an odds ratio that stays significant after
    Holm's adjustment across all pairs (``held_holm``), an open one does not; the intervals are
    unadjusted, so one that excludes 1 need not be significant after adjustment (a note says so)."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    import numpy as np

    from helpers.analysis.municipal import LEVEL
    from helpers.words.municipal import ind_title

    plots.apply_style()
    outcomes = list(dict.fromkeys(assoc["outcome"]))
    preds = list(dict.fromkeys(assoc["predictor"]))
    fig, axes = plt.subplots(1, len(outcomes), figsize=(3.3 * len(outcomes) + 1.8, 0.55 * len(preds) + 2.3),
                             sharey=True, squeeze=False)
    y = np.arange(len(preds))
    lo_all, hi_all = float(assoc["lo"].min()), float(assoc["hi"].max())
    for ax, out in zip(axes[0], outcomes):
        a = assoc[assoc["outcome"] == out].set_index("predictor").reindex(preds)
        ax.errorbar(a["odds_ratio"], y, xerr=[a["odds_ratio"] - a["lo"], a["hi"] - a["odds_ratio"]], fmt="none",
                    ecolor=POINT, capsize=2)
        held = a["held_holm"].fillna(False).astype(bool).to_numpy()
        ax.scatter(a["odds_ratio"][held], y[held], s=30, color=POINT, zorder=3)
        ax.scatter(a["odds_ratio"][~held], y[~held], s=30, facecolor="white", edgecolor=POINT, linewidth=1.2, zorder=3)
        for yi, v in zip(y, a["odds_ratio"]):
            ax.annotate(f"{v:.2f}", (v, yi), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=7)
        ax.axvline(1, color=OBSERVED, linewidth=0.9)
        ax.set_xscale("log")
        ax.set_xlim(min(0.5, lo_all * 0.85), max(2, hi_all * 1.15))
        ticks = [v for v in (0.5, 1, 2, 4, 8, 16) if min(0.5, lo_all * 0.85) <= v <= max(2, hi_all * 1.15)]
        ax.set_xticks(ticks, [f"{v:g}" for v in ticks])
        ax.minorticks_off()
        ax.set_title(ind_title(out, lang), fontsize=10)
        ax.set_xlabel(t("muni.axis.odds_ratio", lang), fontsize=9)
        ax.grid(axis="y", visible=False)
    axes[0][0].set_yticks(y, [ind_title(p, lang) for p in preds], fontsize=9)
    axes[0][0].set_ylim(len(preds) - 0.5, -0.75)
    fig.suptitle(title, fontsize=12)
    n_tests = int(assoc["p_holm"].notna().sum())
    level = f"{1 - LEVEL:.2f}".lstrip("0") if lang == "en" else f"{1 - LEVEL:.2f}"
    handles = [Line2D([], [], linestyle="none", marker="o", markersize=6, color=POINT),
               Line2D([], [], linestyle="none", marker="o", markersize=6, markerfacecolor="white",
                      markeredgecolor=POINT)]
    fig.legend(handles, [t("muni.legend.holm_held", lang, level=level, n=n_tests),
                         t("muni.legend.holm_not", lang, level=level)],
               loc="upper center", bbox_to_anchor=(0.5, 0.905), ncol=2, frameon=False, fontsize=8.5)
    fig.subplots_adjust(left=0.17, right=0.98, top=0.76, bottom=0.3 if note else 0.24, wspace=0.08)
    sep = ("。" if lang == "ja" else ". ") if note and not note.endswith(("。", ".")) else " "
    note = sep.join(x for x in (note, t("muni.note.holm_family", lang, n=n_tests)) if x)
    fig.text(0.01, 0.07, note, ha="left", va="bottom", fontsize=7, color="#444444", wrap=True)
    plots.add_source_note(fig, source)
    return fig


def readiness_by_size(scores: "pd.DataFrame", *, lang: str, title: str, source: str, note: str = "") -> "Figure":
    """Box plot (quartiles, whiskers 1.5 IQR, no outlier marks) of the readiness score per size
    class with every scored municipality as a jittered point; n under each class."""
    import numpy as np

    from helpers.analysis.municipal import SIZE_ORDER
    from helpers.words.municipal import group_label

    fig, ax = plots.new_figure(9, 5)
    groups = [g for g in SIZE_ORDER if (scores["size_class"] == g).any()]
    data = [scores.loc[(scores["size_class"] == g), "score"].dropna().to_numpy() for g in groups]
    rng = np.random.default_rng(12)
    for i, d in enumerate(data):
        # jittered sideways only: a score stays where it is (never above 100 or below 0)
        ax.scatter(i + rng.uniform(-0.28, 0.28, len(d)), d, s=5, color="#0072B2",
                   alpha=0.25, linewidth=0, zorder=1)
    ax.boxplot(data, positions=range(len(groups)), widths=0.6, showfliers=False, zorder=2,
               medianprops={"color": "#D55E00", "linewidth": 2}, boxprops={"facecolor": "none", "linewidth": 1.1},
               whiskerprops={"linewidth": 1.1}, capprops={"linewidth": 1.1}, patch_artist=True)
    ax.set_xticks(range(len(groups)), [f"{group_label('size_class', g, lang)}\nn={len(d):,}" for g, d in zip(groups, data)],
                  fontsize=8)
    ax.set_ylim(-4, 104)
    ax.set_ylabel(t("muni.axis.readiness", lang))
    ax.set_xlabel(t("muni.axis.size_class", lang))
    ax.set_title(title)
    ax.grid(axis="x", visible=False)
    if note:
        fig.text(0.01, 0.035, _unmarked(note), ha="left", va="bottom", fontsize=7, color="#444444")
    plots.add_source_note(fig, source)
    if note:
        fig.get_layout_engine().set(rect=(0, 0.08, 1, 0.92))
    return fig
