"""The start-here notebook under papermill: parameters injected, findings in the chosen language,
files written only into ``output_dir`` (and none with the default ``None``; nbval runs that one)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.words.lang_scan import foreign_words

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "00_start_here.ipynb"


@pytest.mark.slow
def test_start_here_under_papermill_in_english_writes_only_its_output_dir(tmp_path):
    out = tmp_path / "mine"
    res = subprocess.run([sys.executable, "-m", "papermill", str(NOTEBOOK), str(tmp_path / "run.ipynb"),
                          "-p", "lang", "en", "-p", "output_dir", str(out), "-p", "indicator", "rpa",
                          "--no-progress-bar", "-k", "python3"],
                         capture_output=True, text=True, cwd=NOTEBOOK.parent, timeout=300,
                         env={**os.environ, "MPLBACKEND": "Agg"})
    assert res.returncode == 0, res.stderr[-2000:]
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["map_rpa.png", "map_rpa.svg", "run.ipynb"]
    nb = json.loads((tmp_path / "run.ipynb").read_text(encoding="utf-8"))
    findings = ["".join(o["data"]["text/markdown"]) for c in nb["cells"] if c["cell_type"] == "code"
                for o in c.get("outputs", []) if "text/markdown" in o.get("data", {})]
    assert len(findings) == 3 and all("RPA introduced" in f for f in findings)
    assert foreign_words(" ".join(findings), "en") == []
    assert "odds" in findings[-1] and "n = " in findings[-1]


def test_start_here_writes_nothing_by_default():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    params = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    assert 'output_dir = None' in "".join(params["source"])
    assert all(c.get("execution_count") for c in nb["cells"] if c["cell_type"] == "code")  # committed executed
