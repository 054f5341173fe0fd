"""The demo world as plain data: regions, boards, their strategies, agencies and people.

The three strategies are taken from real documents (shared/seeds/): Berkshire West LSCBs' Learning &
Development Strategy 2015-2020, Leeds LSCB's Learning and Development Strategy 2014-17 and Croydon
Safeguarding Children Board's Learning and Development Strategy 2017-19 and Delivery Plan 2017-18, each in
its own module (seed_berkshire_west.py, seed_leeds.py, seed_croydon.py) with every aim, objective, principle,
standard, role, audience group, plan row and case-review theme the document has. Their text is quoted or
follows the documents closely; nothing is added to them (square brackets mark the few words supplied where a
quoted sentence needs them). The other boards have plain descriptions and no figures. The NHS trusts, police
forces, councils, fire service and probation service are real public bodies; the school, nursery, project,
housing association and every person are made up.

Everything here is for demonstrations only: the password and the two-factor secrets are published.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared_apps.accounts.models import Role
from shared_apps.agencies.models import AgencyType
from tenant_apps.demo.documents import StrategyData
from tenant_apps.demo.seed_berkshire_west import BERKSHIRE_WEST
from tenant_apps.demo.seed_croydon import CROYDON
from tenant_apps.demo.seed_leeds import LEEDS
from tenants.models import Board

DEMO_PASSWORD = "safeguarding-demo-2026"  # noqa: S105 (published demo password, printed by seed_demo)


@dataclass(frozen=True)
class RegionData:
    slug: str
    name: str


@dataclass(frozen=True)
class BoardData:
    slug: str
    name: str
    kind: str
    self_term: str
    region: str  # a RegionData slug
    description: str
    contact_email: str
    welcome: str


@dataclass(frozen=True)
class AgencyData:
    name: str
    agency_type: str


@dataclass(frozen=True)
class BoardRole:
    board: str  # a BoardData slug
    role: str
    agency: str = ""  # an AgencyData name: the employer, for finance contacts, trainers and practitioners


@dataclass(frozen=True)
class PersonData:
    email: str
    full_name: str
    roles: tuple[BoardRole, ...] = ()
    analyst_for: tuple[str, ...] = ()  # RegionData slugs
    is_staff: bool = False
    # Board administrators and platform staff must sign in with a second factor: fixed, published secrets.
    totp_secret: str = ""


REGIONS = (
    RegionData("west-yorkshire", "West Yorkshire"),
    RegionData("london", "London"),
    RegionData("thames-valley", "Thames Valley"),
)

BOARD = Board.SelfTerm.BOARD
PARTNERSHIP = Board.SelfTerm.PARTNERSHIP

BOARDS = (
    BoardData(
        slug="berkshire-west",
        name="Berkshire West Local Safeguarding Children Boards",
        kind=Board.Kind.CHILDREN,
        self_term=BOARD,
        region="thames-valley",
        description=(
            "The Berkshire West LSCBs hold partner organisations and agencies to account for continuously "
            "improving their learning and development offer, its impact and the resulting outcomes for children."
        ),
        contact_email="learning@berkshire-west.demo",
        welcome=(
            "A rich and blended offer for everyone who works with children, young people and their carers in the "
            "statutory, voluntary and independent sectors: classroom learning, e-learning, reflective learning, "
            "action learning, reading and coaching."
        ),
    ),
    BoardData(
        slug="leeds",
        name="Leeds Safeguarding Children Board",
        kind=Board.Kind.CHILDREN,
        self_term=BOARD,
        region="west-yorkshire",
        description=(
            "Leeds LSCB provides a city-wide multi-agency Training Offer for an estimated children's workforce of "
            "75,000 practitioners and volunteers in 25 local clusters, delivered by a Multi-agency Training Pool "
            "of trainers provided in-kind by partner agencies."
        ),
        contact_email="learning@leeds.demo",
        welcome=(
            "The LSCB Training Offer includes core safeguarding training, additional and specialist courses, "
            "topic based “light bite” sessions, briefings, workshops and conferences."
        ),
    ),
    BoardData(
        slug="croydon",
        name="Croydon Safeguarding Children Board",
        kind=Board.Kind.CHILDREN,
        self_term=BOARD,
        region="london",
        description=(
            "Croydon Safeguarding Children Board (CSCB) is committed to supporting better outcomes for children "
            "through developing a culture of continuous learning and improvement amongst all partners."
        ),
        contact_email="learning@croydon.demo",
        welcome=(
            "Book multi-agency safeguarding learning and development online, give your evaluation and obtain "
            "your attendance certificate."
        ),
    ),
    BoardData(
        slug="bradford",
        name="Bradford Safeguarding Children Partnership",
        kind=Board.Kind.CHILDREN,
        self_term=PARTNERSHIP,
        region="west-yorkshire",
        description="Multi-agency safeguarding learning and development for people who work with children in Bradford.",
        contact_email="learning@bradford.demo",
        welcome="Find and book multi-agency safeguarding training.",
    ),
    BoardData(
        slug="wakefield",
        name="Wakefield Safeguarding Children Partnership",
        kind=Board.Kind.CHILDREN,
        self_term=PARTNERSHIP,
        region="west-yorkshire",
        description=(
            "Multi-agency safeguarding learning and development for people who work with children in Wakefield."
        ),
        contact_email="learning@wakefield.demo",
        welcome="Find and book multi-agency safeguarding training.",
    ),
    BoardData(
        slug="sutton",
        name="Sutton Safeguarding Children Partnership",
        kind=Board.Kind.CHILDREN,
        self_term=PARTNERSHIP,
        region="london",
        description="Multi-agency safeguarding learning and development for people who work with children in Sutton.",
        contact_email="learning@sutton.demo",
        welcome="Find and book multi-agency safeguarding training.",
    ),
    BoardData(
        slug="croydon-sab",
        name="Croydon Safeguarding Adults Board",
        kind=Board.Kind.ADULTS,
        # Safeguarding Adults Boards kept the name (Care Act 2014); only children's boards became partnerships.
        self_term=BOARD,
        region="london",
        description=(
            "Safeguarding adults learning and development in Croydon, commissioned jointly with the Croydon "
            "Safeguarding Children Board for shared priority areas."
        ),
        contact_email="learning@croydon-sab.demo",
        welcome="Find and book safeguarding adults training.",
    ),
)

# The three real strategy documents, in full: seed_berkshire_west.py, seed_leeds.py and seed_croydon.py.
STRATEGIES: tuple[StrategyData, ...] = (BERKSHIRE_WEST, LEEDS, CROYDON)

LEEDS_HOSPITALS = "Leeds Teaching Hospitals NHS Trust"
LEEDS_CHILDREN = "Leeds City Council Children and Families"
WEST_YORKSHIRE_POLICE = "West Yorkshire Police"
CROYDON_HEALTH = "Croydon Health Services NHS Trust"
MET_POLICE = "Metropolitan Police Service"
NURSERY = "Little Acorns Day Nursery"
ROYAL_BERKSHIRE = "Royal Berkshire NHS Foundation Trust"
THAMES_VALLEY_POLICE = "Thames Valley Police"
PRIMARY_SCHOOL = "Riverside Primary School"

AGENCIES = (
    AgencyData(LEEDS_HOSPITALS, AgencyType.HEALTH),
    AgencyData(CROYDON_HEALTH, AgencyType.HEALTH),
    AgencyData(ROYAL_BERKSHIRE, AgencyType.HEALTH),
    AgencyData(WEST_YORKSHIRE_POLICE, AgencyType.POLICE),
    AgencyData(MET_POLICE, AgencyType.POLICE),
    AgencyData(THAMES_VALLEY_POLICE, AgencyType.POLICE),
    AgencyData(PRIMARY_SCHOOL, AgencyType.EDUCATION),
    AgencyData(NURSERY, AgencyType.EARLY_YEARS),
    AgencyData(LEEDS_CHILDREN, AgencyType.CHILDRENS_SOCIAL_CARE),
    AgencyData("Croydon Council Adult Social Care", AgencyType.ADULT_SOCIAL_CARE),
    AgencyData("Hillside Youth and Family Project", AgencyType.VOLUNTARY),
    AgencyData("National Probation Service", AgencyType.PROBATION),
    AgencyData("Parkview Homes Housing Association", AgencyType.HOUSING),
    AgencyData("Royal Berkshire Fire and Rescue Service", AgencyType.OTHER),
)

PEOPLE = (
    PersonData(
        "admin@leeds.demo",
        "Helen Marsh",
        (BoardRole("leeds", Role.BOARD_ADMIN),),
        totp_secret="67PTDQZ4I6TGDW6KEBNMV4DLWEILQ3BP",  # noqa: S106 (published demo secret)
    ),
    PersonData("coordinator@leeds.demo", "Imran Akhtar", (BoardRole("leeds", Role.COORDINATOR),)),
    PersonData("trainer@leeds.demo", "Claire Dobson", (BoardRole("leeds", Role.TRAINER, LEEDS_HOSPITALS),)),
    PersonData("finance@leeds.demo", "Gary Whitaker", (BoardRole("leeds", Role.FINANCE, LEEDS_HOSPITALS),)),
    PersonData("practitioner@leeds.demo", "Aisha Patel", (BoardRole("leeds", Role.PRACTITIONER, LEEDS_CHILDREN),)),
    # Books named members of her service's staff and looks after their bookings (Team bookings).
    PersonData(
        "team.manager@leeds.demo", "Sarah Whitfield", (BoardRole("leeds", Role.AGENCY_MANAGER, LEEDS_CHILDREN),)
    ),
    PersonData(
        "admin@croydon.demo",
        "Grace Owusu",
        (BoardRole("croydon", Role.BOARD_ADMIN),),
        totp_secret="JMG4POFROOLNNUJFFC5HQJCUD4K2DCOY",  # noqa: S106 (published demo secret)
    ),
    PersonData("coordinator@croydon.demo", "Daniel Reid", (BoardRole("croydon", Role.COORDINATOR),)),
    PersonData("trainer@croydon.demo", "Sophie Lang", (BoardRole("croydon", Role.TRAINER, MET_POLICE),)),
    PersonData("finance@croydon.demo", "Michael Adeyemi", (BoardRole("croydon", Role.FINANCE, CROYDON_HEALTH),)),
    PersonData("practitioner@croydon.demo", "Chloe Bennett", (BoardRole("croydon", Role.PRACTITIONER, NURSERY),)),
    PersonData("team.manager@croydon.demo", "Priya Nair", (BoardRole("croydon", Role.AGENCY_MANAGER, NURSERY),)),
    PersonData(
        "admin@berkshire-west.demo",
        "Rebecca Hollis",
        (BoardRole("berkshire-west", Role.BOARD_ADMIN),),
        totp_secret="B5U3B5ESEYGYIMF3TOMNLX3Z2H4HWS5F",  # noqa: S106 (published demo secret)
    ),
    PersonData("coordinator@berkshire-west.demo", "Tom Ashworth", (BoardRole("berkshire-west", Role.COORDINATOR),)),
    PersonData(
        "trainer@berkshire-west.demo",
        "Nadia Kowalski",
        (BoardRole("berkshire-west", Role.TRAINER, THAMES_VALLEY_POLICE),),
    ),
    PersonData(
        "finance@berkshire-west.demo",
        "Paul Fenwick",
        (BoardRole("berkshire-west", Role.FINANCE, ROYAL_BERKSHIRE),),
    ),
    PersonData(
        "practitioner@berkshire-west.demo",
        "Emma Clarke",
        (BoardRole("berkshire-west", Role.PRACTITIONER, PRIMARY_SCHOOL),),
    ),
    # The school's designated safeguarding lead books its staff.
    PersonData(
        "team.manager@berkshire-west.demo",
        "Mark Ellison",
        (BoardRole("berkshire-west", Role.AGENCY_MANAGER, PRIMARY_SCHOOL),),
    ),
    # One person, one sign-in, training for two boards: a trainer lent in kind by a partner agency.
    PersonData(
        "trainer@westyorkshire.demo",
        "Joanne Pickersgill",
        (
            BoardRole("leeds", Role.TRAINER, WEST_YORKSHIRE_POLICE),
            BoardRole("bradford", Role.TRAINER, WEST_YORKSHIRE_POLICE),
        ),
    ),
    PersonData("analyst@westyorkshire.demo", "Oliver Grant", analyst_for=("west-yorkshire",)),
    PersonData("analyst@london.demo", "Fatima Begum", analyst_for=("london",)),
    PersonData(
        "staff@platform.demo",
        "Alex Morgan",
        is_staff=True,
        totp_secret="2V5LO5YBPNWYPKHWU667T2NOZECERDUV",  # noqa: S106 (published demo secret)
    ),
)
