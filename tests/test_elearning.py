"""E-learning records: entered or imported from a provider's CSV file (all or nothing), mirrored in the learning
ledger once completed, and reported by agency type; the API and the coordinators' pages."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import World, api_client
from shared_apps.audit.models import AuditEvent
from tenant_apps.audiences import services
from tenant_apps.audiences.models import ElearningRecord, LearningCompletion
from tenant_apps.audiences.rules import State
from tenant_apps.audiences.selectors import elearning_report, pathway_status
from tenants.cross_board import run_in_board

pytestmark = pytest.mark.django_db

PROVIDER = "Virtual College"
HEADER = "Email,Module,Topic,Started_On,Completed_On,Hours,Reference,Provider's own column\n"
GOOD_FILE = (
    "\ufeff"
    + HEADER
    + "Practitioner@Leeds.test,Safeguarding children level 2,Safeguarding children,2024-03-01,2024-03-20,2.5,VC-1,x\n"
    + "practitioner@leeds.test,Prevent awareness,,2024-04-01,,,VC-2,y\n"
    + "trainer@leeds.test,Safeguarding children level 2,Safeguarding children,02/04/2024,10/04/2024,2,VC-3,z\n"
)


def _in(world: World, work: Any, slug: str = "leeds") -> Any:
    return run_in_board(world.boards[slug], work)


def _import(world: World, data: bytes | str, slug: str = "leeds") -> services.ImportResult:
    coordinator = world.user("coordinator", slug)
    return _in(world, lambda: services.import_elearning_csv(data, actor=coordinator, provider=PROVIDER), slug)


def _import_errors(world: World, data: bytes | str) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        _import(world, data)
    return raised.value.message_dict["file"]


def _record(world: World, slug: str = "leeds", **fields: Any) -> ElearningRecord:
    fields.setdefault("user", world.user("practitioner", slug))
    fields.setdefault("module_title", "Safeguarding children level 2")
    fields.setdefault("provider", PROVIDER)
    fields.setdefault("started_on", date(2024, 3, 1))
    coordinator = world.user("coordinator", slug)
    return _in(world, lambda: services.save_elearning_record(actor=coordinator, **fields), slug)


def _ledger(world: World, slug: str = "leeds") -> list[tuple[str, str, date, Decimal, str]]:
    rows = LearningCompletion.objects.filter(source="e_learning").order_by("completed_on")
    return _in(world, lambda: list(rows.values_list("reference", "title", "completed_on", "hours", "topic")), slug)


def _records(world: World, slug: str = "leeds") -> list[ElearningRecord]:
    return _in(world, lambda: list(ElearningRecord.objects.select_related("user").order_by("started_on")), slug)


# --- the import ------------------------------------------------------------------------------------------------


def test_a_providers_file_adds_each_record_and_puts_the_completed_ones_in_the_ledger(world: World) -> None:
    result = _import(world, GOOD_FILE.encode("utf-8"))

    assert (result.rows, result.created, result.updated, result.unchanged, result.completed) == (3, 3, 0, 0, 2)
    records = _records(world)
    practitioner, trainer = world.user("practitioner", "leeds"), world.user("trainer", "leeds")
    assert [(r.user, r.module_title, r.started_on, r.completed_on, r.hours, r.provider_reference) for r in records] == [
        (practitioner, "Safeguarding children level 2", date(2024, 3, 1), date(2024, 3, 20), Decimal("2.5"), "VC-1"),
        (practitioner, "Prevent awareness", date(2024, 4, 1), None, None, "VC-2"),
        (trainer, "Safeguarding children level 2", date(2024, 4, 2), date(2024, 4, 10), Decimal(2), "VC-3"),
    ]
    assert {r.provider for r in records} == {PROVIDER}
    assert _ledger(world) == [
        (
            str(records[0].pk),
            "Safeguarding children level 2",
            date(2024, 3, 20),
            Decimal("2.5"),
            "Safeguarding children",
        ),
        (str(records[2].pk), "Safeguarding children level 2", date(2024, 4, 10), Decimal(2), "Safeguarding children"),
    ]
    assert _in(world, lambda: AuditEvent.objects.filter(action="elearning_records.imported").count()) == 1


def test_importing_the_same_file_again_changes_nothing(world: World) -> None:
    _import(world, GOOD_FILE)
    records, ledger = _records(world), _ledger(world)
    audit = _in(world, lambda: AuditEvent.objects.count())

    again = _import(world, GOOD_FILE.encode("utf-8"))

    assert (again.rows, again.created, again.updated, again.unchanged, again.completed) == (3, 0, 0, 3, 2)
    assert [(r.pk, r.updated_at) for r in _records(world)] == [(r.pk, r.updated_at) for r in records]
    assert _ledger(world) == ledger
    assert _in(world, lambda: AuditEvent.objects.count()) == audit + 1  # only the import itself


def test_importing_again_puts_back_a_completion_taken_out_of_the_ledger_by_hand(world: World) -> None:
    _import(world, GOOD_FILE)
    ledger = _ledger(world)
    coordinator = world.user("coordinator", "leeds")
    _in(
        world,
        lambda: services.delete_completion(LearningCompletion.objects.get(reference=ledger[0][0]), actor=coordinator),
    )

    again = _import(world, GOOD_FILE)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert _ledger(world) == ledger


def test_a_later_file_completes_changes_and_uncompletes_the_same_records(world: World) -> None:
    _import(world, GOOD_FILE)
    later = (
        "email,module,started_on,completed_on,hours\n"
        "practitioner@leeds.test,SAFEGUARDING CHILDREN LEVEL 2,2024-03-01,2024-03-21,3\n"
        "practitioner@leeds.test,Prevent awareness,2024-04-01,2024-04-02,1\n"
        "trainer@leeds.test,Safeguarding children level 2,2024-04-02,,\n"
    )

    result = _import(world, later)

    assert (result.created, result.updated, result.unchanged, result.completed) == (0, 3, 0, 2)
    first, prevent, trainers = _records(world)
    assert (first.module_title, first.completed_on, first.hours) == (
        "SAFEGUARDING CHILDREN LEVEL 2",
        date(2024, 3, 21),
        3,
    )
    assert first.topic == "Safeguarding children"  # no topic column: the topic stays
    assert first.provider_reference == "VC-1"
    assert (trainers.completed_on, trainers.hours) == (None, None)
    assert _ledger(world) == [
        (str(first.pk), "SAFEGUARDING CHILDREN LEVEL 2", date(2024, 3, 21), Decimal(3), "Safeguarding children"),
        (str(prevent.pk), "Prevent awareness", date(2024, 4, 2), Decimal(1), ""),
    ]


def test_a_file_with_wrong_rows_saves_nothing_and_lists_every_wrong_row(world: World) -> None:
    future = (timezone.localdate() + timedelta(days=10)).isoformat()
    data = (
        "email,module,started_on,completed_on,hours\n"
        "practitioner@leeds.test,Good module,2024-03-01,2024-03-02,2\n"  # row 2 is right
        "practitioner@leeds.test,Bad date,2024-03-01,2024-13-01,2\n"
        "nobody@example.test,Unknown person,2024-03-01,,\n"
        "practitioner@croydon.test,Another board's person,2024-03-01,,\n"
        "trainer@leeds.test,Finished first,2024-03-10,2024-03-01,1\n"
        "trainer@leeds.test,No hours,2024-03-01,2024-03-02,\n"
        "\n"
        "practitioner@leeds.test,good module,2024-03-01,,\n"
        f"trainer@leeds.test,From the future,{future},,\n"
        "trainer@leeds.test,,2024-03-01,,\n"
        "finance@leeds.test,Odd hours,yesterday,,lots\n"
    )

    errors = _import_errors(world, data)

    assert errors == [
        "Row 3: completed_on 2024-13-01 is not a real date: write it like 2024-03-31 or 31/03/2024",
        "Row 4: no one with a role in this board or partnership has the email nobody@example.test",
        "Row 5: no one with a role in this board or partnership has the email practitioner@croydon.test",
        "Row 6: The completion date (1 March 2024) is before the start date (10 March 2024).",
        "Row 7: Give the hours of learning: they are needed once the module is completed.",
        "Row 9: repeats row 2 (the same email, module and started_on)",
        f"Row 10: The start date ({timezone.localdate() + timedelta(days=10):%-d %B %Y}) cannot be in the future.",
        "Row 11: Give the module's title, like “Safeguarding children level 2”.",
        "Row 12: started_on yesterday is not a real date: write it like 2024-03-31 or 31/03/2024",
        "Row 12: hours lots is not a number like 2 or 1.5",
    ]
    assert _records(world) == []
    assert _ledger(world) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("café".encode("latin-1"), "The file is not UTF-8 text (byte 4 is not)."),
        (b"", "The file is empty."),
        (b"\n , ,\n", "The file is empty."),
        (b"email,module,started_on\n", "The file has a header row but no rows of records."),
        (b"email,started_on\nx@y.z,2024-01-01\n", "The header row has no column module."),
        (b"email,module,Module,started_on\n", "The header row names the column module more than once."),
        (b"email,module,started_on\n\x00\n", "The file holds NUL characters"),
        (b"email,module,started_on\n" + b"x" * (5 * 1024 * 1024), "The file is larger than 5 MB."),
        (
            b"email,module,started_on\n" + b"someone@leeds.test,Module,2024-01-01\n" * 20_001,
            "The file has more than 20,000 rows.",
        ),
    ],
    ids=["latin-1", "empty", "blank", "no-rows", "missing-column", "repeated-column", "nul", "too-big", "too-long"],
)
def test_a_file_that_is_not_a_usable_csv_is_refused_with_a_clear_message(
    world: World, data: bytes, message: str
) -> None:
    errors = _import_errors(world, data)
    assert len(errors) == 1 and errors[0].startswith(message), errors
    assert _records(world) == []


def test_a_file_with_thousands_of_wrong_rows_lists_the_first_thousand_and_counts_the_rest(world: World) -> None:
    data = "email,module,started_on\n" + "nobody@example.test,Module,2024-01-01\n" * 1500
    errors = _import_errors(world, data)
    assert len(errors) == 1001
    assert errors[-1] == "… and 500 more errors. Nothing was imported."


def test_an_import_needs_the_providers_name(world: World) -> None:
    coordinator = world.user("coordinator", "leeds")
    with pytest.raises(ValidationError) as raised:
        _in(world, lambda: services.import_elearning_csv(GOOD_FILE, actor=coordinator, provider="  "))
    assert "provider" in raised.value.message_dict


# --- one record at a time, and the ledger -----------------------------------------------------------------------


def test_a_completed_record_counts_towards_the_pathway_until_it_is_uncompleted_or_deleted(world: World) -> None:
    coordinator, practitioner = world.user("coordinator", "leeds"), world.user("practitioner", "leeds")

    def set_up() -> None:
        group = services.create_group(actor=coordinator, scheme="group", code="E-learners", name="People online")
        services.create_requirement(
            group, actor=coordinator, title="Level 2", topic="Safeguarding children", minimum_hours="2"
        )
        services.set_learner_profile(practitioner, actor=coordinator, audience_group=group)

    _in(world, set_up)

    def state() -> str:
        return str(_in(world, lambda: pathway_status(practitioner).statuses[0].state))

    entry = _record(world, topic="safeguarding children", started_on=date(2024, 3, 1))
    assert (state(), _ledger(world)) == (State.NOT_STARTED, [])

    entry = _record(world, entry=entry, completed_on=date(2024, 3, 5), hours="2")
    assert state() == State.DONE
    assert _ledger(world) == [
        (str(entry.pk), "Safeguarding children level 2", date(2024, 3, 5), Decimal(2), "safeguarding children")
    ]

    entry = _record(world, entry=entry, hours="1.5")
    assert state() == State.NOT_STARTED  # 1.5 of 2 hours: the ledger follows the record
    assert _ledger(world)[0][3] == Decimal("1.5")

    entry = _record(world, entry=entry, hours="2", completed_on=None)
    assert (state(), _ledger(world)) == (State.NOT_STARTED, [])

    entry = _record(world, entry=entry, completed_on=date(2024, 3, 5))
    assert state() == State.DONE
    _in(world, lambda: services.delete_elearning_record(entry, actor=coordinator))
    assert (state(), _ledger(world), _records(world)) == (State.NOT_STARTED, [], [])


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"completed_on": date(2024, 2, 1), "hours": "1"}, "completed_on", "is before the start date"),
        ({"completed_on": date(2024, 3, 2)}, "hours", "they are needed once the module is completed"),
        ({"hours": "0"}, "hours", "must be more than 0"),
        ({"module_title": "  "}, "module_title", "Give the module's title"),
        ({"provider": ""}, "provider", "Give the name of the e-learning provider"),
        ({"started_on": date(1949, 12, 31)}, "started_on", "after 1 January 1950"),
    ],
)
def test_a_record_that_cannot_be_right_is_refused_with_a_clear_message(
    world: World, fields: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        _record(world, **fields)
    assert message in raised.value.message_dict[field][0]


def test_one_record_per_person_module_and_start_date_whatever_the_case(world: World) -> None:
    _record(world)
    with pytest.raises(ValidationError) as raised:
        _record(world, module_title="SAFEGUARDING children level 2")
    assert "already has a record of" in raised.value.message_dict["module_title"][0]
    _record(world, started_on=date(2024, 3, 2))  # a second start of the same module is another record


def test_someone_without_a_role_in_the_board_has_no_records_there(world: World) -> None:
    with pytest.raises(ValidationError) as raised:
        _record(world, user=world.user("practitioner", "croydon"))
    assert "no role in this board" in raised.value.message_dict["user"][0]


def test_the_database_refuses_a_completion_before_the_start(world: World) -> None:
    def write() -> None:
        with transaction.atomic():
            ElearningRecord.objects.create(
                user=world.user("practitioner", "leeds"),
                module_title="Backwards",
                provider=PROVIDER,
                started_on=date(2024, 3, 2),
                completed_on=date(2024, 3, 1),
                hours=1,
            )

    with pytest.raises(IntegrityError, match="elearning_completed_not_before_start"):
        _in(world, write)


# --- the report ------------------------------------------------------------------------------------------------


def _report_world(world: World) -> None:
    """A health practitioner and a police trainer (profiles in Leeds); the finance contact has no profile."""
    coordinator = world.user("coordinator", "leeds")

    def profiles() -> None:
        services.set_learner_profile(
            world.user("practitioner", "leeds"), actor=coordinator, agency=world.agencies["health"]
        )
        services.set_learner_profile(world.user("trainer", "leeds"), actor=coordinator, agency=world.agencies["police"])
        services.set_learner_profile(world.user("board_admin", "leeds"), actor=coordinator, job_role="No agency given")

    _in(world, profiles)
    done = {"completed_on": date(2024, 7, 10), "hours": "2"}
    _record(world, module_title="A", started_on=date(2024, 5, 1), **done)
    _record(world, module_title="B", started_on=date(2024, 5, 2), **done)
    _record(world, module_title="C", started_on=date(2024, 5, 3))
    _record(world, user=world.user("trainer", "leeds"), module_title="A", started_on=date(2024, 6, 1))
    _record(world, user=world.user("finance", "leeds"), module_title="A", started_on=date(2024, 6, 1), **done)
    _record(world, user=world.user("board_admin", "leeds"), module_title="A", started_on=date(2024, 6, 30))
    _record(world, module_title="Outside the range", started_on=date(2024, 7, 1), **done)


def test_the_report_counts_completed_and_started_not_completed_by_agency_type_in_one_query(world: World) -> None:
    _report_world(world)

    def report() -> Any:
        with CaptureQueriesContext(connection) as queries:
            result = elearning_report(date(2024, 5, 1), date(2024, 6, 30))
        # django-tenants first sets the search path to the board's schema
        return result, len([q for q in queries.captured_queries if not q["sql"].startswith("SET search_path")])

    result, queries = _in(world, report)

    assert queries == 1
    assert [(r.agency_type, r.label, r.completed, r.started_not_completed, r.learners) for r in result.rows] == [
        ("health", "Health", 2, 1, 1),
        ("police", "Police", 0, 1, 1),
        (None, "Agency not recorded", 1, 1, 2),
    ]
    total = result.total
    assert (total.completed, total.started_not_completed, total.learners) == (3, 3, 4)
    everything = _in(world, lambda: elearning_report())
    assert (everything.total.completed, everything.total.started_not_completed) == (4, 3)


# --- the API ---------------------------------------------------------------------------------------------------


def _api(world: World, role: str = "coordinator", slug: str = "leeds", host: str | None = None) -> Any:
    return api_client(world.user(role, slug), world.host(host or slug))


def _upload(data: bytes | str, name: str = "export.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data.encode("utf-8") if isinstance(data, str) else data, content_type="text/csv")


def test_a_coordinator_imports_a_file_through_the_api_and_gets_the_counts(world: World) -> None:
    client = _api(world)
    body = {"file": _upload(GOOD_FILE), "provider": PROVIDER}

    first = client.post("/api/v1/elearning-records/import/", body, format="multipart")
    again = client.post(
        "/api/v1/elearning-records/import/", {"file": _upload(GOOD_FILE), "provider": PROVIDER}, format="multipart"
    )

    assert first.status_code == 201, first.content
    assert first.json() == {"rows": 3, "created": 3, "updated": 0, "unchanged": 0, "completed": 2}
    assert again.json() == {"rows": 3, "created": 0, "updated": 0, "unchanged": 3, "completed": 2}
    listed = client.get("/api/v1/elearning-records/", {"from": "2024-04-01", "to": "2024-04-30"}).json()["results"]
    assert [(row["module_title"], row["user_email"]) for row in listed] == [
        ("Safeguarding children level 2", "trainer@leeds.test"),
        ("Prevent awareness", "practitioner@leeds.test"),
    ]


def test_an_api_import_with_wrong_rows_is_a_400_listing_each_row_and_saves_nothing(world: World) -> None:
    data = (
        "email,module,started_on,completed_on,hours\n"
        "practitioner@leeds.test,Fine,2024-03-01,,\n"
        "practitioner@leeds.test,Bad,2024-03-01,2024-13-01,2\n"
        "nobody@example.test,Unknown,2024-03-01,,\n"
    )
    response = _api(world).post(
        "/api/v1/elearning-records/import/", {"file": _upload(data), "provider": PROVIDER}, format="multipart"
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["fields"] == {
        "file": [
            "Row 3: completed_on 2024-13-01 is not a real date: write it like 2024-03-31 or 31/03/2024",
            "Row 4: no one with a role in this board or partnership has the email nobody@example.test",
        ]
    }
    assert _records(world) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"provider": PROVIDER}, "file"),
        ({"file": "not a file", "provider": PROVIDER}, "file"),
        ({"file": "FILE"}, "provider"),
        ({"file": "FILE", "provider": PROVIDER, "extra": "x"}, "extra"),
    ],
)
def test_an_api_import_without_a_file_or_provider_is_a_clear_400(
    world: World, body: dict[str, Any], field: str
) -> None:
    body = {key: _upload(GOOD_FILE) if value == "FILE" else value for key, value in body.items()}
    response = _api(world).post("/api/v1/elearning-records/import/", body, format="multipart")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]


def test_an_api_import_far_over_5_mb_is_refused_unread(world: World) -> None:
    big = b"email,module,started_on\n" + b"x" * (6 * 1024 * 1024)
    response = _api(world).post(
        "/api/v1/elearning-records/import/", {"file": _upload(big), "provider": PROVIDER}, format="multipart"
    )
    assert response.status_code == 413
    assert "larger than 5 MB" in response.json()["error"]["message"]


def test_a_coordinator_adds_completes_and_deletes_a_record_through_the_api(world: World) -> None:
    client = _api(world)
    practitioner = world.user("practitioner", "leeds")
    body = {"user": practitioner.pk, "module_title": "Prevent", "provider": PROVIDER, "started_on": "2024-03-01"}

    created = client.post("/api/v1/elearning-records/", body, format="json")
    repeated = client.post("/api/v1/elearning-records/", body, format="json")
    too_early = client.patch(
        f"/api/v1/elearning-records/{created.json()['id']}/",
        {"completed_on": "2024-02-01", "hours": "1"},
        format="json",
    )
    completed = client.patch(
        f"/api/v1/elearning-records/{created.json()['id']}/",
        {"completed_on": "2024-03-02", "hours": "1"},
        format="json",
    )

    assert created.status_code == 201, created.content
    assert repeated.status_code == 400
    assert "already has a record" in repeated.json()["error"]["fields"]["module_title"][0]
    assert too_early.status_code == 400
    assert "before the start date" in too_early.json()["error"]["fields"]["completed_on"][0]
    assert completed.status_code == 200
    assert completed.json()["completed_on"] == "2024-03-02"
    ledger = client.get("/api/v1/learning-completions/", {"user": practitioner.pk}).json()["results"]
    assert [(row["title"], row["source"], row["reference"]) for row in ledger] == [
        ("Prevent", "e_learning", created.json()["id"])
    ]
    assert client.delete(f"/api/v1/elearning-records/{created.json()['id']}/").status_code == 204
    assert client.get("/api/v1/learning-completions/", {"user": practitioner.pk}).json()["results"] == []


def test_the_report_api_counts_by_agency_type_and_refuses_a_bad_range(world: World) -> None:
    _report_world(world)
    client = _api(world, "board_admin")

    report = client.get("/api/v1/elearning-records/report/", {"from": "2024-05-01", "to": "2024-06-30"})
    backwards = client.get("/api/v1/elearning-records/report/", {"from": "2024-06-30", "to": "2024-05-01"})
    not_a_date = client.get("/api/v1/elearning-records/report/", {"from": "31/12/2024"})

    assert report.status_code == 200, report.content
    body = report.json()
    assert (body["started_from"], body["started_to"]) == ("2024-05-01", "2024-06-30")
    assert [(r["agency_type"], r["completed"], r["started_not_completed"]) for r in body["rows"]] == [
        ("health", 2, 1),
        ("police", 0, 1),
        (None, 1, 1),
    ]
    assert body["rows"][-1]["agency_type_label"] == "Agency not recorded"
    assert body["total"]["completed"] == 3
    assert backwards.status_code == 400 and "to" in backwards.json()["error"]["fields"]
    assert not_a_date.status_code == 400
    assert "is not a date" in not_a_date.json()["error"]["fields"]["from"][0]


@pytest.mark.parametrize("role", ["practitioner", "trainer", "finance"])
def test_only_coordinators_and_board_administrators_reach_e_learning_records(world: World, role: str) -> None:
    entry = _record(world)
    client = _api(world, role)
    assert client.get("/api/v1/elearning-records/").status_code == 403
    assert client.get(f"/api/v1/elearning-records/{entry.pk}/").status_code == 403
    assert client.get("/api/v1/elearning-records/report/").status_code == 403
    upload = {"file": _upload(GOOD_FILE), "provider": PROVIDER}
    assert client.post("/api/v1/elearning-records/import/", upload, format="multipart").status_code == 403
    assert _records(world) == [entry]


def test_another_boards_records_are_invisible_and_its_people_unknown(world: World) -> None:
    leeds_entry = _record(world)
    _import(world, "email,module,started_on\npractitioner@croydon.test,Croydon module,2024-01-05\n", slug="croydon")
    croydon = _api(world, "coordinator", "croydon")

    listed = croydon.get("/api/v1/elearning-records/").json()["results"]
    assert [row["module_title"] for row in listed] == ["Croydon module"]
    assert croydon.get(f"/api/v1/elearning-records/{leeds_entry.pk}/").status_code == 404
    assert croydon.get("/api/v1/elearning-records/report/").json()["total"]["started_not_completed"] == 1
    # A Croydon coordinator on the Leeds host has no role there.
    assert _api(world, "coordinator", "croydon", host="leeds").get("/api/v1/elearning-records/").status_code == 403
    leeds_person = {"user": world.user("practitioner", "leeds").pk, "module_title": "X", "provider": PROVIDER}
    refused = croydon.post("/api/v1/elearning-records/", {**leeds_person, "started_on": "2024-01-01"}, format="json")
    assert refused.status_code == 400 and "user" in refused.json()["error"]["fields"]


# --- the pages -------------------------------------------------------------------------------------------------


def _page(world: World, role: str = "coordinator", slug: str = "leeds") -> Client:
    client = Client(HTTP_HOST=world.host(slug))
    client.force_login(world.user(role, slug))
    return client


def test_a_coordinator_imports_a_file_on_the_page_and_sees_the_counts_and_the_report(world: World) -> None:
    client = _page(world)
    assert 'href="/audiences/e-learning/"' in client.get("/audiences/").content.decode()
    form = client.get("/audiences/e-learning/import/")
    assert form.status_code == 200
    assert 'class="govuk-file-upload"' in form.content.decode()

    done = client.post("/audiences/e-learning/import/", {"provider": PROVIDER, "file": _upload(GOOD_FILE)}, follow=True)

    page = done.content.decode()
    assert done.redirect_chain == [("/audiences/e-learning/", 302)]
    assert "govuk-notification-banner--success" in page
    assert "3 rows imported: 3 new, 0 changed, 0 unchanged; 2 completed." in page
    assert "Agency not recorded" in page
    assert "Prevent awareness" in page
    filtered = client.get("/audiences/e-learning/", {"started_from": "2024-04-01", "started_to": "2024-04-30"})
    assert "Started from 1 April 2024 to 30 April 2024" in filtered.content.decode()


def test_the_import_page_lists_every_wrong_row_in_the_error_summary_and_saves_nothing(world: World) -> None:
    data = (
        "email,module,started_on,completed_on,hours\n"
        "practitioner@leeds.test,Bad,2024-03-01,2024-13-01,2\n"
        "nobody@example.test,Unknown,2024-03-01,,\n"
        "trainer@leeds.test,No hours,2024-03-01,2024-03-02,\n"
    )
    response = _page(world).post("/audiences/e-learning/import/", {"provider": PROVIDER, "file": _upload(data)})

    page = response.content.decode()
    assert response.status_code == 400
    summary = page[page.index("govuk-error-summary") : page.index("</ul>", page.index("govuk-error-summary"))]
    for message in (
        "Row 2: completed_on 2024-13-01 is not a real date: write it like 2024-03-31 or 31/03/2024",
        "Row 3: no one with a role in this board or partnership has the email nobody@example.test",
        "Row 4: Give the hours of learning: they are needed once the module is completed.",
    ):
        assert f'<a href="#id_file">{message}</a>' in summary
    assert "listed at the top of the page. Nothing was imported." in page
    assert _records(world) == []


def test_a_coordinator_adds_changes_and_deletes_a_record_with_the_forms(world: World) -> None:
    client = _page(world)
    fields = {"email": "PRACTITIONER@leeds.test", "module_title": "Prevent", "provider": PROVIDER}

    unknown = client.post(
        "/audiences/e-learning/add/", {**fields, "email": "nobody@example.test", "started_on": "2024-03-01"}
    )
    no_hours = client.post(
        "/audiences/e-learning/add/", {**fields, "started_on": "2024-03-01", "completed_on": "2024-03-02"}
    )
    added = client.post("/audiences/e-learning/add/", {**fields, "started_on": "2024-03-01"})

    assert unknown.status_code == 400
    assert "No one with a role in this board or partnership has this email address" in unknown.content.decode()
    assert no_hours.status_code == 400
    assert "they are needed once the module is completed" in no_hours.content.decode()
    assert added.status_code == 302
    (entry,) = _records(world)
    edit = f"/audiences/e-learning/{entry.pk}/edit/"
    assert 'value="practitioner@leeds.test"' in client.get(edit).content.decode()
    changed = client.post(edit, {**fields, "started_on": "2024-03-01", "completed_on": "2024-03-02", "hours": "1"})
    assert changed.status_code == 302
    assert [row[0] for row in _ledger(world)] == [str(entry.pk)]
    deleted = client.post(f"/audiences/e-learning/{entry.pk}/delete/")
    assert deleted.status_code == 302
    assert (_records(world), _ledger(world)) == ([], [])


def test_a_practitioner_cannot_open_the_e_learning_pages(world: World) -> None:
    entry = _record(world)
    client = _page(world, "practitioner")
    for path in ("/audiences/e-learning/", "/audiences/e-learning/import/", f"/audiences/e-learning/{entry.pk}/edit/"):
        assert client.get(path).status_code == 403
    assert 'href="/audiences/e-learning/"' not in client.get("/audiences/").content.decode()
