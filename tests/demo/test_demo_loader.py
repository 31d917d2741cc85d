"""The demo data set: loads on an empty database, is consistent and idempotent."""

import datetime
import zoneinfo

import pytest
from django.apps import apps

from qiao.core.langdetect import detect_language
from qiao.demo.loader import load_demo, organisation_records, read_json
from qiao.events.models import Event, Registration
from qiao.organizations.models import Organization
from qiao.people.models import User
from qiao.profiles.models import CooperationProfile

pytestmark = pytest.mark.django_db

PASSWORD = read_json("demo.json")["password"]
LOGINS = [
    "orga@qiao.example",
    "katrin.vogel@elbtal-diagnostik.example",
    "liu.xiaoyan@kangqiao-med.example",
    "admin@qiao.example",
]
#: A demo "today" after the 2019 events and before the 2027 one.
DEMO_NOW = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)

#: (German side, Chinese side): profiles a good matcher should pair across languages.
COMPLEMENTARY = [
    ("demo-elbtal-diagnostik-1", "demo-kangqiao-medical-1"),
    ("demo-pleisse-regulatory-1", "demo-quancao-biotech-1"),
    ("demo-izrd-1", "demo-quancheng-medical-university-1"),
    ("demo-laborautomation-radebeul-1", "demo-huaquan-instruments-1"),
    ("demo-loessnitz-pharma-1", "demo-quehua-pharma-1"),
    ("demo-fi-biomaterialien-1", "demo-huanghe-ortho-1"),
    ("demo-medinetz-dresden-1", "demo-renhe-hospital-1"),
    ("demo-auwald-biologics-1", "demo-qianfoshan-biopharma-1"),
    ("demo-elbland-kammerphilharmonie-1", "demo-quansheng-orchestra-1"),
]


@pytest.fixture
def demo():
    return load_demo()


def snapshot():
    """Row count and the newest change per demo-relevant model."""
    counts = {}
    for model in apps.get_models():
        if model._meta.app_label in {
            "people", "organizers", "organizations", "profiles", "events",
        }:
            counts[model._meta.label] = model.objects.count()
    counts["updated"] = sorted(
        str(t) for t in CooperationProfile.objects.values_list("updated_at", flat=True)
    ) + sorted(str(t) for t in Organization.objects.values_list("updated_at", flat=True))
    return counts


def test_loads_organisations_from_both_countries_with_profiles(demo):
    assert Organization.objects.count() >= 40
    german = Organization.objects.filter(country="DE")
    chinese = Organization.objects.filter(country="CN")
    assert german.count() >= 18 and chinese.count() >= 18
    assert all(org.vat.startswith("DE") for org in german if org.vat)
    assert all(len(org.uscc) == 18 for org in chinese if org.uscc)
    assert chinese.exclude(name_latin="").count() == chinese.count()
    for org in Organization.objects.all():
        assert 1 <= org.profiles.count() <= 3, org
        assert org.contacts.count() == 1, org
        assert org.organizers.exists(), org
    published = CooperationProfile.objects.published()
    assert published.filter(language="de").count() >= 15
    assert published.filter(language="zh").count() >= 15
    assert published.filter(language="en").exists()


def test_profile_statuses_give_the_back_office_work(demo):
    statuses = set(CooperationProfile.objects.values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "published", "rejected"}
    for profile in CooperationProfile.objects.filter(status="published"):
        assert profile.valid_until >= datetime.date(2027, 1, 1)
        assert profile.published_at and profile.reviewed_by
    rejected = CooperationProfile.objects.get(status="rejected")
    assert rejected.rejection_reason
    assert CooperationProfile.objects.filter(status="submitted").count() >= 3


def test_profiles_are_written_in_their_declared_language():
    for record in organisation_records():
        assert detect_language(record["description"]) == record["description_language"]
        for profile in record["profiles"]:
            guess = detect_language(profile["title"] + "\n" + profile["text"])
            assert guess in {profile["language"], None}, profile["external_id"]


def test_complementary_pairs_cross_languages(demo):
    for german_id, chinese_id in COMPLEMENTARY:
        german = CooperationProfile.objects.get(external_id=german_id)
        chinese = CooperationProfile.objects.get(external_id=chinese_id)
        assert {german.direction, chinese.direction} == {"offer", "request"}
        assert german.language != chinese.language
        assert german.organization.country == "DE" and chinese.organization.country == "CN"


def test_matchmaking_2019_in_dresden(demo):
    event = Event.objects.get(slug="matchmaking-reich-der-mitte-2019")
    assert event.kind == "matchmaking"
    assert event.name["de"] == "Matchmaking mit dem Reich der Mitte"
    assert set(event.name) == {"de", "en", "zh-hans"}
    assert event.start_date == event.end_date == datetime.date(2019, 6, 12)
    assert event.timezone == "Europe/Berlin"
    assert event.address == "Tatzberg 47, 01307 Dresden"
    assert event.allows_meeting_requests
    assert sorted(event.languages) == ["de", "en", "zh"]
    links = {link.organizer.slug: link.is_lead for link in event.organizer_links.all()}
    assert links == {"jinan-office-dresden": True, "life-sciences-cluster-sachsen": False}
    items = list(event.programme.all())
    assert [i.kind for i in items][-2:] == ["meetings", "social"]
    for item in items:
        assert set(item.title) == {"de", "en", "zh-hans"}
    first = items[0].starts_at.astimezone(zoneinfo.ZoneInfo("Europe/Berlin"))
    assert (first.date(), first.hour) == (datetime.date(2019, 6, 12), 13)
    assert any("50" in i.description.get("en", "") and "318" in i.description.get("en", "")
               for i in items)
    statuses = list(event.registrations.values_list("status", flat=True))
    assert statuses.count("approved") >= 20
    # The event is long over: nothing is left waiting for a decision.
    assert "pending" not in statuses


def test_smec_2019_delegation_with_sponsors(demo):
    event = Event.objects.get(slug="smec-2019-jinan")
    assert event.kind == "delegation"
    assert (event.start_date, event.end_date) == (
        datetime.date(2019, 10, 30), datetime.date(2019, 11, 1),
    )
    assert event.timezone == "Asia/Shanghai"
    links = {link.organizer.slug: link.is_lead for link in event.organizer_links.all()}
    assert links == {"jinan-office-dresden": True, "innovationszentrum-stuttgart": False}
    sponsors = list(event.sponsors.all())
    assert [s.name["en"] for s in sponsors] == [
        "Shandong Province", "City of Jinan", "Jinan Innovation Zone",
    ]
    for sponsor in sponsors:
        assert set(sponsor.funds) == {"de", "en", "zh-hans"}
        assert "upports" in sponsor.funds["en"]
    opening = event.programme.first().starts_at.astimezone(event.tzinfo)
    assert (opening.date(), opening.hour) == (datetime.date(2019, 10, 30), 9)


def test_upcoming_event_is_open_for_registration(demo):
    event = Event.objects.get(slug="matchmaking-life-sciences-2027")
    assert event.start_date.year == 2027
    assert event.registration_is_open(now=DEMO_NOW)
    assert event.registrations.filter(status="pending").exists()
    kangqiao = Organization.objects.get(external_id="demo-kangqiao-medical")
    assert not Registration.objects.filter(event=event, organization=kangqiao).exists()


def test_demo_logins_work(demo, client):
    assert [login.email for login in demo.logins] == LOGINS
    for email in LOGINS:
        assert client.login(email=email, password=PASSWORD), email
        client.logout()
    orga = User.objects.get(email="orga@qiao.example")
    assert orga.preferred_language == "de"
    assert orga.staff_memberships.get().organizer.slug == "jinan-office-dresden"
    german = User.objects.get(email="katrin.vogel@elbtal-diagnostik.example")
    assert (german.preferred_language, german.timezone) == ("de", "Europe/Berlin")
    assert german.memberships.get().organization.city == "Dresden"
    chinese = User.objects.get(email="liu.xiaoyan@kangqiao-med.example")
    assert (chinese.preferred_language, chinese.timezone) == ("zh-hans", "Asia/Shanghai")
    assert chinese.memberships.get().organization.city == "济南"
    assert User.objects.get(email="admin@qiao.example").is_superuser
    assert not orga.is_superuser and not german.is_superuser
    for slug in ("life-sciences-cluster-sachsen", "innovationszentrum-stuttgart"):
        assert User.objects.filter(staff_memberships__organizer__slug=slug).exists()


def test_second_load_changes_nothing(demo):
    before = snapshot()
    again = load_demo()
    assert not again.tally.changed
    assert again.tally.total("unchanged") == demo.tally.total("created")
    assert snapshot() == before


def test_reload_repairs_edited_rows(demo):
    CooperationProfile.objects.filter(external_id="demo-izrd-1").update(title="changed")
    user = User.objects.get(email="orga@qiao.example")
    user.set_password("something else")
    user.save()
    result = load_demo()
    assert result.tally.total("updated") == 2
    assert CooperationProfile.objects.get(external_id="demo-izrd-1").title.startswith("Forschung")
    assert User.objects.get(email="orga@qiao.example").check_password(PASSWORD)
