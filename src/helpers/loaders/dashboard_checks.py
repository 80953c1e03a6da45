"""Checks that refuse a dashboard export whose numbers would come out wrong, not merely unreadable.

A plausible hand edit of an export can parse cleanly and still give wrong results with exit 0:
a percent row typed partly as fractions (0.72) and partly as percents (72), the same indicator or
procedure row twice (every count doubled), a numerator above its denominator, a negative count, a
yes/no row holding other numbers, an infinite value. Each is refused here with one line naming the
file, the row, the column (1-based, as a spreadsheet shows it), the entity and the value.

The loaders (:mod:`helpers.loaders.entity`) call :func:`unique_rows` on the row labels, then
:func:`percent_scale` and :func:`check_values` on the tidy frame; the cell checks are a pandera
schema, so each rule is one declared check.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

#: The 32-procedure counts of the 比較 files: the numerator may not exceed the denominator, and
#: the denominator is a number of procedures out of 32.
NUMERATOR, DENOMINATOR = "online32_online", "online32_offered"
COUNT_ROWS = (NUMERATOR, DENOMINATOR)
PROCEDURES_IN_SET = 32


def _error(path: Path, problem: str) -> Exception:
    from helpers.loaders.errors import DashboardError

    return DashboardError(f"{path}: {problem}")


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def unique_rows(keys: list[str], path: Path, what: str = "indicator") -> None:
    """Refuse a file holding the same indicator (or group + procedure) row twice: every total over
    it would count each entity twice. ``keys``: one per data row, in file order."""
    seen: dict[str, int] = {}
    for no, key in enumerate(keys, 1):
        if key in seen:
            raise _error(path, f"{what} row {key!r} appears twice (the {_ordinal(seen[key])} and {_ordinal(no)} "
                               "data rows); every total would count it twice — keep one")
        seen[key] = no


def _cell(out: pd.DataFrame, i: int, key_col: str, n: int) -> str:
    """'row 'x', column 7 (札幌市)' for row ``i`` of the tidy frame (``n`` entities per data row, in file order)."""
    return f"row {out.at[i, key_col]!r}, column {i % n + 3} ({out.at[i, 'entity']})"


_BARE = r"^-?\d+(?:\.\d+)?$"


def percent_scale(out: pd.DataFrame, col: str, pct_rows: pd.Series, path: Path, key_col: str, n: int) -> pd.DataFrame:
    """Put every percent row on the 0–100 scale, one scale per row, or refuse.

    A spreadsheet may store 72% as the number 0.72: a row whose bare numbers are all fractions
    (≤ 1) and that has no "72%" text is scaled ×100. A row mixing percent text with bare numbers,
    or bare fractions (0 < v < 1) with bare numbers above 1, has no one reading: refused, naming a
    cell of each kind. Values outside 0–100 after scaling are refused too."""
    filled = pct_rows & out[col].notna()
    bare = filled & out["raw"].str.match(_BARE)
    text = filled & ~bare
    groups = out.loc[filled, key_col].unique()
    for key in groups:
        in_row = out[key_col] == key
        b, t = bare & in_row, text & in_row
        if b.any() and t.any():
            i, j = b.idxmax(), t.idxmax()
            raise _error(path, f"{_cell(out, i, key_col, n)}: {out.at[i, 'raw']!r} is a bare number where the same row "
                               f"has percent text ({out.at[j, 'raw']!r} at column {j % n + 3}); save the row in one format")
        if not b.any():
            continue
        vals = out.loc[b, col]
        if (vals <= 1).all():
            out.loc[b, col] = vals * 100
            continue
        fractions = b & (out[col] > 0) & (out[col] < 1)
        if fractions.any():
            i, j = fractions.idxmax(), (b & (out[col] > 1)).idxmax()
            raise _error(path, f"{_cell(out, i, key_col, n)}: {out.at[i, 'raw']!r} looks like a fraction where the same "
                               f"row has {out.at[j, 'raw']!r} at column {j % n + 3} (a percent); one scale per row, please")
    bad = filled & ((out[col] < 0) | (out[col] > 100))
    if bad.any():
        i = bad.idxmax()
        raise _error(path, f"{_cell(out, i, key_col, n)}: value {out.at[i, 'raw']!r} is outside 0–100%")
    return out


def _schema(col: str, key_col: str, binary: list[str]):
    import pandera.pandas as pa

    def finite(s: pd.Series) -> pd.Series:
        return s.isna() | np.isfinite(s.astype(float))

    def counts_ok(d: pd.DataFrame) -> pd.Series:
        counts = d[key_col].isin(COUNT_ROWS) & d[col].notna()
        return ~counts | ((d[col] >= 0) & (d[col] == d[col].round()))

    def binary_ok(d: pd.DataFrame) -> pd.Series:
        yes_no = d[key_col].isin(binary) & d[col].notna()
        return ~yes_no | d[col].isin([0.0, 1.0])

    def denominator_ok(d: pd.DataFrame) -> pd.Series:
        den = (d[key_col] == DENOMINATOR) & d[col].notna()
        return ~den | (d[col] <= PROCEDURES_IN_SET)

    return pa.DataFrameSchema(
        {col: pa.Column(float, pa.Check(finite, error="is not a finite number"), nullable=True)},
        checks=[pa.Check(counts_ok, error="a count must be a whole number, 0 or more"),
                pa.Check(binary_ok, error="a yes/no row holds only 実施 or 未実施"),
                pa.Check(denominator_ok, error=f"the denominator counts procedures out of {PROCEDURES_IN_SET}")],
        coerce=False,
    )


def check_values(out: pd.DataFrame, col: str, path: Path, key_col: str, n: int, binary: list[str] = ()) -> pd.DataFrame:
    """Refuse cells that would give wrong numbers: non-finite values, negative or fractional counts,
    a yes/no row with other values, a denominator above 32, and a numerator above its entity's
    denominator. Returns ``out`` unchanged."""
    import pandera.errors

    if out.empty:
        return out
    try:
        _schema(col, key_col, list(binary)).validate(out[[key_col, col]], lazy=True)
    except pandera.errors.SchemaErrors as exc:
        case = exc.failure_cases.dropna(subset=["index"]).iloc[0]
        i = int(case["index"])
        raise _error(path, f"{_cell(out, i, key_col, n)}: value {out.at[i, 'raw']!r} — {case['check']}") from None
    num = out.loc[out[key_col] == NUMERATOR, col].to_numpy()
    den = out.loc[out[key_col] == DENOMINATOR, col].to_numpy()
    if len(num) and len(num) == len(den):
        over = np.flatnonzero(np.nan_to_num(num, nan=-1) > np.nan_to_num(den, nan=np.inf))
        if len(over):
            i = out.index[out[key_col] == NUMERATOR][over[0]]
            raise _error(path, f"{_cell(out, i, key_col, n)}: numerator {out.at[i, 'raw']!r} is above its denominator "
                               f"{den[over[0]]:g} (procedures online cannot exceed procedures offered)")
    return out
