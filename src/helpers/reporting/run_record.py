"""reports/README.md (and index.html): what was built, from what, in which language.

A reader who finds a folder of reports must be able to tell how to reproduce it: the language and
tier, the commit of the code, and every input file with its date and checksum. Everything here is
derived from the repository itself, so the same commit and data give the same bytes (a no-op run
rewrites nothing). The first line after the title carries a machine-readable language marker the
runner reads to keep two languages out of one folder.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from pathlib import Path

from helpers import paths

LANG_MARKER = re.compile(r"<!-- lang: (\w+) -->")


def folder_language(out: Path) -> str | None:
    """The language of the reports already in ``out`` (from its run record), if any."""
    readme = out / "README.md"
    if not readme.is_file():
        return None
    m = LANG_MARKER.search(readme.read_text(encoding="utf-8", errors="replace")[:500])
    return m.group(1) if m else None


def _git(*args: str) -> str:
    try:
        res = subprocess.run(["git", *args], cwd=paths.project_root(), capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ""
    return res.stdout.strip() if res.returncode == 0 else ""


def code_version() -> tuple[str, str, bool]:
    """(short commit, commit date, whether src/ or notebooks/ differ from it) — empty outside git."""
    commit = _git("rev-parse", "--short=12", "HEAD")
    date = _git("log", "-1", "--format=%cs")
    dirty = bool(_git("status", "--porcelain", "--", "src", "notebooks"))
    return commit, date, dirty


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _manifest_dates() -> dict[str, str]:
    """``data/external/<file>`` → its reference date, from ``MANIFEST.csv``."""
    import csv

    manifest = paths.data_dir() / "external" / "MANIFEST.csv"
    if not manifest.is_file():
        return {}
    with manifest.open(encoding="utf-8") as fh:
        return {f"data/external/{m['file']}": m["reference_date"] for m in csv.DictReader(fh)}


def inputs_record(export, dash_given: str | None, dash_files: list[Path]) -> dict:
    """Every input file a run reads, as it read them: the dashboard export (path as the user gave it,
    or the vendored copy), the national data, the reference tables (layout included), population and
    boundaries — each with size, sha256 and its data date (the export's own date, a manifest's
    reference date, else empty) — and the export's date with where that date came from."""
    from helpers.loaders import dashboard_export
    from helpers.words import export as export_words

    root, data = paths.project_root(), paths.data_dir()
    dates = _manifest_dates()
    export = export or dashboard_export.resolve(None)
    files = []
    if dash_given:
        for f in sorted(dash_files):
            files.append(dashboard_export.file_record(f, os.path.join(dash_given, f.name), export.date))
    project = [p for p in sorted(data.rglob("*")) if p.is_file() and not p.name.startswith(".")
               and not (dash_given and p.parent == data / "external" / "dashboard")
               and p.suffix.lower() in {".csv", ".json", ".geojson", ".xlsx"}]
    for p in project:
        try:
            shown = p.relative_to(root).as_posix()
        except ValueError:
            shown = str(p)
        rel = p.relative_to(data).as_posix()
        date = dates.get(f"data/{rel}", "")
        if not dash_given and p.parent == data / "external" / "dashboard":
            date = export.date or date
        files.append(dashboard_export.file_record(p, shown, date))
    return {"export": {"folder": dash_given or (dashboard_export.vendored_dir().relative_to(root).as_posix()
                                                if dashboard_export.vendored_dir().is_dir() else None),
                       "date": export.date, "how": export.how,
                       "survey_year": export.survey_year, "survey_how": export.survey_how},
            "files": files}


def inputs_json(export, dash_given: str | None, dash_files: list[Path]) -> str:
    import json

    return json.dumps(inputs_record(export, dash_given, dash_files), ensure_ascii=False, indent=1) + "\n"


def _read_inputs(path: Path) -> dict | None:
    import json

    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def build(out: Path, themes: dict[str, str], lang: str, tier: str, audit_file: str):
    """The run record as a :class:`helpers.reporting.report.Report` (markdown + HTML)."""
    import csv

    from helpers.words.i18n import t
    from helpers.reporting.report import Report

    r = Report(t("index.title", lang), sources_heading=t("report.sources", lang), lang=lang)
    r.paragraph(f"<!-- lang: {lang} -->")
    items = []
    for theme in themes:
        if (out / theme / "report.md").is_file():
            html = f" · [HTML]({theme}/report.html)" if (out / theme / "report.html").is_file() else ""
            items.append(f"[{t('theme.' + theme, lang)}]({theme}/report.md){html}")
    if (out / "prefectures" / "README.md").is_file():
        items.append(f"[{t('index.profiles', lang)}](prefectures/README.md) · [HTML](prefectures/index.html)")
    if (out / audit_file).is_file():
        html = Path(audit_file).with_suffix(".html").name
        items.append(f"[{t('index.audit', lang)}]({audit_file})"
                     + (f" · [HTML]({html})" if (out / html).is_file() else ""))
    r.bullets(items)
    commit, date, dirty = code_version()
    r.heading(t("index.record", lang))
    lines = [t("index.language", lang, name=t(f"index.lang.{lang}", lang)), t("index.tier", lang, tier=t(f"index.tier.{tier}", lang))]
    if commit:
        lines.append(t("index.commit", lang, commit=commit, date=date) + (t("index.dirty", lang) if dirty else ""))
    r.bullets(lines)
    r.heading(t("index.inputs", lang))
    import pandas as pd

    from helpers.loaders import dashboard_export

    from helpers.words import export as export_words

    # what each report was built from, as its run recorded it (.inputs.json beside its fingerprint)
    records: dict[str, dict | None] = {}
    for theme in themes:
        if (out / theme / "report.md").is_file():
            records[t("theme." + theme, lang)] = _read_inputs(out / theme / ".inputs.json")
    if (out / audit_file).is_file():
        records[t("index.audit", lang)] = _read_inputs(out / ".data_audit.inputs.json")
    groups: list[tuple[str, list[str]]] = []  # (inputs as JSON, the reports built from them)
    import json

    for name, rec in records.items():
        key = json.dumps(rec, sort_keys=True)
        for k, names in groups:
            if k == key:
                names.append(name)
                break
        else:
            groups.append((key, [name]))
    sep = "、" if lang == "ja" else ", "
    if len(groups) > 1:
        r.paragraph(t("index.mixed", lang, n=len(groups)))
    for key, names in groups:
        rec = json.loads(key)
        if len(groups) > 1:
            r.paragraph(t("index.built_from", lang, reports=sep.join(names)))
        if rec is None:
            r.paragraph(t("index.no_record", lang))
            continue
        exp = rec["export"]
        info = dashboard_export.ExportInfo(Path(exp["folder"]) if exp["folder"] else None, exp["date"], exp["how"],
                                           exp.get("survey_year"), exp.get("survey_how", "unknown"))
        if exp["folder"] and "survey_year" in exp:  # the export's date and the survey year it carries
            r.paragraph(t("index.export_survey", lang, folder=exp["folder"], update=export_words.update_phrase(lang, info),
                          how=t(f"dash.how.{exp['how']}", lang), survey=export_words.survey_phrase(lang, info),
                          survey_how=t(f"dash.survey_how.{info.survey_how}", lang)))
        elif exp["folder"]:  # a record written before the survey year was kept
            r.paragraph(t("index.export", lang, folder=exp["folder"], update=export_words.update_phrase(lang, info),
                          how=t(f"dash.how.{exp['how']}", lang)))
        rows = [(f"`{f['path']}`", f["date"] or "—", f"{f['bytes']:,}", f"`{f['sha256']}`") for f in rec["files"]]
        r.table(pd.DataFrame(rows, columns=["file", "date", "bytes", "sha256"]),
                headers={"file": t("index.h.file", lang), "date": t("index.h.date", lang),
                         "bytes": t("index.h.bytes", lang), "sha256": "SHA-256"})
    unmapped = _unmapped_rows(out)
    if unmapped:
        r.paragraph(t("index.unmapped", lang, rows=sep.join(f"「{row}」" for row in unmapped)))
    r.paragraph(t("index.licence", lang))
    return r


def _unmapped_rows(out: Path) -> list[str]:
    """Rows of the export the layout does not know, as the municipal panel kept them (unmapped)."""
    import csv

    from helpers.loaders.dashboard_labels import UNMAPPED_PREFIX

    panel = out / "municipalities" / "data" / "municipal_panel.csv"
    if not panel.is_file():
        return []
    with panel.open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh), [])
    return [c.removeprefix(UNMAPPED_PREFIX) for c in header if c.startswith(UNMAPPED_PREFIX)]


def write_profile_summary(out_dir: str | Path, record: dict) -> Path:
    """``summary.json`` in a profile's folder (``record``: :func:`helpers.analysis.profile.summary_record`),
    read back by :func:`build_profiles_index`; sorted keys, so the same record gives the same bytes."""
    import json

    from helpers.atomic import write_text_atomic

    path = Path(out_dir) / "summary.json"
    write_text_atomic(path, json.dumps(record, ensure_ascii=False, sort_keys=True, indent=1) + "\n")
    return path


def build_profiles_index(folder: Path, lang: str):
    """``reports/prefectures/README.md``: one row per built profile, from each profile's ``summary.json``
    (the HTML version's table sorts by any column on a click)."""
    import json

    import pandas as pd

    from helpers.words.i18n import t
    from helpers.loaders.profile_params import prefectures
    from helpers.reporting.report import Report

    names = {p.code: p for p in prefectures()}
    rows = []
    for path in sorted(folder.glob("*/summary.json")):
        rec = json.loads(path.read_text(encoding="utf-8"))
        pref = names.get(rec["pref_code"])
        label = pref.name(lang) if pref else rec["pref_code"]
        met = rec.get("government_met")
        rows.append({"pref_code": rec["pref_code"], "prefecture": f"[{label}]({path.parent.name}/report.md)",
                     "municipalities": rec["municipalities"],
                     "government": f"{met}/{rec['government_items']}" if met is not None else "—",
                     "readiness": rec.get("readiness_observed"), "expected": rec.get("readiness_expected"),
                     "ahead": rec["ahead"], "behind": rec["behind"]})
    r = Report(t("profiles.title", lang), sources_heading=t("report.sources", lang), lang=lang)
    r.paragraph(f"<!-- lang: {lang} -->")
    r.paragraph(t("profiles.intro", lang))
    cols = ["pref_code", "prefecture", "municipalities", "government", "readiness", "expected", "ahead", "behind"]
    frame = pd.DataFrame(rows, columns=cols)
    r.table(frame, headers={c: t(f"profiles.h.{c}", lang) for c in cols}, decimals={"readiness": 1, "expected": 1})
    return r
