"""The hub's own block, tile and navigation entries."""

from yjplan.models import LocalAuthority, Membership, Partnership, PopulationEstimate
from yjplan.registry import Block, NavItem, Tile, registry
from yjplan.selectors import partnership_overview


def _overview(partnership, **options):
    return partnership_overview(partnership=partnership)


def _overview_tile(partnership, membership):
    return partnership_overview(partnership=partnership)


registry.register_block(
    Block(
        key="yjplan.partnership_summary",
        title="The partnership",
        description="Constituent councils, region, YOT family, police force area and the 10–17 population.",
        fetch=_overview,
        template="yjplan/blocks/partnership_summary.html",
    )
)
registry.register_tile(
    Tile(
        key="yjplan.partnership",
        title="Your partnership",
        template="yjplan/tiles/partnership.html",
        fetch=_overview_tile,
        order=900,
    )
)
registry.register_nav(NavItem(key="yjplan.home", label="Home", url_name="dashboard", order=0))
registry.register_nav(NavItem(key="yjplan.partnership", label="Partnership", url_name="partnership_detail", order=900))
registry.register_nav(
    NavItem(key="yjplan.members", label="Members", url_name="members", capability="members.manage", order=910)
)

for _model, _field in (
    (Partnership, "id"),
    (LocalAuthority, "partnership"),
    (PopulationEstimate, "partnership"),
    (Membership, "partnership"),
):
    registry.register_audited(_model, partnership_field=_field)
