"""The package shows its layers: import contracts hold, the top level stays small, the analysis
layer takes no language, and a theme is declared in one place."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import helpers
from helpers import registry, vocabulary

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "helpers"
LAYERS = ("loaders", "analysis", "words", "figures", "reporting", "runner")


def test_import_contracts_hold():
    """pyproject.toml's import-linter contracts: layers in one direction, figures read no files, the
    runner imports no domain code, no cycles inside a layer."""
    lint = Path(sys.executable).with_name("lint-imports")
    cmd = [str(lint)] if lint.exists() else [sys.executable, "-c", "from importlinter.cli import lint_imports_command as c; c()"]
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]
    assert "0 broken" in res.stdout


def test_contracts_name_every_layer():
    """A layer added to the package but left out of the contracts would escape them."""
    import tomllib

    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    layers = next(c for c in conf["contracts"] if c["type"] == "layers")["layers"]
    packages = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    assert {f"helpers.{p}" for p in packages} == set(layers)


def test_at_most_twelve_top_level_modules():
    top = sorted(p.stem for p in SRC.glob("*.py"))
    assert len(top) <= 12, top
    assert {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").is_file()} == set(LAYERS)


def _public_functions(package: str):
    pkg = importlib.import_module(package)
    for info in pkgutil.walk_packages(pkg.__path__, f"{package}."):
        module = importlib.import_module(info.name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and not name.startswith("_"):
                yield f"{info.name}.{name}", fn


def test_no_analysis_function_takes_a_language():
    """Analysis returns frames (ids, numbers, flags); wording is the words layer's."""
    worded = [name for name, fn in _public_functions("helpers.analysis") if "lang" in inspect.signature(fn).parameters]
    assert worded == []


def test_no_analysis_module_holds_report_text():
    """No Japanese sentence in the analysis layer: its strings are ids, column names and file names."""
    found = []
    for path in (SRC / "analysis").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and not isinstance(getattr(node, "parent", None), ast.Expr):
                text = node.value
                if any("\u3040" <= ch <= "\u30ff" for ch in text) and len(text) > 12 and "。" in text:
                    found.append(f"{path.name}: {text[:40]}")
    assert found == []


def test_every_notebook_of_a_report_is_registered_once():
    on_disk = {p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")} - {"00_start_here.ipynb"}
    declared = [t.notebook for t in registry.ALL.values()]
    assert sorted(declared) == sorted(on_disk)
    assert len(set(declared)) == len(declared)
    from helpers.reporting import theme_report
    from helpers.runner import run

    assert run.NOTEBOOKS == {n: t.notebook for n, t in registry.THEMES.items()}
    assert set(theme_report.AUDIT_THEMES) == set(registry.ALL)


@pytest.mark.parametrize("name", ["TIERS", "LANGS", "TYPE_ORDER", "TYPES_BY_SIZE", "GOVERNANCE", "STAFFING", "UPTAKE",
                                  "OUTCOMES", "MUNICIPALITY_TYPES", "TYPES"])
def test_shared_vocabulary_is_defined_once(name):
    """A tier, language, type order or indicator group is a name of helpers.vocabulary, never a second list."""
    defined = []
    for path in SRC.rglob("*.py"):
        if path.name == "vocabulary.py":
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
            literal = isinstance(getattr(node, "value", None), (ast.List, ast.Tuple, ast.Set, ast.Dict))  # not list(name)
            if any(isinstance(t, ast.Name) and t.id == name for t in targets) and literal:
                defined.append(str(path.relative_to(SRC)))
    assert defined == [], f"{name} defined outside helpers.vocabulary in {defined}"


def test_vocabulary_types_agree_with_the_words():
    from helpers.words.i18n import TEXT

    for kind in vocabulary.MUNICIPALITY_TYPES:
        assert any(k.endswith(f".{kind}") for k in TEXT), kind


def test_every_module_a_phrase_names_exists():
    """Reports name helpers' functions for readers who want the method (e.g. the panel dictionary):
    each dotted name must resolve, so a moved function never leaves a report pointing at nothing."""
    import re

    from helpers.words.i18n import TEXT

    missing = []
    for key, pair in TEXT.items():
        for text in pair.values():
            for dotted in re.findall(r"helpers(?:\.[A-Za-z_]\w*)+", text):
                parts, obj = dotted.split("."), None
                for i in range(len(parts), 0, -1):
                    try:
                        obj = importlib.import_module(".".join(parts[:i]))
                    except ImportError:
                        continue
                    for attr in parts[i:]:
                        obj = getattr(obj, attr, None)
                    break
                if obj is None:
                    missing.append(f"{key}: {dotted}")
    assert missing == []
