"""build_reference and the boundary reader on damaged inputs: one line naming the file, no traceback;
``--check`` refuses a population response of another e-Stat table."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from helpers.loaders import build_reference
from helpers.figures import maps
from helpers.loaders import boundaries
from helpers.paths import data_dir


@pytest.fixture
def root(tmp_path, monkeypatch) -> Path:
    """A project root whose data/ holds copies of the reference inputs (to damage)."""
    src = data_dir()
    if not (src / build_reference.BOUNDARIES).is_file():
        pytest.skip("boundary files not vendored")
    dst = tmp_path / "root" / "data"
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("national"))
    monkeypatch.setenv("DXKIT_ROOT", str(dst.parent))
    return dst


def _cut(path: Path) -> None:
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])


def test_truncated_geojson_in_build_reference_is_one_line(root, capsys):
    _cut(root / build_reference.BOUNDARIES)
    assert build_reference.main(["--check"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not complete GeoJSON" in err[0] and "N03-21" in err[0]


def test_truncated_geojson_in_the_batch_cache_is_one_line(root, tmp_path):
    pytest.importorskip("geopandas")
    from helpers.runner import run

    _cut(root / build_reference.PREFECTURE_BOUNDARIES)
    with pytest.raises(run.UsageError, match=r"prefectures.geojson: cannot be read as GeoJSON .* cut short") as info:
        run._build_cache(tmp_path / "run", None, None, shared_inputs=True)
    assert "\n" not in str(info.value)
    with pytest.raises(boundaries.BoundaryError):
        boundaries._read_boundaries(root.parent / "data")


def test_check_refuses_another_e_stat_table(root, capsys):
    path = root / build_reference.POPULATION
    body = json.loads(path.read_text(encoding="utf-8"))
    body["GET_STATS_DATA"]["STATISTICAL_DATA"]["TABLE_INF"]["@id"] = "0003433220"
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    assert build_reference.main(["--check"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "e-Stat table '0003433220', expected 0003433219" in err[0]


def test_check_passes_on_the_vendored_files(capsys):
    if not (data_dir() / build_reference.BOUNDARIES).is_file():
        pytest.skip("boundary files not vendored")
    assert build_reference.main(["--check"]) == 0
