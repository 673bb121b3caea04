"""Receivables aging, DSO, days to pay and credit headroom (应收账款 / 信用额度).

Plain Python: rows in, figures out, `today` is always an argument. The models
gather the rows (or let SQL sum them with the same bucket bounds, see
`BUCKET_BOUNDS`) and call these functions.

Conventions:
- a row is `(due_date, residual)`: residual in company currency, positive when
  the customer owes it, negative for an unapplied credit note or payment;
- days past due = today - due date; a row due today is not due yet;
- negative residuals are money the customer may use now: they are not
  overdue, they go to the "not due" bucket, so the buckets always add up to
  the balance and an old unapplied payment never hides an old debt.
"""
from datetime import date, datetime

NOT_DUE = "not_due"
BUCKETS = [
    (NOT_DUE, "Not Due"),
    ("1_30", "1-30 Days"),
    ("31_60", "31-60 Days"),
    ("61_90", "61-90 Days"),
    ("over_90", "Over 90 Days"),
]
BUCKET_KEYS = [key for key, _label in BUCKETS]
# (bucket, first day past due, last day past due or None): the SQL side uses
# the same bounds so that both agree.
BUCKET_BOUNDS = [
    ("1_30", 1, 30),
    ("31_60", 31, 60),
    ("61_90", 61, 90),
    ("over_90", 91, None),
]
DSO_DAYS = 90


def to_date(value):
    """A date from a date, a datetime or an ISO string ('2018-03-31')."""
    if not value:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return datetime.strptime(value[:10], "%Y-%m-%d").date()


def days_past_due(due_date, today):
    """Whole days between the due date and today; 0 or less: not due."""
    return (to_date(today) - to_date(due_date)).days


def bucket_of(due_date, today, residual=1.0):
    """The aging bucket of one open amount."""
    if residual <= 0:
        return NOT_DUE
    days = days_past_due(due_date, today)
    for key, first, last in BUCKET_BOUNDS:
        if days >= first and (last is None or days <= last):
            return key
    return NOT_DUE


def empty_aging():
    figures = {key: 0.0 for key in BUCKET_KEYS}
    figures.update(balance=0.0, overdue=0.0, oldest_overdue_date=None)
    return figures


def age_rows(rows, today, digits=2):
    """Aging of one customer's open receivable rows `(due_date, residual)`.

    Returns a dict: one amount per bucket key, `balance`, `overdue` (the sum
    of the past-due buckets) and `oldest_overdue_date` (a date or None)."""
    figures = empty_aging()
    for due_date, residual in rows:
        if not residual:
            continue
        key = bucket_of(due_date, today, residual)
        figures[key] += residual
        figures["balance"] += residual
        if key != NOT_DUE:
            figures["overdue"] += residual
            due = to_date(due_date)
            oldest = figures["oldest_overdue_date"]
            figures["oldest_overdue_date"] = due if oldest is None else min(oldest, due)
    for key in BUCKET_KEYS + ["balance", "overdue"]:
        figures[key] = round(figures[key], digits) + 0.0
    return figures


def worst_bucket(figures):
    """The oldest past-due bucket holding money, or False when nothing is overdue."""
    for key, _first, _last in reversed(BUCKET_BOUNDS):
        if figures.get(key, 0.0) > 0.0:
            return key
    return False


def dso(receivable_balance, credit_sales, days=DSO_DAYS, digits=1):
    """Days sales outstanding: balance / credit sales of the last `days` × days.

    None when there were no sales in the period (DSO is meaningless then),
    0 when nothing is owed."""
    if receivable_balance <= 0:
        return 0.0
    if credit_sales <= 0:
        return None
    return round(receivable_balance / credit_sales * days, digits)


def average_days_to_pay(payments, digits=1):
    """Amount-weighted average days from invoice date to payment date.

    `payments`: rows `(invoice_date, payment_date, amount)`, one per matching
    of a payment with an invoice (a partial payment is one row). None when
    nothing was paid."""
    total = weighted = 0.0
    for invoice_date, payment_date, amount in payments:
        if amount <= 0:
            continue
        days = max((to_date(payment_date) - to_date(invoice_date)).days, 0)
        total += amount
        weighted += amount * days
    if not total:
        return None
    return round(weighted / total, digits)


def average_from_sums(weighted_days, amount, digits=1):
    """`average_days_to_pay` when SQL already summed amount×days and amount."""
    if not amount or amount <= 0:
        return None
    return round(weighted_days / amount, digits)


def exposure(open_receivables, uninvoiced_orders, draft_orders=0.0, digits=2):
    """Credit exposure: what the customer owes plus what it has ordered."""
    return round(open_receivables + uninvoiced_orders + draft_orders, digits) + 0.0


def headroom(credit_limit, exposure_amount, digits=2):
    """Credit left: limit - exposure (negative when over the limit).

    None when the customer has no credit limit (unlimited)."""
    if not credit_limit:
        return None
    return round(credit_limit - exposure_amount, digits) + 0.0


def effective_credit_limit(partner_limit, class_limit):
    """The customer's own limit, else the default of its customer class."""
    return partner_limit or class_limit or 0.0


def hold_reasons(figures, order_amount, overdue_days_limit, today):
    """Why confirming an order of `order_amount` must wait for credit approval.

    `figures`: a customer's figures (`headroom`, `overdue`,
    `oldest_overdue_date`). `overdue_days_limit`: hold when money is overdue
    more than that many days (0 or None: no such rule). Returns a list of
    `(code, value)`: ('headroom', amount missing) and/or ('overdue', days)."""
    reasons = []
    room = figures.get("headroom")
    if room is not None and order_amount > room + 0.005:
        reasons.append(("headroom", round(order_amount - room, 2)))
    oldest = figures.get("oldest_overdue_date")
    if overdue_days_limit and oldest and figures.get("overdue", 0.0) > 0:
        days = days_past_due(oldest, today)
        if days > overdue_days_limit:
            reasons.append(("overdue", days))
    return reasons
