"""Loading the demo world (tenant_apps.demo.data) through the platform's own services.

Idempotent: whatever already exists is left as it is, so running it again adds nothing and never undoes what
someone changed while trying the demo. Each thing is looked for by its natural key: a board by slug, a strategy
by title (blank introduction, headline or version filled in), its content by section and number, a sign-off by
role and name, an action plan by title and its rows by number, an audience group by code, a case review by kind
and reference, a theme or learning activity by title, a link by its pair, an agency by name, an account by email,
a role by board and role, a setting when it is blank.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import asdict, dataclass, field

import pyotp
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from shared_apps.accounts.models import Membership, RegionMembership, Role, User
from shared_apps.accounts.services import (
    create_user,
    enable_two_factor_with_secret,
    grant_membership,
    grant_region_role,
)
from shared_apps.agencies.models import Agency
from shared_apps.agencies.services import create_agency
from tenant_apps.audiences.models import AudienceGroup
from tenant_apps.audiences.services import create_group
from tenant_apps.boardhome.services import board_settings, update_board_settings
from tenant_apps.demo import charges as demo_charges
from tenant_apps.demo import data
from tenant_apps.demo import evaluation as demo_evaluation
from tenant_apps.demo import offer as demo_offer
from tenant_apps.demo.documents import StrategyData
from tenant_apps.learning_sources.models import LearningActivity, LearningSource, Theme
from tenant_apps.learning_sources.services import (
    create_activity,
    create_source,
    create_theme,
    link_activity,
    link_evidence,
)
from tenant_apps.strategy.models import Strategy
from tenant_apps.strategy.services import (
    add_item,
    add_plan_item,
    add_sign_off,
    create_plan,
    create_strategy,
    update_strategy,
)
from tenants.cross_board import run_in_board
from tenants.models import Board, Region
from tenants.services import BoardSpec, provision_board

TOTP_COMMAND = ".venv/bin/python manage.py demo_totp"


class DemoAccountError(Exception):
    """Asked for a two-factor code for an account that is not a demo account with two-factor sign-in."""


@dataclass(frozen=True)
class SignIn:
    email: str
    roles: str
    boards: str
    password: str
    totp_secret: str  # empty unless the account signs in with a second factor


@dataclass
class SeedResult:
    created: Counter[str] = field(default_factory=Counter)  # everything, summed over the boards
    from_documents: dict[str, Counter[str]] = field(default_factory=dict)  # by board slug: its document's parts
    sign_ins: list[SignIn] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what could not be done, for the person seeding

    @property
    def summary(self) -> str:
        notes = [f"Note: {note}" for note in self.notes]
        if not self.created:
            return "\n".join(["Nothing to add: the demo data is already in place.", *notes])
        document_parts = {what for added in self.from_documents.values() for what in added}
        lines = ["Added:"]
        lines += [f"  {what}: {count}" for what, count in self.created.items() if what not in document_parts]
        # Board by board, so each strategy's content can be checked against its document.
        for slug, added in self.from_documents.items():
            if added:
                lines.append(
                    f"  {slug} strategy document: " + ", ".join(f"{what} {count}" for what, count in added.items())
                )
        return "\n".join([*lines, *notes])


@dataclass(frozen=True)
class TotpCode:
    code: str
    seconds_left: int


def seed_demo() -> SeedResult:
    """Create whatever of the demo world is missing, in one transaction, and list the demo sign-ins."""
    result = SeedResult()
    with transaction.atomic():
        regions = _ensure_regions(result.created)
        boards = _ensure_boards(regions, result.created)
        for board_data in data.BOARDS:
            run_in_board(boards[board_data.slug], functools.partial(_fill_settings, board_data, result.created))
        for document in data.STRATEGIES:
            added = result.from_documents.setdefault(document.board, Counter())
            run_in_board(boards[document.board], functools.partial(_ensure_document, document, added))
            result.created.update(added)
        agencies = _ensure_agencies(result.created)
        _ensure_people(boards, regions, agencies, result.created)
        trainer = demo_offer.ensure_pool_trainer(boards, agencies[data.WEST_YORKSHIRE_POLICE], result.created)
        for slug in demo_offer.COURSES:
            run_in_board(boards[slug], functools.partial(demo_offer.ensure_offer, slug, trainer, result.created))
        for slug in demo_charges.POLICIES:
            run_in_board(boards[slug], functools.partial(demo_charges.ensure_charges, slug, agencies, result.created))
        for slug in demo_evaluation.FEEDBACK:
            run_in_board(boards[slug], functools.partial(demo_evaluation.ensure_evaluations, slug, result.created))
    # After the commit: Stripe is outside the database, and the stand-in's webhook reads the account row back.
    result.notes = demo_charges.connect_payments(boards, result.created)
    result.sign_ins = demo_sign_ins()
    return result


def _ensure_regions(created: Counter[str]) -> dict[str, Region]:
    regions: dict[str, Region] = {}
    for region_data in data.REGIONS:
        region = (
            Region.objects.filter(slug=region_data.slug).first() or Region.objects.filter(name=region_data.name).first()
        )
        if region is None:
            # Regions have no service of their own: a row with a name and a slug, nothing to check or log.
            region = Region.objects.create(slug=region_data.slug, name=region_data.name)
            created["regions"] += 1
        regions[region_data.slug] = region
    return regions


def _ensure_boards(regions: dict[str, Region], created: Counter[str]) -> dict[str, Board]:
    boards: dict[str, Board] = {}
    for board_data in data.BOARDS:
        board = Board.objects.filter(slug=board_data.slug).first()
        if board is None:
            spec = BoardSpec(
                name=board_data.name,
                slug=board_data.slug,
                kind=board_data.kind,
                self_term=board_data.self_term,
                region=regions[board_data.region],
                description=board_data.description,
            )
            board = provision_board(spec, actor=None)
            created["boards"] += 1
        boards[board_data.slug] = board
    return boards


def _fill_settings(board_data: data.BoardData, created: Counter[str]) -> None:
    """Fill in the contact address and welcome where they are blank; never overwrite what a board wrote."""
    current = board_settings()
    wanted = {"contact_email": board_data.contact_email, "welcome": board_data.welcome}
    blanks = {name: value for name, value in wanted.items() if not getattr(current, name)}
    if blanks:
        update_board_settings(actor=None, **blanks)
        created["boards' settings filled in"] += 1


# A strategy that exists gets these filled in where they are blank.
TEXT_FIELDS = ("headline", "introduction", "version_label")
# How the summary names what was added, by StrategyItem section.
SECTION_COUNTS = {
    "aim": "aims",
    "objective": "objectives",
    "principle": "learning principles",
    "standard": "standards",
    "responsibility": "roles and responsibilities",
}


def _ensure_document(document: StrategyData, created: Counter[str]) -> None:
    """Everything the board's strategy document gives, each piece checked by its natural key first."""
    strategy = _ensure_strategy(document, created)
    _ensure_content(strategy, document, created)
    _ensure_sign_offs(strategy, document, created)
    _ensure_plans(strategy, document, created)
    _ensure_audience_groups(document, created)
    _ensure_review_learning(document, created)


def _ensure_strategy(document: StrategyData, created: Counter[str]) -> Strategy:
    fields = {
        "title": document.title,
        "period_start": document.period_start,
        "period_end": document.period_end,
        "adopted_on": document.adopted_on,
        "review_cycle_months": document.review_cycle_months,
        "headline": document.headline,
        "introduction": document.introduction,
        "version_label": document.version_label,
    }
    strategy = Strategy.objects.filter(title=document.title).first()
    if strategy is None:
        created["strategies"] += 1
        return create_strategy(actor=None, status=Strategy.Status.ADOPTED, **fields)
    # Like the board settings: fill in what is blank, never overwrite what a board wrote.
    blanks = {name: fields[name] for name in TEXT_FIELDS if fields[name] and not getattr(strategy, name)}
    if blanks:
        strategy = update_strategy(strategy, actor=None, **blanks)
        created["strategies' details filled in"] += 1
    return strategy


def _ensure_content(strategy: Strategy, document: StrategyData, created: Counter[str]) -> None:
    present = set(strategy.items.values_list("section", "order"))
    for section, items in document.content.items():
        for order, item in enumerate(items, start=1):
            if (section, order) not in present:
                add_item(strategy, actor=None, section=section, order=order, title=item.title, body=item.body)
                created[SECTION_COUNTS[section]] += 1


def _ensure_sign_offs(strategy: Strategy, document: StrategyData, created: Counter[str]) -> None:
    present = set(strategy.sign_offs.values_list("role", "name"))
    for sign_off in document.sign_offs:
        if (sign_off.role, sign_off.name) not in present:
            add_sign_off(strategy, actor=None, **asdict(sign_off))
            created["sign-offs"] += 1


def _ensure_plans(strategy: Strategy, document: StrategyData, created: Counter[str]) -> None:
    for order, plan_data in enumerate(document.plans, start=1):
        plan = strategy.plans.filter(title=plan_data.title).first()
        if plan is None:
            plan = create_plan(
                strategy, actor=None, title=plan_data.title, period_label=plan_data.period_label, order=order
            )
            created["action plans"] += 1
        numbers = set(plan.items.values_list("number", flat=True))
        for row in plan_data.rows:
            if row.number not in numbers:
                add_plan_item(plan, actor=None, **asdict(row))
                created["action plan rows"] += 1


def _ensure_audience_groups(document: StrategyData, created: Counter[str]) -> None:
    # A board's own groups come after the intercollegiate levels every new board starts with: health staff in
    # the area are held to those levels, and the groups of the strategy set no hours of their own.
    for group in document.audience_groups:
        if not AudienceGroup.objects.filter(code__iexact=group.code).exists():
            create_group(actor=None, scheme=AudienceGroup.Scheme.GROUP, **asdict(group))
            created["audience groups"] += 1


def _ensure_review_learning(document: StrategyData, created: Counter[str]) -> None:
    """The case reviews, themes and learning activity of a "themes linked to L&D activity" table."""
    sources: dict[str, LearningSource] = {}
    for source_data in document.sources:
        source = LearningSource.objects.filter(kind=source_data.kind, reference=source_data.reference).first()
        if source is None:
            source = create_source(
                actor=None,
                kind=source_data.kind,
                reference=source_data.reference,
                title=f"{LearningSource.Kind(source_data.kind).label}: {source_data.reference}",
            )
            created["case reviews"] += 1
        sources[source_data.reference] = source
    activities: dict[str, LearningActivity] = {}
    for activity_data in document.activities:
        activity = LearningActivity.objects.filter(title__iexact=activity_data.title).first()
        if activity is None:
            activity = create_activity(actor=None, title=activity_data.title, kind=activity_data.kind)
            created["learning activities"] += 1
        activities[activity_data.title] = activity
    for order, theme_data in enumerate(document.themes, start=1):
        theme = Theme.objects.filter(title__iexact=theme_data.title).first()
        if theme is None:
            theme = create_theme(actor=None, title=theme_data.title, order=order)
            created["themes"] += 1
        raised_by = set(theme.evidence.values_list("source_id", flat=True))
        for reference in theme_data.evidence:
            if sources[reference].pk not in raised_by:
                link_evidence(theme, actor=None, source=sources[reference])
                created["theme evidence links"] += 1
        answered_by = set(theme.activity_links.values_list("activity_id", flat=True))
        for title in theme_data.activities:
            if activities[title].pk not in answered_by:
                link_activity(activities[title], theme, actor=None)
                created["theme activity links"] += 1


def _ensure_agencies(created: Counter[str]) -> dict[str, Agency]:
    names = [agency_data.name for agency_data in data.AGENCIES]
    agencies = {agency.name: agency for agency in Agency.objects.filter(name__in=names)}
    for agency_data in data.AGENCIES:
        if agency_data.name not in agencies:
            agencies[agency_data.name] = create_agency(name=agency_data.name, agency_type=agency_data.agency_type)
            created["agencies"] += 1
    return agencies


def _ensure_people(
    boards: dict[str, Board], regions: dict[str, Region], agencies: dict[str, Agency], created: Counter[str]
) -> None:
    for person in data.PEOPLE:
        user = User.objects.filter(email=person.email).first()
        if user is None:
            validate_password(data.DEMO_PASSWORD, User(email=person.email, full_name=person.full_name))
            user = create_user(person.email, person.full_name, data.DEMO_PASSWORD, is_staff=person.is_staff)
            created["accounts"] += 1
        for board_role in person.roles:
            board = boards[board_role.board]
            if not Membership.objects.filter(user=user, board=board, role=board_role.role).exists():
                agency_id = agencies[board_role.agency].pk if board_role.agency else None
                grant_membership(user, board, board_role.role, agency_id=agency_id)
                created["board roles"] += 1
        for region_slug in person.analyst_for:
            region = regions[region_slug]
            if not RegionMembership.objects.filter(user=user, region=region).exists():
                grant_region_role(user, region)
                created["regional analyst roles"] += 1
        # An account that already has two-factor sign-in keeps its own secret (the sign-in list shows it).
        if person.totp_secret and not user.has_two_factor:
            enable_two_factor_with_secret(user, person.totp_secret)
            created["two-factor set-ups"] += 1


def demo_sign_ins() -> list[SignIn]:
    """The demo accounts that exist, with what each may do, where, and how to sign in."""
    users = {user.email: user for user in User.objects.filter(email__in=[person.email for person in data.PEOPLE])}
    region_names = {region_data.slug: region_data.name for region_data in data.REGIONS}
    rows = []
    for person in data.PEOPLE:
        user = users.get(person.email)
        if user is None:
            continue
        roles = [Role(board_role.role).label for board_role in person.roles]
        places = [board_role.board for board_role in person.roles]
        if person.analyst_for:
            roles.append("Regional analyst")
            places.extend(f"{region_names[slug]} region" for slug in person.analyst_for)
        if person.is_staff:
            roles.append("Platform staff")
            places.append("the platform")
        rows.append(
            SignIn(
                email=user.email,
                roles=", ".join(dict.fromkeys(roles)),
                boards=", ".join(dict.fromkeys(places)),
                password=data.DEMO_PASSWORD,
                totp_secret=user.totp_secret if user.has_two_factor else "",
            )
        )
    return rows


def format_sign_ins(rows: list[SignIn]) -> str:
    """A plain-text table; each two-factor account has a line under it saying how to get a code."""
    table = [("Email", "Role(s)", "Board(s)", "Password"), ("-----", "-------", "--------", "--------")]
    table += [(row.email, row.roles, row.boards, row.password) for row in rows]
    widths = [max(len(cells[column]) for cells in table) for column in range(3)]

    def line(cells: tuple[str, str, str, str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, [*widths, 0], strict=True)).rstrip()

    lines = ["Demo sign-ins", "", line(table[0]), line(table[1])]
    for row, cells in zip(rows, table[2:], strict=True):
        lines.append(line(cells))
        if row.totp_secret:
            lines.append(f"    two-factor code: {TOTP_COMMAND} {row.email}   (secret for an app: {row.totp_secret})")
    return "\n".join(lines)


def current_totp_code(email: str) -> TotpCode:
    """The two-factor code a demo account would type now. Demo accounts only: their secrets are published."""
    email = email.strip().lower()
    if email not in {person.email for person in data.PEOPLE}:
        raise DemoAccountError(f"{email} is not a demo account; codes are only shown for demo accounts.")
    user = User.objects.filter(email=email).first()
    if user is None:
        raise DemoAccountError(f"{email} does not exist yet: run python manage.py seed_demo first.")
    if not user.has_two_factor:
        raise DemoAccountError(f"{email} signs in without a two-factor code.")
    totp = pyotp.TOTP(user.totp_secret)
    now = timezone.now()
    return TotpCode(code=totp.at(now), seconds_left=totp.interval - int(now.timestamp()) % totp.interval)
