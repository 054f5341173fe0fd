"""The audience taxonomies a board can start from, as plain data.

- `INTERCOLLEGIATE_LEVELS`: "Safeguarding children and young people: roles and competences for health care
  staff" (the intercollegiate document), levels 1 to 5, with the refresher rules: level 1 at least 2 hours
  every 3 years; level 2 3 to 4 hours every 3 years; level 3 8 hours in the first year (16 for specialists),
  then 6 hours every 3 years; named (level 4) and designated (level 5) professionals 24 hours every 3 years.
  Every new board starts with these.
- `BERKSHIRE_WEST_GROUPS`: the eight audience groups of the Berkshire West LSCBs' learning and development
  strategy 2015-2020. The strategy sets no hours, so the groups come without requirements: each board adds
  its own (for example Leeds refreshes every 3 years; a school's designated safeguarding lead retrains every
  2 years, with an update every year).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class DefaultRequirement:
    title: str
    topic: str
    minimum_hours: Decimal
    refresh_every_months: int | None
    first_completion_within_months: int | None = None
    description: str = ""


@dataclass(frozen=True)
class DefaultGroup:
    code: str
    name: str
    description: str
    example_roles: str
    requirements: tuple[DefaultRequirement, ...] = field(default_factory=tuple)


THREE_YEARS = 36

INTERCOLLEGIATE_LEVELS: tuple[DefaultGroup, ...] = (
    DefaultGroup(
        code="Level 1",
        name="All staff working in health care settings",
        description="Everyone who works in a health care setting, whether or not they work with children.",
        example_roles="Receptionists\nAdministrative staff\nPorters\nCatering and domestic staff\nVolunteers",
        requirements=(
            DefaultRequirement(
                title="Level 1 safeguarding children",
                topic="Safeguarding children level 1",
                minimum_hours=Decimal(2),
                refresh_every_months=THREE_YEARS,
                description="At least 2 hours every 3 years.",
            ),
        ),
    ),
    DefaultGroup(
        code="Level 2",
        name="Staff who have some contact with children, young people or parents and carers",
        description=(
            "Clinical and non-clinical staff who, within their role, have contact (however small) with children, "
            "young people, parents or carers, or adults who may pose a risk to children."
        ),
        example_roles=(
            "Pharmacists\nAmbulance staff\nDentists and dental care professionals\nOptometrists\n"
            "Allied health professionals working with adults\nAdministrators for safeguarding teams"
        ),
        requirements=(
            DefaultRequirement(
                title="Level 2 safeguarding children",
                topic="Safeguarding children level 2",
                minimum_hours=Decimal(3),
                refresh_every_months=THREE_YEARS,
                description="3 to 4 hours every 3 years (level 1 learning is part of it).",
            ),
        ),
    ),
    DefaultGroup(
        code="Level 3",
        name="Clinical staff working with children, young people or parents and carers",
        description=(
            "Clinical staff who could contribute to assessing, planning, intervening and evaluating the needs of "
            "a child or young person, or parenting capacity, where there are safeguarding concerns."
        ),
        example_roles=(
            "GPs\nPaediatricians\nHealth visitors\nSchool nurses\nMidwives\nEmergency department staff\n"
            "Child and adolescent mental health staff"
        ),
        requirements=(
            DefaultRequirement(
                title="Level 3 safeguarding children: first year",
                topic="Safeguarding children level 3",
                minimum_hours=Decimal(8),
                refresh_every_months=None,
                first_completion_within_months=12,
                description=(
                    "8 hours in the first year in post. Specialists (for example paediatricians and health "
                    "visitors) need 16 hours: a board can add a group for them with the higher figure."
                ),
            ),
            DefaultRequirement(
                title="Level 3 safeguarding children: refresher",
                topic="Safeguarding children level 3",
                minimum_hours=Decimal(6),
                refresh_every_months=THREE_YEARS,
                description="Then at least 6 hours every 3 years.",
            ),
        ),
    ),
    DefaultGroup(
        code="Level 4",
        name="Named professionals",
        description="Named professionals for safeguarding children in health organisations.",
        example_roles=(
            "Named doctors\nNamed nurses\nNamed midwives\nNamed GPs\nNamed professionals in ambulance services"
        ),
        requirements=(
            DefaultRequirement(
                title="Level 4 safeguarding children",
                topic="Safeguarding children level 4",
                minimum_hours=Decimal(24),
                refresh_every_months=THREE_YEARS,
                description="At least 24 hours every 3 years.",
            ),
        ),
    ),
    DefaultGroup(
        code="Level 5",
        name="Designated professionals",
        description="Designated professionals for safeguarding children and for looked-after children.",
        example_roles="Designated doctors\nDesignated nurses\nDesignated professionals for looked-after children",
        requirements=(
            DefaultRequirement(
                title="Level 5 safeguarding children",
                topic="Safeguarding children level 5",
                minimum_hours=Decimal(24),
                refresh_every_months=THREE_YEARS,
                description="At least 24 hours every 3 years.",
            ),
        ),
    ),
)

BERKSHIRE_WEST_GROUPS: tuple[DefaultGroup, ...] = (
    DefaultGroup(
        code="Group 1",
        name="Infrequent contact with children, young people or parents and carers",
        description=(
            "Those who may have infrequent contact with children, young people and/or parents/carers who may "
            "become aware of possible abuse or neglect."
        ),
        example_roles="Librarians\nLeisure centre staff\nReceptionists\nHousing officers",
    ),
    DefaultGroup(
        code="Group 2",
        name="Regular contact with children, young people or parents and carers",
        description=(
            "Those in regular contact, or who have a period of intense but irregular contact, with children, "
            "young people and/or parents/carers, and who may be in a position to identify safeguarding concerns, "
            "including those which may arise from the use of a common and shared assessment."
        ),
        example_roles="Teaching assistants\nSports coaches\nYouth workers\nDentists\nPharmacists",
    ),
    DefaultGroup(
        code="Group 3",
        name="Working mainly with children, young people or parents and carers",
        description=(
            "Members of the workforce who work predominantly with children, young people and/or their "
            "parents/carers and who could potentially contribute to assessing, planning, intervening and "
            "reviewing the needs of a child and parenting capacity where there are safeguarding concerns."
        ),
        example_roles="Teachers\nHealth visitors\nSchool nurses\nFamily support workers\nEarly years practitioners",
    ),
    DefaultGroup(
        code="Group 4",
        name="Section 47 enquiries, designated safeguarding leads and complex cases",
        description=(
            "Members of the workforce with particular responsibilities in relation to undertaking section 47 "
            "enquiries, including professionals from health, education, police and children's social care, and "
            "those with designated safeguarding lead responsibilities; those who work with complex cases."
        ),
        example_roles=(
            "Social workers\nPolice child abuse investigators\nDesignated safeguarding leads in schools\nPaediatricians"
        ),
    ),
    DefaultGroup(
        code="Group 5",
        name="Professional advisers, named and designated professionals",
        description="Professional advisors, named and designated lead professionals.",
        example_roles="Named and designated doctors and nurses\nSafeguarding advisers",
    ),
    DefaultGroup(
        code="Group 6",
        name="Operational managers",
        description="Operational managers at all levels, including practice supervisors and front-line managers.",
        example_roles="Team managers\nPractice supervisors\nHead teachers",
    ),
    DefaultGroup(
        code="Group 7",
        name="Senior managers",
        description="Senior managers responsible for the strategic management of services.",
        example_roles="Heads of service\nDirectors",
    ),
    DefaultGroup(
        code="Group 8",
        name="Board members, elected members, lay members and inter-agency trainers",
        description="LSCB members, the Director of Children's Services, elected members, lay members and inter-agency "
        "trainers.",
        example_roles="Board members\nDirector of Children's Services\nElected members\nLay members\n"
        "Inter-agency trainers",
    ),
)

TAXONOMIES = {"level": INTERCOLLEGIATE_LEVELS, "group": BERKSHIRE_WEST_GROUPS}
