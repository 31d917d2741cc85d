"""Signed-in participants: the dashboard, their organisation's data, event registrations.

Every view needs a login; objects of other organisations answer 404 through
:func:`qiao.core.access.require`.  Changes go through the domain services.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qiao.core.access import organizations_for, require
from qiao.events import services as event_services
from qiao.events.forms import RegistrationForm, registration_initial
from qiao.events.models import Event, Registration, RegistrationStatus
from qiao.organizations.models import Organization
from qiao.organizations.services import update_organization
from qiao.portal.forms_participant import OrganizationForm
from qiao.profiles.models import CooperationProfile, ProfileStatus

#: Fields that make an organisation's entry complete, with their labels.
COMPLETENESS_FIELDS = (
    "name_latin", "region", "city", "address", "website", "email", "phone", "employees",
    "founded", "languages", "sectors", "description", "logo",
)
#: Days before the end of validity from which the dashboard suggests renewing.
RENEWAL_WARNING_DAYS = 30


@dataclass
class Completeness:
    """How much of an organisation's entry is filled in."""

    percent: int
    missing: list[str] = field(default_factory=list)


def completeness(organization: Organization) -> Completeness:
    """Share of the optional organisation fields that are filled in, and the missing ones."""
    missing = []
    for name in COMPLETENESS_FIELDS:
        value = getattr(organization, name)
        if value in (None, "", [], {}) or (name == "logo" and not value):
            missing.append(str(Organization._meta.get_field(name).verbose_name))
    if organization.country == "CN" and not organization.uscc:
        missing.append(str(Organization._meta.get_field("uscc").verbose_name))
    total = len(COMPLETENESS_FIELDS) + (1 if organization.country == "CN" else 0)
    percent = round(100 * (total - len(missing)) / total)
    return Completeness(percent=percent, missing=missing)


@dataclass
class NextStep:
    """A suggestion on the dashboard: a sentence and an optional link."""

    text: str
    url: str = ""
    link_text: str = ""


def _profile_steps(profiles, today) -> list[NextStep]:
    steps = []
    for profile in profiles:
        url = reverse("portal:my_profile", args=[profile.pk])
        title = profile.title
        if profile.status == ProfileStatus.DRAFT:
            steps.append(NextStep(
                _("Your profile “%(title)s” is a draft. Submit it for review when it is "
                  "ready.") % {"title": title}, url, _("Open the draft")))
        elif profile.status == ProfileStatus.SUBMITTED:
            steps.append(NextStep(
                _("Your profile “%(title)s” awaits review by the office.") % {"title": title}))
        elif profile.status == ProfileStatus.REJECTED:
            steps.append(NextStep(
                _("The office returned your profile “%(title)s”. Please edit it and submit it "
                  "again.") % {"title": title}, url, _("See the reason")))
        elif profile.status == ProfileStatus.EXPIRED:
            steps.append(NextStep(
                _("Your profile “%(title)s” has expired and is no longer shown. Renew it if it "
                  "is still current.") % {"title": title}, url, _("Renew")))
        elif profile.valid_until and profile.valid_until <= today + datetime.timedelta(
            days=RENEWAL_WARNING_DAYS
        ):
            steps.append(NextStep(
                _("Your profile “%(title)s” expires soon. Renew it to keep it visible.")
                % {"title": title}, url, _("Renew")))
    return steps


def _next_steps(entries, profiles, registrations, open_events, today) -> list[NextStep]:
    steps = []
    for entry in entries:
        if entry.completeness.percent < 100:
            steps.append(NextStep(
                _("Complete the data of %(org)s so partners can judge it: %(percent)d%% are "
                  "filled in.") % {"org": entry.organization.name,
                                    "percent": entry.completeness.percent},
                reverse("portal:organization_edit", args=[entry.organization.pk]),
                _("Edit the organisation")))
        if not entry.profiles:
            steps.append(NextStep(
                _("%(org)s has no cooperation profile yet. Describe what it offers or seeks.")
                % {"org": entry.organization.name},
                reverse("portal:profile_create", args=[entry.organization.pk]),
                _("Write a profile")))
    steps.extend(_profile_steps(profiles, today))
    for registration in registrations:
        if registration.status == RegistrationStatus.PENDING:
            steps.append(NextStep(
                _("The registration for %(event)s awaits the organiser's approval.")
                % {"event": registration.event.display_name}))
    for item in open_events:
        if item.can_register:
            steps.append(NextStep(
                _("Registration is open for %(event)s.") % {"event": item.event.display_name},
                reverse("portal:event_register", args=[item.event.slug]), _("Register")))
    return steps


@dataclass
class OrganizationEntry:
    """One of the user's organisations with its profiles and how complete it is."""

    organization: Organization
    completeness: Completeness
    profiles: list
    can_edit: bool


@dataclass
class OpenEvent:
    """An upcoming event and whether (and why not) the user can register for it."""

    event: Event
    can_register: bool
    reason: str = ""


def _open_events(user, organizations, today) -> list[OpenEvent]:
    org_ids = {o.pk for o in organizations}
    registered = {}
    for event_id, org_id in Registration.objects.filter(
        organization_id__in=org_ids, status__in=event_services.ACTIVE
    ).values_list("event_id", "organization_id"):
        registered.setdefault(event_id, set()).add(org_id)
    result = []
    events = Event.objects.filter(end_date__gte=today).order_by("start_date", "slug")
    for event in events:
        if not user.has_perm("events.view_event", event):
            continue
        if org_ids and registered.get(event.pk, set()) >= org_ids:
            continue  # every organisation of the user is registered already
        reason = event_services.registration_closed_reason(event)
        if reason is None and event_services.is_full(event):
            reason = _("This event is fully booked.")
        can = reason is None and bool(org_ids) and user.has_perm("events.register")
        result.append(OpenEvent(event=event, can_register=can, reason=str(reason or "")))
    return result


@login_required
def dashboard(request):
    """My Qiao: organisations, profiles, registrations, open events and next steps."""
    user = request.user
    today = timezone.localdate()
    organizations = list(
        organizations_for(user).prefetch_related(
            Prefetch("profiles", queryset=CooperationProfile.objects.order_by("-updated_at"))
        )
    )
    entries = [
        OrganizationEntry(
            organization=org, completeness=completeness(org), profiles=list(org.profiles.all()),
            can_edit=user.has_perm("organizations.change_organization", org),
        )
        for org in organizations
    ]
    profiles = [p for entry in entries for p in entry.profiles]
    registrations = list(
        Registration.objects.filter(organization__in=organizations)
        .select_related("event", "organization").order_by("-event__start_date", "id")
    )
    for registration in registrations:
        registration.is_upcoming = registration.event.end_date >= today
        registration.can_cancel = registration.is_upcoming and (
            registration.status in event_services.ACTIVE
        ) and user.has_perm("events.cancel_registration", registration)
    open_events = _open_events(user, organizations, today)
    return render(request, "portal/participant/dashboard.html", {
        "entries": entries,
        "registrations": registrations,
        "open_events": open_events,
        "next_steps": _next_steps(entries, profiles, registrations, open_events, today),
        "today": today,
    })


@login_required
def organization_edit(request, pk):
    """Edit an organisation's data; only its representatives (and administrators) may."""
    organization = get_object_or_404(Organization, pk=pk)
    require(request.user, "organizations.change_organization", organization)
    if request.method == "POST":
        form = OrganizationForm(
            request.POST, request.FILES, instance=Organization.objects.get(pk=pk)
        )
        if form.is_valid():
            data = dict(form.cleaned_data)
            if "logo" not in request.FILES and data.get("logo") is not False:
                data.pop("logo", None)
            try:
                update_organization(organization, request.user, **data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The organisation's data has been saved."))
                return redirect("portal:dashboard")
    else:
        form = OrganizationForm(instance=organization)
    return render(request, "portal/participant/organization_form.html", {
        "form": form, "organization": organization,
        "completeness": completeness(organization),
    })


def _add_errors(form, exc: ValidationError) -> None:
    """Show a service's validation error on the matching form field (or the whole form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def event_register(request, slug):
    """Register one of the user's organisations for an event."""
    event = get_object_or_404(Event, slug=slug)
    require(request.user, "events.view_event", event)
    require(request.user, "events.register")
    registered = Registration.objects.filter(
        event=event, status__in=event_services.ACTIVE
    ).values("organization")
    organizations = organizations_for(request.user).exclude(pk__in=registered)
    closed = event_services.registration_closed_reason(event)
    if closed is None and event_services.is_full(event):
        closed = _("This event is fully booked.")
    form = None
    if closed is None and organizations.exists():
        form = RegistrationForm(
            request.POST or None, event=event, organizations=organizations,
            initial={"languages": _initial_languages(request.user, event)},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                event_services.register_organization(
                    event, data["organization"], request.user,
                    representatives=data["representatives"], languages=data["languages"],
                    attendance=data["attendance"], message=data["message"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _(
                    "Thank you. Your registration has been sent to the organiser, who will "
                    "confirm it by email."))
                return redirect("portal:dashboard")
    return render(request, "portal/participant/event_register.html", {
        "event": event, "form": form, "closed_reason": closed,
        "all_registered": closed is None and form is None,
    })


def _initial_languages(user, event) -> list[str]:
    """Suggest the user's spoken languages that the event offers."""
    spoken = [str(code).split("-")[0].lower() for code in (user.languages or [])]
    offered = event.languages or spoken
    return [code for code in spoken if code in offered]


@login_required
def registration_edit(request, pk):
    """Change the details of one of the user's organisation's registrations."""
    registration = get_object_or_404(
        Registration.objects.select_related("event", "organization"), pk=pk
    )
    require(request.user, "events.cancel_registration", registration)
    event = registration.event
    if registration.status not in event_services.ACTIVE or event.end_date < timezone.localdate():
        messages.warning(request, _("This registration can no longer be changed."))
        return redirect("portal:dashboard")
    form = RegistrationForm(
        request.POST or None, event=event, initial=registration_initial(registration)
    )
    if request.method == "POST" and form.is_valid():
        try:
            event_services.update_registration(registration, request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The registration has been updated and the organiser "
                                        "has been informed."))
            return redirect("portal:dashboard")
    return render(request, "portal/participant/registration_edit.html", {
        "event": event, "registration": registration, "form": form,
    })


@login_required
@require_POST
def registration_cancel(request, pk):
    """Cancel one of the user's organisation's registrations."""
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=pk)
    require(request.user, "events.cancel_registration", registration)
    try:
        event_services.cancel_registration(registration, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The registration for %(event)s has been cancelled.")
                         % {"event": registration.event.display_name})
    return redirect("portal:dashboard")
