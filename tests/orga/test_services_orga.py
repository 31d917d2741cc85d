"""The back-office event services: permission checks, validation, co-organisers."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from factories import AdminFactory, EventFactory, OrganizerFactory, ProgrammeItemFactory

from qiao.events import services_orga
from qiao.events.models import Event, ProgrammeItem, Sponsor

pytestmark = pytest.mark.django_db

FIELDS = {
    "slug": "smec-2027", "kind": "delegation", "name": {"en": "SMEC 2027"},
    "timezone": "Asia/Shanghai", "start_date": datetime.date(2027, 6, 10),
    "end_date": datetime.date(2027, 6, 14), "languages": ["de", "zh"],
}


def test_create_event_requires_staff_of_the_organiser(organizer_a, staff_b):
    with pytest.raises(PermissionDenied):
        services_orga.create_event(organizer_a, staff_b, **FIELDS)
    assert not Event.objects.exists()


def test_create_event_with_co_organisers(organizer_a, organizer_b, staff_a):
    event = services_orga.create_event(organizer_a, staff_a, co_organizers=[organizer_b],
                                       **FIELDS)
    assert sorted(event.organizer_links.values_list("organizer__slug", "is_lead")) == [
        ("jinan-office", True), ("stuttgart-centre", False)]


def test_create_event_rejects_unknown_fields_and_bad_data(organizer_a, staff_a):
    with pytest.raises(ValueError):
        services_orga.create_event(organizer_a, staff_a, **FIELDS, created_at=None)
    with pytest.raises(ValidationError) as info:
        services_orga.create_event(organizer_a, staff_a,
                                   **{**FIELDS, "end_date": datetime.date(2027, 6, 1)})
    assert info.value.messages
    assert not Event.objects.exists()


def test_update_event_by_co_organiser_keeps_the_lead(organizer_a, organizer_b, staff_b):
    event = EventFactory(organizers=[organizer_a, organizer_b])
    services_orga.update_event(event, staff_b, co_organizers=[], venue="Jinan Expo Center")
    event.refresh_from_db()
    assert event.venue == "Jinan Expo Center"
    assert list(event.organizer_links.values_list("organizer__slug", flat=True)) == [
        "jinan-office"]


def test_update_event_refuses_outsiders(event_a, staff_b):
    with pytest.raises(PermissionDenied):
        services_orga.update_event(event_a, staff_b, venue="Elsewhere")


def test_update_event_validates_registration_window(event_a, staff_a):
    opens = datetime.datetime(2027, 3, 1, tzinfo=datetime.UTC)
    with pytest.raises(ValidationError):
        services_orga.update_event(event_a, staff_a, registration_opens=opens,
                                   registration_closes=opens)
    event_a.refresh_from_db()
    assert event_a.registration_opens is None


def test_programme_item_must_belong_to_the_event(event_a, event_b, staff_a):
    foreign = ProgrammeItemFactory(event=event_b)
    with pytest.raises(PermissionDenied):
        services_orga.save_programme_item(event_a, staff_a, item=foreign, speaker="X")
    start = datetime.datetime.combine(event_a.start_date, datetime.time(9), event_a.tzinfo)
    with pytest.raises(ValidationError):
        services_orga.save_programme_item(event_a, staff_a, title={"en": "Opening"},
                                          starts_at=start, ends_at=start)
    item = services_orga.save_programme_item(
        event_a, staff_a, title={"en": "Opening"}, starts_at=start,
        ends_at=start + datetime.timedelta(minutes=20))
    services_orga.delete_programme_item(item, staff_a)
    assert not ProgrammeItem.objects.filter(event=event_a).exists()


def test_sponsors_are_appended_in_order(event_a, staff_a):
    first = services_orga.save_sponsor(event_a, staff_a, name={"en": "City of Jinan"})
    second = services_orga.save_sponsor(event_a, staff_a, name={"de": "Freistaat Sachsen"})
    assert (first.position, second.position) == (1, 2)
    with pytest.raises(ValidationError):
        services_orga.save_sponsor(event_a, staff_a, sponsor=first, name={})
    services_orga.delete_sponsor(first, staff_a)
    assert list(Sponsor.objects.values_list("pk", flat=True)) == [second.pk]


def test_platform_admin_may_manage_any_event(event_b):
    admin = AdminFactory()
    services_orga.update_event(event_b, admin, capacity=40)
    event_b.refresh_from_db()
    assert event_b.capacity == 40
    other = OrganizerFactory()
    created = services_orga.create_event(other, admin, **FIELDS)
    assert created.organizer_links.get().organizer == other
