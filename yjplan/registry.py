"""The block, tile and navigation registry: how the hub shows what the spokes own.

Each spoke registers its plan blocks, dashboard tiles and navigation entries in its
``AppConfig.ready()``. The hub never imports a spoke: it asks this registry.

* A **block** fetches its data for a partnership with one selector call, renders it as HTML for the
  screen or for print, and turns the data into JSON for a signed rendition's snapshot. Rendering
  from a snapshot gives the same HTML as rendering live data, so a signed plan is frozen.
* A **tile** is a small panel on the home dashboard, shown to members with its capability.
* A **nav item** is an entry in the service navigation, shown to members with its capability.
* A **document kind** is a PDF the Celery workers make (a tracker, a board pack), see ``yjplan.documents``.
* An **attention** source lists what needs the board's attention (for agendas and dashboards).
* An **audited** model has a per-record history timeline at ``/p/<slug>/history/<app.model>/<pk>/``.
* A **metric provider** gives yearly counts one spoke measures and another uses (children worked with,
  outcomes, first-time entrants from performance data, for the budget's value for money).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string


@dataclass(frozen=True)
class BlockOption:
    """One choice an author makes about a block in the editor, kept in the marker's ``data-options``.

    ``kind`` is ``"radios"``, ``"select"`` or ``"checkboxes"``. ``choices`` is a tuple of ``(value, label)``
    pairs or ``choices(partnership)`` returning them; values are strings in the form and go through
    ``coerce`` into the marker. An empty value means the block's default and leaves the option out.
    """

    name: str
    label: str
    kind: str = "select"
    choices: tuple | Callable[..., Any] = ()
    hint: str = ""
    default_label: str = ""
    coerce: Callable[[str], Any] = str

    def choices_for(self, partnership) -> list[tuple[str, str]]:
        pairs = self.choices(partnership) if callable(self.choices) else self.choices
        return [(str(value), str(label)) for value, label in pairs]


@dataclass(frozen=True)
class Block:
    key: str
    title: str
    description: str
    fetch: Callable[..., Any]
    template: str
    print_template: str | None = None
    to_json: Callable[[Any], Any] | None = None
    from_json: Callable[[Any], Any] | None = None
    options: dict[str, Any] = field(default_factory=dict)
    # What an author can choose in the editor; ``options`` above are the defaults the block fetches with.
    option_fields: tuple[BlockOption, ...] = ()
    # ``freeze(partnership, snapshot, reason=…)``: called when a plan showing this block is signed, so the
    # records behind it can be locked (a budget year used by a signed plan becomes read-only).
    freeze: Callable[..., Any] | None = None

    def data(self, partnership, **options) -> Any:
        return self.fetch(partnership, **{**self.options, **options})

    def snapshot(self, partnership, **options) -> Any:
        """JSON-safe data for a rendition (round-trips through json so it is what gets stored)."""
        data = self.data(partnership, **options)
        raw = self.to_json(data) if self.to_json else data
        return json.loads(json.dumps(raw, cls=DjangoJSONEncoder))

    def render(self, data, *, media: str = "screen", request=None) -> str:
        template = self.print_template if media == "print" and self.print_template else self.template
        return render_to_string(template, {"block": self, "data": data, "media": media}, request=request)

    def render_snapshot(self, snapshot, *, media: str = "print") -> str:
        data = self.from_json(snapshot) if self.from_json else snapshot
        return self.render(data, media=media)


@dataclass(frozen=True)
class Tile:
    key: str
    title: str
    template: str
    fetch: Callable[..., dict]
    capability: str = "view"
    order: int = 100


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    capability: str = "view"
    order: int = 100


@dataclass(frozen=True)
class Audited:
    """A model whose history is shown as a timeline; ``partnership_field`` scopes it to a tenant.

    ``hidden`` names bookkeeping fields left out of the timeline (``yjplan.history`` explains the rule).
    ``formatters`` show a field's value the spoke's way (``{"staffing_costs": format_money}``), as the hub
    formats only by field type. ``title(record)`` names the record in the page's heading (its ``str`` if
    not given). ``crumbs(record, slug)`` is the trail after Home to the page showing the record, section
    first, as ``(label, url)`` pairs; without it the trail is the spoke's first navigation entry.
    """

    key: str
    model: Any
    partnership_field: str = "partnership"
    label: str = ""
    hidden: frozenset[str] = frozenset()
    formatters: dict[str, Callable[[Any], str]] = field(default_factory=dict)
    title: Callable[[Any], str] | None = None
    crumbs: Callable[[Any, str], list[tuple[str, str]]] | None = None


@dataclass(frozen=True)
class DocumentKind:
    """A PDF the workers can make: ``state`` says which records it is made from, ``build`` makes its HTML.

    ``state(partnership, params) -> str`` must change whenever the document would change, so a request
    for the same state reuses the job already made. ``build(job) -> str`` returns print HTML.
    """

    key: str
    title: Callable[..., str]
    state: Callable[..., str]
    build: Callable[..., str]
    capability: str = "view"


@dataclass(frozen=True)
class Attention:
    """A source of things needing the board's attention (red or overdue actions, worsening indicators,
    unconfirmed budget lines, a plan awaiting sign-off). ``fetch(partnership, since=None)`` returns a list
    of dicts: ``{"title": str, "detail": str, "url": str, "kind": str, "severity": "high"|"medium"|"low"}``.
    The board's agenda builder and the dashboards read every registered source; no spoke imports another.
    """

    key: str
    title: str
    fetch: Callable[..., list[dict]]
    order: int = 100


@dataclass(frozen=True)
class ActionCreator:
    """How another part of the service turns something (a board decision, an inspection recommendation, a
    self-assessment gap) into a tracked action without importing the actions spoke.

    ``create(partnership, *, title, detail, source, source_reference, source_url, lead=None, target_date=None,
    requested_by=None) -> str`` creates the action inside the caller's transaction and returns its reference.
    ``create_risk(partnership, *, title, description, likelihood, impact, mitigation, owner, review_date,
    action_reference="") -> str`` (optional) adds a risk to the register, linked to that action, and returns its id.
    """

    key: str
    create: Callable[..., str]
    create_risk: Callable[..., str] | None = None


@dataclass(frozen=True)
class PlanCheck:
    """A line of a plan's completeness checklist that a spoke knows how to judge.

    ``check(partnership, *, first_year, markers) -> list[dict]`` where ``markers`` are the plan's block
    markers as ``(key, options)`` pairs; each dict is ``{"done": bool, "text": str, "hint": str}``.
    """

    key: str
    check: Callable[..., list[dict]]
    order: int = 100


@dataclass(frozen=True)
class Figure:
    """A count a metric provider found: ``value`` and where it came from, in words for the page."""

    value: int
    source: str


# The metrics providers may give, by key: what each counts over a financial year (April to March).
METRICS = {
    "children_worked_with": "Children the service worked with",
    "outcomes": "Out-of-court and court outcomes (disposals)",
    "first_time_entrants": "First-time entrants to the youth justice system",
}


@dataclass(frozen=True)
class MetricProvider:
    """Yearly counts a spoke can measure, for another spoke to use without importing it.

    ``fetch(partnership, start_years) -> {start_year: {metric: Figure}}`` for financial years (2019 is
    2019/20), metrics named in ``METRICS``; a year or metric it cannot measure is left out. One call
    answers every year asked, in a fixed number of queries.
    """

    key: str
    fetch: Callable[..., dict]
    order: int = 100


class AlreadyRegistered(KeyError):
    pass


class Registry:
    def __init__(self):
        self.blocks: dict[str, Block] = {}
        self.tiles: dict[str, Tile] = {}
        self.nav: dict[str, NavItem] = {}
        self.audited: dict[str, Audited] = {}
        self.documents: dict[str, DocumentKind] = {}
        self.attention: dict[str, Attention] = {}
        self.action_creators: dict[str, ActionCreator] = {}
        self.plan_checks: dict[str, PlanCheck] = {}
        self.metric_providers: dict[str, MetricProvider] = {}

    def _add(self, table: dict, item) -> None:
        if item.key in table:
            raise AlreadyRegistered(f"{item.key!r} is already registered")
        table[item.key] = item

    def register_block(self, block: Block) -> Block:
        self._add(self.blocks, block)
        return block

    def register_tile(self, tile: Tile) -> Tile:
        self._add(self.tiles, tile)
        return tile

    def register_nav(self, item: NavItem) -> NavItem:
        self._add(self.nav, item)
        return item

    def register_audited(
        self,
        model,
        *,
        partnership_field: str = "partnership",
        label: str = "",
        hidden=(),
        formatters=None,
        title=None,
        crumbs=None,
    ) -> Audited:
        key = model._meta.label_lower
        audited = Audited(
            key,
            model,
            partnership_field,
            label or str(model._meta.verbose_name),
            hidden=frozenset(hidden),
            formatters=dict(formatters or {}),
            title=title,
            crumbs=crumbs,
        )
        return self._add_returning(self.audited, audited)

    def register_document(self, kind: DocumentKind) -> DocumentKind:
        self._add(self.documents, kind)
        return kind

    def document(self, key: str) -> DocumentKind:
        try:
            return self.documents[key]
        except KeyError:
            raise KeyError(f"No document kind {key!r} is registered") from None

    def register_attention(self, source: Attention) -> Attention:
        self._add(self.attention, source)
        return source

    def attention_items(self, partnership, *, since=None) -> list[dict]:
        items = []
        for source in sorted(self.attention.values(), key=lambda s: (s.order, s.key)):
            for item in source.fetch(partnership, since=since):
                items.append({**item, "source": source.key})
        return items

    def register_action_creator(self, creator: ActionCreator) -> ActionCreator:
        self._add(self.action_creators, creator)
        return creator

    def action_creator(self) -> ActionCreator | None:
        """The registered way to create a tracked action, or None where the actions spoke is not installed."""
        return next(iter(self.action_creators.values()), None)

    def register_plan_check(self, check: PlanCheck) -> PlanCheck:
        self._add(self.plan_checks, check)
        return check

    def plan_check_items(self, partnership, *, first_year: int, markers: list[tuple[str, dict]]) -> list[dict]:
        items = []
        for check in sorted(self.plan_checks.values(), key=lambda c: (c.order, c.key)):
            items += check.check(partnership, first_year=first_year, markers=markers)
        return items

    def register_metric_provider(self, provider: MetricProvider) -> MetricProvider:
        self._add(self.metric_providers, provider)
        return provider

    def metrics(self, partnership, start_years) -> dict[int, dict[str, Figure]]:
        """Every provider's figures by financial year; where two give the same metric, the lower order wins."""
        years = sorted(set(start_years))
        result: dict[int, dict[str, Figure]] = {year: {} for year in years}
        if not years:
            return result
        for provider in sorted(self.metric_providers.values(), key=lambda p: (p.order, p.key)):
            for year, figures in provider.fetch(partnership, years).items():
                for metric, figure in figures.items():
                    result.setdefault(year, {}).setdefault(metric, figure)
        return result

    def _add_returning(self, table, item):
        self._add(table, item)
        return item

    def unregister(self, key: str) -> None:
        for table in (
            self.blocks,
            self.tiles,
            self.nav,
            self.audited,
            self.documents,
            self.attention,
            self.action_creators,
            self.metric_providers,
        ):
            table.pop(key, None)

    def block(self, key: str) -> Block:
        try:
            return self.blocks[key]
        except KeyError:
            raise KeyError(f"No block {key!r} is registered") from None

    def tiles_for(self, membership) -> list[Tile]:
        return sorted((t for t in self.tiles.values() if membership.can(t.capability)), key=lambda t: (t.order, t.key))

    def nav_for(self, membership) -> list[NavItem]:
        return sorted((n for n in self.nav.values() if membership.can(n.capability)), key=lambda n: (n.order, n.key))


registry = Registry()
