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

A batch replaces its folders (and the audit's files) all together or not at all (:func:`swap_all`):
a commit journal ``<work>/commit.json`` lists every swap before the first one starts; the old copies
stay until the last swap is done, so an error half-way puts every old one back. A kill half-way
leaves the journal: :func:`recover_commit` (the next lock holder) finishes the set — every new
folder was complete before the journal was written — so a reader never keeps a mix of two batches.
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
COMMIT_JOURNAL = "commit.json"
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


def swap_in(new: Path, target: Path, work: Path, out: Path, keep_old: bool = False) -> Path | None:
    """Replace folder (or file) ``target`` by ``new`` (``work``: this run's folder for the journal and
    the old copy; ``out``: the folder the journal's paths are relative to, so it may be moved).
    ``keep_old``: the old copy is left in ``work`` and its path returned (None: there was none) —
    for a batch that may still have to put it back (:func:`swap_all`)."""
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
    if keep_old:
        return next((p for p in (new, backup) if _ident(p) is not None), None)
    for leftover in (new, backup):
        if leftover.exists():
            _remove(leftover)
    _after_step("old-removed")
    return None


def _remove(path: Path) -> None:
    """Remove a folder (or a file) left over from a swap; what cannot be removed stays for the run
    folder's own removal."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except OSError:
            pass


def _put_back(target: Path, new: Path, backup: Path, old: Path | None) -> None:
    """Undo one finished swap of a batch: ``target`` (the new copy) goes back to ``new`` and the old
    copy (``old``: at ``new`` after an exchange, at ``backup`` after two renames, None for a first
    build) back to ``target``."""
    if old is None:
        os.rename(target, new)
    elif old == new:
        if not exchange(target, new):
            os.rename(target, backup)
            os.rename(new, target)
    else:
        os.rename(target, new)
        os.rename(old, target)


def swap_all(pairs: list[tuple[Path, Path]], work: Path, out: Path) -> None:
    """Replace every ``target`` by its ``new`` (folders or files; ``pairs`` of (new, target)), all or none.

    A commit journal lists them first; each is swapped as :func:`swap_in` does, its old copy kept;
    when the last is done the journal is removed (the set is in place) and the old copies go. An
    error half-way puts every old copy back (nothing replaced) and is raised again; if even that
    fails the journal stays and the next run finishes the set (:func:`recover_commit`)."""
    journal = work / COMMIT_JOURNAL
    entries = []
    for new, target in pairs:
        ident = _ident(new)
        if ident is None:
            raise FileNotFoundError(errno.ENOENT, "staged copy missing", str(new))
        entries.append({"target": os.path.relpath(target, out), "new": os.path.relpath(new, out),
                        "backup": os.path.relpath(work / f"{target.name}.old", out), "ident": list(ident)})
    done: list[tuple[Path, Path, Path | None]] = []
    with signals_held():
        write_text_atomic(journal, json.dumps({"swaps": entries}) + "\n")
        _after_step("commit-journal")
        try:
            for new, target in pairs:
                current = target
                done.append((new, target, swap_in(new, target, work, out, keep_old=True)))
        except BaseException as e:
            if isinstance(e, OSError):
                e.swap_target = current  # which replacement failed (the runner's row names it)
            for new, target, old in reversed(done):
                _put_back(target, new, work / f"{target.name}.old", old)  # OSError: the journal stays
            if not (work / f"{current.name}{JOURNAL_SUFFIX}").exists():  # that swap was undone too
                journal.unlink()
            raise  # else the next run finishes the set (recover_commit), as after a kill
        journal.unlink()  # the commit: every new copy is in place
        _after_step("commit-journal-removed")
    for _new, _target, old in done:
        if old is not None:
            _remove(old)


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


#: A theme folder's path under --out as the runner names it: ``<theme>`` or ``prefectures/<code>_<slug>``,
#: or one of the audit's files (replaced with the batch's folders, all or nothing).
_TARGET = re.compile(r"[a-z0-9_]+(?:/[0-9]{2}_[A-Za-z0-9_-]+)?|\.?data_audit\.(?:md|html|fingerprint|inputs\.json)")


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
            _remove(leftover)


def recover_commit(journal: Path, out: Path) -> bool:
    """Finish the batch a kill stopped half-way through :func:`swap_all`: every listed copy not yet in
    place is swapped in (each was complete before the journal was written), then the journal goes.
    A journal naming paths the runner never writes is not acted on (:class:`helpers.runner.runlock.UnsafePath`).
    Returns whether a batch was found (its reports are in place now, the index pages are not yet).
    :class:`OSError` when a swap cannot be done (the journal stays for the next try)."""
    from helpers.runner.runlock import UnsafePath

    try:
        rec = _read_journal(journal)
        swaps = rec["swaps"]
        if not isinstance(swaps, list):
            raise TypeError("swaps is not a list")
        checked = [_checked_paths(journal, out, entry) for entry in swaps]
    except (json.JSONDecodeError, UnicodeDecodeError):  # written atomically, so never half: not a journal, drop it
        journal.unlink(missing_ok=True)
        return False
    except (ValueError, KeyError, TypeError) as e:
        raise UnsafePath(f"{journal} is not a commit journal this tool wrote ({e}); nothing was moved — "
                         f"remove {journal.parent}") from None
    with signals_held():
        for target, new, backup, ident in checked:
            if _ident(target) == ident:  # swapped already
                continue
            staged = next((p for p in (new, backup) if _ident(p) == ident), None)
            if staged is None:  # the new copy is gone: nothing to move in
                continue
            if staged != new:  # put back to its staged place by an undo that was cut short
                os.rename(staged, new)
            swap_in(new, target, journal.parent, out)
        journal.unlink()
    return True
