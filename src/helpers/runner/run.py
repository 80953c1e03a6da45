"""Batch runner: ``python -m helpers.runner.run`` executes the theme notebooks with papermill into reports/.

- Parallel: up to ``--jobs`` notebooks at once, each in its own process and kernel, forked from the
  runner (papermill imported once, never started as a command per notebook). The data audit
  (``data_audit.md``) is one more job. A job that dies fails alone.
- Incremental: a theme is skipped when its inputs (notebook, parameters, data files, dashboard
  files, helpers' source) and its outputs (every file of its folder) match its last successful run.
- One run per output folder: an advisory lock (``<out>/.staging/lock``); a second run exits with
  code 2, or waits with ``--wait``.
- Atomic, all or nothing: every notebook (and the audit) runs into this run's staging folder
  (``<out>/.staging/<pid>-<hex>/``); only when every one of them succeeded are their folders swapped
  in, together (see :func:`helpers.runner.swap.swap_all`). If one fails, none is: every previous report
  stays byte for byte (never a set of reports from two runs), one line names the failed theme and
  the kept reports, and the failed executed notebook is kept as ``<theme>/failed.ipynb``.
- Exit codes: 0 all ok or skipped, 1 a theme/audit failed or an OS error, 2 bad invocation or the
  folder is locked, 130 Ctrl-C (SIGINT), 143 SIGTERM, 129 SIGHUP. Errors are one line, no traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from helpers.runner import fingerprints, ownership, runlock, staging, swap
from helpers import paths, registry
from helpers.loaders.params import LANG_CHOICES, TIER_CHOICES
from helpers.loaders.profile_params import PROFILES_DIR  # reports/prefectures/<code>_<name>/ and its index
from helpers.runner.runworker import error_line as _error_line
from helpers.runner.runworker import import_papermill as _import_papermill  # noqa: F401  (tests use the old name)

#: theme → notebook file, as declared in :mod:`helpers.registry` (the one place a theme is declared)
NOTEBOOKS = {name: theme.notebook for name, theme in registry.THEMES.items()}
#: What each theme reads from a dashboard export (:class:`helpers.registry.Theme`), so the runner can check a
#: given export against every selected theme before anything runs. ``files``: roles (see
#: helpers.loaders.entity.find_dashboard_files) the theme cannot do without — an export lacking one is refused
#: for the batch (exit 2). ``rows``: indicator ids its sections show — a row the export lacks makes those
#: sections say "not in this export". The profiles (``--profiles``) are under ``prefectures``.
THEME_NEEDS: dict[str, dict[str, tuple[str, ...]]] = {
    **{name: {"files": th.export_files, "rows": th.export_rows} for name, th in registry.THEMES.items()},
    PROFILES_DIR: {"files": registry.PROFILES.export_files, "rows": registry.PROFILES.export_rows},
}
#: The file of each role, as a user would recognise it in the official download.
ROLE_FILES = {"municipal_comparison": "市区町村 … 比較", "municipal_rates": "市区町村 … 申請率",
              "prefectural_comparison": "都道府県 … 比較", "prefectural_rates": "都道府県 … 申請率"}
PROFILE_NOTEBOOK = registry.PROFILES.notebook
#: notebooks that read the municipal panel and the boundaries: with two or more of them in a batch,
#: the runner reads those inputs once for all (helpers.batch_cache)
SHARED_INPUT_NOTEBOOKS = {th.notebook for th in registry.ALL.values() if th.shared_inputs}
#: Seconds a notebook's job took in a batch on a 2-core machine (helpers.registry), used only to start the
#: longest first when its folder has no record of its own last run (a record's time wins).
EXPECTED_SECONDS = {**{name: th.expected_seconds for name, th in registry.THEMES.items()},
                    PROFILES_DIR: registry.PROFILES.expected_seconds}
FINGERPRINT = ".fingerprint"
INPUTS = ".inputs.json"  # beside a theme's fingerprint: every input file its run read (helpers.reporting.run_record)
AUDIT_INPUTS = ".data_audit.inputs.json"
FAILED = fingerprints.FAILED  # the executed notebook of a theme's last failed run
STAGING = staging.STAGING  # runner state under --out: the lock file and one folder per live (or killed) run
AUDIT = "data_audit"  # the audit's row in the summary
AUDIT_FILE = "data_audit.md"
AUDIT_FINGERPRINT = ".data_audit.fingerprint"
#: The audit's files, staged in the run's folder and replaced with the batch's theme folders.
AUDIT_NAMES = (AUDIT_FILE, Path(AUDIT_FILE).with_suffix(".html").name, AUDIT_FINGERPRINT, AUDIT_INPUTS)
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
NEEDS_GIB = 2  # peak memory of a whole batch stays under this (README "Performance")
DEFAULT_TIMEOUT = 600

_signals_held = swap.signals_held  # the old names (tests)
recover = staging.recover


class UsageError(Exception):
    """A bad invocation: reported as one line, exit code 2, nothing written."""


class Interrupted(BaseException):
    """SIGINT/SIGTERM/SIGHUP reached the runner (a BaseException: no ``except Exception`` eats it)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


@dataclass
class Outcome:
    theme: str
    status: str = "pending"  # ok | skipped | failed | cancelled (not started, or built but not swapped in)
    seconds: float = 0.0
    output: str = ""
    detail: str = ""
    extra: dict = field(default_factory=dict)


# ------------------------------------------------------------------------------ validation

class _OneLineParser(argparse.ArgumentParser):
    """argparse prints the usage block before its error; the runner promises one line."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(EXIT_USAGE, f"error: {message} (see --help)\n")


def _seconds(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number of seconds, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be at least 1 second, got {value}")
    return value


def default_jobs() -> int:
    """One job more than cores: while a job waits (its kernel starting, its notebook being saved, the
    next job being handed out) the extra one keeps the cores busy. Measured on 2 cores, 12 profiles
    and the 5 themes: 36–40 s with 3 jobs, 42–45 s with 2."""
    return (os.cpu_count() or 1) + 1


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = _OneLineParser(prog="python -m helpers.runner.run", description=__doc__.splitlines()[0])
    ap.add_argument("--themes", default=",".join(NOTEBOOKS),
                    help=f"comma-separated subset of: {', '.join(NOTEBOOKS)} (default: all)")
    ap.add_argument("--tier", default="all", help=f"one of {', '.join(TIER_CHOICES)}")
    ap.add_argument("--lang", default="ja", help=f"one of {', '.join(LANG_CHOICES)}")
    ap.add_argument("--out", default=None, help="output folder (default: reports/ in the project)")
    ap.add_argument("--dashboard-dir", default=None, help="folder with the デジタル庁 dashboard export")
    ap.add_argument("--dashboard-date", default=None, metavar="YYYY-MM-DD",
                    help="the export's data update (default: from dashboard_date.txt in the folder or its name, "
                         "e.g. 20240712_…; else stated as unknown)")
    ap.add_argument("--dashboard-survey-year", default=None, metavar="YYYY",
                    help="the fiscal year of the surveys the export carries (default: from a 'survey_year: YYYY' "
                         "line in dashboard_date.txt; the vendored export's is registered; else stated as unknown)")
    ap.add_argument("--notebooks-dir", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--jobs", type=int, default=default_jobs(),
                    help="notebooks run at once (default: cores + 1)")
    ap.add_argument("--force", action="store_true", help="re-run every theme even if its inputs and outputs are unchanged")
    ap.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                    help=f"seconds any one cell may run before its notebook fails (default: {DEFAULT_TIMEOUT})")
    ap.add_argument("--profiles", default="", metavar="all|CODES",
                    help="also build prefecture profiles: 'all', or codes/names such as 13,27 or Tokyo (default: none)")
    ap.add_argument("--wait", action="store_true",
                    help="if another run holds the output folder, wait for it (default: exit with code 2)")
    ap.add_argument("--adopt-existing", action="store_true",
                    help="let the run replace theme folders and pages in --out that it did not write "
                         "(default: refuse, naming the first one)")
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

    from helpers.loaders.dashboard_export import SIDECAR
    from helpers.loaders.dashboard_labels import (CUT_MID_CHARACTER, comparison_labels, decode_csv, ends_mid_character,
                                          file_problem, rate_groups)

    if not folder.is_dir():
        raise UsageError(f"dashboard dir {folder} not found")
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    if not files:
        raise UsageError(f"dashboard dir {folder} is empty")
    files = [f for f in files if f.suffix.lower() != ".zip"]  # the official zip kept beside: only its name is read (date)
    for f in files:
        if f.name == SIDECAR:
            continue
        if f.suffix.lower() in {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}:
            problem = file_problem(f)  # size, unpacked size, rows and columns: before any spreadsheet reader
            if problem:
                raise UsageError(f"{f}: {problem}")
            continue
        if f.suffix.lower() != ".csv":
            raise UsageError(f"dashboard dir {folder}: {f.name} is not a dashboard export (.csv or .xlsx)")
        problem = file_problem(f)
        if problem:
            raise UsageError(f"{f}: {problem}")
        with f.open("rb") as fh:
            raw = fh.read(65536)  # the first rows suffice; cut at a line end so no character is split
        if len(raw) == 65536:
            raw = raw[: raw.rfind(b"\n") + 1] or raw
        elif ends_mid_character(raw):  # the whole file was read: a cut at its end is a cut file
            raise UsageError(f"{f}: {CUT_MID_CHARACTER}")
        text = decode_csv(raw)
        if text is None:
            raise UsageError(f"{f}: unreadable encoding (expected UTF-8 or cp932 CSV, or .xlsx) — not a dashboard export")
        lines = [(no, r) for no, r in enumerate(csv.reader(io.StringIO(text)), 1) if any(c.strip() for c in r)]
        if len(lines) < 2:
            raise UsageError(f"{f}: no data rows below the header — not a dashboard export")
        # a dashboard file if some row has a label (or group) the layout knows; rows it does not know are
        # fine (the loader keeps them as unmapped)
        labels, groups = comparison_labels(), rate_groups()
        if not any(len(r) >= 2 and (r[1].strip() in labels or r[0].strip() in groups) for _, r in lines[1:]):
            no, first = lines[1]
            shown = (first[1] if len(first) > 1 else first[0]).strip()[:60]
            raise UsageError(f"{f}: line {no}: {shown!r} is neither a 比較 indicator nor a 申請率 procedure group, "
                             "nor is any other row (data/reference/dashboard_layout.csv) — not a dashboard export")
    if not any("比較" in f.name for f in files):
        raise UsageError(f"dashboard dir {folder}: no 比較 (comparison) file")
    return files


def _safe_out(out: Path, dash: Path | None) -> None:
    """Refuse output folders whose pages or theme folders would overwrite the project or the
    inputs (its root, data/, notebooks/, src/, the dashboard folder, a folder holding any of them,
    the home folder itself), and a runner folder (``.staging``) that is not a plain folder."""
    root = paths.project_root()
    guarded = {"the project folder": root, "data/": root / "data", "notebooks/": root / "notebooks",
               "src/": root / "src"}
    for what, folder in guarded.items():
        folder = folder.resolve()
        if out == folder or (what != "the project folder" and out.is_relative_to(folder)) or folder.is_relative_to(out):
            raise UsageError(f"--out {out} would write into {what}; choose a folder of its own (default: reports/)")
    if dash is not None and (out == dash or out.is_relative_to(dash) or dash.is_relative_to(out)):
        raise UsageError(f"--out {out} would mix the reports with the dashboard input {dash}; choose another folder")
    home = os.environ.get("HOME")
    if home and out == Path(home).resolve():
        raise UsageError(f"--out {out} is the home folder; choose a folder of its own")
    stage = out / STAGING
    if stage.is_symlink() or (stage.exists() and not stage.is_dir()):
        raise UsageError(f"{stage} is not a plain folder (a link or a file); this tool keeps its lock and "
                         "work there and will not follow it — remove it")


def written_names(themes: list[str], profiles: list[tuple[str, str]]) -> list[str]:
    """What a run may replace under --out: its theme folders, the index pages, the audit files."""
    names = list(themes) + [f"{PROFILES_DIR}/{slug}" for _, slug in profiles]
    names += ["README.md", "index.html", AUDIT_FILE, Path(AUDIT_FILE).with_suffix(".html").name, AUDIT_FINGERPRINT]
    names += [f"{PROFILES_DIR}/README.md", f"{PROFILES_DIR}/index.html"]
    return names


def _has_parameters_cell(nb_path: Path) -> bool:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    return any("parameters" in c.get("metadata", {}).get("tags", []) for c in nb.get("cells", []))


def validate(ns: argparse.Namespace) -> dict:
    themes = list(dict.fromkeys(t.strip() for t in ns.themes.split(",") if t.strip()))  # a repeat runs once
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
    dash = Path(ns.dashboard_dir).resolve() if ns.dashboard_dir else None
    _safe_out(out, dash)
    _writable_dir(out)
    from helpers.reporting.run_record import folder_language

    held = folder_language(out)
    if held and held != ns.lang:
        raise UsageError(f"{_shown(out)} holds {held} reports; write {ns.lang} ones to another folder "
                         f"(e.g. --out {_shown(out).rstrip('/')}-{ns.lang})")
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
    dash_files = _check_dashboard(dash) if dash else []
    from helpers.loaders import dashboard_export

    try:
        export = dashboard_export.resolve(dash or dashboard_export.vendored_dir(), ns.dashboard_date,
                                          getattr(ns, "dashboard_survey_year", None))
    except dashboard_export.ExportDateError as e:
        raise UsageError(str(e)) from None
    profiles = _profiles(ns.profiles)
    if profiles and not (nb_dir / PROFILE_NOTEBOOK).is_file():
        raise UsageError(f"notebook for the prefecture profiles not found: {nb_dir / PROFILE_NOTEBOOK}")
    if not getattr(ns, "adopt_existing", False):
        try:
            ownership.check(out, written_names(themes, profiles))
        except ownership.NotOwned as e:
            raise UsageError(f"{e}; refusing to replace it (choose another --out, move it away, "
                             "or pass --adopt-existing)") from None
    return {"themes": themes, "out": out, "nb_dir": nb_dir, "dash": dash, "dash_files": dash_files,
            "profiles": profiles, "adopt": bool(getattr(ns, "adopt_existing", False)),
            "export": export, "dash_given": ns.dashboard_dir, "dashboard_date": ns.dashboard_date,
            "dashboard_survey_year": export.survey_year if export.survey_how == "option" else None}


def _check_inputs(dash: Path | None) -> tuple[Path | None, dict | None]:
    """Load and validate every input the notebooks will read — the national CSVs and the dashboard
    files (the vendored ones, or ``dash``) — so bad input stops the run before anything is written,
    with the loader's one line (file, row, column, value), instead of failing inside each notebook.
    Returns the dashboard folder and its loaded files (None, None without data)."""
    from helpers.paths import data_dir

    if not (data_dir() / "catalog.csv").is_file():  # a bare project without datasets: the notebooks say so
        return None, None
    from helpers.loaders import data, entity
    from helpers.loaders.params import default_dashboard_dir

    try:
        for load in (data.load_catalog, data.load_sources, data.load_indicators, data.load_breakdowns,
                     data.load_online_procedures, data.load_online_totals):
            load()
        folder = dash or default_dashboard_dir()
        return folder, (entity.load_export(folder) if folder is not None else None)
    except (data.DataError, entity.DashboardError) as e:
        raise UsageError(str(e)) from None


def check_needs(themes: list[str], frames: dict | None, folder: Path | None) -> list[str]:
    """Refuse (:class:`UsageError`, one line) an export that lacks a file a selected theme cannot do
    without, naming what is missing and which themes need it — so a batch is built from the given
    export entirely or not at all. Returns the notes to print: one line listing the rows the layout
    does not know, one listing the known rows the export lacks and the themes that show them."""
    if frames is None:
        return []
    themes = list(dict.fromkeys(t.split("/")[0] for t in themes))  # prefectures/13_tokyo → prefectures
    lacking: dict[str, list[str]] = {}
    absent: dict[str, list[str]] = {}
    have = set(frames["municipal_comparison"]["indicator"]) if "municipal_comparison" in frames else set()
    for theme in themes:
        for role in THEME_NEEDS.get(theme, {}).get("files", ()):
            if role not in frames:
                lacking.setdefault(role, []).append(theme)
        for row in THEME_NEEDS.get(theme, {}).get("rows", ()):
            if row not in have:
                absent.setdefault(row, []).append(theme)
    if lacking:
        what = "; ".join(f"no {ROLE_FILES[r]} file (needed by {', '.join(ts)})" for r, ts in lacking.items())
        raise UsageError(f"dashboard export {folder} cannot serve the selected themes: {what}; "
                         "nothing was run (choose other --themes or a complete export)")
    notes = []
    rows = [f"{row} ({ROLE_FILES[role]})" for role, frame in frames.items() for row in frame.attrs.get("unmapped", [])]
    if rows:
        notes.append(f"{len(rows)} row(s) of the export not in data/reference/dashboard_layout.csv, kept as unmapped "
                     f"(not analysed): {'; '.join(rows)}")
    if absent:
        notes.append("not in this export (the sections that need them say so): "
                     + "; ".join(f"{row} (used by {', '.join(ts)})" for row, ts in absent.items()))
    return notes


def _needs_spatial(jobs: list) -> bool:
    """Whether a batch's notebook jobs include the determinants theme (spatial weights and libraries)."""
    return any(j.nb is not None and j.nb.name == NOTEBOOKS["determinants"] for j in jobs)


def _build_cache(run_dir: Path, folder: Path | None, frames: dict | None, shared_inputs: bool,
                 weights: bool = False) -> str | None:
    """Inputs read once for all the batch's notebooks (helpers.batch_cache): the dashboard files
    (loaded already by the input check), and with ``shared_inputs`` the municipal panel and the
    boundaries, and with ``weights`` the spatial weights (helpers.loaders.spatial). None when there is nothing
    to store: the notebooks then read (or miss) the files."""
    from helpers.loaders import boundaries, entity, panel


    cache = run_dir / ".cache"
    built = []
    if folder is not None and frames is not None:
        built.append(entity.build_cache(cache, folder, frames))
    if shared_inputs:
        try:
            if folder is not None:
                built.append(panel.build_cache(cache, folder))
        except entity.DashboardError as e:
            raise UsageError(str(e)) from None
        except FileNotFoundError:  # no municipal master
            pass
        try:
            built.append(boundaries.build_cache(cache))
        except (FileNotFoundError, ImportError):  # no boundaries, or no geopandas
            pass
        except boundaries.BoundaryError as e:  # a boundary file cut short: bad input, stopped here
            raise UsageError(str(e)) from None
    if shared_inputs and weights:
        try:
            from helpers.loaders import spatial

            built.append(spatial.build_cache(cache))  # 07_determinants' weights, from the same boundaries
        except (FileNotFoundError, ImportError):  # no boundaries, or no libpysal
            pass
    return str(cache) if built else None


def _profiles(spec: str) -> list[tuple[str, str]]:
    """--profiles 'all' | '13,27,Osaka' → [(code, folder name)] in code order, without repeats."""
    from helpers.loaders.params import ParameterError
    from helpers.loaders.profile_params import prefectures, resolve_prefecture

    items = [x.strip() for x in spec.split(",") if x.strip()]
    if not items:
        return []
    if items == ["all"]:
        chosen = list(prefectures())
    else:
        try:
            chosen = [resolve_prefecture(x) for x in items]
        except ParameterError as e:
            raise UsageError(f"--profiles: {e}") from None
    return sorted({(p.code, p.slug) for p in chosen})


def _names(names: list[str]) -> str:
    """Themes by name, profiles counted: 'staffing, online_usage and 47 prefecture profiles'."""
    profiles = [n for n in names if n.startswith(f"{PROFILES_DIR}/")]
    words = [n for n in names if n not in profiles]
    if len(profiles) == 1:
        words.append(profiles[0])
    elif profiles:
        words.append(f"{len(profiles)} prefecture profiles")
    return ", ".join(words[:-1]) + (" and " if len(words) > 1 else "") + words[-1] if words else ""


def _shown(folder: Path) -> str:
    """A folder as the user would write it: relative to the working directory when inside it."""
    rel = os.path.relpath(folder)
    return (folder.as_posix() if rel.startswith("..") else rel) + "/"


# ---------------------------------------------------------------------------- fingerprints

fingerprint = fingerprints.theme_inputs  # the old names
audit_fingerprint = fingerprints.audit_inputs


# ------------------------------------------------------------------------------- progress

class Progress:
    """Progress lines: redrawn in place on a terminal, plain appended lines otherwise (CI logs)."""

    def __init__(self, stream=None):
        stream = stream if stream is not None else sys.stderr
        self.stream, self.tty, self.t0 = stream, stream.isatty(), time.monotonic()
        self.seen: dict[str, str] = {}  # job -> last state printed (plain mode)

    def line(self, text: str, transient: bool = False) -> None:
        stamp = f"[{time.monotonic() - self.t0:6.1f}s] {text}"
        try:
            if self.tty and transient:
                self.stream.write("\r\033[K" + stamp)
            else:
                if self.tty:
                    self.stream.write("\r\033[K")
                if not transient:
                    self.stream.write(stamp + "\n")
            self.stream.flush()
        except (OSError, ValueError):  # the terminal went away (SIGHUP) or the stream is closed
            pass


def _cells(nb_path: Path) -> int:
    """Cells papermill will run: the notebook's own plus the injected-parameters cell."""
    return len(json.loads(nb_path.read_text(encoding="utf-8"))["cells"]) + 1


# ----------------------------------------------------------------------------------- jobs

@dataclass
class Job:
    """One unit of work: a theme's notebook, or the data audit (``nb`` is None)."""
    name: str
    outcome: Outcome
    fp: str
    nb: Path | None = None
    params: dict = field(default_factory=dict)
    cells: int = 0  # cells papermill will run, for the progress line
    staging: Path | None = None  # the notebook's output folder (becomes reports/<theme>/)
    proc: object = None  # multiprocessing.Process once started
    conn: object = None  # its end of the pipe: ("cell", n) …, then ("result", {...})
    cell: int | None = None  # 0 = started, kernel starting
    result: dict | None = None
    eof: bool = False
    kernel: int | None = None  # the kernel's pid, as the job reported it
    started: float | None = None
    started_at: float = 0.0  # wall clock (time.time), to recognise the kernel's process


def _died(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"worker died (killed by {signal.Signals(-exitcode).name})"
        except ValueError:
            return f"worker died (signal {-exitcode})"
    return f"worker died (exit code {exitcode})"


def _kill_tree(job: Job) -> None:
    """SIGKILL a job process, its kernel (which runs in a session of its own, and outlives a killed
    job until it notices) and whatever else the job started."""
    alive = job.proc.exitcode is None  # not reaped yet: its pid is still its own
    pids = [job.proc.pid] if alive else []
    try:
        import psutil

        if alive:
            pids += [k.pid for k in psutil.Process(job.proc.pid).children(recursive=True)]
        if job.kernel and job.kernel not in pids:
            kernel = psutil.Process(job.kernel)
            if kernel.create_time() >= job.started_at - 1:  # that kernel, not a later process with its pid
                pids += [job.kernel] + [k.pid for k in kernel.children(recursive=True)]
    except Exception:  # no psutil, or gone already: a kernel also ends itself when its job is gone
        pass
    for pid in dict.fromkeys(pids):
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


class Batch:
    """One invocation's work: plan (skip or queue each theme and the audit), run, swap, clean up."""

    def __init__(self, cfg: dict, *, lang: str, tier: str, jobs: int, force: bool, timeout: int, progress: Progress):
        self.cfg, self.lang, self.tier, self.jobs, self.force, self.timeout = cfg, lang, tier, jobs, force, timeout
        self.progress = progress
        self.out: Path = cfg["out"]
        self.outcomes: list[Outcome] = []
        self.queue: deque[Job] = deque()
        self.running: list[Job] = []
        self.run_dir: Path | None = None
        self.ipc_dir: str | None = None
        self.template = None  # the warmed kernel template (helpers.runner.kernel_fork) and its socket
        self.cache_dir: str | None = None  # values built once for every notebook (helpers.batch_cache)
        self.notes: list[str] = []  # one-line problems beside the summary (e.g. a swap left to repair)
        self.ready: list[Job] = []  # jobs whose output is staged, swapped in together when all succeeded
        self.committed = False  # the batch's outputs were swapped in
        self.recovered = False  # a killed run's batch was finished first (the index is stale)
        self._reported = 0.0
        self._shared: str | OSError | None = None
        self._cell_counts: dict[Path, int] = {}
        self._inputs: str | None = None

    def inputs_json(self) -> str:
        """What this batch reads (helpers.reporting.run_record.inputs_record), computed once for every job."""
        if self._inputs is None:
            from helpers.reporting.run_record import inputs_json

            self._inputs = inputs_json(self.cfg.get("export"), self.cfg.get("dash_given"), self.cfg["dash_files"])
        return self._inputs

    # -- plan
    def plan(self) -> list[Job]:
        out, dash = self.out, (str(self.cfg["dash"]) if self.cfg["dash"] else None)
        pending = []
        for theme in self.cfg["themes"]:
            job = self._plan_notebook(theme, self.cfg["nb_dir"] / NOTEBOOKS[theme],
                                      {"tier": self.tier, "lang": self.lang, "dashboard_dir": dash,
                                       "dashboard_date": self.cfg.get("dashboard_date"), **self._survey_param()})
            if job:
                pending.append(job)
        for code, slug in self.cfg.get("profiles", []):
            job = self._plan_notebook(f"{PROFILES_DIR}/{slug}", self.cfg["nb_dir"] / PROFILE_NOTEBOOK,
                                      {"pref_code": code, "tier": self.tier, "lang": self.lang, "dashboard_dir": dash,
                                       "dashboard_date": self.cfg.get("dashboard_date"), **self._survey_param()})
            if job:
                pending.append(job)
        audit = Outcome(AUDIT, output=str(out / AUDIT_FILE))
        self.outcomes.append(audit)
        try:
            date = self.cfg.get("dashboard_date")  # a date given for the export is an input of the audit too
            year = self.cfg.get("dashboard_survey_year")  # and so is a survey year given
            key = f"{self.lang}|{date}" if date else self.lang
            afp = fingerprints.audit_inputs(f"{key}|fy{year}" if year else key, self.cfg["dash"],
                                            self.cfg["dash_files"], self._shared_inputs())
        except OSError as e:
            audit.status, audit.detail = "failed", f"cannot read inputs: {_error_line(e)}"
            return pending
        if not self.force and fingerprints.file_current(out / AUDIT_FILE, out / AUDIT_FINGERPRINT, afp):
            audit.status, audit.detail = "skipped", "inputs and output unchanged"
            self.progress.line(f"{AUDIT}: skipped (inputs and output unchanged)")
        else:
            pending.append(Job(AUDIT, audit, afp, params={"lang": self.lang, "dash": dash}))
        return pending

    def _survey_param(self) -> dict:
        """The notebooks' ``dashboard_survey_year`` when one was given (else none is passed: a notebook's
        own default, None, resolves it from the sidecar or the registration as the runner did)."""
        year = self.cfg.get("dashboard_survey_year")
        return {"dashboard_survey_year": year} if year is not None else {}

    def _shared_inputs(self) -> str:
        """The hash of the inputs every notebook shares (data, helpers, dashboard), computed once
        per batch; an error reading them is raised again for each notebook (each row says so)."""
        if self._shared is None:
            try:
                self._shared = fingerprints.shared_inputs(self.cfg["dash_files"])
            except OSError as e:
                self._shared = e
        if isinstance(self._shared, OSError):
            raise self._shared
        return self._shared

    def _cells(self, nb: Path) -> int:
        if nb not in self._cell_counts:  # 47 profiles share one notebook
            self._cell_counts[nb] = _cells(nb)
        return self._cell_counts[nb]

    def _plan_notebook(self, name: str, nb: Path, params: dict) -> "Job | None":
        """A notebook's job, or None when it is skipped (inputs and outputs unchanged) or its inputs
        cannot be read (its outcome then says so). ``name`` is its folder under --out."""
        target = self.out / name
        o = Outcome(name, output=str(target / "report.md"))
        self.outcomes.append(o)
        try:
            fp = fingerprints.theme_inputs(nb, params, self.cfg["dash_files"], self._shared_inputs())
            cells = self._cells(nb)
        except (OSError, ValueError, KeyError) as e:
            o.status, o.detail = "failed", f"cannot read inputs: {_error_line(e)}"
            self.progress.line(f"{name}: failed — {o.detail}")
            return None
        if not self.force and fingerprints.theme_current(target, FINGERPRINT, fp):
            o.status, o.detail = "skipped", "inputs and outputs unchanged"
            self.progress.line(f"{name}: skipped (inputs and outputs unchanged)")
            try:
                (target / FAILED).unlink(missing_ok=True)  # from other inputs than the report's: stale
            except OSError:
                pass
            return None
        return Job(name, o, fp, nb, params, cells)

    # -- run
    def run(self) -> list[Outcome]:
        """Recover, plan, run what changed; on Ctrl-C/SIGTERM/SIGHUP abort (``Interrupted`` propagates)."""
        self.recovered = staging.recover(self.out)
        pending = self.plan()
        if not pending:
            return self.outcomes
        n = min(self.jobs, len(pending))
        try:
            self.run_dir = staging.new_run_dir(self.out)
            notebooks = [j for j in pending if j.nb]
            if notebooks:
                from helpers.runner import runworker

                self.ipc_dir = staging.kernels_dir(self.run_dir)
                self._start_template(notebooks)  # its imports overlap what follows
                runworker.import_papermill()  # once, here: every forked job has it
                import nbclient.exceptions  # noqa: F401
                import jupyter_client.manager  # noqa: F401

                folder, frames = _check_inputs(self.cfg["dash"])  # UsageError: no report has been written
                for note in check_needs([j.name for j in notebooks], frames, folder):  # UsageError: nothing run
                    self.progress.line(f"note: {note}")
                if len(notebooks) >= 2:
                    shared = sum(j.nb.name in SHARED_INPUT_NOTEBOOKS for j in notebooks) >= 2
                    # the weights: built by the kernel template when it runs (it imports libpysal
                    # anyway), else here, once for the batch
                    weights = _needs_spatial(notebooks) and self.template is None
                    self.cache_dir = _build_cache(self.run_dir, folder, frames, shared, weights)
            pending = self._ordered(pending)
            self.progress.line("queued: " + ", ".join(job.name for job in pending) + f" (jobs = {n})")
            for job in pending:
                if job.nb is not None:
                    job.staging = self.run_dir / job.name
                    job.staging.mkdir(parents=True)
                    job.params = {**job.params, "output_dir": str(job.staging)}
            self.queue.extend(pending)
            self._loop()
            self._commit()
        except Interrupted:
            self.abort()
            raise
        finally:
            self.cleanup()
        return self.outcomes

    def _loop(self) -> None:
        from multiprocessing.connection import wait as mp_wait

        while self.queue or self.running:
            while self.queue and len(self.running) < self.jobs:
                self._start(self.queue.popleft())
            handles = [j.conn for j in self.running if not j.eof] + [j.proc.sentinel for j in self.running]
            mp_wait(handles, timeout=1.0)
            for job in list(self.running):
                self._drain(job)
                if job.result is not None or job.proc.exitcode is not None:
                    job.proc.join(5)
                    if job.proc.exitcode is None:  # sent its result but hangs on exit
                        _kill_tree(job)
                        job.proc.join(5)
                    self._drain(job)
                    job.conn.close()
                    self.running.remove(job)
                    self._done(job)
            if time.monotonic() - self._reported >= 1.0:  # progress at most once a second, as a poll
                self._reported = time.monotonic()
                self._report_running()

    def _start(self, job: Job) -> None:
        import multiprocessing as mp

        from helpers.runner import runworker

        ctx = mp.get_context("fork")
        reader, writer = ctx.Pipe(duplex=False)
        if job.nb is None:
            # the audit writes into the run's folder: swapped in with the themes (all or nothing)
            kind, args = "audit", {"out": str(self.run_dir), "lang": job.params["lang"], "dash": job.params["dash"], "fp": job.fp,
                                   "dashboard_date": self.cfg.get("dashboard_date"),
                                   "dashboard_survey_year": self.cfg.get("dashboard_survey_year")}
        else:
            kind, args = "notebook", {"nb_path": str(job.nb), "staging": str(job.staging), "params": job.params,
                                      "timeout": self.timeout, "ipc_dir": self.ipc_dir,
                                      "fork_sock": self.template[1] if self.template else None,
                                      "cache_dir": self.cache_dir}
        proc = ctx.Process(target=runworker.job_main, args=(writer, os.getpid(), kind, args),
                           name=f"helpers.runner.run:{job.name}", daemon=True)
        with swap.signals_held():  # a signal now must not leave a job process nobody knows of
            proc.start()
            job.proc, job.conn, job.cell, job.started, job.started_at = proc, reader, 0, time.monotonic(), time.time()
            self.running.append(job)
        writer.close()

    def _ordered(self, pending: list[Job]) -> list[Job]:
        """The audit first (it needs no kernel: it runs while the kernel template imports), then the
        notebooks longest first, so that no long one starts last and runs alone at the end."""
        def expected(job: Job) -> float:
            recorded = fingerprints.recorded_seconds(self.out / job.name / FINGERPRINT)
            return recorded if recorded is not None else EXPECTED_SECONDS.get(job.name.split("/")[0], 3.0)

        audit = [j for j in pending if j.nb is None]
        return audit + sorted((j for j in pending if j.nb is not None), key=expected, reverse=True)

    def _start_template(self, notebooks: list) -> None:
        """Start the kernel template (helpers.runner.kernel_fork) when two notebooks or more will run: its
        imports, paid once, replace every kernel's own. The spatial libraries only when the
        determinants theme runs (a batch without it does not pay for them)."""
        from helpers.runner import kernel_fork

        if self.ipc_dir and kernel_fork.enabled() and len(notebooks) >= 2:
            extra = kernel_fork.SPATIAL_PRELOAD if _needs_spatial(notebooks) else ()
            self.template = kernel_fork.start_template(self.ipc_dir, extra)

    @staticmethod
    def _drain(job: Job) -> None:
        try:
            while job.conn.poll():
                kind, value = job.conn.recv()
                if kind == "cell":
                    job.cell = value
                elif kind == "kernel":
                    job.kernel = value
                elif kind == "result":
                    job.result = value
        except (EOFError, OSError):  # the job closed its end (done, or died)
            job.eof = True

    def _done(self, job: Job) -> None:
        if job.result is None:  # the job died: its kernel must not run on alone
            _kill_tree(job)
        res = job.result if job.result is not None else {"ok": False, "whole": True, "error": _died(job.proc.exitcode)}
        o = job.outcome
        o.seconds = round(res.get("seconds", time.monotonic() - (job.started or time.monotonic())), 1)
        if job.nb is None:
            o.status = "ok" if res.get("ok") else "failed"
            o.detail = "" if res.get("ok") else res.get("error", "")
            if res.get("ok"):
                from helpers.atomic import write_text_atomic

                try:
                    write_text_atomic(self.run_dir / AUDIT_INPUTS, self.inputs_json())
                except OSError as e:
                    o.status, o.detail = "failed", f"cannot record the audit's inputs: {_error_line(e)}"
                else:
                    self.ready.append(job)  # swapped in with the batch (:meth:`_commit`)
        else:
            self._finish(job, res)
        self.progress.line(f"{job.name}: {o.status} in {o.seconds:.1f}s" + (f" — {o.detail}" if o.detail else ""))

    def _finish(self, job: Job, res: dict) -> None:
        """A notebook job ended: its folder waits for the batch's commit (:meth:`_commit`), or the
        failure is kept beside the old report."""
        o, built, target = job.outcome, job.staging, self.out / job.name
        if res.get("ok") and (built / "report.md").is_file():
            from helpers.atomic import write_text_atomic

            try:
                write_text_atomic(built / INPUTS, self.inputs_json())
                write_text_atomic(built / FINGERPRINT, fingerprints.record(job.fp, fingerprints.output_hashes(built),
                                                                           seconds=res.get("seconds")))
            except OSError as e:
                res = {"ok": False, "whole": True, "os": True, "error": f"cannot record outputs: {_error_line(e)}"}
            else:
                why = None if self.cfg.get("adopt") else ownership.unowned(self.out, job.name)
                if why:  # appeared while the notebook ran: still never replaced
                    res = {"ok": False, "whole": True, "os": True,
                           "error": f"{_shown(target)} {why}; not replaced (--adopt-existing to let the run replace it)"}
            if res.get("ok"):
                o.status = "ok"  # the notebook ran; swapped in with the rest of the batch, or not at all
                self.ready.append(job)
                return
        o.status = "failed"
        if res.get("timeout") or res.get("whole"):
            o.detail = res["error"]
        else:
            where = f"cell [{res.get('cell')}]" if res.get("cell") is not None else "notebook"
            o.detail = f"{where}: {res.get('error') or 'no report.md written'}"
        executed = built / job.nb.name
        if executed.is_file() and not res.get("os"):  # the notebook ran well when the OS failed: nothing to keep
            from helpers.atomic import write_bytes_atomic

            try:
                write_bytes_atomic(target / FAILED, executed.read_bytes())
                o.output = str(target / FAILED)
            except OSError as e:
                o.detail += f" (failed.ipynb not kept: {_error_line(e)})"
        shutil.rmtree(built, ignore_errors=True)

    # -- all or nothing
    def _commit(self) -> None:
        """Swap in every staged output of the batch together when every job succeeded; when one
        failed (or cannot be replaced), none: the previous reports stay byte for byte, each built
        one's row says it was not swapped in, and one line names what failed and what was kept."""
        if not self.ready:
            if any(o.status == "failed" for o in self.outcomes):
                self._discard()
            return
        failed = [o for o in self.outcomes if o.status == "failed"]
        if not failed and not self.cfg.get("adopt"):  # still the runner's: a file may have appeared meanwhile
            for job in self.ready:
                why = ownership.unowned(self.out, job.name) if job.nb is not None else None
                if why:
                    job.outcome.status = "failed"
                    job.outcome.detail = (f"{_shown(self.out / job.name)} {why}; not replaced "
                                          "(--adopt-existing to let the run replace it)")
                    failed.append(job.outcome)
        if failed:
            self._discard()
            return
        pairs = []  # the theme folders first, then the audit's files
        for job in sorted(self.ready, key=lambda j: j.nb is None):
            if job.nb is None:
                pairs += [(self.run_dir / name, self.out / name) for name in AUDIT_NAMES if (self.run_dir / name).is_file()]
            else:
                pairs.append((job.staging, self.out / job.name))
        try:
            for _new, target in pairs:
                target.parent.mkdir(parents=True, exist_ok=True)  # reports/prefectures/ on the first profile
            with swap.signals_held():  # the outcome is recorded with the swap, before any signal acts
                swap.swap_all(pairs, self.run_dir, self.out)
                self.committed = True
        except OSError as e:
            where = getattr(e, "swap_target", None)
            culprit = next((j for j in self.ready if where is not None and
                            where in ([self.out / n for n in AUDIT_NAMES] if j.nb is None else [self.out / j.name])), None)
            for job in self.ready:
                if job is culprit:
                    shown = _shown(where) if job.nb is not None else str(where)
                    job.outcome.status, job.outcome.detail = "failed", f"cannot replace {shown}: {_error_line(e)}"
            self._discard(None if culprit else f"cannot replace the batch's reports in {_shown(self.out)}: {_error_line(e)}")
            return
        for job in self.ready:
            try:
                for name in (AUDIT_NAMES if job.nb is None else (job.name,)):
                    if (self.out / name).exists():
                        ownership.record(self.out, name)
            except OSError as e:  # a folder's own .fingerprint still marks it as the runner's
                self.notes.append(f"cannot record {_shown(self.out)}{ownership.MANIFEST}: {_error_line(e)}")
                break

    def _discard(self, why: str | None = None) -> None:
        """Nothing of the batch is swapped in (a job failed; or ``why``, a swap that could not be done
        and was undone): say so in each built job's row and in one line naming what failed and which
        previous reports are kept."""
        failed = [o.theme for o in self.outcomes if o.status == "failed"]
        why = why or f"{_names(failed)} failed"
        for job in self.ready:
            if job.outcome.status != "failed":
                job.outcome.status = "cancelled"
                job.outcome.detail = f"built but not swapped in: {_names(failed) + ' failed' if failed else why} (all or nothing)"
        ran = [o.theme for o in self.outcomes if o.status in ("failed", "cancelled")]
        kept = [name for name in ran if (self.out / (AUDIT_FILE if name == AUDIT else f"{name}/report.md")).is_file()]
        self.notes.append(f"{why}; no report was replaced (all or nothing): "
                          + (f"previous reports kept: {_names(kept)}" if kept else "there were no previous reports"))

    def _report_running(self) -> None:
        """Which job is at which cell: one redrawn line on a terminal, a line per change otherwise."""
        states = []
        for job in self.running + list(self.queue):
            if job.proc is None:
                state = "queued"
            elif job.nb is None:
                state = "building"
            else:
                step = "starting" if not job.cell else f"cell {job.cell}/{job.cells}"
                state = f"{step} {time.monotonic() - job.started:.0f}s"
            states.append((job.name, state))
        if self.progress.tty:
            if states:
                self.progress.line("running: " + "; ".join(f"{n} {s}" for n, s in sorted(states)), transient=True)
            return
        for name, state in states:
            key = state.rsplit(" ", 1)[0]  # without the seconds
            if key != self.progress.seen.get(name) and state not in ("queued", "building"):
                self.progress.seen[name] = key
                self.progress.line(f"{name}: {key}")

    # -- abort and cleanup
    def abort(self, reason: str = "interrupted") -> None:
        """Cancel queued jobs, kill running ones with their kernels; their rows say so."""
        for job in self.queue:
            job.outcome.status, job.outcome.detail = "cancelled", "not started"
        self.queue.clear()
        for job in self.running:
            _kill_tree(job)
        for job in self.running:
            job.proc.join(5)
            o = job.outcome
            o.status, o.detail = "failed", reason
            o.seconds = round(time.monotonic() - (job.started or time.monotonic()), 1)
        self.running.clear()

    def cleanup(self) -> None:
        """Remove this run's staging folder (unless a swap must still be repaired) and kernel sockets."""
        for job in self.running:  # only after an unexpected error: no job outlives the runner
            _kill_tree(job)
            job.proc.join(5)
        self.running.clear()
        if self.template:
            from helpers.runner import kernel_fork

            kernel_fork.stop_template(self.template[0])
            self.template = None
        if self.ipc_dir:
            shutil.rmtree(self.ipc_dir, ignore_errors=True)
            self.ipc_dir = None
        if self.run_dir and self.run_dir.exists():
            try:
                staging.remove_run_dir(self.run_dir, self.out)
            except runlock.UnsafePath as e:  # tampered with during the run: nothing followed
                self.notes.append(str(e))
            except OSError as e:  # the folder stays: its journal and both copies, for the next run
                self.notes.append(f"a swap in {_shown(self.out)} could not be finished ({_error_line(e)}); "
                                  "the next run repairs it")
        self.run_dir = None


def run(cfg: dict, *, lang: str, tier: str, jobs: int, force: bool, timeout: int, progress: Progress) -> list[Outcome]:
    """Run every theme whose inputs or outputs changed (all with ``force``), and the audit (lock held)."""
    return Batch(cfg, lang=lang, tier=tier, jobs=jobs, force=force, timeout=timeout, progress=progress).run()


# ---------------------------------------------------------------------------- index & summary

def write_index(out: Path, themes: list[str], lang: str, tier: str = "all") -> Path:
    """reports/README.md and index.html: the reports and the run record (language, tier, commit,
    input files with dates and checksums), written only when their bytes change."""
    from helpers.atomic import write_bytes_if_changed
    from helpers.reporting.html_report import render
    from helpers.reporting.run_record import LANG_MARKER as LANG_MARKER_LINE, build

    profiles = out / PROFILES_DIR
    if any(profiles.glob("*/summary.json")):
        from helpers.reporting.run_record import build_profiles_index

        md = build_profiles_index(profiles, lang).to_markdown()
        write_bytes_if_changed(profiles / "README.md", md.encode("utf-8"))
        write_bytes_if_changed(profiles / "index.html",
                               render(LANG_MARKER_LINE.sub("", md), lang=lang, base=profiles).encode("utf-8"))
        ownership.record(out, f"{PROFILES_DIR}/README.md")
        ownership.record(out, f"{PROFILES_DIR}/index.html")
    rec = build(out, NOTEBOOKS, lang, tier, AUDIT_FILE)
    md = rec.to_markdown()
    path = out / "README.md"
    write_bytes_if_changed(path, md.encode("utf-8"))
    write_bytes_if_changed(out / "index.html", render(LANG_MARKER_LINE.sub("", md), lang=lang, base=out).encode("utf-8"))
    ownership.record(out, "README.md")
    ownership.record(out, "index.html")
    return path


def _index_current(out: Path, outcomes: list[Outcome]) -> bool:
    """Nothing was built and the index pages exist: they describe these very reports already
    (a skipped report's inputs are those it was built from), so a no-op run leaves them alone."""
    if any(o.status != "skipped" for o in outcomes):
        return False
    pages = [out / "README.md", out / "index.html"]
    if any((out / PROFILES_DIR).glob("*/summary.json")):
        pages += [out / PROFILES_DIR / "README.md", out / PROFILES_DIR / "index.html"]
    return all(p.is_file() for p in pages)


def summary_table(outcomes: list[Outcome]) -> str:
    rows = [("theme", "status", "seconds", "output / detail")]
    for o in outcomes:
        shown = o.detail and o.status in ("failed", "cancelled")
        rows.append((o.theme, o.status, f"{o.seconds:.1f}", o.output + (f" — {o.detail}" if shown else "")))
    w = [max(len(r[i]) for r in rows) for i in range(3)]
    return "\n".join(f"{r[0]:<{w[0]}}  {r[1]:<{w[1]}}  {r[2]:>{w[2]}}  {r[3]}" for r in rows)


# ----------------------------------------------------------------------------------- main

def _on_signal(signum: int, _frame) -> None:
    """First SIGINT/SIGTERM/SIGHUP: later ones are only noted (the cleanup must not be cut short)."""
    for s in swap.HELD_SIGNALS:
        signal.signal(s, signal.SIG_IGN)
    raise Interrupted(signum)


@contextmanager
def _signals_raise():
    """Turn SIGINT/SIGTERM/SIGHUP into :class:`Interrupted` for the duration (main thread only)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    # a signal the runner was started to ignore (nohup, a background job) stays ignored
    previous = {s: signal.signal(s, _on_signal) for s in swap.HELD_SIGNALS if signal.getsignal(s) is not signal.SIG_IGN}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _say(text: str, stream=None) -> None:
    try:
        print(text, file=stream or sys.stderr, flush=True)
    except (OSError, ValueError):  # no terminal any more (SIGHUP), closed pipe
        pass


_SIGNAL_WORDS = {signal.SIGINT: "interrupted (Ctrl-C)", signal.SIGTERM: "stopped by SIGTERM"}


def _allocator_for_memory_caps() -> None:
    """Under an address-space cap (``ulimit -v``), pyarrow's default allocator reserves arenas the
    cap refuses and aborts the process (``std::bad_alloc``, no Python error, no cleanup). The
    system allocator raises MemoryError instead, which fails the row or the run with one line.
    Set before pandas loads pyarrow, here and (inherited) in every job and kernel."""
    import resource

    capped = any(resource.getrlimit(r)[0] != resource.RLIM_INFINITY
                 for r in (resource.RLIMIT_AS, getattr(resource, "RLIMIT_DATA", resource.RLIMIT_AS)))
    if capped:
        os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")


def _can_write(folder: Path) -> bool:
    """Whether ``folder`` exists writable, or could be created (its nearest existing parent is)."""
    probe = folder
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    return probe.is_dir() and os.access(probe, os.W_OK | os.X_OK)


def _writable_config_dirs() -> None:
    """A read-only (or missing) home folder or MPLCONFIGDIR makes matplotlib and IPython print a
    warning in every job and kernel (10 lines for a batch); they fall back to a temp folder anyway.
    Give them a private temp folder up front instead (removed when the runner exits), silently."""
    import atexit
    import tempfile

    home = Path(os.environ.get("HOME") or "~").expanduser()
    config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    wanted = {"MPLCONFIGDIR": Path(os.environ.get("MPLCONFIGDIR") or config / "matplotlib"),
              "IPYTHONDIR": Path(os.environ.get("IPYTHONDIR") or home / ".ipython")}
    for var, folder in wanted.items():
        if _can_write(folder):
            continue
        try:
            tmp = tempfile.mkdtemp(prefix=f"dxkit-{var.lower()}-")
        except OSError:
            continue
        os.environ[var] = tmp
        atexit.register(shutil.rmtree, tmp, True)


def main(argv: list[str] | None = None) -> int:
    _allocator_for_memory_caps()
    _writable_config_dirs()
    ns = parse_args(argv)
    try:
        cfg = validate(ns)
    except UsageError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
    out, progress = cfg["out"], Progress()
    batch = Batch(cfg, lang=ns.lang, tier=ns.tier, jobs=ns.jobs, force=ns.force, timeout=ns.timeout, progress=progress)
    lock = None
    with _signals_raise():
        try:
            try:
                lock = runlock.acquire(out / STAGING, wait=ns.wait, on_wait=lambda pid: _say(
                    f"waiting: another run holds the lock on {_shown(out)} (pid {pid or 'unknown'})"))
            except runlock.UnsafePath as e:
                _say(f"error: {e}")
                return EXIT_USAGE
            except runlock.LockBusy as e:
                _say(f"error: another run holds the lock on {_shown(out)} (pid {e.pid or 'unknown'}); "
                     "wait for it or use --wait")
                return EXIT_USAGE
            try:
                outcomes = batch.run()
            except (UsageError, runlock.UnsafePath) as e:
                _say(f"error: {e}")
                return EXIT_USAGE
            try:
                # the index describes the reports in place: rewritten when the batch (or a killed run's,
                # finished by the recovery) was swapped in, never after a batch that replaced nothing
                failed = any(o.status == "failed" for o in outcomes)
                if batch.committed or batch.recovered or (not failed and not _index_current(out, outcomes)):
                    write_index(out, cfg["themes"], ns.lang, ns.tier)
            except OSError as e:
                batch.notes.append(f"cannot update {_shown(out)}README.md: {_error_line(e)}")
            for s in swap.HELD_SIGNALS:  # all done: a late signal must not cut the summary short
                if signal.getsignal(s) is _on_signal:
                    signal.signal(s, signal.SIG_IGN)
            _say(summary_table(outcomes), sys.stdout)
            for note in batch.notes:
                _say(f"error: {note}")
            return EXIT_FAILED if batch.notes or any(o.status == "failed" for o in outcomes) else EXIT_OK
        except Interrupted as e:
            return _interrupted(e.signum, batch, out, cfg, ns.lang)
        except OSError as e:
            _say(f"error: {_error_line(e)}")
            return EXIT_FAILED
        except MemoryError:  # a memory cap (ulimit -v, a container) below what the run needs
            batch.cleanup()
            _say(f"error: out of memory (the run needs about {NEEDS_GIB} GiB; raise the limit or run fewer --jobs)")
            return EXIT_FAILED
        finally:
            if lock is not None:
                lock.release()


def _interrupted(signum: int, batch: Batch, out: Path, cfg: dict, lang: str) -> int:
    """After Ctrl-C/SIGTERM/SIGHUP (jobs already killed, staging removed by ``Batch.run``)."""
    if not batch.outcomes:  # while waiting for the lock, or recovering
        _say(f"{_SIGNAL_WORDS.get(signum, 'stopped by ' + signal.Signals(signum).name)}: nothing was run")
        return 128 + signum
    for o in batch.outcomes:
        if o.status == "pending":
            o.status, o.detail = "cancelled", "not started"
    if not batch.committed:  # all or nothing: what was built before the signal is not swapped in
        for job in batch.ready:
            if job.outcome.status == "ok":
                job.outcome.status, job.outcome.detail = "cancelled", "built but not swapped in (interrupted)"
    if batch.committed or batch.recovered:  # a batch swapped in before the signal: the index follows it
        try:
            write_index(out, cfg["themes"], lang, batch.tier)
        except OSError:
            pass
    aborted = sum(o.detail == "interrupted" for o in batch.outcomes)
    cancelled = sum(o.detail == "not started" for o in batch.outcomes)
    words = _SIGNAL_WORDS.get(signum, "stopped by " + signal.Signals(signum).name)
    if signum == signal.SIGINT:
        _say(summary_table(batch.outcomes), sys.stdout)
    if batch.committed:
        _say(f"{words}: after the batch was complete; its reports are in place")
    else:
        _say(f"{words}: {aborted} running job(s) aborted, {cancelled} not started; previous reports kept")
    return 128 + signum


if __name__ == "__main__":
    sys.exit(main())
