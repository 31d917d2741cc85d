"""Admin of cooperation profiles, with review actions that go through the services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from qiao.profiles import services
from qiao.profiles.models import CooperationProfile


@admin.register(CooperationProfile)
class CooperationProfileAdmin(admin.ModelAdmin):
    """Offers and requests of organisations."""

    list_display = ("title", "organization", "direction", "topic", "language", "status",
                    "submitted_at", "valid_until")
    list_filter = ("status", "direction", "topic", "language", "organization__country",
                   "organization__organizers")
    search_fields = ("title", "text", "organization__name", "organization__name_latin",
                     "organization__search_index", "external_id")
    autocomplete_fields = ["organization"]
    list_select_related = ("organization",)
    date_hierarchy = "submitted_at"
    readonly_fields = ("submitted_at", "published_at", "reviewed_by", "created_by",
                       "created_at", "updated_at")
    actions = ["approve_selected"]

    @admin.action(description=_("Publish the selected submitted profiles"))
    def approve_selected(self, request, queryset):
        """Publish each selected profile through the review service."""
        done, failed = 0, []
        for profile in queryset.select_related("organization"):
            try:
                services.approve_profile(profile, request.user)
            except ValidationError as error:
                failed.append(f"{profile.title}: {' '.join(error.messages)}")
            else:
                done += 1
        if done:
            self.message_user(request, ngettext(
                "%(n)d profile was published.", "%(n)d profiles were published.", done
            ) % {"n": done}, messages.SUCCESS)
        for text in failed:
            self.message_user(request, text, messages.ERROR)
