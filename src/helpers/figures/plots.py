"""Figure style, the one tier palette, deterministic saving, and reusable chart builders.

Every figure in the project goes through :func:`apply_style` (Japanese glyphs via
matplotlib-fontja's IPAex Gothic) and :func:`save_figure` (PNG 150 dpi + SVG, byte-identical
when the same figure is saved twice).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

from helpers.atomic import write_bytes_atomic

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: One colour per tier, used by every notebook (Okabe–Ito, colour-blind safe).
TIER_COLORS: Mapping[str, str] = {
    "prefecture": "#0072B2",
    "municipality": "#E69F00",
    "designated_city": "#009E73",
    "all": "#555555",
}
#: Colours for non-tier categories (in order).
CATEGORY_COLORS: Sequence[str] = (
    "#56B4E9", "#D55E00", "#CC79A7", "#009E73", "#F0E442", "#0072B2", "#E69F00", "#999999",
)
SVG_HASH_SALT = "dx-survey-toolkit"
PNG_DPI = 150

_styled = False


def apply_style() -> None:
    """Apply the project's figure style with a Japanese-capable font (idempotent)."""
    global _styled
    import matplotlib

    import matplotlib_fontja  # noqa: F401  (registers IPAexGothic and selects it)

    matplotlib.rcParams.update(
        {
            "font.family": "IPAexGothic",
            "axes.unicode_minus": False,
            "svg.hashsalt": SVG_HASH_SALT,
            "svg.fonttype": "path",
            "figure.dpi": 100,
            "savefig.dpi": PNG_DPI,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.titlesize": 12,
            "axes.titleweight": "normal",  # IPAexGothic has no bold face (avoids a findfont warning)
            "axes.labelsize": 10,
            "legend.fontsize": 9,
            "legend.frameon": False,
            "figure.figsize": (8, 4.5),
        }
    )
    _styled = True


def new_figure(width: float = 8.0, height: float = 4.5) -> tuple["Figure", "Axes"]:
    """A styled figure with one axes (created without pyplot state where possible)."""
    if not _styled:
        apply_style()
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
    return fig, ax


def tier_color(tier: str) -> str:
    return TIER_COLORS.get(tier, TIER_COLORS["all"])


def wrap_text(text: str, cjk_width: int = 60, latin_width: int = 110) -> str:
    """Wrap each line of ``text`` for a chart. Japanese has no spaces: it is cut only between the
    phrases BudouX finds, so a line never breaks inside a number or a word (「1,733団体中1⏎,270団体」,
    「1,055団⏎体」); a phrase longer than the width stays whole on its own line."""
    from textwrap import wrap

    out = []
    for line in text.split("\n"):
        cjk = any("\u3000" <= ch <= "\u9fff" for ch in line)
        if not cjk:
            out.extend(wrap(line, latin_width, break_long_words=False, break_on_hyphens=False) or [""])
            continue
        current = ""
        for phrase in _ja_phrases(line):
            if current and len(current) + len(phrase) > cjk_width:
                out.append(current)
                current = phrase.lstrip()
            else:
                current += phrase
        out.append(current)
    return "\n".join(out)


def _ja_phrases(line: str) -> list[str]:
    """Japanese phrases (BudouX's default model); a run of digits, separators and % is never split
    even where the model would (e.g. after 「中」 in 「1,733団体中1,270団体」 it splits before the number)."""
    import budoux

    global _BUDOUX
    if _BUDOUX is None:
        _BUDOUX = budoux.load_default_japanese_parser()
    phrases = _BUDOUX.parse(line) or [line]
    merged: list[str] = []
    for ph in phrases:
        if merged and (re.match(r"[\d,.%．，]", ph[:1]) and re.search(r"[\d,.]$", merged[-1])):
            merged[-1] += ph  # never split a number across two phrases
        else:
            merged.append(ph)
    # a count of a base (「1,741団体中1,055団体」) is one phrase: a reader must see both numbers together
    keep = [m.span() for m in _COUNT_OF.finditer(line)]
    out: list[str] = []
    pos = 0
    for ph in merged:
        start = pos
        pos += len(ph)
        if out and any(a < start < b for a, b in keep):
            out[-1] += ph
        else:
            out.append(ph)
    return out


_COUNT_OF = re.compile(r"[\d,]+(?:団体|人|件|手続)中[\d,]+(?:団体|人|件|手続)")


_BUDOUX = None


def add_source_note(fig: "Figure", text: str) -> None:
    """Put the source line under the plot (small, left-aligned)."""
    fig.text(0.01, 0.005, text, ha="left", va="bottom", fontsize=7, color="#444444", wrap=True)
    layout = fig.get_layout_engine()
    if layout is not None and hasattr(layout, "set"):
        layout.set(rect=(0, 0.05, 1, 0.95))


_SVG_VOLATILE = re.compile(rb"<dc:date>.*?</dc:date>\s*", re.S)
#: Clip-path ids: matplotlib names a clip *path* (not a rectangle) after the path object's memory
#: address, so they change from run to run; they are renumbered in order of first use.
_SVG_CLIP_ID = re.compile(rb'(?<=id=")p[0-9a-f]{10}(?=")|(?<=url\(#)p[0-9a-f]{10}(?=\))')


def _stable_svg_ids(data: bytes) -> bytes:
    """The same SVG bytes for the same drawing: clip ids numbered by first appearance."""
    names: dict[bytes, bytes] = {}

    def rename(m: re.Match) -> bytes:
        return names.setdefault(m.group(0), b"clip%d" % (len(names) + 1))

    return _SVG_CLIP_ID.sub(rename, data)


def figure_bytes(fig: "Figure", fmt: str) -> bytes:
    """Render ``fig`` to bytes with no timestamps or tool versions in the metadata."""
    buf = io.BytesIO()
    if fmt == "png":
        fig.savefig(buf, format="png", dpi=PNG_DPI, metadata={"Software": None})
    elif fmt == "svg":
        import matplotlib

        with matplotlib.rc_context({"svg.hashsalt": SVG_HASH_SALT}):
            fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    else:
        raise ValueError(f"unsupported figure format {fmt!r} (png or svg)")
    data = buf.getvalue()
    return _stable_svg_ids(_SVG_VOLATILE.sub(b"", data)) if fmt == "svg" else data


def save_figure(fig: "Figure", name: str, out_dir: str | Path, formats: Iterable[str] = ("png", "svg")) -> list[Path]:
    """Save ``fig`` as ``out_dir/name.png`` (150 dpi) and ``.svg``, atomically and deterministically."""
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
        raise ValueError(f"figure name {name!r} must be a plain file stem (letters, digits, _ . -)")
    out = Path(out_dir)
    written = [write_bytes_atomic(out / f"{name}.{fmt}", figure_bytes(fig, fmt)) for fmt in formats]
    return written


def close(fig: "Figure") -> None:
    import matplotlib.pyplot as plt

    plt.close(fig)


# --------------------------------------------------------------------------- chart builders


def _free_band(values, low: float = 0.0, high: float = 108.0) -> float:
    """Middle of the widest vertical band (in data units of a 0–108 % axis) that holds no point and
    no value label (a label sits just above its point), for text drawn across a panel."""
    import numpy as np

    v = np.asarray([float(x) for x in values if x == x], dtype=float)
    edges = sorted([(low, low)] + [(x - 3.0, x + 9.0) for x in v] + [(high, high)])
    best, mid, reach = -1.0, (low + high) / 2, low
    for lo, hi in edges:
        if lo - reach > best:
            best, mid = lo - reach, (reach + lo) / 2
        reach = max(reach, hi)
    return mid


def series_trend(df: "pd.DataFrame", *, title: str, ylabel: str, source: str, tier_label: Mapping[str, str],
                 tick_label, break_label: str, assumed_note: str, panel: str = "label",
                 x: str = "as_of", y: str = "rate", alternatives: "pd.DataFrame | None" = None,
                 alternative_label: str = "") -> "Figure":
    """Values over time per tier, one panel per ``panel`` value, drawn series by series.

    Points of one series (``series`` column: one definition/method) are joined by a line; a new
    series starts a new segment with no line across the break, and a dotted vertical line marks
    the break with ``break_label``. Points whose date is assumed (``as_of_assumed``) are hollow and
    ``assumed_note`` explains them. ``tick_label(ts, assumed)`` gives each x tick its text.
    ``alternatives`` (same ``panel``, ``tier``, ``x``, ``y`` columns): another published value of a
    drawn point (a correction), shown as a hollow diamond joined to no line, ``alternative_label``
    in the legend."""
    import matplotlib.pyplot as plt

    apply_style()
    panels = list(dict.fromkeys(df[panel]))
    fig, axes = plt.subplots(1, len(panels), figsize=(4.6 * len(panels) + 0.6, 4.9), sharey=True, squeeze=False)
    for ax, name in zip(axes[0], panels):
        g = df[df[panel] == name]
        for tier, gt in g.groupby("tier", sort=False):
            color = tier_color(tier)
            gt = gt.sort_values(x)
            ser = gt["series"].astype(object)
            runs = (ser != ser.shift()).astype(int).cumsum()
            for _, seg in gt.groupby(runs, sort=False):
                ax.plot(seg[x], seg[y], color=color, linestyle="-", linewidth=1.6, zorder=2)
                for _, pt in seg.iterrows():
                    ax.plot([pt[x]], [pt[y]], marker="o", markersize=7, color=color, zorder=3,
                            markerfacecolor="white" if pt["as_of_assumed"] else color)
        if alternatives is not None:
            for _, pt in alternatives[alternatives[panel] == name].iterrows():
                ax.plot([pt[x]], [pt[y]], marker="D", markersize=6, linestyle="", color=tier_color(pt["tier"]),
                        markerfacecolor="white", markeredgewidth=1.4, zorder=3)
        import pandas as pd

        ordered = g.sort_values(x)
        drawn: list = []
        for tier, gt in ordered.groupby("tier", sort=False):
            prev = gt.shift()
            for (_, a), (_, b) in zip(prev.iterrows(), gt.iterrows()):
                if isinstance(a["series"], str) and a["series"] != b["series"]:
                    mid = a[x] + (b[x] - a[x]) / 2
                    if any(abs((mid - m) / pd.Timedelta(days=1)) < 1 for m in drawn):
                        continue  # one line and one label per break position
                    drawn.append(mid)
                    ax.axvline(mid, color="0.35", linestyle=":", linewidth=1.2, zorder=1)
                    # on the line, rotated, in the widest empty band of the panel: a break sits between
                    # two dates, so no point is on it, and the band keeps it off every value label
                    ax.text(mid, _free_band(g[y]), break_label, rotation=90, ha="center", va="center",
                            fontsize=7.5, color="0.25", zorder=2,
                            bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none"})
        ticks = sorted({(pd_ts, bool(a)) for pd_ts, a in zip(g[x], g["as_of_assumed"])})
        ax.set_xticks([t for t, _ in ticks], [tick_label(t, a) for t, a in ticks], fontsize=8)
        ax.set_title(name, fontsize=11)
        ax.set_ylim(0, 108)
    axes[0][0].set_ylabel(ylabel)
    from matplotlib.lines import Line2D

    tiers = list(dict.fromkeys(df["tier"]))
    handles = [Line2D([], [], color=tier_color(tr), marker="o", label=tier_label[tr]) for tr in tiers]
    if df["as_of_assumed"].any():
        handles.append(Line2D([], [], color="0.3", marker="o", markerfacecolor="white", linestyle="", label=assumed_note))
    if alternatives is not None and len(alternatives):
        handles.append(Line2D([], [], color="0.3", marker="D", markerfacecolor="white", linestyle="",
                              label=alternative_label))
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False, bbox_to_anchor=(0.5, 0.06))
    fig.suptitle(title)
    fig.subplots_adjust(bottom=0.3, top=0.84, wspace=0.08)
    add_source_note(fig, source)
    return fig


def hbar_by_tier(df: "pd.DataFrame", *, category: str, value: str, title: str, xlabel: str, source: str,
                 tier_label: Mapping[str, str], xlim: tuple[float, float] | None = (0, 105)) -> "Figure":
    """Horizontal bars per category, side by side per tier (colours from the tier palette)."""
    import numpy as np

    cats = list(dict.fromkeys(df[category]))
    tiers = list(dict.fromkeys(df["tier"]))
    height = max(3.0, 0.45 * len(cats) * max(1, len(tiers)) + 1.2)
    fig, ax = new_figure(8, min(height, 11))
    width = 0.8 / len(tiers)
    ypos = np.arange(len(cats))
    for i, tier in enumerate(tiers):
        g = df[df["tier"] == tier].set_index(category).reindex(cats)
        ax.barh(ypos + i * width, g[value].astype(float), height=width, color=tier_color(tier),
                label=tier_label[tier])
    ax.set_yticks(ypos + width * (len(tiers) - 1) / 2, cats)
    ax.invert_yaxis()
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    if xlim:
        ax.set_xlim(*xlim)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.09 * 11 / min(height, 11)), ncol=len(tiers), frameon=False)
    ax.grid(axis="y", visible=False)
    add_source_note(fig, source)
    return fig


def hbar_panels(df: "pd.DataFrame", *, category: str, value: str, title: str, xlabel: str, source: str,
                tier_label: Mapping[str, str], count: str | None = None) -> "Figure":
    """One horizontal-bar panel per tier, each with its own categories (a prefecture's 知事 and a
    municipality's 市区町村長 are different answers, so they never share an axis). Bars carry their
    value (and count where given)."""
    import matplotlib.pyplot as plt

    apply_style()
    tiers = list(dict.fromkeys(df["tier"]))
    n_max = max(df.groupby("tier")[category].nunique())
    fig, axes = plt.subplots(1, len(tiers), figsize=(4.8 * len(tiers) + 1.2, 0.5 * n_max + 2.4), squeeze=False,
                             layout="constrained")
    for ax, tier in zip(axes[0], tiers):
        g = df[df["tier"] == tier]
        ax.barh(g[category], g[value].astype(float), color=tier_color(tier))
        for yv, (_, row) in enumerate(g.iterrows()):
            text = f"{row[value]:.1f}%" + (f" ({int(row[count]):,})" if count else "")
            ax.text(float(row[value]) + 1.5, yv, text, va="center", fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, 115)
        ax.set_title(tier_label[tier], fontsize=11)
        ax.set_xlabel(xlabel)
        ax.grid(axis="y", visible=False)
    fig.suptitle(title)
    add_source_note(fig, source)
    return fig


