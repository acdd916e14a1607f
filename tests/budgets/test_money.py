"""The money parser: what finance officers type is accepted; anything else is refused with a reason."""

from decimal import Decimal

import pytest

from budgets.money import MoneyError, format_money, parse_money, plain_money


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("£1,234", Decimal("1234.00")),
        ("1,234.00", Decimal("1234.00")),
        ("1234", Decimal("1234.00")),
        ("-", Decimal("0.00")),
        ("", Decimal("0.00")),
        ("   ", Decimal("0.00")),
        (None, Decimal("0.00")),
        ("£ 912,016", Decimal("912016.00")),
        ("0.5", Decimal("0.50")),
        ("1,816,514.07", Decimal("1816514.07")),
        ("100000000", Decimal("100000000.00")),
        ("59740.000000000001", Decimal("59740.00")),
    ],
)
def test_accepted(text, expected):
    assert parse_money(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "Enter an amount in pounds, like 1,234 or 1,234.56 (not “abc”)"),
        ("12 pounds", "Enter an amount in pounds, like 1,234 or 1,234.56 (not “12 pounds”)"),
        ("1,23,4", "Enter an amount in pounds, like 1,234 or 1,234.56 (not “1,23,4”)"),
        ("-5", "Amount cannot be negative"),
        ("£-1,234", "Amount cannot be negative"),
        ("(500)", "Amount cannot be negative"),
        ("1.234", "Amount cannot have more than two decimal places (pence)"),
        ("100000000.01", "Amount must be £100,000,000 or less"),
        ("£250,000,000", "Amount must be £100,000,000 or less"),
    ],
)
def test_refused(text, message):
    with pytest.raises(MoneyError) as error:
        parse_money(text)
    assert str(error.value) == message


def test_format_and_plain():
    assert format_money(Decimal("3286812")) == "£3,286,812"
    assert format_money(Decimal("39.3159")) == "£39.32"
    assert format_money(Decimal("-40000")) == "-£40,000"
    assert plain_money(Decimal("0")) == ""
    assert plain_money(Decimal("1234.50")) == "1,234.50"
    assert plain_money(Decimal("912016.00")) == "912,016"
