"""Demo: Cambridgeshire's 2010 capacity and capability self-assessment (seed 001 part two). Idempotent.

The self-assessed scores are the ones the seed gives. Its text has no score for activities 6.2–6.4,
7.1–7.3, 8.1, 8.3 and 9.1–9.3, so those stay unscored and the demo shows a half-finished assessment
(22 of 30 scored, judgement "Incomplete"). The evidence sentences are short summaries written for the demo.
"""

from __future__ import annotations

from performance.capability import services
from performance.capability.models import Assessment, CriticalActivity
from performance.models import Indicator
from yjplan.models import Membership

YEAR = 2010
# code -> (self-assessed score from seed 001 or None, short evidence written for the demo)
RESPONSES = {
    "1.1": (
        2,
        "Managers audit Assets and whole cases every four to six weeks with a local tool; results go to "
        "officers through supervision and to the Executive Board. Of 11 Assets audited in Dec 09–Jan 10, "
        "64% were good and 9% poor.",
    ),
    "1.2": (
        2,
        "A performance-through-supervision policy since December 2009; APIS and HMIP preparation action "
        "plans; a Data Analyst post replaces the Performance Manager.",
    ),
    "1.3": (
        2,
        "Parent and carer feedback gathered independently since January 2010; start and end Asset scores "
        "compared; health interventions reviewed every six months.",
    ),
    "1.4": (
        2,
        "All YOS Officers trained in APIS in 2009; service-wide safeguarding training in early 2010; "
        "YOIS training for specialist workers.",
    ),
    "2.1": (
        2,
        "A confirmed budget of £828,538 for 2010/11 with cash and in-kind contributions from every "
        "statutory partner; savings of £70k in 2010/11 and £30k in 2011/12.",
    ),
    "2.2": (
        2,
        "Fourteen case-holding officers with specialist workers beside them; an average caseload of 13; "
        "National Standards met in all cases.",
    ),
    "2.3": (
        2,
        "Annual appraisal with a six-month review and a learning plan for every staff member; a new "
        "training database being introduced.",
    ),
    "2.4": (
        1,
        "Diversity training is available through the council but not yet taken up across the service; a "
        "service-wide event on disproportionality is planned.",
    ),
    "3.1": (
        2,
        "Service agreements with health, probation, education, social care, police and the courts, "
        "reviewed every year; every universal service sits on the Executive Board.",
    ),
    "3.2": (
        2,
        "Asset needs lead to referral routes for mental health, substance misuse, accommodation, "
        "education, family and physical health.",
    ),
    "3.3": (
        2,
        "Specialist capacity grew in 18 months: an ETE Coordinator, a psychologist, a specialist nurse "
        "and parenting officers.",
    ),
    "4.1": (
        2,
        "Reducing first-time entrants is a Local Area Agreement priority with a multi-agency prevention "
        "strategy in the Children and Young People's Plan.",
    ),
    "4.2": (
        2,
        "Prevention delivered with partners: YISPs, a prevention post, the Family Intervention "
        "Partnership and restorative work in care homes and schools.",
    ),
    "4.3": (
        2,
        "First-time entrants analysed by age, gender, ethnicity, offence and area; 123 in October to "
        "December 2009, down from 140 a year before.",
    ),
    "5.1": (
        2,
        "Reoffending cohorts analysed by ethnicity, gender, risk factors, order and offence; the six-month "
        "rate was 0.64.",
    ),
    "5.2": (
        2,
        "Intensive supervision, resettlement support, one-to-one programmes and multi-systemic therapy, "
        "chosen from cohort analysis.",
    ),
    "5.3": (
        2,
        "Orders and licences managed to National Standards, with texts, travel costs and mentors to "
        "support compliance.",
    ),
    "6.1": (
        2,
        "Good relations with the northern and southern benches; a service agreement with the courts and "
        "six-monthly reports to the youth bench.",
    ),
    "6.2": (None, "Bail support, a Saturday court rota, ISSP screening and gate-kept pre-sentence reports."),
    "6.3": (
        None,
        "The Executive Board saw sentencing patterns in June 2009; a fuller analysis of remands and "
        "custody is due in June 2010.",
    ),
    "6.4": (
        None,
        "Planning and post-release meetings for every young person in custody; a new Integrated "
        "Resettlement Support worker.",
    ),
    "7.1": (None, "Risk Management Panels since January 2009 discuss qualifying cases within 10 working days."),
    "7.2": (None, "A local MAPPA agreement since September 2009; three cases managed at levels 2 and 3."),
    "7.3": (None, "Panels chaired by team leaders and tracked; serious incident reviews go to the Executive Board."),
    "8.1": (
        None,
        "Local safeguarding board procedures, a protocol with social care reviewed in 2009 and "
        "vulnerability panels within 10 working days.",
    ),
    "8.2": (
        2,
        "Vulnerability plans monitored in supervision; a safeguarding audit in the last six months; a team "
        "leader leads on safeguarding.",
    ),
    "8.3": (None, "A joint working protocol with social care since June 2008, reviewed in late 2009."),
    "9.1": (None, "Feedback from young people, parents, victims, courts and the community is being built up."),
    "9.2": (None, "A full-time victim officer and restorative justice officer; a Youth Conditional Caution pilot."),
    "9.3": (None, "A national communications award in 2009; community-chosen reparation sites."),
}
SIGNOFFS = [
    ("Gordon Jeyes", "Executive Director, Cambridgeshire Children and Young People's Services"),
    ("Alison Hancock", "Assistant Chief Probation Officer, Cambridgeshire & Peterborough Probation Trust"),
    ("Nigel Sunman", "Superintendent, Cambridgeshire Constabulary"),
    ("Annette Newton", "Director of Operations, Cambridgeshire & Peterborough NHS Foundation Trust"),
]
FTE_COMMENT = (
    "First-time entrants have fallen for three years running and are now just below the eastern region's rate. "
    "Prevention work with locality teams and in residential care is co-ordinated through one prevention brief."
)


def seed(partnerships, stdout=None) -> None:
    partnership = partnerships.get("cambs-peterborough")
    if partnership is None or not CriticalActivity.objects.exists():
        return
    if Assessment.objects.filter(partnership=partnership, year=YEAR).exists():
        return
    manager = Membership.objects.filter(partnership=partnership, is_manager=True).order_by("pk").first()
    board = Membership.objects.filter(partnership=partnership, is_board=True).order_by("pk").first()
    if manager is None:
        return
    assessment = services.assessment_create(partnership=partnership, year=YEAR)
    assignees = dict.fromkeys(range(1, 10), manager.pk)
    if board is not None:
        assignees[8] = board.pk  # safeguarding: the board member writes it, though only a board member
    services.assignments_save(assessment=assessment, assignees=assignees)
    for response in assessment.responses.select_related("activity"):
        score, evidence = RESPONSES[response.activity.code]
        services.response_update(
            response=response, by=manager, evidence=evidence, self_score="" if score is None else score
        )
    services.signoffs_save(assessment=assessment, rows=[{"name": n, "role": r, "signed_on": None} for n, r in SIGNOFFS])
    fte = Indicator.objects.filter(code="FTE", partnership__isnull=True).first()
    if fte is not None:
        services.commentary_save(assessment=assessment, texts={fte.pk: FTE_COMMENT})
    if stdout is not None:
        stdout.write(f"Self-assessment: {partnership.name} {YEAR} added.")
