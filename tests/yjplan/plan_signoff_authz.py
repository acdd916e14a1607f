"""Authorization expectations for review, the sign-off chain, verification and the public pages (merged into
the matrix and the page smoke test)."""

from django.core.management import call_command

from tests.yjplan.test_authorization_matrix import Expect, _members
from yjplan.models import PlanTemplate
from yjplan.permissions import ALL_ROLES, Role


def _template():
    if not PlanTemplate.objects.exists():
        call_command("loaddata", "fixtures/reference/plan_templates.json", verbosity=0)
    return PlanTemplate.objects.get(key="yjb-four-key-areas")


def signoff_plan(world):
    """A draft plan of the own partnership for the review and sign-off pages."""
    if "signoff_plan" not in world:
        from yjplan.plans import services

        world["signoff_plan"] = services.plan_create(
            partnership=world["own"],
            template=_template(),
            title="Northshire Youth Justice Plan 2020/21",
            first_year=2020,
            last_year=2020,
        )
    return world["signoff_plan"]


def signoff_section(world):
    return signoff_plan(world).sections.order_by("position").first()


def signoff_comment(world):
    from yjplan.plans import services

    return services.comment_add(
        section=signoff_section(world), author=world["members"][Role.BOARD].user, text="Add last year's custody figures"
    )


def signoff_rendition(world):
    from yjplan.plans import services

    return services.rendition_request(plan=signoff_plan(world), requested_by=None)


def write_all(plan, author=None):
    """Give every section some words (the first one a live block), so the plan can be approved."""
    from yjplan.plans import content, services

    for section in plan.sections.order_by("position"):
        block = content.marker_html("yjplan.partnership_summary") if section.position == 1 else ""
        services.section_save(
            section=section,
            title=section.title,
            body=f"{section.body}<p>Our own words about {section.title.lower()}.</p>{block}",
            base_revision=section.revision,
            author=author,
        )


def published_plan(world):
    """A plan of the own partnership through the whole chain: approved, rendered, signed, adopted, published.

    The PDFs are rendered in-process (document_render), as a worker would.
    """
    if "published_plan" not in world:
        from datetime import date

        from yjplan.documents import document_render
        from yjplan.models import Plan
        from yjplan.plans import services

        own, chair = world["own"], world["members"][Role.CHAIR]
        plan = services.plan_create(
            partnership=own,
            template=_template(),
            title="Northshire Youth Justice Plan",
            first_year=2019,
            last_year=2019,
        )
        write_all(plan)
        services.plan_approve(plan=plan, by=chair.user, minute="YJMB 12 June 2019, minute 4")
        rendition = services.rendition_request(plan=plan, requested_by=None)
        document_render(job_id=rendition.job_id)
        services.signoff_record(
            rendition=rendition,
            membership=chair,
            full_name=chair.user.full_name,
            role="Chair, Youth Justice Management Board",
            organisation="Northshire Constabulary",
            statement="",
        )
        rendition.refresh_from_db()
        document_render(job_id=rendition.signed_job_id)
        for council in own.local_authorities.order_by("position"):
            services.adoption_record(
                plan=plan, council=council, body="Cabinet", adopted_on=date(2019, 7, 16), reference="Item 9", by=None
            )
        services.plan_publish(plan=plan)
        world["published_plan"] = Plan.objects.get(pk=plan.pk)
    return world["published_plan"]


EDIT = _members("plan.edit")
COMMENT = _members("plan.comment")
PLAN = {"plan": "{signoff_plan}"}

PARTNERSHIP_URLS = {
    "comment_add": Expect(
        COMMENT,
        kwargs={"plan": "{signoff_plan}", "section": "{signoff_section}"},
        method="post",
        ok=302,
        data={"text": "Please add the remand figures"},
    ),
    "comment_resolve": Expect(
        COMMENT,
        kwargs={"plan": "{signoff_plan}", "comment": "{signoff_comment}"},
        method="post",
        ok=302,
        data={"resolved": "1"},
    ),
    "plan_review_request": Expect(EDIT, kwargs=PLAN),
    "plan_approve": Expect(_members("plan.approve"), kwargs=PLAN),
    "plan_signatories": Expect(EDIT, kwargs=PLAN),
    # plan.sign is held by the chair and board members, but a board member signs only when asked to
    # (services.may_sign): in the test world nobody is asked, so only the chair may open the page.
    "rendition_sign": Expect(
        frozenset({Role.CHAIR}), kwargs={**PLAN, "number": "{signoff_rendition}"}, declared="plan.sign"
    ),
    "plan_submission": Expect(EDIT, kwargs=PLAN),
    "plan_adoption": Expect(EDIT, kwargs=PLAN),
    "plan_publish": Expect(EDIT, kwargs=PLAN, method="post", ok=302),
    "plan_amend": Expect(EDIT, kwargs=PLAN),
    "plan_verify": Expect(ALL_ROLES),
}

# Public pages: (anonymous status, signed-in member status, kwargs)
PUBLIC = {"partnership": "{public_partnership}", "plan": "{public_plan}"}
GLOBAL_URLS = {
    "public_partnership_plans": (200, 200, {"partnership": "{public_partnership}"}),
    "public_plan": (200, 200, PUBLIC),
    "public_plan_pdf": (200, 200, PUBLIC),
    "public_plan_json": (200, 200, PUBLIC),
}

FILL = {
    "{signoff_plan}": lambda world: signoff_plan(world).pk,
    "{signoff_section}": lambda world: signoff_section(world).pk,
    "{signoff_comment}": lambda world: signoff_comment(world).pk,
    "{signoff_rendition}": lambda world: signoff_rendition(world).number,
    "{public_partnership}": lambda world: published_plan(world).partnership.slug,
    "{public_plan}": lambda world: published_plan(world).public_slug,
}
