"""The hub's own block, tile and navigation entries."""

import hashlib
import json

from django.urls import reverse

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
registry.register_nav(NavItem(key="yjplan.plans", label="Plans", url_name="plan_list", order=10))
registry.register_nav(NavItem(key="yjplan.partnership", label="Partnership", url_name="partnership_detail", order=900))
registry.register_nav(
    NavItem(key="yjplan.members", label="Members", url_name="members", capability="members.manage", order=910)
)


def _plan_crumbs(plan, slug: str) -> list[tuple[str, str]]:
    return [
        ("Plans", reverse("plan_list", kwargs={"slug": slug})),
        (plan.title, reverse("plan_detail", kwargs={"slug": slug, "plan": plan.pk})),
    ]


def _details_crumbs(record, slug: str) -> list[tuple[str, str]]:
    return [("Partnership details", reverse("partnership_detail", kwargs={"slug": slug}))]


# Counters and hashes the code keeps to spot stale renditions: not changes anyone made.
registry.register_audited(Plan, hidden=("content_revision",), crumbs=_plan_crumbs)
registry.register_audited(
    PlanSection,
    partnership_field="plan__partnership",
    hidden=("revision",),
    crumbs=lambda s, slug: _plan_crumbs(s.plan, slug),
)
registry.register_audited(
    Rendition,
    partnership_field="plan__partnership",
    hidden=("plan_version", "content_revision", "state_hash"),
    crumbs=lambda r, slug: _plan_crumbs(r.plan, slug),
)
for _model, _field in (
    (Comment, "section__plan__partnership"),
    (ReviewRequest, "plan__partnership"),
    (Signature, "rendition__plan__partnership"),
    (SignatureRequest, "plan__partnership"),
    (Submission, "plan__partnership"),
    (Adoption, "plan__partnership"),
):
    registry.register_audited(_model, partnership_field=_field)
registry.register_audited(
    Partnership, partnership_field="id", title=lambda p: f"{p.name}: details", crumbs=_details_crumbs
)
registry.register_audited(LocalAuthority, crumbs=_details_crumbs)
registry.register_audited(
    PopulationEstimate, title=lambda p: f"Population aged 10 to 17, {p.year}", crumbs=_details_crumbs
)
registry.register_audited(
    Membership,
    title=lambda m: f"{m.user}'s membership",
    crumbs=lambda m, slug: [("Members", reverse("members", kwargs={"slug": slug}))],
)


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
