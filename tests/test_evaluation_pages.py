"""The board's evaluation pages and API: summaries that equal figures worked out by hand, anonymity held in pages,
downloads and the API, who sees what (trainers their own sessions, people their own answers), quality flags on the
dashboard, and editing a form (a new version once answers exist)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook  # type: ignore[import-untyped]

from conftest import World, api_client
from shared_apps.trainers.models import BoardService, TrainerProfile
from tenant_apps.boardhome.services import update_board_settings
from tenant_apps.booking import register
from tenant_apps.booking.models import Booking
from tenant_apps.evaluation import selectors, services
from tenant_apps.evaluation.defaults import DEFAULT_FORMS
from tenant_apps.evaluation.emails import answer_path
from tenant_apps.evaluation.models import EvaluationForm, Invitation, Response, Stage
from tenant_apps.offer import services as offer
from tests.test_booking import MORNING, _book, _in, _people, _session

pytestmark = pytest.mark.django_db
BEFORE_DAY = MORNING - timedelta(days=2)
ON_THE_DAY = MORNING + timedelta(hours=4)
DAY_AFTER = MORNING + timedelta(days=1)
COURSE = "Neglect: recognising and responding"

# Four people: reaction (overall, presentation, facilitator, understanding, how practice will change).
REACTIONS = [
    (5, 4, 5, 4, "I will use the neglect toolkit with every family"),
    (4, 4, 4, 4, "I will check the chronology before visits"),
    (2, 3, 3, 2, "I will ask about home conditions"),
    (1, 5, 2, 1, "I will talk to my designated lead sooner"),
]
# Three of them, before and after: "I know the signs" (the other items: 2 before, 3 after).
KNOW_SIGNS_BEFORE = [2, 3, 2]
KNOW_SIGNS_AFTER = [4, 4, 5]
# Three of them, months later: "the training has improved how I work".
IMPACT = [5, 2, 3]


@dataclass
class Evaluated:
    session: Any
    people: list[Any]
    bookings: list[Any]
    later: datetime  # once every survey has opened: when the pages are read


def _answer(world: World, booking: Booking, stage: str, answers: dict[str, Any]) -> Response:
    def go() -> Response:
        invitation = Invitation.objects.get(booking=booking, stage=stage)
        return services.answer(services.link_token(invitation), answers)

    return _in(world, "leeds", go)


def _trainer(world: World, session: Any) -> Any:
    """The world's Leeds trainer, booked as the session's lead trainer."""
    user = world.user("trainer", "leeds")
    profile, _ = TrainerProfile.objects.get_or_create(
        user=user,
        defaults={
            "home_agency": world.agencies["police"],
            "job_role": "Detective sergeant",
            "trained_as_trainer_on": date(2030, 1, 1),
        },
    )
    BoardService.objects.get_or_create(trainer=profile, board=world.boards["leeds"], defaults={"status": "approved"})
    _in(world, "leeds", lambda: offer.assign_trainer(session, profile, role="lead", actor=None))
    return user


def _evaluate(
    world: World, *, named_impact: bool = False, reactions: list[tuple[Any, ...]] = REACTIONS, prefix: str = "worker"
) -> Evaluated:
    """A session on 4 March 2031 with four people (two from health, two from the police) who all came, and the
    answers above, each given through its link on its day."""
    session = _session(world, capacity=10)
    people = _people(4, prefix)
    agencies = [world.agencies["health"]] * 2 + [world.agencies["police"]] * 2
    bookings = [
        _book(world, session, person, agency=agency, line_manager_email="manager@school.test" if n == 0 else "")
        for n, (person, agency) in enumerate(zip(people, agencies, strict=True))
    ]
    if named_impact:
        impact_form = _in(world, "leeds", lambda: services.current_form(EvaluationForm.Kind.IMPACT))
        _, introduction, questions = DEFAULT_FORMS[EvaluationForm.Kind.IMPACT]
        _in(
            world,
            "leeds",
            lambda: services.revise_form(
                impact_form,
                actor=None,
                title="Has the training made a difference? (named)",
                introduction=introduction,
                anonymous=False,
                questions=questions,
            ),
        )
    coordinator = world.user("coordinator", "leeds")
    with time_machine.travel(BEFORE_DAY, tick=False):
        _in(world, "leeds", lambda: services.invite_before(session))
        for booking, know_signs in zip(bookings, KNOW_SIGNS_BEFORE, strict=False):
            items = {"know_signs": know_signs, "know_procedure": 2, "confident_act": 2, "confident_record": 2}
            _answer(world, booking, Stage.BEFORE, items)
    with time_machine.travel(ON_THE_DAY, tick=False):
        marks = {str(booking.pk): Booking.Attendance.ATTENDED for booking in bookings}
        _in(world, "leeds", lambda: register.mark(session, marks, actor=coordinator))
        _in(world, "leeds", lambda: register.close(session, actor=coordinator))
    with time_machine.travel(DAY_AFTER, tick=False):
        for booking, (overall, presentation, facilitator, understanding, change) in zip(
            bookings, reactions, strict=False
        ):
            scores = {"overall": overall, "presentation": presentation, "facilitator": facilitator}
            _answer(
                world, booking, Stage.REACTION, scores | {"understanding": understanding, "change_practice": change}
            )
        for booking, know_signs in zip(bookings, KNOW_SIGNS_AFTER, strict=False):
            items = {"know_signs": know_signs, "know_procedure": 3, "confident_act": 3, "confident_record": 3}
            _answer(world, booking, Stage.AFTER, items)
    impact_opens = _in(world, "leeds", lambda: Invitation.objects.filter(stage=Stage.IMPACT).first().opens_at)
    with time_machine.travel(impact_opens + timedelta(hours=1), tick=False):
        for number, (booking, score) in enumerate(zip(bookings, IMPACT, strict=False)):
            _answer(world, booking, Stage.IMPACT, {"impact": score, "example": f"Example of practice {number}"})
    return Evaluated(session, people, bookings, later=impact_opens + timedelta(days=2))


def _page(world: World, role: str, slug: str = "leeds") -> Client:
    client = Client(HTTP_HOST=world.host(slug))
    client.force_login(world.user(role, slug))
    return client


def _as(world: World, person: Any) -> Client:
    client = Client(HTTP_HOST=world.host("leeds"))
    client.force_login(person)
    return client


def _csv_text(content: bytes) -> str:
    return content.decode("utf-8-sig")


def _xlsx_text(content: bytes) -> str:
    sheet = load_workbook(io.BytesIO(content)).active
    return " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None)


# --- the figures ------------------------------------------------------------------------------------------------


def test_summaries_equal_the_figures_worked_out_by_hand(world: World) -> None:
    evaluated = _evaluate(world)
    trainer = _trainer(world, evaluated.session)

    def read() -> tuple[Any, ...]:
        with CaptureQueriesContext(connection) as queries:
            [course] = selectors.course_summaries(selectors.Scope())
        by_type = {s.key: s for s in selectors.agency_type_summaries(selectors.Scope())}
        [by_trainer] = selectors.trainer_summaries(world.boards["leeds"], selectors.Scope())
        statements = [query for query in queries if not query["sql"].startswith("SET ")]  # the schema, per query
        return course, by_type, by_trainer, len(statements)

    with time_machine.travel(evaluated.later, tick=False):
        course, by_type, by_trainer, query_count = _in(world, "leeds", read)

    assert query_count <= 5  # invitations, responses, answers, wording, course titles: never a query per answer
    assert course.label == COURSE and course.responses == {"before": 3, "reaction": 4, "after": 3, "impact": 3}
    assert [(r.stage, r.invited, r.answered, r.percent) for r in course.rates] == [
        ("before", 4, 3, 75),
        ("reaction", 4, 4, 100),
        ("after", 4, 3, 75),
        ("impact", 4, 3, 75),
        ("supervisor", 1, 0, 0),
    ]
    reaction = {result.key: result for result in course.scales["reaction"]}
    # Overall 5, 4, 2, 1: mean 12 / 4 = 3.0; presentation 4, 4, 3, 5: mean 4.0.
    assert (reaction["overall"].mean, reaction["overall"].count) == (3.0, 4)
    assert reaction["overall"].distribution == {"1": 1, "2": 1, "3": 0, "4": 1, "5": 1}
    assert reaction["presentation"].mean == 4.0
    assert reaction["presentation"].distribution == {"1": 0, "2": 0, "3": 1, "4": 2, "5": 1}
    assert [r.key for r in course.scales["reaction"]] == ["overall", "presentation", "facilitator", "understanding"]
    shifts = {shift.key: shift for shift in course.shifts}
    # Know the signs: before (2 + 3 + 2) / 3 = 2.33, after (4 + 4 + 5) / 3 = 4.33, a shift of exactly 2.
    signs = shifts["know_signs"]
    assert (signs.before.mean, signs.before.count, signs.after.mean, signs.after.count) == (2.33, 3, 4.33, 3)
    assert signs.change == 2.0 and shifts["confident_act"].change == 1.0
    # Impact 5, 2, 3: one of three scored 4 or 5.
    assert (course.impact.positive, course.impact.responses, course.impact.percent) == (1, 3, 33)
    # By agency type: two health workers and two police officers answered, too few to show their scores (anyone
    # who knows who came could tell who said what); the counts still show.
    assert by_type["health"].label == "Health" and by_type["health"].overall is None
    assert by_type["health"].withheld == ["before", "reaction", "after", "impact"]
    assert by_type["police"].overall is None and by_type["police"].impact.responses == 0
    assert by_type["health"].rates[1].invited == 2 and by_type["health"].responses["reaction"] == 2
    # The session's one trainer carries the course's figures.
    assert by_trainer.label == trainer.full_name and by_trainer.overall == course.overall
    assert by_trainer.impact == course.impact


def test_the_course_and_session_pages_show_the_figures_and_the_comments(world: World) -> None:
    evaluated = _evaluate(world)
    course_id = evaluated.session.course_id
    with time_machine.travel(evaluated.later, tick=False):
        client = _page(world, "coordinator")
        overview = client.get("/evaluation/").content.decode()
        course = client.get(f"/evaluation/courses/{course_id}/").content.decode()
        session = client.get(f"/evaluation/sessions/{evaluated.session.pk}/").content.decode()
        narrowed = client.get("/evaluation/", {"from": "2031-04-01", "to": "2031-04-30"}).content.decode()
        wrong = client.get("/evaluation/", {"from": "2031-04-01", "to": "2031-03-01"})
    assert COURSE in overview and "3.00" in overview and "100%" in overview and "33%" in overview
    for page in (course, session):
        assert "Overall, how would you rate the session?" in page
        assert "+2.00" in page and "2.33" in page and "4.33" in page  # the shift table
        assert "<strong>33%</strong> of impact surveys (1 of 3)" in page
        assert "I will use the neglect toolkit with every family" in page and "Example of practice 2" in page
        assert 'aria-hidden="true"' in page and "Scored 5" in page  # the bars, and the table that says the same
    assert "4 March 2031" in course and f"/evaluation/sessions/{evaluated.session.pk}/" in course
    assert COURSE not in narrowed and "No evaluations yet for sessions in this period" in narrowed
    assert wrong.status_code == 400 and "The end of the period must be the same as or after its start" in (
        wrong.content.decode()
    )


def test_downloads_hold_the_figures_and_the_comments(world: World) -> None:
    evaluated = _evaluate(world)
    with time_machine.travel(evaluated.later, tick=False):
        client = _page(world, "coordinator")
        summary_csv = client.get("/evaluation/summaries.csv", {"by": "course"})
        summary_xlsx = client.get("/evaluation/summaries.xlsx", {"by": "agency_type"})
        comments_csv = client.get("/evaluation/comments.csv")
        bad = client.get("/evaluation/summaries.csv", {"by": "person"})
    assert summary_csv["Content-Disposition"] == 'attachment; filename="evaluation-by-course.csv"'
    rows = list(csv.reader(io.StringIO(_csv_text(summary_csv.content))))
    assert rows[0][:4] == ["Course", "Stage", "Measure", "Question key"]
    overall = next(row for row in rows if row[2] == "Mean score" and row[3] == "overall")
    assert overall[5:] == ["3.0", "4", "", "1", "1", "0", "1", "1"]
    shift = next(row for row in rows if row[3] == "know_signs" and row[1] == "Before and after")
    assert shift[5] == "2.0"
    assert any(row[2].startswith("Positive impact share") and row[5] == "33" for row in rows)
    assert "Health" in _xlsx_text(summary_xlsx.content) and "Police" in _xlsx_text(summary_xlsx.content)
    comments = list(csv.reader(io.StringIO(_csv_text(comments_csv.content))))
    assert comments[0] == ["Course", "Session date", "Stage", "Question", "Comment", "Named by"]
    assert {row[4] for row in comments[1:]} >= {"I will ask about home conditions", "Example of practice 0"}
    assert {row[5] for row in comments[1:]} == {"Anonymous"}
    assert bad.status_code == 400


# --- anonymity --------------------------------------------------------------------------------------------------


def test_anonymous_answers_never_name_the_person_in_pages_downloads_or_the_api(world: World) -> None:
    evaluated = _evaluate(world)
    _trainer(world, evaluated.session)
    course_id = evaluated.session.course_id
    identities = [p.full_name for p in evaluated.people] + [p.email for p in evaluated.people]
    identities += [str(b.pk) for b in evaluated.bookings]
    with time_machine.travel(evaluated.later, tick=False):
        client = _page(world, "coordinator")
        answers = [
            client.get(address).content.decode("utf-8-sig")
            for address in (
                "/evaluation/",
                f"/evaluation/courses/{course_id}/",
                f"/evaluation/sessions/{evaluated.session.pk}/",
                "/evaluation/trainers/",
                "/evaluation/agency-types/",
                "/evaluation/summaries.csv?by=session",
                "/evaluation/comments.csv",
            )
        ]
        answers += [_xlsx_text(client.get(f"/evaluation/{name}.xlsx").content) for name in ("summaries", "comments")]
        api = api_client(world.user("coordinator", "leeds"), world.host("leeds"))
        responses = api.get("/api/v1/evaluation-responses/").json()["results"]
        one = api.get(f"/api/v1/evaluation-responses/{responses[0]['id']}/").json()
        answers += [str(responses), str(one), api.get("/api/v1/evaluation-summaries/").content.decode()]
    assert len(responses) == 13  # 3 before, 4 reaction, 3 after, 3 impact
    for row in [*responses, one]:
        assert row["anonymous"] is True
        assert not {"respondent", "respondent_name", "respondent_email", "booking"} & set(row)
    for text in answers:
        for identity in identities:
            assert identity not in text
    assert "I will talk to my designated lead sooner" in answers[1]  # the comment is there, with nobody's name


def test_named_answers_name_the_person_to_the_boards_managers_only(world: World) -> None:
    evaluated = _evaluate(world, named_impact=True)
    _trainer(world, evaluated.session)
    course_page = f"/evaluation/courses/{evaluated.session.course_id}/"
    first = evaluated.people[0]
    with time_machine.travel(evaluated.later, tick=False):
        coordinator_page = _page(world, "coordinator").get(course_page).content.decode()
        trainer_page = _page(world, "trainer").get(course_page).content.decode()
        trainer_comments = _page(world, "trainer").get("/evaluation/comments.csv").content.decode("utf-8-sig")
        api = api_client(world.user("coordinator", "leeds"), world.host("leeds"))
        impact = api.get("/api/v1/evaluation-responses/", {"stage": "impact"}).json()["results"]
        reaction = api.get("/api/v1/evaluation-responses/", {"stage": "reaction"}).json()["results"]
        trainer_api = api_client(world.user("trainer", "leeds"), world.host("leeds"))
        refused = trainer_api.get("/api/v1/evaluation-responses/")
    assert sorted(row["respondent_email"] for row in impact) == sorted(p.email for p in evaluated.people[:3])
    assert all(row["anonymous"] is False and row["booking"] for row in impact)
    assert all("respondent" not in row for row in reaction)
    # The coordinator reads who wrote each named comment; the trainer reads no named comment at all.
    assert "Example of practice 0" in coordinator_page and first.full_name in coordinator_page
    assert "Example of practice 0" not in trainer_page and first.full_name not in trainer_page
    assert "Example of practice 0" not in trainer_comments and first.full_name not in trainer_comments
    assert "I will use the neglect toolkit with every family" in trainer_page  # anonymous comments, no name
    assert refused.status_code == 403


# --- who sees what ----------------------------------------------------------------------------------------------


def test_a_trainer_sees_the_summaries_of_their_own_sessions_only(world: World) -> None:
    evaluated = _evaluate(world)
    _trainer(world, evaluated.session)
    other = _evaluate(
        world, reactions=[(3, 3, 3, 3, "Another course's comment")] * 4, prefix="other"
    )  # a course they did not train
    with time_machine.travel(evaluated.later, tick=False):
        trainer = _page(world, "trainer")
        overview = trainer.get("/evaluation/")
        by_trainer = trainer.get("/evaluation/trainers/").content.decode()
        own = trainer.get(f"/evaluation/courses/{evaluated.session.course_id}/")
        others = [
            trainer.get(f"/evaluation/courses/{other.session.course_id}/"),
            trainer.get(f"/evaluation/sessions/{other.session.pk}/"),
        ]
        download = trainer.get("/evaluation/summaries.csv", {"by": "session"}).content.decode("utf-8-sig")
        api = api_client(world.user("trainer", "leeds"), world.host("leeds")).get("/api/v1/evaluation-summaries/")
        forms_page = trainer.get("/evaluation/forms/")
        coordinator_api = api_client(world.user("coordinator", "leeds"), world.host("leeds"))
        everything = coordinator_api.get("/api/v1/evaluation-summaries/").json()
    assert overview.status_code == 200 and own.status_code == 200
    assert overview.content.decode().count(f"/evaluation/courses/{evaluated.session.course_id}/") == 1
    assert f"/evaluation/courses/{other.session.course_id}/" not in overview.content.decode()
    assert [page.status_code for page in others] == [404, 404]
    assert "Another course's comment" not in own.content.decode() and "Another course" not in download
    assert world.user("trainer", "leeds").full_name in by_trainer
    assert [row["course"] for row in api.json()] == [str(evaluated.session.course_id)]
    assert forms_page.status_code == 403
    assert {row["course"] for row in everything} == {str(evaluated.session.course_id), str(other.session.course_id)}


def test_pages_and_api_are_refused_to_other_roles_and_other_boards(world: World) -> None:
    evaluated = _evaluate(world)
    course_page = f"/evaluation/courses/{evaluated.session.course_id}/"
    pages = ["/evaluation/", course_page, "/evaluation/comments.csv", "/evaluation/forms/"]
    with time_machine.travel(evaluated.later, tick=False):
        for role in ("practitioner", "finance"):
            client = _page(world, role)
            assert [client.get(address).status_code for address in pages] == [403] * len(pages), role
            assert (
                api_client(world.user(role, "leeds"), world.host("leeds"))
                .get("/api/v1/evaluation-summaries/")
                .status_code
                == 403
            )
        for role in ("coordinator", "trainer", "practitioner"):
            leeds_host = Client(HTTP_HOST=world.host("leeds"))
            leeds_host.force_login(world.user(role, "croydon"))
            assert leeds_host.get("/evaluation/").status_code == 403, role
        # Croydon's coordinator on Croydon's host: Leeds' course is not there.
        assert _page(world, "coordinator", "croydon").get(course_page).status_code == 404
        assert Client(HTTP_HOST=world.host("leeds")).get("/evaluation/").status_code == 302
        coordinator = _page(world, "coordinator").get("/evaluation/forms/").content.decode()
        practitioner = _page(world, "practitioner").get("/evaluation/mine/").content.decode()
    assert 'href="/evaluation/">Evaluation</a>' in coordinator
    assert 'href="/evaluation/">Evaluation</a>' not in practitioner and "My evaluations" in practitioner


def test_a_person_sees_their_own_named_answers_and_pending_links_only(world: World) -> None:
    evaluated = _evaluate(world, named_impact=True)
    first, last = evaluated.people[0], evaluated.people[3]
    impact_open = evaluated.later - timedelta(days=1)
    with time_machine.travel(impact_open, tick=False):
        mine = _as(world, first).get("/evaluation/mine/").content.decode()
        theirs = _as(world, last).get("/evaluation/mine/").content.decode()
        pending = _in(world, "leeds", lambda: Invitation.objects.get(booking=evaluated.bookings[3], stage=Stage.IMPACT))
        link = _in(world, "leeds", lambda: answer_path(pending))
    # The first person answered the named impact survey: their answer, and nobody else's.
    assert "Example of practice 0" in mine and "5 out of 5" in mine
    assert "Example of practice 1" not in mine and "Nothing is waiting for your answers." in mine
    # Nothing of the line manager's survey about them (the link is the manager's).
    assert "Line manager" not in mine
    # The last person did not answer the impact survey (nor the after-course one, now closed): its link waits.
    assert link in theirs and "Impact on practice: Neglect: recognising and responding" in theirs
    assert "Example of practice" not in theirs and "You have no answers to named forms." in theirs


# --- quality flags ----------------------------------------------------------------------------------------------


def test_courses_below_the_thresholds_are_flagged_on_the_dashboard_with_the_evidence(world: World) -> None:
    evaluated = _evaluate(world)
    with time_machine.travel(evaluated.later, tick=False):
        page = _page(world, "coordinator").get("/dashboard/").content.decode()
        _in(world, "leeds", lambda: update_board_settings(actor=None, quality_min_overall=Decimal("2.50")))
        relaxed = _page(world, "coordinator").get("/dashboard/").content.decode()
    assert "Courses flagged" in page and f"/evaluation/courses/{evaluated.session.course_id}/" in page
    # Mean overall 3.00 (4 answers) under 3.50; positive impact 33% (1 of 3) under 50%.
    assert "Mean overall rating" in page and "3.00 out of 5" in page and "3.50" in page
    assert "Positive impact on practice" in page and "33% (1 of 3)" in page and "50%" in page
    assert "at least 3 answers" in page
    assert "3.00 out of 5" not in relaxed and "33% (1 of 3)" in relaxed


def test_a_course_with_too_few_answers_is_not_flagged_and_the_dashboard_says_so(world: World) -> None:
    evaluated = _evaluate(world, reactions=REACTIONS[2:])  # two poor reactions only
    with time_machine.travel(evaluated.later, tick=False):
        report = _in(world, "leeds", lambda: selectors.quality_flags())
        page = _page(world, "coordinator").get("/dashboard/").content.decode()
    assert [reason.measure for flag in report.flags for reason in flag.reasons] == ["Positive impact on practice"]
    assert "Mean overall rating" not in page and "1.50 out of 5" not in page


# --- forms ------------------------------------------------------------------------------------------------------


def _form_post(form: EvaluationForm, **changes: str) -> dict[str, str]:
    data = {"title": form.title, "introduction": form.introduction, "anonymous": "on" if form.anonymous else ""}
    for number, question in enumerate(form.questions.all(), start=1):
        for part in ("key", "text", "kind", "low_label", "high_label"):
            data[f"q{number}_{part}"] = getattr(question, part)
        if question.required:
            data[f"q{number}_required"] = "on"
    return data | changes


def test_editing_a_form_with_answers_makes_a_new_version_and_keeps_the_old_one(world: World) -> None:
    evaluated = _evaluate(world)
    form = _in(world, "leeds", lambda: EvaluationForm.objects.prefetch_related("questions").get(kind="reaction"))
    posted = _in(world, "leeds", lambda: _form_post(form, q1_text="Overall, how good was the session?"))
    with time_machine.travel(evaluated.later, tick=False):
        client = _page(world, "coordinator")
        edit = client.get(f"/evaluation/forms/{form.pk}/edit/").content.decode()
        saved = client.post(f"/evaluation/forms/{form.pk}/edit/", posted, follow=True)
        listing = client.get("/evaluation/forms/").content.decode()
        summary = _in(world, "leeds", lambda: selectors.course_summaries(selectors.Scope())[0])
    assert "Answers exist: saving makes version 2" in edit
    assert "Saved as version 2: the answers already given stay with version 1." in saved.content.decode()
    versions = _in(
        world,
        "leeds",
        lambda: list(EvaluationForm.objects.filter(kind="reaction").values_list("version", "is_current")),
    )
    assert sorted(versions) == [(1, False), (2, True)]
    old_wording = _in(world, "leeds", lambda: form.questions.get(key="overall").text)
    assert old_wording == "Overall, how would you rate the session?"
    assert _in(world, "leeds", lambda: Response.objects.filter(form=form).count()) == 4
    assert "Earlier versions" in listing
    # Figures carry on by key, under the newest wording.
    assert summary.overall is not None and summary.overall.text == "Overall, how good was the session?"
    assert summary.overall.count == 4


def test_a_form_nobody_was_sent_is_changed_in_place_and_bad_rows_save_nothing(world: World) -> None:
    form = _in(world, "leeds", lambda: services.current_form(EvaluationForm.Kind.SUPERVISOR))
    form = _in(world, "leeds", lambda: EvaluationForm.objects.prefetch_related("questions").get(pk=form.pk))
    client = _page(world, "coordinator")
    edit = client.get(f"/evaluation/forms/{form.pk}/edit/").content.decode()
    assert "Answers exist" not in edit and "changed in place" in edit
    duplicate = _in(world, "leeds", lambda: _form_post(form, q2_key="applied"))
    refused = client.post(f"/evaluation/forms/{form.pk}/edit/", duplicate)
    assert refused.status_code == 400 and "Each question needs its own key." in refused.content.decode()
    no_key = _in(world, "leeds", lambda: _form_post(form, q3_text="What support do they need?"))
    missing = client.post(f"/evaluation/forms/{form.pk}/edit/", no_key)
    assert "Question 3: give the question a key, like overall" in missing.content.decode()
    added = _in(
        world,
        "leeds",
        lambda: _form_post(form, q3_key="support", q3_text="What support do they need?", q3_kind="text"),
    )
    done = client.post(f"/evaluation/forms/{form.pk}/edit/", added, follow=True)
    assert "is saved" in done.content.decode()
    keys = _in(world, "leeds", lambda: list(EvaluationForm.objects.get(kind="supervisor").questions.values_list("key")))
    assert keys == [("applied",), ("observed",), ("support",)]
    assert _in(world, "leeds", lambda: EvaluationForm.objects.filter(kind="supervisor").count()) == 1


def test_forms_api_lists_versions_with_their_questions(world: World) -> None:
    _in(world, "leeds", services.seed_default_forms)
    api = api_client(world.user("coordinator", "leeds"), world.host("leeds"))
    forms = api.get("/api/v1/evaluation-forms/").json()["results"]
    reaction = next(row for row in forms if row["kind"] == "reaction")
    assert reaction["version"] == 1 and reaction["is_current"] and reaction["anonymous"]
    assert [q["key"] for q in reaction["questions"]][:2] == ["overall", "presentation"]
    assert reaction["questions"][0]["low_label"] == "Very poor" and reaction["response_count"] == 0


def test_two_answers_are_too_few_to_show_scores_or_anonymous_comments(world: World) -> None:
    """With two answers to an anonymous form, anyone who knows who came could tell who said what: the counts show,
    the scores and the comments do not."""
    evaluated = _evaluate(world, reactions=REACTIONS[:2], prefix="pair")

    def read() -> tuple[Any, list[Any]]:
        [course] = selectors.course_summaries(selectors.Scope())
        return course, selectors.comments(selectors.Scope(), with_names=True)

    with time_machine.travel(evaluated.later, tick=False):
        course, comments = _in(world, "leeds", read)
        page = _page(world, "coordinator").get(f"/evaluation/courses/{evaluated.session.course_id}/").content.decode()
    assert course.responses["reaction"] == 2 and course.overall is None and "reaction" in course.withheld
    assert not [c for c in comments if c.stage == Stage.REACTION]
    # Three answered the after-course self-assessment and the impact survey: those still show.
    assert course.shifts and course.impact.responses == 3
    assert "Fewer than 3 people answered: Reaction" in page and "neglect toolkit" not in page
