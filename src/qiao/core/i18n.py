"""Texts that carry one version per UI language (organiser-written content).

Organiser texts such as event names are stored as a JSON object
``{"de": "...", "en": "...", "zh-hans": "..."}``.  Participant texts are not:
they keep their original language and are labelled with it.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

UI_LANGUAGES = [code for code, _name in settings.LANGUAGES]

# ISO 639-1 content language → UI language code.
CONTENT_TO_UI = {"de": "de", "en": "en", "zh": "zh-hans"}


def normalize_ui_language(code: str | None) -> str:
    """Map any language code (``zh``, ``zh-CN``, ``de-DE``) to one of the UI languages."""
    if not code:
        return settings.LANGUAGE_CODE
    code = code.lower().replace("_", "-")
    if code.startswith("zh"):
        return "zh-hans"
    base = code.split("-")[0]
    return base if base in UI_LANGUAGES else settings.LANGUAGE_CODE


def translated(value, language: str | None = None) -> str:
    """Return the version of a per-language text for ``language`` (default: the active one).

    Falls back to English, then German, then Chinese, then any non-empty version,
    so a page never shows an empty name because one translation is missing.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    lang = normalize_ui_language(language or translation.get_language())
    for code in (lang, "en", "de", "zh-hans", *value.keys()):
        text = value.get(code)
        if text:
            return text
    return ""


def language_name(code: str | None) -> str:
    """Return the localised name of a content language (ISO 639-1), e.g. ``zh`` → "Chinesisch"."""
    from qiao.core.choices import content_language_name

    return content_language_name(code)
