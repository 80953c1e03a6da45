"""The municipal master (``data/reference/municipalities.csv``) and the code of each dashboard column.

The 全国地方公共団体コード joins every source; names never do (府中市 and 伊達市 exist twice).
The dashboard export has names only, in code order, so a column's position gives the master row
it should be, and its name and prefecture must then agree with that row — otherwise the file is
refused with the column number, instead of attaching the wrong municipality's figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import pandas as pd

from helpers.paths import data_dir
from helpers.vocabulary import MUNICIPALITY_TYPES

MASTER_COLUMNS = ["code6", "code5", "pref_code", "pref_name", "name", "type", "population_2020",
                  "population_note", "dashboard_order"]
#: Municipality types, largest powers first (designated and core cities take over prefectural work).
TYPES = MUNICIPALITY_TYPES  # helpers.vocabulary
_TEXT = ["code6", "code5", "pref_code", "pref_name", "name", "type", "population_note"]


def master_path(folder: Path | None = None) -> Path:
    return (folder or data_dir()) / "reference" / "municipalities.csv"


@lru_cache(maxsize=4)
def _read_master(path: Path, mtime_ns: int) -> pd.DataFrame:  # mtime in the key: a rebuilt file is re-read
    frame = pd.read_csv(path, dtype={c: "string" for c in _TEXT}, keep_default_na=False, na_values={
        "population_2020": [""], "dashboard_order": [""]})
    missing = [c for c in MASTER_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}; rebuild it with python -m helpers.loaders.build_reference")
    frame = frame[MASTER_COLUMNS]
    frame["population_2020"] = frame["population_2020"].astype("Int64")
    frame["dashboard_order"] = frame["dashboard_order"].astype("Int64")
    return frame


def load_master(path: str | Path | None = None) -> pd.DataFrame:
    """The 1,741 municipalities in code order; codes are strings (leading zeros kept), population
    and dashboard_order nullable integers, population_note the e-Stat reason a population is missing."""
    path = Path(path) if path else master_path()
    if not path.is_file():
        raise FileNotFoundError(f"{path}: municipal master not found (build it with python -m helpers.loaders.build_reference)")
    return _read_master(path, path.stat().st_mtime_ns).copy()


def _error(message: str):
    from helpers.loaders.errors import DashboardError

    return DashboardError(message)


UPDATE_HINT = ("if municipalities merged, split or were renamed, update data/reference "
               "(python -m helpers.loaders.build_reference; see docs/newer-dashboard-export.md)")


def first_mismatch(names: Sequence[str], master: pd.DataFrame | None = None, first_column: int = 3) -> str:
    """One line naming the first municipal column that differs from the master (name, or a column
    more or fewer), and how to update ``data/reference`` — for an export after a municipal change."""
    ref = load_master() if master is None else master
    ref = ref[ref["dashboard_order"].notna()].sort_values("dashboard_order").reset_index(drop=True)
    names = [str(n).strip() for n in names]
    count = (f"expected {len(ref):,} municipality columns (data/reference/municipalities.csv), found {len(names):,}; "
             if len(names) != len(ref) else "")
    for i, row in enumerate(ref.itertuples(index=False)):
        found = names[i] if i < len(names) else None
        if found != row.name:
            shown = f"found {found}" if found is not None else "the columns end"
            return (f"{count}the first that differs is column {i + first_column:,}: {shown} where {row.name} "
                    f"({row.code5}, {row.pref_name}) was expected; {UPDATE_HINT}")
    if len(names) > len(ref):
        return (f"{count}the first that differs is column {len(ref) + first_column:,}: {names[len(ref)]} "
                f"after the last municipality of the master; {UPDATE_HINT}")
    return count + UPDATE_HINT


def map_dashboard_columns(names: Sequence[str], pref_codes: Sequence[str] | None = None, *,
                          master: pd.DataFrame | None = None, source: str | Path | None = None,
                          first_column: int = 3) -> pd.DataFrame:
    """The master row of each municipal dashboard column, in column order.

    ``names`` are the municipal column headers in file order; ``pref_codes`` (optional) the
    prefecture the reader assigned to each column. Column *i* must be the master row with
    ``dashboard_order`` *i*, with the same name and prefecture; any disagreement raises a
    one-line ``DashboardError`` naming the file column (``first_column`` is the file column of
    ``names[0]``; 3 in the export, after the group and label columns).
    """
    prefix = f"{source}: " if source is not None else ""
    ref = load_master() if master is None else master
    ref = ref[ref["dashboard_order"].notna()].sort_values("dashboard_order").reset_index(drop=True)
    names = [str(n).strip() for n in names]
    if len(names) != len(ref):
        raise _error(prefix + first_mismatch(names, ref, first_column))
    if list(ref["dashboard_order"]) != list(range(1, len(ref) + 1)):
        raise _error(f"{prefix}the master's dashboard_order is not 1..{len(ref):,}; rebuild it")
    if pref_codes is not None:
        pref_codes = [str(p).strip() for p in pref_codes]
        if len(pref_codes) != len(names):
            raise ValueError(f"{prefix}{len(names):,} names but {len(pref_codes):,} prefecture codes")
    for i, (found, row) in enumerate(zip(names, ref.itertuples(index=False))):
        column = i + first_column
        if found != row.name:
            raise _error(f"{prefix}column {column:,}: found {found} where {row.name} ({row.code5}, {row.pref_name}) "
                         f"was expected; {UPDATE_HINT}")
        if pref_codes is not None and pref_codes[i] != row.pref_code:
            raise _error(f"{prefix}column {column:,}: {found} was assigned to prefecture {pref_codes[i]} but "
                         f"{row.name} ({row.code5}) is in {row.pref_name} ({row.pref_code})")
    out = ref[["dashboard_order", "code6", "code5", "pref_code", "pref_name", "name", "type"]].copy()
    out.insert(0, "column", range(first_column, first_column + len(out)))
    return out
