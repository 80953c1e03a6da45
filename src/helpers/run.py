"""Batch runner: ``python -m helpers.run`` executes the theme notebooks with papermill into reports/.

- Parallel: up to ``--jobs`` notebooks at once, each in its own worker process and kernel;
  papermill is imported once per worker, never started as a command per notebook. The data
  audit (``data_audit.md``) is one more job in the same pool.
- Incremental: a theme whose inputs (notebook, parameters, data files, dashboard files,
  helpers' source) have the same fingerprint as its last successful run is skipped.
- Atomic: a notebook runs into a staging folder; only on success is the theme's folder
  swapped in (SIGTERM is held back during the swap). A failure leaves the previous report
  untouched and keeps the failed executed notebook as ``<theme>/failed.ipynb``.
- Bad invocations exit with code 2 and one line, before anything is written.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import sys
import time
from concurrent.futures import ProcessPoolExecutor, wait, FIRST_COMPLETED
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from helpers import paths
from helpers.params import LANG_CHOICES, TIER_CHOICES

NOTEBOOKS = {
    "staffing": "01_staffing.ipynb",
    "online_usage": "02_online_usage.ipynb",
    "security": "03_security.ipynb",
    "ai_rpa_telework": "04_ai_rpa_telework.ipynb",
}
FINGERPRINT = ".fingerprint"
FAILED = "failed.ipynb"  # the executed notebook of a theme's last failed run
STAGING = ".staging"
PROGRESS = ".progress"  # in a job's staging folder: the cell being run ("0" = kernel starting)
AUDIT = "data_audit"  # the audit's row in the summary
AUDIT_FILE = "data_audit.md"
AUDIT_FINGERPRINT = ".data_audit.fingerprint"
EXIT_USAGE = 2


class UsageError(Exception):
    """A bad invocation: reported as one line, exit code 2, nothing written."""


@dataclass
class Outcome:
    theme: str
    status: str = "pending"  # ok | skipped | failed
    seconds: float = 0.0
    output: str = ""
    detail: str = ""
    extra: dict = field(default_factory=dict)


# ------------------------------------------------------------------------------ validation

class _OneLineParser(argparse.ArgumentParser):
    """argparse prints the usage block before its error; the runner promises one line."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(EXIT_USAGE, f"error: {message} (see --help)\n")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = _OneLineParser(prog="python -m helpers.run", description=__doc__.splitlines()[0])
    ap.add_argument("--themes", default=",".join(NOTEBOOKS),
                    help=f"comma-separated subset of: {', '.join(NOTEBOOKS)} (default: all)")
    ap.add_argument("--tier", default="all", help=f"one of {', '.join(TIER_CHOICES)}")
    ap.add_argument("--lang", default="ja", help=f"one of {', '.join(LANG_CHOICES)}")
    ap.add_argument("--out", default=None, help="output folder (default: reports/ in the project)")
    ap.add_argument("--dashboard-dir", default=None, help="folder with the デジタル庁 dashboard export")
    ap.add_argument("--notebooks-dir", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="notebooks run at once (default: cores)")
    ap.add_argument("--force", action="store_true", help="re-run every theme even if its inputs are unchanged")
    ap.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell")
    return ap.parse_args(argv)


def _writable_dir(out: Path) -> None:
    probe = out
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        raise UsageError(f"output dir {out}: {probe} is not a folder")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise UsageError(f"output dir {out} is not writable")


def _check_dashboard(folder: Path) -> list[Path]:
    """Cheap check (no pandas) that the folder holds dashboard exports; returns the files."""
    import csv
    import io

    from helpers.dashboard_labels import INDICATORS, RATE_GROUPS, decode_csv

    if not folder.is_dir():
        raise UsageError(f"dashboard dir {folder} not found")
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    if not files:
        raise UsageError(f"dashboard dir {folder} is empty")
    for f in files:
        if f.suffix.lower() in {".xlsx", ".xlsm", ".xls"}:
            continue
        if f.suffix.lower() != ".csv":
            raise UsageError(f"dashboard dir {folder}: {f.name} is not a dashboard export (.csv or .xlsx)")
        raw = f.read_bytes()
        if len(raw) > 65536:  # the first rows suffice; cut at a line end so no character is split
            raw = raw[: raw.rfind(b"\n", 0, 65536) + 1] or raw
        text = decode_csv(raw)
        rows = list(csv.reader(io.StringIO(text or "")))[:3] if text else []
        ok = len(rows) >= 2 and len(rows[1]) >= 2 and (rows[1][1].strip() in INDICATORS or rows[1][0].strip() in RATE_GROUPS)
        if not ok:
            raise UsageError(f"dashboard dir {folder}: {f.name} is not a dashboard export (unknown layout)")
    if not any("比較" in f.name for f in files):
        raise UsageError(f"dashboard dir {folder}: no 比較 (comparison) file")
    return files


def _has_parameters_cell(nb_path: Path) -> bool:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    return any("parameters" in c.get("metadata", {}).get("tags", []) for c in nb.get("cells", []))


def validate(ns: argparse.Namespace) -> dict:
    themes = [t.strip() for t in ns.themes.split(",") if t.strip()]
    unknown = [t for t in themes if t not in NOTEBOOKS]
    if not themes or unknown:
        raise UsageError(f"unknown theme(s) {', '.join(unknown) or '(none given)'}; choose from {', '.join(NOTEBOOKS)}")
    if ns.tier not in TIER_CHOICES:
        raise UsageError(f"bad --tier {ns.tier!r}; choose from {', '.join(TIER_CHOICES)}")
    if ns.lang not in LANG_CHOICES:
        raise UsageError(f"bad --lang {ns.lang!r}; choose from {', '.join(LANG_CHOICES)}")
    if ns.jobs < 1:
        raise UsageError(f"--jobs must be at least 1, got {ns.jobs}")
    out = Path(ns.out).resolve() if ns.out else paths.reports_dir()
    _writable_dir(out)
    nb_dir = Path(ns.notebooks_dir).resolve() if ns.notebooks_dir else paths.notebooks_dir()
    for theme in themes:
        nb = nb_dir / NOTEBOOKS[theme]
        if not nb.is_file():
            raise UsageError(f"notebook for theme {theme} not found: {nb}")
        try:
            has = _has_parameters_cell(nb)
        except (json.JSONDecodeError, UnicodeDecodeError, AttributeError, TypeError):  # not JSON / not a notebook's shape
            raise UsageError(f"{nb} is not a readable notebook") from None
        if not has:
            raise UsageError(f"{nb} has no cell tagged 'parameters' (papermill needs one)")
    dash = Path(ns.dashboard_dir).resolve() if ns.dashboard_dir else None
    dash_files = _check_dashboard(dash) if dash else []
    return {"themes": themes, "out": out, "nb_dir": nb_dir, "dash": dash, "dash_files": dash_files}


# ----------------------------------------------------------------------------- fingerprints

def _hash_files(h: "hashlib._Hash", files: list[Path], root: Path | None = None) -> None:
    for f in sorted(files):
        h.update(str(f.relative_to(root) if root else f.name).encode())
        h.update(f.read_bytes())


def _hash_shared_inputs(h: "hashlib._Hash", dash_files: list[Path]) -> None:
    """What every output depends on: the project's data, the helpers' source, the dashboard files."""
    root = paths.project_root()
    _hash_files(h, [p for p in (root / "data").rglob("*") if p.is_file()], root)
    _hash_files(h, [p for p in (root / "src" / "helpers").rglob("*.py")], root)
    _hash_files(h, dash_files)


def fingerprint(nb_path: Path, params: dict, dash_files: list[Path]) -> str:
    """Hash of everything a theme's outputs depend on."""
    h = hashlib.sha256()
    h.update(nb_path.read_bytes())
    h.update(json.dumps(params, sort_keys=True).encode())
    _hash_shared_inputs(h, dash_files)
    return h.hexdigest()


def _stored_fingerprint(theme_dir: Path) -> str | None:
    f = theme_dir / FINGERPRINT
    return f.read_text().strip() if f.is_file() and (theme_dir / "report.md").is_file() else None


# -------------------------------------------------------------------------------- execution

def _import_papermill():
    """Import papermill in a worker without compiling a grammar that nobody here uses.

    jsonschema (pulled in by nbformat) loads the optional ``rfc3987_syntax`` package for its
    "iri" format checkers, and that package builds a Lark parser at import: ~2 s of CPU per
    worker, most of papermill's start-up. Notebook validation never checks an "iri" format (the
    nbformat schemas have none), so the worker marks the module as absent — jsonschema's own
    ``ImportError`` fallback then skips those checkers. Only this worker process is affected;
    the kernels and the user's own sessions import everything as usual."""
    sys.modules.setdefault("rfc3987_syntax", None)  # None in sys.modules = "import raises ImportError"
    try:
        import papermill as pm
    except ImportError:  # some future dependency needs the package after all: pay for the full import
        if "rfc3987_syntax" in sys.modules and sys.modules["rfc3987_syntax"] is None:
            del sys.modules["rfc3987_syntax"]
        import papermill as pm
    return pm


def _execute(nb_path: str, staging: str, params: dict, timeout: int) -> dict:
    """Worker: run one notebook with papermill into ``staging`` (its own process and kernel)."""
    t0 = time.monotonic()
    staging_p = Path(staging)
    progress = staging_p / PROGRESS
    progress.write_text("0")  # started (until now the job was queued)
    pm = _import_papermill()
    out_nb = staging_p / Path(nb_path).name

    def on_cell_start(cell=None, cell_index=0, **_):
        progress.write_text(str(cell_index + 1))

    try:
        pm.execute_notebook(nb_path, str(out_nb), parameters=params, kernel_name="python3", progress_bar=False,
                            cwd=str(Path(nb_path).parent), execution_timeout=timeout, on_cell_start=on_cell_start)
        res = {"ok": True}
    except pm.PapermillExecutionError as e:
        res = {"ok": False, "cell": e.exec_count, "error": _last_line(e.ename, e.evalue)}
    except Exception as e:  # kernel died, timeout, bad notebook …
        res = {"ok": False, "cell": None, "error": _error_line(e)}
    return {**res, "seconds": time.monotonic() - t0}


def _last_line(kind: str, message: object) -> str:
    """'Kind: last line of the message' — what the summary shows of an error."""
    return f"{kind}: " + (str(message).strip().splitlines() or [""])[-1]


def _error_line(e: BaseException) -> str:
    return _last_line(type(e).__name__, e)


def _write_audit(out: str, lang: str, dash: str | None, fp: str) -> dict:
    """Worker: build reports/data_audit.md (and its fingerprint) while notebooks run elsewhere."""
    t0 = time.monotonic()
    try:
        from helpers.atomic import write_text_atomic
        from helpers.audit_report import build_audit_report

        build_audit_report(lang, Path(dash) if dash else None).write(Path(out) / AUDIT_FILE)
        write_text_atomic(Path(out) / AUDIT_FINGERPRINT, fp + "\n")
        res = {"ok": True}
    except Exception as e:
        res = {"ok": False, "error": _error_line(e)}
    return {**res, "seconds": time.monotonic() - t0}


@contextmanager
def _signals_held():
    """Hold SIGTERM/SIGINT during a critical section (delivered right after it).

    Blocking with ``pthread_sigmask`` alone is not enough: it masks only the calling thread, and
    the pool's helper threads would take a process-directed SIGTERM (default action: kill the
    process mid-section). So the signals are noted by a handler and raised again afterwards."""
    sigs = (signal.SIGTERM, signal.SIGINT)
    import threading

    if threading.current_thread() is not threading.main_thread():  # handlers can only be set there
        old = signal.pthread_sigmask(signal.SIG_BLOCK, sigs)
        try:
            yield
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
        return
    caught: list[int] = []
    previous = {s: signal.signal(s, lambda signum, _frame: caught.append(signum)) for s in sigs}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        for s in dict.fromkeys(caught):
            signal.raise_signal(s)


def _watch_parent(parent: int) -> None:
    """Pool initializer: end the worker when the runner is gone (e.g. ``kill <pid>``); otherwise the
    orphaned worker runs its notebook on, then waits forever holding the runner's stdout/stderr.
    Its kernel follows (ipykernel exits when its parent process does)."""
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="watch-runner").start()


def _swap_in(staging: Path, target: Path) -> None:
    """Replace ``target`` by ``staging`` so readers see the old folder or the new one."""
    trash = target.parent / STAGING / f"{target.name}.old"
    with _signals_held():
        if trash.exists():
            shutil.rmtree(trash)
        if target.exists():
            os.rename(target, trash)
        os.rename(staging, target)
    shutil.rmtree(trash, ignore_errors=True)


def recover(out: Path) -> None:
    """Undo what a killed run left: restore a folder caught mid-swap, drop stale staging folders."""
    stage_root = out / STAGING
    if not stage_root.is_dir():
        return
    for old in stage_root.glob("*.old"):
        target = out / old.name[: -len(".old")]
        if not target.exists():
            os.rename(old, target)
        else:
            shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(stage_root, ignore_errors=True)


class Progress:
    """Progress lines: redrawn in place on a terminal, plain appended lines otherwise (CI logs)."""

    def __init__(self, stream=sys.stderr):
        self.stream, self.tty, self.t0 = stream, stream.isatty(), time.monotonic()
        self.seen: dict[str, str] = {}  # job -> last state printed (plain mode)

    def line(self, text: str, transient: bool = False) -> None:
        stamp = f"[{time.monotonic() - self.t0:6.1f}s] {text}"
        if self.tty and transient:
            self.stream.write("\r\033[K" + stamp)
        else:
            if self.tty:
                self.stream.write("\r\033[K")
            if not transient:
                self.stream.write(stamp + "\n")
        self.stream.flush()


def _cells(nb_path: Path) -> int:
    """Cells papermill will run: the notebook's own plus the injected-parameters cell."""
    return len(json.loads(nb_path.read_text(encoding="utf-8"))["cells"]) + 1


@dataclass
class Job:
    """One unit of work for the pool: a theme's notebook, or the data audit (``nb`` is None)."""
    name: str
    outcome: Outcome
    fp: str
    nb: Path | None = None
    staging: Path | None = None
    params: dict = field(default_factory=dict)
    cells: int = 0  # cells papermill will run, for the progress line
    started: float | None = None


def run(cfg: dict, *, lang: str, tier: str, jobs: int, force: bool, timeout: int, progress: Progress) -> list[Outcome]:
    """Run every theme whose inputs changed (all with ``force``), and the audit; one Outcome each."""
    out: Path = cfg["out"]
    out.mkdir(parents=True, exist_ok=True)
    recover(out)
    (out / STAGING).mkdir(exist_ok=True)
    outcomes, pending = [], []
    dash = str(cfg["dash"]) if cfg["dash"] else None
    for theme in cfg["themes"]:
        nb = cfg["nb_dir"] / NOTEBOOKS[theme]
        params = {"tier": tier, "lang": lang, "dashboard_dir": dash}
        fp = fingerprint(nb, params, cfg["dash_files"])
        target = out / theme
        o = Outcome(theme, output=str(target / "report.md"))
        outcomes.append(o)
        if not force and _stored_fingerprint(target) == fp:
            o.status, o.detail = "skipped", "inputs unchanged"
            progress.line(f"{theme}: skipped (inputs unchanged)")
            (target / FAILED).unlink(missing_ok=True)  # from other inputs than the report's: stale
            continue
        staging = out / STAGING / f"{theme}.{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        pending.append(Job(theme, o, fp, nb, staging, {**params, "output_dir": str(staging)}, _cells(nb)))
    audit = Outcome(AUDIT, output=str(out / AUDIT_FILE))
    outcomes.append(audit)
    afp = audit_fingerprint(lang, cfg["dash"], cfg["dash_files"])
    if not force and _audit_current(out, afp):
        audit.status, audit.detail = "skipped", "inputs unchanged"
        progress.line(f"{AUDIT}: skipped (inputs unchanged)")
    else:
        pending.append(Job(AUDIT, audit, afp, params={"lang": lang, "dash": dash}))
    if pending:
        _execute_all(pending, out, jobs, timeout, progress)
    shutil.rmtree(out / STAGING, ignore_errors=True)
    return outcomes


def _submit(pool: ProcessPoolExecutor, job: Job, out: Path, timeout: int):
    if job.nb is None:
        return pool.submit(_write_audit, str(out), job.params["lang"], job.params["dash"], job.fp)
    return pool.submit(_execute, str(job.nb), str(job.staging), job.params, timeout)


def _execute_all(pending: list[Job], out: Path, jobs: int, timeout: int, progress: Progress) -> None:
    """Run the jobs in a pool of forked workers (the audit last: it fills a worker that frees up)."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(jobs, len(pending)), mp_context=ctx,
                             initializer=_watch_parent, initargs=(os.getpid(),)) as pool:
        futures = {_submit(pool, job, out, timeout): job for job in pending}
        progress.line("queued: " + ", ".join(job.name for job in pending) + f" (jobs = {min(jobs, len(pending))})")
        remaining = set(futures)
        while remaining:
            done, remaining = wait(remaining, timeout=1.0, return_when=FIRST_COMPLETED)
            for fut in done:
                job = futures[fut]
                try:
                    res = fut.result()
                except Exception as e:  # worker crashed
                    res = {"ok": False, "cell": None, "error": _error_line(e)}
                o = job.outcome
                o.seconds = round(res.get("seconds", 0.0), 1)
                if job.nb is None:
                    o.status = "ok" if res.get("ok") else "failed"
                    o.detail = "" if res.get("ok") else res.get("error", "")
                else:
                    _finish(job.name, job.nb, job.staging, job.fp, res, o, out)
                progress.line(f"{job.name}: {o.status} in {o.seconds:.1f}s" + (f" — {o.detail}" if o.detail else ""))
            _report_running([futures[f] for f in remaining], progress)


def _report_running(running: list[Job], progress: Progress) -> None:
    """Which job is at which cell: one redrawn line on a terminal, a line per change otherwise."""
    states = []
    for job in running:
        marker = job.staging / PROGRESS if job.staging else None
        cell = marker.read_text() if marker and marker.exists() else None
        if job.nb is None:
            state = "building"
        elif cell is None:
            state = "queued"
        else:
            if job.started is None:
                job.started = time.monotonic()
            step = "starting" if cell == "0" else f"cell {cell}/{job.cells}"
            state = f"{step} {time.monotonic() - job.started:.0f}s"
        states.append((job.name, state))
    if progress.tty:
        if states:
            progress.line("running: " + "; ".join(f"{n} {s}" for n, s in sorted(states)), transient=True)
        return
    for name, state in states:
        key = state.rsplit(" ", 1)[0]  # without the seconds
        if key != progress.seen.get(name) and state not in ("queued", "building"):
            progress.seen[name] = key
            progress.line(f"{name}: {key}")


def _finish(theme: str, nb: Path, staging: Path, fp: str, res: dict, o: Outcome, out: Path) -> None:
    target = out / theme
    (staging / PROGRESS).unlink(missing_ok=True)
    if res.get("ok") and (staging / "report.md").is_file():
        (staging / FINGERPRINT).write_text(fp + "\n")
        _swap_in(staging, target)
        o.status = "ok"
        return
    o.status = "failed"
    where = f"cell [{res.get('cell')}]" if res.get("cell") is not None else "notebook"
    o.detail = f"{where}: {res.get('error') or 'no report.md written'}"
    executed = staging / nb.name
    if executed.is_file():
        from helpers.atomic import write_bytes_atomic

        write_bytes_atomic(target / FAILED, executed.read_bytes())
        o.output = str(target / FAILED)
    shutil.rmtree(staging, ignore_errors=True)


# ---------------------------------------------------------------------------- index & audit

def write_index(out: Path, themes: list[str], lang: str) -> Path:
    from helpers.atomic import write_text_atomic
    from helpers.i18n import t

    lines = [f"# {t('index.title', lang)}", ""]
    for theme in NOTEBOOKS:
        if (out / theme / "report.md").is_file():
            lines.append(f"- [{t('theme.' + theme, lang)}]({theme}/report.md)")
    if (out / "data_audit.md").is_file():
        lines.append(f"- [{t('index.audit', lang)}](data_audit.md)")
    return write_text_atomic(out / "README.md", "\n".join(lines) + "\n")


def audit_fingerprint(lang: str, dash: Path | None, dash_files: list[Path]) -> str:
    """Hash of what data_audit.md depends on: data, helpers' source, dashboard files, language."""
    h = hashlib.sha256(f"audit|{lang}|{dash}".encode())
    _hash_shared_inputs(h, dash_files)
    return h.hexdigest()


def _audit_current(out: Path, fp: str) -> bool:
    fp_file = out / AUDIT_FINGERPRINT
    return fp_file.is_file() and fp_file.read_text().strip() == fp and (out / AUDIT_FILE).is_file()


def summary_table(outcomes: list[Outcome]) -> str:
    rows = [("theme", "status", "seconds", "output / detail")]
    for o in outcomes:
        rows.append((o.theme, o.status, f"{o.seconds:.1f}", o.output + (f" — {o.detail}" if o.detail and o.status == "failed" else "")))
    w = [max(len(r[i]) for r in rows) for i in range(3)]
    return "\n".join(f"{r[0]:<{w[0]}}  {r[1]:<{w[1]}}  {r[2]:>{w[2]}}  {r[3]}" for r in rows)


def main(argv: list[str] | None = None) -> int:
    ns = parse_args(argv)
    try:
        cfg = validate(ns)
    except UsageError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
    progress = Progress()
    outcomes = run(cfg, lang=ns.lang, tier=ns.tier, jobs=ns.jobs, force=ns.force, timeout=ns.timeout, progress=progress)
    write_index(cfg["out"], cfg["themes"], ns.lang)
    print(summary_table(outcomes))
    return 1 if any(o.status == "failed" for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
