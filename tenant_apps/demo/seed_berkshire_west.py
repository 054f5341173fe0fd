"""Berkshire West LSCBs, Learning & Development Strategy 2015-2020 (shared/seeds/000), in full.

What the document holds and where it goes:
- Introduction, Purpose and Learning Interventions: the strategy's introduction (an extract in its own words).
- Aims (3), Objectives (4, each with its heading), Learning Principles (7, each with its heading).
- Roles and Responsibilities: one item per role holder (the LSCBs, the learning and development sub-group,
  agencies, staff and workers), with what the Learning Interventions and Monitoring Delivery sections add to
  each role.
- Audience groups 1 to 8: audience groups of the "group" scheme.
- No standards: the document sets none.
- No action plan rows, KPIs or milestones: "Monitoring Delivery" says the sub-group will keep an action plan
  with annual actions, performance indicators where possible and milestones for projects, but the document
  contains no plan, indicator or milestone, so none is created.
The document gives no adoption date (the period's start is used) and no version.
"""

from __future__ import annotations

from datetime import date

from tenant_apps.demo.documents import AudienceGroupData, ItemData, StrategyData

INTRODUCTION = """\
Local Safeguarding Children Boards (LSCBs) have a responsibility to monitor and evaluate the effectiveness of \
training, including multi agency training, as outlined within Working Together 2015, to improve the outcomes for \
children.

The LSCBs should, therefore, ensure that all staff who work, or have contact with children are appropriately \
trained to understand normal child development and to recognise and act on potential signs of abuse and neglect. \
Practitioners and managers must also be able to work effectively with others, both within their own agency and \
across organisational boundaries.

This strategy is to provide a clear direction of travel to deliver the priorities of the LSCBs it represents and \
improve the outcomes for children. It will do this through holding partner organisations and agencies to account \
for continuously improving their learning and development offer, its impact and the resulting outcomes. This will \
be done through the consideration of best practice from elsewhere as well as leading through innovation where an \
opportunity is identified.

The strategy seeks to ensure all possible learning interventions are available for staff, agencies and the LSCBs, \
to provide a rich and blended offer. This will include, but is not limited to:
- Classroom learning
- E-learning
- Reflective learning
- Action learning
- Reading
- Coaching

Interventions will be provided by various agencies, and will likely include both single agency and multi-agency \
opportunities. However, it is an aspiration that even single-agency activities can be opened to other agencies \
where they do not require an organisational focus."""

AIMS = (
    ItemData(
        "Identify the organisational and individual learning needs, and use this to commission sufficient learning "
        "opportunities"
    ),
    ItemData(
        "Deliver the appropriate, quality assured, single agency safeguarding training to meet statutory "
        "responsibilities, best practice and LSCB priorities"
    ),
    ItemData(
        "Evaluate the effectiveness and impact of learning and development interventions, to ensure positive "
        "outcomes and value for money"
    ),
)

OBJECTIVES = (
    ItemData(
        "to successfully identify the individual and organisational training needs of all stakeholders, as well as "
        "other emerging issues, through appropriate tools and techniques to enable the development of suitable "
        "learning interventions.",
        title="Analysing Needs",
    ),
    ItemData(
        "the development and delivery of a quality assured training programme that builds on the local provision of "
        "single and multi-agency opportunities to create effective solutions that meet the identified learning "
        "needs.",
        title="Delivering Learning",
    ),
    ItemData(
        "to effectively raise awareness of learning and development activities through proactively communication "
        "and marketing, using the full range of channels to promote accessibility and maximise uptake of "
        "opportunities.",
        title="Marketing Opportunities",
    ),
    ItemData(
        "Utilise objective and subjective management information, to quality assure single and multi-agency "
        "learning and development, while determining the impact of learning and development on the outcomes for "
        "children and their carers.",
        title="Evaluating Outcomes",
    ),
)

PRINCIPLES = (
    ItemData(
        "Reflect the welfare of the child as being paramount incorporating and actively promoting children's "
        "rights, their voice and needs.",
        title="Child-Centred",
    ),
    ItemData(
        "Informed and governed by equality and accommodates the diversity and cultural needs of the individuals "
        "and agencies.",
        title="Equal",
    ),
    ItemData(
        "Can be accessed by everyone who works with children, young people and their carers in the statutory, "
        "voluntary and independent sectors.",
        title="Accessible",
    ),
    ItemData(
        "Has enough events and delegate placements to enable all appropriate individuals to attend in accordance "
        "with their learning needs.",
        title="Sufficient",
    ),
    ItemData(
        "Actively promotes interagency working, bringing together people and agencies to effectively ensure "
        "children are safeguarded against harm.",
        title="Collaborative",
    ),
    ItemData(
        "Supported through the use of evidence from the latest research, reflective practice and the lessons "
        "learned on a local and national level.",
        title="Substantiated",
    ),
    ItemData(
        "Responsive to local needs as well as being monitored, reviewed and assessed on relevance and impact.",
        title="Evaluated",
    ),
)

RESPONSIBILITIES = (
    ItemData(
        title="The LSCBs",
        body="""\
Working Together places two key responsibilities on LSCBs regarding safeguarding training. The first is to \
ensure the quality and effectiveness of both single and multi-agency learning and development, and the second \
is to ensure delivery of multi-agency learning and development for staff across its local area.

The LSCBs will be expected to set clear priorities each year, as well as identifying the associated learning and \
development needs. In addition, the LSCBs will be expected to consider the ongoing activity and reporting \
relating to learning and development and provide challenge for the sub-group and the agencies within it.""",
    ),
    ItemData(
        title="The learning and development sub-group",
        body="""\
A learning and development focused sub group, made up of members from the relevant areas of expertise from \
agencies across the local area, reporting directly to the LSCBs. This sub group will have clear terms of \
reference that outline the operational arrangements and priorities, which are approved through the LSCBs each \
year.

The strategy will be monitored through the activity undertaken by, and reporting from the learning and \
development sub-group. This will take the shape of an action plan that aims to deliver against the key \
objectives within the strategy, setting annual actions and monitoring performance against this. The actions will \
normally be led by members of the Learning and Development Sub-group but may bring in other leads should \
specific skills and expertise be needed.

Action plans will seek to measure, where possible, the outcomes of the actions through the use of performance \
indicators. However, where they relate to projects or specific activities, this may be done through milestones \
or perceived completion rate. Regular reporting will be required from the learning and development sub group to \
the LSCBs to provide a rich picture of delivery along with any key performance indicators that may be \
identified.""",
    ),
    ItemData(
        title="Agencies",
        body="""\
Agencies will be responsible for identifying and providing (through in-house delivery or commissioning) \
safeguarding training for their own staff that meet the required standards. Agencies will also be required to \
play an active part in the learning and development sub-group through; appropriate membership of the sub-group, \
ownership and support to the delivery of the agreed priorities and learning interventions, and the provision of \
information and reporting requirements to establish need, as well as monitor progress and performance.

The learning interventions will form a learning framework or pathway for all roles, depending on the specific \
needs of the post. Each employer will be required to define this pathway for their own staff.

In line with Government guidance, there will be a need for agencies to monitor the learning and development \
undertaken by their own staff and to ensure that knowledge is regularly refreshed. This will mean that learning \
and development will be reviewed and updated to cover emerging issues from recent Serious Case Reviews (SCRs), \
national research and changes in the law or to government policy.""",
    ),
    ItemData(
        title="Staff and workers within agencies",
        body="""\
Staff and workers within agencies will be responsible for their own learning and expected to work within the \
processes, procedures and frameworks set within their own agency as well as through the learning and development \
sub-group. This will include; the identification of learning needs, commitment to accessing appropriate single \
and multi-agency opportunities, provision of information to assist continuous improvement and performance \
monitoring.

There will be an expectation for practitioners at all levels and across all agencies to continuously update their \
knowledge and skills. This will largely be in discussion with their manager but may also be formalised through a \
learning pathway or plan.""",
    ),
)

# The groups' descriptions are the document's words; the names are short forms of them (a group needs a name).
AUDIENCE_GROUPS = (
    AudienceGroupData(
        code="Group 1",
        name="Infrequent contact with children, young people and/or parents/carers",
        description=(
            "Those who may have infrequent contact with children, young people and/or parents/carers who may become "
            "aware of possible abuse or neglect"
        ),
    ),
    AudienceGroupData(
        code="Group 2",
        name="Regular, or intense but irregular, contact with children/young people and/or parents/carers",
        description=(
            "Those in regular contact or who have a period of intense but irregular contact with children/young "
            "people and/or parents/carers, and who may be in a position to identify safeguarding concerns, "
            "including those which may arise from the use of a common and shared assessment"
        ),
    ),
    AudienceGroupData(
        code="Group 3",
        name="Working predominantly with children, young people and/or their parents/carers",
        description=(
            "Members of the workforce who work predominantly with children, young people and/or their "
            "parents/carers and who could potentially contribute to assessing, planning, intervening and reviewing "
            "the needs of a child and parenting capacity where there are safeguarding concerns"
        ),
    ),
    AudienceGroupData(
        code="Group 4",
        name="Section 47 enquiries, designated safeguarding leads and complex cases",
        description=(
            "Members of the workforce with particular responsibilities in relation to undertaking section 47 "
            "enquiries, including professionals from health, education, police and children's social care, and "
            "those with designated safeguarding lead responsibilities; those who work with complex cases"
        ),
        example_roles="Designated safeguarding leads",
    ),
    AudienceGroupData(
        code="Group 5",
        name="Professional advisors, named and designated lead professionals",
        description="Professional advisors, named and designated lead professionals",
        example_roles="Professional advisors\nNamed lead professionals\nDesignated lead professionals",
    ),
    AudienceGroupData(
        code="Group 6",
        name="Operational managers at all levels",
        description="Operational managers at all levels including: practice supervisors and front-line managers",
        example_roles="Practice supervisors\nFront-line managers",
    ),
    AudienceGroupData(
        code="Group 7",
        name="Senior managers",
        description="Senior managers responsible for the strategic management of services",
    ),
    AudienceGroupData(
        code="Group 8",
        name="LSCB Members, DCS, Elected members, Lay members, Inter-agency trainers",
        description="LSCB Members, DCS, Elected members, Lay members, Inter-agency trainers",
        example_roles="LSCB Members\nDirector of Children's Services (DCS)\nElected members\nLay members\n"
        "Inter-agency trainers",
    ),
)

BERKSHIRE_WEST = StrategyData(
    board="berkshire-west",
    title="Berkshire West LSCBs Learning & Development Strategy 2015-2020",
    period_start=date(2015, 4, 1),
    period_end=date(2020, 3, 31),
    adopted_on=date(2015, 4, 1),  # the document gives no adoption date: the start of its period
    review_cycle_months=60,
    headline=(
        "This strategy is to provide a clear direction of travel to deliver the priorities of the LSCBs it "
        "represents and improve the outcomes for children."
    ),
    introduction=INTRODUCTION,
    aims=AIMS,
    objectives=OBJECTIVES,
    principles=PRINCIPLES,
    responsibilities=RESPONSIBILITIES,
    audience_groups=AUDIENCE_GROUPS,
)
