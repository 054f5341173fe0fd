"""Audience groups and learning pathways: the pathway rules, the ledger, default taxonomy, API and pages."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import World, api_client
from shared_apps.audit.models import AuditEvent
from tenant_apps.audiences import services
from tenant_apps.audiences.models import AudienceGroup, LearnerProfile, LearningCompletion, PathwayRequirement
from tenant_apps.audiences.rules import Completion, State, add_months, assess
from tenant_apps.audiences.selectors import pathway_counts, pathway_status
from tenants.cross_board import run_in_board
from tenants.services import BoardSpec, provision_board

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _in(world: World, slug: str, work: Any) -> Any:
    return run_in_board(world.boards[slug], work)


def _on(day: date) -> Any:
    """Freeze today at noon in London on `day`."""
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=LONDON), tick=False)


def _group(world: World, slug: str = "leeds", code: str = "Test group", **requirement: Any) -> AudienceGroup:
    coordinator = world.user("coordinator", slug)

    def work() -> AudienceGroup:
        group = services.create_group(actor=coordinator, scheme="group", code=code, name="People in tests")
        if requirement:
            services.create_requirement(group, actor=coordinator, **requirement)
        return group

    return _in(world, slug, work)


def _learner(world: World, group: AudienceGroup, joined_on: date | None = None, slug: str = "leeds") -> Any:
    practitioner = world.user("practitioner", slug)
    _in(
        world,
        slug,
        lambda: services.set_learner_profile(
            practitioner, actor=practitioner, audience_group=group, joined_on=joined_on
        ),
    )
    return practitioner


def _complete(world: World, user: Any, day: date, hours: str, slug: str = "leeds", **extra: Any) -> LearningCompletion:
    extra.setdefault("title", "Safeguarding children")
    coordinator = world.user("coordinator", slug)

    def work() -> LearningCompletion:
        completion, _ = services.record_completion(actor=coordinator, user=user, completed_on=day, hours=hours, **extra)
        return completion

    return _in(world, slug, work)


def _status(world: World, user: Any, slug: str = "leeds") -> Any:
    """The pathway on the (frozen) today, as the learner sees it: the first requirement's assessment."""
    pathway = _in(world, slug, lambda: pathway_status(user))
    return pathway.statuses[0].assessment


REFRESHER = {"title": "Safeguarding refresher", "topic": "Safeguarding children", "minimum_hours": "2"}


# --- the pathway rules -----------------------------------------------------------------------------------------


def test_a_refresher_completed_within_its_period_is_done(world: World) -> None:
    group = _group(world, **REFRESHER, refresh_every_months=36)
    learner = _learner(world, group)
    requirement = _in(world, "leeds", lambda: group.requirements.get())
    with _on(date(2023, 1, 10)):
        _complete(world, learner, date(2023, 1, 10), "2", requirement=requirement)
    with _on(date(2024, 6, 1)):
        status = _status(world, learner)
    assert status.state == State.DONE
    assert status.last_completed_on == date(2023, 1, 10)
    assert status.hours_in_period == Decimal(2)
    assert status.next_due_on == date(2026, 1, 10)


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (date(2025, 10, 11), State.DONE),  # 91 days before
        (date(2025, 10, 12), State.DUE),  # 90 days before
        (date(2026, 1, 10), State.DUE),  # the due date itself
        (date(2026, 1, 11), State.OVERDUE),
    ],
)
def test_a_refresher_is_due_within_90_days_of_its_next_due_date_and_overdue_after_it(
    world: World, today: date, state: str
) -> None:
    group = _group(world, **REFRESHER, refresh_every_months=36)
    learner = _learner(world, group)
    with _on(date(2023, 1, 10)):
        _complete(world, learner, date(2023, 1, 10), "2", topic="Safeguarding children")
    with _on(today):
        status = _status(world, learner)
    assert status.state == state
    assert status.next_due_on == date(2026, 1, 10)
    assert status.hours_in_period == (Decimal(0) if state == State.OVERDUE else Decimal(2))


def test_a_new_starter_is_due_in_the_first_year_then_overdue_and_done_once_the_hours_are_in(world: World) -> None:
    group = _group(
        world,
        title="Level 3 safeguarding children: first year",
        topic="Safeguarding children level 3",
        minimum_hours="8",
        first_completion_within_months=12,
    )
    learner = _learner(world, group, joined_on=date(2024, 1, 15))
    with _on(date(2024, 6, 1)):
        due = _status(world, learner)
        _complete(world, learner, date(2024, 5, 20), "5", topic="Safeguarding children level 3")
        part_way = _status(world, learner)
    with _on(date(2025, 1, 16)):
        overdue = _status(world, learner)
        _complete(world, learner, date(2025, 1, 16), "3", topic="Safeguarding children level 3")
        done = _status(world, learner)

    assert (due.state, due.next_due_on, due.hours_in_period) == (State.DUE, date(2025, 1, 15), Decimal(0))
    assert (part_way.state, part_way.hours_in_period) == (State.DUE, Decimal(5))
    assert (overdue.state, overdue.next_due_on) == (State.OVERDUE, date(2025, 1, 15))
    assert (done.state, done.next_due_on, done.hours_in_period) == (State.DONE, None, Decimal(8))


def test_hours_add_up_across_two_completions_and_the_older_one_sets_the_next_due_date(world: World) -> None:
    group = _group(world, title="Level 3 refresher", topic="Level 3", minimum_hours="6", refresh_every_months=36)
    learner = _learner(world, group)
    with _on(date(2024, 3, 1)):
        _complete(world, learner, date(2023, 2, 1), "3", topic="Level 3")
        half = _status(world, learner)
        _complete(world, learner, date(2024, 2, 1), "3", topic="Level 3")
        whole = _status(world, learner)
    assert (half.state, half.hours_in_period, half.next_due_on) == (State.NOT_STARTED, Decimal(3), None)
    assert (whole.state, whole.hours_in_period, whole.next_due_on) == (State.DONE, Decimal(6), date(2026, 2, 1))
    assert whole.last_completed_on == date(2024, 2, 1)


def test_learning_with_the_same_topic_counts_whatever_its_case_and_other_topics_do_not(world: World) -> None:
    group = _group(world, **REFRESHER, refresh_every_months=36)
    learner = _learner(world, group)
    with _on(date(2024, 3, 1)):
        _complete(world, learner, date(2024, 1, 5), "5", title="Domestic abuse", topic="Domestic abuse")
        other_topic = _status(world, learner)
        _complete(world, learner, date(2024, 2, 5), "2", title="Workshop", topic="  SAFEGUARDING children ")
        same_topic = _status(world, learner)
    assert other_topic.state == State.NOT_STARTED and other_topic.last_completed_on is None
    assert same_topic.state == State.DONE and same_topic.next_due_on == date(2027, 2, 5)


def test_a_person_without_a_profile_or_group_has_an_empty_pathway(world: World) -> None:
    trainer = world.user("trainer", "leeds")
    assert _in(world, "leeds", lambda: pathway_status(trainer)).statuses == []
    _in(world, "leeds", lambda: services.set_learner_profile(trainer, actor=trainer, job_role="Trainer"))
    pathway = _in(world, "leeds", lambda: pathway_status(trainer))
    assert pathway.profile is not None and pathway.group is None and pathway.statuses == []


def test_the_rules_keep_to_real_dates_at_the_ends_of_months_and_of_the_calendar() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(9999, 6, 1), 12) == date.max
    requirement = PathwayRequirement(minimum_hours=Decimal(2), first_completion_within_months=12)
    far_future = assess(requirement, [], date(9999, 6, 1), date(2024, 1, 1))
    assert (far_future.state, far_future.next_due_on) == (State.DUE, date.max)
    once = assess(requirement, [Completion(date(2020, 1, 1), Decimal(2))], None, date(2024, 1, 1))
    assert (once.state, once.next_due_on) == (State.DONE, None)


def _queries(work: Any) -> tuple[Any, list[str]]:
    """Run `work` (inside a board's schema); return its result and its SQL (not django-tenants' search_path)."""
    with CaptureQueriesContext(connection) as queries:
        result = work()
    return result, [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SET search_path")]


def test_the_learners_own_pathway_takes_three_queries(world: World) -> None:
    group = _group(world, **REFRESHER, refresh_every_months=36)
    learner = _learner(world, group)
    _in(world, "leeds", lambda: services.create_requirement(group, actor=None, title="Second", minimum_hours="1"))
    for day in (date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)):
        _complete(world, learner, day, "1", topic="Safeguarding children")
    pathway, queries = _in(world, "leeds", lambda: _queries(lambda: pathway_status(learner)))
    assert len(pathway.statuses) == 2
    assert len(queries) == 3, queries


def test_the_board_counts_learners_per_state_for_each_requirement_in_three_queries(world: World) -> None:
    group = _group(world, **REFRESHER, refresh_every_months=36, first_completion_within_months=6)
    requirement = _in(world, "leeds", lambda: group.requirements.get())
    practitioner = _learner(world, group, joined_on=date(2020, 1, 1))
    trainer, finance = world.user("trainer", "leeds"), world.user("finance", "leeds")
    for person, joined in ((trainer, date(2024, 1, 1)), (finance, None)):
        _in(
            world,
            "leeds",
            lambda p=person, j=joined: services.set_learner_profile(p, actor=None, audience_group=group, joined_on=j),
        )
    with _on(date(2024, 3, 1)):
        _complete(world, practitioner, date(2024, 2, 1), "2", requirement=requirement)
        counts, queries = _in(world, "leeds", lambda: _queries(pathway_counts))
    assert len(queries) == 3, queries
    row = counts[requirement.pk]
    assert (row["done"], row["due"], row["overdue"], row["not_started"]) == (1, 1, 0, 1)
    with _on(date(2024, 8, 1)):
        later = _in(world, "leeds", pathway_counts)[requirement.pk]
    assert (later["done"], later["due"], later["overdue"], later.learners) == (1, 0, 1, 3)


# --- the ledger --------------------------------------------------------------------------------------------------


def test_importing_the_same_completion_twice_records_it_once(world: World) -> None:
    group = _group(world)
    learner = _learner(world, group)
    first = _complete(world, learner, date(2024, 1, 5), "3", source="imported", reference="LMS-42")
    again = _complete(world, learner, date(2024, 1, 5), "3", source="imported", reference="LMS-42")
    other_source = _complete(world, learner, date(2024, 1, 5), "3", source="e_learning", reference="LMS-42")

    assert again.pk == first.pk and other_source.pk != first.pk
    assert _in(world, "leeds", lambda: LearningCompletion.objects.filter(user_id=learner.pk).count()) == 2
    recorded = AuditEvent.objects.filter(action="learning_completion.recorded", object_id=str(first.pk))
    assert recorded.count() == 1


def test_a_reference_already_used_for_another_person_is_refused(world: World) -> None:
    group = _group(world)
    learner = _learner(world, group)
    _complete(world, learner, date(2024, 1, 5), "3", source="imported", reference="LMS-43")
    with pytest.raises(ValidationError) as error:
        _complete(world, world.user("trainer", "leeds"), date(2024, 1, 5), "3", source="imported", reference="LMS-43")
    assert "already recorded for another person" in error.value.message_dict["reference"][0]


def test_learning_in_the_future_or_of_no_hours_is_refused(world: World) -> None:
    learner = world.user("practitioner", "leeds")
    with _on(date(2024, 3, 1)), pytest.raises(ValidationError) as future:
        _complete(world, learner, date(2024, 3, 2), "1")
    with pytest.raises(ValidationError) as negative:
        _complete(world, learner, date(2024, 3, 1), "-1")
    assert future.value.message_dict["completed_on"] == ["The date it was completed cannot be in the future."]
    assert negative.value.message_dict["hours"] == ["The hours must be more than 0."]


def test_only_people_with_a_role_in_the_board_have_a_profile_or_completions_there(world: World) -> None:
    croydon_only = world.user("practitioner", "croydon")
    with pytest.raises(ValidationError) as error:
        _in(world, "leeds", lambda: services.set_learner_profile(croydon_only, actor=None, job_role="Nurse"))
    assert error.value.message_dict["user"] == ["This person has no role in this board or partnership."]


def test_a_practitioner_cannot_change_someone_elses_profile_through_the_service(world: World) -> None:
    trainer, practitioner = world.user("trainer", "leeds"), world.user("practitioner", "leeds")
    with pytest.raises(PermissionDenied):
        _in(world, "leeds", lambda: services.set_learner_profile(trainer, actor=practitioner, job_role="Nurse"))


# --- groups, requirements and the default taxonomy ---------------------------------------------------------------


def test_a_new_board_starts_with_the_intercollegiate_levels_and_their_refreshers() -> None:
    board = provision_board(BoardSpec(name="Calderdale Safeguarding Children Partnership", slug="calderdale"))

    def read() -> dict[str, list[tuple[str, Decimal, int | None, int | None]]]:
        return {
            group.code: [
                (r.title, r.minimum_hours, r.first_completion_within_months, r.refresh_every_months)
                for r in group.requirements.order_by("order")
            ]
            for group in AudienceGroup.objects.filter(scheme="level").order_by("order")
        }

    levels = run_in_board(board, read)
    assert list(levels) == ["Level 1", "Level 2", "Level 3", "Level 4", "Level 5"]
    assert levels["Level 1"] == [("Level 1 safeguarding children", Decimal(2), None, 36)]
    assert levels["Level 2"] == [("Level 2 safeguarding children", Decimal(3), None, 36)]
    assert levels["Level 3"] == [
        ("Level 3 safeguarding children: first year", Decimal(8), 12, None),
        ("Level 3 safeguarding children: refresher", Decimal(6), None, 36),
    ]
    assert AuditEvent.objects.filter(board=board, action="audience_group.defaults_seeded").count() == 1


def test_the_default_taxonomy_is_only_seeded_on_a_board_without_groups(world: World) -> None:
    _group(world)
    assert _in(world, "leeds", services.seed_default_taxonomy) == []

    def berkshire_west() -> list[str]:
        AudienceGroup.objects.all().delete()
        return [group.code for group in services.seed_default_taxonomy(scheme="group")]

    assert _in(world, "leeds", berkshire_west) == [f"Group {n}" for n in range(1, 9)]


def test_deleting_a_group_that_learners_belong_to_is_refused_with_a_clear_message(world: World) -> None:
    group = _group(world, code="Group 9")
    _learner(world, group)
    with pytest.raises(ValidationError) as error:
        _in(world, "leeds", lambda: services.delete_group(group, actor=world.user("coordinator", "leeds")))
    assert error.value.message_dict["non_field_errors"] == [
        "“Group 9” cannot be deleted because 1 learner belongs to it. Move them to another group first."
    ]
    assert _in(world, "leeds", lambda: AudienceGroup.objects.filter(pk=group.pk).exists())


def test_a_code_is_unique_in_the_board_whatever_its_case(world: World) -> None:
    _group(world, code="Group 9")
    with pytest.raises(ValidationError) as error:
        _group(world, code="group 9")
    assert error.value.message_dict["code"] == ["There is already an audience group “group 9”. Choose another code."]
    _group(world, slug="croydon", code="Group 9")  # another board may use the same code


# --- API ---------------------------------------------------------------------------------------------------------


def _api(world: World, role: str, slug: str = "leeds", host: str | None = None) -> Any:
    return api_client(world.user(role, slug), world.host(host or slug))


def test_a_practitioner_reads_groups_and_requirements_but_cannot_change_them(world: World) -> None:
    group = _group(world, **REFRESHER, refresh_every_months=36)
    requirement = _in(world, "leeds", lambda: group.requirements.get())
    client = _api(world, "practitioner")

    listed = client.get("/api/v1/audience-groups/")
    assert listed.status_code == 200
    ours = next(row for row in listed.json()["results"] if row["id"] == str(group.pk))
    assert ours["requirements"][0]["title"] == "Safeguarding refresher"
    assert client.get(f"/api/v1/pathway-requirements/{requirement.pk}/").status_code == 200

    assert client.post("/api/v1/audience-groups/", {"code": "X", "name": "X"}, format="json").status_code == 403
    patch = client.patch(f"/api/v1/pathway-requirements/{requirement.pk}/", {"minimum_hours": "1"}, format="json")
    assert patch.status_code == 403
    assert client.delete(f"/api/v1/audience-groups/{group.pk}/").status_code == 403


def test_a_coordinator_adds_a_group_and_a_requirement_through_the_api(world: World) -> None:
    client = _api(world, "coordinator")
    group = client.post(
        "/api/v1/audience-groups/", {"scheme": "group", "code": "DSL", "name": "Designated leads"}, format="json"
    )
    assert group.status_code == 201, group.content
    requirement = client.post(
        "/api/v1/pathway-requirements/",
        {"group": group.json()["id"], "title": "DSL training", "minimum_hours": "6", "refresh_every_months": 24},
        format="json",
    )
    assert requirement.status_code == 201, requirement.content
    assert requirement.json()["minimum_hours"] == "6.00"
    assert AuditEvent.objects.filter(action="pathway_requirement.created", object_id=requirement.json()["id"]).exists()


def test_deleting_a_group_with_learners_through_the_api_is_a_400_that_says_why(world: World) -> None:
    group = _group(world, code="Group 9")
    _learner(world, group)
    response = _api(world, "coordinator").delete(f"/api/v1/audience-groups/{group.pk}/")
    assert response.status_code == 400
    assert "Move them to another group first" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("minimum_hours", "-2", "The minimum hours must be more than 0."),
        ("minimum_hours", "0", "The minimum hours must be more than 0."),
        ("minimum_hours", "1.255", "at most 2 decimal places"),
        ("refresh_every_months", 0, "from 1 to 120"),
        ("refresh_every_months", 121, "from 1 to 120"),
        ("first_completion_within_months", 0, "from 1 to 120"),
    ],
)
def test_a_requirement_with_impossible_hours_or_months_is_a_clear_400_and_saves_nothing(
    world: World, field: str, value: Any, message: str
) -> None:
    group = _group(world)
    before = _in(world, "leeds", PathwayRequirement.objects.count)
    body = {"group": str(group.pk), "title": "Refresher", "minimum_hours": "2", field: value}
    response = _api(world, "coordinator").post("/api/v1/pathway-requirements/", body, format="json")
    assert response.status_code == 400
    assert message in response.json()["error"]["fields"][field][0]
    assert _in(world, "leeds", PathwayRequirement.objects.count) == before


def test_a_requirement_or_group_of_another_board_is_a_400(world: World) -> None:
    croydon_group = _group(world, slug="croydon", **REFRESHER)
    croydon_requirement = _in(world, "croydon", lambda: croydon_group.requirements.get())
    client = _api(world, "coordinator")
    completion = client.post(
        "/api/v1/learning-completions/",
        {
            "user": world.user("practitioner", "leeds").pk,
            "requirement": str(croydon_requirement.pk),
            "completed_on": "2024-01-05",
            "hours": "2",
        },
        format="json",
    )
    assert completion.status_code == 400
    assert completion.json()["error"]["fields"]["requirement"] == [
        "There is no pathway requirement with this id in this board or partnership."
    ]
    requirement = client.post(
        "/api/v1/pathway-requirements/",
        {"group": str(croydon_group.pk), "title": "Refresher", "minimum_hours": "2"},
        format="json",
    )
    assert requirement.status_code == 400
    assert "no audience group with this id" in requirement.json()["error"]["fields"]["group"][0]


def test_negative_hours_for_completed_learning_are_a_400(world: World) -> None:
    body = {"user": world.user("practitioner", "leeds").pk, "title": "Course", "completed_on": "2024-01-05"}
    response = _api(world, "coordinator").post("/api/v1/learning-completions/", {**body, "hours": "-3"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["hours"] == ["The hours must be more than 0."]


def test_a_practitioner_sees_and_changes_only_their_own_profile(world: World) -> None:
    group = _group(world)
    _in(
        world,
        "leeds",
        lambda: services.set_learner_profile(world.user("trainer", "leeds"), actor=None, job_role="Trainer"),
    )
    client = _api(world, "practitioner")
    agency = world.agencies["health"]

    created = client.post(
        "/api/v1/learner-profiles/",
        {"agency": agency.pk, "job_role": "Health visitor", "audience_group": str(group.pk)},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["user"] == world.user("practitioner", "leeds").pk
    listed = client.get("/api/v1/learner-profiles/").json()["results"]
    assert [row["job_role"] for row in listed] == ["Health visitor"]
    assert client.get("/api/v1/learner-profiles/me/").json()["agency_name"] == agency.name

    changed = client.patch(
        f"/api/v1/learner-profiles/{created.json()['id']}/", {"job_role": "School nurse"}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["job_role"] == "School nurse"

    trainer = world.user("trainer", "leeds")
    trainers = _in(world, "leeds", lambda: LearnerProfile.objects.get(user_id=trainer.pk))
    assert client.get(f"/api/v1/learner-profiles/{trainers.pk}/").status_code == 404
    assert client.patch(f"/api/v1/learner-profiles/{trainers.pk}/", {"job_role": "X"}, format="json").status_code == 404
    someone_else = client.post("/api/v1/learner-profiles/", {"user": trainer.pk, "job_role": "X"}, format="json")
    assert someone_else.status_code == 403
    assert client.delete(f"/api/v1/learner-profiles/{created.json()['id']}/").status_code == 403

    coordinator = _api(world, "coordinator").get("/api/v1/learner-profiles/").json()["results"]
    assert {row["job_role"] for row in coordinator} >= {"School nurse", "Trainer"}


def test_a_practitioner_sees_only_their_own_completed_learning_and_cannot_record_any(world: World) -> None:
    practitioner, trainer = world.user("practitioner", "leeds"), world.user("trainer", "leeds")
    mine = _complete(world, practitioner, date(2024, 1, 5), "2", title="Mine")
    theirs = _complete(world, trainer, date(2024, 1, 5), "2", title="Theirs")
    client = _api(world, "practitioner")

    assert [row["id"] for row in client.get("/api/v1/learning-completions/").json()["results"]] == [str(mine.pk)]
    assert client.get(f"/api/v1/learning-completions/{theirs.pk}/").status_code == 404
    body = {"user": practitioner.pk, "title": "Self-recorded", "completed_on": "2024-01-05", "hours": "8"}
    assert client.post("/api/v1/learning-completions/", body, format="json").status_code == 403


def test_a_coordinator_records_completed_learning_once_per_source_and_reference(world: World) -> None:
    client = _api(world, "coordinator")
    body = {
        "user": world.user("practitioner", "leeds").pk,
        "title": "Neglect e-learning",
        "topic": "Neglect",
        "completed_on": "2024-01-05",
        "hours": "1.5",
        "source": "e_learning",
        "reference": "CERT-0001",
    }
    first = client.post("/api/v1/learning-completions/", body, format="json")
    again = client.post("/api/v1/learning-completions/", body, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]


def test_the_pathway_status_api_shows_the_learner_their_own_and_managers_anyones(world: World) -> None:
    group = _group(world, **REFRESHER, refresh_every_months=36)
    learner = _learner(world, group)
    with _on(date(2024, 3, 1)):
        _complete(world, learner, date(2024, 2, 1), "2", topic="Safeguarding children")
        own = _api(world, "practitioner").get("/api/v1/pathway-status/")
        coordinator = _api(world, "coordinator")
        theirs = coordinator.get("/api/v1/pathway-status/", {"user": learner.pk})
    assert own.status_code == 200
    assert own.json()["audience_group"]["code"] == "Test group"
    assert own.json()["requirements"][0] | {"requirement": None} == {
        "requirement": None,
        "title": "Safeguarding refresher",
        "topic": "Safeguarding children",
        "minimum_hours": "2.00",
        "first_completion_within_months": None,
        "refresh_every_months": 36,
        "state": "done",
        "state_label": "Done",
        "last_completed_on": "2024-02-01",
        "hours_in_period": "2.00",
        "next_due_on": "2027-02-01",
    }
    assert theirs.json() == own.json()

    trainer = world.user("trainer", "leeds")
    assert _api(world, "practitioner").get("/api/v1/pathway-status/", {"user": trainer.pk}).status_code == 403
    outsider = coordinator.get("/api/v1/pathway-status/", {"user": world.users["outsider"].pk})
    assert outsider.status_code == 404
    assert coordinator.get("/api/v1/pathway-status/", {"user": "abc"}).status_code == 400


def test_another_boards_people_are_refused_and_leeds_ids_are_unknown_on_croydon(world: World) -> None:
    group = _group(world, **REFRESHER)
    learner = _learner(world, group)
    completion = _complete(world, learner, date(2024, 1, 5), "2")
    profile = _in(world, "leeds", lambda: LearnerProfile.objects.get(user_id=learner.pk))

    croydon_on_leeds = _api(world, "coordinator", slug="croydon", host="leeds")
    for path in ("audience-groups/", "learner-profiles/", "learning-completions/", "pathway-status/"):
        assert croydon_on_leeds.get(f"/api/v1/{path}").status_code == 403, path

    croydon = _api(world, "coordinator", slug="croydon")
    for path in (
        f"audience-groups/{group.pk}/",
        f"learner-profiles/{profile.pk}/",
        f"learning-completions/{completion.pk}/",
    ):
        assert croydon.get(f"/api/v1/{path}").status_code == 404, path
    assert croydon.get("/api/v1/pathway-status/", {"user": learner.pk}).status_code == 404


# --- pages -------------------------------------------------------------------------------------------------------


def _page(world: World, role: str | None, slug: str = "leeds", host: str | None = None) -> Client:
    client = Client(HTTP_HOST=world.host(host or slug))
    if role is not None:
        client.force_login(world.user(role, slug))
    return client


def test_everyone_in_the_board_reads_the_groups_page_and_managers_see_counts_and_links(world: World) -> None:
    group = _group(world, code="Group 9", **REFRESHER, refresh_every_months=36)
    practitioner_page = _page(world, "practitioner").get("/audiences/")
    assert practitioner_page.status_code == 200
    text = practitioner_page.content.decode()
    assert "Group 9: People in tests" in text and "Safeguarding refresher" in text and "Every 36 months" in text
    assert "Add an audience group" not in text

    coordinator_page = _page(world, "coordinator").get("/audiences/").content.decode()
    assert "Add an audience group" in coordinator_page and "Not started" in coordinator_page
    assert f"/audiences/groups/{group.pk}/requirements/add/" in coordinator_page

    assert _page(world, None).get("/audiences/").status_code == 302
    assert _page(world, "coordinator", slug="croydon", host="leeds").get("/audiences/").status_code == 403


def test_a_coordinator_adds_a_group_and_a_requirement_with_the_forms(world: World) -> None:
    client = _page(world, "coordinator")
    assert client.get("/audiences/groups/add/").status_code == 200
    saved = client.post("/audiences/groups/add/", {"scheme": "group", "code": "Group 9", "name": "Volunteers"})
    assert saved.status_code == 302
    group = _in(world, "leeds", lambda: AudienceGroup.objects.get(code="Group 9"))

    bad = client.post(
        f"/audiences/groups/{group.pk}/requirements/add/",
        {"title": "Awareness", "minimum_hours": "-1", "refresh_every_months": "0"},
    )
    assert bad.status_code == 400
    assert "The minimum hours must be more than 0" in bad.content.decode()
    assert "from 1 to 120" in bad.content.decode()

    good = client.post(
        f"/audiences/groups/{group.pk}/requirements/add/",
        {"title": "Awareness", "minimum_hours": "2", "refresh_every_months": "36"},
    )
    assert good.status_code == 302
    assert _in(world, "leeds", lambda: group.requirements.get().refresh_every_months) == 36


def test_the_delete_page_explains_why_a_group_with_learners_stays(world: World) -> None:
    group = _group(world, code="Group 9")
    _learner(world, group)
    response = _page(world, "coordinator").post(f"/audiences/groups/{group.pk}/delete/")
    assert response.status_code == 400
    assert "1 learner belongs to it" in response.content.decode()


def test_a_practitioner_cannot_open_the_managers_forms(world: World) -> None:
    group = _group(world)
    client = _page(world, "practitioner")
    assert client.get("/audiences/groups/add/").status_code == 403
    assert client.get(f"/audiences/groups/{group.pk}/requirements/add/").status_code == 403


def test_my_learning_pathway_shows_each_requirement_with_a_coloured_status(world: World) -> None:
    group = _group(world, **REFRESHER, refresh_every_months=36)
    coordinator = world.user("coordinator", "leeds")
    _in(
        world,
        "leeds",
        lambda: services.create_requirement(
            group, actor=coordinator, title="Level 3 first year", minimum_hours="8", first_completion_within_months=12
        ),
    )
    _in(
        world,
        "leeds",
        lambda: services.create_requirement(group, actor=coordinator, title="Neglect briefing", minimum_hours="1"),
    )
    learner = _learner(world, group, joined_on=date(2022, 1, 1))
    with _on(date(2024, 3, 1)):
        _complete(world, learner, date(2021, 4, 1), "2", topic="Safeguarding children")  # due 1 April 2024
        page = _page(world, "practitioner").get("/my-learning-pathway/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Test group: People in tests" in text
    assert '<strong class="govuk-tag govuk-tag--yellow">Due</strong>' in text
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in text
    assert '<strong class="govuk-tag govuk-tag--grey">Not started</strong>' in text
    assert "1 April 2024" in text and "1 January 2023" in text


def test_a_person_sets_up_their_own_profile_with_the_form(world: World) -> None:
    group = _group(world, code="Group 9")
    client = _page(world, "trainer")
    first = client.get("/my-learning-pathway/")
    assert "Set up your learner profile" in first.content.decode()
    assert "Test Health agency" in client.get("/my-learning-pathway/profile/").content.decode()

    bad = client.post("/my-learning-pathway/profile/", {"line_manager_email": "not an email"})
    assert bad.status_code == 400 and "Enter an email address in the correct format" in bad.content.decode()

    saved = client.post(
        "/my-learning-pathway/profile/",
        {
            "agency": world.agencies["police"].pk,
            "job_role": "Detective constable",
            "audience_group": str(group.pk),
            "line_manager_email": "Sergeant@Police.Example",
            "joined_on": "2023-09-04",
        },
    )
    assert saved.status_code == 302
    profile = _in(world, "leeds", lambda: LearnerProfile.objects.get(user_id=world.user("trainer", "leeds").pk))
    assert (profile.audience_group_id, profile.line_manager_email) == (group.pk, "sergeant@police.example")
    assert "Group 9: People in tests" in client.get("/my-learning-pathway/").content.decode()
