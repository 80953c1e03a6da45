"""The ids every layer shares, defined once: tiers, languages, municipality types and their
orders, and the groups of dashboard indicators. Ids only (words for them are in helpers.words);
imports nothing, so any module may use it."""

from __future__ import annotations

#: The order tiers are shown in (charts and tables): prefectures, designated cities, all municipalities.
TIER_ORDER = ("prefecture", "designated_city", "municipality")
#: The two kinds of organisation every survey counts (prefectures; municipalities incl. designated cities).
ORGANISATION_TIERS = ("prefecture", "municipality")
#: Survey tiers of the national series (``tier`` column of data/national/*.csv); ``all`` = every organisation.
TIERS = ("prefecture", "municipality", "designated_city", "all")
#: Report languages.
LANGS = ("ja", "en")

#: Municipality types of the municipal master (data/reference/municipalities.csv), in master order.
MUNICIPALITY_TYPES = ("designated_city", "core_city", "special_ward", "city", "town", "village")
#: The same types from the smallest kind to the largest (tables and charts by type).
TYPES_BY_SIZE = ("village", "town", "city", "special_ward", "core_city", "designated_city")
#: The type a dashboard column's name gives by its last character, before the master is joined
#: (a 市 there includes the designated and core cities; 区 are Tokyo's special wards).
TYPE_BY_NAME_SUFFIX = {"市": "city", "区": "special_ward", "町": "town", "村": "village"}
#: The order of :data:`TYPE_BY_NAME_SUFFIX`'s types in the dashboard's per-type tables.
SUFFIX_TYPE_ORDER = ("city", "special_ward", "town", "village")

#: Dashboard yes/no indicators of organisation and staffing (the governance items of the profiles).
GOVERNANCE = ("cio_appointed", "cio_deputy_appointed", "dx_policy", "cross_org_structure", "external_talent",
              "staff_development", "all_staff_training")
#: Dashboard yes/no indicators of AI, RPA and telework uptake.
UPTAKE = ("ai", "rpa", "telework")
#: The 32-procedure counts of the 比較 files (numerator, denominator).
ONLINE32 = ("online32_online", "online32_offered")
