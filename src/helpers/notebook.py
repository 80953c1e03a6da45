"""The first cell every theme notebook runs: validate parameters, open the report, load the data."""

from __future__ import annotations

from pathlib import Path

from helpers.i18n import tier_label
from helpers.params import Params, validate
from helpers.theme_report import ThemeReport, open_report


def setup(theme: str, tier: str, lang: str, output_dir: str | Path,
          dashboard_dir: str | Path | None) -> tuple[Params, ThemeReport, dict[str, str]]:
    """Validate the papermill parameters (one clear error on a bad value) and start the report.

    Re-running this cell in a kernel keeps the report built so far (same parameters, same report):
    each cell's contribution is replaced when that cell is re-run, see :class:`helpers.theme_report.CellLog`."""
    import pandas as pd

    params = validate(tier, lang, output_dir, dashboard_dir)
    pd.set_option("display.width", 120)
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.max_colwidth", 40)
    labels = {t: tier_label(t, lang) for t in ("prefecture", "municipality", "designated_city", "all")}
    return params, open_report(theme, params), labels
