"""The hub's own block, tile and navigation entries."""

import hashlib
import json

from yjplan.models import (
    Adoption,
    Comment,
    LocalAuthority,
    Membership,
    Partnership,
    Plan,
    PlanSection,
    PopulationEstimate,
    Rendition,
    ReviewRequest,
    Signature,
    SignatureRequest,
    Submission,
)
from yjplan.registry import Block, DocumentKind, NavItem, Tile, registry
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
registry.register_nav(NavItem(key="yjplan.plans", label="Plan", url_name="plan_list", order=10))
registry.register_nav(NavItem(key="yjplan.partnership", label="Partnership", url_name="partnership_detail", order=900))
registry.register_nav(
    NavItem(key="yjplan.members", label="Members", url_name="members", capability="members.manage", order=910)
)

for _model, _field in (
    (Plan, "partnership"),
    (PlanSection, "plan__partnership"),
    (Comment, "section__plan__partnership"),
    (ReviewRequest, "plan__partnership"),
    (Rendition, "plan__partnership"),
    (Signature, "rendition__plan__partnership"),
    (SignatureRequest, "plan__partnership"),
    (Submission, "plan__partnership"),
    (Adoption, "plan__partnership"),
    (Partnership, "id"),
    (LocalAuthority, "partnership"),
    (PopulationEstimate, "partnership"),
    (Membership, "partnership"),
):
    registry.register_audited(_model, partnership_field=_field)


def _summary_state(partnership, params) -> str:
    data = partnership_overview(partnership=partnership)
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _summary_pdf(job) -> str:
    from yjplan.documents import print_html

    block = registry.block("yjplan.partnership_summary")
    body = block.render(block.data(job.partnership), media="print")
    return print_html(
        "print/partnership_summary.html", partnership=job.partnership, title=job.title, context={"body": body}
    )


registry.register_document(
    DocumentKind(
        key="yjplan.partnership_summary",
        title=lambda partnership, params: f"{partnership.name}: partnership summary",
        state=_summary_state,
        build=_summary_pdf,
    )
)
