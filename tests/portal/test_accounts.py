"""Account pages: sign-up, log in/out, settings, password change and reset, terms."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from factories import (
    PASSWORD,
    AdminFactory,
    EventFactory,
    MembershipFactory,
    ProgrammeItemFactory,
    StaffMembershipFactory,
    UserFactory,
)

from qiao.organizations.models import Membership, Organization
from qiao.people.models import User

pytestmark = pytest.mark.django_db


def dashboard_url(language):
    with translation.override(language):
        return reverse("portal:dashboard")

LANGS = ["de", "en", "zh-hans"]

SIGNUP = {
    "name": "Zhang Min",
    "email": "Zhang.Min@Jinan-Bio.example",
    "password1": "Qilu-Lab-2031!",
    "password2": "Qilu-Lab-2031!",
    "preferred_language": "zh-hans",
    "timezone": "Asia/Shanghai",
    "languages": ["zh", "en"],
    "organization_name": "济南生物科技有限公司",
    "organization_name_latin": "Jinan Biotech",
    "organization_kind": "company",
    "organization_country": "CN",
    "organization_city": "济南",
    "consent_listing": "on",
    "accept_terms": "on",
}


@pytest.mark.parametrize("lang", LANGS)
def test_account_pages_render_in_each_language(client, lang):
    for url in ["login/", "signup/", "password-reset/", "password-reset/sent/", "terms/"]:
        response = client.get(f"/{lang}/{url}")
        assert response.status_code == 200, url
        assert f'<html lang="{lang}">' in response.content.decode()
    client.force_login(UserFactory())
    for url in ["account/", "account/password/"]:
        response = client.get(f"/{lang}/{url}")
        assert response.status_code == 200, url
        assert f'<html lang="{lang}">' in response.content.decode()


def test_signup_creates_user_organisation_and_membership(client):
    response = client.post("/en/signup/", SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == dashboard_url("zh-hans")
    assert response.cookies["django_language"].value == "zh-hans"
    user = User.objects.get(email="zhang.min@jinan-bio.example")
    assert user.check_password("Qilu-Lab-2031!")
    assert user.accepted_terms_at is not None
    assert user.consent_listing is True
    assert user.timezone == "Asia/Shanghai"
    assert user.languages == ["zh", "en"]
    organization = Organization.objects.get(name="济南生物科技有限公司")
    assert organization.country == "CN" and organization.city == "济南"
    assert "jinan" in organization.search_index
    membership = Membership.objects.get(user=user)
    assert membership.organization == organization
    assert membership.role == Membership.Role.ADMIN
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signup_requires_the_terms(client):
    data = {k: v for k, v in SIGNUP.items() if k != "accept_terms"}
    response = client.post("/en/signup/", data)
    assert response.status_code == 200
    assert "Please accept the terms to create an account." in response.content.decode()
    assert not User.objects.exists()
    assert not Organization.objects.exists()


def test_signup_rejects_duplicate_email_and_mismatched_passwords(client):
    UserFactory(email="zhang.min@jinan-bio.example")
    data = dict(SIGNUP, password2="something else 99")
    html = client.post("/en/signup/", data).content.decode()
    assert "An account with this email address exists already." in html
    assert "The two passwords differ." in html
    assert User.objects.count() == 1


def test_signup_accepts_any_iana_time_zone_but_not_nonsense(client):
    response = client.post("/en/signup/", dict(SIGNUP, timezone="America/Sao_Paulo"))
    assert response.status_code == 302
    assert User.objects.get().timezone == "America/Sao_Paulo"
    client.logout()
    data = dict(SIGNUP, email="other@example.org", timezone="Mars/Olympus")
    assert client.post("/en/signup/", data).status_code == 200
    assert User.objects.count() == 1


def test_login_redirects_to_preferred_language(client):
    UserFactory(email="anna@example.org", preferred_language="de")
    response = client.post("/en/login/", {"username": "anna@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == dashboard_url("de")
    assert response.cookies["django_language"].value == "de"


def test_login_keeps_next_but_switches_its_language(client):
    event = EventFactory()
    UserFactory(email="li@example.org", preferred_language="zh-hans")
    response = client.post(
        f"/en/login/?next=/en/events/{event.slug}/",
        {"username": "li@example.org", "password": PASSWORD, "next": f"/en/events/{event.slug}/"},
    )
    assert response["Location"] == f"/zh-hans/events/{event.slug}/"


def test_login_ignores_foreign_next(client):
    UserFactory(email="li@example.org", preferred_language="en")
    response = client.post(
        "/en/login/",
        {"username": "li@example.org", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == dashboard_url("en")


def backoffice_url(language):
    with translation.override(language):
        return reverse("orga:dashboard")


def test_login_sends_organiser_staff_to_the_back_office(client):
    user = UserFactory(email="office@example.org", preferred_language="de")
    StaffMembershipFactory(user=user)
    response = client.post("/en/login/", {"username": "office@example.org", "password": PASSWORD})
    assert response["Location"] == backoffice_url("de")
    assert client.get(response["Location"]).status_code == 200


def test_login_sends_staff_who_also_represent_an_organisation_to_the_back_office(client):
    user = UserFactory(email="office@example.org", preferred_language="en")
    StaffMembershipFactory(user=user)
    MembershipFactory(user=user)
    response = client.post("/en/login/", {"username": "office@example.org", "password": PASSWORD})
    assert response["Location"] == backoffice_url("en")


def test_login_sends_admin_without_organisation_to_the_back_office(client):
    AdminFactory(email="admin@example.org", preferred_language="en")
    response = client.post("/en/login/", {"username": "admin@example.org", "password": PASSWORD})
    assert response["Location"] == backoffice_url("en")


def test_login_sends_participant_to_my_qiao(client):
    user = UserFactory(email="anna@example.org", preferred_language="en")
    MembershipFactory(user=user)
    response = client.post("/en/login/", {"username": "anna@example.org", "password": PASSWORD})
    assert response["Location"] == dashboard_url("en")


def test_login_of_staff_keeps_next(client):
    event = EventFactory()
    user = UserFactory(email="office@example.org", preferred_language="zh-hans")
    StaffMembershipFactory(user=user)
    response = client.post(
        f"/en/login/?next=/en/events/{event.slug}/",
        {"username": "office@example.org", "password": PASSWORD,
         "next": f"/en/events/{event.slug}/"},
    )
    assert response["Location"] == f"/zh-hans/events/{event.slug}/"


def test_login_with_wrong_password_fails(client):
    UserFactory(email="anna@example.org")
    response = client.post("/en/login/", {"username": "anna@example.org", "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_needs_post(client):
    client.force_login(UserFactory())
    assert client.get("/en/logout/").status_code == 405
    response = client.post("/en/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_account_settings_need_login(client):
    response = client.get("/en/account/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_account_settings_change_language_and_time_zone(client):
    event = EventFactory()
    ProgrammeItemFactory(event=event)  # 10:00 Europe/Berlin
    user = UserFactory(preferred_language="en")
    client.force_login(user)
    html = client.get(f"/de/events/{event.slug}/").content.decode()
    assert "10:00" in html and "viewer-time" not in html

    response = client.post("/en/account/", {
        "name": "Anna Schmidt", "name_latin": "", "position": "Export manager",
        "phone": "+49 351 123", "languages": ["de", "zh"], "preferred_language": "de",
        "timezone": "Asia/Shanghai", "consent_listing": "on",
    })
    assert response.status_code == 302
    assert response["Location"] == "/de/account/"
    assert response.cookies["django_language"].value == "de"
    user.refresh_from_db()
    assert (user.name, user.position, user.timezone) == ("Anna Schmidt", "Export manager",
                                                         "Asia/Shanghai")
    assert user.languages == ["de", "zh"] and user.consent_listing

    html = client.get(f"/de/events/{event.slug}/").content.decode()
    assert "10:00" in html
    assert re.search(r"1[67]:00", html)
    assert "viewer-time" in html


def test_password_change(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/en/account/password/", {
        "old_password": PASSWORD, "new_password1": "Neues-Passwort-2031",
        "new_password2": "Neues-Passwort-2031",
    })
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Neues-Passwort-2031")
    assert "_auth_user_id" in client.session


@pytest.mark.parametrize("language,phrase,prefix", [
    ("de", "Passwort", "/de/"), ("zh-hans", "密码", "/zh-hans/"), ("en", "password", "/en/"),
])
def test_password_reset_mail_is_in_the_recipients_language(client, language, phrase, prefix):
    UserFactory(email="reset@example.org", preferred_language=language)
    response = client.post("/en/password-reset/", {"email": "reset@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert f"{prefix}password-reset/" in message.body
    if language == "en" or _catalogue_has(language):
        assert phrase in message.subject + message.body


def _catalogue_has(language):
    with translation.override(language):
        return translation.gettext("Qiao: choose a new password") != "Qiao: choose a new password"


def test_password_reset_link_sets_new_password(client):
    user = UserFactory(email="reset@example.org")
    client.post("/en/password-reset/", {"email": "reset@example.org"})
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "Frisch-2031-xyz",
                                       "new_password2": "Frisch-2031-xyz"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Frisch-2031-xyz")


def test_terms_page_explains_data_and_deletion(client):
    html = client.get("/en/terms/").content.decode()
    assert "What data we store" in html
    assert "Contact data" in html
    assert "To delete your account" in html


def test_signup_sends_welcome_mail_in_preferred_language(client,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/signup/", dict(SIGNUP, preferred_language="de"))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zhang.min@jinan-bio.example"]
    assert f"{dashboard_url('de')}" in message.body
    assert "/de/account/" in message.body


def test_login_ignores_case_of_email(client):
    UserFactory(email="anna@example.org", preferred_language="en")
    response = client.post("/en/login/", {"username": "Anna@Example.ORG", "password": PASSWORD})
    assert response.status_code == 302


def test_signup_shows_service_validation_errors_and_creates_nothing(client, monkeypatch):
    from django.core.exceptions import ValidationError

    from qiao.portal import views_accounts

    def refuse(user, **fields):
        raise ValidationError("This organisation cannot be created.")

    monkeypatch.setattr(views_accounts, "create_organization_for", refuse)
    response = client.post("/en/signup/", SIGNUP)
    assert response.status_code == 200
    assert "This organisation cannot be created." in response.content.decode()
    assert not User.objects.exists() and not Organization.objects.exists()


def test_localized_url_switches_only_language_prefixed_pages():
    from qiao.portal.views_accounts import localized_url

    assert localized_url("/en/events/?kind=delegation", "de") == "/de/events/?kind=delegation"
    assert localized_url("/events/", "zh-hans") == "/zh-hans/events/"
    assert localized_url("/api/docs", "de") == "/api/docs"
