"""The plan's title and YJB due date can be changed after the plan is started (30 June is only the default)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import PartnershipFactory, UserFactory, member
from yjplan.models import PlanStatus, PlanTemplate
from yjplan.permissions import Role
from yjplan.plans import services


@pytest.fixture
def plan(db, client):
    call_command("loaddata", "fixtures/reference/plan_templates.json", verbosity=0)
    partnership = PartnershipFactory(slug="warks", name="Warwickshire YJS")
    client.force_login(member(partnership, Role.MANAGER, user=UserFactory()).user)
    return services.plan_create(
        partnership=partnership,
        template=PlanTemplate.objects.get(key="yjb-four-key-areas"),
        title="Warwickshire Youth Justice Plan 2019/20",
        first_year=2019,
        last_year=2019,
    )


def edit_url(plan):
    return reverse("plan_edit", kwargs={"slug": "warks", "plan": plan.pk})


def test_change_the_due_date_and_title(plan, client):
    detail = client.get(reverse("plan_detail", kwargs={"slug": "warks", "plan": plan.pk})).content.decode()
    assert "30 June 2019" in detail and f'href="{edit_url(plan)}"' in detail
    page = client.get(edit_url(plan)).content.decode()
    assert all(f'value="{v}"' in page for v in ("30", "6", "2019"))
    revision = plan.content_revision
    response = client.post(
        edit_url(plan),
        {
            "title": "Warwickshire Youth Justice Plan 2019–20",
            "due_date_0": "31",
            "due_date_1": "7",
            "due_date_2": "2019",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.title, plan.due_date) == ("Warwickshire Youth Justice Plan 2019–20", dt.date(2019, 7, 31))
    assert plan.content_revision == revision + 1
    assert "31 July 2019" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "due_date_0": "30", "due_date_1": "6", "due_date_2": "2019"}, "Enter a title for the plan"),
        ({"title": "P", "due_date_0": "31", "due_date_1": "6", "due_date_2": "2019"}, "must be a real date"),
        ({"title": "P", "due_date_0": "", "due_date_1": "", "due_date_2": ""}, "Enter the date the plan is due"),
    ],
)
def test_bad_details_are_named(plan, client, data, message):
    response = client.post(edit_url(plan), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    plan.refresh_from_db()
    assert plan.due_date == dt.date(2019, 6, 30)


def test_a_signed_plan_keeps_its_details(plan, client):
    plan.status = PlanStatus.SIGNED
    plan.save()
    response = client.get(edit_url(plan))
    assert response["Location"] == reverse("plan_detail", kwargs={"slug": "warks", "plan": plan.pk})


def test_the_checklist_asks_for_a_ready_sign_off_page(plan):
    from yjplan.models import AgencyType
    from yjplan.plans.selectors import plan_overview

    def sign_off():
        return next(c for c in plan_overview(plan)["checks"] if c["text"].startswith("The sign-off page"))

    assert sign_off() == {
        "done": False,
        "text": "The sign-off page is ready: the chair and the statutory partners who sign are named",
        "hint": "No member is the board's chair",
    }
    member(plan.partnership, Role.CHAIR, user=UserFactory())
    assert sign_off()["hint"] == "Choose the statutory partners asked to sign"
    police = member(plan.partnership, Role.BOARD, user=UserFactory(), agency=AgencyType.POLICE)
    services.signature_request_set(plan=plan, memberships=[police])
    assert sign_off()["done"] is True and sign_off()["hint"] == ""
