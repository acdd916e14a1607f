"""Spokes reach the plan and the dashboard through the registry: blocks, tiles and navigation."""

import json

import pytest
from django.urls import reverse

from tests.factories import PartnershipFactory, PopulationFactory, member
from yjplan.permissions import Role
from yjplan.registry import AlreadyRegistered, Block, NavItem, Registry, Tile, registry


def _fake_budget_total(partnership, **options):
    return {"year": options.get("year", "2019/20"), "total": "2493798.00", "partnership": partnership.name}


@pytest.fixture
def spoke_registered():
    """What a spoke's AppConfig.ready() does: register a block, a tile and a navigation entry."""
    block = registry.register_block(
        Block(
            key="budgets.test_total",
            title="Budget total",
            description="The pooled budget total",
            fetch=_fake_budget_total,
            template="tests/block_total.html",
            options={"year": "2019/20"},
        )
    )
    tile = registry.register_tile(
        Tile(
            key="budgets.test_tile",
            title="Pooled budget",
            template="tests/tile_total.html",
            fetch=lambda partnership, membership: _fake_budget_total(partnership),
            capability="budget.edit",
            order=10,
        )
    )
    nav = registry.register_nav(
        NavItem(key="budgets.test_nav", label="Budget", url_name="partnership_detail", order=50)
    )
    yield block, tile, nav
    for key in ("budgets.test_total", "budgets.test_tile", "budgets.test_nav"):
        registry.unregister(key)


@pytest.fixture
def block_templates(settings, tmp_path):
    folder = tmp_path / "tests"
    folder.mkdir()
    (folder / "block_total.html").write_text(
        '<p class="govuk-body">{{ data.partnership }} {{ data.year }}: £{{ data.total }} ({{ media }})</p>'
    )
    (folder / "tile_total.html").write_text('<p class="govuk-body">Total £{{ data.total }}</p>')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]


def test_a_block_fetches_renders_and_snapshots(db, spoke_registered, block_templates):
    partnership = PartnershipFactory(name="Warwickshire Youth Justice Service")
    block = registry.block("budgets.test_total")
    data = block.data(partnership)
    assert block.render(data) == (
        '<p class="govuk-body">Warwickshire Youth Justice Service 2019/20: £2493798.00 (screen)</p>'
    )
    snapshot = block.snapshot(partnership, year="2018/19")
    assert json.loads(json.dumps(snapshot)) == snapshot
    partnership.name = "Renamed later"
    partnership.save()
    # a signed rendition renders from its snapshot, not from today's records
    assert block.render_snapshot(snapshot) == (
        '<p class="govuk-body">Warwickshire Youth Justice Service 2018/19: £2493798.00 (print)</p>'
    )


def test_the_dashboard_shows_tiles_for_the_member_s_capabilities(client, db, spoke_registered, block_templates):
    partnership = PartnershipFactory()
    PopulationFactory(partnership=partnership, year=2019, population_10_17=52000)
    finance = member(partnership, Role.FINANCE)
    viewer = member(partnership, Role.VIEWER)
    url = reverse("dashboard", kwargs={"slug": partnership.slug})

    client.force_login(finance.user)
    html = client.get(url).content.decode()
    assert "Pooled budget" in html
    assert "Total £2493798.00" in html
    assert html.index("Pooled budget") < html.index("Your partnership")  # ordered by the tile's order
    assert "52,000" in html
    assert f'href="/p/{partnership.slug}/partnership/"' in html

    client.force_login(viewer.user)
    html = client.get(url).content.decode()
    assert "Pooled budget" not in html
    assert "Your partnership" in html


def test_navigation_lists_only_what_the_roles_allow(client, db):
    partnership = PartnershipFactory()
    client.force_login(member(partnership, Role.VIEWER).user)
    nav = client.get(reverse("dashboard", kwargs={"slug": partnership.slug})).context["service_nav"]
    assert [item["label"] for item in nav] == [
        "Home",
        "Plans",
        "Actions",
        "Performance",
        "Budget",
        "Board",
        "Partnership",
    ]
    assert nav[0]["active"] is True
    client.force_login(member(partnership, Role.ADMIN).user)
    nav = client.get(reverse("members", kwargs={"slug": partnership.slug})).context["service_nav"]
    assert [(item["label"], item["active"]) for item in nav] == [
        ("Home", False),
        ("Plans", False),
        ("Actions", False),
        ("Performance", False),
        ("Budget", False),
        ("Board", False),
        ("Partnership", False),
        ("Members", True),
    ]


def test_registering_the_same_key_twice_is_refused():
    local = Registry()
    tile = Tile(key="x.tile", title="X", template="t.html", fetch=lambda p, m: {})
    local.register_tile(tile)
    with pytest.raises(AlreadyRegistered):
        local.register_tile(tile)
    with pytest.raises(KeyError, match="No block 'x.none' is registered"):
        local.block("x.none")


def test_the_hub_registers_its_own_partnership_summary_block(db):
    partnership = PartnershipFactory(name="Leicester YJS", councils=["Leicester City Council"])
    PopulationFactory(partnership=partnership, year=2022, population_10_17=37400)
    html = registry.block("yjplan.partnership_summary").render(
        registry.block("yjplan.partnership_summary").data(partnership)
    )
    assert "Leicester City Council" in html
    assert "37,400 (2022)" in html


def test_attention_sources_are_merged_in_order(db):
    from yjplan.registry import Attention

    local = Registry()
    local.register_attention(
        Attention(
            key="actions.overdue",
            title="Overdue actions",
            order=20,
            fetch=lambda p, since=None: [
                {"title": "2.1 overdue", "detail": "", "url": "/a", "kind": "action", "severity": "high"}
            ],
        )
    )
    local.register_attention(
        Attention(key="budgets.unconfirmed", title="Unconfirmed lines", order=10, fetch=lambda p, since=None: [])
    )
    local.register_attention(
        Attention(
            key="plan.signoff",
            title="Plan",
            order=5,
            fetch=lambda p, since=None: [
                {
                    "title": f"Plan awaiting sign-off since {since}",
                    "detail": "",
                    "url": "/p",
                    "kind": "plan",
                    "severity": "medium",
                }
            ],
        )
    )
    items = local.attention_items(PartnershipFactory(), since="2019-06-01")
    assert [(i["source"], i["title"]) for i in items] == [
        ("plan.signoff", "Plan awaiting sign-off since 2019-06-01"),
        ("actions.overdue", "2.1 overdue"),
    ]


def test_one_action_creator_turns_decisions_into_actions():
    from yjplan.registry import ActionCreator

    local = Registry()
    assert local.action_creator() is None
    made = []

    def create(partnership, *, title, detail, source, source_reference, source_url, **extra):
        made.append((title, source, source_reference))
        return f"D{len(made)}"

    local.register_action_creator(ActionCreator(key="actions.create", create=create))
    reference = local.action_creator().create(
        None,
        title="Audit remand cases",
        detail="",
        source="board_decision",
        source_reference="YJMB 12 June",
        source_url="",
    )
    assert reference == "D1"
    assert made == [("Audit remand cases", "board_decision", "YJMB 12 June")]
