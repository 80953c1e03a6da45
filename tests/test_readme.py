"""The README's report excerpt must be what the generated report says (no typed numbers)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_excerpts_match_generated_reports():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"<!-- excerpt:(\w+) -->\n```text\n(.*?)```\n<!-- /excerpt -->", readme, re.S)
    assert blocks, "README has no report excerpt"
    for theme, excerpt in blocks:
        report = (ROOT / "reports" / theme / "report.md").read_text(encoding="utf-8")
        lines = [l for l in excerpt.splitlines() if l.strip()]
        for line in lines:
            assert line in report.splitlines(), f"README excerpt line not in reports/{theme}/report.md: {line}"


def test_readme_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```bash", 1)[1].split("```", 1)[0]
    assert "make report" in first_block and "make test" in first_block
    assert (ROOT / "reports" / "staffing" / "figures" / "appointment_trend.png").is_file()
