"""Loaders, schemas and the consistency audit for the project's national dataset (data/).

Every row in ``data/national/*.csv`` was transcribed from a source document and carries
``source`` (a key of ``data/sources.csv``), ``section`` (where in that document) and
``stated_as`` (the short fragment of the document that holds the numbers). The loaders
validate the files with pandera so a typo in a transcription fails loudly, and
:func:`audit` lists the rows whose published figures do not agree with each other.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from helpers.paths import data_dir
from helpers.vocabulary import TIERS

THEMES = ["staffing", "online", "security", "uptake", "other"]
UNITS = ["organisations", "persons", "cases", "percent"]
GROUPS = ["a", "child", "care", "disaster"]
STATUSES = ["current", "derived", "superseded"]

#: Survey population per tier (the base a survey-wide percent normally uses).
POPULATION = {"prefecture": 47, "municipality": 1741, "designated_city": 20}
#: Bases other than the population that some publications use: tier → [(base, survey year or
#: None for any, reason key in ``helpers.words.audit``)]. Used only to explain audit flags, never
#: to change a figure.
ALTERNATIVE_BASES = {
    "municipality": [
        (1733, 2023, "respondents_fy2023"),
        (1721, None, "excluding_designated"),
    ],
}
#: Tolerance for "the same percent": half a unit of the last published digit, at least 0.05 pp.
MIN_TOLERANCE_PP = 0.05

PROVENANCE = ["source", "section", "stated_as", "note"]
#: Sources whose copy we hold is a later, corrected edition of the document first published on the
#: ``published`` date (its figures differ from the first release; the ministry lists corrections of
#: it in ``national/revisions.csv``): citations say so.
CORRECTED_EDITIONS = {"soumu_dx_overview_fy2021"}


class DataError(ValueError):
    """A data file is missing, malformed or fails its schema."""


def _read(name: str, folder: Path | None = None) -> pd.DataFrame:
    """The CSV as text cells, refusing a file cut short: every row must have as many cells as the
    header and the file must end with a line break (a file cut mid-row has neither)."""
    import csv
    import io

    path = (folder or data_dir()) / name
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 (byte {exc.start}); save it as UTF-8") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror})") from None
    if not text.strip():
        raise DataError(f"{path}: the file is empty")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    header = rows[0]
    for no, row in enumerate(rows[1:], 2):
        if row and len(row) != len(header):
            raise DataError(f"{path}: row {no} has {len(row)} cells where the header has {len(header)} "
                            "(file cut short, or a comma inside an unquoted value)")
    if not text.endswith("\n"):
        raise DataError(f"{path}: the last row has no line break — the file looks cut short")
    return pd.DataFrame([r for r in rows[1:] if r], columns=header, dtype=str)


def _numeric(df: pd.DataFrame, col: str, name: str, kind: str = "float") -> pd.Series:
    """A text column as numbers; a cell that is not a number (e.g. '70.1%') names file, row and column."""
    import numpy as np

    s = df[col].replace("", None)
    num = pd.to_numeric(s, errors="coerce")
    bad = s.notna() & num.isna()
    if bad.any():
        i = bad.idxmax()
        raise DataError(f"{name}: row {i + 2}, column {col}: {df.at[i, col]!r} is not a number")
    inf = num.notna() & ~np.isfinite(num.astype(float))  # "inf", "1e400": a number no count or share can be
    if inf.any():
        i = inf.idxmax()
        raise DataError(f"{name}: row {i + 2}, column {col}: {df.at[i, col]!r} is not a finite number")
    if kind == "int":
        big = num.notna() & (num.abs() >= 2 ** 63)
        if big.any():
            i = big.idxmax()
            raise DataError(f"{name}: row {i + 2}, column {col}: {df.at[i, col]!r} is too large for a count")
    if kind == "int":
        frac = num.notna() & (num != num.round())
        if frac.any():
            i = frac.idxmax()
            raise DataError(f"{name}: row {i + 2}, column {col}: {df.at[i, col]!r} is not a whole number")
        return num.astype("Int64")
    return num.astype("Float64")


def _known_ids(values: pd.Series, known: frozenset[str], name: str, col: str) -> None:
    """Every id is in the catalog; an unknown one is named with its row and the closest known id."""
    import difflib

    unknown = values[~values.isin(known)]
    if len(unknown):
        i, v = unknown.index[0], unknown.iloc[0]
        close = difflib.get_close_matches(v, sorted(known), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise DataError(f"{name}: row {i + 2}, column {col}: unknown id {v!r}{hint}")


def _decimals(text: pd.Series) -> pd.Series:
    """Number of decimals as published ("78.7" → 1, "100" → 0); <NA> where empty."""
    has = text.str.len() > 0
    dec = text.str.split(".").str[1].str.len().fillna(0)
    return dec.where(has).astype("Int64")


def _to_int(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s.replace("", None)).astype("Int64")


def _text(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    for c in cols:
        df[c] = df[c].astype("string")
    return df


def _check_columns(df: pd.DataFrame, required: list[str], name: str) -> None:
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataError(f"{name}: missing column(s) {', '.join(missing)}")


def _file_row(index) -> str:
    """'row 3' for the frame's index 1: the file's row number (the header is row 1)."""
    try:
        return f"row {int(index) + 2}"
    except (TypeError, ValueError):
        return "whole file"


def _validate(df: pd.DataFrame, schema, name: str) -> pd.DataFrame:
    import pandera.errors

    try:
        return schema.validate(df, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        shown = "; ".join(
            f"{c['check']} failed for {c['column'] or 'row'}={c['failure_case']!r} ({_file_row(c['index'])})"
            for c in cases.head(3).to_dict("records")
        )
        raise DataError(f"{name}: {len(cases)} schema violation(s): {shown}") from None


def _unique(df: pd.DataFrame, keys: list[str], values: list[str], name: str) -> None:
    """One row per key (the key includes ``source``): a repeated row would be counted twice by any
    sum, and two rows of one source giving one figure two values are a transcription error. Both
    are refused, naming the two rows (file rows, header = row 1) and the values."""
    dup = df[df.duplicated(keys, keep=False)]
    if dup.empty:
        return
    first_key = tuple(dup.iloc[0][keys])
    pair = dup[dup[keys].apply(tuple, axis=1) == first_key].index[:2]
    i, j = int(pair[0]), int(pair[1])
    key_text = ", ".join(f"{k}={df.at[i, k]}" for k in keys)

    def shown(r: int) -> str:
        return " / ".join("—" if pd.isna(df.at[r, c]) else str(df.at[r, c]) for c in values)

    if shown(i) != shown(j):
        raise DataError(f"{name}: rows {i + 2} and {j + 2} ({key_text}): same source, different value "
                        f"({shown(i)} vs {shown(j)}) — a transcription error; correct one from the source")
    raise DataError(f"{name}: rows {i + 2} and {j + 2} repeat the same figure ({key_text}); a sum would count it "
                    "twice — keep one")


def _percent_checks():
    import pandera.pandas as pa

    return [pa.Check.in_range(0, 100)]


@lru_cache(maxsize=None)
def _catalog_ids(folder: Path) -> frozenset[str]:
    return frozenset(_read("catalog.csv", folder)["id"])


@lru_cache(maxsize=None)
def _source_keys(folder: Path) -> frozenset[str]:
    return frozenset(_read("sources.csv", folder)["key"])


def _tier_frame_schema(id_col: str, ids: frozenset[str], sources: frozenset[str]):
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            id_col: pa.Column("string", pa.Check.isin(sorted(ids)), nullable=False),
            "tier": pa.Column("string", pa.Check.isin(TIERS)),
            "as_of": pa.Column("datetime64[ns]", nullable=False),
            "count": pa.Column("Int64", pa.Check.ge(0), nullable=True),
            "base": pa.Column("Int64", pa.Check.gt(0), nullable=True),
            "percent": pa.Column("Float64", _percent_checks(), nullable=True),
            "unit": pa.Column("string", pa.Check.isin(UNITS)),
            "source": pa.Column("string", pa.Check.isin(sorted(sources))),
            "section": pa.Column("string", pa.Check.str_length(min_value=1)),
            "stated_as": pa.Column("string", pa.Check.str_length(min_value=1)),
        },
        checks=[
            pa.Check(lambda d: d["count"].isna() | d["base"].isna() | (d["count"] <= d["base"]),
                     error="count <= base"),
            pa.Check(lambda d: d["count"].notna() | d["percent"].notna(), error="count or percent given"),
        ],
    )


def _load_tier_frame(name: str, id_col: str, folder: Path | None, extra_text: list[str]) -> pd.DataFrame:
    folder = folder or data_dir()
    raw = _read(name, folder)
    _check_columns(raw, [id_col, "tier", "as_of", "count", "base", "percent", "unit", *PROVENANCE], name)
    cat = _read("catalog.csv", folder)
    kind = "indicator" if id_col == "indicator" else "breakdown"
    _known_ids(raw[id_col], frozenset(cat.loc[cat["kind"] == kind, "id"]), name, id_col)
    df = raw.copy()
    df["percent_decimals"] = _decimals(raw["percent"])
    df["count"] = _numeric(df, "count", name, "int")
    df["base"] = _numeric(df, "base", name, "int")
    df["percent"] = _numeric(df, "percent", name)
    df["as_of"] = pd.to_datetime(df["as_of"], format="%Y-%m-%d", errors="coerce").astype("datetime64[ns]")
    if df["as_of"].isna().any():
        i = df.index[df["as_of"].isna()][0]
        raise DataError(f"{name}: row {i + 2}, column as_of: {raw.at[i, 'as_of']!r} is not an ISO date YYYY-MM-DD")
    df = _text(df, [id_col, "tier", "unit", *PROVENANCE, *extra_text])
    schema = _tier_frame_schema(id_col, _catalog_ids(folder), _source_keys(folder))
    df = _validate(df, schema, name)
    keys = [id_col, *(["category"] if "category" in df.columns else []), "tier", "as_of", "source"]
    _unique(df, keys, ["count", "base", "percent"], name)
    missing = sorted(set(cat.loc[cat["kind"] == kind, "id"]) - set(df[id_col]))
    if missing:
        raise DataError(f"{name}: {len(missing)} catalog id(s) have no row (file cut short?): "
                        f"{', '.join(missing[:5])}{' …' if len(missing) > 5 else ''}")
    return df


def load_indicators(folder: Path | None = None, *, include_superseded: bool = False) -> pd.DataFrame:
    """One row per (indicator, tier, as_of, source): organisation counts, bases and published percents.

    ``series`` names the definition/method version a row belongs to: values are comparable only
    within one series (see ``data/series_breaks.csv``). ``as_of_assumed`` marks reference dates the
    source does not state. ``status`` is current, derived (computed from two published figures,
    arithmetic in the note) or superseded (a first-release figure later corrected — see
    ``national/revisions.csv``); superseded rows are left out unless asked for, so they can never
    be read as current."""
    name = "national/indicators.csv"
    df = _load_tier_frame(name, "indicator", folder, ["theme", "series", "status"])
    bad = sorted(set(df["theme"]) - set(THEMES))
    if bad:
        raise DataError(f"{name}: unknown theme(s) {bad}")
    _check_columns(df, ["series", "as_of_assumed", "status"], name)
    if (df["series"].str.len() == 0).any():
        raise DataError(f"{name}: every row needs a series (row {int(df.index[df['series'].str.len() == 0][0]) + 2})")
    flags = df["as_of_assumed"].str.lower()
    if not flags.isin(["true", "false"]).all():
        raise DataError(f"{name}: as_of_assumed must be true or false, got {sorted(set(flags) - {'true', 'false'})[:3]}")
    df["as_of_assumed"] = flags.eq("true")
    bad = sorted(set(df["status"]) - set(STATUSES))
    if bad:
        raise DataError(f"{name}: status must be one of {', '.join(STATUSES)}, got {bad}")
    return df if include_superseded else df[df["status"] != "superseded"].reset_index(drop=True)


def load_breakdowns(folder: Path | None = None) -> pd.DataFrame:
    """Categorical distributions (e.g. the CIO's position) in long form."""
    df = _load_tier_frame("national/breakdowns.csv", "breakdown", folder, ["category", "category_en"])
    df["order"] = _to_int(df["order"])
    return df


def load_online_procedures(folder: Path | None = None) -> pd.DataFrame:
    """Per-procedure annual cases and online rates (FY2019/FY2020 58-procedure tables, top-3 of FY2017/18)."""
    import pandera.pandas as pa

    folder = folder or data_dir()
    name = "national/online_procedures.csv"
    raw = _read(name, folder)
    _check_columns(raw, ["fiscal_year", "procedure_set", "series", "group", "procedure_no", "procedure",
                         "procedure_en", "annual_cases", "online_rate", *PROVENANCE], name)
    df = raw.copy()
    df["fiscal_year"] = _numeric(df, "fiscal_year", name, "int")
    df["annual_cases"] = _numeric(df, "annual_cases", name, "int")
    df["online_rate"] = _numeric(df, "online_rate", name)
    df = _text(df, ["procedure_set", "series", "group", "procedure_no", "procedure", "procedure_en", *PROVENANCE])
    schema = pa.DataFrameSchema(
        {
            "fiscal_year": pa.Column("Int64", pa.Check.in_range(2000, 2100)),
            "group": pa.Column("string", pa.Check.isin(GROUPS)),
            "procedure_no": pa.Column("string", pa.Check.str_matches(r"^(a|child|care|disaster)\d{2}$")),
            "series": pa.Column("string", pa.Check.str_length(min_value=1)),
            "procedure_en": pa.Column("string", pa.Check.str_length(min_value=1)),
            "annual_cases": pa.Column("Int64", pa.Check.ge(0), nullable=True),
            "online_rate": pa.Column("Float64", _percent_checks(), nullable=True),
            "source": pa.Column("string", pa.Check.isin(sorted(_source_keys(folder)))),
        },
    )
    df = _validate(df, schema, name)
    _unique(df, ["fiscal_year", "procedure_set", "procedure_no", "source"], ["annual_cases", "online_rate"], name)
    return _mark_duplicates(df, folder, name)


DUPLICATES = "national/online_procedures_duplicates.csv"
_PROC_KEY = ["fiscal_year", "procedure_set", "procedure_no"]


def _mark_duplicates(df: pd.DataFrame, folder: Path, name: str) -> pd.DataFrame:
    """Add ``duplicate_of`` (the source of the row that is summed instead; empty for most rows) and
    ``summed`` from :data:`DUPLICATES`: a figure quoted by two sources stays as transcribed in both
    rows, and exactly one of them is summed. A procedure-year given twice and not listed there, or a
    listed pair whose figures differ, is refused: a sum would count it twice, or a choice would
    hide a published inconsistency."""
    df = df.copy()
    df["duplicate_of"] = pd.Series("", index=df.index, dtype="string")
    df["duplicate_reason"] = pd.Series("", index=df.index, dtype="string")
    path = folder / DUPLICATES
    marks = _read(DUPLICATES, folder) if path.is_file() else pd.DataFrame(
        columns=[*_PROC_KEY, "source", "duplicate_of", "reason"])
    _check_columns(marks, [*_PROC_KEY, "source", "duplicate_of", "reason"], DUPLICATES)
    key = df[_PROC_KEY].astype(str).agg("|".join, axis=1)
    for no, m in marks.iterrows():
        k = "|".join(str(m[c]) for c in _PROC_KEY)
        this = df.index[(key == k) & (df["source"] == m["source"])]
        kept = df.index[(key == k) & (df["source"] == m["duplicate_of"])]
        if len(this) != 1 or len(kept) != 1:
            raise DataError(f"{DUPLICATES}: row {no + 2}: no row of {name} for {k.replace('|', ' ')} from both "
                            f"{m['source']} and {m['duplicate_of']}")
        a, b = df.loc[this[0], ["annual_cases", "online_rate"]], df.loc[kept[0], ["annual_cases", "online_rate"]]
        if not all((pd.isna(x) and pd.isna(y)) or x == y for x, y in zip(a, b)):
            raise DataError(f"{DUPLICATES}: row {no + 2}: {m['source']} and {m['duplicate_of']} give different figures "
                            f"for {k.replace('|', ' ')}; that is a published inconsistency to record, not a duplicate")
        df.loc[this[0], "duplicate_of"] = m["duplicate_of"]
        df.loc[this[0], "duplicate_reason"] = m["reason"]
    df["summed"] = df["duplicate_of"] == ""
    summed = df[df["summed"]]
    twice = summed[summed.duplicated(_PROC_KEY, keep=False)]
    if len(twice):
        i, j = twice.index[:2]
        raise DataError(f"{name}: rows {i + 2} and {j + 2} give FY{df.at[i, 'fiscal_year']} procedure "
                        f"{df.at[i, 'procedure_no']} ({df.at[i, 'procedure_set']} set) from {df.at[i, 'source']} and "
                        f"{df.at[j, 'source']}; a sum would count it twice — list one in {DUPLICATES}")
    return df


def audit_online_duplicates(df: pd.DataFrame) -> pd.DataFrame:
    """Rows of online_procedures.csv kept for provenance but not summed (a figure two sources quote)."""
    cols = ["fiscal_year", "procedure_set", "procedure_no", "procedure", "procedure_en", "annual_cases", "online_rate", "source",
            "duplicate_of", "duplicate_reason"]
    return df.loc[~df["summed"], cols].reset_index(drop=True)


def load_online_totals(folder: Path | None = None) -> pd.DataFrame:
    """Overall annual cases and online rate per fiscal year and procedure set."""
    import pandera.pandas as pa

    folder = folder or data_dir()
    name = "national/online_totals.csv"
    raw = _read(name, folder)
    _check_columns(raw, ["fiscal_year", "procedure_set", "series", "total_cases", "online_cases", "online_rate",
                         *PROVENANCE], name)
    df = raw.copy()
    df["fiscal_year"] = _numeric(df, "fiscal_year", name, "int")
    df["total_cases"] = _numeric(df, "total_cases", name, "int")
    df["online_cases"] = _numeric(df, "online_cases", name, "int")
    df["online_rate"] = _numeric(df, "online_rate", name)
    df["online_rate_decimals"] = _decimals(raw["online_rate"])
    df = _text(df, ["procedure_set", "series", *PROVENANCE])
    schema = pa.DataFrameSchema(
        {
            "fiscal_year": pa.Column("Int64", pa.Check.in_range(2000, 2100)),
            "series": pa.Column("string", pa.Check.str_length(min_value=1)),
            "total_cases": pa.Column("Int64", pa.Check.ge(0), nullable=True),
            "online_cases": pa.Column("Int64", pa.Check.ge(0), nullable=True),
            "online_rate": pa.Column("Float64", _percent_checks(), nullable=True),
            "source": pa.Column("string", pa.Check.isin(sorted(_source_keys(folder)))),
        },
        checks=[pa.Check(lambda d: d["online_cases"].isna() | d["total_cases"].isna()
                         | (d["online_cases"] <= d["total_cases"]), error="online_cases <= total_cases")],
    )
    df = _validate(df, schema, name)
    _unique(df, ["fiscal_year", "procedure_set", "source"], ["total_cases", "online_cases", "online_rate"], name)
    return df


#: Scopes of the published rates that date the dashboard's AI/RPA items (``national/date_evidence.csv``).
EVIDENCE_SCOPES = ["designated_city", "other_municipality"]


def load_date_evidence(folder: Path | None = None) -> pd.DataFrame:
    """Published AI/RPA rates of a dated survey round, split as the ministry splits them (designated
    cities, other municipalities): the evidence the reports use to *infer* the dashboard's AI/RPA
    reference date, since no source states it. Whole percents as published."""
    folder = folder or data_dir()
    name = "national/date_evidence.csv"
    raw = _read(name, folder)
    _check_columns(raw, ["indicator", "scope", "as_of", "percent", *PROVENANCE], name)
    df = raw.copy()
    df["percent"] = _numeric(df, "percent", name)
    df["as_of"] = pd.to_datetime(df["as_of"], format="%Y-%m-%d", errors="coerce").astype("datetime64[ns]")
    for col, ok in (("scope", EVIDENCE_SCOPES), ("source", sorted(_source_keys(folder))),
                    ("indicator", sorted(_catalog_ids(folder)))):
        bad = df.index[~df[col].isin(ok)]
        if len(bad):
            raise DataError(f"{name}: row {bad[0] + 2}, column {col}: unknown value {df.at[bad[0], col]!r}")
    if df["as_of"].isna().any():
        i = df.index[df["as_of"].isna()][0]
        raise DataError(f"{name}: row {i + 2}, column as_of: {raw.at[i, 'as_of']!r} is not an ISO date YYYY-MM-DD")
    if df["percent"].isna().any() or not df["percent"].between(0, 100).all():
        i = df.index[df["percent"].isna() | ~df["percent"].between(0, 100)][0]
        raise DataError(f"{name}: row {i + 2}, column percent: {raw.at[i, 'percent']!r} must be a percent 0–100")
    if df.duplicated(["indicator", "scope", "as_of"]).any():
        i = df.index[df.duplicated(["indicator", "scope", "as_of"])][0]
        raise DataError(f"{name}: row {i + 2} repeats indicator, scope and as_of of an earlier row")
    return _text(df, ["indicator", "scope", *PROVENANCE])


def load_sources(folder: Path | None = None) -> pd.DataFrame:
    """The source registry: key, title, publisher, published, kind (official | secondary), url."""
    df = _read("sources.csv", folder)
    _check_columns(df, ["key", "title", "publisher", "published", "kind", "url"], "sources.csv")
    bad = sorted(set(df["kind"]) - {"official", "secondary"})
    if bad or df["key"].duplicated().any():
        raise DataError(f"sources.csv: kind must be official|secondary and keys unique (bad kinds: {bad})")
    return _text(df, list(df.columns))


def load_catalog(folder: Path | None = None) -> pd.DataFrame:
    """Indicator and breakdown ids with ja/en labels, theme, unit and a one-line definition."""
    df = _read("catalog.csv", folder)
    _check_columns(df, ["id", "kind", "label_ja", "label_en", "theme", "unit", "definition",
                        "definition_change"], "catalog.csv")
    if df["id"].duplicated().any():
        raise DataError(f"catalog.csv: duplicate id(s) {sorted(df.loc[df['id'].duplicated(), 'id'])}")
    bad = sorted(set(df["theme"]) - set(THEMES))
    if bad:
        raise DataError(f"catalog.csv: unknown theme(s) {bad}")
    return _text(df, list(df.columns))


def _tolerance(decimals: pd.Series) -> pd.Series:
    half_unit = 0.5 * 10.0 ** (-decimals.fillna(1).astype(float))
    return half_unit.clip(lower=MIN_TOLERANCE_PP) + 1e-9


def _alternative_base(row: pd.Series) -> tuple[int, str] | None:
    """(base, reason key) of a known other base that reproduces the published percent, if any."""
    tol = float(_tolerance(pd.Series([row.get("percent_decimals")], dtype="Int64")).iloc[0])
    for base, year, why in ALTERNATIVE_BASES.get(row["tier"], []):
        if year is not None and row["as_of"].year != year:
            continue
        if base != row["base"] and abs(100 * row["count"] / base - row["percent"]) <= tol:
            return base, why
    return None


def _count_is_a_base(row) -> tuple[int, str] | None:
    """(base, reason key) when the published count equals a known base of that tier and year (the
    count is then most likely the base, and the pair contradicts itself)."""
    year = pd.Timestamp(row["as_of"]).year
    for base, y, why in ALTERNATIVE_BASES.get(row["tier"], []):
        if (y is None or y == year) and int(row["count"]) == base:
            return base, why
    return None


def _disagree(grp: pd.DataFrame) -> bool:
    """Two rows disagree when both state a count, or both a percent, and those differ."""
    for col in ("count", "percent"):
        vals = grp[col].dropna()
        if vals.nunique() > 1:
            return True
    return False


def audit(df: pd.DataFrame) -> pd.DataFrame:
    """Rows whose published figures contradict each other, with the reason.

    Works on the indicators or breakdowns frame (count/base/percent columns). Checks:
    the published percent against count/base (tolerance: half a unit of the published
    precision, at least 0.05 pp), counts or bases above the survey population, and the same
    figure stated differently by two sources. Transcribed values are never changed. ``reason``
    is a code (worded in a report's language by :func:`helpers.words.citations.audit_explanation`).
    """
    id_col = "indicator" if "indicator" in df.columns else "breakdown"
    out = []
    has = df["count"].notna() & df["base"].notna() & df["percent"].notna()
    rec = 100 * df["count"].astype("Float64") / df["base"].astype("Float64")
    decimals = df["percent_decimals"] if "percent_decimals" in df.columns else pd.Series(1, index=df.index)
    off = has & ((rec - df["percent"]).abs() > _tolerance(decimals))
    for i in df.index[off.fillna(False)]:
        row = df.loc[i]
        alt = _alternative_base(row)
        as_base = _count_is_a_base(row)
        if as_base and not alt:
            # e.g. CISO FY2023 「1,733団体（93.5%）」: 1,733 is the number of respondents, 93.5 % of it ≈ 1,620
            out.append({**row.to_dict(), "recomputed_percent": round(float(rec[i]), 2), "check": "percent_vs_count_base",
                        "reason": "count_is_base", "alt_base": as_base[0], "alt_why": as_base[1]})
            continue
        out.append({**row.to_dict(), "recomputed_percent": round(float(rec[i]), 2), "check": "percent_vs_count_base",
                    "reason": "alt_base" if alt else "misprint", "alt_base": alt[0] if alt else pd.NA,
                    "alt_why": alt[1] if alt else ""})
    pop = df["tier"].map(POPULATION).astype("Int64")
    for col in ("count", "base"):
        over = (df["unit"] == "organisations") & df[col].notna() & pop.notna() & (df[col] > pop)
        for i in df.index[over.fillna(False)]:
            out.append({**df.loc[i].to_dict(), "recomputed_percent": pd.NA, "check": f"{col}_above_population",
                        "reason": f"{col}_above_population"})
    keys = [id_col, "tier", "as_of"] + (["category"] if id_col == "breakdown" else [])
    dup = df[df.duplicated(keys, keep=False)]
    for _, grp in dup.groupby(keys, dropna=False):
        if _disagree(grp):
            for i, row in grp.iterrows():
                others = ", ".join(f"{r.source}: {_value_text(r)}" for j, r in grp.iterrows() if j != i)
                same = (grp.drop(index=i)["source"] == row["source"]).any()  # one source, two values: not "another source"
                reason = "same_source_differs" if same else "sources_disagree"
                out.append({**row.to_dict(), "recomputed_percent": pd.NA, "check": reason,
                            "reason": reason, "others": others})
    cols = [id_col, *(["category"] if id_col == "breakdown" else []), "tier", "as_of", "count", "base",
            "percent", "recomputed_percent", "check", "reason", "alt_base", "alt_why", "others",
            "source", "section", "note"]
    result = pd.DataFrame(out, columns=cols)
    return result.sort_values([id_col, "tier", "as_of"], kind="stable").reset_index(drop=True)


def _value_text(r) -> str:
    """'1,270 (73.3%)' — a row's count and percent as published, for audit lines."""
    parts = [f"{int(r['count']):,}" if pd.notna(r["count"]) else "",
             f"({r['percent']:g}%)" if pd.notna(r["percent"]) else ""]
    return " ".join(p for p in parts if p)


def audit_online_totals(df: pd.DataFrame) -> pd.DataFrame:
    """Fiscal years whose published online rate differs from online_cases / total_cases."""
    has = df["total_cases"].notna() & df["online_cases"].notna() & df["online_rate"].notna()
    rec = 100 * df["online_cases"].astype("Float64") / df["total_cases"].astype("Float64")
    off = has & ((rec - df["online_rate"]).abs() > _tolerance(df["online_rate_decimals"]))
    res = df.loc[off.fillna(False), ["fiscal_year", "procedure_set", "total_cases", "online_cases",
                                      "online_rate", "source", "section"]].copy()
    res["recomputed_rate"] = rec[off.fillna(False)].round(2)
    return res.reset_index(drop=True)
