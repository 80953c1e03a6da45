"""The HTML reports: self-contained pages whose figures, links and language are right.

The structural test parses every committed page; the browser test opens one in headless Chromium
when a browser is installed (skipped with a message otherwise) and reads back, from the rendered
page, the size of every figure and any script error.
"""

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "reports"
PAGES = (sorted(REPORTS.glob("*/report.html")) + sorted(REPORTS.glob("*.html"))
         + sorted(REPORTS.glob("prefectures/*/report.html")) + sorted(REPORTS.glob("prefectures/*.html")))


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.lang, self.ids, self.hrefs, self.svgs, self.imgs = None, set(), [], 0, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        if tag == "svg":
            self.svgs += 1
        if tag == "img":
            self.imgs.append(a.get("src"))


def test_pages_exist_beside_reports():
    mds = sorted(REPORTS.glob("*/report.md"))
    assert mds and all(md.with_suffix(".html").is_file() for md in mds)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_page_is_self_contained_and_links_resolve(page):
    html = page.read_text(encoding="utf-8")
    p = _Page()
    p.feed(html)
    assert p.lang == "ja"  # the committed batch is Japanese
    assert p.imgs == []  # figures are inline SVG, nothing to fetch
    md_path = page.with_suffix(".md") if page.name != "index.html" else page.parent / "README.md"
    md = md_path.read_text(encoding="utf-8")
    assert p.svgs >= len(re.findall(r"!\[[^\]]*\]\([^)]+\.png\)", md))
    for href in p.hrefs:
        if href.startswith("#"):
            assert href[1:] in p.ids, href
        elif not re.match(r"https?://", href):
            assert (page.parent / href).is_file(), href


BROWSER = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
PROBE = """<script>
window.__errors = [];
window.addEventListener('error', e => window.__errors.push(String(e.message)));
window.addEventListener('load', () => {
  const sizes = [...document.querySelectorAll('figure svg')].map(s => {
    const r = s.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; });
  const out = document.createElement('pre'); out.id = '__probe';
  out.textContent = JSON.stringify({sizes, errors: window.__errors, lang: document.documentElement.lang});
  document.body.appendChild(out);
});
</script>"""


@pytest.mark.skipif(BROWSER is None, reason="no Chromium on this machine (apt-get install chromium to run this test)")
def test_a_page_renders_in_a_real_browser(tmp_path):
    page = next(p for p in PAGES if p.parent.name == "staffing")
    copy = tmp_path / "page.html"
    copy.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    res = subprocess.run([BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                          "--no-first-run", "--disable-background-networking", "--disable-component-update",
                          "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000",
                          "--dump-dom", copy.as_uri()], capture_output=True, text=True, timeout=120)
    m = re.search(r'<pre id="__probe">(.*?)</pre>', res.stdout, re.S)
    assert m, res.stderr[-2000:]
    probe = json.loads(m.group(1).replace("&quot;", '"'))
    assert probe["errors"] == [] and probe["lang"] == "ja"
    assert probe["sizes"] and all(w > 100 and h > 50 for w, h in probe["sizes"])
