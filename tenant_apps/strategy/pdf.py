"""The strategy as a PDF laid out like the boards' own documents (Croydon's 2017-19 strategy): the board's name in
a band of its colour, document control, contents with page numbers, numbered sections, and each action plan as
a landscape appendix whose RAG cells say the rating in words as well as colour. Page n of m in every footer."""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from django.utils.dateformat import format as format_date
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from tenant_apps.strategy import display
from tenant_apps.strategy.models import Strategy
from tenant_apps.strategy.selectors import Section, document_sections
from tenants.models import Board

MARGIN = 18 * mm
BAND_HEIGHT = 12 * mm
FOOTER_HEIGHT = 10 * mm
TEXT = colors.HexColor("#0b0c0c")
SECONDARY_TEXT = colors.HexColor("#484949")
RULE = colors.HexColor("#b1b4b6")
FONT, BOLD, ITALIC = "Helvetica", "Helvetica-Bold", "Helvetica-Oblique"


def _style(name: str, size: float, *, font: str = FONT, leading: float | None = None, **extra: Any) -> ParagraphStyle:
    extra.setdefault("textColor", TEXT)
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading or size * 1.3, **extra)


STYLES = {
    "caption": _style("caption", 12, textColor=SECONDARY_TEXT, spaceAfter=4),
    "title": _style("title", 24, font=BOLD, leading=29, spaceAfter=10),
    "lead": _style("lead", 13, leading=18, spaceAfter=10),
    "h1": _style("h1", 16, font=BOLD, spaceBefore=14, spaceAfter=8),
    "h2": _style("h2", 12, font=BOLD, spaceBefore=8, spaceAfter=4),
    "body": _style("body", 10, leading=14, spaceAfter=6),
    "item": _style("item", 10, leading=14, spaceAfter=4, leftIndent=12 * mm, bulletIndent=0, bulletFontName=FONT),
    "cell": _style("cell", 8, leading=10),
    "cell_bold": _style("cell_bold", 8, font=BOLD, leading=10),
    "small": _style("small", 9, leading=12),
    "small_bold": _style("small_bold", 9, font=BOLD, leading=12),
    "page": _style("page", 9, leading=12, alignment=TA_RIGHT),
}


def strategy_pdf_filename(strategy: Strategy, board: Board) -> str:
    """Like croydon-strategy-2017-19.pdf."""
    return f"{board.slug}-strategy-{strategy.period_start.year}-{strategy.period_end.year % 100:02d}.pdf"


def strategy_pdf(strategy: Strategy, board: Board, *, today: date) -> bytes:
    """The document as PDF bytes. `strategy` comes from `selectors.strategy_document` (everything prefetched)."""
    # The first pass finds the page each heading falls on, the second prints them in the contents (a third only if
    # printing them moved a heading, which the placeholder of the same size prevents).
    pages: dict[str, int] = {}
    for _ in range(3):
        buffer = io.BytesIO()
        document = _Document(buffer, strategy=strategy, board=board)
        document.build(
            _story(strategy, board, today, pages),
            canvasmaker=functools.partial(_NumberedCanvas, footer=_footer_text(strategy)),
        )
        if document.heading_pages == pages:
            break
        pages = document.heading_pages
    return buffer.getvalue()


# --- page furniture ---------------------------------------------------------------------------------------------


def _text_colour_on(background: str) -> colors.Color:
    """Black or white, whichever reads better on the board's colour (WCAG relative luminance)."""
    channels = [int(background[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return colors.white if (1.05 / (luminance + 0.05)) >= ((luminance + 0.05) / 0.05) else TEXT


def _footer_text(strategy: Strategy) -> str:
    version = f", version {strategy.version_label}" if strategy.version_label else ""
    return f"{strategy.title}{version}"


class _NumberedCanvas(Canvas):
    """Holds every page until the end so the footer can say "Page n of m"."""

    def __init__(self, *args: Any, footer: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._draw_footer(number, total)
            super().showPage()
        super().save()

    def _draw_footer(self, number: int, total: int) -> None:
        width = self._pagesize[0]
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, FOOTER_HEIGHT + 2 * mm, width - MARGIN, FOOTER_HEIGHT + 2 * mm)
        self.setFillColor(SECONDARY_TEXT)
        self.setFont(FONT, 8)
        self.drawString(MARGIN, FOOTER_HEIGHT - 2 * mm, self._footer[:110])
        self.drawRightString(width - MARGIN, FOOTER_HEIGHT - 2 * mm, f"Page {number} of {total}")
        self.restoreState()


@dataclass(frozen=True)
class _Heading:
    key: str
    text: str
    level: int


class _Document(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO, *, strategy: Strategy, board: Board) -> None:
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + BAND_HEIGHT,
            bottomMargin=MARGIN + FOOTER_HEIGHT / 2,
            title=strategy.title,
            author=board.name,
            subject=f"Learning and development strategy {strategy.period_label}",
            creator=board.name,
            lang="en-GB",
        )
        self.heading_pages: dict[str, int] = {}
        self._board = board
        # Every page of a draft or a superseded strategy says so, wherever it is printed from.
        self._status = {Strategy.Status.DRAFT: "Draft: not adopted", Strategy.Status.SUPERSEDED: "Superseded"}.get(
            Strategy.Status(strategy.status), ""
        )
        self.addPageTemplates([self._template("portrait", A4), self._template("landscape", landscape(A4))])

    def _template(self, name: str, size: tuple[float, float]) -> PageTemplate:
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            size[0] - self.leftMargin - self.rightMargin,
            size[1] - self.topMargin - self.bottomMargin,
            id=name,
        )
        return PageTemplate(id=name, frames=[frame], onPage=self._draw_band, pagesize=size)

    def _draw_band(self, canvas: Canvas, document: BaseDocTemplate) -> None:
        width, height = canvas._pagesize
        colour = self._board.brand_colour
        canvas.saveState()
        canvas.setFillColor(colors.HexColor(colour))
        canvas.rect(0, height - BAND_HEIGHT, width, BAND_HEIGHT, stroke=0, fill=1)
        canvas.setFillColor(_text_colour_on(colour))
        canvas.setFont(BOLD, 11)
        baseline = height - BAND_HEIGHT / 2 - 4
        canvas.drawString(MARGIN, baseline, self._board.name)
        if self._status:
            canvas.setFont(BOLD, 10)
            canvas.drawRightString(width - MARGIN, baseline, self._status.upper())
        canvas.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:
        heading: _Heading | None = getattr(flowable, "lscb_heading", None)
        if heading is not None:
            self.heading_pages[heading.key] = self.page
            self.canv.bookmarkPage(heading.key)
            self.canv.addOutlineEntry(heading.text, heading.key, level=heading.level)


# --- the story --------------------------------------------------------------------------------------------------


def _text(value: str) -> str:
    """User text made safe for a Paragraph: escaped, with its line breaks kept."""
    return escape(value.strip()).replace("\r\n", "\n").replace("\n", "<br/>")


def _heading(key: str, text: str, style: str = "h1", level: int = 0) -> Paragraph:
    paragraph = Paragraph(_text(text), STYLES[style])
    paragraph.lscb_heading = _Heading(key, text, level)
    return paragraph


def _long_date(value: date | None, missing: str = "Not set") -> str:
    return format_date(value, "j F Y") if value else missing


def _story(strategy: Strategy, board: Board, today: date, pages: dict[str, int]) -> list[Flowable]:
    sections = document_sections(strategy)
    appendices = display.appendices(strategy, today)
    story: list[Flowable] = [
        Paragraph(_text(board.name), STYLES["caption"]),
        Paragraph(_text(strategy.title), STYLES["title"]),
        Paragraph(
            f"{format_date(strategy.period_start, 'F Y')} to {format_date(strategy.period_end, 'F Y')}",
            STYLES["lead"],
        ),
    ]
    if strategy.headline:
        story.append(Paragraph(_text(strategy.headline), STYLES["lead"]))
    story += _document_control(strategy, board)
    story += _contents(sections, appendices, pages)
    for section in sections:
        story += _section(section)
    for appendix in appendices:
        story += [NextPageTemplate("landscape"), PageBreak(), *_appendix(appendix, board)]
    return story


def _key_value_table(rows: list[tuple[str, str]], width: float) -> Table:
    data = [
        [Paragraph(_text(key), STYLES["small_bold"]), Paragraph(_text(value), STYLES["small"])] for key, value in rows
    ]
    table = Table(data, colWidths=[width * 0.4, width * 0.6], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f3f2f1")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _grid(data: list[list[Any]], widths: list[float], board: Board, extra: list[Any] | None = None) -> Table:
    """A table with a header row in the board's colour, repeated on every page it runs over."""
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(board.brand_colour)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                *(extra or []),
            ]
        )
    )
    return table


def _header_cells(labels: list[str], board: Board) -> list[Paragraph]:
    style = ParagraphStyle("header", parent=STYLES["cell_bold"], textColor=_text_colour_on(board.brand_colour))
    return [Paragraph(_text(label), style) for label in labels]


def _document_control(strategy: Strategy, board: Board) -> list[Flowable]:
    width = A4[0] - 2 * MARGIN
    term = board.get_self_term_display()
    flowables: list[Flowable] = [
        _heading("document-control", "Document control"),
        _key_value_table(
            [
                ("Status", display.strategy_status(strategy).label),
                (f"Adopted by the {term}", _long_date(strategy.adopted_on, "Not adopted yet")),
                ("Last review completed on", _long_date(strategy.last_reviewed_on, "Not reviewed yet")),
                ("Next review due on", _long_date(strategy.next_review_due)),
                ("Reviewed every", f"{strategy.review_cycle_months} months"),
                ("Version", strategy.version_label or "Not given"),
            ],
            width,
        ),
        Spacer(1, 4 * mm),
        Paragraph("Signed off by", STYLES["h2"]),
    ]
    sign_offs = list(strategy.sign_offs.all())
    if not sign_offs:
        return [*flowables, Paragraph("Nobody has signed this strategy off yet.", STYLES["body"])]
    data: list[list[Any]] = [_header_cells(["Role", "Name", "Signed", "Version"], board)]
    data += [
        [
            Paragraph(_text(sign_off.role), STYLES["cell"]),
            Paragraph(_text(sign_off.name), STYLES["cell"]),
            Paragraph(_long_date(sign_off.signed_on, "Not dated"), STYLES["cell"]),
            Paragraph(_text(sign_off.version_label), STYLES["cell"]),
        ]
        for sign_off in sign_offs
    ]
    return [*flowables, _grid(data, [width * 0.35, width * 0.3, width * 0.2, width * 0.15], board)]


def _contents(sections: list[Section], appendices: list[display.Appendix], pages: dict[str, int]) -> list[Flowable]:
    width = A4[0] - 2 * MARGIN
    rows: list[tuple[str, str, str]] = [(str(s.number), s.title, f"section-{s.number}") for s in sections]
    if appendices:
        rows.append(("", "Appendices", ""))
        rows += [(a.letter, a.heading.split(": ", 1)[-1], f"appendix-{a.letter}") for a in appendices]
    data = [
        [
            Paragraph(number, STYLES["small"]),
            Paragraph(_text(title), STYLES["small_bold" if not key else "small"]),
            Paragraph(str(pages.get(key, "00")) if key else "", STYLES["page"]),
        ]
        for number, title, key in rows
    ]
    if not data:
        return []
    header = [Paragraph("", STYLES["small"]), Paragraph("Section title", STYLES["small_bold"])]
    header.append(Paragraph("Page", ParagraphStyle("page_bold", parent=STYLES["page"], fontName=BOLD)))
    table = Table([header, *data], colWidths=[12 * mm, width - 32 * mm, 20 * mm], hAlign="LEFT", repeatRows=1)
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [_heading("contents", "Contents"), table, PageBreak()]


def _section(section: Section) -> list[Flowable]:
    heading = _heading(f"section-{section.number}", f"{section.number}  {section.title}")
    groups: list[list[Flowable]] = [
        [Paragraph(_text(text), STYLES["body"])] for text in display.paragraphs(section.text)
    ]
    for index, item in enumerate(section.items, start=1):
        parts = display.paragraphs(item.body)
        if item.title:
            first = f"<b>{_text(item.title)}</b>"
        else:
            first, parts = (_text(parts[0]) if parts else ""), parts[1:]
        group: list[Flowable] = [Paragraph(first, STYLES["item"], bulletText=f"{section.number}.{index}")]
        groups.append(group + [Paragraph(_text(part), STYLES["item"]) for part in parts])
    # Each numbered item stays on one page, and the heading never ends a page on its own. (KeepTogethers must
    # not nest: an inner one reports an endless height and pushes the outer one to a page of its own.)
    first_group = groups[0] if groups else []
    return [KeepTogether([heading, *first_group]), *(KeepTogether(group) for group in groups[1:])]


APPENDIX_COLUMNS = [
    ("No.", 0.035),
    ("Priorities", 0.19),
    ("What action is needed?", 0.22),
    ("Who is responsible?", 0.12),
    ("Target", 0.09),
    ("What is the expected impact?", 0.17),
    ("Status", 0.08),
    ("RAG", 0.095),
]


def _appendix(appendix: display.Appendix, board: Board) -> list[Flowable]:
    heading = _heading(f"appendix-{appendix.letter}", appendix.heading)
    if not appendix.rows:
        return [heading, Paragraph("This plan has no rows yet.", STYLES["body"])]
    width = landscape(A4)[0] - 2 * MARGIN
    data: list[list[Any]] = [_header_cells([label for label, _ in APPENDIX_COLUMNS], board)]
    colour_cells: list[Any] = []
    for row_index, row in enumerate(appendix.rows, start=1):
        item = row.item
        rag_style = ParagraphStyle("rag", parent=STYLES["cell_bold"], textColor=colors.HexColor(row.rag.text_colour))
        rag_text = row.rag.label + ("<br/>Overdue" if row.overdue else "")
        data.append(
            [
                Paragraph(f"{item.number}.", STYLES["cell"]),
                Paragraph(_text(item.priority), STYLES["cell_bold"]),
                Paragraph("<br/><br/>".join(_text(p) for p in display.paragraphs(item.action_needed)), STYLES["cell"]),
                Paragraph(_text(item.responsible), STYLES["cell"]),
                Paragraph(_text(item.target), STYLES["cell"]),
                Paragraph(_text(item.expected_impact), STYLES["cell"]),
                Paragraph(_text(item.get_status_display()), STYLES["cell"]),
                Paragraph(rag_text, rag_style),
            ]
        )
        colour_cells.append(("BACKGROUND", (7, row_index), (7, row_index), colors.HexColor(row.rag.colour)))
    widths = [width * share for _, share in APPENDIX_COLUMNS]
    return [heading, _grid(data, widths, board, colour_cells)]
