"""docs/adding-a-theme.md, followed end to end on its worked example (a made-up theme) in a copy
of the package: the blocks of the guide are written where they say, the runner builds the theme,
the report states numbers computed from the data, and the import contracts still hold."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "adding-a-theme.md"
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.S)


def _blocks() -> list[tuple[str, str]]:
    return BLOCK.findall(GUIDE.read_text(encoding="utf-8"))


def _notebook(cells: list[tuple[str, str]]) -> dict:
    out = []
    for i, (kind, source) in enumerate(cells):
        cell = {"cell_type": kind, "id": f"c{i:02d}", "metadata": {}, "source": source}
        if kind == "code":
            cell.update(outputs=[], execution_count=None)
            if i == 0:
                cell["metadata"] = {"tags": ["parameters"]}
        out.append(cell)
    return {"cells": out, "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
            "nbformat": 4, "nbformat_minor": 5}


@pytest.fixture
def copy(tmp_path):
    """The package and its configuration in a scratch project; the data read in place (a link)."""
    proj = tmp_path / "project"
    shutil.copytree(ROOT / "src", proj / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copy(ROOT / "pyproject.toml", proj / "pyproject.toml")
    (proj / "data").symlink_to(ROOT / "data", target_is_directory=True)
    (proj / "notebooks").mkdir()
    return proj


@pytest.mark.slow
def test_follow_the_guide(copy, tmp_path):
    blocks = _blocks()
    cells, registry_entry = [], None
    for lang, body in blocks:
        first, _, rest = body.partition("\n")
        if first.startswith("# file: "):
            target = copy / first.removeprefix("# file: ").strip()
            assert not target.exists(), f"the guide's example overwrites {target}"
            target.write_text(rest, encoding="utf-8")
        elif first.startswith("# notebook cell: "):
            kind = first.removeprefix("# notebook cell: ").strip()
            cells.append(("markdown" if kind == "markdown" else "code", rest))
        elif first == "# registry entry":
            registry_entry = rest.strip()
    assert len(cells) >= 4 and registry_entry, "the guide's blocks were not found"
    # 3. the notebook, named as the registry entry says
    notebook_name = re.search(r'"(\d\d_\w+\.ipynb)"', registry_entry).group(1)
    (copy / "notebooks" / notebook_name).write_text(json.dumps(_notebook(cells), ensure_ascii=False), encoding="utf-8")
    # 4. the registry entry, added to THEMES
    reg = copy / "src" / "helpers" / "registry.py"
    text = reg.read_text(encoding="utf-8")
    anchor = "THEMES: dict[str, Theme] = {t.name: t for t in (\n"
    assert anchor in text
    reg.write_text(text.replace(anchor, anchor + "    " + registry_entry + "\n"), encoding="utf-8")

    env = {**os.environ, "PYTHONPATH": str(copy / "src"), "DXKIT_ROOT": str(copy)}
    env.pop("DXKIT_BATCH_CACHE", None)
    out = tmp_path / "out"
    # 5. run it with the runner, as `make report RUN_ARGS="--themes cio_snapshot"` does
    for lang in ("ja", "en"):
        res = subprocess.run([sys.executable, "-m", "helpers.runner.run", "--themes", "cio_snapshot", "--lang", lang,
                              "--out", str(out / lang), "--notebooks-dir", str(copy / "notebooks"), "--jobs", "1"],
                             cwd=copy, env=env, capture_output=True, text=True, timeout=600)
        assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    # the report: the registered title, and the finding's numbers as the data gives them
    sys.path.insert(0, str(ROOT / "src"))
    from helpers.analysis.common import rates
    from helpers.loaders import data

    r = rates(data.load_indicators(), ["cio_appointed"], ["municipality"]).sort_values("as_of").iloc[-1]
    ja = (out / "ja" / "cio_snapshot" / "report.md").read_text(encoding="utf-8")
    en = (out / "en" / "cio_snapshot" / "report.md").read_text(encoding="utf-8")
    assert ja.startswith("# CIOの任命（最新時点）") and en.startswith("# CIO appointment (latest date)")
    assert f"{int(r['base']):,}団体中{int(r['count']):,}団体" in ja
    assert f"{int(r['count']):,} of {int(r['base']):,} had appointed a CIO" in en
    # the layers still hold with the new modules in place
    lint = Path(sys.executable).with_name("lint-imports")
    res = subprocess.run([str(lint)], cwd=copy, env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout[-3000:]
