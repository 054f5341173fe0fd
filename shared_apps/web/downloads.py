"""Tables people download, as CSV or Excel, written one way everywhere.

CSV starts with a byte order mark, so that Excel reads accents, dashes and pound signs right. In both formats a
text that a spreadsheet would run as a formula (a name typed as "=HYPERLINK(...)") is written with a leading
apostrophe, and Excel cells hold text as text, never as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

KINDS = ("csv", "xlsx")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
POUNDS = '"£"#,##0.00'


def harmless(value: Any) -> Any:
    """A text a spreadsheet would run as a formula, made plain text; anything else as it is."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value.isoformat() if isinstance(value, date) else value


def _csv(headings: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headings)
    for row in rows:
        writer.writerow([_csv_cell(harmless(value)) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(headings: Sequence[str], rows: Iterable[Sequence[Any]], sheet_title: str, widths: Sequence[int]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_title
    sheet.append(list(headings))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([harmless(value) for value in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            elif isinstance(cell.value, Decimal):
                cell.number_format = POUNDS  # the only Decimals in our tables are sums of money
            elif isinstance(cell.value, date):
                cell.number_format = "dd/mm/yyyy"
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def table_download(
    headings: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    name: str,
    kind: str = "csv",
    sheet_title: str = "Sheet1",
    widths: Sequence[int] = (),
) -> HttpResponse:
    """The table as an attachment `name`.csv or `name`.xlsx (`kind`); `widths` are Excel's column widths."""
    if kind == "xlsx":
        content, content_type = _xlsx(headings, rows, sheet_title, widths), XLSX_TYPE
    else:
        content, content_type = _csv(headings, rows), "text/csv; charset=utf-8"
    return HttpResponse(
        content, content_type=content_type, headers={"Content-Disposition": f'attachment; filename="{name}.{kind}"'}
    )
