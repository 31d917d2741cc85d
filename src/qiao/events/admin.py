"""Admin of events, their organisers, programme, sponsors and registrations."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from qiao.core.i18n import translated
from qiao.events import services
from qiao.events.models import (
    Event,
    EventOrganizer,
    ProgrammeItem,
    Registration,
    RegistrationStatus,
    Sponsor,
)


class EventOrganizerInline(admin.TabularInline):
    """The event's organisers; one is the lead."""

    model = EventOrganizer
    extra = 0
    autocomplete_fields = ["organizer"]


class ProgrammeItemInline(admin.StackedInline):
    """The programme (times are stored in UTC and shown in the admin's time zone)."""

    model = ProgrammeItem
    extra = 0


class SponsorInline(admin.TabularInline):
    """Sponsors of a delegation trip."""

    model = Sponsor
    extra = 0


class RegistrationInline(admin.TabularInline):
    """Registered organisations (decisions are made on the registrations page)."""

    model = Registration
    extra = 0
    fields = ("organization", "status", "attendance", "created_at")
    readonly_fields = ("organization", "status", "created_at")
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        """Organisations register themselves."""
        return False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Matchmaking days, conferences and delegation trips."""

    list_display = ("slug", "display_name", "kind", "start_date", "end_date", "city", "country",
                    "is_public", "pending", "approved")
    list_filter = ("kind", "is_public", "country", "organizers", "timezone")
    search_fields = ("slug", "name", "venue", "city")
    date_hierarchy = "start_date"
    readonly_fields = ("created_at",)
    inlines = [EventOrganizerInline, ProgrammeItemInline, SponsorInline, RegistrationInline]

    def get_queryset(self, request):
        """Count registrations per status in the same query."""
        return super().get_queryset(request).annotate(
            _pending=Count("registrations",
                           filter=Q(registrations__status=RegistrationStatus.PENDING)),
            _approved=Count("registrations",
                            filter=Q(registrations__status=RegistrationStatus.APPROVED)),
        )

    @admin.display(description=_("name"))
    def display_name(self, obj):
        """Name in the admin's language."""
        return translated(obj.name)

    @admin.display(description=_("awaiting approval"), ordering="_pending")
    def pending(self, obj):
        """Registrations awaiting approval."""
        return obj._pending

    @admin.display(description=_("approved"), ordering="_approved")
    def approved(self, obj):
        """Approved registrations."""
        return obj._approved


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Registrations of organisations for events."""

    list_display = ("organization", "event", "status", "attendance", "created_at", "decided_at")
    list_filter = ("status", "attendance", "event", "organization__country")
    search_fields = ("organization__name", "organization__name_latin",
                     "organization__search_index", "representatives", "registered_by__email",
                     "event__slug")
    autocomplete_fields = ["event", "organization", "registered_by"]
    list_select_related = ("organization", "event")
    readonly_fields = ("created_at", "decided_at", "decided_by")
    actions = ["approve_selected"]

    @admin.action(description=_("Approve the selected registrations"))
    def approve_selected(self, request, queryset):
        """Approve each selected registration through the registration service."""
        done, failed = 0, []
        for registration in queryset.select_related("organization", "event"):
            try:
                services.approve_registration(registration, request.user)
            except ValidationError as error:
                failed.append(f"{registration}: {' '.join(error.messages)}")
            else:
                done += 1
        if done:
            self.message_user(request, ngettext(
                "%(n)d registration was approved.", "%(n)d registrations were approved.", done
            ) % {"n": done}, messages.SUCCESS)
        for text in failed:
            self.message_user(request, text, messages.ERROR)


@admin.register(ProgrammeItem)
class ProgrammeItemAdmin(admin.ModelAdmin):
    """Programme items of all events."""

    list_display = ("__str__", "event", "kind", "starts_at", "ends_at", "speaker")
    list_filter = ("kind", "event")
    search_fields = ("title", "speaker", "speaker_affiliation", "event__slug")
    list_select_related = ("event",)
    autocomplete_fields = ["event"]


@admin.register(Sponsor)
class SponsorAdmin(admin.ModelAdmin):
    """Sponsors of all events."""

    list_display = ("__str__", "event", "position")
    list_filter = ("event",)
    search_fields = ("name", "funds", "event__slug")
    list_select_related = ("event",)
    autocomplete_fields = ["event"]


@admin.register(EventOrganizer)
class EventOrganizerAdmin(admin.ModelAdmin):
    """Which organisers run which events."""

    list_display = ("event", "organizer", "is_lead")
    list_filter = ("is_lead", "organizer")
    search_fields = ("event__slug", "organizer__slug")
    list_select_related = ("event", "organizer")
    autocomplete_fields = ["event", "organizer"]
