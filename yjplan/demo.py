"""Demo plans: Cambridgeshire and Peterborough 2019–22 (adopted and published) and Warwickshire 2019/20
(signed), written in our own words from the seed documents' content, with their live blocks."""

from datetime import date

from django.conf import settings
from django.core.management import call_command

from yjplan.documents import document_render
from yjplan.models import Membership, Plan, PlanTemplate
from yjplan.plans import content, services

CAMBS = {
    "Chair's foreword": """
<p>This joint plan looks back on a year of the Cambridgeshire and Peterborough youth offending services working as
one partnership, and sets out what the partners will do together from 2019 to 2022. Since the two councils formed a
joint leadership team in 2017 and appointed a joint head of service in 2018, the board has held both services to the
same standard while respecting the differences between a large county and a city.</p>
<p>Neither service was inspected this year. We have used the HM Inspectorate of Probation standards to test our own
practice, so that we stay ready for inspection and, more importantly, keep improving what children and victims
receive.</p>""",
    "Vision and strategic objectives": """
<p>Our vision is that children in Cambridgeshire and Peterborough are safe, stay out of the justice system where that
is possible, and are helped to stop offending where it is not.</p>
<ul><li>Act on the live reoffending data with partnership priorities that reduce the number of children who
reoffend.</li><li>Strengthen the partnership's response to criminal exploitation and serious youth violence.</li>
<li>Keep robust arrangements that prevent custody and remands and make resettlement work.</li></ul>""",
    "Structure and governance": """
<p>The joint Youth Justice Management Board has overseen both services for two years. It is chaired independently by
an Assistant Chief Constable and brings together senior leaders from children's social care, the National Probation
Service, the constabulary, the Police and Crime Commissioner's office, the clinical commissioning group, education
and public health.</p>
<p>The board receives regular reports on the national indicators, the locally agreed indicators for education,
accommodation and remands, the live reoffending tracker, National Standards audits and thematic case audits. After
each meeting the lead officer writes a quarterly summary for the safeguarding and community safety boards.</p>""",
    "Partnership arrangements": """
<p>Both services work closely with children's social care, early help and the adolescent teams, and take part in
strategy discussions through the Multi-Agency Safeguarding Hub. In Peterborough the service sits within the Targeted
Youth Support Service, bringing early help and youth work together around adolescents.</p>
<p>The board reports each quarter to the Safeguarding Executive Board and the Countywide Community Safety Board, and
the Police and Crime Commissioner's office is an active partner in commissioning.</p>""",
    "Practice and performance": """
<p>First-time entrants in Cambridgeshire remain below the Eastern region and England, and custody stays low in both
areas. Reoffending fell in Cambridgeshire but rose in Peterborough, where a small group of children committed a large
share of offences; the board has asked for the high-risk service to work across both areas.</p>""",
    "Resourcing and value for money": """
<p>The partners' contributions for 2018/19 are below, cash and in kind for each council. Peterborough's budget was
unchanged; Cambridgeshire's council contribution fell by £40,000 for 2019/20, agreed by the board after a review of
how the service is organised.</p>
<p>Two successful partnership bids brought in Home Office Early Intervention Youth Fund money for work on criminal
exploitation and county lines.</p>""",
    "Risks to future delivery": """
<p>The largest risk remains the financial pressure on every partner. The caseload has fallen, but the children who
remain have more complex needs, and exploitation and serious violence demand intensive work. The risks below are
reviewed by the board each quarter.</p>""",
    "Service priorities": """
<p>The two services share most priorities for the next three years, with some that reflect local needs.</p>""",
    "Review of last year's priorities": """
<p>The review below shows each of last year's priorities, what was done and the progress at six and twelve
months.</p>""",
    "Approval": """
<p>The Youth Justice Management Board approved this plan on behalf of the partnership. It is signed by the chair of
the board and adopted by both councils.</p>""",
}

WARKS = {
    "Chair's foreword": """
<p>This plan reports on the Warwickshire Youth Justice Service's year and sets the direction for 2019/20. Reoffending
fell sharply, and only a handful of children received custodial sentences; the partnership wants to build on that while
preparing for the new National Standards.</p>""",
    "Vision and strategic objectives": """
<p>We want every child who comes into contact with the service to have a fair chance to move away from offending,
with services that reach them wherever they live in a large county.</p>""",
    "Structure and governance": """
<p>The Chief Officer Board meets every quarter. It is chaired by the council's director for children's services,
with the director of public health as vice-chair, and receives an in-depth report on performance and finance at each
meeting, together with a practitioner spotlight on a theme of the service's work.</p>""",
    "Partnership arrangements": """
<p>Police, probation and health provide staff to the multi-agency service, and the council funds the education
focus. The service works within the local safeguarding and community safety partnerships, including their shared
priority on child sexual exploitation.</p>""",
    "Practice and performance": """
<p>The binary reoffending rate fell to 27.3%, better than the national, regional and family rates. Five
custodial sentences were imposed on four children in 2018/19, giving a custody rate well below the West Midlands and
England.</p>""",
    "Resourcing and value for money": """
<p>The partner contributions for 2019/20 are set out below in the YJB's layout. The Youth Justice Board grant funds
staff who deliver the priorities agreed by the Chief Officer Board.</p>""",
    "Risks to future delivery": """
<p>The new National Standards, rising complexity among the children the service works with and financial pressure on
every partner are the main risks. The board has named a lead for each of the five areas of the standards.</p>""",
    "Service priorities": """<p>The key actions for 2019/20 form a RAG-rated action plan reviewed by the board every
quarter.</p>""",
    "Review of last year's priorities": """<p>Progress on last year's actions is summarised below.</p>""",
    "Approval": """<p>Approved by the Chief Officer Board and signed by its chair.</p>""",
}


# Which year each plan's budget tables show: the tables the seed documents publish.
BLOCK_OPTIONS = {
    "cambs-peterborough": {
        "budgets.contributions_table": {"year": 2018, "layout": "joint"},
        "budgets.year_on_year": {"year": 2019},
    },
    "warwickshire": {
        "budgets.contributions_table": {"year": 2019, "layout": "yjb"},
        "budgets.year_on_year": {"year": 2019},
    },
}


def _write(plan, texts, author):
    options = BLOCK_OPTIONS.get(plan.partnership.slug, {})
    for section in plan.sections.all():
        text = texts.get(section.title)
        if text is None:
            continue
        blocks = section.body
        for marker in content.markers(section.body):
            if marker.key in options:
                blocks = blocks.replace(marker.raw, content.marker_html(marker.key, options[marker.key]))
        body = " ".join(text.split()).replace("> <", "><") + blocks
        services.section_save(
            section=section, title=section.title, body=body, base_revision=section.revision, author=author
        )


def _member(partnership, role):
    return Membership.objects.select_related("user").filter(partnership=partnership, **{f"is_{role}": True}).first()


def _sign(plan, partnership, minute):
    """Approve; then (unless DEMO_RENDER_PDFS is off) render, sign and render the signed document."""
    chair = _member(partnership, "chair")
    services.plan_approve(plan=plan, by=chair.user, minute=minute)
    if not settings.DEMO_RENDER_PDFS:
        return None
    rendition = services.rendition_request(plan=plan, requested_by=_member(partnership, "manager").user)
    document_render(job_id=rendition.job_id)
    services.signoff_record(
        rendition=rendition,
        membership=chair,
        full_name=chair.user.full_name,
        role=chair.job_title,
        organisation=chair.organisation,
        statement="",
    )
    rendition.refresh_from_db()
    document_render(job_id=rendition.signed_job_id)
    return rendition


def _submit_adopt_publish(plan, partnership, manager):
    services.submission_record(plan=plan, submitted_on=date(2019, 6, 28), feedback="", by=manager.user)
    councils = partnership.local_authorities.order_by("position")
    for council, body, day in zip(councils, ("Children and Young People Committee", "Cabinet"), (9, 22), strict=False):
        services.adoption_record(
            plan=plan, council=council, body=body, adopted_on=date(2019, 7, day), reference="", by=manager.user
        )
    services.plan_publish(plan=plan)


def seed(*, partnerships, stdout):
    if not PlanTemplate.objects.exists():
        call_command("loaddata", "fixtures/reference/plan_templates.json", verbosity=0)
    four_areas = PlanTemplate.objects.get(key="yjb-four-key-areas")
    cambs = partnerships.get("cambs-peterborough")
    if cambs is not None and not Plan.objects.filter(partnership=cambs).exists():
        manager = _member(cambs, "manager")
        plan = services.plan_create(
            partnership=cambs,
            template=four_areas,
            title="Cambridgeshire and Peterborough Joint Youth Justice Plan 2019–2022",
            first_year=2019,
            last_year=2021,
            created_by=manager.user,
        )
        _write(plan, CAMBS, manager.user)
        if _sign(plan, cambs, "Youth Justice Management Board, June 2019") is not None:
            _submit_adopt_publish(plan, cambs, manager)
        stdout.write("Demo plan: Cambridgeshire and Peterborough 2019–2022.")
    warks = partnerships.get("warwickshire")
    if warks is not None and not Plan.objects.filter(partnership=warks).exists():
        manager = _member(warks, "manager")
        plan = services.plan_create(
            partnership=warks,
            template=four_areas,
            title="Warwickshire Youth Justice Plan 2019/20",
            first_year=2019,
            last_year=2019,
            created_by=manager.user,
        )
        _write(plan, WARKS, manager.user)
        _sign(plan, warks, "Chief Officer Board, June 2019")
        stdout.write("Demo plan: Warwickshire 2019/20.")
