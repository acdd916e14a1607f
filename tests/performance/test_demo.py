"""The demo dashboard shows the seeds' figures exactly, with their comparators and periods."""

import re
from datetime import date
from html import unescape

from django.urls import reverse
from django.utils import timezone

from performance import analysis, demo
from performance.models import Observation
from tests.factories import member
from yjplan.permissions import Role


def table_rows(html: str, caption: str) -> list[list[str]]:
    """The rows (header first) of the table whose caption starts with ``caption``, as plain text cells."""
    for table in re.findall(r"<table.*?</table>", html, re.S):
        found = re.search(r"<caption[^>]*>(.*?)</caption>", table, re.S)
        if found and unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip().startswith(caption):
            rows = []
            for row in re.findall(r"<tr.*?</tr>", table, re.S):
                cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
                rows.append([" ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells])
            return rows
    raise AssertionError(f"No table captioned {caption!r}")


def dashboard_html(client, partnership) -> str:
    client.force_login(member(partnership, Role.BOARD).user)
    response = client.get(reverse("performance:dashboard", kwargs={"slug": partnership.slug}))
    assert response.status_code == 200
    return response.content.decode()


def lag(end: date) -> str:
    """The data-age cell: months since the period ended, and when the figure was entered (today, in tests)."""
    return f"{analysis.lag_text(end, timezone.localdate())} Figure last entered {timezone.localtime():%-d %b %Y}"


def test_seeding_twice_adds_nothing(demo_partnerships):
    count = Observation.objects.count()
    assert count == 31 + 10 + 6 + 3 * 23
    demo.seed(demo_partnerships)
    assert Observation.objects.count() == count


def test_cambridgeshire_and_peterborough(client, demo_partnerships):
    html = dashboard_html(client, demo_partnerships["cambs-peterborough"])
    assert table_rows(html, "First time entrants") == [
        ["Area", "Period", "Figure", "Eastern region", "England", "Direction of travel", "Data age"],
        [
            "Cambridgeshire",
            "Jan–Dec 2018",
            "185",
            "190 Not tested",
            "236 Not tested",
            "Improving Improving: down 6.6% on Jan–Dec 2017 Improving: down 13.6% on the baseline (Jan–Dec 2016)",
            lag(date(2018, 12, 31)),
        ],
    ]
    assert table_rows(html, "Use of custody: rate") == [
        ["Area", "Period", "Figure", "Eastern region", "England", "Direction of travel", "Data age"],
        [
            "Cambridgeshire",
            "Apr 2018–Mar 2019",
            "0.18",
            "0.28 Not tested",
            "0.30 Not tested",
            "Worsening Worsening: up 20.0% on Apr 2017–Mar 2018",
            lag(date(2019, 3, 31)),
        ],
    ]
    assert table_rows(html, "Reoffending: binary rate") == [
        ["Area", "Period", "Figure", "Eastern region", "England", "Direction of travel", "Data age"],
        [
            "Cambridgeshire",
            "Apr–Jun 2017 cohort",
            "20.6%",
            "36.8% Not tested",
            "38.4% Not tested",
            "Improving Improving: down 17.9% on Apr–Jun 2016 cohort",
            lag(date(2017, 6, 30)),
        ],
        [
            "Peterborough",
            "Apr–Jun 2017 cohort",
            "41.5%",
            "36.8% Not tested",
            "38.4% Not tested",
            "Worsening Worsening: up 6.4% on Apr–Jun 2016 cohort",
            lag(date(2017, 6, 30)),
        ],
    ]
    assert table_rows(html, "Reoffending: frequency per reoffender")[1][:5] == [
        "Cambridgeshire",
        "Apr–Jun 2017 cohort",
        "4.07",
        "4.42 Not tested",
        "4.13 Not tested",
    ]
    rows = table_rows(html, "Reoffending: frequency per child in the cohort")
    assert [r[:5] for r in rows[1:]] == [
        ["Cambridgeshire", "Apr–Jun 2017 cohort", "0.84", "1.63 Not tested", "1.59 Not tested"],
        ["Peterborough", "Apr–Jun 2017 cohort", "1.07", "1.63 Not tested", "1.59 Not tested"],
    ]
    assert "(illustrative)" not in html  # the latest periods are all the seed's own figures


def test_warwickshire(client, demo_partnerships):
    html = dashboard_html(client, demo_partnerships["warwickshire"])
    name = demo_partnerships["warwickshire"].name
    assert table_rows(html, "Use of custody: rate") == [
        [
            "Area",
            "Period",
            "Figure",
            "Warwickshire YOT family",
            "West Midlands region",
            "England",
            "Direction of travel",
            "Data age",
        ],
        [
            name,
            "Apr 2018–Mar 2019",
            "0.06",
            "0.20 Not tested",
            "0.36 Not tested",
            "0.31 Not tested",
            "Improving Improving: down 45.5% on Apr 2017–Mar 2018",
            lag(date(2019, 3, 31)),
        ],
    ]
    assert table_rows(html, "Reoffending: binary rate") == [
        ["Area", "Period", "Figure", "Direction of travel", "Data age"],
        [
            name,
            "2017/18 cohort, reported in the 2019/20 plan",
            "27.3%",
            "Improving Improving: down 44.3% on 2016/17 cohort",
            lag(date(2018, 3, 31)),
        ],
    ]


def test_leicester_rate_rose_significantly_on_the_year_before(client, demo_partnerships):
    html = dashboard_html(client, demo_partnerships["leicester"])
    name = demo_partnerships["leicester"].name
    assert table_rows(html, "Reoffending: binary rate") == [
        ["Area", "Period", "Figure", "Direction of travel", "Data age"],
        [
            name,
            "Jan–Dec 2020",
            "32.3%",
            "Worsening Worsening: up 51.0% on Jan–Dec 2019 Significantly higher than Jan–Dec 2019: worse",
            lag(date(2020, 12, 31)),
        ],
    ]
    assert table_rows(html, "Reoffending: frequency per reoffender")[1][:3] == [name, "Jan–Dec 2020", "5.29"]
    assert table_rows(html, "Reoffending: frequency per child in the cohort")[1][:3] == [name, "Jan–Dec 2020", "1.71"]


def test_indicator_page_chart_and_table(client, demo_partnerships):
    partnership = demo_partnerships["cambs-peterborough"]
    client.force_login(member(partnership, Role.VIEWER).user)
    fte = Observation.objects.filter(partnership=partnership, indicator__code="FTE").first().indicator
    html = client.get(
        reverse("performance:indicator", kwargs={"slug": partnership.slug, "pk": fte.pk})
    ).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="app-chart"' in html
    assert 'role="img" aria-labelledby="chart-title chart-desc"' in html
    assert '<title id="chart-title">First time entrants to the youth justice system' in html
    assert table_rows(html, "First time entrants to the youth justice system by period") == [
        ["Period", "Cambridgeshire", "Eastern region", "England"],
        ["Jan–Dec 2016 (illustrative)", "214", "215", "281"],
        ["Jan–Dec 2017 (illustrative)", "198", "201", "250"],
        ["Jan–Dec 2018", "185", "190", "236"],
    ]
    response = client.get(reverse("performance:indicator_csv", kwargs={"slug": partnership.slug, "pk": fte.pk}))
    lines = response.content.decode().lstrip("\ufeff").splitlines()
    assert lines[0] == "indicator,area,period start,period end,label,numerator,denominator,value,source,date published"
    assert (
        lines[-1] == "FTE,ENGLAND,2018-01-01,2018-12-31,Jan–Dec 2018,,,236,"
        "Cambridgeshire and Peterborough Youth Justice Plan 2019–22 (PNC),"
    )
    assert len(lines) == 10


def test_kpi_return_suppresses_small_counts(client, demo_partnerships):
    partnership = demo_partnerships["leicester"]
    client.force_login(member(partnership, Role.VIEWER).user)
    html = client.get(reverse("performance:kpis", kwargs={"slug": partnership.slug})).content.decode()
    name = partnership.name
    assert table_rows(html, "KPI1: Suitable accommodation") == [
        ["Sub-measure", "Area", "Numerator", "Denominator", "Figure"],
        [
            "KPI1.1 Children in the community in suitable accommodation at the end of their order",
            name,
            "41",
            "44",
            "93.2%",
        ],
        [
            "KPI1.2 Children released from custody into suitable accommodation",
            name,
            "fewer than 5",
            "fewer than 5",
            "75.0%",
        ],
    ]
    assert table_rows(html, "KPI9: Serious violence")[1] == [
        "KPI9.1 Children with a proven serious violence offence",
        name,
        "fewer than 5",
        "",
        "fewer than 5",
    ]
