"""Every write to a board's audience groups, pathway requirements, learner profiles, learning ledger and
e-learning records (entered one at a time or imported from a provider's CSV file).

Each runs in one transaction, checks the rules and records an audit entry. Errors are `ValidationError`s keyed
by field (or `non_field_errors`), with messages for the people who run training.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from shared_apps.accounts.models import Membership
from shared_apps.accounts.permissions import can
from shared_apps.audit.services import diff, record
from tenant_apps.audiences import elearning_csv
from tenant_apps.audiences.defaults import TAXONOMIES
from tenant_apps.audiences.models import (
    MAX_MONTHS,
    AudienceGroup,
    ElearningRecord,
    LearnerProfile,
    LearningCompletion,
    PathwayRequirement,
)
from tenant_apps.audiences.selectors import members_by_email
from tenants.cross_board import current_board

GROUP_FIELDS = ("scheme", "code", "name", "description", "example_roles", "order")
REQUIREMENT_FIELDS = (
    "title",
    "description",
    "topic",
    "minimum_hours",
    "first_completion_within_months",
    "refresh_every_months",
    "order",
)
PROFILE_FIELDS = ("agency", "job_role", "audience_group", "line_manager_email", "joined_on")
COMPLETION_FIELDS = ("requirement", "title", "topic", "completed_on", "hours", "source", "reference")
ELEARNING_WRITTEN = ("module_title", "topic", "provider", "provider_reference", "completed_on", "hours")
ELEARNING_FIELDS = (
    "user",
    "module_title",
    "topic",
    "provider",
    "provider_reference",
    "started_on",
    "completed_on",
    "hours",
)
MAX_HOURS = Decimal("999.99")
EARLIEST_DATE = date(1950, 1, 1)
MONTHS_MESSAGE = {
    "refresh_every_months": (
        f"Give how often it must be done again as a number of months from 1 to {MAX_MONTHS} (10 years), "
        "or leave it empty if it is done once only."
    ),
    "first_completion_within_months": (
        f"Give the months from joining as a number from 1 to {MAX_MONTHS}, or leave it empty for no deadline."
    ),
}


# The two forms elearning_csv.parse_date reads.
WRITE_A_DATE = "write it like 2024-03-31 or 31/03/2024"


def _pick(fields: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError({name: ["This field cannot be set here."] for name in sorted(unknown)})
    return fields


def _hours(value: Any, field: str, what: str) -> Decimal:
    if isinstance(value, bool) or value is None or value == "":
        raise ValidationError({field: [f"Give the {what} as a number, like 2 or 1.5."]})
    try:
        hours = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationError({field: [f"Give the {what} as a number, like 2 or 1.5."]}) from exc
    if not hours.is_finite() or hours <= 0:
        raise ValidationError({field: [f"The {what} must be more than 0."]})
    if hours > MAX_HOURS:
        raise ValidationError({field: [f"The {what} must be {MAX_HOURS} or fewer."]})
    if hours != hours.quantize(Decimal("0.01")):
        raise ValidationError({field: [f"Give the {what} to at most 2 decimal places, like 1.25."]})
    return hours


def _months(value: Any, field: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_MONTHS:
        raise ValidationError({field: [MONTHS_MESSAGE[field]]})
    return value


def _board_member(user: Any) -> None:
    board = current_board()
    if board is None or user is None or not Membership.objects.filter(user_id=user.pk, board_id=board.pk).exists():
        raise ValidationError({"user": ["This person has no role in this board or partnership."]})


# --- audience groups -------------------------------------------------------------------------------------------


def _check_group(group: AudienceGroup) -> None:
    group.code = group.code.strip()
    group.name = group.name.strip()
    if not group.code:
        raise ValidationError({"code": ["Give the group a short code, like “Group 3” or “Level 3”."]})
    if not group.name:
        raise ValidationError({"name": ["Give the group a name."]})
    if AudienceGroup.objects.filter(code__iexact=group.code).exclude(pk=group.pk).exists():
        raise ValidationError({"code": [f"There is already an audience group “{group.code}”. Choose another code."]})
    group.full_clean(validate_unique=False, validate_constraints=False)


def create_group(*, actor: Any, **fields: Any) -> AudienceGroup:
    with transaction.atomic():
        fields = _pick(fields, GROUP_FIELDS)
        if "order" not in fields:
            fields["order"] = (AudienceGroup.objects.aggregate(order=Max("order"))["order"] or 0) + 1
        group = AudienceGroup(**fields)
        _check_group(group)
        group.save()
        record("audience_group.created", actor=actor, obj=group, summary=f"Audience group “{group}” added")
    return group


def update_group(group: AudienceGroup, *, actor: Any, **fields: Any) -> AudienceGroup:
    with transaction.atomic():
        group = AudienceGroup.objects.select_for_update().get(pk=group.pk)
        before = {name: getattr(group, name) for name in GROUP_FIELDS}
        for name, value in _pick(fields, GROUP_FIELDS).items():
            setattr(group, name, value)
        _check_group(group)
        changed = diff(before, {name: getattr(group, name) for name in GROUP_FIELDS})
        if changed:
            group.save()
            record(
                "audience_group.updated",
                actor=actor,
                obj=group,
                changes=changed,
                summary=f"Audience group “{group}” changed: {', '.join(changed)}",
            )
    return group


def delete_group(group: AudienceGroup, *, actor: Any) -> None:
    """Delete a group and its requirements; refused while any learner belongs to it."""
    with transaction.atomic():
        group = AudienceGroup.objects.select_for_update().get(pk=group.pk)
        learners = LearnerProfile.objects.filter(audience_group=group).count()
        if learners:
            people = "1 learner belongs" if learners == 1 else f"{learners} learners belong"
            raise ValidationError(
                {
                    "non_field_errors": [
                        f"“{group.code}” cannot be deleted because {people} to it. Move them to another group first."
                    ]
                }
            )
        record("audience_group.deleted", actor=actor, obj=group, summary=f"Audience group “{group}” deleted")
        group.delete()


# --- pathway requirements --------------------------------------------------------------------------------------


def _check_requirement(requirement: PathwayRequirement) -> None:
    requirement.title = requirement.title.strip()
    requirement.topic = requirement.topic.strip()
    if not requirement.title:
        raise ValidationError({"title": ["Give the requirement a title, like “Level 3 safeguarding children”."]})
    requirement.minimum_hours = _hours(requirement.minimum_hours, "minimum_hours", "minimum hours")
    requirement.refresh_every_months = _months(requirement.refresh_every_months, "refresh_every_months")
    requirement.first_completion_within_months = _months(
        requirement.first_completion_within_months, "first_completion_within_months"
    )
    others = PathwayRequirement.objects.filter(group_id=requirement.group_id, title__iexact=requirement.title)
    if others.exclude(pk=requirement.pk).exists():
        raise ValidationError({"title": [f"This group already has a requirement “{requirement.title}”."]})
    requirement.full_clean(validate_unique=False, validate_constraints=False)


def create_requirement(group: AudienceGroup, *, actor: Any, **fields: Any) -> PathwayRequirement:
    with transaction.atomic():
        fields = _pick(fields, REQUIREMENT_FIELDS)
        if "order" not in fields:
            fields["order"] = (group.requirements.aggregate(order=Max("order"))["order"] or 0) + 1
        requirement = PathwayRequirement(group=group, **fields)
        _check_requirement(requirement)
        requirement.save()
        record(
            "pathway_requirement.created",
            actor=actor,
            obj=requirement,
            summary=f"Requirement “{requirement.title}” added to “{group.code}”",
        )
    return requirement


def update_requirement(requirement: PathwayRequirement, *, actor: Any, **fields: Any) -> PathwayRequirement:
    with transaction.atomic():
        requirement = PathwayRequirement.objects.select_for_update().select_related("group").get(pk=requirement.pk)
        before = {name: getattr(requirement, name) for name in REQUIREMENT_FIELDS}
        for name, value in _pick(fields, REQUIREMENT_FIELDS).items():
            setattr(requirement, name, value)
        _check_requirement(requirement)
        changed = diff(before, {name: getattr(requirement, name) for name in REQUIREMENT_FIELDS})
        if changed:
            requirement.save()
            record(
                "pathway_requirement.updated",
                actor=actor,
                obj=requirement,
                changes=changed,
                summary=f"Requirement “{requirement.title}” of “{requirement.group.code}” changed: "
                f"{', '.join(changed)}",
            )
    return requirement


def delete_requirement(requirement: PathwayRequirement, *, actor: Any) -> None:
    """Delete a requirement. Completed learning linked to it stays in the ledger, unlinked."""
    with transaction.atomic():
        record(
            "pathway_requirement.deleted",
            actor=actor,
            obj=requirement,
            summary=f"Requirement “{requirement.title}” of “{requirement.group.code}” deleted",
        )
        requirement.delete()


# --- the default taxonomy --------------------------------------------------------------------------------------


def seed_default_taxonomy(*, actor: Any = None, scheme: str = "level") -> list[AudienceGroup]:
    """Set up a board's audience groups from a standard taxonomy, when it has none yet (else do nothing).

    `scheme="level"`: the intercollegiate levels 1 to 5 with their refresher requirements (every new board
    starts with these); `scheme="group"`: Berkshire West's audience groups 1 to 8, without requirements.
    """
    if scheme not in TAXONOMIES:
        raise ValidationError({"scheme": ["Choose “level” (intercollegiate levels) or “group” (groups 1 to 8)."]})
    with transaction.atomic():
        if AudienceGroup.objects.exists():
            return []
        groups = []
        for order, default in enumerate(TAXONOMIES[scheme], start=1):
            group = AudienceGroup.objects.create(
                scheme=scheme,
                code=default.code,
                name=default.name,
                description=default.description,
                example_roles=default.example_roles,
                order=order,
            )
            PathwayRequirement.objects.bulk_create(
                PathwayRequirement(
                    group=group,
                    title=req.title,
                    description=req.description,
                    topic=req.topic,
                    minimum_hours=req.minimum_hours,
                    refresh_every_months=req.refresh_every_months,
                    first_completion_within_months=req.first_completion_within_months,
                    order=number,
                )
                for number, req in enumerate(default.requirements, start=1)
            )
            groups.append(group)
        label = "intercollegiate levels 1 to 5" if scheme == "level" else "audience groups 1 to 8"
        record("audience_group.defaults_seeded", actor=actor, summary=f"Audience groups set up: {label}")
    return groups


# --- learner profiles ------------------------------------------------------------------------------------------


def _check_profile(profile: LearnerProfile) -> None:
    profile.job_role = profile.job_role.strip()
    profile.line_manager_email = profile.line_manager_email.strip().lower()
    if profile.agency is not None and not profile.agency.is_active:
        raise ValidationError({"agency": [f"{profile.agency.name} is no longer an active agency. Choose another."]})
    if profile.joined_on is not None:
        latest = timezone.localdate() + timedelta(days=366)
        if not EARLIEST_DATE <= profile.joined_on <= latest:
            raise ValidationError(
                {"joined_on": ["Give the date they started in their role: after 1950 and at most a year ahead."]}
            )
    profile.full_clean(validate_unique=False, validate_constraints=False)


def set_learner_profile(user: Any, *, actor: Any, **fields: Any) -> tuple[LearnerProfile, bool]:
    """Create or change `user`'s profile in this board; only the fields given change.

    The learner sets their own; a coordinator or board administrator may set anyone's (`actor=None` is the
    platform itself, for example a booking). Returns the profile and whether it was created.
    """
    fields = _pick(fields, PROFILE_FIELDS)
    someone_else = actor is not None and getattr(actor, "pk", None) != user.pk
    if someone_else and not can(actor, "audiences.manage", current_board()):
        raise PermissionDenied("Only a coordinator can change another person's learner profile.")
    with transaction.atomic():
        _board_member(user)
        profile = LearnerProfile.objects.select_for_update().filter(user_id=user.pk).first()
        created = profile is None
        if profile is None:
            profile = LearnerProfile(user=user)
        before = {name: getattr(profile, name) for name in PROFILE_FIELDS}
        for name, value in fields.items():
            setattr(profile, name, value)
        _check_profile(profile)
        changed = diff(before, {name: getattr(profile, name) for name in PROFILE_FIELDS})
        if created or changed:
            try:
                with transaction.atomic():
                    profile.save()
            except IntegrityError as exc:
                # Two requests set up the same person's profile at the same moment.
                raise ValidationError(
                    {"user": ["This person's profile was set up by someone else a moment ago. Try again."]}
                ) from exc
            summary = f"Learner profile of {user} set up" if created else f"Learner profile of {user} changed"
            record(
                "learner_profile.created" if created else "learner_profile.updated",
                actor=actor,
                obj=profile,
                changes=changed,
                summary=summary if created else f"{summary}: {', '.join(changed)}",
            )
    return profile, created


def delete_learner_profile(profile: LearnerProfile, *, actor: Any) -> None:
    """Remove a person's profile in this board (their completed learning stays in the ledger)."""
    with transaction.atomic():
        summary = f"Learner profile of {profile.user} removed"
        record("learner_profile.deleted", actor=actor, obj=profile, summary=summary)
        profile.delete()


# --- the learning ledger ---------------------------------------------------------------------------------------


def _check_completion(completion: LearningCompletion, exclude: tuple[str, ...] = ()) -> None:
    completion.title = completion.title.strip()
    completion.topic = completion.topic.strip()
    completion.reference = completion.reference.strip()
    if completion.requirement is not None:
        completion.title = completion.title or completion.requirement.title
        completion.topic = completion.topic or completion.requirement.topic
    if not completion.title:
        raise ValidationError({"title": ["Say what the learning was, or choose the requirement it counts for."]})
    completion.hours = _hours(completion.hours, "hours", "hours")
    if not isinstance(completion.completed_on, date):
        raise ValidationError({"completed_on": ["Give the date the learning was completed."]})
    if completion.completed_on > timezone.localdate():
        raise ValidationError({"completed_on": ["The date it was completed cannot be in the future."]})
    if completion.completed_on < EARLIEST_DATE:
        raise ValidationError({"completed_on": ["Give a date after 1 January 1950."]})
    if completion.source not in LearningCompletion.Source.values:
        raise ValidationError({"source": ["Choose where the record comes from."]})
    completion.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def _existing(source: str, reference: str) -> LearningCompletion | None:
    if not reference.strip():
        return None
    return LearningCompletion.objects.filter(source=source, reference=reference.strip()).first()


def _same_person(existing: LearningCompletion, user_id: Any) -> LearningCompletion:
    if existing.user_id != user_id:
        raise ValidationError(
            {"reference": ["This reference is already recorded for another person: check the reference."]}
        )
    return existing


def record_completion(
    *,
    actor: Any,
    user: Any,
    title: str = "",
    completed_on: date,
    hours: Any,
    source: str = LearningCompletion.Source.RECORDED,
    requirement: PathwayRequirement | None = None,
    topic: str = "",
    reference: str = "",
) -> tuple[LearningCompletion, bool]:
    """Add learning a person completed to the ledger. Returns the completion and whether it is new.

    Idempotent: with a reference, the same source and reference again returns the record already there and
    changes nothing, so an import or an attendance register can be sent twice.
    """
    existing = _existing(source, reference)
    if existing is not None:
        return _same_person(existing, user.pk), False
    with transaction.atomic():
        _board_member(user)
        completion = LearningCompletion(
            user=user,
            requirement=requirement,
            title=title,
            topic=topic,
            completed_on=completed_on,
            hours=hours,
            source=source,
            reference=reference,
        )
        _check_completion(completion)
        try:
            with transaction.atomic():
                completion.save()
        except IntegrityError:
            # Another request recorded the same source and reference a moment ago.
            existing = _existing(source, completion.reference)
            if existing is None:
                raise
            return _same_person(existing, user.pk), False
        record(
            "learning_completion.recorded",
            actor=actor,
            obj=completion,
            summary=f"{completion.hours} h of “{completion.title}” on {completion.completed_on:%-d %B %Y} recorded "
            f"for {user}",
        )
    return completion, True


def update_completion(completion: LearningCompletion, *, actor: Any, **fields: Any) -> LearningCompletion:
    with transaction.atomic():
        completion = LearningCompletion.objects.select_for_update().get(pk=completion.pk)
        before = {name: getattr(completion, name) for name in COMPLETION_FIELDS}
        for name, value in _pick(fields, COMPLETION_FIELDS).items():
            setattr(completion, name, value)
        _check_completion(completion)
        other = _existing(completion.source, completion.reference)
        if other is not None and other.pk != completion.pk:
            raise ValidationError({"reference": ["Another record from this source already has this reference."]})
        changed = diff(before, {name: getattr(completion, name) for name in COMPLETION_FIELDS})
        if changed:
            completion.save()
            record(
                "learning_completion.updated",
                actor=actor,
                obj=completion,
                changes=changed,
                summary=f"Completed learning “{completion.title}” changed: {', '.join(changed)}",
            )
    return completion


def delete_completion(completion: LearningCompletion, *, actor: Any) -> None:
    with transaction.atomic():
        record(
            "learning_completion.deleted",
            actor=actor,
            obj=completion,
            summary=f"Completed learning “{completion.title}” of {completion.completed_on} removed",
        )
        completion.delete()


LEDGER_COMPARED = ("title", "topic", "completed_on", "hours")


def sync_completions(
    source: str, wanted: dict[str, LearningCompletion | None], *, actor: Any, summary: str
) -> tuple[int, int, int]:
    """Bring the ledger into line for many references of one `source` at once (an import), in a few queries.

    `wanted` maps each reference to the completion it should have (unsaved: person, title, topic, date and
    hours) or to None for none. The same checks as `record_completion` (people with a role in the board, a
    reference of one person only); one audit entry for the lot. Returns (added, changed, removed).
    """
    with transaction.atomic():
        existing = {
            c.reference: c
            for c in LearningCompletion.objects.select_for_update().filter(source=source, reference__in=list(wanted))
        }
        wanted_users = {c.user_id for c in wanted.values() if c is not None}
        board = current_board()
        in_board = Membership.objects.filter(board_id=board.pk, user_id__in=wanted_users) if board else None
        members = set(in_board.values_list("user_id", flat=True)) if in_board is not None else set()
        added: list[LearningCompletion] = []
        changed: list[LearningCompletion] = []
        removed: list[Any] = []
        for reference, completion in wanted.items():
            current = existing.get(reference)
            if completion is None:
                if current is not None:
                    removed.append(current.pk)
                continue
            if completion.user_id not in members:
                raise ValidationError({"user": ["This person has no role in this board or partnership."]})
            completion.source, completion.reference = source, reference
            if current is not None:
                _same_person(current, completion.user_id)
                if all(getattr(current, name) == getattr(completion, name) for name in LEDGER_COMPARED):
                    continue
            _check_completion(completion, exclude=("user", "requirement"))  # people: checked above, in one query
            if current is None:
                added.append(completion)
            else:
                for name in LEDGER_COMPARED:
                    setattr(current, name, getattr(completion, name))
                changed.append(current)
        LearningCompletion.objects.bulk_create(added, batch_size=1000)
        LearningCompletion.objects.bulk_update(changed, LEDGER_COMPARED, batch_size=1000)
        LearningCompletion.objects.filter(pk__in=removed).delete()
        if added or changed or removed:
            record(
                "learning_completion.synced",
                actor=actor,
                changes={"added": len(added), "changed": len(changed), "removed": len(removed)},
                summary=f"{summary}: {len(added)} completed learning added, {len(changed)} changed, "
                f"{len(removed)} removed",
            )
    return len(added), len(changed), len(removed)


# --- e-learning records ----------------------------------------------------------------------------------------

E_LEARNING = LearningCompletion.Source.E_LEARNING
# The error summary of an import lists at most this many row errors, then says how many more there are.
MAX_REPORTED_ERRORS = 1000
TEXT_LIMITS = {"module_title": ("module title", 200), "topic": ("topic", 120), "provider": ("provider's name", 200)}


def _day(value: date) -> str:
    return f"{value:%-d %B %Y}"


def _elearning_problems(entry: ElearningRecord) -> dict[str, str]:
    """What stops `entry` being saved, by field (empty when nothing does). Tidies its text first."""
    problems: dict[str, str] = {}
    for name in ("module_title", "topic", "provider", "provider_reference"):
        setattr(entry, name, str(getattr(entry, name) or "").strip())
    if not entry.module_title:
        problems["module_title"] = "Give the module's title, like “Safeguarding children level 2”."
    if not entry.provider:
        problems["provider"] = "Give the name of the e-learning provider, like “Virtual College”."
    for name, (what, limit) in TEXT_LIMITS.items():
        if len(getattr(entry, name)) > limit:
            problems[name] = f"The {what} must be {limit} characters or fewer."
    if len(entry.provider_reference) > 120:
        problems["provider_reference"] = "The provider's reference must be 120 characters or fewer."
    today = timezone.localdate()
    started, completed = entry.started_on, entry.completed_on
    if not isinstance(started, date):
        problems["started_on"] = "Give the date the module was started."
    elif started > today:
        problems["started_on"] = f"The start date ({_day(started)}) cannot be in the future."
    elif started < EARLIEST_DATE:
        problems["started_on"] = "Give a start date after 1 January 1950."
    if completed is not None:
        if not isinstance(completed, date):
            problems["completed_on"] = "Give the date the module was completed, or leave it empty."
        elif completed > today:
            problems["completed_on"] = f"The completion date ({_day(completed)}) cannot be in the future."
        elif isinstance(started, date) and completed < started:
            problems["completed_on"] = (
                f"The completion date ({_day(completed)}) is before the start date ({_day(started)})."
            )
    if entry.hours is None or entry.hours == "":
        entry.hours = None
        if completed is not None:
            problems["hours"] = "Give the hours of learning: they are needed once the module is completed."
    else:
        try:
            entry.hours = _hours(entry.hours, "hours", "hours")
        except ValidationError as error:
            problems["hours"] = error.message_dict["hours"][0]
    return problems


def _duplicate_message(entry: ElearningRecord, user: Any) -> str:
    return f"{user} already has a record of “{entry.module_title}” started on {_day(entry.started_on)}."


def _sync_ledger(entry: ElearningRecord, *, actor: Any) -> None:
    """Make the ledger agree with `entry`: one e-learning completion while it is completed, none otherwise."""
    completion = (
        LearningCompletion.objects.select_for_update()
        .filter(source=E_LEARNING, reference=entry.ledger_reference)
        .first()
    )
    if entry.completed_on is None:
        if completion is not None:
            delete_completion(completion, actor=actor)
        return
    fields: dict[str, Any] = {
        "title": entry.module_title,
        "topic": entry.topic,
        "completed_on": entry.completed_on,
        "hours": entry.hours,
    }
    if completion is None:
        record_completion(actor=actor, user=entry.user, source=E_LEARNING, reference=entry.ledger_reference, **fields)
    else:
        update_completion(completion, actor=actor, **fields)


def _write_elearning(entry: ElearningRecord, *, actor: Any, changes: dict[str, Any] | None) -> None:
    """Save a checked record (`changes` None: a new one), audit it and bring the ledger into line."""
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:
        # The same person, module and start date saved by someone else a moment ago.
        raise ValidationError({"module_title": [_duplicate_message(entry, entry.user)]}) from exc
    state = f"completed {_day(entry.completed_on)}" if entry.completed_on else "not completed"
    if changes is None:
        summary = f"E-learning “{entry.module_title}” started {_day(entry.started_on)} by {entry.user} ({state}) added"
    else:
        summary = f"E-learning “{entry.module_title}” of {entry.user} changed: {', '.join(changes)}"
    record(
        "elearning_record.created" if changes is None else "elearning_record.updated",
        actor=actor,
        obj=entry,
        changes=changes,
        summary=summary,
    )
    _sync_ledger(entry, actor=actor)


def _snapshot(entry: ElearningRecord) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in ELEARNING_FIELDS if name != "user"}


def save_elearning_record(entry: ElearningRecord | None = None, *, actor: Any, **fields: Any) -> ElearningRecord:
    """Add an e-learning record (`entry` None) or change one (only the fields given change).

    Needs the person (someone with a role in the board), module title, provider and start date; a completion
    date (not before the start, not in the future) needs the hours. While the record is completed the ledger
    holds one `LearningCompletion` for it (source "e_learning", reference `entry.ledger_reference`), so the
    person's pathway counts it; taking the completion date away removes it.
    """
    fields = _pick(fields, ELEARNING_FIELDS)
    with transaction.atomic():
        if entry is None:
            if fields.get("user") is None:
                raise ValidationError({"user": ["Choose the person who started the module."]})
            _board_member(fields["user"])
            entry, before = ElearningRecord(), None
        else:
            entry = ElearningRecord.objects.select_for_update().select_related("user").get(pk=entry.pk)
            if "user" in fields and fields["user"].pk != entry.user_id:
                raise ValidationError(
                    {"user": ["An e-learning record belongs to one person: add a new record for someone else."]}
                )
            before = _snapshot(entry)
        for name, value in fields.items():
            setattr(entry, name, value)
        problems = _elearning_problems(entry)
        if problems:
            raise ValidationError({name: [message] for name, message in problems.items()})
        others = ElearningRecord.objects.filter(
            user_id=entry.user_id, module_title__iexact=entry.module_title, started_on=entry.started_on
        )
        if others.exclude(pk=entry.pk).exists():
            raise ValidationError({"module_title": [_duplicate_message(entry, entry.user)]})
        changes = None if before is None else diff(before, _snapshot(entry))
        if changes is None or changes:
            _write_elearning(entry, actor=actor, changes=changes)
    return entry


def delete_elearning_record(entry: ElearningRecord, *, actor: Any) -> None:
    """Delete a record, and its completion from the ledger."""
    with transaction.atomic():
        completion = LearningCompletion.objects.filter(source=E_LEARNING, reference=entry.ledger_reference).first()
        if completion is not None:
            delete_completion(completion, actor=actor)
        record(
            "elearning_record.deleted",
            actor=actor,
            obj=entry,
            summary=f"E-learning “{entry.module_title}” started {_day(entry.started_on)} by {entry.user} removed",
        )
        entry.delete()


@dataclass(frozen=True)
class ImportResult:
    rows: int
    created: int
    updated: int
    unchanged: int
    completed: int  # rows of the file that are completed (each has its completion in the ledger)

    def __str__(self) -> str:
        rows = "1 row" if self.rows == 1 else f"{self.rows:,} rows"
        return (
            f"{rows} imported: {self.created:,} new, {self.updated:,} changed, {self.unchanged:,} unchanged; "
            f"{self.completed:,} completed."
        )


@dataclass
class _Planned:
    entry: ElearningRecord
    before: dict[str, Any] | None  # None: a new record


Key = tuple[Any, str, date]


def _plan_row(
    row: elearning_csv.Row,
    columns: frozenset[str],
    people: dict[str, Any],
    existing: dict[Key, ElearningRecord],
    seen: dict[Key, int],
    provider: str,
) -> _Planned | list[str]:
    """The record a row makes or changes (nothing saved yet), or what is wrong with the row."""
    cells = row.cells
    problems = []
    email = cells["email"]
    user = people.get(email.lower())
    if not email:
        problems.append("email is empty: give the learner's email address")
    elif user is None:
        problems.append(f"no one with a role in this board or partnership has the email {email}")
    started = elearning_csv.parse_date(cells["started_on"])
    if not cells["started_on"]:
        problems.append("started_on is empty: give the date the module was started, like 2024-03-31")
    elif started is None:
        problems.append(f"started_on {cells['started_on']} is not a real date: {WRITE_A_DATE}")
    completed = elearning_csv.parse_date(cells.get("completed_on", ""))
    if cells.get("completed_on") and completed is None:
        problems.append(f"completed_on {cells['completed_on']} is not a real date: {WRITE_A_DATE}")
    hours = elearning_csv.parse_hours(cells.get("hours", ""))
    if cells.get("hours") and hours is None:
        problems.append(f"hours {cells['hours']} is not a number like 2 or 1.5")
    if problems or user is None or started is None:
        return problems
    key = (user.pk, cells["module"].casefold(), started)
    if key in seen:
        return [f"repeats row {seen[key]} (the same email, module and started_on)"]
    seen[key] = row.number
    entry = existing.get(key)
    before = None if entry is None else _snapshot(entry)
    if entry is None:
        entry = ElearningRecord(user=user, started_on=started)
    entry.module_title = cells["module"]
    entry.provider = provider
    optional = {"topic": "topic", "completed_on": "completed_on", "hours": "hours", "reference": "provider_reference"}
    values = {"topic": cells.get("topic", ""), "completed_on": completed, "hours": hours}
    values["reference"] = cells.get("reference", "")
    for column, name in optional.items():
        if column in columns:  # a column the file leaves out keeps what is recorded
            setattr(entry, name, values[column])
    found = _elearning_problems(entry)
    if found:
        return list(found.values())
    return _Planned(entry, before)


def _completion_of(entry: ElearningRecord) -> LearningCompletion | None:
    """The ledger's completion for `entry` (unsaved), or None while it is not completed."""
    if entry.completed_on is None or entry.hours is None:  # a completed record always has hours
        return None
    return LearningCompletion(
        user_id=entry.user_id,
        title=entry.module_title,
        topic=entry.topic,
        completed_on=entry.completed_on,
        hours=entry.hours,
    )


def import_elearning_csv(data: bytes | str, *, actor: Any, provider: str) -> ImportResult:
    """Import an e-learning provider's CSV export: all of it, or nothing.

    Columns (a header row is needed; any case, in any order; other columns are ignored): email, module,
    started_on (needed), topic, completed_on, hours, reference. UTF-8 with or without a byte order mark, at most
    5 MB and 20,000 rows. People are matched by email (any case) among those with a role in the board. A row
    with the same person, module (any case) and start date as a record already there changes that record, so
    importing the same file again changes nothing. When any row is wrong nothing is saved and the
    ValidationError on "file" lists each wrong row ("Row 4: completed_on 2024-13-01 is not a real date:
    write it like 2024-03-31 or 31/03/2024"), the header being row 1. Written in bulk (a few seconds for 20,000
    rows): one audit entry for the import, and the ledger brought into line for every row through
    `sync_completions`.
    """
    provider = str(provider or "").strip()
    if not provider:
        raise ValidationError({"provider": ["Give the name of the e-learning provider the file comes from."]})
    if len(provider) > 200:
        raise ValidationError({"provider": ["The provider's name must be 200 characters or fewer."]})
    parsed = elearning_csv.read(data)
    try:
        with transaction.atomic():
            people = members_by_email(current_board(), {row.cells["email"] for row in parsed.rows})
            existing = {
                (entry.user_id, entry.module_title.casefold(), entry.started_on): entry
                for entry in ElearningRecord.objects.select_for_update().filter(
                    user_id__in=[person.pk for person in people.values()]
                )
            }
            errors: list[str] = []
            planned: list[_Planned] = []
            seen: dict[Key, int] = {}
            for row in parsed.rows:
                outcome = _plan_row(row, parsed.columns, people, existing, seen, provider)
                if isinstance(outcome, _Planned):
                    planned.append(outcome)
                else:
                    errors += [f"Row {row.number}: {problem}" for problem in outcome]
            if errors:
                shown = errors[:MAX_REPORTED_ERRORS]
                if len(errors) > len(shown):
                    shown.append(f"… and {len(errors) - len(shown):,} more errors. Nothing was imported.")
                raise ValidationError({"file": shown})
            new = [plan.entry for plan in planned if plan.before is None]
            changed = [
                plan.entry for plan in planned if plan.before is not None and plan.before != _snapshot(plan.entry)
            ]
            now = timezone.now()
            for entry in changed:
                entry.updated_at = now
            ElearningRecord.objects.bulk_create(new, batch_size=1000)
            ElearningRecord.objects.bulk_update(changed, [*ELEARNING_WRITTEN, "updated_at"], batch_size=1000)
            result = ImportResult(
                rows=len(planned),
                created=len(new),
                updated=len(changed),
                unchanged=len(planned) - len(new) - len(changed),
                completed=sum(plan.entry.completed_on is not None for plan in planned),
            )
            summary = f"E-learning from {provider}: {result}"
            record("elearning_records.imported", actor=actor, summary=summary, changes=asdict(result))
            # Every row of the file, changed or not, so that a completion taken out of the ledger by hand comes back.
            sync_completions(
                E_LEARNING,
                {plan.entry.ledger_reference: _completion_of(plan.entry) for plan in planned},
                actor=actor,
                summary=f"E-learning import from {provider}",
            )
    except IntegrityError as exc:
        # Another import or a coordinator saved one of the same records while this file was being read.
        raise ValidationError(
            {
                "file": [
                    "Some of these records were saved by someone else at the same moment. Nothing was imported: "
                    "import the file again."
                ]
            }
        ) from exc
    return result
