"""The standards block for the plan's "standards for children" section, the dashboard tile and audited models."""

from __future__ import annotations

from performance.standards import selectors
from performance.standards.models import (
    AssessmentComment,
    Inspection,
    InspectionRating,
    Recommendation,
    StandardGrade,
    StandardsAudit,
)
from yjplan.registry import Block, DocumentKind, Tile, registry


def standards_grades_data(partnership, **options) -> dict:
    """The latest self-audit's grades per standard and the latest inspection's ratings."""
    return selectors.latest_grades(partnership=partnership)


registry.register_block(
    Block(
        key="performance.standards_grades",
        title="National Standards grades and inspection ratings",
        description="The latest National Standards self-audit's operational and strategic grade for each of the "
        "five standards, and the latest HMIP inspection's ratings.",
        fetch=standards_grades_data,
        template="performance/standards/blocks/standards_grades.html",
        print_template="print/performance/standards_grades.html",
    )
)


def _tile(partnership, membership) -> dict:
    return selectors.latest_grades(partnership=partnership)


registry.register_tile(
    Tile(
        key="performance.standards",
        title="National Standards",
        template="performance/standards/tiles/standards.html",
        fetch=_tile,
        order=35,
    )
)

for _model in (StandardsAudit, Inspection, AssessmentComment):
    registry.register_audited(_model)
registry.register_audited(StandardGrade, partnership_field="audit__partnership")
registry.register_audited(InspectionRating, partnership_field="inspection__partnership")
registry.register_audited(Recommendation, partnership_field="inspection__partnership")


def _audit(partnership, params) -> StandardsAudit:
    from performance.standards.selectors import audit_detail

    return audit_detail(partnership=partnership, pk=int(params.get("p_audit") or 0))


def _audit_state(partnership, params) -> str:
    import hashlib

    try:
        audit = _audit(partnership, params)
    except (StandardsAudit.DoesNotExist, ValueError):
        return "missing"
    stamps = [audit.updated_at.isoformat(), *(g.updated_at.isoformat() for g in audit.grades.all())]
    stamps += [str(c.pk) for c in audit.comments.all()]
    return hashlib.sha256("|".join(stamps).encode()).hexdigest()


def _audit_pdf(job) -> str:
    from yjplan.documents import print_html

    audit = _audit(job.partnership, job.params)
    return print_html(
        "print/performance/standards_audit.html", partnership=job.partnership, title=job.title, context={"audit": audit}
    )


registry.register_document(
    DocumentKind(
        key="performance.standards_audit",
        title=lambda partnership, params: f"{partnership.name}: National Standards self-audit",
        state=_audit_state,
        build=_audit_pdf,
    )
)
