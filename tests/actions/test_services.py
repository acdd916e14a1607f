"""Writes: validation of every bad input, the progress log, who may update what, and conflicts."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from actions import services
from actions.admin import ProgressUpdateAdmin
from actions.models import Action, ProgressUpdate
from tests.actions.factories import ActionFactory, PriorityFactory
from tests.factories import PartnershipFactory, member
from yjplan.permissions import Role


def _data(**overrides):
    data = {
        "reference": "3",
        "text": "Write a remand strategy",
        "target_date": dt.date(2022, 9, 30),
        "completion": "amber",
    }
    data.update(overrides)
    return data


def test_action_create_with_leads_and_priority(leicester, people):
    priority = PriorityFactory(partnership=leicester, number="3", title="Reduce the use of custody")
    action = services.action_create(
        partnership=leicester, data=_data(priority=priority.pk, leads=[people["JH"].pk, people["BB"].pk], source="hmip")
    )
    assert (action.reference, action.completion, action.impact, action.source) == ("3", "amber", "no_impact", "hmip")
    assert action.priority == priority
    assert sorted(m.user.initials for m in action.leads.all()) == ["BB", "JH"]
    assert action.get_completion_display() == "Amber"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"target_date": "31/02/2025"}, "target_date", "Target date must be a real date, like 31/3/2025"),
        (
            {"completion": "purple"},
            "completion",
            "Completion RAG must be one of: Not started, Red, Amber, On track, Complete",
        ),
        ({"impact": "huge"}, "impact", "Impact RAG must be one of: No impact, Progress starting, Progress made"),
        (
            {"source": "rumour"},
            "source",
            "Source must be one of: Plan priority, HMIP inspection recommendation, National Standards audit, "
            "Capacity and capability self-assessment gap, Peer review, Serious case review, Ofsted, Board decision",
        ),
        ({"reference": "2"}, "reference", "Action 2 already exists: choose another reference"),
        ({"text": "  "}, "text", "Enter the action"),
        ({"link_url": "javascript:alert(1)"}, "link_url", "Enter a web address starting https://"),
    ],
)
def test_bad_action_input_is_refused_by_the_service(leicester, overrides, field, message):
    ActionFactory(partnership=leicester, reference="2")
    with pytest.raises(ValidationError) as error:
        services.action_create(partnership=leicester, data=_data(**overrides))
    assert error.value.message_dict == {field: [message]}
    assert Action.objects.count() == 1


def test_a_lead_from_another_partnership_is_refused(leicester, people):
    stranger = member(PartnershipFactory(), Role.BOARD)
    with pytest.raises(ValidationError) as error:
        services.action_create(partnership=leicester, data=_data(leads=[people["BB"].pk, stranger.pk]))
    assert error.value.message_dict == {"leads": ["Each lead must be a member of this partnership"]}
    assert Action.objects.count() == 0


@pytest.mark.parametrize(
    ("post", "field", "message"),
    [
        ({"target_date": "next Tuesday"}, "target_date", "Target date must be a real date, like 31/3/2025"),
        ({"target_date": "31/02/2025"}, "target_date", "Target date must be a real date, like 31/3/2025"),
        ({"completion": "purple"}, "completion", "Completion RAG must be one of the listed ratings"),
        ({"reference": "2"}, "reference", "Action 2 already exists: choose another reference"),
        ({"leads": ["999999"]}, "leads", "Each lead must be a member of this partnership"),
        ({"priority": "999999"}, "priority", "Select a priority of this partnership"),
    ],
)
def test_bad_action_input_on_the_form_names_the_field(client, leicester, people, post, field, message):
    ActionFactory(partnership=leicester, reference="2")
    client.force_login(people["SW"].user)
    data = {
        "reference": "5",
        "text": "Review disproportionality",
        "completion": "green",
        "impact": "no_impact",
        "source": "plan_priority",
    }
    data.update(post)
    response = client.post(reverse("actions:action_add", kwargs={"slug": "leicester"}), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="#id_{field}' in html
    assert message in html
    assert Action.objects.count() == 1


def test_manager_adds_an_action_through_the_form(client, leicester, people):
    client.force_login(people["SW"].user)
    response = client.post(
        reverse("actions:action_add", kwargs={"slug": "leicester"}),
        {
            "reference": "6a",
            "text": "Map children with EHCPs",
            "leads": [str(people["KM"].pk)],
            "target_date": "31/12/2023",
            "completion": "green",
            "impact": "progress_starting",
            "source": "hmip",
            "source_reference": "ETE thematic inspection",
        },
    )
    action = Action.objects.get(reference="6a")
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:action_detail", kwargs={"slug": "leicester", "pk": action.pk})
    assert (action.target_date, action.completion, action.impact) == (
        dt.date(2023, 12, 31),
        "green",
        "progress_starting",
    )
    assert [m.user.initials for m in action.leads.all()] == ["KM"]


def test_progress_update_changes_the_rag_and_is_logged(leicester, people):
    action = ActionFactory(partnership=leicester, reference="4", completion="amber", leads=[people["KM"]])
    entry = services.progress_add(
        action=action, membership=people["KM"], text="ACE support funded", completion="green", impact="progress_made"
    )
    action.refresh_from_db()
    assert (entry.completion_from, entry.completion_to, entry.impact_from, entry.impact_to) == (
        "amber",
        "green",
        "no_impact",
        "progress_made",
    )
    assert entry.author_name == "Karen Manville"
    assert (action.completion, action.impact, action.latest_update_id) == ("green", "progress_made", entry.pk)
    assert action.last_update_at == entry.created_at


def test_an_update_with_no_text_is_refused(leicester, people, client):
    action = ActionFactory(partnership=leicester, reference="4", leads=[people["KM"]])
    with pytest.raises(ValidationError) as error:
        services.progress_add(action=action, membership=people["KM"], text="   ", completion="red")
    assert error.value.message_dict == {"text": ["Enter a progress note: what has happened since the last update"]}
    client.force_login(people["KM"].user)
    response = client.post(
        reverse("actions:update_add", kwargs={"slug": "leicester", "pk": action.pk}),
        {"text": "", "completion": "red", "impact": "no_impact"},
    )
    assert response.status_code == 200
    assert 'href="#id_text"' in response.content.decode()
    assert ProgressUpdate.objects.count() == 0
    action.refresh_from_db()
    assert action.completion == "not_started"


PROGRESS_HINT = (
    "What has happened since the last update. Needed for every update, even if the RAG ratings stay the same."
)


def test_a_note_is_needed_even_when_the_rags_stay_the_same_and_the_hint_says_so(leicester, people, client):
    action = ActionFactory(partnership=leicester, reference="4", leads=[people["KM"]])
    url = reverse("actions:update_add", kwargs={"slug": "leicester", "pk": action.pk})
    client.force_login(people["KM"].user)
    form = client.get(url)
    assert f'<div id="id_text_hint" class="govuk-hint">{PROGRESS_HINT}</div>' in form.content.decode()
    inline = client.get(url, HTTP_HX_REQUEST="true")
    assert f'-hint">{PROGRESS_HINT}</div>' in inline.content.decode()
    unchanged = client.post(url, {"text": "", "completion": "not_started", "impact": "no_impact"})
    assert unchanged.status_code == 200
    assert unchanged.context["form"].errors == {
        "text": ["Enter a progress note: what has happened since the last update"]
    }
    assert ProgressUpdate.objects.count() == 0


def test_progress_updates_are_never_edited_or_deleted(leicester, people, rf):
    action = ActionFactory(partnership=leicester, reference="4", leads=[people["KM"]])
    entry = services.progress_add(action=action, membership=people["KM"], text="First note")
    entry.text = "Rewritten"
    with pytest.raises(PermissionError, match="never changed"):
        entry.save()
    with pytest.raises(PermissionError, match="never deleted"):
        entry.delete()
    assert ProgressUpdate.objects.get().text == "First note"
    admin = ProgressUpdateAdmin(ProgressUpdate, None)
    request = rf.get("/")
    assert (
        admin.has_add_permission(request),
        admin.has_change_permission(request, entry),
        admin.has_delete_permission(request, entry),
    ) == (False, False, False)


def test_a_board_member_who_leads_an_action_can_update_it_and_nothing_else(client, leicester, people):
    theirs = ActionFactory(partnership=leicester, reference="5", leads=[people["KM"], people["BB"]])
    other = ActionFactory(partnership=leicester, reference="6", leads=[people["JH"]])
    client.force_login(people["KM"].user)
    slug = "leicester"
    # allowed: an update with a RAG change on the action they lead
    response = client.post(
        reverse("actions:update_add", kwargs={"slug": slug, "pk": theirs.pk}),
        {"text": "Deep dive analysis started", "completion": "green", "impact": "progress_starting"},
    )
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert (theirs.completion, theirs.impact) == ("green", "progress_starting")
    # refused: everything else
    refused = [
        client.get(reverse("actions:update_add", kwargs={"slug": slug, "pk": other.pk})).status_code,
        client.post(
            reverse("actions:update_add", kwargs={"slug": slug, "pk": other.pk}),
            {"text": "x", "completion": "red", "impact": "no_impact"},
        ).status_code,
        client.get(reverse("actions:action_edit", kwargs={"slug": slug, "pk": theirs.pk})).status_code,
        client.post(
            reverse("actions:action_edit", kwargs={"slug": slug, "pk": theirs.pk}),
            {"reference": "5", "text": "Changed"},
        ).status_code,
        client.post(
            reverse("actions:action_add", kwargs={"slug": slug}), {"reference": "9", "text": "New"}
        ).status_code,
        client.get(reverse("actions:risk_add", kwargs={"slug": slug})).status_code,
        client.get(reverse("actions:import_upload", kwargs={"slug": slug})).status_code,
    ]
    assert refused == [403] * 7
    other.refresh_from_db()
    assert other.completion == "not_started"
    assert ProgressUpdate.objects.filter(action=other).count() == 0
    assert Action.objects.get(pk=theirs.pk).text == theirs.text
    with pytest.raises(PermissionDenied):
        services.progress_add(action=other, membership=people["KM"], text="Sneaky")
    # a viewer may not update even when named as a lead
    other.leads.add(people["VV"])
    client.force_login(people["VV"].user)
    assert client.get(reverse("actions:update_add", kwargs={"slug": slug, "pk": other.pk})).status_code == 403


def test_the_tracker_offers_update_only_on_the_actions_a_board_member_leads(client, leicester, people):
    theirs = ActionFactory(partnership=leicester, reference="5", leads=[people["KM"]])
    other = ActionFactory(partnership=leicester, reference="6", leads=[people["JH"]])
    client.force_login(people["KM"].user)
    html = client.get(reverse("actions:tracker", kwargs={"slug": "leicester"})).content.decode()
    assert reverse("actions:update_add", kwargs={"slug": "leicester", "pk": theirs.pk}) in html
    assert reverse("actions:update_add", kwargs={"slug": "leicester", "pk": other.pk}) not in html


def test_two_people_updating_from_stale_pages_get_a_conflict_and_nothing_is_lost(client, leicester, people):
    action = ActionFactory(partnership=leicester, reference="12", completion="amber", leads=[people["BB"]])
    url = reverse("actions:update_add", kwargs={"slug": "leicester", "pk": action.pk})
    client.force_login(people["BB"].user)
    stale = client.get(url).context["form"].initial["version"]
    services.progress_add(action=action, membership=people["SW"], text="Protocol refreshed", completion="complete")
    response = client.post(
        url, {"text": "Maturity assessments embedded", "completion": "green", "impact": "no_impact", "version": stale}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this while you were editing" in html
    assert "Complete" in html and "On track" in html and "Maturity assessments embedded" in html
    assert list(ProgressUpdate.objects.values_list("text", flat=True)) == ["Protocol refreshed"]
    fresh = re.search(r'name="version" value="([^"]+)"', html).group(1)
    response = client.post(
        url, {"text": "Maturity assessments embedded", "completion": "green", "impact": "no_impact", "version": fresh}
    )
    assert response.status_code == 302
    assert list(
        ProgressUpdate.objects.order_by("created_at").values_list("text", "completion_from", "completion_to")
    ) == [
        ("Protocol refreshed", "amber", "complete"),
        ("Maturity assessments embedded", "complete", "green"),
    ]


def test_two_managers_editing_an_action_get_a_conflict(client, leicester, people):
    action = ActionFactory(partnership=leicester, reference="13", text="Create an adolescent service")
    url = reverse("actions:action_edit", kwargs={"slug": "leicester", "pk": action.pk})
    client.force_login(people["SW"].user)
    stale = client.get(url).context["form"].initial["version"]
    services.action_update(action=action, data={"reference": "13", "text": "Align early help and social care"})
    response = client.post(
        url,
        {
            "reference": "13",
            "text": "Present the offer to the board",
            "completion": "green",
            "impact": "no_impact",
            "source": "plan_priority",
            "version": stale,
        },
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Align early help and social care" in html and "Present the offer to the board" in html
    action.refresh_from_db()
    assert action.text == "Align early help and social care"


def test_inline_htmx_update_answers_with_a_partial(client, leicester, people):
    action = ActionFactory(partnership=leicester, reference="14", leads=[people["BB"]])
    url = reverse("actions:update_add", kwargs={"slug": "leicester", "pk": action.pk})
    client.force_login(people["BB"].user)
    form = client.get(url, HTTP_HX_REQUEST="true")
    assert form.status_code == 200
    assert "<html" not in form.content.decode()
    prefix = f"a{action.pk}"
    version = form.context["form"].initial["version"]
    empty = client.post(
        url,
        {
            f"{prefix}-text": "",
            f"{prefix}-completion": "red",
            f"{prefix}-impact": "no_impact",
            f"{prefix}-version": version,
        },
        HTTP_HX_REQUEST="true",
    )
    assert empty.status_code == 200
    assert "Enter a progress note: what has happened since the last update" in empty.content.decode()
    assert ProgressUpdate.objects.count() == 0
    done = client.post(
        url,
        {
            f"{prefix}-text": "Serious violence duty briefing given",
            f"{prefix}-completion": "red",
            f"{prefix}-impact": "no_impact",
            f"{prefix}-version": version,
        },
        HTTP_HX_REQUEST="true",
    )
    assert done.status_code == 200
    html = done.content.decode()
    assert "<html" not in html
    assert "Update saved to action 14" in html
    assert '<strong class="govuk-tag govuk-tag--red">Red</strong>' in html
    stale = client.post(
        url,
        {
            f"{prefix}-text": "Late note",
            f"{prefix}-completion": "amber",
            f"{prefix}-impact": "no_impact",
            f"{prefix}-version": version,
        },
        HTTP_HX_REQUEST="true",
    )
    assert stale.status_code == 200  # htmx swaps only 2xx answers: the conflict is said in the partial
    html = stale.content.decode()
    assert "Someone else updated action 14 while you were writing: it is now Red (completion)" in html
    assert ">Late note</textarea>" in html
    assert ProgressUpdate.objects.count() == 1
    fresh = stale.context["form"].initial["version"]
    resent = client.post(
        url,
        {
            f"{prefix}-text": "Late note",
            f"{prefix}-completion": "amber",
            f"{prefix}-impact": "no_impact",
            f"{prefix}-version": fresh,
        },
        HTTP_HX_REQUEST="true",
    )
    assert "Update saved to action 14" in resent.content.decode()
    assert list(ProgressUpdate.objects.order_by("created_at").values_list("text", "completion_to")) == [
        ("Serious violence duty briefing given", "red"),
        ("Late note", "amber"),
    ]


def test_risk_bad_input_and_score(leicester, people):
    with pytest.raises(ValidationError) as error:
        services.risk_create(
            partnership=leicester,
            data={"title": "", "likelihood": 6, "impact": "x", "category": "weather", "review_date": "soon"},
        )
    assert error.value.message_dict == {
        "title": ["Enter the risk"],
        "category": [
            "Category must be one of: Financial, Workforce, Performance, Partnership, "
            "Demand and complexity, Data, Other"
        ],
        "likelihood": ["Likelihood must be a whole number from 1 to 5"],
        "impact": ["Impact must be a whole number from 1 to 5"],
        "review_date": ["Review date must be a real date, like 31/3/2025"],
    }
    action = ActionFactory(partnership=leicester, reference="2")
    risk = services.risk_create(
        partnership=leicester,
        data={
            "title": "Financial challenges",
            "category": "financial",
            "likelihood": 4,
            "impact": 4,
            "owner": people["SW"].pk,
            "actions": [action.pk],
        },
    )
    assert (risk.score, risk.band, risk.owner, list(risk.actions.all())) == (16, "High", people["SW"], [action])


def test_other_spokes_create_actions_through_the_registry(leicester, people):
    from yjplan.registry import registry

    creator = registry.action_creator()
    assert creator.key == "actions.create"
    first = creator.create(
        leicester,
        title="Audit remand cases",
        detail="Report to the June board.",
        source="board_decision",
        source_reference="YJMB 12 June 2023, item 4",
        source_url="/p/leicester/board/meetings/4/",
        lead=people["JH"],
        target_date=dt.date(2023, 9, 30),
    )
    second = creator.create(
        leicester, title="Map SEND needs", detail="", source="hmip", source_reference="ETE thematic", source_url=""
    )
    third = creator.create(
        leicester, title="Refresh QA", detail="", source="board_decision", source_reference="", source_url=""
    )
    assert (first, second, third) == ("D1", "H1", "D2")
    action = Action.objects.get(reference="D1")
    assert (action.text, action.source, action.link_text, action.link_url, action.target_date) == (
        "Audit remand cases\n\nReport to the June board.",
        "board_decision",
        "Board decision: YJMB 12 June 2023, item 4",
        "/p/leicester/board/meetings/4/",
        dt.date(2023, 9, 30),
    )
    assert [m.user.initials for m in action.leads.all()] == ["JH"]
    with pytest.raises(ValidationError):
        creator.create(leicester, title="x", detail="", source="rumour", source_reference="", source_url="")
