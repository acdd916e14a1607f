"""The ``long_date`` filter: ISO dates from a snapshot shown as GOV.UK dates."""

import datetime as dt

import pytest

from yjplan.templatetags.dates import long_date


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2026-05-12", "12 May 2026"),
        (dt.date(2019, 6, 28), "28 June 2019"),
        ("not a date", "not a date"),
        ("", ""),
        (None, ""),
    ],
)
def test_long_date(value, shown):
    assert long_date(value) == shown
