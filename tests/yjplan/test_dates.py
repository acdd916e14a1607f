"""The ``long_date`` filter: ISO dates from a snapshot shown as GOV.UK dates."""

import datetime as dt

import pytest

from yjplan.templatetags.dates import govuk_datetime, govuk_time, long_date


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


@pytest.mark.parametrize(
    ("hour", "minute", "shown"),
    [(10, 0, "10am"), (17, 30, "5:30pm"), (0, 0, "midnight"), (12, 0, "midday"), (12, 5, "12:05pm"), (3, 13, "3:13am")],
)
def test_govuk_time(hour, minute, shown):
    assert govuk_time(dt.time(hour, minute)) == shown


def test_govuk_datetime_in_local_time():
    from django.template import Context, Template

    summer = dt.datetime(2027, 7, 12, 9, 0, tzinfo=dt.UTC)  # 10am in London (BST)
    template = Template('{% load dates %}{{ when|govuk_datetime }}; {{ when|govuk_datetime:"j M Y" }}')
    assert template.render(Context({"when": summer})) == "12 July 2027 at 10am; 12 Jul 2027 at 10am"
    assert govuk_datetime(None) == ""
