"""Budget services and selectors: totals in both layouts, saving, validation, conflicts, confirmation."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from budgets import selectors, services
from budgets.models import BudgetYear, ContributionLine
from budgets.services import LineInput
from tests.budgets.factories import cambs, warwickshire
from tests.factories import PartnershipFactory, member
from yjplan.permissions import Role
from yjplan.services import Conflict

D = Decimal


def test_cambs_published_totals_in_both_layouts(db):
    partnership, _ = cambs()
    year, table = selectors.year_table(partnership=partnership, start_year=2018)
    assert table["label"] == "2018/19"
    assert table["joint"] is True
    assert [c["short_name"] for c in table["councils"]] == ["Cambridgeshire", "Peterborough"]
    assert table["council_totals"] == [
        {"cash": D("1816514.00"), "in_kind": D("229172.00")},
        {"cash": D("1062386.00"), "in_kind": D("178740.00")},
    ]
    assert table["totals"]["total"] == D("3286812.00")
    assert table["totals"]["cash"] == D("2878900.00")
    assert table["totals"]["in_kind"] == D("407912.00")
    by_label = {row["label"]: row for row in table["rows"]}
    assert by_label["Local Authority"]["total"] == D("1355195.00")
    assert by_label["Health"]["total"] == D("221132.00")
    assert by_label["YJB remand grant"]["total"] == D("88959.00")
    assert by_label["Peterborough CCC"]["cells"] == [
        {"cash": D("40415.00"), "in_kind": D("0.00")},
        {"cash": D("0.00"), "in_kind": D("0.00")},
    ]
    assert table["by_council"][1] == {
        "council": "Peterborough",
        "cash": D("1062386.00"),
        "in_kind": D("178740.00"),
        "total": D("1241126.00"),
    }


def test_warwickshire_published_totals(db):
    partnership, _ = warwickshire()
    _, table = selectors.year_table(partnership=partnership, start_year=2019)
    assert table["joint"] is False
    assert table["totals"] == {
        "staffing": D("1826448.00"),
        "in_kind": D("0.00"),
        "other": D("667350.00"),
        "cash": D("2493798.00"),
        "total": D("2493798.00"),
    }
    assert [(r["label"], r["total"]) for r in table["rows"]] == [
        ("Local Authority", D("1580335.00")),
        ("Police", D("187479.00")),
        ("Police and Crime Commissioner", D("80000.00")),
        ("Probation", D("77624.00")),
        ("Health", D("103000.00")),
        ("YJB Youth Justice grant", D("422917.00")),
        ("Other funding", D("42443.00")),
    ]


def test_budget_years_list_totals_in_one_query(db, django_assert_num_queries):
    partnership, _ = warwickshire()
    with django_assert_num_queries(1):
        years = selectors.budget_years(partnership=partnership)
    assert [(y["label"], y["total"], y["lines"], y["unconfirmed"]) for y in years] == [
        ("2019/20", D("2493798.00"), 7, 7)
    ]


def _input(key, agency, council=None, **amounts):
    return LineInput(key=key, label=key, agency=agency, council_id=council, **{k: D(v) for k, v in amounts.items()})


def test_save_creates_updates_and_moves_the_version(db):
    partnership, year = warwickshire()
    police = year.lines.get(agency="police")
    version = year.updated_at.isoformat()
    result = services.budget_lines_save(
        budget_year=year,
        inputs=[
            _input("r0", "police", staffing_costs="190000"),
            _input("r1", "education", payments_in_kind="12500.50"),
            _input("r2", "public_health"),  # all blank: no line made
        ],
        version=version,
    )
    assert (result.created, result.updated) == (1, 1)
    assert [c.description for c in result.changes] == [
        "r0: staffing costs £187,479 → £190,000",
        "r1: payments in kind £12,500.50 (new line)",
    ]
    police.refresh_from_db()
    assert police.staffing_costs == D("190000.00")
    year.refresh_from_db()
    assert year.updated_at.isoformat() != version
    assert not year.lines.filter(agency="public_health").exists()


def test_stale_version_raises_conflict_and_writes_nothing(db):
    partnership, year = warwickshire()
    stale = year.updated_at.isoformat()
    services.budget_lines_save(budget_year=year, inputs=[_input("r0", "police", staffing_costs="1")], version=stale)
    with pytest.raises(Conflict) as error:
        services.budget_lines_save(budget_year=year, inputs=[_input("r0", "police", staffing_costs="2")], version=stale)
    assert error.value.theirs == {"r0-staffing_costs": "£1"}
    assert error.value.yours == {"r0-staffing_costs": "£2"}
    assert year.lines.get(agency="police").staffing_costs == D("1.00")


@pytest.mark.parametrize(
    ("item", "cell", "message"),
    [
        (_input("r0", "dragons"), "r0-agency", "r0, agency: choose an agency from the list"),
        (
            _input("r0", "welsh_government", staffing_costs="5"),
            "r0-agency",
            "r0, agency: Welsh Government contributes only to partnerships in Wales",
        ),
        (
            _input("r0", "other", staffing_costs="5"),
            "r0-other_name",
            "r0, name: enter the name of the other contributor",
        ),
        (_input("r0", "police", council=999999), "r0-council", "no such council"),
    ],
)
def test_bad_lines_name_the_cell(db, item, cell, message):
    partnership, year = warwickshire()
    with pytest.raises(ValidationError) as error:
        services.budget_lines_save(budget_year=year, inputs=[item], version=None)
    assert cell in error.value.message_dict
    assert message in error.value.message_dict[cell][0]


def test_duplicate_line_is_refused(db):
    partnership, year = warwickshire()
    with pytest.raises(ValidationError) as error:
        services.budget_lines_save(
            budget_year=year,
            inputs=[_input("r0", "police", staffing_costs="1"), _input("r9", "police", staffing_costs="2")],
            version=None,
        )
    assert error.value.message_dict == {"r9-agency": ["r9, agency: this line repeats r0"]}


def test_joint_service_lines_need_a_council_of_the_partnership(db):
    partnership, year = cambs()
    stranger = PartnershipFactory().local_authorities.get()
    with pytest.raises(ValidationError) as error:
        services.budget_lines_save(
            budget_year=year,
            inputs=[_input("a", "education", staffing_costs="5"), _input("b", "police", council=stranger.pk, cash="1")],
            version=None,
        )
    assert error.value.message_dict["a-council"] == ["a, council: a joint service's line needs a council"]
    assert (
        "b, council: Cambridgeshire and Peterborough Youth Offending Service has no such council"
        in (error.value.message_dict["b-council"])
    )


def test_cash_in_the_joint_layout_keeps_the_staffing_split(db):
    partnership, year = warwickshire()
    line = year.lines.get(agency="pcc")  # staffing 75,000 + other 5,000
    services.budget_lines_save(
        budget_year=year, inputs=[_input("r", "pcc", cash="90000", payments_in_kind="0")], version=None
    )
    line.refresh_from_db()
    assert (line.staffing_costs, line.other_delegated_funds) == (D("75000.00"), D("15000.00"))
    services.budget_lines_save(budget_year=year, inputs=[_input("r", "pcc", cash="1000")], version=None)
    line.refresh_from_db()
    assert (line.staffing_costs, line.other_delegated_funds) == (D("0.00"), D("1000.00"))


def test_locked_year_refuses_changes(db):
    partnership, year = warwickshire()
    services.budget_year_lock(budget_year=year, reason="Used by the signed 2019/20 plan")
    with pytest.raises(ValidationError) as error:
        services.budget_lines_save(budget_year=year, inputs=[_input("r", "police", staffing_costs="1")], version=None)
    assert error.value.messages == [
        "The 2019/20 budget is locked and cannot be changed: Used by the signed 2019/20 plan"
    ]


def test_confirmation_rules(db):
    partnership, year = warwickshire()
    police = year.lines.get(agency="police")
    police_board = member(partnership, Role.BOARD, agency="police")
    health_board = member(partnership, Role.BOARD, agency="health")
    finance = member(partnership, Role.FINANCE)
    with pytest.raises(PermissionDenied):
        services.line_confirm(line=police, membership=health_board)
    services.line_confirm(line=police, membership=police_board)
    police.refresh_from_db()
    assert police.confirmed_by == police_board.user and police.confirmed_at is not None

    health = year.lines.get(agency="health")
    with pytest.raises(ValidationError) as error:
        services.line_confirm(line=health, membership=finance)
    assert error.value.message_dict == {
        "note": ["Enter a note saying on whose behalf you confirm this line, and how they agreed"]
    }
    services.line_confirm(line=health, membership=finance, note="For the ICB's finance lead, by email 3 May")
    health.refresh_from_db()
    assert health.confirmation_note == "For the ICB's finance lead, by email 3 May"

    result = services.budget_lines_save(
        budget_year=year, inputs=[_input("r", "police", staffing_costs="187480")], version=None
    )
    assert result.unconfirmed == ["r"]
    police.refresh_from_db()
    assert (police.confirmed_by, police.confirmed_at) == (None, None)


def test_yjb_grants_are_confirmed_by_the_yjb(db):
    partnership, year = warwickshire()
    yjb = member(partnership, Role.BOARD, agency="yjb")
    line = year.lines.get(agency="yjb_grant")
    services.line_confirm(line=line, membership=yjb)
    assert ContributionLine.objects.get(pk=line.pk).is_confirmed


def test_status_confirmed_needs_every_line_confirmed(db):
    partnership, year = warwickshire()
    with pytest.raises(ValidationError) as error:
        services.budget_year_set_status(budget_year=year, status="confirmed")
    assert error.value.messages == ["7 lines still need their partner's confirmation"]
    finance = member(partnership, Role.FINANCE)
    for line in year.lines.all():
        services.line_confirm(line=line, membership=finance, note="On behalf of the partner")
    services.budget_year_set_status(budget_year=year, status="confirmed")
    assert BudgetYear.objects.get(pk=year.pk).status == "confirmed"


def test_year_on_year_sentences(db):
    partnership, year = cambs()
    from budgets.demo import CAMBS_2019, create_year

    create_year(partnership, 2019, CAMBS_2019)
    data = selectors.year_on_year(partnership=partnership, start_year=2019)
    assert data["available"] is True
    rows = {row["label"]: row for row in data["rows"]}
    la = rows["Local Authority"]
    assert (la["previous"], la["current"], la["change"], la["percent"]) == (
        D("1355195.00"),
        D("1315195.00"),
        D("-40000.00"),
        D("3.0"),
    )
    assert la["sentence"] == "Local Authority contribution down £40,000 (3.0%) on 2018/19"
    assert rows["YJB Youth Justice grant"]["sentence"] == (
        "YJB Youth Justice grant contribution down £9,931 (1.0%) on 2018/19"
    )
    assert rows["Police"]["sentence"] == "Police contribution unchanged on 2018/19 (£135,000)"
    assert [r["label"] for r in data["reductions"]] == ["Local Authority", "YJB Youth Justice grant"]


def test_change_sentence_examples():
    assert selectors.change_sentence("Local Authority", D("952381"), D("912381"), "2018/19", "2019/20") == (
        "Local Authority contribution down £40,000 (4.2%) on 2018/19"
    )
    assert selectors.change_sentence("Education", D("0"), D("5000"), "2018/19", "2019/20") == (
        "Education contribution new in 2019/20 (£5,000)"
    )


def test_value_for_money(db):
    partnership, year = cambs()
    partnership.populations.create(year=2018, population_10_17=83600)
    year.children_worked_with = 460
    year.outcomes = 534
    year.save()
    rows = selectors.value_for_money(partnership=partnership)["rows"]
    assert rows == [
        {
            "label": "2018/19",
            "start_year": 2018,
            "total": D("3286812.00"),
            "children": 460,
            "children_source": "entered",
            "children_detail": "",
            "per_child": D("7145.24"),
            "outcomes": 534,
            "outcomes_source": "entered",
            "outcomes_detail": "",
            "per_outcome": D("6155.08"),
            "population": 83600,
            "per_head": D("39.32"),
        }
    ]


def test_renaming_an_other_line_onto_another_is_refused(db):
    partnership, year = warwickshire()
    services.budget_lines_save(
        budget_year=year,
        inputs=[LineInput(key="n", label="n", agency="other", other_name="Second fund", staffing_costs=D("5"))],
        version=None,
    )
    first = year.lines.get(other_name="Other funding")
    with pytest.raises(ValidationError) as error:
        services.budget_lines_save(
            budget_year=year,
            inputs=[
                LineInput(
                    key="o",
                    label="o",
                    agency="other",
                    other_name="Second fund",
                    line_id=first.pk,
                    staffing_costs=D("1"),
                )
            ],
            version=None,
        )
    assert error.value.messages == [
        "Two lines would have the same agency, name and council: give the other contributors different names"
    ]
    assert year.lines.get(pk=first.pk).other_name == "Other funding"
