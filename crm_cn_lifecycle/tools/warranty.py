"""Warranty periods of delivered serials: plain Python, today is an argument."""
import calendar
import datetime

IN_WARRANTY = "in"
OUT_OF_WARRANTY = "out"
NO_WARRANTY = "none"


def add_months(day, months):
    """`day` plus `months` calendar months, clamped to the last day of the month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def warranty_end(delivery_date, months):
    """Last day covered by a warranty of `months` starting on `delivery_date`.

    None when there is no delivery or no warranty (months <= 0)."""
    if not delivery_date or not months or months <= 0:
        return None
    return add_months(delivery_date, months) - datetime.timedelta(days=1)


def warranty_state(end, today):
    """'in' while today is on or before the last covered day, 'out' after it, 'none' without one."""
    if end is None:
        return NO_WARRANTY
    return IN_WARRANTY if today <= end else OUT_OF_WARRANTY
