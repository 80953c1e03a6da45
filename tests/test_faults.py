"""Integrity of the batch runner under faults: every case ends with correct output or a one-line error,
a non-zero exit code, and the previous reports byte-identical.

Most tests never start a kernel: the job's notebook execution (``helpers.runner.runworker.execute``) and the
audit are replaced by fakes in this process, and the runner's forked job processes inherit them. The
fingerprint inputs (``data/``, the helpers' source) are a tiny fixed tree (``DXKIT_ROOT``), so edits
other people make to the project while the tests run cannot change what is "unchanged". Real
kernels run only where the case is about kernels (Ctrl-C, a dead job process, a cell timeout, the
kernels' stderr).
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import papermill  # noqa: F401  imported once here: in-process runs fork their jobs from this process, warm
import psutil
import pytest

import helpers.reporting.audit_report
from helpers import atomic
from helpers.runner import runlock, runworker, staging, swap
from helpers.runner import run as runner
from test_run import make_nb  # noqa: E402  (one notebook builder for the runner's tests)

ROOT = Path(__file__).resolve().parents[1]
THEMES = ("staffing", "online_usage")

WRITE_REPORT = ('from pathlib import Path\n'
                'from helpers.atomic import write_text_atomic\n'
                'Path(output_dir).mkdir(parents=True, exist_ok=True)\n'
                'write_text_atomic(Path(output_dir, "report.md"), "# {label}\\n" + tier + " " + lang + "\\n")\n'
                'Path(output_dir, "figures").mkdir(exist_ok=True)\n'
                'Path(output_dir, "figures", "fig.txt").write_text("{label}")')


# ------------------------------------------------------------------------------------ helpers

def snapshot(folder: Path) -> dict[str, bytes]:
    """{relative path: bytes} of every file under ``folder`` except the runner's own state (.staging/)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.relative_to(folder).parts[0] != runner.STAGING}


def stamps(folder: Path) -> dict[str, int]:
    """{relative path: mtime_ns} of every file and folder (the folder itself too), .staging/ aside."""
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in [folder, *sorted(folder.rglob("*"))]
            if p == folder or p.relative_to(folder).parts[0] != runner.STAGING}


def no_run_staging(out: Path) -> bool:
    stage = out / runner.STAGING
    return not stage.exists() or sorted(p.name for p in stage.iterdir()) in ([], [runlock.LOCK_NAME])


def no_temp_files(out: Path) -> bool:
    return not [p for p in out.rglob("*.tmp")]


def rows(stdout: str) -> dict[str, str]:
    """theme -> its summary line."""
    return {line.split()[0]: line for line in stdout.splitlines()[1:] if line.strip()}


def status(stdout: str) -> dict[str, str]:
    return {t: line.split()[1] for t, line in rows(stdout).items()}


def batch(capsys, nbs: Path, out: Path, *args: str) -> tuple[int, str, str]:
    """``helpers.runner.run.main`` in this process: (exit code, stdout, stderr)."""
    capsys.readouterr()
    themes = [] if "--themes" in args else ["--themes", ",".join(THEMES)]
    rc = runner.main(["--notebooks-dir", str(nbs), "--out", str(out), "--jobs", "2", *themes, *args])
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


def one_line_error(stderr: str) -> str:
    """The error lines of stderr, progress lines ([elapsed] …) aside; asserts there is exactly one."""
    lines = [line for line in stderr.splitlines() if line.strip() and not re.match(r"\[ *\d+\.\ds\] ", line)]
    assert len(lines) == 1, stderr
    return lines[0]


# ------------------------------------------------------------------- fakes (no kernel, no pandas)

def fake_execute(conn, nb_path, staging, params, timeout, ipc_dir, **_):
    """Stands in for the papermill run in a job process: report.md and a figure from the notebook's bytes."""
    label = hashlib.sha256(Path(nb_path).read_bytes()).hexdigest()[:12]
    conn.send(("cell", 1))
    Path(staging, "report.md").write_text(f"# fake {label}\n{params['tier']} {params['lang']}\n")
    Path(staging, "figures").mkdir(exist_ok=True)
    Path(staging, "figures", "fig.png").write_bytes(b"PNG" + label.encode())
    return {"ok": True}


class _FakeAudit:
    def write(self, path):
        return atomic.write_text_atomic(path, "# audit\n")


def fake_audit(lang="ja", dashboard_dir=None):
    return _FakeAudit()


@pytest.fixture(scope="module")
def fake_root(tmp_path_factory) -> Path:
    """A fixed project root for the fingerprints' shared inputs (data/, src/helpers/)."""
    root = tmp_path_factory.mktemp("root")
    (root / "data").mkdir()
    (root / "data" / "x.csv").write_text("a,b\n1,2\n")
    (root / "src" / "helpers").mkdir(parents=True)
    (root / "src" / "helpers" / "x.py").write_text("X = 1\n")
    return root


@pytest.fixture(autouse=True)
def isolated(monkeypatch, fake_root):
    monkeypatch.setenv("DXKIT_ROOT", str(fake_root))
    monkeypatch.setattr(helpers.reporting.audit_report, "build_audit_report", fake_audit)
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def fake_kernel(monkeypatch):
    monkeypatch.setattr(runworker, "execute", fake_execute)


@pytest.fixture(autouse=True)
def no_kernel_template_for_fakes(request, monkeypatch):
    """Fake jobs start no kernel, so the runner need not start its kernel template (2–3 s of
    imports); the slow tests, which run real kernels, keep it."""
    if "slow" not in request.keywords:
        monkeypatch.setenv("DXKIT_FORK_KERNELS", "0")


@pytest.fixture(scope="module")
def prior(tmp_path_factory, fake_root) -> tuple[Path, Path]:
    """Notebooks and a good reports folder made by one (fake-kernel) run: (nbs, reports)."""
    base = tmp_path_factory.mktemp("prior")
    nbs, out = base / "nbs", base / "reports"
    for theme in THEMES:
        make_nb(nbs, theme, WRITE_REPORT.format(label=theme))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DXKIT_ROOT", str(fake_root))
        mp.setenv("DXKIT_FORK_KERNELS", "0")
        mp.setattr(helpers.reporting.audit_report, "build_audit_report", fake_audit)
        mp.setattr(runworker, "execute", fake_execute)
        old = os.umask(0o022)
        try:
            rc = runner.main(["--notebooks-dir", str(nbs), "--out", str(out), "--jobs", "2", "--themes", ",".join(THEMES)])
        finally:
            os.umask(old)
    assert rc == 0
    return nbs, out


@pytest.fixture
def good(prior, tmp_path) -> tuple[Path, Path, dict[str, bytes]]:
    """This test's copy of the notebooks and of the good reports folder: (nbs, reports, snapshot)."""
    nbs, out = tmp_path / "nbs", tmp_path / "reports"
    shutil.copytree(prior[0], nbs)
    shutil.copytree(prior[1], out)  # .staging/ holds only the lock file now
    assert sorted(p.name for p in (out / runner.STAGING).iterdir()) == [runlock.LOCK_NAME]
    return nbs, out, snapshot(out)


# ------------------------------------------------------------------------------------ the lock

def test_lock_held_exits_2_with_one_line(good, capsys):
    nbs, out, before = good
    lock = runlock.acquire(out / runner.STAGING)  # another open file description: a second holder
    try:
        rc, stdout, stderr = batch(capsys, nbs, out, "--force")
    finally:
        lock.release()
    assert rc == 2
    assert stdout == ""
    assert stderr == (f"error: another run holds the lock on {out.as_posix()}/ (pid {os.getpid()}); "
                      "wait for it or use --wait\n")
    assert snapshot(out) == before


def test_wait_waits_for_the_lock_then_runs(good, capsys, fake_kernel):
    nbs, out, before = good
    lock = runlock.acquire(out / runner.STAGING)
    threading.Timer(0.6, lock.release).start()
    t0 = time.monotonic()
    rc, stdout, stderr = batch(capsys, nbs, out, "--wait")
    assert time.monotonic() - t0 >= 0.5
    assert rc == 0, stderr
    assert f"waiting: another run holds the lock on {out.as_posix()}/ (pid {os.getpid()})" in stderr
    assert set(status(stdout).values()) == {"skipped"}
    assert snapshot(out) == before


def _live_and_dead_pids() -> tuple[subprocess.Popen, int]:
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    return live, dead.pid


def test_staging_of_another_run_is_never_touched(good, capsys, fake_kernel):
    nbs, out, before = good
    live, dead_pid = _live_and_dead_pids()
    try:
        theirs = out / runner.STAGING / f"{live.pid}-cafe0001"
        (theirs / "staffing").mkdir(parents=True)
        (theirs / "staffing" / "report.md").write_text("their run, in progress")
        stale = out / runner.STAGING / f"{dead_pid}-dead0001"
        (stale / "staffing").mkdir(parents=True)
        (stale / "staffing" / "report.md").write_text("a killed run's leftover")

        # a second runner while the other holds the lock: exit 2, touches nothing
        lock = runlock.acquire(out / runner.STAGING)
        try:
            rc, _, stderr = batch(capsys, nbs, out, "--force")
        finally:
            lock.release()
        assert rc == 2 and "another run holds the lock" in stderr
        assert (theirs / "staffing" / "report.md").read_text() == "their run, in progress"
        assert stale.exists()
        assert snapshot(out) == before

        # the next lock holder cleans the dead run's staging, never the live process's
        rc, stdout, _ = batch(capsys, nbs, out, "--force")
        assert rc == 0
        assert (theirs / "staffing" / "report.md").read_text() == "their run, in progress"
        assert not stale.exists()
        assert sorted(p.name for p in (out / runner.STAGING).iterdir()) == [theirs.name, runlock.LOCK_NAME]
    finally:
        live.kill()
        live.wait()


def test_lock_file_names_its_holder(tmp_path):
    lock = runlock.acquire(tmp_path / "s")
    try:
        assert runlock.holder_pid(lock.path) == os.getpid()
        with pytest.raises(runlock.LockBusy) as busy:
            runlock.acquire(tmp_path / "s")
        assert busy.value.pid == os.getpid()
    finally:
        lock.release()
    runlock.acquire(tmp_path / "s").release()  # free again once released


# -------------------------------------------------------------------- SIGKILL inside the swap

SWAP_CHILD = r"""
import os, signal, sys
from pathlib import Path
from helpers.runner import swap

mode, step, out, prep = sys.argv[1], sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
if mode == "renames":  # a file system that cannot exchange two folders atomically
    swap.exchange = lambda a, b: False
swap._after_step = lambda s: os.kill(os.getpid(), signal.SIGKILL) if s == step else None
work = out / ".staging" / f"{os.getpid()}-abcd0123"
work.mkdir(parents=True)
os.rename(prep, work / "staffing")
swap.swap_in(work / "staffing", out / "staffing", work, out)
"""

SWAP_STEPS = {
    "exchange": ["journal", "exchanged", "journal-removed", "old-removed"],
    "renames": ["journal", "old-moved", "new-moved", "journal-removed", "old-removed"],
    "first": ["journal", "new-moved", "journal-removed", "old-removed"],  # no previous folder
}


def _tree(folder: Path, label: str) -> dict[str, bytes]:
    (folder / "figures").mkdir(parents=True)
    files = {"report.md": f"# {label}\n".encode(), "figures/a.png": f"png {label}".encode(),
             ".fingerprint": f"{label}\n".encode()}
    for rel, data in files.items():
        (folder / rel).write_bytes(data)
    return files


@pytest.mark.parametrize("mode, step", [(m, s) for m, steps in SWAP_STEPS.items() for s in steps])
def test_sigkill_at_each_swap_step_then_recovery(tmp_path, mode, step):
    out, prep = tmp_path / "reports", tmp_path / "prep"
    out.mkdir()
    old = _tree(out / "staffing", "old") if mode != "first" else None
    other = _tree(out / "security", "security")  # a theme the swap must never touch
    new = _tree(prep, "new")
    res = subprocess.run([sys.executable, "-c", SWAP_CHILD, mode, step, str(out), str(prep)],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert res.returncode == -signal.SIGKILL, res.stderr

    # what a reader sees right after the kill: with an atomic exchange, the theme is never missing
    seen = snapshot(out / "staffing") if (out / "staffing").is_dir() else None
    if mode == "exchange":
        assert seen in (old, new), seen
    elif seen is not None:
        assert seen in (old, new), seen  # whole, or (between two renames) missing until recovery
    assert snapshot(out / "security") == other

    runner.recover(out)  # what the next run (the next lock holder) does first
    # a whole folder in place stays (the old one if killed before anything moved); a missing one
    # gets the new folder, which was complete before the journal was written
    assert snapshot(out / "staffing") == (old if mode != "first" and step == "journal" else new)
    assert snapshot(out / "security") == other
    assert no_run_staging(out)


def test_recovery_never_overwrites_a_folder_put_there_after_the_kill(tmp_path):
    out, prep = tmp_path / "reports", tmp_path / "prep"
    out.mkdir()
    _tree(out / "staffing", "old")
    _tree(prep, "new")
    res = subprocess.run([sys.executable, "-c", SWAP_CHILD, "exchange", "journal", str(out), str(prep)],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert res.returncode == -signal.SIGKILL, res.stderr
    shutil.rmtree(out / "staffing")
    hand = _tree(out / "staffing", "run by hand meanwhile")
    runner.recover(out)
    assert snapshot(out / "staffing") == hand
    assert no_run_staging(out)


COMMIT_CHILD = r"""
import os, signal, sys
from pathlib import Path
from helpers.runner import swap

mode, step, nth, out, prep = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]), Path(sys.argv[5])
if mode == "renames":
    swap.exchange = lambda a, b: False
seen = []
def kill(s):
    if s == step:
        seen.append(s)
        if len(seen) == nth:
            os.kill(os.getpid(), signal.SIGKILL)
swap._after_step = kill
work = out / ".staging" / f"{os.getpid()}-abcd0123"
work.mkdir(parents=True)
pairs = []
for theme in ("staffing", "security"):
    os.rename(prep / theme, work / theme)
    pairs.append((work / theme, out / theme))
swap.swap_all(pairs, work, out)
"""

COMMIT_STEPS = {
    "exchange": [("commit-journal", 1), ("journal", 1), ("exchanged", 1), ("journal-removed", 1), ("journal", 2),
                 ("exchanged", 2), ("journal-removed", 2), ("commit-journal-removed", 1)],
    "renames": [("old-moved", 1), ("new-moved", 1), ("old-moved", 2), ("new-moved", 2)],
}


@pytest.mark.parametrize("mode, step, nth", [(m, s, n) for m, steps in COMMIT_STEPS.items() for s, n in steps])
def test_sigkill_inside_a_batch_commit_then_recovery_finishes_the_set(tmp_path, mode, step, nth):
    """A batch's folders are swapped in together (helpers.runner.swap.swap_all): killed anywhere once the
    commit journal is written, the next lock holder finishes the set — never two batches mixed."""
    out, prep = tmp_path / "reports", tmp_path / "prep"
    out.mkdir()
    _tree(out / "staffing", "old staffing")
    _tree(out / "security", "old security")
    new = {theme: _tree(prep / theme, f"new {theme}") for theme in ("staffing", "security")}
    res = subprocess.run([sys.executable, "-c", COMMIT_CHILD, mode, step, str(nth), str(out), str(prep)],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert res.returncode == -signal.SIGKILL, res.stderr
    assert runner.recover(out) == (step != "commit-journal-removed")  # the index is stale: said so
    for theme in ("staffing", "security"):
        assert snapshot(out / theme) == new[theme]
    assert no_run_staging(out)


def test_an_error_half_way_through_a_batch_puts_every_old_folder_back(good, capsys, fake_kernel, monkeypatch):
    """The second theme's folder cannot be replaced: the first, swapped in already, is put back —
    all or nothing — and the audit too stays as it was."""
    nbs, out, before = good
    real_exchange = swap.exchange

    def refuse_online_usage(a, b):
        if Path(b) == out / "online_usage":
            raise OSError(errno.EACCES, os.strerror(errno.EACCES), str(a), None, str(b))
        return real_exchange(a, b)

    monkeypatch.setattr(swap, "exchange", refuse_online_usage)
    rc, stdout, stderr = batch(capsys, nbs, out, "--force", "--jobs", "1")
    assert rc == 1, stdout + stderr
    r = rows(stdout)
    assert r["online_usage"].split()[1] == "failed"
    assert f"cannot replace {(out / 'online_usage').as_posix()}/: " in r["online_usage"] and "Permission denied" in r["online_usage"]
    assert r["staffing"].split()[1] == "cancelled" and r["data_audit"].split()[1] == "cancelled"
    assert one_line_error(stderr) == ("error: online_usage failed; no report was replaced (all or nothing): "
                                      "previous reports kept: staffing, online_usage and data_audit")
    assert snapshot(out) == before
    assert no_run_staging(out)


SWAP_RUNNER_CHILD = r"""
import os, signal, sys
from helpers.runner import run, runworker, swap
import helpers.reporting.audit_report
sys.path.insert(0, {tests!r})
import test_faults

runworker.execute = test_faults.fake_execute
helpers.reporting.audit_report.build_audit_report = test_faults.fake_audit
seen = []
def kill_at_second_exchange(step):
    if step == "exchanged":
        seen.append(step)
        if len(seen) == 2:
            os.kill(os.getpid(), signal.SIGKILL)
swap._after_step = kill_at_second_exchange
sys.exit(run.main(sys.argv[1:]))
"""


def test_runner_killed_inside_a_swap_next_run_sees_every_theme(good, capsys, fake_kernel):
    nbs, out, before = good
    for theme in THEMES:
        make_nb(nbs, theme, WRITE_REPORT.format(label=f"{theme} v2"))
    code = SWAP_RUNNER_CHILD.replace("{tests!r}", repr(str(ROOT / "tests")))
    res = subprocess.run([sys.executable, "-c", code, "--notebooks-dir", str(nbs), "--out", str(out), "--jobs", "1",
                          "--themes", ",".join(THEMES)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120, env=os.environ)
    assert res.returncode == -signal.SIGKILL, res.stderr
    index = (out / "README.md").read_text()
    for theme in THEMES:  # a reader following reports/README.md finds every theme, whole
        assert f"{theme}/report.md" in index
        assert (out / theme / "report.md").is_file() and (out / theme / "figures" / "fig.png").is_file()

    rc, stdout, stderr = batch(capsys, nbs, out)
    assert rc == 0, stderr
    # the interrupted swap was finished by recovery: its theme is current; nothing runs twice
    assert status(stdout) == {"staffing": "skipped", "online_usage": "skipped", "data_audit": "skipped"}
    assert no_run_staging(out)


# ------------------------------------------------------------------------------- OS errors

def _enospc(*_a, **_k):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_disk_full_fails_the_row_keeps_everything(good, capsys, fake_kernel, monkeypatch):
    nbs, out, before = good
    monkeypatch.setattr(atomic, "_write_all", _enospc)  # every atomic write: fingerprint, audit, index
    rc, stdout, stderr = batch(capsys, nbs, out, "--force", "--themes", "staffing")
    assert rc == 1, stdout + stderr
    r = rows(stdout)
    assert r["staffing"].split()[1] == "failed"
    assert "cannot record outputs: OSError: No space left on device" in r["staffing"]
    assert r["data_audit"].split()[1] == "failed" and "No space left on device" in r["data_audit"]
    assert "Traceback" not in stderr
    assert snapshot(out) == before
    assert no_run_staging(out) and no_temp_files(out)


@pytest.mark.parametrize("err, word", [(errno.EACCES, "Permission denied"), (errno.EROFS, "Read-only file system")])
@pytest.mark.parametrize("how", ["exchange", "renames", "second-rename"])
def test_os_error_in_the_swap_fails_the_row_keeps_everything(good, capsys, fake_kernel, monkeypatch, err, word, how):
    """Permission denied / read-only theme folder, however the swap meets it; runs as root too."""
    nbs, out, before = good
    target = out / "staffing"
    real_rename = os.rename

    def refuse(*args):
        raise OSError(err, os.strerror(err), str(args[0]))

    if how == "exchange":
        monkeypatch.setattr(swap, "exchange", refuse)
    else:
        monkeypatch.setattr(swap, "exchange", lambda a, b: False)

        def rename(src, dst, *a, **k):
            moving_new_in = Path(dst) == target and not Path(src).name.endswith(".old")  # not the roll-back
            if (how == "renames" and Path(src) == target) or (how == "second-rename" and moving_new_in):
                refuse(src)
            return real_rename(src, dst, *a, **k)

        monkeypatch.setattr(os, "rename", rename)
    rc, stdout, stderr = batch(capsys, nbs, out, "--force", "--themes", "staffing")
    assert rc == 1, stdout + stderr
    line = rows(stdout)["staffing"]
    assert line.split()[1] == "failed"
    assert f"cannot replace {target.as_posix()}/: " in line and word in line
    assert "Traceback" not in stderr
    assert snapshot(out) == before  # the old folder is back (second-rename: moved away, then restored)
    assert no_run_staging(out)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders (the monkeypatched test covers it)")
def test_read_only_theme_folder(good, capsys, fake_kernel):
    nbs, out, before = good
    target = out / "staffing"
    target.chmod(0o555)
    try:
        rc, stdout, stderr = batch(capsys, nbs, out, "--force", "--themes", "staffing")
    finally:
        target.chmod(0o755)
    assert rc == 1
    assert "cannot replace" in rows(stdout)["staffing"] and "Traceback" not in stderr
    assert snapshot(out) == before
    assert no_run_staging(out)


# ----------------------------------------------------------------------- no-op, permissions

def test_noop_run_writes_nothing(good, capsys, fake_kernel):
    nbs, out, before = good
    times = stamps(out)
    time.sleep(0.01)
    rc, stdout, stderr = batch(capsys, nbs, out)
    assert rc == 0, stderr
    assert set(status(stdout).values()) == {"skipped"}
    assert snapshot(out) == before
    assert stamps(out) == times  # not even README.md is rewritten
    assert no_run_staging(out)


def test_atomic_writes_get_normal_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        assert (atomic.write_text_atomic(tmp_path / "a.md", "x").stat().st_mode & 0o777) == 0o644
        os.umask(0o027)
        assert (atomic.write_bytes_atomic(tmp_path / "b.png", b"x").stat().st_mode & 0o777) == 0o640
    finally:
        os.umask(old)
    assert atomic.write_bytes_if_changed(tmp_path / "a.md", b"x") is False
    assert atomic.write_bytes_if_changed(tmp_path / "a.md", b"y") is True and (tmp_path / "a.md").read_bytes() == b"y"


def _modes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): oct(p.stat().st_mode & 0o777) for p in sorted(folder.rglob("*"))}


# ---------------------------------------------------------- incremental: outputs are checked too

def _delete_figure(theme: Path):
    (theme / "figures" / "fig.png").unlink()


def _edit_report(theme: Path):
    with open(theme / "report.md", "a") as fh:
        fh.write("edited by hand\n")


def _rewritten_by_hand(theme: Path):
    """A notebook run by hand (JupyterLab, papermill CLI) with other parameters rewrote the folder."""
    (theme / "report.md").write_text("# hand run\nprefecture en\n")
    (theme / "figures" / "other.png").write_bytes(b"PNG other")


@pytest.mark.parametrize("change", [_delete_figure, _edit_report], ids=lambda f: f.__name__[1:])
def test_changed_outputs_make_the_theme_run_again(good, capsys, fake_kernel, change):
    nbs, out, before = good
    change(out / "staffing")
    rc, stdout, stderr = batch(capsys, nbs, out)
    assert rc == 0, stderr
    assert status(stdout) == {"staffing": "ok", "online_usage": "skipped", "data_audit": "skipped"}
    assert snapshot(out) == before  # rebuilt exactly as the good run had it


def test_a_file_added_to_a_theme_folder_is_never_deleted_without_adopt_existing(good, capsys, fake_kernel):
    """A file the runner did not write (here a figure from a notebook run by hand) may be someone's
    work: the run refuses to replace its folder; ``--adopt-existing`` lets it rebuild."""
    nbs, out, before = good
    _rewritten_by_hand(out / "staffing")
    changed = snapshot(out)
    rc, stdout, stderr = batch(capsys, nbs, out)
    assert rc == 2 and "staffing holds figures/other.png" in one_line_error(stderr) and "--adopt-existing" in stderr
    assert snapshot(out) == changed
    rc, stdout, stderr = batch(capsys, nbs, out, "--adopt-existing")
    assert rc == 0, stderr
    assert status(stdout) == {"staffing": "ok", "online_usage": "skipped", "data_audit": "skipped"}
    assert snapshot(out) == before  # rebuilt exactly as the good run had it


def test_unchanged_outputs_rewritten_with_the_same_bytes_are_skipped(good, capsys, fake_kernel):
    nbs, out, before = good
    report = out / "staffing" / "report.md"
    report.write_bytes(report.read_bytes())  # e.g. the same notebook run by hand with the same parameters
    rc, stdout, _ = batch(capsys, nbs, out)
    assert rc == 0 and status(stdout)["staffing"] == "skipped"


# ------------------------------------------------------------------------- signals, dead jobs

def _slow_execute(conn, nb_path, staging, params, timeout, ipc_dir, **_):
    conn.send(("cell", 1))
    Path(staging, "started").write_text(str(os.getpid()))
    time.sleep(60)
    return {"ok": True}


@pytest.mark.parametrize("sig, code, words", [(signal.SIGTERM, 143, "stopped by SIGTERM"),
                                              (signal.SIGHUP, 129, "stopped by SIGHUP")], ids=["SIGTERM", "SIGHUP"])
def test_sigterm_and_sighup_abort_with_one_line(good, capsys, monkeypatch, sig, code, words):
    nbs, out, before = good
    monkeypatch.setattr(runworker, "execute", _slow_execute)
    started: list[int] = []

    def send_when_running():
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            marks = list((out / runner.STAGING).glob("*/staffing/started"))
            text = marks[0].read_text() if marks else ""
            if text.isdigit():  # whole (written by the job, maybe still being written)
                started.append(int(text))
                os.kill(os.getpid(), sig)
                return
            time.sleep(0.05)

    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    threading.Thread(target=send_when_running, daemon=True).start()
    t0 = time.monotonic()
    rc, stdout, stderr = batch(capsys, nbs, out, "--force", "--jobs", "1")
    assert time.monotonic() - t0 < 20
    assert rc == code
    assert stdout == ""
    # the audit ran first (jobs = 1) and finished; online_usage never started
    assert one_line_error(stderr) == f"{words}: 1 running job(s) aborted, 1 not started; previous reports kept"
    assert started and _gone_pid(started[0]), "the job process outlived the signal"
    assert snapshot(out) == before
    assert no_run_staging(out)
    assert {s: signal.getsignal(s) for s in handlers} == handlers  # the caller's handlers are back


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _gone_pid(pid: int) -> bool:
    try:
        return _gone(psutil.Process(pid))
    except psutil.NoSuchProcess:
        return True


def _gone(p: psutil.Process) -> bool:
    try:
        return not p.is_running() or p.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


@pytest.mark.slow
def test_ctrl_c_cancels_queue_aborts_kernel_prints_summary_exit_130(good, tmp_path):
    """Ctrl-C on a terminal: SIGINT to the foreground process group (the runner; its jobs have their own)."""
    nbs, out, before = good
    mark = tmp_path / "in_cell"
    make_nb(nbs, "staffing", f'from pathlib import Path\nPath({str(mark)!r}).write_text("x")',
            "import time\ntime.sleep(60)", WRITE_REPORT.format(label="never"))
    # as from an interactive shell: SIGINT handled (a background shell would start it ignored, and a
    # runner started ignoring SIGINT keeps ignoring it, as nohup'ed programs do)
    as_from_a_shell = ("import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
                       "runpy.run_module('helpers.runner.run', run_name='__main__', alter_sys=True)")
    proc = subprocess.Popen([sys.executable, "-c", as_from_a_shell, "--notebooks-dir", str(nbs), "--out", str(out),
                             "--force", "--jobs", "1", "--themes", ",".join(THEMES)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    kids: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 60
        while not mark.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the notebook never reached its sleeping cell"
            time.sleep(0.05)
        time.sleep(0.2)
        kids = _descendants(proc.pid)  # job process and its kernel
        assert len(kids) >= 2
        t0 = time.monotonic()
        os.killpg(proc.pid, signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=30)
        assert time.monotonic() - t0 < 5, "Ctrl-C must act at once"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    deadline = time.monotonic() + 10
    while not all(_gone(k) for k in kids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert all(_gone(k) for k in kids), "job or kernel outlived Ctrl-C"
    assert proc.returncode == 130, stderr
    r = rows(stdout)
    assert r["staffing"].split()[1] == "failed" and r["staffing"].endswith("— interrupted")
    assert r["online_usage"].split()[1] == "cancelled"
    assert r["data_audit"].split()[1] != "cancelled"  # it runs first (jobs = 1); this fake project has no data for it
    assert one_line_error(stderr) == "interrupted (Ctrl-C): 1 running job(s) aborted, 1 not started; previous reports kept"
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert snapshot(out) == before
    assert no_run_staging(out)


@pytest.mark.slow
def test_dead_job_process_fails_its_own_row_and_replaces_nothing(good, capsys, tmp_path):
    nbs, out, before = good
    pid_file = tmp_path / "kernel.pid"
    make_nb(nbs, "staffing", f"import os, signal\nfrom pathlib import Path\nPath({str(pid_file)!r}).write_text(str(os.getpid()))\n"
                             "os.kill(int(os.environ[\"JPY_PARENT_PID\"]), signal.SIGKILL)  # the job running this kernel (launched or forked)",
            WRITE_REPORT.format(label="never"))
    make_nb(nbs, "online_usage", WRITE_REPORT.format(label="online v2"))
    rc, stdout, stderr = batch(capsys, nbs, out)
    assert rc == 1, stdout + stderr
    r = rows(stdout)
    assert r["staffing"].split()[1] == "failed" and "worker died (killed by SIGKILL)" in r["staffing"]
    # all or nothing: the other theme ran well but is not swapped in; every previous report stays
    assert r["online_usage"].split()[1] == "cancelled" and r["data_audit"].split()[1] == "skipped"
    assert one_line_error(stderr) == ("error: staffing failed; no report was replaced (all or nothing): "
                                      "previous reports kept: staffing and online_usage")
    after = snapshot(out)
    after.pop("staffing/failed.ipynb", None)
    assert after == before
    assert no_run_staging(out)
    kernel = int(pid_file.read_text())
    deadline = time.monotonic() + 10
    while psutil.pid_exists(kernel) and psutil.Process(kernel).status() != psutil.STATUS_ZOMBIE:
        assert time.monotonic() < deadline, "the orphaned kernel did not end"
        time.sleep(0.1)


# ---------------------------------------------------------------------------------- --timeout

@pytest.mark.parametrize("value, needle", [("0", "must be at least 1 second, got 0"),
                                           ("-1", "must be at least 1 second, got -1"),
                                           ("abc", "must be a whole number of seconds, got 'abc'"),
                                           ("1.5", "must be a whole number of seconds, got '1.5'")])
def test_bad_timeout_exits_2_with_one_line(tmp_path, value, needle):
    out = tmp_path / "reports"
    res = subprocess.run([sys.executable, "-m", "helpers.runner.run", "--timeout", value, "--out", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert res.returncode == 2
    assert res.stdout == ""
    assert res.stderr == f"error: argument --timeout: {needle} (see --help)\n"
    assert not out.exists()


@pytest.mark.slow
def test_timed_out_cell_names_the_cell_and_the_limit(good, capsys):
    nbs, out, before = good
    make_nb(nbs, "staffing", "x = 1", "import time\ntime.sleep(60)", WRITE_REPORT.format(label="never"))
    t0 = time.monotonic()
    rc, stdout, stderr = batch(capsys, nbs, out, "--themes", "staffing", "--timeout", "1")
    assert time.monotonic() - t0 < 20
    assert rc == 1
    executed = nbformat.read(out / "staffing" / "failed.ipynb", as_version=4)
    hung = next(c for c in executed.cells if "sleep(60)" in c.source)
    line = rows(stdout)["staffing"]
    assert line.split()[1] == "failed"
    assert f"— cell [{hung.execution_count}] exceeded the 1 s limit (--timeout)" in line
    assert "Traceback" not in stderr and "Timeout waiting" not in stderr
    after = snapshot(out)
    assert after.pop("staffing/failed.ipynb") and after == before
    assert no_run_staging(out)


# ------------------------------------------------------------ a real run: quiet, whole progress

@pytest.mark.slow
def test_real_kernels_run_quietly_with_whole_progress_and_0644_files(tmp_path, capfd, monkeypatch):
    """No "running over TCP without encryption" warning, no "KeyboardInterrupt caught in kernel",
    every progress state whole ("cell 3/6", never "cell /6"), files 0644 and folders 0755, and the
    kernels' private socket folder removed."""
    made: list[str] = []
    real_kernels_dir = staging.kernels_dir
    monkeypatch.setattr(staging, "kernels_dir", lambda run_dir: made.append(real_kernels_dir(run_dir)) or made[-1])
    nbs, out = tmp_path / "nbs", tmp_path / "reports"
    for theme in THEMES:
        make_nb(nbs, theme, "x = 1", "import time\ntime.sleep(1.2)", "y = 2", WRITE_REPORT.format(label=theme))
    capfd.readouterr()
    rc = runner.main(["--notebooks-dir", str(nbs), "--out", str(out), "--jobs", "2", "--themes", ",".join(THEMES)])
    cap = capfd.readouterr()
    assert rc == 0, cap.out + cap.err
    assert "TCP" not in cap.err and "encryption" not in cap.err
    assert "KeyboardInterrupt" not in cap.err and "Traceback" not in cap.err
    for line in cap.err.splitlines():
        assert re.fullmatch(r"\[ *\d+\.\ds\] .+", line), line
        if " cell " in line:
            assert re.search(r": cell [1-9]\d*/6$", line), line
    assert any(": cell " in line for line in cap.err.splitlines())
    modes = _modes(out)
    assert modes and all(m == ("0o755" if (out / p).is_dir() else "0o644") for p, m in modes.items()), modes
    assert made and made[0] and not Path(made[0]).exists()


# ------------------------------------------------- the runner owns only what it wrote under --out

def _outside(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """A folder beside --out holding someone's file, and its snapshot."""
    other = tmp_path / "elsewhere"
    (other / "keep").mkdir(parents=True)
    (other / "keep" / "notes.txt").write_text("not the runner's")
    (other / "target.txt").write_text("someone's file")
    return other, snapshot(other)


def test_a_strangers_theme_folder_and_readme_are_never_replaced(good, capsys, fake_kernel, tmp_path):
    """The issue's case: x/staffing/notes.txt and x/README.md were not written by the runner."""
    nbs, _, _ = good
    x = tmp_path / "x"
    (x / "staffing").mkdir(parents=True)
    (x / "staffing" / "notes.txt").write_text("notes\n")
    (x / "README.md").write_text("# mine\n")
    before = snapshot(x)
    rc, _, stderr = batch(capsys, nbs, x)
    line = one_line_error(stderr)
    assert rc == 2 and "staffing holds notes.txt" in line and "not written by this tool" in line
    assert snapshot(x) == before and not (x / runner.STAGING).exists()  # nothing written, not even the lock
    (x / "staffing" / "notes.txt").unlink()
    (x / "staffing").rmdir()
    rc, _, stderr = batch(capsys, nbs, x)
    assert rc == 2 and "README.md was not written by this tool" in one_line_error(stderr)
    assert (x / "README.md").read_text() == "# mine\n"
    rc, _, stderr = batch(capsys, nbs, x, "--adopt-existing")  # the user's explicit choice
    assert rc == 0, stderr
    assert "# mine" not in (x / "README.md").read_text()


def test_other_files_in_the_out_folder_are_left_alone(good, capsys, fake_kernel, tmp_path):
    nbs, _, _ = good
    x = tmp_path / "x"
    (x / "mine").mkdir(parents=True)
    (x / "mine" / "notes.txt").write_text("notes\n")
    (x / "todo.md").write_text("todo\n")
    rc, _, stderr = batch(capsys, nbs, x)
    assert rc == 0, stderr
    assert (x / "mine" / "notes.txt").read_text() == "notes\n" and (x / "todo.md").read_text() == "todo\n"
    assert "mine/notes.txt" not in (x / ".outputs.json").read_text()


def test_a_fresh_clone_without_fingerprints_is_the_runners_by_its_manifest(good, capsys, fake_kernel):
    """git ignores .fingerprint: a clone's theme folders have none; the committed manifest vouches."""
    nbs, out, _ = good
    for fp in out.rglob(".fingerprint"):
        fp.unlink()
    (out / ".data_audit.fingerprint").unlink()
    rc, stdout, stderr = batch(capsys, nbs, out)
    assert rc == 0, stderr
    assert set(status(stdout).values()) == {"ok"}  # rebuilt (no record to say they are current), not refused
    (out / ".outputs.json").unlink()  # without the manifest, the fingerprints alone vouch for the themes
    rc, stdout, stderr = batch(capsys, nbs, out, "--force")
    assert rc == 2 and "README.md was not written by this tool" in one_line_error(stderr)


def test_the_repositorys_committed_reports_are_the_runners():
    """Every file of the committed reports/ is listed by its manifest, so a clone's first run
    rebuilds them (nothing else in a clone vouches for them: .fingerprint is git-ignored)."""
    from helpers.runner import ownership

    reports = ROOT / "reports"
    tracked = subprocess.run(["git", "ls-files", "reports"], cwd=ROOT, capture_output=True, text=True)
    if tracked.returncode != 0 or not tracked.stdout:
        pytest.skip("not a git checkout")
    listed = ownership.read_manifest(reports)
    files = {f.removeprefix("reports/") for f in tracked.stdout.split()} - {ownership.MANIFEST, ".gitkeep"}
    assert files <= listed, sorted(files - listed)[:5]


@pytest.mark.parametrize("where", ["root", "data", "data/sub", "notebooks", "src", "home", "dashboard", "dashboard_parent"])
def test_out_may_not_be_the_project_its_inputs_or_home(good, capsys, fake_root, tmp_path, monkeypatch, where):
    nbs, _, _ = good
    dash = tmp_path / "dl" / "dashboard"
    dash.mkdir(parents=True)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    out = {"root": fake_root, "data": fake_root / "data", "data/sub": fake_root / "data" / "sub",
           "notebooks": fake_root / "notebooks", "src": fake_root / "src", "home": home,
           "dashboard": dash, "dashboard_parent": dash.parent}[where]
    before = snapshot(fake_root), snapshot(tmp_path)
    rc, _, stderr = batch(capsys, nbs, out, "--dashboard-dir", str(dash), "--adopt-existing")
    assert rc == 2 and "--out" in one_line_error(stderr)
    assert (snapshot(fake_root), snapshot(tmp_path)) == before


def test_repeated_theme_runs_once(good, capsys, fake_kernel):
    nbs, out, _ = good
    rc, stdout, stderr = batch(capsys, nbs, out, "--themes", "staffing,staffing", "--force")
    assert rc == 0, stderr
    assert status(stdout) == {"staffing": "ok", "data_audit": "ok"}


# ------------------------------------------------------- nothing under --out is followed out of it

def test_a_staging_link_is_refused(good, capsys, fake_kernel, tmp_path):
    nbs, out, before = good
    other, other_before = _outside(tmp_path)
    shutil.rmtree(out / runner.STAGING)
    (out / runner.STAGING).symlink_to(other)
    rc, _, stderr = batch(capsys, nbs, out, "--force")
    assert rc == 2 and "not a plain folder" in one_line_error(stderr)
    assert snapshot(other) == other_before and snapshot(out) == before


def test_a_lock_link_is_never_written_through(good, capsys, fake_kernel, tmp_path):
    nbs, out, before = good
    other, other_before = _outside(tmp_path)
    lock = out / runner.STAGING / runlock.LOCK_NAME
    lock.unlink()
    lock.symlink_to(other / "target.txt")
    rc, _, stderr = batch(capsys, nbs, out)  # a no-op run truncated it before
    assert rc == 2 and "not the lock file" in one_line_error(stderr)
    assert snapshot(other) == other_before and snapshot(out) == before
    lock.unlink()
    os.link(other / "target.txt", lock)  # a hard link to an outside file
    rc, _, stderr = batch(capsys, nbs, out)
    assert rc == 2 and "hard link" in one_line_error(stderr)
    assert snapshot(other) == other_before


@pytest.mark.parametrize("field,value", [("new", "../elsewhere/keep"), ("backup", "../elsewhere/keep"),
                                         ("new", "ABSOLUTE"), ("target", "../elsewhere/keep"),
                                         ("target", "ABSOLUTE")])
def test_a_planted_journal_never_acts_outside_the_run_folder(good, capsys, fake_kernel, tmp_path, field, value):
    """A journal in a dead run's folder naming paths the runner never writes is dropped unread."""
    import json

    nbs, out, before = good
    other, other_before = _outside(tmp_path)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    run_dir = out / runner.STAGING / f"{dead.pid}-dead0002"
    run_dir.mkdir()
    rec = {"target": "staffing", "new": f".staging/{run_dir.name}/staffing",
           "backup": f".staging/{run_dir.name}/staffing.old", "ident": list(swap._ident(other / "keep"))}
    rec[field] = str(other / "keep") if value == "ABSOLUTE" else value
    (run_dir / f"staffing{swap.JOURNAL_SUFFIX}").write_text(json.dumps(rec))
    (out / "staffing").rename(tmp_path / "moved")  # a missing target is what makes recovery move a folder in
    rc, _, stderr = batch(capsys, nbs, out, "--themes", "online_usage")
    assert rc == 2 and "names paths this tool never writes" in one_line_error(stderr)
    assert snapshot(other) == other_before
    assert run_dir.exists() and not (out / "staffing").exists()  # nothing moved, nothing removed


@pytest.mark.parametrize("field,value", [("new", "../elsewhere/keep"), ("target", "ABSOLUTE"),
                                         ("target", "../elsewhere/keep")])
def test_a_planted_commit_journal_never_acts_outside_the_run_folder(good, capsys, fake_kernel, tmp_path, field, value):
    """A commit journal (helpers.runner.swap.swap_all) naming paths the runner never writes moves nothing."""
    import json

    nbs, out, before = good
    other, other_before = _outside(tmp_path)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    run_dir = out / runner.STAGING / f"{dead.pid}-dead0003"
    run_dir.mkdir()
    rec = {"target": "staffing", "new": f".staging/{run_dir.name}/staffing",
           "backup": f".staging/{run_dir.name}/staffing.old", "ident": list(swap._ident(other / "keep"))}
    rec[field] = str(other / "keep") if value == "ABSOLUTE" else value
    (run_dir / swap.COMMIT_JOURNAL).write_text(json.dumps({"swaps": [rec]}))
    rc, _, stderr = batch(capsys, nbs, out, "--themes", "online_usage")
    assert rc == 2 and "not a commit journal this tool wrote" in one_line_error(stderr)
    assert snapshot(other) == other_before and snapshot(out) == before
    assert run_dir.exists()  # nothing moved, nothing removed


def test_a_journal_link_is_not_followed(good, capsys, fake_kernel, tmp_path):
    nbs, out, _ = good
    other, other_before = _outside(tmp_path)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    run_dir = out / runner.STAGING / f"{dead.pid}-dead0003"
    run_dir.mkdir()
    (run_dir / f"staffing{swap.JOURNAL_SUFFIX}").symlink_to(other / "target.txt")
    (run_dir / "staffing").symlink_to(other / "keep")
    rc, _, stderr = batch(capsys, nbs, out)
    assert rc == 2 and "is a link, not a journal" in one_line_error(stderr)
    assert snapshot(other) == other_before and run_dir.exists()
    shutil.rmtree(run_dir)  # as the line says: then the runner goes on
    rc, _, stderr = batch(capsys, nbs, out)
    assert rc == 0, stderr


def test_a_journal_that_is_not_json_is_dropped(good, capsys, fake_kernel):
    """Not a journal at all (journals are written atomically, never half): dropped, the run goes on."""
    nbs, out, _ = good
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    run_dir = out / runner.STAGING / f"{dead.pid}-dead0005"
    run_dir.mkdir()
    (run_dir / f"staffing{swap.JOURNAL_SUFFIX}").write_text("{not json")
    rc, _, stderr = batch(capsys, nbs, out)
    assert rc == 0, stderr
    assert not run_dir.exists()


def test_a_kernels_link_outside_the_temp_folder_is_not_followed(good, capsys, fake_kernel, tmp_path):
    nbs, out, _ = good
    other, _ = _outside(tmp_path)
    victim = other / f"{staging._TMP_KERNELS}victim"  # the runner's own name, but not in a temp folder
    victim.mkdir()
    (victim / "data.txt").write_text("keep")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    run_dir = out / runner.STAGING / f"{dead.pid}-dead0004"
    run_dir.mkdir()
    (run_dir / staging.KERNELS).symlink_to(victim)
    rc, _, stderr = batch(capsys, nbs, out)
    assert rc == 2 and "not a kernels' folder of this tool" in one_line_error(stderr)
    assert (victim / "data.txt").read_text() == "keep" and run_dir.exists()


def test_a_theme_folder_that_is_a_link_is_refused(good, capsys, fake_kernel, tmp_path):
    nbs, out, _ = good
    other, other_before = _outside(tmp_path)
    shutil.rmtree(out / "staffing")
    (out / "staffing").symlink_to(other / "keep")
    rc, _, stderr = batch(capsys, nbs, out, "--force")
    assert rc == 2 and "is a symbolic link" in one_line_error(stderr)
    assert snapshot(other) == other_before


def _execute_and_plant(conn, nb_path, staging, params, timeout, ipc_dir, **kw):
    """A notebook run during which someone puts a file of their own into the theme's folder."""
    out = Path(staging).parents[2]
    if Path(staging).name == "staffing":
        (out / "staffing" / "notes.txt").write_text("mine")
    return fake_execute(conn, nb_path, staging, params, timeout, ipc_dir, **kw)


def test_a_file_put_into_a_theme_folder_during_the_run_is_not_replaced(good, capsys, monkeypatch):
    nbs, out, _ = good
    monkeypatch.setattr(runworker, "execute", _execute_and_plant)
    rc, stdout, stderr = batch(capsys, nbs, out, "--force")
    assert rc == 1, stderr
    assert status(stdout)["staffing"] == "failed" and "not replaced" in rows(stdout)["staffing"]
    # all or nothing: the other theme was built but is not swapped in either
    assert status(stdout)["online_usage"] == "cancelled" and "not swapped in" in rows(stdout)["online_usage"]
    assert (out / "staffing" / "notes.txt").read_text() == "mine"
    assert no_run_staging(out)
