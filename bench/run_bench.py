"""Performance figures of the batch runner and the dashboard loaders (``make bench``).

Each figure is the median of N runs (``--runs N``, default 5; ``--quick`` = 1 run); section 2, the
slow one (~10 min a run), has its own ``--set-runs`` (default 1):

1. the four original theme notebooks, cold: ``python -m helpers.runner.run --themes <4> --force`` into a
   fresh folder vs the same notebooks run one after another with the ``papermill`` CLI; target
   speed-up >= 3x.
2. the whole set, cold: the 5 themes and the 47 prefecture profiles (``--profiles all``, 52
   notebooks, default --jobs) vs the same 52 notebooks with the ``papermill`` CLI one after
   another; target speed-up (wall) >= 6x; CPU seconds of both reported (every process of the
   tree, sampled every 0.1 s with psutil).
3. no-op re-run of the whole set (same --out, nothing changed); target < 1 s.
4. peak memory of the whole process tree during the cold whole-set batch of section 2 (runner,
   jobs, kernel template, kernels): summed PSS (each shared page split between the processes that
   share it, so the sum is the memory the tree uses); target < 2 GiB. Summed RSS is reported too
   (it counts a page shared after a fork once in every process, so it overstates).
5. loading the municipal dashboard 比較 / 申請率 CSVs (load_dashboard / load_online_rates) and an
   .xlsx copy of the 比較 file (load_dashboard → python-calamine; compared with openpyxl);
   target < 0.5 s each. Timed in-process after a warm-up; import time of helpers.loaders.entity apart.
6. ``python -X importtime -c "import helpers"``: cumulative µs of the helpers package; target < 50 ms.

Everything runs in temporary folders; the project's reports/ is never written (checked).
Results: printed, and written to bench/results/latest.json and latest.md (git-ignored).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
PAPERMILL = str(VENV_BIN / "papermill") if (VENV_BIN / "papermill").exists() else shutil.which("papermill") or "papermill"
RESULTS = ROOT / "bench" / "results"
DEFAULT_DASHBOARD = ROOT.parent / "shared" / "data" / "dashboard"  # the sources folder beside the project
MIB = 1024 * 1024

# theme -> notebook, as in helpers.runner.run.NOTEBOOKS (read from there so the two never drift)
sys.path.insert(0, str(ROOT / "src"))
from helpers.runner.run import NOTEBOOKS, PROFILE_NOTEBOOK, PROFILES_DIR, default_jobs  # noqa: E402  (light: no pandas, no papermill)


# ------------------------------------------------------------------------------------ utils

class Bench:
    """Collects figures; prints each as it is measured."""

    def __init__(self, runs: int, foreign: "ForeignLoad | None" = None):
        self.runs = runs
        self.foreign = foreign
        self.figures: list[dict] = []
        self.ratios: list[dict] = []
        self.notes: list[str] = []

    def figure(self, key: str, label: str, values: list[float], unit: str, target: float | None = None,
               op: str = "<", info: str = "", since: float | None = None, until: float | None = None) -> dict:
        other = _window_mean(self.foreign, since, until or float("inf")) if (self.foreign and since) else None
        if other is not None and other > 0.1:
            info = (info + "; " if info else "") + f"other processes busy: {other:.2f} cores"
        med = statistics.median(values) if values else None
        met = None
        if target is not None and med is not None:
            met = {"<": med < target, "<=": med <= target, ">=": med >= target, ">": med > target}[op]
        fig = {"key": key, "label": label, "median": med, "values": values, "unit": unit, "foreign_cores": other,
               "target": target, "op": op if target is not None else None, "met": met, "info": info}
        self.figures.append(fig)
        print(f"  {label}: {_fmt(med, unit)}"
              + (f"  (runs: {', '.join(_fmt(v, unit, bare=True) for v in values)})" if len(values) > 1 else "")
              + (f"  target {op} {_fmt(target, unit)} → {'MET' if met else 'NOT MET'}" if target is not None else "")
              + (f"  [{info}]" if info else ""), flush=True)
        return fig

    def ratio(self, key: str, label: str, value: float | None, target: float | None = None, info: str = "",
              op: str = ">=") -> None:
        """A ratio and its target: at least ``target`` (``op`` '>=', a speed-up) or at most (``op`` '<=',
        a growth)."""
        met = None
        if target is not None and value is not None:
            met = value >= target if op == ">=" else value <= target
        self.ratios.append({"key": key, "label": label, "value": value, "target": target, "met": met, "info": info,
                            "op": op})
        print(f"  {label}: {_fmt(value, 'x')}"
              + (f"  target {op} {target:g}x → {'MET' if met else 'NOT MET'}" if target is not None else "")
              + (f"  [{info}]" if info else ""), flush=True)

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(f"  NOTE: {text}", flush=True)


def _window_mean(fl: "ForeignLoad", t0: float, t1: float) -> float | None:
    """Mean CPU (cores) other processes used between monotonic times t0 and t1."""
    xs = [c for t, c in list(fl.samples) if t0 <= t <= t1]
    return round(statistics.mean(xs), 2) if xs else None


def _others(b: Bench, t0: float) -> str:
    """' (other processes: X cores)' for a run that started at monotonic time t0, if any were busy."""
    other = _window_mean(b.foreign, t0, float("inf")) if b.foreign else None
    return f"  (other processes busy: {other:.2f} cores)" if other and other > 0.1 else ""


def _fmt(v: float | None, unit: str, bare: bool = False) -> str:
    if v is None:
        return "n/a"
    if unit == "s":
        s = f"{v:.3f}" if v < 10 else f"{v:.1f}"
    elif unit == "ms":
        s = f"{v:.1f}"
    elif unit == "MiB":
        s = f"{v:.0f}"
    elif unit == "x":
        return f"{v:.2f}x"
    else:
        s = f"{v:g}"
    return s if bare else f"{s} {unit}"


def _run(cmd: list[str], cwd: Path = ROOT, env: dict | None = None) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    cp = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    return time.perf_counter() - t0, cp


def _check(cp: subprocess.CompletedProcess, what: str) -> None:
    if cp.returncode != 0:
        tail = "\n".join((cp.stderr or cp.stdout or "").strip().splitlines()[-15:])
        raise RuntimeError(f"{what} failed (exit {cp.returncode}):\n{tail}")


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.stat().st_size)
            for p in folder.rglob("*") if p.is_file()}


class ForeignLoad(threading.Thread):
    """CPU used by processes outside the bench's own process tree (other users of the machine),
    in cores, sampled every second — a shared 2-core machine makes figures slower and noisier."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self._halt = threading.Event()

    def run(self) -> None:
        import psutil

        me, prev, t_prev = os.getpid(), {}, time.monotonic()
        while not self._halt.wait(1.0):
            parents, cpu = {}, {}
            for p in psutil.process_iter(["ppid", "cpu_times", "create_time"]):
                try:
                    ct = p.info["cpu_times"]
                    parents[p.pid] = p.info["ppid"]
                    cpu[p.pid] = (p.info["create_time"], ct.user + ct.system)
                except (TypeError, AttributeError):
                    continue

            def ours(pid: int) -> bool:
                seen = 0
                while pid and seen < 64:
                    if pid == me:
                        return True
                    pid, seen = parents.get(pid, 0), seen + 1
                return False

            now = time.monotonic()
            used = 0.0
            for pid, (created, secs) in cpu.items():
                if ours(pid):
                    continue
                before = prev.get(pid)
                used += secs - before[1] if before and before[0] == created else 0.0
            if prev:
                self.samples.append((now, max(0.0, used) / (now - t_prev)))
            prev, t_prev = cpu, now

    def since(self, t0: float) -> float | None:
        """Mean foreign cores from monotonic time ``t0`` until now."""
        return _window_mean(self, t0, float("inf"))

    def stop(self) -> dict:
        self._halt.set()
        self.join(timeout=5)
        xs = [c for _, c in self.samples]
        return {"mean_cores": round(statistics.mean(xs), 2) if xs else None,
                "max_cores": round(max(xs), 2) if xs else None, "samples": len(xs)}


# ----------------------------------------------------------------------- process-tree monitor

class TreeMonitor(threading.Thread):
    """Samples a process and all its descendants every ``interval`` s: CPU seconds (user + system of
    each process, its last sample; a process that lives less than one interval is missed), peak
    summed RSS, largest single RSS and — with ``pss`` — peak summed PSS (read from smaps, slower,
    so every 5th sample). Forked kernels are descendants too (children of the kernel template)."""

    def __init__(self, pid: int, interval: float = 0.1, pss: bool = False):
        super().__init__(daemon=True)
        self.pid, self.interval, self.pss = pid, interval, pss
        self.cpu: dict[tuple[int, float], float] = {}
        self.roles: dict[tuple[int, float], str] = {}
        self.peak_rss = self.peak_pss = self.peak_single = 0
        self.peak_single_who, self.peak_count, self.samples = "", 0, 0
        self.per_role: dict[str, int] = {}
        self._halt = threading.Event()

    def run(self) -> None:
        import psutil

        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self._halt.is_set():
            try:
                procs = [root] + root.children(recursive=True)
            except psutil.NoSuchProcess:
                break
            rss_sum = pss_sum = 0
            want_pss = self.pss and self.samples % 5 == 0
            for p in procs:
                try:
                    with p.oneshot():
                        key = (p.pid, p.create_time())
                        ct = p.cpu_times()
                        rss = p.memory_info().rss
                        if key not in self.roles:
                            self.roles[key] = _role(p)
                    pss_sum += p.memory_full_info().pss if want_pss else 0
                except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                    continue
                self.cpu[key] = ct.user + ct.system
                rss_sum += rss
                role = self.roles[key]
                self.per_role[role] = max(self.per_role.get(role, 0), rss)
                if rss > self.peak_single:
                    self.peak_single, self.peak_single_who = rss, f"{role} pid {p.pid}"
            self.peak_rss = max(self.peak_rss, rss_sum)
            self.peak_pss = max(self.peak_pss, pss_sum)
            self.peak_count = max(self.peak_count, len(procs))
            self.samples += 1
            self._halt.wait(self.interval)

    def stop(self) -> "TreeMonitor":
        self._halt.set()
        self.join(timeout=5)
        return self

    @property
    def cpu_seconds(self) -> float:
        return sum(self.cpu.values())

    def cpu_by_role(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for key, secs in self.cpu.items():
            out[self.roles[key]] = out.get(self.roles[key], 0.0) + secs
        return out


def _role(p) -> str:
    try:
        cmd = " ".join(p.cmdline())
    except Exception:
        return "?"
    if "ipykernel" in cmd:
        return "kernel"
    if "helpers.runner.kernel_fork" in cmd:
        try:  # the template, or a kernel forked from it (same command line)
            return "kernel" if "helpers.runner.kernel_fork" in " ".join(p.parent().cmdline()) else "kernel template"
        except Exception:
            return "kernel template"
    if "helpers.runner.run" in cmd:
        return "runner/job"
    if "papermill" in cmd:
        return "papermill"
    return p.name()


def _monitored(cmd: list[str], pss: bool = False) -> tuple[float, subprocess.CompletedProcess, TreeMonitor]:
    """Run ``cmd`` to its end under a :class:`TreeMonitor`: (wall seconds, result, monitor)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    mon = TreeMonitor(proc.pid, pss=pss)
    mon.start()
    stdout, stderr = proc.communicate()
    secs = time.perf_counter() - t0
    return secs, subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr), mon.stop()


# ----------------------------------------------------------------------- notebooks of a batch

ORIGINAL_THEMES = ("staffing", "online_usage", "security", "ai_rpa_telework")  # the 4 of the first target


def _profiles() -> list[tuple[str, str]]:
    from helpers.loaders.profile_params import prefectures

    return [(p.code, p.slug) for p in prefectures()]


def _papermill_cmds(themes: list[str], profiles: list[tuple[str, str]], out: Path) -> list[list[str]]:
    """The papermill CLI commands for the same notebooks and parameters as the runner's batch."""
    nb_dir = ROOT / "notebooks"
    cmds = [[PAPERMILL, str(nb_dir / NOTEBOOKS[t]), str(out / NOTEBOOKS[t]), "-p", "output_dir", str(out / t),
             "--cwd", str(nb_dir), "-k", "python3"] for t in themes]
    for code, slug in profiles:
        cmds.append([PAPERMILL, str(nb_dir / PROFILE_NOTEBOOK), str(out / f"{slug}.ipynb"), "-r", "pref_code", code,
                     "-r", "tier", "all", "-p", "output_dir", str(out / PROFILES_DIR / slug), "--cwd", str(nb_dir),
                     "-k", "python3"])
    return cmds


def _batch(out: Path, themes: list[str], profiles: bool, force: bool = True) -> list[str]:
    return ([PYTHON, "-m", "helpers.runner.run", "--out", str(out), "--themes", ",".join(themes)]
            + (["--profiles", "all"] if profiles else []) + (["--force"] if force else []))


def _check_outputs(out: Path, themes: list[str], profiles: list[tuple[str, str]]) -> None:
    missing = [t for t in themes if not (out / t / "report.md").is_file()]
    missing += [slug for _, slug in profiles if not (out / PROFILES_DIR / slug / "report.md").is_file()]
    if missing:
        raise RuntimeError(f"no report.md in {out} for {', '.join(missing[:5])}" + (" …" if len(missing) > 5 else ""))


def _sequential(cmds: list[list[str]]) -> tuple[float, float]:
    """Run the papermill commands one after another: (wall seconds, CPU seconds)."""
    wall = cpu = 0.0
    for cmd in cmds:
        secs, cp, mon = _monitored(cmd)
        _check(cp, f"papermill {Path(cmd[1]).name}")
        wall += secs
        cpu += mon.cpu_seconds
    return wall, cpu


# ------------------------------------------------------------------ 1. four themes, cold

def bench_themes(b: Bench, tmp: Path) -> None:
    themes = list(ORIGINAL_THEMES)
    print(f"\n[1] the 4 original themes cold (helpers.runner.run --force, default jobs = {default_jobs()}) vs sequential "
          f"papermill CLI — {b.runs} run(s) each", flush=True)
    cold, cold_cpu, t_cold = [], [], time.monotonic()
    for i in range(b.runs):
        out = tmp / f"themes{i}"
        t_run = time.monotonic()
        secs, cp, mon = _monitored(_batch(out, themes, profiles=False))
        _check(cp, "cold batch")
        _check_outputs(out, themes, [])
        cold.append(secs)
        cold_cpu.append(mon.cpu_seconds)
        print(f"    cold batch run {i + 1}/{b.runs}: {secs:.1f} s, {mon.cpu_seconds:.1f} CPU s{_others(b, t_run)}",
              flush=True)
        shutil.rmtree(out, ignore_errors=True)
    seq, seq_cpu, t_seq = [], [], time.monotonic()
    for i in range(b.runs):
        out = tmp / f"seq{i}"
        out.mkdir()
        t_run = time.monotonic()
        secs, cpu = _sequential(_papermill_cmds(themes, [], out))
        _check_outputs(out, themes, [])
        seq.append(secs)
        seq_cpu.append(cpu)
        print(f"    sequential papermill run {i + 1}/{b.runs}: {secs:.1f} s, {cpu:.1f} CPU s{_others(b, t_run)}",
              flush=True)
        shutil.rmtree(out, ignore_errors=True)
    fb = b.figure("themes_cold_s", "1a 4 themes cold, helpers.runner.run", cold, "s", since=t_cold, until=t_seq)
    fs = b.figure("themes_sequential_papermill_s", "1b 4 themes, sequential papermill CLI", seq, "s", since=t_seq)
    b.figure("themes_cold_cpu_s", "1c 4 themes cold, CPU seconds (whole process tree)", cold_cpu, "s")
    b.figure("themes_sequential_cpu_s", "1d 4 themes sequential papermill, CPU seconds", seq_cpu, "s")
    b.ratio("speedup_themes", "1  speed-up (wall), 4 themes: papermill / helpers.runner.run",
            fs["median"] / fb["median"], target=3.0, info="median(1b) / median(1a)")


# --------------------------------------------------- 2. the whole set, cold (+ 4. its memory)

def bench_whole_set(b: Bench, tmp: Path, runs: int) -> Path | None:
    """Returns the --out folder of the last cold batch (reused by the no-op figure)."""
    themes, profiles = list(NOTEBOOKS), _profiles()
    n = len(themes) + len(profiles)
    print(f"\n[2] the whole set cold: {len(themes)} themes + {len(profiles)} profiles = {n} notebooks "
          f"(helpers.runner.run --profiles all --force, default jobs = {default_jobs()}) vs {n} sequential papermill CLI runs — "
          f"{runs} run(s) each", flush=True)
    cold, cold_cpu, mons, last, t_cold = [], [], [], None, time.monotonic()
    for i in range(runs):
        out = tmp / f"all{i}"
        t_run = time.monotonic()
        secs, cp, mon = _monitored(_batch(out, themes, profiles=True), pss=True)
        _check(cp, "whole-set batch")
        _check_outputs(out, themes, profiles)
        cold.append(secs)
        cold_cpu.append(mon.cpu_seconds)
        mons.append(mon)
        roles = ", ".join(f"{r} {v:.0f}" for r, v in sorted(mon.cpu_by_role().items()))
        print(f"    cold batch run {i + 1}/{runs}: {secs:.1f} s, {mon.cpu_seconds:.0f} CPU s ({roles}); peak RSS sum "
              f"{mon.peak_rss / MIB:.0f} MiB, PSS sum {mon.peak_pss / MIB:.0f} MiB{_others(b, t_run)}", flush=True)
        if last is not None:
            shutil.rmtree(last, ignore_errors=True)
        last = out
    seq, seq_cpu, t_seq = [], [], time.monotonic()
    for i in range(runs):
        out = tmp / f"allseq{i}"
        out.mkdir()
        t_run = time.monotonic()
        secs, cpu = _sequential(_papermill_cmds(themes, profiles, out))
        _check_outputs(out, themes, profiles)
        seq.append(secs)
        seq_cpu.append(cpu)
        print(f"    sequential papermill run {i + 1}/{runs}: {secs:.1f} s, {cpu:.0f} CPU s{_others(b, t_run)}", flush=True)
        shutil.rmtree(out, ignore_errors=True)
    fb = b.figure("set_cold_s", f"2a whole set ({n} notebooks) cold, helpers.runner.run", cold, "s", since=t_cold, until=t_seq)
    fs = b.figure("set_sequential_papermill_s", f"2b whole set, {n} sequential papermill CLI runs", seq, "s", since=t_seq)
    fc = b.figure("set_cold_cpu_s", "2c whole set cold, CPU seconds (whole process tree)", cold_cpu, "s")
    fsc = b.figure("set_sequential_cpu_s", "2d whole set sequential papermill, CPU seconds", seq_cpu, "s")
    b.ratio("speedup_set", f"2  speed-up (wall), whole set: papermill / helpers.runner.run", fs["median"] / fb["median"],
            target=6.0, info="median(2b) / median(2a)")
    b.ratio("cpu_ratio_set", "2  CPU seconds, whole set: papermill / helpers.runner.run", fsc["median"] / fc["median"],
            info="median(2d) / median(2c)")
    # 4. memory of the cold batches above
    peak = max(mons, key=lambda m: m.peak_rss)
    b.figure("peak_pss_sum_mib", "4a peak memory of the process tree (summed PSS, whole set, cold)",
             [m.peak_pss / MIB for m in mons], "MiB", target=2048,
             info=f"{peak.peak_count} processes at most; a page shared by forks is split between them")
    b.figure("peak_rss_sum_mib", "4b peak summed RSS of the process tree (overstates: shared pages in every process)",
             [m.peak_rss / MIB for m in mons], "MiB")
    b.figure("peak_rss_single_mib", "4c peak RSS of any single process", [m.peak_single / MIB for m in mons], "MiB",
             info=peak.peak_single_who)
    b.notes.append("peak RSS by role: " + ", ".join(f"{r} {v / MIB:.0f} MiB" for r, v in sorted(peak.per_role.items())))
    b.notes.append("CPU seconds by role (last cold run): "
                   + ", ".join(f"{r} {v:.1f}" for r, v in sorted(mons[-1].cpu_by_role().items())))
    return last


# ------------------------------------------------------------------------------- 3. no-op

def bench_noop(b: Bench, tmp: Path, out: Path | None) -> None:
    themes = list(NOTEBOOKS)
    n = len(themes) + len(_profiles())
    print(f"\n[3] no-op re-run of the whole set ({n} notebooks; same --out, nothing changed) — {b.runs} run(s)",
          flush=True)
    out = out or tmp / "noop"
    # bring the folder up to date with the current sources first (skips everything if the last cold
    # batch is still current; re-runs what changed if the project was edited meanwhile)
    secs, cp = _run(_batch(out, themes, profiles=True, force=False))
    _check(cp, "batch before no-op")
    print(f"    preparatory run into the same folder: {secs:.1f} s", flush=True)
    times, redone, t0 = [], 0, time.monotonic()
    while len(times) < b.runs:
        secs, cp = _run(_batch(out, themes, profiles=True, force=False))
        _check(cp, "no-op re-run")
        if ": started" in cp.stderr or "queued:" in cp.stderr:
            # an input (notebook, data, helpers source) changed while the bench ran: not a no-op
            redone += 1
            if redone > 3:
                raise RuntimeError("no-op re-run kept re-executing notebooks (inputs keep changing?):\n"
                                   + cp.stderr[-2000:])
            print(f"    re-run executed notebooks ({secs:.1f} s): inputs changed meanwhile — repeated", flush=True)
            continue
        times.append(secs)
    if redone:
        b.note(f"no-op: {redone} re-run(s) executed notebooks because the project's inputs changed during "
               "the bench; they were discarded and repeated")
    b.figure("noop_rerun_s", f"3  no-op re-run, whole set ({n} notebooks skipped)", times, "s", target=1.0,
             info="whole command: interpreter start, fingerprints", since=t0)


# --------------------------------------------------------------------------- 5. dashboard

def _csv_rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "cp932"):
        try:
            return list(csv.reader(io.StringIO(raw.decode(enc))))
        except UnicodeDecodeError:
            continue
    raise RuntimeError(f"{path}: unreadable encoding")


def _importtime(module: str) -> float:
    """Cumulative µs of ``module`` from ``python -X importtime -c "import module"``."""
    cp = subprocess.run([PYTHON, "-X", "importtime", "-c", f"import {module}"], cwd=ROOT,
                        capture_output=True, text=True)
    _check(cp, f"import {module}")
    for line in cp.stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        parts = [p.strip() for p in line[len("import time:"):].split("|")]
        if len(parts) == 3 and parts[2] == module:
            return float(parts[1])
    raise RuntimeError(f"no importtime line for {module}")


def bench_dashboard(b: Bench, tmp: Path, folder: Path) -> None:
    print(f"\n[5] dashboard loads from {folder} — {b.runs} timed run(s) each after a warm-up", flush=True)
    files = sorted(p for p in folder.glob("*.csv")) if folder.is_dir() else []
    comp = next((p for p in files if "市区町村" in p.name and "比較" in p.name), None)
    rates = next((p for p in files if "市区町村" in p.name and "申請率" in p.name), None)
    if comp is None or rates is None:
        b.note(f"section 3 skipped: municipal 比較 / 申請率 CSVs not found in {folder}")
        return
    imp = [_importtime("helpers.loaders.entity") / 1000 for _ in range(b.runs)]
    b.figure("import_helpers_entity_ms", "5  import helpers.loaders.entity (fresh interpreter, -X importtime)", imp, "ms",
             info="includes pandas; not part of the load figures")

    t0 = time.perf_counter()
    from helpers.loaders.entity import load_dashboard, load_online_rates
    b.notes.append(f"in-process first import of helpers.loaders.entity: {(time.perf_counter() - t0) * 1000:.0f} ms")

    # xlsx copy of the 比較 file, made once, every cell written as a string
    import openpyxl
    import pandas as pd
    from python_calamine import CalamineWorkbook

    xlsx = tmp / (comp.stem + ".xlsx")
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    for row in _csv_rows(comp):
        ws.append([str(c) for c in row])
    wb.save(xlsx)

    t3 = time.monotonic()

    def timed(fn, *args, **kw) -> tuple[list[float], object]:
        res = fn(*args, **kw)  # warm-up (also fills helpers.loaders.entity's prefecture-table cache)
        ts = []
        for _ in range(b.runs):
            t = time.perf_counter()
            res = fn(*args, **kw)
            ts.append(time.perf_counter() - t)
        return ts, res

    ts, df_csv = timed(load_dashboard, comp)
    f_csv = b.figure("load_comparison_csv_s", f"5a load_dashboard(比較 CSV) → {len(df_csv):,} rows", ts, "s", target=0.5, since=t3)
    ts, df_rates = timed(load_online_rates, rates)
    b.figure("load_rates_csv_s", f"5b load_online_rates(申請率 CSV) → {len(df_rates):,} rows", ts, "s", target=0.5, since=t3)
    ts, df_xlsx = timed(load_dashboard, xlsx)
    f_xlsx = b.figure("load_comparison_xlsx_s", "5c load_dashboard(比較 .xlsx, python-calamine)", ts, "s", target=0.5, since=t3)
    same = df_xlsx[["entity", "indicator", "raw"]].equals(df_csv[["entity", "indicator", "raw"]])
    if not same:
        b.note("the .xlsx copy did not load to the same frame as the CSV")

    # raw reads only: which xlsx reader is faster on the same file
    def read_calamine(p):
        return CalamineWorkbook.from_path(str(p)).get_sheet_by_index(0).to_python(skip_empty_area=False)

    def read_openpyxl(p):
        return pd.read_excel(p, engine="openpyxl", header=None, dtype=str)

    ts_cal, _ = timed(read_calamine, xlsx)
    fc = b.figure("read_xlsx_calamine_s", "5d raw read of the .xlsx, python-calamine", ts_cal, "s", target=0.5, since=t3)
    ts_opx, _ = timed(read_openpyxl, xlsx)
    fo = b.figure("read_xlsx_openpyxl_s", "5e raw read of the .xlsx, pandas.read_excel(engine=openpyxl)", ts_opx, "s",
                  info="comparison only (the toolkit reads .xlsx with calamine); "
                       + ("within" if statistics.median(ts_opx) < 0.5 else "above") + " the 0.5 s budget", since=t3)
    faster = "python-calamine" if fc["median"] < fo["median"] else "openpyxl"
    b.ratio("xlsx_openpyxl_vs_calamine", f"5  xlsx reader: {faster} is faster; openpyxl / calamine time",
            fo["median"] / fc["median"], info="median(5e) / median(5d)")
    b.ratio("xlsx_vs_csv_load", "5  load_dashboard .xlsx / CSV time", f_xlsx["median"] / f_csv["median"],
            info="median(5c) / median(5a)")


# ---------------------------------------------------------------------------- 6. import

def bench_import(b: Bench) -> None:
    print(f"\n[6] python -X importtime -c 'import helpers' — {b.runs} run(s)", flush=True)
    vals = [_importtime("helpers") / 1000 for _ in range(b.runs)]
    b.figure("import_helpers_ms", "6  import helpers (cumulative, -X importtime)", vals, "ms", target=50)


# ----------------------------------------------------------------------------- reporting

def table(b: Bench) -> str:
    rows = [("figure", "median", "target", "met", "median / target")]
    for f in b.figures:
        tgt = f"{f['op']} {_fmt(f['target'], f['unit'])}" if f["target"] is not None else "—"
        met = "—" if f["met"] is None else ("yes" if f["met"] else "NO")
        rel = f"{f['median'] / f['target']:.2f}" if f["target"] and f["median"] is not None else "—"
        rows.append((f["label"], _fmt(f["median"], f["unit"]), tgt, met, rel))
    for r in b.ratios:
        tgt = f"{r.get('op', '>=')} {r['target']:g}x" if r["target"] is not None else "—"
        met = "—" if r["met"] is None else ("yes" if r["met"] else "NO")
        rel = f"{r['value'] / r['target']:.2f}" if r["target"] and r["value"] is not None else "—"
        rows.append((r["label"], _fmt(r["value"], "x"), tgt, met, rel))
    return "\n".join("| " + " | ".join(r) + " |" + ("\n|" + "---|" * len(r) if i == 0 else "")
                     for i, r in enumerate(rows))


def plain_table(b: Bench) -> str:
    md = [line for line in table(b).splitlines() if not line.startswith("|---")]
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in md]
    w = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]

    def pad(c: str, i: int) -> str:
        fill = " " * (w[i] - _width(c))
        return c + fill if i == 0 else fill + c

    return "\n".join("  ".join(pad(c, i) for i, c in enumerate(r)) for r in rows)


def _width(text: str) -> int:
    """Terminal columns (CJK characters take two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _git_commit() -> str:
    try:
        cp = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        return cp.stdout.strip() + ("+dirty" if dirty else "")
    except OSError:
        return "?"


def _machine() -> str:
    """CPU model, cores and memory: what the README's table names as the machine."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import psutil

        mem = f", {psutil.virtual_memory().total / 1024 ** 3:.0f} GiB"
    except Exception:
        mem = ""
    return f"{model}, {os.cpu_count()} cores{mem}"



# ------------------------------------------- 7. the default batch: what the determinants theme adds

def bench_default_growth(b: Bench, tmp: Path) -> None:
    """The default batch (every theme, as ``make report``) cold, against the same batch without the
    determinants theme, runs alternating so both see the same machine load: the growth it costs."""
    every = list(NOTEBOOKS)
    without = [t for t in every if t != "determinants"]
    print(f"\n[7] default batch cold ({len(every)} themes) vs without determinants ({len(without)}) — "
          f"{b.runs} alternating run(s) each", flush=True)
    full, base, peaks, t0 = [], [], [], time.monotonic()
    for i in range(b.runs):
        for themes, into in ((without, base), (every, full)):
            out = tmp / f"default{len(themes)}_{i}"
            secs, cp, mon = _monitored(_batch(out, themes, profiles=False), pss=True)
            _check(cp, f"default batch ({len(themes)} themes)")
            _check_outputs(out, themes, [])
            into.append(secs)
            if themes is every:
                peaks.append(mon.peak_pss / MIB)
            print(f"    {len(themes)} themes run {i + 1}/{b.runs}: {secs:.1f} s, {mon.cpu_seconds:.1f} CPU s", flush=True)
            shutil.rmtree(out, ignore_errors=True)
    fb = b.figure("default_without_determinants_s", "7a default batch cold without determinants", base, "s", since=t0)
    ff = b.figure("default_cold_s", "7b default batch cold (every theme)", full, "s", since=t0)
    b.figure("default_peak_pss_mib", "7c peak memory of the default batch (summed PSS)", peaks, "MiB", target=2048)
    b.ratio("determinants_growth", "7  growth of the default batch from the determinants theme",
            ff["median"] / fb["median"], target=1.2, op="<=", info="median(7b) / median(7a)")


# ------------------------------------------- 8. the largest export the input limits accept

def _largest_export(folder: Path) -> Path:
    """The vendored export with its municipal 比較 file padded with extra indicator rows up to the
    row limit (helpers.loaders.input_limits.MAX_ROWS): rows a later release could add, which the loader keeps
    as unmapped. The largest input a run accepts, short of a file the limits refuse."""
    from helpers.loaders.input_limits import MAX_ROWS

    out = folder / "largest_export"
    shutil.copytree(ROOT / "data" / "external" / "dashboard", out)
    target = next(p for p in out.iterdir() if "市区町村比較" in p.name)
    rows = _csv_rows(target)
    width = len(rows[0])
    extra = MAX_ROWS - len(rows) - 1
    values = [("実施" if j % 2 else "未実施") if name.strip() else "" for j, name in enumerate(rows[0][2:width])]
    rows += [["自治体業務のDX", f"追加の指標{k:03d}", *values] for k in range(extra)]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    target.write_text(buf.getvalue(), encoding="utf-8-sig")
    return out


def bench_largest_input(b: Bench, tmp: Path) -> None:
    export = _largest_export(tmp)
    print(f"\n[8] default batch cold on the largest export the limits accept ({export.name}) — {b.runs} run(s)",
          flush=True)
    peaks, walls = [], []
    for i in range(b.runs):
        out = tmp / f"largest{i}"
        secs, cp, mon = _monitored(_batch(out, list(NOTEBOOKS), profiles=False) + ["--dashboard-dir", str(export)],
                                   pss=True)
        _check(cp, "batch on the largest export")
        walls.append(secs)
        peaks.append(mon.peak_pss / MIB)
        print(f"    run {i + 1}/{b.runs}: {secs:.1f} s, peak PSS {mon.peak_pss / MIB:.0f} MiB", flush=True)
        shutil.rmtree(out, ignore_errors=True)
    b.figure("largest_export_s", "8a default batch on the largest acceptable export", walls, "s")
    b.figure("largest_export_peak_pss_mib", "8b its peak memory (summed PSS)", peaks, "MiB", target=2048)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="runs per figure; the median is reported (default 5)")
    ap.add_argument("--quick", action="store_true", help="one run per figure (same as --runs 1)")
    ap.add_argument("--sections", default="1,2,3,4,5,6,7,8",
                    help="comma-separated subset of 1-8 (default: all; 4 is measured with 2)")
    ap.add_argument("--set-runs", type=int, default=1,
                    help="runs of section 2, the whole set (~10 min each; default 1)")
    ap.add_argument("--dashboard-dir", default=str(DEFAULT_DASHBOARD), help="dashboard export folder for section 3")
    ap.add_argument("--keep-tmp", action="store_true", help="keep the temporary folder")
    ns = ap.parse_args(argv)
    runs = 1 if ns.quick else ns.runs
    if runs < 1:
        ap.error("--runs must be at least 1")
    sections = {s.strip() for s in ns.sections.split(",") if s.strip()}
    if not sections <= set("12345678"):
        ap.error("--sections: choose from 1,2,3,4,5,6,7,8")
    if ns.set_runs < 1:
        ap.error("--set-runs must be at least 1")
    if "4" in sections:
        sections.add("2")  # the memory figures are sampled during the whole-set batches

    foreign = ForeignLoad()
    b = Bench(runs, foreign)
    meta = {"date": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "runs": runs,
            "cpu_count": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "commit": _git_commit(), "command": " ".join([Path(sys.executable).name, *sys.argv]),
            "sections": sorted(sections), "set_runs": ns.set_runs, "loadavg_start": os.getloadavg(),
            "machine": _machine()}
    if meta["loadavg_start"][0] > 0.5:
        print(f"warning: load average {meta['loadavg_start'][0]:.2f} before starting — other processes are "
              "running; figures will be slower and noisier", flush=True)
    print(f"bench: {runs} run(s) per figure, {os.cpu_count()} cores, Python {meta['python']}, commit {meta['commit']}",
          flush=True)
    reports = ROOT / "reports"
    before = _snapshot(reports)
    tmp = Path(tempfile.mkdtemp(prefix="dxkit-bench-"))
    foreign.start()
    t_start = time.perf_counter()
    errors: list[str] = []
    last_out = None
    steps = {
        "1": lambda: bench_themes(b, tmp),
        "2": lambda: bench_whole_set(b, tmp, ns.set_runs),
        "3": lambda: bench_noop(b, tmp, last_out),
        "5": lambda: bench_dashboard(b, tmp, Path(ns.dashboard_dir)),
        "6": lambda: bench_import(b),
        "7": lambda: bench_default_growth(b, tmp),
        "8": lambda: bench_largest_input(b, tmp),
    }
    try:
        for key, step in steps.items():
            if key not in sections:
                continue
            try:
                res = step()
                if key == "2":
                    last_out = res
            except Exception as e:  # keep going: report what could be measured
                errors.append(f"section {key}: {type(e).__name__}: {e}")
                print(f"\nERROR in section {key}: {type(e).__name__}: {e}", file=sys.stderr, flush=True)
    finally:
        if ns.keep_tmp:
            print(f"temporary folder kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    if _snapshot(reports) != before:
        b.note("the project's reports/ changed while the bench ran; every command the bench runs writes to a "
               "temporary folder, so another process wrote it")
    meta["total_seconds"] = round(time.perf_counter() - t_start, 1)
    meta["foreign_cpu"] = foreign.stop()
    fc = meta["foreign_cpu"]
    if fc["mean_cores"] is not None and fc["mean_cores"] > 0.1:
        b.note(f"other processes (not the bench's) used {fc['mean_cores']:.2f} cores on average "
               f"(max {fc['max_cores']:.2f}) of the {os.cpu_count()} while the bench ran: figures are slower "
               "and noisier than on an idle machine")

    print("\n" + plain_table(b))
    for n in b.notes:
        print(f"- {n}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    doc = {"meta": meta, "figures": b.figures, "ratios": b.ratios, "notes": b.notes, "errors": errors}
    (RESULTS / "latest.json").write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    md = [f"# Benchmark — {meta['date']}", "",
          f"{runs} run(s) per figure (median; section 2: {meta['set_runs']}), {meta['machine']}, "
          f"Python {meta['python']}, commit {meta['commit']}, {meta['total_seconds']} s in all.", "", table(b), ""]
    md += [f"- {n}" for n in b.notes]
    md += ["", *[f"**Error:** {e}" for e in errors]] if errors else []
    (RESULTS / "latest.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    print(f"\nwritten: {RESULTS / 'latest.json'}, {RESULTS / 'latest.md'} ({meta['total_seconds']} s)")
    missed = [f["key"] for f in b.figures + b.ratios if f["met"] is False]
    for e in errors:
        print(f"ERROR: {e}")
    return 2 if errors else (1 if missed else 0)


if __name__ == "__main__":
    sys.exit(main())
