"""Organisers' matchmaking configuration: settings, sessions, interpreters, phases, publication.

Every change is one function that validates, writes in a transaction with the
rows it depends on locked, and logs without personal data.  Changes to the
slot grid (meeting length, pauses, sessions, tables) regenerate the slots with
:func:`qiao.meetings.slots.generate_slots` — and are refused, with nothing
changed, if the new grid would drop a slot that holds a meeting or a table a
meeting sits at; such meetings must be moved or unplaced first.

Publishing the agenda (``publish_agenda``) tells every approved participant in
their own language that their agenda is ready.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qiao.core.errors import TransitionError
from qiao.core.i18n import translated
from qiao.core.validators import validate_language_list
from qiao.events.models import RegistrationStatus
from qiao.meetings.models import (
    Interpreter,
    MatchmakingSettings,
    Meeting,
    MeetingSeat,
    MeetingStatus,
    Phase,
    Session,
    Slot,
)
from qiao.meetings.slots import SlotChanges, generate_slots, planned_slots

logger = logging.getLogger("qiao.meetings")

#: Settings an organiser may change with ``save_matchmaking_settings``.
SETTINGS_FIELDS = (
    "slot_minutes", "pause_minutes", "default_tables", "remote_meetings", "video_link_template",
    "max_requests_sent", "max_meetings",
)
#: Fields whose change reshapes the slot grid.
GRID_FIELDS = {"slot_minutes", "pause_minutes", "default_tables"}
#: Longest session (a session lies within one day).
MAX_SESSION = datetime.timedelta(hours=24)

#: Phase changes an organiser may make with ``change_phase`` (publication has its own service).
PHASE_TRANSITIONS: dict[str, set[str]] = {
    Phase.REQUESTS_OPEN: {Phase.SCHEDULING, Phase.CLOSED},
    Phase.SCHEDULING: {Phase.REQUESTS_OPEN, Phase.CLOSED},
    Phase.PUBLISHED: {Phase.LIVE, Phase.SCHEDULING, Phase.CLOSED},
    Phase.LIVE: {Phase.PUBLISHED, Phase.CLOSED},
    Phase.CLOSED: {Phase.LIVE},
}


def _uid(user) -> int | None:
    return getattr(user, "pk", None)


def _locked_settings(event) -> MatchmakingSettings:
    MatchmakingSettings.objects.get_or_create(event=event)
    config = MatchmakingSettings.objects.select_for_update().get(event=event)
    event._matchmaking_cache = config
    return config


# Slot grid -------------------------------------------------------------------------------


def grid_conflicts(event) -> list[Meeting]:
    """Scheduled meetings the event's current sessions and settings would leave without a place.

    A meeting conflicts when no planned slot starts at its slot's start, or
    when its table is beyond the planned slot's tables.
    """
    planned = {start: tables for start, _end, tables, _session in planned_slots(event)}
    out = []
    for meeting in (Meeting.objects.filter(event=event, status=MeetingStatus.SCHEDULED)
                    .select_related("slot").order_by("slot__starts_at", "table")):
        tables = planned.get(meeting.slot.starts_at)
        if tables is None or (meeting.table is not None and meeting.table > tables):
            out.append(meeting)
    return out


def _covered_sessions(event) -> dict[int, set[int]]:
    """Interpreter id -> sessions in every slot of which the interpreter is available."""
    slots_of: dict[int, set[int]] = {}
    for slot_id, session_id in Slot.objects.filter(event=event, session__isnull=False) \
            .values_list("pk", "session_id"):
        slots_of.setdefault(session_id, set()).add(slot_id)
    available: dict[int, set[int]] = {}
    for interpreter_id, slot_id in Interpreter.available_slots.through.objects.filter(
            interpreter__event=event).values_list("interpreter_id", "slot_id"):
        available.setdefault(interpreter_id, set()).add(slot_id)
    return {i: {session for session, ids in slots_of.items() if ids <= chosen}
            for i, chosen in available.items()}


def _regenerate(event) -> SlotChanges:
    """Regenerate the slots inside the caller's transaction, refusing to strand meetings.

    Interpreters available for a whole session stay available for the whole
    session, including slots the change adds to it.
    """
    stranded = grid_conflicts(event)
    if stranded:
        raise TransitionError(
            _("%(count)d scheduled meetings would lose their slot or table with this change. "
              "Move or unplace them first.") % {"count": len(stranded)},
            code="stranded",
        )
    covered = _covered_sessions(event)
    changes = generate_slots(event)
    through = Interpreter.available_slots.through
    for interpreter_id, sessions in covered.items():
        if not sessions:
            continue
        have = set(through.objects.filter(interpreter_id=interpreter_id)
                   .values_list("slot_id", flat=True))
        through.objects.bulk_create([
            through(interpreter_id=interpreter_id, slot_id=slot_id)
            for slot_id in Slot.objects.filter(session__in=sessions).values_list("pk", flat=True)
            if slot_id not in have
        ])
    return changes


def _clean_video_template(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    sample = (value.replace("{event}", "event").replace("{meeting}", "1")
              .replace("{token}", "token"))
    from django.core.validators import URLValidator

    try:
        URLValidator(schemes=["https"])(sample)
    except ValidationError as exc:
        raise ValidationError(
            {"video_link_template": _("Enter an https:// address; {event}, {meeting} and "
                                      "{token} may be used in it.")}, code="invalid",
        ) from exc
    if len(value) > 500:
        raise ValidationError({"video_link_template": _("At most 500 characters.")},
                              code="max_length")
    return value


def save_matchmaking_settings(event, by, **values) -> SlotChanges:
    """Change the event's matchmaking settings; a changed grid regenerates the slots.

    ``values`` are fields of ``SETTINGS_FIELDS``.  Meeting length 5–240
    minutes, pause 0–120, tables 0–2000; online meetings need no template,
    but a template must be an https address.  Refused (nothing changes) when
    the new grid would drop a slot or table that holds a meeting.
    """
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"unknown settings: {sorted(unknown)}")
    errors = {}
    ranges = {"slot_minutes": (5, 240), "pause_minutes": (0, 120), "default_tables": (0, 2000)}
    for name, (low, high) in ranges.items():
        if name in values and not (isinstance(values[name], int) and low <= values[name] <= high):
            errors[name] = _("Enter a number from %(low)d to %(high)d.") % {"low": low,
                                                                             "high": high}
    for name in ("max_requests_sent", "max_meetings"):
        value = values.get(name)
        if value is not None and not (isinstance(value, int) and 1 <= value <= 10000):
            errors[name] = _("Enter a number from 1 to 10000, or leave the field empty.")
    if errors:
        raise ValidationError(errors, code="invalid")
    if "video_link_template" in values:
        values["video_link_template"] = _clean_video_template(values["video_link_template"])
    try:
        with transaction.atomic():
            config = _locked_settings(event)
            changed = [name for name, value in values.items() if getattr(config, name) != value]
            for name in changed:
                setattr(config, name, values[name])
            config.save()
            changes = _regenerate(event) if GRID_FIELDS & set(changed) else SlotChanges()
    except ValidationError:
        event.__dict__.pop("_matchmaking_cache", None)  # it holds the refused values
        raise
    logger.info("matchmaking settings of event %s changed by user %s: %s", event.pk, _uid(by),
                sorted(changed))
    return changes


def _event_bounds(event) -> tuple[datetime.datetime, datetime.datetime]:
    tz = event.tzinfo
    first = datetime.datetime.combine(event.start_date, datetime.time(0), tzinfo=tz)
    last = datetime.datetime.combine(event.end_date + datetime.timedelta(days=1),
                                     datetime.time(0), tzinfo=tz)
    return first, last


def _check_session(event, session_pk, starts_at, ends_at, tables) -> None:
    errors = {}
    if ends_at <= starts_at:
        errors["ends_at"] = _("The session must end after it starts.")
    elif ends_at - starts_at > MAX_SESSION:
        errors["ends_at"] = _("A session lasts at most 24 hours.")
    first, last = _event_bounds(event)
    if not (first <= starts_at and ends_at <= last):
        errors["starts_at"] = _("The session must lie within the days of the event "
                                "(%(start)s to %(end)s).") % {
            "start": event.start_date.isoformat(), "end": event.end_date.isoformat()}
    if tables is not None and not (isinstance(tables, int) and 0 <= tables <= 2000):
        errors["tables"] = _("Enter a number from 0 to 2000, or leave the field empty.")
    if errors:
        raise ValidationError(errors, code="invalid")
    overlapping = (Session.objects.filter(event=event, starts_at__lt=ends_at,
                                          ends_at__gt=starts_at).exclude(pk=session_pk).first())
    if overlapping is not None:
        raise ValidationError(
            {"starts_at": _("The session overlaps the session “%(name)s”.")
             % {"name": translated(overlapping.name) or overlapping.pk}}, code="overlap",
        )


def save_session(event, by, *, name: dict, starts_at, ends_at, tables: int | None = None,
                 session: Session | None = None) -> tuple[Session, SlotChanges]:
    """Create or change a meeting session and regenerate the slots; return both.

    The session must lie within the event's days, last at most a day, hold at
    least one slot of the event's meeting length and overlap no other
    session.  ``tables`` empty means the event's default.  Refused when the
    new grid would drop a slot or table that holds a meeting.
    """
    if not isinstance(name, dict) or not any((v or "").strip() for v in name.values()):
        raise ValidationError({"name": _("Enter the name in at least one language.")},
                              code="required")
    with transaction.atomic():
        config = _locked_settings(event)  # one grid change per event at a time
        if session is not None:
            session = Session.objects.select_for_update().get(pk=session.pk, event=event)
        _check_session(event, getattr(session, "pk", None), starts_at, ends_at, tables)
        if starts_at + datetime.timedelta(minutes=config.slot_minutes) > ends_at:
            raise ValidationError(
                {"ends_at": _("The session is shorter than one meeting (%(minutes)d minutes).")
                 % {"minutes": config.slot_minutes}}, code="too_short",
            )
        if session is None:
            session = Session(event=event)
        session.name = {k: v.strip() for k, v in name.items() if (v or "").strip()}
        session.starts_at, session.ends_at, session.tables = starts_at, ends_at, tables
        session.save()
        changes = _regenerate(event)
    logger.info("meeting session %s of event %s saved by user %s (%s)", session.pk, event.pk,
                _uid(by), changes)
    return session, changes


def delete_session(session, by) -> SlotChanges:
    """Remove a session and its slots; refused while one of its slots holds a meeting."""
    event = session.event
    with transaction.atomic():
        _locked_settings(event)
        current = Session.objects.select_for_update().get(pk=session.pk)
        if Meeting.objects.filter(slot__session=current,
                                  status=MeetingStatus.SCHEDULED).exists():
            raise TransitionError(
                _("Meetings are scheduled in this session. Move or unplace them first."),
                code="booked",
            )
        current.delete()
        changes = _regenerate(event)
    logger.info("meeting session %s of event %s deleted by user %s", session.pk, event.pk,
                _uid(by))
    return changes


# Interpreters ----------------------------------------------------------------------------


def save_interpreter(event, by, *, name: str, languages: list[str], slots: Iterable,
                     email: str = "", interpreter: Interpreter | None = None) -> Interpreter:
    """Create or change an interpreter: name, languages (at least two) and available slots.

    ``slots`` are slots (or their ids) of the event.  Slots in which the
    interpreter already serves a meeting must stay available.
    """
    name = (name or "").strip()
    languages = sorted(set(languages or []))
    errors = {}
    if not name:
        errors["name"] = _("Enter the interpreter's name.")
    elif len(name) > 200:
        errors["name"] = _("At most 200 characters.")
    try:
        validate_language_list(languages)
    except ValidationError:
        errors["languages"] = _("Choose known languages.")
    if len(languages) < 2 and "languages" not in errors:
        errors["languages"] = _("An interpreter needs at least two languages.")
    email = (email or "").strip()
    if email:
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Enter a valid email address.")
    slot_ids = {int(getattr(s, "pk", s)) for s in slots or ()}
    found = set(Slot.objects.filter(event=event, pk__in=slot_ids).values_list("pk", flat=True))
    if found != slot_ids:
        errors["slots"] = _("Choose slots of this event.")
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        if interpreter is None:
            interpreter = Interpreter(event=event)
        else:
            interpreter = Interpreter.objects.select_for_update().get(pk=interpreter.pk,
                                                                      event=event)
            busy = MeetingSeat.objects.filter(interpreter=interpreter).select_related(
                "meeting__request__requester__organization",
                "meeting__request__recipient__organization")
            if any(seat.slot_id not in slot_ids for seat in busy):
                raise ValidationError(
                    {"slots": _("The interpreter serves meetings in slots you removed. "
                                "Move or unplace those meetings first.")}, code="booked",
                )
            from qiao.meetings.placement import meeting_languages

            for seat in busy:
                req = seat.meeting.request
                if not (set(languages) & meeting_languages(req.requester)
                        and set(languages) & meeting_languages(req.recipient)):
                    raise ValidationError(
                        {"languages": _("The interpreter serves meetings that need the "
                                        "languages you removed.")}, code="booked",
                    )
        interpreter.name, interpreter.email, interpreter.languages = name, email, languages
        interpreter.save()
        interpreter.available_slots.set(sorted(slot_ids))
    logger.info("interpreter %s of event %s saved by user %s (%d slots)", interpreter.pk,
                event.pk, _uid(by), len(slot_ids))
    return interpreter


def delete_interpreter(interpreter, by) -> None:
    """Remove an interpreter; refused while they serve a scheduled meeting."""
    with transaction.atomic():
        current = Interpreter.objects.select_for_update().get(pk=interpreter.pk)
        if Meeting.objects.filter(interpreter=current, status=MeetingStatus.SCHEDULED).exists():
            raise TransitionError(
                _("The interpreter serves scheduled meetings. Move or unplace them first."),
                code="booked",
            )
        current.delete()
    logger.info("interpreter %s deleted by user %s", interpreter.pk, _uid(by))


# Phases and publication ------------------------------------------------------------------


def change_phase(event, by, phase: str) -> MatchmakingSettings:
    """Move the event's matchmaking to ``phase`` along ``PHASE_TRANSITIONS``.

    Publishing goes through :func:`publish_agenda`, which also tells the participants.
    """
    if phase == Phase.PUBLISHED:
        with transaction.atomic():
            config = _locked_settings(event)
            if config.phase == Phase.LIVE:
                config.phase = Phase.PUBLISHED
                config.save(update_fields=["phase", "updated_at"])
                logger.info("matchmaking of event %s back to published by user %s", event.pk,
                            _uid(by))
                return config
        return publish_agenda(event, by)
    if phase not in Phase.values:
        raise ValidationError({"phase": _("Unknown phase.")}, code="invalid")
    with transaction.atomic():
        config = _locked_settings(event)
        if phase not in PHASE_TRANSITIONS.get(config.phase, set()):
            raise TransitionError(
                _("The matchmaking cannot go from “%(current)s” to “%(target)s”.")
                % {"current": config.get_phase_display(), "target": Phase(phase).label},
                code="transition",
            )
        former = config.phase
        config.phase = phase
        config.save(update_fields=["phase", "updated_at"])
    logger.info("matchmaking of event %s: phase %s -> %s by user %s", event.pk, former, phase,
                _uid(by))
    return config


def publish_agenda(event, by) -> MatchmakingSettings:
    """Publish the agenda: participants see their meetings; each one is told by mail.

    Allowed while requests are open or the agenda is being scheduled.  From
    now on newly accepted requests are placed at once and cancellations free
    their slots.  Every representative of an approved registration gets the
    agenda mail of :mod:`qiao.documents.notify` after commit: their meetings,
    the personal PDF and the calendar feed, in their language.
    """
    with transaction.atomic():
        config = _locked_settings(event)
        if config.phase not in (Phase.REQUESTS_OPEN, Phase.SCHEDULING):
            raise TransitionError(_("The agenda has already been published."),
                                  code="transition")
        if not Slot.objects.filter(event=event).exists():
            raise TransitionError(_("The event has no meeting slots yet."), code="no_slots")
        config.phase = Phase.PUBLISHED
        config.agenda_published_at = timezone.now()
        config.save(update_fields=["phase", "agenda_published_at", "updated_at"])
        from qiao.documents.notify import send_agenda_published

        mailed = send_agenda_published(event)
    logger.info("agenda of event %s published by user %s (%d mails)", event.pk, _uid(by),
                mailed)
    return config


def open_meetings(event):
    """The event's accepted, not cancelled meetings of approved participants."""
    return (Meeting.objects.filter(event=event)
            .exclude(status=MeetingStatus.CANCELLED)
            .filter(Q(request__requester__status=RegistrationStatus.APPROVED)
                    & Q(request__recipient__status=RegistrationStatus.APPROVED)))
