"""Evaluation, end to end on a real board: invitations made when the register closes (and with the session
reminder), sent and reminded by the due-work dispatcher exactly once, answered through signed single-use links
that need no account, answers checked all or nothing, anonymity, form versions, and certificates held back
until the reaction evaluation is answered."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import World
from shared_apps.accounts.middleware import SESSION_KEY as TWO_FACTOR_SESSION_KEY
from tenant_apps.boardhome.services import board_settings, update_board_settings
from tenant_apps.booking import register
from tenant_apps.booking.models import Booking
from tenant_apps.evaluation import services
from tenant_apps.evaluation.defaults import DEFAULT_FORMS, QuestionInput
from tenant_apps.evaluation.models import Answer, EvaluationForm, Invitation, Response, Stage
from tenant_apps.offer.models import Session
from tenant_apps.scheduling.models import DueWork
from tenant_apps.scheduling.services import run_due_work
from tests.test_booking import MORNING, _book, _in, _people, _session

pytestmark = pytest.mark.django_db
COURSE = "Neglect: recognising and responding"
ON_THE_DAY = MORNING + timedelta(hours=4)
NEXT_DAY = ON_THE_DAY + timedelta(days=1)
# The test session has two parts a week apart: it ends with the second. In UTC, as the database adds days.
SESSION_ENDS = (MORNING + timedelta(days=7, hours=3)).astimezone(UTC)
MANAGER = "manager.evaluation@school.test"
REACTION_ANSWERS = {
    "overall": "5",
    "presentation": "4",
    "facilitator": "5",
    "understanding": "4",
    "change_practice": "I will write down a worry the same day and tell the safeguarding lead.",
}
OVERALL = "Overall, how would you rate the session?"
SUBJECTS: dict[str, str] = {
    Stage.REACTION: f"How was {COURSE}?",
    Stage.BEFORE: f"Before {COURSE}: two minutes on what you know now",
    Stage.AFTER: f"After {COURSE}: what you know now",
    Stage.IMPACT: f"{COURSE}: has it made a difference?",
}


def _closed_session(
    world: World, *, people: int = 2, prefix: str = "evaluator", manager_for_first: bool = True
) -> tuple[Session, list[Booking]]:
    """A Leeds session on 4 March 2031 (second part on the 11th) with everyone marked attended and the register
    closed on the day, which invites them to evaluate it."""
    session = _session(world, capacity=10)
    bookings = [
        _book(
            world,
            session,
            person,
            agency=world.agencies["education"],
            line_manager_email=MANAGER if manager_for_first and number == 0 else "",
        )
        for number, person in enumerate(_people(people, prefix))
    ]
    coordinator = world.user("coordinator", "leeds")
    with time_machine.travel(ON_THE_DAY, tick=False):
        marks = {str(booking.pk): "attended" for booking in bookings}
        _in(world, "leeds", lambda: register.mark(session, marks, actor=coordinator))
        _in(world, "leeds", lambda: register.close(session, actor=coordinator))
    return session, bookings


def _invitation(world: World, booking: Booking, stage: str) -> Invitation:
    return _in(world, "leeds", lambda: Invitation.objects.select_related("form").get(booking=booking, stage=stage))


def _counts(world: World) -> tuple[int, int]:
    return _in(world, "leeds", lambda: (Response.objects.count(), Answer.objects.count()))


def _dispatch(world: World, at: datetime, *, times: int = 2) -> None:
    """The periodic task at `at`, run more than once: a second run must send nothing new."""
    with time_machine.travel(at, tick=False):
        for _ in range(times):
            _in(world, "leeds", run_due_work)


def _evaluation_mail() -> Counter[tuple[str, str]]:
    """Every evaluation email sent so far, as (to, subject): booking emails are left out."""
    evaluation_subjects = {str(subject) for subject in SUBJECTS.values()}
    return Counter(
        (message.to[0], str(message.subject))
        for message in mail.outbox
        if message.subject.removeprefix("Reminder: ") in evaluation_subjects
        or " using what they learned " in message.subject
    )


def _answer(world: World, invitation: Invitation, answers: dict[str, str], at: datetime = NEXT_DAY) -> Response:
    with time_machine.travel(at, tick=False):
        return _in(world, "leeds", lambda: services.answer(services.link_token(invitation), answers))


def _refusal(world: World, invitation: Invitation | str, answers: dict[str, str], at: datetime = NEXT_DAY) -> Any:
    token = invitation if isinstance(invitation, str) else services.link_token(invitation)
    with time_machine.travel(at, tick=False), pytest.raises(ValidationError) as refused:
        _in(world, "leeds", lambda: services.answer(token, answers))
    return refused.value.message_dict


def _linked_invitation(world: World, text: str) -> Any:
    """The invitation an answering link in `text` (an email, a page) names."""
    link = re.search(r"/evaluate/([^/\s\"]+)/", text)
    assert link is not None, text
    found = _in(world, "leeds", lambda: services.invitation_for_token(link.group(1)))
    return found.pk if found is not None else None


def _page(world: World, slug: str = "leeds") -> Client:
    return Client(HTTP_HOST=world.host(slug))


def _reaction_questions() -> list[QuestionInput]:
    return list(DEFAULT_FORMS[EvaluationForm.Kind.REACTION][2])


# --- invitations sent by the dispatcher at their due dates, exactly once ---------------------------------------


def test_invitations_and_reminders_go_out_once_at_their_due_dates(world: World) -> None:
    _, (with_manager, without) = _closed_session(world, prefix="evalsend")
    first, second = with_manager.user.email, without.user.email
    stages = _in(world, "leeds", lambda: sorted(Invitation.objects.values_list("booking__user__email", "stage")))
    assert stages == sorted(
        [(first, stage) for stage in ("reaction", "after", "impact", "supervisor")]
        + [(second, stage) for stage in ("reaction", "after", "impact")]
    )
    assert _evaluation_mail() == Counter()  # nothing is sent until the dispatcher runs

    _dispatch(world, ON_THE_DAY + timedelta(minutes=1))
    sent_on_the_day = Counter(
        {(person, SUBJECTS[stage]): 1 for person in (first, second) for stage in (Stage.REACTION, Stage.AFTER)}
    )
    assert _evaluation_mail() == sent_on_the_day

    # One person answers the reaction survey: they are not reminded of it.
    _answer(world, _invitation(world, without, Stage.REACTION), REACTION_ANSWERS, at=ON_THE_DAY + timedelta(days=2))
    reaction = _invitation(world, without, Stage.REACTION)
    remind = _in(world, "leeds", lambda: DueWork.objects.get(kind=services.REMIND_KIND, key=str(reaction.pk)))
    assert remind.state == DueWork.State.CANCELLED

    days_open = _in(world, "leeds", lambda: board_settings().evaluation_days_open)
    remind_at = ON_THE_DAY + timedelta(days=days_open) - services.REMIND_BEFORE_CLOSING
    _dispatch(world, remind_at - timedelta(minutes=1))
    assert _evaluation_mail() == sent_on_the_day
    _dispatch(world, remind_at + timedelta(minutes=1))
    reminders = Counter(
        {
            (first, f"Reminder: {SUBJECTS[Stage.REACTION]}"): 1,
            (first, f"Reminder: {SUBJECTS[Stage.AFTER]}"): 1,
            (second, f"Reminder: {SUBJECTS[Stage.AFTER]}"): 1,
        }
    )
    assert _evaluation_mail() == sent_on_the_day + reminders

    # The impact survey, and the line manager's, wait for the board's days after the session (90 by default).
    impact_days = _in(world, "leeds", lambda: board_settings().impact_survey_days)
    assert impact_days == 90
    impact_opens = SESSION_ENDS + timedelta(days=impact_days)
    assert _invitation(world, without, Stage.IMPACT).opens_at == impact_opens
    _dispatch(world, impact_opens - timedelta(hours=1))
    assert _evaluation_mail() == sent_on_the_day + reminders
    _dispatch(world, impact_opens + timedelta(minutes=1))
    later = Counter(
        {
            (first, SUBJECTS[Stage.IMPACT]): 1,
            (second, SUBJECTS[Stage.IMPACT]): 1,
            (MANAGER, f"Is Evalsend 0 using what they learned on {COURSE}?"): 1,
        }
    )
    assert _evaluation_mail() == sent_on_the_day + reminders + later
    supervisor_mail = next(message for message in mail.outbox if message.to == [MANAGER])
    supervisor = _invitation(world, with_manager, Stage.SUPERVISOR)
    assert _linked_invitation(world, str(supervisor_mail.body)) == supervisor.pk

    # A dispatcher that was down until the surveys closed sends no late reminder of them.
    _dispatch(world, impact_opens + services.IMPACT_OPEN_FOR + timedelta(minutes=1))
    assert _evaluation_mail() == sent_on_the_day + reminders + later


def test_the_impact_survey_follows_the_boards_number_of_days(world: World) -> None:
    admin = world.user("board_admin", "leeds")
    _in(world, "leeds", lambda: update_board_settings(actor=admin, impact_survey_days=42))
    _, (booking,) = _closed_session(world, people=1, prefix="evalsixweeks")
    impact = _invitation(world, booking, Stage.IMPACT)
    assert impact.opens_at == SESSION_ENDS + timedelta(days=42)
    assert impact.closes_at == impact.opens_at + services.IMPACT_OPEN_FOR


def test_the_self_assessment_before_the_course_goes_with_the_session_reminder(world: World) -> None:
    session = _session(world, capacity=10)
    people = _people(2, "evalbefore")
    bookings = [_book(world, session, person) for person in people]
    reminder_days = _in(world, "leeds", lambda: board_settings().session_reminder_days)
    reminder_due = MORNING - timedelta(days=reminder_days)

    _dispatch(world, reminder_due - timedelta(hours=1))
    assert _in(world, "leeds", lambda: Invitation.objects.filter(booking__in=bookings).count()) == 0

    _dispatch(world, reminder_due + timedelta(minutes=1))
    before = [_invitation(world, booking, Stage.BEFORE) for booking in bookings]
    assert all(invitation.closes_at == MORNING for invitation in before)
    assert all(invitation.form.kind == EvaluationForm.Kind.SELF_ASSESSMENT for invitation in before)
    assert _evaluation_mail() == Counter({(person.email, SUBJECTS[Stage.BEFORE]): 1 for person in people})

    # Answered on the page the evening before; the link closes when the session starts.
    scores = {"know_signs": "2", "know_procedure": "3", "confident_act": "2", "confident_record": "1"}
    with time_machine.travel(MORNING - timedelta(hours=12), tick=False):
        page = _page(world).post(f"/evaluate/{services.link_token(before[0])}/", scores)
    assert page.status_code == 302
    with time_machine.travel(MORNING + timedelta(minutes=1), tick=False):
        late = _page(world).get(f"/evaluate/{services.link_token(before[1])}/")
    assert late.status_code == 410 and "This survey closed on 4 March 2031." in late.content.decode()


# --- links: single use, unaltered, open ------------------------------------------------------------------------


def test_a_link_answers_once_and_the_second_answer_is_refused(world: World) -> None:
    _, (booking, _other) = _closed_session(world, prefix="evaltwice")
    invitation = _invitation(world, booking, Stage.REACTION)
    _answer(world, invitation, REACTION_ANSWERS)
    errors = _refusal(world, invitation, REACTION_ANSWERS | {"overall": "1"})
    assert errors == {"link": ["This link has already been used: the answers were received. Thank you."]}
    assert _counts(world) == (1, 5)
    assert _in(world, "leeds", lambda: list(Answer.objects.filter(question__key="overall").values_list("score"))) == [
        (5,)
    ]


def test_altered_unknown_and_closed_links_are_refused(world: World) -> None:
    _, (booking, _other) = _closed_session(world, prefix="evallinks")
    invitation = _invitation(world, booking, Stage.REACTION)
    token = services.link_token(invitation)
    middle = len(token) // 2
    altered = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]
    unknown = signing.dumps("1b6a7a1e-58b4-4a1f-9c55-0d7f0c3a3f11", salt=services.LINK_SALT, compress=True)
    for bad in (altered, unknown, token + "x", "not-a-link"):
        assert _refusal(world, bad, REACTION_ANSWERS) == {
            "link": ["This link is not valid: use the link in your email as it was sent."]
        }
    after_closing = invitation.closes_at + timedelta(minutes=1)
    errors = _refusal(world, invitation, REACTION_ANSWERS, at=after_closing)
    assert errors == {"link": ["This survey closed on 18 March 2031."]}
    assert _counts(world) == (0, 0)
    assert _invitation(world, booking, Stage.REACTION).answered_at is None


# --- answers checked all or nothing ----------------------------------------------------------------------------


@pytest.mark.parametrize("score", ["0", "6", "abc", "3.5", "-1", "³", "04"])
def test_a_score_off_the_scale_is_refused_and_nothing_is_stored(world: World, score: str) -> None:
    _, (booking,) = _closed_session(world, people=1, prefix="evalscale")
    invitation = _invitation(world, booking, Stage.REACTION)
    errors = _refusal(world, invitation, REACTION_ANSWERS | {"overall": score})
    assert errors == {"overall": [f"Choose a whole number from 1 to 5: {OVERALL}"]}
    assert _counts(world) == (0, 0)
    assert _invitation(world, booking, Stage.REACTION).answered_at is None


def test_missing_answers_and_unknown_questions_are_refused_and_nothing_is_stored(world: World) -> None:
    _, (booking,) = _closed_session(world, people=1, prefix="evalmissing")
    invitation = _invitation(world, booking, Stage.REACTION)
    without_required = {
        key: value for key, value in REACTION_ANSWERS.items() if key not in ("overall", "change_practice")
    }
    assert _refusal(world, invitation, without_required) == {
        "overall": [f"Choose a score from 1 to 5: {OVERALL}"],
        "change_practice": ["Answer this question: How will this session change your practice?"],
    }
    assert _refusal(world, invitation, REACTION_ANSWERS | {"favourite_biscuit": "5"}) == {
        "answers": ["These are not questions on this form: favourite_biscuit."]
    }
    assert _counts(world) == (0, 0)
    # The optional comment may be left out; everything else is kept exactly.
    response = _answer(world, invitation, REACTION_ANSWERS | {"presentation": " 3 "})
    stored = _in(world, "leeds", lambda: dict(response.answers.values_list("question__key", "score")))
    assert stored == {"overall": 5, "presentation": 3, "facilitator": 5, "understanding": 4, "change_practice": None}


# --- anonymity ---------------------------------------------------------------------------------------------------


def test_an_anonymous_form_keeps_no_link_to_the_person(world: World) -> None:
    session, (booking, _other) = _closed_session(world, prefix="evalanon")
    response = _answer(world, _invitation(world, booking, Stage.REACTION), REACTION_ANSWERS)
    assert response.form.anonymous
    assert (response.respondent_id, response.booking_id) == (None, None)
    # What summaries group by is copied, so nothing needs the booking.
    assert (response.session_id, response.course_id, response.agency_type) == (
        session.pk,
        session.course_id,
        "education",
    )


def test_a_named_form_keeps_the_person_but_a_supervisor_is_never_named(world: World) -> None:
    admin = world.user("board_admin", "leeds")

    def name_the_forms() -> None:
        for kind in (EvaluationForm.Kind.REACTION, EvaluationForm.Kind.SUPERVISOR):
            form = services.current_form(kind)
            services.revise_form(
                form,
                actor=admin,
                title=form.title,
                introduction="Your name is kept with your answers, so the trainer can follow up.",
                anonymous=False,
                questions=[
                    QuestionInput(q.key, q.text, q.kind, q.required, q.low_label, q.high_label)
                    for q in form.questions.all()
                ],
            )

    _in(world, "leeds", name_the_forms)
    _, (booking, _other) = _closed_session(world, prefix="evalnamed")
    reaction = _invitation(world, booking, Stage.REACTION)
    assert not reaction.form.anonymous
    with time_machine.travel(NEXT_DAY, tick=False):
        page = _page(world).get(f"/evaluate/{services.link_token(reaction)}/").content.decode()
    assert "Your answers are anonymous" not in page and "Your name is kept with your answers" in page
    response = _answer(world, reaction, REACTION_ANSWERS)
    assert (response.respondent_id, response.booking_id) == (booking.user_id, booking.pk)

    supervisor = _invitation(world, booking, Stage.SUPERVISOR)
    assert not supervisor.form.anonymous
    response = _answer(world, supervisor, {"applied": "4"}, at=supervisor.opens_at + timedelta(days=1))
    assert (response.respondent_id, response.booking_id) == (None, None)


# --- versions -----------------------------------------------------------------------------------------------------


def test_a_form_is_changed_in_place_until_it_is_used(world: World) -> None:
    admin = world.user("board_admin", "leeds")
    original = _in(world, "leeds", lambda: services.current_form(EvaluationForm.Kind.REACTION))
    questions = [
        *_reaction_questions()[:4],
        QuestionInput("pace", "Was the pace right?", low_label="Far too slow", high_label="Far too fast"),
    ]
    revised = _in(
        world,
        "leeds",
        lambda: services.revise_form(original, actor=admin, title="  Tell us about the session ", questions=questions),
    )
    assert (revised.pk, revised.version, revised.title) == (original.pk, 1, "Tell us about the session")
    keys = _in(world, "leeds", lambda: list(revised.questions.values_list("key", flat=True)))
    assert keys == ["overall", "presentation", "facilitator", "understanding", "pace"]


def test_changing_a_used_form_makes_a_new_version_and_old_answers_keep_their_questions(world: World) -> None:
    admin = world.user("board_admin", "leeds")
    _, (booking, other) = _closed_session(world, prefix="evalversion")
    version_1 = _invitation(world, booking, Stage.REACTION).form
    answered = _answer(world, _invitation(world, booking, Stage.REACTION), REACTION_ANSWERS)

    reworded = [QuestionInput("overall", "All in all, how good was it?", low_label="Awful", high_label="Superb")]
    version_2 = _in(
        world,
        "leeds",
        lambda: services.revise_form(version_1, actor=admin, title="Quick feedback", questions=reworded),
    )
    assert (version_2.version, version_2.is_current) == (2, True)
    assert version_2.pk != version_1.pk

    def old_answers() -> list[tuple[Any, ...]]:
        return list(
            Answer.objects.filter(response=answered)
            .order_by("question__order")
            .values_list("question__form_id", "question__key", "question__text", "score")
        )

    kept = _in(world, "leeds", old_answers)
    assert kept[0] == (version_1.pk, "overall", OVERALL, 5)
    assert len(kept) == 5 and {row[0] for row in kept} == {version_1.pk}
    old = _in(world, "leeds", lambda: EvaluationForm.objects.get(pk=version_1.pk))
    assert (old.is_current, old.title, old.version) == (False, "How was the session?", 1)
    assert _in(world, "leeds", lambda: old.questions.count()) == 6

    # The old version cannot be changed any more, and a bad change to the new one changes nothing.
    with pytest.raises(ValidationError, match=r"This is an old version: change the current one\."):
        _in(world, "leeds", lambda: services.revise_form(old, actor=admin, title="Sneaky", questions=reworded))
    with pytest.raises(ValidationError, match="is not a kind of question"):
        _in(
            world,
            "leeds",
            lambda: services.revise_form(
                version_2, actor=admin, title="Quick feedback", questions=[QuestionInput("overall", "How?", "stars")]
            ),
        )
    assert _in(world, "leeds", lambda: EvaluationForm.objects.filter(kind="reaction").count()) == 2

    # Someone invited before the change answers the questions they were sent.
    still_open = _invitation(world, other, Stage.REACTION)
    assert _answer(world, still_open, REACTION_ANSWERS).form_id == version_1.pk


# --- certificates held back until the reaction evaluation is answered ------------------------------------------


def _certificate(world: World, booking: Booking) -> Any:
    client = _page(world)
    with time_machine.travel(NEXT_DAY, tick=False):  # signed in on the day: a session from today would have expired
        client.force_login(booking.user)
        return client.get(f"/my-bookings/{booking.pk}/certificate.pdf")


def test_a_board_can_hold_back_certificates_until_the_evaluation_is_answered(world: World) -> None:
    admin = world.user("board_admin", "leeds")
    _in(world, "leeds", lambda: update_board_settings(actor=admin, certificates_need_evaluation=True))
    _, (booking,) = _closed_session(world, people=1, prefix="evalcertificate")
    held = _certificate(world, booking)
    assert held.status_code == 403
    text = held.content.decode()
    assert "Your certificate is not ready yet" in text
    link = re.search(r'href="(/evaluate/[^"]+/)"', text)
    assert link is not None
    assert _linked_invitation(world, text) == _invitation(world, booking, Stage.REACTION).pk

    answering = _page(world)
    with time_machine.travel(NEXT_DAY, tick=False):
        answering.force_login(booking.user)
        assert answering.get(link.group(1)).status_code == 200
        assert answering.post(link.group(1), REACTION_ANSWERS).status_code == 302
    given = _certificate(world, booking)
    assert given.status_code == 200 and given["Content-Type"] == "application/pdf"
    assert given.content.startswith(b"%PDF")


def test_certificates_come_at_once_when_the_board_does_not_ask_for_the_evaluation(world: World) -> None:
    assert _in(world, "leeds", lambda: board_settings().certificates_need_evaluation) is False
    _, (booking,) = _closed_session(world, people=1, prefix="evalnocondition")
    given = _certificate(world, booking)
    assert given.status_code == 200 and given["Content-Type"] == "application/pdf"


# --- the pages ---------------------------------------------------------------------------------------------------


def test_the_form_page_needs_no_sign_in_and_keeps_its_link_to_itself(world: World) -> None:
    _, (booking,) = _closed_session(world, people=1, prefix="evalpage")
    path = f"/evaluate/{services.link_token(_invitation(world, booking, Stage.REACTION))}/"
    with time_machine.travel(NEXT_DAY, tick=False):
        page = _page(world).get(path)
    assert page.status_code == 200
    text = page.content.decode()
    for shown in (
        '<h1 class="govuk-heading-l">How was the session?</h1>',
        COURSE,
        "Tuesday 4 March 2031",
        "Your answers are anonymous: they are kept with no link to your name or email address.",
        OVERALL,
        "1 means Very poor, 5 means Excellent",
        "1 means Not at all, 5 means Very much",
        'class="govuk-radios govuk-radios--inline"',
        'id="q-overall-5" name="overall" type="radio" value="5"',
        '<textarea class="govuk-textarea" id="q-change_practice" name="change_practice"',
        "Anything else you would like to tell us? (optional)",
        '<meta name="referrer" content="strict-origin">',
    ):
        assert shown in text, shown
    assert "How will this session change your practice? (optional)" not in text
    assert page["Referrer-Policy"] == "strict-origin"
    assert "no-store" in page["Cache-Control"]


def test_answering_on_the_page_shows_each_problem_keeps_what_was_typed_then_thanks(world: World) -> None:
    _, (booking,) = _closed_session(world, people=1, prefix="evalerrors")
    path = f"/evaluate/{services.link_token(_invitation(world, booking, Stage.REACTION))}/"
    client = _page(world)
    typed = {"presentation": "4", "overall": "6", "change_practice": "Ask the family <first>", "comments": ""}
    with time_machine.travel(NEXT_DAY, tick=False):
        page = client.post(path, typed)
    assert page.status_code == 200
    text = page.content.decode()
    assert "<title>Error: How was the session?" in text
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in text
    for anchor, message in (
        ("q-overall-1", f"Choose a whole number from 1 to 5: {OVERALL}"),
        (
            "q-facilitator-1",
            "Choose a score from 1 to 5: How would you rate the facilitator&#x27;s knowledge and skills?",
        ),
        ("q-understanding-1", "Choose a score from 1 to 5: Do you have a greater understanding of the subject?"),
    ):
        assert f'<li><a href="#{anchor}">{message}</a></li>' in text
    assert 'q-presentation-1"' not in text.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert 'id="q-presentation-4" name="presentation" type="radio" value="4" checked' in text
    assert ">Ask the family &lt;first&gt;</textarea>" in text
    assert _counts(world) == (0, 0)

    with time_machine.travel(NEXT_DAY, tick=False):
        sent = client.post(path, REACTION_ANSWERS)
        assert sent.status_code == 302 and sent["Location"] == "/evaluate/thank-you/"
        thanks = client.get(sent["Location"])
        again = client.get(path)
        twice = client.post(path, REACTION_ANSWERS)
    assert thanks.status_code == 200
    assert "govuk-panel--confirmation" in thanks.content.decode()
    assert "Thank you" in thanks.content.decode() and "Your answers were received" in thanks.content.decode()
    assert _counts(world) == (1, 5)
    for refused in (again, twice):
        assert refused.status_code == 410
        assert "This link has already been used: the answers were received. Thank you." in refused.content.decode()
        assert "<form" not in refused.content.decode().split('id="main-content"')[1]
    assert _counts(world) == (1, 5)


def test_links_that_cannot_be_answered_say_why_and_never_show_the_form(world: World) -> None:
    _, (booking, _other) = _closed_session(world, prefix="evalrefused")
    reaction = _invitation(world, booking, Stage.REACTION)
    impact = _invitation(world, booking, Stage.IMPACT)
    token = services.link_token(reaction)
    altered = token[:-3] + ("xyz" if not token.endswith("xyz") else "abc")
    with time_machine.travel(NEXT_DAY, tick=False):
        not_valid = _page(world).get(f"/evaluate/{altered}/")
        other_board = _page(world, "croydon").get(f"/evaluate/{token}/")
        not_yet = _page(world).get(f"/evaluate/{services.link_token(impact)}/")
    with time_machine.travel(reaction.closes_at + timedelta(minutes=1), tick=False):
        closed = _page(world).get(f"/evaluate/{token}/")
        closed_post = _page(world).post(f"/evaluate/{token}/", REACTION_ANSWERS)

    for page in (not_valid, other_board):
        assert page.status_code == 404
        assert "This link is not valid" in page.content.decode()
    assert not_yet.status_code == 200
    assert "This survey is not open yet" in not_yet.content.decode()
    assert "This survey opens on 9 June 2031." in not_yet.content.decode()
    for page in (closed, closed_post):
        assert page.status_code == 410
        assert "This survey closed on 18 March 2031." in page.content.decode()
    for page in (not_valid, other_board, not_yet, closed, closed_post):
        assert '<form method="post" novalidate>' not in page.content.decode()
        assert page["Referrer-Policy"] == "strict-origin"
    assert _counts(world) == (0, 0)


def test_a_board_admin_turns_on_certificates_after_evaluation_on_the_settings_page(world: World) -> None:
    admin = Client(HTTP_HOST=world.host("leeds"))
    admin.force_login(world.user("board_admin", "leeds"))
    session = admin.session
    session[TWO_FACTOR_SESSION_KEY] = True  # signed in with the second factor
    session.save()
    page = admin.get("/settings/")
    assert (
        page.status_code == 200
        and "Give certificates only once the reaction evaluation is answered" in page.content.decode()
    )
    form = {
        "contact_email": "training@leeds.test",
        "welcome": "",
        "session_reminder_days": "3",
        "review_reminder_days": "60",
        "impact_survey_days": "90",
        "evaluation_days_open": "14",
        "certificates_need_evaluation": "on",
        "quality_min_overall": "3.5",
        "quality_min_impact_share": "50",
    }
    saved = admin.post("/settings/", form)
    assert saved.status_code == 302
    assert _in(world, "leeds", lambda: board_settings().certificates_need_evaluation) is True
    refused = admin.post("/settings/", form | {"quality_min_overall": "7", "evaluation_days_open": "1"})
    assert refused.status_code == 400 and "less than or equal to 5" in refused.content.decode()
    assert _in(world, "leeds", lambda: board_settings().evaluation_days_open) == 14
    coordinator = Client(HTTP_HOST=world.host("leeds"))
    coordinator.force_login(world.user("coordinator", "leeds"))
    assert coordinator.get("/settings/").status_code == 403
