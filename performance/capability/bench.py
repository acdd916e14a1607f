"""Benchmark hooks of the self-assessment.

* ``generate_assessments(partnerships, rng)`` — a ``bench.generate`` generator: three years of self-assessments
  per partnership, every activity with evidence and both scores, two comments on each, and ten gaps a year.
* ``PAGES`` — the pages ``make bench`` loads.
"""

from __future__ import annotations

import random
from datetime import date

from django.core.management import call_command

FIXTURE = "fixtures/reference/capability_framework.json"
YEARS = (2021, 2022, 2023)
GAPS_PER_YEAR = 10
WORDS = [
    "audit",
    "supervision",
    "panel",
    "partners",
    "protocol",
    "referral",
    "training",
    "review",
    "board",
    "quality",
    "evidence",
    "cases",
    "plan",
    "managers",
    "safeguarding",
    "resettlement",
    "victims",
    "courts",
    "prevention",
]


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def generate_assessments(partnerships, rng: random.Random) -> None:
    from bench.generate import bulk
    from performance.capability.models import (
        ActivityComment,
        ActivityResponse,
        AreaAssignment,
        Assessment,
        CriticalActivity,
        Gap,
        OutcomeArea,
    )
    from yjplan.models import Membership

    if not CriticalActivity.objects.exists():
        call_command("loaddata", FIXTURE, verbosity=0)
    areas, activities = list(OutcomeArea.objects.all()), list(CriticalActivity.objects.all())
    members = {}
    for membership in Membership.objects.filter(partnership__in=partnerships).order_by("pk"):
        members.setdefault(membership.partnership_id, []).append(membership)
    assessments = bulk(Assessment, [Assessment(partnership=p, year=y) for p in partnerships for y in YEARS])
    assignments, responses = [], []
    for assessment in assessments:
        people = members[assessment.partnership_id]
        assignments += [AreaAssignment(assessment=assessment, area=area, assignee=rng.choice(people)) for area in areas]
        for activity in activities:
            responses.append(
                ActivityResponse(
                    assessment=assessment,
                    activity=activity,
                    evidence=_text(rng, 90),
                    self_score=rng.randint(1, 3),
                    validated_score=rng.randint(0, 3) if assessment.year < YEARS[-1] else None,
                )
            )
    bulk(AreaAssignment, assignments)
    responses = bulk(ActivityResponse, responses)
    partnership_of = {a.pk: a.partnership_id for a in assessments}
    comments, gaps = [], []
    by_assessment = {}
    for response in responses:
        people = members[partnership_of[response.assessment_id]]
        by_assessment.setdefault(response.assessment_id, []).append(response)
        comments += [
            ActivityComment(response=response, author=rng.choice(people), text=_text(rng, 20)) for _ in range(2)
        ]
    for assessment_responses in by_assessment.values():
        for number, response in enumerate(rng.sample(assessment_responses, GAPS_PER_YEAR), 1):
            people = members[partnership_of[response.assessment_id]]
            gaps.append(
                Gap(
                    response=response,
                    gap=_text(rng, 15),
                    risk=_text(rng, 12),
                    action=_text(rng, 15),
                    success_criteria=_text(rng, 10),
                    owner=rng.choice(people),
                    deadline=date(2024, rng.randint(1, 12), 28),
                    action_reference=f"G{number}",
                )
            )
    bulk(ActivityComment, comments)
    bulk(Gap, gaps)


def _latest(partnership):
    from performance.capability.models import Assessment

    return Assessment.objects.filter(partnership=partnership).order_by("-year").first()


def _detail(partnership) -> str:
    return f"/p/{partnership.slug}/performance/self-assessment/{_latest(partnership).pk}/"


def _activity(partnership) -> str:
    response = _latest(partnership).responses.order_by("pk").first()
    return f"/p/{partnership.slug}/performance/self-assessment/activity/{response.pk}/"


PAGES = [
    ("self-assessments list (3 years)", "/p/{slug}/performance/self-assessment/", "manager"),
    ("self-assessment (30 activities, 10 gaps, 60 comments)", _detail, "manager"),
    ("self-assessment activity (2 comments, evidence form)", _activity, "board"),
    ("self-assessment indicator commentary", lambda p: _detail(p) + "indicators/", "manager"),
]
