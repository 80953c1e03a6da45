"""One runner per output folder: an OS advisory lock (``flock``) on ``<out>/.staging/lock``.

The lock file lives in the git-ignored runner folder and is never deleted (deleting a lock file
lets two processes lock two different files of the same name). The holder writes its pid into it
so a second runner can say whom it waits for. The kernel releases the lock when the holder dies,
however it dies (its forked job processes share the lock until they exit too).
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
from pathlib import Path
from typing import Callable

LOCK_NAME = "lock"
_PID_WIDTH = 10  # the pid is written padded to a fixed width: one small write, no truncation


class LockBusy(Exception):
    """Another process holds the lock (``pid`` as written by it, None when unreadable)."""

    def __init__(self, pid: int | None):
        super().__init__(pid)
        self.pid = pid


class UnsafePath(Exception):
    """Where the runner expects its own folder or lock file there is a link (or something else):
    it is never followed, since it could point anywhere outside ``--out``."""


class RunLock:
    def __init__(self, fd: int, path: Path):
        self.fd, self.path = fd, path

    def release(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)  # closing the last descriptor drops the flock
            self.fd = -1


def holder_pid(path: Path | int) -> int | None:
    """The pid written in the lock file (``path``, or the descriptor already open on it)."""
    try:
        if isinstance(path, int):
            raw = os.pread(path, 64, 0)
        else:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            try:
                raw = os.read(fd, 64)
            finally:
                os.close(fd)
        text = raw.decode("ascii", errors="replace").strip()
        return int(text) if text.isdigit() else None
    except OSError:
        return None


def acquire(folder: Path, *, wait: bool = False, on_wait: Callable[[int | None], None] | None = None) -> RunLock:
    """Lock ``folder/lock`` (creating the folder). Held by someone else: raise :class:`LockBusy`,
    or with ``wait`` call ``on_wait(pid)`` and block until it is free (a signal handler that raises
    interrupts the wait)."""
    if folder.is_symlink():
        raise UnsafePath(f"{folder} is a link; this tool keeps its lock there and will not follow it — remove it")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    try:  # the folder, then the lock in it, both without following a link (no swap between check and open)
        dfd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        if e.errno in (errno.ELOOP, errno.ENOTDIR):
            raise UnsafePath(f"{folder} is a link or not a folder; this tool will not follow it — remove it") from None
        raise
    try:  # no-follow: a link planted as the lock must not make the runner write its pid anywhere else
        fd = os.open(LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0),
                     0o666, dir_fd=dfd)
    except OSError as e:
        if e.errno in (errno.ELOOP, errno.EMLINK, errno.ENXIO):
            raise UnsafePath(f"{path} is a link or a device, not the lock file; remove it") from None
        raise
    finally:
        os.close(dfd)
    if not stat.S_ISREG(os.fstat(fd).st_mode) or os.fstat(fd).st_nlink > 1:
        os.close(fd)
        raise UnsafePath(f"{path} is not a plain file of its own (a FIFO, a device or a hard link); remove it")
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = holder_pid(fd)
            if not wait:
                raise LockBusy(pid) from None
            if on_wait:
                on_wait(pid)
            fcntl.flock(fd, fcntl.LOCK_EX)
        record = f"{os.getpid():<{_PID_WIDTH}}\n".encode("ascii")
        os.pwrite(fd, record, 0)
        if os.fstat(fd).st_size != len(record):
            os.ftruncate(fd, len(record))
    except BaseException:
        os.close(fd)
        raise
    return RunLock(fd, path)
