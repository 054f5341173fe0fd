"""The strategy's pages, the board dashboard and the strategy as a PDF."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from conftest import World
from tenant_apps.strategy import services
from tenant_apps.strategy.models import ActionPlan, Kpi, Milestone, PlanItem, SignOff, Strategy, StrategyItem
from tenants.cross_board import run_in_board

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
# Croydon's appendix B and C, cut down: (priority, target, status, RAG).
PRIORITIES = [
    (
        "Continue to provide the annual safeguarding learning and development offer",
        "April 2017 and Feb 2018",
        "in_progress",
        "green",
    ),
    ("Agree joint commissioning with the Safeguarding Adults Board", "Q2 2017", "in_progress", "amber"),
    ("Use evaluation feedback to improve learning and development content", "Q2 2017", "completed", ""),
    ("Increase evaluation surveys which assess the application of learning", "Q3 2017", "not_started", ""),
]
CONFERENCE = "Annual conference on the themes of serious case reviews"


def _in(world: World, slug: str, work: Any) -> Any:
    return run_in_board(world.boards[slug], work)


def _client(world: World, slug: str = "leeds", role: str | None = None, as_board: str | None = None) -> Client:
    """A browser-like client on `slug`'s host, signed in as the `role` of `as_board` (default: the same board)."""
    client = Client(HTTP_HOST=world.host(slug))
    if role:
        client.force_login(world.user(role, as_board or slug))
    return client


@dataclass
class Built:
    strategy: Strategy
    draft: Strategy
    plan: ActionPlan
    rows: list[PlanItem]
    conference: PlanItem


def _build(world: World, slug: str = "leeds") -> Built:
    coordinator = world.user("coordinator", slug)

    def work() -> Built:
        strategy = services.create_strategy(
            actor=coordinator,
            title="Learning and Development Strategy 2017-19",
            period_start=date(2017, 4, 1),
            period_end=date(2019, 3, 31),
            status="adopted",
            adopted_on=date(2017, 3, 16),
            review_cycle_months=24,
            version_label="1.0",
            headline="Better outcomes for children through continuous learning.",
            introduction="We are committed to a culture of continuous learning.\n\nThis plan sets out how.",
        )
        services.add_item(
            strategy, actor=coordinator, section="principle", title="Be outcomes focussed", body="for children"
        )
        services.add_item(strategy, actor=coordinator, section="aim", body="Identify the learning needs")
        services.add_sign_off(
            strategy,
            actor=coordinator,
            role="Independent Chair",
            name="Sarah Baker",
            signed_on=date(2017, 3, 16),
            version_label="1.0",
        )
        plan = services.create_plan(
            strategy, actor=coordinator, title="Strategic Priority Planning", period_label="2017-19", order=1
        )
        rows = [
            services.add_plan_item(
                plan,
                actor=coordinator,
                priority=priority,
                action_needed="Agree content in line with the board's priorities",
                responsible="L&D Sub Group",
                target=target,
                expected_impact="Better practice",
                status=status,
                rag=rag,
            )
            for priority, target, status, rag in PRIORITIES
        ]
        delivery = services.create_plan(strategy, actor=coordinator, title="Delivery Plan 2017-18", order=2)
        conference = services.add_plan_item(
            delivery, actor=coordinator, priority=CONFERENCE, target="May 2017", responsible="Board manager"
        )
        draft = services.create_strategy(
            actor=coordinator,
            title="Draft strategy 2019-21",
            period_start=date(2019, 4, 1),
            period_end=date(2021, 3, 31),
        )
        return Built(strategy, draft, plan, rows, conference)

    built: Built = _in(world, slug, work)
    return built


def _text(response: Any) -> str:
    return " ".join(response.content.decode().split())


# --- who sees what -------------------------------------------------------------------------------------------


def test_a_practitioner_reads_the_adopted_strategy_with_its_plans(world: World) -> None:
    built = _build(world)
    client = _client(world, role="practitioner")

    listing = client.get("/strategy/")
    assert listing.status_code == 200
    assert built.strategy.title in _text(listing) and "Adopted" in _text(listing)
    assert "Draft strategy" not in _text(listing)

    page = client.get(f"/strategy/{built.strategy.pk}/")
    text = _text(page)
    assert page.status_code == 200
    for expected in (
        built.strategy.title,
        "April 2017 to March 2019",
        "16 March 2017",
        "24 months",
        "16 March 2019",
        "1. Introduction",
        "2. Aims",
        "3. Learning principles",
        "3.1&nbsp; <strong>Be outcomes focussed</strong>",
        "Document control",
        "Sarah Baker",
        "Appendix A: Strategic Priority Planning 2017-19",
        "Appendix B: Delivery Plan 2017-18",
        "What action is needed?",
        "Who is responsible?",
        CONFERENCE,
    ):
        assert expected in text, expected
    assert f'href="/strategy/rows/{built.rows[0].pk}/"' in text
    # Nothing to manage for a practitioner.
    assert "Record a review" not in text and "Add a row" not in text


def test_the_plan_table_shows_rag_as_tags_with_overdue(world: World) -> None:
    built = _build(world)
    with time_machine.travel(datetime(2017, 8, 1, 12, tzinfo=LONDON)):
        text = _text(_client(world, role="practitioner").get(f"/strategy/{built.strategy.pk}/"))
    assert '<strong class="govuk-tag govuk-tag--green">Green</strong>' in text
    assert '<strong class="govuk-tag govuk-tag--blue">Complete</strong>' in text
    assert '<strong class="govuk-tag govuk-tag--grey">Not rated</strong>' in text
    # Row 2 was amber, but its target (Q2 2017) has passed: red and overdue.
    assert '<strong class="govuk-tag govuk-tag--yellow">Amber</strong>' not in text
    assert text.count('<strong class="govuk-tag govuk-tag--red">Red</strong>') == 2
    assert text.count("Overdue</strong>") == 2


def test_a_practitioner_gets_403_on_the_edit_pages_and_the_dashboard(world: World) -> None:
    built = _build(world)
    client = _client(world, role="practitioner")
    row = built.rows[0]
    for url in (
        "/strategy/new/",
        f"/strategy/{built.strategy.pk}/edit/",
        f"/strategy/{built.strategy.pk}/history/",
        f"/strategy/{built.strategy.pk}/content/new/",
        f"/strategy/{built.strategy.pk}/plans/new/",
        f"/strategy/rows/{row.pk}/edit/",
        f"/strategy/rows/{row.pk}/kpis/new/",
        "/dashboard/",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "You cannot open this page" in _text(response)
    assert client.post(f"/strategy/{built.strategy.pk}/review/").status_code == 403
    assert client.post(f"/strategy/rows/{row.pk}/", {"note": "Done", "rag": "green"}).status_code == 403
    assert _in(world, "leeds", lambda: row.updates.count()) == 0


def test_drafts_are_not_found_for_practitioners_but_open_for_coordinators(world: World) -> None:
    built = _build(world)
    assert _client(world, role="practitioner").get(f"/strategy/{built.draft.pk}/").status_code == 404
    assert _client(world, role="practitioner").get(f"/strategy/{built.draft.pk}/pdf/").status_code == 404
    coordinator = _client(world, role="coordinator")
    assert coordinator.get(f"/strategy/{built.draft.pk}/").status_code == 200
    assert "Draft strategy" in _text(coordinator.get("/strategy/"))
    pdf = PdfReader(io.BytesIO(coordinator.get(f"/strategy/{built.draft.pk}/pdf/").content))
    assert all("DRAFT: NOT ADOPTED" in page.extract_text() for page in pdf.pages)


def test_signed_out_people_are_sent_to_sign_in(world: World) -> None:
    built = _build(world)
    for url in ("/strategy/", f"/strategy/{built.strategy.pk}/", "/dashboard/", f"/strategy/{built.strategy.pk}/pdf/"):
        response = _client(world).get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/sign-in/?next=")


def test_croydon_people_get_403_on_leeds_pages(world: World) -> None:
    built = _build(world)
    for role in ("coordinator", "practitioner"):
        client = _client(world, "leeds", role, as_board="croydon")
        for url in ("/strategy/", f"/strategy/{built.strategy.pk}/", f"/strategy/rows/{built.rows[0].pk}/"):
            assert client.get(url).status_code == 403, (role, url)
        assert client.get("/dashboard/").status_code == 403


def test_a_leeds_id_on_the_croydon_host_is_not_found(world: World) -> None:
    built = _build(world)
    client = _client(world, "croydon", "coordinator")
    assert client.get(f"/strategy/{built.strategy.pk}/").status_code == 404
    assert client.get(f"/strategy/rows/{built.rows[0].pk}/").status_code == 404
    assert client.get(f"/strategy/{built.strategy.pk}/edit/").status_code == 404


def test_the_navigation_offers_strategy_to_members_and_the_dashboard_to_managers(world: World) -> None:
    practitioner = _text(_client(world, role="practitioner").get("/"))
    coordinator = _text(_client(world, role="coordinator").get("/"))
    assert 'href="/strategy/">Strategy</a>' in practitioner and "Dashboard" not in practitioner
    assert 'href="/strategy/">Strategy</a>' in coordinator and 'href="/dashboard/">Dashboard</a>' in coordinator
    assert "Strategy</a>" not in _text(_client(world).get("/"))


# --- forms ------------------------------------------------------------------------------------------------------


def test_a_coordinator_adds_a_strategy_with_govuk_date_inputs(world: World) -> None:
    client = _client(world, role="coordinator")
    form = client.get("/strategy/new/")
    assert form.status_code == 200
    assert 'name="period_start-day"' in _text(form) and "govuk-date-input" in _text(form)

    response = client.post(
        "/strategy/new/",
        {
            "title": "Learning and Development Strategy 2014-17",
            "period_start-day": "1",
            "period_start-month": "4",
            "period_start-year": "2014",
            "period_end-day": "31",
            "period_end-month": "3",
            "period_end-year": "2017",
            "status": "adopted",
            "adopted_on-day": "20",
            "adopted_on-month": "3",
            "adopted_on-year": "2014",
            "review_cycle_months": "36",
        },
        follow=True,
    )
    assert response.status_code == 200
    strategy = _in(world, "leeds", lambda: Strategy.objects.get(title="Learning and Development Strategy 2014-17"))
    assert strategy.next_review_due == date(2017, 3, 20)
    assert response.redirect_chain[-1][0] == f"/strategy/{strategy.pk}/"
    assert "Strategy added" in _text(response)


def test_wrong_dates_are_govuk_errors_and_the_services_rules_land_on_their_fields(world: World) -> None:
    client = _client(world, role="coordinator")
    fields = {
        "title": "Backwards",
        "period_start-day": "31",
        "period_start-month": "2",
        "period_start-year": "2019",
        "period_end-day": "",
        "period_end-month": "3",
        "period_end-year": "2017",
        "status": "draft",
        "review_cycle_months": "36",
    }
    response = client.post("/strategy/new/", fields)
    text = _text(response)
    assert response.status_code == 400
    assert "There is a problem" in text and "<title>Error: Add a strategy" in text
    assert '<a href="#id_period_start-day">Start of the period must be a real date</a>' in text
    assert "End of the period must include a day" in text

    fields.update({"period_start-day": "1", "period_start-month": "4", "period_end-day": "31"})
    response = client.post("/strategy/new/", fields)
    assert response.status_code == 400
    assert '<a href="#id_period_end-day">The period must end after it starts.</a>' in _text(response)
    # What was typed is kept.
    assert 'name="period_end-year" type="text" inputmode="numeric" value="2017"' in _text(response)
    assert _in(world, "leeds", lambda: Strategy.objects.filter(title="Backwards").exists()) is False


def test_a_bad_target_shows_the_govuk_error_and_saves_nothing(world: World) -> None:
    built = _build(world)
    client = _client(world, role="coordinator")
    form = client.get(f"/strategy/plans/{built.plan.pk}/rows/new/")
    assert "Give the target as a quarter like “Q2 2017”" in _text(form)

    response = client.post(
        f"/strategy/plans/{built.plan.pk}/rows/new/",
        {"priority": "Develop a learning pool", "target": "soon", "status": "not_started", "rag": ""},
    )
    text = _text(response)
    assert response.status_code == 400
    assert "There is a problem" in text
    assert '<a href="#id_target">“soon” is not a date we can read.' in text
    assert 'class="govuk-input govuk-input--error" id="id_target"' in text
    assert _in(world, "leeds", lambda: built.plan.items.count()) == len(PRIORITIES)

    row = built.rows[0]
    edit = client.post(
        f"/strategy/rows/{row.pk}/edit/",
        {"priority": "Changed", "target": "31/02/2018", "status": "in_progress", "rag": "green"},
    )
    assert edit.status_code == 400 and "“31/02/2018” is not a real date." in _text(edit)
    assert _in(world, "leeds", lambda: PlanItem.objects.get(pk=row.pk).priority) == row.priority


def test_a_progress_update_through_the_page_changes_the_rows_rag(world: World) -> None:
    built = _build(world)
    row = built.rows[0]
    client = _client(world, role="coordinator")
    page = client.get(f"/strategy/rows/{row.pk}/")
    assert page.status_code == 200 and "Add a progress update" in _text(page)

    response = client.post(
        f"/strategy/rows/{row.pk}/",
        {"note": "Two trainers withdrew", "evidence": "Sub-group minutes, June", "rag": "red", "status": ""},
        follow=True,
    )
    text = _text(response)
    assert response.redirect_chain[-1][0] == f"/strategy/rows/{row.pk}/"
    assert "Progress update saved" in text
    assert "Two trainers withdrew" in text and "Sub-group minutes, June" in text
    assert world.user("coordinator", "leeds").full_name in text
    updated = _in(world, "leeds", lambda: PlanItem.objects.get(pk=row.pk))
    assert updated.rag == "red" and updated.status == "in_progress"

    empty = client.post(f"/strategy/rows/{row.pk}/", {"note": " ", "rag": "green"})
    assert empty.status_code == 400 and "Say what progress has been made" in _text(empty)
    assert _in(world, "leeds", lambda: PlanItem.objects.get(pk=row.pk).rag) == "red"


def test_content_sign_offs_plans_kpis_and_milestones_through_the_pages(world: World) -> None:
    built = _build(world)
    strategy, row = built.strategy, built.rows[0]
    client = _client(world, role="coordinator")

    def ok(url: str, data: dict[str, str]) -> str:
        response = client.post(url, data, follow=True)
        assert response.status_code == 200, _text(response)
        return _text(response)

    assert "Content added" in ok(
        f"/strategy/{strategy.pk}/content/new/", {"section": "standard", "title": "Know the procedures", "body": ""}
    )
    item = _in(world, "leeds", lambda: StrategyItem.objects.get(title="Know the procedures"))
    assert "Content saved" in ok(
        f"/strategy/content/{item.pk}/edit/", {"section": "standard", "title": "Know the procedures", "body": "All"}
    )
    assert "Remove this content?" in _text(client.get(f"/strategy/content/{item.pk}/remove/"))
    assert "Content removed" in ok(f"/strategy/content/{item.pk}/remove/", {})
    assert _in(world, "leeds", lambda: StrategyItem.objects.filter(pk=item.pk).exists()) is False

    assert "Sign-off added" in ok(
        f"/strategy/{strategy.pk}/sign-offs/new/", {"role": "Sub-group chair", "name": "Anita McGrath"}
    )
    sign_off = _in(world, "leeds", lambda: SignOff.objects.get(name="Anita McGrath"))
    assert "Sign-off removed" in ok(f"/strategy/sign-offs/{sign_off.pk}/remove/", {})

    assert 'id="id_order" name="order" type="text" inputmode="decimal" value="3"' in _text(
        client.get(f"/strategy/{strategy.pk}/plans/new/")
    )
    assert "Action plan added" in ok(
        f"/strategy/{strategy.pk}/plans/new/", {"title": "Delivery Plan 2018-19", "order": "3"}
    )
    plan = _in(world, "leeds", lambda: ActionPlan.objects.get(title="Delivery Plan 2018-19"))
    assert plan.order == 3
    assert "Action plan saved" in ok(
        f"/strategy/plans/{plan.pk}/edit/", {"title": "Delivery Plan 2018-20", "order": "3"}
    )
    assert "Row added" in ok(
        f"/strategy/plans/{plan.pk}/rows/new/",
        {"priority": "Learning pool", "target": "Q3 2018", "status": "not_started", "rag": ""},
    )

    assert "KPI added" in ok(
        f"/strategy/rows/{row.pk}/kpis/new/",
        {"name": "Evaluations returned", "unit": "%", "target_value": "80", "higher_is_better": "on"},
    )
    kpi = _in(world, "leeds", lambda: Kpi.objects.get(name="Evaluations returned"))
    bad = client.post(f"/strategy/kpis/{kpi.pk}/edit/", {"name": "Evaluations returned", "target_value": "lots"})
    assert bad.status_code == 400 and "Enter the target as a number, like 75 or 12.5" in _text(bad)
    text = ok(
        f"/strategy/kpis/{kpi.pk}/edit/",
        {"name": "Evaluations returned", "unit": "%", "target_value": "80", "actual_value": "85.5"},
    )
    assert "KPI saved" in text and "85.5 %" in text and "Lower is better" in text
    assert '<strong class="govuk-tag govuk-tag--red">Not met</strong>' in text  # lower is better now: 85.5 > 80

    text = ok(
        f"/strategy/rows/{row.pk}/milestones/new/",
        {"title": "Trainers secured", "due_on-day": "30", "due_on-month": "6", "due_on-year": "2017"},
    )
    assert "Milestone added" in text and "30 June 2017" in text and "Mark complete" in text
    milestone = _in(world, "leeds", lambda: Milestone.objects.get(title="Trainers secured"))
    with time_machine.travel(datetime(2017, 6, 20, 12, tzinfo=LONDON)):
        text = ok(f"/strategy/milestones/{milestone.pk}/complete/", {})
    assert "marked complete" in text and "20 June 2017" in text
    assert client.get(f"/strategy/milestones/{milestone.pk}/complete/").status_code == 405


def test_recording_a_review_moves_the_next_review_and_the_warning_goes(world: World) -> None:
    built = _build(world)  # adopted 16 March 2017, reviewed every 24 months: due 16 March 2019
    url = f"/strategy/{built.strategy.pk}/"
    with time_machine.travel(datetime(2019, 2, 1, 12, tzinfo=LONDON)):
        client = _client(world, role="coordinator")
        assert "The review of this strategy is due on 16 March 2019." in _text(client.get(url))
        response = client.post(f"{url}review/", follow=True)
    text = _text(response)
    assert "Review recorded. The next review is due on 1 February 2021." in text
    assert "The review of this strategy" not in text
    with time_machine.travel(datetime(2021, 3, 1, 12, tzinfo=LONDON)):
        text = _text(_client(world, role="practitioner").get(url))
    assert "The review of this strategy was due on 1 February 2021 and is overdue." in text


def test_the_history_page_lists_changes(world: World) -> None:
    built = _build(world)
    client = _client(world, role="coordinator")
    edit = client.get(f"/strategy/{built.strategy.pk}/edit/")
    assert 'name="adopted_on-day" type="text" inputmode="numeric" value="16"' in _text(edit)
    response = client.post(
        f"/strategy/{built.strategy.pk}/edit/",
        {
            "title": built.strategy.title,
            "period_start-day": "1",
            "period_start-month": "4",
            "period_start-year": "2017",
            "period_end-day": "31",
            "period_end-month": "3",
            "period_end-year": "2019",
            "status": "adopted",
            "adopted_on-day": "16",
            "adopted_on-month": "3",
            "adopted_on-year": "2017",
            "review_cycle_months": "12",
            "version_label": "1.1",
        },
        follow=True,
    )
    assert "Strategy details saved" in _text(response)

    history = client.get(f"/strategy/{built.strategy.pk}/history/")
    text = _text(history)
    assert history.status_code == 200
    assert "Review cycle in months: 24 → 12" in text
    assert "Version: 1.0 → 1.1" in text
    assert "Headline: Better outcomes for children through continuous learning. → (blank)" in text
    assert "coordinator@leeds.test" in text
    assert "Signed off by Sarah Baker (Independent Chair)" in text
    # Created, two pieces of content, a sign-off, then this change: the newest first.
    numbers = re.findall(r'<th scope="row" class="govuk-table__header">(\d+)</th>', text)
    assert numbers == ["5", "4", "3", "2", "1"]


# --- the dashboard ----------------------------------------------------------------------------------------------


def test_the_dashboard_counts_rows_by_rag_and_lists_the_overdue_ones(world: World) -> None:
    built = _build(world)
    with time_machine.travel(datetime(2017, 8, 1, 12, tzinfo=LONDON)):
        response = _client(world, role="coordinator").get("/dashboard/")
    text = _text(response)
    assert response.status_code == 200
    assert "16 March 2019" in text and "Overdue</strong>" not in text.split("Action plan progress")[0]
    expected = {"Red": (2, 40), "Amber": (0, 0), "Green": (1, 20), "Complete": (1, 20), "Not rated": (1, 20)}
    for label, (count, percent) in expected.items():
        row = (
            f'<th scope="row" class="govuk-table__header">{label}</th> '
            f'<td class="govuk-table__cell">{count}</td> <td class="govuk-table__cell">{percent}%</td>'
        )
        assert row in text, label
    assert "width: 40%;" in text
    overdue = text.split('<h2 class="govuk-heading-m">Overdue actions</h2>')[1].split("Open training needs")[0]
    assert f'href="/strategy/rows/{built.rows[1].pk}/"' in overdue
    assert f'href="/strategy/rows/{built.conference.pk}/"' in overdue
    assert "Q2 2017" in overdue and "Board manager" in overdue
    assert f'href="/strategy/rows/{built.rows[0].pk}/"' not in overdue
    assert "No needs audits yet." in text


def test_the_dashboard_says_when_the_review_is_overdue(world: World) -> None:
    _build(world)
    with time_machine.travel(datetime(2019, 3, 20, 12, tzinfo=LONDON)):
        text = _text(_client(world, role="coordinator").get("/dashboard/"))
    assert '<strong class="govuk-tag govuk-tag--red govuk-!-margin-left-2">Overdue</strong>' in text


def test_the_dashboard_with_no_strategy(world: World) -> None:
    text = _text(_client(world, "bradford", "coordinator").get("/dashboard/"))
    assert "has not adopted a strategy yet" in text and "No actions are overdue." in text


# --- the PDF ----------------------------------------------------------------------------------------------------


def test_the_strategy_as_a_pdf(world: World) -> None:
    built = _build(world)
    with time_machine.travel(datetime(2017, 8, 1, 12, tzinfo=LONDON)):
        response = _client(world, role="practitioner").get(f"/strategy/{built.strategy.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="leeds-strategy-2017-19.pdf"'
    assert response.content.startswith(b"%PDF")

    reader = PdfReader(io.BytesIO(response.content))
    pages = [page.extract_text() for page in reader.pages]
    text = " ".join(" ".join(pages).split())
    assert built.strategy.title in text
    assert world.boards["leeds"].name in text
    for priority, *_ in PRIORITIES:
        assert priority in text, priority
    assert CONFERENCE in text
    assert "Document control" in text and "Sarah Baker" in text and "Next review due on 16 March 2019" in text
    assert "3.1 Be outcomes focussed" in text
    assert "Appendix A: Strategic Priority Planning 2017-19" in text
    # RAG in words, not colour alone.
    assert "Green" in text and "Complete" in text and "Not rated" in text and "Red Overdue" in text
    assert f"Page 1 of {len(pages)}" in pages[0] and f"Page {len(pages)} of {len(pages)}" in pages[-1]
    # The plans are landscape pages.
    assert reader.pages[-1].mediabox.width > reader.pages[-1].mediabox.height
    assert reader.metadata is not None and reader.metadata.title == built.strategy.title


def test_the_pdf_contents_give_the_page_of_each_section(world: World) -> None:
    built = _build(world)
    response = _client(world, role="coordinator").get(f"/strategy/{built.strategy.pk}/pdf/")
    reader = PdfReader(io.BytesIO(response.content))
    contents = " ".join(reader.pages[0].extract_text().split())
    appendix_page = next(i for i, page in enumerate(reader.pages, 1) if "Appendix A:" in page.extract_text())
    assert f"Strategic Priority Planning 2017-19 {appendix_page}" in contents


def test_a_pdf_survives_markup_and_very_long_rows(world: World) -> None:
    built = _build(world)
    coordinator = world.user("coordinator", "leeds")
    _in(
        world,
        "leeds",
        lambda: services.add_plan_item(
            built.plan, actor=coordinator, priority="<b>Bold & <script>", action_needed="Long text. " * 500
        ),
    )
    response = _client(world, role="coordinator").get(f"/strategy/{built.strategy.pk}/pdf/")
    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert "<b>Bold & <script>" in " ".join(" ".join(page.extract_text() for page in pages).split())


# --- queries --------------------------------------------------------------------------------------------------


def test_the_document_page_runs_a_fixed_number_of_queries(world: World, django_assert_max_num_queries: Any) -> None:
    built = _build(world)
    coordinator = world.user("coordinator", "leeds")
    url = f"/strategy/{built.strategy.pk}/"
    client = _client(world, role="coordinator")
    client.get(url)
    with CaptureQueriesContext(connection) as few_rows:
        assert client.get(url).status_code == 200

    def grow() -> None:
        for plan_number in range(3):
            plan = services.create_plan(built.strategy, actor=coordinator, title=f"Extra plan {plan_number}")
            for _ in range(8):
                row = services.add_plan_item(plan, actor=coordinator, priority="More", target="Q4 2018", rag="amber")
                services.record_progress(row, actor=coordinator, note="On track", rag="green")
                services.add_kpi(row, actor=coordinator, name="Places filled", target_value="90")
                services.add_milestone(row, actor=coordinator, title="Half way")
        for number in range(10):
            services.add_item(built.strategy, actor=coordinator, section="standard", title=f"Standard {number}")
            services.add_sign_off(built.strategy, actor=coordinator, role=f"Member {number}", name="Someone")

    _in(world, "leeds", grow)
    with django_assert_max_num_queries(len(few_rows)):
        response = client.get(url)
    assert response.status_code == 200 and _text(response).count("Extra plan") >= 3
