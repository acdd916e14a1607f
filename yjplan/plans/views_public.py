"""Published plans for the public: no sign-in, read-only, only what was published.

Everything shown comes from the published rendition's frozen snapshot, never from live records, so the
page, the PDF and the JSON say exactly what was signed and adopted. A plan that is not published (or a
partnership without a published plan) answers 404, as does anything else.
"""

import json

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from yjplan.models import Adoption, DocumentJob, Partnership, Plan, Submission
from yjplan.plans import content
from yjplan.registry import registry
from yjplan.richtext import plain_text

# Which blocks the structured data groups under each heading of the YJB's interest.
GROUPS = {"budget": "budgets.", "indicators": "performance.", "actions": "actions."}
PRIORITIES_BLOCK = "actions.action_plan"


def _published(partnership: str, plan: str) -> Plan:
    found = (
        Plan.objects.select_related("partnership", "published_rendition__job", "published_rendition__signed_job")
        .filter(partnership__slug=partnership, public_slug=plan, published_rendition__isnull=False)
        .order_by("-published_at")
        .first()
    )
    if found is None or not plan:
        raise Http404("No such published plan")
    return found


def _signatures(rendition):
    signatures = rendition.signatures.order_by("signed_at")
    job = rendition.signed_job
    if job is not None and job.params.get("signatures"):
        signatures = signatures.filter(pk__in=[int(pk) for pk in job.params["signatures"].split(",") if pk])
    return list(signatures)


def _adoptions(plan, rendition):
    return list(
        Adoption.objects.filter(plan=plan, rendition=rendition).select_related("council").order_by("adopted_on")
    )


def _screen_block(data: dict):
    def render_block(marker: content.Marker) -> str:
        entry = data.get("blocks", {}).get(content.block_id(marker))
        if not entry or entry.get("data") is None or marker.key not in registry.blocks:
            return ""
        inner = registry.block(marker.key).render_snapshot(entry["data"], media="screen")
        return content.screen_block(marker.key, inner)

    return render_block


def _urls(plan) -> dict:
    kwargs = {"partnership": plan.partnership.slug, "plan": plan.public_slug}
    return {
        "page": reverse("public_plan", kwargs=kwargs),
        "pdf": reverse("public_plan_pdf", kwargs=kwargs),
        "json": reverse("public_plan_json", kwargs=kwargs),
    }


@require_safe
def partnership_plans(request, partnership):
    found = Partnership.objects.filter(slug=partnership).first()
    plans = (
        list(
            Plan.objects.filter(partnership=found, published_rendition__isnull=False)
            .exclude(public_slug="")
            .order_by("-first_year", "title")
        )
        if found
        else []
    )
    if not plans:
        raise Http404("No published plans")
    for plan in plans:
        plan.partnership = found
        plan.urls = _urls(plan)
    return render(request, "yjplan/public/partnership_plans.html", {"public_partnership": found, "plans": plans})


@require_safe
def plan_page(request, partnership, plan):
    plan = _published(partnership, plan)
    rendition = plan.published_rendition
    data = rendition.snapshot
    render_block = _screen_block(data)
    sections = [
        {
            "number": i,
            "anchor": f"section-{i}",
            "title": s["title"],
            "html": mark_safe(content.render_body(s["body"], render_block)),  # noqa: S308 - sanitised on save
        }
        for i, s in enumerate(data["sections"], 1)
    ]
    context = {
        "plan": plan,
        "public_partnership": plan.partnership,
        "snapshot": data,
        "rendition": rendition,
        "sections": sections,
        "signatures": _signatures(rendition),
        "adoptions": _adoptions(plan, rendition),
        "urls": _urls(plan),
        "pdf_ready": rendition.signed_job is not None and rendition.signed_job.status == DocumentJob.Status.DONE,
        "amending": plan.version != rendition.plan_version,
    }
    return render(request, "yjplan/public/plan.html", context)


@require_safe
def plan_pdf(request, partnership, plan):
    plan = _published(partnership, plan)
    job = plan.published_rendition.signed_job
    if job is None or job.status != DocumentJob.Status.DONE or not job.file:
        raise Http404("The signed PDF is not available")
    filename = f"{plan.title} {plan.period_label}.pdf".replace("/", "-").replace("–", "-")
    return FileResponse(job.file.open("rb"), filename=filename, content_type="application/pdf")


def _is_priorities(section: dict) -> bool:
    """The plan's priorities: the section that carries the action plan, or one titled as the priorities."""
    return PRIORITIES_BLOCK in section["blocks"] or section["title"].casefold() in ("priorities", "service priorities")


def plan_data(plan) -> dict:
    """The published plan as structured data, from its frozen snapshot."""
    rendition = plan.published_rendition
    data = rendition.snapshot
    blocks: dict[str, list] = {}
    for ident, entry in data["blocks"].items():
        options = json.loads(ident[len(entry["key"]) + 1 :] or "{}")
        blocks.setdefault(entry["key"], []).append({"options": options, "data": entry["data"]})
    sections = []
    for number, section in enumerate(data["sections"], 1):
        sections.append(
            {
                "number": number,
                "title": plain_text(section["title"]),
                "key_area": section["key_area"] or None,
                "text": plain_text(content.MARKER.sub(" ", section["body"])),
                "blocks": [m.key for m in content.markers(section["body"])],
            }
        )
    result = {
        "partnership": {
            "name": data["partnership"]["name"],
            "slug": plan.partnership.slug,
            "councils": data["partnership"]["councils"],
        },
        "plan": {
            "title": data["plan"]["title"],
            "period": data["plan"]["period"],
            "version": data["plan"]["version"],
            "template": data["plan"]["template"],
            "due_date": data["plan"]["due_date"],
            "approved_at": data["plan"]["approved_at"],
            "approval_minute": data["plan"]["approval_minute"],
            "amendment_reason": data["plan"]["amendment_reason"] or None,
            "published_at": plan.published_at.isoformat() if plan.published_at else None,
            "urls": _urls(plan),
        },
        "rendition": {
            "number": rendition.number,
            "made_at": rendition.created_at.isoformat(),
            "sha256": rendition.job.sha256,
            "signed_sha256": rendition.signed_job.sha256 if rendition.signed_job else None,
        },
        "sections": sections,
        "priorities": [{"title": s["title"], "text": s["text"]} for s in sections if _is_priorities(s)],
        **{group: {k: v for k, v in blocks.items() if k.startswith(prefix)} for group, prefix in GROUPS.items()},
        "blocks": blocks,
        "signatures": [
            {
                "full_name": s.full_name,
                "role": s.role,
                "organisation": s.organisation,
                "statement": s.statement,
                "as_chair": s.as_chair,
                "signed_at": s.signed_at.isoformat(),
            }
            for s in _signatures(rendition)
        ],
        "submissions": [
            {"submitted_on": s.submitted_on.isoformat()}
            for s in Submission.objects.filter(plan=plan, rendition=rendition).order_by("submitted_on")
        ],
        "adoptions": [
            {
                "council": a.council.name,
                "body": a.body,
                "adopted_on": a.adopted_on.isoformat(),
                "reference": a.reference or None,
            }
            for a in _adoptions(plan, rendition)
        ],
    }
    return result


@require_safe
def plan_json(request, partnership, plan):
    plan = _published(partnership, plan)
    response = JsonResponse(plan_data(plan), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response
