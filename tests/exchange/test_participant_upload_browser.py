"""In a real browser: staff upload a participant list, fix the mapping, import it."""

from pathlib import Path

import pytest
from factories import PASSWORD, EventFactory, OrganizerFactory, StaffMembershipFactory

import qiao
from qiao.events.models import Registration

pytestmark = pytest.mark.django_db(transaction=True)

CSV = (
    "Teilnehmerliste Kooperationsbörse\n"
    "Firma;Herkunft;Stadt;Ansprechpartner;E-Mail;Teilnahme\n"
    "Elbtal Diagnostik GmbH;Deutschland;Dresden;Anna Weber;a@elbtal.example;vor Ort\n"
    "济南华康医疗器械有限公司;中国;济南;王芳;wang@huakang.example;线上\n"
)


@pytest.fixture(autouse=True)
def serve_project_static(settings):
    """Make sure the live server finds src/qiao/static."""
    from django.contrib.staticfiles.finders import get_finder

    folder = Path(qiao.__file__).parent / "static"
    if folder not in [Path(d) for d in settings.STATICFILES_DIRS]:
        settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, folder]
    get_finder.cache_clear()
    yield
    get_finder.cache_clear()


def test_upload_map_and_import_in_the_browser(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    organizer = OrganizerFactory()
    event = EventFactory(organizers=[organizer])
    user = StaffMembershipFactory(organizer=organizer).user
    page.goto("/en/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.goto(f"/en/orga/{organizer.slug}/events/{event.slug}/participants/upload/")
    upload = tmp_path / "Teilnehmer.csv"
    upload.write_bytes(CSV.encode("utf-8-sig"))
    page.set_input_files("input[type=file]", str(upload))
    page.click("button:has-text('Upload and continue')")
    # "Herkunft" (origin) is not guessed as the country column: the mapping asks for it.
    page.wait_for_selector("text=Choose the column with the country")
    assert page.locator("button[value=import]").count() == 0
    page.select_option("select[name=column_1]", "country")
    page.click("button[value=check]")
    page.wait_for_selector("text=No problems found")
    page.check("input[name=approve]")
    page.click("button[value=import]")
    page.wait_for_selector("text=Participant list imported")
    assert Registration.objects.filter(event=event, status="approved").count() == 2
    assert not list((tmp_path / "media" / "uploads").glob("*.bin"))
    assert page.console_errors == []
