"""The notebooks' parameters, validated once so every notebook stops with the same clear message."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

TIER_CHOICES = ("all", "prefecture", "municipality")
LANG_CHOICES = ("ja", "en")


class ParameterError(ValueError):
    """A notebook or runner parameter has a value we cannot use."""


@dataclass(frozen=True)
class Params:
    tier: str
    lang: str
    output_dir: Path | None  # None only for the start-here notebook, which writes nothing
    dashboard_dir: Path | None
    dashboard_date: str | None = None  # the export's data update (ISO), None when not known
    dashboard_survey_year: int | None = None  # the fiscal year of the export's surveys, None when not known

    def __repr__(self) -> str:
        """Paths inside the project are shown relative to it, so a notebook's stored output does not
        depend on where the project is checked out (nbval compares it)."""
        from helpers.paths import project_root

        def shown(path: Path | None) -> str:
            if path is None:
                return "None"
            try:
                return repr(path.resolve().relative_to(project_root()).as_posix())
            except ValueError:
                return repr(str(path))

        out = "None" if self.output_dir is None else repr(str(self.output_dir))  # None: writes nothing
        return (f"Params(tier={self.tier!r}, lang={self.lang!r}, output_dir={out}, "
                f"dashboard_dir={shown(self.dashboard_dir)})")

    @property
    def tiers(self) -> list[str]:
        """Tiers to show: one, or both main tiers for ``all``."""
        return ["prefecture", "municipality"] if self.tier == "all" else [self.tier]


def default_dashboard_dir() -> Path | None:
    """The vendored デジタル庁 export (``data/external/dashboard``), used when no folder is given."""
    from helpers.paths import data_dir

    folder = data_dir() / "external" / "dashboard"
    return folder if folder.is_dir() else None


def validate(tier: str, lang: str, output_dir: str | Path, dashboard_dir: str | Path | None = None,
             dashboard_date: str | None = None, dashboard_survey_year: int | str | None = None) -> Params:
    """Check the parameters and return them typed; raise :class:`ParameterError` with one line otherwise.

    ``dashboard_dir`` None means the vendored export; pass a folder to analyse a newer one.
    ``dashboard_date`` (YYYY-MM-DD) is that export's data update, when neither a ``dashboard_date.txt``
    in the folder nor its name (``20240712_…``) gives it (:mod:`helpers.loaders.dashboard_export`).
    ``dashboard_survey_year`` (YYYY) is the fiscal year of the surveys it carries, when no
    ``survey_year:`` line in ``dashboard_date.txt`` gives it (the vendored export's is registered)."""
    if tier not in TIER_CHOICES:
        raise ParameterError(f"tier must be one of {', '.join(TIER_CHOICES)}; got {tier!r}")
    if lang not in LANG_CHOICES:
        raise ParameterError(f"lang must be one of {', '.join(LANG_CHOICES)}; got {lang!r}")
    if not output_dir or not isinstance(output_dir, (str, Path)):
        raise ParameterError(f"output_dir must be a folder path; got {output_dir!r}")
    out = Path(output_dir)
    if out.exists() and not out.is_dir():
        raise ParameterError(f"output_dir {out} exists and is not a folder")
    dash = default_dashboard_dir()
    if dashboard_dir not in (None, ""):
        dash = Path(dashboard_dir)
        if not dash.is_dir():
            raise ParameterError(f"dashboard_dir {dash} is not a folder")
    from helpers.loaders.dashboard_export import ExportDateError, resolve

    try:
        info = resolve(dash, dashboard_date, dashboard_survey_year)
    except ExportDateError as e:
        raise ParameterError(str(e).replace("--dashboard-date", "dashboard_date")
                             .replace("--dashboard-survey-year", "dashboard_survey_year")) from None
    if dash is None:
        return Params(tier, lang, out, dash, None, info.survey_year)
    return Params(tier, lang, out, dash, info.date, info.survey_year)
