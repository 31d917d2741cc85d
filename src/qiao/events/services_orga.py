"""Back-office changes to events: event data, co-organisers, programme and sponsors.

The organisers' back office calls these functions; they are the only code that
saves events, their organiser links, programme items and sponsors on behalf of
staff.  Each function checks that ``by`` may manage the event (else
``PermissionDenied``) and validates the data with the model's rules (else
``ValidationError``) before anything is written.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from qiao.events.models import Event, EventOrganizer, ProgrammeItem, Sponsor

logger = logging.getLogger("qiao.events")

#: Event fields staff may set in the back office.
EVENT_FIELDS = (
    "slug", "kind", "name", "description", "venue", "address", "city", "country", "timezone",
    "start_date", "end_date", "languages", "registration_opens", "registration_closes",
    "capacity", "is_public", "allows_meeting_requests",
)
#: Programme item fields staff may set.
PROGRAMME_FIELDS = (
    "kind", "starts_at", "ends_at", "title", "description", "speaker", "speaker_affiliation",
)
#: Sponsor fields staff may set.
SPONSOR_FIELDS = ("name", "funds", "position")


def _uid(user) -> int | None:
    return getattr(user, "pk", None)


def _only(fields: dict, allowed: tuple[str, ...]) -> dict:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"Fields not allowed here: {', '.join(sorted(unknown))}")
    return fields


def _check_manager(by, event) -> None:
    if not (by and by.has_perm("events.manage_event", event)):
        raise PermissionDenied


def _check_organizer(by, organizer) -> None:
    if not (by and by.has_perm("orga.access_organizer", organizer)):
        raise PermissionDenied


#: Slugs that would clash with the back office's own addresses.
RESERVED_SLUGS = {"new"}


def _validate_event(event: Event) -> None:
    if event.slug in RESERVED_SLUGS:
        raise ValidationError(
            {"slug": _("This short name is reserved; choose another one.")}, code="reserved"
        )
    event.full_clean()
    opens, closes = event.registration_opens, event.registration_closes
    if opens and closes and closes <= opens:
        raise ValidationError(
            {"registration_closes": _("Registration must close after it opens.")},
            code="invalid",
        )


def _sync_co_organizers(event: Event, co_organizers) -> None:
    """Make ``co_organizers`` the event's non-lead organisers (the lead stays)."""
    lead_ids = set(
        event.organizer_links.filter(is_lead=True).values_list("organizer_id", flat=True)
    )
    wanted = {o.pk for o in co_organizers} - lead_ids
    event.organizer_links.filter(is_lead=False).exclude(organizer_id__in=wanted).delete()
    existing = set(event.organizer_links.values_list("organizer_id", flat=True))
    EventOrganizer.objects.bulk_create(
        EventOrganizer(event=event, organizer_id=pk, is_lead=False)
        for pk in sorted(wanted - existing)
    )


def create_event(organizer, by, co_organizers=(), **fields) -> Event:
    """Create an event led by ``organizer``; ``co_organizers`` join it as co-organisers."""
    _check_organizer(by, organizer)
    fields = _only(fields, EVENT_FIELDS)
    event = Event(**fields)
    _validate_event(event)
    with transaction.atomic():
        event.save()
        EventOrganizer.objects.create(event=event, organizer=organizer, is_lead=True)
        _sync_co_organizers(event, co_organizers)
    logger.info("event %s created by user %s for organiser %s", event.pk, _uid(by), organizer.pk)
    return event


def update_event(event, by, co_organizers=None, **fields) -> Event:
    """Change an event's data; with ``co_organizers`` also replace its co-organisers."""
    _check_manager(by, event)
    fields = _only(fields, EVENT_FIELDS)
    with transaction.atomic():
        current = Event.objects.select_for_update().get(pk=event.pk)
        for key, value in fields.items():
            setattr(current, key, value)
        _validate_event(current)
        current.save()
        if co_organizers is not None:
            _sync_co_organizers(current, co_organizers)
    for field in Event._meta.concrete_fields:
        setattr(event, field.attname, getattr(current, field.attname))
    logger.info("event %s updated by user %s", event.pk, _uid(by))
    return event


def save_programme_item(event, by, item: ProgrammeItem | None = None, **fields) -> ProgrammeItem:
    """Add a programme item to ``event`` or change ``item`` (which must belong to it)."""
    _check_manager(by, event)
    fields = _only(fields, PROGRAMME_FIELDS)
    if item is None:
        item = ProgrammeItem(event=event)
    elif item.event_id != event.pk:
        raise PermissionDenied
    for key, value in fields.items():
        setattr(item, key, value)
    if item.starts_at and item.ends_at and item.ends_at <= item.starts_at:
        raise ValidationError({"ends_at": _("The item must end after it starts.")}, code="invalid")
    item.full_clean(exclude=["event"])
    with transaction.atomic():
        item.save()
    logger.info("programme item %s of event %s saved by user %s", item.pk, event.pk, _uid(by))
    return item


def delete_programme_item(item: ProgrammeItem, by) -> None:
    """Remove a programme item."""
    _check_manager(by, item.event)
    pk, event_id = item.pk, item.event_id
    with transaction.atomic():
        item.delete()
    logger.info("programme item %s of event %s deleted by user %s", pk, event_id, _uid(by))


def save_sponsor(event, by, sponsor: Sponsor | None = None, **fields) -> Sponsor:
    """Add a sponsor to ``event`` or change ``sponsor`` (which must belong to it)."""
    _check_manager(by, event)
    fields = _only(fields, SPONSOR_FIELDS)
    if sponsor is None:
        sponsor = Sponsor(event=event)
        if "position" not in fields:
            last = event.sponsors.order_by("-position").values_list("position", flat=True).first()
            sponsor.position = (last or 0) + 1
    elif sponsor.event_id != event.pk:
        raise PermissionDenied
    for key, value in fields.items():
        setattr(sponsor, key, value)
    sponsor.full_clean(exclude=["event"])
    with transaction.atomic():
        sponsor.save()
    logger.info("sponsor %s of event %s saved by user %s", sponsor.pk, event.pk, _uid(by))
    return sponsor


def delete_sponsor(sponsor: Sponsor, by) -> None:
    """Remove a sponsor from its event."""
    _check_manager(by, sponsor.event)
    pk, event_id = sponsor.pk, sponsor.event_id
    with transaction.atomic():
        sponsor.delete()
    logger.info("sponsor %s of event %s deleted by user %s", pk, event_id, _uid(by))
