import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from factories import MembershipFactory, OrganizationFactory
from PIL import Image

from qiao.organizations.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_urls():
    """Build the URLs in English whatever language an earlier test left active."""
    with translation.override("en"):
        yield

VALID_USCC = "91350100M000100Y43"


def form_data(org, **changes):
    data = {
        "name": org.name, "name_latin": "", "kind": org.kind, "country": org.country,
        "region": "Sachsen", "city": "Dresden", "address": "Tatzberg 47", "website":
        "https://elbtal.example", "email": "info@elbtal.example", "phone": "+49 351 1",
        "employees": "42", "founded": "1998", "languages": ["de", "en"],
        "sectors": "C21, m72.1", "description": "Wir entwickeln Diagnostik für Kliniken.",
        "description_language": "", "uscc": "", "vat": "", "register": "",
    }
    data.update(changes)
    return data


def png(size=(40, 20)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def member():
    return MembershipFactory()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_representative_edits_organisation(client, member):
    org = member.organization
    client.force_login(member.user)
    url = reverse("portal:organization_edit", args=[org.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(org, logo=png()))
    assert response.status_code == 302, response.content.decode()[:3000]
    org.refresh_from_db()
    assert org.region == "Sachsen"
    assert org.employees == 42
    assert org.sectors == ["C21", "M72.1"]
    assert org.description_language == "de"
    assert org.logo.name.startswith(f"logos/{org.pk}/")


def test_validation_errors_are_shown_on_fields(client, member):
    org = member.organization
    client.force_login(member.user)
    response = client.post(
        reverse("portal:organization_edit", args=[org.pk]),
        form_data(org, uscc="91350100M000100Y44", vat="DE12", sectors="C21, banking",
                  languages=[]),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"uscc", "vat", "sectors", "languages"}
    org.refresh_from_db()
    assert org.region == ""


def test_valid_uscc_accepted_in_lower_case(client, member):
    org = member.organization
    client.force_login(member.user)
    client.post(
        reverse("portal:organization_edit", args=[org.pk]),
        form_data(org, country="CN", uscc=VALID_USCC.lower()),
    )
    org.refresh_from_db()
    assert org.uscc == VALID_USCC


def test_logo_too_large_is_refused(client, member, settings):
    settings.QIAO_MAX_LOGO_PIXELS = 30
    org = member.organization
    client.force_login(member.user)
    response = client.post(
        reverse("portal:organization_edit", args=[org.pk]), form_data(org, logo=png((50, 10)))
    )
    assert response.status_code == 200
    assert "logo" in response.context["form"].errors
    assert not Organization.objects.get(pk=org.pk).logo


def test_not_an_image_is_refused(client, member):
    org = member.organization
    client.force_login(member.user)
    fake = SimpleUploadedFile("logo.png", b"not an image", content_type="image/png")
    response = client.post(
        reverse("portal:organization_edit", args=[org.pk]), form_data(org, logo=fake)
    )
    assert "logo" in response.context["form"].errors


def test_other_participant_gets_404(client, member):
    other = OrganizationFactory()
    client.force_login(member.user)
    url = reverse("portal:organization_edit", args=[other.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, form_data(other)).status_code == 404
    other.refresh_from_db()
    assert other.region == ""


def test_anonymous_redirected(client, member):
    response = client.get(reverse("portal:organization_edit", args=[member.organization.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_logo_is_kept_then_removed(client, member, tmp_path, django_capture_on_commit_callbacks):
    org = member.organization
    client.force_login(member.user)
    url = reverse("portal:organization_edit", args=[org.pk])
    client.post(url, form_data(org, logo=png()))
    org.refresh_from_db()
    stored = tmp_path / org.logo.name
    assert stored.exists()
    client.post(url, form_data(org, region="Shandong"))
    org.refresh_from_db()
    assert org.region == "Shandong"
    assert org.logo and stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, form_data(org, **{"logo-clear": "on"}))
    org.refresh_from_db()
    assert not org.logo
    assert not stored.exists()
