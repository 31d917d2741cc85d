"""Agenda pages, downloads, the private calendar feed and the organisers' documents: access."""

from __future__ import annotations

import io

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from factories import MembershipFactory, RegistrationFactory
from openpyxl import load_workbook

from qiao.documents.tokens import feed_token, read_feed_token

from .conftest import CHINESE_ORG
from .test_pdf_xlsx import pdf_text

pytestmark = pytest.mark.django_db


def url(name, *args, lang="en"):
    """``reverse`` under the language prefix ``lang``."""
    with translation.override(lang):
        return reverse(name, args=args)


def test_agenda_page_shows_meetings_in_event_and_viewer_time(client, world):
    client.force_login(world.jinan.user)
    response = client.get(url("portal:agenda", world.event.slug, lang="zh-hans"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Elbtal Sensorik GmbH" in html and "Saxonia Medizintechnik GmbH" in html
    # 10:00 in Dresden is 16:00 for the participant in Asia/Shanghai.
    assert "10:00" in html and "16:00" in html and "UTC+8" in html
    assert "https://meet.example.org/q-1" in html
    assert "Vertriebspartner für Ultraschallsonden in China gesucht" in html
    assert 'class="lang-badge"' in html and "Li Na" in html
    assert "欢迎致辞" in html  # the programme item, in Chinese
    assert url("portal:agenda_pdf", world.event.slug, lang="zh-hans") in html
    assert feed_token(world.jinan) in html
    assert "webcal://" in html


def test_partner_profiles_on_the_agenda_use_the_languages_colon(client, world):
    """“提供：标题” in Chinese (full-width colon), “Angebot: Titel” in German."""
    client.force_login(world.jinan.user)
    html = client.get(url("portal:agenda", world.event.slug, lang="zh-hans")).content.decode()
    assert "：<a href" in html and ": <a href" not in html
    pdf = pdf_text(client.get(url("portal:agenda_pdf", world.event.slug, lang="zh-hans")).content)
    assert "：Vertriebspartner für Ultraschallsonden" in pdf
    client.force_login(world.elbtal.user)
    html = client.get(url("portal:agenda", world.event.slug, lang="de")).content.decode()
    assert ": <a href" in html


def test_agenda_page_needs_few_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.elbtal.user)
    with django_assert_max_num_queries(15):
        assert client.get(url("portal:agenda", world.event.slug)).status_code == 200


def test_agenda_page_in_english_names_the_table(client, world):
    client.force_login(world.elbtal.user)
    html = client.get(url("portal:agenda", world.event.slug)).content.decode()
    assert "Table 3" in html and CHINESE_ORG in html and "寻找德国医疗器械合作伙伴" in html


def test_agenda_page_before_publication(client, world):
    world.event.matchmaking.phase = "scheduling"
    world.event.matchmaking.save()
    client.force_login(world.elbtal.user)
    html = client.get(url("portal:agenda", world.event.slug)).content.decode()
    assert "have not published the meeting agenda yet" in html
    assert "Saxonia Medizintechnik GmbH" not in html


def test_agenda_of_a_user_with_two_registrations_follows_as(client, world):
    other = world.saxonia
    MembershipFactory(organization=other.organization, user=world.elbtal.user)
    client.force_login(world.elbtal.user)
    page = client.get(url("portal:agenda", world.event.slug) + f"?as={other.pk}")
    assert feed_token(other) in page.content.decode()
    assert f"?as={other.pk}" in page.content.decode()


def test_agenda_pdf_download_in_chosen_language(client, world):
    client.force_login(world.elbtal.user)
    response = client.get(url("portal:agenda_pdf", world.event.slug) + "?lang=zh-hans")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    text = pdf_text(response.content)
    assert "3号桌" in text and CHINESE_ORG in text
    default = pdf_text(client.get(url("portal:agenda_pdf", world.event.slug, lang="de")).content)
    assert "Tisch 3" in default
    odd = client.get(url("portal:agenda_pdf", world.event.slug) + "?lang=fr")
    assert "Table 3" in pdf_text(odd.content)


def test_agenda_ics_download(client, world):
    client.force_login(world.elbtal.user)
    response = client.get(url("portal:agenda_ics", world.event.slug))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    cal = icalendar.Calendar.from_ical(response.content)
    assert len([e for e in cal.walk("VEVENT") if str(e["UID"]).startswith("meeting-")]) == 2


@pytest.mark.parametrize("name", ["portal:agenda", "portal:agenda_pdf", "portal:agenda_ics"])
def test_agenda_is_private(client, world, name):
    address = url(name, world.event.slug)
    assert client.get(address).status_code == 302  # to the login page
    outsider = MembershipFactory().user
    client.force_login(outsider)
    assert client.get(address).status_code == 404
    client.force_login(world.staff)
    assert client.get(address).status_code == 404
    # A pending registration has no agenda.
    pending = RegistrationFactory(event=world.event, status="pending")
    client.force_login(MembershipFactory(organization=pending.organization).user)
    assert client.get(address).status_code == 404


def test_feed_needs_no_login_and_a_genuine_token(client, world):
    token = feed_token(world.jinan)
    assert read_feed_token(token) == (world.jinan.pk, "")
    response = client.get(url("portal:agenda_feed", token, lang="zh-hans"))
    assert response.status_code == 200
    cal = icalendar.Calendar.from_ical(response.content)
    events = [e for e in cal.walk("VEVENT") if str(e["UID"]).startswith("meeting-")]
    assert {str(e["LOCATION"])[:3] for e in events} == {"htt", "1号桌"[:3]}
    etag = response["ETag"]
    again = client.get(url("portal:agenda_feed", token, lang="zh-hans"),
                       HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert client.head(url("portal:agenda_feed", token)).status_code == 200
    forged = f"{world.elbtal.pk}.{token.split('.', 1)[1]}"

    for bad in (forged, "x", f"{world.jinan.pk}", token + "x"):
        assert client.get(url("portal:agenda_feed", bad)).status_code == 404
    world.jinan.status = "cancelled"
    world.jinan.save()
    assert client.get(url("portal:agenda_feed", token)).status_code == 404


def test_reset_calendar_address_revokes_the_old_one(client, world):
    registration = world.jinan
    old = feed_token(registration)
    client.force_login(registration.user)
    response = client.post(url("portal:agenda_feed_reset", registration.pk))
    assert response.status_code == 302
    assert response["Location"] == url("portal:agenda", world.event.slug) + "#calendar-feed"
    registration.refresh_from_db()
    new = feed_token(registration)
    assert new != old and read_feed_token(new) == (registration.pk, registration.feed_nonce)
    # The agenda page shows the new address, opened once, with a message.
    html = client.get(response["Location"]).content.decode()
    assert new in html and old not in html
    assert '<details id="calendar-feed" open>' in html
    assert "Your calendar address has been reset" in html
    again = client.get(response["Location"]).content.decode()
    assert '<details id="calendar-feed">' in again
    assert client.get(url("portal:agenda_feed", old)).status_code == 404
    assert client.get(url("portal:agenda_feed", new)).status_code == 200
    # A second reset revokes the second address too; the other feeds are untouched.
    client.post(url("portal:agenda_feed_reset", registration.pk))
    assert client.get(url("portal:agenda_feed", new)).status_code == 404
    assert client.get(url("portal:agenda_feed", feed_token(world.elbtal))).status_code == 200


def test_only_the_participant_resets_their_calendar_address(client, world):
    registration = world.jinan
    address = url("portal:agenda_feed_reset", registration.pk)
    token = feed_token(registration)
    assert client.post(address).status_code == 302  # to the login page
    for user in (world.elbtal.user, world.staff, world.other_staff):
        client.force_login(user)
        assert client.post(address).status_code == 404
    client.force_login(registration.user)
    assert client.get(address).status_code == 405
    registration.refresh_from_db()
    assert registration.feed_nonce == ""
    assert client.get(url("portal:agenda_feed", token)).status_code == 200


def test_reset_calendar_address_needs_the_csrf_token(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.jinan.user)
    page = browser.get(url("portal:agenda", world.event.slug))
    form_action = url("portal:agenda_feed_reset", world.jinan.pk)
    assert f'action="{form_action}"' in page.content.decode()
    assert browser.post(form_action).status_code == 403
    world.jinan.refresh_from_db()
    assert world.jinan.feed_nonce == ""
    csrf = page.context["csrf_token"]
    assert browser.post(form_action, {"csrfmiddlewaretoken": str(csrf)}).status_code == 302
    world.jinan.refresh_from_db()
    assert world.jinan.feed_nonce


ORGA_DOCUMENTS = ["orga:agendas_pdf", "orga:table_plan_pdf", "orga:table_plan_xlsx",
                  "orga:interpreter_plan_pdf", "orga:interpreter_plan_xlsx"]


@pytest.mark.parametrize("name", ORGA_DOCUMENTS)
def test_organiser_documents_only_for_the_event_staff(client, world, name):
    address = url(name, world.organizer.slug, world.event.slug)
    assert client.get(address).status_code == 302
    for user in (world.other_staff, world.elbtal.user):
        client.force_login(user)
        assert client.get(address).status_code == 404
    client.force_login(world.staff)
    response = client.get(address)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"


def test_organiser_documents_in_the_staff_language(client, world):
    client.force_login(world.staff)
    pdf = client.get(url("orga:table_plan_pdf", world.organizer.slug, world.event.slug,
                         lang="de"))
    assert "Tisch 4" in pdf_text(pdf.content) and CHINESE_ORG in pdf_text(pdf.content)
    sheet = client.get(url("orga:interpreter_plan_xlsx", world.organizer.slug, world.event.slug,
                           lang="zh-hans"))
    assert sheet["Content-Disposition"].startswith("attachment;")
    book = load_workbook(io.BytesIO(sheet.content))
    assert "Li Na" in book.sheetnames
    zh = client.get(url("orga:interpreter_plan_pdf", world.organizer.slug, world.event.slug,
                        lang="zh-hans"))
    assert "1号桌" in pdf_text(zh.content)


def test_organiser_document_names_transliterate_umlauts(client, world):
    """German file names keep their umlauts readable: "Dolmetschkräfte" -> "dolmetschkraefte"."""
    client.force_login(world.staff)
    slug = world.event.slug
    for name, expected in [("orga:interpreter_plan_xlsx", f"{slug}-dolmetschkraefte.xlsx"),
                           ("orga:agendas_pdf", f"{slug}-gespraechsplaene.pdf")]:
        response = client.get(url(name, world.organizer.slug, slug, lang="de"))
        assert f'filename="{expected}"' in response["Content-Disposition"]


def test_links_include_renders(world, rf):
    from django.template.loader import render_to_string

    html = render_to_string("orga/documents/_links.html",
                            {"organizer": world.organizer, "event": world.event})
    assert url("orga:table_plan_xlsx", world.organizer.slug, world.event.slug) in html
    assert url("orga:interpreter_plan_pdf", world.organizer.slug, world.event.slug) in html
    assert url("orga:agendas_pdf", world.organizer.slug, world.event.slug) in html
