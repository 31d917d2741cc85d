"""Time-zone choices for forms: real places only, the usual ones first, with UTC offsets."""

from __future__ import annotations

import zoneinfo
from functools import lru_cache

from django.conf import settings
from django.utils import timezone
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
