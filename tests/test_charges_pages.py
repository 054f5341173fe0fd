"""The board's fees pages and API: figures for reports and their downloads, the fee list and a fee's actions,
charging policies, agencies' terms, invoices, and connecting the board's Stripe account."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook  # type: ignore[import-untyped]
from pypdf import PdfReader

from conftest import World, api_client
from shared_apps.accounts.middleware import SESSION_KEY
from shared_apps.payments.models import ConnectedAccount
from stripe_standin import StripeStandIn
from tenant_apps.charges import selectors
from tenant_apps.charges import services as charges
from tenant_apps.charges.models import ChargingPolicy, Fee, Invoice
from tests.test_booking import _book, _in, _people, _session
from tests.test_charges import _agency, _close_register, leeds_policy

pytestmark = pytest.mark.django_db
MARCH_2031 = {"from": "2031-03-01", "to": "2031-03-31"}


def _page(world: World, role: str, slug: str = "leeds") -> Client:
    client = Client(HTTP_HOST=world.host(slug))
    client.force_login(world.user(role, slug))
    if role == "board_admin":
        session = client.session
        session[SESSION_KEY] = True  # signed in with the second factor
        session.save()
    return client


def _fees(world: World, marks: list[str], agency_name: str = "Leeds Teaching Hospitals NHS Trust") -> list[Fee]:
    """A session on 4 March 2031 with one person per mark, its register closed: the fees it raised."""
    trust = _agency(agency_name)
    session = _session(world, capacity=10)
    bookings = [_book(world, session, person, agency=trust) for person in _people(len(marks))]
    return _close_register(world, session, dict(zip(bookings, marks, strict=True)))


def _issue(world: World) -> list[Invoice]:
    coordinator = world.user("coordinator", "leeds")
    return _in(
        world,
        "leeds",
        lambda: charges.issue_invoices(period_start=date(2031, 3, 1), period_end=date(2031, 3, 31), actor=coordinator),
    )


def _text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# --- access -----------------------------------------------------------------------------------------------------


def test_every_fees_page_opens_for_a_coordinator_and_is_refused_to_practitioners_and_finance(world: World) -> None:
    leeds_policy(world)
    fee = _fees(world, ["no_show"])[0]
    invoice = _issue(world)[0]
    pages = [
        "/charges/",
        "/charges/?quarter=2030-Q4",
        "/charges/fees/",
        "/charges/fees/?status=invoiced",
        f"/charges/fees/{fee.pk}/",
        "/charges/fees.csv",
        "/charges/fees.xlsx",
        "/charges/policies/",
        "/charges/policies/new/",
        "/charges/agencies/",
        f"/charges/agencies/{fee.agency_id}/",
        "/charges/invoices/",
        f"/charges/invoices/{invoice.pk}/",
        f"/charges/invoices/{invoice.pk}/pdf",
    ]
    coordinator = _page(world, "coordinator")
    for address in pages:
        assert coordinator.get(address).status_code == 200, address
    for role in ("practitioner", "finance", "trainer"):
        client = _page(world, role)
        for address in pages:
            assert client.get(address).status_code == 403, (role, address)
    # Another board's coordinator, and someone signed out.
    assert _page(world, "coordinator", "croydon").get(f"/charges/fees/{fee.pk}/").status_code == 404
    assert Client(HTTP_HOST=world.host("leeds")).get("/charges/").status_code == 302
    # Connecting Stripe is for the board's administrators only.
    assert coordinator.get("/charges/payments/setup/").status_code == 403
    admin = _page(world, "board_admin").get("/charges/payments/setup/")
    assert admin.status_code == 200 and "Set up online payments with Stripe" in admin.content.decode()
    # Managers find the pages from the navigation.
    assert 'href="/charges/">Fees</a>' in coordinator.get("/charges/policies/").content.decode()
    assert "/charges/" not in _page(world, "practitioner").get("/my-bookings/").content.decode()


# --- charging policies ------------------------------------------------------------------------------------------


def _policy_form(**overrides: str) -> dict[str, Any]:
    return {
        "name": "Leeds charging policy 2031",
        "effective_from": "2031-04-01",
        "effective_to": "",
        "currency": "GBP",
        "late_cancellation_working_days": "3",
        "counts": ["no_show", "late_cancellation"],
        "exempt_trainer_agencies": "on",
        "small_group_turnover_limit": "50000",
        "payment_terms_days": "30",
        "rate_1_hours": "4",
        "rate_1_partner": "35.00",
        "rate_1_non_partner": "£50",
        "rate_2_hours": "",
        "rate_2_partner": "50",
        "rate_2_non_partner": "1,075.50",
        "tft_partner": "150",
        "tft_non_partner": "200.00",
    } | overrides


def test_a_policy_is_added_on_the_page_with_amounts_in_pounds_saved_in_pence(world: World) -> None:
    client = _page(world, "coordinator")
    done = client.post("/charges/policies/new/", _policy_form(), follow=True)
    page = done.content.decode()
    assert done.status_code == 200 and "The charging policy “Leeds charging policy 2031” is saved." in page
    policy = _in(world, "leeds", lambda: ChargingPolicy.objects.prefetch_related("rates").get())
    assert (policy.currency, policy.charge_no_shows, policy.charge_late_cancellations) == ("gbp", True, True)
    assert (policy.charge_partial_attendance, policy.exempt_trainer_agencies) == (False, True)
    assert (policy.small_group_turnover_limit, policy.payment_terms_days, policy.effective_to) == (50000, 30, None)
    rates = _in(
        world,
        "leeds",
        lambda: sorted(
            (str(r.up_to_hours), r.training_for_trainers, r.partner_amount, r.non_partner_amount)
            for r in policy.rates.all()
        ),
    )
    assert rates == [("4.00", False, 3500, 5000), ("None", False, 5000, 107550), ("None", True, 15000, 20000)]
    assert "£1,075.50" in page and "Up to 4.00 hours" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"rate_1_partner": "-5"}, "The rate 1 partner fee must be more than £0"),
        ({"rate_1_partner": "0"}, "The rate 1 partner fee must be more than £0"),
        ({"rate_1_non_partner": "abc"}, "Enter the rate 1 non-partner fee in pounds, like 35.00"),
        ({"tft_partner": "35.123"}, "Enter the training for trainers partner fee in pounds and pence, like 35.50"),
        ({"rate_2_non_partner": ""}, "Enter both amounts for this rate, or neither"),
        ({"rate_1_hours": "-1"}, "A session length must be more than 0 hours"),
        (
            {f"{row}_{part}": "" for row in ("rate_1", "rate_2", "tft") for part in ("partner", "non_partner")}
            | {"rate_1_hours": ""},
            "Give at least one rate.",
        ),
        ({"rate_2_hours": "4"}, "Give each session length only one rate."),
        ({"currency": "EUR"}, "“eur” is not a currency we charge in: use GBP (pounds)."),
        ({"effective_to": "2031-03-01"}, "The end date must be on or after the start date."),
        ({"effective_from": "2031-02-30"}, "Date the policy starts must be a real date"),
        ({"name": ""}, "Enter a name for the policy"),
        ({"payment_terms_days": "0"}, "An invoice must give at least 1 day to pay"),
    ],
)
def test_bad_policy_input_is_shown_on_the_form_and_saves_nothing(
    world: World, overrides: dict[str, str], message: str
) -> None:
    response = _page(world, "coordinator").post("/charges/policies/new/", _policy_form(**overrides))
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and message in page
    assert _in(world, "leeds", lambda: ChargingPolicy.objects.count()) == 0


def test_an_overlapping_policy_shows_the_services_message_and_a_policy_is_ended_by_date(world: World) -> None:
    policy = leeds_policy(world)  # from 1 April 2030, open-ended
    client = _page(world, "coordinator")
    overlap = client.post("/charges/policies/new/", _policy_form(name="Revision"))
    assert overlap.status_code == 400
    assert "These dates overlap “Leeds charging policy 2031” (from 01 April 2030 with no end date)" in (
        overlap.content.decode()
    )
    too_early = client.post(f"/charges/policies/{policy.pk}/end/", {"effective_to": "2030-03-31"})
    assert too_early.status_code == 400 and "A policy cannot end before it starts." in too_early.content.decode()
    ended = client.post(f"/charges/policies/{policy.pk}/end/", {"effective_to": "2031-03-31"}, follow=True)
    assert "“Leeds charging policy 2031” ends on 31 March 2031." in ended.content.decode()
    added = client.post("/charges/policies/new/", _policy_form(name="Revision"), follow=True)
    assert "The charging policy “Revision” is saved." in added.content.decode()
    assert _in(world, "leeds", lambda: ChargingPolicy.objects.count()) == 2


# --- agencies ---------------------------------------------------------------------------------------------------


def test_agency_terms_are_listed_and_changed_with_the_reason_for_an_exemption(world: World) -> None:
    leeds_policy(world)
    fee = _fees(world, ["no_show"], "Little Acorns Youth Club")[0]
    client = _page(world, "coordinator")
    assert "Little Acorns Youth Club" in client.get("/charges/agencies/").content.decode()
    missing = client.post(f"/charges/agencies/{fee.agency_id}/", {"is_partner": "on", "exempt": "on"})
    assert missing.status_code == 400 and "Say why the agency is exempt: it is recorded." in missing.content.decode()
    saved = client.post(
        f"/charges/agencies/{fee.agency_id}/",
        {"declared_turnover": "20000", "exempt": "on", "exempt_reason": "Run by volunteers"},
        follow=True,
    )
    page = saved.content.decode()
    assert "The terms for Little Acorns Youth Club are saved." in page
    assert "Non-partner" in page and "Run by volunteers" in page and "£20000" in page
    assert client.get("/charges/agencies/999999/").status_code == 404


# --- a fee's actions --------------------------------------------------------------------------------------------


def test_waiving_disputing_and_resolving_fees_through_their_pages_with_the_history(world: World) -> None:
    leeds_policy(world)
    first, second, third = _fees(world, ["no_show", "no_show", "partial"])
    client = _page(world, "coordinator")

    blank = client.post(f"/charges/fees/{first.pk}/waive/", {"waive-reason": " "})
    assert blank.status_code == 400 and "Say why the fee is waived" in blank.content.decode()
    waived = client.post(f"/charges/fees/{first.pk}/waive/", {"waive-reason": "Snow closed the roads"}, follow=True)
    assert "The fee is waived." in waived.content.decode()
    again = client.post(f"/charges/fees/{first.pk}/waive/", {"waive-reason": "Twice"})
    assert again.status_code == 400 and "This fee is waived: it cannot be waived." in again.content.decode()

    client.post(f"/charges/fees/{second.pk}/dispute/", {"dispute-reason": "She signed in late"})
    unresolved = client.post(f"/charges/fees/{second.pk}/resolve/", {"resolve-note": "Checked"})
    assert unresolved.status_code == 400 and "Choose the outcome of the dispute" in unresolved.content.decode()
    client.post(f"/charges/fees/{second.pk}/resolve/", {"resolve-outcome": "uphold", "resolve-note": "Not on sheet"})
    client.post(f"/charges/fees/{third.pk}/dispute/", {"dispute-reason": "Left for an emergency"})
    client.post(f"/charges/fees/{third.pk}/resolve/", {"resolve-outcome": "waive", "resolve-note": "Fair"})
    # Only a fee paid online can be refunded: the page says so rather than failing.
    refused = client.post(f"/charges/fees/{second.pk}/refund/", {"refund-reason": "Goodwill"})
    assert refused.status_code == 400 and "Only a fee paid online can be refunded here." in refused.content.decode()

    states = _in(world, "leeds", lambda: dict(Fee.objects.values_list("pk", "status")))
    assert [states[fee.pk] for fee in (first, second, third)] == ["waived", "raised", "waived"]
    history = client.get(f"/charges/fees/{second.pk}/").content.decode()
    assert "disputed: She signed in late" in history and "upheld: the fee stands: Not on sheet" in history
    assert "Coordinator leeds" in history
    listed = client.get("/charges/fees/?status=waived").content.decode()
    assert listed.count('<strong class="govuk-tag govuk-tag--grey">Waived</strong>') == 2
    assert _page(world, "practitioner").post(
        f"/charges/fees/{second.pk}/waive/", {"waive-reason": "x"}
    ).status_code == (403)


# --- figures for reports ----------------------------------------------------------------------------------------


def test_report_figures_count_non_attendances_and_fees_and_the_collection_rate_follows(world: World) -> None:
    leeds_policy(world, charge_partial_attendance=True)
    fees = _fees(world, ["no_show", "no_show", "partial", "late_cancellation", "attended"])
    coordinator = world.user("coordinator", "leeds")
    _in(world, "leeds", lambda: charges.waive(fees[0], reason="Snow", actor=coordinator))
    _in(world, "leeds", lambda: charges.dispute(fees[1], reason="Was there", actor=coordinator))

    def read() -> tuple[selectors.FeeFigures, int]:
        with CaptureQueriesContext(connection) as queries:
            found = selectors.figures(date(2031, 3, 1), date(2031, 3, 31))
        # Counted without the schema switches django-tenants makes before each query.
        return found, sum(1 for query in queries.captured_queries if query["sql"].startswith("SELECT"))

    figures, query_count = _in(world, "leeds", read)
    assert query_count == 2, query_count
    assert (figures.no_shows, figures.late_cancellations, figures.partial, figures.non_attendances) == (2, 1, 1, 4)
    assert (figures.requested_count, figures.requested) == (4, 14000)
    assert (figures.waived_count, figures.waived, figures.paid, figures.refunded) == (1, 3500, 0, 0)
    assert (figures.outstanding_count, figures.outstanding) == (3, 10500)
    assert figures.collection_rate == 0.0 and figures.collectable == 10500
    # By quarter: March 2031 is in the fourth quarter of 2030-31; the quarters before it are empty.
    quarters = selectors.recent_quarters(date(2031, 3, 15), 4)
    assert [q.key for q in quarters] == ["2030-Q1", "2030-Q2", "2030-Q3", "2030-Q4"]
    trend = _in(world, "leeds", lambda: selectors.figures_by_quarter(quarters))
    assert [(row.requested, row.waived, row.non_attendances) for row in trend] == [
        (0, 0, 0),
        (0, 0, 0),
        (0, 0, 0),
        (14000, 3500, 4),
    ]
    assert trend[0].collection_rate is None

    client = _page(world, "coordinator")
    page = client.get("/charges/", {"quarter": "2030-Q4"}).content.decode()
    assert "January to March 2031" in page and "Collection rate: 0%" in page and "£105.00" in page
    custom = client.get("/charges/", MARCH_2031).content.decode()
    assert "1 March 2031 to 31 March 2031" in custom and "£140.00" in custom
    empty = client.get("/charges/", {"from": "2031-06-01", "to": "2031-06-30"}).content.decode()
    assert "Collection rate: no fees to collect" in empty
    wrong = client.get("/charges/", {"from": "2031-06-30", "to": "2031-06-01"})
    assert wrong.status_code == 400 and "The end of the period must be the same as or after its start" in (
        wrong.content.decode()
    )
    assert '<svg role="img"' in page and "Fees requested and paid in each of the last four quarters" in page


def test_the_fee_list_downloads_as_csv_and_xlsx_with_formulas_made_harmless(world: World) -> None:
    leeds_policy(world)
    _fees(world, ["no_show", "partial"], "=SUM(A1) Trust")
    client = _page(world, "coordinator")

    response = client.get("/charges/fees.csv", MARCH_2031)
    assert response["Content-Disposition"] == 'attachment; filename="fees-2031-03-01-2031-03-31.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:8] == ["Person", "Email", "Agency", "Course", "Session date", "Reason", "Amount (£)", "Status"]
    assert sorted((row[0], row[2], row[4], row[5], row[6], row[7]) for row in rows[1:]) == [
        ("Worker 0", "'=SUM(A1) Trust", "2031-03-04", "Did not attend", "35.00", "Raised"),
        ("Worker 1", "'=SUM(A1) Trust", "2031-03-04", "Arrived late or left early", "35.00", "Raised"),
    ]
    april = client.get("/charges/fees.csv", {"from": "2031-04-01", "to": "2031-04-30"})
    assert len(list(csv.reader(io.StringIO(april.content.decode("utf-8-sig"))))) == 1  # the headings only

    xlsx = client.get("/charges/fees.xlsx", MARCH_2031)
    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Person" and len(values) == 3
    assert {row[2] for row in values[1:]} == {"'=SUM(A1) Trust"}
    assert sheet["C2"].data_type == "s" and float(values[1][6]) == 35.0
    assert client.get("/charges/fees.csv", {"from": "not a date"}).status_code == 400


# --- invoices ---------------------------------------------------------------------------------------------------


def test_invoices_are_issued_on_the_page_listed_and_printed(world: World) -> None:
    leeds_policy(world)
    _fees(world, ["no_show", "no_show"], "Airedale NHS Trust")
    client = _page(world, "coordinator")
    backwards = client.post("/charges/invoices/issue/", {"period_start": "2031-03-31", "period_end": "2031-03-01"})
    assert backwards.status_code == 400
    assert "The last day must be the same as or after the first day" in backwards.content.decode()
    issued = client.post(
        "/charges/invoices/issue/", {"period_start": "2031-03-01", "period_end": "2031-03-31"}, follow=True
    )
    page = issued.content.decode()
    assert "Issued 1 invoice for 2 fees." in page and "Airedale NHS Trust" in page and "£70.00" in page
    again = client.post(
        "/charges/invoices/issue/", {"period_start": "2031-03-01", "period_end": "2031-03-31"}, follow=True
    )
    assert "Nothing to invoice" in again.content.decode()

    invoice = _in(world, "leeds", lambda: Invoice.objects.get())
    reference = _in(world, "leeds", lambda: charges.invoice_reference(invoice.number))
    detail = client.get(f"/charges/invoices/{invoice.pk}/").content.decode()
    assert f"Invoice {reference}" in detail and "Worker 1" in detail
    pdf = client.get(f"/charges/invoices/{invoice.pk}/pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = _text(pdf.content)
    assert f"Invoice {reference}" in text and "Airedale NHS Trust" in text and "£70.00" in text
    assert "/agency/" in text and "Pay online at" in text
    assert client.get("/charges/fees/?status=invoiced").content.decode().count(reference) == 2


# --- connecting Stripe ------------------------------------------------------------------------------------------


def test_a_board_admin_connects_stripe_and_sees_when_payments_are_on(world: World) -> None:
    admin = _page(world, "board_admin")
    with StripeStandIn() as standin, override_settings(STRIPE_API_BASE=standin.url):
        started = admin.post("/charges/payments/setup/")
        assert started.status_code == 303 and started["Location"].startswith(standin.url)
        account = ConnectedAccount.objects.get(board=world.boards["leeds"])
        returned = admin.get("/charges/payments/setup/?returned=1").content.decode()
        assert "Stripe has not finished checking the account yet" in returned
        standin.onboard(account.stripe_account_id)
        done = admin.get("/charges/payments/setup/?returned=1").content.decode()
    assert "Agencies can pay this" in done and account.stripe_account_id in done


def test_stripe_out_of_reach_shows_a_message_not_an_error_page(world: World) -> None:
    admin = _page(world, "board_admin")
    with override_settings(STRIPE_API_BASE="http://127.0.0.1:9"):
        response = admin.post("/charges/payments/setup/")
    assert response.status_code == 200 and "Stripe could not be reached" in response.content.decode()
    assert not ConnectedAccount.objects.filter(board=world.boards["leeds"]).exists()


# --- the API ----------------------------------------------------------------------------------------------------


def test_the_api_lists_filters_and_changes_fees(world: World) -> None:
    leeds_policy(world)
    first, second = _fees(world, ["no_show", "partial"])
    api = api_client(world.user("coordinator", "leeds"), world.host("leeds"))
    listed = api.get("/api/v1/fees/").json()
    assert {row["id"] for row in listed["results"]} == {str(first.pk), str(second.pk)}
    row = next(row for row in listed["results"] if row["id"] == str(first.pk))
    assert (row["amount"], row["reason"], row["status"], row["session_date"]) == (
        3500,
        "no_show",
        "raised",
        "2031-03-04",
    )
    assert api.get("/api/v1/fees/", {"reason": "partial"}).json()["count"] == 1
    assert api.get("/api/v1/fees/", {"agency": first.agency_id + 1000}).json()["count"] == 0
    bad = api.get("/api/v1/fees/", {"status": "lost"})
    assert bad.status_code == 400 and "status" in bad.json()["error"]["fields"]

    blank = api.post(f"/api/v1/fees/{first.pk}/waive/", {"reason": ""}, format="json")
    assert blank.status_code == 400 and blank.json()["error"]["fields"]["reason"] == [
        "Say why the fee is waived: it is recorded."
    ]
    assert api.post(f"/api/v1/fees/{first.pk}/waive/", {"reason": "Snow"}, format="json").json()["status"] == "waived"
    disputed = api.post(f"/api/v1/fees/{second.pk}/dispute/", {"reason": "Was there"}, format="json")
    assert disputed.json()["status"] == "disputed"
    resolved = api.post(f"/api/v1/fees/{second.pk}/resolve/", {"uphold": True, "note": "Not seen"}, format="json")
    assert resolved.json()["status"] == "raised" and resolved.json()["resolution"] == "Not seen"
    practitioner = api_client(world.user("practitioner", "leeds"), world.host("leeds"))
    assert practitioner.get("/api/v1/fees/").status_code == 403
    assert practitioner.post(f"/api/v1/fees/{second.pk}/waive/", {"reason": "x"}, format="json").status_code == 403
    assert api.get("/api/v1/invoices/").json()["count"] == 0


def _policy_body(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Leeds charging policy 2031",
        "effective_from": "2031-04-01",
        "rates": [
            {"up_to_hours": "4", "partner_amount": 3500, "non_partner_amount": 5000},
            {"partner_amount": 5000, "non_partner_amount": 7500},
            {"training_for_trainers": True, "partner_amount": 15000, "non_partner_amount": 20000},
        ],
    } | overrides


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"rates": [{"partner_amount": -5, "non_partner_amount": 5000}]},
            "rates",
            "Every amount must be more than £0.",
        ),
        ({"rates": [{"partner_amount": 3500, "non_partner_amount": 0}]}, "rates", "Every amount must be more than £0."),
        ({"rates": []}, "rates", "Give at least one rate."),
        ({"currency": "xyz"}, "currency", "“xyz” is not a currency we charge in: use GBP (pounds)."),
        ({"effective_from": "2030-06-01"}, "effective_from", "These dates overlap “Leeds charging policy 2031”"),
        ({"effective_to": "2031-01-01"}, "effective_to", "The end date must be on or after the start date."),
        ({"rates": [{"partner_amount": "lots", "non_partner_amount": 5000}]}, "rates", "A valid integer is required."),
        ({"colour": "red"}, "colour", "This field is not recognised"),
    ],
)
def test_the_api_refuses_bad_policies_with_a_clear_400_and_saves_nothing(
    world: World, overrides: dict[str, Any], field: str, message: str
) -> None:
    leeds_policy(world, effective_to=date(2031, 3, 31))
    api = api_client(world.user("coordinator", "leeds"), world.host("leeds"))
    response = api.post("/api/v1/charging-policies/", _policy_body(**overrides), format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and message in " ".join(error["fields"][field]) + error["message"]
    assert _in(world, "leeds", lambda: ChargingPolicy.objects.count()) == 1


def test_the_api_adds_a_policy_and_reports_figures(world: World) -> None:
    api = api_client(world.user("coordinator", "leeds"), world.host("leeds"))
    created = api.post("/api/v1/charging-policies/", _policy_body(effective_from="2030-04-01"), format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["currency"] == "gbp" and body["fee_count"] == 0
    assert sorted(rate["partner_amount"] for rate in body["rates"]) == [3500, 5000, 15000]
    assert api.get("/api/v1/charging-policies/").json()["count"] == 1

    fees = _fees(world, ["no_show", "late_cancellation"])
    api.post(f"/api/v1/fees/{fees[0].pk}/waive/", {"reason": "Snow"}, format="json")
    figures = api.get("/api/v1/fee-figures/", {"from": "2031-01-01", "to": "2031-03-31"}).json()
    assert figures["from"] == "2031-01-01" and figures["to"] == "2031-03-31"
    assert (figures["no_shows"], figures["late_cancellations"], figures["non_attendances"]) == (1, 1, 2)
    assert (figures["requested"], figures["waived"], figures["outstanding"]) == (7000, 3500, 3500)
    assert figures["collection_rate"] == 0.0
    half = api.get("/api/v1/fee-figures/", {"from": "2031-01-01"})
    assert half.status_code == 400 and half.json()["error"]["fields"]["to"] == ["Give both dates, or neither."]
    assert api.get("/api/v1/fee-figures/", {"from": "2031-03-31", "to": "2031-01-01"}).status_code == 400


def test_the_api_never_lists_another_boards_fees(world: World) -> None:
    leeds_policy(world, slug="croydon")
    trust = _agency("Croydon Health Services NHS Trust")
    session = _session(world, "croydon", capacity=5)
    booking = _book(world, session, _people(1)[0], "croydon", agency=trust)
    croydon_fee = _close_register(world, session, {booking: "no_show"}, "croydon")[0]
    leeds = api_client(world.user("coordinator", "leeds"), world.host("leeds"))
    assert leeds.get("/api/v1/fees/").json()["results"] == []
    assert leeds.get(f"/api/v1/fees/{croydon_fee.pk}/").status_code == 404
    assert leeds.post(f"/api/v1/fees/{croydon_fee.pk}/waive/", {"reason": "x"}, format="json").status_code == 404
    croydon = api_client(world.user("coordinator", "croydon"), world.host("croydon"))
    assert [row["id"] for row in croydon.get("/api/v1/fees/").json()["results"]] == [str(croydon_fee.pk)]
    assert croydon.get("/api/v1/fees/", HTTP_HOST=world.host("leeds")).status_code == 403


def test_the_board_api_schema_describes_the_charging_routes(world: World) -> None:
    response = api_client(None, world.host("leeds")).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/v1/fees/", "/api/v1/fees/{id}/waive/", "/api/v1/charging-policies/", "/api/v1/fee-figures/"):
        assert path in paths, path
