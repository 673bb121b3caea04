"""Contact cadence per pyramid tier ("one to one" treatment): who is overdue
for a call or a senior visit, and the coverage of a salesperson's customers.

Plain Python: rows in, rows out; today is an argument."""


def days_since(last_contact, today):
    """Whole days from the last contact (a date or None) to today; None when never."""
    if last_contact is None:
        return None
    return (today - last_contact).days


def is_overdue(last_contact, cadence_days, today):
    """A customer never contacted, or last contacted more than `cadence_days` ago."""
    if not cadence_days or cadence_days <= 0:
        return False
    since = days_since(last_contact, today)
    return since is None or since > cadence_days


def due_contacts(customers, open_activities, today):
    """The activities to schedule, one per (customer, activity type) at most.

    `customers`: dicts with partner_id, user_id, tier, and `cadences`: a list of
    (kind, cadence days, activity type id, last date or None) where kind is
    'contact' or 'visit'. Customers without a salesperson are skipped.
    `open_activities`: set of (partner id, activity type id) already open.
    Returns dicts partner_id, user_id, tier, kind, activity_type_id, days (None
    when never), in the order of `customers`."""
    taken = set(open_activities)
    due = []
    for customer in customers:
        if not customer.get("user_id"):
            continue
        for kind, cadence, activity_type_id, last in customer["cadences"]:
            key = (customer["partner_id"], activity_type_id)
            if key in taken or not is_overdue(last, cadence, today):
                continue
            taken.add(key)
            due.append({"partner_id": customer["partner_id"], "user_id": customer["user_id"],
                        "tier": customer["tier"], "kind": kind,
                        "activity_type_id": activity_type_id, "days": days_since(last, today)})
    return due


def coverage_percent(contacted, customers):
    """Share of customers contacted within their cadence, in percent (100 with none)."""
    if not customers:
        return 100.0
    return 100.0 * contacted / customers
