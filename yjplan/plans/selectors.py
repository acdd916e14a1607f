"""Reads for the plan's pages, each with a fixed number of queries."""

from django.db.models import Count, DateTimeField, Max, Prefetch, Q, Value
from django.http import Http404

from yjplan.models import Comment, Plan, PlanSection, Rendition, SectionRevision
from yjplan.plans import content, services
from yjplan.registry import registry


def plans_for(partnership) -> list[Plan]:
    return list(
        Plan.objects.filter(partnership=partnership)
        .select_related("template")
        .annotate(section_count=Count("sections"))
        .order_by("-first_year", "title")
    )


def plan_for(partnership, pk) -> Plan:
    plan = Plan.objects.select_related("template", "partnership").filter(partnership=partnership, pk=pk).first()
    if plan is None:
        raise Http404("No such plan")
    return plan


def section_for(plan, pk) -> PlanSection:
    section = PlanSection.objects.select_related("updated_by", "heading").filter(plan=plan, pk=pk).first()
    if section is None:
        raise Http404("No such section")
    section.plan = plan
    return section


def plan_overview(plan) -> dict:
    return {**plan_sections_overview(plan), "renditions": plan_renditions(plan)}


def plan_sections_overview(plan) -> dict:
    """The sections with their word and open-comment counts, and the completeness checklist."""
    sections = list(
        plan.sections.select_related("updated_by")
        .annotate(open_comments=Count("comments", filter=Q(comments__resolved_at__isnull=True)))
        .order_by("position", "pk")
    )
    for section in sections:
        section.words = content.word_count(section.body)
        section.missing_blocks = [m.key for m in content.markers(section.body) if m.key not in registry.blocks]
    return {"sections": sections, "checks": completeness(plan, sections)}


def plan_renditions(plan, user=None) -> list[Rendition]:
    """Never cached with the page: the workers move their PDFs' jobs along. Each with its number of
    signatures, of the chair's (``chair_signatures``) and when ``user`` signed it (``signed_by_user_at``)."""
    mine = (
        Max("signatures__signed_at", filter=Q(signatures__user_id=user.pk))
        if user is not None
        else Value(None, output_field=DateTimeField())
    )
    renditions = list(
        Rendition.objects.filter(plan=plan)
        .select_related("job", "signed_job")
        .annotate(
            signature_count=Count("signatures"),
            chair_signatures=Count("signatures", filter=Q(signatures__as_chair=True)),
            signed_by_user_at=mine,
        )
        .order_by("-number")
    )
    for rendition in renditions:
        rendition.plan = plan
    return renditions


def plan_steps(plan, renditions: list[Rendition], *, can_manage: bool, can_approve: bool, can_sign: bool) -> dict:
    """Which steps of the sign-off chain the overview offers: the member's role allows them (``can_*``) and the
    plan's state lets the service take them now. ``renditions`` from ``plan_renditions`` (newest first, with
    the visitor as ``user``); each gets ``signable``. No query."""
    signed = next((r for r in renditions if r.chair_signatures), None)  # services.current_signed_rendition
    for rendition in renditions:
        rendition.signable = can_sign and not services.signing_refusal(
            rendition, already_signed=rendition.signed_by_user_at is not None
        )
    signed_now = not services.signed_refusal(signed)
    adopted = can_manage and plan.status == "adopted"
    publication = services.publication_refusal(plan, signed) if adopted else ""
    return {
        "approve": can_approve and not services.approval_refusal(plan),
        "submit": can_manage and signed_now,
        # an adopted (or published) plan's current rendition is adopted by every council (services.adoption_record)
        "adopt": can_manage and signed_now and plan.status not in services.PUBLISHABLE,
        "publish": adopted and not publication,
        "publish_waits": publication,
        "amend": can_manage and not services.amendment_refusal(plan),
    }


def rendition_job_states(*, partnership, plan_pk: int) -> tuple:
    """The plan's renditions' print jobs and their states (one query): workers move them along without a
    change to the partnership's data, so a kept plan page varies on them."""
    return tuple(
        Rendition.objects.filter(plan__partnership=partnership, plan_id=plan_pk)
        .order_by("number")
        .values_list("number", "job_id", "job__status", "signed_job_id", "signed_job__status")
    )


def completeness(plan, sections) -> list[dict]:
    """The checklist an author works through before asking the board to approve."""
    checks = []
    for section in sections:
        if section.mandatory:
            checks.append(
                {
                    "done": section.words > 0,
                    "text": f"{section.title} is written",
                    "hint": "A key area the YJB expects in every plan",
                }
            )
    missing = sorted({key for s in sections for key in s.missing_blocks})
    checks.append(
        {
            "done": not missing,
            "text": "Every table from the records is available",
            "hint": f"Not available: {', '.join(missing)}" if missing else "",
        }
    )
    markers = [(m.key, m.options) for s in sections for m in content.markers(s.body)]
    checks += registry.plan_check_items(plan.partnership, first_year=plan.first_year, markers=markers)
    has_chair = plan.partnership.memberships.filter(is_chair=True).exists()
    asked = plan.signature_requests.count()
    checks.append(
        {
            "done": has_chair and asked > 0,
            "text": "The sign-off page is ready: the chair and the statutory partners who sign are named",
            "hint": ""
            if has_chair and asked
            else ("No member is the board's chair" if not has_chair else "Choose the statutory partners asked to sign"),
        }
    )
    checks.append(
        {
            "done": plan.approved_at is not None,
            "text": "The board has approved the plan",
            "hint": plan.approval_minute,
        }
    )
    return checks


def section_page(section) -> dict:
    comments = list(
        Comment.objects.filter(section=section)
        .select_related("author", "resolved_by")
        .prefetch_related(Prefetch("replies", queryset=Comment.objects.select_related("author").order_by("created_at")))
        .filter(reply_to__isnull=True)
        .order_by("created_at")
    )
    return {"comments": comments, "open_comments": sum(1 for c in comments if c.resolved_at is None)}


def revisions_for(section) -> list[SectionRevision]:
    return list(section.revisions.select_related("author").order_by("-number"))
