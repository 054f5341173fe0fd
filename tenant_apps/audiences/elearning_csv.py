"""Reading an e-learning provider's CSV export: the file's shape (encoding, size, header) and each cell's text.

Nothing here touches the database: `services.import_elearning_csv` matches people and writes the records.
Errors about the whole file are raised as `ValidationError({"file": [message]})`; errors about one cell are
returned as text for the service to number by row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
REQUIRED_COLUMNS = ("email", "module", "started_on")
OPTIONAL_COLUMNS = ("topic", "completed_on", "hours", "reference")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")  # ISO, and the UK form spreadsheets save in
SAVE_AS = "Save it from your spreadsheet as “CSV UTF-8 (comma delimited)” and try again."
TOO_BIG = f"The file is larger than 5 MB. Split it into smaller files of at most {MAX_ROWS:,} rows."


@dataclass(frozen=True)
class Row:
    """One data row: its number as a spreadsheet shows it (the header is row 1) and its cells by column."""

    number: int
    cells: dict[str, str]


@dataclass(frozen=True)
class CsvFile:
    columns: frozenset[str]  # the known columns the header names; a missing optional column changes nothing
    rows: list[Row]


def _file_error(message: str) -> ValidationError:
    return ValidationError({"file": [message]})


def _text(data: bytes | str) -> str:
    if isinstance(data, str):
        if len(data.encode("utf-8", errors="replace")) > MAX_BYTES:
            raise _file_error(TOO_BIG)
        return data.removeprefix("\ufeff")
    if len(data) > MAX_BYTES:
        raise _file_error(TOO_BIG)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _file_error(f"The file is not UTF-8 text (byte {exc.start + 1} is not). {SAVE_AS}") from exc


def _column_name(heading: str) -> str:
    return heading.strip().lower().replace(" ", "_").replace("-", "_")


def _positions(header: list[str]) -> dict[str, int]:
    """{known column: its index} from the header row; a ValidationError when a needed column is missing."""
    names = [_column_name(heading) for heading in header]
    repeated = sorted({name for name in names if name in COLUMNS and names.count(name) > 1})
    if repeated:
        raise _file_error(f"The header row names the column {', '.join(repeated)} more than once.")
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        raise _file_error(
            f"The header row has no column {', '.join(missing)}. The first row must name the columns: "
            f"{', '.join(REQUIRED_COLUMNS)} (needed) and {', '.join(OPTIONAL_COLUMNS)} (optional), in any order."
        )
    return {name: index for index, name in enumerate(names) if name in COLUMNS}


def read(data: bytes | str) -> CsvFile:
    """The file's rows, or a ValidationError on "file" saying what is wrong with it as a whole."""
    text = _text(data)
    if "\x00" in text:
        raise _file_error(f"The file holds NUL characters, so it is not a CSV text file. {SAVE_AS}")
    records = csv.reader(io.StringIO(text, newline=""))
    positions: dict[str, int] | None = None
    rows: list[Row] = []
    try:
        for number, record in enumerate(records, start=1):
            if not any(cell.strip() for cell in record):
                continue
            if positions is None:
                positions = _positions(record)
                continue
            if len(rows) == MAX_ROWS:
                raise _file_error(f"The file has more than {MAX_ROWS:,} rows. Split it into smaller files.")
            cells = {name: record[index].strip() if index < len(record) else "" for name, index in positions.items()}
            rows.append(Row(number, cells))
    except csv.Error as exc:
        raise _file_error(f"The file cannot be read as CSV (line {records.line_num}: {exc}). {SAVE_AS}") from exc
    if positions is None:
        raise _file_error("The file is empty. It needs a header row (email, module, started_on, ...) and data rows.")
    if not rows:
        raise _file_error("The file has a header row but no rows of records.")
    return CsvFile(frozenset(positions), rows)


def parse_date(text: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse_hours(text: str) -> Decimal | None:
    try:
        hours = Decimal(text)
    except InvalidOperation:
        return None
    return hours if hours.is_finite() else None
