"""The participant's profile workflow in a real browser (Chromium via Playwright)."""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from factories import PASSWORD, EventFactory, MembershipFactory, OrganizerFactory

from qiao.profiles.models import CooperationProfile, ProfileStatus

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(
    os.environ.get("QIAO_TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts")
) / "screenshots" / "participant"


@pytest.fixture(autouse=True)
def english_urls():
    """Build the URLs in English whatever language an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def static_files(settings):
    """Serve src/qiao/static in the live server (the project setting may not list it yet)."""
    import qiao

    static = Path(qiao.__file__).parent / "static"
    if static not in [Path(d) for d in settings.STATICFILES_DIRS if isinstance(d, str | Path)]:
        settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, static]


def login(page, user):
    page.goto(reverse("login"))
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/my/")


def test_write_and_submit_profile_in_browser(page):
    member = MembershipFactory(organization__languages=["de", "zh"])
    EventFactory(organizers=[OrganizerFactory()], name={"en": "Dresden Life Science Day"})
    login(page, member.user)
    page.screenshot(path=f"{SHOTS}/dashboard.png", full_page=True)
    assert page.get_by_text("Dresden Life Science Day").first.is_visible()

    page.click(f"a[href='{reverse('portal:profile_create', args=[member.organization.pk])}']")
    page.check("input[name=direction][value=request]")
    page.select_option("select[name=topic]", "research")
    page.check("input[name=cooperation][value=research]")
    page.fill("input[name=title]", "Forschungspartner für Zellkultur-Sensorik gesucht")
    page.fill(
        "textarea[name=text]",
        "Wir suchen ein Institut in Jinan für die gemeinsame Entwicklung von Sensoren "
        "für die Zellkultur und bieten unsere Erfahrung mit Mikrofluidik.",
    )
    page.wait_for_function(
        "document.getElementById('detected-language').textContent.includes('German')"
    )
    page.fill("input[name=keywords]", "Zellkultur, Mikrofluidik")
    page.screenshot(path=f"{SHOTS}/profile_form.png", full_page=True)
    page.click("main form.stacked button[type=submit]")
    page.wait_for_url("**/my/profiles/*/")
    page.screenshot(path=f"{SHOTS}/profile_preview.png", full_page=True)
    page.click("text=Submit for review")
    page.wait_for_selector(".status--submitted")
    profile = CooperationProfile.objects.get()
    assert profile.status == ProfileStatus.SUBMITTED
    assert profile.language == "de"
    assert page.console_errors == []


def test_dashboard_in_chinese(page):
    member = MembershipFactory()
    login(page, member.user)
    with translation.override("zh-hans"):
        url = reverse("portal:dashboard")
    page.goto(url)
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.console_errors == []


def test_register_for_event_in_browser(page):
    member = MembershipFactory(user__languages=["zh"], organization__country="CN")
    event = EventFactory(
        organizers=[OrganizerFactory()], name={"en": "SMEC Jinan", "zh-hans": "中小企业博览会"}
    )
    login(page, member.user)
    page.goto(reverse("portal:event_register", args=[event.slug]))
    assert page.is_checked("input[name=languages][value=zh]")
    page.check("input[name=attendance][value=remote]")
    page.fill("textarea[name=message]", "希望与德国的医疗器械企业会谈。")
    page.screenshot(path=f"{SHOTS}/event_register.png", full_page=True)
    page.click("main form.stacked button[type=submit]")
    page.wait_for_url("**/my/")
    assert page.locator(".status--pending").first.is_visible()
    page.click("details.confirm summary")
    page.screenshot(path=f"{SHOTS}/dashboard_registered.png", full_page=True)
    page.click("text=Yes, cancel it")
    page.wait_for_selector(".status--cancelled")
    page.goto(reverse("portal:organization_edit", args=[member.organization.pk]))
    page.fill("input[name=uscc]", "12345")
    page.click("main form.stacked button[type=submit]")
    page.wait_for_selector(".field--error")
    page.screenshot(path=f"{SHOTS}/organization_form.png", full_page=True)
    assert page.console_errors == []
