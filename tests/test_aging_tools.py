"""Aging, DSO, days to pay and headroom, without a database."""
from datetime import date

from odoo.addons.crm_cn_lifecycle.tools.aging import BUCKET_KEYS, age_rows, average_days_to_pay, \
    average_from_sums, bucket_of, dso, effective_credit_limit, exposure, headroom, hold_reasons, \
    worst_bucket

TODAY = date(2018, 6, 30)


def test_due_today_is_not_due():
    assert bucket_of("2018-06-30", TODAY) == "not_due"
    assert bucket_of("2018-07-15", TODAY) == "not_due"


def test_bucket_bounds_are_inclusive_days_past_due():
    assert bucket_of("2018-06-29", TODAY) == "1_30"      # 1 day
    assert bucket_of("2018-05-31", TODAY) == "1_30"      # 30 days
    assert bucket_of("2018-05-30", TODAY) == "31_60"     # 31 days
    assert bucket_of("2018-05-01", TODAY) == "31_60"     # 60 days
    assert bucket_of("2018-04-30", TODAY) == "61_90"     # 61 days
    assert bucket_of("2018-04-01", TODAY) == "61_90"     # 90 days
    assert bucket_of("2018-03-31", TODAY) == "over_90"   # 91 days


def test_credits_are_never_overdue():
    assert bucket_of("2017-01-01", TODAY, residual=-50.0) == "not_due"


def test_age_rows_sums_buckets_balance_and_overdue():
    rows = [
        ("2018-07-30", 100.0),      # not due
        ("2018-06-20", 200.0),      # 10 days
        ("2018-05-15", 300.0),      # 46 days
        ("2018-04-15", 400.0),      # 76 days
        ("2018-01-01", 500.0),      # 180 days
        ("2018-02-01", -150.0),     # unapplied credit note
        ("2018-06-01", 0.0),        # paid
    ]
    figures = age_rows(rows, TODAY)
    assert figures == {
        "not_due": -50.0, "1_30": 200.0, "31_60": 300.0, "61_90": 400.0, "over_90": 500.0,
        "balance": 1350.0, "overdue": 1400.0, "oldest_overdue_date": date(2018, 1, 1),
    }
    assert sum(figures[key] for key in BUCKET_KEYS) == figures["balance"]


def test_age_rows_of_a_customer_who_owes_nothing():
    figures = age_rows([], TODAY)
    assert figures["balance"] == 0.0
    assert figures["overdue"] == 0.0
    assert figures["oldest_overdue_date"] is None
    assert worst_bucket(figures) is False


def test_worst_bucket_is_the_oldest_with_money():
    assert worst_bucket({"1_30": 10.0, "31_60": 0.0, "61_90": 5.0, "over_90": 0.0}) == "61_90"
    assert worst_bucket({"not_due": 99.0}) is False


def test_dso_is_balance_over_sales_times_days():
    assert dso(1500.0, 4500.0) == 30.0
    assert dso(1000.0, 3000.0, days=30) == 10.0
    assert dso(0.0, 0.0) == 0.0
    assert dso(-20.0, 100.0) == 0.0
    assert dso(100.0, 0.0) is None


def test_average_days_to_pay_weights_by_amount():
    payments = [
        ("2018-01-01", "2018-01-11", 100.0),    # 10 days
        ("2018-01-01", "2018-01-31", 300.0),    # 30 days
    ]
    assert average_days_to_pay(payments) == 25.0
    assert average_days_to_pay([]) is None
    assert average_days_to_pay([("2018-01-10", "2018-01-01", 50.0)]) == 0.0  # prepaid
    assert average_from_sums(10 * 100.0 + 30 * 300.0, 400.0) == 25.0
    assert average_from_sums(0.0, 0.0) is None


def test_headroom_is_limit_minus_exposure_or_none_without_limit():
    assert exposure(800.0, 150.0) == 950.0
    assert exposure(800.0, 150.0, 50.0) == 1000.0
    assert headroom(1000.0, 950.0) == 50.0
    assert headroom(1000.0, 1200.0) == -200.0
    assert headroom(0.0, 1200.0) is None


def test_customer_limit_overrides_class_default():
    assert effective_credit_limit(5000.0, 2000.0) == 5000.0
    assert effective_credit_limit(0.0, 2000.0) == 2000.0
    assert effective_credit_limit(0.0, 0.0) == 0.0


def test_hold_reasons_for_headroom_and_old_overdue():
    figures = {"headroom": 100.0, "overdue": 50.0, "oldest_overdue_date": date(2018, 5, 1)}
    assert hold_reasons(figures, 80.0, 0, TODAY) == []
    assert hold_reasons(figures, 130.0, 0, TODAY) == [("headroom", 30.0)]
    assert hold_reasons(figures, 80.0, 30, TODAY) == [("overdue", 60)]
    assert hold_reasons(figures, 80.0, 60, TODAY) == []
    assert hold_reasons({"headroom": None, "overdue": 0.0, "oldest_overdue_date": None},
                        1e9, 30, TODAY) == []
