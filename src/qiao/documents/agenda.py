"""A participant's personal agenda: their scheduled meetings and the event's programme.

:func:`participant_agenda` collects everything the agenda page, the PDF and
the calendar file show, in a few queries.  Meetings appear only once the
organisers have published the agenda (or when the caller asks for the draft).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from qiao.events.models import ProgrammeItem
from qiao.meetings.models import Meeting, MeetingStatus
from qiao.meetings.placement import meeting_languages
from qiao.meetings.slots import settings_for
from qiao.profiles.models import CooperationProfile

#: The moment from which calendar SEQUENCE numbers count (seconds); see ``sequence_of``.
SEQUENCE_EPOCH = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)


def sequence_of(meeting) -> int:
    """The iCalendar SEQUENCE of ``meeting``: grows whenever the meeting is changed.

    Nothing extra is stored: every move (new slot, table or interpreter) saves
    the meeting, which advances ``updated_at``; the number of seconds since
    2020 therefore only grows and stays within a 32-bit integer until 2088.
    """
    stamp = meeting.updated_at or meeting.created_at
    if stamp is None:
        return 0
    return max(0, int((stamp - SEQUENCE_EPOCH).total_seconds()))


@dataclass
class AgendaMeeting:
    """One scheduled meeting as seen from one participant."""

    meeting: Meeting
    partner: object  # the other side's Registration
    profiles: list[CooperationProfile]
    own_languages: set[str]
    partner_languages: set[str]

    @property
    def starts_at(self) -> datetime.datetime:
        """Start of the meeting's slot (aware)."""
        return self.meeting.slot.starts_at

    @property
    def ends_at(self) -> datetime.datetime:
        """End of the meeting's slot (aware)."""
        return self.meeting.slot.ends_at

    @property
    def partner_organization(self):
        """The organisation met."""
        return self.partner.organization

    @property
    def interpreter(self):
        """The interpreter of the meeting, or None."""
        return self.meeting.interpreter

    @property
    def sequence(self) -> int:
        """The iCalendar SEQUENCE of the meeting."""
        return sequence_of(self.meeting)


@dataclass
class Agenda:
    """Everything a participant's agenda shows."""

    event: object
    registration: object
    published: bool
    meetings: list[AgendaMeeting] = field(default_factory=list)
    unscheduled: int = 0
    programme: list[ProgrammeItem] = field(default_factory=list)

    @property
    def organization(self):
        """The participant's organisation."""
        return self.registration.organization

    @property
    def days(self) -> list[tuple[datetime.date, list]]:
        """Meetings and programme items per day of the event, in time order.

        Each entry is ``(date, items)`` where an item is ``("meeting", AgendaMeeting)``
        or ``("programme", ProgrammeItem)``; dates are in the event's time zone.
        """
        tz = self.event.tzinfo
        items = [(m.starts_at, 1, "meeting", m) for m in self.meetings]
        items += [(p.starts_at, 0, "programme", p) for p in self.programme]
        items.sort(key=lambda entry: (entry[0], entry[1]))
        out: dict[datetime.date, list] = {}
        for starts_at, _order, kind, item in items:
            out.setdefault(starts_at.astimezone(tz).date(), []).append((kind, item))
        return list(out.items())


def published_profiles(organization_ids) -> dict[int, list[CooperationProfile]]:
    """Organisation id -> its published cooperation profiles (newest first)."""
    out: dict[int, list[CooperationProfile]] = {}
    for profile in (CooperationProfile.objects.published()
                    .filter(organization__in=set(organization_ids))
                    .order_by("organization_id", "-published_at", "pk")):
        out.setdefault(profile.organization_id, []).append(profile)
    return out


def scheduled_meetings(event):
    """The event's scheduled meetings with everything the documents show."""
    return (Meeting.objects.filter(event=event, status=MeetingStatus.SCHEDULED,
                                   slot__isnull=False)
            .select_related("slot", "interpreter", "request__requester__organization",
                            "request__recipient__organization")
            .order_by("slot__starts_at", "table", "pk"))


def agenda_entry(meeting, registration) -> AgendaMeeting:
    """``meeting`` as seen from ``registration`` (partner, their profiles, languages)."""
    partner = meeting.other_side(registration)
    return AgendaMeeting(
        meeting=meeting, partner=partner,
        profiles=published_profiles([partner.organization_id]).get(partner.organization_id, []),
        own_languages=meeting_languages(registration), partner_languages=meeting_languages(partner),
    )


def participant_agenda(registration, include_draft: bool = False) -> Agenda:
    """The agenda of ``registration``: its scheduled meetings and the event's programme.

    Meetings are listed only when the agenda is published (or ``include_draft``);
    ``unscheduled`` counts accepted meetings that have no slot yet.
    """
    event = registration.event
    published = settings_for(event).agenda_is_published
    agenda = Agenda(event=event, registration=registration, published=published,
                    programme=list(ProgrammeItem.objects.filter(event=event)
                                   .order_by("starts_at", "pk")))
    mine = Q(request__requester=registration) | Q(request__recipient=registration)
    if not (published or include_draft):
        return agenda
    meetings = list(scheduled_meetings(event).filter(mine))
    agenda.unscheduled = (Meeting.objects.filter(event=event, status=MeetingStatus.UNSCHEDULED)
                          .filter(mine).count())
    partners = [m.other_side(registration) for m in meetings]
    profiles = published_profiles(p.organization_id for p in partners)
    own = meeting_languages(registration)
    for meeting, partner in zip(meetings, partners, strict=True):
        agenda.meetings.append(AgendaMeeting(
            meeting=meeting, partner=partner,
            profiles=profiles.get(partner.organization_id, []),
            own_languages=own, partner_languages=meeting_languages(partner),
        ))
    return agenda
