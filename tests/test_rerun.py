"""Re-running cells, as one does in JupyterLab, leaves a notebook's report files byte-identical.

Each notebook runs once in a kernel the way JupyterLab runs it (every execute request carries the
cell's ``cellId``), its report files are snapshotted, then every code cell runs once more — in
notebook order, then a few in reverse order — and the report is written again: the files must not
change. One kernel per notebook; outputs go to a scratch folder.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: every notebook that writes a report (discovered, so a new theme is covered without editing this)
REPORT_NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")
                          if "rep.write()" in p.read_text(encoding="utf-8"))


def snapshot(folder: Path) -> dict[str, str]:
    """Every file the report wrote (report.md/.html, tables/*.csv, tables.xlsx, figures), hashed."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


class LabLikeClient:
    """An nbclient run whose execute requests carry ``metadata.cellId``, as JupyterLab's do."""

    def __init__(self, nb, cwd: Path):
        from nbclient import NotebookClient

        self.client = NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(cwd)}},
                                     on_cell_execute=self._remember)
        self._cell_id: str | None = None

    def _remember(self, cell, cell_index) -> None:
        self._cell_id = cell.get("id")

    def _execute(self, code: str, **kwargs) -> str:
        kc = self.client.kc
        content = {"code": code, "silent": False, "store_history": kwargs.get("store_history", True),
                   "user_expressions": {}, "allow_stdin": False, "stop_on_error": kwargs.get("stop_on_error", True)}
        msg = kc.session.msg("execute_request", content, metadata={"cellId": self._cell_id})
        kc.shell_channel.send(msg)
        return msg["header"]["msg_id"]

    def run(self, order: list[int]) -> None:
        """Run the code cells at these indices, in this order, in the one kernel."""
        for i in order:
            self.client.execute_cell(self.client.nb.cells[i], i)

    def __enter__(self) -> "LabLikeClient":
        self._ctx = self.client.setup_kernel()
        self._ctx.__enter__()
        self.client.kc.execute = self._execute  # nbclient sends no cellId of its own
        return self

    def __exit__(self, *exc) -> None:
        self._ctx.__exit__(*exc)


@pytest.mark.slow
@pytest.mark.parametrize("nb_path", REPORT_NOTEBOOKS, ids=lambda p: p.stem)
def test_rerunning_cells_leaves_the_report_identical(nb_path, tmp_path, monkeypatch):
    import nbformat
    from papermill.parameterize import parameterize_notebook

    monkeypatch.setenv("MPLBACKEND", "Agg")
    out = tmp_path / "out"
    nb = nbformat.read(nb_path, as_version=4)
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])  # papermill reads every cell's tags
    nb.metadata.setdefault("papermill", {})
    nb = parameterize_notebook(nb, {"output_dir": str(out)})  # papermill's own injected cell
    for n, cell in enumerate(nb.cells):  # the injected cell has an id of its own (nbformat >= 4.5)
        cell.setdefault("id", f"cell-{n}")
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    writes = [i for i in code if "rep.write()" in nb.cells[i].source]
    assert writes, f"{nb_path.name} never writes its report"
    with LabLikeClient(nb, nb_path.parent) as lab:
        lab.run(code)  # Run All
        first = snapshot(out)
        assert "report.md" in first and any(k.startswith("figures/") for k in first)
        lab.run(code)  # every code cell once more, in order
        assert snapshot(out) == first, "re-running every cell changed the report"
        setup_at = next(i for i in code if "setup(" in nb.cells[i].source)
        middle = [i for i in code if i > setup_at and i not in writes]
        lab.run(middle[::-1][:6] + writes)  # some cells again in another order, then write
        assert snapshot(out) == first, "re-running cells in another order changed the report"
    text = (out / "report.md").read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert len(headings) == len(set(headings)), "a section appears twice"
