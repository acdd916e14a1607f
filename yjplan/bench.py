"""Benchmark data and pages for the plan (appended to bench/generate.py and bench/pages.py)."""

from django.core.management import call_command

from yjplan.models import Plan, PlanTemplate

PARAGRAPH = (
    "<p>The partnership reviewed the year's work with children, families and victims and agreed where the "
    "service must improve. Each partner committed staff and money to the priorities, and the board checks "
    "progress every quarter against the measures it set.</p>"
)


def generate_plans(partnerships, rng) -> None:
    """A written plan for the first 20 partnerships (the benchmark's own first), with comments to review."""
    from yjplan.plans import services

    if not PlanTemplate.objects.exists():
        call_command("loaddata", "fixtures/reference/plan_templates.json", verbosity=0)
    template = PlanTemplate.objects.get(key="yjb-four-key-areas")
    for partnership in partnerships[:20]:
        plan = services.plan_create(
            partnership=partnership,
            template=template,
            title=f"{partnership.name} Youth Justice Plan 2023/24",
            first_year=2023,
            last_year=2023,
        )
        for section in plan.sections.all():
            body = PARAGRAPH * rng.randint(3, 8) + section.body
            services.section_save(section=section, title=section.title, body=body, base_revision=1, author=None)
            for number in range(rng.randint(0, 4)):
                services.comment_add(section=section, author=None, text=f"Comment {number + 1} on {section.title}")


def _plan(partnership) -> Plan:
    return Plan.objects.filter(partnership=partnership).order_by("pk").first()


def _section_path(partnership) -> str:
    plan = _plan(partnership)
    section = plan.sections.get(key_area="resourcing")
    return f"/p/{partnership.slug}/plans/{plan.pk}/sections/{section.pk}/"


PAGES = [
    ("plans list", "/p/{slug}/plans/", "manager"),
    ("plan overview (10 sections)", lambda p: f"/p/{p.slug}/plans/{_plan(p).pk}/", "manager"),
    ("plan section with live budget tables", _section_path, "manager"),
]
