"""bench/pyramid_csv.py on a tiny hand-written order file: the figures the
issue asks for come out of the addon's own tools, without Odoo."""
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(REPO, "bench", "pyramid_csv.py")

# A: 1000 on Jan 5, Feb 4 (two lines) and Mar 6 (gaps 30, 30); B: 300, Jan 10 (month
# first) and Mar 1 (gap 50); C: 150 returned, no revenue, one purchase date; D: 100;
# E: 100 on Jan 20 and 30 (gap 10); G: 80 in 2024, before the window; a row without
# customer and one with an unreadable date are skipped.
ORDERS = """order,customer,when,amount
1,A,2026-01-05,500
2,A,2026-02-04 09:30:00,200
2,A,2026-02-04 09:30:00,100
3,A,2026-03-06,200
4,B,01/10/2026 10:00,200
5,B,2026-03-01,100
6,C,2026-02-01,150
7,C,2026-02-15,-150
8,D,20260310,100
9,E,2026-01-20,50
10,E,2026-01-30,50
11,G,2024-12-01,80
12,,2026-01-01,999
13,F,soon,10
"""


def run_script(tmp_path, *extra):
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, SCRIPT, "--csv", str(path), "--customer", "customer", "--date", "when",
         "--amount", "amount"] + list(extra),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def tier_counts(lines):
    counts = {}
    for line in lines:
        parts = line.split()
        if len(parts) >= 4 and parts[0] in ("key", "big", "medium", "small", "prospect", "suspect",
                                             "lapsed") and parts[1].isdigit():
            counts[parts[0]] = int(parts[1])
    return counts


def test_top_share_and_median_repeat_days_over_the_whole_file(tmp_path):
    lines = run_script(tmp_path)
    # positive totals A 1000, B 300, D 100, E 100, G 80: the top ceil(20% of 5) = 1 brings 1000 / 1580
    assert "top 20% of customers: 63.3% of revenue" in lines
    # pooled gaps 30, 30, 50, 10 (C's return day is no purchase): median 30
    assert "median days between repeat purchases: 30" in lines
    assert lines[0].startswith("pyramid_csv: 14 rows, 6 customers, 2 skipped")
    assert "1 without customer, 1 bad date" in lines[0]


def test_tier_table_keeps_tied_customers_together(tmp_path):
    counts = tier_counts(run_script(tmp_path))
    # 4 buyers as of Mar 10, 2026: key ceil(0.8) = 1 (A), big ceil(1.2) = 2 places from B,
    # and D and E tie at 100 on the boundary, so both are big; G bought only before the window
    assert counts == {"key": 1, "big": 3, "medium": 0, "small": 0, "prospect": 0, "suspect": 0,
                      "lapsed": 1}


def test_as_of_and_window_move_customers_to_lapsed(tmp_path):
    # as of Feb 28 over 30 days (Jan 29 excluded to Feb 28): A (300) and E (50 on Jan 30)
    # bought in the window; B and G bought only before it; C's sale and return cancel out;
    # D's order comes after the date and does not count
    counts = tier_counts(run_script(tmp_path, "--as-of", "2026-02-28", "--window-days", "30"))
    assert (counts["key"], counts["big"], counts["lapsed"]) == (1, 1, 2)
    assert sum(counts.values()) == 4


def test_held_out_check_of_the_late_flag_against_the_baseline(tmp_path):
    lines = run_script(tmp_path, "--horizon-days", "10")
    # cutoff Feb 28: A (Jan 5, Feb 4: interval 30, 24 days since) and E (Jan 20, 30:
    # interval 10, 29 days since) have two dates before it; A buys again on Mar 6, E not.
    # Late flags E only; the baseline (nothing in 10 days) flags both.
    assert "late flag (2.0x own interval): precision 1.00 recall 1.00 " \
        "(n=2, base rate 0.50, flagged 1)" in lines
    assert "baseline (no purchase in 10 days): precision 0.50 recall 1.00 " \
        "(n=2, base rate 0.50, flagged 2)" in lines


def test_a_missing_column_is_named(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, SCRIPT, "--csv", str(path), "--customer", "client", "--date", "when",
         "--amount", "amount"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=120, check=False)
    assert result.returncode != 0 and "no column client" in result.stderr


def test_dates_and_amounts_in_common_formats():
    import datetime
    import importlib.util
    spec = importlib.util.spec_from_file_location("pyramid_csv", SCRIPT)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    day = datetime.date(2011, 12, 9)
    assert bench.parse_date("2011-12-09 12:50:00") == day
    assert bench.parse_date("2011-12-09T12:50") == day
    assert bench.parse_date("12/9/2011 12:50") == day
    assert bench.parse_date("9/12/2011", dayfirst=True) == day
    assert bench.parse_date("9.12.2011") == day
    assert bench.parse_date("20111209") == day
    assert bench.parse_date("2011/12/09") == day
    assert bench.parse_date("13/13/2011") is None and bench.parse_date("") is None
    assert bench.parse_amount("1,234.50") == 1234.5 and bench.parse_amount("¥-12") == -12.0
    assert bench.parse_amount("") is None and bench.parse_amount("n/a") is None
