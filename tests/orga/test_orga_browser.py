"""Inline decisions in the back office in a real browser (Chromium via Playwright, HTMX)."""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from factories import (
    PASSWORD,
    EventFactory,
    OrganizationFactory,
    OrganizerFactory,
    ProfileFactory,
    RegistrationFactory,
    StaffMembershipFactory,
)

from qiao.events.models import Registration
from qiao.profiles.models import CooperationProfile

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def english_urls():
    """Build the URLs in English whatever language an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def static_files(settings):
    """Serve src/qiao/static in the live server (HTMX lives there)."""
    import qiao

    static = Path(qiao.__file__).parent / "static"
    if static not in [Path(d) for d in settings.STATICFILES_DIRS if isinstance(d, str | Path)]:
        settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, static]


def test_inline_decisions_without_reload(page):
    organizer = OrganizerFactory(slug="jinan-office")
    staff = StaffMembershipFactory(organizer=organizer).user
    event = EventFactory(organizers=[organizer])
    welcome = RegistrationFactory(event=event, organization__name="Elbtal Diagnostik GmbH")
    declined = RegistrationFactory(event=event, organization__name="Kunstverein Elbflorenz")
    organization = OrganizationFactory(name="山东鹊华制药有限公司", country="CN")
    organization.organizers.add(organizer)
    profile = ProfileFactory(organization=organization, status="submitted", language="zh",
                             title="寻找欧盟 GMP 审计服务", text="我们需要欧洲的咨询机构。")

    page.goto(reverse("login"))
    page.fill("input[name=username]", staff.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.goto(reverse("orga:dashboard"))
    page.evaluate("window.notReloaded = true")

    row = page.locator("tr", has_text="Elbtal Diagnostik GmbH")
    row.get_by_role("button", name="Approve").click()
    row.locator(".decision-result").wait_for()
    assert "approved" in row.inner_text()

    row = page.locator("tr", has_text="Kunstverein Elbflorenz")
    row.locator("summary").click()
    row.locator("textarea").fill("The matchmaking is for life-science companies.")
    row.get_by_role("button", name="Decline registration").click()
    row.locator(".decision-result").wait_for()

    row = page.locator("tr", has_text="寻找欧盟 GMP 审计服务")
    row.locator("summary").click()
    row.locator("textarea").fill("请补充具体的产品信息。")
    row.get_by_role("button", name="Return to the authors").click()
    row.locator(".decision-result").wait_for()

    assert page.evaluate("window.notReloaded") is True
    assert Registration.objects.get(pk=welcome.pk).status == "approved"
    rejected = Registration.objects.get(pk=declined.pk)
    assert rejected.status == "rejected"
    assert rejected.decision_note == "The matchmaking is for life-science companies."
    returned = CooperationProfile.objects.get(pk=profile.pk)
    assert (returned.status, returned.rejection_reason) == ("rejected", "请补充具体的产品信息。")
    assert not page.console_errors
