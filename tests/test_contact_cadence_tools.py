"""Contact cadence without a database: overdue, one activity per customer and
type, coverage share."""
from datetime import date

from odoo.addons.crm_cn_lifecycle.tools.contact_cadence import (
    coverage_percent, days_since, due_contacts, is_overdue)

TODAY = date(2026, 11, 23)
CALL, MEETING = 7, 8


def customer(partner_id, last_call, last_visit=None, user_id=5, cadence=30, visit=365):
    return {"partner_id": partner_id, "user_id": user_id, "tier": "key",
            "cadences": [("contact", cadence, CALL, last_call), ("visit", visit, MEETING, last_visit)]}


def test_days_since_counts_whole_days_and_none_when_never():
    assert days_since(date(2026, 10, 24), TODAY) == 30
    assert days_since(None, TODAY) is None


def test_overdue_only_past_the_cadence():
    assert not is_overdue(date(2026, 10, 24), 30, TODAY)  # exactly 30 days: still on time
    assert is_overdue(date(2026, 10, 23), 30, TODAY)
    assert is_overdue(None, 30, TODAY)
    assert not is_overdue(None, 0, TODAY)  # no cadence (an optional senior visit)


def test_due_contacts_one_per_customer_and_type_skipping_open_and_unassigned():
    customers = [
        customer(1, date(2026, 9, 1), date(2026, 6, 1)),     # call overdue, visit on time
        customer(2, date(2026, 11, 20), None),               # call on time, never visited
        customer(3, None, None, user_id=False),              # no salesperson: skipped
        customer(4, date(2026, 1, 1), date(2025, 1, 1)),      # both overdue, call already open
        customer(1, date(2026, 9, 1), date(2026, 6, 1)),     # same customer in a second company
    ]
    due = due_contacts(customers, {(4, CALL)}, TODAY)
    assert [(row["partner_id"], row["kind"], row["activity_type_id"], row["days"]) for row in due] == [
        (1, "contact", CALL, 83), (2, "visit", MEETING, None), (4, "visit", MEETING, 691)]


def test_due_contacts_is_idempotent_once_the_activities_are_open():
    customers = [customer(1, None, None), customer(2, date(2026, 1, 1))]
    first = due_contacts(customers, set(), TODAY)
    opened = {(row["partner_id"], row["activity_type_id"]) for row in first}
    assert len(first) == 4
    assert due_contacts(customers, opened, TODAY) == []


def test_coverage_percent():
    assert coverage_percent(3, 4) == 75.0
    assert coverage_percent(0, 0) == 100.0
