"""The notebooks as a user meets them: parameters, regression teeth, deterministic batch output."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0*.ipynb"))


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_structure(nb_path):
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    cells = nb["cells"]
    assert cells[0]["cell_type"] == "markdown" and "問い" in "".join(cells[0]["source"])
    params = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(params) == 1
    src = "".join(params[0]["source"])
    for name in ("tier", "lang", "output_dir", "dashboard_dir", "dashboard_date", "dashboard_survey_year"):
        assert f"{name} =" in src
    # the first code cell after the parameters validates them
    after = cells[cells.index(params[0]) + 1:]
    first_code = next(c for c in after if c["cell_type"] == "code")
    assert "setup(" in "".join(first_code["source"])
    # every code cell ran in the committed default run (nbval compares these outputs)
    assert all(c.get("execution_count") for c in cells if c["cell_type"] == "code")


def _nbval(nb: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "--nbval", str(nb), "-q", "-p", "no:cacheprovider",
                           "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg")],
                          capture_output=True, text=True, env=env, cwd=nb.parent)


@pytest.mark.slow
def test_nbval_fails_when_a_transcribed_figure_changes(tmp_path):
    """Copy notebook + data, change one figure (CIO, municipalities, 2021): nbval must fail."""
    root = tmp_path / "project"
    shutil.copytree(ROOT / "data", root / "data")
    (root / "notebooks").mkdir(parents=True)
    nb = root / "notebooks" / "01_staffing.ipynb"
    shutil.copy(ROOT / "notebooks" / "01_staffing.ipynb", nb)
    env = {**os.environ, "DXKIT_ROOT": str(root), "MPLBACKEND": "Agg"}
    assert _nbval(nb, env).returncode == 0, "the unchanged copy must pass first"
    csv = root / "data" / "national" / "indicators.csv"
    text = csv.read_text(encoding="utf-8")
    old = ",municipality,2021-04-01,1220,1741,70.1,"
    assert old in text
    csv.write_text(text.replace(old, ",municipality,2021-04-01,1220,1741,71.1,"), encoding="utf-8")
    res = _nbval(nb, env)
    assert res.returncode != 0
    assert "71.1" in res.stdout


@pytest.mark.slow
def test_batch_twice_gives_identical_reports_and_figures(tmp_path):
    outs = []
    for name in ("a", "b"):
        out = tmp_path / name
        res = subprocess.run([sys.executable, "-m", "helpers.runner.run", "--out", str(out), "--force"],
                             capture_output=True, text=True, cwd=ROOT)
        assert res.returncode == 0, res.stderr[-2000:]
        outs.append(out)

    def files(d: Path) -> dict[str, bytes]:
        return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*"))
                if p.is_file() and p.suffix != ".ipynb" and "fingerprint" not in p.name and ".staging" not in p.parts}

    a, b = files(outs[0]), files(outs[1])
    assert sorted(a) == sorted(b)
    assert any(k.endswith(".png") for k in a) and any(k.endswith("report.md") for k in a)
    assert [k for k in a if a[k] != b[k]] == []


@pytest.mark.parametrize("name", sorted(p.stem for p in (Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb")))
def test_notebook_sources_do_not_state_the_vendored_export_date(name):
    """Findings item 27: markdown that says 「2024年7月12日データ更新」 is wrong for any other export;
    the date (and the survey year) comes from the export read (``helpers.loaders.dashboard_export``) and is
    printed by the code."""
    import json

    nb = json.loads((Path(__file__).resolve().parents[1] / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        assert "2024年7月12日" not in src and "12 Jul 2024" not in src, (name, src[:120])
        # nor the vendored export's survey year as the dashboard's (issue 21): it comes from the export read
        assert "（令和5年度調査。" not in src and 'add_dates(["FY2023"])' not in src and "fy=2023" not in src, (name, src[:120])
