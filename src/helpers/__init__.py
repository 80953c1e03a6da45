"""Shared helpers for the DX survey notebooks.

Import cost matters (papermill starts a fresh kernel per notebook), so this package imports
nothing heavy at import time: pandas and matplotlib load only inside the submodules that need
them (``helpers.loaders.data``, ``helpers.figures.plots`` ...).
"""

__version__ = "0.2.0"

# Layers, one direction (import-linter contracts in pyproject.toml; docs/architecture.md):
# loaders → analysis → words → figures → reporting → runner, over the shared paths, atomic writes,
# the batch cache, the theme registry and the vocabulary of ids.

import warnings as _warnings

# esda and libpysal import tqdm.auto, which warns in a kernel without ipywidgets; the helpers draw no
# progress bars, so the warning is noise in every notebook and in the runner's log.
_warnings.filterwarnings("ignore", message="IProgress not found")
