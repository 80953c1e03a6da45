"""Spatial weights of the municipalities (PySAL ``libpysal``), built once per batch from the N03 boundaries.

**Contiguity**: queen contiguity (a shared border or corner) between the municipal polygons of
``data/external/boundaries`` (N03, 2021-01-01, simplified, designated cities as one polygon).
**Fallback for islands**: a municipality with no contiguous neighbour (a remote island such as
利尻町 or 与那国町) is linked to its single nearest municipality by the distance between polygon
centroids (k-nearest neighbours with k = 1, ``libpysal.weights.attach_islands``), so every
municipality with a polygon takes part; the links are symmetric. Municipalities without a polygon
in the simplified boundaries (tiny islands lost in the simplification) and the six 北方領土 villages
(no data) are not in the weights: they are listed, not guessed.

Centroids are computed in longitude/latitude degrees scaled by cos(latitude) (an equirectangular
view), which is enough to pick the nearest neighbour. The weights are binary here; analyses
row-standardise a copy where the statistic asks for it. In a batch run the runner builds them once
(:func:`build_cache`, :mod:`helpers.batch_cache`), like the boundaries themselves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from helpers import batch_cache
from helpers.paths import data_dir

if TYPE_CHECKING:  # pragma: no cover
    from libpysal.weights import W

#: Neighbours given to a municipality without a contiguous one.
ISLAND_K = 1


@dataclass
class Weights:
    """Binary symmetric weights keyed by code5, and how they were made."""
    w: "W"
    islands: list[str] = field(default_factory=list)       # no contiguous neighbour: linked by k-NN
    no_polygon: list[str] = field(default_factory=list)    # in the master, not drawable: left out
    method: str = "queen"
    points: object = None                                  # (n, 2) scaled representative points, id order

    @property
    def n(self) -> int:
        return int(self.w.n)


def _key(root: Path) -> tuple:
    from helpers.loaders.boundaries import BOUNDARIES, PREFECTURES
    from helpers.loaders.municipalities import master_path

    return batch_cache.files_key(root.joinpath(*BOUNDARIES), root.joinpath(*PREFECTURES), master_path(root))


def _build(root: Path) -> Weights:
    import warnings

    import numpy as np
    from libpysal.weights import KNN, Queen, attach_islands

    from helpers.loaders import boundaries
    from helpers.loaders.municipalities import load_master

    master = load_master()
    munis, _ = boundaries.polygons()
    codes = set(master["code5"])
    drawable = munis[munis["code5"].isin(codes) & munis.geometry.notna() & ~munis.geometry.is_empty]
    drawable = drawable.sort_values("code5").reset_index(drop=True)
    no_polygon = sorted(codes - set(drawable["code5"]))
    ids = drawable["code5"].tolist()
    with warnings.catch_warnings():  # libpysal warns about islands, which are attached below
        warnings.simplefilter("ignore")
        queen = Queen.from_dataframe(drawable, ids=ids, use_index=False, silence_warnings=True)
        islands = sorted(queen.islands)
        reps = drawable.geometry.representative_point()
        lat0 = math.radians(float(reps.y.mean()))
        pts = np.column_stack([reps.x.to_numpy() * math.cos(lat0), reps.y.to_numpy()])
        knn = KNN(pts, k=ISLAND_K, ids=ids, silence_warnings=True)
        w = attach_islands(queen, knn, silence_warnings=True) if islands else queen
        w = _symmetric(w)
    w.transform = "B"
    return Weights(w, islands, no_polygon, f"queen+knn{ISLAND_K}", pts)


def _symmetric(w: "W") -> "W":
    """The union of each link and its reverse (a k-NN link attached to an island is one-way)."""
    from libpysal.weights import W

    neigh = {i: set(js) for i, js in w.neighbors.items()}
    for i, js in w.neighbors.items():
        for j in js:
            neigh[j].add(i)
    order = list(w.id_order)
    return W({i: sorted(neigh[i]) for i in order}, id_order=order, silence_warnings=True)


def knn(weights: Weights, k: int) -> Weights:
    """Alternative weights for the sensitivity to the choice of weights: the ``k`` nearest
    municipalities by representative point (symmetrised), on the same municipalities."""
    from libpysal.weights import KNN

    w = _symmetric(KNN(weights.points, k=k, ids=list(weights.w.id_order), silence_warnings=True))
    w.transform = "B"
    return Weights(w, [], list(weights.no_polygon), f"knn{k}", weights.points)


#: Weights the batch's kernel template built before forking (:func:`warm`): (input key, weights).
_WARM: tuple[tuple, Weights] | None = None


def warm() -> bool:
    """Build the weights in the batch's kernel template (helpers.runner.kernel_fork), which imports the
    spatial libraries anyway: every kernel forked from it then has them, and the runner need not
    import libpysal (~1.5 s of CPU) only to build them. False (nothing kept) when they cannot be
    built here; a notebook then reads the batch cache or builds them itself, as without a template."""
    global _WARM
    root = data_dir()
    try:
        _WARM = (_key(root), _build(root))
    except Exception:  # no boundaries, no master, a library missing: the notebook says what is missing
        _WARM = None
    return _WARM is not None


def load_weights() -> Weights:
    """The municipal weights (binary, symmetric, code5 ids in code order); in a batch, built once
    (by the kernel template or the runner); built here when the inputs differ from those."""
    root = data_dir()
    if _WARM is not None:
        try:
            if _WARM[0] == _key(root):
                return _WARM[1]
        except OSError:
            pass
    return batch_cache.cached("spatial_weights", lambda: _key(root), lambda: _build(root))


def build_cache(cache: str | Path) -> Path:
    """Build the weights into the batch cache folder ``cache`` (done once by the runner)."""
    root = data_dir()
    return batch_cache.store(Path(cache), "spatial_weights", _key(root), _build(root))


def subset(weights: Weights, codes, transform: str = "R") -> "W":
    """The weights restricted to ``codes`` (e.g. the municipalities with a value), transformed
    (``R`` row-standardised, ``B`` binary); a municipality left without a neighbour keeps none
    (an island of the subset, which the statistics drop or give a zero lag). Built from the
    neighbour lists directly: ``libpysal.weights.w_subset`` took 1.5 s for 1,730 municipalities."""
    from libpysal.weights import W

    keep = set(codes)
    order = [c for c in weights.w.id_order if c in keep]
    neigh = {i: [j for j in weights.w.neighbors[i] if j in keep] for i in order}
    sub = W(neigh, id_order=order, silence_warnings=True)
    sub.transform = transform
    return sub
