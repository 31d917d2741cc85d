"""Admin of organisers and their staff."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from qiao.core.i18n import translated
from qiao.organizers.models import Organizer, StaffMembership


class StaffMembershipInline(admin.TabularInline):
    """The organiser's staff."""

    model = StaffMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organizer)
class OrganizerAdmin(admin.ModelAdmin):
    """Organisers: contact office, clusters, innovation centres."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    list_display = ("slug", "display_name", "city", "country", "timezone", "staff_count")
    list_filter = ("country", "timezone")
    search_fields = ("slug", "name", "city", "email")
    inlines = [StaffMembershipInline]

    def get_queryset(self, request):
        """Count the staff in the same query."""
        return super().get_queryset(request).annotate(_staff_count=Count("memberships"))

    @admin.display(description=_("name"))
    def display_name(self, obj):
        """Name in the admin's language."""
        return translated(obj.name)

    @admin.display(description=_("staff"), ordering="_staff_count")
    def staff_count(self, obj):
        """Number of staff members."""
        return obj._staff_count


@admin.register(StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin):
    """Who works in which organiser's back office."""

    list_display = ("user", "organizer", "role")
    list_filter = ("role", "organizer")
    search_fields = ("user__email", "user__name", "user__name_latin", "organizer__slug")
    autocomplete_fields = ["user", "organizer"]
    list_select_related = ("user", "organizer")
