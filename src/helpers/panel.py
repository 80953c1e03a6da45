"""One tidy municipal panel: the dashboard's figures joined to the municipal master by code.

Rows are municipality × indicator; every row carries the 全国地方公共団体コード (6 and 5 digits),
the type, the 2020 population and its size class, the value and a status saying why a value is
missing (not surveyed, blank, no procedure to take a share of) — missing is never 0. Dashboard
columns are matched to codes by position and checked by name and prefecture
(``helpers.municipalities.map_dashboard_columns``), so a shifted file stops here.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import pandas as pd

from helpers import batch_cache
from helpers.atomic import write_bytes_atomic, write_text_atomic
from helpers.dashboard_labels import COMPARISON_IDS, UNMAPPED_PREFIX, municipal_procedures, units
from helpers.entity import DashboardError, find_dashboard_files, load_dashboard, load_online_rates
from helpers.municipalities import load_master, map_dashboard_columns, master_path
from helpers.paths import data_dir

# ------------------------------------------------------------------------------ size classes

#: Band floors: 5万 is what a 市 needs (地方自治法 8条), 20万 a 中核市; 5千, 1万, 10万 split the rest.
SIZE_BANDS: tuple[tuple[int, str], ...] = (
    (200_000, "200k_plus"), (100_000, "100k_200k"), (50_000, "50k_100k"),
    (10_000, "10k_50k"), (5_000, "5k_10k"), (0, "lt5k"),
)
#: Size classes from largest to smallest; ``unknown`` where the census has no population.
SIZE_CLASSES = ("designated", "200k_plus", "100k_200k", "50k_100k", "10k_50k", "5k_10k", "lt5k", "unknown")
SIZE_CLASS_LABELS: dict[str, dict[str, str]] = {  # to move to helpers.i18n
    "ja": {"designated": "政令指定都市", "200k_plus": "20万人以上", "100k_200k": "10万～20万人未満",
           "50k_100k": "5万～10万人未満", "10k_50k": "1万～5万人未満", "5k_10k": "5千～1万人未満",
           "lt5k": "5千人未満", "unknown": "人口不明"},
    "en": {"designated": "designated cities", "200k_plus": "200,000 or more", "100k_200k": "100,000–199,999",
           "50k_100k": "50,000–99,999", "10k_50k": "10,000–49,999", "5k_10k": "5,000–9,999",
           "lt5k": "under 5,000", "unknown": "population unknown"},
}


def size_class(population: float | int | None, type_: str | None = None) -> str:
    """Designated cities apart (they also do prefectural work, so size alone misleads), else the band."""
    if type_ == "designated_city":
        return "designated"
    if population is None or population is pd.NA or (isinstance(population, float) and math.isnan(population)):
        return "unknown"
    for lower, label in SIZE_BANDS:
        if population >= lower:
            return label
    raise ValueError(f"negative population {population!r}")


# ------------------------------------------------------------------------------ indicators

#: Procedures of the 申請率 file by group, in published order (from data/reference/dashboard_layout.csv);
#: position n gives the indicator id ``online_rate_<group>_<nn>``. A procedure the layout does not know
#: is kept as ``unmapped:<name>``, never re-numbered.
RATE_PROCEDURES: dict[str, tuple[str, ...]] = municipal_procedures()
COUNTS = ("online32_offered", "online32_online")
#: Why a value is (or is not) there.
STATUSES: dict[str, str] = {
    "implemented": "実施 (value 1)",
    "not_implemented": "未実施 (value 0)",
    "reported": "a number was published",
    "not_surveyed": "調査無し: the municipality was not surveyed (value missing)",
    "not_reported": "blank cell: no figure reported (for application rates the file does not say whether the procedure is not offered online or there is no data; never 0%)",
    "not_applicable": "a share with no procedure offered (the export shows a bare %)",
    "not_in_export": "the export has no such row (a later release dropped or renamed it; value missing)",
}
PANEL_COLUMNS = ["code6", "code5", "pref_code", "pref_name", "name", "type", "population_2020", "population_note",
                 "size_class", "indicator", "value", "status", "unit"]
MUNICIPALITY_COLUMNS = PANEL_COLUMNS[:9]


def rate_id(group: str, position: int) -> str:
    return f"online_rate_{group}_{position:02d}"


def indicator_table() -> pd.DataFrame:
    """Every panel indicator: id, Japanese label as in the export, unit and source file kind."""
    known = units()
    rows = [(ind, label, known[ind], "比較") for ind, label in COMPARISON_IDS.items()]
    rows += [(rate_id(g, i), f"{name}（{g}）", "percent", "申請率")
             for g, names in RATE_PROCEDURES.items() for i, name in enumerate(names, start=1)]
    return pd.DataFrame(rows, columns=["indicator", "label_ja", "unit", "file"])


def _status(raw: pd.Series) -> pd.Series:
    """Why each value is what it is, from the cell text (so missing never reads as 0)."""
    status = pd.Series("reported", index=raw.index, dtype="string")
    status[raw == "実施"] = "implemented"
    status[raw == "未実施"] = "not_implemented"
    status[raw == "調査無し"] = "not_surveyed"
    status[raw == ""] = "not_reported"
    status[raw.isin(["%", "％"])] = "not_applicable"
    return status


def _block(frame: pd.DataFrame) -> int:
    """Entities per indicator: a tidy dashboard frame repeats the entity columns once per row."""
    first = (frame["pref_code"] == frame["pref_code"].iloc[0]) & (frame["entity_seq"] == frame["entity_seq"].iloc[0])
    return len(frame) // int(first.sum())


def _codes(frame: pd.DataFrame, path: Path, master: pd.DataFrame) -> pd.Series:
    """code5 of each row of a tidy dashboard frame, via its column position, name and prefecture."""
    n = _block(frame)
    first = frame.iloc[:n]
    mapped = map_dashboard_columns(first["entity"].tolist(), first["pref_code"].tolist(), master=master, source=path)
    return pd.Series(list(mapped["code5"]) * (len(frame) // n), index=frame.index, dtype="string")


def _rates(path: Path, master: pd.DataFrame) -> pd.DataFrame:
    """The 申請率 file with indicator ids from the layout (a procedure it does not know stays unmapped)."""
    rates = load_online_rates(path)
    rates["code5"] = _codes(rates, path, master)
    rates["indicator"] = rates["procedure_id"]
    return rates.rename(columns={"rate": "value"})


def load_panel(dashboard_dir: str | Path | None = None) -> pd.DataFrame:
    """The long panel (PANEL_COLUMNS): municipal 比較 indicators, then procedure rates if the
    folder has the 申請率 file; rows in code order, indicators in published order. In a batch run
    the runner has built it once already (:mod:`helpers.batch_cache`)."""
    folder = _folder(dashboard_dir)
    return batch_cache.cached("panel", lambda: panel_key(folder), lambda: _build_panel(folder))


def _folder(dashboard_dir: str | Path | None) -> Path:
    return Path(dashboard_dir) if dashboard_dir else data_dir() / "external" / "dashboard"


def panel_key(dashboard_dir: str | Path | None = None) -> tuple:
    """The panel's inputs (dashboard files and municipal master) as a cache key."""
    folder = _folder(dashboard_dir)
    return batch_cache.files_key(*find_dashboard_files(folder).values(), master_path())


def build_cache(folder: str | Path, dashboard_dir: str | Path | None = None) -> Path:
    """Build the panel into the batch cache ``folder`` (done once by the runner)."""
    return batch_cache.store(folder, "panel", panel_key(dashboard_dir), _build_panel(_folder(dashboard_dir)))


def _build_panel(folder: Path) -> pd.DataFrame:
    files = find_dashboard_files(folder)
    if "municipal_comparison" not in files:
        raise DashboardError(f"{folder}: no municipal 比較 file (市区町村 … 比較)")
    master = load_master()
    cmp_path = files["municipal_comparison"]
    cmp = load_dashboard(cmp_path)
    cmp["code5"] = _codes(cmp, cmp_path, master)
    parts = [cmp]
    if "municipal_rates" in files:
        parts.append(_rates(files["municipal_rates"], master))
    missing = [i for i in COMPARISON_IDS if i not in set(cmp["indicator"])]
    if missing:  # a known row this export lacks: kept as missing values that say why, so every column exists
        codes = cmp["code5"].drop_duplicates()
        parts.append(pd.DataFrame({"code5": list(codes) * len(missing), "indicator": [i for i in missing for _ in codes],
                                   "value": float("nan"), "raw": None}))
    long = pd.concat([p[["code5", "indicator", "value", "raw"]] for p in parts], ignore_index=True)
    long["status"] = _status(long["raw"].fillna(""))
    long.loc[long["raw"].isna(), "status"] = "not_in_export"
    known = {**units(), **cmp.attrs.get("units", {})}
    long["unit"] = long["indicator"].map(lambda i: known.get(i, "percent" if i.startswith(UNMAPPED_PREFIX) else None)
                                         ).astype("string")
    order = {ind: i for i, ind in enumerate(dict.fromkeys(long["indicator"]))}
    muni = master.copy()
    muni["size_class"] = pd.array([size_class(p, t) for p, t in zip(muni["population_2020"], muni["type"])],
                                  dtype="string")
    out = muni[MUNICIPALITY_COLUMNS].merge(long, on="code5", how="right", validate="one_to_many")
    out["_ind"] = out["indicator"].map(order)
    out = out.sort_values(["code5", "_ind"], kind="stable").reset_index(drop=True)
    out["indicator"] = out["indicator"].astype("string")
    out["value"] = out["value"].astype("float64")
    return out[PANEL_COLUMNS]


def wide_panel(long: pd.DataFrame) -> pd.DataFrame:
    """One row per municipality (master columns), one float column per indicator in panel order."""
    indicators = list(dict.fromkeys(long["indicator"]))
    values = long.pivot(index="code5", columns="indicator", values="value")[indicators]
    muni = long.drop_duplicates("code5")[MUNICIPALITY_COLUMNS].set_index("code5")
    wide = muni.join(values).reset_index()
    wide.columns.name = None
    return wide[MUNICIPALITY_COLUMNS + indicators]


# ------------------------------------------------------------------------------ export

#: The credit lines the sources' licences ask for (as in data/external/MANIFEST.csv).
CREDITS = ("出典：デジタル庁「自治体DXの取組に関するダッシュボード」（2024年7月12日データ更新）",
           "出典：総務省統計局 令和2年国勢調査 人口速報集計", "出典：総務省「地方公共団体の主要財政指標一覧」")
COLUMN_DOCS: dict[str, tuple[str, str, str]] = {  # column → (meaning, unit, source)
    "code6": ("全国地方公共団体コード with check digit", "code", "computed from code5 (JIS X 0402 check digit)"),
    "code5": ("全国地方公共団体コード without check digit; the join key", "code", "e-Stat table 0003433219 area code"),
    "pref_code": ("prefecture code (first two digits of code5)", "code", "e-Stat table 0003433219"),
    "pref_name": ("prefecture name", "text", "e-Stat table 0003433219"),
    "name": ("municipality name", "text", "e-Stat table 0003433219 (same as the dashboard header)"),
    "type": ("designated_city, core_city, special_ward, city, town or village", "category",
             "e-Stat area levels; 中核市 from data/reference/core_cities.csv (総務省, 2023-04-01)"),
    "population_2020": ("2020 census population (preliminary count, 2020-10-01); empty where the census has none",
                        "persons", "総務省統計局 令和2年国勢調査 人口速報集計 (e-Stat 0003433219)"),
    "population_note": ("the census note where the population is missing", "text", "e-Stat NOTE"),
    "size_class": ("designated, or the 2020 population band: 200k_plus, 100k_200k, 50k_100k, 10k_50k, 5k_10k, "
                   "lt5k; unknown without population", "category", "computed (helpers.panel.size_class)"),
    "indicator": ("indicator id (see the table below)", "id", "デジタル庁 dashboard row labels"),
    "value": ("the figure: 1/0 for 実施/未実施, 0–100 for percent, a count for procedures; empty when missing",
              "see unit", "デジタル庁「自治体DXの取組に関するダッシュボード」 (2024-07-12, FY2023 surveys by 総務省)"),
    "status": ("why the value is what it is (see the table below)", "category", "computed from the cell text"),
    "unit": ("binary (1 = 実施), percent (0–100) or procedures (a count)", "text", "helpers.panel.indicator_table"),
}


#: Finance columns of the wide export (helpers.finance): unit; their meaning is worded in helpers.texts
#: (``panel.fin.<column>``); source 総務省「主要財政指標一覧」.
FINANCE_UNITS: dict[str, str] = {
    "finance_fiscal_year": "year", "fiscal_capacity": "ratio", "current_balance_ratio": "percent",
    "real_debt_service_ratio": "percent", "future_burden_ratio": "percent", "laspeyres": "index",
    "fiscal_capacity_basis": "category", "future_burden_status": "category",
}


def with_finance(wide: pd.DataFrame) -> pd.DataFrame:
    """The wide panel with the finance columns (:func:`helpers.finance.city_finance_wide`): the latest
    settlement unsuffixed, the earlier ones suffixed ``_r1``, ``_r2`` for sensitivity."""
    from helpers import finance

    return wide.merge(finance.city_finance_wide(), on="code5", how="left", validate="one_to_one")


def with_finance_long(long: pd.DataFrame) -> pd.DataFrame:
    """The long panel with the municipality's finance columns (:func:`helpers.finance.city_finance_wide`)
    on each of its rows, in the panel's row order: the exported parquet carries the same finance
    data as the wide CSV (columnar storage keeps the repeats cheap)."""
    from helpers import finance

    fin = finance.city_finance_wide().set_index("code5")
    extra = fin.reindex(long["code5"].astype(str).to_numpy()).reset_index(drop=True)
    extra.index = long.index
    return pd.concat([long, extra], axis=1)


def _finance_dictionary(lang: str) -> list[str]:
    """The finance part of the data dictionary, in the report's language."""
    from helpers import finance
    from helpers.i18n import t

    fy, era = finance.YEARS[finance.LATEST][0], finance.YEARS[finance.LATEST][1]
    lines = ["", t("panel.fin.h", lang), "", t("panel.fin.intro", lang, era=era, fy=fy),
             "", t("panel.dict.h.finance_row", lang), "|---|---|---|"]
    from helpers.texts.export import settlement_phrase

    latest = settlement_phrase(lang)  # 「令和5年度調査の前で最新」: against the export's survey year
    lines += [f"| {c} | {t(f'panel.fin.{c}', lang, latest=latest)} | {u} |" for c, u in FINANCE_UNITS.items()]
    lines += ["", f"| fiscal_capacity_basis | {t('panel.dict.meaning', lang)} |", "|---|---|"]
    lines += [f"| {k} | {t(f'panel.fin.basis.{k}', lang)} |" for k in finance.FISCAL_CAPACITY_BASES]
    lines += ["", f"| future_burden_status | {t('panel.dict.meaning', lang)} |", "|---|---|"]
    lines += [f"| {k} | {t(f'panel.fin.status.{k}', lang)} |" for k in finance.FUTURE_BURDEN_STATUSES]
    return lines


def _credits() -> list[str]:
    from helpers.dashboard_export import redate

    return [redate(c) for c in CREDITS]


def dictionary_markdown(long: pd.DataFrame, lang: str = "en") -> str:
    """The data dictionary of an exported panel in ``lang`` (one language per report folder):
    columns, statuses, size classes, indicators."""
    from helpers.dashboard_export import redate
    from helpers.i18n import t

    lines = [t("panel.dict.title", lang), "",
             t("panel.dict.intro", lang, n=f"{long['code5'].nunique():,}", k=long["indicator"].nunique(),
               rows=f"{len(long):,}"),
             "", t("panel.dict.credits", lang, items=("、" if lang == "ja" else "; ").join(_credits())),
             "", t("panel.dict.h.columns", lang), "", t("panel.dict.h.columns_row", lang), "|---|---|---|---|"]
    lines += [f"| {c} | {t(f'panel.col.{c}', lang)} | {u} | {redate(t(f'panel.src.{c}', lang))} |" for c, (_m, u, _s) in COLUMN_DOCS.items()]
    lines += ["", "## status", "", t("panel.dict.h.status_row", lang), "|---|---|"]
    lines += [f"| {k} | {t(f'panel.status.{k}', lang)} |" for k in STATUSES]
    lines += ["", "## size_class", "", f"| size_class | {'区分' if lang == 'ja' else 'label'} |", "|---|---|"]
    lines += [f"| {k} | {SIZE_CLASS_LABELS[lang][k]} |" for k in SIZE_CLASSES]
    present = set(long["indicator"])
    table = indicator_table()
    lines += ["", t("panel.dict.h.indicators", lang), "", t("panel.dict.h.indicators_row", lang), "|---|---|---|---|"]
    lines += [f"| {r.indicator} | {r.label_ja} | {r.unit} | {r.file} |"
              for r in table.itertuples(index=False) if r.indicator in present]
    units_of = long.drop_duplicates("indicator").set_index("indicator")["unit"]
    lines += [f"| {i} | {t('panel.dict.unmapped', lang, label=i.removeprefix(UNMAPPED_PREFIX))} | {units_of[i]} | |"
              for i in present if str(i).startswith(UNMAPPED_PREFIX)]
    gone = sorted(set(long.loc[long["status"] == "not_in_export", "indicator"]))
    if gone:
        lines += ["", t("panel.dict.not_in_export", lang, items=", ".join(gone))]
    lines += _finance_dictionary(lang)
    return "\n".join(lines) + "\n"


def export_panel(out_dir: str | Path, long: pd.DataFrame | None = None,
                 dashboard_dir: str | Path | None = None, *, lang: str) -> dict[str, Path]:
    """Write the panel two ways plus its dictionary: ``municipal_panel.parquet`` is the tidy long panel
    (one row per municipality × indicator, typed, with status, then the municipality's finance
    columns); ``municipal_panel.csv`` the wide view
    (one row per municipality, one column per indicator, then the finance columns; UTF-8 with BOM for Excel) — the long panel as
    CSV would be ~12 MB of repeated municipality columns. ``lang`` (no default) is the language of
    the report folder the dictionary goes into: one language per folder."""
    out = Path(out_dir)
    long = load_panel(dashboard_dir) if long is None else long
    from helpers.table_files import safe_frame

    text = safe_frame(with_finance(wide_panel(long))).to_csv(index=False, lineterminator="\n")  # no label read as a formula
    paths = {"csv": out / "municipal_panel.csv", "parquet": out / "municipal_panel.parquet",
             "dictionary": out / "municipal_panel_dictionary.md"}
    write_bytes_atomic(paths["csv"], text.encode("utf-8-sig"))
    buf = io.BytesIO()
    with_finance_long(long).to_parquet(buf, index=False, engine="pyarrow")
    write_bytes_atomic(paths["parquet"], buf.getvalue())
    write_text_atomic(paths["dictionary"], dictionary_markdown(long, lang))
    return paths
