"""The two PDFs of a plan: a rendition (one exact state) and the signed document (rendition + signature page)."""

from yjplan.models import Rendition
from yjplan.plans import content
from yjplan.registry import DocumentKind, registry


def _rendition_html(job) -> str:
    rendition = Rendition.objects.get(plan_id=job.params["plan"], number=job.params["number"])
    return content.print_html(rendition.snapshot, rendition_number=rendition.number, made=rendition.created_at)


def _signed_html(job) -> str:
    rendition = Rendition.objects.select_related("job").get(pk=job.params["rendition"])
    ids = [int(pk) for pk in job.params["signatures"].split(",") if pk]
    signatures = list(rendition.signatures.filter(pk__in=ids).order_by("signed_at"))
    return content.print_html(
        rendition.snapshot,
        rendition_number=rendition.number,
        made=rendition.created_at,
        signatures=signatures,
        sha256=rendition.job.sha256,
    )


def register() -> None:
    registry.register_document(
        DocumentKind(
            key="yjplan.plan",
            title=lambda partnership, params: "Plan rendition",
            state=lambda partnership, params: "",
            build=_rendition_html,
        )
    )
    registry.register_document(
        DocumentKind(
            key="yjplan.signed_plan",
            title=lambda partnership, params: "Signed plan",
            state=lambda partnership, params: "",
            build=_signed_html,
        )
    )
