"""Dates kept as ISO text in a plan's snapshot (JSON), shown the GOV.UK way: ``{{ "2026-05-12"|long_date }}``
gives "12 May 2026"."""

import datetime as dt

from django import template
from django.utils.dateformat import format as date_format

register = template.Library()


@register.filter
def long_date(value) -> str:
    """``12 May 2026`` from a date or an ISO date's text; anything else is shown as it is."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.date):
        return date_format(value, "j F Y")
    return "" if value is None else str(value)


def time_text(value) -> str:
    """A time the GOV.UK way: 10am, 5:30pm, midday, midnight."""
    hour, minute = value.hour, value.minute
    if (hour, minute) == (0, 0):
        return "midnight"
    if (hour, minute) == (12, 0):
        return "midday"
    clock = f"{hour % 12 or 12}:{minute:02d}" if minute else f"{hour % 12 or 12}"
    return clock + ("am" if hour < 12 else "pm")


@register.filter(expects_localtime=True)
def govuk_time(value) -> str:
    return "" if value in (None, "") else time_text(value)


@register.filter(expects_localtime=True)
def govuk_datetime(value, day_format: str = "j F Y") -> str:
    """``9 February 2027 at 10am`` in local time; ``day_format`` shortens the day (``"j M Y"``)."""
    if value in (None, ""):
        return ""
    return f"{date_format(value, day_format)} at {time_text(value)}"
