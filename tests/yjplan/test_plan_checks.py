"""The plan's completeness checklist includes what the spokes know: budget confirmed, indicators fresh."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from budgets.models import BudgetYear
from tests.factories import PartnershipFactory, member
from yjplan.models import Membership, Plan, PlanTemplate
from yjplan.permissions import Role
from yjplan.plans import services


@pytest.mark.django_db
def test_the_checklist_names_the_budget_year_and_the_age_of_the_indicators(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    plan = Plan.objects.get(partnership__slug="warwickshire")
    manager = Membership.objects.get(partnership=plan.partnership, is_manager=True, user__email__endswith=".demo")
    client.force_login(manager.user)
    url = reverse("plan_detail", kwargs={"slug": "warwickshire", "plan": plan.pk})
    checks = {c["text"]: c for c in client.get(url).context["overview"]()["checks"]}  # lazy: yjplan.cache
    budget = checks["The 2019/20 budget is confirmed"]
    year = BudgetYear.objects.get(partnership=plan.partnership, start_year=2019)
    assert budget["done"] is (year.status != BudgetYear.Status.DRAFT)
    assert budget["hint"] == f"Now {year.get_status_display().lower()}"
    # the demo's figures are from 2018/19 and earlier: far older than 18 months today
    fresh = checks["Indicator figures are no older than 18 months"]
    assert fresh["done"] is False
    assert fresh["hint"].startswith("Older: ")


@pytest.mark.django_db
def test_a_year_without_a_budget_is_named(client):
    call_command("loaddata", "fixtures/reference/plan_templates.json", verbosity=0)
    partnership = PartnershipFactory()
    plan = services.plan_create(
        partnership=partnership,
        template=PlanTemplate.objects.get(key="yjb-four-key-areas"),
        title="Plan",
        first_year=2024,
        last_year=2024,
    )
    section = plan.sections.get(key_area="resourcing")
    services.section_save(
        section=section,
        title=section.title,
        body='<div data-block="budgets.contributions_table" data-options="{&quot;year&quot;: 2024}"></div>',
        base_revision=section.revision,
        author=None,
    )
    client.force_login(member(partnership, Role.VIEWER).user)
    response = client.get(reverse("plan_detail", kwargs={"slug": partnership.slug, "plan": plan.pk}))
    checks = response.context["overview"]()["checks"]
    budget = [c for c in checks if c["text"].startswith("The 2024/25 budget")]
    assert budget == [
        {"done": False, "text": "The 2024/25 budget is confirmed", "hint": "No budget entered for that year"}
    ]
    assert {
        "done": False,
        "text": "Indicator figures are entered",
        "hint": "No figures for the key indicators",
    } in checks
