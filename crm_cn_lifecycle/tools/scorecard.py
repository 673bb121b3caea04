"""The dealer scorecard's math, without a database: the quarter and the
same quarter last year on the 4-4-5 calendar (tools/forecast.py), growth,
sell-through, weeks of cover, the accuracy of a dealer's reported sell-out
against what it bought, overdue days, the grade a dealer's figures earn and
its rank within its grade. Data in, data out; today is an argument.

Percentages are 0..100; a figure that cannot be known (no sales last year,
no stock reports...) is None, never 0, so a list can tell "nothing" from "bad".
"""
from collections import namedtuple
from datetime import timedelta

from . import forecast

Grade = namedtuple("Grade", "key min_purchases min_sell_through max_overdue_days min_acceptance")
"""A grade's thresholds (0 / None: not applied), best grade first in a list."""


def quarter_bounds(day, year_start_month=1, week_start=0):
    """(first day, last day) of the fiscal quarter holding `day`."""
    weeks = forecast.quarter_weeks(day, year_start_month, week_start)
    return weeks[0].start, weeks[-1].end


def previous_quarter_bounds(day, year_start_month=1, week_start=0):
    """(first day, last day) of the quarter before the one holding `day`."""
    start, _end = quarter_bounds(day, year_start_month, week_start)
    return quarter_bounds(start - timedelta(days=1), year_start_month, week_start)


def same_quarter_last_year(day, year_start_month=1, week_start=0):
    """(first day, last day) of the same fiscal quarter (Q1..Q4) of the year
    before: the quarter number is kept even when a year has 53 weeks."""
    first, _following = forecast.fiscal_year_bounds(day, year_start_month, week_start)
    start, _end = quarter_bounds(day, year_start_month, week_start)
    number = (start - first).days // 7 // forecast.WEEKS_PER_QUARTER
    last_first, _ = forecast.fiscal_year_bounds(first - timedelta(days=1), year_start_month, week_start)
    return quarter_bounds(last_first + timedelta(weeks=forecast.WEEKS_PER_QUARTER * number),
                          year_start_month, week_start)


def ratio_percent(part, whole, digits=1):
    """part / whole in %, None when `whole` is not positive."""
    if not whole or whole <= 0:
        return None
    return round(100.0 * (part or 0.0) / whole, digits)


def growth(current, previous, digits=1):
    """Growth in % over `previous`; None without a positive previous figure."""
    if not previous or previous <= 0:
        return None
    return round(100.0 * ((current or 0.0) - previous) / previous, digits)


def sell_through(sold, closing_on_hand, digits=1):
    """Units sold / (units sold + units left on hand at the end), in %."""
    sold = max(sold or 0.0, 0.0)
    return ratio_percent(sold, sold + max(closing_on_hand or 0.0, 0.0), digits)


def weeks_of_cover(closing_on_hand, sold, days, digits=1):
    """Weeks the stock left lasts at the period's weekly sell-out; None when
    nothing sold (an infinite cover says nothing)."""
    if not sold or sold <= 0 or not days or days <= 0:
        return None
    return round(max(closing_on_hand or 0.0, 0.0) / (sold * 7.0 / days), digits)


def sellout_accuracy(opening, delivered, sold, closing, digits=1):
    """How well the reported sell-out agrees with what the dealer bought: the
    stock it reported at the start + what we delivered − what it says it sold
    should be what it reports at the end. 100 − the gap in % of the stock it
    had to sell (never below 0); None when it had nothing to sell."""
    available = (opening or 0.0) + (delivered or 0.0)
    if available <= 0:
        return None
    gap = abs(available - (sold or 0.0) - (closing or 0.0))
    return round(max(0.0, 100.0 * (1.0 - gap / available)), digits)


def accuracy_of_products(rows, digits=1):
    """The accuracy over several products [(opening, delivered, sold,
    closing)]: gaps summed over everything the dealer had to sell."""
    available = gap = 0.0
    for opening, delivered, sold, closing in rows:
        have = (opening or 0.0) + (delivered or 0.0)
        available += have
        gap += abs(have - (sold or 0.0) - (closing or 0.0))
    if available <= 0:
        return None
    return round(max(0.0, 100.0 * (1.0 - gap / available)), digits)


def days_between(earlier, later):
    """Whole days from `earlier` to `later`; None without `earlier`."""
    if not earlier:
        return None
    return max((later - earlier).days, 0)


def per_hundred(count, units, digits=2):
    """`count` per 100 units; None when no unit was sold."""
    if not units or units <= 0:
        return None
    return round(100.0 * (count or 0) / units, digits)


def grade_met(figures, grade):
    """Whether the figures meet every threshold of `grade`. A threshold of 0
    is not applied; a dealer without a sell-through (no stock reports) does
    not meet a sell-through threshold; a lead acceptance threshold is not
    applied to a dealer that was offered no lead (None)."""
    if grade.min_purchases and (figures.get("purchases") or 0.0) < grade.min_purchases:
        return False
    if grade.min_sell_through:
        value = figures.get("sell_through")
        if value is None or value < grade.min_sell_through:
            return False
    if grade.max_overdue_days and (figures.get("overdue_days") or 0) > grade.max_overdue_days:
        return False
    if grade.min_acceptance:
        value = figures.get("lead_acceptance_rate")
        if value is not None and value < grade.min_acceptance:
            return False
    return True


def choose_grade(figures, grades):
    """The key of the first (best) grade of `grades` whose thresholds the
    figures meet; None when none fits."""
    for grade in grades:
        if grade_met(figures, grade):
            return grade.key
    return None


def rank_within(rows):
    """{key: rank} from [(key, group, value)]: 1 for the highest value of its
    group, equal values share a rank (1, 1, 3)."""
    by_group = {}
    for key, group, value in rows:
        by_group.setdefault(group, []).append((value or 0.0, key))
    ranks = {}
    for members in by_group.values():
        members.sort(key=lambda member: -member[0])
        previous, rank = None, 0
        for position, (value, key) in enumerate(members, start=1):
            if value != previous:
                rank, previous = position, value
            ranks[key] = rank
    return ranks


def one_decimal(value):
    """A figure for people: one decimal, "–" when unknown."""
    if value is None or value is False:
        return "–"
    return "%.1f" % value
