"""The strategy: document, content, sign-offs and versions, review reminders, action plans with RAG and KPIs."""

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from conftest import World, api_client
from tenant_apps.scheduling.models import DueWork
from tenant_apps.scheduling.services import run_due_work
from tenant_apps.strategy import services
from tenant_apps.strategy.models import PlanItem, Strategy, StrategyVersion
from tenant_apps.strategy.rules import effective_rag, is_overdue, next_review_due, parse_target
from tenants.cross_board import run_in_board

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _in(world: World, slug: str, work: Any) -> Any:
    return run_in_board(world.boards[slug], work)


def _adopted(world: World, slug: str = "croydon", **extra: Any) -> Strategy:
    fields = {
        "title": "Learning and Development Strategy 2017-19",
        "period_start": date(2017, 4, 1),
        "period_end": date(2019, 3, 31),
        "status": "adopted",
        "adopted_on": date(2017, 3, 16),
        "review_cycle_months": 24,
        **extra,
    }
    return _in(world, slug, lambda: services.create_strategy(actor=world.user("coordinator", slug), **fields))


# --- rules -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("Q2 2017", date(2017, 6, 30)),
        ("q4 2018", date(2018, 12, 31)),
        ("April 2017", date(2017, 4, 30)),
        ("April 2017 and Feb 2018", date(2018, 2, 28)),
        ("Sept 2017", date(2017, 9, 30)),
        ("30/04/2017", date(2017, 4, 30)),
        ("2017-04-30", date(2017, 4, 30)),
        ("", None),
    ],
)
def test_targets_are_read_as_the_last_date_they_name(target: str, expected: date | None) -> None:
    assert parse_target(target) == expected


@pytest.mark.parametrize("target", ["Q5 2017", "Q2", "soon", "31/02/2017", "Q2 2017 and whenever"])
def test_a_malformed_target_is_refused_with_the_accepted_forms(target: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_target(target)
    assert "Q2 2017" in error.value.message_dict["target"][0]


def test_the_next_review_is_one_cycle_after_adoption_or_the_last_review() -> None:
    assert next_review_due(date(2017, 3, 16), None, 24) == date(2019, 3, 16)
    assert next_review_due(date(2017, 3, 16), date(2018, 2, 1), 24) == date(2020, 2, 1)
    assert next_review_due(date(2016, 2, 29), None, 12) == date(2017, 2, 28)
    assert next_review_due(None, None, 36) is None


def test_rag_and_overdue_rules() -> None:
    today = date(2017, 8, 1)
    row = PlanItem(status="in_progress", rag="green", target_date=date(2017, 6, 30))
    assert is_overdue(row, today) and effective_rag(row, today) == "red"
    row.target_date = date(2017, 9, 30)
    assert not is_overdue(row, today) and effective_rag(row, today) == "green"
    row.rag = ""
    assert effective_rag(row, today) == ""
    row.status, row.target_date = "completed", date(2017, 1, 1)
    assert not is_overdue(row, today) and effective_rag(row, today) == "complete"


# --- the document ---------------------------------------------------------------------------------------------


def test_adoption_sets_the_next_review_date(world: World) -> None:
    strategy = _adopted(world)
    assert strategy.next_review_due == date(2019, 3, 16)
    reviewed = _in(world, "croydon", lambda: services.record_review(strategy, actor=None, reviewed_on=date(2018, 2, 1)))
    assert reviewed.next_review_due == date(2020, 2, 1)


def test_every_change_to_the_document_adds_a_version_with_who_and_what(world: World) -> None:
    strategy = _adopted(world)
    coordinator = world.user("coordinator", "croydon")

    def edit() -> list[StrategyVersion]:
        services.update_strategy(strategy, actor=coordinator, version_label="1.1", headline="Better outcomes")
        item = services.add_item(strategy, actor=coordinator, section="principle", title="Be outcomes focussed")
        services.update_item(item, actor=coordinator, body="to achieve better outcomes for children")
        services.add_sign_off(
            strategy,
            actor=coordinator,
            role="Independent Chair",
            name="Sarah Baker",
            signed_on=date(2017, 3, 16),
            version_label="1.1",
        )
        return list(StrategyVersion.objects.filter(strategy=strategy).order_by("number"))

    versions = _in(world, "croydon", edit)
    assert [v.number for v in versions] == [1, 2, 3, 4, 5]
    assert versions[1].changes == {"version_label": ["", "1.1"], "headline": ["", "Better outcomes"]}
    assert versions[1].actor_email == "coordinator@croydon.test"
    assert versions[3].snapshot["items"][0]["body"] == "to achieve better outcomes for children"
    assert versions[4].snapshot["sign_offs"] == [
        {"role": "Independent Chair", "name": "Sarah Baker", "signed_on": "2017-03-16", "version_label": "1.1"}
    ]
    history = api_client(coordinator, world.host("croydon")).get(f"/api/v1/strategy-versions/?strategy={strategy.pk}")
    assert [row["number"] for row in history.json()["results"]] == [5, 4, 3, 2, 1]


def test_a_period_ending_before_it_starts_is_a_clear_400_and_saves_nothing(world: World) -> None:
    client = api_client(world.user("coordinator", "leeds"), world.host("leeds"))
    response = client.post(
        "/api/v1/strategies/",
        {"title": "Backwards", "period_start": "2019-04-01", "period_end": "2017-03-31"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"period_end": ["The period must end after it starts."]}
    assert _in(world, "leeds", lambda: Strategy.objects.count()) == 0


# --- review reminders ----------------------------------------------------------------------------------------


def test_the_review_reminder_goes_out_once_at_its_due_date(world: World) -> None:
    strategy = _adopted(world)  # review due 16 March 2019; the board is reminded 60 days before
    reminder_day = datetime(2019, 1, 15, 8, 0, tzinfo=LONDON)
    work = _in(world, "croydon", lambda: DueWork.objects.get(kind="strategy.review_reminder"))
    assert work.due_at == reminder_day

    with time_machine.travel(reminder_day - timedelta(minutes=5)):
        assert _in(world, "croydon", run_due_work) == 0
    assert mail.outbox == []
    with time_machine.travel(reminder_day + timedelta(minutes=1)):
        assert _in(world, "croydon", run_due_work) == 1
        assert _in(world, "croydon", run_due_work) == 0
    with time_machine.travel(reminder_day + timedelta(days=3)):
        assert _in(world, "croydon", run_due_work) == 0

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["board_admin@croydon.test", "coordinator@croydon.test"]
    assert "16 March 2019" in message.subject and strategy.title in message.subject
    assert f"/strategy/{strategy.pk}/" in message.body


def test_a_new_review_date_replaces_the_pending_reminder(world: World) -> None:
    strategy = _adopted(world)
    _in(world, "croydon", lambda: services.record_review(strategy, actor=None, reviewed_on=date(2018, 2, 1)))
    pending = _in(world, "croydon", lambda: list(DueWork.objects.filter(state="pending").values_list("key", flat=True)))
    assert pending == [f"{strategy.pk}:2020-02-01"]


def test_a_draft_strategy_has_no_reminder(world: World) -> None:
    _in(
        world,
        "leeds",
        lambda: services.create_strategy(
            actor=None, title="Draft", period_start=date(2026, 4, 1), period_end=date(2029, 3, 31)
        ),
    )
    assert _in(world, "leeds", lambda: DueWork.objects.count()) == 0


# --- action plans ---------------------------------------------------------------------------------------------


def _plan_row(world: World, **fields: Any) -> PlanItem:
    strategy = _adopted(world)

    def make() -> PlanItem:
        plan = services.create_plan(strategy, actor=None, title="Strategic priority planning", period_label="2017-19")
        return services.add_plan_item(
            plan,
            actor=None,
            priority="Agree joint commissioning with Safeguarding Adult Board for shared priority areas",
            action_needed="Identify shared themes and delivery options",
            responsible="CSCB L&D Co-ordinator and SAB lead",
            target="Q2 2017",
            expected_impact="Better awareness of safeguarding children and parental issues",
            **fields,
        )

    return _in(world, "croydon", make)


def test_a_row_past_its_target_is_flagged_overdue_and_red(world: World) -> None:
    row = _plan_row(world, rag="green")
    assert row.target_date == date(2017, 6, 30)
    client = api_client(world.user("coordinator", "croydon"), world.host("croydon"))
    with time_machine.travel(datetime(2017, 8, 1, tzinfo=LONDON)):
        body = client.get(f"/api/v1/plan-items/{row.pk}/").json()
        overdue = client.get("/api/v1/plan-items/?overdue=true").json()["results"]
    assert body["overdue"] is True and body["effective_rag"] == "red" and body["rag"] == "green"
    assert [r["id"] for r in overdue] == [str(row.pk)]


def test_a_progress_update_sets_the_rows_rating_and_status(world: World) -> None:
    row = _plan_row(world)
    client = api_client(world.user("coordinator", "croydon"), world.host("croydon"))
    response = client.post(
        "/api/v1/progress-updates/",
        {
            "item": str(row.pk),
            "note": "Shared themes agreed with the SAB",
            "evidence": "Minutes 12 June",
            "rag": "green",
            "status": "completed",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    fresh = _in(world, "croydon", lambda: PlanItem.objects.get(pk=row.pk))
    assert (fresh.rag, fresh.status) == ("green", "completed")
    assert fresh.completed_on is not None


def test_a_malformed_quarter_is_a_400_and_the_row_is_unchanged(world: World) -> None:
    row = _plan_row(world)
    client = api_client(world.user("coordinator", "croydon"), world.host("croydon"))
    response = client.patch(f"/api/v1/plan-items/{row.pk}/", {"target": "Q5 2017"}, format="json")
    assert response.status_code == 400
    assert "Q2 2017" in response.json()["error"]["fields"]["target"][0]
    assert _in(world, "croydon", lambda: PlanItem.objects.get(pk=row.pk).target) == "Q2 2017"


@pytest.mark.parametrize("target", ["seventy", True, [75], {"value": 75}])
def test_a_kpi_target_of_the_wrong_type_is_a_400(world: World, target: Any) -> None:
    row = _plan_row(world)
    client = api_client(world.user("coordinator", "croydon"), world.host("croydon"))
    response = client.post(
        "/api/v1/kpis/",
        {"item": str(row.pk), "name": "Attendance rate", "unit": "%", "target_value": target},
        format="json",
    )
    assert response.status_code == 400
    assert "target_value" in response.json()["error"]["fields"]
    assert _in(world, "croydon", lambda: row.kpis.count()) == 0


def test_kpis_report_whether_the_target_is_met(world: World) -> None:
    row = _plan_row(world)
    client = api_client(world.user("coordinator", "croydon"), world.host("croydon"))
    kpi = client.post(
        "/api/v1/kpis/",
        {"item": str(row.pk), "name": "Attendance rate", "unit": "%", "target_value": "80"},
        format="json",
    ).json()
    assert kpi["met"] is None
    updated = client.patch(f"/api/v1/kpis/{kpi['id']}/", {"actual_value": "77.4"}, format="json").json()
    assert updated["met"] is False and updated["actual_value"] == "77.40"


# --- who sees what --------------------------------------------------------------------------------------------


def test_a_practitioner_reads_the_adopted_strategy_but_cannot_edit(world: World) -> None:
    strategy = _adopted(world)
    _in(
        world,
        "croydon",
        lambda: services.create_strategy(
            actor=None, title="Next strategy (draft)", period_start=date(2019, 4, 1), period_end=date(2021, 3, 31)
        ),
    )
    client = api_client(world.user("practitioner", "croydon"), world.host("croydon"))
    listing = client.get("/api/v1/strategies/").json()["results"]
    assert [row["title"] for row in listing] == [strategy.title]
    assert client.patch(f"/api/v1/strategies/{strategy.pk}/", {"title": "Mine"}, format="json").status_code == 403
    assert (
        client.post(
            "/api/v1/strategy-items/", {"strategy": str(strategy.pk), "section": "aim", "body": "x"}, format="json"
        ).status_code
        == 403
    )
    assert client.get("/api/v1/strategy-versions/").status_code == 403


def test_another_board_sees_nothing(world: World) -> None:
    row = _plan_row(world)
    leeds = api_client(world.user("coordinator", "leeds"), world.host("leeds"))
    assert leeds.get("/api/v1/plan-items/").json()["results"] == []
    assert leeds.get(f"/api/v1/plan-items/{row.pk}/").status_code == 404
    on_croydon = api_client(world.user("coordinator", "leeds"), world.host("croydon"))
    assert on_croydon.get(f"/api/v1/plan-items/{row.pk}/").status_code == 403
