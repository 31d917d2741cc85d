"""PDF documents (WeasyPrint) rendered from HTML templates in the reader's language.

The templates extend ``documents/_print.html``: A4 pages with a running
header (event and document title) and footer (page x of y, date of
printing).  Fonts come from fontconfig: DejaVu Sans for Latin script and
Noto Sans CJK SC (Debian ``fonts-noto-cjk``) for Chinese, so German and
Chinese texts appear side by side.
"""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qiao.core.i18n import normalize_ui_language


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
    return f'"{escaped}"'


def page_counter_css() -> str:
    """CSS ``content`` for "Page x of y" in the active language."""
    marker = "\x00"
    label = _("Page %(page)s of %(pages)s") % {"page": marker + "p", "pages": marker + "n"}
    parts = []
    for index, chunk in enumerate(label.split(marker)):
        if index:
            counter, chunk = chunk[0], chunk[1:]
            parts.append("counter(page)" if counter == "p" else "counter(pages)")
        if chunk:
            parts.append(css_string(chunk))
    return " ".join(parts)


def _zone(name: str | None) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def render_html(template: str, context: dict, language: str, tz: str | None = None) -> str:
    """The HTML of a printed document in ``language`` and the reader's time zone ``tz``."""
    language = normalize_ui_language(language)
    with translation.override(language), timezone.override(_zone(tz)):
        full = {"language": language, "page_counter": page_counter_css(),
                "printed_at": timezone.now(), **context}
        return render_to_string(template, full)


def render_pdf(template: str, context: dict, language: str, tz: str | None = None) -> bytes:
    """A PDF of ``template`` rendered in ``language`` with times in the zone ``tz``."""
    from weasyprint import HTML  # imported here: loading WeasyPrint takes a moment

    html = render_html(template, context, language, tz)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
