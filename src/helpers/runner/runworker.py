"""What a job process of ``helpers.runner.run`` does: run one notebook with papermill, or build the audit.

Each job is a process forked from the runner (papermill already imported there, so no job pays for
the import). It reports over a pipe: ``("kernel", pid)`` once its kernel runs, ``("cell", n)`` when cell ``n``
starts, then ``("result", {...})``;
a job that dies before the result is reported by the runner as "worker died". Kernels talk to the
job over IPC sockets in a private folder (no TCP, so ipykernel's "running over TCP without
encryption" warning does not apply), and are not interrupted when shut down after their last cell
(the interrupt only made an idle kernel log "KeyboardInterrupt caught in kernel").
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
import uuid
from pathlib import Path

_IPC_PATH_MAX = 100  # sun_path holds 104–108 bytes; the sockets are named <dir>/k<12 hex>-<n>


def import_papermill():
    """Import papermill without compiling a grammar that nobody here uses.

    jsonschema (pulled in by nbformat) loads the optional ``rfc3987_syntax`` package for its
    "iri" format checkers, and that package builds a Lark parser at import: ~2 s of CPU, most of
    papermill's start-up. Notebook validation never checks an "iri" format (the nbformat schemas
    have none), so the runner marks the module as absent — jsonschema's own ``ImportError``
    fallback then skips those checkers. Only the runner's process (and the jobs it forks) is
    affected; the kernels and the user's own sessions import everything as usual."""
    sys.modules.setdefault("rfc3987_syntax", None)  # None in sys.modules = "import raises ImportError"
    try:
        import papermill as pm
    except ImportError:  # some future dependency needs the package after all: pay for the full import
        if "rfc3987_syntax" in sys.modules and sys.modules["rfc3987_syntax"] is None:
            del sys.modules["rfc3987_syntax"]
        import papermill as pm
    return pm


def ipc_dir_ok(folder: str) -> bool:
    """Whether IPC socket paths under ``folder`` stay below the length a UNIX socket allows."""
    return os.name == "posix" and len(os.fsencode(folder)) + len("/k0123456789ab-99") < _IPC_PATH_MAX


def kernel_manager_class(ipc_dir: str | None, on_start=None, fork_sock: str | None = None):
    """The kernel manager for the batch: IPC transport with its sockets and connection file in
    ``ipc_dir`` (a private 0700 folder the runner removes; TCP when there is none), no interrupt
    before a shutdown, ``on_start(pid)`` called once the kernel process runs, and the kernel forked
    from the warmed template at ``fork_sock`` when there is one (see :mod:`helpers.runner.kernel_fork`)."""
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    ipc = bool(ipc_dir) and ipc_dir_ok(ipc_dir)
    provisioner_class = forked_provisioner_class(on_start, fork_sock)

    class BatchKernelManager(AsyncKernelManager):
        if ipc:
            @default("transport")
            def _batch_transport(self) -> str:
                return "ipc"

            @default("ip")
            def _batch_ip(self) -> str:
                return os.path.join(ipc_dir, "k" + uuid.uuid4().hex[:12])

            @default("connection_file")
            def _batch_connection_file(self) -> str:
                return os.path.join(ipc_dir, "k" + uuid.uuid4().hex[:12] + ".json")

        @default("shutdown_wait_time")
        def _batch_shutdown_wait(self) -> float:
            return 1.0  # after the last cell the kernel is idle and exits at once; a hung one is killed

        async def start_kernel(self, **kw) -> None:
            """Start through our provisioner (jupyter_client creates one only when none is set)."""
            if self.provisioner is None:
                self.kernel_id = self.kernel_id or kw.pop("kernel_id", None) or str(uuid.uuid4())
                self.provisioner = provisioner_class(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
            await super().start_kernel(**kw)

        async def _async_interrupt_kernel(self) -> None:
            if self.shutting_down:  # jupyter_client interrupts before every shutdown; an idle kernel
                return  # then logs "KeyboardInterrupt caught in kernel" on the runner's stderr
            await super()._async_interrupt_kernel()

    return BatchKernelManager


def forked_provisioner_class(on_start=None, fork_sock: str | None = None):
    """jupyter_client's local provisioner, through its own API: ``launch_kernel`` forks the kernel
    from the warmed template at ``fork_sock`` when it can (see :mod:`helpers.runner.kernel_fork`), else
    launches it as usual; ``on_start(pid)`` is called once the kernel process runs. A forked kernel
    is recorded as LocalProvisioner records a process it started (``process``, ``pid``, ``pgid``,
    ``cwd``), so polling, signals, shutdown and cleanup are jupyter_client's own."""
    from jupyter_client.provisioning import LocalProvisioner

    class ForkedProvisioner(LocalProvisioner):
        async def launch_kernel(self, cmd: list[str], **kwargs):
            from helpers.runner import kernel_fork

            pid = kernel_fork.request_kernel(fork_sock, cmd, kwargs.get("env"), kwargs.get("cwd")) if fork_sock else None
            if pid is None:
                info = await super().launch_kernel(cmd, **kwargs)
            else:
                self.process = kernel_fork.ForkedKernel(pid)
                self.pid, self.pgid = pid, pid
                self.cwd = kwargs.get("cwd") or os.getcwd()
                info = self.connection_info
            if on_start is not None and self.pid:
                on_start(self.pid)
            return info

    return ForkedProvisioner


def batch_engine(pm):
    """papermill's nbclient engine, saving the executed notebook once, when execution ends.

    papermill's default rewrites the whole output notebook — figures included — at the start and
    the end of every cell (~0.4 s of CPU per profile notebook). The runner follows progress through
    ``on_cell_start`` and keeps only the finished notebook (or, after an error or a timeout, the
    partial one: papermill completes the notebook in a ``finally``), so one save is enough.

    Why not papermill's own ``request_save_on_cell_execute=False``: it hands the engine no output
    path, so the notebook is written only after the engine returns (or, on a cell error, by
    ``raise_for_execution_errors``). A ``CellTimeoutError`` or ``DeadKernelError`` propagates out
    of the engine before any write, and the runner would lose the partial notebook it keeps as
    ``failed.ipynb`` for a timed-out cell (tests/test_faults.py, ``--timeout``)."""
    from papermill.engines import NBClientEngine, NotebookExecutionManager

    class FinalSaveManager(NotebookExecutionManager):
        final = False

        def save(self, **kwargs):
            if self.final:
                return super().save(**kwargs)
            self.last_save_time = self.now()

        def notebook_complete(self, **kwargs):
            self.final = True
            return super().notebook_complete(**kwargs)

    class BatchEngine(NBClientEngine):
        @classmethod
        def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=True, log_output=False,
                             autosave_cell_every=30, **kwargs):  # papermill's Engine.execute_notebook, other manager
            nb_man = FinalSaveManager(nb, output_path=output_path, progress_bar=progress_bar, log_output=log_output,
                                      autosave_cell_every=autosave_cell_every)
            nb_man.notebook_start()
            try:
                cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
            finally:
                nb_man.cleanup_pbar()
                nb_man.notebook_complete()
            return nb_man.nb

    pm.engines.papermill_engines.register(BATCH_ENGINE, BatchEngine)
    return BATCH_ENGINE


BATCH_ENGINE = "dxkit-batch"


# -------------------------------------------------------------------------------- the job process

def _last_line(kind: str, message: object) -> str:
    """'Kind: last line of the message' — what the summary shows of an error."""
    return f"{kind}: " + (str(message).strip().splitlines() or [""])[-1]


def error_line(e: BaseException) -> str:
    """One line for the summary, e.g. ``OSError: No space left on device: /path`` (no errno, no quotes)."""
    if isinstance(e, OSError) and e.strerror:
        where = f": {e.filename}" if e.filename else ""
        return f"{type(e).__name__}: {e.strerror}{where}"
    return _last_line(type(e).__name__, e)


def _watch_parent(parent: int) -> None:
    """End this job when the runner is gone (e.g. ``kill -9 <pid>``); otherwise the orphan runs its
    notebook on, holding the runner's stdout/stderr and its lock. The kernel follows (ipykernel
    exits when its parent process does)."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="watch-runner").start()


def job_main(conn, parent: int, kind: str, args: dict) -> None:
    """Entry point of a forked job process. It leaves the runner's process group, so Ctrl-C and a
    hang-up on the terminal reach only the runner, which decides and ends the job itself (nbclient
    would otherwise catch the SIGINT and start shutting the kernel down on its own)."""
    try:
        os.setpgid(0, 0)
    except OSError:
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _watch_parent(parent)
    t0 = time.monotonic()
    try:
        res = execute(conn, **args) if kind == "notebook" else write_audit(**args)
    except Exception as e:
        res = {"ok": False, "cell": None, "error": error_line(e)}
    res["seconds"] = time.monotonic() - t0
    conn.send(("result", res))
    conn.close()


def execute(conn, nb_path: str, staging: str, params: dict, timeout: int, ipc_dir: str | None,
            fork_sock: str | None = None, cache_dir: str | None = None) -> dict:
    """Run one notebook with papermill into ``staging`` (its own kernel)."""
    if cache_dir:  # this process only (a fork): the kernel inherits its environment
        from helpers.batch_cache import ENV

        os.environ[ENV] = cache_dir
    pm = import_papermill()
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    logging.getLogger("papermill").addHandler(logging.NullHandler())  # the summary reports failures;
    logging.getLogger("papermill").propagate = False  # papermill's log lines would only repeat them
    out_nb = Path(staging) / Path(nb_path).name
    current: dict = {}

    def on_cell_start(cell=None, cell_index=0, **_):
        current.update(cell=cell, index=cell_index)
        conn.send(("cell", cell_index + 1))

    kmc = kernel_manager_class(ipc_dir, on_start=lambda pid: conn.send(("kernel", pid)), fork_sock=fork_sock)
    try:
        pm.execute_notebook(nb_path, str(out_nb), parameters=params, kernel_name="python3", progress_bar=False,
                            cwd=str(Path(nb_path).parent), execution_timeout=timeout, on_cell_start=on_cell_start,
                            kernel_manager_class=kmc, engine_name=batch_engine(pm))
        return {"ok": True}
    except pm.PapermillExecutionError as e:
        return {"ok": False, "cell": e.exec_count, "error": _last_line(e.ename, e.evalue)}
    except CellTimeoutError:
        cell = current.get("cell")
        count = getattr(cell, "execution_count", None) if cell is not None else None
        where = f"cell [{count}]" if count else f"cell {current.get('index', 0) + 1}"
        return {"ok": False, "cell": count, "timeout": True, "error": f"{where} exceeded the {timeout} s limit (--timeout)"}
    except DeadKernelError as e:
        return {"ok": False, "cell": None, "error": _last_line("kernel died", e)}


def write_audit(out: str, lang: str, dash: str | None, fp: str, dashboard_date: str | None = None,
                dashboard_survey_year: int | None = None) -> dict:
    """Build ``<out>/data_audit.md`` and its fingerprint record (inputs + the file's sha256)."""
    from helpers.loaders import dashboard_export

    dashboard_export.use(dashboard_export.resolve(dash or dashboard_export.vendored_dir(), dashboard_date,
                                                  dashboard_survey_year))
    from helpers.atomic import write_text_atomic
    from helpers.reporting.audit_report import build_audit_report
    from helpers.runner.fingerprints import record, sha256

    path = build_audit_report(lang, Path(dash) if dash else None).write(Path(out) / "data_audit.md")
    write_text_atomic(Path(out) / ".data_audit.fingerprint", record(fp, {path.name: sha256(path.read_bytes())}))
    return {"ok": True}
