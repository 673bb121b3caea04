"""The account statement's running balance and period, without a database."""
from datetime import date

import pytest

from odoo.addons.crm_cn_lifecycle.tools.statement import check_period, default_period, parse_date, \
    running_statement


def test_running_balance_adds_debits_and_subtracts_credits_from_the_opening():
    result = running_statement(500.0, [
        {"number": "INV/1", "debit": 1000.0, "credit": 0.0},
        {"number": "BNK/1", "debit": 0.0, "credit": 600.0},
        {"number": "RINV/1", "debit": 0.0, "credit": 100.0},
        {"number": "INV/2", "debit": 250.5, "credit": 0.0},
    ])
    assert [line["balance"] for line in result["lines"]] == [1500.0, 900.0, 800.0, 1050.5]
    assert [line["number"] for line in result["lines"]] == ["INV/1", "BNK/1", "RINV/1", "INV/2"]
    assert result["opening"] == 500.0
    assert result["debit"] == 1250.5
    assert result["credit"] == 700.0
    assert result["closing"] == 1050.5  # 500 + 1250.5 - 700


def test_empty_period_closes_at_the_opening_balance():
    result = running_statement(123.45, [])
    assert result == {"opening": 123.45, "lines": [], "debit": 0.0, "credit": 0.0, "closing": 123.45}


def test_running_balance_is_rounded_to_the_currency_without_drift():
    lines = [{"debit": 0.1, "credit": 0.0}] * 3 + [{"debit": 0.0, "credit": 0.3}]
    result = running_statement(0.0, lines)
    assert [line["balance"] for line in result["lines"]] == [0.1, 0.2, 0.3, 0.0]
    assert str(result["closing"]) == "0.0"  # no -0.0
    assert running_statement(0.0, [{"debit": 1.234, "credit": 0.0}], digits=0)["closing"] == 1.0


def test_overpaid_customer_ends_with_a_credit_balance():
    result = running_statement(0.0, [{"debit": 300.0, "credit": 0.0}, {"debit": 0.0, "credit": 450.0}])
    assert result["closing"] == -150.0


def test_default_period_is_this_year_up_to_today():
    assert default_period(date(2026, 12, 2)) == (date(2026, 1, 1), date(2026, 12, 2))


def test_dates_are_parsed_strictly():
    assert parse_date("2026-03-31") == date(2026, 3, 31)
    assert parse_date("") is None
    assert parse_date(None) is None
    for bad in ("2026-02-30", "31/03/2026", "yesterday"):
        with pytest.raises(ValueError):
            parse_date(bad)


def test_period_must_be_in_order_and_not_too_long():
    assert check_period(date(2026, 1, 1), date(2026, 1, 1)) is None
    assert check_period(date(2026, 2, 1), date(2026, 1, 31)) == "order"
    assert check_period(date(2020, 1, 1), date(2026, 1, 1)) == "length"
    assert check_period(date(2026, 1, 1), date(2026, 1, 11), max_days=10) is None
    assert check_period(date(2026, 1, 1), date(2026, 1, 12), max_days=10) == "length"
