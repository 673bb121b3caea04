"""Weeks of cover and the promote / stock-up lists, without a database."""
from odoo.addons.crm_cn_lifecycle.tools.stock_cover import cover_status, lead_time_weeks, \
    weekly_rate, weeks_of_cover


def test_weekly_rate_is_the_trailing_13_weeks_average():
    assert weekly_rate(26.0) == 2.0
    assert weekly_rate(10.0, weeks=5) == 2.0
    assert weekly_rate(10.0, weeks=0) == 0.0


def test_weeks_of_cover_is_stock_over_rate_and_none_without_sales():
    assert weeks_of_cover(100.0, 2.0) == 50.0
    assert weeks_of_cover(100.0, 0.0) is None


def test_lead_time_is_the_supplier_delay_else_two_weeks():
    assert lead_time_weeks(21) == 3.0
    assert lead_time_weeks(None) == 2.0
    assert lead_time_weeks(0) == 2.0


def test_cover_above_the_limit_or_stock_that_never_sells_is_overstock():
    assert cover_status(100.0, 2.0, 2.0) == "overstock"           # 50 weeks > 26
    assert cover_status(5.0, 0.0, 2.0) == "overstock"
    assert cover_status(40.0, 2.0, 2.0, overstock_weeks=10) == "overstock"
    assert cover_status(52.0, 2.0, 2.0) == "ok"                   # 26 weeks: not above


def test_cover_below_the_lead_time_is_at_risk():
    assert cover_status(3.0, 2.0, 2.0) == "at_risk"               # 1.5 weeks
    assert cover_status(5.0, 2.0, 3.0) == "at_risk"               # 2.5 < 3 weeks' delay
    assert cover_status(-4.0, 2.0, 2.0) == "at_risk"
    assert cover_status(10.0, 2.0, 3.0) == "ok"
    assert cover_status(0.0, 0.0, 2.0) == "ok"
