"""Kernels forked from the warmed template (helpers.runner.kernel_fork) behave like launched ones.

The runner forks each notebook's kernel from a template process that has imported the heavy
modules. These tests start a real template and compare a forked kernel with one jupyter_client
launches the ordinary way: same interpreter state a notebook can see (path, folder, argv,
environment, namespace, matplotlib backend and figure display, signal handlers, session), its own
random state, and the fallbacks when the template is missing.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path

import psutil
import pytest

from helpers.runner import kernel_fork, runworker

ROOT = Path(__file__).resolve().parents[1]
PROBE = r'''
import sys, os, signal, json, threading
import matplotlib
import numpy as np
print(json.dumps({
    "path": sys.path, "cwd": os.getcwd(), "argv0": os.path.basename(sys.argv[0]), "argv": sys.argv[1:2],
    "ns": sorted(k for k in dir() if not k.startswith("_") and k not in ("In", "Out", "exit", "quit", "get_ipython", "open")),
    "env": sorted(set(os.environ)), "jpy_parent_is_job": os.environ.get("JPY_PARENT_PID") == str(JOB),
    "backend": matplotlib.get_backend(),
    "signals": [str(signal.getsignal(s)) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD, signal.SIGHUP, signal.SIGPIPE)],
    "own_session": os.getsid(0) == os.getpid(), "main": sys.modules["__main__"].__name__,
    "threads": sorted(t.name for t in threading.enumerate() if t.name != "watch-job"),
    "random": float(np.random.random()), "ppid": os.getppid(),
}))
'''
FIGURE = "import matplotlib.pyplot as plt\nplt.plot([1, 2])"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A template started like the runner's, without MPLBACKEND (conftest sets Agg for the suite):
    the kernels then get ipykernel's inline backend."""
    folder = tmp_path_factory.mktemp("fork")
    saved = os.environ.pop("MPLBACKEND", None)
    started = kernel_fork.start_template(str(folder))
    assert started, "the template did not start"
    proc, sock = started
    deadline = time.monotonic() + 60
    while not os.path.exists(sock):
        assert proc.poll() is None and time.monotonic() < deadline, "the template never opened its socket"
        time.sleep(0.05)
    yield folder, sock, proc
    kernel_fork.stop_template(proc)
    if saved is not None:
        os.environ["MPLBACKEND"] = saved


def _run_kernel(folder: Path, sock: str | None, cells: list[str]) -> tuple[list, int]:
    """Start a kernel (forked when ``sock``), run ``cells``, shut it down: (outputs per cell, kernel pid)."""
    pids: list[int] = []

    async def go():
        kmc = runworker.kernel_manager_class(str(folder), on_start=pids.append, fork_sock=sock)
        km = kmc(kernel_name="python3")
        await km.start_kernel(cwd=str(ROOT / "notebooks"))
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=60)
            results = []
            for code in cells:
                out: list = []

                def hook(msg, out=out):
                    kind = msg["msg_type"]
                    if kind == "stream":
                        out.append(("stream", msg["content"]["text"]))
                    elif kind in ("display_data", "execute_result", "error"):
                        out.append((kind, sorted(msg["content"].get("data", {})) or msg["content"].get("ename")))

                await kc.execute_interactive(code.replace("JOB", str(os.getpid())), output_hook=hook, timeout=60)
                results.append(out)
            return results
        finally:
            kc.stop_channels()
            await km.shutdown_kernel()

    return asyncio.run(go()), pids[0]


def test_only_the_standard_ipykernel_command_is_forked():
    py = sys.executable
    assert kernel_fork.is_ipykernel_command([py, "-m", "ipykernel_launcher", "-f", "k.json"])
    assert kernel_fork.is_ipykernel_command([py, "-m", "ipykernel_launcher", "-f", "k.json",
                                             "--HistoryManager.hist_file=:memory:"])
    assert not kernel_fork.is_ipykernel_command(["/usr/bin/python2", "-m", "ipykernel_launcher", "-f", "k.json"])
    assert not kernel_fork.is_ipykernel_command([py, "-m", "other_kernel", "-f", "k.json"])
    assert not kernel_fork.is_ipykernel_command([py, "-m", "ipykernel_launcher", "-f", "k.json", "extra"])
    assert not kernel_fork.is_ipykernel_command(["R", "--slave", "-e", "IRkernel::main()", "k.json"])


@pytest.mark.slow
def test_forked_kernel_looks_like_a_launched_one(template):
    folder, sock, proc = template
    (launched_probe, launched_fig), launched_pid = _run_kernel(folder, None, [PROBE, FIGURE])
    (forked_probe, forked_fig), forked_pid = _run_kernel(folder, sock, [PROBE, FIGURE])
    a, b = json.loads(launched_probe[0][1]), json.loads(forked_probe[0][1])
    assert b["ppid"] == proc.pid and a["ppid"] == os.getpid()  # forked from the template / launched by us
    for key in a:
        if key in ("random", "ppid"):
            continue
        assert a[key] == b[key], f"{key}: launched {a[key]!r}, forked {b[key]!r}"
    assert b["ns"] == ["json", "matplotlib", "np", "os", "signal", "sys", "threading"]  # the probe's own imports only
    assert b["own_session"] and b["jpy_parent_is_job"]
    assert forked_fig == launched_fig  # the inline backend shows the figure as in a launched kernel
    assert ("display_data", ["image/png", "text/plain"]) in forked_fig


@pytest.mark.slow
def test_kernel_environment_chooses_the_matplotlib_backend(template, monkeypatch):
    """The template imported matplotlib without MPLBACKEND; a kernel whose environment says Agg gets Agg."""
    folder, sock, _ = template
    monkeypatch.setenv("MPLBACKEND", "Agg")
    (launched,), _ = _run_kernel(folder, None, [PROBE])
    (forked,), _ = _run_kernel(folder, sock, [PROBE])
    backends = json.loads(launched[0][1])["backend"], json.loads(forked[0][1])["backend"]
    assert backends[0] == backends[1] and backends[0].lower() == "agg"


@pytest.mark.slow
def test_each_fork_has_its_own_random_state_and_ends_with_its_shutdown(template):
    folder, sock, _ = template
    draws, pids = [], []
    for _ in range(2):
        (probe,), pid = _run_kernel(folder, sock, [PROBE])
        draws.append(json.loads(probe[0][1])["random"])
        pids.append(pid)
    assert draws[0] != draws[1]  # numpy's generator is reseeded after the fork
    deadline = time.monotonic() + 10
    while any(psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE for p in pids):
        assert time.monotonic() < deadline, "a forked kernel outlived its shutdown"
        time.sleep(0.1)


def test_no_template_means_an_ordinary_launch(tmp_path):
    cmd = [sys.executable, "-m", "ipykernel_launcher", "-f", str(tmp_path / "k.json")]
    sock = str(tmp_path / kernel_fork.SOCKET_NAME)
    t0 = time.monotonic()
    assert kernel_fork.request_kernel(sock, cmd, {}, str(tmp_path), wait=0.3) is None  # never came up
    assert time.monotonic() - t0 < 5
    Path(sock + ".gone").touch()  # the template gave up (e.g. a thread was running after its imports)
    t0 = time.monotonic()
    assert kernel_fork.request_kernel(sock, cmd, {}, str(tmp_path), wait=30) is None
    assert time.monotonic() - t0 < 1
    assert kernel_fork.request_kernel(sock, ["R", "k.json"], {}, str(tmp_path)) is None  # not ipykernel


def test_fork_kernels_can_be_turned_off(monkeypatch):
    monkeypatch.delenv("DXKIT_FORK_KERNELS", raising=False)
    assert kernel_fork.enabled()
    for off in ("0", "no", "false", "OFF"):
        monkeypatch.setenv("DXKIT_FORK_KERNELS", off)
        assert not kernel_fork.enabled()


@pytest.mark.slow
def test_template_for_a_determinants_batch_hands_its_kernels_the_weights(tmp_path):
    """Started with the spatial libraries (a batch with the determinants theme), the template builds
    the spatial weights once; a kernel forked from it has them, equal to a fresh build."""
    started = kernel_fork.start_template(str(tmp_path), kernel_fork.SPATIAL_PRELOAD)
    assert started, "the template did not start"
    proc, sock = started
    try:
        deadline = time.monotonic() + 90
        while not os.path.exists(sock):
            assert proc.poll() is None and time.monotonic() < deadline, "the template never opened its socket"
            time.sleep(0.05)
        code = ("import json, sys\nfrom helpers.loaders import spatial\n"
                "print(json.dumps({'warm': spatial._WARM is not None, 'esda': 'esda' in sys.modules,"
                " 'same': spatial.load_weights() is (spatial._WARM or (0, 0))[1],"
                " 'finance': __import__('helpers.loaders.finance').loaders.finance._city.cache_info().currsize,"
                " 'equal': spatial.load_weights().w.neighbors == spatial._build(spatial.data_dir()).w.neighbors}))")
        (out,), _ = _run_kernel(tmp_path, sock, [code])
        assert json.loads(out[0][1]) == {"warm": True, "esda": True, "same": True, "equal": True,
                                               "finance": 3}  # the three settlement years, parsed in the template
    finally:
        kernel_fork.stop_template(proc)
