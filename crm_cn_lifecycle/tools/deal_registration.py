"""Deal registration rules without the database: how long an approval
protects the dealer, and which matches block a submission."""
from datetime import timedelta

DEFAULT_PROTECTION_DAYS = 90


def protection_days(category_days, default_days=DEFAULT_PROTECTION_DAYS):
    """The category's own period if it sets one (> 0), else the default."""
    if category_days and category_days > 0:
        return int(category_days)
    return int(default_days or DEFAULT_PROTECTION_DAYS)


def protection_end(approved_on, days):
    """The last day (a date) an approval on `approved_on` protects its dealer."""
    return approved_on + timedelta(days=days)


def blocking(matches, dealer_id, category_id, today):
    """The matched registrations that refuse a submission: approved ones of
    another dealer, for the same product category, still protected on `today`.
    `matches`: dicts with dealer_id, category_id, state, protected_until (date or None)."""
    return [match for match in matches
            if match["state"] == "approved" and match["dealer_id"] != dealer_id
            and match["category_id"] == category_id
            and match["protected_until"] is not None and match["protected_until"] >= today]
