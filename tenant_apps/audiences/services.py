"""Every write to a board's audience groups, pathway requirements, learner profiles and learning ledger.

Each runs in one transaction, checks the rules and records an audit entry. Errors are `ValidationError`s keyed
by field (or `non_field_errors`), with messages for the people who run training.
"""

from __future__ import annotations

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
from tenant_apps.audiences.defaults import TAXONOMIES
from tenant_apps.audiences.models import (
    MAX_MONTHS,
    AudienceGroup,
    LearnerProfile,
    LearningCompletion,
    PathwayRequirement,
)
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


def _check_completion(completion: LearningCompletion) -> None:
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
    completion.full_clean(validate_unique=False, validate_constraints=False)


def _existing(source: str, reference: str) -> LearningCompletion | None:
    if not reference.strip():
        return None
    return LearningCompletion.objects.filter(source=source, reference=reference.strip()).first()


def _same_person(existing: LearningCompletion, user: Any) -> LearningCompletion:
    if existing.user_id != user.pk:
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
        return _same_person(existing, user), False
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
            return _same_person(existing, user), False
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
