"""Performance figures of the batch runner and the dashboard loaders (``make bench``).

Each figure is the median of N runs (``--runs N``, default 5; ``--quick`` = 1 run):

1. cold batch ``python -m helpers.run --out TMP --force`` (fresh empty folder each run) vs the
   same four notebooks run one after another with the ``papermill`` command-line tool; target:
   speed-up >= 2x.
2. no-op re-run (same --out, nothing changed); target < 1 s.
3. loading the municipal dashboard 比較 / 申請率 CSVs (load_dashboard / load_online_rates) and an
   .xlsx copy of the 比較 file (load_dashboard → python-calamine; compared with openpyxl);
   target < 0.5 s each. Timed in-process after a warm-up; import time of helpers.entity apart.
4. peak memory (RSS) of the runner and all its children (workers, kernels) during one cold
   batch, sampled every 0.1 s with psutil; target: every single process < 500 MiB.
5. ``python -X importtime -c "import helpers"``: cumulative µs of the helpers package; target < 50 ms.

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
DEFAULT_DASHBOARD = Path("/work/shared/data/dashboard")
MIB = 1024 * 1024

# theme -> notebook, as in helpers.run.NOTEBOOKS (read from there so the two never drift)
sys.path.insert(0, str(ROOT / "src"))
from helpers.run import NOTEBOOKS  # noqa: E402  (light import: no pandas, no papermill)


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

    def ratio(self, key: str, label: str, value: float | None, target: float | None = None, info: str = "") -> None:
        met = (value >= target) if (target is not None and value is not None) else None
        self.ratios.append({"key": key, "label": label, "value": value, "target": target, "met": met, "info": info})
        print(f"  {label}: {_fmt(value, 'x')}"
              + (f"  target >= {target:g}x → {'MET' if met else 'NOT MET'}" if target is not None else "")
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


def _batch_cmd(out: Path, force: bool) -> list[str]:
    return [PYTHON, "-m", "helpers.run", "--out", str(out)] + (["--force"] if force else [])


def _check_batch_outputs(out: Path) -> None:
    missing = [t for t in NOTEBOOKS if not (out / t / "report.md").is_file()]
    if missing:
        raise RuntimeError(f"batch into {out} left no report.md for {', '.join(missing)}")


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


# ---------------------------------------------------------------------------- 1. cold batch

def bench_cold_vs_sequential(b: Bench, tmp: Path) -> Path:
    """Returns the --out folder of the last successful cold batch (reused by the no-op figure)."""
    print(f"\n[1] cold batch (python -m helpers.run --out TMP --force, jobs = {os.cpu_count()}) "
          f"vs sequential papermill CLI — {b.runs} run(s) each", flush=True)
    cold, last_out = [], None
    t_cold = time.monotonic()
    for i in range(b.runs):
        out = tmp / f"cold{i}"
        t_run = time.monotonic()
        secs, cp = _run(_batch_cmd(out, force=True))
        _check(cp, "cold batch")
        _check_batch_outputs(out)
        cold.append(secs)
        print(f"    cold batch run {i + 1}/{b.runs}: {secs:.1f} s{_others(b, t_run)}", flush=True)
        if last_out is not None:
            shutil.rmtree(last_out, ignore_errors=True)
        last_out = out
    seq = []
    t_seq = time.monotonic()
    for i in range(b.runs):
        out = tmp / f"seq{i}"
        out.mkdir()
        t_run = time.monotonic()
        t0 = time.perf_counter()
        for theme, nb in NOTEBOOKS.items():
            _, cp = _run([PAPERMILL, str(ROOT / "notebooks" / nb), str(out / nb), "-p", "output_dir", str(out / theme),
                          "--cwd", str(ROOT / "notebooks"), "-k", "python3"])
            _check(cp, f"papermill {nb}")
        secs = time.perf_counter() - t0
        _check_batch_outputs(out)
        seq.append(secs)
        print(f"    sequential papermill run {i + 1}/{b.runs}: {secs:.1f} s{_others(b, t_run)}", flush=True)
        shutil.rmtree(out, ignore_errors=True)
    fb = b.figure("cold_batch_s", "1a cold batch, helpers.run (4 notebooks)", cold, "s", since=t_cold, until=t_seq)
    fs = b.figure("sequential_papermill_s", "1b sequential papermill CLI (4 invocations)", seq, "s", since=t_seq)
    b.ratio("speedup_batch_vs_sequential", "1  speed-up batch vs sequential papermill",
            fs["median"] / fb["median"], target=2.0, info="median(1b) / median(1a)")
    return last_out


# ------------------------------------------------------------------------------- 2. no-op

def bench_noop(b: Bench, tmp: Path, out: Path | None) -> None:
    print(f"\n[2] no-op re-run (same --out, nothing changed) — {b.runs} run(s)", flush=True)
    out = out or tmp / "noop"
    # bring the folder up to date with the current sources first (skips everything if the
    # last cold batch is still current; re-runs what changed if the project was edited meanwhile)
    secs, cp = _run(_batch_cmd(out, force=False))
    _check(cp, "batch before no-op")
    _check_batch_outputs(out)
    print(f"    preparatory run into the same folder: {secs:.1f} s", flush=True)
    times, redone, t0 = [], 0, time.monotonic()
    while len(times) < b.runs:
        secs, cp = _run(_batch_cmd(out, force=False))
        _check(cp, "no-op re-run")
        if ": started" in cp.stderr or cp.stdout.count("skipped") < len(NOTEBOOKS):
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
    b.figure("noop_rerun_s", "2  no-op re-run (all themes skipped)", times, "s", target=1.0,
             info="whole command: interpreter start, fingerprints, README.md", since=t0)


# --------------------------------------------------------------------------- 3. dashboard

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
    print(f"\n[3] dashboard loads from {folder} — {b.runs} timed run(s) each after a warm-up", flush=True)
    files = sorted(p for p in folder.glob("*.csv")) if folder.is_dir() else []
    comp = next((p for p in files if "市区町村" in p.name and "比較" in p.name), None)
    rates = next((p for p in files if "市区町村" in p.name and "申請率" in p.name), None)
    if comp is None or rates is None:
        b.note(f"section 3 skipped: municipal 比較 / 申請率 CSVs not found in {folder}")
        return
    imp = [_importtime("helpers.entity") / 1000 for _ in range(b.runs)]
    b.figure("import_helpers_entity_ms", "3  import helpers.entity (fresh interpreter, -X importtime)", imp, "ms",
             info="includes pandas; not part of the load figures")

    t0 = time.perf_counter()
    from helpers.entity import load_dashboard, load_online_rates
    b.notes.append(f"in-process first import of helpers.entity: {(time.perf_counter() - t0) * 1000:.0f} ms")

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
        res = fn(*args, **kw)  # warm-up (also fills helpers.entity's prefecture-table cache)
        ts = []
        for _ in range(b.runs):
            t = time.perf_counter()
            res = fn(*args, **kw)
            ts.append(time.perf_counter() - t)
        return ts, res

    ts, df_csv = timed(load_dashboard, comp)
    f_csv = b.figure("load_comparison_csv_s", f"3a load_dashboard(比較 CSV) → {len(df_csv):,} rows", ts, "s", target=0.5, since=t3)
    ts, df_rates = timed(load_online_rates, rates)
    b.figure("load_rates_csv_s", f"3b load_online_rates(申請率 CSV) → {len(df_rates):,} rows", ts, "s", target=0.5, since=t3)
    ts, df_xlsx = timed(load_dashboard, xlsx)
    f_xlsx = b.figure("load_comparison_xlsx_s", "3c load_dashboard(比較 .xlsx, python-calamine)", ts, "s", target=0.5, since=t3)
    same = df_xlsx[["entity", "indicator", "raw"]].equals(df_csv[["entity", "indicator", "raw"]])
    if not same:
        b.note("the .xlsx copy did not load to the same frame as the CSV")

    # raw reads only: which xlsx reader is faster on the same file
    def read_calamine(p):
        return CalamineWorkbook.from_path(str(p)).get_sheet_by_index(0).to_python(skip_empty_area=False)

    def read_openpyxl(p):
        return pd.read_excel(p, engine="openpyxl", header=None, dtype=str)

    ts_cal, _ = timed(read_calamine, xlsx)
    fc = b.figure("read_xlsx_calamine_s", "3d raw read of the .xlsx, python-calamine", ts_cal, "s", target=0.5, since=t3)
    ts_opx, _ = timed(read_openpyxl, xlsx)
    fo = b.figure("read_xlsx_openpyxl_s", "3e raw read of the .xlsx, pandas.read_excel(engine=openpyxl)", ts_opx, "s",
                  info="comparison only (the toolkit reads .xlsx with calamine); "
                       + ("within" if statistics.median(ts_opx) < 0.5 else "above") + " the 0.5 s budget", since=t3)
    faster = "python-calamine" if fc["median"] < fo["median"] else "openpyxl"
    b.ratio("xlsx_openpyxl_vs_calamine", f"3  xlsx reader: {faster} is faster; openpyxl / calamine time",
            fo["median"] / fc["median"], info="median(3e) / median(3d)")
    b.ratio("xlsx_vs_csv_load", "3  load_dashboard .xlsx / CSV time", f_xlsx["median"] / f_csv["median"],
            info="median(3c) / median(3a)")


# ------------------------------------------------------------------------------ 4. memory

def _role(p) -> str:
    try:
        cmd = " ".join(p.cmdline())
    except Exception:
        return "?"
    if "ipykernel" in cmd:
        return "kernel"
    if "helpers.run" in cmd:
        return "runner/worker"
    return p.name()


def bench_memory(b: Bench, tmp: Path) -> None:
    import psutil

    print("\n[4] peak memory during one cold batch (RSS of runner + children, sampled every 0.1 s)", flush=True)
    out = tmp / "mem"
    proc = subprocess.Popen(_batch_cmd(out, force=True), cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    logs: list[str] = []
    reader = threading.Thread(target=lambda: logs.extend(proc.stdout), daemon=True)
    reader.start()
    root = psutil.Process(proc.pid)
    t0 = time.monotonic()
    peak_single, peak_single_who, peak_sum, peak_count, samples = 0, "", 0, 0, 0
    per_role: dict[str, int] = {}
    while proc.poll() is None:
        try:
            procs = [root] + root.children(recursive=True)
        except psutil.NoSuchProcess:
            break
        total = 0
        for p in procs:
            try:
                rss = p.memory_info().rss
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
            total += rss
            role = _role(p)
            if role == "?":  # exited while being read
                continue
            per_role[role] = max(per_role.get(role, 0), rss)
            if rss > peak_single:
                peak_single, peak_single_who = rss, f"{role} pid {p.pid}"
        peak_sum = max(peak_sum, total)
        peak_count = max(peak_count, len(procs))
        samples += 1
        time.sleep(0.1)
    proc.wait()
    reader.join(timeout=5)
    if proc.returncode != 0:
        raise RuntimeError("memory batch failed:\n" + "".join(logs[-15:]))
    _check_batch_outputs(out)
    shutil.rmtree(out, ignore_errors=True)
    b.figure("peak_rss_single_mib", "4a peak RSS of any single process", [peak_single / MIB], "MiB", target=500,
             info=peak_single_who, since=t0)
    b.figure("peak_rss_sum_mib", "4b peak summed RSS (runner + workers + kernels)", [peak_sum / MIB], "MiB",
             info=f"{peak_count} processes at most, {samples} samples; pages shared after fork are counted "
                  "in every process, so the sum overstates", since=t0)
    b.notes.append("peak RSS by role: " + ", ".join(f"{r} {v / MIB:.0f} MiB" for r, v in sorted(per_role.items())))
    print(f"    {b.notes[-1]}", flush=True)


# ---------------------------------------------------------------------------- 5. import

def bench_import(b: Bench) -> None:
    print(f"\n[5] python -X importtime -c 'import helpers' — {b.runs} run(s)", flush=True)
    vals = [_importtime("helpers") / 1000 for _ in range(b.runs)]
    b.figure("import_helpers_ms", "5  import helpers (cumulative, -X importtime)", vals, "ms", target=50)


# ----------------------------------------------------------------------------- reporting

def table(b: Bench) -> str:
    rows = [("figure", "median", "target", "met", "median / target")]
    for f in b.figures:
        tgt = f"{f['op']} {_fmt(f['target'], f['unit'])}" if f["target"] is not None else "—"
        met = "—" if f["met"] is None else ("yes" if f["met"] else "NO")
        rel = f"{f['median'] / f['target']:.2f}" if f["target"] and f["median"] is not None else "—"
        rows.append((f["label"], _fmt(f["median"], f["unit"]), tgt, met, rel))
    for r in b.ratios:
        tgt = f">= {r['target']:g}x" if r["target"] is not None else "—"
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="runs per figure; the median is reported (default 5)")
    ap.add_argument("--quick", action="store_true", help="one run per figure (same as --runs 1)")
    ap.add_argument("--sections", default="1,2,3,4,5", help="comma-separated subset of 1-5 (default: all)")
    ap.add_argument("--dashboard-dir", default=str(DEFAULT_DASHBOARD), help="dashboard export folder for section 3")
    ap.add_argument("--keep-tmp", action="store_true", help="keep the temporary folder")
    ns = ap.parse_args(argv)
    runs = 1 if ns.quick else ns.runs
    if runs < 1:
        ap.error("--runs must be at least 1")
    sections = {s.strip() for s in ns.sections.split(",") if s.strip()}
    if not sections <= set("12345"):
        ap.error("--sections: choose from 1,2,3,4,5")

    foreign = ForeignLoad()
    b = Bench(runs, foreign)
    meta = {"date": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "runs": runs,
            "cpu_count": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "commit": _git_commit(), "command": " ".join([Path(sys.executable).name, *sys.argv]),
            "sections": sorted(sections), "loadavg_start": os.getloadavg()}
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
        "1": lambda: bench_cold_vs_sequential(b, tmp),
        "2": lambda: bench_noop(b, tmp, last_out),
        "3": lambda: bench_dashboard(b, tmp, Path(ns.dashboard_dir)),
        "4": lambda: bench_memory(b, tmp),
        "5": lambda: bench_import(b),
    }
    try:
        for key, step in steps.items():
            if key not in sections:
                continue
            try:
                res = step()
                if key == "1":
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
          f"{runs} run(s) per figure (median), {meta['cpu_count']} cores, Python {meta['python']}, "
          f"commit {meta['commit']}, {meta['total_seconds']} s in all.", "", table(b), ""]
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
