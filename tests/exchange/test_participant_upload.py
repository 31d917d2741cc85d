"""Participant list upload: reading CSV/XLSX, column guessing, preview, import, access."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from factories import (
    EventFactory,
    OrganizationFactory,
    OrganizerFactory,
    RegistrationFactory,
    StaffMembershipFactory,
)

from qiao.events.models import Registration
from qiao.exchange.columns import guess_mapping
from qiao.exchange.participants import (
    Options,
    ParticipantImportError,
    check_participants,
    import_participants,
)
from qiao.exchange.tabular import TableError, decode_csv, read_table
from qiao.exchange.uploads import purge_stale_uploads
from qiao.organizations.models import Contact, Organization

GERMAN_CSV = (
    "Firma;Land;Stadt;Ansprechpartner;E-Mail;Telefon;Sprachen;Teilnahme\n"
    "Elbtal Diagnostik GmbH;Deutschland;Dresden;Anna Weber;a.weber@elbtal.example;"
    "+49 351 1234;Deutsch, Englisch;vor Ort\n"
    "Elbtal Diagnostik GmbH;Deutschland;Dresden;Bernd Kurz;b.kurz@elbtal.example;;Deutsch;\n"
    "Sächsische Feinwerk AG;DE;Chemnitz;Jörg Müller;jm@feinwerk.example;;de;online\n"
)
CHINESE_HEADERS = [
    "公司名称",
    "英文名称",
    "国家",
    "城市",
    "联系人",
    "邮箱",
    "手机",
    "语言",
    "参会方式",
]
CHINESE_ROWS = [
    ["济南华康医疗器械有限公司", "Jinan Huakang Medical Devices", "中国", "济南", "王芳",
     "wang@huakang.example", "13800000000", "中文、英语", "线下"],
    ["山东省科学院", "Shandong Academy of Sciences", "中国", "济南", "李伟", "", "",
     "中文", "线上"],
]  # fmt: skip


def xlsx_bytes(headers, rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def db_counts():
    return (Organization.objects.count(), Contact.objects.count(), Registration.objects.count())


# --- reading and guessing ----------------------------------------------------------


def test_csv_encodings_and_delimiters():
    utf8 = read_table(("\ufeff" + GERMAN_CSV).encode("utf-8"), "list.csv")
    assert utf8.headers[0] == "Firma"
    assert utf8.rows[2][0] == "Sächsische Feinwerk AG"
    assert utf8.row_numbers == [2, 3, 4]
    latin = read_table(GERMAN_CSV.encode("cp1252"), "list.csv")
    assert latin.rows[2][3] == "Jörg Müller"
    chinese = ",".join(CHINESE_HEADERS) + "\n" + ",".join(CHINESE_ROWS[0]) + "\n"
    table = read_table(chinese.encode("gb18030"), "名单.csv")
    assert table.headers == CHINESE_HEADERS
    assert table.rows[0][0] == "济南华康医疗器械有限公司"
    assert decode_csv("a,b\n".encode("utf-16")) == "a,b\n"


def test_xlsx_reading_and_cell_types():
    data = xlsx_bytes(["Firma", "Telefon", "Land"], [["A GmbH", 4935112345, "DE"], [None, None]])
    table = read_table(data, "list.xlsx")
    assert table.headers == ["Firma", "Telefon", "Land"]
    assert table.rows == [["A GmbH", "4935112345", "DE"]]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"Firma;Land\n", "no data rows"),
        (b"\xd0\xcf\x11\xe0rest", ".xls"),
        (b"PK\x03\x04broken", "Excel"),
    ],
)
def test_unreadable_files(data, message):
    with pytest.raises(TableError, match=re.escape(message)):
        read_table(data, "x.csv")


def test_row_limit():
    text = "Firma;Land\n" + "".join(f"F{i};DE\n" for i in range(11))
    with pytest.raises(TableError, match="more than 10 rows"):
        read_table(text.encode(), "x.csv", max_rows=10)
    assert len(read_table(text.encode(), "x.csv", max_rows=11).rows) == 11


def test_guess_mapping_german_english_chinese():
    assert guess_mapping(["Firma", "Land", "E-Mail", "Ansprechpartner", "Telefon", "Foo"]) == [
        "organization_name", "country", "contact_email", "contact_name", "contact_phone", "",
    ]  # fmt: skip
    assert guess_mapping(CHINESE_HEADERS) == [
        "organization_name", "name_latin", "country", "city", "contact_name", "contact_email",
        "contact_phone", "languages", "attendance",
    ]  # fmt: skip
    assert guess_mapping(["Company name", "Country", "Contact e-mail address", "Company"]) == [
        "organization_name", "country", "contact_email", "",
    ]  # fmt: skip


# --- service -----------------------------------------------------------------------


@pytest.mark.django_db
def test_service_import_groups_rows_and_matches_existing():
    organizer = OrganizerFactory()
    event = EventFactory(organizers=[organizer])
    existing = OrganizationFactory(name="Sächsische Feinwerk AG", country="DE", city="Zwickau")
    table = read_table(GERMAN_CSV.encode(), "list.csv")
    mapping = guess_mapping(table.headers)
    report = import_participants(table, mapping, event, options=Options(approve=True))
    assert (report.organizations_created, report.organizations_matched) == (1, 1)
    assert report.registrations_created == report.registrations_approved == 2
    elbtal = Organization.objects.get(name="Elbtal Diagnostik GmbH")
    assert elbtal.languages == ["de", "en"] and elbtal.kind == "other"
    assert [c.name for c in elbtal.contacts.all()] == ["Anna Weber", "Bernd Kurz"]
    registration = Registration.objects.get(event=event, organization=elbtal)
    assert registration.status == "approved"
    assert registration.representatives == "Anna Weber\nBernd Kurz"
    assert registration.attendance == "in_person"
    existing.refresh_from_db()
    assert existing.city == "Zwickau"  # known data is not overwritten
    assert Registration.objects.get(organization=existing).attendance == "remote"
    assert set(elbtal.organizers.all()) == {organizer}
    # Importing the same list again adds nothing.
    before = db_counts()
    again = import_participants(table, mapping, event, options=Options())
    assert db_counts() == before
    assert again.registrations_unchanged == 2 and again.organizations_created == 0


@pytest.mark.django_db
def test_service_errors_name_row_and_column_and_write_nothing():
    event = EventFactory(organizers=[OrganizerFactory()])
    bad = GERMAN_CSV.replace("b.kurz@elbtal.example", "b.kurz(at)elbtal").replace(
        "DE;Chemnitz", "Atlantis;Chemnitz"
    )
    table = read_table(bad.encode(), "list.csv")
    mapping = guess_mapping(table.headers)
    result = check_participants(table, mapping, event, Options())
    assert [(i.row, i.column) for i in result.issues] == [(3, "E-Mail"), (4, "Land")]
    before = db_counts()
    with pytest.raises(ParticipantImportError) as info:
        import_participants(table, mapping, event, options=Options())
    assert len(info.value.issues) == 2
    assert db_counts() == before


@pytest.mark.django_db
def test_existing_registration_keeps_its_status_unless_pending():
    event = EventFactory(organizers=[OrganizerFactory()])
    declined = RegistrationFactory(
        event=event, organization=OrganizationFactory(name="Elbtal Diagnostik GmbH"),
        status="rejected",
    )  # fmt: skip
    table = read_table(GERMAN_CSV.encode(), "list.csv")
    import_participants(table, guess_mapping(table.headers), event, options=Options(approve=True))
    declined.refresh_from_db()
    assert declined.status == "rejected"


# --- views -------------------------------------------------------------------------


@pytest.fixture
def staff_setup(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    organizer = OrganizerFactory()
    event = EventFactory(organizers=[organizer])
    user = StaffMembershipFactory(organizer=organizer).user
    client.force_login(user)
    return organizer, event, user


def upload(client, organizer, event, data: bytes, name: str):
    url = reverse("orga:participants_upload", args=[organizer.slug, event.slug])
    file = io.BytesIO(data)
    file.name = name
    return client.post(url, {"file": file})


def mapping_post(response_page, **extra):
    """The mapping form as the browser would send it (guessed choices kept)."""
    form = response_page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.pop("approve")
    data.update(extra)
    return {k: v for k, v in data.items() if v is not False}


@pytest.mark.django_db
def test_csv_upload_map_preview_and_import(client, staff_setup, tmp_path):
    organizer, event, user = staff_setup
    response = upload(client, organizer, event, GERMAN_CSV.encode("cp1252"), "Teilnehmer.csv")
    assert response.status_code == 302
    map_url = response["Location"]
    assert list((tmp_path / "uploads").glob("*.bin"))
    page = client.get(map_url)
    assert page.status_code == 200
    form = page.context["form"]
    assert form["column_0"].value() == "organization_name"
    assert form["column_4"].value() == "contact_email"
    assert page.context["result"].ok
    assert "Sächsische Feinwerk AG" in page.content.decode()
    response = client.post(map_url, mapping_post(page, action="import", approve="on"))
    assert response.status_code == 302
    assert Registration.objects.filter(event=event, status="approved").count() == 2
    registration = Registration.objects.get(organization__name="Elbtal Diagnostik GmbH")
    assert registration.registered_by == user and registration.decided_by == user
    assert not list((tmp_path / "uploads").glob("*"))  # file deleted after import
    assert client.get(map_url).status_code == 302  # token gone


@pytest.mark.django_db
def test_xlsx_upload_with_chinese_headers_creates_pending_registrations(client, staff_setup):
    organizer, event, _user = staff_setup
    response = upload(
        client, organizer, event, xlsx_bytes(CHINESE_HEADERS, CHINESE_ROWS), "名单.xlsx"
    )
    page = client.get(response["Location"])
    assert page.context["result"].ok
    response = client.post(response["Location"], mapping_post(page, action="import"))
    assert response.status_code == 302
    huakang = Organization.objects.get(name="济南华康医疗器械有限公司")
    assert (huakang.country, huakang.name_latin, huakang.languages) == (
        "CN", "Jinan Huakang Medical Devices", ["zh", "en"],
    )  # fmt: skip
    assert huakang.contacts.get().phone == "13800000000"
    statuses = set(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses == {"pending"}
    assert Registration.objects.get(organization__name="山东省科学院").attendance == "remote"


@pytest.mark.django_db
def test_error_rows_are_shown_and_nothing_is_written(client, staff_setup):
    organizer, event, _user = staff_setup
    bad = GERMAN_CSV.replace("b.kurz@elbtal.example", "b.kurz(at)elbtal")
    response = upload(client, organizer, event, bad.encode(), "list.csv")
    map_url = response["Location"]
    page = client.get(map_url)
    result = page.context["result"]
    assert not result.ok
    assert [(i.row, i.column) for i in result.issues] == [(3, "E-Mail")]
    html = page.content.decode()
    assert 'value="import"' not in html
    before = db_counts()
    page = client.post(map_url, mapping_post(page, action="import"))
    assert page.status_code == 200
    assert db_counts() == before
    assert "Nothing was imported" in page.content.decode()


@pytest.mark.django_db
def test_mapping_must_name_the_organisation_and_a_country(client, staff_setup):
    organizer, event, _user = staff_setup
    response = upload(client, organizer, event, b"Name;Ort\nA GmbH;Dresden\n", "l.csv")
    page = client.get(response["Location"])
    assert page.context["result"] is None
    page = client.post(
        response["Location"],
        {"column_0": "organization_name", "column_1": "city", "default_kind": "company",
         "action": "import"},
    )  # fmt: skip
    assert "country" in " ".join(page.context["form"].non_field_errors())
    assert Organization.objects.count() == 0
    response = client.post(
        response["Location"],
        {"column_0": "organization_name", "column_1": "city", "default_kind": "company",
         "default_country": "DE", "action": "import"},
    )  # fmt: skip
    assert response.status_code == 302
    org = Organization.objects.get()
    assert (org.country, org.kind, org.languages) == ("DE", "company", ["de"])


@pytest.mark.django_db
def test_size_limit(client, staff_setup, settings):
    organizer, event, _user = staff_setup
    settings.QIAO_MAX_UPLOAD_BYTES = 50
    response = upload(client, organizer, event, GERMAN_CSV.encode(), "list.csv")
    assert response.status_code == 200
    assert "too large" in response.content.decode()


@pytest.mark.django_db
def test_cancel_deletes_the_file(client, staff_setup, tmp_path):
    organizer, event, _user = staff_setup
    response = upload(client, organizer, event, GERMAN_CSV.encode(), "list.csv")
    client.post(response["Location"], {"action": "cancel"})
    assert not list((tmp_path / "uploads").glob("*"))
    assert db_counts() == (0, 0, 0)


@pytest.mark.django_db
def test_cross_organiser_access_is_404(client, staff_setup):
    organizer, event, _user = staff_setup
    response = upload(client, organizer, event, GERMAN_CSV.encode(), "list.csv")
    map_url = response["Location"]
    other = StaffMembershipFactory().user
    client.force_login(other)
    url = reverse("orga:participants_upload", args=[organizer.slug, event.slug])
    assert client.get(url).status_code == 404
    assert client.get(map_url).status_code == 404
    # Staff of another organiser using their own organiser's slug with this event: 404 too.
    own = other.staff_memberships.get().organizer
    assert (
        client.get(reverse("orga:participants_upload", args=[own.slug, event.slug])).status_code
        == 404
    )
    # A colleague of the same organiser cannot continue someone else's upload.
    colleague = StaffMembershipFactory(organizer=organizer).user
    client.force_login(colleague)
    assert client.get(map_url).status_code == 302


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    organizer = OrganizerFactory()
    event = EventFactory(organizers=[organizer])
    url = reverse("orga:participants_upload", args=[organizer.slug, event.slug])
    assert client.get(url).status_code == 302


def test_purge_stale_uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    folder = tmp_path / "uploads"
    folder.mkdir()
    old = folder / ("a" * 43 + ".bin")
    old.write_bytes(b"x")
    import os

    os.utime(old, (0, 0))
    keep = folder / "README"
    keep.write_text("not ours")
    assert purge_stale_uploads() == 1
    assert not old.exists() and keep.exists()


def test_title_lines_above_the_header_are_skipped():
    data = xlsx_bytes(
        ["Teilnehmerliste Kooperationsbörse 2026"], [[], ["Firma", "Land"], ["A", "DE"]]
    )
    table = read_table(data, "list.xlsx")
    assert table.headers == ["Firma", "Land"]
    assert table.rows == [["A", "DE"]] and table.row_numbers == [4]


def test_xlsx_unpacked_size_limit(monkeypatch):
    from qiao.exchange import tabular

    monkeypatch.setattr(tabular, "MAX_XLSX_UNPACKED", 1000)
    with pytest.raises(TableError, match="too large"):
        read_table(xlsx_bytes(["Firma", "Land"], [["A", "DE"]]), "list.xlsx")


@pytest.mark.django_db
def test_capacity_warning_in_preview():
    event = EventFactory(organizers=[OrganizerFactory()], capacity=1)
    table = read_table(GERMAN_CSV.encode(), "list.csv")
    result = check_participants(table, guess_mapping(table.headers), event, Options())
    assert result.ok
    assert result.warnings == [
        "The event has room for 1 organisation; after this import 2 would be registered."
    ]


def test_delimiter_detection_ignores_title_lines():
    text = "Liste, Stand 1. März\nFirma;Land;Stadt\nA, B & Co;DE;Dresden\n"
    table = read_table(text.encode(), "x.csv")
    assert table.headers == ["Firma", "Land", "Stadt"]
    assert table.rows == [["A, B & Co", "DE", "Dresden"]]


@pytest.mark.django_db
def test_preview_and_import_message_count_in_singular_and_plural(client, staff_setup):
    organizer, event, _user = staff_setup
    OrganizationFactory(name="Sächsische Feinwerk AG", country="DE")
    with translation.override("de"):
        response = upload(client, organizer, event, GERMAN_CSV.encode(), "list.csv")
    map_url = response["Location"]
    assert map_url.startswith("/de/")
    page = client.get(map_url)
    html = page.content.decode()
    assert "1 neue Organisation." in html
    assert "1 Organisation ist bereits bekannt." in html
    response = client.post(map_url, mapping_post(page, action="import"), follow=True)
    (message,) = [str(m) for m in response.context["messages"]]
    assert message.startswith("Teilnehmendenliste importiert. 1 neue Organisation. ")
    assert "1 Organisation war bereits bekannt." in message
    assert "2 Anmeldungen erstellt (0 bestätigt)." in message
    assert "0 Organisationen waren bereits angemeldet." in message


@pytest.mark.django_db
def test_preview_counts_in_german_plural(client, staff_setup):
    organizer, event, _user = staff_setup
    with translation.override("de"):
        response = upload(client, organizer, event, GERMAN_CSV.encode(), "list.csv")
    html = client.get(response["Location"]).content.decode()
    assert "2 neue Organisationen." in html
    assert "0 Organisationen sind bereits bekannt." in html
