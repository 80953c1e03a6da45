"""Row labels of the dashboard export → ids. Kept free of pandas so the runner can check files cheaply."""

#: Row label (trimmed) → indicator id, for the 比較 files.
INDICATORS: dict[str, str] = {
    "CIOの任命": "cio_appointed",
    "CIO補佐官等の任命": "cio_deputy_appointed",
    "全体方針策定": "dx_policy",
    "全庁的な体制構築": "cross_org_structure",
    "外部人材活用": "external_talent",
    "職員育成の取組": "staff_development",
    "全職員対象研修の実施": "all_staff_training",
    "AIの導入状況": "ai",
    "RPAの導入状況": "rpa",
    "テレワークの導入状況": "telework",
    "マイナンバーカードの保有状況": "mynumber_card_rate",
    "子育て・介護26手続のオンライン化状況": "online26_share",
    "よく使う32手続のオンライン化状況": "online32_share",
    "よく使う32手続のオンライン化状況_実施されている手続総数（分母）": "online32_offered",
    "よく使う32手続のオンライン化状況_実施されている手続総数のうち「オンライン化済」と回答した手続数（分子）": "online32_online",
}
#: Indicators measured as yes/no (実施 / 未実施).
BINARY = ["cio_appointed", "cio_deputy_appointed", "dx_policy", "cross_org_structure", "external_talent",
          "staff_development", "all_staff_training", "ai", "rpa", "telework"]
#: Group label of the 申請率 files → short id.
RATE_GROUPS: dict[str, str] = {
    "よく使う32手続のオンライン申請利用状況": "common32",
    "子育て・介護の26手続のオンライン申請利用状況": "child_care26",
}


CSV_ENCODINGS = ("utf-8-sig", "cp932")


def decode_csv(raw: bytes) -> str | None:
    """The text of a dashboard CSV (UTF-8 with or without BOM, or cp932); None if neither fits."""
    for encoding in CSV_ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


#: Largest dashboard file read (the real exports are under 0.2 MB); checked before reading so a
#: wrong or runaway file cannot exhaust memory.
MAX_BYTES = 50 * 1024 * 1024


def file_problem(path, head: bytes | None = None) -> str | None:
    """What makes a dashboard file unreadable before parsing, in words (None if nothing): too large,
    empty, or UTF-16. ``head``: the file's first bytes if already read."""
    from pathlib import Path

    path = Path(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        return f"file is {size / 1024 ** 2:,.0f} MB; the limit is {MAX_BYTES // 1024 ** 2} MB (a dashboard export is well under 1 MB)"
    if head is None:
        with path.open("rb") as fh:
            head = fh.read(4096)
    if not head.strip():
        return "file is empty"
    if path.suffix.lower() == ".csv" and (head[:2] in (b"\xff\xfe", b"\xfe\xff") or head[:200].count(b"\x00") > 10):
        return "UTF-16 is not supported; save the file as UTF-8 CSV"
    from helpers.input_limits import problem  # rows, columns, unpacked size: bounded before any parsing

    return problem(path)


CUT_MID_CHARACTER = "the file ends in the middle of a character — it looks cut short"


def ends_mid_character(raw: bytes) -> bool:
    """True if ``raw`` is UTF-8 except for an incomplete character at its very end (a cut file)."""
    body = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(body) - 3 and exc.reason == "unexpected end of data"
    return False
