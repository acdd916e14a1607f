"""Money in templates: ``{{ amount|gbp }}`` gives £1,234 (or £1,234.56); accepts Decimal or a snapshot's string."""

from decimal import Decimal, InvalidOperation

from django import template

from budgets.money import format_money, plain_money

register = template.Library()


def _decimal(value):
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register.filter
def gbp(value, blank="–"):
    amount = _decimal(value)
    return blank if amount is None else format_money(amount)


@register.filter
def gbp_pence(value):
    amount = _decimal(value)
    return "–" if amount is None else format_money(amount, pence=True)


@register.filter
def plain(value):
    amount = _decimal(value)
    return "" if amount is None else plain_money(amount)


@register.filter
def is_negative(value):
    amount = _decimal(value)
    return amount is not None and amount < 0


@register.filter
def and_join(items, word="and"):
    """["Total", "Note"] -> "Total and Note"; ``|and_join:"or"`` -> "Total or Note"."""
    items = [str(item) for item in items]
    return f"{', '.join(items[:-1])} {word} {items[-1]}" if len(items) > 1 else "".join(items)


@register.filter
def quoted(items):
    """["Partner", "Contributor"] -> ["“Partner”", "“Contributor”"]."""
    return [f"“{item}”" for item in items]
