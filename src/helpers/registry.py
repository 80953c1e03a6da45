"""Every theme declared once: its notebook, its title, the catalog themes its audit notes cover,
what it needs from a dashboard export, and how long its notebook runs.

The runner (which notebooks exist, which to start first, what an export must hold), the report
(which audit flags and export notes a theme shows) and the Makefile read this module; adding a
theme is one entry here plus its notebook and its phrases (docs/adding-a-theme.md). Imports only
helpers.vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpers.vocabulary import GOVERNANCE as _STAFFING_ROWS
from helpers.vocabulary import ONLINE32
from helpers.vocabulary import UPTAKE as _UPTAKE_ROWS

_ONLINE_ROWS = ONLINE32[::-1]  # (offered, online): the order the runner's notes name them


@dataclass(frozen=True)
class Theme:
    """One analysis theme.

    ``name`` is its id (report folder, ``--themes``, ``setup(name, …)`` in its notebook, the title
    key ``theme.<name>``); ``notebook`` its file in notebooks/; ``catalog_themes`` the ``theme``
    values of data/catalog.csv whose audit flags its report lists; ``export_files`` the dashboard
    files (roles of :func:`helpers.loaders.entity.find_dashboard_files`) it cannot do without — an export
    lacking one is refused for the batch; ``export_rows`` the dashboard indicator ids its sections
    show (a missing one is said "not in this export"); ``reads_export`` whether its report states the
    export's unmapped rows; ``shared_inputs`` whether it reads the municipal panel and the boundaries
    (read once per batch when two such notebooks run); ``expected_seconds`` its time in a batch on
    2 cores (2026-11-23), used only to start the longest first when no run of its own is recorded."""
    name: str
    notebook: str
    catalog_themes: tuple[str, ...] = ()
    export_files: tuple[str, ...] = ()
    export_rows: tuple[str, ...] = ()
    reads_export: bool = False
    shared_inputs: bool = False
    expected_seconds: float = 3.0


THEMES: dict[str, Theme] = {t.name: t for t in (
    Theme("staffing", "01_staffing.ipynb", ("staffing",), ("municipal_comparison",), _STAFFING_ROWS,
          reads_export=True, expected_seconds=4.0),
    Theme("online_usage", "02_online_usage.ipynb", ("online",), ("municipal_comparison", "municipal_rates"),
          _ONLINE_ROWS, reads_export=True, expected_seconds=3.0),
    Theme("security", "03_security.ipynb", ("security",), expected_seconds=2.5),
    Theme("ai_rpa_telework", "04_ai_rpa_telework.ipynb", ("uptake",), ("municipal_comparison",), _UPTAKE_ROWS,
          reads_export=True, expected_seconds=6.0),
    Theme("municipalities", "05_municipalities.ipynb", (),
          ("municipal_comparison", "municipal_rates", "prefectural_comparison"),
          _STAFFING_ROWS + _UPTAKE_ROWS + _ONLINE_ROWS, reads_export=True, shared_inputs=True, expected_seconds=14.0),
    Theme("determinants", "07_determinants.ipynb", (), ("municipal_comparison",), _ONLINE_ROWS,
          reads_export=True, shared_inputs=True, expected_seconds=9.0),
)}

#: The 47 prefecture profiles: one parameterized notebook, run per prefecture (``--profiles``) into
#: reports/prefectures/<code>_<name>/.
PROFILES = Theme("prefecture_profile", "06_prefecture_profile.ipynb", (), ("municipal_comparison",),
                 _STAFFING_ROWS + _UPTAKE_ROWS, reads_export=True, shared_inputs=True, expected_seconds=3.5)

#: Every notebook a report comes from (the themes and the profiles), by name.
ALL: dict[str, Theme] = {**THEMES, PROFILES.name: PROFILES}


if __name__ == "__main__":  # `python -m helpers.registry`: the theme folders (Makefile clean-reports)
    print(" ".join(THEMES))
