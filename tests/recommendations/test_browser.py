"""In a real browser: a Chinese participant asks for an introduction, the office proposes it."""

from __future__ import annotations

from factories import PASSWORD, StaffMembershipFactory

from qiao.brokerage.models import Introduction
from qiao.recommendations import services
from recommendations.helpers import DX_OFFER, dresden_dx, jinan_distributor, member_of


def log_in(page, email: str) -> None:
    """Log in through the login form and wait for the next page."""
    page.goto("/en/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def test_introduction_from_request_to_proposal(page, mailoutbox):
    dx, cn = dresden_dx(), jinan_distributor()
    staff = StaffMembershipFactory()
    cn.organizers.add(staff.organizer)
    services.refresh_stale_embeddings()
    chinese = member_of(cn, "zh-hans")

    log_in(page, chinese.email)
    page.goto("/zh-hans/my/recommendations/")
    card = page.locator(f"#partner-{dx.pk}")
    assert DX_OFFER[0] in card.inner_text()
    card.locator("summary").click()
    card.locator("textarea[name=note]").fill("请帮我们联系这家德国公司。")
    card.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".message--success").count() == 1
    assert Introduction.objects.get().status == "requested"

    page.context.clear_cookies()
    log_in(page, staff.user.email)
    page.goto(f"/en/orga/{staff.organizer.slug}/introductions/")
    assert "请帮我们联系这家德国公司。" in page.inner_text("main")
    page.click("summary:has-text('Propose an introduction')")
    page.click("button:has-text('Write to both sides')")
    page.wait_for_load_state()
    assert Introduction.objects.get().status == "proposed"
    assert "Proposed to both sides" in page.inner_text("main")
    recipients = [m.to[0] for m in mailoutbox]
    assert recipients == [staff.user.email, chinese.email]  # request, then proposal
    assert page.console_errors == []
