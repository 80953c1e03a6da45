"""The batch runner ``python -m helpers.runner.run``: bad invocations, failures, kills and incremental runs.

Synthetic notebooks (named like the real ones) are built with nbformat in tmp_path and passed with the
hidden ``--notebooks-dir``; ``--out`` always points into tmp_path, so reports/ is never touched.
Bad invocations, the kill and the real batch go through ``python -m helpers.runner.run`` in a subprocess; the
other runs call ``helpers.runner.run.main`` in this process (its pool workers then fork with papermill already
imported, which keeps this file fast).
"""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import papermill  # noqa: F401  imported once here: runs via main() fork their workers from this process, warm
import psutil
import pytest

from helpers.runner import run as runner

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "MPLBACKEND": "Agg", "PYTHONUNBUFFERED": "1"}

WRITE_REPORT = ('from pathlib import Path\n'
                'Path(output_dir).mkdir(parents=True, exist_ok=True)\n'
                'Path(output_dir, "report.md").write_text("# {label}\\n" + tier + " " + lang + "\\n")\n'
                'Path(output_dir, "figures").mkdir(exist_ok=True)\n'
                'Path(output_dir, "figures", "fig.txt").write_text("{label}")')


# --------------------------------------------------------------------------------- helpers

def make_nb(folder: Path, theme: str, *cells: str, parameters: bool = True) -> Path:
    """A notebook for ``theme``: a 'parameters' cell (unless told not to), then ``cells``."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell('tier = "all"\nlang = "ja"\noutput_dir = "out"\ndashboard_dir = None')
    if parameters:
        params.metadata["tags"] = ["parameters"]
    nb.cells = [params] + [nbformat.v4.new_code_cell(c) for c in cells]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / runner.NOTEBOOKS[theme]
    nbformat.write(nb, path)
    return path


def ok_nb(folder: Path, theme: str, label: str = "v1") -> Path:
    return make_nb(folder, theme, WRITE_REPORT.format(label=label))


def run_cli(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers.runner.run", *args], cwd=ROOT, env=ENV,
                          capture_output=True, text=True, timeout=timeout)


def batch(capsys, nbs: Path, out: Path, *args: str) -> tuple[int, str]:
    """``helpers.runner.run.main`` in this process: (exit code, summary table on stdout)."""
    capsys.readouterr()
    rc = runner.main(["--notebooks-dir", str(nbs), "--out", str(out), "--jobs", "2", *args])
    return rc, capsys.readouterr().out


def status_of(stdout: str) -> dict[str, str]:
    """theme -> summary line (the table printed on stdout)."""
    return {line.split()[0]: line for line in stdout.splitlines()[1:] if line.strip()}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def no_run_staging(out: Path) -> bool:
    """No run's staging folder is left: ``.staging`` holds at most the lock file."""
    stage = out / runner.STAGING
    return not stage.exists() or sorted(p.name for p in stage.iterdir()) in ([], ["lock"])


def assert_usage_error(res: subprocess.CompletedProcess, out: Path, *needles: str) -> None:
    assert res.returncode == 2, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("error: "), lines[0]
    for n in needles:
        assert n in lines[0], lines[0]
    assert res.stdout == ""
    assert not out.exists(), "a refused invocation must not create the output folder"


@pytest.fixture
def nbs(tmp_path) -> Path:
    """Two valid synthetic notebooks (staffing, online_usage)."""
    folder = tmp_path / "nbs"
    ok_nb(folder, "staffing")
    ok_nb(folder, "online_usage")
    return folder


@pytest.fixture
def out(tmp_path) -> Path:
    return tmp_path / "reports"


# ------------------------------------------------------------- bad invocations: exit 2, nothing written

def test_unknown_theme(nbs, out):
    res = run_cli("--themes", "staffing,bogus", "--notebooks-dir", str(nbs), "--out", str(out))
    assert_usage_error(res, out, "bogus", "staffing")


def test_empty_theme_list(nbs, out):
    res = run_cli("--themes", " , ", "--notebooks-dir", str(nbs), "--out", str(out))
    assert_usage_error(res, out, "(none given)")


def test_bad_tier(nbs, out):
    res = run_cli("--tier", "county", "--themes", "staffing", "--notebooks-dir", str(nbs), "--out", str(out))
    assert_usage_error(res, out, "--tier", "'county'", "prefecture")


def test_bad_lang(nbs, out):
    res = run_cli("--lang", "fr", "--themes", "staffing", "--notebooks-dir", str(nbs), "--out", str(out))
    assert_usage_error(res, out, "--lang", "'fr'", "ja, en")


@pytest.mark.parametrize("jobs", ["0", "-3"])
def test_jobs_below_one(nbs, out, jobs):
    res = run_cli("--jobs", jobs, "--themes", "staffing", "--notebooks-dir", str(nbs), "--out", str(out))
    assert_usage_error(res, out, "--jobs", jobs)


def test_out_inside_a_regular_file(nbs, tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("keep me\n")
    out = afile / "reports"
    res = run_cli("--themes", "staffing", "--notebooks-dir", str(nbs), "--out", str(out))
    assert_usage_error(res, out, "not a folder")
    assert afile.read_text() == "keep me\n"


def test_out_is_a_regular_file(nbs, tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("keep me\n")
    res = run_cli("--themes", "staffing", "--notebooks-dir", str(nbs), "--out", str(afile))
    assert res.returncode == 2 and res.stderr.strip().splitlines() == [res.stderr.strip()]
    assert res.stderr.startswith("error: ") and "not a folder" in res.stderr
    assert afile.read_text() == "keep me\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_out_in_read_only_folder(nbs, tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        out = ro / "reports"
        assert_usage_error(run_cli("--themes", "staffing", "--notebooks-dir", str(nbs), "--out", str(out)),
                           out, "not writable")
    finally:
        ro.chmod(0o755)


def test_dashboard_dir_missing(nbs, out, tmp_path):
    res = run_cli("--themes", "staffing", "--notebooks-dir", str(nbs), "--out", str(out),
                  "--dashboard-dir", str(tmp_path / "nowhere"))
    assert_usage_error(res, out, "dashboard dir", "not found")


@pytest.mark.parametrize("name, content", [
    ("prices.csv", "item,price\napple,100\npear,120\n".encode()),
    ("notes.txt", "not a dashboard".encode()),
    ("bad_bytes.csv", bytes(range(128, 256)) * 4),
])
def test_dashboard_dir_with_non_dashboard_file(nbs, out, tmp_path, name, content):
    dash = tmp_path / "dash"
    dash.mkdir()
    (dash / name).write_bytes(content)
    res = run_cli("--themes", "staffing", "--notebooks-dir", str(nbs), "--out", str(out), "--dashboard-dir", str(dash))
    assert_usage_error(res, out, name, "not a dashboard export")


def test_dashboard_dir_empty(nbs, out, tmp_path):
    dash = tmp_path / "dash"
    dash.mkdir()
    (dash / ".DS_Store").write_text("hidden files do not count")
    res = run_cli("--themes", "staffing", "--notebooks-dir", str(nbs), "--out", str(out), "--dashboard-dir", str(dash))
    assert_usage_error(res, out, "is empty")


def test_notebook_without_parameters_cell(tmp_path, out):
    nbs = tmp_path / "nbs"
    make_nb(nbs, "security", WRITE_REPORT.format(label="x"), parameters=False)
    res = run_cli("--themes", "security", "--notebooks-dir", str(nbs), "--out", str(out))
    assert_usage_error(res, out, "03_security.ipynb", "parameters")


def test_notebook_file_missing(nbs, out):
    # nbs holds staffing and online_usage only
    res = run_cli("--themes", "staffing,ai_rpa_telework", "--notebooks-dir", str(nbs), "--out", str(out))
    assert_usage_error(res, out, "ai_rpa_telework", "04_ai_rpa_telework.ipynb", "not found")


@pytest.mark.parametrize("kind", ["truncated", "empty", "not_utf8", "json_list", "cells_not_dicts"])
def test_corrupt_notebook(nbs, out, kind):
    nb = nbs / runner.NOTEBOOKS["online_usage"]
    good = nb.read_bytes()
    nb.write_bytes({
        "truncated": good[: len(good) // 2],
        "empty": b"",
        "not_utf8": b"\xff\xfe\x00garbage\x81",
        "json_list": b"[]",
        "cells_not_dicts": b'{"cells": [1, "two"], "metadata": {}}',
    }[kind])
    res = run_cli("--themes", "staffing,online_usage", "--notebooks-dir", str(nbs), "--out", str(out))
    assert_usage_error(res, out, "02_online_usage.ipynb", "not a readable notebook")


@pytest.mark.parametrize("args, needle", [(("--jobs", "two"), "--jobs"), (("--bogus-option",), "--bogus-option"),
                                          (("--tier",), "--tier")])
def test_argparse_errors_also_one_line_exit_2(nbs, out, args, needle):
    res = run_cli(*args, "--notebooks-dir", str(nbs), "--out", str(out))
    assert_usage_error(res, out, needle)


# ---------------------------------------------------------------------------- faults at run time

def first_good_run(capsys, tmp_path: Path, out: Path) -> tuple[Path, bytes, Path, dict[str, bytes]]:
    """A successful run of online_usage: (notebooks dir, the notebook's bytes, its report folder, snapshot)."""
    nbs = tmp_path / "nbs"
    good = ok_nb(nbs, "online_usage", "old").read_bytes()
    assert batch(capsys, nbs, out, "--themes", "online_usage")[0] == 0
    theme = out / "online_usage"
    return nbs, good, theme, snapshot(theme)


def reports_of(out: Path) -> dict[str, bytes]:
    """Every file under ``out`` but the runner's own state (.staging/: the lock names its holder)."""
    return {k: v for k, v in snapshot(out).items() if not k.startswith(runner.STAGING + "/")}


def test_a_failing_notebook_replaces_no_report_of_the_batch(tmp_path, out, capsys):
    """All or nothing (issue 21): one notebook of the batch fails after the pre-run check (a broken
    copy in a notebooks folder of its own), so no folder of the batch is swapped in — the other
    themes, the audit and the index stay byte for byte — and one line names the failed theme and
    the kept reports. Never a set of reports from two runs."""
    nbs = tmp_path / "nbs"
    ok_nb(nbs, "staffing", "staffing-old")
    good = ok_nb(nbs, "online_usage", "old").read_bytes()
    assert batch(capsys, nbs, out, "--themes", "staffing,online_usage")[0] == 0
    before = reports_of(out)
    assert before["staffing/report.md"].startswith(b"# staffing-old") and "data_audit.md" in before

    ok_nb(nbs, "staffing", "staffing-new")
    make_nb(nbs, "online_usage",
            'from pathlib import Path\nPath(output_dir, "report.md").write_text("half-written")',
            'x = 1',
            'raise ValueError("first line\\nboom")')
    capsys.readouterr()
    rc = runner.main(["--notebooks-dir", str(nbs), "--out", str(out), "--jobs", "2", "--force",
                      "--themes", "staffing,online_usage"])
    cap = capsys.readouterr()
    assert rc == 1, cap.out + cap.err
    rows = status_of(cap.out)
    failed = rows["online_usage"]
    assert failed.split()[1] == "failed"
    assert "ValueError: boom" in failed and "first line" not in failed
    for name in ("staffing", "data_audit"):  # built, then not swapped in
        assert rows[name].split()[1] == "cancelled", rows[name]
        assert "built but not swapped in: online_usage failed (all or nothing)" in rows[name]
    errors = [line for line in cap.err.splitlines() if line.startswith("error:")]
    assert errors == ["error: online_usage failed; no report was replaced (all or nothing): "
                      "previous reports kept: staffing, online_usage and data_audit"], cap.err
    assert "Traceback" not in cap.err

    # every previous report is untouched (index pages too); the executed notebook is kept beside its theme's
    theme = out / "online_usage"
    after = reports_of(out)
    assert after.pop("online_usage/failed.ipynb")
    assert after == before
    executed = nbformat.read(theme / "failed.ipynb", as_version=4)
    errors = [c for c in executed.cells if c.cell_type == "code" and any(o.output_type == "error" for o in c.outputs)]
    assert len(errors) == 1 and "boom" in errors[0].source
    assert f"cell [{errors[0].execution_count}]" in failed
    assert str(theme / "failed.ipynb") in failed
    assert no_run_staging(out)

    # a failure is never recorded as success: the next run tries both changed themes again, and
    # still replaces nothing
    rc, stdout = batch(capsys, nbs, out, "--themes", "staffing,online_usage")
    assert rc == 1
    assert status_of(stdout)["staffing"].split()[1] == "cancelled"
    assert status_of(stdout)["online_usage"].split()[1] == "failed"
    assert reports_of(out).keys() == before.keys() | {"online_usage/failed.ipynb"}
    assert (out / "staffing" / "report.md").read_bytes() == before["staffing/report.md"]

    # back to the inputs of the kept report: online_usage skipped (its stale failure dropped), and
    # the batch — staffing alone now — is swapped in
    (nbs / runner.NOTEBOOKS["online_usage"]).write_bytes(good)
    rc, stdout = batch(capsys, nbs, out, "--themes", "staffing,online_usage")
    assert rc == 0, stdout
    assert status_of(stdout)["online_usage"].split()[1] == "skipped"
    assert status_of(stdout)["staffing"].split()[1] == "ok"
    assert (out / "staffing" / "report.md").read_text().startswith("# staffing-new")
    assert {k: v for k, v in reports_of(out).items() if k.startswith("online_usage/")} == \
        {k: v for k, v in before.items() if k.startswith("online_usage/")}


def test_notebook_that_writes_no_report_fails(tmp_path, out, capsys):
    nbs = tmp_path / "nbs"
    make_nb(nbs, "security", "x = 1")
    rc, stdout = batch(capsys, nbs, out, "--themes", "security")
    assert rc == 1
    assert "no report.md written" in status_of(stdout)["security"]
    assert not (out / "security" / "report.md").exists()
    assert (out / "security" / "failed.ipynb").is_file()


def test_failing_audit_is_reported_and_keeps_previous_audit(nbs, out, capsys, monkeypatch):
    assert batch(capsys, nbs, out, "--themes", "staffing")[0] == 0
    before = (out / "data_audit.md").read_bytes()
    import helpers.reporting.audit_report

    def broken(*_a, **_k):
        raise RuntimeError("audit input unreadable\nsecond line")

    monkeypatch.setattr(helpers.reporting.audit_report, "build_audit_report", broken)  # the forked workers inherit it
    themes = reports_of(out)
    rc, stdout = batch(capsys, nbs, out, "--themes", "staffing,online_usage", "--force")
    assert rc == 1
    rows = status_of(stdout)
    # all or nothing: the audit is part of the batch, so the themes built meanwhile are not swapped in
    assert rows["staffing"].split()[1] == "cancelled" and rows["online_usage"].split()[1] == "cancelled"
    assert rows["data_audit"].split()[1] == "failed"
    assert "RuntimeError: second line" in rows["data_audit"]
    assert (out / "data_audit.md").read_bytes() == before
    assert reports_of(out) == themes and not (out / "online_usage").exists()
    # the kept audit still matches its (unchanged) inputs, so the next run may skip it
    monkeypatch.undo()
    rc, stdout = batch(capsys, nbs, out, "--themes", "staffing,online_usage")
    assert rc == 0 and status_of(stdout)["data_audit"].split()[1] == "skipped"
    assert (out / "data_audit.md").read_bytes() == before


def test_worker_papermill_import_skips_the_grammar_but_still_validates():
    code = ("import sys\n"
            "from helpers.runner.run import _import_papermill\n"
            "pm = _import_papermill()\n"
            "import nbformat\n"
            "assert sys.modules['rfc3987_syntax'] is None\n"
            "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('x = 1')])\n"
            "nbformat.validate(nb)\n"
            "nb.cells[0]['execution_count'] = 'one'\n"
            "bad = nb\n"
            "try:\n    nbformat.validate(bad)\nexcept nbformat.ValidationError:\n    print('rejected')\n")
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "rejected"


# ------------------------------------------------------------------------------------ progress

def test_plain_log_when_not_a_terminal(tmp_path, out):
    nbs = tmp_path / "nbs"
    for theme in ("staffing", "online_usage"):  # slow enough for the 1 s progress poll to see a cell
        make_nb(nbs, theme, "import time\ntime.sleep(1.5)", WRITE_REPORT.format(label=theme))
    res = run_cli("--notebooks-dir", str(nbs), "--out", str(out), "--themes", "staffing,online_usage", "--jobs", "1")
    assert res.returncode == 0, res.stderr
    log = res.stderr
    assert "\r" not in log and "\x1b" not in log
    lines = [line for line in log.splitlines() if re.match(r"\[ *\d+\.\ds\] ", line)]  # [elapsed] text
    assert "queued: data_audit, staffing, online_usage (jobs = 1)" in lines[0]  # audit first, then longest first
    for theme in ("staffing", "online_usage"):
        assert any(f"{theme}: cell " in line for line in lines), log
        assert any(f"{theme}: ok in " in line for line in lines), log
    assert lines[-1].split("] ", 1)[1].startswith("online_usage: ok in ")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_redraws_in_place_on_a_terminal():
    term, plain = _Terminal(), io.StringIO()
    for stream in (term, plain):
        p = runner.Progress(stream)
        p.line("running: staffing cell 3/9 2s", transient=True)
        p.line("staffing: ok in 4.0s")
    assert term.getvalue().startswith("\r\x1b[K[") and "running: staffing cell 3/9" in term.getvalue()
    assert plain.getvalue().count("\n") == 1 and "running" not in plain.getvalue()  # transient lines: terminal only
    assert "\x1b" not in plain.getvalue() and "staffing: ok in 4.0s" in plain.getvalue()


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _gone(p: psutil.Process) -> bool:
    try:
        return not p.is_running() or p.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killed_run_keeps_old_report_and_next_run_recovers(tmp_path, out, capsys, sig):
    """SIGTERM: the runner aborts its job and kernel, removes its staging, one line, exit 143.
    SIGKILL: nothing runs any more; the jobs follow the runner, the next run cleans up."""
    nbs, _, theme, before = first_good_run(capsys, tmp_path, out)

    hold = tmp_path / "hold"
    hold.touch()
    make_nb(nbs, "online_usage",
            'import time\nfrom pathlib import Path\n'
            'Path(output_dir, "report.md").write_text("half")\n'
            'Path(output_dir, "partial.txt").write_text("half")\n'
            f't0 = time.time()\nwhile Path({str(hold)!r}).exists() and time.time() - t0 < 60:\n    time.sleep(0.05)',
            WRITE_REPORT.format(label="new"))
    proc = subprocess.Popen([sys.executable, "-m", "helpers.runner.run", "--notebooks-dir", str(nbs), "--out", str(out),
                             "--themes", "online_usage", "--jobs", "1"],
                            cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    kids: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 60
        while not list((out / runner.STAGING).glob("*/online_usage/partial.txt")):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "notebook never reached its sleeping cell"
            time.sleep(0.1)
        kids = _descendants(proc.pid)  # job process and its kernel
        assert kids
        proc.send_signal(sig)  # the runner's pid only, as `kill <pid>` does
        # returns only once nothing holds the runner's stdout/stderr: no orphaned job or kernel
        stdout, stderr = proc.communicate(timeout=30)
        deadline = time.monotonic() + 15
        while not all(_gone(k) for k in kids) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert all(_gone(k) for k in kids), "job or kernel outlived the killed runner"

        # the old report is kept as it was, nothing half-written reached it
        assert snapshot(theme) == before
        if sig == signal.SIGTERM:
            assert proc.returncode == 143, stderr
            assert stdout == "" and "Traceback" not in stderr
            assert stderr.splitlines()[-1] == ("stopped by SIGTERM: 1 running job(s) aborted, 0 not started; "
                                               "previous reports kept"), stderr
            assert no_run_staging(out)
        else:
            assert proc.returncode == -signal.SIGKILL
            assert list((out / runner.STAGING).glob("*/online_usage"))  # the leftover, for recover()
    finally:
        hold.unlink(missing_ok=True)
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        for k in kids:
            if not _gone(k):
                k.kill()

    rc, stdout = batch(capsys, nbs, out, "--themes", "online_usage")  # no --force: the inputs changed
    assert rc == 0, stdout
    assert status_of(stdout)["online_usage"].split()[1] == "ok"
    assert (theme / "report.md").read_text().startswith("# new")
    assert (theme / "figures" / "fig.txt").read_text() == "new"
    assert (theme / "partial.txt").read_text() == "half"  # written by the new run's first cell
    assert no_run_staging(out)


def test_signals_held_defers_sigterm_even_with_other_threads(tmp_path):
    """The swap must not be cut short: the pool's helper threads must not take the signal instead."""
    code = (
        "import os, signal, threading, time\n"
        "from helpers.runner import run\n"
        "threading.Thread(target=time.sleep, args=(10,), daemon=True).start()\n"
        "with run._signals_held():\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    time.sleep(0.3)\n"
        "    print('inside', flush=True)\n"
        "print('after', flush=True)\n"
    )
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=30)
    assert res.stdout.split() == ["inside"]
    assert res.returncode == -signal.SIGTERM


def test_recover_restores_a_folder_caught_mid_swap(tmp_path):
    out = tmp_path / "reports"
    stage = out / runner.STAGING
    (stage / "staffing.old").mkdir(parents=True)
    (stage / "staffing.old" / "report.md").write_text("old staffing")
    (stage / "security.old").mkdir()
    (stage / "security.old" / "report.md").write_text("stale")
    (out / "security").mkdir()
    (out / "security" / "report.md").write_text("new security")
    (stage / "online_usage.12345").mkdir()
    (stage / "online_usage.12345" / "report.md").write_text("half")
    runner.recover(out)
    assert (out / "staffing" / "report.md").read_text() == "old staffing"  # renamed away, not yet replaced
    assert (out / "security" / "report.md").read_text() == "new security"  # swapped in; drop the old one
    assert no_run_staging(out)
    assert not (out / "online_usage").exists()


# ------------------------------------------------------------------------------------ incremental

def test_incremental_skip_force_and_edit(nbs, out, capsys):
    themes = ("--themes", "staffing,online_usage")

    def statuses(stdout: str) -> dict[str, str]:
        return {t: row.split()[1] for t, row in status_of(stdout).items()}

    def stamps() -> dict[str, int]:
        files = [out / t / "report.md" for t in ("staffing", "online_usage")] + [out / "data_audit.md"]
        return {f.parent.name + "/" + f.name: f.stat().st_mtime_ns for f in files}

    rc, stdout = batch(capsys, nbs, out, *themes)
    assert rc == 0, stdout
    assert statuses(stdout) == {"staffing": "ok", "online_usage": "ok", "data_audit": "ok"}
    assert (out / "data_audit.md").is_file() and (out / "README.md").is_file()
    reports = {t: (out / t / "report.md").read_bytes() for t in ("staffing", "online_usage")}
    first = stamps()

    rc, stdout = batch(capsys, nbs, out, *themes)
    assert rc == 0
    assert statuses(stdout) == {"staffing": "skipped", "online_usage": "skipped", "data_audit": "skipped"}
    assert stamps() == first  # reports and data_audit.md untouched

    rc, stdout = batch(capsys, nbs, out, *themes, "--force")
    assert rc == 0
    assert statuses(stdout) == {"staffing": "ok", "online_usage": "ok", "data_audit": "ok"}
    forced = stamps()
    assert all(forced[k] != first[k] for k in first)

    ok_nb(nbs, "online_usage", "edited")
    rc, stdout = batch(capsys, nbs, out, *themes)
    assert rc == 0
    assert statuses(stdout) == {"staffing": "skipped", "online_usage": "ok", "data_audit": "skipped"}
    assert stamps()["staffing/report.md"] == forced["staffing/report.md"]
    assert (out / "staffing" / "report.md").read_bytes() == reports["staffing"]
    assert (out / "online_usage" / "report.md").read_text().startswith("# edited")
    assert no_run_staging(out)


# ------------------------------------------------------------------------------- the real batch

@pytest.mark.slow
def test_real_batch_with_dashboard(dashboard_dir, tmp_path):
    out = tmp_path / "reports"
    # a copy of the FY2023 release outside the project: its survey year must be given for the
    # reproduction against the FY2023 national figures to be made (else: "not compared")
    res = run_cli("--dashboard-dir", str(dashboard_dir), "--dashboard-survey-year", "2023", "--out", str(out),
                  "--jobs", "2", timeout=600)
    assert res.returncode == 0, res.stdout + res.stderr[-3000:]
    for theme in runner.NOTEBOOKS:
        assert (out / theme / "report.md").is_file()
    audit = (out / "data_audit.md").read_text(encoding="utf-8")
    section = audit.split("## 再現チェック", 1)[1]
    assert "--dashboard-dir で指定すると" not in section
    table = [line for line in section.splitlines() if line.startswith("|")]
    assert len(table) >= 3  # header, rule, at least one row


@pytest.mark.slow
def test_two_prefecture_profiles_and_their_index(tmp_path):
    """--profiles by code and by name: two real profile reports, a summary row each, the index linked."""
    import subprocess
    import sys

    out = tmp_path / "out"
    res = subprocess.run([sys.executable, "-m", "helpers.runner.run", "--themes", "staffing", "--profiles", "31,Okinawa",
                          "--out", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    for slug in ("31_tottori", "47_okinawa"):
        assert (out / "prefectures" / slug / "report.md").is_file()
        assert (out / "prefectures" / slug / "report.html").is_file()
    index = (out / "prefectures" / "README.md").read_text(encoding="utf-8")
    assert "[鳥取県](31_tottori/report.md)" in index and "[沖縄県](47_okinawa/report.md)" in index
    assert "(prefectures/README.md)" in (out / "README.md").read_text(encoding="utf-8")
    again = subprocess.run([sys.executable, "-m", "helpers.runner.run", "--themes", "staffing", "--profiles", "31,47",
                            "--out", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert again.returncode == 0 and again.stdout.count("skipped") >= 3  # incremental like the themes


def test_bad_profile_names_exit_2_with_one_line(tmp_path):
    import subprocess
    import sys

    res = subprocess.run([sys.executable, "-m", "helpers.runner.run", "--profiles", "13,Tokio", "--out", str(tmp_path / "o")],
                         capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 2 and res.stderr.count("\n") == 1 and "Tokio" in res.stderr
    assert not (tmp_path / "o").exists()


def test_the_run_record_prints_the_full_sha256(tmp_path):
    """Findings item 26: the README's 'SHA-256' column showed 16 of the 64 hex digits."""
    import json

    from helpers.reporting import run_record

    (tmp_path / "staffing").mkdir()
    (tmp_path / "staffing" / "report.md").write_text("x", encoding="utf-8")
    digest = "ab" * 32
    rec = {"export": {"folder": "", "date": None, "how": "unknown"},
           "files": [{"path": "data/national/indicators.csv", "date": "", "bytes": 10, "sha256": digest}]}
    (tmp_path / "staffing" / ".inputs.json").write_text(json.dumps(rec), encoding="utf-8")
    md = run_record.build(tmp_path, {"staffing": "01_staffing.ipynb"}, "en", "all", "data_audit.md").to_markdown()
    assert f"`{digest}`" in md
