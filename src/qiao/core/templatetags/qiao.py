"""Template helpers: per-language texts, names of countries/languages, dual time zones."""

from __future__ import annotations

import datetime
import zoneinfo

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from qiao.core.choices import content_language_name, country_name
from qiao.core.i18n import translated
from qiao.core.timezones import times_shown_in, utc_offset
from qiao.core.timezones import zone_name as _zone_name
from qiao.matching.text import detect_language

register = template.Library()


@register.filter
def tr(value) -> str:
    """Show the version of a per-language text in the active UI language."""
    return translated(value)


@register.filter
def country(code) -> str:
    """Localised country name for an ISO code."""
    return country_name(code)


@register.filter
def langname(code) -> str:
    """Localised language name for an ISO 639-1 code."""
    return content_language_name(code)


@register.filter
def langnames(codes) -> str:
    """Comma-separated localised language names."""
    separator = pgettext("list separator", ", ")
    return separator.join(content_language_name(c) for c in codes or [])


@register.filter
def written_in(text) -> str:
    """The language a participant's free text is written in (ISO 639-1), "" if unclear.

    Lets a reader see at once that a message is in German or Chinese, and lets the
    browser pick the right fonts (``lang`` attribute)."""
    code = detect_language(str(text or ""))
    return "" if code == "und" else code


@register.simple_tag
def lang_badge(code):
    """A small label telling readers which language a participant's text is written in."""
    if not code:
        return ""
    return format_html(
        '<span class="lang-badge" title="{}" lang="{}">{}</span>',
        _("Written in %(language)s") % {"language": content_language_name(code)},
        code,
        content_language_name(code),
    )


def _zone_label(tz: zoneinfo.ZoneInfo, value) -> str:
    """The UTC offset in force at ``value`` ("UTC+2", "UTC+8", "UTC+5:30")."""
    return utc_offset(tz, value)


@register.simple_tag
def times_shown_in_note() -> str:
    """The footer note on the active time zone ("Times are shown in Berlin time (UTC+2).")."""
    return times_shown_in(timezone.get_current_timezone())


@register.simple_tag
def zone_name(tz, at=None) -> str:
    """A zone by its name in the reader's language with its UTC offset ("Berlin time (UTC+2)").

    ``tz`` is a zone identifier or a zone; the offset is the one in force at ``at`` — a
    moment, or a day (its noon in that zone; an event's day, since summer time may differ
    from today's) — and now without ``at``.
    """
    zone = zoneinfo.ZoneInfo(tz) if isinstance(tz, str) else tz
    if isinstance(at, datetime.date) and not isinstance(at, datetime.datetime):
        at = datetime.datetime.combine(at, datetime.time(12), tzinfo=zone)
    return _zone_name(zone, at)


@register.simple_tag
def offsets_differ(tz_a, tz_b, at) -> bool:
    """Whether two zones (identifiers or zones) have different UTC offsets at the moment
    ``at`` (a datetime, or a date: its noon).

    Readers in Vienna and an event in Berlin share their clock, so a second time would only
    repeat the first; the zone IDs differ all the same. An empty zone (a reader without
    one) differs from none. Use: ``{% offsets_differ recipient.timezone event.timezone
    slot.starts_at as differs %}``.
    """
    if not tz_a or not tz_b or at is None:
        return False
    if not isinstance(at, datetime.datetime):  # a day: compare at its noon (UTC)
        at = datetime.datetime.combine(at, datetime.time(12), tzinfo=datetime.UTC)
    zone_a = zoneinfo.ZoneInfo(tz_a) if isinstance(tz_a, str) else tz_a
    zone_b = zoneinfo.ZoneInfo(tz_b) if isinstance(tz_b, str) else tz_b
    return at.astimezone(zone_a).utcoffset() != at.astimezone(zone_b).utcoffset()


@register.simple_tag
def local_time(value, fmt: str = "DATETIME_FORMAT"):
    """Show a moment in the viewer's time zone with that zone's UTC offset ("10:30 UTC+2").

    For times that belong to no event (a profile's submission, an introduction without an
    event). ``fmt`` is a Django format name (``DATETIME_FORMAT`` …).
    """
    if value is None:
        return ""
    viewer_tz = timezone.get_current_timezone()
    return format_html(
        '<time datetime="{}">{} <abbr class="tz">{}</abbr></time>',
        value.isoformat(), formats.date_format(value.astimezone(viewer_tz), fmt),
        _zone_label(viewer_tz, value),
    )


@register.simple_tag(takes_context=True)
def dual_time(context, value, event_timezone: str, fmt: str = "DATETIME_FORMAT"):
    """Show a moment in the event's time zone, and in the viewer's zone too where they differ.

    ``fmt`` is a Django format name (``TIME_FORMAT``, ``DATETIME_FORMAT`` …). Without an
    event zone (``None`` or ``""``: no event) the moment is shown in the viewer's zone alone,
    as ``local_time`` does.
    """
    if value is None:
        return ""
    if not event_timezone:
        return local_time(value, fmt)
    event_tz = zoneinfo.ZoneInfo(event_timezone)
    viewer_tz = timezone.get_current_timezone()
    local = value.astimezone(event_tz)
    main = format_html(
        '<time datetime="{}">{} <abbr class="tz">{}</abbr></time>',
        value.isoformat(), formats.date_format(local, fmt), _zone_label(event_tz, value),
    )
    viewer = value.astimezone(viewer_tz)
    if viewer.utcoffset() == local.utcoffset():
        return main
    return format_html(
        '{} <span class="viewer-time">({} {} <abbr class="tz">{}</abbr>)</span>',
        main, _("your time:"), formats.date_format(viewer, fmt), _zone_label(viewer_tz, value),
    )


@register.filter
def weekday_date(value) -> str:
    """A day with its weekday, ordered as the reader's language wants it.

    "Donnerstag, 12. Juni 2031" in German, "2031年6月12日 星期四" in Chinese.
    """
    if not value:
        return ""
    return _("%(weekday)s, %(date)s") % {
        "weekday": formats.date_format(value, "l"),
        "date": formats.date_format(value, "DATE_FORMAT"),
    }
