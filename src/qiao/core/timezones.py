"""Time-zone choices for forms: real places only, the usual ones first, with UTC offsets."""

from __future__ import annotations

import zoneinfo
from functools import lru_cache

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

_AREAS = {
    "Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe",
    "Indian", "Pacific",
}


@lru_cache(maxsize=1)
def place_timezones() -> list[str]:
    """IANA zones named after a place ("Europe/Berlin"), plus UTC; no aliases such as "GB-Eire"."""
    names = {
        name for name in zoneinfo.available_timezones()
        if name.split("/")[0] in _AREAS and "/" in name
    }
    return sorted(names) + ["UTC"]


#: Names people use for the common zones (``settings.TIMEZONES``), in the reader's language.
#: Zones without an entry are shown by their IANA identifier.
ZONE_NAMES = {
    "Europe/Berlin": _("Berlin time"),
    "Asia/Shanghai": _("Beijing time"),
    "Europe/Vienna": _("Vienna time"),
    "Europe/Zurich": _("Zurich time"),
}


def utc_offset(tz: zoneinfo.ZoneInfo, value) -> str:
    """The UTC offset of ``tz`` in force at ``value`` ("UTC+2", "UTC+8", "UTC+5:30").

    Offsets are unambiguous in every language, unlike abbreviations such as
    "CST" (China or US Central).
    """
    offset = value.astimezone(tz).utcoffset()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_name(tz, at=None) -> str:
    """A zone as readers know it, with its UTC offset at ``at`` (default: now).

    "Berlin time (UTC+2)", "北京时间（UTC+8）"; zones without a name by their identifier
    ("America/Sao_Paulo (UTC-3)"); UTC as "UTC".
    """
    name = getattr(tz, "key", None) or str(tz)
    if name in ("UTC", "Etc/UTC"):
        return "UTC"
    return gettext_now("%(zone)s (%(offset)s)") % {
        "zone": ZONE_NAMES.get(name, name), "offset": utc_offset(tz, at or timezone.now()),
    }


def times_shown_in(tz, at=None) -> str:
    """The sentence telling readers which zone times are shown in, in the active language.

    A known zone by its name and its offset at ``at`` (default: now): "Times are shown in
    Berlin time (UTC+2)."; any other zone by its identifier, offset included.
    """
    name = getattr(tz, "key", None) or str(tz)
    if name in ("UTC", "Etc/UTC"):
        return gettext_now("Times are shown in UTC.")
    offset = utc_offset(tz, at or timezone.now())
    if name in ZONE_NAMES:
        return gettext_now("Times are shown in %(zone)s (%(offset)s).") % {
            "zone": ZONE_NAMES[name], "offset": offset,
        }
    return gettext_now("Times are shown in the time zone %(zone)s (%(offset)s).") % {
        "zone": name, "offset": offset,
    }


def _label(name: str, now) -> str:
    offset = now.astimezone(zoneinfo.ZoneInfo(name)).strftime("%z")
    return f"{name.replace('_', ' ')} (UTC{offset[:3]}:{offset[3:]})"


def timezone_choices(at=None) -> list:
    """Grouped form choices: the configured common zones, then every other place zone.

    The offsets are those at the moment ``at`` (default: now) — for hours on an event's day,
    the offsets of that day, since summer time may differ from today's.
    """
    now = at or timezone.now()
    common = [tz for tz in settings.TIMEZONES]
    others = [tz for tz in place_timezones() if tz not in common]
    return [
        (_("Common time zones"), [(tz, _label(tz, now)) for tz in common]),
        (_("All time zones"), [(tz, _label(tz, now)) for tz in others]),
    ]
