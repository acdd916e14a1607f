"""Benchmark hooks of the National Standards self-audit and HMIP inspections.

* ``generate_standards(partnerships, rng)`` — a ``bench.generate`` generator: four graded self-audits per
  partnership with linked actions and comments, and one clearly labelled example inspection with 14 ratings
  and 8 recommendations (bench data only: no seed gives an inspection's ratings).
* ``PAGES`` — the pages ``make bench`` loads.
"""

from __future__ import annotations

import random
from datetime import date

AUDIT_YEARS = (2019, 2020, 2022, 2023)


def generate_standards(partnerships, rng: random.Random) -> None:
    from bench.generate import bulk
    from performance.standards.models import (
        HMIP_STANDARDS,
        AssessmentComment,
        Grade,
        Inspection,
        InspectionRating,
        Rating,
        Recommendation,
        Standard,
        StandardGrade,
        StandardsAudit,
    )

    audits = bulk(
        StandardsAudit,
        [
            StandardsAudit(partnership=p, year=year, conducted=f"May to June {year}", summary="Bench data")
            for p in partnerships
            for year in AUDIT_YEARS
        ],
    )
    grades, comments = [], []
    for audit in audits:
        for number in Standard.values:
            grades.append(
                StandardGrade(
                    audit=audit,
                    standard=number,
                    operational=rng.choice(Grade.values),
                    strategic=rng.choice(Grade.values),
                    evidence="Bench evidence. " * rng.randint(5, 40),
                    sample=f"{rng.randint(4, 30)} cases",
                    sample_size=rng.randint(4, 30),
                    action_references=[f"NS{audit.year}{number}{i}" for i in range(rng.randint(0, 3))],
                )
            )
        comments += [
            AssessmentComment(partnership_id=audit.partnership_id, audit=audit, text=f"Bench comment {i}")
            for i in range(3)
        ]
    bulk(StandardGrade, grades)
    inspections = bulk(
        Inspection,
        [
            Inspection(
                partnership=p,
                title="Example inspection (bench data, not a real inspection)",
                inspected_on=date(2021, 9, rng.randint(1, 28)),
                overall=rng.choice(Rating.values),
            )
            for p in partnerships
        ],
    )
    ratings, recommendations = [], []
    for inspection in inspections:
        ratings += [
            InspectionRating(inspection=inspection, code=code, name=name, rating=rng.choice(Rating.values), position=i)
            for i, (code, name) in enumerate(HMIP_STANDARDS)
        ]
        recommendations += [
            Recommendation(
                inspection=inspection,
                number=n,
                text=f"Example recommendation {n}. " * 4,
                action_reference=f"H{n}" if n % 2 else "",
            )
            for n in range(1, 9)
        ]
        comments += [
            AssessmentComment(partnership_id=inspection.partnership_id, inspection=inspection, text=f"Comment {i}")
            for i in range(3)
        ]
    bulk(InspectionRating, ratings)
    bulk(Recommendation, recommendations)
    bulk(AssessmentComment, comments)


def _latest_audit(partnership) -> str:
    from performance.standards.models import StandardsAudit

    audit = StandardsAudit.objects.filter(partnership=partnership).order_by("-year").first()
    return f"/p/{partnership.slug}/performance/standards/audits/{audit.pk}/"


def _inspection(partnership) -> str:
    from performance.standards.models import Inspection

    inspection = Inspection.objects.filter(partnership=partnership).order_by("-inspected_on").first()
    return f"/p/{partnership.slug}/performance/inspections/{inspection.pk}/"


PAGES = [
    ("standards and inspections (4 audits, 1 inspection)", "/p/{slug}/performance/standards/", "manager"),
    ("National Standards self-audit (5 standards, actions, comments)", _latest_audit, "manager"),
    ("HMIP inspection (14 ratings, 8 recommendations)", _inspection, "board"),
]
