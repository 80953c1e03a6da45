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
            "axes.titleweight": "bold",
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


def add_source_note(fig: "Figure", text: str) -> None:
    """Put the source line under the plot (small, left-aligned)."""
    fig.text(0.01, 0.005, text, ha="left", va="bottom", fontsize=7, color="#444444", wrap=True)
    layout = fig.get_layout_engine()
    if layout is not None and hasattr(layout, "set"):
        layout.set(rect=(0, 0.05, 1, 0.95))


_SVG_VOLATILE = re.compile(rb"<dc:date>.*?</dc:date>\s*", re.S)


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
    return _SVG_VOLATILE.sub(b"", data) if fmt == "svg" else data


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
