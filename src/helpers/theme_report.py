"""The report a theme notebook builds as it goes: figures, tables, findings, caveats, sources.

A notebook cell produces a result, shows it, and hands it to the :class:`ThemeReport`; the
last cell writes ``<output_dir>/report.md`` (atomically) with figures under ``figures/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from helpers import data, plots
from helpers.dashboard_labels import INDICATORS
from helpers.i18n import TEXT, YES_NO, column_label, t
from helpers.params import Params
from helpers.report import Report

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from IPython.display import Image
    from matplotlib.figure import Figure

#: Notebook theme → the catalog themes whose audit flags concern it.
AUDIT_THEMES = {"staffing": ["staffing"], "online_usage": ["online"], "security": ["security"],
                "ai_rpa_telework": ["uptake"]}


class ThemeReport:
    def __init__(self, theme: str, params: Params):
        self.theme, self.params, self.lang = theme, params, params.lang
        self.out_dir = Path(params.output_dir)
        self.fig_dir = self.out_dir / "figures"
        self.report = Report(t(f"theme.{theme}", self.lang), sources_heading=t("report.sources", self.lang))
        self.findings: list[str] = []
        self.caveats: list[str] = []
        self.body: list[tuple[str, object]] = []
        self.dates: set[str] = set()

    # -- provenance ---------------------------------------------------------------------
    def cite(self, keys: Iterable[str]) -> str:
        """Register sources; return the figure note line, e.g. '出典：[1] 総務省「…」 [2] …'."""
        parts = []
        for key in dict.fromkeys(keys):
            n = self.report.add_source(key, data.source_citation(key, self.lang))
            parts.append(f"[{n}] {data.load_sources().set_index('key').loc[key, 'publisher']}")
        return t("source_prefix", self.lang) + "; ".join(parts)

    def add_dates(self, dates: Iterable) -> None:
        """Reference dates (timestamps) or period labels such as 'FY2020' for the metadata line."""
        import pandas as pd

        self.dates |= {d if isinstance(d, str) else pd.Timestamp(d).strftime("%Y-%m-%d") for d in dates}

    # -- content ------------------------------------------------------------------------
    def section(self, title: str) -> None:
        self.body.append(("heading", title))

    def text(self, paragraph: str) -> None:
        self.body.append(("paragraph", paragraph))

    def figure(self, fig: "Figure", name: str, caption: str) -> "Image":
        """Save the figure (PNG + SVG), embed it in the report, and return the saved PNG for display.

        Showing the saved file (not the live figure) means the notebook shows exactly what the
        report links to, and the figure is not drawn a third time by the inline backend."""
        from IPython.display import Image

        paths = plots.save_figure(fig, name, self.fig_dir)
        self.body.append(("figure", (paths[0], caption)))
        width = round(fig.get_figwidth() * fig.dpi)  # the on-screen size the live figure had
        plots.close(fig)
        return Image(data=paths[0].read_bytes(), format="png", width=width)

    def table(self, df: "pd.DataFrame", caption: str, **fmt) -> "pd.DataFrame":
        self.body.append(("table", (df, caption, fmt)))
        return df

    def finding(self, sentence: str) -> str:
        self.findings.append(sentence)
        return sentence

    def caveat(self, sentence: str) -> str:
        self.caveats.append(sentence)
        return sentence

    def audit_caveats(self) -> list[str]:
        """Caveats for the rows of this theme that the consistency audit flags."""
        ind = data.load_indicators()
        flagged = data.audit(ind)
        themes = AUDIT_THEMES[self.theme]
        cat = data.load_catalog().set_index("id")
        flagged = flagged[flagged["indicator"].map(cat["theme"]).isin(themes)]
        items = [f"{r.indicator} ({r.tier}, {r.as_of:%Y-%m-%d}): {r.explanation}" for r in flagged.itertuples()]
        for item in items:
            self.caveat(t("report.audit_flags", self.lang, items=item))
        return items

    # -- output -------------------------------------------------------------------------
    def _for_readers(self, df: "pd.DataFrame") -> "pd.DataFrame":
        """The table as a reader sees it: tier names, yes/no, and sources as their [n] in the list.

        The notebook keeps showing the ids (what an analyst filters on); only the report changes."""
        import pandas as pd

        known_sources = set(data.load_sources()["key"])
        cat = data.load_catalog()
        labels = dict(zip(cat["id"], cat[f"label_{self.lang}"]))
        yes, no = YES_NO[self.lang]
        out = df.copy()
        for c in out.columns:
            col = out[c]
            if c == "tier":
                out[c] = col.map(lambda v: t(f"tier.{v}", self.lang) if f"tier.{v}" in TEXT else v)
            elif c == "indicator":
                out[c] = col.map(lambda v: labels.get(v, v))
            elif pd.api.types.is_bool_dtype(col):
                out[c] = col.map({True: yes, False: no})
            elif c == "source":
                out[c] = col.map(lambda k: f"[{self.report.add_source(k, data.source_citation(k, self.lang))}]"
                                 if k in known_sources else k)
        return out

    def _headers(self, columns: Iterable) -> dict:
        """Column ids → headers in the report's language (indicator ids take the catalog's label)."""
        cat = data.load_catalog().set_index("id")[f"label_{self.lang}"]
        dash = {v: k for k, v in INDICATORS.items()}
        headers = {}
        for c in columns:
            label = column_label(str(c), self.lang)
            if label is None and f"tier.{c}" in TEXT:  # tiers pivoted into columns
                label = t(f"tier.{c}", self.lang)
            if label is None and c in cat.index:
                label = cat[c]
            if label is None and c in dash:
                label = dash[c] if self.lang == "ja" else str(c).replace("_", " ")
            headers[c] = label if label is not None else c
        return headers

    def write(self) -> Path:
        r = self.report
        r.meta = t("report.meta", self.lang, dates=", ".join(sorted(self.dates)))
        blocks_before = list(r.blocks)
        r.blocks = []
        r.heading(t("report.findings", self.lang)).bullets(self.findings)
        for kind, payload in self.body:
            if kind == "heading":
                r.heading(str(payload))
            elif kind == "paragraph":
                r.paragraph(str(payload))
            elif kind == "figure":
                path, caption = payload
                r.figure(path, caption, relative_to=self.out_dir)
            elif kind == "table":
                df, caption, fmt = payload
                r.table(self._for_readers(df), caption=caption, headers=self._headers(df.columns), **fmt)
        if self.caveats:
            r.heading(t("report.caveats", self.lang)).bullets(self.caveats)
        r.blocks = blocks_before + r.blocks
        path = r.write(self.out_dir / "report.md")
        r.blocks = blocks_before
        return path
