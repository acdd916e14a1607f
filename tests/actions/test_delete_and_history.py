"""Leads and linked actions in the history; changing and deleting priorities; deleting actions and risks."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actions import imports, services
from actions.models import Action, Priority, ProgressUpdate, Risk
from tests.actions.factories import PriorityFactory
from tests.factories import UserFactory, member
from yjplan.permissions import Role


@pytest.fixture
def team(leicester):
    return {
        "manager": member(leicester, Role.MANAGER, user=UserFactory(full_name="Mina Patel")),
        "ann": member(leicester, Role.BOARD, user=UserFactory(full_name="Ann Brown")),
        "carl": member(leicester, Role.BOARD, user=UserFactory(full_name="Carl Davies")),
    }


def _history(client, partnership, label, pk):
    url = reverse("record_history", kwargs={"slug": partnership.slug, "label": label, "pk": pk})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _action(partnership, team, **extra):
    data = {"reference": "3.1", "text": "Agree a remand protocol with the police", "leads": [team["ann"].pk]}
    return services.action_create(partnership=partnership, data={**data, **extra})


def test_leads_change_is_one_history_entry_shown_in_the_timeline(client, leicester, team):
    action = _action(leicester, team)
    assert list(action.history.values_list("history_type", flat=True)) == ["+"]
    services.action_update(
        action=action,
        data={"reference": "3.1", "text": action.text, "leads": [team["ann"].pk, team["carl"].pk]},
    )
    assert list(action.history.order_by("history_id").values_list("history_type", flat=True)) == ["+", "~"]
    client.force_login(team["manager"].user)
    page = _history(client, leicester, "actions.action", action.pk)
    assert "Leads: Ann Brown</li>" in page  # made with Ann as its lead
    assert "Leads: Ann Brown → Ann Brown, Carl Davies</li>" in page
    assert page.count("moj-timeline__item") == 2


def test_unchanged_leads_add_no_lead_line(client, leicester, team):
    action = _action(leicester, team)
    services.action_update(
        action=action, data={"reference": "3.1", "text": "Agree a remand protocol", "leads": [team["ann"].pk]}
    )
    client.force_login(team["manager"].user)
    page = _history(client, leicester, "actions.action", action.pk)
    assert "Action: Agree a remand protocol with the police → Agree a remand protocol</li>" in page
    assert page.count("Leads:") == 1  # only at creation


def test_linked_actions_of_a_risk_are_in_its_history(client, leicester, team):
    first = _action(leicester, team)
    second = _action(leicester, team, reference="4")
    risk = services.risk_create(
        partnership=leicester, data={"title": "Loss of the remand grant", "likelihood": 2, "impact": 4}
    )
    services.risk_update(
        risk=risk,
        data={"title": risk.title, "likelihood": 2, "impact": 4, "actions": [first.pk, second.pk]},
    )
    assert risk.history.count() == 2
    client.force_login(team["manager"].user)
    page = _history(client, leicester, "actions.risk", risk.pk)
    assert "Linked actions: (blank) → Action 3.1, Action 4</li>" in page


def test_priority_can_be_changed_but_not_to_a_number_in_use(leicester):
    one = PriorityFactory(partnership=leicester, number="1", title="Education")
    PriorityFactory(partnership=leicester, number="2", title="Remands")
    services.priority_update(priority=one, number="1a", title="Education, training and employment")
    one.refresh_from_db()
    assert (one.number, one.title) == ("1a", "Education, training and employment")
    with pytest.raises(ValidationError) as error:
        services.priority_update(priority=one, number="2", title="Education")
    assert error.value.message_dict == {"number": ["Priority 2 already exists"]}


def test_priority_with_actions_is_not_deleted_without_a_choice(leicester, team):
    one = PriorityFactory(partnership=leicester, number="1", title="Education")
    two = PriorityFactory(partnership=leicester, number="2", title="Remands")
    _action(leicester, team, priority=one.pk)
    _action(leicester, team, reference="4", priority=one.pk)
    with pytest.raises(ValidationError) as error:
        services.priority_delete(priority=one)
    assert error.value.message_dict == {"move_to": ["Priority 1 still has 2 actions: choose where they go"]}
    assert services.priority_delete(priority=one, move_to=two) == 2
    assert not Priority.objects.filter(pk=one.pk).exists()
    assert sorted(Action.objects.filter(priority=two).values_list("reference", flat=True)) == ["3.1", "4"]
    moved = Action.objects.get(reference="4")
    assert moved.history.latest().priority_id == two.pk


def test_priority_delete_pages(client, leicester, team):
    one = PriorityFactory(partnership=leicester, number="1", title="Education")
    empty = PriorityFactory(partnership=leicester, number="2", title="Remands")
    _action(leicester, team, priority=one.pk)
    client.force_login(team["manager"].user)
    url = reverse("actions:priority_delete", kwargs={"slug": leicester.slug, "pk": one.pk})
    page = client.get(url).content.decode()
    assert "Are you sure you want to delete priority 1?" in page
    assert "It groups 1 action on the tracker" in page
    assert "Move them to priority 2. Remands" in page
    response = client.post(url, {})
    assert response.status_code == 200
    assert "Choose where its actions go" in response.content.decode()
    response = client.post(url, {"move_to": "none"})
    assert response.status_code == 302
    assert Action.objects.get(reference="3.1").priority is None
    response = client.post(reverse("actions:priority_delete", kwargs={"slug": leicester.slug, "pk": empty.pk}))
    assert response.status_code == 302
    assert Priority.objects.filter(partnership=leicester).count() == 0


def test_priority_add_page_saves_and_names_a_number_in_use(client, leicester, team):
    PriorityFactory(partnership=leicester, number="1", title="Education")
    client.force_login(team["manager"].user)
    url = reverse("actions:priority_add", kwargs={"slug": leicester.slug})
    response = client.post(url, {"number": "2", "title": "Reducing reoffending", "version": ""})
    assert response.status_code == 302
    assert Priority.objects.get(partnership=leicester, number="2").title == "Reducing reoffending"
    taken = client.post(url, {"number": "1", "title": "Another", "version": ""})
    assert taken.status_code == 200
    assert "Priority 1 already exists" in taken.content.decode()
    assert Priority.objects.filter(partnership=leicester).count() == 2


def test_priority_edit_page_saves(client, leicester, team):
    one = PriorityFactory(partnership=leicester, number="1", title="Education")
    client.force_login(team["manager"].user)
    url = reverse("actions:priority_edit", kwargs={"slug": leicester.slug, "pk": one.pk})
    response = client.post(url, {"number": "1", "title": "Education and training", "version": ""})
    assert response.status_code == 302
    one.refresh_from_db()
    assert one.title == "Education and training"


def test_deleting_an_action_keeps_its_history_and_retires_its_reference(client, leicester, team):
    action = _action(leicester, team)
    services.progress_add(action=action, membership=team["manager"], text="Protocol drafted", completion="amber")
    risk = services.risk_create(
        partnership=leicester,
        data={"title": "Loss of the remand grant", "likelihood": 2, "impact": 4, "actions": [action.pk]},
    )
    client.force_login(team["manager"].user)
    url = reverse("actions:action_delete", kwargs={"slug": leicester.slug, "pk": action.pk})
    page = client.get(url).content.decode()
    assert "Are you sure you want to delete action 3.1?" in page
    assert "Yes, delete action 3.1" in page
    response = client.post(url)
    assert response.status_code == 302
    assert not Action.objects.filter(pk=action.pk).exists()
    assert ProgressUpdate.objects.filter(action_id=action.pk).count() == 0
    assert ProgressUpdate.history.filter(action_id=action.pk, history_type="-").count() == 1
    timeline = _history(client, leicester, "actions.action", action.pk)
    assert "Deleted" in timeline and "by Mina Patel" in timeline
    assert "Linked actions: Action 3.1 (deleted) → (blank)</li>" in _history(client, leicester, "actions.risk", risk.pk)

    with pytest.raises(ValidationError) as error:
        _action(leicester, team, reference="3.1")
    assert "Action 3.1 was deleted on" in error.value.message_dict["reference"][0]
    assert "its reference is not used again" in error.value.message_dict["reference"][0]

    csv = b"Ref,Action\n3.1,Agree a protocol\n"
    preview = imports.parse(partnership=leicester, data=csv, filename="t.csv", layout="tracker")
    assert [(e.row, e.column, e.message) for e in preview.errors] == [
        (2, "Ref", "Action 3.1 was deleted and its reference is not used again")
    ]


def test_board_decision_numbering_skips_a_deleted_reference(leicester, team):
    kwargs = {"detail": "", "source": "board_decision", "source_reference": "Minute 4", "source_url": ""}
    first = services.action_create_from(leicester, title="Audit remands", **kwargs)
    assert first == "D1"
    services.action_delete(action=Action.objects.get(reference="D1"))
    assert services.action_create_from(leicester, title="Audit remands again", **kwargs) == "D2"


def test_only_managers_delete(client, leicester, team):
    action = _action(leicester, team)
    risk = services.risk_create(partnership=leicester, data={"title": "Staff turnover", "likelihood": 3, "impact": 3})
    client.force_login(team["ann"].user)  # a board member who leads the action
    for name, pk in (("actions:action_delete", action.pk), ("actions:risk_delete", risk.pk)):
        assert client.post(reverse(name, kwargs={"slug": leicester.slug, "pk": pk})).status_code == 403
    assert Action.objects.filter(pk=action.pk).exists() and Risk.objects.filter(pk=risk.pk).exists()


def test_deleting_a_risk_keeps_its_history(client, leicester, team):
    risk = services.risk_create(partnership=leicester, data={"title": "Staff turnover", "likelihood": 3, "impact": 3})
    client.force_login(team["manager"].user)
    url = reverse("actions:risk_delete", kwargs={"slug": leicester.slug, "pk": risk.pk})
    assert "Are you sure you want to delete this risk?" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not Risk.objects.filter(pk=risk.pk).exists()
    assert list(Risk.history.filter(id=risk.pk).order_by("history_id").values_list("history_type", flat=True)) == [
        "+",
        "-",
    ]


def test_priorities_page_has_a_fixed_query_count(client, leicester, team, query_guard):
    PriorityFactory(partnership=leicester)
    client.force_login(team["manager"].user)
    url = reverse("actions:priorities", kwargs={"slug": leicester.slug})

    def add_rows(n):
        for _ in range(n):
            priority = PriorityFactory(partnership=leicester)
            _action(leicester, team, reference=f"R{priority.pk}", priority=priority.pk)

    query_guard.assert_fixed(client, url, add_rows=add_rows)


def test_action_timeline_has_a_fixed_query_count(client, leicester, team, query_guard):
    action = _action(leicester, team)
    client.force_login(team["manager"].user)
    url = reverse("record_history", kwargs={"slug": leicester.slug, "label": "actions.action", "pk": action.pk})

    def add_rows(n):
        for i in range(n):
            lead = team["carl"] if i % 2 else team["ann"]
            services.action_update(action=action, data={"reference": "3.1", "text": f"Step {i}", "leads": [lead.pk]})

    query_guard.assert_fixed(client, url, add_rows=add_rows)


def test_priority_changed_from_a_stale_page_is_a_conflict(client, leicester, team):
    one = PriorityFactory(partnership=leicester, number="1", title="Education")
    stale = one.updated_at.isoformat()
    services.priority_update(priority=one, number="1", title="Education and training")
    client.force_login(team["manager"].user)
    url = reverse("actions:priority_edit", kwargs={"slug": leicester.slug, "pk": one.pk})
    response = client.post(url, {"number": "1", "title": "Learning", "version": stale})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Education and training" in page and "Learning" in page
    one.refresh_from_db()
    assert one.title == "Education and training"


def test_deleted_actions_page_lists_them_with_their_history(client, leicester, team, query_guard):
    action = _action(leicester, team)
    services.action_delete(action=action)
    client.force_login(team["carl"].user)  # anyone in the partnership reads it
    url = reverse("actions:deleted", kwargs={"slug": leicester.slug})
    page = client.get(url).content.decode()
    assert "1 deleted action, most recent first" in page
    assert '<td class="govuk-table__cell">3.1</td>' in page
    history = reverse("record_history", kwargs={"slug": leicester.slug, "label": "actions.action", "pk": action.pk})
    assert f'href="{history}"' in page

    def add_rows(n):
        for i in range(n):
            services.action_delete(action=_action(leicester, team, reference=f"X{i}"))

    query_guard.assert_fixed(client, url, add_rows=add_rows)
