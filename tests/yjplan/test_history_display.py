"""The history page reads as a person expects: labels not codes, names not ids, GOV.UK dates, no bookkeeping."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from actions import services as action_services
from actions.models import Action
from budgets.models import BudgetYear, ContributionLine
from tests.factories import PartnershipFactory, UserFactory, member
from yjplan.models import Plan, PlanTemplate
from yjplan.permissions import Role
from yjplan.plans import services as plan_services


def _page(client, partnership, label, pk):
    response = client.get(reverse("record_history", kwargs={"slug": partnership.slug, "label": label, "pk": pk}))
    assert response.status_code == 200
    return response


def _lines(response) -> list[list[tuple]]:
    return [[(c.field, c.old, c.new) for c in e.changes] for e in response.context["entries"]]


@pytest.fixture
def team(db):
    partnership = PartnershipFactory(slug="northshire")
    return {
        "partnership": partnership,
        "manager": member(partnership, Role.MANAGER, user=UserFactory(full_name="Mina Patel")),
        "board": member(partnership, Role.BOARD, user=UserFactory(full_name="Ann Brown")),
    }


def _action(team) -> Action:
    return action_services.action_create(
        partnership=team["partnership"],
        data={"reference": "2.1", "text": "Agree a remand protocol with the police", "leads": [team["board"].pk]},
    )


def test_a_rag_change_shows_its_labels_and_a_date_the_gov_uk_way(client, team):
    action = _action(team)
    action.completion, action.impact = "green", "progress_starting"
    action.last_update_at = dt.datetime(2019, 12, 10, 10, 0, tzinfo=dt.UTC)
    action.save()
    action.last_update_at = dt.datetime(2020, 6, 12, 18, 30, tzinfo=dt.UTC)  # British Summer Time: 7:30pm
    action.save()
    client.force_login(team["board"].user)
    response = _page(client, team["partnership"], "actions.action", action.pk)
    assert _lines(response) == [
        [("Last update at", "10 December 2019 at 10:00am", "12 June 2020 at 7:30pm")],
        [
            ("Completion RAG", "Not started", "On track"),
            ("Impact RAG", "No impact", "Progress starting"),
            ("Last update at", "(blank)", "10 December 2019 at 10:00am"),
        ],
        [
            ("Reference", None, "2.1"),
            ("Action", None, "Agree a remand protocol with the police"),
            ("Leads", None, "Ann Brown"),
        ],
    ]
    page = response.content.decode()
    assert "Completion RAG: Not started → On track</li>" in page
    assert "not_started" not in page and "progress_starting" not in page
    assert "Reference: 2.1</li>" in page  # what it was made with has no "before"


def test_the_heading_names_the_action_and_the_breadcrumbs_lead_back_to_it(client, team):
    action = _action(team)
    client.force_login(team["board"].user)
    response = _page(client, team["partnership"], "actions.action", action.pk)
    assert response.context["record_name"] == "Action 2.1: Agree a remand protocol with the police"
    assert response.context["breadcrumbs"] == [
        ("Home", "/p/northshire/"),
        ("Actions", "/p/northshire/actions/"),
        ("Action 2.1", f"/p/northshire/actions/{action.pk}/"),
    ]
    action_services.action_delete(action=action)
    response = _page(client, team["partnership"], "actions.action", action.pk)
    assert response.context["breadcrumbs"] == [("Home", "/p/northshire/"), ("Actions", "/p/northshire/actions/")]


def test_a_plan_approval_names_the_approver_and_hides_the_content_revision(client, team):
    call_command("loaddata", "fixtures/reference/plan_templates.json", verbosity=0)
    chair = member(team["partnership"], Role.CHAIR, user=UserFactory(full_name="Helen Brook"))
    plan = plan_services.plan_create(
        partnership=team["partnership"],
        template=PlanTemplate.objects.get(key="yjb-four-key-areas"),
        title="Northshire Youth Justice Plan",
        first_year=2019,
        last_year=2021,
        created_by=team["manager"].user,
    )
    for section in plan.sections.all():
        plan_services.section_save(
            section=section,
            title=section.title,
            body=section.body + "<p>Our own words.</p>",
            base_revision=section.revision,
            author=team["manager"].user,
        )
    plan_services.plan_approve(plan=plan, by=chair.user, minute="YJMB 12 June 2019, item 4")
    assert Plan.objects.get(pk=plan.pk).content_revision > 0
    client.force_login(team["board"].user)
    response = _page(client, team["partnership"], "yjplan.plan", plan.pk)
    approval = _lines(response)[0]
    assert [line[0] for line in approval] == ["Status", "Approved at", "Approved by", "Approval minute"]
    assert approval[0] == ("Status", "Draft", "Approved by the board")
    assert approval[1][1] == "(blank)" and re.fullmatch(
        r"\d{1,2} [A-Z][a-z]+ \d{4} at \d{1,2}:\d\d(am|pm)", approval[1][2]
    )
    assert approval[2:] == [
        ("Approved by", "(blank)", "Helen Brook"),
        ("Approval minute", "(blank)", "YJMB 12 June 2019, item 4"),
    ]
    page = response.content.decode()
    assert "Content revision" not in page and "Updated at" not in page
    assert response.context["breadcrumbs"][1:] == [
        ("Plans", "/p/northshire/plans/"),
        ("Northshire Youth Justice Plan", f"/p/northshire/plans/{plan.pk}/"),
    ]


def test_a_line_made_confirmed_shows_who_confirmed_it_and_money_in_pounds(client, team):
    finance = member(team["partnership"], Role.FINANCE, user=UserFactory(full_name="Fay Finch"))
    year = BudgetYear.objects.create(partnership=team["partnership"], start_year=2019)
    line = ContributionLine.objects.create(  # as the demo makes it: already confirmed, by no signed-in person
        budget_year=year,
        agency="police",
        staffing_costs="187479.00",
        confirmed_by=finance.user,
        confirmed_at=dt.datetime(2019, 12, 10, 10, 0, tzinfo=dt.UTC),
        confirmation_note="From the partner's letter",
    )
    client.force_login(team["board"].user)
    response = _page(client, team["partnership"], "budgets.contributionline", line.pk)
    assert _lines(response) == [
        [
            ("Agency", None, "Police"),
            ("Staffing costs", None, "£187,479"),
            ("Confirmed by", None, "Fay Finch"),
            ("Confirmed at", None, "10 December 2019 at 10:00am"),
            ("Confirmation note", None, "From the partner's letter"),
        ]
    ]
    assert response.context["breadcrumbs"][1:] == [
        ("Budget", "/p/northshire/budget/"),
        ("Budget 2019/20", "/p/northshire/budget/2019/"),
    ]


def test_the_action_history_page_has_a_fixed_query_count(client, team, query_guard):
    action = _action(team)
    client.force_login(team["board"].user)
    url = reverse("record_history", kwargs={"slug": "northshire", "label": "actions.action", "pk": action.pk})
    rags = ["red", "amber", "green"]

    def add_rows(n):
        for i in range(n):
            action_services.progress_add(
                action=action,
                membership=team["board"],
                text=f"Step {i}",
                completion=rags[i % 3],
                impact="progress_made",
            )

    assert query_guard.assert_fixed(client, url, add_rows=add_rows) == 7
