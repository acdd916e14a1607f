"""A budget year shown in a plan becomes read-only when the chair signs that plan."""

import pytest
from django.core.management import call_command

from budgets.models import BudgetYear
from yjplan.documents import document_render
from yjplan.models import Membership, Plan
from yjplan.plans import services


@pytest.mark.django_db
def test_signing_the_plan_locks_the_budget_year_it_shows(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    plan = Plan.objects.get(partnership__slug="warwickshire")
    year = BudgetYear.objects.get(partnership=plan.partnership, start_year=2019)
    assert year.is_locked is False
    rendition = services.rendition_request(plan=plan, requested_by=None)
    document_render(job_id=rendition.job_id)
    chair = Membership.objects.select_related("user").get(partnership=plan.partnership, is_chair=True)
    services.signoff_record(
        rendition=rendition,
        membership=chair,
        full_name=chair.user.full_name,
        role="Chair",
        organisation=chair.organisation,
        statement="",
    )
    year.refresh_from_db()
    assert year.is_locked is True
    assert "Warwickshire Youth Justice Plan 2019/20, rendition 1, signed by the chair" in year.lock_reason
