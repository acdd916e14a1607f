"""Reads on dated data ("today" passed in, never patched): flags, filters, sorting, the since-meeting view,
and fixed query counts."""

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions import selectors, services
from actions.models import natural_key
from tests.actions.factories import ActionFactory, PriorityFactory, RiskFactory, aware, update
from tests.pages import without_tokens

TODAY = dt.date(2025, 6, 30)


@pytest.fixture
def tracker_data(leicester, people):
    reoffending = PriorityFactory(partnership=leicester, number="2", title="Reoffending in line with comparators")
    custody = PriorityFactory(partnership=leicester, number="3", title="Reduce remands and custody")
    made = aware(dt.date(2025, 1, 10))
    a2 = ActionFactory(
        partnership=leicester,
        reference="2",
        priority=reoffending,
        target_date=dt.date(2025, 6, 1),
        created_at=made,
        leads=[people["BB"]],
    )
    a21 = ActionFactory(
        partnership=leicester,
        reference="2.1",
        priority=reoffending,
        target_date=dt.date(2025, 7, 10),
        created_at=made,
        source="hmip",
        leads=[people["KM"], people["BB"]],
    )
    a3 = ActionFactory(
        partnership=leicester,
        reference="3",
        priority=custody,
        target_date=dt.date(2025, 5, 1),
        created_at=made,
        leads=[people["JH"]],
    )
    a12 = ActionFactory(
        partnership=leicester, reference="12", priority=None, target_date=None, created_at=aware(dt.date(2025, 5, 2))
    )
    update(a2, author=people["BB"], when=aware(dt.date(2025, 3, 28)), completion="red")  # 94 days before TODAY
    update(a21, author=people["KM"], when=aware(dt.date(2025, 6, 20)), completion="green")
    update(a3, author=people["JH"], when=aware(dt.date(2025, 4, 20)), completion="amber")
    update(a3, author=people["JH"], when=aware(dt.date(2025, 4, 25)), completion="complete", impact="progress_made")
    return {"2": a2, "2.1": a21, "3": a3, "12": a12}


def _refs(data):
    return [row.action.reference for group in data["groups"] for row in group.rows]


def test_flags_on_dated_data(leicester, tracker_data):
    data = selectors.tracker(partnership=leicester, today=TODAY)
    rows = {row.action.reference: row for group in data["groups"] for row in group.rows}
    flags = {ref: (r.overdue, r.due_soon, r.stale, r.days_since_update) for ref, r in rows.items()}
    assert flags == {
        "2": (True, False, True, 94),
        "2.1": (False, True, False, 10),
        "3": (False, False, False, 66),  # complete: never overdue or stale, however old
        "12": (False, False, False, 59),
    }
    assert data["counts"] == {"red": 1, "overdue": 1, "stale": 1}
    assert [g.heading for g in data["groups"]] == [
        "2. Reoffending in line with comparators",
        "3. Reduce remands and custody",
        "Actions without a priority",
    ]
    assert data["glossary"] == [("BB", "Brian Bodsworth", ""), ("JH", "Jim Hatton", ""), ("KM", "Karen Manville", "")]
    assert rows["2.1"].initials == "BB/KM"
    # a day later the unprioritised action crosses 60 days
    later = selectors.tracker(partnership=leicester, today=TODAY + dt.timedelta(days=1))
    assert {r.action.reference: r.stale for g in later["groups"] for r in g.rows}["12"] is True


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["2", "2.1", "3", "12"]),
        ({"completion": "red"}, ["2"]),
        ({"overdue": True}, ["2"]),
        ({"source": "hmip"}, ["2.1"]),
        ({"not_updated_days": 60}, ["2", "3"]),
        ({"not_updated_days": 90}, ["2"]),
    ],
)
def test_filters_and_sorting(leicester, tracker_data, filters, expected):
    assert _refs(selectors.tracker(partnership=leicester, today=TODAY, **filters)) == expected


def test_sorting_within_each_priority(leicester, people):
    group = PriorityFactory(partnership=leicester, number="7", title="National Standards")
    made = aware(dt.date(2025, 1, 10))
    a = ActionFactory(
        partnership=leicester,
        reference="7",
        priority=group,
        target_date=dt.date(2025, 9, 1),
        created_at=made,
        completion="green",
    )
    ActionFactory(
        partnership=leicester, reference="7.1", priority=group, target_date=None, created_at=made, completion="red"
    )
    c = ActionFactory(
        partnership=leicester,
        reference="7.2",
        priority=group,
        target_date=dt.date(2025, 7, 1),
        created_at=made,
        completion="complete",
    )
    update(a, author=people["BB"], when=aware(dt.date(2025, 6, 1)))
    update(c, author=people["BB"], when=aware(dt.date(2025, 3, 1)))

    def order(sort):
        return _refs(selectors.tracker(partnership=leicester, today=TODAY, sort=sort))

    assert order("reference") == ["7", "7.1", "7.2"]
    assert order("target_date") == ["7.2", "7", "7.1"]
    assert order("stale") == ["7.1", "7.2", "7"]
    assert order("rag") == ["7.1", "7", "7.2"]
    assert sorted(["12", "2", "6a", "3.1", "3", "10.2"], key=natural_key) == [
        "2",
        "3",
        "3.1",
        "6a",
        "10.2",
        "12",
    ]


def test_filter_by_lead(leicester, people, tracker_data):
    assert _refs(selectors.tracker(partnership=leicester, today=TODAY, lead=people["BB"].pk)) == ["2", "2.1"]


def test_filters_live_in_the_query_string(client, leicester, people, tracker_data):
    client.force_login(people["VV"].user)
    url = reverse("actions:tracker", kwargs={"slug": "leicester"})
    response = client.get(url, {"completion": "red", "sort": "target_date"})
    assert _refs(response.context["data"]) == ["2"]
    html = response.content.decode()
    assert '<option value="red" selected>Red</option>' in html
    assert '<strong class="govuk-tag govuk-tag--red">Red</strong>' in html
    bad = client.get(url, {"not_updated_days": "lots", "lead": "nobody"})
    assert bad.status_code == 200
    assert "Days must be a whole number, like 60" in bad.content.decode()
    assert _refs(bad.context["data"]) == ["2", "2.1", "3", "12"]


def test_the_cached_tracker_costs_fixed_queries_and_changes_with_any_update(
    client, leicester, people, tracker_data, django_capture_on_commit_callbacks
):
    client.force_login(people["KM"].user)
    url = reverse("actions:tracker", kwargs={"slug": "leicester"})
    first = client.get(url)
    assert first.context["data"]["count"] == 4  # rendered
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert again.context is None  # the whole page was kept (yjplan.cache.cached_page): nothing rendered
    # the session comes from the cache (cached_db) and is not written on every request
    assert [q["sql"].split()[0] for q in queries.captured_queries] == [
        "SELECT",  # user
        "SELECT",  # membership and partnership (the key is the data version read with the membership)
    ]
    assert without_tokens(again) == without_tokens(first)
    with django_capture_on_commit_callbacks(execute=True):  # the version is bumped when the write commits
        services.progress_add(
            action=tracker_data["2.1"], membership=people["KM"], text="Cohort reviewed", completion="amber"
        )
    changed = client.get(url)
    assert changed.context["data"] is not None
    assert "Cohort reviewed" in changed.content.decode()
    # another viewer with other rights never sees this viewer's cached body
    client.force_login(people["SW"].user)
    manager = client.get(url)
    assert manager.context["data"] is not None
    assert manager.content.decode().count("hx-get=") == 4


def test_since_the_last_meeting(leicester, people, tracker_data):
    data = selectors.since_meeting(partnership=leicester, since=dt.date(2025, 4, 22), today=TODAY)
    assert [r.action.reference for r in data["new_actions"]] == ["12"]
    assert [(u.action.reference, u.completion_from, u.completion_to) for u in data["rag_changes"]] == [
        ("2.1", "not_started", "green"),
        ("3", "amber", "complete"),
    ]
    assert [u.action.reference for u in data["updates"]] == ["2.1", "3"]
    earlier = selectors.since_meeting(partnership=leicester, since=dt.date(2025, 1, 1), today=TODAY)
    assert [r.action.reference for r in earlier["new_actions"]] == ["2", "2.1", "3", "12"]
    assert len(earlier["updates"]) == 4


def _error_links(response) -> list[tuple[str, str]]:
    """(href, message) of each entry in the GOV.UK error summary."""
    summary = re.search(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', response.content.decode(), re.S)
    if summary is None:
        return []
    return [(href, html.unescape(msg.strip())) for href, msg in re.findall(r'<a href="([^"]*)">(.*?)</a>', summary[1])]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2025, 6, 30), dt.date(2025, 3, 30)),
        (dt.date(2025, 2, 14), dt.date(2024, 11, 14)),
        (dt.date(2025, 5, 31), dt.date(2025, 2, 28)),
        (dt.date(2024, 5, 31), dt.date(2024, 2, 29)),
        (dt.date(2026, 11, 30), dt.date(2026, 8, 30)),
    ],
)
def test_the_since_page_starts_3_months_back(today, expected):
    assert selectors.default_since(today) == expected


def test_since_page_reads_the_date_from_the_url(client, leicester, people, tracker_data):
    client.force_login(people["VV"].user)
    url = reverse("actions:since", kwargs={"slug": "leicester"})
    response = client.get(url, {"since_0": "22", "since_1": "4", "since_2": "2025"})
    html_ = response.content.decode()
    assert response.context["data"]["since"] == dt.date(2025, 4, 22)
    assert '<h2 class="govuk-heading-m">Changes since 22 April 2025</h2>' in html_
    assert "as no date was given" not in html_
    assert "1 new action, 2 RAG changes and 2 progress updates." in html_
    assert "Completion: Amber to Complete" in html_
    assert 'name="since_0" value="22"' in html_


def test_since_page_without_a_date_starts_3_months_back(client, leicester, people, tracker_data, monkeypatch):
    monkeypatch.setattr("actions.views._today", lambda: dt.date(2025, 7, 22))
    client.force_login(people["VV"].user)
    response = client.get(reverse("actions:since", kwargs={"slug": "leicester"}))
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["data"]["since"] == dt.date(2025, 4, 22)
    assert '<h2 class="govuk-heading-m">Changes since 22 April 2025</h2>' in page
    assert (
        'That is 3 months ago, as no date was given. <a class="govuk-link" href="#id_since_0">Change the date</a>'
        " to see the changes since the last board meeting." in page
    )
    assert "1 new action, 2 RAG changes and 2 progress updates." in page
    assert _error_links(response) == []
    assert "<title>Error: " not in page


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("", "", ""), [("#id_since_0", "Enter the date of the last board meeting")]),
        (("31", "2", "2025"), [("#id_since_0", "The date of the last board meeting must be a real date")]),
        (("1", "March", "2025"), [("#id_since_1", "The date of the last board meeting must be a real date")]),
        (("ab", "cd", "efgh"), [("#id_since_0", "The date of the last board meeting must be a real date")]),
        (("14", "", ""), [("#id_since_1", "The date of the last board meeting must include a month and year")]),
        (("14", "3", "25"), [("#id_since_2", "Year must include 4 numbers")]),
        (("1", "7", "2025"), [("#id_since", "The date of the last board meeting must be today or in the past")]),
    ],
)
def test_a_bad_since_date_names_the_field(client, leicester, people, tracker_data, monkeypatch, parts, expected):
    monkeypatch.setattr("actions.views._today", lambda: TODAY)
    client.force_login(people["VV"].user)
    url = reverse("actions:since", kwargs={"slug": "leicester"})
    response = client.get(url, {f"since_{i}": v for i, v in enumerate(parts)})
    assert response.status_code == 200
    assert _error_links(response) == expected
    assert response.context["data"] is None
    page = response.content.decode()
    assert "<title>Error: " in page
    assert "Changes since " not in page


def test_risk_register_heat_map(leicester, people):
    RiskFactory(partnership=leicester, title="Financial challenges", likelihood=4, impact=4)
    RiskFactory(partnership=leicester, title="Workforce retention", likelihood=4, impact=3)
    RiskFactory(partnership=leicester, title="Data quality", likelihood=1, impact=2)
    data = selectors.risk_register(partnership=leicester)
    assert [(r.number, r.title, r.score, r.band) for r in data["risks"]] == [
        (1, "Financial challenges", 16, "High"),
        (2, "Workforce retention", 12, "High"),
        (3, "Data quality", 2, "Low"),
    ]
    row4 = data["heat"][1]
    assert row4["likelihood"] == 4
    assert [[r.number for r in c["risks"]] for c in row4["cells"]] == [[], [], [2], [1], []]
    assert [c["band"] for c in data["heat"][0]["cells"]] == ["Medium", "High", "High", "Very high", "Very high"]


def _many_actions(partnership, people, start):
    counter = iter(range(start, start + 1000))

    def add(n):
        for _ in range(n):
            action = ActionFactory(
                partnership=partnership, reference=f"X{next(counter)}", leads=[people["BB"], people["KM"]]
            )
            for day in (1, 2):
                update(action, author=people["BB"], when=aware(dt.date(2025, 5, day)), completion="amber")
            RiskFactory(partnership=partnership).actions.add(action)

    return add


def test_tracker_query_count_is_fixed(client, leicester, people, tracker_data, query_guard, settings):
    settings.ACTIONS_TRACKER_CACHE_SECONDS = 0  # the uncached path: what a changed tracker costs
    client.force_login(people["KM"].user)
    url = reverse("actions:tracker", kwargs={"slug": "leicester"})
    count = query_guard.assert_fixed(client, url, add_rows=_many_actions(leicester, people, 100), limit=12)
    assert count <= 12
    query_guard.assert_fixed(
        client, url + f"?lead={people['BB'].pk}&sort=stale", add_rows=_many_actions(leicester, people, 200)
    )


def test_detail_since_and_risk_pages_have_fixed_query_counts(client, leicester, people, tracker_data, query_guard):
    client.force_login(people["SW"].user)
    action = tracker_data["2"]
    detail = reverse("actions:action_detail", kwargs={"slug": "leicester", "pk": action.pk})

    def more_updates(n):
        for day in range(1, n + 1):
            update(action, author=people["BB"], when=aware(dt.date(2025, 5, day)))

    query_guard.assert_fixed(client, detail, add_rows=more_updates)
    since = reverse("actions:since", kwargs={"slug": "leicester"}) + "?since_0=1&since_1=1&since_2=2025"
    query_guard.assert_fixed(client, since, add_rows=_many_actions(leicester, people, 300))
    risks = reverse("actions:risks", kwargs={"slug": "leicester"})
    query_guard.assert_fixed(client, risks, add_rows=_many_actions(leicester, people, 400))
    printed = reverse("actions:tracker_print", kwargs={"slug": "leicester"})
    query_guard.assert_fixed(client, printed, add_rows=_many_actions(leicester, people, 500))
