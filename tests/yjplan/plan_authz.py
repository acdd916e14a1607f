"""Authorization expectations for the plan's authoring pages (merged into the matrix)."""

from django.core.management import call_command

from tests.yjplan.test_authorization_matrix import Expect, _members
from yjplan.models import PlanTemplate
from yjplan.permissions import ALL_ROLES


def plan_of(world):
    if "plan" not in world:
        from yjplan.plans import services

        if not PlanTemplate.objects.exists():
            call_command("loaddata", "fixtures/reference/plan_templates.json", verbosity=0)
        world["plan"] = services.plan_create(
            partnership=world["own"],
            template=PlanTemplate.objects.get(key="yjb-four-key-areas"),
            title="Northshire Youth Justice Plan",
            first_year=2019,
            last_year=2019,
        )
    return world["plan"]


def section_of(world):
    return plan_of(world).sections.order_by("position").first()


def local_section_of(world):
    from yjplan.plans import services

    plan = plan_of(world)
    return services.section_add(plan=plan, title=f"Local {plan.sections.count()}", author=None)


def table_section_of(world):
    """A section holding one table (a block marker), for the table options page."""
    from yjplan.plans import services

    section = local_section_of(world)
    return services.section_save(
        section=section,
        title=section.title,
        body='<div data-block="yjplan.partnership_summary" data-options="{}"></div>',
        base_revision=section.revision,
        author=None,
    )


EDIT = _members("plan.edit")
PLAN = {"plan": "{plan}"}
SECTION = {"plan": "{plan}", "section": "{section}"}

PARTNERSHIP_URLS = {
    "plan_list": Expect(ALL_ROLES),
    "plan_new": Expect(EDIT),
    "plan_detail": Expect(ALL_ROLES, kwargs=PLAN),
    "plan_edit": Expect(EDIT, kwargs=PLAN),
    "section_add": Expect(EDIT, kwargs=PLAN),
    "section_detail": Expect(ALL_ROLES, kwargs=SECTION),
    "section_edit": Expect(EDIT, kwargs=SECTION),
    "section_autosave": Expect(
        EDIT,
        kwargs=SECTION,
        method="post",
        data={"base_revision": "1", "body": "<p>x</p>"},
        content_type="application/json",
    ),
    "section_move": Expect(EDIT, kwargs=SECTION, method="post", ok=302, data={"direction": "down"}),
    "section_delete": Expect(EDIT, kwargs={"plan": "{plan}", "section": "{local_section}"}),
    "revision_list": Expect(ALL_ROLES, kwargs=SECTION),
    "revision_detail": Expect(ALL_ROLES, kwargs={**SECTION, "number": 1}),
    "revision_restore": Expect(EDIT, kwargs={**SECTION, "number": 1}, method="post", ok=302),
    "block_preview": Expect(
        EDIT, kwargs=PLAN, data={"key": "yjplan.partnership_summary"}, content_type="text/html; charset=utf-8"
    ),
    "block_options_form": Expect(
        EDIT, kwargs=PLAN, data={"key": "yjplan.partnership_summary"}, content_type="text/html; charset=utf-8"
    ),
    "block_options": Expect(EDIT, kwargs={"plan": "{plan}", "section": "{table_section}", "index": 0}),
    "rendition_new": Expect(EDIT, kwargs=PLAN, method="post", ok=302),
}

FILL = {
    "{plan}": lambda world: plan_of(world).pk,
    "{section}": lambda world: section_of(world).pk,
    "{local_section}": lambda world: local_section_of(world).pk,
    "{table_section}": lambda world: table_section_of(world).pk,
}
