"""Organisers' plans as spreadsheets (openpyxl), in the active language.

Times are written as naive local times of the event's time zone (openpyxl
refuses aware datetimes); the zone is named in the column headers, by its name
with its UTC offset ("Start · Berlin time (UTC+2)").
"""

from __future__ import annotations

import datetime
import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from qiao.core.i18n import translated
from qiao.core.timezones import zone_name

from .ics import languages_text
from .plans import InterpreterSchedule, TablePlan

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
WRAP = Alignment(wrap_text=True, vertical="top")
TIME_FORMAT = "hh:mm"
DATE_FORMAT = "yyyy-mm-dd"


def _local(value, tz):
    return value.astimezone(tz).replace(tzinfo=None)


def _zone_suffix(event) -> str:
    """The event's zone for column headers, by name with its offset on the first day."""
    tz = event.tzinfo
    noon = datetime.datetime.combine(event.start_date, datetime.time(12), tzinfo=tz)
    return " · " + zone_name(tz, noon)


def _header(sheet, titles: list[str], widths: list[int]) -> None:
    sheet.append(titles)
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=sheet.max_row, column=index)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{sheet.max_row + 1}"


def _format_times(sheet, row: int, date_col: int, time_cols: tuple[int, ...]) -> None:
    sheet.cell(row=row, column=date_col).number_format = DATE_FORMAT
    for col in time_cols:
        sheet.cell(row=row, column=col).number_format = TIME_FORMAT


def _safe_title(text: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", text).strip()[:28] or "-"
    title, n = base, 2
    while title.lower() in taken:
        title = f"{base[:25]} {n}"
        n += 1
    taken.add(title.lower())
    return title


def _pair(meeting) -> str:
    request = meeting.request
    return (f"{request.requester.organization.display_name}\n↔ "
            f"{request.recipient.organization.display_name}")


def _to_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_plan_xlsx(plan: TablePlan) -> bytes:
    """The table plan: a grid per day (slots × tables), all meetings, online meetings."""
    event = plan.event
    tz = event.tzinfo
    zone = _zone_suffix(event)
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for day in plan.days:
        sheet = book.create_sheet(_safe_title(day.date.isoformat(), taken))
        titles = [_("Start") + zone, _("End") + zone]
        titles += [_("Table %(table)s") % {"table": n} for n in day.table_numbers]
        titles.append(_("Online"))
        _header(sheet, titles, [12, 12] + [30] * day.table_count + [30])
        for row in day.rows:
            cells = [_local(row.slot.starts_at, tz).time(), _local(row.slot.ends_at, tz).time()]
            cells += [_pair(m) if m else "" for m in row.tables]
            cells.append("\n\n".join(_pair(m) for m in row.online))
            sheet.append(cells)
            for col in (1, 2):
                sheet.cell(row=sheet.max_row, column=col).number_format = TIME_FORMAT
            for cell in sheet[sheet.max_row]:
                cell.alignment = WRAP
    sheet = book.create_sheet(_safe_title(_("All meetings"), taken))
    _header(sheet, [_("Date"), _("Start") + zone, _("End") + zone, _("Table"),
                    _("Organisation"), _("Country"), _("Partner organisation"), _("Country"),
                    _("Interpreter"), _("Video link")], [12, 10, 10, 8, 40, 8, 40, 8, 24, 40])
    online_rows = []
    for day in plan.days:
        for row in day.rows:
            for meeting in [*[m for m in row.tables if m], *row.online]:
                request = meeting.request
                a, b = request.requester.organization, request.recipient.organization
                start = _local(meeting.slot.starts_at, tz)
                values = [start.date(), start.time(), _local(meeting.slot.ends_at, tz).time(),
                          meeting.table if not meeting.is_remote else _("Online"),
                          a.display_name, a.country, b.display_name, b.country,
                          meeting.interpreter.name if meeting.interpreter else "",
                          meeting.remote_link]
                sheet.append(values)
                _format_times(sheet, sheet.max_row, 1, (2, 3))
                if meeting.is_remote or not meeting.table:
                    online_rows.append(values)
    sheet = book.create_sheet(_safe_title(_("Online meetings"), taken))
    _header(sheet, [_("Date"), _("Start") + zone, _("End") + zone, _("Table"),
                    _("Organisation"), _("Country"), _("Partner organisation"), _("Country"),
                    _("Interpreter"), _("Video link")], [12, 10, 10, 8, 40, 8, 40, 8, 24, 40])
    for values in online_rows:
        sheet.append(values)
        _format_times(sheet, sheet.max_row, 1, (2, 3))
    book.properties.title = _("Table plan") + " – " + translated(event.name)
    return _to_bytes(book)


def interpreter_plan_xlsx(event, schedules: list[InterpreterSchedule]) -> bytes:
    """The interpreters' plan: one sheet with every assignment, one sheet per interpreter."""
    tz = event.tzinfo
    zone = _zone_suffix(event)
    titles = [_("Interpreter"), _("Interpreter's languages"), _("Date"), _("Start") + zone,
              _("End") + zone, _("Table"), _("Organisation"), _("Languages"),
              _("Partner organisation"), _("Languages"), _("Video link")]
    widths = [24, 24, 12, 10, 10, 8, 40, 20, 40, 20, 40]
    book = Workbook()
    overview = book.active
    taken: set[str] = set()
    overview.title = _safe_title(_("All interpreters"), taken)
    _header(overview, titles, widths)
    for schedule in schedules:
        interpreter = schedule.interpreter
        sheet = book.create_sheet(_safe_title(interpreter.name, taken))
        _header(sheet, titles, widths)
        for entry in schedule.assignments:
            meeting = entry.meeting
            start = _local(entry.slot.starts_at, tz)
            values = [interpreter.name, languages_text(interpreter.languages), start.date(),
                      start.time(), _local(entry.slot.ends_at, tz).time(),
                      _("Online") if meeting.is_remote else meeting.table,
                      entry.party_a.display_name, languages_text(entry.languages_a),
                      entry.party_b.display_name, languages_text(entry.languages_b),
                      meeting.remote_link]
            for target in (overview, sheet):
                target.append(values)
                _format_times(target, target.max_row, 3, (4, 5))
        if not schedule.assignments:
            sheet.append([interpreter.name, languages_text(interpreter.languages), "", "", "",
                          "", _("No meetings assigned.")])
    book.properties.title = _("Interpreters' plan") + " – " + translated(event.name)
    return _to_bytes(book)
