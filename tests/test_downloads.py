"""The one way tables are downloaded (fees, evaluation, hours lent, a team's bookings): formulas made harmless in
CSV and Excel, money and dates as a spreadsheet expects them."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook  # type: ignore[import-untyped]

from shared_apps.web.downloads import table_download

ROWS = [['=HYPERLINK("http://x")', Decimal("35"), date(2031, 3, 4), None, 4.5]]


def test_csv_has_a_byte_order_mark_and_no_formula() -> None:
    response = table_download(["Name", "Amount", "Day", "Note", "Mean"], ROWS, name="table")
    assert response["Content-Disposition"] == 'attachment; filename="table.csv"'
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1] == ['\'=HYPERLINK("http://x")', "35.00", "2031-03-04", "", "4.5"]


def test_excel_holds_text_as_text_and_formats_money_and_days() -> None:
    response = table_download(["Name", "Amount", "Day", "Note", "Mean"], ROWS, name="table", kind="xlsx", widths=[30])
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == '\'=HYPERLINK("http://x")' and sheet["A2"].data_type == "s"
    assert sheet["B2"].number_format == '"£"#,##0.00' and sheet["C2"].number_format == "dd/mm/yyyy"
    assert sheet["A1"].font.bold and sheet.column_dimensions["A"].width == 30
