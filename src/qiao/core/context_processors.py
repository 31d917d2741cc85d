"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings


def qiao(request) -> dict:
    """Languages for the switcher and the viewer's roles for the navigation."""
    user = getattr(request, "user", None)
    is_staff = bool(user and user.is_authenticated and user.staff_memberships.exists())
    return {
        "ui_languages": settings.LANGUAGES,
        "viewer_is_organizer_staff": is_staff or bool(user and user.is_superuser),
        "qiao_mode": settings.MODE,
    }
