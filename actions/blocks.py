"""The actions spoke's plan blocks, dashboard tiles, navigation, PDF kind, attention source and audit trail."""

import hashlib

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from actions import selectors
from actions.models import Action, Priority, ProgressUpdate, Risk
from yjplan.registry import ActionCreator, Attention, Block, BlockOption, DocumentKind, NavItem, Tile, registry


def _create_action(partnership, **kwargs) -> str:
    from actions.services import action_create_from

    return action_create_from(partnership, **kwargs)


def _create_risk(partnership, **kwargs) -> str:
    from actions.services import risk_create_from

    return risk_create_from(partnership, **kwargs)


def _review_years(partnership) -> list[tuple[str, str]]:
    today = timezone.localdate()
    latest = today.year - 1 if today.month >= 4 else today.year - 2
    return [(f"{y}-04-01", f"April {y} to March {y + 1}") for y in range(latest, latest - 6, -1)]


registry.register_block(
    Block(
        key="actions.action_plan",
        title="Action plan",
        description="The improvement actions by priority, with leads, target dates and RAG ratings in words.",
        fetch=lambda partnership, **options: selectors.action_plan_block(partnership=partnership),
        template="actions/blocks/action_plan.html",
    )
)
registry.register_block(
    Block(
        key="actions.plan_review",
        title="Review of last year's priorities",
        description="Priorities, actions taken, progress, and the RAG rating at 6 and at 12 months.",
        fetch=lambda partnership, **options: selectors.plan_review_block(
            partnership=partnership, start=options.get("start")
        ),
        template="actions/blocks/plan_review.html",
        option_fields=(
            BlockOption(
                "start",
                "Plan year reviewed",
                choices=_review_years,
                default_label="The plan year that has just ended",
            ),
        ),
    )
)
registry.register_block(
    Block(
        key="actions.risk_register",
        title="Risks to future delivery",
        description="The risk register: likelihood, impact, score and band, mitigation, owner and review date.",
        fetch=lambda partnership, **options: selectors.risk_register_block(partnership=partnership),
        template="actions/blocks/risk_register.html",
    )
)
registry.register_tile(
    Tile(
        key="actions.tracker",
        title="Action tracker",
        template="actions/tiles/tracker.html",
        fetch=lambda partnership, membership: selectors.tile_counts(
            partnership=partnership, membership=membership, today=timezone.localdate()
        ),
        order=20,
    )
)
registry.register_nav(NavItem(key="actions.tracker", label="Actions", url_name="actions:tracker", order=20))
registry.register_attention(
    Attention(
        key="actions.attention",
        title="Actions and risks",
        fetch=lambda partnership, since=None: selectors.attention(
            partnership=partnership, today=timezone.localdate(), since=since
        ),
        order=20,
    )
)

registry.register_action_creator(ActionCreator(key="actions.create", create=_create_action, create_risk=_create_risk))


def _section(slug: str, label: str, url_name: str) -> tuple[str, str]:
    return (label, reverse(url_name, kwargs={"slug": slug}))


def _action_title(action) -> str:
    return f"Action {action.reference}: {Truncator(action.text).words(12)}"


def _action_crumbs(action, slug: str) -> list[tuple[str, str]]:
    detail = reverse("actions:action_detail", kwargs={"slug": slug, "pk": action.pk})
    return [_section(slug, "Actions", "actions:tracker"), (f"Action {action.reference}", detail)]


registry.register_audited(Action, title=_action_title, crumbs=_action_crumbs)
registry.register_audited(
    Priority,
    title=lambda p: f"Priority {p}",
    crumbs=lambda p, slug: [
        _section(slug, "Actions", "actions:tracker"),
        _section(slug, "Priorities", "actions:priorities"),
    ],
)
registry.register_audited(
    Risk,
    title=lambda r: f"Risk: {r}",
    crumbs=lambda r, slug: [_section(slug, "Actions", "actions:tracker"), _section(slug, "Risks", "actions:risks")],
)
registry.register_audited(ProgressUpdate)


def _tracker_state(partnership, params) -> str:
    return hashlib.sha256(selectors.tracker_state(partnership=partnership).encode()).hexdigest()


def _tracker_pdf(job) -> str:
    from yjplan.documents import print_html

    today = timezone.localdate()
    data = selectors.tracker(partnership=job.partnership, today=today)
    return print_html(
        "print/actions/tracker.html", partnership=job.partnership, title=job.title, context={"data": data}
    )


registry.register_document(
    DocumentKind(
        key="actions.tracker",
        title=lambda partnership, params: f"{partnership.name}: action tracker",
        state=_tracker_state,
        build=_tracker_pdf,
    )
)
