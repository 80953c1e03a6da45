"""One language per report: find words of the other language in a generated report.

A Japanese report may use Latin script only for the acronyms and proper names in
:data:`JA_LATIN_ALLOWED`; an English report may use Japanese script only for municipality names
shown with their code and for original source titles in 「」. Code spans, links' targets, URLs and
the source list are not prose and are skipped. Used by the tests on every generated report.
"""

from __future__ import annotations

import re

#: Latin tokens a Japanese report may contain: acronyms and proper names of systems.
JA_LATIN_ALLOWED = frozenset({
    "AI", "RPA", "DX", "CIO", "CISO", "CSIRT", "ICT", "BCP", "ICT-BCP", "IT", "CDO", "GIS", "eLTAX", "LGWAN",
    "ASP", "SaaS", "PC", "Web", "SNS", "OCR", "PDF", "BPR", "EBPM", "n", "CSV", "Excel", "HTML", "SHA-256",
    "ITmedia",  # a publisher of secondary sources (ITmedia オルタナティブ・ブログ)
})
_SKIP = [
    re.compile(r"`[^`]*`"),                      # code spans (file names, ids shown as code)
    re.compile(r"<!--.*?-->"),                   # comments (the run record's language marker)
    re.compile(r"\]\([^)]*\)"),                  # link / image targets
    re.compile(r"https?://\S+"),                 # URLs
]
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff01-\uff5e]")
_CODE_NAME = re.compile(r"[\u3000-\u30ff\u3400-\u9fff]+\s?\(\d{5,6}\)")   # 府中市 (13206)
_ORIGINAL_TITLE = re.compile(r"「[^」]*」")
_SOURCES_HEADING = {"ja": "## 出典", "en": "## Sources"}


def prose(markdown: str, lang: str) -> list[tuple[int, str]]:
    """(line number, text) of the report's prose, without code, URLs, link targets and sources."""
    out = []
    for no, line in enumerate(markdown.splitlines(), 1):
        if line.strip() == _SOURCES_HEADING[lang]:
            break
        for pat in _SKIP:
            line = pat.sub(" ", line)
        out.append((no, line))
    return out


def foreign_words(markdown: str, lang: str) -> list[str]:
    """'line N: word' for every word of the other language found in the report's prose."""
    problems = []
    for no, line in prose(markdown, lang):
        if lang == "ja":
            bad = [w for w in _LATIN.findall(line) if w not in JA_LATIN_ALLOWED]
        else:
            line = _ORIGINAL_TITLE.sub(" ", _CODE_NAME.sub(" ", line))
            bad = _CJK.findall(line)
        if bad:
            problems.append(f"line {no}: {' '.join(dict.fromkeys(bad))} — {line.strip()[:120]}")
    return problems
