"""A plan's content: block markers inside section HTML, the JSON snapshot a rendition freezes, and the
print HTML rendered from that snapshot (pure functions of the snapshot, so a signed plan never moves).

A block marker is ``<div data-block="budgets.contributions_table" data-options='{"layout": "joint"}'></div>``
inside a section's sanitised HTML. On screen it is replaced by the block's live table; in a rendition by
the table rendered from the block's snapshot.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from yjplan.pdf import print_stylesheet
from yjplan.print_tables import fixed_columns
from yjplan.registry import registry
from yjplan.richtext import plain_text

MARKER = re.compile(r"<div\b(?P<attrs>[^>]*)>\s*</div>", re.IGNORECASE)
ATTR = re.compile(r'(?P<name>data-block|data-options)\s*=\s*(?P<q>["\'])(?P<value>.*?)(?P=q)', re.DOTALL)


@dataclass(frozen=True)
class Marker:
    key: str
    options: dict
    raw: str


def markers(body: str) -> list[Marker]:
    found = []
    for match in MARKER.finditer(body or ""):
        attrs = {m["name"]: html.unescape(m["value"]) for m in ATTR.finditer(match["attrs"])}
        if "data-block" not in attrs:
            continue
        try:
            options = json.loads(attrs.get("data-options") or "{}")
        except json.JSONDecodeError:
            options = {}
        found.append(Marker(attrs["data-block"], options if isinstance(options, dict) else {}, match.group(0)))
    return found


def marker_html(key: str, options: dict | None = None) -> str:
    data = html.escape(json.dumps(options or {}, sort_keys=True), quote=True)
    return f'<div data-block="{html.escape(key, quote=True)}" data-options="{data}"></div>'


def replace_marker(body: str, index: int, new: str) -> str:
    """``body`` with its ``index``-th block marker (counting from 0) replaced by ``new``."""
    seen = -1
    for match in MARKER.finditer(body or ""):
        if not markers(match.group(0)):
            continue
        seen += 1
        if seen == index:
            return body[: match.start()] + new + body[match.end() :]
    raise IndexError(index)


def block_id(marker: Marker) -> str:
    return f"{marker.key}:{json.dumps(marker.options, sort_keys=True)}"


def _missing(key: str) -> str:
    return (
        f'<div class="govuk-inset-text">The table “{html.escape(key)}” is not available in this service yet, '
        "so it is left out.</div>"
    )


class BlockError(Exception):
    """A block in the plan could not be made from its options; the rendition fails with this message."""


# what a block's fetch raises for options it cannot use (a year that is not a number, an unknown option)
BLOCK_ERRORS = (TypeError, ValueError, LookupError, ValidationError, ObjectDoesNotExist)


def _title(key: str) -> str:
    return registry.block(key).title if key in registry.blocks else key


def _broken(key: str, error: str) -> str:
    return (
        f'<div class="govuk-inset-text">The table “{html.escape(_title(key))}” cannot be shown: its options are '
        f"not valid ({html.escape(error)}). Edit the section to choose them again.</div>"
    )


def render_body(body: str, render_block) -> str:
    """Replace each marker with ``render_block(marker)`` (HTML)."""

    def replace(match):
        found = markers(match.group(0))
        return render_block(found[0]) if found else match.group(0)

    return MARKER.sub(replace, body or "")


def screen_block(key: str, inner: str) -> str:
    """A block on a web page. A table wider than its column scrolls sideways inside this box; app.js makes
    a box that does scroll reachable by keyboard and names it after its table's caption."""
    return f'<div class="app-plan-block" data-block-key="{html.escape(key)}">{inner}</div>'


def render_live(body: str, partnership, *, media: str = "screen") -> str:
    def live(marker: Marker) -> str:
        if marker.key not in registry.blocks:
            return _missing(marker.key)
        block = registry.block(marker.key)
        try:
            data = block.data(partnership, **marker.options)
        except BLOCK_ERRORS as error:
            return _broken(marker.key, str(error))
        return screen_block(marker.key, block.render(data, media=media))

    return mark_safe(render_body(body, live))  # noqa: S308 - body is sanitised on save; blocks are our templates


def snapshot(plan) -> dict:
    """Everything a rendition shows, as JSON: the plan, its sections and every block's data."""
    partnership = plan.partnership
    sections, blocks = [], {}
    for section in plan.sections.all():
        sections.append({"title": section.title, "body": section.body, "key_area": section.key_area})
        for marker in markers(section.body):
            ident = block_id(marker)
            if ident in blocks:
                continue
            if marker.key in registry.blocks:
                try:
                    data = registry.block(marker.key).snapshot(partnership, **marker.options)
                except BLOCK_ERRORS as error:
                    blocks[ident] = {"key": marker.key, "data": None, "error": str(error)}
                    continue
                blocks[ident] = {"key": marker.key, "data": data}
            else:
                blocks[ident] = {"key": marker.key, "data": None}
    councils = [c.name for c in partnership.local_authorities.all()]
    return json.loads(
        json.dumps(
            {
                "plan": {
                    "title": plan.title,
                    "period": plan.period_label,
                    "version": plan.version,
                    "content_revision": plan.content_revision,
                    "template": plan.template.name,
                    "due_date": plan.due_date,
                    "amendment_reason": plan.amendment_reason,
                    "approved_at": plan.approved_at,
                    "approval_minute": plan.approval_minute,
                },
                "partnership": {"name": partnership.name, "councils": councils},
                "sections": sections,
                "blocks": blocks,
            },
            cls=DjangoJSONEncoder,
            sort_keys=True,
        )
    )


def state_hash(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def print_html(
    data: dict, *, rendition_number: int, made=None, signatures: list | None = None, sha256: str = ""
) -> str:
    """The plan's print HTML from its snapshot: cover, contents with page numbers, sections, blocks."""

    def frozen(marker: Marker) -> str:
        entry = data["blocks"].get(block_id(marker))
        if entry and entry.get("error"):
            raise BlockError(
                f"The table “{_title(marker.key)}” could not be made from its options ({entry['error']}). "
                "Edit the section to choose them again, then make a new rendition."
            )
        if not entry or entry["data"] is None or marker.key not in registry.blocks:
            return _missing(marker.key)
        return registry.block(marker.key).render_snapshot(entry["data"], media="print")

    sections = [
        {"number": i, "title": s["title"], "html": mark_safe(render_body(s["body"], frozen))}  # noqa: S308
        for i, s in enumerate(data["sections"], 1)
    ]
    page = render_to_string(
        "print/plan.html",
        {
            "data": data,
            "plan": data["plan"],
            "partnership": data["partnership"],
            "sections": sections,
            "rendition_number": rendition_number,
            "made": made or timezone.now(),
            "stylesheet": print_stylesheet(),
            "signatures": signatures,
            "sha256": sha256,
        },
    )
    return fixed_columns(page)


def word_count(body: str) -> int:
    return len(plain_text(MARKER.sub(" ", body or "")).split())
