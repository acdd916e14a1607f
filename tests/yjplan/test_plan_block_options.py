"""A table's options in the plan: chosen on a page of its own (no JavaScript needed) or from the editor's
panel, validated against what the block declares, written back into the marker, shown in the preview."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.budgets.factories import BudgetYearFactory, warwickshire
from tests.factories import UserFactory, member
from yjplan.models import PlanTemplate
from yjplan.permissions import Role
from yjplan.plans import content, services

BODY = (
    "<p>Our pooled budget.</p>"
    '<div data-block="yjplan.partnership_summary" data-options="{}"></div>'
    '<div data-block="budgets.contributions_table" data-options="{}"></div>'
)


@pytest.fixture
def setup(db, client):
    call_command("loaddata", "fixtures/reference/plan_templates.json", verbosity=0)
    partnership, _ = warwickshire(slug="warks")
    BudgetYearFactory(partnership=partnership, start_year=2018)
    manager = member(partnership, Role.MANAGER, user=UserFactory(full_name="Claire Danson"))
    client.force_login(manager.user)
    plan = services.plan_create(
        partnership=partnership,
        template=PlanTemplate.objects.get(key="yjb-four-key-areas"),
        title="Warwickshire Youth Justice Plan 2019/20",
        first_year=2019,
        last_year=2019,
    )
    section = plan.sections.get(position=6)
    section = services.section_save(
        section=section, title=section.title, body=BODY, base_revision=section.revision, author=manager.user
    )
    return client, plan, section


def options_url(section, index):
    plan = section.plan
    return reverse(
        "block_options",
        kwargs={"slug": plan.partnership.slug, "plan": plan.pk, "section": section.pk, "index": index},
    )


def test_options_page_offers_the_blocks_declared_choices(setup):
    client, plan, section = setup
    page = client.get(options_url(section, 1)).content.decode()
    assert "Options of “Partner contributions to the pooled budget”" in page
    assert '<option value="" selected>The latest year</option>' in page
    assert '<option value="2019">2019/20</option>' in page and '<option value="2018">2018/19</option>' in page
    assert 'value="joint"' in page and "The YJB&#x27;s layout" in page
    assert 'name="base_revision" value="2"' in page
    assert 'data-layout="yjb"' in page  # the preview, with the saved (default) options


def test_choosing_options_updates_the_marker_and_the_preview(setup):
    client, plan, section = setup
    response = client.post(options_url(section, 1), {"year": "2019", "layout": "joint", "base_revision": "2"})
    assert response.status_code == 302
    assert response["Location"] == options_url(section, 1)
    section.refresh_from_db()
    assert section.revision == 3
    assert [(m.key, m.options) for m in content.markers(section.body)] == [
        ("yjplan.partnership_summary", {}),
        ("budgets.contributions_table", {"layout": "joint", "year": 2019}),
    ]
    assert section.body.startswith("<p>Our pooled budget.</p>")
    assert section.revisions.get(number=3).note == "Options of “budgets.contributions_table” changed"
    page = client.get(response["Location"]).content.decode()
    assert "Options of “Partner contributions to the pooled budget” saved" in page
    assert '<option value="2019" selected>2019/20</option>' in page
    assert 'data-layout="joint"' in page and 'data-layout="yjb"' not in page
    assert "Partner contributions to the pooled budget 2019/20" in page


def test_going_back_to_the_default_leaves_the_option_out(setup):
    client, plan, section = setup
    client.post(options_url(section, 1), {"year": "2018", "layout": "yjb", "base_revision": "2"})
    client.post(options_url(section, 1), {"year": "", "layout": "yjb", "base_revision": "3"})
    section.refresh_from_db()
    assert content.markers(section.body)[1].options == {"layout": "yjb"}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"year": "2031", "layout": ""}, "year", "Choose budget year from the list"),
        ({"year": "x", "layout": ""}, "year", "Choose budget year from the list"),
        ({"year": "", "layout": "sideways"}, "layout", "Choose layout from the list"),
    ],
)
def test_bad_values_are_field_errors_and_change_nothing(setup, data, field, message):
    client, plan, section = setup
    response = client.post(options_url(section, 1), {**data, "base_revision": "2"})
    assert response.status_code == 400
    page = response.content.decode()
    assert f'href="#id_{field}' in page and message in page
    section.refresh_from_db()
    assert section.revision == 2


def test_a_stale_options_page_changes_nothing_and_says_why(setup):
    client, plan, section = setup
    response = client.post(options_url(section, 1), {"year": "2019", "layout": "", "base_revision": "1"})
    assert response.status_code == 400
    assert "Someone saved this section since you opened this page" in response.content.decode()
    section.refresh_from_db()
    assert section.revision == 2


def test_a_table_without_options_and_a_missing_table(setup):
    client, plan, section = setup
    assert "This table has no options" in client.get(options_url(section, 0)).content.decode()
    assert client.get(options_url(section, 2)).status_code == 404


def test_the_edit_page_links_each_table_to_its_options(setup):
    client, plan, section = setup
    url = reverse("section_edit", kwargs={"slug": "warks", "plan": plan.pk, "section": section.pk})
    page = client.get(url).content.decode()
    assert f'href="{options_url(section, 1)}"' in page
    assert f'href="{options_url(section, 0)}"' not in page  # the partnership summary has no options


def test_editor_panel_validates_and_returns_the_options(setup):
    client, plan, section = setup
    url = reverse("block_options_form", kwargs={"slug": "warks", "plan": plan.pk})
    fragment = client.get(url, {"key": "budgets.contributions_table", "options": '{"year": 2018}'})
    assert fragment.status_code == 200
    assert '<option value="2018" selected>2018/19</option>' in fragment.content.decode()
    applied = client.get(
        url, {"key": "budgets.contributions_table", "options": '{"year": 2018}', "apply": "1", "layout": "joint"}
    )
    assert json.loads(applied.content) == {"options": {"layout": "joint"}}
    bad = client.get(url, {"key": "budgets.contributions_table", "apply": "1", "year": "1999"})
    assert bad.status_code == 400
    assert "Choose budget year from the list" in bad.content.decode()
    assert client.get(url, {"key": "nope"}).status_code == 404


def test_spoke_blocks_declare_their_options(setup):
    from yjplan.registry import registry

    declared = {key: [o.name for o in b.option_fields] for key, b in registry.blocks.items() if b.option_fields}
    assert declared == {
        "actions.plan_review": ["start"],
        "boards.attendance_summary": ["year"],
        "boards.meeting_schedule": ["year"],
        "budgets.contributions_table": ["year", "layout"],
        "budgets.year_on_year": ["year"],
        "performance.indicator_chart": ["code"],
        "performance.indicator_summary": ["codes"],
    }
