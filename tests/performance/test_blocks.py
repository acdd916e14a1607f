"""Plan blocks, the dashboard tile, the navigation entry and the attention source."""

import json
import re

from django.urls import reverse

from performance.blocks import indicator_summary_data
from tests.factories import member
from yjplan.permissions import Role
from yjplan.registry import registry


def test_registered():
    assert {"performance.indicator_summary", "performance.indicator_chart"} <= set(registry.blocks)
    assert registry.tiles["performance.summary"].order == 30
    nav = registry.nav["performance.dashboard"]
    assert (nav.label, nav.url_name, nav.order, nav.capability) == ("Performance", "performance:dashboard", 30, "view")
    assert "performance.indicators" in registry.attention
    assert {
        "performance.observation",
        "performance.performancesettings",
        "performance.comparatorarea",
        "performance.indicator",
    } <= set(registry.audited)


def test_summary_block_snapshot_renders_the_same_as_live_data(demo_partnerships):
    leicester = demo_partnerships["leicester"]
    block = registry.block("performance.indicator_summary")
    snapshot = block.snapshot(leicester, codes=["REOFF_BINARY"])
    assert json.loads(json.dumps(snapshot)) == snapshot
    row = snapshot["summaries"][0]["rows"][0]
    assert (snapshot["summaries"][0]["code"], row["area"], row["period"], row["value"]) == (
        "REOFF_BINARY",
        leicester.name,
        "Jan–Dec 2020",
        "32.3%",
    )
    assert row["direction"] == {"word": "worsening", "text": "Worsening: up 51.0% on Jan–Dec 2019", "tag": "red"}
    assert row["change_significance"] == "Significantly higher than Jan–Dec 2019: worse"
    live = block.render(block.data(leicester, codes=["REOFF_BINARY"]), media="print")
    assert block.render_snapshot(snapshot, media="print") == live
    assert "Worsening: up 51.0% on Jan–Dec 2019. Significantly higher than Jan–Dec 2019: worse" in live
    screen = block.render(snapshot, media="screen")
    assert 'class="govuk-tag govuk-tag--red">Worsening</strong>' in screen


def test_summary_block_defaults_to_the_key_indicators(demo_partnerships):
    data = indicator_summary_data(demo_partnerships["cambs-peterborough"])
    assert [s["code"] for s in data["summaries"]] == [
        "FTE",
        "REOFF_BINARY",
        "REOFF_FREQ_REOFFENDER",
        "REOFF_FREQ_COHORT",
        "CUSTODY_RATE",
    ]
    fte = data["summaries"][0]
    assert fte["comparator_names"] == ["Eastern region", "England"]
    assert [(c["name"], c["value"]) for c in fte["rows"][0]["comparators"]] == [
        ("Eastern region", "190"),
        ("England", "236"),
    ]


def test_chart_block_is_svg_with_the_table(demo_partnerships):
    block = registry.block("performance.indicator_chart")
    snapshot = block.snapshot(demo_partnerships["warwickshire"], code="CUSTODY_RATE")
    assert snapshot["areas"] == [
        "Warwickshire Youth Justice Service",
        "Warwickshire YOT family",
        "West Midlands region",
        "England",
    ]
    assert snapshot["rows"] == [
        {"label": "Apr 2017–Mar 2018", "illustrative": True, "cells": ["0.11", "0.22", "0.38", "0.34"]},
        {"label": "Apr 2018–Mar 2019", "illustrative": False, "cells": ["0.06", "0.20", "0.36", "0.31"]},
    ]
    assert snapshot["svg"].startswith('<svg xmlns="http://www.w3.org/2000/svg" class="app-chart"')
    assert '<title id="chart-custody_rate-title">Use of custody: rate' in snapshot["svg"]
    assert snapshot["svg"].count("<polyline") == 4
    html = block.render_snapshot(snapshot, media="print")
    assert "<svg" in html and "<caption>Use of custody: rate by period and area</caption>" in html
    # deterministic: the same data gives the same bytes
    assert block.snapshot(demo_partnerships["warwickshire"], code="CUSTODY_RATE")["svg"] == snapshot["svg"]
    assert block.snapshot(demo_partnerships["warwickshire"], code="NOPE")["rows"] == []


def test_attention_lists_worsening_and_significantly_worse(demo_partnerships):
    leicester = demo_partnerships["leicester"]
    items = registry.attention["performance.indicators"].fetch(leicester)
    assert [(i["title"], i["severity"]) for i in items] == [
        (f"Reoffending: binary rate: {leicester.name}", "medium"),
        (f"Reoffending: frequency per reoffender: {leicester.name}", "medium"),
        (f"Reoffending: frequency per child in the cohort: {leicester.name}", "medium"),
    ]
    assert items[0]["detail"] == "32.3% (Jan–Dec 2020). Worsening: up 51.0% on Jan–Dec 2019."
    assert items[0]["url"] == "/p/leicester/performance/#indicator-reoff_binary"


def test_home_dashboard_tile(client, demo_partnerships):
    cambs = demo_partnerships["cambs-peterborough"]
    client.force_login(member(cambs, Role.VIEWER).user)
    html = client.get(reverse("dashboard", kwargs={"slug": cambs.slug})).content.decode()
    assert '<span class="app-tile__figure">7</span> latest key figures' in html
    assert "<li>2 worsening on the previous period</li>" in html
    assert "<li>0 significantly worse than a comparator</li>" in html
    assert re.search(r'service-navigation__link" href="/p/cambs-peterborough/performance/">\s*Performance\s*</a>', html)


def test_pdf_report_has_the_figures_and_vector_charts(demo_partnerships):
    import subprocess

    from yjplan import documents

    warwickshire = demo_partnerships["warwickshire"]
    job = documents.document_request(partnership=warwickshire, kind="performance.report")
    assert documents.document_request(partnership=warwickshire, kind="performance.report").pk == job.pk
    job = documents.document_render(job_id=job.pk)
    assert (job.status, job.error) == ("done", "")
    pdf = job.file.read()
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    text = " ".join(text.decode().split())
    assert "Warwickshire Youth Justice Service: performance against comparators" in text
    # the data-age column beside it grows with the calendar and moves the line breaks: match the cells
    assert "27.3% Improving: down 44.3%" in text and "on 2016/17 cohort" in text
    assert "0.06 0.20: not tested" in text
    assert "Reoffending: binary rate over time" in text and "Use of custody: rate over time" in text
    images = subprocess.run(["pdfimages", "-list", "-"], input=pdf, capture_output=True, check=True).stdout
    assert len(images.decode().strip().splitlines()) == 2  # header only: the charts are vectors, not images
