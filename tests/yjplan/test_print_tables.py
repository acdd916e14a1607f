"""Print tables get estimated column widths and fixed layout, unless they cannot be sized safely."""

import re

from yjplan.print_tables import fixed_columns

ROW = "<tr><td>1.1</td><td>{}</td><td>Lead</td></tr>"


def widths(html: str) -> list[float]:
    return [float(w) for w in re.findall(r'<col style="width: ([\d.]+)%">', html)]


def test_a_table_gets_a_colgroup_after_its_caption_and_keeps_its_attributes():
    source = f'<table class="govuk-table" id="t"><caption>Actions</caption>{ROW.format("A long action " * 8)}</table>'
    out = fixed_columns(source)
    assert out.startswith('<table class="govuk-table cols-fixed" id="t"><caption>Actions</caption><colgroup>')
    shares = widths(out)
    assert len(shares) == 3 and abs(sum(shares) - 100) < 0.5
    assert shares[1] > shares[0] + shares[2]  # the long text gets most of the width


def test_tables_with_columns_nested_tables_or_too_little_room_are_left_alone():
    has_cols = f'<table><col span="3">{ROW.format("x")}</table>'
    nested = f"<table><tr><td><table>{ROW.format('x')}</table></td></tr></table>"
    crowded = "<table><tr>" + "<td>Supercalifragilistic</td>" * 12 + "</tr></table>"
    assert fixed_columns(has_cols) == has_cols
    assert fixed_columns(crowded) == crowded
    out = fixed_columns(nested)
    assert out.count("cols-fixed") == 1 and out.startswith("<table><tr><td><table class=")
