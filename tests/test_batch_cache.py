"""helpers.batch_cache: what the runner builds once must be exactly what a notebook would build,
and a stale or broken entry must never be used."""

from __future__ import annotations

import os
import pickle

import pandas as pd
import pytest

from helpers import batch_cache
from helpers.loaders import boundaries
from helpers.loaders import panel, params
from helpers.runner import run as runner
from helpers.loaders import entity


def test_outside_a_batch_nothing_is_cached(monkeypatch, tmp_path):
    monkeypatch.delenv(batch_cache.ENV, raising=False)
    batch_cache.store(tmp_path, "x", ("k",), "stored")
    assert batch_cache.cached("x", lambda: ("k",), lambda: "built") == "built"


def test_an_entry_is_used_only_with_its_key(monkeypatch, tmp_path):
    monkeypatch.setenv(batch_cache.ENV, str(tmp_path))
    batch_cache.store(tmp_path, "x", ("k", 1), "stored")
    assert batch_cache.cached("x", lambda: open(tmp_path / "missing"), lambda: "built") == "built"  # unreadable input
    assert batch_cache.cached("x", lambda: ("k", 1), lambda: "built") == "stored"
    assert batch_cache.cached("x", lambda: ("k", 2), lambda: "built") == "built"  # other inputs
    assert batch_cache.cached("y", lambda: ("k", 1), lambda: "built") == "built"  # no entry
    (tmp_path / "x.pickle").write_bytes(b"not a pickle")
    assert batch_cache.cached("x", lambda: ("k", 1), lambda: "built") == "built"  # broken entry
    (tmp_path / "x.pickle").write_bytes(pickle.dumps(["no", "key"]))
    assert batch_cache.cached("x", lambda: ("k", 1), lambda: "built") == "built"


def test_files_key_changes_with_the_file(tmp_path):
    f = tmp_path / "a.csv"
    f.write_text("1")
    before = batch_cache.files_key(f)
    f.write_text("12")
    assert batch_cache.files_key(f) != before
    os.utime(f, ns=(1, 1))
    assert batch_cache.files_key(f) != before


def test_cached_panel_and_boundaries_equal_the_built_ones(monkeypatch, tmp_path):
    monkeypatch.delenv(batch_cache.ENV, raising=False)
    built = panel.load_panel()
    munis, prefs = boundaries._read_boundaries(boundaries.data_dir())
    panel.build_cache(tmp_path)
    boundaries.build_cache(tmp_path)
    monkeypatch.setenv(batch_cache.ENV, str(tmp_path))
    pd.testing.assert_frame_equal(panel.load_panel(), built, check_exact=True)
    boundaries._boundaries.cache_clear()
    try:
        c_munis, c_prefs = boundaries._boundaries(str(boundaries.data_dir()))
        pd.testing.assert_frame_equal(pd.DataFrame(c_munis), pd.DataFrame(munis), check_exact=True)
        pd.testing.assert_frame_equal(pd.DataFrame(c_prefs), pd.DataFrame(prefs), check_exact=True)
    finally:
        boundaries._boundaries.cache_clear()


def test_a_panel_from_other_files_is_not_used(monkeypatch, tmp_path, dashboard_dir):
    """An entry built from one dashboard folder is not served for another."""
    cache = tmp_path / "cache"
    panel.build_cache(cache)  # the vendored export
    monkeypatch.setenv(batch_cache.ENV, str(cache))
    calls = []
    real = panel._build_panel
    monkeypatch.setattr(panel, "_build_panel", lambda folder: calls.append(folder) or real(folder))
    panel.load_panel(dashboard_dir)
    assert calls, "the cached panel of another folder was served"
    calls.clear()
    panel.load_panel()
    assert not calls


def test_runner_cache_holds_dashboard_panel_and_boundaries_and_stops_on_a_bad_dashboard(tmp_path):
    folder, frames = runner._check_inputs(None)
    assert runner._build_cache(tmp_path, folder, frames, shared_inputs=False)
    assert [p.name for p in (tmp_path / ".cache").iterdir()] == ["dashboard.pickle"]
    assert runner._build_cache(tmp_path, folder, frames, shared_inputs=True)
    assert sorted(p.name for p in (tmp_path / ".cache").iterdir()) == \
        ["boundaries.pickle", "dashboard.pickle", "panel.pickle"]
    bad = tmp_path / "dash"
    bad.mkdir()
    (bad / "市区町村のDX 比較.csv").write_text("not,a\ndashboard,file\n", encoding="utf-8")
    with pytest.raises(runner.UsageError):
        runner._build_cache(tmp_path / "run2", bad, None, shared_inputs=True)


def test_cached_dashboard_equals_the_loaded_one(monkeypatch, tmp_path):
    monkeypatch.delenv(batch_cache.ENV, raising=False)
    folder = params.default_dashboard_dir()
    loaded = entity.load_export(folder)
    entity.build_cache(tmp_path, folder)
    monkeypatch.setenv(batch_cache.ENV, str(tmp_path))
    cached = entity.load_export(folder)
    assert cached.keys() == loaded.keys()
    for role in loaded:
        pd.testing.assert_frame_equal(cached[role], loaded[role], check_exact=True)


def test_a_missing_input_keeps_its_loaders_message(monkeypatch, tmp_path):
    """In a batch (cache set), a missing municipal master still stops with the loader's own line."""
    from helpers.loaders import municipalities

    cache = tmp_path / "cache"
    panel.build_cache(cache)
    missing = tmp_path / "reference" / "municipalities.csv"
    monkeypatch.setattr(municipalities, "master_path", lambda folder=None: missing)
    monkeypatch.setattr(panel, "master_path", lambda folder=None: missing)
    monkeypatch.setenv(batch_cache.ENV, str(cache))
    with pytest.raises(FileNotFoundError, match="municipal master not found"):
        panel.load_panel()
