"""Views shared by all areas."""

from __future__ import annotations

from django.conf import settings
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from qiao.core.i18n import UI_LANGUAGES


@require_POST
def set_language(request):
    """Switch the UI language and remember it as the signed-in user's preference."""
    response = django_set_language(request)
    language = request.POST.get("language")
    user = request.user
    if language in UI_LANGUAGES and user.is_authenticated and user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    if language in UI_LANGUAGES:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax",
            max_age=settings.LANGUAGE_COOKIE_AGE,
        )
    return response
