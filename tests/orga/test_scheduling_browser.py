"""The organisers' matchmaking in a real browser: scheduler run, drag and drop in the grid."""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from factories import PASSWORD, OrganizerFactory, StaffMembershipFactory

from orga.scheduling_world import accepted, participants, tiny_event
from qiao.meetings.models import Meeting, MeetingStatus

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def english_urls():
    """Build the URLs in English whatever language an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def static_files(settings):
    """Serve src/qiao/static in the live server (HTMX and the grid script live there)."""
    import qiao

    static = Path(qiao.__file__).parent / "static"
    if static not in [Path(d) for d in settings.STATICFILES_DIRS if isinstance(d, str | Path)]:
        settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, static]


def test_run_apply_and_drag_a_meeting_to_another_table(page):
    organizer = OrganizerFactory(slug="jinan-office")
    staff = StaffMembershipFactory(organizer=organizer).user
    event = tiny_event(organizer, slug="dresden-2031")
    a, b, c, d = participants(event, 4)
    for x, y in [(a, b), (c, d), (a, c)]:
        accepted(event, x, y)
    waiting = accepted(event, b, d)

    page.goto(reverse("login"))
    page.fill("input[name=username]", staff.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.goto(reverse("orga:event_detail", args=[organizer.slug, event.slug]))
    page.click("text=Matchmaking and agenda")
    page.select_option("select[name=time_limit]", "10")
    page.click("button:has-text('Run the scheduler')")
    page.wait_for_selector("text=Apply this schedule")
    assert page.locator(".sched-figure").first.inner_text() == "4 / 4"
    page.click("button:has-text('Apply this schedule')")
    page.wait_for_selector("#plan")
    assert Meeting.objects.filter(event=event, status=MeetingStatus.SCHEDULED).count() == 4

    # Unplace one meeting with its button, then drag it back onto a free table.
    card = page.locator(f'.sched-grid [data-meeting="{waiting.pk}"]')
    card.locator("text=Unplace").click()
    page.wait_for_selector(f'.sched-unplaced [data-meeting="{waiting.pk}"]')
    waiting.refresh_from_db()
    assert waiting.status == MeetingStatus.UNSCHEDULED
    page.evaluate("window.notReloaded = true")
    target = page.locator("td[data-drop-table]:not([data-drop-table=online])").first
    slot_id = int(target.get_attribute("data-drop-slot"))
    page.locator(f'.sched-unplaced [data-meeting="{waiting.pk}"]').drag_to(target)
    page.wait_for_function(
        "() => !document.querySelector('#plan .message').innerText.includes('taken out')")
    assert page.evaluate("window.notReloaded") is True
    waiting.refresh_from_db()
    message = page.locator("#plan .message").first.inner_text()
    if waiting.status == MeetingStatus.SCHEDULED:
        assert waiting.slot_id == slot_id and waiting.is_locked
        assert "moved and locked" in message
    else:  # the free table was in a slot where a side is busy: the rule is named
        assert "already has another meeting" in message
    # Drag one scheduled meeting onto the other one of its slot: they swap tables.
    from collections import Counter

    busy = Counter(Meeting.objects.filter(event=event, status=MeetingStatus.SCHEDULED)
                   .values_list("slot_id", flat=True))
    slot_id = next((slot for slot, n in busy.items() if n == 2), None)
    if slot_id is not None:  # the scheduler puts two meetings into one slot here
        one_id, other_id = (str(pk) for pk in Meeting.objects.filter(slot_id=slot_id)
                            .order_by("table").values_list("pk", flat=True))
        one = page.locator(f'.sched-grid [data-meeting="{one_id}"]')
        other = page.locator(f'.sched-grid [data-meeting="{other_id}"]')
        before = {m.pk: (m.slot_id, m.table) for m in Meeting.objects.filter(
            pk__in=[int(one_id), int(other_id)])}
        one.drag_to(other)
        page.wait_for_function(
            "() => document.querySelector('#plan .message').innerText.includes('swapped')")
        after = {m.pk: (m.slot_id, m.table) for m in Meeting.objects.filter(
            pk__in=[int(one_id), int(other_id)])}
        assert after[int(one_id)] == before[int(other_id)]
        assert after[int(other_id)] == before[int(one_id)]
    assert page.console_errors == []
