"""PDF and XLSX documents: content, languages (incl. Chinese), time zones, page layout."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from qiao.documents import files
from qiao.documents.pdf import page_counter_css

from .conftest import CHINESE_ORG

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    """All text of a PDF, pages joined, line breaks as spaces."""
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_agenda_pdf_in_chinese_for_the_remote_participant(world):
    document = files.agenda_pdf(world.jinan, "zh-hans", "Asia/Shanghai")
    assert document.filename == "dresden-2031-agenda-jinan-huakang-biotech.pdf"
    text = pdf_text(document.content)
    assert CHINESE_ORG in text
    assert "2031德累斯顿对接会" in text
    assert "Elbtal Sensorik GmbH" in text and "Saxonia Medizintechnik GmbH" in text
    assert "1号桌" in text  # table 1
    assert "https://meet.example.org/q-1" in text
    assert "Li Na" in text
    assert "Vertriebspartner für Ultraschallsonden in China gesucht" in text
    # Event time and, for a reader in Jinan, their own time (+6 h in summer).
    assert "10:00 UTC+2" in text and "16:00 UTC+8" in text
    assert "个人洽谈日程" in text or "Personal agenda" in text
    assert "第1页，共1页" in text or "Page 1 of 1" in text


def test_agenda_pdf_in_german_names_tables_and_the_chinese_partner(world):
    text = pdf_text(files.agenda_pdf(world.elbtal, "de", "Europe/Berlin").content)
    assert "Tisch 3" in text
    assert CHINESE_ORG in text and "寻找德国医疗器械合作伙伴" in text
    assert "Seite 1 von 1" in text
    assert "Dolmetsch" in text or "Li Na" in text
    assert "UTC+8" not in text  # the reader is in the event's time zone


def test_page_counter_is_translated_css():
    from django.utils import translation

    with translation.override("en"):
        assert page_counter_css() == '"Page " counter(page) " of " counter(pages)'


def test_all_agendas_pdf_has_every_participant_from_a_new_page(world):
    content = files.agendas_pdf(world.event, "en").content
    reader = PdfReader(io.BytesIO(content))
    firsts = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert len(firsts) == 3
    # Ordered by organisation name; each page starts with its participant.
    assert "Elbtal Sensorik GmbH · Germany" in firsts[0]
    assert "Saxonia Medizintechnik GmbH · Germany" in firsts[1]
    assert f"{CHINESE_ORG} (Jinan Huakang Biotech) · China" in firsts[2]
    assert "Table 3" in firsts[0] and "Table 1" in firsts[2]
    assert "your time" not in " ".join(firsts)  # the desk reads event time only


def test_table_plan_pdf_lists_tables_and_online_meetings_apart(world):
    text = pdf_text(files.table_plan_pdf(world.event, "en", "Europe/Berlin").content)
    assert "Table plan" in text and "Table 1" in text and "Table 4" in text
    assert "10:30–10:55" in text
    assert "Elbtal Sensorik GmbH" in text and CHINESE_ORG in text
    online_part = text[text.index("Online meetings"):]
    assert "https://meet.example.org/q-1" in online_part
    assert "Elbtal Sensorik GmbH" in online_part


def test_table_plan_pdf_in_chinese(world):
    text = pdf_text(files.table_plan_pdf(world.event, "zh-hans").content)
    assert "2031德累斯顿对接会" in text and CHINESE_ORG in text


def test_interpreter_plan_pdf(world):
    text = pdf_text(files.interpreter_plan_pdf(world.event, "en").content)
    assert "Li Na" in text and "German, Chinese, English" in text
    assert "10:00–10:25" in text and "11:00–11:25" in text
    assert "Table 1" in text and "Online" in text
    assert CHINESE_ORG in text and "Saxonia Medizintechnik GmbH" in text


def test_table_plan_xlsx_grid_and_online_sheet(world):
    document = files.table_plan_xlsx(world.event, "en")
    assert document.filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(document.content))
    assert book.sheetnames == ["2031-06-12", "All meetings", "Online meetings"]
    grid = book["2031-06-12"]
    header = [c.value for c in grid[1]]
    assert header == ["Start · Berlin time (UTC+2)", "End · Berlin time (UTC+2)", "Table 1",
                      "Table 2", "Table 3", "Table 4", "Online"]
    rows = list(grid.iter_rows(min_row=2, values_only=True))
    assert rows[0][0] == datetime.time(10, 0)
    assert "Elbtal Sensorik GmbH" in rows[0][6] and CHINESE_ORG in rows[0][6]
    assert rows[1][4] == "Elbtal Sensorik GmbH\n↔ Saxonia Medizintechnik GmbH"
    assert rows[2][2].startswith("Saxonia Medizintechnik GmbH")
    online = list(book["Online meetings"].iter_rows(min_row=2, values_only=True))
    assert len(online) == 1
    assert online[0][0] == datetime.datetime(2031, 6, 12)
    assert online[0][1] == datetime.time(10, 0) and online[0][9] == "https://meet.example.org/q-1"
    assert len(list(book["All meetings"].iter_rows(min_row=2))) == 3


def test_table_plan_xlsx_in_german(world):
    book = load_workbook(io.BytesIO(files.table_plan_xlsx(world.event, "de").content))
    assert "Tisch 3" in [c.value for c in book.worksheets[0][1]]


def test_interpreter_plan_xlsx(world):
    book = load_workbook(io.BytesIO(files.interpreter_plan_xlsx(world.event, "zh-hans").content))
    assert len(book.sheetnames) == 2 and book.sheetnames[1] == "Li Na"
    rows = list(book["Li Na"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 2
    first = rows[0]
    assert first[0] == "Li Na" and first[3] == datetime.time(10, 0)
    assert first[6] == "Elbtal Sensorik GmbH" and first[8].startswith(CHINESE_ORG)
    assert "中文" in first[9]
    assert rows[1][5] == 1


def pdf_fonts(content: bytes) -> list[tuple[str, str]]:
    """(font name, text) of every text chunk of a PDF, the subset prefix removed."""
    chunks = []

    def visit(text, cm, tm, font, size):
        if font and text.strip():
            chunks.append((str(font.get("/BaseFont", "")).split("+")[-1], text))

    for page in PdfReader(io.BytesIO(content)).pages:
        page.extract_text(visitor_text=visit)
    return chunks


def font_of(chunks: list[tuple[str, str]], needle: str) -> str:
    """The font of the first chunk containing ``needle``."""
    return next(font for font, text in chunks if needle in text)


def test_pdf_fonts_latin_first_and_cjk_first_on_chinese_pages(world):
    """Latin text uses a Latin font (no full-width quotes), Chinese pages the CJK font first."""
    german = pdf_fonts(files.agenda_pdf(world.elbtal, "de", "Europe/Berlin").content)
    assert "DejaVu" in font_of(german, "Tisch 3")
    assert "CJK" in font_of(german, "寻找德国医疗器械合作伙伴")
    chinese = pdf_fonts(files.agenda_pdf(world.jinan, "zh-hans", "Asia/Shanghai").content)
    assert "CJK" in font_of(chinese, "个人洽谈日程")
    # A German profile title (lang="de") on a Chinese page is set in the Latin font.
    assert "DejaVu" in font_of(chinese, "Ultraschallsonden")


@pytest.mark.parametrize("text,expected", [
    ("Dolmetschkräfte", "dolmetschkraefte"),
    ("Gesprächspläne", "gespraechsplaene"),
    ("Größe Übersicht Ölmühle", "groesse-uebersicht-oelmuehle"),
    ("Café Zürich GmbH", "cafe-zuerich-gmbh"),
    ("济南华康 Biotech", "ji-nan-hua-kang-biotech"),
    ("桌位安排", "zhuo-wei-an-pai"),
    ("口译人员安排（2031）", "kou-yi-ren-yuan-an-pai-2031"),
    ("", ""),
])
def test_file_name_part_transliterates_german_letters_and_chinese(text, expected):
    assert files.file_name_part(text) == expected


def test_download_names_keep_umlauts_readable(world):
    world.elbtal.organization.name_latin = "Elbtal Präzisionsmeßtechnik"
    assert files.agenda_ics(world.elbtal, "de").filename.endswith(
        "-agenda-elbtal-praezisionsmesstechnik.ics")
    assert files.interpreter_plan_pdf(world.event, "de").filename == (
        f"{world.event.slug}-dolmetschkraefte.pdf")


def test_agenda_pdf_names_the_time_zones_with_their_offsets(world):
    chinese = pdf_text(files.agenda_pdf(world.jinan, "zh-hans", "Asia/Shanghai").content)
    assert "时间均为活动所在地时间：柏林时间（UTC+2）。" in chinese
    assert "每个时间下方另附您所在地的时间：北京时间（UTC+8）。" in chinese
    assert "Europe/Berlin" not in chinese and "Asia/Shanghai" not in chinese
    german = pdf_text(files.agenda_pdf(world.elbtal, "de", "Europe/Berlin").content)
    assert ("Zeiten sind in der Zeitzone der Veranstaltung angegeben: Berliner Zeit (UTC+2)."
            in german)
    # The reader is in the event's zone: no sentence on their own time.
    assert "Ihre eigene Zeit" not in german and "Europe/Berlin" not in german
    # Nor in Vienna: another zone, the same clock.
    vienna = pdf_text(files.agenda_pdf(world.elbtal, "de", "Europe/Vienna").content)
    assert "Berliner Zeit (UTC+2)" in vienna and "Ihre eigene Zeit" not in vienna


def test_chinese_document_names_keep_a_readable_part_in_pinyin(world):
    # 桌位安排表 ("table plan") used to vanish: "dresden-2031.pdf".
    assert files.table_plan_pdf(world.event, "zh-hans").filename == (
        f"{world.event.slug}-zhuo-wei-an-pai-biao.pdf")


def test_plans_name_the_event_zone_with_its_offset(world):
    """Table and interpreter plans (PDF, XLSX): 'Berlin time (UTC+2)', not 'Europe/Berlin'."""
    text = pdf_text(files.table_plan_pdf(world.event, "de", "Europe/Berlin").content)
    assert "Uhrzeiten nach Berliner Zeit (UTC+2)" in text and "Europe/Berlin" not in text
    text = pdf_text(files.interpreter_plan_pdf(world.event, "zh-hans").content)
    assert "时间均为柏林时间" in text.replace(" ", "") and "（UTC+2）" in text
    assert "Europe/Berlin" not in text
    book = load_workbook(io.BytesIO(files.interpreter_plan_xlsx(world.event, "zh-hans").content))
    header = [c.value for c in book.worksheets[0][1]]
    assert "开始 · 柏林时间（UTC+2）" in header
    assert not any("Europe/Berlin" in (value or "") for value in header)


def test_agenda_where_column_is_empty_for_programme_items(world):
    """Programme items have no room: 'Wo'/'地点' stays empty instead of naming the kind."""
    german = pdf_text(files.agenda_pdf(world.elbtal, "de", "Europe/Berlin").content)
    assert "Begrüßung" in german and "Dr. Wang Lei" in german
    assert "Vortrag" not in german
    chinese = pdf_text(files.agenda_pdf(world.jinan, "zh-hans", "Asia/Shanghai").content)
    assert "欢迎致辞" in chinese and "演讲" not in chinese
