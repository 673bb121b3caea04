"""The 13-week quarter calendar and accuracy figures, without a database."""
from datetime import date, timedelta

from odoo.addons.crm_cn_lifecycle.tools.forecast import (
    fiscal_year_bounds, mape, quarter_weeks, week_number, week_start_of)


def test_week_starts_on_the_configured_weekday():
    wednesday = date(2026, 11, 25)
    assert week_start_of(wednesday, 0) == date(2026, 11, 23)   # Monday
    assert week_start_of(wednesday, 6) == date(2026, 11, 22)   # Sunday


def test_quarter_has_13_whole_weeks_starting_on_week_start():
    weeks = quarter_weeks(date(2026, 11, 23))
    assert len(weeks) == 13
    assert weeks[0].start == date(2026, 9, 28) and weeks[0].start.weekday() == 0
    assert all(b.start - a.start == timedelta(weeks=1) for a, b in zip(weeks, weeks[1:]))
    assert weeks[-1].end == weeks[0].start + timedelta(weeks=13, days=-1)
    assert week_number(date(2026, 11, 23), weeks) == 9


def test_consecutive_quarters_neither_overlap_nor_leave_gaps():
    day, seen = date(2024, 1, 1), []
    while day < date(2029, 1, 1):
        weeks = quarter_weeks(day, year_start_month=4, week_start=6)
        if not seen or seen[-1] != weeks:
            assert not seen or weeks[0].start == seen[-1][-1].end + timedelta(days=1)
            seen.append(weeks)
        assert weeks[0].start <= day <= weeks[-1].end
        day += timedelta(days=1)
    assert {len(weeks) for weeks in seen} == {13, 14}   # a 53-week year gives Q4 a 14th week


def test_fiscal_year_can_start_in_april():
    first, following = fiscal_year_bounds(date(2027, 2, 10), year_start_month=4)
    assert first == date(2026, 3, 30) and following == date(2027, 3, 29)


def test_mape_leaves_out_weeks_with_nothing_actual():
    assert mape([(110.0, 100.0), (50.0, 100.0), (10.0, 0.0)]) == 30.0
    assert mape([(10.0, 0.0)]) is None
