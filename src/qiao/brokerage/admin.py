"""Admin of introductions (read-mostly: changes of state go through the back office)."""

from __future__ import annotations

from django.contrib import admin

from qiao.brokerage.models import Introduction


@admin.register(Introduction)
class IntroductionAdmin(admin.ModelAdmin):
    """Introductions of all organisers, for platform administrators."""

    list_display = ("__str__", "organizer", "event", "status", "score", "created_at")
    list_filter = ("status", "organizer")
    search_fields = ("org_a__name", "org_a__name_latin", "org_b__name", "org_b__name_latin")
    date_hierarchy = "created_at"
    raw_id_fields = ("org_a", "org_b", "event", "requested_by", "proposed_by", "declined_by")
    readonly_fields = ("status", "reasons", "score", "created_at", "proposed_at", "updated_at")
