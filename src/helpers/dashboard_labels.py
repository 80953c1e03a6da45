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
