"""Forms for the offer's pages. They check the shape of what was typed; the services decide what is allowed."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from shared_apps.trainers.models import TrainerAssignment, TrainerProfile
from tenant_apps.audiences.models import AudienceGroup
from tenant_apps.learning_sources.models import Theme
from tenant_apps.offer import selectors
from tenant_apps.offer.models import Course, Observation, Session, TrainingStandard, Venue
from tenant_apps.offer.services import PartSpec
from tenant_apps.strategy.models import PlanItem

PARTS = 3
CHECK_CHOICES = [("met", "Met"), ("partly", "Partly met"), ("not_met", "Not met")]


def _required(message: str) -> dict[str, str]:
    return {"required": message}


def _text(label: str, max_length: int, *, required: bool = True, message: str = "", **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages={"required": message or f"Enter {label[:1].lower()}{label[1:]}"},
        **kwargs,
    )


def _area(label: str, *, required: bool = False, help_text: str = "", max_length: int = 10000) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        widget=forms.Textarea,
        error_messages={"required": f"Enter {label[:1].lower()}{label[1:]}"},
    )


def _date(label: str, *, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput,
        error_messages={"required": f"Enter {label[:1].lower()}{label[1:]}", "invalid": f"{label} must be a real date"},
    )


# --- the public catalogue ---------------------------------------------------------------------------------------


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(label="Keywords", required=False, max_length=200)
    audience_group = forms.ChoiceField(label="Audience group", required=False)
    intervention_type = forms.ChoiceField(
        label="Type of training", required=False, choices=[("", "Any type"), *Course.InterventionType.choices]
    )
    topic = forms.ChoiceField(label="Topic", required=False)

    def __init__(self, *args: Any, groups: QuerySet[AudienceGroup], topics: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        audience = self.fields["audience_group"]
        assert isinstance(audience, forms.ChoiceField)
        audience.choices = [("", "Any audience group"), *((g.code, str(g)) for g in groups)]
        topic = self.fields["topic"]
        assert isinstance(topic, forms.ChoiceField)
        topic.choices = [("", "Any topic"), *((t, t[:1].upper() + t[1:]) for t in topics)]
        # "from" is a Python keyword: the two dates are added by name.
        self.fields["from"] = _date("Starting from", help_text="For example, 27 3 2031")
        self.fields["to"] = _date("Starting by", help_text="For example, 30 4 2031")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from"), data.get("to")
        if start and end and end < start:
            self.add_error("to", "The “starting by” date must be the same as or after the “starting from” date")
        return data

    def filters(self) -> selectors.CatalogueFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return selectors.CatalogueFilters(
            q=data.get("q", "").strip(),
            audience_group=data.get("audience_group", ""),
            intervention_type=data.get("intervention_type", ""),
            topic=data.get("topic", ""),
            from_date=data.get("from"),
            to_date=data.get("to"),
        )


# --- venues, courses, standards ---------------------------------------------------------------------------------


class VenueForm(forms.Form):
    name = _text("Name of the venue", 150, message="Enter the name of the venue")
    room = _text("Room", 100, required=False)
    address = _area("Address", required=True)
    postcode = _text("Postcode", 10, required=False)
    capacity = forms.IntegerField(
        label="How many people the room holds",
        min_value=1,
        max_value=2000,
        error_messages={"required": "Enter how many people the room holds", "invalid": "Capacity must be a number"},
    )
    accessibility = _area("Accessibility", help_text="Step-free access, hearing loop, accessible toilets")
    facilities = _area("Facilities", help_text="Projector, flip charts, parking, refreshments")
    cost_per_day = forms.DecimalField(
        label="Cost per day, in pounds",
        required=False,
        min_value=Decimal("0"),
        max_digits=8,
        decimal_places=2,
        error_messages={"invalid": "Cost per day must be an amount of money, like 150 or 150.00"},
    )
    is_active = forms.BooleanField(label="Offer this venue for new sessions", required=False, initial=True)

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["cost_per_day"] = data.get("cost_per_day") or Decimal("0")
        return data


class PriorityChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        assert isinstance(obj, PlanItem)
        text = obj.priority or obj.action_needed
        return f"{obj.plan.title} {obj.number}: {text[:120]}"


class CourseForm(forms.Form):
    title = _text("Title", 200)
    summary = _area("Summary", required=True, help_text="What the course covers, for the catalogue.")
    learning_outcomes = _area("Learning outcomes", help_text="One outcome per line.")
    intervention_type = forms.ChoiceField(label="Type of training", choices=Course.InterventionType.choices)
    delivery = forms.ChoiceField(
        label="How it is delivered", choices=Course.Delivery.choices, widget=forms.RadioSelect, initial="face_to_face"
    )
    category = forms.ChoiceField(label="Category", choices=Course.Category.choices, initial="core")
    duration_hours = forms.DecimalField(
        label="Length of the whole course, in hours",
        min_value=Decimal("0.25"),
        max_digits=5,
        decimal_places=2,
        help_text="Non-attendance fees depend on it. For example, 3 or 6.5",
        error_messages={
            "required": "Enter the length of the course in hours",
            "invalid": "The length must be a number of hours, like 3 or 6.5",
        },
    )
    topic = _text("Topic", 80, help_text="Matched against trainers' topics, for example “neglect”.")
    prerequisites = _area("Prerequisites", help_text="Courses or experience people need first, if any.")
    multi_agency = forms.BooleanField(label="Multi-agency course", required=False, initial=True)
    open_to_other_agencies = forms.BooleanField(
        label="Open to people from every partner agency", required=False, initial=True
    )
    needs_manager_approval = forms.BooleanField(
        label="Bookings need the line manager's approval",
        required=False,
        help_text="The line manager approves or declines from a link we email them; no account needed.",
    )
    audience_groups = forms.ModelMultipleChoiceField(
        label="Audience groups",
        required=False,
        queryset=AudienceGroup.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    priorities = PriorityChoiceField(
        label="Priorities it answers",
        required=False,
        queryset=PlanItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Rows of the action plans of adopted strategies.",
    )
    themes = forms.ModelMultipleChoiceField(
        label="Themes from case reviews it answers",
        required=False,
        queryset=Theme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    status = forms.ChoiceField(
        label="Status",
        choices=Course.Status.choices,
        widget=forms.RadioSelect,
        initial="draft",
        help_text="Only published courses appear in the catalogue.",
    )

    def __init__(self, *args: Any, course: Course | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        priorities = self.fields["priorities"]
        assert isinstance(priorities, forms.ModelMultipleChoiceField)
        priorities.queryset = selectors.adopted_priorities(course)

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in ("audience_groups", "priorities", "themes"):
            data[name] = list(data[name])
        return data


class StandardForm(forms.Form):
    title = _text("Standard", 200, message="Enter the standard")
    description = _area("What meeting it looks like", max_length=5000)
    order = forms.IntegerField(
        label="Position in the list",
        min_value=0,
        max_value=32767,
        initial=0,
        required=False,
        error_messages={"invalid": "The position must be a whole number"},
    )
    is_active = forms.BooleanField(label="Observe trainers against this standard", required=False, initial=True)

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["order"] = data.get("order") or 0
        return data


# --- sessions ---------------------------------------------------------------------------------------------------


class VenueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        assert isinstance(obj, Venue)
        return f"{obj} (holds {obj.capacity})"


def _at(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


class SessionForm(forms.Form):
    """A session's details and up to three dated parts, each a date, a start and end time and a venue."""

    course = forms.ModelChoiceField(
        label="Course",
        queryset=Course.objects.none(),
        empty_label="Choose a course",
        error_messages={"required": "Choose the course"},
    )
    capacity = forms.IntegerField(
        label="Places",
        min_value=1,
        max_value=2000,
        help_text="How many people can book.",
        error_messages={"required": "Enter how many places there are", "invalid": "Places must be a whole number"},
    )
    booking_opens = _date("Booking opens", help_text="Leave empty to open booking now.")
    booking_closes = _date("Booking closes", help_text="Booking closes at the end of this day.")
    has_waiting_list = forms.ChoiceField(
        label="When the session is full",
        choices=[("yes", "People can join a waiting list"), ("no", "Booking closes: no waiting list")],
        initial="yes",
        required=False,
        widget=forms.RadioSelect,
    )
    online_joining_details = _area("Joining details for online sessions", max_length=2000)
    notes = _area("Notes for the board's staff")

    SERVICE_NAMES = {
        "booking_opens_at": "booking_opens",
        "booking_closes_at": "booking_closes",
    }

    def __init__(self, *args: Any, course_locked: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        course = self.fields["course"]
        assert isinstance(course, forms.ModelChoiceField)
        course.queryset = selectors.bookable_courses()
        if course_locked:
            course.disabled = True
        venues = Venue.objects.filter(is_active=True).order_by("name", "room")
        for number in range(1, PARTS + 1):
            first = number == 1
            self.fields[f"part_{number}_date"] = _date(f"Part {number} date", required=first)
            self.fields[f"part_{number}_starts"] = forms.TimeField(
                label=f"Part {number} start time",
                required=first,
                help_text="For example, 09:30",
                error_messages={
                    "required": f"Enter the start time of part {number}",
                    "invalid": f"Part {number}'s start time must be a real time, like 09:30",
                },
            )
            self.fields[f"part_{number}_ends"] = forms.TimeField(
                label=f"Part {number} end time",
                required=first,
                help_text="For example, 12:30",
                error_messages={
                    "required": f"Enter the end time of part {number}",
                    "invalid": f"Part {number}'s end time must be a real time, like 12:30",
                },
            )
            self.fields[f"part_{number}_venue"] = VenueChoiceField(
                label=f"Part {number} venue", queryset=venues, required=False, empty_label="Online (no venue)"
            )

    def part_fields(self) -> list[dict[str, Any]]:
        return [
            {
                "number": number,
                "date": self[f"part_{number}_date"],
                "starts": self[f"part_{number}_starts"],
                "ends": self[f"part_{number}_ends"],
                "venue": self[f"part_{number}_venue"],
            }
            for number in range(1, PARTS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for number in range(2, PARTS + 1):
            names = [f"part_{number}_{what}" for what in ("date", "starts", "ends", "venue")]
            if not any(str(self.data.get(name, "")).strip() for name in names):
                continue
            for name, what in zip(names, ("the date", "the start time", "the end time"), strict=False):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, f"Enter {what} of part {number}, or leave part {number} empty")
        return data

    def parts(self) -> list[PartSpec]:
        data = self.cleaned_data
        specs = []
        for number in range(1, PARTS + 1):
            day = data.get(f"part_{number}_date")
            starts, ends = data.get(f"part_{number}_starts"), data.get(f"part_{number}_ends")
            if day and starts and ends:
                specs.append(PartSpec(_at(day, starts), _at(day, ends), data.get(f"part_{number}_venue")))
        return specs

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        opens, closes = data.get("booking_opens"), data.get("booking_closes")
        return {
            "capacity": data["capacity"],
            "booking_opens_at": _at(opens, time.min) if opens else None,
            "booking_closes_at": _at(closes + timedelta(days=1), time.min) if closes else None,
            "has_waiting_list": data.get("has_waiting_list") != "no",
            "online_joining_details": data.get("online_joining_details", ""),
            "notes": data.get("notes", ""),
        }

    @staticmethod
    def initial_for(session: Session) -> dict[str, Any]:
        """The form's values for an existing session, as the inputs show them (ISO dates, 24-hour times)."""
        initial: dict[str, Any] = {
            "course": session.course_id,
            "capacity": session.capacity,
            "has_waiting_list": "yes" if session.has_waiting_list else "no",
            "online_joining_details": session.online_joining_details,
            "notes": session.notes,
        }
        if session.booking_opens_at:
            initial["booking_opens"] = timezone.localtime(session.booking_opens_at).date().isoformat()
        if session.booking_closes_at:
            closes = timezone.localtime(session.booking_closes_at) - timedelta(days=1)
            initial["booking_closes"] = closes.date().isoformat()
        for number, part in enumerate(session.parts.all()[:PARTS], start=1):
            starts, ends = timezone.localtime(part.during.lower), timezone.localtime(part.during.upper)
            initial[f"part_{number}_date"] = starts.date().isoformat()
            initial[f"part_{number}_starts"] = starts.strftime("%H:%M")
            initial[f"part_{number}_ends"] = ends.strftime("%H:%M")
            initial[f"part_{number}_venue"] = part.venue_id
        return initial


class TrainerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        assert isinstance(obj, TrainerProfile)
        return f"{obj.user.full_name or obj.user.email} ({obj.home_agency.name})"


class AssignTrainerForm(forms.Form):
    trainer = TrainerChoiceField(
        label="Trainer",
        queryset=TrainerProfile.objects.none(),
        empty_label="Choose a trainer",
        error_messages={"required": "Choose a trainer"},
    )
    role = forms.ChoiceField(
        label="Role",
        choices=TrainerAssignment.Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose lead trainer or co-trainer"},
    )

    def __init__(self, *args: Any, trainers: QuerySet[TrainerProfile], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        trainer = self.fields["trainer"]
        assert isinstance(trainer, forms.ModelChoiceField)
        trainer.queryset = trainers


class BookCoTrainerForm(forms.Form):
    """The one-click button next to a suggested co-trainer."""

    trainer = forms.ModelChoiceField(queryset=TrainerProfile.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args: Any, trainers: QuerySet[TrainerProfile], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        trainer = self.fields["trainer"]
        assert isinstance(trainer, forms.ModelChoiceField)
        trainer.queryset = trainers


class ReasonForm(forms.Form):
    reason = _area("Reason", required=True, max_length=2000)

    def __init__(self, *args: Any, label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reason = self.fields["reason"]
        reason.label = label
        reason.error_messages["required"] = "Say why, so that it can be reported"
        reason.help_text = "It goes in the quarterly report."


# --- observations -----------------------------------------------------------------------------------------------


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        assert isinstance(obj, Session)
        when = f"{timezone.localtime(obj.starts_at):%-d %B %Y}" if obj.starts_at else "no date"
        return f"{obj.course.title}, {when}"


class ObservationForm(forms.Form):
    trainer = TrainerChoiceField(
        label="Trainer observed",
        queryset=TrainerProfile.objects.none(),
        empty_label="Choose a trainer",
        error_messages={"required": "Choose the trainer you observed"},
    )
    session = SessionChoiceField(
        label="Session observed", queryset=Session.objects.none(), required=False, empty_label="Not a session listed"
    )
    observer_name = _text("Observer's name", 150, message="Enter the observer's name")
    observed_on = _date("Date of the observation", required=True)
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Observation.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome of the observation"},
    )
    strengths = _area("Strengths")
    follow_up_actions = _area("Follow-up actions")
    follow_up_due_on = _date("Follow-up due by")

    def __init__(
        self,
        *args: Any,
        trainers: QuerySet[TrainerProfile],
        standards: list[TrainingStandard],
        sessions: QuerySet[Session],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        trainer = self.fields["trainer"]
        session = self.fields["session"]
        assert isinstance(trainer, forms.ModelChoiceField) and isinstance(session, forms.ModelChoiceField)
        trainer.queryset, session.queryset = trainers, sessions
        self.standards = standards
        order = ["trainer", "session", "observer_name", "observed_on"]
        for standard in standards:
            name = f"standard_{standard.pk}"
            self.fields[name] = forms.ChoiceField(
                label=standard.title,
                help_text=standard.description,
                choices=CHECK_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": f"Judge the standard “{standard.title}”"},
            )
            order.append(name)
        self.order_fields([*order, "outcome", "strengths", "follow_up_actions", "follow_up_due_on"])

    def checklist(self) -> dict[str, str]:
        return {str(s.pk): self.cleaned_data[f"standard_{s.pk}"] for s in self.standards}

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = ("session", "observer_name", "observed_on", "outcome", "strengths", "follow_up_actions")
        fields = {name: data.get(name) for name in names}
        fields["strengths"] = fields["strengths"] or ""
        fields["follow_up_actions"] = fields["follow_up_actions"] or ""
        fields["follow_up_due_on"] = data.get("follow_up_due_on")
        return fields
