"""A made-up "next release" of the デジタル庁 dashboard export, built from the vendored one.

It changes what a real later release plausibly changes (docs/newer-dashboard-export.md): one
indicator row added (生成AIの導入状況), one dropped (外部人材活用), one procedure added to the
municipal 申請率 file, and another update date in the folder name. Everything else is the vendored
files' bytes, so the analyses have real data to work on.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

RELEASE_DATE = "2025-03-14"
FOLDER = "20250314_自治体DXダッシュボード"
ADDED_ROW = "生成AIの導入状況"
DROPPED_ROW = "外部人材活用"
ADDED_PROCEDURE = "マイナンバーカードの交付申請予約"


def rows_of(path: Path) -> list[list[str]]:
    """A dashboard CSV's rows (UTF-8 with BOM)."""
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def write_rows(path: Path, rows: list[list[str]], lineterminator: str = "\r\n") -> Path:
    """Rows written as the official export writes them: UTF-8 with BOM, CRLF by default."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator=lineterminator).writerows(rows)
    path.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
    return path


def make(vendored: Path, parent: Path, *, drop_rates: bool = False) -> Path:
    """Write the next-release export into ``parent/FOLDER`` and return the folder. ``drop_rates``
    leaves out the municipal 申請率 file (an export that cannot serve every theme)."""
    folder = parent / FOLDER
    folder.mkdir(parents=True)
    for src in sorted(vendored.glob("*.csv")):
        rows = rows_of(src)
        if "比較" in src.name:
            ai = next(r for r in rows if r[1].strip() == "AIの導入状況")
            # the new row: 実施 where AI is 実施 in every other column, else 未実施 (調査無し kept)
            new = [ai[0], ADDED_ROW] + [v if v == "調査無し" or not v else ("実施" if v == "実施" and k % 2 else "未実施")
                                       for k, v in enumerate(ai[2:])]
            out = []
            for r in rows:
                if len(r) > 1 and r[1].strip() == DROPPED_ROW:
                    continue
                out.append(r)
                if r is ai:
                    out.append(new)
            rows = out
        elif src.name.startswith("市区町村") and "申請率" in src.name:
            if drop_rates:
                continue
            first = rows[1]
            added = [first[0], ADDED_PROCEDURE] + [f"{(k * 7) % 100}%" if k % 3 else "" for k in range(len(first) - 2)]
            rows = rows[:27] + [added] + rows[27:]
        write_rows(folder / src.name, rows)
    return folder
