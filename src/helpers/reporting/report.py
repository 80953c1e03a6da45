"""Markdown reports built from parts, written atomically.

A :class:`Report` collects a title, a metadata line, sections, tables, figure links and a
numbered source list, then renders plain GitHub-flavoured markdown. Numbers are formatted
once here so every report looks the same: thousands separators for counts, one decimal for
percentages, an em dash for missing values.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from dataclasses import dataclass, field
from numbers import Integral, Real
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from helpers.atomic import write_text_atomic
from helpers.words.formats import MISSING, fmt_number

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

def is_year_column(name: object) -> bool:
    """Columns holding years (``fiscal_year``, ``midpoint_year``, ``year_80pct``) get no separators."""
    return "year" in str(name).split("_")


def is_points_column(name: object) -> bool:
    """Columns of percentage-point differences (``change_pp``, ``gap_pp``) are shown signed: +18.3."""
    return re.search(r"(change|gap|difference)_pp$", str(name)) is not None  # not rmse_pp: no sign there


def markdown_table(
    df: "pd.DataFrame",
    *,
    percent: Sequence[str] = (),
    decimals: dict[str, int] | None = None,
    index: bool = False,
    headers: Mapping[str, str] | None = None,
) -> str:
    """Render ``df`` as a pipe table; numeric columns right-aligned.

    ``percent`` and ``decimals`` name columns by their ids; ``headers`` only changes what the
    header row shows (e.g. translated names)."""
    import pandas as pd

    decimals, headers = decimals or {}, headers or {}
    frame = df.reset_index() if index else df
    cols = list(frame.columns)
    formats = [_column_format(frame[c], c in percent, decimals.get(c)) for c in cols]
    header = "| " + " | ".join(fmt_number(headers.get(c, c)) for c in cols) + " |"
    aligns = []
    for c in cols:
        numeric = pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
        aligns.append("---:" if numeric else "---")
    lines = [header, "| " + " | ".join(aligns) + " |"]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(fmt_number(v, **f) for v, f in zip(row, formats)) + " |")
    return "\n".join(lines)


def _column_format(col: "pd.Series", percent: bool, decimals: int | None) -> dict[str, Any]:
    """fmt_number's options for one column, decided once: a float column without a rule of its
    own gets one format for all cells (whole numbers as counts, otherwise two decimals)."""
    import pandas as pd

    fmt = {"percent": percent, "decimals": decimals, "year": is_year_column(col.name),
           "points": is_points_column(col.name)}
    if decimals is None and not any(fmt.values()) and pd.api.types.is_float_dtype(col):
        values = col.dropna()
        fmt["decimals"] = 0 if len(values) and (values == values.round()).all() else 2
    return fmt


@dataclass
class Source:
    key: str
    text: str


@dataclass
class Report:
    """A markdown report assembled in reading order."""

    title: str
    meta: str = ""
    blocks: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    sources_heading: str = "Sources"
    #: When set, :meth:`write` also writes ``report.html`` (self-contained) in this language.
    lang: str | None = None
    #: When true, every table is also written as CSV (``tables/table_NN.csv``) and to ``tables.xlsx``.
    table_files: bool = False
    tables: list[tuple[str, "pd.DataFrame"]] = field(default_factory=list)

    def heading(self, text: str, level: int = 2) -> "Report":
        if not 2 <= level <= 6:
            raise ValueError("heading level must be 2..6 (level 1 is the title)")
        self.blocks.append("#" * level + " " + text)
        return self

    def paragraph(self, text: str) -> "Report":
        self.blocks.append(text.strip())
        return self

    def bullets(self, items: Iterable[str]) -> "Report":
        items = [i.strip() for i in items]
        if items:
            self.blocks.append("\n".join(f"- {i}" for i in items))
        return self

    def numbered(self, items: Iterable[str]) -> "Report":
        items = [i.strip() for i in items]
        if items:
            self.blocks.append("\n".join(f"{n}. {i}" for n, i in enumerate(items, 1)))
        return self

    def table(self, df: "pd.DataFrame", *, caption: str | None = None, **kwargs: Any) -> "Report":
        if caption:
            self.blocks.append(f"*{caption}*")
        self.blocks.append(markdown_table(df, **kwargs))
        if self.table_files:
            from helpers.words.i18n import t

            name = f"table_{len(self.tables) + 1:02d}"
            headers = kwargs.get("headers") or {}
            self.tables.append((caption or name, df.rename(columns=lambda c: str(headers.get(c, c)))))
            self.blocks.append(t("report.table_files", self.lang or "en", csv=f"tables/{name}.csv"))
        return self

    def figure(self, path: str | Path, alt: str, *, relative_to: str | Path | None = None) -> "Report":
        """Embed an image by a path relative to the report's folder."""
        p = Path(path)
        if relative_to is not None:
            p = Path(os.path.relpath(p, relative_to))
        self.blocks.append(f"![{alt}]({p.as_posix()})")
        return self

    def add_source(self, key: str, text: str) -> int:
        """Register a source once; returns its number for in-text references like ``[1]``."""
        for n, s in enumerate(self.sources, 1):
            if s.key == key:
                return n
        self.sources.append(Source(key, text))
        return len(self.sources)

    def to_markdown(self) -> str:
        parts = [f"# {self.title}"]
        if self.meta:
            parts.append(f"_{self.meta}_")
        parts.extend(self.blocks)
        if self.sources:
            parts.append(f"## {self.sources_heading}")
            parts.append("\n".join(f"{n}. {s.text}" for n, s in enumerate(self.sources, 1)))
        return "\n\n".join(parts) + "\n"

    def write(self, path: str | Path) -> Path:
        """Write the markdown atomically (temp file + rename), creating the folder; beside it the
        table files and the HTML page when the report asks for them."""
        path = Path(path)
        markdown = self.to_markdown()
        if self.table_files:
            from helpers.reporting.table_files import write_tables

            write_tables(self.tables, path.parent)
        out = write_text_atomic(path, markdown)
        if self.lang:
            from helpers.reporting.html_report import render

            write_text_atomic(path.with_suffix(".html"), render(markdown, lang=self.lang, base=path.parent))
        return out
