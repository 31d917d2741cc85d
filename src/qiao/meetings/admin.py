"""Admin of meeting requests and scheduled meetings."""

from __future__ import annotations

from django.contrib import admin
from django.db import models

from qiao.meetings.models import Meeting, MeetingRequest


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    """Requests for 1:1 meetings between participants of an event."""

    list_display = ("__str__", "event", "status", "priority", "created_at", "answered_at")
    list_filter = ("status", "event")
    search_fields = ("requester__organization__name", "requester__organization__search_index",
                     "recipient__organization__name", "recipient__organization__search_index",
                     "message")
    list_select_related = ("event", "requester__organization", "recipient__organization")
    raw_id_fields = ("requester", "recipient")
    readonly_fields = ("created_at", "answered_at")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    """Meetings placed by the scheduler (or by hand), at a table or online."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    list_display = ("__str__", "event", "starts_at", "table", "is_remote", "is_locked")
    list_filter = ("event", "is_remote", "is_locked")
    search_fields = ("request__requester__organization__name",
                     "request__recipient__organization__name",
                     "request__requester__organization__search_index",
                     "request__recipient__organization__search_index")
    list_select_related = ("event", "request__requester__organization",
                           "request__recipient__organization")
    raw_id_fields = ("request",)
    readonly_fields = ("created_at",)
