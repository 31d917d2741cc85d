"""Admin of matchmaking data: settings, sessions, slots, interpreters, requests, meetings, runs.

The admin is for platform administrators repairing data; organisers work in
the back office.  Meetings are shown with their seats (the double-booking
guard) read-only: placements change through the services only.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import models

from qiao.meetings.models import (
    Availability,
    AvailabilityRule,
    Interpreter,
    MatchmakingSettings,
    Meeting,
    MeetingRequest,
    MeetingSeat,
    SchedulingRun,
    Session,
    Slot,
)


@admin.register(MatchmakingSettings)
class MatchmakingSettingsAdmin(admin.ModelAdmin):
    """Slot grid, tables, phase and limits of an event's matchmaking."""

    list_display = ("event", "phase", "slot_minutes", "pause_minutes", "default_tables",
                    "remote_meetings")
    list_filter = ("phase", "remote_meetings")
    list_select_related = ("event",)
    raw_id_fields = ("event",)
    readonly_fields = ("updated_at",)


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    """Blocks of meeting slots (e.g. morning, afternoon)."""

    list_display = ("__str__", "event", "starts_at", "ends_at", "tables")
    list_filter = ("event",)
    list_select_related = ("event",)


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    """Time slots generated from the sessions."""

    list_display = ("__str__", "event", "session", "tables")
    list_filter = ("event",)
    list_select_related = ("event", "session")


@admin.register(Interpreter)
class InterpreterAdmin(admin.ModelAdmin):
    """Interpreters of an event and the slots they are available in."""

    list_display = ("name", "event", "email", "languages")
    list_filter = ("event",)
    search_fields = ("name", "email")
    list_select_related = ("event",)
    filter_horizontal = ("available_slots",)


@admin.register(AvailabilityRule)
class AvailabilityRuleAdmin(admin.ModelAdmin):
    """How participants stated their availability."""

    list_display = ("registration", "mode", "start_time", "end_time", "timezone", "updated_at")
    list_filter = ("mode",)
    list_select_related = ("registration__organization", "registration__event")
    raw_id_fields = ("registration",)


@admin.register(Availability)
class AvailabilityAdmin(admin.ModelAdmin):
    """Slots in which participants are available."""

    list_display = ("registration", "slot")
    list_filter = ("slot__event",)
    list_select_related = ("registration__organization", "registration__event", "slot")
    raw_id_fields = ("registration", "slot")


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    """Requests for 1:1 meetings between participants of an event."""

    list_display = ("__str__", "event", "status", "priority", "created_at", "answered_at")
    list_filter = ("status", "event")
    search_fields = ("requester__organization__name", "requester__organization__search_index",
                     "recipient__organization__name", "recipient__organization__search_index",
                     "message")
    list_select_related = ("event", "requester__organization", "recipient__organization")
    raw_id_fields = ("requester", "recipient", "sent_by", "answered_by")
    readonly_fields = ("created_at", "answered_at")


class MeetingSeatInline(admin.TabularInline):
    """The seats a scheduled meeting holds (read-only)."""

    model = MeetingSeat
    extra = 0
    can_delete = False
    fields = ("slot", "registration", "interpreter")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        """Seats are written by the placement services only."""
        return False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    """Meetings placed by the scheduler (or by hand), at a table or online."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    list_display = ("__str__", "event", "status", "slot", "table", "is_remote", "is_locked")
    list_filter = ("event", "status", "is_remote", "is_locked")
    search_fields = ("request__requester__organization__name",
                     "request__recipient__organization__name",
                     "request__requester__organization__search_index",
                     "request__recipient__organization__search_index")
    list_select_related = ("event", "slot", "request__requester__organization",
                           "request__recipient__organization")
    raw_id_fields = ("request", "slot", "interpreter", "cancelled_by")
    readonly_fields = ("created_at", "updated_at", "cancelled_at")
    inlines = [MeetingSeatInline]


@admin.register(SchedulingRun)
class SchedulingRunAdmin(admin.ModelAdmin):
    """Scheduler runs with their progress and results."""

    list_display = ("__str__", "event", "status", "progress", "time_limit", "created_at",
                    "finished_at", "applied_at")
    list_filter = ("status", "event")
    list_select_related = ("event",)
    raw_id_fields = ("created_by",)
    readonly_fields = ("created_at", "started_at", "finished_at", "applied_at")
