"""Demo National Standards self-audit (Leicester, seed 004) and HMIP inspection (Warwickshire, seed 003). Idempotent.

Leicester's grades are the ones its 2023–24 plan reports for the self-audit of May/June 2022; the evidence
sentences are ours. Warwickshire's plan says HMIP found its work "good overall, with some outstanding features"
in autumn 2018 and names one recommendation; it gives no day and no per-standard ratings, so none are invented.
"""

from __future__ import annotations

import datetime as dt

from performance.standards import services
from performance.standards.models import Grade, Inspection, StandardGrade, StandardsAudit

LEICESTER_GRADES = {
    1: (Grade.GOOD, Grade.GOOD_OUTSTANDING_FEATURES, "Out-of-court decisions are made jointly with the police."),
    2: (Grade.GOOD, Grade.GOOD_OUTSTANDING_FEATURES, "Court work is timely; the board reviews remand decisions."),
    3: (Grade.GOOD, Grade.OUTSTANDING, "Board members lead each standard and joined the case deep dives."),
    4: (Grade.GOOD, Grade.GOOD, "Children in custody are visited and their plans kept up to date."),
    5: (Grade.GOOD, Grade.GOOD, "Transition to adult services is planned from the child's seventeenth birthday."),
}

WARWICKSHIRE_INSPECTION = {
    "title": "HMIP single agency inspection of the youth justice service",
    "inspected_on": dt.date(2018, 10, 1),
    "published_on": None,
    "overall": "good",
    "report_url": "",
    "summary": "The 2019/20 plan reports the service was found good overall, with some outstanding features, and "
    "that some areas require improvement, as the partnership's own self-assessment had said. The plan dates the "
    "inspection only as autumn 2018: the date here is the first of October 2018.",
}
WARWICKSHIRE_RECOMMENDATION = (
    "Use the quarterly performance and finance reports to guide the Chief Officer Board's allocation of resources "
    "and its priorities."
)


def _leicester(partnership) -> int:
    if StandardsAudit.objects.filter(partnership=partnership, year=2022).exists():
        return 0
    audit = services.audit_create(
        partnership=partnership,
        year=2022,
        conducted="May to June 2022",
        summary="Grades validated by the YJB. A member of the management board leads each standard; a follow-up "
        "self-audit is planned for 2023.",
    )
    for grade in StandardGrade.objects.filter(audit=audit):
        operational, strategic, evidence = LEICESTER_GRADES[grade.standard]
        services.grade_update(
            grade=grade, data={"operational": operational, "strategic": strategic, "evidence": evidence}
        )
    return 1


def _warwickshire(partnership) -> int:
    if Inspection.objects.filter(partnership=partnership).exists():
        return 0
    inspection = services.inspection_create(partnership=partnership, data=WARWICKSHIRE_INSPECTION)
    services.recommendation_add(inspection=inspection, text=WARWICKSHIRE_RECOMMENDATION)
    return 1


def seed(partnerships, stdout=None) -> None:
    audits = _leicester(partnerships["leicester"]) if "leicester" in partnerships else 0
    inspections = _warwickshire(partnerships["warwickshire"]) if "warwickshire" in partnerships else 0
    if stdout is not None:
        stdout.write(f"Standards: {audits} self-audit and {inspections} inspection added.")
