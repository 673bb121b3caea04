"""The 13-week quarter calendar and forecast accuracy, without a database.

The fiscal year starts on the `week_start` weekday (0 = Monday ... 6 =
Sunday) on or before the first day of its first month (`year_start_month`,
1 = January). Its weeks are cut into quarters of 13 weeks; the fourth quarter
takes a 14th week in the years that have 53 (the usual 4-4-5 calendar), so
every week belongs to exactly one quarter.
"""
from collections import namedtuple
from datetime import date, timedelta

WEEKS_PER_QUARTER = 13

Week = namedtuple("Week", "number start end")
"""number 1..13 (14); start and end (inclusive) are dates."""


def week_start_of(day, week_start=0):
    """The first day of the week holding `day`."""
    return day - timedelta(days=(day.weekday() - week_start) % 7)


def fiscal_year_bounds(day, year_start_month=1, week_start=0):
    """(first day, first day of the next year) of the fiscal year holding `day`."""
    def start_of(year):
        return week_start_of(date(year, year_start_month, 1), week_start)

    year = day.year if day.month >= year_start_month else day.year - 1
    first, following = start_of(year), start_of(year + 1)
    if day < first:
        first, following = start_of(year - 1), first
    elif day >= following:
        first, following = following, start_of(year + 2)
    return first, following


def quarter_weeks(day, year_start_month=1, week_start=0):
    """The weeks of the fiscal quarter `day` falls in (13, or 14 for a long Q4)."""
    first, following = fiscal_year_bounds(day, year_start_month, week_start)
    quarter = min((day - first).days // 7 // WEEKS_PER_QUARTER, 3)
    quarter_start = first + timedelta(weeks=WEEKS_PER_QUARTER * quarter)
    count = WEEKS_PER_QUARTER if quarter < 3 else (following - quarter_start).days // 7
    return [Week(number, quarter_start + timedelta(weeks=number - 1),
                 quarter_start + timedelta(weeks=number, days=-1))
            for number in range(1, count + 1)]


def week_number(day, weeks):
    """1..13 for a day inside `weeks`, None outside."""
    for week in weeks:
        if week.start <= day <= week.end:
            return week.number
    return None


def absolute_percentage_error(forecast, actual):
    """|forecast - actual| / |actual|; None when nothing actually happened."""
    if not actual:
        return None
    return abs(forecast - actual) / abs(actual)


def mape(pairs):
    """Mean absolute percentage error (in %) of (forecast, actual) pairs,
    leaving out pairs whose actual is zero; None if none is left."""
    errors = [absolute_percentage_error(forecast, actual) for forecast, actual in pairs]
    errors = [error for error in errors if error is not None]
    return 100.0 * sum(errors) / len(errors) if errors else None
