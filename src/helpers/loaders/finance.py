"""The 総務省「主要財政指標一覧」 workbooks (``data/external/finance/``), read and checked.

One workbook per settlement year (令和元〜3年度 = FY2019–FY2021) for the 1,741 municipalities and
one for the 47 prefectures, byte for byte as published. A workbook whose title, header, codes,
names or values are not what the ministry publishes is refused here with one line
(:class:`FinanceError`), so no analysis runs on a shifted or edited table.

Two reading rules from the ministry's notes are kept as columns, never folded into the values:

- ``fiscal_capacity_basis``: the 23 special wards' 財政力指数 is computed by 東京都 on another basis
  (特別区財政調整交付金), so it is flagged ``tokyo_special_ward`` and must not be pooled silently
  with the other municipalities' ``standard`` index.
- ``future_burden_status``: 「－」 in 将来負担比率 means the resources available exceed the future
  burden (a value at or below zero). Its status is ``at_or_below_zero`` and its value is missing
  (not 0); a model that needs a number says how it codes it.

The national-average row is read past and not used (it is simple or weighted and leaves out the
special wards).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

import pandas as pd

from helpers.paths import data_dir

#: Settlement year id → (fiscal year, the era spelling in the sheet title).
YEARS: dict[str, tuple[int, str]] = {"R1": (2019, "令和元年度"), "R2": (2020, "令和２年度"), "R3": (2021, "令和３年度")}
#: The settlement paired with the FY2023 survey by default: the latest held (see the data README).
LATEST = "R3"
#: Sheet header → column id (municipal workbooks; prefecture workbooks have 都道府県名 first and no code).
MEASURES: dict[str, str] = {"財政力指数": "fiscal_capacity", "経常収支比率": "current_balance_ratio",
                            "実質公債費比率": "real_debt_service_ratio", "将来負担比率": "future_burden_ratio",
                            "ラスパイレス指数": "laspeyres"}
CITY_HEADER = ["団体コード", "都道府県名", "団体名", *MEASURES]
PREF_HEADER = ["都道府県名", *MEASURES]
#: Plausible range of each measure (a value outside is a misread column, not a finance fact).
RANGES: dict[str, tuple[float, float]] = {"fiscal_capacity": (0.0, 3.5), "current_balance_ratio": (30.0, 150.0),
                                          "real_debt_service_ratio": (-30.0, 100.0),
                                          "future_burden_ratio": (-100.0, 1000.0), "laspeyres": (70.0, 120.0)}
#: How 「－」 is spelt in the workbooks (an ASCII hyphen in the rows, a full-width dash in the average row).
DASHES = frozenset({"-", "－", "‐", "−"})
FUTURE_BURDEN_STATUSES = {"reported": "a ratio was published",
                          "at_or_below_zero": "「－」: resources exceed the future burden (ratio ≤ 0; value left empty)"}
FISCAL_CAPACITY_BASES = {"standard": "基準財政収入額 ÷ 基準財政需要額, 3-year average",
                         "tokyo_special_ward": "special ward: computed by 東京都 on another basis (not comparable)"}
#: Spelling variants between the workbooks and the census names (small ヶ/ヵ written ケ/カ; 梼原町 for
#: 檮原町): names are compared after NFKC and these replacements; the code is the key, the name a check.
NAME_VARIANTS = str.maketrans({"ヶ": "ケ", "ヵ": "カ", "梼": "檮"})
CREDIT = "出典：総務省「地方公共団体の主要財政指標一覧」"
SOURCE_KEY = "soumu_finance_indicators"
#: Columns of :func:`load_city_finance`.
CITY_COLUMNS = ["code6", "code5", "pref_name", "name", "year", "fiscal_year", *MEASURES.values(),
                "fiscal_capacity_basis", "future_burden_status"]


def same_name(a: str, b: str) -> bool:
    """Whether two spellings name the same municipality (see :data:`NAME_VARIANTS`)."""
    norm = lambda s: unicodedata.normalize("NFKC", s.strip()).translate(NAME_VARIANTS)  # noqa: E731
    return norm(a) == norm(b)


class FinanceError(ValueError):
    """A finance workbook that is not what the ministry publishes (one line: file and what is wrong)."""


def finance_path(kind: str, year: str, folder: Path | None = None) -> Path:
    """``data/external/finance/<city|prefecture>/<R1|R2|R3>.xlsx``."""
    if kind not in ("city", "prefecture"):
        raise ValueError(f"kind must be 'city' or 'prefecture', not {kind!r}")
    if year not in YEARS:
        raise ValueError(f"unknown settlement year {year!r}; choose from {', '.join(YEARS)}")
    return (folder or data_dir()) / "external" / "finance" / kind / f"{year}.xlsx"


def _sheet(path: Path, header: list[str], title: str) -> pd.DataFrame:
    """The first sheet as text cells, title and header checked; rows after the header."""
    if not path.is_file():
        raise FinanceError(f"{path}: finance workbook not found (see data/external/MANIFEST.csv)")
    try:
        raw = pd.read_excel(path, header=None, dtype=object, engine="calamine")
    except Exception as e:  # noqa: BLE001 — any unreadable workbook is refused the same way
        raise FinanceError(f"{path}: not a readable workbook ({type(e).__name__}: {e})") from None
    if raw.shape[0] < 3 or raw.shape[1] < len(header):
        raise FinanceError(f"{path}: {raw.shape[0]} rows × {raw.shape[1]} columns, expected a title, a header and rows")
    found_title = str(raw.iat[0, 0]).strip()
    if title not in found_title:
        raise FinanceError(f"{path}: title is {found_title!r}, expected it to contain {title!r}")
    found = [str(v).strip() for v in raw.iloc[1, : len(header)]]
    if found != header:
        raise FinanceError(f"{path}: header is {found}, expected {header}")
    body = raw.iloc[2:, : len(header)].copy()
    body.columns = header
    return body.reset_index(drop=True)


def _number(cell: object, path: Path, what: str, allow_dash: bool) -> tuple[float, bool]:
    """(value, is_dash) of one cell; text other than 「－」 (where allowed) is refused."""
    if isinstance(cell, bool):
        raise FinanceError(f"{path}: {what} is {cell!r}, not a number")
    if isinstance(cell, (int, float)) and not pd.isna(cell):
        return float(cell), False
    text = "" if cell is None or (isinstance(cell, float) and pd.isna(cell)) else str(cell).strip()
    if allow_dash and text in DASHES:
        return float("nan"), True
    try:
        return float(text), False
    except ValueError:
        raise FinanceError(f"{path}: {what} is {text!r}, not a number"
                           + (" or 「－」" if allow_dash else "")) from None


def _measures(body: pd.DataFrame, path: Path, label: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    """Numeric measure columns (range-checked) and the 「－」 flags of 将来負担比率."""
    out = pd.DataFrame(index=body.index)
    dash = pd.Series(False, index=body.index)
    for header, col in MEASURES.items():
        allow = col == "future_burden_ratio"
        pairs = [_number(v, path, f"{label[i]}: {header}", allow) for i, v in body[header].items()]
        out[col] = [v for v, _ in pairs]
        if allow:
            dash = pd.Series([d for _, d in pairs], index=body.index)
        lo, hi = RANGES[col]
        bad = out[col].notna() & ~out[col].between(lo, hi)
        if bad.any():
            i = bad[bad].index[0]
            raise FinanceError(f"{path}: {label[i]}: {header} {out.at[i, col]} outside {lo}–{hi} (a shifted column?)")
    return out, dash


@lru_cache(maxsize=8)
def _city(path: Path, mtime_ns: int, year: str) -> pd.DataFrame:  # mtime in the key: a replaced file is re-read
    from helpers.loaders.build_reference import check_digit
    from helpers.loaders.municipalities import load_master

    fy, era = YEARS[year]
    body = _sheet(path, CITY_HEADER, f"全市町村の主要財政指標（{era}）")
    codes = body["団体コード"].map(lambda v: str(v).strip())
    is_row = codes.str.fullmatch(r"\d{6}")
    tail = body[~is_row]
    if len(tail) != 1 or not str(tail["団体コード"].iloc[0]).startswith("全国"):
        bad = tail["団体コード"].head(3).tolist()
        raise FinanceError(f"{path}: expected one 全国市町村平均 row after the municipalities, found {bad}")
    if is_row.iloc[-1] or not (~is_row).iloc[-1]:
        raise FinanceError(f"{path}: the 全国市町村平均 row is not the last row")
    body, codes = body[is_row].reset_index(drop=True), codes[is_row].reset_index(drop=True)
    wrong = [c for c in codes if check_digit(c[:5]) != c[5]]
    if wrong:
        raise FinanceError(f"{path}: code {wrong[0]} has a wrong check digit ({len(wrong)} such codes)")
    if codes.duplicated().any():
        raise FinanceError(f"{path}: code {codes[codes.duplicated()].iloc[0]} appears twice")
    master = load_master()
    ref = master.set_index("code6")
    missing, extra = sorted(set(ref.index) - set(codes)), sorted(set(codes) - set(ref.index))
    if missing or extra:
        raise FinanceError(f"{path}: {len(codes):,} codes; {len(missing)} of the master missing {missing[:3]}, "
                           f"{len(extra)} not in the master {extra[:3]}")
    names = body["団体名"].map(lambda v: str(v).strip())
    prefs = body["都道府県名"].map(lambda v: str(v).strip())
    for code, name, pref in zip(codes, names, prefs):
        want = ref.loc[code]
        if not same_name(name, want["name"]) or pref != want["pref_name"]:
            raise FinanceError(f"{path}: {code} is {pref}{name} here but {want['pref_name']}{want['name']} in the master")
    values, dash = _measures(body, path, codes + " " + names)
    if values["fiscal_capacity"].isna().any():
        raise FinanceError(f"{path}: 財政力指数 missing for {codes[values['fiscal_capacity'].isna()].iloc[0]}")
    out = pd.DataFrame({"code6": codes, "code5": codes.str[:5], "pref_name": prefs, "name": names})
    out["year"], out["fiscal_year"] = year, fy
    out = pd.concat([out, values], axis=1)
    ward = out["code5"].map(ref.reset_index().set_index("code5")["type"]) == "special_ward"
    out["fiscal_capacity_basis"] = ward.map({True: "tokyo_special_ward", False: "standard"})
    out["future_burden_status"] = dash.map({True: "at_or_below_zero", False: "reported"})
    for c in ("code6", "code5", "pref_name", "name", "year", "fiscal_capacity_basis", "future_burden_status"):
        out[c] = out[c].astype("string")
    return out[CITY_COLUMNS]


def load_city_finance(year: str = LATEST, folder: Path | None = None) -> pd.DataFrame:
    """The 1,741 municipalities of one settlement year in code order (:data:`CITY_COLUMNS`): the five
    measures, the special-ward basis flag and the 「－」 status of 将来負担比率; refused with one
    line when the workbook differs from the published layout or from the municipal master."""
    path = finance_path("city", year, folder)
    if not path.is_file():
        raise FinanceError(f"{path}: finance workbook not found (see data/external/MANIFEST.csv)")
    return _city(path, path.stat().st_mtime_ns, year).copy()


def load_prefecture_finance(year: str = LATEST, folder: Path | None = None) -> pd.DataFrame:
    """The 47 prefectures of one settlement year: pref_code, pref_name, year, the five measures and
    the 「－」 status; the 都道府県平均 row is checked to be last and left out."""
    from helpers.loaders.entity import prefectures

    path = finance_path("prefecture", year, folder)
    fy, era = YEARS[year]
    body = _sheet(path, PREF_HEADER, f"全都道府県の主要財政指標（{era}決算）")
    names = body["都道府県名"].map(lambda v: str(v).strip())
    if names.iloc[-1] != "都道府県平均":
        raise FinanceError(f"{path}: last row is {names.iloc[-1]!r}, expected 都道府県平均")
    body, names = body.iloc[:-1].reset_index(drop=True), names.iloc[:-1].reset_index(drop=True)
    ref = prefectures()
    if names.tolist() != ref["name_ja"].tolist():
        diff = next((f"row {i + 3}: {a} where {b} was expected" for i, (a, b) in
                     enumerate(zip(names, ref["name_ja"])) if a != b), f"{len(names)} rows, expected 47")
        raise FinanceError(f"{path}: prefectures not in code order ({diff})")
    values, dash = _measures(body, path, names)
    out = pd.DataFrame({"pref_code": ref["pref_code"].to_numpy(), "pref_name": names})
    out["year"], out["fiscal_year"] = year, fy
    out = pd.concat([out, values], axis=1)
    out["future_burden_status"] = dash.map({True: "at_or_below_zero", False: "reported"}).astype("string")
    return out


def city_finance_wide(years: tuple[str, ...] = tuple(YEARS), latest: str = LATEST) -> pd.DataFrame:
    """One row per municipality (code5): the latest settlement's columns unsuffixed (the default for
    analysis) and every other year's measures suffixed ``_r1``, ``_r2`` (for sensitivity)."""
    base = load_city_finance(latest)
    out = base.drop(columns=["code6", "pref_name", "name", "year"]).rename(columns={"fiscal_year": "finance_fiscal_year"})
    for y in years:
        if y == latest:
            continue
        other = load_city_finance(y)[["code5", *MEASURES.values(), "future_burden_status"]]
        other = other.rename(columns={c: f"{c}_{y.lower()}" for c in other.columns if c != "code5"})
        out = out.merge(other, on="code5", how="left", validate="one_to_one")
    return out


def warm() -> bool:
    """Read the municipal workbooks once in the batch's kernel template (helpers.runner.kernel_fork): the
    kernels forked from it inherit the parsed years (:func:`_city` is cached by path and mtime, so a
    file replaced since is read again). False when they cannot be read here: each notebook then reads
    them and its loader says what is wrong."""
    try:
        city_finance_wide()
    except Exception:
        return False
    return True


def finance_columns(years: tuple[str, ...] = tuple(YEARS), latest: str = LATEST) -> list[str]:
    """The columns :func:`city_finance_wide` adds to a municipal frame (all but code5)."""
    cols = ["finance_fiscal_year", *MEASURES.values(), "fiscal_capacity_basis", "future_burden_status"]
    for y in years:
        if y != latest:
            cols += [f"{c}_{y.lower()}" for c in (*MEASURES.values(), "future_burden_status")]
    return cols


def finance_files() -> list[Path]:
    """Every municipal finance workbook (for cache keys and fingerprints)."""
    return [finance_path("city", y) for y in YEARS]
