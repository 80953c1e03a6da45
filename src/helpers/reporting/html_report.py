"""A report as one self-contained HTML file, rendered from the same markdown the report writes.

Nothing is analysed twice: :class:`helpers.reporting.report.Report` produces the markdown; this module turns
it into HTML with markdown-it-py, puts a table of contents in front, replaces each figure's PNG
link by the figure's SVG (so the page opens offline and prints sharply), and fills a Jinja2
template that declares the language and Japanese fonts. Emailing the one file is enough.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

_IMG = re.compile(r'<img src="([^"]+)\.png" alt="([^"]*)"\s*/?>')
_H2 = re.compile(r"<h2>(.*?)</h2>")
_MD_LINK = re.compile(r'href="([^":#]+)\.md"')  # a link to a sibling report: its HTML page when there is one
_XML_PROLOGUE = re.compile(r"^\s*<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>\s*)?", re.S)

TEMPLATE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
body { font-family: "IPAexGothic", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", "Meiryo", sans-serif;
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.6; color: #222; }
h1 { font-size: 1.6rem; border-bottom: 2px solid #0072b2; padding-bottom: .3rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid #ccc; padding: .25rem .5rem; }
th { background: #f2f5f8; }
tr:nth-child(even) td { background: #fafafa; }
td:not(:first-child) { font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0; }
figure svg { max-width: 100%; height: auto; }
nav.toc { background: #f7f7f7; padding: .5rem 1rem; border-radius: 4px; }
nav.toc ol { margin: .3rem 0; }
</style>
</head>
<body>
{{ body }}
<script>
// Click a column header to sort the table by it (numbers by value, text in the page's language order).
document.querySelectorAll("table").forEach(table => {
  table.querySelectorAll("th").forEach((th, col) => {
    th.style.cursor = "pointer";
    th.title = "{{ sort_hint }}";
    th.addEventListener("click", () => {
      const body = table.tBodies[0];
      const rows = Array.from(body.rows);
      const key = r => r.cells[col].textContent.trim();
      const num = v => parseFloat(v.replace(/[,%＋+]/g, ""));
      const asc = th.dataset.order !== "asc";
      rows.sort((a, b) => {
        const x = key(a), y = key(b), nx = num(x), ny = num(y);
        const c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y, "{{ lang }}");
        return asc ? c : -c;
      });
      th.dataset.order = asc ? "asc" : "desc";
      rows.forEach(r => body.appendChild(r));
    });
  });
});
</script>
</body>
</html>
"""


NAV = """<nav class="toc" aria-label="{{ toc_label }}"><strong>{{ toc_label }}</strong>
<ol>{% for id, text in toc %}<li><a href="#{{ id }}">{{ text }}</a></li>{% endfor %}</ol></nav>"""


def _inline_svg(match: re.Match, base: Path) -> str:
    stem, alt = match.group(1), match.group(2)
    svg_path = base / f"{stem}.svg"
    if not svg_path.is_file():
        raise FileNotFoundError(f"{svg_path}: the SVG of a figure in the report is missing")
    svg = _XML_PROLOGUE.sub("", svg_path.read_text(encoding="utf-8"))
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{alt}" ', 1)
    return f"<figure>{svg}<figcaption>{alt}</figcaption></figure>"


def render(markdown: str, *, lang: str, base: Path) -> str:
    """The HTML page for a report's markdown; figures are read from ``base`` (the report's folder)."""
    from jinja2 import Environment
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    body = md.render(markdown)
    title = escape(markdown.splitlines()[0].lstrip("# ").strip())
    toc = []

    def number(m: re.Match) -> str:
        sid = f"s{len(toc) + 1}"
        toc.append((sid, m.group(1)))
        return f'<h2 id="{sid}">{m.group(1)}</h2>'

    body = _H2.sub(number, body)
    body = _IMG.sub(lambda m: _inline_svg(m, base), body)
    body = _MD_LINK.sub(lambda m: f'href="{m.group(1)}.html"' if (base / f"{m.group(1)}.html").is_file() else m.group(0), body)
    env = Environment(autoescape=False)
    label = {"ja": "目次", "en": "Contents"}[lang]
    nav = env.from_string(NAV).render(toc=toc, toc_label=label) if toc else ""
    body = body.replace("</h1>", "</h1>\n" + nav, 1) if "</h1>" in body else nav + body
    return env.from_string(TEMPLATE).render(
        lang=lang, title=title, body=body,
        sort_hint={"ja": "クリックで並べ替え", "en": "click to sort"}[lang])
