"""The budget's blocks (screen, print, JSON snapshot), tile, navigation and attention items."""

import json
import re
from decimal import Decimal

from django.urls import reverse

from budgets.demo import CAMBS_2019, create_year
from tests.budgets.factories import cambs, warwickshire
from tests.factories import member
from yjplan.permissions import Role
from yjplan.registry import registry


def cells(html: str) -> list[str]:
    return re.findall(r"<strong[^>]*>(£[^<]+)</strong>", html)


def test_contributions_block_in_both_layouts_and_from_its_snapshot(db):
    partnership, _ = cambs()
    block = registry.block("budgets.contributions_table")
    joint = block.data(partnership, layout="joint", year=2018)
    assert cells(block.render(joint)) == ["£1,816,514", "£229,172", "£1,062,386", "£178,740", "£3,286,812"]
    yjb = block.data(partnership, layout="yjb", year=2018)
    assert cells(block.render(yjb)) == ["£0", "£407,912", "£2,878,900", "£3,286,812"]
    snapshot = block.snapshot(partnership, layout="joint", year=2018)
    assert json.loads(json.dumps(snapshot)) == snapshot
    assert snapshot["table"]["totals"]["total"] == "3286812.00"
    assert block.render_snapshot(snapshot, media="screen") == block.render(joint)
    printed = block.render_snapshot(snapshot)
    assert "<strong>£3,286,812</strong>" in printed
    assert "govuk-" not in printed
    assert "Peterborough CCC" in printed


def test_contributions_block_defaults_to_the_latest_year_and_the_partnerships_layout(db):
    partnership, _ = warwickshire()
    data = registry.block("budgets.contributions_table").data(partnership)
    assert (data["layout"], data["table"]["label"]) == ("yjb", "2019/20")
    assert registry.block("budgets.contributions_table").data(partnership, year=1999)["table"] is None


def test_year_on_year_and_value_for_money_blocks(db):
    partnership, _ = cambs()
    create_year(partnership, 2019, CAMBS_2019, children=400, outcomes=500)
    partnership.populations.create(year=2019, population_10_17=84000)
    block = registry.block("budgets.year_on_year")
    snapshot = block.snapshot(partnership)
    html = block.render_snapshot(snapshot, media="screen")
    assert html == block.render(block.data(partnership))
    assert "Local Authority contribution down £40,000 (3.0%) on 2018/19" in html
    assert '<strong class="govuk-tag govuk-tag--red">Reduction</strong>' in html
    printed = block.render_snapshot(snapshot)
    assert "Local Authority contribution down £40,000 (3.0%) on 2018/19." in printed

    vfm = registry.block("budgets.value_for_money")
    data = vfm.data(partnership)
    assert data["rows"][0]["total"] == Decimal("3250225.00")
    assert [(r["label"], r["per_child"], r["per_head"]) for r in data["rows"]] == [
        ("2019/20", Decimal("8125.56"), Decimal("38.69")),
        ("2018/19", None, None),
    ]
    assert vfm.render_snapshot(vfm.snapshot(partnership), media="screen") == vfm.render(data)


def test_tile_nav_and_dashboard(client, db):
    partnership, _ = warwickshire()
    viewer = member(partnership, Role.VIEWER)
    client.force_login(viewer.user)
    html = client.get(reverse("dashboard", kwargs={"slug": partnership.slug})).content.decode()
    assert "£2,493,798</span> pooled budget 2019/20 (draft)" in html
    assert "7 of 7 lines not yet confirmed by the partner." in html
    assert f'href="/p/{partnership.slug}/budget/">' in html
    assert ">Budget<" in re.sub(r"\s+", "", html) or "Budget\n" in html


def test_attention_lists_unconfirmed_lines_and_reductions(db):
    partnership, _ = cambs()
    create_year(partnership, 2019, CAMBS_2019)
    items = [i for i in registry.attention_items(partnership) if i["source"] == "budgets.attention"]
    titles = [(i["kind"], i["title"], i["severity"]) for i in items]
    current = [t for t in titles if "2019/20" in t[1] or t[0] == "budget_reduction"]
    assert ("budget_unconfirmed", "16 budget lines not confirmed by the partner for 2019/20", "medium") in current
    assert ("budget_reduction", "Local Authority contribution down £40,000 (3.0%) on 2018/19", "medium") in current
    assert (
        "budget_reduction",
        "YJB Youth Justice grant contribution down £9,931 (1.0%) on 2018/19",
        "medium",
    ) in current
    assert all(i["url"] == f"/p/{partnership.slug}/budget/2019/" for i in items)


def test_freezing_a_signed_snapshot_locks_its_year(db):
    from budgets.blocks import freeze
    from budgets.models import BudgetYear

    partnership, year = warwickshire()
    snapshot = registry.block("budgets.contributions_table").snapshot(partnership)
    locked = freeze(partnership, snapshot, reason="Shown in the plan rendition 3, signed 12 June 2019")
    assert (locked.pk, locked.status, locked.lock_reason) == (
        year.pk,
        "locked",
        "Shown in the plan rendition 3, signed 12 June 2019",
    )
    assert (
        freeze(partnership, snapshot, reason="again").lock_reason
        == "Shown in the plan rendition 3, signed 12 June 2019"
    )
    assert BudgetYear.objects.get(pk=year.pk).status == "locked"
