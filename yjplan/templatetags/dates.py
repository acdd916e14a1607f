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
