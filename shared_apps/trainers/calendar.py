"""A trainer's personal calendar feed (iCalendar, RFC 5545): every session they train, in every board.

Calendar apps subscribe to the feed's secret address and poll it. Each session part keeps one UID for its whole
life, so a change moves the event rather than adding one, and a cancelled or declined part stays in the feed
marked STATUS:CANCELLED, so that calendars remove it instead of keeping a stale copy.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from icalendar import Calendar, Event

from shared_apps.trainers.models import TrainerAssignment, TrainerProfile

PRODID = "-//Safeguarding learning and development//Trainer pool//EN"
STATUS = {
    TrainerAssignment.Status.PROPOSED: "TENTATIVE",
    TrainerAssignment.Status.ACCEPTED: "CONFIRMED",
    TrainerAssignment.Status.DECLINED: "CANCELLED",
    TrainerAssignment.Status.CANCELLED: "CANCELLED",
}
DESCRIPTION = {
    TrainerAssignment.Status.PROPOSED: "You have not answered yet: accept or decline it on the trainer portal.",
    TrainerAssignment.Status.ACCEPTED: "You accepted this session.",
    TrainerAssignment.Status.DECLINED: "You declined this session.",
    TrainerAssignment.Status.CANCELLED: "This session no longer needs you (cancelled, moved or reassigned).",
}


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def trainer_calendar(
    profile: TrainerProfile, assignments: Iterable[TrainerAssignment], *, host: str, portal_url: str = ""
) -> bytes:
    """The feed as bytes. `assignments` need their board loaded; `host` names the platform in each UID."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Training sessions: {profile.user.full_name or profile.user.email}")
    for assignment in assignments:
        event = Event()
        event.add("uid", f"{assignment.pk}@{host}")
        event.add("dtstamp", _utc(assignment.updated_at))
        event.add("last-modified", _utc(assignment.updated_at))
        event.add("dtstart", _utc(assignment.during.lower))
        event.add("dtend", _utc(assignment.during.upper))
        event.add("summary", f"{assignment.title} ({assignment.board.name})")
        if assignment.location:
            event.add("location", assignment.location)
        status = TrainerAssignment.Status(assignment.status)
        role = TrainerAssignment.Role(assignment.role).label
        lines = [f"{role} for {assignment.board.name}.", DESCRIPTION[status]]
        if portal_url:
            lines.append(portal_url)
        event.add("description", "\n".join(lines))
        event.add("status", STATUS[status])
        # Busy only while the trainer still holds the time.
        event.add("transp", "OPAQUE" if status in TrainerAssignment.HOLDS_TIME else "TRANSPARENT")
        calendar.add_component(event)
    return bytes(calendar.to_ical())
