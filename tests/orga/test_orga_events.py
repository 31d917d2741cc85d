"""Creating and editing events, their programme and sponsors in the back office."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from factories import EventFactory, ProgrammeItemFactory, SponsorFactory

from qiao.events.models import Event, EventOrganizer, ProgrammeItem, Sponsor

from .conftest import login

pytestmark = pytest.mark.django_db


def event_data(**overrides):
    data = {
        "slug": "smec-2027", "kind": "delegation",
        "name_de": "SMEC-Delegationsreise", "name_en": "SMEC delegation trip",
        "name_zh-hans": "中小企业博览会代表团",
        "description_de": "", "description_en": "Trip to the SME fair in Jinan.",
        "description_zh-hans": "",
        "venue": "Shandong International Convention Center", "address": "", "city": "Jinan",
        "country": "CN", "timezone": "Asia/Shanghai", "start_date": "2027-06-10",
        "end_date": "2027-06-14", "languages": ["de", "zh", "en"],
        "registration_opens": "2027-03-01T09:00", "registration_closes": "2027-05-15T18:00",
        "capacity": "12", "is_public": "on",
    }
    data.update(overrides)
    return data


def test_create_event_makes_organiser_lead_and_adds_co_organisers(
    client, staff_a, organizer_a, organizer_b
):
    login(client, staff_a)
    url = reverse("orga:event_create", args=["jinan-office"])
    assert client.get(url).status_code == 200
    response = client.post(url, event_data(co_organizers=[organizer_b.pk]))
    assert response.status_code == 302, response.context["form"].errors
    event = Event.objects.get(slug="smec-2027")
    assert response["Location"] == reverse("orga:event_detail", args=["jinan-office", "smec-2027"])
    assert event.name == {"de": "SMEC-Delegationsreise", "en": "SMEC delegation trip",
                          "zh-hans": "中小企业博览会代表团"}
    assert event.languages == ["de", "zh", "en"]
    links = {(link.organizer.slug, link.is_lead) for link in event.organizer_links.all()}
    assert links == {("jinan-office", True), ("stuttgart-centre", False)}
    # The registration window is entered in the event's time zone (Asia/Shanghai).
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    assert event.registration_opens == datetime.datetime(2027, 3, 1, 9, 0, tzinfo=shanghai)
    assert event.registration_closes.astimezone(shanghai).hour == 18


def test_create_event_validates(client, staff_a, event_a):
    login(client, staff_a)
    url = reverse("orga:event_create", args=["jinan-office"])
    response = client.post(url, event_data(slug=event_a.slug, end_date="2027-06-01",
                                           registration_closes="2027-02-01T09:00"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"slug", "end_date", "registration_closes"} <= set(errors)
    response = client.post(url, event_data(slug="new"))
    assert "slug" in response.context["form"].errors
    assert not Event.objects.filter(slug="new").exists()


def test_edit_event_shows_times_in_event_zone_and_saves(client, staff_a, organizer_a):
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    event = EventFactory(slug="smec", timezone="Asia/Shanghai", organizers=[organizer_a],
                         registration_opens=datetime.datetime(2027, 3, 1, 9, 0, tzinfo=shanghai))
    login(client, staff_a)
    url = reverse("orga:event_edit", args=["jinan-office", "smec"])
    response = client.get(url)
    assert 'value="2027-03-01T09:00"' in response.content.decode()
    data = event_data(slug="smec", capacity="", is_public="", allows_meeting_requests="on",
                      registration_closes="")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    event.refresh_from_db()
    assert event.capacity is None
    assert event.is_public is False and event.allows_meeting_requests is True
    assert event.registration_closes is None
    assert event.city == "Jinan"


def test_co_organiser_staff_may_edit_but_not_change_organisers(
    client, staff_b, organizer_a, organizer_b
):
    event = EventFactory(slug="co-run", organizers=[organizer_a, organizer_b])
    login(client, staff_b)
    url = reverse("orga:event_edit", args=["stuttgart-centre", "co-run"])
    response = client.get(url)
    assert response.status_code == 200
    assert "co_organizers" not in response.context["form"].fields
    response = client.post(url, event_data(slug="co-run", co_organizers=[]))
    assert response.status_code == 302
    assert EventOrganizer.objects.filter(event=event).count() == 2


def test_lead_removes_co_organiser(client, staff_a, organizer_a, organizer_b):
    event = EventFactory(slug="co-run", organizers=[organizer_a, organizer_b])
    login(client, staff_a)
    url = reverse("orga:event_edit", args=["jinan-office", "co-run"])
    client.post(url, event_data(slug="co-run", co_organizers=[]))
    assert list(event.organizer_links.values_list("organizer__slug", "is_lead")) == [
        ("jinan-office", True)]


def test_programme_item_added_in_event_time_zone(client, staff_a, organizer_a):
    event = EventFactory(slug="smec", timezone="Asia/Shanghai", organizers=[organizer_a],
                         start_date=datetime.date(2027, 6, 10), end_date=datetime.date(2027, 6, 12))
    login(client, staff_a)
    url = reverse("orga:programme_add", args=["jinan-office", "smec"])
    response = client.post(url, {
        "kind": "visit", "day": "2027-06-11", "start_time": "14:00", "end_time": "16:30",
        "title_de": "Besuch im Hightech-Park", "title_en": "Visit to the high-tech park",
        "title_zh-hans": "参观高新区",
        "description_de": "", "description_en": "", "description_zh-hans": "",
        "speaker": "", "speaker_affiliation": "",
    })
    assert response.status_code == 302
    item = ProgrammeItem.objects.get(event=event)
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    assert item.starts_at == datetime.datetime(2027, 6, 11, 14, 0, tzinfo=shanghai)
    assert item.ends_at == datetime.datetime(2027, 6, 11, 16, 30, tzinfo=shanghai)
    # The edit form shows the local times again.
    html = client.get(reverse("orga:programme_edit", args=["jinan-office", "smec", item.pk]))
    assert 'value="14:00"' in html.content.decode()


def test_programme_item_validation(client, staff_a, event_a):
    login(client, staff_a)
    url = reverse("orga:programme_add", args=["jinan-office", event_a.slug])
    response = client.post(url, {
        "kind": "talk", "day": "2001-01-01", "start_time": "10:00", "end_time": "09:00",
        "title_de": "", "title_en": "", "title_zh-hans": "",
    })
    assert response.status_code == 200
    assert {"day", "end_time", "title"} <= set(response.context["form"].errors)
    assert not ProgrammeItem.objects.exists()


def test_programme_item_edit_and_delete(client, staff_a, event_a):
    item = ProgrammeItemFactory(event=event_a)
    login(client, staff_a)
    url = reverse("orga:programme_delete", args=["jinan-office", event_a.slug, item.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not ProgrammeItem.objects.filter(pk=item.pk).exists()


def test_sponsor_add_edit_delete(client, staff_a, event_a):
    login(client, staff_a)
    add = reverse("orga:sponsor_add", args=["jinan-office", event_a.slug])
    response = client.post(add, {
        "name_de": "Stadt Jinan", "name_en": "City of Jinan", "name_zh-hans": "济南市",
        "funds_de": "", "funds_en": "Hotel nights for the delegation",
        "funds_zh-hans": "代表团住宿",
        "position": "",
    })
    assert response.status_code == 302
    sponsor = Sponsor.objects.get(event=event_a)
    assert sponsor.funds == {"en": "Hotel nights for the delegation", "zh-hans": "代表团住宿"}
    edit = reverse("orga:sponsor_edit", args=["jinan-office", event_a.slug, sponsor.pk])
    assert "City of Jinan" in client.get(edit).content.decode()
    client.post(edit, {"name_en": "Jinan Municipality", "position": "3"})
    sponsor.refresh_from_db()
    assert sponsor.name == {"en": "Jinan Municipality"} and sponsor.position == 3
    client.post(reverse("orga:sponsor_delete", args=["jinan-office", event_a.slug, sponsor.pk]))
    assert not Sponsor.objects.exists()


def test_other_organisers_items_are_not_reachable(client, staff_a, staff_b, event_a, event_b):
    item = ProgrammeItemFactory(event=event_b)
    sponsor = SponsorFactory(event=event_b)
    login(client, staff_a)
    # Through A's own event the items of B's event do not exist.
    for name, pk in (("programme_edit", item.pk), ("sponsor_edit", sponsor.pk)):
        assert client.get(reverse(f"orga:{name}",
                                  args=["jinan-office", event_a.slug, pk])).status_code == 404
    for name, pk in (("programme_delete", item.pk), ("sponsor_delete", sponsor.pk)):
        assert client.post(reverse(f"orga:{name}",
                                   args=["jinan-office", event_a.slug, pk])).status_code == 404
    assert ProgrammeItem.objects.filter(pk=item.pk).exists()
    assert Sponsor.objects.filter(pk=sponsor.pk).exists()
    # B's event is not reachable through A's organiser, nor B's organiser page.
    assert client.get(reverse("orga:event_detail",
                              args=["jinan-office", event_b.slug])).status_code == 404
    assert client.get(reverse("orga:event_edit",
                              args=["stuttgart-centre", event_b.slug])).status_code == 404
    assert client.get(reverse("orga:organizer", args=["stuttgart-centre"])).status_code == 404
    assert client.get(reverse("orga:review_queue", args=["stuttgart-centre"])).status_code == 404
    assert client.get(reverse("orga:event_create", args=["stuttgart-centre"])).status_code == 404
