"""Read an e-Stat API v3 ``GET_STATS_DATA`` JSON response into a tidy frame.

e-Stat returns cells as strings keyed by class codes (``@tab``, ``@cat01``…, ``@area``,
``@time``); the labels live in ``CLASS_INF`` and special characters (``-``, ``***``…) are
explained in ``NOTE``. This module joins the two so that every row carries its codes, its
labels, a float value and — where the value is missing — the reason the table gives. A
response it does not understand is refused with one line naming the file and the cell.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


class EstatError(ValueError):
    """The input is not a usable e-Stat GET_STATS_DATA response."""


def _as_list(node: Any) -> list:
    """e-Stat writes a one-element list as a bare object; make it a list again."""
    if node is None:
        return []
    return node if isinstance(node, list) else [node]


def _load(source: str | Path | Mapping) -> tuple[dict, str]:
    """(GET_STATS_DATA body, label for messages) from a path or an already parsed response."""
    if isinstance(source, Mapping):
        doc, label = source, "<e-Stat response>"
    else:
        path = Path(source)
        label = str(path)
        if not path.is_file():
            raise EstatError(f"{label}: file not found")
        try:
            doc = json.loads(path.read_text(encoding="utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise EstatError(f"{label}: not valid JSON ({exc})") from None
    body = doc.get("GET_STATS_DATA") if isinstance(doc, Mapping) else None
    if not isinstance(body, Mapping):
        raise EstatError(f"{label}: no GET_STATS_DATA object (not an e-Stat getStatsData JSON response)")
    result = body.get("RESULT") or {}
    status = result.get("STATUS")
    if str(status) != "0":
        msg = str(result.get("ERROR_MSG", "")).replace("\n", " ").strip()
        raise EstatError(f"{label}: e-Stat RESULT.STATUS is {status!r}, not 0 ({msg or 'no message'})")
    if not isinstance(body.get("STATISTICAL_DATA"), Mapping):
        raise EstatError(f"{label}: response has no STATISTICAL_DATA")
    return body, label


def _text(node: Any) -> Any:
    """The ``$`` text of an e-Stat ``{"@code": …, "$": …}`` node, or the node itself."""
    return node.get("$") if isinstance(node, Mapping) else node


def table_info(source: str | Path | Mapping) -> dict[str, Any]:
    """Table metadata (id, names, survey and release dates, cell count) for citing the table."""
    body, _ = _load(source)
    sd = body["STATISTICAL_DATA"]
    tab = sd.get("TABLE_INF") or {}
    title = tab.get("TITLE")
    return {
        "id": tab.get("@id"),
        "stat_name": _text(tab.get("STAT_NAME")),
        "gov_org": _text(tab.get("GOV_ORG")),
        "statistics_name": tab.get("STATISTICS_NAME"),
        "title": _text(title),
        "title_no": title.get("@no") if isinstance(title, Mapping) else None,
        "survey_date": None if tab.get("SURVEY_DATE") is None else str(tab.get("SURVEY_DATE")),
        "open_date": tab.get("OPEN_DATE"),
        "updated_date": tab.get("UPDATED_DATE"),
        "total_number": (sd.get("RESULT_INF") or {}).get("TOTAL_NUMBER", tab.get("OVERALL_TOTAL_NUMBER")),
        "response_date": (body.get("RESULT") or {}).get("DATE"),
    }


def _classes(sd: Mapping, label: str) -> tuple[dict[str, dict[str, Mapping]], dict[str, str]]:
    """Code lists per dimension id (``area`` → {code: CLASS item}) and the dimension names."""
    objs = _as_list((sd.get("CLASS_INF") or {}).get("CLASS_OBJ"))
    if not objs:
        raise EstatError(f"{label}: no CLASS_INF.CLASS_OBJ (request the table with metaGetFlg=Y)")
    codes: dict[str, dict[str, Mapping]] = {}
    names: dict[str, str] = {}
    for obj in objs:
        dim = obj.get("@id")
        if not dim:
            raise EstatError(f"{label}: a CLASS_OBJ has no @id")
        codes[dim] = {str(item.get("@code")): item for item in _as_list(obj.get("CLASS"))}
        names[dim] = obj.get("@name", "")
    return codes, names


def _notes(data_inf: Mapping) -> dict[str, str]:
    """Special character → its explanation, from NOTE (a dict or a list of dicts)."""
    return {str(n.get("@char")): str(n.get("$", "")) for n in _as_list(data_inf.get("NOTE"))}


def read_stats_data(source: str | Path | Mapping) -> pd.DataFrame:
    """One row per VALUE cell: ``<dim>``/``<dim>_name`` per class dimension (plus ``<dim>_level``
    and ``<dim>_parent_code`` where the code list is a hierarchy, e.g. area), ``value`` (float, NaN
    for a special character), ``value_note`` (the NOTE text for it) and ``unit``."""
    body, label = _load(source)
    sd = body["STATISTICAL_DATA"]
    next_key = (sd.get("RESULT_INF") or {}).get("NEXT_KEY")
    if next_key:
        raise EstatError(f"{label}: response is one page of a larger table (NEXT_KEY {next_key}); "
                         "fetch every page or use the bulk download")
    data_inf = sd.get("DATA_INF")
    if not isinstance(data_inf, Mapping) or "VALUE" not in data_inf:
        raise EstatError(f"{label}: STATISTICAL_DATA has no DATA_INF.VALUE cells")
    codes, _ = _classes(sd, label)
    notes = _notes(data_inf)
    cells = _as_list(data_inf["VALUE"])
    # class dimensions in CLASS_OBJ order; other cell attributes (@unit, @anno) are not dimensions
    dims = [d for d in codes if not cells or "@" + d in cells[0]]
    hierarchical = {d for d in dims if any("@parentCode" in item for item in codes[d].values())}
    tab_units = {c: item.get("@unit") for c, item in codes.get("tab", {}).items()}

    columns: dict[str, list] = {}
    for d in dims:
        columns[d] = []
        columns[f"{d}_name"] = []
        if d in hierarchical:
            columns[f"{d}_level"] = []
            columns[f"{d}_parent_code"] = []
    values: list[float] = []
    value_notes: list[str | None] = []
    units: list[str | None] = []
    for i, cell in enumerate(cells, start=1):
        where = ", ".join(f"{d} {cell.get('@' + d)}" for d in dims)
        for d in dims:
            code = cell.get("@" + d)
            item = codes[d].get(str(code))
            if item is None:
                raise EstatError(f"{label}: cell {i:,} ({where}): {d} code {code!r} is not in CLASS_INF")
            columns[d].append(str(code))
            columns[f"{d}_name"].append(item.get("@name"))
            if d in hierarchical:
                columns[f"{d}_level"].append(item.get("@level") or None)
                columns[f"{d}_parent_code"].append(item.get("@parentCode"))
        raw = cell.get("$")
        text = "" if raw is None else str(raw).strip()
        if _NUMBER.match(text.replace(",", "")):
            number = float(text.replace(",", ""))
            if math.isinf(number):
                raise EstatError(f"{label}: cell {i:,} ({where}): value {text!r} is not finite")
            values.append(number)
            value_notes.append(None)
        elif text in notes:
            values.append(float("nan"))
            value_notes.append(notes[text])
        else:
            listed = ", ".join(repr(c) for c in notes) or "none"
            raise EstatError(f"{label}: cell {i:,} ({where}): value {text!r} is neither a number nor a "
                             f"special character listed in NOTE ({listed})")
        units.append(cell.get("@unit") or tab_units.get(str(cell.get("@tab"))))
    out = pd.DataFrame(columns)
    for col in out.columns:
        out[col] = out[col].astype("string")
    out["value"] = pd.Series(values, dtype="float64")
    out["value_note"] = pd.Series(value_notes, dtype="string")
    out["unit"] = pd.Series(units, dtype="string")
    return out
