"""Reading uploaded spreadsheets: CSV (encoding and delimiter detected) and XLSX.

``read_table`` turns the bytes of an upload into a ``Table``: a header row and
data rows of strings, each row with its number as people see it in the file
(the header is usually row 1). The header is the first row with at least two
filled cells, so title lines above the table are skipped; empty rows too. Limits on rows,
columns and cell length protect the server; any problem raises
``TableError`` with a translated message.

CSV files may be UTF-8 (with or without BOM), UTF-16 (with BOM, as Excel's
"Unicode text"), GB18030 (Chinese Excel) or Windows-1252 (German Excel); the
delimiter (``,`` ``;`` or tab) is sniffed from the first lines.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

__all__ = ["Table", "TableError", "read_table", "decode_csv", "MAX_ROWS", "MAX_COLUMNS"]

#: Most data rows in one upload.
MAX_ROWS = 5000
#: Most columns in one upload.
MAX_COLUMNS = 60
#: Longest cell (characters).
MAX_CELL = 5000
#: Largest total size of the parts of an XLSX file once unzipped (protects from zip bombs).
MAX_XLSX_UNPACKED = 200 * 1024 * 1024
#: The header is the first row with at least two cells among this many first rows.
HEADER_SEARCH_ROWS = 10
#: Delimiters tried by the sniffer.
DELIMITERS = ",;\t"

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old binary .xls


class TableError(ValueError):
    """An upload could not be read as a table; the message is meant for people."""


@dataclass
class Table:
    """A header row and data rows of strings, with the rows' numbers in the file."""

    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)

    def records(self):
        """Yield ``(row_number, cells)``; every row is padded to the header's width."""
        width = len(self.headers)
        for number, cells in zip(self.row_numbers, self.rows, strict=True):
            yield number, (cells + [""] * width)[:width]


def read_table(data: bytes, filename: str = "", *, max_rows: int = MAX_ROWS) -> Table:
    """Read an uploaded CSV or XLSX file (chosen by content, then by name)."""
    if not data.strip():
        raise TableError(_("The file is empty."))
    if data.startswith(_OLE_MAGIC) or filename.lower().endswith(".xls"):
        raise TableError(_("Old Excel files (.xls) cannot be read; please save as .xlsx or CSV."))
    if data.startswith(_ZIP_MAGIC):
        rows = _xlsx_rows(data, max_rows)
    else:
        rows = _csv_rows(decode_csv(data), max_rows)
    return _table(rows, max_rows)


def decode_csv(data: bytes) -> str:
    """Decode CSV bytes: BOMs first, then UTF-8, then the likelier of GB18030 and Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates = []
    for encoding in ("gb18030", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_plausibility(text, encoding), text))
    if not candidates:
        raise TableError(
            _("The file's text encoding is not recognised; please save it as UTF-8 CSV.")
        )
    return max(candidates, key=lambda pair: pair[0])[1]


def _is_ascii_letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _plausibility(text: str, encoding: str) -> float:
    """Share of non-ASCII characters that are typical for the encoding's language.

    Windows-1252 German read as GB18030 gives Chinese characters too, but
    wedged inside Latin words ("S鋍hsische"); those count against GB18030.
    """
    padded = f" {text} "
    others = [i for i in range(1, len(padded) - 1) if ord(padded[i]) > 127]
    if not others:
        return 1.0
    good = 0
    for i in others:
        ch = padded[i]
        if encoding == "gb18030":
            wedged = _is_ascii_letter(padded[i - 1]) and _is_ascii_letter(padded[i + 1])
            chinese = "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or ch >= "\uff00"
            good += chinese and not wedged
        else:
            good += (ch.isalpha() and ord(ch) < 0x250) or ch in "€„“”‚‘’–—•…"
    return good / len(others)


def _delimiter(text: str) -> str:
    """The delimiter that splits most of the first lines into the same number of cells."""
    lines = [line for line in text[:50_000].splitlines()[:50] if line.strip()]
    best, best_score = DELIMITERS[0], (0, 0)
    for delimiter in DELIMITERS:
        counts = [line.count(delimiter) for line in lines]
        used = [count for count in counts if count]
        if not used:
            continue
        mode = max(set(used), key=used.count)
        score = (used.count(mode), mode)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_rows(text: str, max_rows: int) -> list[tuple[int, list[str]]]:
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        # Rows are numbered by record, as a spreadsheet program shows the file.
        for number, cells in enumerate(reader, 1):
            if len(cells) > MAX_COLUMNS * 4:
                cells = cells[: MAX_COLUMNS * 4]
            if any(cell.strip() for cell in cells):
                rows.append((number, cells))
                if len(rows) > max_rows + HEADER_SEARCH_ROWS:
                    break
    except csv.Error as exc:
        raise TableError(
            _("The CSV file is malformed near line %(line)d.") % {"line": reader.line_num}
        ) from exc
    return rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _xlsx_rows(data: bytes, max_rows: int) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise TableError(_("The file is not a readable Excel workbook (.xlsx).")) from exc
    if unpacked > MAX_XLSX_UNPACKED:
        raise TableError(_("The workbook is too large when unpacked; please save it as CSV."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise TableError(_("The file is not a readable Excel workbook (.xlsx).")) from exc
    try:
        if not workbook.worksheets:
            raise TableError(_("The workbook has no worksheet."))
        sheet = workbook.worksheets[0]
        rows = []
        for number, values in enumerate(
            sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1), 1
        ):
            cells = [_cell_text(value) for value in values]
            if any(cell.strip() for cell in cells):
                rows.append((number, cells))
                if len(rows) > max_rows + HEADER_SEARCH_ROWS:
                    break
        return rows
    finally:
        workbook.close()


def _table(rows: list[tuple[int, list[str]]], max_rows: int) -> Table:
    if not rows:
        raise TableError(_("The file contains no rows."))
    # Title lines above the table ("Teilnehmerliste …") hold one cell; skip them.
    start = next(
        (i for i, (_n, cells) in enumerate(rows[:HEADER_SEARCH_ROWS])
         if sum(1 for cell in cells if cell.strip()) >= 2),
        0,
    )  # fmt: skip
    rows = rows[start:]
    header_cells = rows[0][1]
    headers = [cell.strip() for cell in header_cells]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise TableError(_("The first row must contain the column names."))
    if len(headers) > MAX_COLUMNS:
        raise TableError(
            _("The file has %(count)d columns; at most %(max)d are allowed.")
            % {"count": len(headers), "max": MAX_COLUMNS}
        )
    data_rows = rows[1:]
    if len(data_rows) > max_rows:
        raise TableError(
            _("The file has more than %(max)d rows; please split it.") % {"max": max_rows}
        )
    if not data_rows:
        raise TableError(_("The file contains column names but no data rows."))
    table = Table(headers=headers)
    for number, cells in data_rows:
        cells = [cell.strip() for cell in cells[: len(headers)]]
        if any(len(cell) > MAX_CELL for cell in cells):
            raise TableError(
                _("Row %(row)d contains a cell longer than %(max)d characters.")
                % {"row": number, "max": MAX_CELL}
            )
        table.rows.append(cells)
        table.row_numbers.append(number)
    return table
