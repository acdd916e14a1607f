"""Many people saving the same thing at the same moment, on real PostgreSQL: threads with their own
connections, released together. Nothing is silently overwritten (one save wins, the others get a
Conflict), no reference is handed out twice, and nothing deadlocks."""

import datetime as dt
import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, connections

from actions import services as actions
from actions.models import Action, ProgressUpdate
from budgets import services as budgets
from budgets.services import LineInput
from tests.actions.factories import ActionFactory
from tests.budgets.factories import warwickshire
from tests.conftest import require_or_skip
from tests.factories import UserFactory, member
from yjplan.models import PlanSection, PlanTemplate, SectionRevision
from yjplan.permissions import Role
from yjplan.plans import services as plans
from yjplan.plans.services import SectionConflict
from yjplan.services import Conflict

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("integration")]

THREADS = 8


@pytest.fixture(autouse=True)
def _postgresql(transactional_db):
    require_or_skip(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)", "YJPLAN_REQUIRE_SERVICES")


def together(work, n=THREADS) -> list:
    """Run ``work(i)`` in ``n`` threads released at once; return each outcome (a result or the exception)."""
    barrier = threading.Barrier(n)
    outcomes = [None] * n

    def run(i):
        try:
            barrier.wait()
            outcomes[i] = work(i)
        except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
            outcomes[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a thread is still waiting: deadlock?"
    return outcomes


def kinds(outcomes) -> Counter:
    return Counter("ok" if not isinstance(o, Exception) else type(o).__name__ for o in outcomes)


@pytest.fixture
def leicester():
    from tests.factories import PartnershipFactory

    partnership = PartnershipFactory(slug="leicester", name="Leicester Children and Young People's Justice Service")
    manager = member(partnership, Role.MANAGER, user=UserFactory(full_name="Sue Welford"))
    action = ActionFactory(partnership=partnership, reference="2.1", text="Review the remand strategy")
    return partnership, manager, action


def test_progress_updates_from_the_same_page_one_wins_the_others_conflict(leicester):
    partnership, manager, action = leicester
    version = action.updated_at.isoformat()
    outcomes = together(
        lambda i: actions.progress_add(
            action=action, membership=manager, text=f"Update {i}", completion="amber", version=version
        )
    )
    assert kinds(outcomes) == {"ok": 1, "Conflict": THREADS - 1}
    winner = next(o for o in outcomes if not isinstance(o, Exception))
    action.refresh_from_db()
    assert list(ProgressUpdate.objects.filter(action=action).values_list("text", flat=True)) == [winner.text]
    assert action.latest_update_id == winner.pk


def test_progress_updates_without_a_version_are_all_kept(leicester):
    partnership, manager, action = leicester
    outcomes = together(lambda i: actions.progress_add(action=action, membership=manager, text=f"Update {i}"))
    assert kinds(outcomes) == {"ok": THREADS}
    texts = sorted(ProgressUpdate.objects.filter(action=action).values_list("text", flat=True))
    assert texts == sorted(f"Update {i}" for i in range(THREADS))
    action.refresh_from_db()
    last = ProgressUpdate.objects.filter(action=action).order_by("-created_at", "-pk").first()
    assert action.latest_update_id == last.pk


def test_action_edits_from_the_same_page_one_wins_the_others_conflict(leicester):
    partnership, manager, action = leicester
    version = action.updated_at.isoformat()
    data = {"reference": "2.1", "target_date": dt.date(2025, 3, 31), "leads": [manager.pk]}
    outcomes = together(
        lambda i: actions.action_update(action=action, data={**data, "text": f"Edited by {i}"}, version=version)
    )
    assert kinds(outcomes) == {"ok": 1, "Conflict": THREADS - 1}
    winner = next(o for o in outcomes if not isinstance(o, Exception))
    action.refresh_from_db()
    assert action.text == winner.text


def test_the_same_new_reference_is_created_once(leicester):
    partnership, manager, action = leicester
    outcomes = together(
        lambda i: actions.action_create(
            partnership=partnership, data={"reference": "7", "text": f"Action from person {i}", "leads": []}
        )
    )
    assert kinds(outcomes) == {"ok": 1, "ValidationError": THREADS - 1}
    for error in (o for o in outcomes if isinstance(o, ValidationError)):
        assert error.message_dict == {"reference": ["Action 7 already exists: choose another reference"]}
    assert Action.objects.filter(partnership=partnership, reference="7").count() == 1


def test_decisions_turned_into_actions_at_once_get_the_next_free_references(leicester):
    partnership, manager, action = leicester
    outcomes = together(
        lambda i: actions.action_create_from(
            partnership,
            title=f"Decision {i}",
            detail="",
            source="board_decision",
            source_reference=f"Board meeting, item {i}",
            source_url="",
        )
    )
    assert kinds(outcomes) == {"ok": THREADS}
    assert sorted(outcomes, key=lambda r: int(r[1:])) == [f"D{n}" for n in range(1, THREADS + 1)]


def test_section_saves_from_the_same_revision_one_wins_the_others_conflict():
    from tests.factories import PartnershipFactory

    call_command("loaddata", "fixtures/reference/plan_templates.json", verbosity=0)
    partnership = PartnershipFactory(name="Warwickshire Youth Justice Service")
    manager = member(partnership, Role.MANAGER, user=UserFactory(full_name="Sam Whitfield"))
    plan = plans.plan_create(
        partnership=partnership,
        template=PlanTemplate.objects.get(key="yjb-four-key-areas"),
        title="Warwickshire Youth Justice Plan",
        first_year=2023,
        last_year=2025,
        created_by=manager.user,
    )
    section = plan.sections.first()
    base = section.revision
    outcomes = together(
        lambda i: plans.section_save(
            section=section,
            title=section.title,
            body=f"<p>Words of writer {i}</p>",
            base_revision=base,
            author=manager.user,
        )
    )
    assert kinds(outcomes) == {"ok": 1, "SectionConflict": THREADS - 1}
    assert all(o.theirs.number == base + 1 for o in outcomes if isinstance(o, SectionConflict))
    winner = next(o for o in outcomes if not isinstance(o, Exception))
    section = PlanSection.objects.get(pk=section.pk)
    assert (section.revision, section.body) == (base + 1, winner.body)
    assert SectionRevision.objects.filter(section=section).count() == base + 1

    # saves of different sections of one plan all land, and the plan counts each change
    sections = list(plan.sections.all())
    before = type(plan).objects.get(pk=plan.pk).content_revision
    outcomes = together(
        lambda i: plans.section_save(
            section=sections[i],
            title=sections[i].title,
            body=f"<p>New words {i}</p>",
            base_revision=sections[i].revision,
            author=manager.user,
        ),
        n=len(sections),
    )
    assert kinds(outcomes) == {"ok": len(sections)}
    assert type(plan).objects.get(pk=plan.pk).content_revision == before + len(sections)


def test_budget_saves_from_the_same_page_one_wins_the_others_conflict():
    partnership, year = warwickshire()
    version = year.updated_at.isoformat()

    def save(i):
        police = LineInput(key="r0", label="Police", agency="police", staffing_costs=Decimal(190000 + i))
        return budgets.budget_lines_save(budget_year=year, inputs=[police], version=version)

    outcomes = together(save)
    assert kinds(outcomes) == {"ok": 1, "Conflict": THREADS - 1}
    amounts = {o.yours["r0-staffing_costs"] for o in outcomes if isinstance(o, Conflict)}
    saved = year.lines.get(agency="police").staffing_costs
    assert f"£{saved:,.0f}" not in amounts  # the winner's amount is the one kept
    assert len(amounts) == THREADS - 1
