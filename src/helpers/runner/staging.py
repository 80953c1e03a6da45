"""The runner's own folder under ``--out``: ``<out>/.staging/`` (git-ignored).

- ``lock``: the advisory lock of the run in progress (:mod:`helpers.runner.runlock`), never deleted;
- ``<pid>-<hex>/``: one folder per run, only ever written by that run: a folder per theme being
  built (the notebook's ``output_dir``), the audit's files, the commit journal, swap journals and
  old copies (:mod:`helpers.runner.swap`), and
  ``.kernels/`` with the kernels' sockets and connection files (or a link to them in the temp
  folder when this path is too long for a UNIX socket).

A run removes its own folder when it ends, however it ends short of a ``kill -9``. What a killed
run leaves is removed by :func:`recover`, which only the lock holder calls, and never when the
folder's process is still alive.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import stat
import tempfile
from pathlib import Path

from helpers.runner import runlock, swap

STAGING = ".staging"
KERNELS = ".kernels"
_TMP_KERNELS = "dxkit-kernels-"
_RUN_DIR = re.compile(r"(\d+)-[0-9a-f]+")
_THEME_NAME = re.compile(r"[a-z0-9_]+")  # a theme folder's name, as an older runner's backup carries it
_LEGACY_STAGING = re.compile(r"(.+)\.(\d+)")  # <theme>.<pid> of runners before the per-run folder


def root(out: Path) -> Path:
    return out / STAGING


def new_run_dir(out: Path) -> Path:
    run_dir = root(out) / f"{os.getpid()}-{secrets.token_hex(4)}"
    run_dir.mkdir(parents=True)
    return run_dir


def kernels_dir(run_dir: Path) -> str | None:
    """A private (0700) folder for the kernels' sockets and connection files; None (kernels then
    use TCP) when no folder gives socket paths short enough."""
    from helpers.runner.runworker import ipc_dir_ok

    d = run_dir / KERNELS
    if ipc_dir_ok(str(d)):
        d.mkdir(mode=0o700)
        return str(d)
    for base in (None, "/tmp"):
        try:
            t = tempfile.mkdtemp(prefix=_TMP_KERNELS, dir=base)
        except OSError:
            continue
        if ipc_dir_ok(t):
            d.symlink_to(t)  # so that a run after a kill -9 finds and removes it
            return t
        os.rmdir(t)
    return None


def _remove_kernels_dir(run_dir: Path) -> None:
    """Remove the kernels' folder a run made in the temp folder: only a folder of the runner's own
    name, directly in a temp folder, owned by this user and not itself a link. A link pointing
    anywhere else is never followed: :class:`helpers.runner.runlock.UnsafePath` (one line, nothing removed).
    A link whose folder is gone already is left to the run folder's removal."""
    link = run_dir / KERNELS
    if link.is_symlink():
        target = Path(os.readlink(link))
        bases = {Path(tempfile.gettempdir()).resolve(), Path("/tmp").resolve()}
        try:
            st = os.lstat(target)
        except FileNotFoundError:
            return
        except OSError:
            st = None
        if (target.is_absolute() and target.name.startswith(_TMP_KERNELS) and target.parent.resolve() in bases
                and st is not None and stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid()):
            shutil.rmtree(target, ignore_errors=True)
        else:
            raise runlock.UnsafePath(f"{link} links to {target}, not a kernels' folder of this tool; it will not "
                                     f"be followed — remove {run_dir}")


def remove_run_dir(run_dir: Path, out: Path) -> bool:
    """Finish a batch the run left half-swapped (see :func:`helpers.runner.swap.recover_commit`), repair any
    swap it left half-done (:func:`helpers.runner.swap.recover_journal`), then remove the folder. Returns
    whether a batch was finished (reports moved in). :class:`OSError` when a swap cannot be repaired:
    the folder then stays, journals and copies in it, for the next run."""
    commit = run_dir / swap.COMMIT_JOURNAL
    finished = swap.recover_commit(commit, out) if commit.exists() or commit.is_symlink() else False
    for journal in sorted(run_dir.glob("*" + swap.JOURNAL_SUFFIX)):
        swap.recover_journal(journal, out)
    _remove_kernels_dir(run_dir)
    shutil.rmtree(run_dir, ignore_errors=True)
    return finished


def _pid_owns(pid: int, folder: Path) -> bool:
    """Whether process ``pid`` may still be the run that made ``folder`` (alive, and not a newer
    process that merely reuses the pid: the owner started before the folder last changed)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    try:
        import psutil

        return psutil.Process(pid).create_time() <= folder.stat().st_mtime + 1
    except Exception:  # no psutil, or the process ended meanwhile: keep the folder, the next run decides
        return True


def recover(out: Path) -> bool:
    """What killed runs left (call with the lock held): finish their interrupted batches, repair
    their interrupted swaps, then drop their folders. A folder whose process is alive is never
    touched. Returns whether a batch was finished (its reports moved in: the index is then stale)."""
    stage_root = root(out)
    if stage_root.is_symlink():
        raise runlock.UnsafePath(f"{stage_root} is a link; this tool will not follow it — remove it")
    if not stage_root.is_dir():
        return False
    finished = False
    for entry in sorted(stage_root.iterdir()):
        if entry.name == runlock.LOCK_NAME or entry.is_symlink() or not entry.is_dir():
            continue
        if m := _RUN_DIR.fullmatch(entry.name):
            if not _pid_owns(int(m[1]), entry):
                finished |= remove_run_dir(entry, out)  # OSError: the caller stops; the folder stays
        elif entry.name.endswith(".old") and _THEME_NAME.fullmatch(entry.name[: -len(".old")]):  # an older runner killed mid-swap
            target = out / entry.name[: -len(".old")]
            if not target.exists():
                os.rename(entry, target)
            else:
                shutil.rmtree(entry)
        elif (m := _LEGACY_STAGING.fullmatch(entry.name)) and not _pid_owns(int(m[2]), entry):
            shutil.rmtree(entry)
    return finished
