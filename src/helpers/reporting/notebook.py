"""The first cell every theme notebook runs: validate parameters, open the report, load the data."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from helpers.words.i18n import tier_label
from helpers.loaders.params import Params, validate
from helpers.reporting.theme_report import ThemeReport, open_report

if TYPE_CHECKING:  # pragma: no cover
    from helpers.loaders.profile_params import Prefecture


def setup(theme: str, tier: str, lang: str, output_dir: str | Path | None,
          dashboard_dir: str | Path | None, dashboard_date: str | None = None,
          pref: "Prefecture | None" = None,
          dashboard_survey_year: int | str | None = None) -> tuple[Params, ThemeReport, dict[str, str]]:
    """Validate the papermill parameters (one clear error on a bad value) and start the report.

    Re-running this cell in a kernel keeps the report built so far (same parameters, same report):
    each cell's contribution is replaced when that cell is re-run, see :class:`helpers.reporting.theme_report.CellLog`.
    ``pref`` (the profile notebook): ``output_dir`` None means the prefecture's own folder.
    The export, its date and its survey year become this kernel's (every figure footer and text
    states that date; every text naming the survey year states that year)."""
    from helpers.loaders import dashboard_export

    if pref is not None:  # the profile: its folder follows pref_code (helpers.loaders.profile_params)
        from helpers.loaders.profile_params import profile_output_dir

        output_dir = profile_output_dir(pref, output_dir)
    params = validate(tier, lang, output_dir, dashboard_dir, dashboard_date, dashboard_survey_year)
    dashboard_export.use(dashboard_export.resolve(params.dashboard_dir, dashboard_date, dashboard_survey_year))
    _display_options()
    labels = {t: tier_label(t, lang) for t in ("prefecture", "municipality", "designated_city", "all")}
    return params, open_report(theme, params), labels


def research_setup(tier: str, lang: str, output_dir: str | Path | None,
                   dashboard_dir: str | Path | None, dashboard_date: str | None = None,
                   dashboard_survey_year: int | str | None = None) -> Params:
    """The parameters of one's own analysis (the start-here notebook), checked like a theme's.

    No report is opened: ``output_dir`` None means the notebook writes nothing; a folder means
    figures are saved there (and nowhere else). The export, its date and survey year become this kernel's."""
    from helpers.loaders import dashboard_export

    params = validate(tier, lang, output_dir or ".", dashboard_dir, dashboard_date, dashboard_survey_year)
    dashboard_export.use(dashboard_export.resolve(params.dashboard_dir, dashboard_date, dashboard_survey_year))
    _display_options()
    return params if output_dir else replace(params, output_dir=None)


def _display_options() -> None:
    """Wide frames stay readable in the notebook (the same options in every notebook)."""
    import pandas as pd

    pd.set_option("display.width", 120)
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.max_colwidth", 40)
