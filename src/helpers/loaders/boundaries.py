"""The 国土数値情報 N03 boundaries and the names a map prints, read once for the maps.

``data/external/boundaries`` holds N03 2021-01-01 (simplified, designated cities merged into one
polygon per city) and the prefecture outlines. :func:`load` returns them as :class:`Shapes`, with
the municipal master's codes and names and the prefectures' names, so that a map
(:mod:`helpers.figures.maps`) draws from what it is given and never reads a file itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from helpers import batch_cache
from helpers.paths import data_dir

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

BOUNDARIES = ("external", "boundaries", "N03-21_210101_designated_city.geojson")
PREFECTURES = ("external", "boundaries", "prefectures.geojson")


@dataclass(frozen=True, eq=False)
class Shapes:
    """What a map needs from files: polygons (municipal ``code5``/``pref_name``, prefectures
    ``pref_name``), the master's codes in order with their names and prefectures, and the 47
    prefectures' names by code. Compared and hashed by identity (maps cache their layers per object)."""
    munis: "gpd.GeoDataFrame"
    prefs: "gpd.GeoDataFrame"
    master_codes: tuple[str, ...]
    names: dict[str, str]
    master_pref: dict[str, str]
    pref_names: dict[str, str]


@lru_cache(maxsize=2)
def _boundaries(folder: str) -> tuple["gpd.GeoDataFrame", "gpd.GeoDataFrame"]:
    """Read once per process; in a batch run, once for all notebooks (:mod:`helpers.batch_cache`)."""
    root = Path(folder)
    return batch_cache.cached("boundaries", lambda: _boundaries_key(root), lambda: _read_boundaries(root))


def build_cache(cache: str | Path) -> Path:
    """Read the boundaries into the batch cache folder ``cache`` (done once by the runner)."""
    root = data_dir()
    return batch_cache.store(Path(cache), "boundaries", _boundaries_key(root), _read_boundaries(root))


def _boundaries_key(root: Path) -> tuple:
    return batch_cache.files_key(root.joinpath(*BOUNDARIES), root.joinpath(*PREFECTURES))


class BoundaryError(ValueError):
    """A boundary file that cannot be read whole (cut short, not GeoJSON): one line naming it."""


def _read_geojson(path: Path) -> "gpd.GeoDataFrame":
    import geopandas as gpd

    if not path.is_file():
        raise FileNotFoundError(2, "No such file", str(path))
    try:
        return gpd.read_file(path)
    except Exception as e:  # the GDAL/pyogrio readers raise their own types
        detail = (str(e).strip().splitlines() or [type(e).__name__])[-1][:200]
        raise BoundaryError(f"{path}: cannot be read as GeoJSON ({detail}) — the file looks cut short or damaged; "
                            "copy it again") from None


def _read_boundaries(root: Path) -> tuple["gpd.GeoDataFrame", "gpd.GeoDataFrame"]:
    munis = _read_geojson(root.joinpath(*BOUNDARIES))
    missing = {"N03_001", "N03_007"} - set(munis.columns)
    if missing:
        raise BoundaryError(f"{root.joinpath(*BOUNDARIES)}: no {', '.join(sorted(missing))} property — not the N03 boundaries")
    munis = munis.rename(columns={"N03_001": "pref_name", "N03_007": "code5"})[["pref_name", "code5", "geometry"]]
    prefs = _read_geojson(root.joinpath(*PREFECTURES))
    if "N03_001" not in prefs.columns:
        raise BoundaryError(f"{root.joinpath(*PREFECTURES)}: no N03_001 property — not the prefecture boundaries")
    prefs = prefs.rename(columns={"N03_001": "pref_name"})[["pref_name", "geometry"]]
    return munis, prefs


def polygons() -> tuple["gpd.GeoDataFrame", "gpd.GeoDataFrame"]:
    """(municipal polygons with code5 and pref_name, prefecture polygons with pref_name); copies."""
    munis, prefs = _boundaries(str(data_dir()))
    return munis.copy(), prefs.copy()


@lru_cache(maxsize=2)
def _shapes(folder: str) -> Shapes:
    from helpers.loaders.entity import prefectures
    from helpers.loaders.municipalities import load_master

    munis, prefs = _boundaries(folder)
    master = load_master()
    ref = prefectures()
    return Shapes(munis, prefs, tuple(master["code5"]), dict(zip(master["code5"], master["name"])),
                  dict(zip(master["code5"], master["pref_code"])), dict(zip(ref["pref_code"], ref["name_ja"])))


def load() -> Shapes:
    """The boundaries and names for the maps (read once per process; the same object each call)."""
    return _shapes(str(data_dir()))
