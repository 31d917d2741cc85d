"""A participant's agenda as an iCalendar file (RFC 5545).

One VEVENT per scheduled meeting and per programme item.  Times carry the
event's TZID, and the matching VTIMEZONE is included, so a calendar app
anywhere shows the right local time.  UIDs are stable per meeting
(``meeting-<id>.<event>@<host>``); SEQUENCE grows whenever a meeting moves
(see :func:`qiao.documents.agenda.sequence_of`).  Texts are written in the
active language.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

import icalendar
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qiao.core.choices import content_language_name, country_name
from qiao.core.i18n import translated
from qiao.core.mail import base_url

from .agenda import Agenda, AgendaMeeting

PRODID = "-//Qiao//Matchmaking agenda//EN"


def _host() -> str:
    return urlsplit(base_url()).hostname or "qiao.invalid"


def meeting_uid(meeting) -> str:
    """The stable UID of ``meeting`` in every calendar."""
    return f"meeting-{meeting.pk}.{meeting.event.slug}@{_host()}"


def programme_uid(item) -> str:
    """The stable UID of a programme item."""
    return f"programme-{item.pk}.{item.event.slug}@{_host()}"


def venue_text(event) -> str:
    """Venue, address and city of an event, comma-separated."""
    return ", ".join(part for part in (event.venue, event.address, event.city) if part)


def meeting_location(event, meeting) -> str:
    """Where a meeting takes place: table and venue, or the video link."""
    if meeting.is_remote:
        return meeting.remote_link or _("Online")
    where = _("Table %(table)s") % {"table": meeting.table}
    venue = venue_text(event)
    return f"{where}, {venue}" if venue else where


def languages_text(codes) -> str:
    """Localised names of language codes, comma-separated."""
    return ", ".join(content_language_name(c) for c in sorted(codes or []))


def meeting_description(event, entry: AgendaMeeting) -> str:
    """The text of a meeting's calendar entry: partner, their profiles, interpreter, link."""
    org = entry.partner_organization
    lines = [_("Partner: %(org)s (%(country)s)") % {
        "org": org.display_name, "country": country_name(org.country)}]
    if entry.profiles:
        lines.append(_("Cooperation profiles:"))
        lines += [f"– {p.title} [{content_language_name(p.language)}]" for p in entry.profiles]
    meeting = entry.meeting
    if meeting.interpreter:
        lines.append(_("Interpreter: %(name)s (%(languages)s)") % {
            "name": meeting.interpreter.name,
            "languages": languages_text(meeting.interpreter.languages)})
    if meeting.is_remote:
        if meeting.remote_link:
            lines.append(_("Video link: %(link)s") % {"link": meeting.remote_link})
        else:
            lines.append(_("Online meeting; the organiser will send the video link."))
    else:
        lines.append(meeting_location(event, meeting))
    return "\n".join(lines)


def _event_for_meeting(event, entry: AgendaMeeting, agenda_url: str) -> icalendar.Event:
    tz = event.tzinfo
    meeting = entry.meeting
    vevent = icalendar.Event()
    vevent.add("uid", meeting_uid(meeting))
    vevent.add("sequence", entry.sequence)
    vevent.add("dtstamp", meeting.updated_at or timezone.now())
    vevent.add("dtstart", entry.starts_at.astimezone(tz))
    vevent.add("dtend", entry.ends_at.astimezone(tz))
    vevent.add("summary", _("Meeting with %(org)s") % {
        "org": entry.partner_organization.display_name})
    vevent.add("location", meeting_location(event, meeting))
    vevent.add("description", meeting_description(event, entry))
    vevent.add("status", "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    vevent.add("categories", [_("Matchmaking meeting")])
    if meeting.is_remote and meeting.remote_link:
        vevent.add("url", meeting.remote_link)
    elif agenda_url:
        vevent.add("url", agenda_url)
    return vevent


def _event_for_item(event, item, agenda_url: str) -> icalendar.Event:
    tz = event.tzinfo
    vevent = icalendar.Event()
    vevent.add("uid", programme_uid(item))
    vevent.add("dtstamp", event.created_at or timezone.now())
    vevent.add("dtstart", item.starts_at.astimezone(tz))
    vevent.add("dtend", item.ends_at.astimezone(tz))
    vevent.add("summary", translated(item.title))
    description = [translated(item.description)]
    if item.speaker:
        speaker = item.speaker + (f", {item.speaker_affiliation}" if item.speaker_affiliation
                                  else "")
        description.insert(0, _("Speaker: %(name)s") % {"name": speaker})
    text = "\n".join(part for part in description if part)
    if text:
        vevent.add("description", text)
    if venue_text(event):
        vevent.add("location", venue_text(event))
    vevent.add("status", "CONFIRMED")
    vevent.add("transp", "TRANSPARENT")
    vevent.add("categories", [_("Programme")])
    if agenda_url:
        vevent.add("url", agenda_url)
    return vevent


def _calendar() -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    return cal


def meeting_calendar(entry: AgendaMeeting, former_slot=None) -> bytes:
    """One meeting as an ``.ics`` file, to update a calendar that imported the agenda.

    Same UID and a higher SEQUENCE than before, so calendar apps replace the
    entry.  A cancelled meeting (no slot any more) is written at its
    ``former_slot`` with ``STATUS:CANCELLED``.
    """
    meeting = entry.meeting
    event = meeting.event
    agenda_url = base_url() + reverse("portal:agenda", args=[event.slug])
    cal = _calendar()
    if meeting.slot_id:
        cal.add_component(_event_for_meeting(event, entry, agenda_url))
    elif former_slot is not None:
        tz = event.tzinfo
        vevent = icalendar.Event()
        vevent.add("uid", meeting_uid(meeting))
        vevent.add("sequence", entry.sequence)
        vevent.add("dtstamp", meeting.updated_at or timezone.now())
        vevent.add("dtstart", former_slot.starts_at.astimezone(tz))
        vevent.add("dtend", former_slot.ends_at.astimezone(tz))
        vevent.add("summary", _("Cancelled: meeting with %(org)s") % {
            "org": entry.partner_organization.display_name})
        vevent.add("status", "CANCELLED")
        vevent.add("transp", "TRANSPARENT")
        vevent.add("url", agenda_url)
        cal.add_component(vevent)
    cal.add_missing_timezones()
    return cal.to_ical()


def agenda_calendar(agenda: Agenda) -> bytes:
    """The agenda as an ``.ics`` file (UTF-8, CRLF lines), in the active language."""
    event = agenda.event
    agenda_url = base_url() + reverse("portal:agenda", args=[event.slug])
    cal = _calendar()
    name = _("%(event)s – agenda of %(org)s") % {
        "event": event.display_name, "org": agenda.organization.display_name}
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", event.timezone)
    cal.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    for item in agenda.programme:
        cal.add_component(_event_for_item(event, item, agenda_url))
    for entry in agenda.meetings:
        cal.add_component(_event_for_meeting(event, entry, agenda_url))
    cal.add_missing_timezones()
    return cal.to_ical()

