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
from yjplan.registry import Block, Tile, registry


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
