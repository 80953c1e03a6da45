"""The report a theme notebook builds as it goes: figures, tables, findings, caveats, sources.

A notebook cell produces a result, shows it, and hands it to the :class:`ThemeReport`; the
last cell writes ``<output_dir>/report.md`` (atomically) with figures under ``figures/``.

The report is assembled from keyed parts, one per notebook cell, so re-running cells in
JupyterLab never appends twice (see :class:`CellLog` for the rule): a cell's run first empties
what that cell contributed before, and the parts are written in the order the cells were first
run — the notebook's order after a Run All.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Hashable, Iterable

from helpers.loaders import data
from helpers.words import citations
from helpers import registry
from helpers.figures import plots
from helpers.loaders.dashboard_labels import INDICATORS
from helpers.words.i18n import TEXT, YES_NO, column_label, t
from helpers.loaders.params import Params
from helpers.reporting.report import Report

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from IPython.display import Image
    from matplotlib.figure import Figure

#: Notebook theme → the catalog themes whose audit flags concern it.
AUDIT_THEMES = {name: list(th.catalog_themes) for name, th in registry.ALL.items()}
#: Themes whose notebooks analyse the dashboard export (their reports list the rows it adds).
DASHBOARD_THEMES = tuple(name for name, th in registry.ALL.items() if th.reads_export)


class Shown(str):
    """Report text that a notebook cell displays as rendered Markdown (JupyterLab, nbviewer); still a
    ``str`` for every other use."""

    def _repr_markdown_(self) -> str:
        return str(self)


class CellLog:
    """Which notebook cell is running, and where its part of a report goes.

    The rule: a cell is known by the id its front end sends with the execute request (JupyterLab,
    Notebook 7 and VS Code send ``cellId``; IPython passes it to ``pre_run_cell`` as
    ``info.cell_id``). Each time a cell starts, every open report drops what that cell contributed
    before, keeping the cell's position. A cell seen for the first time is placed right after the
    cell that ran before it: a Run All in a fresh kernel gives the notebook's order, a re-run cell
    keeps its place, and a cell inserted below the one just run lands below it. A front end that
    sends no id (nbclient, papermill, nbval, a terminal) runs each cell once in order; every such
    run is a part of its own, placed by the same rule — on a Run All that is appending, the report
    it always gave; a re-run then adds a copy (never a loss) instead of replacing.
    Outside IPython (a plain script or a test) everything is one part.
    """

    def __init__(self) -> None:
        self.order: list[Hashable] = []
        self.current: Hashable = None
        self.runs = 0
        self.installed = False
        self.reports: "weakref.WeakSet[ThemeReport]" = weakref.WeakSet()

    def install(self) -> None:
        """Follow cell runs in the IPython shell we run in (once); nothing outside IPython."""
        if self.installed:
            return
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover - IPython is a dependency
            return
        shell = get_ipython()
        if shell is None:
            return
        shell.events.register("pre_run_cell", self._pre_run_cell)
        self.installed = True
        kernel = getattr(shell, "kernel", None)  # the cell running now started before the hook existed
        parent = kernel.get_parent() if kernel is not None and hasattr(kernel, "get_parent") else {}
        self.enter((parent or {}).get("metadata", {}).get("cellId"))

    def _pre_run_cell(self, info: Any) -> None:
        self.enter(getattr(info, "cell_id", None))

    def enter(self, cell_id: str | None) -> None:
        """A cell starts: place it (first run) and empty its part in every open report."""
        self.runs += 1
        key: Hashable = cell_id or ("run", self.runs)
        if key not in self.order:
            at = self.order.index(self.current) + 1 if self.current in self.order else len(self.order)
            self.order.insert(at, key)
        self.current = key
        for report in list(self.reports):
            report._parts.pop(key, None)


#: The one log of the process (a kernel runs one notebook).
CELLS = CellLog()


@dataclass
class _Part:
    """What one cell contributed: body items in order, findings, caveats, reference dates."""

    body: list[tuple[str, object]] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    dates: dict[str, tuple] = field(default_factory=dict)


_OPEN: dict[tuple, "ThemeReport"] = {}


def open_report(theme: str, params: Params) -> "ThemeReport":
    """The theme's report for these parameters: in a notebook kernel the same object when the
    setup cell is re-run (so re-running it loses nothing), a new one for other parameters."""
    CELLS.install()
    if not CELLS.installed:
        return ThemeReport(theme, params)
    key = (theme, params)
    if key not in _OPEN:
        _OPEN[key] = ThemeReport(theme, params)
    return _OPEN[key]


class ThemeReport:
    """One theme's report, built from keyed parts (one per notebook cell, see :class:`CellLog`)."""

    def __init__(self, theme: str, params: Params):
        self.theme, self.params, self.lang = theme, params, params.lang
        self.out_dir = Path(params.output_dir)
        self.fig_dir = self.out_dir / "figures"
        self.report = Report(t(f"theme.{theme}", self.lang), sources_heading=t("report.sources", self.lang),
                             lang=self.lang, table_files=True)
        self._parts: dict[Hashable, _Part] = {}
        CELLS.reports.add(self)

    # -- keyed parts --------------------------------------------------------------------
    def _part(self) -> _Part:
        """The running cell's part (created on its first contribution)."""
        return self._parts.setdefault(CELLS.current, _Part())

    def _in_order(self) -> list[_Part]:
        """The parts in reading order: the order the cells were first run in."""
        rank = {key: i for i, key in enumerate(CELLS.order)}
        keys = sorted(self._parts, key=lambda k: rank.get(k, -1))  # stable: outside IPython one part
        return [self._parts[k] for k in keys]

    @property
    def findings(self) -> list[str]:
        """Every finding so far, in reading order (a copy: add with :meth:`finding`)."""
        return [f for part in self._in_order() for f in part.findings]

    @property
    def caveats(self) -> list[str]:
        """Every caveat so far, in reading order (a copy: add with :meth:`caveat`)."""
        return [c for part in self._in_order() for c in part.caveats]

    @property
    def body(self) -> list[tuple[str, object]]:
        """Sections, paragraphs, figures and tables so far, in reading order."""
        return [item for part in self._in_order() for item in part.body]

    @property
    def dates(self) -> dict[str, tuple]:
        """Reference-date label → sort key (time order), from every part."""
        out: dict[str, tuple] = {}
        for part in self._in_order():
            out.update(part.dates)
        return out

    # -- provenance ---------------------------------------------------------------------
    def cite(self, keys: Iterable[str]) -> str:
        """Register sources in the report's list; return the figure note line, which must stand on
        its own (a saved figure does not carry the list): publisher, year and a secondary mark, no
        list numbers — e.g. '出典：総務省（2021）、民間企業ブログ（2024、二次資料）'. Use :meth:`ref`
        for a numbered reference in the text."""
        from helpers.loaders import dashboard_export
        from helpers.words import export as export_words

        src = data.load_sources().set_index("key")
        col = "publisher_en" if self.lang == "en" else "publisher"
        parts = []
        for key in dict.fromkeys(k for k in keys if isinstance(k, str) and k):
            self._source_number(key)
            published = src.at[key, "published"]
            year = str(published)[:4] if isinstance(published, str) and published else ""
            sec = src.at[key, "kind"] == "secondary"
            if key == dashboard_export.KEY:  # the export's own date, not the year registered for the vendored one
                parts.append(src.at[key, col] + export_words.footer(self.lang))
            elif not year:  # a data set without a known publication date
                parts.append(src.at[key, col])
            else:
                parts.append(t("report.fig_source_secondary" if sec else "report.fig_source", self.lang,
                               publisher=src.at[key, col], year=year))
        return t("source_prefix", self.lang) + ("、" if self.lang == "ja" else "; ").join(parts)

    def ref(self, key: str) -> str:
        """Register one source; return its in-text reference, e.g. '[3]' (for a sentence, not a figure note)."""
        return f"[{self._source_number(key)}]"

    def _source_number(self, key: str) -> int:
        """The source's number in the report's list (registered on first use)."""
        from helpers.loaders import dashboard_export
        from helpers.words import export as export_words

        text = citations.source_citation(key, self.lang)
        if key == dashboard_export.KEY:  # the export read, with its own date
            text = export_words.citation(text, self.lang)
        return self.report.add_source(key, text)

    def add_labelled_date(self, label: str, when) -> None:
        """A reference date shown with what it dates (e.g. 'finance: FY2021 settlement'), for a
        report that combines sources of different dates; ``when`` orders the metadata line."""
        import pandas as pd

        self._part().dates[label] = (pd.Timestamp(when), 0)

    def add_survey_year(self, label=None) -> None:
        """The survey year of the dashboard export read, for the metadata line: 「2023年度」 (``label``,
        a function of that text, words it, e.g. 「調査：2023年度」), or 「調査年度不明」 when it is not known
        (:mod:`helpers.loaders.dashboard_export`)."""
        import pandas as pd

        from helpers.loaders.dashboard_export import current

        year = current().survey_year
        if year is None:
            self._part().dates[t("dash.survey_unknown", self.lang)] = (pd.Timestamp.max, 0)
            return
        text = t("date.fiscal_year", self.lang, fy=year)
        self._part().dates[label(text) if label else text] = (pd.Timestamp(year, 4, 1), 0)

    def add_dates(self, dates) -> None:
        """Reference dates for the metadata line, shown in the report's language.

        Pass the analysis frame (``as_of`` + ``as_of_assumed``) so assumed dates are labelled as
        assumed; plain timestamps are shown as dates; 'FY2020'-style strings as fiscal years."""
        import pandas as pd

        from helpers.words.formats import date_label

        if isinstance(dates, pd.DataFrame):
            pairs = zip(dates["as_of"], dates["as_of_assumed"])
        else:
            pairs = ((d, False) for d in dates)
        for d, assumed in pairs:
            if isinstance(d, str) and d.startswith("FY"):
                fy = int(d[2:])
                self._part().dates[t("date.fiscal_year", self.lang, fy=fy)] = (pd.Timestamp(fy, 4, 1), 0)
            else:
                ts = pd.Timestamp(d)
                self._part().dates[date_label(ts, assumed, self.lang)] = (ts, int(bool(assumed)))

    # -- content ------------------------------------------------------------------------
    def section(self, title: str) -> None:
        self._part().body.append(("heading", title))

    def text(self, paragraph: str) -> "Shown":
        """A paragraph of the report, shown in the notebook as rendered Markdown."""
        self._part().body.append(("paragraph", paragraph))
        return Shown(paragraph)

    def figure(self, fig: "Figure", name: str, caption: str) -> "Image":
        """Save the figure (PNG + SVG), embed it in the report, and return the saved PNG for display.

        Showing the saved file (not the live figure) means the notebook shows exactly what the
        report links to, and the figure is not drawn a third time by the inline backend."""
        from IPython.display import Image

        paths = plots.save_figure(fig, name, self.fig_dir)
        self._part().body.append(("figure", (paths[0], caption)))
        width = round(fig.get_figwidth() * fig.dpi)  # the on-screen size the live figure had
        plots.close(fig)
        return Image(data=paths[0].read_bytes(), format="png", width=width)

    def bullets(self, items: Iterable[str]) -> list[str]:
        items = list(items)
        self._part().body.append(("bullets", items))
        return items

    def table(self, df: "pd.DataFrame", caption: str, **fmt) -> "pd.DataFrame":
        """Add a table to the report; return it for the notebook with its first column as the row
        label (no 0..n row numbers beside an id or a rank). The report's table is ``df`` as given."""
        import pandas as pd

        self._part().body.append(("table", (df, caption, fmt)))
        if isinstance(df.index, pd.RangeIndex) and len(df.columns) > 1:
            return df.set_index(df.columns[0])
        return df

    def finding(self, sentence: str) -> "Shown":
        """A finding of the report (its summary list), shown in the notebook as rendered Markdown."""
        self._part().findings.append(sentence)
        return Shown(sentence)

    def caveat(self, sentence: str) -> "Shown":
        """A caveat of the report, shown in the notebook as rendered Markdown."""
        self._part().caveats.append(sentence)
        return Shown(sentence)

    def say(self, findings: Iterable[str] = (), caveats: Iterable[str] = ()) -> "Shown":
        """Record findings and caveats for the report and show them as one Markdown block — the last
        expression of a notebook's "finding" cell, so the cell shows what the report will say."""
        shown = [self.finding(s) for s in findings] + [self.caveat(s) for s in caveats]
        return Shown("\n".join(f"- {s}" for s in shown))

    def audit_caveats(self) -> list[str]:
        """Caveats for the rows of this theme that the consistency audit flags (in the report's language)."""
        from helpers.words.formats import date_label

        ind = data.load_indicators()
        flagged = data.audit(ind)
        themes = AUDIT_THEMES[self.theme]
        cat = data.load_catalog().set_index("id")
        flagged = flagged[flagged["indicator"].map(cat["theme"]).isin(themes)]
        labels = cat[f"label_{self.lang}"]
        assumed = ind.groupby(["indicator", "tier", "as_of"])["as_of_assumed"].any()
        sep = "、" if self.lang == "ja" else ", "
        items = []
        for r in flagged.to_dict("records"):
            when = date_label(r["as_of"], assumed.get((r["indicator"], r["tier"], r["as_of"]), False), self.lang)
            where = sep.join([t(f"tier.{r['tier']}", self.lang), when])
            items.append(f"{labels[r['indicator']]}（{where}）：{citations.audit_explanation(r, self.lang)}" if self.lang == "ja"
                         else f"{labels[r['indicator']]} ({where}): {citations.audit_explanation(r, self.lang)}")
        for item in items:
            self.caveat(t("report.audit_flags", self.lang, items=item.rstrip("。.")))
        return items

    # -- output -------------------------------------------------------------------------
    def _tier_name(self, value: object) -> str | None:
        """A tier id's name in the report's language; None for anything that is not a tier id."""
        return t(f"tier.{value}", self.lang) if f"tier.{value}" in TEXT else None

    def _for_readers(self, df: "pd.DataFrame", labels: dict[str, str]) -> "pd.DataFrame":
        """The table as a reader sees it: tier names, indicator labels, yes/no, sources as [n].

        The notebook keeps showing the ids (what an analyst filters on); only the report changes."""
        import pandas as pd

        yes, no = YES_NO[self.lang]
        out = df.copy()
        for c in out.columns:
            col = out[c]
            if c == "tier":
                out[c] = col.map(lambda v: self._tier_name(v) or v)
            elif c == "indicator":
                out[c] = col.map(lambda v: labels.get(v, v))
            elif c == "municipality_type":
                out[c] = col.map(lambda v: t(f"mtype.{v}", self.lang) if f"mtype.{v}" in TEXT else v)
            elif c == "prefecture" and self.lang == "en":
                from helpers.loaders.entity import prefectures

                names = dict(zip(prefectures()["name_ja"], prefectures()["name_en"]))
                out[c] = col.map(lambda v: names.get(v, v))
            elif pd.api.types.is_bool_dtype(col):
                out[c] = col.map({True: yes, False: no})
            elif c == "source":
                known = set(data.load_sources()["key"])
                out[c] = col.map(lambda k: f"[{self._source_number(k)}]" if k in known else k)
        return out

    def _headers(self, columns: Iterable, labels: dict[str, str]) -> dict:
        """Column ids → headers in the report's language: the i18n column names, tier names (tiers
        pivoted into columns), catalog labels, dashboard row labels; else the id itself."""
        dash = {v: k if self.lang == "ja" else v.replace("_", " ") for k, v in INDICATORS.items()}
        lookups = (lambda c: column_label(str(c), self.lang), self._tier_name, labels.get, dash.get)
        return {c: next((x for x in (look(c) for look in lookups) if x is not None), c) for c in columns}

    def export_lines(self) -> list[str]:
        """Which dashboard export the report was built from and its date (every report says so), and
        the export's rows the layout does not know (kept unmapped, not analysed)."""
        from helpers.loaders import dashboard_export
        from helpers.words import export as export_words

        if self.params.dashboard_dir is None:
            return []
        info = dashboard_export.current()
        lines = [t("export.line", self.lang, update=export_words.update_phrase(self.lang, info),
                   how=t(f"dash.how.{info.how}", self.lang))]
        if self.theme in DASHBOARD_THEMES:
            from helpers.loaders import entity

            rows = list(dict.fromkeys(row for frame in entity.load_export(self.params.dashboard_dir).values()
                                      for row in frame.attrs.get("unmapped", [])))
            if rows:
                lines.append(t("export.unmapped", self.lang,
                               rows=("、" if self.lang == "ja" else ", ").join(f"「{r}」" for r in rows)))
        return lines

    def write(self) -> Path:
        """Write report.md (+ HTML, tables) from the parts in reading order; the same parts give the
        same bytes however often and in whatever order the cells were re-run."""
        r = self.report
        sep = "、" if self.lang == "ja" else "; "
        blocks_before = list(r.blocks)
        r.blocks, r.tables = [], []
        cat = data.load_catalog()
        labels = dict(zip(cat["id"], cat[f"label_{self.lang}"]))
        for line in self.export_lines():
            r.paragraph(line)
        r.heading(t("report.findings", self.lang)).bullets(self.findings)
        for kind, payload in self.body:
            if kind == "heading":
                r.heading(str(payload))
            elif kind == "paragraph":
                r.paragraph(str(payload))
            elif kind == "bullets":
                r.bullets(payload)
            elif kind == "figure":
                path, caption = payload
                r.figure(path, caption, relative_to=self.out_dir)
            elif kind == "table":
                df, caption, fmt = payload
                r.table(self._for_readers(df, labels), caption=caption, headers=self._headers(df.columns, labels), **fmt)
        caveats = self.caveats
        if caveats:
            r.heading(t("report.caveats", self.lang)).bullets(caveats)
        # after the tables: a source first numbered by a table's source column counts too
        forms = set(data.load_sources().set_index("key").loc[[x.key for x in r.sources], "form"]) if r.sources else set()
        kinds = [t(f"report.data.{f}", self.lang) for f in ("document", "data") if f in forms] or [t("report.data.document", self.lang)]
        dates = self.dates
        r.meta = t("report.meta", self.lang, dates=sep.join(sorted(dates, key=dates.get)), data=sep.join(kinds))
        if any(flag for _, flag in dates.values()):
            # an assumed date reads 「令和5年度調査※」 everywhere; what the mark means is said once, here
            r.meta += ("　" if self.lang == "ja" else " ") + t("date.assumed_note", self.lang)
        r.blocks = blocks_before + r.blocks
        path = r.write(self.out_dir / "report.md")
        r.blocks = blocks_before
        return path
