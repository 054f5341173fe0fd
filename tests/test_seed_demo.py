"""The demo world: seven boards, three real strategies loaded in full, agencies of every type, people in every
role, charging policies with last month's fees and invoices, evaluations of last month's sessions, and payments
connected on the Stripe stand-in."""

from collections import Counter
from datetime import date, timedelta
from io import StringIO
from typing import Any

import pyotp
import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from shared_apps.accounts.models import Membership, RegionMembership, Role, User
from shared_apps.accounts.services import attempt_sign_in, enable_two_factor_with_secret, verify_totp
from shared_apps.agencies.models import Agency, AgencyType
from shared_apps.audit.models import AuditEvent
from shared_apps.payments.models import ConnectedAccount, FeeEntry
from stripe_standin import StripeStandIn
from tenant_apps.audiences.models import AudienceGroup
from tenant_apps.boardhome.models import BoardSettings
from tenant_apps.boardhome.services import update_board_settings
from tenant_apps.booking.models import Booking
from tenant_apps.charges.models import AgencyTerms, ChargingPolicy, Fee, Invoice
from tenant_apps.demo import data
from tenant_apps.demo.services import current_totp_code, seed_demo
from tenant_apps.evaluation import selectors as evaluation
from tenant_apps.evaluation.models import Answer, Invitation, Response, Stage
from tenant_apps.learning_sources.models import ActivityTheme, LearningActivity, LearningSource, Theme, ThemeEvidence
from tenant_apps.strategy.models import ActionPlan, Kpi, Milestone, PlanItem, SignOff, Strategy, StrategyItem
from tenant_apps.strategy.rules import parse_target
from tenant_apps.strategy.services import update_item, update_strategy
from tenants.cross_board import run_in_board
from tenants.models import Board, Region

pytestmark = pytest.mark.django_db

DEMO_BOARDS = {
    "berkshire-west": (Board.Kind.CHILDREN, "thames-valley"),
    "leeds": (Board.Kind.CHILDREN, "west-yorkshire"),
    "croydon": (Board.Kind.CHILDREN, "london"),
    "bradford": (Board.Kind.CHILDREN, "west-yorkshire"),
    "wakefield": (Board.Kind.CHILDREN, "west-yorkshire"),
    "sutton": (Board.Kind.CHILDREN, "london"),
    "croydon-sab": (Board.Kind.ADULTS, "london"),
}
TWO_FACTOR_ACCOUNTS = ("admin@leeds.demo", "admin@croydon.demo", "admin@berkshire-west.demo", "staff@platform.demo")
CHARGING_BOARDS = ("leeds", "croydon", "berkshire-west")


@pytest.fixture(autouse=True)
def _no_stripe_standin(settings: Any) -> None:
    """Nothing answers here, so seeding skips connecting to payments, whatever else runs on this machine; the test
    of connecting starts a stand-in of its own."""
    settings.STRIPE_API_BASE = "http://127.0.0.1:1"


def _board(slug: str) -> Board:
    return Board.objects.get(slug=slug)


def _strategies(slug: str) -> list[Strategy]:
    return run_in_board(_board(slug), lambda: list(Strategy.objects.all()))


def _charging_counts(slug: str) -> dict[str, int]:
    def count() -> dict[str, int]:
        return {
            "policies": ChargingPolicy.objects.count(),
            "agency terms": AgencyTerms.objects.count(),
            "bookings": Booking.objects.count(),
            "fees": Fee.objects.count(),
            "invoices": Invoice.objects.count(),
        }

    return run_in_board(_board(slug), count)


def _evaluation_counts(slug: str) -> dict[str, int]:
    def count() -> dict[str, int]:
        return {
            "invitations": Invitation.objects.count(),
            "answered": Invitation.objects.filter(answered_at__isnull=False).count(),
            "responses": Response.objects.count(),
            "answers": Answer.objects.count(),
        }

    return run_in_board(_board(slug), count)


def _counts() -> dict[str, object]:
    return {
        **{slug: _document_counts(slug) for slug in EXPECTED},
        **{f"{slug} charging": _charging_counts(slug) for slug in CHARGING_BOARDS},
        **{f"{slug} evaluation": _evaluation_counts(slug) for slug in CHARGING_BOARDS},
        "fee entries": FeeEntry.objects.count(),
        "connected accounts": ConnectedAccount.objects.count(),
        "boards": Board.objects.count(),
        "regions": Region.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "region memberships": RegionMembership.objects.count(),
        "agencies": Agency.objects.count(),
        "strategies created": AuditEvent.objects.filter(action="strategy.created").count(),
        "audit events": AuditEvent.objects.count(),
    }


def test_seed_demo_makes_the_seven_boards_in_their_regions() -> None:
    seed_demo()

    for slug, (kind, region) in DEMO_BOARDS.items():
        board = _board(slug)
        assert (board.kind, board.region.slug if board.region else None) == (kind, region), slug
    assert _board("croydon-sab").name == "Croydon Safeguarding Adults Board"
    assert _board("wakefield").self_term == Board.SelfTerm.PARTNERSHIP
    assert _board("berkshire-west").self_term == Board.SelfTerm.BOARD
    settings = run_in_board(_board("berkshire-west"), lambda: BoardSettings.objects.get())
    assert settings.contact_email == "learning@berkshire-west.demo"
    assert "coaching" in settings.welcome


def test_a_board_that_already_exists_keeps_its_name_and_still_gets_its_strategy_and_people(world: object) -> None:
    leeds_name = _board("leeds").name  # made by the test world with a name of its own

    seed_demo()

    assert _board("leeds").name == leeds_name
    assert [s.title for s in _strategies("leeds")] == [data.LEEDS.title]
    assert Membership.objects.filter(board__slug="leeds", user__email="admin@leeds.demo").exists()


def test_each_strategy_lives_in_its_own_board_with_its_document_control() -> None:
    seed_demo()

    (berkshire,) = _strategies("berkshire-west")
    (leeds,) = _strategies("leeds")
    (croydon,) = _strategies("croydon")
    assert _strategies("bradford") == [] and _strategies("croydon-sab") == []

    periods = {
        s.title: (s.period_start.year, s.period_end.year, s.review_cycle_months) for s in (berkshire, leeds, croydon)
    }
    assert periods == {
        data.BERKSHIRE_WEST.title: (2015, 2020, 60),
        data.LEEDS.title: (2014, 2017, 36),
        data.CROYDON.title: (2017, 2019, 24),
    }
    assert {s.status for s in (berkshire, leeds, croydon)} == {Strategy.Status.ADOPTED}
    assert croydon.adopted_on == date(2017, 3, 16)
    # The document says "Next review due on: February 2018"; the platform counts two years from adoption.
    assert croydon.last_reviewed_on is None and croydon.next_review_due == date(2019, 3, 16)
    assert (croydon.version_label, berkshire.version_label, leeds.version_label) == ("Working Copy", "", "")
    assert croydon.introduction.startswith("We are committed to supporting better outcomes for children")
    assert "- Coaching" in berkshire.introduction and "25 local clusters" in leeds.introduction
    sign_offs = run_in_board(
        _board("croydon"), lambda: list(SignOff.objects.values_list("role", "name", "signed_on", "version_label"))
    )
    assert sign_offs == [("CSCB Independent Chairperson", "Sarah Baker", None, "Working Copy")]


# Per board: strategy content by section, sign-offs, plans and their rows, KPIs, milestones; the board's own
# audience groups; Appendix A's case reviews, themes, activities and links.
EXPECTED = {
    "berkshire-west": {
        "aim": 3,
        "objective": 4,
        "principle": 7,
        "standard": 0,
        "responsibility": 4,
        "sign-offs": 0,
        "plans": 0,
        "plan rows": 0,
        "KPIs": 0,
        "milestones": 0,
        "audience groups 1 to 8": 8,
        "case reviews": 0,
        "themes": 0,
        "learning activities": 0,
        "evidence links": 0,
        "activity links": 0,
    },
    "leeds": {
        "aim": 3,
        "objective": 0,
        "principle": 0,
        "standard": 0,
        "responsibility": 4,
        "sign-offs": 0,
        "plans": 0,
        "plan rows": 0,
        "KPIs": 0,
        "milestones": 0,
        "audience groups 1 to 8": 0,
        "case reviews": 0,
        "themes": 0,
        "learning activities": 0,
        "evidence links": 0,
        "activity links": 0,
    },
    "croydon": {
        "aim": 2,
        "objective": 9,
        "principle": 6,
        "standard": 9,
        "responsibility": 3,
        "sign-offs": 1,
        "plans": 2,
        "plan rows": 13,
        "KPIs": 0,
        "milestones": 0,
        "audience groups 1 to 8": 0,
        "case reviews": 5,
        "themes": 15,
        "learning activities": 17,
        "evidence links": 37,
        "activity links": 50,
    },
}


def _document_counts(slug: str) -> dict[str, int]:
    def count() -> dict[str, int]:
        return {
            **{
                section: StrategyItem.objects.filter(section=section).count() for section in StrategyItem.Section.values
            },
            "sign-offs": SignOff.objects.count(),
            "plans": ActionPlan.objects.count(),
            "plan rows": PlanItem.objects.count(),
            "KPIs": Kpi.objects.count(),
            "milestones": Milestone.objects.count(),
            "audience groups 1 to 8": AudienceGroup.objects.filter(scheme=AudienceGroup.Scheme.GROUP).count(),
            "case reviews": LearningSource.objects.count(),
            "themes": Theme.objects.count(),
            "learning activities": LearningActivity.objects.count(),
            "evidence links": ThemeEvidence.objects.count(),
            "activity links": ActivityTheme.objects.count(),
        }

    return run_in_board(_board(slug), count)


def test_every_part_of_each_document_is_loaded_one_by_one() -> None:
    result = seed_demo()

    for slug, expected in EXPECTED.items():
        assert _document_counts(slug) == expected, slug
    assert result.from_documents["croydon"]["themes"] == 15
    assert result.from_documents["berkshire-west"]["learning principles"] == 7
    # Every piece went through its service, which wrote its audit entry.
    written = {
        "strategy.item_added": 18 + 7 + 29,
        "strategy.signed_off": 1,
        "action_plan.created": 2,
        "plan_item.created": 13,
        "audience_group.created": 8,
        "learning_source.created": 5,
        "theme.created": 15,
        "learning_activity.created": 17,
        "theme.evidence_added": 37,
        "theme.activity_linked": 50,
    }
    assert {action: AuditEvent.objects.filter(action=action).count() for action in written} == written


def _items(slug: str, section: str) -> list[tuple[int, str, str]]:
    return run_in_board(
        _board(slug),
        lambda: list(
            StrategyItem.objects.filter(section=section).order_by("order").values_list("order", "title", "body")
        ),
    )


def test_strategy_content_keeps_the_documents_headings_and_words() -> None:
    seed_demo()

    objectives = _items("berkshire-west", "objective")
    assert [title for _, title, _ in objectives] == [
        "Analysing Needs",
        "Delivering Learning",
        "Marketing Opportunities",
        "Evaluating Outcomes",
    ]
    assert objectives[0][2].startswith("to successfully identify the individual and organisational training needs")
    assert [title for _, title, _ in _items("berkshire-west", "principle")] == [
        "Child-Centred",
        "Equal",
        "Accessible",
        "Sufficient",
        "Collaborative",
        "Substantiated",
        "Evaluated",
    ]
    croydon_principles = _items("croydon", "principle")
    assert croydon_principles[0] == (
        1,
        "Be outcomes focussed",
        "to achieve better outcomes for children, families and practitioners",
    )
    assert _items("croydon", "standard")[-1] == (9, "", "Keeping up to date with knowledge and skills.")
    assert [title for _, title, _ in _items("croydon", "responsibility")] == [
        "Board members",
        "The CSCB",
        "The Learning and Development Subgroup",
    ]
    assert "Multi-agency Training Pool" in [title for _, title, _ in _items("leeds", "responsibility")]
    assert _items("croydon", "objective")[5][2].startswith("Assess the rate of agency engagement")


def _rows(plan_title: str) -> list[PlanItem]:
    return run_in_board(
        _board("croydon"), lambda: list(PlanItem.objects.filter(plan__title=plan_title).order_by("number"))
    )


def test_croydon_appendices_b_and_c_are_action_plans_with_every_cell() -> None:
    seed_demo()

    plans = run_in_board(
        _board("croydon"), lambda: list(ActionPlan.objects.order_by("order").values_list("title", "period_label"))
    )
    assert plans == [
        ("L&D Strategic Priority Planning 2017-19", "2017-19"),
        ("Learning and Development Programme Delivery Plan 2017-18", "2017-18"),
    ]
    priorities = _rows("L&D Strategic Priority Planning 2017-19")
    assert [row.number for row in priorities] == list(range(1, 10))
    second = priorities[1]
    assert (second.target, second.target_date) == ("Q2 2017", date(2017, 6, 30))
    assert second.responsible == "CSCB L&D Co-ordinator and SAB lead"
    assert (priorities[0].target, priorities[0].target_date) == ("April 2017 and Feb 2018", date(2018, 2, 28))
    # The document's <p> fragments are one line each.
    assert priorities[5].action_needed.splitlines() == [
        "Ensure access to and reporting of relevant data",
        "Prepare business case for adopting a non-attendance charging framework",
        "Agree charging rates method and criteria with L&D sub-group",
        "Ensure system development to enable charging (linked to 5.)",
        "Ensure publicity on changes before go live",
    ]
    assert "<" not in "".join(row.action_needed + row.priority for row in priorities)
    assert all(row.target and row.target_date and row.expected_impact for row in priorities)

    delivery = _rows("Learning and Development Programme Delivery Plan 2017-18")
    assert [(row.priority.splitlines()[0], row.target, row.target_date) for row in delivery] == [
        (
            "Develop full Learning and Development offer (full programme will be published on Board website)",
            "April 2017",
            date(2017, 4, 30),
        ),
        ("CSCB Annual Conference", "May 2017", date(2017, 5, 31)),
        ("Revise learning and development offer for", "April 2017", date(2017, 4, 30)),
        ("SCR Learning", "April 2017", date(2017, 4, 30)),
    ]
    assert delivery[2].priority.splitlines()[1:] == [
        "- Impact of Parental Substance Misuse",
        "- Impact of Parental Mental Health",
        "- Thresholds and Early Help",
        "- Engaging Fathers",
    ]


def test_berkshire_west_has_its_audience_groups_1_to_8_beside_the_intercollegiate_levels() -> None:
    seed_demo()

    groups = run_in_board(
        _board("berkshire-west"), lambda: list(AudienceGroup.objects.values_list("scheme", "code", "description"))
    )
    own = [(code, description) for scheme, code, description in groups if scheme == AudienceGroup.Scheme.GROUP]
    assert [code for code, _ in own] == [f"Group {number}" for number in range(1, 9)]
    assert own[4][1] == "Professional advisors, named and designated lead professionals"
    assert own[0][1].startswith("Those who may have infrequent contact with children")
    # Provisioning gave the board the intercollegiate levels; the seed adds to them and deletes nothing.
    assert [code for scheme, code, _ in groups if scheme == AudienceGroup.Scheme.LEVEL] == [
        f"Level {number}" for number in range(1, 6)
    ]


def test_croydon_appendix_a_links_every_theme_to_its_case_reviews_and_activity() -> None:
    seed_demo()

    def matrix() -> dict[str, tuple[list[str], list[str]]]:
        return {
            theme.title: (
                sorted(evidence.source.reference for evidence in theme.evidence.all()),
                sorted(activity.title for activity in theme.activities.all()),
            )
            for theme in Theme.objects.prefetch_related("evidence__source", "activities")
        }

    rows = run_in_board(_board("croydon"), matrix)
    assert len(rows) == 15
    assert rows["Fabricated or Induced Illness"] == (["Children F,G,H"], ["Signs and behaviours of FII"])
    assert rows["Engaging Fathers"] == (
        ["Child LG", "Children Anon", "Children F,G,H"],
        ["Critical Thinking and Risk Assessment", "EH Assessments and Lead Professional", "Lessons from SCRs"],
    )
    assert rows["Information and analysis sharing"][0] == [
        "Child LG",
        "Child P",
        "Child T",
        "Children Anon",
        "Children F,G,H",
    ]
    sources = run_in_board(
        _board("croydon"), lambda: sorted(LearningSource.objects.values_list("title", "reference", "kind", "year"))
    )
    assert sources[0] == ("Serious case review: Child LG", "Child LG", LearningSource.Kind.SERIOUS_CASE_REVIEW, None)
    assert {kind for _, _, kind, _ in sources} == {LearningSource.Kind.SERIOUS_CASE_REVIEW}
    conferences = run_in_board(
        _board("croydon"),
        lambda: sorted(
            LearningActivity.objects.filter(kind=LearningActivity.Kind.CONFERENCE).values_list("title", flat=True)
        ),
    )
    assert conferences == ["Annual Conference", "EH Conference (15/16)", "LADO Conference"]


def test_the_document_data_names_only_sources_and_activities_it_lists() -> None:
    for document in data.STRATEGIES:
        references = {source.reference for source in document.sources}
        titles = [activity.title for activity in document.activities]
        assert len(titles) == len(set(titles)), document.board
        for theme in document.themes:
            assert set(theme.evidence) <= references, theme.title
            assert set(theme.activities) <= set(titles), theme.title
            assert len(theme.activities) == len(set(theme.activities)), theme.title
        for plan in document.plans:
            for row in plan.rows:
                assert parse_target(row.target) is not None, (plan.title, row.number)


def test_there_is_a_demo_agency_of_every_type() -> None:
    seed_demo()

    names = [agency.name for agency in data.AGENCIES]
    types = set(Agency.objects.filter(name__in=names).values_list("agency_type", flat=True))
    assert types == set(AgencyType.values)
    assert Agency.objects.filter(name__in=names).count() == len(names)


def test_every_role_is_held_by_a_demo_account() -> None:
    seed_demo()

    demo = Membership.objects.filter(user__email__endswith=".demo")
    for slug in ("leeds", "croydon", "berkshire-west"):
        assert set(demo.filter(board__slug=slug).values_list("role", flat=True)) == set(Role.values), slug
    assert demo.filter(role=Role.FINANCE, agency__isnull=True).count() == 0
    shared_trainer = demo.filter(user__email="trainer@westyorkshire.demo")
    assert sorted(shared_trainer.values_list("board__slug", "role")) == [
        ("bradford", Role.TRAINER),
        ("leeds", Role.TRAINER),
    ]
    analysts = RegionMembership.objects.filter(user__email__endswith=".demo")
    assert set(analysts.values_list("region__slug", flat=True)) == {"west-yorkshire", "london"}
    assert User.objects.get(email="staff@platform.demo").is_staff


def test_board_admins_and_staff_sign_in_with_the_demo_password_and_the_code_demo_totp_gives() -> None:
    seed_demo()

    for email in TWO_FACTOR_ACCOUNTS:
        user = attempt_sign_in(email, data.DEMO_PASSWORD).user
        assert user is not None and user.has_two_factor, email
        assert verify_totp(user, current_totp_code(email).code), email
    assert attempt_sign_in("practitioner@croydon.demo", data.DEMO_PASSWORD).user is not None


def test_running_it_again_adds_nothing() -> None:
    first = seed_demo()
    before = _counts()

    second = seed_demo()

    assert _counts() == before
    assert first.created["boards"] == 4  # leeds, croydon and bradford are already in the test world
    assert first.created["strategies"] == 3
    assert first.created["action plan rows"] == 13
    assert first.created["non-attendance fees raised"] == 6 and first.created["invoices issued"] == 5
    # Everyone who came to last month's sessions: 3 in Leeds, 2 in Croydon, 2 in Berkshire West.
    assert first.created["reaction evaluations answered"] == 7
    assert first.created["after-course self-assessments answered"] == 7
    assert first.created["before-course self-assessments (imported history)"] == 7
    assert not second.created
    assert second.summary.startswith("Nothing to add")
    assert "The Stripe stand-in does not answer at http://127.0.0.1:1" in second.summary
    assert [row.email for row in second.sign_ins] == [person.email for person in data.PEOPLE]


def test_seeding_again_on_a_later_day_keeps_the_sessions_to_come() -> None:
    """A seed on another day would otherwise add new dates, which fell on the first seed's sessions of other courses
    in the same room (found running the demo again after midnight)."""
    seed_demo()
    before = _counts()
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        later = seed_demo()
    assert later.created["sessions"] == 0
    assert _counts() == before


def test_seeding_again_never_overwrites_what_a_board_changed() -> None:
    seed_demo()
    croydon = _board("croydon")

    def change() -> None:
        update_board_settings(actor=None, welcome="Our own words.")
        update_strategy(Strategy.objects.get(), actor=None, headline="Our own headline.", version_label="")
        update_item(StrategyItem.objects.get(section="standard", order=9), actor=None, body="Our own standard.")

    run_in_board(croydon, change)

    again = seed_demo()

    assert run_in_board(croydon, lambda: BoardSettings.objects.get().welcome) == "Our own words."
    strategy = run_in_board(croydon, lambda: Strategy.objects.get())
    # What the board wrote stays; only what it left blank is filled in again.
    assert (strategy.headline, strategy.version_label) == ("Our own headline.", "Working Copy")
    assert run_in_board(croydon, lambda: StrategyItem.objects.get(section="standard", order=9).body) == (
        "Our own standard."
    )
    assert again.from_documents["croydon"] == Counter({"strategies' details filled in": 1})


def test_the_command_prints_every_sign_in_with_how_to_get_a_two_factor_code() -> None:
    out = StringIO()
    call_command("seed_demo", allow_without_debug=True, stdout=out)

    text = out.getvalue()
    assert (
        "  croydon strategy document: strategies 1, aims 2, objectives 9, learning principles 6, standards 9," in text
    )
    assert "themes 15, theme evidence links 37, theme activity links 50" in text
    for person in data.PEOPLE:
        assert person.email in text
    assert data.DEMO_PASSWORD in text
    for email in TWO_FACTOR_ACCOUNTS:
        assert f"python manage.py demo_totp {email}" in text
    assert User.objects.get(email="admin@leeds.demo").totp_secret in text


def test_the_seed_command_refuses_to_run_with_debug_off_unless_told() -> None:
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.filter(email__endswith=".demo").exists()


def test_demo_totp_prints_the_current_code_for_demo_accounts_only() -> None:
    seed_demo()
    out = StringIO()

    call_command("demo_totp", "Admin@Leeds.demo", stdout=out, stderr=StringIO())

    secret = User.objects.get(email="admin@leeds.demo").totp_secret
    assert out.getvalue().strip() == pyotp.TOTP(secret).now()
    for email in ("board_admin@leeds.test", "coordinator@leeds.demo", "nobody@leeds.demo"):
        with pytest.raises(CommandError):
            call_command("demo_totp", email, stdout=StringIO(), stderr=StringIO())


def test_two_factor_with_a_given_secret_is_logged_once_and_rejects_weak_secrets() -> None:
    user = User.objects.create_user(email="someone@example.test", password=None, full_name="Someone")
    secret = pyotp.random_base32()

    enable_two_factor_with_secret(user, secret)
    enable_two_factor_with_secret(user, secret)

    user.refresh_from_db()
    assert user.has_two_factor and user.totp_secret == secret
    assert AuditEvent.objects.filter(action="account.two_factor_enabled", object_id=str(user.pk)).count() == 1
    for bad in ("TOOSHORT234", "1" * 32):
        with pytest.raises(ValueError):
            enable_two_factor_with_secret(user, bad)


def test_board_settings_changes_are_checked_and_logged(world: object) -> None:
    leeds = _board("leeds")

    def change() -> None:
        update_board_settings(actor=None, contact_email="training@leeds.example", impact_survey_days=90)
        with pytest.raises(ValueError, match="Not a board setting"):
            update_board_settings(actor=None, colour="red")

    run_in_board(leeds, change)

    events = AuditEvent.objects.filter(action="board_settings.updated")
    assert events.count() == 1
    assert list(events.get().changes) == ["contact_email"]


def test_the_demo_offer_has_courses_sessions_a_pool_trainer_and_bookings() -> None:
    from shared_apps.trainers.models import TrainerAssignment
    from tenant_apps.offer.models import Course, Session

    seed_demo()
    leeds = _board("leeds")
    courses = run_in_board(
        leeds, lambda: sorted(Course.objects.filter(status="published").values_list("title", flat=True))
    )
    assert courses == ["Child sexual exploitation: working together", "Neglect: recognising and responding"]
    upcoming = {"session__starts_at__gt": timezone.now()}
    assert (
        run_in_board(leeds, lambda: Session.objects.filter(status="scheduled", starts_at__gt=timezone.now()).count())
        == 4
    )
    statuses = run_in_board(leeds, lambda: sorted(Booking.objects.filter(**upcoming).values_list("status", flat=True)))
    # Aisha's two (the CSE course waits for the line manager's approval) and the one her agency's training
    # manager made for a newly qualified social worker, with an account made for him.
    assert statuses == ["confirmed", "confirmed", "pending"]
    booked_by_manager = run_in_board(
        leeds,
        lambda: list(
            Booking.objects.filter(booked_by__email="team.manager@leeds.demo").values_list(
                "user__email", "agency__name"
            )
        ),
    )
    assert booked_by_manager == [("newly.qualified@leeds.demo", "Leeds City Council Children and Families")]
    held = TrainerAssignment.objects.filter(trainer__user__email="trainer@westyorkshire.demo", board=leeds)
    assert held.count() == 4
    assert run_in_board(_board("croydon"), lambda: Booking.objects.filter(**upcoming).count()) == 1


def _fees(slug: str) -> list[tuple[str, str, str, int, bool, str]]:
    def read() -> list[tuple[str, str, str, int, bool, str]]:
        rows = Fee.objects.select_related("booking__user", "agency").order_by("booking__user__full_name")
        return [
            (fee.booking.user.full_name, fee.agency.name, fee.reason, fee.amount, fee.non_partner_rate, fee.status)
            for fee in rows
        ]

    return run_in_board(_board(slug), read)


def test_last_months_registers_raise_fees_by_each_boards_policy_and_invoice_them() -> None:
    seed_demo()

    policies = {
        slug: run_in_board(_board(slug), lambda: [policy.name for policy in ChargingPolicy.objects.all()])
        for slug in CHARGING_BOARDS
    }
    assert policies == {
        "leeds": ["Demo policy with Leeds' published rates"],
        "croydon": ["Demo policy modelled on Greenwich's"],
        "berkshire-west": ["Demo policy modelled on South Tyneside's"],
    }
    # Leeds: £35 for a 3-hour course, for a no-show and a cancellation on the day. West Yorkshire Police lends the
    # pool trainer and Hillside is a small voluntary group: both exempt; partial attendance is not charged.
    assert _fees("leeds") == [
        ("Mark Sutcliffe", data.LEEDS_HOSPITALS, "late_cancellation", 3500, False, "invoiced"),
        ("Sarah Greenwood", data.LEEDS_HOSPITALS, "no_show", 3500, False, "invoiced"),
    ]
    # Croydon as Greenwich: £40 a half day, £50 for the private nursery, which is not a partner.
    assert _fees("croydon") == [
        ("Chloe Bennett", data.NURSERY, "no_show", 5000, True, "invoiced"),
        ("Kemi Adebayo", data.CROYDON_HEALTH, "late_cancellation", 4000, False, "invoiced"),
    ]
    assert [amount for *_, amount, _, _ in _fees("berkshire-west")] == [2500, 2500]

    invoices = run_in_board(
        _board("leeds"), lambda: list(Invoice.objects.values_list("number", "agency__name", "total", "status"))
    )
    assert invoices == [(1, data.LEEDS_HOSPITALS, 7000, "open")]
    # The trust's finance contact, finance@leeds.demo, sees them at /agency/ through the public mirror.
    hospitals = Agency.objects.get(name=data.LEEDS_HOSPITALS)
    assert sorted(FeeEntry.objects.filter(agency=hospitals).values_list("invoice_number", "amount")) == [
        ("LEEDS-000001", 3500),
        ("LEEDS-000001", 3500),
    ]
    assert Membership.objects.filter(user__email="finance@leeds.demo", role=Role.FINANCE, agency=hospitals).exists()


def test_the_charging_boards_are_connected_to_payments_on_the_stand_in_again_after_it_restarts(settings: Any) -> None:
    with StripeStandIn() as standin:
        settings.STRIPE_API_BASE = standin.url
        first = seed_demo()

        connected = ConnectedAccount.objects.filter(board__slug__in=CHARGING_BOARDS, charges_enabled=True)
        assert connected.count() == 3 and not first.notes
        assert first.created["boards connected to payments (Stripe stand-in)"] == 3
        accounts = set(connected.values_list("stripe_account_id", flat=True))
        assert {account["id"] for account in standin.objects("account")} == accounts

        again = seed_demo()
        assert not again.created and not again.notes

        standin.reset()  # as a restart: the stand-in forgets every account
        after_restart = seed_demo()

    assert after_restart.created == Counter({"boards connected to payments (Stripe stand-in)": 3})
    fresh = ConnectedAccount.objects.filter(board__slug__in=CHARGING_BOARDS, charges_enabled=True)
    assert fresh.count() == 3 and not set(fresh.values_list("stripe_account_id", flat=True)) & accounts


def test_last_months_sessions_are_evaluated_before_and_after_and_leeds_course_is_flagged() -> None:
    seed_demo()
    leeds = _board("leeds")

    def read() -> tuple[dict[Stage, int], list[str], list[float | None], list[str]]:
        by_stage = {
            stage: Response.objects.filter(stage=stage).count()
            for stage in (Stage.BEFORE, Stage.REACTION, Stage.AFTER, Stage.IMPACT)
        }
        (summary,) = evaluation.course_summaries(evaluation.Scope())
        flagged = [flag.course for flag in evaluation.quality_flags().flags]
        named = Response.objects.filter(respondent__isnull=False).values_list("stage", flat=True)
        return by_stage, flagged, [shift.change for shift in summary.shifts], list(named)

    by_stage, flagged, changes, named = run_in_board(leeds, read)
    assert by_stage == {Stage.BEFORE: 3, Stage.REACTION: 3, Stage.AFTER: 3, Stage.IMPACT: 0}
    assert not named  # the default forms are anonymous, the imported history too
    # Every item of knowledge and confidence rose after the course.
    assert len(changes) == 4 and all(change is not None and change > 0 for change in changes)
    # A mean overall rating of 3.33, under Leeds' threshold of 3.5.
    assert flagged == ["Neglect: recognising and responding"]
    texts = run_in_board(
        leeds, lambda: list(Answer.objects.filter(question__key="change_practice").values_list("text", flat=True))
    )
    assert any("neglect toolkit" in text for text in texts)
    # The people of Croydon and Berkshire West liked theirs; two responses are too few to flag a course anyway.
    for slug in ("croydon", "berkshire-west"):
        assert run_in_board(_board(slug), lambda: evaluation.quality_flags().flags) == [], slug
        assert run_in_board(_board(slug), lambda: Response.objects.filter(stage=Stage.REACTION).count()) == 2, slug
