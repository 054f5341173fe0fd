"""Leeds LSCB, Learning and Development Strategy 2014-17 (shared/seeds/001), in full.

The document is written as prose (Introduction, Context, the LSCB Learning and Development Offer, Quality
Assurance); it has no numbered lists of objectives, principles or standards. What it holds and where it goes:
- Introduction, context and the offer: the strategy's introduction (an extract in its own words).
- Aims (3): the two things the Introduction says the strategy is "developed to set out" and "will also outline",
  and the "main aim of learning and development opportunities" the Quality Assurance section names.
- Roles and responsibilities (4): the Learning and Development Subgroup (with the quality assurance it
  receives), the Training and Development Officers and Administrator, the Multi-agency Training Pool, and
  individual agencies and organisations.
- No objectives, learning principles or standards: the document lists none. It says training follows "the
  Training Standards as agreed and adopted by the West Yorkshire LSCB Trainers, and based on the PIAT
  Multi-agency Training Standards" without listing them (that sentence is in the Training Pool's role).
- No action plan: the document has no priorities, actions or targets.
- No audience groups: the document names none.
The document gives no adoption date (the period's start is used) and no version; it is "reviewed and Refreshed
on a three year cycle" (36 months).
"""

from __future__ import annotations

from datetime import date

from tenant_apps.demo.documents import ItemData, StrategyData

INTRODUCTION = """\
Overseen by the LSCB Learning and Development Subgroup the L&D Strategy comprises of a number of supporting \
documents / links which make up the strategy as a whole. The L&D Strategy will be reviewed and Refreshed on a \
three year cycle.

Leeds is the second largest metropolitan borough authority in England with a population of three quarters of a \
million people. There are 178,000 children and young people aged 0 to 19, representing 23% of the city's total \
population.

There is an estimated Childrens Workforce of 75,000 practitioners and volunteers within Leeds, although exact \
numbers are unquantifiable due to the size and structure of the Third Sector. Leeds has developed a cluster \
approach to providing services to children and young people with 25 local clusters based on geographical \
location. All of these practitioners require safeguarding training at differing levels dependent upon their \
roles and responsibilities.

Leeds LSCB, like many other LSCBs has chosen to provide a city-wide multi-agency Training Offer as part of its \
Learning and Development opportunities. This approach ensures that practitioners are able to access identified \
training and learning opportunities. Leeds LSCB also has a Learning and Improvement Framework (LIF) which is \
completed in partnership with its partner agencies and disseminated to ensure learning and good practice is \
cascaded throughout the Childrens Workforce.

Leeds LSCB provides a variety of learning and development opportunities including a refreshed multi-agency \
Training Offer, topic based “light bite” sessions, briefings, workshops and conferences (local and regional). The \
Training Offer includes core safeguarding training as well as a variety of additional and specialist courses, \
including training for trainers to support the Third Sector in delivering introductory training in-house."""

AIMS = (
    ItemData(
        "To set out how the LSCB will undertake its functions to “monitor and evaluate the effectiveness of "
        "training, including multi-agency training, to safeguard and promote the welfare of children.” As outlined "
        "in Working Together 2013 P60."
    ),
    ItemData(
        "To outline the city wide multi-agency learning and development opportunities for practitioners within the "
        "City of Leeds, how these will be provided and how they will be quality assured."
    ),
    ItemData(
        "The main aim of learning and development opportunities is to support practitioners in working with, and "
        "responding to concerns regarding children and young people in order to have an impact on their outcomes."
    ),
)

RESPONSIBILITIES = (
    ItemData(
        title="Learning and Development Subgroup",
        body="""\
The sub group comprising representatives from LSCB Partner Agencies provides oversight of all multi-agency \
learning and development opportunities provided by the LSCB, responds to emerging issues identified by the LIF \
and case reviews, oversees the Training Pool which delivers the LSCB Training Offer and quality assures LSCB and \
Partner Agency safeguarding training.

The quality assurance processes used by the LSCB include participant reaction evaluations and impact evaluations \
(3 months after the training) which are reported to the Learning and Development Subgroup on a quarterly basis \
(and within the Annual Learning and Development Report) along with a trainer's observation process which ensures \
the LSCB training is in line with the agreed standards.

The Learning and Development Subgroup respond to any concerns identified within any of the processes outlined \
above.""",
    ),
    ItemData(
        title="Training and Development Officers and Administrator",
        body=(
            "The LSCB Learning and Development Offer is overseen by the Learning and Development Subgroup and "
            "supported by two part time (one full time equivalent) Training and Development Officers and a full time "
            "Administrator from the Business Unit."
        ),
    ),
    ItemData(
        title="Multi-agency Training Pool",
        body="""\
The Training Offer is delivered via a Multi-agency Training Pool comprising of trainers provided in-kind by our \
partner agencies. All trainers are either safeguarding trainers within their own organisation or practitioners \
with safeguarding knowledge who have undergone the West Yorkshire LSCB Training for Trainers course.

By matching trainers according to agency, job role, skills and knowledge this approach allows the LSCB to provide \
multi-agency safeguarding training in a truly multi-agency approach. All training is delivered in line with the \
Training Standards as agreed and adopted by the West Yorkshire LSCB Trainers, and based on the PIAT Multi-agency \
Training Standards.""",
    ),
    ItemData(
        title="Individual agencies and organisations",
        body="""\
It is the responsibilities of individual agencies and organisations to identify the training needs of their \
staff, and where possible provide (in-house at introductory level based on the agreed Minimum content), or \
identify opportunities to access, appropriate training. Partner agencies are also asked to ensure that any \
in-house training is delivered in line with these standards [the Training Standards the Training Pool follows].

The effectiveness of partner agency training will be monitored through the Section 11 Audit process undertaken \
by the LSCB as well as within Partner Agencies Annual reports to the LSCB. In addition training will be included \
within LSCB Partner Agency Challenge Events, either as part of the Section 11 Challenge or as a separate Learning \
and Development Challenge Event.""",
    ),
)

LEEDS = StrategyData(
    board="leeds",
    title="Leeds LSCB Learning and Development Strategy 2014-17",
    period_start=date(2014, 4, 1),
    period_end=date(2017, 3, 31),
    adopted_on=date(2014, 4, 1),  # the document gives no adoption date: the start of its period
    review_cycle_months=36,
    headline=(
        "Multi-agency safeguarding Learning & Development opportunities in Leeds and how the LSCB monitors and "
        "evaluates their effectiveness."
    ),
    introduction=INTRODUCTION,
    aims=AIMS,
    responsibilities=RESPONSIBILITIES,
)
