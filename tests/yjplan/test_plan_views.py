"""Writing the plan in the browser: start from a template, edit with live blocks, autosave, conflicts,
revisions and diffs, renditions — through the test client."""

import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import PartnershipFactory, PopulationFactory, UserFactory, member
from yjplan.models import DocumentJob, Plan, PlanSection, PlanTemplate, SectionDraft
from yjplan.permissions import Role
from yjplan.plans import services

XSS = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<p style="background:url(javascript:alert(1))" onmouseover="alert(1)">hover</p>',
    "<svg/onload=alert(1)>",
    '<div data-block="x" onclick="alert(1)"></div>',
    "<style>body{display:none}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
]


@pytest.fixture
def setup(db, client):
    call_command("loaddata", "fixtures/reference/plan_templates.json", verbosity=0)
    partnership = PartnershipFactory(slug="warks", name="Warwickshire YJS", councils=["Warwickshire County Council"])
    PopulationFactory(partnership=partnership, year=2019, population_10_17=55900)
    manager = member(partnership, Role.MANAGER, user=UserFactory(full_name="Claire Danson"))
    client.force_login(manager.user)
    return partnership, manager, client


def make_plan(partnership):
    return services.plan_create(
        partnership=partnership,
        template=PlanTemplate.objects.get(key="yjb-four-key-areas"),
        title="Warwickshire Youth Justice Plan 2019/20",
        first_year=2019,
        last_year=2019,
    )


def url(name, plan, **kwargs):
    return reverse(name, kwargs={"slug": plan.partnership.slug, "plan": plan.pk, **kwargs})


def test_start_a_plan_from_a_template(setup):
    partnership, manager, client = setup
    template = PlanTemplate.objects.get(key="yjb-2021")
    response = client.post(
        reverse("plan_new", kwargs={"slug": "warks"}),
        {
            "title": "Warwickshire Youth Justice Plan 2023/24",
            "template": template.pk,
            "first_year": "2023",
            "last_year": "2023",
        },
    )
    plan = Plan.objects.get()
    assert response["Location"] == url("plan_detail", plan)
    page = client.get(response["Location"]).content.decode()
    assert "Governance, leadership and partnership arrangements" in page
    assert "30 June 2023" in page
    assert page.count("Key area") == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "first_year": "2019", "last_year": "2019"}, "Enter a title for the plan"),
        ({"title": "P", "first_year": "19", "last_year": "2019"}, "Enter a first financial year from 2000"),
        (
            {"title": "P", "first_year": "twenty", "last_year": "2019"},
            "Enter the first financial year as 4 digits, like 2019",
        ),
        ({"title": "P", "first_year": "", "last_year": "2019"}, "Enter the first financial year"),
        ({"title": "P", "first_year": "2019", "last_year": ""}, "Enter the last financial year"),
        (
            {"title": "P", "first_year": "2020", "last_year": "2019"},
            "The last year must be the same as or after the first year",
        ),
    ],
)
def test_bad_plan_details_are_named(setup, data, message):
    partnership, manager, client = setup
    template = PlanTemplate.objects.first()
    response = client.post(reverse("plan_new", kwargs={"slug": "warks"}), {**data, "template": template.pk})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Plan.objects.exists()


def test_the_title_hint_names_this_partnership(setup):
    partnership, manager, client = setup
    page = client.get(reverse("plan_new", kwargs={"slug": "warks"})).content.decode()
    assert f"For example, {partnership.name} Plan 2025/26." in page


def test_edit_a_section_with_a_live_block(setup):
    partnership, manager, client = setup
    plan = make_plan(partnership)
    section = plan.sections.get(position=4)
    edit = client.get(url("section_edit", plan, section=section.pk)).content.decode()
    assert "The YJB's guidance" in edit
    assert "Explain how the partners work together" in edit
    assert "plans/editor.js" in edit
    body = '<p>We work as one partnership.</p><div data-block="yjplan.partnership_summary" data-options="{}"></div>'
    response = client.post(
        url("section_edit", plan, section=section.pk),
        {"title": "Partnership arrangements", "body": body, "base_revision": 1},
    )
    assert response["Location"] == url("section_detail", plan, section=section.pk)
    page = client.get(response["Location"]).content.decode()
    assert "We work as one partnership." in page
    assert "Warwickshire County Council" in page  # the live block
    assert "55,900 (2019)" in page
    assert "6 words" not in page and "5 words" in page


@pytest.mark.parametrize("payload", XSS)
def test_script_in_section_text_is_removed_on_save_and_never_rendered(setup, payload):
    partnership, manager, client = setup
    plan = make_plan(partnership)
    section = plan.sections.get(position=1)
    client.post(
        url("section_edit", plan, section=section.pk),
        {"title": "Foreword", "body": payload + "<p>ok</p>", "base_revision": 1},
    )
    section.refresh_from_db()
    stored = section.body.lower()
    for bad in ("<script", "onerror", "onload", "onclick", "onmouseover", "javascript:", "<iframe", "<style", "style="):
        assert bad not in stored, f"{bad} survived in {section.body!r}"
    page = client.get(url("section_detail", plan, section=section.pk)).content.decode().lower()
    main = page[page.index("<main") : page.index("</main>")]
    for bad in ("onerror", "onload", "onclick", "onmouseover", "javascript:", "<iframe"):
        assert bad not in main


def test_a_stale_save_goes_to_the_conflict_page_with_theirs_yours_and_the_original(setup):
    partnership, manager, client = setup
    plan = make_plan(partnership)
    section = plan.sections.get(position=2)
    chair = member(partnership, Role.MANAGER, user=UserFactory(full_name="Nigel Marsh"))
    services.section_save(
        section=section, title=section.title, body="<p>Their vision</p>", base_revision=1, author=chair.user
    )
    response = client.post(
        url("section_edit", plan, section=section.pk),
        {"title": section.title, "body": "<p>My vision</p>", "base_revision": 1},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved" in html
    assert "Nigel Marsh saved revision 2" in html
    assert "Added: Their vision" in html
    assert "Added: My vision" in html
    assert 'name="base_revision" value="2"' in html
    section.refresh_from_db()
    assert section.body == "<p>Their vision</p>"
    merged = client.post(
        url("section_edit", plan, section=section.pk),
        {"title": section.title, "body": "<p>Their vision</p><p>My vision</p>", "base_revision": 2},
    )
    assert merged.status_code == 302
    section.refresh_from_db()
    assert (section.revision, section.body) == (3, "<p>Their vision</p><p>My vision</p>")


def test_autosave_keeps_a_draft_that_can_be_brought_back(setup):
    partnership, manager, client = setup
    plan = make_plan(partnership)
    section = plan.sections.get(position=1)
    response = client.post(
        url("section_autosave", plan, section=section.pk),
        {"title": "Foreword", "body": "<p>Half a thought<script>x</script></p>", "base_revision": "1"},
    )
    assert response.status_code == 200
    assert json.loads(response.content)["message"].startswith("Draft kept at ")
    draft = SectionDraft.objects.get()
    assert draft.body == "<p>Half a thought</p>"
    page = client.get(url("section_edit", plan, section=section.pk)).content.decode()
    assert "You have unsaved text in this section" in page
    restored = client.get(url("section_edit", plan, section=section.pk) + "?draft=1")
    assert restored.context["form"].initial["body"] == "<p>Half a thought</p>"
    assert client.post(url("section_autosave", plan, section=section.pk), {"base_revision": "x"}).status_code == 400


def test_revisions_diff_and_restore(setup):
    partnership, manager, client = setup
    plan = make_plan(partnership)
    section = plan.sections.get(position=2)
    for number, text in ((1, "<p>First idea</p>"), (2, "<p>First idea</p><p>Second idea</p>")):
        services.section_save(
            section=section, title=section.title, body=text, base_revision=number, author=manager.user
        )
    diff = client.get(url("revision_detail", plan, section=section.pk, number=3)).content.decode()
    assert "Added: Second idea" in diff
    assert "Changes from revision 2" in diff
    response = client.post(url("revision_restore", plan, section=section.pk, number=2))
    assert response.status_code == 302
    section.refresh_from_db()
    assert (section.revision, section.body) == (4, "<p>First idea</p>")
    listing = client.get(url("revision_list", plan, section=section.pk)).content.decode()
    assert "Restored revision 2" in listing


def test_sections_add_move_and_remove_only_local_ones(setup):
    partnership, manager, client = setup
    plan = make_plan(partnership)
    response = client.post(url("section_add", plan), {"title": "Feedback from children"})
    local = PlanSection.objects.get(plan=plan, title="Feedback from children")
    assert response["Location"] == url("section_edit", plan, section=local.pk)
    client.post(url("section_move", plan, section=local.pk), {"direction": "up"})
    local.refresh_from_db()
    assert local.position == 10
    template_section = plan.sections.get(position=1)
    refused = client.post(url("section_delete", plan, section=template_section.pk))
    assert "Sections from the YJB&#x27;s template cannot be removed" in refused.content.decode()
    assert client.post(url("section_delete", plan, section=local.pk)).status_code == 302
    assert plan.sections.count() == 10


def test_block_preview_for_the_editor(setup):
    partnership, manager, client = setup
    plan = make_plan(partnership)
    ok = client.get(url("block_preview", plan), {"key": "yjplan.partnership_summary", "options": "{}"})
    assert "Warwickshire County Council" in ok.content.decode()
    missing = client.get(url("block_preview", plan), {"key": "nope.block"})
    assert missing.status_code == 404
    assert "No table called “nope.block” is available." in missing.content.decode()


def test_rendition_request_leads_to_the_pdf(setup, django_capture_on_commit_callbacks):
    partnership, manager, client = setup
    plan = make_plan(partnership)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("rendition_new", plan))
    job = DocumentJob.objects.get(kind="yjplan.plan")
    assert response["Location"] == reverse("document_detail", kwargs={"slug": "warks", "pk": job.pk})
    assert job.status == DocumentJob.Status.DONE, job.error
    assert job.pages >= 11
    overview = client.get(url("plan_detail", plan)).content.decode()
    assert "Current" in overview
    section = plan.sections.get(position=1)
    client.post(
        url("section_edit", plan, section=section.pk), {"title": "Foreword", "body": "<p>New</p>", "base_revision": 1}
    )
    overview = client.get(url("plan_detail", plan)).content.decode()
    assert "Stale: the plan has changed since" in overview


def test_plan_pages_have_fixed_query_counts(setup, query_guard):
    partnership, manager, client = setup
    plan = make_plan(partnership)
    section = plan.sections.get(position=1)

    def grow(n):
        for i in range(n):
            services.comment_add(section=section, author=manager.user, text=f"Comment {i}")
            services.section_add(plan=plan, title=f"Local {i}", author=manager.user)
            services.rendition_request(plan=Plan.objects.get(pk=plan.pk), requested_by=None)

    query_guard.assert_fixed(client, url("plan_detail", plan), add_rows=grow, rows=5)
    query_guard.assert_fixed(client, url("section_detail", plan, section=section.pk), add_rows=grow, rows=5)
    query_guard.assert_fixed(
        client,
        reverse("plan_list", kwargs={"slug": "warks"}),
        add_rows=lambda n: [make_plan(partnership) for _ in range(n)],
        rows=3,
    )


def test_signed_plans_cannot_be_edited_in_place(setup):
    partnership, manager, client = setup
    plan = make_plan(partnership)
    Plan.objects.filter(pk=plan.pk).update(status="signed")
    section = plan.sections.get(position=1)
    response = client.get(url("section_edit", plan, section=section.pk), follow=True)
    assert "This plan is signed: start an amendment to change it" in response.content.decode()
    assert (
        re.search(r"Edit this section", client.get(url("section_detail", plan, section=section.pk)).content.decode())
        is None
    )
