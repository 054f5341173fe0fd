"""Croydon Safeguarding Children Board, Learning and Development Strategy 2017-19 and Delivery Plan 2017-18
(shared/seeds/002), in full.

What the document holds and where it goes:
- Document control: adopted by CSCB 16/03/17; version "Working Copy"; signed by Sarah Baker, CSCB Independent
  Chairperson (the document prints "Independent Independent Chairperson"; its "Date:" is blank, so the sign-off
  has no date). The "Learning & Development Subgroup Chair" line names nobody, so it is not recorded. "Updated by:
  Anita McGrath / Howard Baines" has no field to go in. The document says "Last review completed on: March 2017"
  and "Next review due on: February 2018"; neither is stored: a last review of March 2017 would move the next
  review to March 2019, and the platform works the next review out from adoption and the two-year cycle of
  section 7.1 (so 16 March 2019), not from February 2018.
- 1 Introduction: the strategy's introduction (an extract in its own words).
- Aims (2): the two things the document calls aims: "a core aim" (1.1) and "a key aim" (8.4).
- Objectives (9): the workstreams of 9.1.
- Learning principles (6): 2.2, each heading with its sub-point.
- Standards (9): 3.2, "The standards that individuals must demonstrate".
- Roles and responsibilities (3): Board members (3.1), the CSCB (3.2) and the Learning and Development Subgroup
  (2.1, with the reporting of 6.2 and 6.3, the review of 7.1 and the oversight of 9.2).
- Appendix A: 5 serious case reviews, 15 themes and 17 learning activities, linked as the table says.
- Appendix B (9 rows) and Appendix C (4 rows): two action plans, every cell. Every target reads as a date
  ("April 2017 and Feb 2018", "Q2 2017", "May 2017", ...), so no row keeps its target in words instead.
"""

from __future__ import annotations

from datetime import date

from tenant_apps.demo.documents import (
    ActivityData,
    ItemData,
    PlanData,
    PlanRowData,
    SignOffData,
    SourceData,
    StrategyData,
    ThemeData,
)
from tenant_apps.learning_sources.models import LearningActivity

INTRODUCTION = """\
We are committed to supporting better outcomes for children through developing a culture of continuous learning \
and improvement amongst all partners. This is a core aim of the Croydon Safeguarding Children Board (CSCB). How we \
achieve this across a range of agencies and roles requires a strong commitment from each partner agency. And, a \
willingness amongst teams and individual staff to learn and share, develop and deliver quality learning and \
development that meets local needs and the means to effectively evaluate impact on practice.

Working Together 2015 states that the Local Safeguarding Children Board is required to develop policies and \
procedures in their area relating to, “... training of persons who work with children or in services affecting \
the safety and welfare of children.” Regulation 5 (of LSCB Regulations 2006) states that there is a role for the \
Board to, “... monitor and evaluate the effectiveness of training, including multi-agency learning and \
development, to safeguard and promote the welfare of children.”

This Plan sets out how the CSCB will fulfil its statutory requirements in relation to these matters. The Plan \
draws on the key elements of learning from other CSCB functions and activities as set out within the CSCB \
Learning & Improvement Framework (2016). This includes learning from:
- Serious Case Reviews and Learning Reviews
- Inspections
- Section 11 Audits
- Multi-Agency Case Audits
- Quantitative and Qualitative data
- Feedback from children and families
- Feedback from practitioners and managers
- Feedback from the public and community

This plan is consistent with the Pan-London Safeguarding Children Board 'Competence Still matters: Safeguarding \
Learning and development for all employees and volunteers' (2014) and the 'Safeguarding Children and Young \
People: roles and competencies for health care staff' intercollegiate guide (2014). Competence Still Matters \
provides an illustration of the safeguarding learning requirements for professionals and volunteers working in \
different types of roles."""

AIMS = (
    ItemData(
        "We are committed to supporting better outcomes for children through developing a culture of continuous "
        "learning and improvement amongst all partners. This is a core aim of the Croydon Safeguarding Children "
        "Board (CSCB)."
    ),
    # The document's sentence breaks off ("engaging with the."): the bracketed word completes it.
    ItemData(
        "One of the main benefits of the Board's learning and development programme is that it fosters a culture "
        "of learning together to promote a better understanding of roles and responsibilities. It should therefore "
        "remain a key aim of the Board's learning and development programme that Board Members' help to promote "
        "the benefits of engaging with the [programme]."
    ),
)

OBJECTIVES = (
    ItemData("Continue to provide annual CSCB safeguarding learning and development offer"),
    ItemData("Agree joint commissioning with Safeguarding Adult Board for shared priority areas"),
    ItemData(
        "Use evaluation feedback to improve learning and development content, namely to have local context "
        "reflected in learning and development."
    ),
    ItemData("Increase evaluation surveys which assess the application of learning to practice"),
    ItemData("Support and promote the use of online booking systems/learning management systems"),
    ItemData(
        "Assess the rate of agency engagement and individual non-attendance and develop options for enforcing "
        "non-attendance charges"
    ),
    ItemData("Develop use of a Safeguarding Learning and development Pool"),
    ItemData(
        "Develop a range of Learning and Development information and resources available to professionals to use "
        "with and for their settings, including commissioning or procuring safeguarding toolkits."
    ),
    ItemData(
        "Undertake Multi-Agency Learning and development Needs Audits to better understand the level of met and "
        "unmet safeguarding learning and development need of different agencies."
    ),
)

PRINCIPLES = (
    ItemData("to achieve better outcomes for children, families and practitioners", title="Be outcomes focussed"),
    ItemData(
        "setting high expectations, be motivating and promote application of learning to practice, and meet the "
        "standards stated in Working Together (2015) and the Ofsted Framework (2016)",
        title="Make a positive contribution to the practice of children's safeguarding",
    ),
    ItemData(
        "Quality Assurance processes will enable a continuous learning loop through effective evaluation and use of "
        "outcomes data to inform priority areas and future learning pathways",
        title="Promote continuous organisational learning",
    ),
    ItemData("informed by local need and best practice", title="Be evidence led"),
    ItemData(
        "using good planning, a variety of learning approaches and aiming for good availability and access to "
        "resources",
        title="Be accessible for a range of teams and roles",
    ),
    ItemData(
        "in the purchasing and selection of course development, design and facilitation - to ensure design meets "
        "demand and that our programme uses a mix local expertise and purchased activity.",
        title="Use quality and effective commissioning approaches",
    ),
)

STANDARDS = (
    ItemData("Children / young people at the centre of what we do"),
    ItemData("Respect for individuals, promoting their dignity and individuality"),
    ItemData("That the wellbeing and safeguarding of individuals is promoted"),
    ItemData("A value base that is built around recognising the rights of individuals"),
    ItemData("Honesty and integrity in their interactions with others"),
    ItemData(
        "High standards in the quality of service, care and support for individuals, data protection, information "
        "sharing and record keeping"
    ),
    ItemData("An awareness and understanding of responsibilities to assess and manage risk"),
    ItemData("Accountability for actions and decisions"),
    ItemData("Keeping up to date with knowledge and skills."),
)

RESPONSIBILITIES = (
    ItemData(
        title="Board members",
        body="""\
Croydon Safeguarding Children Board is determined to support the development of 'expert practitioners' across \
the multi-agency landscape so we can ensure we have a confident and competent workforce. This will contribute \
towards practitioners being able to identify, help and support children and young people at the earliest point \
of possible intervention. To achieve this requires commitment and support from members of the Board.

There is an expectation that members of the CSCB will ensure that their staff are competent and confident in \
carrying out their responsibilities for safeguarding and promoting children's and young people's welfare, by:
- Promoting multi-agency safeguarding children learning and development available to them
- Identifying and enable staff to attend multi-agency learning and development, and support their teams to apply \
their learning in practice
- Encouraging those staff to contribute to the evaluation and development of quality multi-agency learning and \
development, including involving supervisors in evaluating the impact on practice
- Providing staff who have the relevant expertise to support the CSCB (for example, by actively contributing to \
the learning and development sub-group);
- Ensuring that staff receive relevant single-agency learning and development that enables them to maximise the \
learning derived from multi-agency learning and development
- Committing resources for multi-agency learning and development, for example through funding, providing \
venues.""",
    ),
    ItemData(
        title="The CSCB",
        body=(
            "CSCB seeks to support individuals in keeping up to date with their knowledge and skills and also in the "
            "acquisition of enhanced skills and knowledge through the provision of learning and development and "
            "other professional development opportunities. The learning and development provided by the CSCB "
            "supports practitioners in maintaining and developing their core skills for working and engaging with "
            "children, young people and their families."
        ),
    ),
    ItemData(
        title="The Learning and Development Subgroup",
        body="""\
The Learning and Development Sub-Group, on behalf of the CSCB, is responsible for enabling the delivery of high \
quality multi-agency safeguarding learning and development activity based on the CSCB priorities, utilising \
effective quality assurance processes and monitoring the provision of safeguarding learning and development at \
single agency level.

The CSCB Learning and Development Subgroup is accountable to the Board through the CSCB Quality Assurance \
Practice and Performance Subgroup (QAPP). The CSCB Learning and Development Subgroup will provide quarterly \
learning and development attendance data and a six monthly report to the QAPP setting out:
- The titles of face to face courses held and the reasons for any being cancelled or postponed
- The numbers of attendees for each face to face course broken down into agency type
- A summary of the self evaluations by attendees for face to face courses detailing: the overall learning and \
development ratings; the presentation ratings; the facilitator's' knowledge and skills ratings; whether attendees \
consider they have a greater understanding of the subject area, and how the learning and development will impact \
the attendees' practice.
- A summary of the surveys to understand the impact of learning and development on frontline practice
- The number of people who have completed online learning and development broken down into agency type
- The number of people who have started but not completed online learning and development broken down into \
agency type
- The number of non-attendances, the number of fees requested to be paid and the success rate in receiving fines
- Any action taken in relation to: over or under subscribing for face to face course; the capacity or \
suitability of trainers; the capacity or suitability of venues; demands on the Learning & Development Unit \
budget; the capacity by the Learning & Development Unit to support the multi-agency learning and development \
programme
- Recommendations on areas for development

The Learning & Development Subgroup will provide an annual report to the main Board and will use this a base to \
contribute towards the CSCB Annual Report and Business Plan. As part of that annual report, a review of this Plan \
will be undertaken and the Plan will be updated every two years and published on the CSC website.

The Learning & Development Subgroup will oversee the delivery of the priority planning area to monitor and ensure \
actions are on target.""",
    ),
)

SIGN_OFFS = (SignOffData(role="CSCB Independent Chairperson", name="Sarah Baker", version_label="Working Copy"),)

PRIORITY_PLANNING = PlanData(
    title="L&D Strategic Priority Planning 2017-19",
    period_label="2017-19",
    rows=(
        PlanRowData(
            number=1,
            priority="Continue to provide the annual CSCB safeguarding learning and development offer each year",
            action_needed=(
                "Agree content in line with CSCB priorities\n"
                "Secure trainers, venues and publicity within CSCB L&D budget"
            ),
            responsible="L&D Sub Group / CSCB L&D Co-ordinator",
            target="April 2017 and Feb 2018",
            expected_impact="To enable safeguarding practice improvement across partnership",
        ),
        PlanRowData(
            number=2,
            priority="Agree joint commissioning with Safeguarding Adult Board for shared priority areas",
            action_needed=(
                "Identify shared themes and delivery options to secure trainers, venues and publicity (including "
                "e-learning packages)"
            ),
            responsible="CSCB L&D Co-ordinator and SAB lead",
            target="Q2 2017",
            expected_impact=(
                "Better awareness of safeguarding children and parental needs across child and adult workforce"
            ),
        ),
        PlanRowData(
            number=3,
            priority=(
                "Use evaluation feedback to improve learning and development content (e.g. more local context in L3 "
                "Safeguarding)"
            ),
            action_needed=(
                "Ensure evaluation reports identify points for content development, agree content with trainers"
            ),
            responsible="L&D Team and CSCB L&D Co-ordinator",
            target="Q2 2017",
            expected_impact="Better responsiveness and on-going improvement",
        ),
        PlanRowData(
            number=4,
            priority="Increase evaluation surveys which assess the application of learning to practice",
            action_needed=(
                "Systemise method and frequency of contact with learning and development delegates to survey how "
                "learning has been applied"
            ),
            responsible="L&D Team and CSCB L&D Co-ordinator",
            target="Q3 2017",
            expected_impact=("Secure data to evidence and assess positive proactive shift and return on investment"),
        ),
        PlanRowData(
            number=5,
            priority="Explore options for improving self-serve booking systems and e-learning provision",
            action_needed=(
                "Prepare options for identifying areas for improvement: specifically for self-serve booking and "
                "attendance records and e-learning provisions\n"
                "Improve access and use of current system through addressing known issues\n"
                "Promote and advise on use to access the benefits, e.g. learning and development attendance\n"
                "Explore options to provide an alternative or improved system"
            ),
            responsible="CSCB L&D Co-ordinator",
            target="Q4 2018",
            expected_impact=(
                "Enable ease of access to practitioners to access and record safeguarding learning and development"
            ),
        ),
        PlanRowData(
            number=6,
            priority=(
                "Assess the rate of agency engagement and individual non-attendance and develop options for "
                "enforcing non-attendance charges"
            ),
            action_needed=(
                "Ensure access to and reporting of relevant data\n"
                "Prepare business case for adopting a non-attendance charging framework\n"
                "Agree charging rates method and criteria with L&D sub-group\n"
                "Ensure system development to enable charging (linked to 5.)\n"
                "Ensure publicity on changes before go live"
            ),
            responsible="CSCB L&D Co-ordinator and Board Team (QA and Manager)",
            target="Q4 2018",
            expected_impact="Develop new revenue stream for CSCB L&D budget and promote attendance",
        ),
        PlanRowData(
            number=7,
            priority="Develop use of a Safeguarding Learning and development Pool",
            action_needed=(
                "Agree engagement plan with L&D sub-group\n"
                "Agree delivery plan with L&D Sub Group\n"
                "Agree quality assurance framework for Pool"
            ),
            responsible="CSCB Co-ordinator / L&D sub Group",
            target="Q3 2017",
            expected_impact=(
                "Increase the use of local experts that support local practice - improving local knowledge and "
                "application of skills to local systems"
            ),
        ),
        PlanRowData(
            number=8,
            priority=(
                "Develop a range of Learning and Development information and resources available to professionals "
                "to use with and for their settings"
            ),
            action_needed=(
                "Build content in line with CSCB priorities and local practice\n"
                "Provide list of recommended learning standards and safeguarding trainers for purchasing on-site "
                "learning and development"
            ),
            responsible="CSCB Co-ordinator / L&D sub Group",
            target="Q4 2018",
            expected_impact=(
                "To enable practitioners in different settings to access resources that support their own agency's "
                "safeguarding learning and development"
            ),
        ),
        PlanRowData(
            number=9,
            priority=(
                "Undertake Multi-Agency Learning and development Needs Audits to better understand the level of met "
                "and unmet safeguarding learning and development need of different agencies"
            ),
            action_needed="Design method and frequency for TNA surveys\nAgree areas of focus for audit",
            responsible="CSCB Co-ordinator / L&D sub Group",
            target="Q3 2017",
            expected_impact="Better range of data to support future learning pathways and plans",
        ),
    ),
)

DELIVERY_PLAN = PlanData(
    title="Learning and Development Programme Delivery Plan 2017-18",
    period_label="2017-18",
    rows=(
        PlanRowData(
            number=1,
            priority=(
                "Develop full Learning and Development offer (full programme will be published on Board website)"
            ),
            action_needed="Agree offer in line with CSCB priorities\nPublish full details of offer on CSCB website",
            responsible="CSCB Co-ordinator/ L&D Sub-Group",
            target="April 2017",
            expected_impact="Provide face to face and e-learning offers to enhance safeguarding practice",
        ),
        PlanRowData(
            number=2,
            priority="CSCB Annual Conference",
            action_needed="Agree theme, content and delivery",
            responsible="CSCB Co-ordinator and CSCB Manager",
            target="May 2017",
            expected_impact="Quality thematic conference to engage partners",
        ),
        PlanRowData(
            number=3,
            priority=(
                "Revise learning and development offer for\n"
                "- Impact of Parental Substance Misuse\n"
                "- Impact of Parental Mental Health\n"
                "- Thresholds and Early Help\n"
                "- Engaging Fathers"
            ),
            action_needed=(
                "Review content based on learning and development needs feedback and evidence from reviews and "
                "audits\n"
                "Re-design delivery of face to face formats\n"
                "Improve publicity across children and adult workforce"
            ),
            responsible="CSCB Co-ordinator/ L&D Sub-Group",
            target="April 2017",
            expected_impact="Improved engagement with learning across partnership",
        ),
        PlanRowData(
            number=4,
            priority="SCR Learning",
            action_needed="Develop new delivery sessions for SCR learning\nDevelop learning resources",
            responsible="CSCB Co-ordinator/ L&D Sub-Group",
            target="April 2017",
            expected_impact=(
                "Improved access to SCR messages and support to sustain improved practice via learning information "
                "and resources"
            ),
        ),
    ),
)

# --- Appendix A: Themes from Serious Case Reviews linked to L&D Activity (15-16) ---------------------------------
# The evidence column names five serious case reviews by their anonymised names; the document gives no years.
ANON, FGH, LG, P, T = "Children Anon", "Children F,G,H", "Child LG", "Child P", "Child T"
SOURCES = tuple(SourceData(reference) for reference in (ANON, FGH, LG, P, T))

L3 = "L3 Safeguarding"
EH = "EH Assessments"
EH_LP = "EH Assessments and Lead Professional"
SCRS = "Lessons from SCRs"
INDUCTION = "Multi-Agency Induction"
CTRA = "Critical Thinking and Risk Assessment"
MENTAL_HEALTH = "Impact of Parental Mental Health"
# Row 2 says "Impact of Substance Misuse", row 3 "Impact of Parental Substance Misuse": probably one course, but
# the table names them differently, so they stay two activities (a board administrator can merge them).
SUBSTANCE = "Impact of Substance Misuse"
PARENTAL_SUBSTANCE = "Impact of Parental Substance Misuse"
ANNUAL_CONFERENCE = "Annual Conference"  # in italics in the table
LADO_CONFERENCE = "LADO Conference"
EH_CONFERENCE = "EH Conference (15/16)"
CONFERENCE = LearningActivity.Kind.CONFERENCE

ACTIVITIES = (
    ActivityData(L3),
    ActivityData(EH),
    ActivityData(SCRS),
    ActivityData(EH_CONFERENCE, CONFERENCE),
    ActivityData(INDUCTION),
    ActivityData(MENTAL_HEALTH),
    ActivityData(SUBSTANCE),
    ActivityData("Domestic Abuse"),
    ActivityData(ANNUAL_CONFERENCE, CONFERENCE),
    ActivityData("Neglect"),
    ActivityData(CTRA),
    ActivityData(PARENTAL_SUBSTANCE),
    ActivityData(EH_LP),
    ActivityData("Signs and behaviours of FII"),
    ActivityData(LADO_CONFERENCE, CONFERENCE),
    ActivityData("Strengthening Families Framework"),
    ActivityData("Safeguarding CWD"),
)

THEMES = (
    ThemeData("Early Help & Safeguarding", (ANON, LG), (L3, EH, SCRS, EH_CONFERENCE, INDUCTION)),
    ThemeData(
        "Parental Substance Misuse & Mental Health, and Domestic Abuse",
        (ANON, LG, P),
        (MENTAL_HEALTH, SUBSTANCE, "Domestic Abuse", ANNUAL_CONFERENCE),
    ),
    ThemeData(
        "Complex Neglect", (ANON, FGH), (L3, "Neglect", CTRA, MENTAL_HEALTH, PARENTAL_SUBSTANCE, ANNUAL_CONFERENCE)
    ),
    ThemeData("Use of Escalation Policy", (ANON, FGH, T), (L3, SCRS, INDUCTION)),
    ThemeData("Use of Pre-Birth Assessment", (ANON,), (CTRA,)),
    ThemeData("Assessments and Joint Working", (ANON, FGH, T, LG, P), (CTRA, L3, SCRS, EH_LP, INDUCTION)),
    ThemeData("Working with Avoidant families", (ANON, FGH), (CTRA, L3, SCRS, EH_LP, INDUCTION)),
    ThemeData("Voice of the child in assessments and interventions", (FGH, LG, T), (CTRA, L3, SCRS, EH)),
    ThemeData("Use of Safeguarding Supervision", (ANON, FGH, T), (L3, SCRS)),
    ThemeData("Fabricated or Induced Illness", (FGH,), ("Signs and behaviours of FII",)),
    ThemeData("Information and analysis sharing", (ANON, FGH, T, LG, P), (L3, CTRA, SCRS, EH_LP, INDUCTION)),
    ThemeData("Protecting Children who are looked after", (T,), (LADO_CONFERENCE, CTRA)),
    ThemeData("LAC and CP plans", (T,), (LADO_CONFERENCE, "Strengthening Families Framework")),
    ThemeData("Communicating with U5's and CWD", (ANON, FGH), (CTRA, "Safeguarding CWD")),
    # The table lists Critical Thinking and Risk Assessment twice in this row: it is linked once.
    ThemeData("Engaging Fathers", (ANON, FGH, LG), (CTRA, SCRS, EH_LP)),
)

CROYDON = StrategyData(
    board="croydon",
    title="CSCB Learning and Development Strategy 2017-19 and Delivery Plan 2017-18",
    period_start=date(2017, 4, 1),
    period_end=date(2019, 3, 31),
    adopted_on=date(2017, 3, 16),  # "Adopted by CSCB 16/03/17" (document control)
    review_cycle_months=24,  # 7.1: "the Plan will be updated every two years"
    headline=(
        "We are committed to supporting better outcomes for children through developing a culture of continuous "
        "learning and improvement amongst all partners."
    ),
    introduction=INTRODUCTION,
    version_label="Working Copy",
    aims=AIMS,
    objectives=OBJECTIVES,
    principles=PRINCIPLES,
    standards=STANDARDS,
    responsibilities=RESPONSIBILITIES,
    sign_offs=SIGN_OFFS,
    plans=(PRIORITY_PLANNING, DELIVERY_PLAN),
    sources=SOURCES,
    activities=ACTIVITIES,
    themes=THEMES,
)
