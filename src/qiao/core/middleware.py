"""Apply the signed-in user's preferred language and time zone to each request."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.utils import timezone

TIMEZONE_COOKIE = "qiao_timezone"


class UserPreferencesMiddleware:
    """Activate the viewer's time zone; let the preferred UI language pick un-prefixed URLs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        tz_name = None
        if user is not None and user.is_authenticated:
            tz_name = user.timezone
            if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
                request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = user.preferred_language
        else:
            tz_name = request.COOKIES.get(TIMEZONE_COOKIE)
        try:
            timezone.activate(zoneinfo.ZoneInfo(tz_name or settings.TIME_ZONE))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.activate(zoneinfo.ZoneInfo(settings.TIME_ZONE))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
