"""Learning and development needs audits (Croydon priority 9): design, sending, answering by link, met and unmet
need per topic and agency type, small-number suppression in the published findings, permissions and pages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import World, api_client
from shared_apps.agencies.models import Agency
from shared_apps.audit.models import AuditEvent
from tenant_apps.needs_audits import services
from tenant_apps.needs_audits.models import AuditAnswer, AuditInvitation, AuditResponse, AuditTopic, NeedsAudit
from tenant_apps.needs_audits.selectors import audit_summary
from tenants.cross_board import run_in_board

pytestmark = pytest.mark.django_db
TOKEN_IN_LINK = re.compile(r"/needs-audits/respond/([\w-]+)/")


def _in(world: World, slug: str, work: Any) -> Any:
    return run_in_board(world.boards[slug], work)


def _agency(name: str, agency_type: str, email: str = "") -> Agency:
    return Agency.objects.create(name=name, agency_type=agency_type, email=email)


@dataclass
class Fixture:
    audit: NeedsAudit
    topics: dict[str, AuditTopic]
    tokens: dict[str, str] = field(default_factory=dict)  # agency name -> token

    def need_met(self, topic: str) -> Any:
        return self.topics[topic].questions.get(kind="need_met")


def _audit(
    world: World,
    slug: str = "croydon",
    *,
    opens_on: date | None = None,
    closes_on: date | None = None,
    topics: tuple[str, ...] = ("Neglect", "Domestic abuse"),
) -> Fixture:
    today = timezone.localdate()
    coordinator = world.user("coordinator", slug)

    def make() -> Fixture:
        audit = services.create_audit(
            actor=coordinator,
            title="Multi-agency learning needs audit 2026",
            introduction="Help us plan next year's training.",
            opens_on=opens_on or today - timedelta(days=1),
            closes_on=closes_on or today + timedelta(days=30),
        )
        made = {title: services.add_topic(audit, actor=coordinator, title=title) for title in topics}
        return Fixture(audit, made)

    return _in(world, slug, make)


def _send(world: World, fixture: Fixture, agencies: list[Agency], slug: str = "croydon") -> services.SendResult:
    coordinator = world.user("coordinator", slug)

    def send() -> services.SendResult:
        result = services.send_audit(fixture.audit, actor=coordinator, agency_ids=[a.pk for a in agencies])
        for invitation, token in result.emailed + result.not_emailed:
            fixture.tokens[invitation.agency.name] = token
        fixture.audit.refresh_from_db()
        return result

    return _in(world, slug, send)


def _answer(world: World, fixture: Fixture, agency: str, scores: dict[str, int], **extra: Any) -> AuditResponse:
    def submit() -> AuditResponse:
        answers = [{"question": fixture.need_met(topic).pk, "value": score} for topic, score in scores.items()]
        answers += extra.pop("answers", [])
        return services.submit_response(
            token=fixture.tokens[agency], respondent_name=f"Someone at {agency}", answers=answers, **extra
        )

    return _in(world, "croydon", submit)


# --- met and unmet need ---------------------------------------------------------------------------------------


@pytest.fixture
def answered(world: World) -> Fixture:
    """Two health agencies (three responses), one police force, two education settings (one answers)."""
    agencies = [
        _agency("Croydon Health Services NHS Trust", "health", "safeguarding@chs.test"),
        _agency("South London and Maudsley NHS Trust", "health", "training@slam.test"),
        _agency("Metropolitan Police Croydon", "police", "met@police.test"),
        _agency("Harris Academy", "education", "dsl@harris.test"),
        _agency("Croydon College", "education"),
    ]
    fixture = _audit(world)
    question = _in(
        world,
        "croydon",
        lambda: services.add_question(
            fixture.topics["Neglect"], actor=None, text="What training would help?", kind="text", required=False
        ),
    )
    _send(world, fixture, agencies)
    _answer(
        world,
        fixture,
        "Croydon Health Services NHS Trust",
        {"Neglect": 5, "Domestic abuse": 2},
        answers=[{"question": question.pk, "value": "Neglect toolkit refresher"}],
        staff_represented=120,
    )
    _answer(
        world,
        fixture,
        "Croydon Health Services NHS Trust",
        {"Neglect": 4, "Domestic abuse": 4},
        answers=[{"question": question.pk, "value": "Graded care profile training"}],
    )
    _answer(world, fixture, "South London and Maudsley NHS Trust", {"Neglect": 3, "Domestic abuse": 1})
    _answer(world, fixture, "Metropolitan Police Croydon", {"Neglect": 1, "Domestic abuse": 4})
    _answer(world, fixture, "Harris Academy", {"Neglect": 2, "Domestic abuse": 4})
    return fixture


def test_met_partly_met_and_unmet_need_are_counted_per_topic(world: World, answered: Fixture) -> None:
    summary = _in(world, "croydon", lambda: audit_summary(answered.audit))
    neglect, abuse = summary.topics
    # Neglect: 5, 4, 3, 1, 2.
    assert (neglect.overall.met, neglect.overall.partly, neglect.overall.unmet) == (2, 1, 2)
    assert (neglect.overall.met_share, neglect.overall.partly_share, neglect.overall.unmet_share) == (40, 20, 40)
    assert neglect.overall.responses == 5 and neglect.overall.mean == 3.0
    # Domestic abuse: 2, 4, 1, 4, 4.
    assert (abuse.overall.met, abuse.overall.partly, abuse.overall.unmet) == (3, 0, 2)
    assert (abuse.overall.met_share, abuse.overall.unmet_share) == (60, 40)
    assert abuse.overall.mean == 3.0
    assert (summary.all_topics.met, summary.all_topics.partly, summary.all_topics.unmet) == (5, 1, 4)
    assert summary.responses == 5 and summary.staff_represented == 120


def test_met_and_unmet_need_are_counted_per_agency_type(world: World, answered: Fixture) -> None:
    summary = _in(world, "croydon", lambda: audit_summary(answered.audit))
    neglect, abuse = summary.topics
    # Health answered three times: neglect 5, 4, 3; domestic abuse 2, 4, 1.
    health_neglect = neglect.by_type["health"]
    assert (health_neglect.responses, health_neglect.met, health_neglect.partly, health_neglect.unmet) == (3, 2, 1, 0)
    assert health_neglect.mean == 4.0
    health_abuse = abuse.by_type["health"]
    assert (health_abuse.met, health_abuse.partly, health_abuse.unmet, health_abuse.mean) == (1, 0, 2, 2.3)
    assert (neglect.by_type["police"].unmet, abuse.by_type["police"].met) == (1, 1)
    health = summary.by_type["health"]
    assert (health.responses, health.ratings, health.met, health.partly, health.unmet) == (3, 6, 3, 1, 2)
    assert health.met_share == 50 and health.mean == 3.2
    assert [label for _, label in summary.agency_types] == ["Health", "Police", "Education"]


def test_response_rates_count_agencies_that_answered_per_type(world: World, answered: Fixture) -> None:
    summary = _in(world, "croydon", lambda: audit_summary(answered.audit))
    rates = {rate.agency_type: (rate.invited, rate.answered, rate.responses, rate.rate) for rate in summary.rates}
    assert rates == {"health": (2, 2, 3, 100), "police": (1, 1, 1, 100), "education": (2, 1, 1, 50)}
    assert (summary.invited, summary.agencies_answered, summary.response_rate) == (5, 4, 80)


def _summary_queries(world: World, fixture: Fixture) -> int:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            audit_summary(fixture.audit)
        # django-tenants sets the search path before each query; count the queries themselves.
        return len([q for q in queries.captured_queries if not q["sql"].startswith("SET search_path")])

    return int(_in(world, "croydon", count))


def test_the_summary_takes_one_query_per_aggregate_however_many_responses(world: World, answered: Fixture) -> None:
    before = _summary_queries(world, answered)
    for _ in range(5):
        _answer(world, answered, "Harris Academy", {"Neglect": 3, "Domestic abuse": 3})
    assert before <= 11
    assert _summary_queries(world, answered) == before


def test_the_published_summary_hides_figures_from_fewer_than_three_responses(world: World, answered: Fixture) -> None:
    summary = _in(world, "croydon", lambda: audit_summary(answered.audit, published=True))
    neglect, abuse = summary.topics
    assert not neglect.overall.suppressed and neglect.overall.met == 2
    assert not neglect.by_type["health"].suppressed and neglect.by_type["health"].met == 2
    for cell in (neglect.by_type["police"], neglect.by_type["education"], abuse.by_type["police"]):
        assert cell.suppressed and cell.met == cell.unmet == cell.responses == 0 and cell.mean is None
    rates = {rate.agency_type: rate for rate in summary.rates}
    assert not rates["health"].suppressed
    assert rates["police"].suppressed and rates["police"].answered == 0
    written = next(result for result in summary.questions[0][1] if result.question.kind == "text")
    assert written.suppressed and written.texts == []  # two answers only

    full = _in(world, "croydon", lambda: audit_summary(answered.audit))
    written = next(result for result in full.questions[0][1] if result.question.kind == "text")
    assert written.texts == ["Neglect toolkit refresher", "Graded care profile training"]


def test_the_published_findings_page_shows_fewer_than_3_and_no_names(world: World, answered: Fixture) -> None:
    coordinator = world.user("coordinator", "croydon")
    _in(world, "croydon", lambda: services.close_audit(answered.audit, actor=coordinator))
    _in(world, "croydon", lambda: services.publish_summary(answered.audit, actor=coordinator))
    page = Client(HTTP_HOST=world.host("croydon")).get(f"/needs-audits/{answered.audit.pk}/findings/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Fewer than 3 responses" in text and "40%" in text
    assert "Someone at" not in text and "Harris Academy" not in text
    listing = Client(HTTP_HOST=world.host("croydon")).get("/needs-audits/findings/")
    assert answered.audit.title in listing.content.decode()


def test_unpublished_findings_are_not_found(world: World, answered: Fixture) -> None:
    page = Client(HTTP_HOST=world.host("croydon")).get(f"/needs-audits/{answered.audit.pk}/findings/")
    assert page.status_code == 404


def test_findings_are_published_only_once_the_audit_is_closed(world: World, answered: Fixture) -> None:
    with pytest.raises(ValidationError, match="Close the audit"):
        _in(world, "croydon", lambda: services.publish_summary(answered.audit, actor=None))


# --- answering ------------------------------------------------------------------------------------------------


def test_answering_a_closed_audit_is_refused_and_saves_nothing(world: World) -> None:
    agency = _agency("Croydon Council Children's Services", "childrens_social_care", "csc@croydon.test")
    with time_machine.travel(date(2026, 2, 1)):
        fixture = _audit(world, opens_on=date(2026, 2, 1), closes_on=date(2026, 3, 3), topics=("Neglect",))
        _send(world, fixture, [agency])
    body = {
        "token": fixture.tokens[agency.name],
        "respondent_name": "Ada",
        "answers": [{"question": str(_in(world, "croydon", lambda: fixture.need_met("Neglect").pk)), "value": 4}],
    }
    with time_machine.travel(date(2026, 3, 4)):
        response = api_client(None, world.host("croydon")).post("/api/v1/needs-audit-responses/", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "This audit closed on 3 March 2026; answers can no longer be sent."
    assert _in(world, "croydon", AuditResponse.objects.count) == 0


def test_answering_an_audit_closed_early_is_refused(world: World) -> None:
    agency = _agency("Croydon Council Children's Services", "childrens_social_care", "csc@croydon.test")
    fixture = _audit(world, topics=("Neglect",))
    _send(world, fixture, [agency])
    _in(world, "croydon", lambda: services.close_audit(fixture.audit, actor=None))
    with pytest.raises(ValidationError, match="answers can no longer be sent"):
        _answer(world, fixture, agency.name, {"Neglect": 4})
    assert _in(world, "croydon", AuditResponse.objects.count) == 0


def test_answering_before_the_audit_opens_is_refused_and_saves_nothing(world: World) -> None:
    agency = _agency("Croydon Council Children's Services", "childrens_social_care", "csc@croydon.test")
    opens = timezone.localdate() + timedelta(days=7)
    fixture = _audit(world, opens_on=opens, closes_on=opens + timedelta(days=30), topics=("Neglect",))
    _send(world, fixture, [agency])
    with pytest.raises(ValidationError) as error:
        _answer(world, fixture, agency.name, {"Neglect": 4})
    assert error.value.message_dict["non_field_errors"][0].startswith(f"This audit opens on {opens.day} ")
    assert _in(world, "croydon", AuditResponse.objects.count) == 0


def test_a_6_on_a_1_to_5_scale_refuses_the_whole_response(world: World) -> None:
    agency = _agency("Croydon Council Children's Services", "childrens_social_care", "csc@croydon.test")
    fixture = _audit(world)
    _send(world, fixture, [agency])
    neglect, abuse = _in(world, "croydon", lambda: (fixture.need_met("Neglect"), fixture.need_met("Domestic abuse")))
    body = {
        "token": fixture.tokens[agency.name],
        "respondent_name": "Ada",
        "answers": [{"question": str(neglect.pk), "value": 4}, {"question": str(abuse.pk), "value": 6}],
    }
    response = api_client(None, world.host("croydon")).post("/api/v1/needs-audit-responses/", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["answers"] == [
        "Domestic abuse, “How well is this learning need currently met for your staff?”: Choose a number from 1 to 5."
    ]
    assert _in(world, "croydon", lambda: (AuditResponse.objects.count(), AuditAnswer.objects.count())) == (0, 0)


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("number", -1, "cannot be negative"),
        ("number", "lots", "Enter a number"),
        ("text", "x" * 5001, "5,000 characters or fewer"),
        ("yes_no", "maybe", "Answer yes or no"),
        ("scale", 0, "Choose a number from 1 to 5"),
    ],
)
def test_bad_answers_of_each_kind_are_refused(world: World, kind: str, value: Any, message: str) -> None:
    agency = _agency("Croydon Council Children's Services", "childrens_social_care", "csc@croydon.test")
    fixture = _audit(world, topics=("Neglect",))
    question = _in(
        world,
        "croydon",
        lambda: services.add_question(fixture.topics["Neglect"], actor=None, text="Extra", kind=kind),
    )
    _send(world, fixture, [agency])
    with pytest.raises(ValidationError) as error:
        _answer(world, fixture, agency.name, {"Neglect": 4}, answers=[{"question": question.pk, "value": value}])
    assert message in error.value.message_dict["answers"][0]
    assert _in(world, "croydon", AuditResponse.objects.count) == 0


def test_a_required_question_left_blank_refuses_the_response(world: World) -> None:
    agency = _agency("Croydon Council Children's Services", "childrens_social_care", "csc@croydon.test")
    fixture = _audit(world)
    _send(world, fixture, [agency])
    with pytest.raises(services.AnswerErrors) as error:
        _answer(world, fixture, agency.name, {"Neglect": 4})
    abuse = _in(world, "croydon", lambda: fixture.need_met("Domestic abuse"))
    assert error.value.by_question == {str(abuse.pk): "Answer this question."}


def test_a_good_response_saves_typed_answers_and_an_audit_entry(world: World) -> None:
    agency = _agency("Croydon Council Children's Services", "childrens_social_care", "csc@croydon.test")
    fixture = _audit(world, topics=("Neglect",))
    topic = fixture.topics["Neglect"]
    extra = _in(
        world,
        "croydon",
        lambda: [
            services.add_question(topic, actor=None, text="Staff trained this year", kind="number"),
            services.add_question(topic, actor=None, text="Is training mandatory?", kind="yes_no"),
        ],
    )
    _send(world, fixture, [agency])
    response = _answer(
        world,
        fixture,
        agency.name,
        {"Neglect": "4"},
        answers=[{"question": extra[0].pk, "value": "12.5"}, {"question": extra[1].pk, "value": "yes"}],
        job_role="Designated safeguarding lead",
    )
    values = _in(world, "croydon", lambda: sorted(str(a.value) for a in response.answers.all()))
    assert values == ["12.50", "4", "True"]
    assert AuditEvent.objects.filter(action="needs_audit.response_submitted", object_id=str(response.pk)).exists()


def test_a_leeds_token_does_not_work_on_the_croydon_host(world: World) -> None:
    agency = _agency("Leeds Teaching Hospitals NHS Trust", "health", "safeguarding@lth.test")
    fixture = _audit(world, "leeds", topics=("Neglect",))
    _send(world, fixture, [agency], slug="leeds")
    question = _in(world, "leeds", lambda: fixture.need_met("Neglect"))
    body = {
        "token": fixture.tokens[agency.name],
        "respondent_name": "Ada",
        "answers": [{"question": str(question.pk), "value": 4}],
    }
    response = api_client(None, world.host("croydon")).post("/api/v1/needs-audit-responses/", body, format="json")
    assert response.status_code == 400
    assert "This link is not valid" in response.json()["error"]["message"]
    page = Client(HTTP_HOST=world.host("croydon")).get(f"/needs-audits/respond/{fixture.tokens[agency.name]}/")
    assert page.status_code == 404
    assert _in(world, "leeds", AuditResponse.objects.count) == _in(world, "croydon", AuditResponse.objects.count) == 0


def test_a_token_answers_only_its_own_audit(world: World) -> None:
    agency = _agency("Croydon Council Children's Services", "childrens_social_care", "csc@croydon.test")
    first, second = _audit(world, topics=("Neglect",)), _audit(world, topics=("Neglect",))
    _send(world, first, [agency])
    other_question = _in(world, "croydon", lambda: second.need_met("Neglect"))
    with pytest.raises(ValidationError, match="not in this audit"):
        _in(
            world,
            "croydon",
            lambda: services.submit_response(
                token=first.tokens[agency.name],
                respondent_name="Ada",
                answers=[{"question": other_question.pk, "value": 4}],
            ),
        )


def test_a_request_without_a_valid_token_is_a_400_and_creates_nothing(world: World) -> None:
    client = api_client(None, world.host("croydon"))
    for body in ({}, {"token": "made-up", "respondent_name": "Ada", "answers": []}):
        response = client.post("/api/v1/needs-audit-responses/", body, format="json")
        assert response.status_code == 400
    assert _in(world, "croydon", AuditResponse.objects.count) == 0


# --- design and sending ---------------------------------------------------------------------------------------


def test_every_topic_gets_the_need_met_question_and_cannot_lose_it(world: World) -> None:
    fixture = _audit(world, topics=("Parental mental health",))
    question = _in(world, "croydon", lambda: fixture.need_met("Parental mental health"))
    assert question.text == "How well is this learning need currently met for your staff?" and question.required
    with pytest.raises(ValidationError, match="cannot be removed"):
        _in(world, "croydon", lambda: services.remove_question(question, actor=None))
    with pytest.raises(ValidationError, match="already has its question"):
        _in(
            world,
            "croydon",
            lambda: services.add_question(
                fixture.topics["Parental mental health"], actor=None, text="x", kind="need_met"
            ),
        )


def test_the_closing_date_must_come_after_the_opening_date(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        _audit(world, opens_on=date(2026, 3, 3), closes_on=date(2026, 3, 3))
    assert error.value.message_dict == {"closes_on": ["The closing date must be after the opening date."]}


def test_topics_and_questions_change_only_while_draft(world: World) -> None:
    agency = _agency("Croydon Council Children's Services", "childrens_social_care", "csc@croydon.test")
    fixture = _audit(world, topics=("Neglect",))
    _send(world, fixture, [agency])
    with pytest.raises(ValidationError, match="only be changed while the audit is a draft"):
        _in(world, "croydon", lambda: services.add_topic(fixture.audit, actor=None, title="Exploitation"))
    with pytest.raises(ValidationError, match="only its closing date can change"):
        _in(world, "croydon", lambda: services.update_audit(fixture.audit, actor=None, title="Renamed"))
    later = fixture.audit.closes_on + timedelta(days=14)
    extended = _in(world, "croydon", lambda: services.update_audit(fixture.audit, actor=None, closes_on=later))
    assert extended.closes_on == later


def test_sending_invites_each_agency_once_and_emails_those_with_an_address(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with_address = [
        _agency("Croydon Health Services NHS Trust", "health", "safeguarding@chs.test"),
        _agency("Metropolitan Police Croydon", "police", "met@police.test"),
    ]
    without = _agency("Croydon Voluntary Action", "voluntary")
    fixture = _audit(world, topics=("Neglect",))
    with django_capture_on_commit_callbacks(execute=True):
        result = _send(world, fixture, [*with_address, without])

    assert fixture.audit.status == NeedsAudit.Status.OPEN
    assert _in(world, "croydon", AuditInvitation.objects.count) == 3
    assert sorted(message.to[0] for message in mail.outbox) == ["met@police.test", "safeguarding@chs.test"]
    assert [invitation.agency.name for invitation, _ in result.not_emailed] == ["Croydon Voluntary Action"]
    message = next(m for m in mail.outbox if m.to == ["safeguarding@chs.test"])
    link = re.search(r"https?://\S+", message.body)
    assert link and link.group(0).startswith(f"https://{world.host('croydon')}/needs-audits/respond/")
    token = TOKEN_IN_LINK.search(link.group(0))
    assert token and token.group(1) == fixture.tokens["Croydon Health Services NHS Trust"]
    stored = _in(world, "croydon", lambda: list(AuditInvitation.objects.values_list("token_hash", flat=True)))
    assert token.group(1) not in stored  # only the hash is kept

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = _send(world, fixture, [*with_address, _agency("Harris Academy", "education", "dsl@harris.test")])
    assert [agency.name for agency in again.already_invited] == [a.name for a in with_address]
    assert [m.to for m in mail.outbox] == [["dsl@harris.test"]]
    assert _in(world, "croydon", AuditInvitation.objects.count) == 4


def test_agencies_can_be_chosen_by_type(world: World) -> None:
    fixture = _audit(world, topics=("Neglect",))
    police = _agency("British Transport Police", "police", "btp@police.test")
    result = _in(
        world,
        "croydon",
        lambda: services.send_audit(fixture.audit, actor=None, agency_types=["police"]),
    )
    names = {invitation.agency.name for invitation, _ in result.emailed + result.not_emailed}
    assert names == {police.name, world.agencies["police"].name}


def test_an_invited_agency_cannot_be_deleted_from_the_platform(world: World) -> None:
    agency = _agency("Croydon Council Children's Services", "childrens_social_care", "csc@croydon.test")
    _send(world, _audit(world, topics=("Neglect",)), [agency])
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        Agency.objects.filter(pk=agency.pk).delete()


def test_an_audit_without_topics_cannot_be_sent(world: World) -> None:
    fixture = _audit(world, topics=())
    with pytest.raises(ValidationError, match="Add at least one topic"):
        _send(world, fixture, [world.agencies["health"]])


# --- the API --------------------------------------------------------------------------------------------------


def test_a_coordinator_designs_sends_closes_and_publishes_through_the_api(world: World) -> None:
    client = api_client(world.user("coordinator", "croydon"), world.host("croydon"))
    today = timezone.localdate()
    audit = client.post(
        "/api/v1/needs-audits/",
        {"title": "Needs audit", "opens_on": str(today), "closes_on": str(today + timedelta(days=20))},
        format="json",
    )
    assert audit.status_code == 201, audit.content
    audit_id = audit.json()["id"]
    topic = client.post("/api/v1/needs-audit-topics/", {"audit": audit_id, "title": "Neglect"}, format="json")
    assert topic.status_code == 201, topic.content
    questions = client.get(f"/api/v1/needs-audit-questions/?audit={audit_id}").json()["results"]
    assert [q["kind"] for q in questions] == ["need_met"]
    refused = client.post(
        "/api/v1/needs-audit-questions/",
        {"topic": topic.json()["id"], "text": "Again", "kind": "need_met"},
        format="json",
    )
    assert refused.status_code == 400
    sent = client.post(f"/api/v1/needs-audits/{audit_id}/send/", {"agency_types": ["probation"]}, format="json")
    assert sent.status_code == 200, sent.content
    assert sent.json()["audit"]["status"] == "open"
    assert [row["name"] for row in sent.json()["not_emailed"]] == [world.agencies["probation"].name]
    token = TOKEN_IN_LINK.search(sent.json()["not_emailed"][0]["link"])
    assert token
    answered = api_client(None, world.host("croydon")).post(
        "/api/v1/needs-audit-responses/",
        {"token": token.group(1), "respondent_name": "Ada", "answers": [{"question": questions[0]["id"], "value": 2}]},
        format="json",
    )
    assert answered.status_code == 201, answered.content
    summary = client.get(f"/api/v1/needs-audits/{audit_id}/summary/").json()
    assert summary["topics"][0]["overall"]["unmet"] == 1
    published = client.get(f"/api/v1/needs-audits/{audit_id}/summary/?published=true").json()
    assert published["topics"][0]["overall"] == {"suppressed": True, "responses": None}
    assert client.post(f"/api/v1/needs-audits/{audit_id}/close/").json()["status"] == "closed"
    assert client.post(f"/api/v1/needs-audits/{audit_id}/publish/").json()["summary_published"] is True
    responses = client.get(f"/api/v1/needs-audit-responses/?audit={audit_id}").json()["results"]
    assert responses[0]["respondent_name"] == "Ada" and responses[0]["answers"][0]["value"] == 2


def test_a_practitioner_cannot_reach_the_audits_api(world: World) -> None:
    fixture = _audit(world, topics=("Neglect",))
    client = api_client(world.user("practitioner", "croydon"), world.host("croydon"))
    assert client.get("/api/v1/needs-audits/").status_code == 403
    assert client.get(f"/api/v1/needs-audits/{fixture.audit.pk}/summary/").status_code == 403
    assert client.get("/api/v1/needs-audit-responses/").status_code == 403
    created = client.post(
        "/api/v1/needs-audits/", {"title": "x", "opens_on": "2026-01-01", "closes_on": "2026-02-01"}, format="json"
    )
    assert created.status_code == 403


def test_a_croydon_user_is_refused_on_leeds_and_a_leeds_id_is_not_found_on_croydon(world: World) -> None:
    fixture = _audit(world, "leeds", topics=("Neglect",))
    croydon = world.user("coordinator", "croydon")
    assert api_client(croydon, world.host("leeds")).get("/api/v1/needs-audits/").status_code == 403
    on_croydon = api_client(croydon, world.host("croydon"))
    assert on_croydon.get(f"/api/v1/needs-audits/{fixture.audit.pk}/").status_code == 404
    assert on_croydon.post(f"/api/v1/needs-audits/{fixture.audit.pk}/close/").status_code == 404


# --- pages ----------------------------------------------------------------------------------------------------


def _signed_in(world: World, role: str = "coordinator", slug: str = "croydon") -> Client:
    client = Client(HTTP_HOST=world.host(slug))
    client.force_login(world.user(role, slug))
    return client


def test_the_coordinator_pages_render(world: World, answered: Fixture) -> None:
    client = _signed_in(world)
    audit = answered.audit
    listing = client.get("/needs-audits/")
    assert listing.status_code == 200 and audit.title in listing.content.decode()
    assert "govuk-tag--green" in listing.content.decode()
    detail = client.get(f"/needs-audits/{audit.pk}/").content.decode()
    assert "Neglect" in detail and "Harris Academy" in detail and "Close the audit" in detail
    send = client.get(f"/needs-audits/{audit.pk}/send/").content.decode()
    assert "Every health agency" in send and "Harris Academy: already invited" in send
    summary = client.get(f"/needs-audits/{audit.pk}/summary/").content.decode()
    assert "Met and unmet need by topic" in summary and "2 (40%)" in summary
    preview = client.get(f"/needs-audits/{audit.pk}/summary/?view=published").content.decode()
    assert "Fewer than 3 responses" in preview
    responses = client.get(f"/needs-audits/{audit.pk}/responses/").content.decode()
    assert "Someone at Harris Academy" in responses and "Neglect toolkit refresher" in responses


def test_a_coordinator_builds_and_sends_an_audit_through_the_pages(world: World) -> None:
    client = _signed_in(world)
    agency = _agency("Croydon Health Services NHS Trust", "health", "safeguarding@chs.test")
    today = timezone.localdate()
    created = client.post(
        "/needs-audits/new/",
        {"title": "Needs audit 2026", "opens_on": str(today), "closes_on": str(today + timedelta(days=10))},
    )
    assert created.status_code == 302
    audit = _in(world, "croydon", lambda: NeedsAudit.objects.get(title="Needs audit 2026"))
    assert client.post(f"/needs-audits/{audit.pk}/topics/new/", {"title": "Neglect"}).status_code == 302
    topic = _in(world, "croydon", lambda: audit.topics.get())
    added = client.post(f"/needs-audits/topics/{topic.pk}/questions/new/", {"text": "Any gaps?", "kind": "text"})
    assert added.status_code == 302
    sent = client.post(f"/needs-audits/{audit.pk}/send/", {"agencies": [str(agency.pk)]})
    assert sent.status_code == 200 and "Audit sent" in sent.content.decode()
    backwards = client.post(
        "/needs-audits/new/", {"title": "Backwards", "opens_on": str(today), "closes_on": str(today)}
    )
    assert (
        backwards.status_code == 400
        and "The closing date must be after the opening date." in backwards.content.decode()
    )


def test_an_agency_answers_on_the_public_page_without_signing_in(world: World) -> None:
    agency = _agency("Croydon Council Children's Services", "childrens_social_care", "csc@croydon.test")
    fixture = _audit(world, topics=("Neglect",))
    question = _in(
        world,
        "croydon",
        lambda: services.add_question(fixture.topics["Neglect"], actor=None, text="Is it mandatory?", kind="yes_no"),
    )
    _send(world, fixture, [agency])
    need_met = _in(world, "croydon", lambda: fixture.need_met("Neglect"))
    url = f"/needs-audits/respond/{fixture.tokens[agency.name]}/"
    client = Client(HTTP_HOST=world.host("croydon"))
    form = client.get(url)
    assert form.status_code == 200
    text = form.content.decode()
    assert "How well is this learning need currently met for your staff?" in text and 'type="radio"' in text

    bad = client.post(url, {"respondent_name": "", f"q-{need_met.pk}": "4"})
    assert bad.status_code == 400
    assert "Enter your name" in bad.content.decode() and "Answer this question." in bad.content.decode()
    assert _in(world, "croydon", AuditResponse.objects.count) == 0

    good = client.post(url, {"respondent_name": "Ada", f"q-{need_met.pk}": "4", f"q-{question.pk}": "no"})
    assert good.status_code == 302
    done = client.get(good["Location"])
    assert done.status_code == 200 and "Answers sent" in done.content.decode()
    assert _in(world, "croydon", AuditResponse.objects.count) == 1


def test_the_answer_page_of_a_closed_audit_says_when_it_closed(world: World) -> None:
    agency = _agency("Croydon Council Children's Services", "childrens_social_care", "csc@croydon.test")
    fixture = _audit(world, topics=("Neglect",))
    _send(world, fixture, [agency])
    _in(world, "croydon", lambda: services.close_audit(fixture.audit, actor=None))
    page = Client(HTTP_HOST=world.host("croydon")).get(f"/needs-audits/respond/{fixture.tokens[agency.name]}/")
    assert page.status_code == 200 and "answers can no longer be sent" in page.content.decode()


def test_coordinator_pages_are_refused_to_practitioners_and_send_others_to_sign_in(world: World) -> None:
    fixture = _audit(world, topics=("Neglect",))
    practitioner = _signed_in(world, "practitioner")
    assert practitioner.get("/needs-audits/").status_code == 403
    assert practitioner.get(f"/needs-audits/{fixture.audit.pk}/summary/").status_code == 403
    anonymous = Client(HTTP_HOST=world.host("croydon")).get("/needs-audits/")
    assert anonymous.status_code == 302 and "sign-in" in anonymous["Location"]
    leeds_coordinator = Client(HTTP_HOST=world.host("croydon"))
    leeds_coordinator.force_login(world.user("coordinator", "leeds"))
    assert leeds_coordinator.get(f"/needs-audits/{fixture.audit.pk}/").status_code == 403


def test_the_board_dashboard_lists_the_needs_the_latest_audit_found_unmet(world: World, answered: Fixture) -> None:
    from tenant_apps.needs_audits.selectors import open_needs

    needs = _in(world, "croydon", open_needs)
    # Both topics: 2 of 5 answers unmet (40%); ties in alphabetical order.
    assert [(need.topic, need.unmet, need.ratings, need.unmet_share) for need in needs] == [
        ("Domestic abuse", 2, 5, 40),
        ("Neglect", 2, 5, 40),
    ]
    page = Client(HTTP_HOST=world.host("croydon"))
    page.force_login(world.user("coordinator", "croydon"))
    body = page.get("/dashboard/").content.decode()
    assert "Neglect: unmet for 2 of 5 answers (40%)" in body
