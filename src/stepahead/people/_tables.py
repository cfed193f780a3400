"""Reading an uploaded CSV or XLSX as text rows, within limits a shared server can afford.

A people file is at most `MAX_ROWS` data rows and `MAX_COLUMNS` columns, and no cell is longer
than `MAX_CELL_CHARS`. Anything beyond is refused with a message naming the row or column, before
the rows are kept in memory: an XLSX with one cell in column XFD on every row would otherwise
become 16,384 cells a row, and a zip of a few KB can unpack to gigabytes. Sheets are read in
openpyxl's read-only streaming mode, one row at a time.

CSV quoting is read strictly: an opening quote that is never closed is an error, not the rest of
the file swallowed into one cell; a quoted cell that runs over several lines is reported too,
because no column of a people file holds line breaks and a stray quote is the usual cause.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from openpyxl.utils import get_column_letter

from stepahead.errors import DomainError

if TYPE_CHECKING:
    from _csv import Reader

MAX_ROWS = 500_000
MAX_COLUMNS = 100
# Python's csv module refuses longer fields; no column of a people file comes near it.
MAX_CELL_CHARS = 131_072
# What an XLSX may unpack to; a 20 MB upload of real people data stays far below.
MAX_XLSX_UNPACKED_BYTES = 400 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Table:
    """A spreadsheet read as text: the header and numbered data rows (line 2 onwards)."""

    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]


def read_table(data: bytes, *, filename: str) -> Table:
    """Read a .csv (UTF-8, BOM optional; `,` `;` or tab separated) or .xlsx upload."""
    if filename.lower().endswith(".xlsx"):
        return _table(_xlsx_records(data), "The first sheet")
    if filename.lower().endswith(".csv"):
        return _table(_csv_records(data), "The file")
    raise DomainError("Upload a .csv or .xlsx file.")


def _table(records: Iterator[tuple[int, tuple[str, ...]]], what: str) -> Table:
    first = next(records, None)
    if first is None or not any(cell.strip() for cell in first[1]):
        raise DomainError(f"{what} is empty: it needs a header row.")
    headers = tuple(h.strip() for h in first[1])
    _check_headers(headers)
    rows = []
    for line, cells in records:
        if any(cell.strip() for cell in cells):
            rows.append((line, cells))
            if len(rows) > MAX_ROWS:
                raise DomainError(f"The file has more than {MAX_ROWS:,} rows; split it into smaller files.")
    return Table(headers, tuple(rows))


def _check_headers(headers: tuple[str, ...]) -> None:
    seen: dict[str, int] = {}
    for at, header in enumerate(headers):
        key = " ".join(header.split()).lower()
        if key and (earlier := seen.setdefault(key, at)) != at:
            raise DomainError(
                f"The header names '{header}' twice (columns {get_column_letter(earlier + 1)} and "
                f"{get_column_letter(at + 1)}); give each column its own name."
            )


def _checked_width(line: int, cells: tuple[str, ...]) -> tuple[str, ...]:
    """The row, or an error when it has a filled cell beyond `MAX_COLUMNS`."""
    if len(cells) > MAX_COLUMNS:
        beyond = [at for at in range(MAX_COLUMNS, len(cells)) if cells[at].strip()]
        if beyond:
            column = get_column_letter(beyond[-1] + 1)
            raise DomainError(
                f"Row {line} has a value in column {column}; a people file has at most "
                f"{MAX_COLUMNS} columns. Delete the columns after {get_column_letter(MAX_COLUMNS)}."
            )
        cells = cells[:MAX_COLUMNS]
    return cells


# --- CSV -----------------------------------------------------------------------------------------


def _csv_records(data: bytes) -> Iterator[tuple[int, tuple[str, ...]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DomainError(
            f"The CSV file is not UTF-8 text (line {line}); export it as 'CSV UTF-8'."
        ) from error
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    return _csv_rows(reader)


def _csv_rows(reader: Reader) -> Iterator[tuple[int, tuple[str, ...]]]:
    """Rows numbered by the line they start on; a row running over lines is refused."""
    line = 0
    while True:
        start = line + 1
        try:
            cells = next(reader, None)
        except csv.Error as error:
            raise DomainError(_csv_problem(start, str(error))) from error
        if cells is None:
            return
        line = reader.line_num  # physical lines: a quoted cell may span several
        if line > start and "".join(cells).strip():
            raise DomainError(
                f'Lines {start}–{line} read as one row: a quote (") on line {start} is probably '
                "not closed. Remove the stray quote or close it."
            )
        yield start, _checked_width(start, tuple(cells))


def _csv_problem(line: int, reason: str) -> str:
    if "field larger than field limit" in reason:
        return (
            f"Line {line} has a cell longer than {MAX_CELL_CHARS:,} characters; "
            "no column of a people file needs that much."
        )
    if "unexpected end of data" in reason:
        return f'A quote (") opened on line {line} or after is never closed; the file cannot be read.'
    return f'Line {line} cannot be read as CSV ({reason}); check its quotes (").'


# --- XLSX ----------------------------------------------------------------------------------------


def _xlsx_records(data: bytes) -> Iterator[tuple[int, tuple[str, ...]]]:
    from openpyxl import load_workbook  # only XLSX uploads pay for the import

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except Exception as error:  # openpyxl raises many types for a damaged or non-XLSX file
        raise DomainError("The file could not be read as an Excel workbook (.xlsx).") from error
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise DomainError("The workbook unpacks to more than 400 MB; save the people sheet on its own.")
    # The sheet's stated size may be stale or forged (a cell in XFD): read each row as wide as
    # its own last cell instead, and stop one row past the limit.
    sheet.reset_dimensions()
    stream = sheet.iter_rows(min_row=1, max_row=MAX_ROWS + 2, values_only=True)
    return (
        (line, _checked_width(line, tuple(_xlsx_text(v) for v in row)))
        for line, row in enumerate(stream, start=1)
    )


def _xlsx_text(value: object) -> str:
    """Cells as the text a CSV export would hold (Excel stores whole numbers as floats)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
