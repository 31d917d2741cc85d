"""The profile directory: visibility, contact data, filters, search in German, Chinese, pinyin."""

import datetime

import pytest
from django.utils import timezone
from factories import (
    ContactFactory,
    EventFactory,
    MembershipFactory,
    OrganizationFactory,
    OrganizerFactory,
    ProfileFactory,
    PublishedProfileFactory,
    RegistrationFactory,
    StaffMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ORG_EMAIL = "info@jinan-bio.example"
ORG_PHONE = "+86 531 8888 7777"
CONTACT_EMAIL = "li.wei@jinan-bio.example"
CONTACT_PHONE = "+86 138 0000 1111"


@pytest.fixture
def chinese_profile():
    org = OrganizationFactory(
        name="济南生物科技有限公司", name_latin="", country="CN", city="济南",
        email=ORG_EMAIL, phone=ORG_PHONE,
    )
    ContactFactory(organization=org, name="李伟", email=CONTACT_EMAIL, phone=CONTACT_PHONE)
    return PublishedProfileFactory(
        organization=org, title="寻找德国诊断设备合作伙伴", text="我们希望与萨克森的企业合作。",
        language="zh", keywords=["体外诊断", "实验室"], direction="request", topic="technology",
        cooperation=["licensing", "research"],
    )


@pytest.fixture
def german_profile():
    org = OrganizationFactory(name="Elbtal Diagnostik GmbH", country="DE")
    return PublishedProfileFactory(
        organization=org, title="Vertriebspartner für Laborautomation",
        text="Wir bieten Pipettierroboter für Kliniklabore.", language="de",
        keywords=["Laborautomation"], cooperation=["distribution"],
    )


def _html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


CONTACT_DATA = [ORG_EMAIL, ORG_PHONE, CONTACT_EMAIL, CONTACT_PHONE]


def test_visitors_never_see_contact_data(client, chinese_profile):
    org = chinese_profile.organization
    for url in [f"/en/profiles/{chinese_profile.pk}/", f"/zh-hans/organisations/{org.pk}/",
                "/en/profiles/", "/en/"]:
        html = _html(client, url)
        for value in CONTACT_DATA:
            assert value not in html, (url, value)
    html = _html(client, f"/en/profiles/{chinese_profile.pk}/")
    assert "Contact data is shown to the organisation's fellow participants" in html


def test_unrelated_participant_does_not_see_contact_data(client, chinese_profile):
    client.force_login(MembershipFactory().user)
    html = _html(client, f"/en/profiles/{chinese_profile.pk}/")
    for value in CONTACT_DATA:
        assert value not in html


def test_representative_sees_contact_data(client, chinese_profile):
    client.force_login(MembershipFactory(organization=chinese_profile.organization).user)
    for url in [f"/en/profiles/{chinese_profile.pk}/",
                f"/en/organisations/{chinese_profile.organization.pk}/"]:
        html = _html(client, url)
        for value in CONTACT_DATA:
            assert value in html, (url, value)


def test_fellow_approved_participant_sees_contact_data(client, chinese_profile):
    event = EventFactory()
    RegistrationFactory(event=event, organization=chinese_profile.organization,
                        status="approved")
    fellow = MembershipFactory()
    registration = RegistrationFactory(event=event, organization=fellow.organization,
                                       status="pending")
    client.force_login(fellow.user)
    html = _html(client, f"/en/profiles/{chinese_profile.pk}/")
    assert ORG_EMAIL not in html  # not yet approved

    registration.status = "approved"
    registration.save()
    html = _html(client, f"/en/profiles/{chinese_profile.pk}/")
    for value in CONTACT_DATA:
        assert value in html
    html = _html(client, f"/de/organisations/{chinese_profile.organization.pk}/")
    assert CONTACT_EMAIL in html


def test_listed_representatives_need_consent(client, chinese_profile):
    org = chinese_profile.organization
    MembershipFactory(organization=org, user=UserFactory(name="Wang Fang", consent_listing=True,
                                                         position="Export manager"))
    MembershipFactory(organization=org, user=UserFactory(name="Hidden Person"))
    client.force_login(MembershipFactory(organization=org).user)
    html = _html(client, f"/en/profiles/{chinese_profile.pk}/")
    assert "Wang Fang" in html and "Export manager" in html
    assert "Hidden Person" not in html


@pytest.mark.parametrize("status", ["draft", "submitted", "rejected", "expired"])
def test_unpublished_profiles_are_404_for_visitors_and_other_participants(client, status):
    profile = ProfileFactory(status=status)
    assert client.get(f"/en/profiles/{profile.pk}/").status_code == 404
    client.force_login(MembershipFactory().user)
    assert client.get(f"/en/profiles/{profile.pk}/").status_code == 404
    assert profile.title not in client.get("/en/profiles/").content.decode()


def test_outdated_published_profile_is_404(client):
    profile = PublishedProfileFactory(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    assert client.get(f"/en/profiles/{profile.pk}/").status_code == 404


def test_owner_and_reviewer_see_unpublished_profile(client):
    organizer = OrganizerFactory()
    profile = ProfileFactory(status="submitted")
    profile.organization.organizers.add(organizer)
    client.force_login(MembershipFactory(organization=profile.organization).user)
    html = _html(client, f"/en/profiles/{profile.pk}/")
    assert "This profile is not published." in html
    assert "/review/#profile-" not in html
    client.force_login(StaffMembershipFactory(organizer=organizer).user)
    html = _html(client, f"/en/profiles/{profile.pk}/")
    assert f"/en/orga/{organizer.slug}/review/#profile-{profile.pk}" in html


def test_profile_detail_shows_text_with_language_and_facts(client, chinese_profile):
    html = _html(client, f"/en/profiles/{chinese_profile.pk}/")
    assert 'lang="zh"' in html
    assert 'class="lang-badge"' in html
    assert "我们希望与萨克森的企业合作。" in html
    assert "Licensing" in html and "Research cooperation" in html
    assert "体外诊断" in html
    assert "Request" in html and "Technology" in html
    assert "Any country" in html
    assert chinese_profile.valid_until.strftime("%Y") in html


def _titles(client, query):
    return _html(client, "/en/profiles/?" + query)


def test_search_finds_chinese_organisation_by_chinese_substring(client, chinese_profile,
                                                                german_profile):
    html = _titles(client, "q=生物科技")
    assert chinese_profile.title in html
    assert german_profile.title not in html


def test_search_finds_chinese_organisation_by_pinyin(client, chinese_profile, german_profile):
    for query in ["jinan", "Jinan+Shengwu", "shengwukeji"]:
        html = _titles(client, "q=" + query)
        assert chinese_profile.title in html, query
        assert german_profile.title not in html, query


def test_search_finds_german_profile_by_german_word(client, chinese_profile, german_profile):
    html = _titles(client, "q=Pipettierroboter")
    assert german_profile.title in html
    assert chinese_profile.title not in html
    html = _titles(client, "q=laborautomation")
    assert german_profile.title in html


def test_search_finds_chinese_keyword(client, chinese_profile, german_profile):
    html = _titles(client, "q=诊断")
    assert chinese_profile.title in html
    assert german_profile.title not in html


def test_filters(client, chinese_profile, german_profile):
    cases = {
        "direction=request": chinese_profile,
        "topic=technology": chinese_profile,
        "cooperation=distribution": german_profile,
        "cooperation=licensing": chinese_profile,
        "country=CN": chinese_profile,
        "country=DE": german_profile,
        "language=de": german_profile,
    }
    for query, expected in cases.items():
        html = _titles(client, query)
        other = german_profile if expected is chinese_profile else chinese_profile
        assert expected.title in html, query
        assert other.title not in html, query


def test_pagination(client):
    org = OrganizationFactory()
    for i in range(23):
        PublishedProfileFactory(organization=org, title=f"Angebot Nummer {i:02d}")
    first = _titles(client, "q=Angebot")
    assert "23 profiles found" in first
    assert first.count('class="card profile-card"') == 20
    assert "page=2" in first and "q=Angebot" in first
    second = _titles(client, "q=Angebot&page=2")
    assert second.count('class="card profile-card"') == 3


def test_visitors_are_pointed_to_the_serving_office(client, chinese_profile):
    office = OrganizerFactory(name={"en": "Jinan Contact Office"}, email="office@jinan.example")
    chinese_profile.organization.organizers.add(office)
    html = _html(client, f"/en/profiles/{chinese_profile.pk}/")
    assert "Jinan Contact Office" in html and "office@jinan.example" in html
    assert ORG_EMAIL not in html
