"""How the trainer pool's states read on a page: words and GOV.UK tag colours, in one place for every template."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.dateformat import format as format_date

from shared_apps.trainers.models import BoardService, TrainerAssignment, TrainerProfile

WEEKDAYS = (
    (1, "Monday"),
    (2, "Tuesday"),
    (3, "Wednesday"),
    (4, "Thursday"),
    (5, "Friday"),
    (6, "Saturday"),
    (7, "Sunday"),
)


@dataclass(frozen=True)
class Tag:
    text: str
    colour: str  # a GOV.UK tag modifier: green, yellow, red, grey, blue

    @property
    def css(self) -> str:
        return f"govuk-tag govuk-tag--{self.colour}"


def _long(day: date) -> str:
    return format_date(day, "j F Y")


def accreditation(profile: TrainerProfile, today: date) -> Tag:
    """Whether the trainer may train today: trained as a trainer, and the accreditation not expired."""
    trained, expires = profile.trained_as_trainer_on, profile.accreditation_expires_on
    if trained is None:
        return Tag("Not trained as a trainer", "grey")
    if trained > today:
        return Tag(f"Training for trainers on {_long(trained)}", "grey")
    if expires is None:
        return Tag(f"Trained on {_long(trained)}", "green")
    if expires < today:
        return Tag(f"Expired on {_long(expires)}", "red")
    return Tag(f"Valid until {_long(expires)}", "green")


ASSIGNMENT_TAGS: dict[str, Tag] = {
    TrainerAssignment.Status.PROPOSED: Tag("Waiting for your answer", "yellow"),
    TrainerAssignment.Status.ACCEPTED: Tag("Accepted", "green"),
    TrainerAssignment.Status.DECLINED: Tag("Declined", "grey"),
    TrainerAssignment.Status.CANCELLED: Tag("Cancelled", "red"),
}
SERVICE_TAGS: dict[str, Tag] = {
    BoardService.Status.REQUESTED: Tag("Waiting for the board", "yellow"),
    BoardService.Status.APPROVED: Tag("Approved", "green"),
    BoardService.Status.REFUSED: Tag("Refused", "red"),
    BoardService.Status.WITHDRAWN: Tag("Withdrawn", "grey"),
}
# The board's view of the same offer: "waiting" is waiting for the board's own decision.
BOARD_SERVICE_TAGS: dict[str, Tag] = {
    **SERVICE_TAGS,
    BoardService.Status.REQUESTED: Tag("Waiting for a decision", "yellow"),
}


def weekday_names(days: list[int]) -> str:
    names = [name for number, name in WEEKDAYS if number in set(days)]
    return ", ".join(names) if names else "Not given"
