"""The board's training calendar as iCalendar (RFC 5545): one event per dated part of every scheduled session of a
published course, for people to subscribe to in Outlook or Google Calendar.

Times are in UTC (no time-zone block needed); each part's UID is `<part id>@<board slug>.<platform host>`, so a
calendar that subscribes keeps the same event when a session moves. Cancelled and postponed sessions drop out of
the feed, which calendar programs read as the event being removed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from tenant_apps.offer.models import Course, Session, SessionPart
from tenant_apps.offer.selectors import calendar_fingerprint, calendar_sessions
from tenants.models import Board

# How far back the feed reaches: recent sessions stay in subscribers' calendars, years of history do not.
HISTORY = timedelta(days=365)


def part_uid(part: SessionPart, board: Board) -> str:
    return f"{part.pk}@{board.slug}.{settings.PLATFORM_HOST}"


def part_location(session: Session, part: SessionPart) -> str:
    if part.venue is not None:
        return ", ".join(filter(None, [str(part.venue), part.venue.address.replace("\n", ", "), part.venue.postcode]))
    return "Online" if session.course.delivery == Course.Delivery.ONLINE else ""


def feed_version(*, now: datetime | None = None) -> str:
    """Changes whenever the feed would (a session scheduled, changed, cancelled or ending out of the window; a
    course changed), except for a venue's name or address. One query, for caching the feed."""
    return calendar_fingerprint((now or timezone.now()) - HISTORY)


def board_calendar(board: Board, course_url: Callable[[Course], str], *, now: datetime | None = None) -> bytes:
    """The feed for `board` (call it inside the board's schema). `course_url` gives a course page's full address."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{board.name}//Training calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{board.name}: training")
    for session in calendar_sessions((now or timezone.now()) - HISTORY):
        parts = list(session.parts.all())
        url = course_url(session.course)
        for number, part in enumerate(parts, start=1):
            event = Event()
            event.add("uid", part_uid(part, board))
            # The session's last change, not the time of the request: the same feed twice is the same bytes.
            event.add("dtstamp", session.updated_at.astimezone(UTC))
            event.add("last-modified", session.updated_at.astimezone(UTC))
            event.add("dtstart", part.during.lower.astimezone(UTC))
            event.add("dtend", part.during.upper.astimezone(UTC))
            title = session.course.title
            event.add("summary", f"{title} (part {number} of {len(parts)})" if len(parts) > 1 else title)
            location = part_location(session, part)
            if location:
                event.add("location", location)
            event.add("description", f"{session.course.summary}\n\nDetails and booking: {url}")
            event.add("url", url)
            event.add("status", "CONFIRMED")
            calendar.add_component(event)
    return bytes(calendar.to_ical())
