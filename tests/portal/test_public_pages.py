"""Public pages: every page renders in all three languages; events and their details."""

import datetime

import pytest
from django.utils import timezone
from factories import (
    EventFactory,
    MembershipFactory,
    OrganizationFactory,
    OrganizerFactory,
    ProgrammeItemFactory,
    PublishedProfileFactory,
    RegistrationFactory,
    SponsorFactory,
    StaffMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LANGS = ["de", "en", "zh-hans"]


@pytest.fixture
def world():
    lead = OrganizerFactory(name={"en": "Jinan Contact Office", "de": "Kontaktbüro Jinan"})
    partner = OrganizerFactory(name={"en": "Biosaxony", "de": "Biosaxony e. V."})
    event = EventFactory(
        organizers=[lead, partner], capacity=10,
        description={"en": "Meet partners from Shandong.", "de": "Treffen Sie Partner."},
    )
    ProgrammeItemFactory(event=event, speaker="Dr. Li Wei", speaker_affiliation="Qilu Hospital")
    SponsorFactory(event=event, funds={"en": "Travel costs of SMEs", "de": "Reisekosten"})
    org = OrganizationFactory(name="济南生物科技有限公司", name_latin="Jinan Shengwu", country="CN",
                              description="我们是一家生物技术公司。", description_language="zh")
    RegistrationFactory(event=event, organization=org, status="approved")
    profile = PublishedProfileFactory(organization=org)
    return {"event": event, "organization": org, "profile": profile}


@pytest.mark.parametrize("lang", LANGS)
def test_every_public_page_renders_in_each_language(client, world, lang):
    urls = [
        f"/{lang}/",
        f"/{lang}/events/",
        f"/{lang}/events/{world['event'].slug}/",
        f"/{lang}/profiles/",
        f"/{lang}/profiles/?q=test&direction=offer",
        f"/{lang}/profiles/{world['profile'].pk}/",
        f"/{lang}/organisations/{world['organization'].pk}/",
        f"/{lang}/terms/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{lang}">' in response.content.decode(), url


def test_home_lists_upcoming_events_and_newest_profiles(client, world):
    EventFactory(name={"en": "Past fair"}, start_date=datetime.date(2020, 1, 1),
                 end_date=datetime.date(2020, 1, 2))
    EventFactory(name={"en": "Hidden workshop"}, is_public=False)
    html = client.get("/en/").content.decode()
    assert world["event"].name["en"] in html
    assert "Past fair" not in html
    assert "Hidden workshop" not in html
    assert world["profile"].title in html
    assert "/en/signup/" in html and "/en/login/" in html


def test_event_list_splits_upcoming_and_past_and_filters_by_kind(client, world):
    EventFactory(kind="delegation", name={"en": "Delegation to SMEC Jinan"})
    EventFactory(name={"en": "Old matchmaking"}, start_date=datetime.date(2019, 5, 1),
                 end_date=datetime.date(2019, 5, 1))
    html = client.get("/en/events/").content.decode()
    assert "Delegation to SMEC Jinan" in html
    assert html.index("Upcoming events") < html.index("Delegation to SMEC")
    assert html.index("Past events") < html.index("Old matchmaking")
    html = client.get("/en/events/?kind=delegation").content.decode()
    assert "Delegation to SMEC Jinan" in html
    assert world["event"].name["en"] not in html
    assert "Old matchmaking" not in html


def test_event_detail_shows_translated_name_organisers_sponsors_participants(client, world):
    event = world["event"]
    html = client.get(f"/de/events/{event.slug}/").content.decode()
    assert event.name["de"] in html
    assert "Treffen Sie Partner." in html
    assert html.index("Kontaktbüro Jinan") < html.index("Biosaxony e. V.")
    assert "Reisekosten" in html
    assert "Dr. Li Wei" in html and "Qilu Hospital" in html
    assert "Begrüßung" in html
    assert "济南生物科技有限公司" in html
    assert "<dt>Zeitzone</dt><dd>Berliner Zeit (UTC+" in html  # by name, not "Europe/Berlin"
    assert "Europe/Berlin" not in html
    html = client.get(f"/zh-hans/events/{event.slug}/").content.decode()
    assert event.name["zh-hans"] in html
    assert "欢迎致辞" in html


def test_pending_registrations_are_not_listed_as_participants(client, world):
    RegistrationFactory(event=world["event"], organization=OrganizationFactory(name="Wartend GmbH"))
    html = client.get(f"/en/events/{world['event'].slug}/").content.decode()
    assert "Wartend GmbH" not in html


def test_event_registration_box_for_visitor_participant_and_full_event(client, world):
    event = world["event"]
    html = client.get(f"/en/events/{event.slug}/").content.decode()
    assert "Registration is open." in html
    assert f"/en/login/?next=/en/events/{event.slug}/" in html
    assert "9 of 10 places free" in html

    member = MembershipFactory().user
    client.force_login(member)
    html = client.get(f"/en/events/{event.slug}/").content.decode()
    assert f"/en/events/{event.slug}/register/" in html or "Register your organisation" in html

    event.capacity = 1
    event.save()
    html = client.get(f"/en/events/{event.slug}/").content.decode()
    assert "The event is fully booked." in html
    assert "Register your organisation" not in html


def test_registration_window_states(client, world):
    event = world["event"]
    event.registration_opens = timezone.now() + datetime.timedelta(days=2)
    event.save()
    assert "Registration has not opened yet." in client.get(
        f"/en/events/{event.slug}/").content.decode()
    event.registration_opens = None
    event.registration_closes = timezone.now() - datetime.timedelta(hours=1)
    event.save()
    assert "Registration is closed." in client.get(f"/en/events/{event.slug}/").content.decode()


def test_non_public_event_is_404_except_for_its_staff(client):
    organizer = OrganizerFactory()
    event = EventFactory(is_public=False, organizers=[organizer])
    assert client.get(f"/en/events/{event.slug}/").status_code == 404
    client.force_login(UserFactory())
    assert client.get(f"/en/events/{event.slug}/").status_code == 404
    client.force_login(StaffMembershipFactory(organizer=organizer).user)
    response = client.get(f"/en/events/{event.slug}/")
    assert response.status_code == 200
    assert f"/en/orga/{organizer.slug}/events/{event.slug}/" in response.content.decode()
    assert client.get("/en/events/no-such-event/").status_code == 404


def test_programme_is_grouped_by_day_in_event_time(client):
    event = EventFactory(start_date=datetime.date(2031, 3, 4), end_date=datetime.date(2031, 3, 5))
    berlin = event.tzinfo
    ProgrammeItemFactory(event=event, title={"en": "Opening"},
                         starts_at=datetime.datetime(2031, 3, 4, 9, 0, tzinfo=berlin))
    ProgrammeItemFactory(event=event, title={"en": "Company visits"},
                         starts_at=datetime.datetime(2031, 3, 5, 9, 0, tzinfo=berlin))
    html = client.get(f"/en/events/{event.slug}/").content.decode()
    html = html[html.index("<h2>Programme</h2>"):]
    assert html.count('class="programme-day"') == 2
    assert html.index("March 4, 2031") < html.index("Opening") < html.index("March 5, 2031")
    assert html.index("March 5, 2031") < html.index("Company visits")


def test_programme_times_show_viewer_time_zone(client):
    event = EventFactory(start_date=datetime.date(2031, 3, 4), end_date=datetime.date(2031, 3, 4))
    ProgrammeItemFactory(event=event)  # 10:00 Europe/Berlin
    html = client.get(f"/de/events/{event.slug}/").content.decode()
    assert "10:00" in html
    assert "17:00" not in html

    client.force_login(UserFactory(timezone="Asia/Shanghai"))
    html = client.get(f"/de/events/{event.slug}/").content.decode()
    assert "10:00" in html
    assert "17:00" in html  # 10:00 CET = 17:00 CST in March


def test_programme_note_names_both_time_zones_only_when_clocks_differ(client):
    """Zones by name in the reader's language, with the offsets of the event's day."""
    event = EventFactory(start_date=datetime.date(2031, 6, 12), end_date=datetime.date(2031, 6, 12))
    ProgrammeItemFactory(event=event)
    client.force_login(UserFactory(timezone="Europe/Vienna"))
    html = client.get(f"/en/events/{event.slug}/").content.decode()
    assert "Times are given in the event's time zone: Berlin time (UTC+2)." in html
    assert "Your own time" not in html
    client.force_login(UserFactory(timezone="Asia/Shanghai"))
    html = client.get(f"/en/events/{event.slug}/").content.decode()
    assert "Your own time is shown in brackets: Beijing time (UTC+8)." in html
    html = client.get(f"/zh-hans/events/{event.slug}/").content.decode()
    assert "时间均为活动所在地时间：柏林时间（UTC+2）。" in html
    assert "括号内为您所在地的时间：北京时间（UTC+8）。" in html
    assert "Asia/Shanghai" not in html.split("<footer")[0]
    assert "Europe/Berlin" not in html


def test_organization_page_shows_facts_profiles_and_events(client, world):
    org = world["organization"]
    org.employees = 120
    org.founded = 2008
    org.website = "https://jinan-bio.example"
    org.sectors = ["C21"]
    org.save()
    html = client.get(f"/en/organisations/{org.pk}/").content.decode()
    assert "济南生物科技有限公司" in html and "Jinan Shengwu" in html
    assert "50–249 employees" in html
    assert "2008" in html and "C21" in html
    assert "https://jinan-bio.example" in html
    assert 'lang="zh"' in html and "我们是一家生物技术公司。" in html
    assert world["profile"].title in html
    assert world["event"].name["en"] in html


def test_unlisted_organization_is_404_for_visitors(client):
    org = OrganizationFactory()
    assert client.get(f"/en/organisations/{org.pk}/").status_code == 404
    member = MembershipFactory(organization=org).user
    client.force_login(member)
    assert client.get(f"/en/organisations/{org.pk}/").status_code == 200


def test_user_text_is_escaped(client):
    org = OrganizationFactory(name="<script>alert(1)</script>")
    profile = PublishedProfileFactory(organization=org, title="<b>bold</b>")
    html = client.get(f"/en/profiles/{profile.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_visitor_time_zone_cookie_adds_visitor_time(client):
    event = EventFactory(start_date=datetime.date(2031, 7, 4), end_date=datetime.date(2031, 7, 4))
    ProgrammeItemFactory(event=event)  # 10:00 CEST
    html = client.get(f"/en/events/{event.slug}/").content.decode()
    assert "qiao_timezone" in html  # the script that remembers the browser's zone
    client.cookies["qiao_timezone"] = "Asia/Shanghai"
    html = client.get(f"/de/events/{event.slug}/").content.decode()
    assert "10:00" in html and "16:00" in html


def test_event_cards_show_registration_state(client):
    EventFactory(name={"en": "Open fair"})
    EventFactory(name={"en": "Full fair"}, capacity=0)
    html = client.get("/en/events/").content.decode()
    assert "Registration open" in html
    assert "Fully booked" in html
