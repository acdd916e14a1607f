"""The daily digest, the plan blocks, the dashboard tile, the attention source and the tracker PDF."""

import datetime as dt

from django.core import mail
from django.urls import reverse

from actions import selectors, services
from actions.models import ReminderDigest, ReminderOptOut
from actions.tasks import send_reminders
from tests.actions.factories import ActionFactory, PriorityFactory, RiskFactory, aware, update
from yjplan.registry import registry

TODAY = dt.date(2025, 6, 30)


def _reminder_data(leicester, people):
    old = aware(dt.date(2025, 1, 2))
    due = ActionFactory(
        partnership=leicester, reference="1", target_date=dt.date(2025, 7, 14), created_at=old, leads=[people["BB"]]
    )
    update(due, author=people["BB"], when=aware(dt.date(2025, 6, 1)))
    ActionFactory(
        partnership=leicester,
        reference="2",
        target_date=dt.date(2025, 6, 1),
        created_at=old,
        leads=[people["BB"], people["KM"]],
    )
    fresh = ActionFactory(
        partnership=leicester, reference="3", target_date=dt.date(2025, 12, 1), created_at=old, leads=[people["BB"]]
    )
    update(fresh, author=people["BB"], when=aware(dt.date(2025, 6, 20)))
    ActionFactory(
        partnership=leicester,
        reference="4",
        target_date=dt.date(2025, 1, 1),
        created_at=old,
        completion="complete",
        leads=[people["BB"]],
    )
    later = ActionFactory(partnership=leicester, reference="5", target_date=None, created_at=old, leads=[people["JH"]])
    update(later, author=people["JH"], when=aware(dt.date(2025, 5, 1)))  # 60 days before TODAY


def test_each_lead_gets_one_digest_a_day_and_can_opt_out(leicester, people, django_capture_on_commit_callbacks):
    _reminder_data(leicester, people)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.reminders_send(today=TODAY)
    assert sorted(result["sent"]) == sorted([people["BB"].user.pk, people["KM"].user.pk, people["JH"].user.pk])
    by_person = {m.to[0]: m for m in mail.outbox}
    bb = by_person[people["BB"].user.email]
    assert bb.subject == "2 actions you lead need an update"
    assert "action 1 – Review the remand strategy" in bb.body
    assert "due 14 July 2025" in bb.body
    assert "overdue since 1 June 2025, last updated 179 days ago" in bb.body
    assert "action 3" not in bb.body and "action 4" not in bb.body
    assert by_person[people["KM"].user.email].subject == "1 action you lead needs an update"
    assert "last updated 60 days ago" in by_person[people["JH"].user.email].body
    # the same day again: nothing more
    with django_capture_on_commit_callbacks(execute=True):
        again = services.reminders_send(today=TODAY)
    assert again["sent"] == [] and len(again["skipped"]) == 3
    assert len(mail.outbox) == 3
    assert ReminderDigest.objects.filter(date=TODAY).count() == 3
    # opting out stops them the next day
    services.reminder_opt_out_set(user=people["BB"].user, opted_out=True)
    with django_capture_on_commit_callbacks(execute=True):
        next_day = services.reminders_send(today=TODAY + dt.timedelta(days=1))
    assert sorted(next_day["sent"]) == sorted([people["KM"].user.pk, people["JH"].user.pk])


def test_the_beat_task_runs_the_service(leicester, people):
    _reminder_data(leicester, people)
    result = send_reminders.delay().get()
    assert len(result["sent"]) == 3


def test_the_opt_out_page_toggles_the_setting(client, leicester, people):
    client.force_login(people["VV"].user)
    url = reverse("actions:reminders", kwargs={"slug": "leicester"})
    assert "<strong>receiving</strong>" in client.get(url).content.decode()
    assert client.post(url, {"reminders": "off"}).status_code == 302
    assert ReminderOptOut.objects.filter(user=people["VV"].user).exists()
    assert "<strong>not receiving</strong>" in client.get(url).content.decode()
    response = client.post(url, {"reminders": "maybe"})
    assert response.status_code == 200
    assert 'href="#id_reminders' in response.content.decode()
    client.post(url, {"reminders": "on"})
    assert not ReminderOptOut.objects.filter(user=people["VV"].user).exists()


def test_blocks_render_rag_in_words_and_snapshot(leicester, people):
    priority = PriorityFactory(partnership=leicester, number="2", title="Reoffending")
    action = ActionFactory(
        partnership=leicester,
        reference="2",
        priority=priority,
        created_at=aware(dt.date(2024, 4, 2)),
        leads=[people["BB"]],
    )
    update(action, author=people["BB"], when=aware(dt.date(2024, 6, 1)), text="Cohort tracked", completion="amber")
    update(action, author=people["BB"], when=aware(dt.date(2025, 2, 1)), text="Frequency falling", completion="green")
    RiskFactory(partnership=leicester, title="Financial challenges", likelihood=4, impact=4, owner=people["SW"])

    plan = registry.block("actions.action_plan")
    html = plan.render(plan.data(leicester))
    assert "Completion: Not started, Red, Amber, On track, Complete" in html
    assert '<strong class="govuk-tag govuk-tag--green">On track</strong>' in html
    assert "BB – Brian Bodsworth" in html
    assert plan.render_snapshot(plan.snapshot(leicester), media="screen") == html

    review = registry.block("actions.plan_review")
    data = review.data(leicester, start="2024-04-01")
    assert (data["six"], data["twelve"]) == ("30 September 2024", "31 March 2025")
    assert data["priorities"] == [
        {
            "priority": "2. Reoffending",
            "rows": [
                {
                    "reference": "2",
                    "action": action.text,
                    "progress": "Frequency falling",
                    "six_months": "Amber",
                    "twelve_months": "On track",
                }
            ],
        }
    ]
    assert '<td class="govuk-table__cell">Amber</td><td class="govuk-table__cell">On track</td>' in review.render(data)

    register = registry.block("actions.risk_register")
    assert '4 × 4 = 16 <strong class="govuk-tag govuk-tag--orange">High</strong>' in register.render(
        register.data(leicester)
    )


def test_tile_attention_and_dashboard(client, leicester, people):
    today = dt.date.today()
    old = aware(today - dt.timedelta(days=100))
    ActionFactory(
        partnership=leicester,
        reference="1",
        completion="red",
        target_date=today - dt.timedelta(days=1),
        created_at=old,
        leads=[people["KM"]],
    )
    ActionFactory(
        partnership=leicester,
        reference="2",
        completion="green",
        target_date=today + dt.timedelta(days=30),
        created_at=aware(today),
        leads=[people["BB"]],
    )
    RiskFactory(partnership=leicester, title="Workforce retention", likelihood=4, impact=3)
    counts = selectors.tile_counts(partnership=leicester, membership=people["KM"], today=today)
    assert counts["board"] == {"total": 2, "red": 1, "overdue": 1, "stale": 1}
    assert counts["mine"] == {"total": 1, "red": 1, "overdue": 1, "stale": 1}
    items = registry.attention_items(leicester)
    mine = [(i["title"], i["severity"]) for i in items if i["source"] == "actions.attention"]
    assert mine == [
        ("Action 1 is red", "high"),
        ("Action 1 is overdue", "high"),
        ("Action 1 not updated for 100 days", "medium"),
        ("High risk: Workforce retention", "high"),
    ]
    client.force_login(people["KM"].user)
    html = client.get(reverse("actions:tracker", kwargs={"slug": "leicester"})).content.decode()
    assert "Last updated 100 days ago" in html
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in html


def test_tracker_pdf_document(leicester, people):
    from yjplan.documents import document_render, document_request

    action = ActionFactory(
        partnership=leicester, reference="14", text="Respond to the serious violence duty", leads=[people["BB"]]
    )
    update(action, author=people["BB"], when=aware(dt.date(2025, 6, 1)), completion="amber", text="Briefing delivered")
    job = document_request(partnership=leicester, kind="actions.tracker")
    html = registry.document("actions.tracker").build(job)
    assert "Respond to the serious violence duty" in html and "<td>Amber</td>" in html and "Briefing delivered" in html
    done = document_render(job_id=job.pk)
    assert (done.status, done.title) == (
        "done",
        "Leicester Children and Young People's Justice Service: action tracker",
    )
    assert done.pages == 1
    assert document_request(partnership=leicester, kind="actions.tracker").pk == job.pk


def test_the_attention_source_costs_the_same_queries_for_3_actions_or_30(leicester, people):
    """The board's agenda proposals and the home page's board tile read it: no query per action or lead."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    today = dt.date.today()

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            selectors.attention(partnership=leicester, today=today)
        return len(queries)

    for n in range(3):
        ActionFactory(partnership=leicester, reference=f"{n + 1}", completion="red", leads=[people["KM"], people["BB"]])
    few = cost()
    for n in range(3, 30):
        ActionFactory(partnership=leicester, reference=f"{n + 1}", completion="red", leads=[people["KM"], people["BB"]])
    assert cost() == few == 3  # the actions, their leads, the risks
    assert len(selectors.attention(partnership=leicester, today=today)) >= 30


def test_an_update_a_year_or_more_ago_is_given_as_its_date():
    import datetime as dt

    from actions.selectors import Row

    def row(days, last):
        return Row(None, [], False, days, True, False, last)

    assert row(364, dt.date(2025, 11, 30)).updated_text == "Last updated 364 days ago"
    assert row(364, dt.date(2025, 11, 30)).not_updated_text == "not updated for 364 days"
    assert row(2547, dt.date(2019, 12, 10)).updated_text == "Last updated on 10 December 2019"
    assert row(2547, dt.date(2019, 12, 10)).not_updated_text == "not updated since 10 December 2019"
    assert row(0, dt.date(2026, 11, 30)).updated_text == "Last updated today"
