"""Fixtures of the document tests: a published Dresden matchmaking day with three meetings.

* Elbtal Sensorik (DE, in person, German/English; its user reads English)
  meets 济南华康生物 (CN, online from Jinan, Chinese only; its user reads
  Chinese and lives in Asia/Shanghai) at 10:00 CEST online with an interpreter;
* Elbtal meets Saxonia Medizintechnik (DE, in person) at 10:30 at table 3;
* Saxonia meets 济南华康 at 11:00 at table 1 with the interpreter.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from factories import (
    EventFactory,
    InterpreterFactory,
    MatchmakingSettingsFactory,
    MeetingFactory,
    MembershipFactory,
    OrganizationFactory,
    OrganizerFactory,
    ProgrammeItemFactory,
    PublishedProfileFactory,
    RegistrationFactory,
    SlotFactory,
    StaffMembershipFactory,
    event_time,
)

CHINESE_ORG = "济南华康生物科技有限公司"


def participant(event, name, *, country="DE", languages=("de", "en"), attendance="in_person",
                user_language="en", user_tz="Europe/Berlin", **org):
    """An approved registration of a new organisation; ``.user`` is its representative."""
    organization = OrganizationFactory(name=name, country=country, languages=list(languages),
                                       **org)
    membership = MembershipFactory(organization=organization,
                                   user__preferred_language=user_language,
                                   user__timezone=user_tz)
    registration = RegistrationFactory(event=event, organization=organization, status="approved",
                                       languages=list(languages), attendance=attendance)
    registration.user = membership.user
    return registration


def scheduled(event, requester, recipient, slot, *, table=None, remote_link="",
              interpreter=None):
    """A scheduled meeting (at ``table`` or, without one, online)."""
    return MeetingFactory(
        request__event=event, request__requester=requester, request__recipient=recipient,
        status="scheduled", slot=slot, table=table, is_remote=table is None,
        remote_link=remote_link, interpreter=interpreter,
    )


@pytest.fixture
def world(db):
    """The published event, its participants, meetings, interpreter and staff."""
    organizer = OrganizerFactory(slug="jinan-dresden")
    event = EventFactory(
        slug="dresden-2031", organizers=[organizer], allows_meeting_requests=True,
        timezone="Europe/Berlin", start_date=datetime.date(2031, 6, 12),
        end_date=datetime.date(2031, 6, 12), venue="Internationales Congress Center Dresden",
        address="Ostra-Ufer 2", city="Dresden",
        name={"en": "Dresden Matchmaking 2031", "de": "Kooperationsbörse Dresden 2031",
              "zh-hans": "2031德累斯顿对接会"},
    )
    MatchmakingSettingsFactory(event=event, phase="published", default_tables=4)
    slots = [SlotFactory(event=event, starts_at=event_time(event, 10, m),
                         ends_at=event_time(event, 10, m) + datetime.timedelta(minutes=25),
                         tables=4)
             for m in (0, 30)]
    slots.append(SlotFactory(event=event, starts_at=event_time(event, 11),
                             ends_at=event_time(event, 11, 25), tables=4))
    elbtal = participant(event, "Elbtal Sensorik GmbH")
    saxonia = participant(event, "Saxonia Medizintechnik GmbH", user_language="de")
    jinan = participant(event, CHINESE_ORG, country="CN", languages=("zh",),
                        attendance="remote", user_language="zh-hans", user_tz="Asia/Shanghai",
                        name_latin="Jinan Huakang Biotech", city="Jinan")
    PublishedProfileFactory(organization=jinan.organization, title="寻找德国医疗器械合作伙伴",
                            language="zh")
    PublishedProfileFactory(organization=saxonia.organization,
                            title="Vertriebspartner für Ultraschallsonden in China gesucht",
                            language="de")
    interpreter = InterpreterFactory(event=event, name="Li Na", languages=["de", "zh", "en"])
    online = scheduled(event, elbtal, jinan, slots[0], remote_link="https://meet.example.org/q-1",
                       interpreter=interpreter)
    table = scheduled(event, elbtal, saxonia, slots[1], table=3)
    third = scheduled(event, saxonia, jinan, slots[2], table=1, interpreter=interpreter)
    ProgrammeItemFactory(event=event, starts_at=event_time(event, 9),
                         ends_at=event_time(event, 9, 45), speaker="Dr. Wang Lei")
    staff = StaffMembershipFactory(organizer=organizer).user
    other_staff = StaffMembershipFactory(organizer=OrganizerFactory(slug="elsewhere")).user
    return SimpleNamespace(
        event=event, organizer=organizer, slots=slots, elbtal=elbtal, saxonia=saxonia,
        jinan=jinan, interpreter=interpreter, online=online, table=table, third=third,
        staff=staff, other_staff=other_staff,
    )
