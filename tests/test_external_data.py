"""data/external holds published files byte-for-byte: each is listed in MANIFEST.csv with its checksum."""

import csv
import hashlib
from pathlib import Path

import pytest

EXTERNAL = Path(__file__).resolve().parents[1] / "data" / "external"
MANIFEST = EXTERNAL / "MANIFEST.csv"
COLUMNS = ["file", "sha256", "bytes", "title", "publisher", "url", "reference_date", "retrieved_via", "licence",
           "required_credit"]
NOT_DATA = {"MANIFEST.csv", "README.md"}


def manifest() -> list[dict[str, str]]:
    with MANIFEST.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == COLUMNS
        return list(reader)


@pytest.mark.parametrize("row", manifest(), ids=lambda r: r["file"])
def test_file_matches_its_manifest_row(row):
    path = EXTERNAL / row["file"]
    assert path.is_file(), f"{row['file']} is in MANIFEST.csv but not in data/external"
    data = path.read_bytes()
    assert len(data) == int(row["bytes"]), f"{row['file']}: size {len(data)} ≠ manifest {row['bytes']}"
    assert hashlib.sha256(data).hexdigest() == row["sha256"], f"{row['file']}: sha256 differs from the manifest"
    for col in ("title", "publisher", "reference_date", "retrieved_via", "licence", "required_credit"):
        assert row[col].strip(), f"{row['file']}: empty {col}"


def test_every_file_is_listed_once():
    listed = [r["file"] for r in manifest()]
    assert len(listed) == len(set(listed))
    present = {p.relative_to(EXTERNAL).as_posix() for p in EXTERNAL.rglob("*") if p.is_file()} - NOT_DATA
    assert present - set(listed) == set(), f"files without a manifest row: {sorted(present - set(listed))}"


def test_expected_files_and_credits():
    rows = {r["file"]: r for r in manifest()}
    assert len([f for f in rows if f.startswith("dashboard/")]) == 4
    pop = rows["population/estat_0003433219_census2020_preliminary.json"]
    assert pop["sha256"] == "df4bd1e3cd76d8a05d24955fbc8bdaf4405b194f2b07a74db01594d89972cc6f"
    assert pop["required_credit"] == "出典：総務省統計局 令和2年国勢調査 人口速報集計"
    n03 = rows["boundaries/N03-21_210101_designated_city.geojson"]
    assert n03["sha256"] == "9792e697f889c218b4d0eea14c0c557342e382f7ebeb799e768e68adb9da61a7"
    assert n03["required_credit"] == "出典：国土数値情報（行政区域データ）（国土交通省）を加工して作成"
    assert rows["boundaries/prefectures.geojson"]["sha256"] == (
        "29ff57aa1e576f1f47c8cb571c4f7ba3d07969afa39a31b7730b68f8f0429dcf")
    assert {r["licence"] for f, r in rows.items() if f.startswith("dashboard/")} == {"政府標準利用規約（第2.0版）"}
