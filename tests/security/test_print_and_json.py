"""Payloads in what documents print (the print HTML that becomes each PDF) and in the published plan's JSON:
the print HTML holds no live markup, the JSON carries the text as data, unchanged, served as JSON."""

from __future__ import annotations

import json

from django.urls import reverse

import tests.yjplan.test_authorization_matrix  # noqa: F401 - loads the authz modules in their order
from actions.models import Action
from boards.models import Meeting
from performance.capability.models import ActivityResponse
from performance.standards.services import audit_create
from tests.boards.factories import MeetingFactory
from tests.performance.capability_helpers import make_assessment
from tests.security.payloads import PAYLOADS, live_injections
from yjplan.documents import document_request
from yjplan.models import Partnership
from yjplan.plans import services as plan_services
from yjplan.registry import registry

# written straight to the database below, so without NUL (forms refuse it; PostgreSQL cannot store it)
STORED = [p.replace("\x00", "") for p in PAYLOADS]
HOSTILE = " ".join(STORED)


def _published(world):
    from tests.yjplan.plan_signoff_authz import published_plan  # here: the matrix imports the authz modules itself

    return published_plan(world)


def _hostile_world(world):
    own = world["own"]
    Partnership.objects.filter(pk=own.pk).update(name=f"Northshire {PAYLOADS[0]}"[:200], yot_family=PAYLOADS[2][:100])
    own.refresh_from_db()
    for i, payload in enumerate(STORED):
        Action.objects.create(partnership=own, reference=f"X{i}", text=payload, outcome=payload)
    from tests.boards.authz import _board

    board = _board(world)
    meeting = MeetingFactory(board=board, status="held")
    Meeting.objects.filter(pk=meeting.pk).update(minutes=HOSTILE)  # as if written straight to the database
    return meeting


def test_every_document_kind_prints_payloads_inert(world):
    meeting = _hostile_world(world)
    plan = _published(world)
    draft = plan_services.plan_create(
        partnership=world["own"], template=plan.template, title=PAYLOADS[8], first_year=2021, last_year=2021
    )
    section = draft.sections.order_by("position").first()
    plan_services.section_save(
        section=section, title=PAYLOADS[9][:200], body=HOSTILE, base_revision=section.revision, author=None
    )
    rendition = plan_services.rendition_request(plan=draft, requested_by=None)
    assessment = make_assessment(world["own"])
    response = assessment.responses.order_by("pk").first()
    ActivityResponse.objects.filter(pk=response.pk).update(evidence=HOSTILE)  # as if written straight to the database
    audit = audit_create(partnership=world["own"], year=2022, conducted=STORED[3][:200], summary=HOSTILE)
    printed = []
    for key in sorted(registry.documents):
        if key == "yjplan.signed_plan":
            continue  # the rendition's print HTML with the signatures added: the signed test world has none hostile
        spec = registry.document(key)
        params = {
            "boards.pack": {"p_meeting": str(meeting.pk)},
            "performance.capability": {"p_assessment": str(assessment.pk)},
            "performance.standards_audit": {"p_audit": str(audit.pk)},
        }.get(key, {})
        job = (
            rendition.job
            if key == "yjplan.plan"
            else document_request(partnership=world["own"], kind=key, params=params)
        )
        html = spec.build(job)
        assert live_injections(html) == [], key
        printed.append(key)
    assert {
        "yjplan.plan",
        "yjplan.partnership_summary",
        "actions.tracker",
        "boards.pack",
        "performance.capability",
        "performance.standards_audit",
    } <= set(printed)


def test_published_json_carries_payloads_as_data(world, client):
    _hostile_world(world)
    plan = _published(world)
    response = client.get(
        reverse("public_plan_json", kwargs={"partnership": plan.partnership.slug, "plan": plan.public_slug})
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert f"Northshire {PAYLOADS[0]}" in json.dumps(data, ensure_ascii=False)
    html_values = []

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "html" and isinstance(item, str):
                    html_values.append(item)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(data)
    assert all(live_injections(h) == [] for h in html_values)
