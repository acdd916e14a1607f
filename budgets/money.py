"""Money as finance officers type it: ``£1,234``, ``1,234.00``, ``1234``; ``-`` or blank is nothing (zero).

Pure functions, no Django: the entry page, the import and the tests all use the same rules.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MAX_AMOUNT = Decimal("100000000")
ZERO = Decimal("0.00")
NOTHING = {"", "-", "–", "—", "nil", "n/a"}
PLAIN = re.compile(r"^\d+(\.\d+)?$")
GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
FLOAT_NOISE = re.compile(r"^\d+\.\d{2}(9{6,}\d*|0{6,}\d*)$")  # 1234.5600000001 from a spreadsheet cell


class MoneyError(ValueError):
    """The text is not an amount of money; ``str(error)`` says why, for the person who typed it."""


def parse_money(text) -> Decimal:
    """The amount in pounds (two decimal places), or MoneyError with a message naming the problem."""
    if isinstance(text, Decimal | int):
        text = str(text)
    raw = str(text if text is not None else "").strip()
    value = raw.replace("£", "").replace(" ", "").replace("\u00a0", "").strip()
    if value.lower() in NOTHING:
        return ZERO
    if value.startswith("-") or (value.startswith("(") and value.endswith(")")):
        raise MoneyError("Amount cannot be negative")
    if FLOAT_NOISE.match(value):
        value = str(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    if not (PLAIN.match(value) or GROUPED.match(value)):
        raise MoneyError(f"Enter an amount in pounds, like 1,234 or 1,234.56 (not “{raw[:40]}”)")
    whole, _, pence = value.partition(".")
    if len(pence) > 2:
        raise MoneyError("Amount cannot have more than two decimal places (pence)")
    try:
        amount = Decimal(value.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the patterns above admit only digits
        raise MoneyError("Enter an amount in pounds, like 1,234 or 1,234.56") from None
    if amount > MAX_AMOUNT:
        raise MoneyError("Amount must be £100,000,000 or less")
    return amount.quantize(Decimal("0.01"))


def format_money(amount, *, pence: bool = False) -> str:
    """£1,234 (or £1,234.56 when the amount has pence or ``pence`` is asked for)."""
    amount = Decimal(amount or 0)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if pence or amount != amount.to_integral_value():
        return f"{sign}£{amount:,.2f}"
    return f"{sign}£{amount:,.0f}"


def plain_money(amount) -> str:
    """For an input's value: 1234 or 1234.56, no sign or commas; zero is blank."""
    amount = Decimal(amount or 0)
    if amount == 0:
        return ""
    if amount == amount.to_integral_value():
        return f"{amount:,.0f}"
    return f"{amount:,.2f}"
