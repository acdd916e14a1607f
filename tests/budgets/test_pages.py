"""The budget pages: published totals on screen, the entry table, conflicts, locks and confirmation."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from budgets import services
from budgets.demo import CAMBS_2017, create_year
from budgets.models import BudgetYear, ContributionLine
from tests.budgets.factories import cambs, warwickshire
from tests.factories import member
from yjplan.permissions import Role


def url(name, partnership, **kwargs):
    return reverse(f"budgets:{name}", kwargs={"slug": partnership.slug, **kwargs})


def text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def cambs_world(db):
    partnership, year = cambs()
    return partnership, year, member(partnership, Role.FINANCE, user=None)


def test_cambs_year_page_shows_the_published_figures_in_both_layouts(client, cambs_world):
    partnership, year, finance = cambs_world
    client.force_login(member(partnership, Role.VIEWER).user)
    response = client.get(url("year", partnership, year=2018))
    assert response.status_code == 200
    html = response.content.decode()
    joint, yjb = html.split('data-layout="joint"')[1], html.split('data-layout="yjb"')[1]
    joint_foot = joint.split("<tfoot")[1].split("</tfoot>")[0]
    assert re.findall(r"<strong>([^<]+)</strong>", joint_foot) == [
        "£1,816,514",
        "£229,172",
        "£1,062,386",
        "£178,740",
        "£3,286,812",
    ]
    yjb_foot = yjb.split("<tfoot")[1].split("</tfoot>")[0]
    assert re.findall(r'data-total="(\w+)">([^<]+)<', yjb_foot) == [
        ("staffing", "£0"),
        ("in_kind", "£407,912"),
        ("other", "£2,878,900"),
        ("total", "£3,286,812"),
    ]
    page = text(response)
    assert "Cambridgeshire cash £1,816,514, payments in kind £229,172, total £2,045,686" in page
    assert "Peterborough cash £1,062,386, payments in kind £178,740, total £1,241,126" in page
    assert "16 of 16 lines not confirmed" in page
    assert "Change the figures" not in page  # a viewer reads only


def test_warwickshire_year_page_shows_the_published_figures(client, db):
    partnership, year = warwickshire()
    client.force_login(member(partnership, Role.FINANCE).user)
    response = client.get(url("year", partnership, year=2019))
    yjb = response.content.decode().split('data-layout="yjb"')[1]
    foot = yjb.split("<tfoot")[1].split("</tfoot>")[0]
    assert re.findall(r'data-total="(\w+)">([^<]+)<', foot) == [
        ("staffing", "£1,826,448"),
        ("in_kind", "£0"),
        ("other", "£667,350"),
        ("total", "£2,493,798"),
    ]
    assert "Police and Crime Commissioner £75,000 £0 £5,000 £80,000" in text(response)


def test_year_on_year_on_the_year_page(client, cambs_world):
    partnership, year, finance = cambs_world
    create_year(partnership, 2017, CAMBS_2017)
    client.force_login(finance.user)
    page = text(client.get(url("year", partnership, year=2018)))
    assert "Contributions 2018/19 compared with 2017/18" in page
    assert "YJB Youth Justice grant contribution down £9,931 (1.0%) on 2017/18." in page
    assert "YJB Youth Justice grant £1,003,042 £993,111 -£9,931 -1.0% Reduction" in page


def test_index_lists_years_and_value_for_money(client, db):
    partnership, year = warwickshire()
    partnership.populations.create(year=2019, population_10_17=55900)
    year.children_worked_with = 290
    year.save()
    client.force_login(member(partnership, Role.BOARD).user)
    page = text(client.get(url("index", partnership)))
    assert "2019/20 Draft £2,493,798 £0 £2,493,798 7 of 7 lines not confirmed" in page
    assert "2019/20 £2,493,798 290 entered £8,599.30 Not recorded Not known 55,900 £44.61" in page


def test_index_lists_years_newest_first_in_both_tables_under_one_visible_heading(client, db):
    partnership, year = warwickshire()
    for start_year in (2017, 2018):
        older = BudgetYear.objects.create(partnership=partnership, start_year=start_year)
        ContributionLine.objects.create(budget_year=older, agency="police", staffing_costs=Decimal(start_year))
    client.force_login(member(partnership, Role.BOARD).user)
    html = client.get(url("index", partnership)).content.decode()
    years_table, vfm_table = html.split("<caption")[1:3]
    row_labels = r'<th scope="row" class="govuk-table__header">(?:<a [^>]+>)?(\d{4}/\d{2})<'
    assert re.findall(row_labels, years_table) == ["2019/20", "2018/19", "2017/18"]
    assert re.findall(row_labels, vfm_table) == ["2019/20", "2018/19", "2017/18"]
    assert '<h2 class="govuk-heading-m">Value for money</h2>' in html
    assert (
        '<caption class="govuk-table__caption govuk-visually-hidden">Value for money by year, newest first</caption>'
        in html
    )
    assert text(client.get(url("index", partnership))).count("Value for money") == 2


def test_query_counts_are_fixed(client, query_guard, db):
    partnership, year = warwickshire()
    client.force_login(member(partnership, Role.FINANCE).user)
    council = partnership.local_authorities.get()

    counter = iter(range(1000))

    def add_rows(n):
        for _ in range(n):
            i = next(counter)
            ContributionLine.objects.create(
                budget_year=year, agency="other", other_name=f"Fund {i}", staffing_costs=Decimal(i + 1)
            )

    years = iter(range(2000, 2019))

    def add_years(n):
        for _ in range(n):
            y = BudgetYear.objects.create(partnership=partnership, start_year=next(years))
            ContributionLine.objects.create(budget_year=y, agency="police", staffing_costs=Decimal(5))

    assert council.pk
    query_guard.assert_fixed(client, url("year", partnership, year=2019), add_rows=add_rows, limit=14)
    query_guard.assert_fixed(client, url("edit", partnership, year=2019), add_rows=add_rows, limit=14)
    query_guard.assert_fixed(client, url("index", partnership), add_rows=add_years, limit=12)


def test_entry_page_is_an_editable_table_with_totals(client, cambs_world):
    partnership, year, finance = cambs_world
    client.force_login(finance.user)
    response = client.get(url("edit", partnership, year=2018) + "?layout=joint")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('inputmode="decimal"') == 2 * 2 * 12  # 9 agencies + Peterborough CCC + 2 blank, 2 councils
    assert '<script src="/static/budgets/entry.js"></script>' in html
    assert "<script>" not in html.replace("<script nonce", "")
    pboro = partnership.local_authorities.get(short_name="Peterborough")
    assert f'name="local_authority_c{pboro.pk}-cash"' in html
    assert 'value="443,179"' in html
    assert "<strong data-grand-total>£3,286,812</strong>" in html
    yjb = client.get(url("edit", partnership, year=2018) + "?layout=yjb").content.decode()
    assert yjb.count('inputmode="decimal"') == 3 * (9 * 2 + 1)


def _post_data(client, page_url):
    """The entry form as the page sends it: every input's current value."""
    html = client.get(page_url).content.decode()
    data = {}
    for match in re.finditer(r'<input[^>]*name="([^"]+)"[^>]*?(?:value="([^"]*)")?[^>]*>', html):
        name = match.group(1)
        value = re.search(r'value="([^"]*)"', match.group(0))
        data[name] = unescape(value.group(1)) if value else ""
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', html):
        data[name] = unescape(value)
    return data


def test_saving_from_the_entry_page(client, db):
    partnership, year = warwickshire()
    finance = member(partnership, Role.FINANCE)
    client.force_login(finance.user)
    page_url = url("edit", partnership, year=2019) + "?layout=yjb"
    data = _post_data(client, page_url)
    data["police-staffing_costs"] = "£190,000"
    data["education-payments_in_kind"] = "12,500.50"
    data["new1-other_name"] = "Safer Warwickshire Partnership"
    data["new1-other_delegated_funds"] = "5000"
    response = client.post(page_url, data)
    assert response.status_code == 302
    lines = {line.agency_label: line for line in year.lines.all()}
    assert lines["Police"].staffing_costs == Decimal("190000.00")
    assert lines["Education"].payments_in_kind == Decimal("12500.50")
    assert lines["Safer Warwickshire Partnership"].other_delegated_funds == Decimal("5000.00")
    assert lines["Local Authority"].staffing_costs == Decimal("1037856.00")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("lots", "Police, staffing costs: Enter an amount in pounds, like 1,234 or 1,234.56 (not “lots”)"),
        ("-100", "Police, staffing costs: Amount cannot be negative"),
        ("12.345", "Police, staffing costs: Amount cannot have more than two decimal places (pence)"),
        ("100,000,001", "Police, staffing costs: Amount must be £100,000,000 or less"),
    ],
)
def test_bad_cells_name_the_row_and_column_and_save_nothing(client, db, value, message):
    partnership, year = warwickshire()
    client.force_login(member(partnership, Role.MANAGER).user)
    page_url = url("edit", partnership, year=2019) + "?layout=yjb"
    data = _post_data(client, page_url)
    data["police-staffing_costs"] = value
    data["health-staffing_costs"] = "1"
    version = year.updated_at
    response = client.post(page_url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<a href="#id_police-staffing_costs">{message}</a>' in html.replace("&quot;", '"')
    assert 'govuk-input app-money-input govuk-input--error" id="id_police-staffing_costs"' in html
    year.refresh_from_db()
    assert year.updated_at == version
    assert year.lines.get(agency="health").staffing_costs == Decimal("98000.00")


def test_other_line_without_a_name_is_refused(client, db):
    partnership, year = warwickshire()
    client.force_login(member(partnership, Role.FINANCE).user)
    page_url = url("edit", partnership, year=2019) + "?layout=yjb"
    data = _post_data(client, page_url)
    data["new2-staffing_costs"] = "10"
    response = client.post(page_url, data)
    assert response.status_code == 200
    assert (
        '<a href="#id_new2-other_name">New other contributor 2, name: enter the name of the other contributor</a>'
        in response.content.decode()
    )


def test_stale_page_gets_the_conflict_page_and_nothing_is_overwritten(client, db):
    partnership, year = warwickshire()
    client.force_login(member(partnership, Role.FINANCE).user)
    page_url = url("edit", partnership, year=2019) + "?layout=yjb"
    stale = _post_data(client, page_url)
    first = dict(stale, **{"police-staffing_costs": "190000"})
    assert client.post(page_url, first).status_code == 302
    second = dict(stale, **{"police-staffing_costs": "200000"})
    response = client.post(page_url, second)
    assert response.status_code == 409
    page = text(response)
    assert "Someone else changed this while you were editing" in page
    assert "Police: staffing costs Different £190,000 £200,000" in page
    assert year.lines.get(agency="police").staffing_costs == Decimal("190000.00")
    html = response.content.decode()
    assert 'name="police-staffing_costs" value="200000"' in html
    new_version = BudgetYear.objects.get(pk=year.pk).updated_at.isoformat()
    assert f'name="version" value="{new_version}"' in html


def test_locked_year_is_read_only_with_the_reason(client, db):
    partnership, year = warwickshire()
    services.budget_year_lock(budget_year=year, reason="Shown in the signed 2019/20 plan")
    client.force_login(member(partnership, Role.FINANCE).user)
    page_url = url("edit", partnership, year=2019)
    response = client.get(page_url)
    page = text(response)
    assert "This budget is locked and cannot be changed: Shown in the signed 2019/20 plan." in page
    assert 'inputmode="decimal"' not in response.content.decode()
    response = client.post(page_url, {"police-staffing_costs": "1", "version": ""})
    assert response.status_code == 200
    assert year.lines.get(agency="police").staffing_costs == Decimal("187479.00")
    year_page = text(client.get(url("year", partnership, year=2019)))
    assert "Status Locked Locked because Shown in the signed 2019/20 plan Total £2,493,798" in year_page
    assert year_page.count("Shown in the signed 2019/20 plan") == 1
    assert year_page.count("Locked") == 2
    assert "cannot be changed" not in year_page


def test_board_member_of_another_agency_cannot_confirm(client, db):
    partnership, year = warwickshire()
    police = year.lines.get(agency="police")
    health_board = member(partnership, Role.BOARD, agency="health")
    client.force_login(health_board.user)
    confirm_url = url("confirm", partnership, year=2019, pk=police.pk)
    assert client.get(confirm_url).status_code == 403
    assert client.post(confirm_url, {"note": ""}).status_code == 403
    police.refresh_from_db()
    assert police.confirmed_at is None
    page = client.get(url("year", partnership, year=2019)).content.decode()
    assert confirm_url not in page
    assert url("confirm", partnership, year=2019, pk=year.lines.get(agency="health").pk) in page


def test_board_member_confirms_own_line_and_a_change_clears_it_visibly(client, db):
    partnership, year = warwickshire()
    police = year.lines.get(agency="police")
    board = member(partnership, Role.BOARD, agency="police", user=None)
    board.user.full_name = "Rachel Hume"
    board.user.save()
    client.force_login(board.user)
    response = client.post(url("confirm", partnership, year=2019, pk=police.pk), {"note": ""})
    assert response.status_code == 302
    page = text(client.get(url("year", partnership, year=2019)))
    assert re.search(r"Police £187,479 Confirmed Rachel Hume, \d+ \w+ \d{4}", page)

    client.force_login(member(partnership, Role.FINANCE).user)
    page_url = url("edit", partnership, year=2019) + "?layout=yjb"
    data = _post_data(client, page_url)
    data["police-staffing_costs"] = "187,500"
    response = client.post(page_url, data, follow=True)
    page = text(response)
    assert "Police changed, so its partner's confirmation was cleared" in page
    assert "Police £187,500 Not confirmed Waiting for the partner" in page


def test_finance_officer_confirms_on_behalf_with_a_note(client, db):
    partnership, year = warwickshire()
    line = year.lines.get(agency="probation")
    client.force_login(member(partnership, Role.FINANCE).user)
    confirm_url = url("confirm", partnership, year=2019, pk=line.pk)
    response = client.post(confirm_url, {"note": ""})
    assert response.status_code == 200
    assert "Enter a note saying on whose behalf you confirm this line, and how they agreed" in response.content.decode()
    assert client.post(confirm_url, {"note": "For the PDU head, email of 2 May"}).status_code == 302
    page = text(client.get(url("year", partnership, year=2019)))
    assert "For the PDU head, email of 2 May" in page


def test_status_confirm_and_lock(client, db):
    partnership, year = warwickshire()
    finance = member(partnership, Role.FINANCE)
    client.force_login(finance.user)
    response = client.post(url("status", partnership, year=2019), {"status": "confirmed"}, follow=True)
    assert "7 lines still need their partner&#x27;s confirmation" in response.content.decode()
    response = client.post(url("status", partnership, year=2019), {"status": "locked", "reason": ""}, follow=True)
    assert "Enter why the budget is being locked" in response.content.decode()
    client.post(url("status", partnership, year=2019), {"status": "locked", "reason": "Signed plan"})
    year.refresh_from_db()
    assert (year.status, year.lock_reason) == ("locked", "Signed plan")


def test_add_a_year_from_last_years_figures(client, db):
    partnership, year = warwickshire()
    client.force_login(member(partnership, Role.FINANCE).user)
    response = client.post(url("year_add", partnership), {"start_year": "2020", "copy_from": "2019"})
    assert response.status_code == 302
    new = BudgetYear.objects.get(partnership=partnership, start_year=2020)
    assert new.lines.count() == 7
    response = client.post(url("year_add", partnership), {"start_year": "2020", "copy_from": ""})
    assert "There is already a budget for 2020/21" in response.content.decode()
    response = client.post(url("year_add", partnership), {"start_year": "twenty", "copy_from": ""})
    assert "Year must be a number, like 2019" in response.content.decode()


def test_details_form_and_its_conflict(client, db):
    partnership, year = warwickshire()
    client.force_login(member(partnership, Role.FINANCE).user)
    details_url = url("details", partnership, year=2019)
    version = year.updated_at.isoformat()
    data = {"children_worked_with": "290", "outcomes": "305", "notes": "From the plan", "version": version}
    assert client.post(details_url, data).status_code == 302
    response = client.post(details_url, dict(data, outcomes="300"))
    assert response.status_code == 409
    response = client.post(details_url, {"children_worked_with": "many", "version": ""})
    assert "Children worked with must be a whole number, like 328" in response.content.decode()


def test_unknown_year_and_foreign_line_are_404(client, db):
    partnership, year = warwickshire()
    other, other_year = cambs()
    client.force_login(member(partnership, Role.FINANCE).user)
    assert client.get(url("year", partnership, year=1999)).status_code == 404
    assert client.get(url("edit", partnership, year=1999)).status_code == 404
    foreign = other_year.lines.first()
    assert client.get(url("confirm", partnership, year=2018, pk=foreign.pk)).status_code == 404


def test_nothing_a_browser_sends_causes_a_500(client, db):
    partnership, year = cambs()
    client.force_login(member(partnership, Role.FINANCE, Role.MANAGER).user)
    line = year.lines.first()
    long = "x" * 5000
    cases = [
        ("get", url("year", partnership, year=2**40), {}),
        ("get", url("edit", partnership, year=2018) + "?layout=<script>", {}),
        ("post", url("edit", partnership, year=2018), {"version": "garbage", "police_c1-cash": long}),
        ("post", url("edit", partnership, year=2018) + "?layout=yjb", {"new1-other_name": long, "version": ""}),
        ("post", url("year_add", partnership), {"start_year": "99999999999", "copy_from": "abc"}),
        ("post", url("details", partnership, year=2018), {"children_worked_with": "-1", "notes": long}),
        ("post", url("status", partnership, year=2018), {"status": "burnt", "reason": long}),
        ("post", url("confirm", partnership, year=2018, pk=line.pk), {"note": long}),
        ("post", url("import", partnership, year=2018), {"layout": "sideways"}),
        ("post", url("import_confirm", partnership, year=2018), {"token": long, "layout": "yjb", "version": long}),
        ("get", url("export", partnership, year=2018, layout="joint", fmt="csv"), {}),
    ]
    for method, address, data in cases:
        response = getattr(client, method)(address, data)
        assert response.status_code in (200, 302, 404, 409), (address, response.status_code)
    assert ContributionLine.objects.filter(budget_year=year).count() == 16


def test_an_overlong_cell_names_its_row_and_column(client, db):
    partnership, year = warwickshire()
    client.force_login(member(partnership, Role.FINANCE).user)
    page_url = url("edit", partnership, year=2019) + "?layout=yjb"
    data = _post_data(client, page_url)
    data["police-staffing_costs"] = "9" * 60
    data["police-note"] = "n" * 301
    html = client.post(page_url, data).content.decode()
    assert "Police, staffing costs: Enter an amount in pounds, like 1,234 or 1,234.56" in html
    assert "Police, note: must be 300 characters or fewer" in html


def test_notes_have_a_row_of_their_own_under_the_amounts(client, db):
    partnership, year = warwickshire()
    client.force_login(member(partnership, Role.FINANCE).user)
    page_url = url("edit", partnership, year=2019) + "?layout=yjb"
    html = client.get(page_url).content.decode()
    assert '<th scope="col" class="govuk-table__header">Note</th>' not in html
    rows = html.split('<tr class="govuk-table__row app-entry-amounts">')[1:]
    grant = next(row for row in rows if 'name="yjb_grant-staffing_costs"' in row)
    assert re.search(r'<th scope="row" class="govuk-table__header" rowspan="2">\s*YJB Youth Justice grant', grant)
    note_row = grant.split('<tr class="govuk-table__row app-entry-note">')[1].split("</tr>")[0]
    assert '<td class="govuk-table__cell" colspan="4">' in note_row
    label = re.search(
        r'<label class="govuk-label govuk-!-font-size-16" for="id_yjb_grant-note">(.*?)</label>', note_row
    )
    assert text_of(label.group(1)) == "Note for YJB Youth Justice grant (optional)"
    assert re.search(r'<textarea [^>]*id="id_yjb_grant-note" name="yjb_grant-note" rows="2" maxlength="300">', note_row)
    assert "Published as one YJB figure (Youth Justice and remand grants)</textarea>" in note_row
    other = next(row for row in rows if 'value="Other funding"' in row)
    assert "Published as “Other” without a name</textarea>" in unescape(other)
    assert html.count('class="govuk-textarea app-note-input"') == 12  # 9 agencies, Other funding, 2 blank

    data = _post_data(client, page_url)
    data["police-note"] = "Agreed at the March board, with the constabulary's letter of 3 March"
    data["pcc-note"] = "n" * 301
    response = client.post(page_url, data)
    html = response.content.decode()
    assert '<a href="#id_pcc-note">Police and Crime Commissioner, note: must be 300 characters or fewer</a>' in html
    assert 'aria-describedby="id_pcc-note-error"' in html
    assert "Agreed at the March board, with the constabulary&#x27;s letter of 3 March</textarea>" in html
    data["pcc-note"] = ""
    assert client.post(page_url, data).status_code == 302
    assert dict(year.lines.values_list("agency", "note").filter(agency__in=["police", "pcc", "yjb_grant"])) == {
        "police": "Agreed at the March board, with the constabulary's letter of 3 March",
        "pcc": "",
        "yjb_grant": "Published as one YJB figure (Youth Justice and remand grants)",
    }


def text_of(fragment: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", fragment))).strip()


def test_every_change_is_in_the_history(client, db):
    partnership, year = warwickshire()
    client.force_login(member(partnership, Role.FINANCE).user)
    page_url = url("edit", partnership, year=2019) + "?layout=yjb"
    data = _post_data(client, page_url)
    data["police-staffing_costs"] = "190,000"
    client.post(page_url, data)
    police = year.lines.get(agency="police")
    history_url = reverse(
        "record_history", kwargs={"slug": partnership.slug, "label": "budgets.contributionline", "pk": police.pk}
    )
    assert history_url in client.get(url("year", partnership, year=2019)).content.decode()
    response = client.get(history_url)
    assert response.status_code == 200
    assert "Staffing costs: £187,479 → £190,000" in text(response)
    other, other_year = cambs()
    foreign = reverse(
        "record_history",
        kwargs={"slug": partnership.slug, "label": "budgets.contributionline", "pk": other_year.lines.first().pk},
    )
    assert client.get(foreign).status_code == 404
