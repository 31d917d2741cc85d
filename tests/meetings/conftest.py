"""Fixtures of the matchmaking tests: an event with a slot grid and approved participants."""

import datetime

import pytest
from factories import (
    EventFactory,
    MatchmakingSettingsFactory,
    MembershipFactory,
    OrganizationFactory,
    RegistrationFactory,
    SessionFactory,
    event_time,
)

from qiao.meetings.services import generate_slots


@pytest.fixture
def event(db):
    """A one-day matchmaking event in Dresden in summer (CEST) with morning and afternoon."""
    event = EventFactory(allows_meeting_requests=True, timezone="Europe/Berlin",
                         start_date=datetime.date(2031, 6, 12), end_date=datetime.date(2031, 6, 12))
    MatchmakingSettingsFactory(event=event, slot_minutes=25, pause_minutes=5, default_tables=2)
    SessionFactory(event=event, starts_at=event_time(event, 9), ends_at=event_time(event, 12))
    SessionFactory(event=event, name={"en": "Afternoon"}, starts_at=event_time(event, 14),
                   ends_at=event_time(event, 16))
    generate_slots(event)
    return event


def make_participant(event, *, languages=("de", "en"), country="DE", attendance="in_person",
                     user_language="en", **org):
    """An approved registration of a new organisation with one representative (its user)."""
    organization = OrganizationFactory(country=country, languages=list(languages), **org)
    membership = MembershipFactory(organization=organization,
                                   user__preferred_language=user_language)
    registration = RegistrationFactory(event=event, organization=organization, status="approved",
                                       languages=list(languages), attendance=attendance)
    registration.user = membership.user
    return registration


@pytest.fixture
def participants(event):
    """Three approved participants: two German firms and a Chinese one."""
    return (
        make_participant(event, name="Elbtal Sensorik GmbH"),
        make_participant(event, name="Saxonia Medizintechnik GmbH", user_language="de"),
        make_participant(event, name="济南华康生物科技有限公司", country="CN",
                         languages=("zh", "en"), user_language="zh-hans", city="Jinan"),
    )
