"""The standards block (screen, print, snapshot) and the home dashboard tile."""

import datetime as dt
import json
import re

from django.urls import reverse

from performance.standards import services
from tests.factories import member
from yjplan.permissions import Role
from yjplan.registry import registry


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_registered():
    assert "performance.standards_grades" in registry.blocks
    assert registry.tiles["performance.standards"].order == 35
    assert {
        "performance.standardsaudit",
        "performance.standardgrade",
        "performance.inspection",
        "performance.inspectionrating",
        "performance.recommendation",
        "performance.assessmentcomment",
    } <= set(registry.audited)


def test_block_shows_leicesters_latest_grades_on_screen_and_in_print(demo_partnerships):
    leicester = demo_partnerships["leicester"]
    block = registry.block("performance.standards_grades")
    snapshot = block.snapshot(leicester)
    assert json.loads(json.dumps(snapshot)) == snapshot
    assert [(s["number"], s["operational"], s["strategic"]) for s in snapshot["audit"]["standards"]] == [
        (1, "Good", "Good with outstanding features"),
        (2, "Good", "Good with outstanding features"),
        (3, "Good", "Outstanding"),
        (4, "Good", "Good"),
        (5, "Good", "Good"),
    ]
    assert snapshot["inspection"] is None
    live = block.render(block.data(leicester), media="print")
    assert block.render_snapshot(snapshot, media="print") == live
    printed = _text(live)
    assert "National Standards self-audit 2022 (May to June 2022)" in printed
    assert "3. In the community Good Outstanding" in printed
    screen = block.render(snapshot, media="screen")
    assert 'class="govuk-table"' in screen
    assert "5. On transition and resettlement Good Good" in _text(screen)


def test_block_uses_the_latest_audit_and_inspection(partnership):
    services.audit_create(partnership=partnership, year=2021)
    newer = services.audit_create(partnership=partnership, year=2023)
    services.grade_update(grade=newer.grades.get(standard=4), data={"operational": "inadequate"})
    services.inspection_create(
        partnership=partnership, data={"title": "Old", "inspected_on": dt.date(2015, 1, 5), "overall": "inadequate"}
    )
    services.inspection_create(
        partnership=partnership,
        data={
            "title": "Inspection of youth offending services",
            "inspected_on": dt.date(2019, 9, 16),
            "overall": "good",
        },
        ratings={"1.1": "outstanding"},
    )
    data = registry.block("performance.standards_grades").data(partnership)
    assert (data["audit"]["year"], data["audit"]["weak"]) == (2023, 1)
    assert data["audit"]["standards"][3]["operational"] == "Inadequate"
    assert data["audit"]["standards"][0]["operational"] == "Not graded"
    assert data["inspection"] == {
        "title": "Inspection of youth offending services",
        "inspected_on": "2019-09-16",
        "date": "16 September 2019",
        "overall": "Good",
        "ratings": [{"code": "1.1", "name": "Governance and leadership", "rating": "Outstanding"}],
    }
    printed = _text(registry.block("performance.standards_grades").render(data, media="print"))
    assert "Inspection of youth offending services, 16 September 2019: overall good" in printed
    assert "1.1 Governance and leadership Outstanding" in printed


def test_home_dashboard_tile_counts_standards_in_words(client, partnership):
    audit = services.audit_create(partnership=partnership, year=2022)
    services.grade_update(grade=audit.grades.get(standard=1), data={"operational": "good", "strategic": "inadequate"})
    services.grade_update(grade=audit.grades.get(standard=2), data={"operational": "requires_improvement"})
    client.force_login(member(partnership, Role.VIEWER).user)
    html = client.get(reverse("dashboard", kwargs={"slug": partnership.slug})).content.decode()
    text = _text(html)
    assert "Self-audit 2022: 2 standards requiring improvement or inadequate" in text
    assert "1. Out-of-court disposals: operational good, strategic inadequate" in text
    assert "3. In the community: operational not graded, strategic not graded" in text


def test_a_pdf_of_a_self_audit(demo_partnerships):
    from yjplan import documents

    leicester = demo_partnerships["leicester"]
    audit = leicester.standards_audits.get()
    params = {"p_audit": str(audit.pk)}
    job = documents.document_request(partnership=leicester, kind="performance.standards_audit", params=params)
    assert (
        documents.document_request(partnership=leicester, kind="performance.standards_audit", params=params).pk
        == job.pk
    )
    services.grade_update(grade=audit.grades.get(standard=5), data={"operational": "good", "strategic": "outstanding"})
    changed = documents.document_request(partnership=leicester, kind="performance.standards_audit", params=params)
    assert changed.pk != job.pk
    html = registry.document("performance.standards_audit").build(changed)
    text = _text(html)
    assert "National Standards self-audit 2022" in text
    assert "5. On transition and resettlement Good Outstanding" in text
    assert "3. In the community Good Outstanding" in text
