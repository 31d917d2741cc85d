"""Reading codes from what people type into spreadsheets, in German, English or Chinese.

``country_code("Deutschland")`` → ``"DE"``, ``language_codes("Deutsch, 英语")`` →
``["de", "en"]``, ``organization_kind("Hochschule")`` → ``"university"``,
``attendance("online")`` → ``"remote"``. Country and language names come from
pycountry's ISO catalogues (English, German, Simplified Chinese) plus a few
common colloquial forms; codes (``DE``, ``DEU``, ``de``, ``deu``) work too.
Every function returns None (or raises ``LookupError`` for lists) when a value
is not recognised.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from functools import lru_cache

import pycountry

from qiao.core.choices import OrganizationKind

__all__ = ["fold", "country_code", "language_codes", "organization_kind", "attendance"]

_CATALOGUE_LOCALES = ("de", "zh_CN")

_COUNTRY_ALIASES = {
    "vr china": "CN", "volksrepublik china": "CN", "pr china": "CN", "p r china": "CN",
    "prc": "CN", "people's republic of china": "CN", "中华人民共和国": "CN", "中國": "CN",
    "大陆": "CN", "中国大陆": "CN", "brd": "DE", "bundesrepublik deutschland": "DE",
    "deutschland": "DE", "germany": "DE", "德國": "DE", "uk": "GB", "england": "GB",
    "großbritannien": "GB", "grossbritannien": "GB", "usa": "US", "vereinigte staaten": "US",
    "美国": "US", "英国": "GB", "südkorea": "KR", "korea": "KR", "韩国": "KR",
    "schweiz": "CH", "瑞士": "CH", "österreich": "AT", "oesterreich": "AT", "tschechien": "CZ",
    "czechia": "CZ", "捷克": "CZ", "russland": "RU", "russia": "RU", "台湾": "TW", "taiwan": "TW",
    "香港": "HK", "hongkong": "HK", "澳门": "MO",
}  # fmt: skip

_LANGUAGE_ALIASES = {
    "chinesisch": "zh", "chinese": "zh", "mandarin": "zh", "中文": "zh", "汉语": "zh",
    "普通话": "zh", "华语": "zh", "deutsch": "de", "german": "de", "德语": "de", "德文": "de",
    "englisch": "en", "english": "en", "英语": "en", "英文": "en", "französisch": "fr",
    "法语": "fr", "russisch": "ru", "俄语": "ru", "japanisch": "ja", "日语": "ja",
    "spanisch": "es", "西班牙语": "es", "italienisch": "it", "意大利语": "it",
    "polnisch": "pl", "波兰语": "pl", "tschechisch": "cs", "捷克语": "cs", "koreanisch": "ko",
    "韩语": "ko",
}  # fmt: skip

_KIND_WORDS = {
    OrganizationKind.COMPANY: (
        "company", "firma", "unternehmen", "gmbh", "ag", "business", "enterprise", "公司",
        "企业", "企业单位",
    ),
    OrganizationKind.RESEARCH: (
        "research", "research institute", "forschung", "forschungseinrichtung",
        "forschungsinstitut", "institut", "institute", "研究所", "研究院", "科研机构", "研究机构",
    ),
    OrganizationKind.UNIVERSITY: (
        "university", "universität", "universitaet", "hochschule", "college", "fachhochschule",
        "大学", "高校", "学院",
    ),
    OrganizationKind.CLUSTER: (
        "cluster", "association", "verband", "verein", "netzwerk", "network", "kammer",
        "chamber", "cluster or association", "协会", "商会", "联盟", "产业集群", "集群",
    ),
    OrganizationKind.PUBLIC: (
        "public", "public body", "behörde", "behoerde", "verwaltung", "amt", "ministerium",
        "government", "authority", "政府", "政府机构", "政府部门", "事业单位", "机关",
    ),
    OrganizationKind.CULTURE: (
        "culture", "kultur", "kultureinrichtung", "museum", "theater", "cultural institution",
        "文化", "文化机构", "博物馆",
    ),
    OrganizationKind.OTHER: ("other", "sonstige", "sonstiges", "andere", "其他", "其它"),
}  # fmt: skip

_ATTENDANCE_WORDS = {
    "in_person": (
        "in person", "in_person", "vor ort", "präsenz", "praesenz", "persönlich", "persoenlich",
        "offline", "ja", "yes", "x", "线下", "现场", "到场", "是",
    ),
    "remote": (
        "remote", "online", "virtuell", "virtual", "digital", "video", "zoom", "线上", "远程",
        "视频", "网络",
    ),
}  # fmt: skip


def fold(text: str) -> str:
    """Compare-friendly form: NFKC, case-folded, inner whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return re.sub(r"\s+", " ", text).strip()


def _catalogue(domain: str, locale: str):
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[locale], fallback=True)


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    table: dict[str, str] = {}
    catalogues = [_catalogue("iso3166-1", locale) for locale in _CATALOGUE_LOCALES]
    for country in pycountry.countries:
        code = country.alpha_2
        names = {
            country.name,
            getattr(country, "common_name", ""),
            getattr(country, "official_name", ""),
        }
        for name in list(names):
            if name:
                names.update(c.gettext(name) for c in catalogues)
        for name in names | {code, country.alpha_3}:
            if name:
                table.setdefault(fold(name), code)
    for alias, code in _COUNTRY_ALIASES.items():
        table[fold(alias)] = code
    return table


@lru_cache(maxsize=1)
def _languages() -> dict[str, str]:
    table: dict[str, str] = {}
    catalogues = [_catalogue("iso639-3", locale) for locale in _CATALOGUE_LOCALES]
    for language in pycountry.languages:
        code = getattr(language, "alpha_2", None)
        if not code:
            continue
        names = {language.name}
        names.update(c.gettext(language.name) for c in catalogues)
        for name in list(names):
            names.update(part for part in re.split(r"[;；]", name))
        for name in names | {code, language.alpha_3}:
            if name.strip():
                table.setdefault(fold(name), code)
    for alias, code in _LANGUAGE_ALIASES.items():
        table[fold(alias)] = code
    return table


def country_code(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code for a country code or name (de/en/zh), else None."""
    return _countries().get(fold(text)) if text and text.strip() else None


def language_codes(text: str) -> list[str]:
    """ISO 639-1 codes for a list of languages, e.g. ``Deutsch; Englisch`` or ``中文、英语``.

    Raises ``LookupError`` with the unrecognised part as its argument.
    """
    codes: list[str] = []
    for part in re.split(r"[,;/|、，；+&]|\s+und\s+|\s+and\s+|\s*\n\s*", text or ""):
        part = part.strip()
        if not part:
            continue
        code = _languages().get(fold(part))
        if code is None:
            raise LookupError(part)
        if code not in codes:
            codes.append(code)
    return codes


@lru_cache(maxsize=1)
def _kinds() -> dict[str, str]:
    table = {}
    for kind, words in _KIND_WORDS.items():
        for word in (*words, kind.value):
            table[fold(word)] = kind.value
    return table


def organization_kind(text: str) -> str | None:
    """The organisation kind for a code or a common word (de/en/zh), else None."""
    return _kinds().get(fold(text)) if text and text.strip() else None


def attendance(text: str) -> str | None:
    """``in_person`` or ``remote`` for common words (de/en/zh), else None."""
    value = fold(text)
    for code, words in _ATTENDANCE_WORDS.items():
        if value in words:
            return code
    return None
