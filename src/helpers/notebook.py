"""The first cell every theme notebook runs: validate parameters, open the report, load the data."""

from __future__ import annotations

from pathlib import Path

from helpers.i18n import tier_label
from helpers.params import Params, validate
from helpers.theme_report import ThemeReport


def setup(theme: str, tier: str, lang: str, output_dir: str | Path,
          dashboard_dir: str | Path | None, dashboard_date: str | None = None) -> tuple[Params, ThemeReport, dict[str, str]]:
    """Validate the papermill parameters (one clear error on a bad value) and start the report.
    The export and its date become this kernel's (every figure footer and text states that date)."""
    import pandas as pd

    from helpers import dashboard_export

    params = validate(tier, lang, output_dir, dashboard_dir, dashboard_date)
    dashboard_export.use(dashboard_export.resolve(params.dashboard_dir, dashboard_date))
    pd.set_option("display.width", 120)
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.max_colwidth", 40)
    labels = {t: tier_label(t, lang) for t in ("prefecture", "municipality", "designated_city", "all")}
    return params, ThemeReport(theme, params), labels
