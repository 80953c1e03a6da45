"""Kernels forked from a warmed template, so a batch's notebooks skip start-up and the heavy imports.

A kernel started for a notebook spends ~3–4 s of CPU before its first cell does any work: the
interpreter, ipykernel, then pandas, matplotlib, seaborn, geopandas, statsmodels/scipy and the
helpers on the notebook's first imports. For 52 notebooks that is most of the batch. The runner
therefore starts one *template* process (``python -m helpers.runner.kernel_fork SOCKET``) that imports
those modules once and waits; each notebook's kernel is a fork of it, asked for by the notebook's
job over a UNIX socket. A forked kernel is still a fresh kernel:

- the template only imports modules: it runs no notebook code, reads no data and draws no figure,
  and every fork serves one notebook and is then discarded — nothing passes between notebooks;
- before ipykernel starts, the fork takes what jupyter_client would give a new kernel: its own
  session, the job's environment, working folder and argv, stdin from /dev/null, default signal
  handlers, and fresh random state (numpy's global generator is reseeded; ``random`` reseeds
  itself at a fork);
- it ends when its job ends (it watches the job's pid), as a launched kernel ends with its parent.

Anything unusual — a kernel command other than ipykernel's, a template that failed or has a thread
running, no socket — makes the job launch its kernel the ordinary way: forking is only a speed-up.
``DXKIT_FORK_KERNELS=0`` turns it off.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Sequence

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"  # what ipykernel sets when MPLBACKEND is unset
SOCKET_NAME = "fork.sock"
READY_WAIT = 60.0  # seconds a job waits for the template to finish its imports
#: Imported once by the template. Order matters little; a module that fails to import is skipped
#: (the notebook that needs it then imports it, or fails, as it would in a launched kernel).
PRELOAD = (
    "ipykernel.kernelapp", "ipykernel.ipkernel", "IPython", "numpy", "pandas", "matplotlib", "matplotlib.pyplot",
    "seaborn", "scipy.stats", "statsmodels.stats.proportion", "shapely", "pyproj", "geopandas", "pyogrio",
    "pyarrow", "pyarrow.parquet", "openpyxl", "markdown_it", "jinja2", "PIL.Image",
    "statsmodels.api", "statsmodels.formula.api",  # models
)
#: Imported only when the batch runs the determinants theme (spatial statistics): a batch without it
#: does not pay for them (~0.3 s of CPU in the template). With them the template also builds the
#: spatial weights (:func:`helpers.loaders.spatial.warm`) and parses the finance workbooks
#: (:func:`helpers.loaders.finance.warm`), which its kernels inherit.
SPATIAL_PRELOAD = ("libpysal.weights", "esda")
#: helpers modules the template does not import (the runner's own machinery and command-line tools).
_NOT_PRELOADED = {"helpers.runner.run", "helpers.runner.runworker", "helpers.runner.kernel_fork", "helpers.runner.swap", "helpers.runner.staging",
                  "helpers.runner.runlock", "helpers.loaders.build_reference", "helpers.loaders.provenance", "helpers.words.lang_scan"}


def enabled() -> bool:
    """Whether the runner forks kernels (``DXKIT_FORK_KERNELS=0`` turns it off)."""
    return os.environ.get("DXKIT_FORK_KERNELS", "1").strip().lower() not in {"0", "no", "false", "off"}


def is_ipykernel_command(argv: list[str]) -> bool:
    """Only the standard kernel is forked: ``python -m ipykernel_launcher -f FILE`` with this
    interpreter, plus ``--Name.trait=value`` options (nbclient adds one for the history)."""
    return (len(argv) >= 5 and argv[1:4] == ["-m", "ipykernel_launcher", "-f"]
            and all(a.startswith("--") for a in argv[5:])
            and os.path.realpath(argv[0]) == os.path.realpath(sys.executable))


# ------------------------------------------------------------------------------ the template

def _preload(extra: Sequence[str] = ()) -> list[str]:
    """Import the heavy modules (and the ``extra`` ones the batch asked for, e.g.
    :data:`SPATIAL_PRELOAD`) and the helpers the notebooks use; returns what could not be imported."""
    import importlib
    import pkgutil

    failed = []
    for name in (*PRELOAD, *extra):
        try:
            importlib.import_module(name)
        except Exception:
            failed.append(name)
    import helpers

    for mod in pkgutil.walk_packages(helpers.__path__, "helpers."):
        if mod.name in _NOT_PRELOADED or mod.name.split(".")[-1].startswith("_"):
            continue
        try:
            importlib.import_module(mod.name)
        except Exception:
            failed.append(mod.name)
    if set(SPATIAL_PRELOAD) <= set(extra) and not set(SPATIAL_PRELOAD) & set(failed):
        from helpers.loaders import spatial

        if not spatial.warm():  # the spatial weights, built once here for every kernel forked
            failed.append("helpers.loaders.spatial.warm")
        from helpers.loaders import finance

        if not finance.warm():  # the finance workbooks (~1 s to parse), read by 05 and 07 alike
            failed.append("helpers.loaders.finance.warm")
    return failed


def serve(sock_path: str, extra: Sequence[str] = ()) -> int:
    """The template's life: import (``extra``: modules beyond :data:`PRELOAD`), then fork one kernel
    per request until the runner goes (stdin EOF)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the runner decides; it ends the template itself
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # forked kernels are reaped by the system
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)  # as ipykernel would, before matplotlib is imported
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]  # as ipykernel_launcher does; the kernel's shell puts "" back
    _preload(extra)
    if threading.active_count() != 1:  # a fork would inherit a half-copied thread: do not serve
        print(f"kernel_fork: {threading.active_count() - 1} thread(s) running after the imports; "
              "kernels are launched the ordinary way", file=sys.stderr)
        _gone(sock_path)
        return 3
    import gc

    gc.collect()
    gc.freeze()  # the imported objects: never scanned by a kernel's collector, so their pages stay shared
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(sock_path)
    srv.listen(16)
    try:
        while True:
            ready, _, _ = select.select([srv, sys.stdin], [], [])
            if sys.stdin in ready and not os.read(sys.stdin.fileno(), 4096):
                return 0  # the runner closed its end (finished, or died)
            if srv in ready:
                conn, _ = srv.accept()
                _serve_one(srv, conn)
    finally:
        srv.close()
        _gone(sock_path)


def _gone(sock_path: str) -> None:
    """Tell waiting jobs not to wait: remove the socket, leave a marker."""
    try:
        os.unlink(sock_path)
    except OSError:
        pass
    try:  # created, never followed: a link planted there must not make the template write elsewhere
        os.close(os.open(sock_path + ".gone", os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o600))
    except OSError:
        pass


def _serve_one(srv: socket.socket, conn: socket.socket) -> None:
    conn.settimeout(10)
    try:
        with conn:
            req = json.loads(conn.makefile("rb").readline() or b"{}")
            argv = req.get("argv") or []
            if not is_ipykernel_command(argv):
                conn.sendall(b'{"error": "not an ipykernel command"}\n')
                return
            pid = os.fork()
            if pid == 0:  # the kernel
                srv.close()
                conn.close()
                _become_kernel(argv, req.get("env") or {}, req.get("cwd"), int(req.get("job") or 0))
            conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")
    except (OSError, ValueError):
        pass  # the job falls back to a launched kernel


def _become_kernel(argv: list[str], env: dict, cwd: str | None, job: int) -> None:
    """In the forked child: take a new kernel's process state, then run ipykernel. Never returns."""
    code = 1
    try:
        os.setsid()  # as jupyter_client's start_new_session: a kernel has a session of its own
        for sig in (signal.SIGTERM, signal.SIGCHLD) + ((signal.SIGHUP,) if hasattr(signal, "SIGHUP") else ()):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.environ.clear()
        os.environ.update(env)
        if job:
            os.environ["JPY_PARENT_PID"] = str(job)  # what jupyter_client's launcher adds: the job's pid
        if cwd:
            os.chdir(cwd)
        sys.argv = [_launcher_path(), *argv[3:]]
        if "matplotlib" in sys.modules:  # the backend the template chose from its environment may not be
            import matplotlib  # this kernel's: choose it again, as matplotlib would have at its import

            matplotlib.rcParams["backend"] = os.environ.get("MPLBACKEND") or INLINE_BACKEND
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()  # a fork copies the template's generator state
        if job:
            _watch_job(job)
        from ipykernel.kernelapp import IPKernelApp

        # parent_handle's default was read from the template's environment at import; ipykernel's own
        # watch then sees the template as parent and only ends the kernel when it is orphaned
        app = IPKernelApp.instance(parent_handle=job)
        app.initialize(sys.argv[1:])
        if "matplotlib_inline.backend_inline" in sys.modules:  # loaded before the shell existed:
            from matplotlib_inline.backend_inline import _enable_matplotlib_integration

            _enable_matplotlib_integration()  # hook figure display into this kernel's shell
        app.start()
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 0
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:
            pass
        os._exit(code)


def _launcher_path() -> str:
    import ipykernel_launcher

    return ipykernel_launcher.__file__


def _watch_job(job: int) -> None:
    """End this kernel when its job process is gone (a launched kernel ends with its parent)."""
    def watch() -> None:
        while True:
            time.sleep(0.5)
            try:
                os.kill(job, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:
                pass

    threading.Thread(target=watch, daemon=True, name="watch-job").start()


# ------------------------------------------------------------------------------ the job's side

class ForkedKernel:
    """The part of :class:`subprocess.Popen` jupyter_client's provisioner uses, for a forked kernel
    (a child of the template, not of the job: its exit status is not ours to collect)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None
        self._signal = 0

    def poll(self) -> int | None:
        if self.returncode is None and not _alive(self.pid):
            self.returncode = -self._signal if self._signal else 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if end is not None and time.monotonic() > end:
                import subprocess

                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.05)
        return self.returncode  # type: ignore[return-value]

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)
            if signum in (signal.SIGKILL, signal.SIGTERM):
                self._signal = signum

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # an exited kernel whose template is gone may wait as a zombie until it is reaped
        import psutil

        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except Exception:
        return False


def request_kernel(sock_path: str, argv: list[str], env: dict | None, cwd: str | None,
                   wait: float = READY_WAIT) -> int | None:
    """Ask the template for a kernel; its pid, or None (then launch one the ordinary way)."""
    if not is_ipykernel_command(list(argv)):
        return None
    end = time.monotonic() + wait
    while True:
        if os.path.exists(sock_path + ".gone"):
            return None
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.settimeout(10)
                s.connect(sock_path)
                msg = {"argv": list(argv), "env": dict(env if env is not None else os.environ), "cwd": cwd,
                       "job": os.getpid()}
                s.sendall(json.dumps(msg).encode() + b"\n")
                reply = json.loads(s.makefile("rb").readline() or b"{}")
                pid = reply.get("pid")
                return int(pid) if pid else None
        except (FileNotFoundError, ConnectionRefusedError):  # the template is still importing
            if time.monotonic() > end:
                return None
            time.sleep(0.05)
        except (OSError, ValueError):
            return None


# ------------------------------------------------------------------------------ the runner's side

def start_template(folder: str, extra: Sequence[str] = ()):
    """Start the template process (its socket in ``folder``; ``extra``: modules it imports beyond
    :data:`PRELOAD`, e.g. :data:`SPATIAL_PRELOAD`); returns (Popen, socket path) or None.
    Its stdin is a pipe from the runner: when the runner ends, however it ends, the template ends."""
    import subprocess

    sock = os.path.join(folder, SOCKET_NAME)
    if len(os.fsencode(sock)) >= 100:
        return None
    try:
        proc = subprocess.Popen([sys.executable, "-m", "helpers.runner.kernel_fork", sock, *extra], stdin=subprocess.PIPE,
                                start_new_session=True, cwd=folder)
    except OSError:
        return None
    return proc, sock


def stop_template(proc) -> None:
    """End the template (kernels already forked are not affected: each watches its own job)."""
    try:
        proc.stdin.close()
    except OSError:
        pass
    try:
        proc.wait(2)
    except Exception:
        proc.kill()
        proc.wait()


if __name__ == "__main__":
    sys.exit(serve(sys.argv[1], sys.argv[2:]))
