"""Learning from reviews and audits: sources, the themes they raise, the activity that answers each theme, the
Appendix A matrix and its gaps; the rules, the API's permissions and the pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import World, api_client
from shared_apps.audit.models import AuditEvent
from tenant_apps.learning_sources import selectors, services
from tenant_apps.learning_sources.models import ActivityTheme, LearningActivity, LearningSource, Theme, ThemeEvidence
from tenants.cross_board import run_in_board

pytestmark = pytest.mark.django_db


def _in(world: World, slug: str, work: Any) -> Any:
    return run_in_board(world.boards[slug], work)


def _page_client(world: World, role: str | None, slug: str = "croydon") -> Client:
    client = Client(HTTP_HOST=world.host(slug))
    if role is not None:
        client.force_login(world.user(role, slug))
    return client


# --- a fixture shaped like Croydon's Appendix A (2015-16) --------------------------------------------------------

SOURCES = {  # reference: (kind, year)
    "Children Anon": ("serious_case_review", 2015),
    "Children F,G,H": ("serious_case_review", 2015),
    "Child LG": ("serious_case_review", 2016),
    "Child T": ("serious_case_review", 2016),
    "Child P": ("learning_review", 2016),
}
# theme: (evidence, L&D activity), as in the appendix
APPENDIX_A = {
    "Early Help & Safeguarding": (
        ["Children Anon", "Child LG"],
        ["L3 Safeguarding", "EH Assessments", "Lessons from SCRs", "EH Conference (15/16)", "Multi-Agency Induction"],
    ),
    "Voice of the child in assessments and interventions": (
        ["Children F,G,H", "Child LG", "Child T"],
        ["Critical Thinking and Risk Assessment", "L3 Safeguarding", "Lessons from SCRs", "EH Assessments"],
    ),
    "Use of Pre-Birth Assessment": (["Children Anon"], ["Critical Thinking and Risk Assessment"]),
    "Fabricated or Induced Illness": (["Children F,G,H"], ["Signs and behaviours of FII"]),
    # Answered only by a conference still being planned: a gap.
    "Protecting Children who are looked after": (["Child T"], ["LADO Conference"]),
    # Raised, and nothing answers it yet.
    "Engaging Fathers": (["Children Anon", "Children F,G,H", "Child LG"], []),
}
PLANNED = {"LADO Conference"}


@dataclass
class Appendix:
    sources: dict[str, LearningSource] = field(default_factory=dict)
    themes: dict[str, Theme] = field(default_factory=dict)
    activities: dict[str, LearningActivity] = field(default_factory=dict)


def _appendix_a(world: World, slug: str = "croydon") -> Appendix:
    coordinator = world.user("coordinator", slug)

    def make() -> Appendix:
        made = Appendix()
        for reference, (kind, year) in SOURCES.items():
            made.sources[reference] = services.create_source(
                actor=coordinator, kind=kind, title=f"Serious case review: {reference}", reference=reference, year=year
            )
        for title in sorted({a for _, activities in APPENDIX_A.values() for a in activities}):
            status = "planned" if title in PLANNED else "in_place"
            kind = "conference" if "Conference" in title else "course"
            made.activities[title] = services.create_activity(actor=coordinator, title=title, kind=kind, status=status)
        for order, (title, (evidence, activities)) in enumerate(APPENDIX_A.items(), start=1):
            made.themes[title] = services.create_theme(
                actor=coordinator,
                title=title,
                order=order,
                sources=[made.sources[ref] for ref in evidence],
                activities=[made.activities[a].pk for a in activities],
            )
        return made

    return _in(world, slug, make)


def _rows(matrix: list[selectors.MatrixRow]) -> list[tuple[str, list[str], list[str], bool]]:
    return [
        (
            row.theme.title,
            [item.source.short_name for item in row.evidence],
            [activity.title for activity in row.activities],
            row.gap,
        )
        for row in matrix
    ]


# --- the matrix and its gaps ---------------------------------------------------------------------------------


def test_the_matrix_lists_each_theme_with_its_evidence_and_activity_as_in_appendix_a(world: World) -> None:
    _appendix_a(world)

    rows = _rows(_in(world, "croydon", selectors.theme_matrix))

    assert rows == [
        (
            "Early Help & Safeguarding",
            ["Children Anon", "Child LG"],
            [
                "EH Assessments",
                "EH Conference (15/16)",
                "L3 Safeguarding",
                "Lessons from SCRs",
                "Multi-Agency Induction",
            ],
            False,
        ),
        (
            "Voice of the child in assessments and interventions",
            ["Children F,G,H", "Child LG", "Child T"],
            ["Critical Thinking and Risk Assessment", "EH Assessments", "L3 Safeguarding", "Lessons from SCRs"],
            False,
        ),
        ("Use of Pre-Birth Assessment", ["Children Anon"], ["Critical Thinking and Risk Assessment"], False),
        ("Fabricated or Induced Illness", ["Children F,G,H"], ["Signs and behaviours of FII"], False),
        ("Protecting Children who are looked after", ["Child T"], ["LADO Conference"], True),
        ("Engaging Fathers", ["Children Anon", "Children F,G,H", "Child LG"], [], True),
    ]


def test_the_matrix_api_returns_the_same_rows_to_a_practitioner(world: World) -> None:
    _appendix_a(world)
    response = api_client(world.user("practitioner", "croydon"), world.host("croydon")).get("/api/v1/themes/matrix/")

    assert response.status_code == 200
    rows = response.json()
    assert [row["title"] for row in rows] == list(APPENDIX_A)
    voice = rows[1]
    assert [item["source"]["reference"] for item in voice["evidence"]] == ["Children F,G,H", "Child LG", "Child T"]
    assert voice["activities"][0] == {
        "id": voice["activities"][0]["id"],
        "title": "Critical Thinking and Risk Assessment",
        "kind": "course",
        "status": "in_place",
    }
    assert [row["gap"] for row in rows] == [False, False, False, False, True, True]


def test_gaps_are_the_themes_no_activity_in_place_answers(world: World) -> None:
    made = _appendix_a(world)
    gaps = _in(world, "croydon", lambda: [theme.title for theme in selectors.theme_gaps()])
    assert gaps == ["Protecting Children who are looked after", "Engaging Fathers"]

    def conference_held_then_fii_course_retired() -> list[str]:
        services.update_activity(made.activities["LADO Conference"], actor=None, status="in_place")
        services.update_activity(made.activities["Signs and behaviours of FII"], actor=None, status="retired")
        return [theme.title for theme in selectors.theme_gaps()]

    assert _in(world, "croydon", conference_held_then_fii_course_retired) == [
        "Fabricated or Induced Illness",
        "Engaging Fathers",
    ]
    fii = next(row for row in _in(world, "croydon", selectors.theme_matrix) if row.theme.title.startswith("Fabricated"))
    assert fii.activities == [] and fii.gap, "retired activity leaves the matrix"


def test_sources_are_grouped_by_kind_with_their_theme_counts(world: World) -> None:
    _appendix_a(world)
    groups = _in(world, "croydon", selectors.sources_by_kind)

    assert [(group.label, {s.reference: s.theme_count for s in group.sources}) for group in groups] == [
        (
            "Serious case review",
            {"Children Anon": 3, "Children F,G,H": 3, "Child LG": 3, "Child T": 2},
        ),
        ("Learning review", {"Child P": 0}),
    ]
    only_reviews = _in(world, "croydon", lambda: selectors.sources_by_kind("learning_review"))
    assert [s.reference for group in only_reviews for s in group.sources] == ["Child P"]


def _themes(count: int) -> None:
    source = services.create_source(actor=None, kind="inspection", title="Ofsted inspection", year=2016)
    activity = services.create_activity(actor=None, title="Lessons from SCRs")
    for number in range(count):
        services.create_theme(
            actor=None, title=f"Theme {number}", sources=[source], activities=[activity] if number % 2 else []
        )


def _data_queries(queries: CaptureQueriesContext) -> list[str]:
    """The queries that read data: django-tenants sets the search path before each, which is not one."""
    return [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SET search_path")]


@pytest.mark.parametrize("count", [3, 30])
def test_the_matrix_takes_three_queries_however_many_themes(
    world: World, count: int, django_assert_max_num_queries: Any
) -> None:
    def measure() -> int:
        _themes(count)
        # Three reads (themes, evidence with sources, activities), each after django-tenants' SET search_path.
        with django_assert_max_num_queries(6), CaptureQueriesContext(connection) as queries:
            rows = selectors.theme_matrix()
            assert len(rows) == count and all(row.evidence for row in rows)
        return len(_data_queries(queries))

    assert _in(world, "croydon", measure) == 3


def test_the_matrix_page_and_api_take_the_same_number_of_queries_for_3_and_30_themes(world: World) -> None:
    counts = {}
    for count in (3, 30):

        def measure(count: int = count) -> None:
            Theme.objects.all().delete()
            LearningSource.objects.all().delete()
            LearningActivity.objects.all().delete()
            _themes(count)

        _in(world, "croydon", measure)
        page, api = (
            _page_client(world, "practitioner"),
            api_client(world.user("practitioner", "croydon"), world.host("croydon")),
        )
        page.get("/learning-from-reviews/themes/")  # the session and permission caches are warm from here on
        api.get("/api/v1/themes/matrix/")
        with CaptureQueriesContext(connection) as page_queries:
            assert page.get("/learning-from-reviews/themes/").status_code == 200
        with CaptureQueriesContext(connection) as api_queries:
            assert len(api.get("/api/v1/themes/matrix/").json()) == count
        counts[count] = (len(_data_queries(page_queries)), len(_data_queries(api_queries)))
    assert counts[3] == counts[30]


# --- the rules -----------------------------------------------------------------------------------------------


def test_a_duplicate_theme_title_is_refused_whatever_its_case(world: World) -> None:
    def attempt() -> dict[str, list[str]]:
        services.create_theme(actor=None, title="Engaging Fathers")
        with pytest.raises(ValidationError) as error:
            services.create_theme(actor=None, title="  engaging fathers ")
        return error.value.message_dict

    assert _in(world, "croydon", attempt) == {"title": ["A theme called “engaging fathers” already exists."]}


def test_a_duplicate_theme_title_is_a_clear_400_on_the_api_and_saves_nothing(world: World) -> None:
    client = api_client(world.user("coordinator", "croydon"), world.host("croydon"))
    assert client.post("/api/v1/themes/", {"title": "Complex Neglect"}, format="json").status_code == 201
    other = client.post("/api/v1/themes/", {"title": "Other"}, format="json").json()

    response = client.post("/api/v1/themes/", {"title": "COMPLEX NEGLECT"}, format="json")
    renamed = client.patch(f"/api/v1/themes/{other['id']}/", {"title": "Complex neglect"}, format="json")

    for refused in (response, renamed):
        assert refused.status_code == 400
        assert refused.json()["error"]["fields"]["title"][0].startswith("A theme called “")
        assert refused.json()["error"]["fields"]["title"][0].endswith("” already exists.")
    assert _in(world, "croydon", lambda: sorted(Theme.objects.values_list("title", flat=True))) == [
        "Complex Neglect",
        "Other",
    ]


@pytest.mark.parametrize(
    ("route", "body"),
    [
        ("/api/v1/themes/", {"title": "   "}),
        ("/api/v1/learning-sources/", {"kind": "inspection", "title": ""}),
        ("/api/v1/learning-activities/", {"title": " "}),
    ],
)
def test_an_empty_title_is_a_clear_400(world: World, route: str, body: dict[str, Any]) -> None:
    response = api_client(world.user("coordinator", "croydon"), world.host("croydon")).post(route, body, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["title"]


def test_a_year_more_than_a_year_ahead_is_refused(world: World) -> None:
    this_year = timezone.localdate().year
    client = api_client(world.user("coordinator", "croydon"), world.host("croydon"))

    def post(**fields: Any) -> Any:
        return client.post(
            "/api/v1/learning-sources/", {"kind": "rapid_review", "title": "Child Q", **fields}, format="json"
        )

    refused = post(year=this_year + 2)
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {
        "year": [f"The year cannot be more than a year ahead: {this_year + 1} at the latest."]
    }
    far_date = post(published_on=(timezone.localdate() + timedelta(days=400)).isoformat())
    assert far_date.status_code == 400 and list(far_date.json()["error"]["fields"]) == ["published_on"]
    assert post(year=1066).status_code == 400
    assert _in(world, "croydon", LearningSource.objects.count) == 0

    assert post(year=this_year + 1).status_code == 201
    dated = post(published_on="2016-03-14").json()
    assert dated["year"] == 2016, "the year comes from the date"
    mismatch = post(published_on="2016-03-14", year=2015)
    assert mismatch.status_code == 400 and "2016" in mismatch.json()["error"]["fields"]["year"][0]


def test_a_link_to_another_boards_source_or_theme_is_a_clear_400_and_saves_nothing(world: World) -> None:
    leeds = _in(
        world,
        "leeds",
        lambda: (
            services.create_source(actor=None, kind="section_11_audit", title="Section 11 audit 2016"),
            services.create_theme(actor=None, title="Leeds theme"),
        ),
    )
    client = api_client(world.user("coordinator", "croydon"), world.host("croydon"))

    theme = client.post("/api/v1/themes/", {"title": "Complex Neglect", "sources": [str(leeds[0].pk)]}, format="json")
    activity = client.post(
        "/api/v1/learning-activities/", {"title": "L3 Safeguarding", "themes": [str(leeds[1].pk)]}, format="json"
    )
    evidence = client.post(
        "/api/v1/theme-evidence/", {"theme": str(leeds[1].pk), "source": str(leeds[0].pk)}, format="json"
    )

    assert theme.status_code == activity.status_code == evidence.status_code == 400
    assert theme.json()["error"]["fields"] == {
        "sources": [f"There is no learning source with the id {leeds[0].pk} in this board."]
    }
    assert activity.json()["error"]["fields"] == {
        "themes": [f"There is no theme with the id {leeds[1].pk} in this board."]
    }
    assert evidence.json()["error"]["fields"]["theme"] == [
        f"There is no theme with the id {leeds[1].pk} in this board."
    ]
    assert _in(world, "croydon", lambda: (Theme.objects.count(), LearningActivity.objects.count())) == (0, 0)


# --- the API: writable lists of ids, evidence notes, deleting ------------------------------------------------


def test_a_themes_sources_and_activities_are_writable_lists_of_ids(world: World) -> None:
    made = _appendix_a(world)
    client = api_client(world.user("coordinator", "croydon"), world.host("croydon"))
    anon, child_t = str(made.sources["Children Anon"].pk), str(made.sources["Child T"].pk)
    critical = str(made.activities["Critical Thinking and Risk Assessment"].pk)

    created = client.post(
        "/api/v1/themes/",
        {"title": "Use of Escalation Policy", "sources": [anon, child_t], "activities": [critical]},
        format="json",
    )
    assert created.status_code == 201, created.content
    theme = created.json()
    assert sorted(theme["sources"]) == sorted([anon, child_t]) and theme["activities"] == [critical]
    assert theme["order"] == len(APPENDIX_A) + 1 and theme["gap"] is False

    evidence = next(e for e in theme["evidence"] if e["source"] == child_t)
    noted = client.patch(f"/api/v1/theme-evidence/{evidence['id']}/", {"note": "Escalation not used"}, format="json")
    assert noted.status_code == 200

    changed = client.patch(f"/api/v1/themes/{theme['id']}/", {"sources": [child_t], "activities": []}, format="json")
    assert changed.status_code == 200
    assert changed.json()["sources"] == [child_t] and changed.json()["gap"] is True
    assert changed.json()["evidence"][0]["note"] == "Escalation not used", "a kept link keeps its note"

    activity = client.get(f"/api/v1/learning-activities/{critical}/").json()
    assert theme["id"] not in activity["themes"]
    source = client.get(f"/api/v1/learning-sources/{child_t}/").json()
    assert theme["id"] in source["themes"] and source["theme_count"] == 3


def test_evidence_links_are_not_duplicated_or_moved(world: World) -> None:
    made = _appendix_a(world)
    client = api_client(world.user("coordinator", "croydon"), world.host("croydon"))
    fii, child_t = made.themes["Fabricated or Induced Illness"], made.sources["Child T"]

    added = client.post(
        "/api/v1/theme-evidence/",
        {"theme": str(fii.pk), "source": str(child_t.pk), "note": "FII considered late"},
        format="json",
    )
    again = client.post("/api/v1/theme-evidence/", {"theme": str(fii.pk), "source": str(child_t.pk)}, format="json")
    moved = client.patch(
        f"/api/v1/theme-evidence/{added.json()['id']}/", {"source": str(made.sources["Child P"].pk)}, format="json"
    )

    assert added.status_code == 201
    assert again.status_code == 400
    assert again.json()["error"]["fields"]["source"] == [
        "“Child T” is already evidence for the theme “Fabricated or Induced Illness”."
    ]
    assert moved.status_code == 400 and "remove it and add a new link" in moved.json()["error"]["message"]
    assert client.delete(f"/api/v1/theme-evidence/{added.json()['id']}/").status_code == 204


def test_deleting_a_theme_answered_by_activities_removes_its_links_and_keeps_the_activities(world: World) -> None:
    made = _appendix_a(world)
    voice = made.themes["Voice of the child in assessments and interventions"]
    response = api_client(world.user("coordinator", "croydon"), world.host("croydon")).delete(
        f"/api/v1/themes/{voice.pk}/"
    )

    assert response.status_code == 204

    def left() -> tuple[int, int, int, int]:
        return (
            ThemeEvidence.objects.filter(theme_id=voice.pk).count(),
            ActivityTheme.objects.filter(theme_id=voice.pk).count(),
            LearningActivity.objects.count(),
            LearningSource.objects.count(),
        )

    assert _in(world, "croydon", left) == (0, 0, len(made.activities), len(SOURCES))
    entry = AuditEvent.objects.filter(action="theme.deleted", board=world.boards["croydon"]).get()
    assert entry.summary == (
        "Theme “Voice of the child in assessments and interventions” deleted, "
        "with its links to 3 sources and 4 activities"
    )
    assert entry.actor_email == "coordinator@croydon.test"


def test_every_write_is_in_the_boards_audit_log(world: World) -> None:
    _appendix_a(world)
    actions = set(AuditEvent.objects.filter(board=world.boards["croydon"]).values_list("action", flat=True))
    assert {
        "learning_source.created",
        "learning_activity.created",
        "theme.created",
        "theme.evidence_added",
        "theme.activity_linked",
    } <= actions
    assert not AuditEvent.objects.filter(board=world.boards["leeds"], action__startswith="theme.").exists()


# --- permissions and isolation ---------------------------------------------------------------------------------


ROUTES = ("/api/v1/learning-sources/", "/api/v1/themes/", "/api/v1/learning-activities/", "/api/v1/theme-evidence/")


def test_a_practitioner_reads_but_cannot_change_anything(world: World) -> None:
    made = _appendix_a(world)
    client = api_client(world.user("practitioner", "croydon"), world.host("croydon"))

    for route in (*ROUTES, "/api/v1/themes/matrix/", "/api/v1/themes/?gaps=true"):
        assert client.get(route).status_code == 200, route
    assert [t["title"] for t in client.get("/api/v1/themes/?gaps=true").json()["results"]] == [
        "Protecting Children who are looked after",
        "Engaging Fathers",
    ]
    assert client.post("/api/v1/themes/", {"title": "Mine"}, format="json").status_code == 403
    theme = made.themes["Engaging Fathers"]
    assert client.patch(f"/api/v1/themes/{theme.pk}/", {"title": "x"}, format="json").status_code == 403
    assert client.delete(f"/api/v1/learning-sources/{made.sources['Child P'].pk}/").status_code == 403


def test_a_croydon_user_is_refused_on_the_leeds_host(world: World) -> None:
    made = _appendix_a(world, "leeds")
    client = api_client(world.user("coordinator", "croydon"), world.host("leeds"))
    for route in (*ROUTES, "/api/v1/themes/matrix/"):
        assert client.get(route).status_code == 403, route
    assert client.get(f"/api/v1/themes/{made.themes['Engaging Fathers'].pk}/").status_code == 403


def test_a_leeds_id_on_the_croydon_host_is_not_found(world: World) -> None:
    made = _appendix_a(world, "leeds")
    client = api_client(world.user("coordinator", "croydon"), world.host("croydon"))
    ids = {
        "learning-sources": made.sources["Child T"].pk,
        "themes": made.themes["Engaging Fathers"].pk,
        "learning-activities": made.activities["L3 Safeguarding"].pk,
    }
    for route, pk in ids.items():
        assert client.get(f"/api/v1/{route}/{pk}/").status_code == 404
        assert client.delete(f"/api/v1/{route}/{pk}/").status_code == 404
    assert _in(world, "leeds", Theme.objects.count) == len(APPENDIX_A)


# --- pages ---------------------------------------------------------------------------------------------------


def test_the_matrix_page_shows_appendix_a_with_its_gaps_marked(world: World) -> None:
    _appendix_a(world)
    page = _page_client(world, "practitioner").get("/learning-from-reviews/themes/")

    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="govuk-table"' in html
    for heading in ("Theme", "Evidence", "L&amp;D activity"):
        assert f'<th scope="col" class="govuk-table__header">{heading}</th>' in html
    assert "Voice of the child in assessments and interventions" in html and "Children F,G,H" in html
    assert html.count('<strong class="govuk-tag govuk-tag--red">No learning activity yet</strong>') == 2
    assert "2 themes have no learning activity in place yet." in html
    assert "Add a theme" not in html, "practitioners do not see the managers' buttons"
    assert "Add a theme" in _page_client(world, "coordinator").get("/learning-from-reviews/themes/").content.decode()


def test_the_sources_list_filters_by_kind_and_a_source_page_shows_its_themes(world: World) -> None:
    made = _appendix_a(world)
    client = _page_client(world, "practitioner")

    everything = client.get("/learning-from-reviews/").content.decode()
    reviews = client.get("/learning-from-reviews/?kind=learning_review").content.decode()
    child_t = client.get(f"/learning-from-reviews/sources/{made.sources['Child T'].pk}/")

    assert "Serious case review: Child T" in everything and "Serious case review: Child P" in everything
    assert "2 with no learning activity in place yet" in everything
    assert "Serious case review: Child P" in reviews and "Child T" not in reviews
    assert child_t.status_code == 200
    assert "Protecting Children who are looked after" in child_t.content.decode()
    assert "No learning activity yet" in child_t.content.decode()


def test_page_permissions(world: World) -> None:
    made = _appendix_a(world)
    theme = made.themes["Engaging Fathers"]
    practitioner = _page_client(world, "practitioner")

    assert practitioner.get("/learning-from-reviews/themes/new/").status_code == 403
    assert practitioner.post(f"/learning-from-reviews/themes/{theme.pk}/delete/").status_code == 403
    assert _page_client(world, None).get("/learning-from-reviews/").status_code == 302
    croydon_on_leeds = Client(HTTP_HOST=world.host("leeds"))
    croydon_on_leeds.force_login(world.user("coordinator", "croydon"))
    assert croydon_on_leeds.get("/learning-from-reviews/themes/").status_code == 403
    leeds = _appendix_a(world, "leeds")
    croydon_coordinator = _page_client(world, "coordinator")
    assert croydon_coordinator.get(f"/learning-from-reviews/sources/{leeds.sources['Child T'].pk}/").status_code == 404
    assert (
        croydon_coordinator.get(
            f"/learning-from-reviews/themes/{leeds.themes['Engaging Fathers'].pk}/edit/"
        ).status_code
        == 404
    )
    assert _in(world, "croydon", lambda: Theme.objects.filter(pk=theme.pk).exists())


def test_a_coordinator_adds_a_theme_with_checkboxes_for_its_sources(world: World) -> None:
    made = _appendix_a(world)
    client = _page_client(world, "coordinator")
    form = client.get(f"/learning-from-reviews/themes/new/?source={made.sources['Child T'].pk}").content.decode()
    assert 'type="checkbox"' in form and "Child T (serious case review, 2016)" in form

    sources = [made.sources["Child T"].pk, made.sources["Children F,G,H"].pk]
    response = client.post(
        "/learning-from-reviews/themes/new/", {"title": "Use of Safeguarding Supervision", "sources": sources}
    )
    duplicate = client.post("/learning-from-reviews/themes/new/", {"title": "Engaging fathers"})

    assert response.status_code == 302
    theme = _in(world, "croydon", lambda: Theme.objects.get(title="Use of Safeguarding Supervision"))
    assert _in(world, "croydon", lambda: set(theme.sources.values_list("pk", flat=True))) == set(sources)
    assert duplicate.status_code == 400
    assert "There is a problem" in duplicate.content.decode()
    assert "A theme called “Engaging fathers” already exists." in duplicate.content.decode()


def test_a_coordinator_adds_an_activity_that_answers_a_gap(world: World) -> None:
    made = _appendix_a(world)
    fathers = made.themes["Engaging Fathers"]
    client = _page_client(world, "coordinator")
    assert "checked" in client.get(f"/learning-from-reviews/activities/new/?theme={fathers.pk}").content.decode()

    response = client.post(
        "/learning-from-reviews/activities/new/",
        {"title": "Engaging Fathers workshop", "kind": "course", "status": "in_place", "themes": [fathers.pk]},
    )

    assert response.status_code == 302
    assert _in(world, "croydon", lambda: [t.title for t in selectors.theme_gaps()]) == [
        "Protecting Children who are looked after"
    ]
    assert "Engaging Fathers workshop" in client.get("/learning-from-reviews/activities/").content.decode()


def test_deleting_a_theme_with_activities_asks_first_in_the_page(world: World) -> None:
    made = _appendix_a(world)
    voice = made.themes["Voice of the child in assessments and interventions"]
    client = _page_client(world, "coordinator")

    ask = client.get(f"/learning-from-reviews/themes/{voice.pk}/delete/")
    assert ask.status_code == 200
    html = ask.content.decode()
    assert "4 learning activities answer this theme:" in html and "Critical Thinking and Risk Assessment" in html
    assert "Yes, delete this theme" in html
    assert _in(world, "croydon", lambda: Theme.objects.filter(pk=voice.pk).exists()), "asking deletes nothing"

    done = client.post(f"/learning-from-reviews/themes/{voice.pk}/delete/")
    assert done.status_code == 302
    assert not _in(world, "croydon", lambda: Theme.objects.filter(pk=voice.pk).exists())


def test_a_coordinator_adds_and_changes_a_source_in_the_pages(world: World) -> None:
    client = _page_client(world, "coordinator")
    added = client.post(
        "/learning-from-reviews/sources/new/",
        {
            "kind": "practice_review",
            "title": "Local child safeguarding practice review: Child Y",
            "reference": "Child Y",
            "published_on": "2020-06-01",
            "link": "https://example.org/child-y.pdf",
        },
    )
    assert added.status_code == 302
    source = _in(world, "croydon", lambda: LearningSource.objects.get(reference="Child Y"))
    assert source.year == 2020

    future = client.post(
        f"/learning-from-reviews/sources/{source.pk}/edit/",
        {"kind": "practice_review", "title": source.title, "year": date.today().year + 5},
    )
    assert future.status_code == 400 and "more than a year ahead" in future.content.decode()
    page = client.get(f"/learning-from-reviews/sources/{source.pk}/").content.decode()
    assert "Local child safeguarding practice review" in page and "1 June 2020" in page
