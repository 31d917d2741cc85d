import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from factories import (
    EventFactory,
    MembershipFactory,
    ProfileFactory,
    PublishedProfileFactory,
    RegistrationFactory,
    StaffMembershipFactory,
    UserFactory,
)

from qiao.portal.views_participant import completeness

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_urls():
    """Build the URLs in English whatever language an earlier test left active."""
    with translation.override("en"):
        yield


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_dashboard_shows_own_things_only(client):
    member = MembershipFactory()
    org = member.organization
    other = MembershipFactory()
    ProfileFactory(organization=org, title="Unser Entwurf")
    ProfileFactory(
        organization=org, title="Zurückgegeben", status="rejected",
        rejection_reason="Bitte Zielmarkt nennen.",
    )
    ProfileFactory(organization=org, title="In Prüfung", status="submitted")
    ProfileFactory(organization=other.organization, title="Fremdes Profil")
    registered = EventFactory(name={"en": "Dresden Biotech Day"})
    RegistrationFactory(event=registered, organization=org, status="pending")
    EventFactory(name={"en": "SMEC Jinan"})
    EventFactory(name={"en": "Hidden workshop"}, is_public=False)
    client.force_login(member.user)
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert org.name in html
    assert other.organization.name not in html
    assert "Unser Entwurf" in html
    assert "Fremdes Profil" not in html
    assert "Bitte Zielmarkt nennen." in html
    assert "awaits review by the office" in html
    assert "Dresden Biotech Day" in html
    assert "Awaiting approval" in html
    assert "Registration is open for SMEC Jinan." in html
    assert reverse("portal:event_register", args=[registered.slug]) not in html
    assert "Hidden workshop" not in html
    assert reverse("portal:organization_edit", args=[org.pk]) in html


def test_dashboard_suggests_renewal_and_first_profile(client):
    member = MembershipFactory()
    PublishedProfileFactory(
        organization=member.organization, title="Bald fällig",
        valid_until=timezone.localdate() + datetime.timedelta(days=5),
    )
    second = MembershipFactory(user=member.user)
    client.force_login(member.user)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert "Your profile “Bald fällig” expires soon." in html
    assert f"{second.organization.name} has no cooperation profile yet." in html


def test_dashboard_without_organisation(client):
    client.force_login(UserFactory())
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 200
    assert "does not represent an organisation yet" in response.content.decode()


def test_completeness_counts_missing_fields():
    member = MembershipFactory(organization__website="", organization__description="")
    result = completeness(member.organization)
    assert 0 < result.percent < 100
    assert "website" in result.missing
    assert "description" in result.missing
    assert "contact email" not in result.missing


def test_dashboard_of_staff_without_organisation_links_to_the_back_office(client):
    staff = StaffMembershipFactory().user
    client.force_login(staff)
    content = client.get(reverse("portal:dashboard")).content.decode()
    link = f'<a class="button" href="{reverse("orga:dashboard")}">Go to the back office</a>'
    assert link in content
    assert "please contact the office" not in content


def test_dashboard_of_participant_without_organisation_asks_to_contact_the_office(client):
    client.force_login(UserFactory())
    content = client.get(reverse("portal:dashboard")).content.decode()
    assert "please contact the office" in content
    assert "Go to the back office" not in content
