"""Enumerations shared by the domain apps, with translated labels.

The codes are those of the ``qiao-exchange/1`` format; country and language
names come localised from pycountry's ISO catalogues.
"""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    COMPANY = "company", _("Company")
    RESEARCH = "research", _("Research institute")
    UNIVERSITY = "university", _("University")
    CLUSTER = "cluster", _("Cluster or association")
    PUBLIC = "public", _("Public body")
    CULTURE = "culture", _("Cultural institution")
    OTHER = "other", _("Other")


class Direction(models.TextChoices):
    OFFER = "offer", _("Offer")
    REQUEST = "request", _("Request")


class Topic(models.TextChoices):
    BUSINESS = "business", _("Business")
    TECHNOLOGY = "technology", _("Technology")
    RESEARCH = "research", _("Research")
    INVESTMENT = "investment", _("Investment")
    SITE = "site", _("Site and settlement")


class CooperationType(models.TextChoices):
    DISTRIBUTION = "distribution", _("Distribution")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    LICENSING = "licensing", _("Licensing")
    JOINT_VENTURE = "joint_venture", _("Joint venture")
    RESEARCH = "research", _("Research cooperation")
    INVESTMENT = "investment", _("Investment")
    SERVICES = "services", _("Services")
    SUPPLY = "supply", _("Supply")
    SITE_LOCATION = "site_location", _("Site location")


class CompanySize(models.TextChoices):
    MICRO = "micro", _("1–9 employees")
    SMALL = "small", _("10–49 employees")
    MEDIUM = "medium", _("50–249 employees")
    LARGE = "large", _("250 or more employees")


# Content languages offered in forms (ISO 639-1); any valid code is accepted on import.
CONTENT_LANGUAGES = ["de", "zh", "en", "fr", "it", "es", "pl", "cs", "ru", "ja", "ko"]

_GETTEXT_LOCALE = {"de": "de", "en": "en", "zh-hans": "zh_CN"}


@lru_cache(maxsize=8)
def _catalogue(domain: str, ui_language: str):
    """Load one of pycountry's gettext catalogues for a UI language (cached)."""
    locale = _GETTEXT_LOCALE.get(ui_language, "en")
    return gettext.translation(
        domain, pycountry.LOCALES_DIR, languages=[locale], fallback=True
    )


def _ui_lang() -> str:
    from qiao.core.i18n import normalize_ui_language

    return normalize_ui_language(translation.get_language())


def country_name(code: str | None) -> str:
    """Return the localised name of an ISO 3166-1 alpha-2 country code (the code if unknown)."""
    if not code:
        return ""
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    return _catalogue("iso3166-1", _ui_lang()).gettext(name)


# Where everyday business usage differs from the iso-codes catalogue's name.
LANGUAGE_NAME_USAGE = {
    ("zh-hans", "ko"): "韩语",  # iso-codes: 朝鲜语 (the North Korean / academic name)
}


def content_language_name(code: str | None) -> str:
    """Return the localised name of an ISO 639-1 language code (the code if unknown)."""
    if not code:
        return ""
    language = pycountry.languages.get(alpha_2=code.lower())
    if language is None:
        return code
    ui = _ui_lang()
    if (ui, code.lower()) in LANGUAGE_NAME_USAGE:
        return LANGUAGE_NAME_USAGE[(ui, code.lower())]
    name = _catalogue("iso639-3", ui).gettext(language.name)
    # Some catalogues list alternatives ("中文; 汉语; 华语"): show the first.
    return name.split(";")[0].strip()


def country_choices() -> list[tuple[str, str]]:
    """All countries as form choices, localised, Germany and China first."""
    codes = sorted(c.alpha_2 for c in pycountry.countries)
    first = ["DE", "CN"]
    rest = sorted((c for c in codes if c not in first), key=lambda c: country_name(c))
    return [(c, country_name(c)) for c in first + rest]


def content_language_choices() -> list[tuple[str, str]]:
    """Content languages as form choices, localised."""
    return [(c, content_language_name(c)) for c in CONTENT_LANGUAGES]


def is_country(code: str) -> bool:
    """Tell whether ``code`` is an ISO 3166-1 alpha-2 country code."""
    return bool(code) and pycountry.countries.get(alpha_2=code.upper()) is not None


def is_language(code: str) -> bool:
    """Tell whether ``code`` is an ISO 639-1 language code."""
    return bool(code) and pycountry.languages.get(alpha_2=code.lower()) is not None
