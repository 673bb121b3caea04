"""The dealer scorecard's math without a database."""
from datetime import date, timedelta

from odoo.addons.crm_cn_lifecycle.tools import forecast
from odoo.addons.crm_cn_lifecycle.tools.drp import DEFAULT_SETTING, GradeTerms, Setting, pick_setting
from odoo.addons.crm_cn_lifecycle.tools.scorecard import (
    Grade, accuracy_of_products, choose_grade, days_between, growth, one_decimal, per_hundred,
    previous_quarter_bounds, quarter_bounds, rank_within, ratio_percent, same_quarter_last_year,
    sell_through, sellout_accuracy, weeks_of_cover)

GOLD = Grade("gold", 500000, 60, 15, 80)
SILVER = Grade("silver", 150000, 40, 30, 60)
BRONZE = Grade("bronze", 0, 0, 0, 0)


def test_quarter_bounds_follow_the_13_week_calendar():
    start, end = quarter_bounds(date(2026, 5, 20))
    weeks = forecast.quarter_weeks(date(2026, 5, 20))
    assert (start, end) == (weeks[0].start, weeks[-1].end)
    assert (end - start).days + 1 == 91
    assert start.weekday() == 0


def test_previous_quarter_ends_the_day_before():
    start, _end = quarter_bounds(date(2026, 5, 20))
    previous_start, previous_end = previous_quarter_bounds(date(2026, 5, 20))
    assert previous_end.toordinal() == start.toordinal() - 1
    assert (previous_end - previous_start).days + 1 in (91, 98)


def test_same_quarter_last_year_keeps_the_quarter_number():
    # fiscal 2026 starts Monday 29 Dec 2025; its Q2 starts 13 weeks later
    start, _end = quarter_bounds(date(2026, 5, 20))
    last_start, last_end = same_quarter_last_year(date(2026, 5, 20))
    first_last_year, _following = forecast.fiscal_year_bounds(last_start)
    assert (last_start - first_last_year).days == 91
    assert last_start.year == 2025 and (last_end - last_start).days == 90


def test_same_quarter_last_year_of_a_long_fourth_quarter():
    # a 53-week year: its Q4 has 14 weeks; the same quarter a year before has 13
    first, following = forecast.fiscal_year_bounds(date(2026, 12, 30))
    assert (following - first).days in (364, 371)
    start, end = quarter_bounds(following - timedelta(days=1))
    last_start, _last_end = same_quarter_last_year(end)
    last_first, _ = forecast.fiscal_year_bounds(last_start)
    assert (last_start - last_first).days == 3 * 91


def test_growth_needs_a_positive_last_year():
    assert growth(120.0, 100.0) == 20.0
    assert growth(80.0, 100.0) == -20.0
    assert growth(50.0, 0.0) is None
    assert growth(50.0, -10.0) is None


def test_sell_through_is_sold_over_sold_and_left():
    assert sell_through(30, 70) == 30.0
    assert sell_through(0, 0) is None
    assert sell_through(10, -5) == 100.0


def test_weeks_of_cover_at_the_quarters_weekly_sellout():
    # 91 units sold in 91 days = 7 a week; 35 left = 5 weeks
    assert weeks_of_cover(35, 91, 91) == 5.0
    assert weeks_of_cover(35, 0, 91) is None
    assert weeks_of_cover(35, 10, 0) is None


def test_sellout_accuracy_compares_the_stock_balance():
    # 10 at the start + 50 delivered - 40 sold = 20 expected, 20 reported: exact
    assert sellout_accuracy(10, 50, 40, 20) == 100.0
    # 30 reported instead of 20: a gap of 10 of 60 to sell
    assert sellout_accuracy(10, 50, 40, 30) == round(100 * (1 - 10 / 60.0), 1)
    assert sellout_accuracy(0, 0, 5, 0) is None
    # never below zero
    assert sellout_accuracy(1, 0, 100, 0) == 0.0


def test_accuracy_over_products_weighs_the_stock_to_sell():
    rows = [(10, 50, 40, 20), (0, 40, 10, 20)]  # gaps 0 and 10 over 100
    assert accuracy_of_products(rows) == 90.0
    assert accuracy_of_products([]) is None


def test_ratio_days_and_per_hundred():
    assert ratio_percent(3, 4) == 75.0
    assert ratio_percent(3, 0) is None
    assert days_between(date(2026, 1, 1), date(2026, 1, 11)) == 10
    assert days_between(None, date(2026, 1, 11)) is None
    assert per_hundred(3, 150) == 2.0
    assert per_hundred(3, 0) is None


def test_grade_is_the_best_whose_thresholds_are_all_met():
    figures = {"purchases": 600000, "sell_through": 65, "overdue_days": 0, "lead_acceptance_rate": 90}
    assert choose_grade(figures, [GOLD, SILVER, BRONZE]) == "gold"
    figures["overdue_days"] = 20
    assert choose_grade(figures, [GOLD, SILVER, BRONZE]) == "silver"
    figures["sell_through"] = None  # no stock reports: no sell-through to show
    assert choose_grade(figures, [GOLD, SILVER, BRONZE]) == "bronze"


def test_lead_acceptance_threshold_skips_a_dealer_offered_no_lead():
    figures = {"purchases": 600000, "sell_through": 65, "overdue_days": 0, "lead_acceptance_rate": None}
    assert choose_grade(figures, [GOLD, SILVER]) == "gold"
    figures["lead_acceptance_rate"] = 50
    assert choose_grade(figures, [GOLD, SILVER]) is None


def test_rank_within_grade_shares_equal_values():
    rows = [(1, "gold", 300), (2, "gold", 500), (3, "gold", 300), (4, "silver", 10), (5, "gold", 100)]
    assert rank_within(rows) == {2: 1, 1: 2, 3: 2, 5: 4, 4: 1}


def test_one_decimal_for_people():
    assert one_decimal(3.666667) == "3.7"
    assert one_decimal(None) == "–"
    assert one_decimal(0.0) == "0.0"


def test_drp_setting_falls_back_to_grade_terms_between_dealer_and_global():
    dealer_setting = Setting(6, 10, 5, 24)
    general = Setting(4, 7, 3, 1)
    terms = {7: GradeTerms(2.0, 0, 12.0)}
    settings = {(None, None): general, (8, None): dealer_setting}
    # the dealer has no setting of its own: its grade's terms, the rest from the general one
    assert pick_setting(settings, 7, 99, grade_terms=terms) == Setting(2.0, 7, 3, 12.0)
    # a dealer's own setting stands over its grade's terms
    assert pick_setting(settings, 8, 99, grade_terms={8: GradeTerms(2.0, 1, 1)}) == dealer_setting
    # no grade terms: the general setting, then the default
    assert pick_setting(settings, 9, 99, grade_terms=terms) == general
    assert pick_setting({}, 9, 99) == DEFAULT_SETTING
