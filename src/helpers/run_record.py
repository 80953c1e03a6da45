"""reports/README.md (and index.html): what was built, from what, in which language.

A reader who finds a folder of reports must be able to tell how to reproduce it: the language and
tier, the commit of the code, and every input file with its date and checksum. Everything here is
derived from the repository itself, so the same commit and data give the same bytes (a no-op run
rewrites nothing). The first line after the title carries a machine-readable language marker the
runner reads to keep two languages out of one folder.
"""

from __future__ import annotations

import hashlib
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


def build(out: Path, themes: dict[str, str], lang: str, tier: str, audit_file: str):
    """The run record as a :class:`helpers.report.Report` (markdown + HTML)."""
    import csv

    from helpers.i18n import t
    from helpers.report import Report

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
    rows = []
    manifest = paths.data_dir() / "external" / "MANIFEST.csv"
    if manifest.is_file():
        with manifest.open(encoding="utf-8") as fh:
            for m in csv.DictReader(fh):
                rows.append((f"`data/external/{m['file']}`", m["reference_date"], f"`{m['sha256'][:16]}`"))
    national = [p for p in sorted((paths.data_dir() / "national").glob("*.csv"))
                + [paths.data_dir() / "sources.csv", paths.data_dir() / "catalog.csv"] if p.is_file()]
    for p in national:
        rows.append((f"`{p.relative_to(paths.project_root()).as_posix()}`", "—", f"`{_sha(p)[:16]}`"))
    import pandas as pd

    r.table(pd.DataFrame(rows, columns=["file", "date", "sha256"]),
            headers={"file": t("index.h.file", lang), "date": t("index.h.date", lang), "sha256": "SHA-256"})
    r.paragraph(t("index.licence", lang))
    return r


def build_profiles_index(folder: Path, lang: str):
    """``reports/prefectures/README.md``: one row per built profile, from each profile's ``summary.json``
    (the HTML version's table sorts by any column on a click)."""
    import json

    import pandas as pd

    from helpers.i18n import t
    from helpers.profile_params import prefectures
    from helpers.report import Report

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
