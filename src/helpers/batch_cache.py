"""Values the batch runner computes once for all its notebooks (e.g. the municipal panel).

Every prefecture profile starts from the same municipal panel; building it costs ~0.8 s of CPU,
47 times over. The runner builds it once into its staging folder and tells the notebooks' jobs
where (``DXKIT_BATCH_CACHE``); a notebook's loader then reads the pickle instead of building.
Each entry is stored with a key made of the input files' names, sizes and modification times:
a loader whose inputs differ from the entry's (another dashboard folder, a file changed since)
builds from the files as usual. Outside a batch (JupyterLab, nbval, papermill) nothing is cached.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Callable, TypeVar

from helpers.atomic import write_bytes_atomic

ENV = "DXKIT_BATCH_CACHE"
T = TypeVar("T")


def files_key(*paths: Path) -> tuple:
    """What identifies inputs cheaply: resolved path, size and mtime of each file (sorted)."""
    out = []
    for p in paths:
        st = Path(p).stat()
        out.append((str(Path(p).resolve()), st.st_size, st.st_mtime_ns))
    return tuple(sorted(out))


def cached(name: str, key: Callable[[], tuple], build: Callable[[], T]) -> T:
    """The batch's stored value for ``name`` if its key matches ``key()``, else ``build()``. Outside a
    batch the key is not computed; an input it cannot read (a missing file) is left to ``build``,
    whose loader says what is missing."""
    folder = os.environ.get(ENV)
    if folder:
        try:
            entry = pickle.loads((Path(folder) / f"{name}.pickle").read_bytes())
            if entry.get("key") == key():
                return entry["value"]
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            pass
    return build()


def store(folder: str | Path, name: str, key: tuple, value: object) -> Path:
    """Write an entry (atomically: a notebook never reads half a file)."""
    path = Path(folder) / f"{name}.pickle"
    write_bytes_atomic(path, pickle.dumps({"key": key, "value": value}, protocol=pickle.HIGHEST_PROTOCOL))
    return path
