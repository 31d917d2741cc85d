"""Participants' matchmaking pages: participation (availability), participant list, requests.

Every page needs a login and an approved registration for the event that the
user represents (else 404).  A user representing several registered
organisations chooses one with ``?as=<registration id>``.  Changes go
through :mod:`qiao.meetings.services`.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from qiao.core.access import require
from qiao.events import services as event_services
from qiao.events.models import Attendance, Event, Registration, RegistrationStatus
from qiao.meetings import services
from qiao.meetings.models import AvailabilityMode, Slot
from qiao.meetings.slots import event_days
from qiao.portal.forms_meetings import AvailabilityForm, MeetingRequestForm, ParticipantFilterForm
from qiao.portal.queries import viewer_time_differs
from qiao.portal.queries_meetings import (
    chosen_registration,
    filter_participants,
    participant_countries,
    participant_queryset,
    relations,
    search_participants,
)

PER_PAGE = 20


def add_errors(form, exc: ValidationError) -> None:
    """Show a service's validation error on the matching form field (or the whole form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def acting_registration(request, slug):
    """(event, registration, all of the user's registrations) for a matchmaking page; or 404."""
    event = get_object_or_404(Event, slug=slug)
    wanted = request.POST.get("as") or request.GET.get("as")
    registration, regs = chosen_registration(event, request.user, wanted)
    require(request.user, "meetings.participate", registration)
    return event, registration, regs


def with_as(url: str, registration, regs) -> str:
    """``url`` with the acting registration when the user has several."""
    if len(regs) > 1:
        return f"{url}?{urlencode({'as': registration.pk})}"
    return url


def _availability_initial(registration, user) -> dict:
    rule = getattr(registration, "availability_rule", None)
    remote = registration.attendance == Attendance.REMOTE
    initial = {
        "attendance": registration.attendance,
        "mode": AvailabilityMode.WHOLE_EVENT,
        "timezone": (user.timezone if remote and user.timezone else registration.event.timezone),
    }
    if rule is not None:
        initial.update({
            "mode": rule.mode, "days": rule.days, "start_time": rule.start_time,
            "end_time": rule.end_time, "timezone": rule.timezone or initial["timezone"],
        })
    return initial


def _save_attendance(registration, user, attendance) -> None:
    if attendance == registration.attendance:
        return
    event_services.update_registration(
        registration, user, representatives=registration.representatives,
        languages=registration.languages, attendance=attendance, message=registration.message,
    )


def _event_noon(event) -> datetime.datetime:
    """Midday of the event's first day: the moment whose UTC offsets the time-zone list shows."""
    return datetime.datetime.combine(event.start_date, datetime.time(12), tzinfo=event.tzinfo)


@login_required
def event_participation(request, slug):
    """How the participant takes part (in person or online) and when they can meet."""
    event, registration, regs = acting_registration(request, slug)
    config = services.settings_for(event)
    registration = Registration.objects.select_related(
        "event", "organization", "availability_rule"
    ).get(pk=registration.pk)
    form = AvailabilityForm(
        request.POST or None, days=event_days(event), remote_allowed=config.remote_meetings,
        at=_event_noon(event), initial=_availability_initial(registration, request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _save_attendance(registration, request.user, data["attendance"])
            slots = services.set_availability(
                registration, request.user, data["mode"], days=data["days"],
                start_time=data["start_time"], end_time=data["end_time"],
                timezone=data["timezone"] or event.timezone,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if Slot.objects.filter(event=event).exists():
                messages.success(request, _(
                    "Your availability has been saved: %(count)d meeting slots fit.")
                    % {"count": len(slots)})
            else:
                messages.success(request, _(
                    "Your availability has been saved. It is applied as soon as the organiser "
                    "sets up the meeting slots."))
            url = reverse("portal:event_participation", args=[event.slug])
            return redirect(with_as(url, registration, regs))
    available = services.availability_map(event, [registration.pk]).get(registration.pk, set())
    slots = list(Slot.objects.filter(event=event).order_by("starts_at"))
    for slot in slots:
        slot.is_available = slot.pk in available
        slot.local_day = slot.starts_at.astimezone(event.tzinfo).date()
    return render(request, "portal/meetings/participation.html", {
        "event": event, "registration": registration, "registrations": regs, "form": form,
        "config": config, "slots": slots, "available_count": len(available),
        "user_tz": _safe_tz(request.user.timezone),
        "viewer_time_differs": viewer_time_differs(event),
    })


def _safe_tz(name):
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


@login_required
def event_participants(request, slug):
    """The event's other participants with their published profiles, filters and search."""
    event, registration, regs = acting_registration(request, slug)
    config = services.settings_for(event)
    form = ParticipantFilterForm(request.GET or None,
                                 countries=participant_countries(event))
    queryset = participant_queryset(event, exclude=registration)
    filters = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
        queryset = filter_participants(
            queryset, **{k: v for k, v in filters.items() if k != "q"}
        )
        queryset = search_participants(queryset, filters.get("q", ""))
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    relation_of = relations(registration)
    for other in page:
        other.relation = relation_of.get(other.pk)
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(request, "portal/meetings/participants.html", {
        "event": event, "registration": registration, "registrations": regs, "form": form,
        "page": page, "is_filtered": bool(filters), "query_string": urlencode(query),
        "can_request": event.allows_meeting_requests and config.accepts_requests,
        "config": config,
    })


@login_required
def meeting_request_new(request, slug, pk):
    """Ask another participant of the event for a meeting."""
    event, registration, regs = acting_registration(request, slug)
    other = get_object_or_404(
        Registration.objects.select_related("organization"), pk=pk, event=event,
        status=RegistrationStatus.APPROVED,
    )
    if other.pk == registration.pk:
        raise Http404
    config = services.settings_for(event)
    meetings_url = with_as(reverse("portal:event_meetings", args=[event.slug]), registration,
                           regs)
    form = MeetingRequestForm(request.POST or None, remote_allowed=config.remote_meetings)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.send_meeting_request(
                event, registration, other, request.user, message=data["message"],
                priority=data["priority"], wants_remote=data.get("wants_remote", False),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _(
                "Your request has been sent to %(org)s. You will be told by email when they "
                "answer.") % {"org": other.organization.display_name})
            return redirect(meetings_url)
    profiles = other.organization.profiles.published().order_by("-published_at")
    return render(request, "portal/meetings/request_new.html", {
        "event": event, "registration": registration, "registrations": regs, "other": other,
        "profiles": profiles, "form": form, "relation": relations(registration).get(other.pk),
        "can_request": event.allows_meeting_requests and config.accepts_requests,
        "meetings_url": meetings_url,
    })

