"""Replace a report folder by a freshly built one: no reader, and no run after a kill, sees it missing.

``reports/<theme>/`` stays a plain folder (git commits it as such), so the swap cannot be "replace a
symlink". Instead:

1. a journal ``<work>/<theme>.swap.json`` is written (atomically) before anything moves: which folder
   is the target, which is the new one (with its device/inode, the proof of which is which), and
   where the old one goes;
2. the two folders are *exchanged* in one atomic step (``renameat2(RENAME_EXCHANGE)`` on Linux,
   ``renamex_np(RENAME_SWAP)`` on macOS) — a reader sees the old folder or the new one, never none.
   Where the file system cannot exchange, the old folder is renamed away and the new one renamed
   in (two steps; a reader can see the theme missing between them, and the journal repairs it);
3. the journal is removed, then the old folder.

SIGTERM, SIGINT and SIGHUP are held during steps 1–3 (delivered right after). A SIGKILL (or a
power cut) can still stop the swap anywhere; :func:`recover_journal`, run by the next lock
holder, then repairs it: the theme keeps whichever whole folder it has, and only if it has none
(killed between the two renames) does the new folder move in.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import signal
import stat
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from helpers.atomic import write_text_atomic

JOURNAL_SUFFIX = ".swap.json"
HELD_SIGNALS = tuple(s for s in (signal.SIGTERM, signal.SIGINT, getattr(signal, "SIGHUP", None)) if s is not None)


def _after_step(step: str) -> None:
    """Hook called after each step of a swap (tests replace it to kill the process there)."""


# ----------------------------------------------------------------------------------- signals

@contextmanager
def signals_held():
    """Hold SIGTERM/SIGINT/SIGHUP during a critical section (delivered right after it).

    Blocking with ``pthread_sigmask`` alone is not enough: it masks only the calling thread, and
    other threads would take a process-directed SIGTERM (default action: kill the process
    mid-section). So in the main thread the signals are noted by a handler and raised again
    afterwards; elsewhere (where handlers cannot be set) they are blocked for this thread."""
    if threading.current_thread() is not threading.main_thread():
        old = signal.pthread_sigmask(signal.SIG_BLOCK, HELD_SIGNALS)
        try:
            yield
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
        return
    caught: list[int] = []
    previous = {s: signal.signal(s, lambda signum, _frame: caught.append(signum)) for s in HELD_SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        for s in dict.fromkeys(caught):
            signal.raise_signal(s)


# ---------------------------------------------------------------------------------- exchange

_RENAME_EXCHANGE = 2  # linux/fs.h
_RENAME_SWAP = 2  # macOS sys/stdio.h
_AT_FDCWD = -100
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, getattr(errno, "ENOTSUP", errno.EOPNOTSUPP), errno.EOPNOTSUPP}
_libc = None


def _libc_fn(name: str):
    global _libc
    if _libc is None:
        import ctypes

        try:  # the process's own symbols include libc's (find_library would run ldconfig)
            _libc = ctypes.CDLL(None, use_errno=True)
        except OSError:
            _libc = False
    return getattr(_libc, name, None) if _libc else None


def exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two existing paths. False when this system or file system cannot
    (the caller falls back to two renames); any other failure raises :class:`OSError`."""
    fa, fb = os.fsencode(a), os.fsencode(b)
    if sys.platform.startswith("linux") and (fn := _libc_fn("renameat2")):
        rc = fn(_AT_FDCWD, fa, _AT_FDCWD, fb, _RENAME_EXCHANGE)
    elif sys.platform == "darwin" and (fn := _libc_fn("renamex_np")):
        rc = fn(fa, fb, _RENAME_SWAP)
    else:
        return False
    if rc == 0:
        return True
    import ctypes

    err = ctypes.get_errno()
    if err in _UNSUPPORTED:
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


# -------------------------------------------------------------------------------------- swap

def _ident(p: Path) -> tuple[int, int] | None:
    try:
        st = os.lstat(p)
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino)


def _swap(target: Path, new: Path, backup: Path) -> None:
    """Move ``new`` to ``target``, the old folder (if any) to ``backup`` or, after an exchange, to ``new``.
    On an error after the old folder moved away, it is moved back before the error is raised."""
    if _ident(target) is None:  # the theme's first build
        os.rename(new, target)
        _after_step("new-moved")
        return
    if exchange(new, target):
        _after_step("exchanged")
        return
    os.rename(target, backup)
    _after_step("old-moved")
    try:
        os.rename(new, target)
    except BaseException:
        if _ident(target) is None:
            os.rename(backup, target)  # roll back: the old folder returns
        raise
    _after_step("new-moved")


def _paths(out: Path, rec: dict) -> tuple[Path, Path, Path, tuple[int, int]]:
    return out / rec["target"], out / rec["new"], out / rec["backup"], tuple(rec["ident"])


def swap_in(new: Path, target: Path, work: Path, out: Path) -> None:
    """Replace folder ``target`` by folder ``new`` (``work``: this run's folder for the journal and
    the old copy; ``out``: the folder the journal's paths are relative to, so it may be moved)."""
    journal = work / f"{target.name}{JOURNAL_SUFFIX}"
    backup = work / f"{target.name}.old"
    ident = _ident(new)
    if ident is None:
        raise FileNotFoundError(errno.ENOENT, "staged folder missing", str(new))
    rec = {"target": os.path.relpath(target, out), "new": os.path.relpath(new, out),
           "backup": os.path.relpath(backup, out), "ident": list(ident)}
    with signals_held():
        write_text_atomic(journal, json.dumps(rec) + "\n")
        _after_step("journal")
        try:
            _swap(target, new, backup)
        except BaseException:
            if _ident(target) is not None and _ident(target) != ident:
                journal.unlink(missing_ok=True)  # nothing moved (or moved back): no intent left
            raise  # else the journal stays for recover_journal
        journal.unlink()
        _after_step("journal-removed")
    # the old folder: at ``new`` after an exchange, at ``backup`` after two renames
    for leftover in (new, backup):
        if leftover.exists():
            shutil.rmtree(leftover, ignore_errors=True)
    _after_step("old-removed")


def _repair(target: Path, new: Path, backup: Path, ident: tuple[int, int]) -> None:
    """After a kill: make sure the theme folder exists, touching it only when it is missing.

    - ``target`` is the new folder: the swap happened;
    - ``target`` is another folder: the swap never started (or someone put a folder there since):
      it stays, the staged copy is dropped (the next run builds the theme again if it is stale);
    - ``target`` is missing (killed between the two renames): the new folder moves in — it was
      complete before the journal was written — or, if it is gone, the old one moves back."""
    if _ident(target) is not None:
        return
    if _ident(new) == ident:
        os.rename(new, target)
    elif _ident(backup) is not None:
        os.rename(backup, target)


#: A theme folder's path under --out as the runner names it: ``<theme>`` or ``prefectures/<code>_<slug>``.
_TARGET = re.compile(r"[a-z0-9_]+(?:/[0-9]{2}_[A-Za-z0-9_-]+)?")


def _read_journal(journal: Path) -> dict:
    """The journal's record, read without following a link (ValueError: not a journal of ours)."""
    try:
        fd = os.open(journal, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as e:
        if e.errno in (errno.ELOOP, errno.ENXIO):
            raise ValueError("a link, not a journal") from None
        raise
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ValueError("not a plain file")
        if os.fstat(fd).st_nlink > 1:
            raise ValueError("a hard link, not a journal of its own")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            rec = json.loads(fh.read(65536).decode("utf-8"))
    finally:
        os.close(fd)
    if not isinstance(rec, dict):
        raise json.JSONDecodeError("not a record", "", 0)
    return rec


def _checked_paths(journal: Path, out: Path, rec: dict) -> tuple[Path, Path, Path, tuple[int, int]]:
    """The journal's paths, accepted only as the runner writes them: the target a theme folder
    directly under ``out`` (or ``out/prefectures``), the new and old copies inside the journal's own
    run folder under ``out/.staging``. Anything else (``..``, absolute paths, other names) is a
    journal the runner did not write: ValueError, and nothing is touched."""
    name = rec["target"]
    if not isinstance(name, str) or not _TARGET.fullmatch(name):
        raise ValueError(f"target {name!r} is not a theme folder")
    work = journal.parent
    if work.parent.name != ".staging" or work.parent.parent.resolve() != out.resolve() or work.is_symlink():
        raise ValueError("journal outside the runner's folder")
    target, new, backup, ident = _paths(out, rec)
    expected_new = os.path.relpath(work / name, out)
    expected_backup = os.path.relpath(work / f"{Path(name).name}.old", out)
    if rec["new"] != expected_new or rec["backup"] != expected_backup:
        raise ValueError("copies not in the journal's own run folder")
    if not target.parent.resolve().is_relative_to(out.resolve()):
        raise ValueError("target outside --out")
    if len(ident) != 2 or not all(isinstance(i, int) for i in ident):
        raise ValueError("bad ident")
    return target, new, backup, ident


def recover_journal(journal: Path, out: Path) -> None:
    """Repair what a swap killed half-way left (see :func:`_repair`), then drop the journal and the
    copies. Raises :class:`OSError` when it cannot (the journal stays for the next try). A journal
    that is a link, or names paths the runner never writes (``..``, absolute paths, other names),
    is not acted on: :class:`helpers.runner.runlock.UnsafePath` (one line, the run stops, nothing moved)."""
    from helpers.runner.runlock import UnsafePath

    try:
        rec = _read_journal(journal)
    except (json.JSONDecodeError, UnicodeDecodeError):  # written atomically, so never half: not a journal, drop it
        journal.unlink(missing_ok=True)
        return
    except ValueError as e:
        raise UnsafePath(f"{journal} is {e}; this tool did not write it and will not follow it — "
                         f"remove {journal.parent}") from None
    try:
        target, new, backup, ident = _checked_paths(journal, out, rec)
    except (ValueError, KeyError, TypeError) as e:
        raise UnsafePath(f"{journal} names paths this tool never writes ({e}); nothing was moved — "
                         f"remove {journal.parent}") from None
    with signals_held():
        _repair(target, new, backup, ident)
        journal.unlink()
    for leftover in (new, backup):
        if _ident(leftover) is not None and _ident(leftover) != _ident(target):
            shutil.rmtree(leftover, ignore_errors=True)
