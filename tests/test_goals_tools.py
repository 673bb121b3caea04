"""Goals' arithmetic without a database: targets, the straight line, progress,
on-track and the KPIs of a step, each checked by hand."""
from datetime import date

import pytest

from odoo.addons.crm_cn_lifecycle.tools import goals

START, DEADLINE = date(2026, 1, 1), date(2026, 12, 31)  # 364 days


def test_percent_change_and_back():
    assert goals.percent_change(100.0, 120.0) == 20.0
    assert goals.percent_change(-50.0, -25.0) == 50.0
    assert goals.percent_change(0.0, 5.0) is None
    assert goals.value_from_percent(100.0, 20.0) == 120.0
    assert goals.value_from_percent(-50.0, 50.0) == -25.0


@pytest.mark.parametrize("target_type, given, expected", [
    (goals.TARGET_PERCENT, {"percent": 20.0}, (120.0, 20.0, 20.0)),
    (goals.TARGET_CHANGE, {"change": 2.0}, (102.0, 2.0, 2.0)),
    (goals.TARGET_VALUE, {"value": 75.0}, (75.0, -25.0, -25.0)),
])
def test_targets_follow_the_figure_that_was_set(target_type, given, expected):
    assert goals.targets(target_type, 100.0, **given) == pytest.approx(expected)


def test_target_against_a_zero_base():
    assert goals.targets(goals.TARGET_CHANGE, 0.0, change=5.0) == (5.0, 0.0, 5.0)
    assert goals.targets(goals.TARGET_PERCENT, 0.0, percent=20.0) == (0.0, 20.0, 0.0)


def test_straight_line_from_start_to_deadline():
    assert goals.expected_value(100.0, 200.0, START, DEADLINE, date(2025, 12, 1)) == 100.0
    assert goals.expected_value(100.0, 200.0, START, DEADLINE, START) == 100.0
    assert goals.expected_value(100.0, 200.0, START, DEADLINE, date(2026, 7, 2)) == pytest.approx(
        100.0 + 100.0 * 182 / 364)
    assert goals.expected_value(100.0, 200.0, START, DEADLINE, date(2027, 3, 1)) == 200.0
    assert goals.expected_value(9.0, 6.0, START, DEADLINE, date(2026, 7, 2)) == pytest.approx(7.5)


def test_progress_between_baseline_and_target():
    assert goals.progress(100.0, 120.0, 110.0) == 50.0
    assert goals.progress(9.0, 6.0, 8.0) == pytest.approx(100.0 / 3)
    assert goals.progress(100.0, 120.0, 90.0) == -50.0
    # keep what there is: the share held
    assert goals.progress(4.0, 4.0, 3.0) == 75.0
    assert goals.progress(4.0, 4.0, 5.0) == 100.0
    assert goals.progress(0.0, 0.0, 0.0) == 100.0


def test_on_track_in_the_targets_direction():
    assert goals.on_track(100.0, 120.0, 110.0, 110.0)
    assert not goals.on_track(100.0, 120.0, 109.0, 110.0)
    assert goals.on_track(9.0, 6.0, 7.0, 7.5)
    assert not goals.on_track(9.0, 6.0, 8.0, 7.5)


def test_trailing_period_as_long_as_the_base():
    assert goals.trailing_period(date(2025, 1, 1), date(2025, 12, 31), date(2026, 6, 30)) == (
        date(2025, 7, 1), date(2026, 6, 30))
    assert goals.month_start(date(2026, 6, 30)) == date(2026, 6, 1)


def test_goal_measures():
    assert goals.measure_value(goals.GROSS_PROFIT, 1000.0, 300.0) == 300.0
    assert goals.measure_value(goals.REVENUE, 1000.0, 300.0) == 1000.0
    assert goals.measure_value(goals.MARGIN_RATE, 1000.0, 300.0) == 30.0
    assert goals.measure_value(goals.MARGIN_RATE, 0.0, 0.0) == 0.0
    assert goals.measure_value(goals.TIER_COUNT, 0.0, 0.0, tier_count=3) == 3


TIERS = {"key": {"count": 2, "revenue": 1000.0, "margin": 400.0},
         "medium": {"count": 3, "revenue": 300.0, "margin": 60.0},
         "lapsed": {"count": 4, "revenue": 0.0, "margin": 0.0}}


@pytest.mark.parametrize("kpi, tier, expected", [
    (goals.KEY_KEPT, None, 2.0),
    (goals.CONVERTED, None, 5.0),
    (goals.TIER_MARGIN_RATE, "medium", 20.0),
    (goals.TIER_MARGIN_RATE, "big", 0.0),
    (goals.LAPSED_COUNT, None, 4.0),
    (goals.TIER_REVENUE, "key", 1000.0),
    (goals.TIER_MARGIN, "key", 400.0),
    (goals.TIER_CUSTOMERS, "medium", 3.0),
])
def test_each_kpi_of_a_step(kpi, tier, expected):
    assert goals.step_value(kpi, tier, TIERS, key_kept=2, converted=5) == expected


def test_every_kpi_is_documented_and_tier_kpis_are_marked():
    assert len(goals.KPIS) == 7
    assert set(goals.TIER_KPIS) < set(goals.KPIS)
