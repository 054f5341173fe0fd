"""Printed documents of bookings: the certificate of attendance (the board's colour and name, the course, date,
hours and outcomes, and the code anyone can check) and the sign-in sheet for a session's register."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from tenant_apps.booking.models import Booking, Certificate
from tenant_apps.offer.calendar import part_location
from tenant_apps.offer.models import Session
from tenant_apps.offer.templatetags.offer_format import part_when
from tenants.models import Board

TEXT = colors.HexColor("#0b0c0c")
SECONDARY = colors.HexColor("#484949")
RULE = colors.HexColor("#b1b4b6")


def _hours(value: object) -> str:
    text = f"{value:f}".rstrip("0").rstrip(".")
    return "1 hour" if text == "1" else f"{text} hours"


def certificate_pdf(certificate: Certificate, board: Board, *, check_url: str) -> bytes:
    buffer = io.BytesIO()
    width, height = landscape(A4)
    canvas = Canvas(buffer, pagesize=(width, height), pageCompression=1)
    canvas.setTitle(f"Certificate of attendance: {certificate.course_title}")
    canvas.setAuthor(board.name)
    canvas.setFillColor(colors.HexColor(board.brand_colour or "#1d70b8"))
    canvas.rect(0, height - 30 * mm, width, 30 * mm, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont("Helvetica-Bold", 18)
    canvas.drawString(20 * mm, height - 19 * mm, board.name)

    canvas.setFillColor(SECONDARY)
    canvas.setFont("Helvetica", 16)
    canvas.drawCentredString(width / 2, height - 55 * mm, "Certificate of attendance")
    canvas.setFillColor(TEXT)
    canvas.setFont("Helvetica-Bold", 30)
    canvas.drawCentredString(width / 2, height - 75 * mm, certificate.person_name)
    canvas.setFont("Helvetica", 14)
    canvas.drawCentredString(width / 2, height - 88 * mm, "attended")
    canvas.setFont("Helvetica-Bold", 20)
    canvas.drawCentredString(width / 2, height - 101 * mm, certificate.course_title[:80])
    canvas.setFont("Helvetica", 14)
    day = f"{certificate.attended_on.day} {certificate.attended_on:%B %Y}"
    canvas.drawCentredString(width / 2, height - 113 * mm, f"on {day}: {_hours(certificate.hours)} of learning")

    outcomes = [line.strip() for line in certificate.learning_outcomes.splitlines() if line.strip()][:6]
    if outcomes:
        style = ParagraphStyle("outcome", fontName="Helvetica", fontSize=11, leading=14, textColor=TEXT)
        y = height - 128 * mm
        canvas.setFont("Helvetica-Bold", 12)
        canvas.drawString(40 * mm, y, "Learning outcomes")
        for outcome in outcomes:
            paragraph = Paragraph(f"• {escape(outcome)}", style)
            _, used = paragraph.wrap(width - 80 * mm, 20 * mm)
            y -= used + 2 * mm
            paragraph.drawOn(canvas, 40 * mm, y)

    canvas.setStrokeColor(RULE)
    canvas.line(20 * mm, 24 * mm, width - 20 * mm, 24 * mm)
    canvas.setFillColor(SECONDARY)
    canvas.setFont("Helvetica", 10)
    canvas.drawString(20 * mm, 17 * mm, f"Certificate code {certificate.code}")
    canvas.drawString(20 * mm, 11 * mm, f"Check it at {check_url}")
    issued = timezone.localtime(certificate.issued_at)
    canvas.drawRightString(width - 20 * mm, 17 * mm, f"Issued {issued.day} {issued:%B %Y}")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def certificate_filename(certificate: Certificate) -> str:
    return f"certificate-{certificate.code}.pdf"


def sign_in_sheet_pdf(session: Session, rows: list[Booking], board: Board) -> bytes:
    """A printable sheet: the session, then each person booked with their agency and a box to sign."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"Sign-in sheet: {session.course.title}",
        author=board.name,
    )
    heading = ParagraphStyle("h", fontName="Helvetica-Bold", fontSize=16, leading=20, textColor=TEXT)
    body = ParagraphStyle("b", fontName="Helvetica", fontSize=10, leading=13, textColor=TEXT)
    cell = ParagraphStyle("c", fontName="Helvetica", fontSize=9, leading=11, textColor=TEXT)
    story: list = [
        Paragraph(escape(board.name), body),
        Paragraph(f"Sign-in sheet: {escape(session.course.title)}", heading),
        Spacer(1, 3 * mm),
    ]
    for part in session.parts.all():
        where = part_location(session, part) or "To be confirmed"
        text = f"{part_when(part)}, {where}"  # as the pages write it: "Tuesday 3 March 2031, 9:30am to 12:30pm"
        story.append(Paragraph(escape(text), body))
    story.append(Spacer(1, 5 * mm))
    table = [["Name", "Agency", "Job role", "Signature"]]
    for row in rows:
        table.append(
            [
                Paragraph(escape(row.user.full_name or row.user.email), cell),
                Paragraph(escape(row.agency.name if row.agency else ""), cell),
                Paragraph(escape(row.job_role), cell),
                "",
            ]
        )
    for _ in range(5):  # for people who come without a booking
        table.append(["", "", "", ""])
    grid = Table(
        table,
        colWidths=[50 * mm, 45 * mm, 40 * mm, 45 * mm],
        rowHeights=[8 * mm] + [11 * mm] * (len(table) - 1),
        repeatRows=1,
    )
    grid.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 10),
                ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1")),
            ]
        )
    )
    story.append(grid)
    document.build(story)
    return buffer.getvalue()
