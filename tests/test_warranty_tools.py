"""Warranty ends and repurchase due dates, without a database."""
from datetime import date

import pytest

from odoo.addons.crm_cn_lifecycle.tools.repurchase import due_customers
from odoo.addons.crm_cn_lifecycle.tools.warranty import add_months, warranty_end, warranty_state

TODAY = date(2026, 6, 15)


def test_twelve_month_warranty_ends_the_day_before_the_anniversary():
    assert warranty_end(date(2025, 3, 10), 12) == date(2026, 3, 9)


def test_month_end_delivery_is_clamped_to_the_shorter_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert warranty_end(date(2026, 1, 31), 1) == date(2026, 2, 27)


def test_months_roll_over_the_year():
    assert add_months(date(2025, 11, 5), 3) == date(2026, 2, 5)
    assert add_months(date(2025, 12, 5), 24) == date(2027, 12, 5)


def test_no_delivery_or_no_months_means_no_warranty():
    assert warranty_end(None, 12) is None
    assert warranty_end(date(2026, 1, 1), 0) is None
    assert warranty_state(None, TODAY) == "none"


def test_last_covered_day_is_still_in_warranty():
    end = date(2026, 6, 15)
    assert warranty_state(end, TODAY) == "in"
    assert warranty_state(end, date(2026, 6, 16)) == "out"


def rows(*rows):
    keys = ("partner_id", "categ_id", "order_id", "order_date", "warranty_end")
    return [dict(zip(keys, row)) for row in rows]


def test_consumable_cycle_is_due_once_the_days_have_passed():
    last = rows((1, 10, 100, date(2026, 3, 17), None),   # 90 days ago: due
                (2, 10, 200, date(2026, 3, 18), None))   # 89 days ago: not yet
    due = due_customers(last, [{"categ_id": 10, "rule_type": "cycle", "days": 90}], TODAY)
    assert due == [{"partner_id": 1, "categ_id": 10, "order_id": 100, "rule_type": "cycle"}]


def test_warranty_rule_is_due_only_while_the_end_is_near_and_not_past():
    last = rows((1, 20, 101, date(2025, 7, 1), date(2026, 6, 30)),   # ends in 15 days: due
                (2, 20, 201, date(2025, 8, 1), date(2026, 7, 31)),   # ends in 46 days: not yet
                (3, 20, 301, date(2025, 5, 1), date(2026, 6, 14)),   # ended yesterday: too late
                (4, 20, 401, date(2025, 5, 1), None))                # no warranty
    due = due_customers(last, [{"categ_id": 20, "rule_type": "warranty", "days": 30}], TODAY)
    assert [row["partner_id"] for row in due] == [1]


def test_categories_without_a_rule_are_never_due():
    last = rows((1, 30, 102, date(2020, 1, 1), None))
    assert due_customers(last, [{"categ_id": 10, "rule_type": "cycle", "days": 1}], TODAY) == []


def test_two_rules_on_one_category_give_one_opportunity():
    last = rows((1, 10, 100, date(2025, 1, 1), date(2026, 6, 20)))
    rules = [{"categ_id": 10, "rule_type": "cycle", "days": 30},
             {"categ_id": 10, "rule_type": "warranty", "days": 30}]
    due = due_customers(last, rules, TODAY)
    assert len(due) == 1 and due[0]["order_id"] == 100


def test_unknown_rule_type_is_refused():
    with pytest.raises(ValueError):
        due_customers(rows((1, 10, 100, TODAY, None)),
                      [{"categ_id": 10, "rule_type": "bogus", "days": 1}], TODAY)


def test_end_of_life_is_due_once_the_goods_are_old_enough_from_their_delivery():
    last = [{"partner_id": 1, "categ_id": 40, "order_id": 103, "order_date": date(2021, 1, 1),
             "delivery_date": date(2021, 6, 16), "warranty_end": None},   # 1825 days old today: due
            {"partner_id": 2, "categ_id": 40, "order_id": 203, "order_date": date(2021, 1, 1),
             "delivery_date": date(2021, 6, 17), "warranty_end": None},   # one day short
            {"partner_id": 3, "categ_id": 40, "order_id": 303, "order_date": date(2021, 6, 16),
             "delivery_date": None, "warranty_end": None}]                # never delivered: from the order
    due = due_customers(last, [{"categ_id": 40, "rule_type": "replacement", "days": 1825}], TODAY)
    assert [(row["partner_id"], row["rule_type"]) for row in due] == [(1, "replacement"), (3, "replacement")]
