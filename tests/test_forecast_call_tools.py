"""Forecast categories, call figures, quotas and the quarter summary, without a database."""
from datetime import date, timedelta

from odoo.addons.crm_cn_lifecycle.tools.forecast import quarter_weeks
from odoo.addons.crm_cn_lifecycle.tools.forecast_call import (
    attainment, category_of, check_quota_rows, is_adjusted, parse_quota_file, prefill, quota_by_week,
    reliability, sum_of_latest, summary)


def test_closed_opportunities_are_always_omitted():
    assert category_of(True, "commit", "commit") == "omitted"
    assert category_of(False, "best_case") == "best_case"
    assert category_of(False, "best_case", "commit") == "commit"
    assert category_of(False, None) == "pipeline"


def test_prefill_adds_booked_to_commit_and_commit_to_best_case():
    # booked 1,000; commit 300 + 200; best case 400; pipeline 900
    figures = prefill([("commit", 300.0), ("best_case", 400.0), ("commit", 200.0),
                       ("pipeline", 900.0)], booked=1000.0)
    assert figures.commit == 500.0 and figures.best_case == 400.0 and figures.pipeline == 900.0
    assert figures.call_commit == 1500.0          # 1,000 + 500
    assert figures.call_best_case == 1900.0       # 1,500 + 400


def test_a_call_is_adjusted_from_half_a_cent():
    assert not is_adjusted(100.0, 100.004)
    assert is_adjusted(100.0, 100.01)
    assert is_adjusted(100.0, 90.0)


def test_team_sum_takes_each_members_latest_call():
    calls = [(7, "2026-11-02 09:00:00", 1, (100.0, 150.0)),
             (7, "2026-11-09 09:00:00", 3, (120.0, 160.0)),   # 7's latest
             (8, "2026-11-09 09:00:00", 2, (50.0, 80.0)),
             (8, "2026-11-09 09:00:00", 4, (55.0, 85.0))]     # same time: the later id
    assert sum_of_latest(calls) == (175.0, 245.0)


def test_reliability_is_the_mean_absolute_percentage_error_per_submitter():
    # Li: called 90 for 100 (10 %), 130 for 100 (30 %) -> 20 %; Wang: 200 for 250 -> 20 %,
    # and a call of a quarter that booked nothing counts but has no error
    errors = reliability([("li", 90.0, 100.0), ("li", 130.0, 100.0), ("wang", 200.0, 250.0),
                          ("wang", 50.0, 0.0)])
    assert errors["li"][0] == 2 and abs(errors["li"][1] - 20.0) < 1e-9
    assert errors["wang"][0] == 2 and abs(errors["wang"][1] - 20.0) < 1e-9


def test_quota_of_the_quarter_is_spread_over_weeks_without_their_own():
    weeks = [date(2026, 9, 28) + timedelta(weeks=n) for n in range(13)]
    # 13,000 for the quarter, week 2 has 2,200 of it: the other 12 weeks share 10,800
    total, by_week = quota_by_week([(None, 13000.0), (weeks[1], 2200.0)], weeks)
    assert total == 13000.0
    assert by_week[1] == 2200.0 and by_week[0] == 900.0 and by_week[12] == 900.0
    assert abs(sum(by_week) - 13000.0) < 1e-6
    # week rows only: the quarter is their sum
    assert quota_by_week([(weeks[0], 100.0), (weeks[2], 50.0)], weeks) == (
        150.0, [100.0, 0.0, 50.0] + [0.0] * 10)


def test_attainment_is_booked_over_quota():
    assert attainment(750.0, 1000.0) == 75.0
    assert attainment(10.0, 0.0) is None


def test_summary_cumulates_booked_and_quota_week_by_week():
    weeks = [(1, date(2026, 9, 28), date(2026, 10, 4)), (2, date(2026, 10, 5), date(2026, 10, 11))]
    facts = {date(2026, 9, 28): {"booked": 300.0, "commit": 100.0},
             date(2026, 10, 5): {"booked": 200.0, "best_case": 50.0, "pipeline": 40.0,
                                 "expected_model": 20.0}}
    rows, quarter = summary(weeks, [400.0, 600.0], facts, (900.0, 950.0, 1000.0, 1000.0))
    assert rows[0]["attainment"] == 75.0 and rows[0]["gap"] == 100.0          # 300 / 400
    assert rows[1]["booked_to_date"] == 500.0 and rows[1]["attainment"] == 50.0   # 500 / 1,000
    assert rows[1]["gap"] == 500.0
    assert quarter["quota"] == 1000.0 and quarter["booked"] == 500.0 and quarter["commit"] == 100.0
    assert quarter["best_case"] == 50.0 and quarter["pipeline"] == 40.0 and quarter["expected_model"] == 20.0
    assert quarter["call_raw_commit"] == 900.0 and quarter["call_commit"] == 950.0
    assert quarter["call_gap"] == 50.0                                           # 1,000 - 950
    _rows, no_call = summary(weeks, [0.0, 0.0], {})
    assert no_call["call_commit"] is None and no_call["attainment"] is None


def _quarter_of(day):
    weeks = quarter_weeks(day)
    return weeks[0].start, [week.start for week in weeks]


def test_quota_rows_are_checked_whole_with_row_numbers():
    users, teams, categories = {"li": 7}, {"south": 3}, {"paper": 11}
    lines, problems = check_quota_rows([
        (2, "li", "", "2026-11-25", "", "", "13,000"),
        (3, "", "south", "2026-10-01", "2026-10-07", "paper", "500"),
        (4, "li", "south", "2026-10-01", "", "", "1"),
        (5, "zhang", "", "2026-10-01", "", "", "1"),
        (6, "li", "", "not a day", "", "", "1"),
        (7, "li", "", "2026-10-01", "2027-03-01", "", "1"),
        (8, "li", "", "2026-10-01", "", "", "-5"),
        (9, "li", "", "2026-10-02", "", "", "4"),
    ], users, teams, categories, _quarter_of)
    assert [(line.row, line.user_id, line.team_id, line.quarter_start, line.week_start, line.categ_id,
             line.amount) for line in lines] == [
        (2, 7, None, date(2026, 9, 28), None, None, 13000.0),
        (3, None, 3, date(2026, 9, 28), date(2026, 10, 5), 11, 500.0)]
    assert [(problem.row, problem.code) for problem in problems] == [
        (4, "both_owners"), (5, "user"), (6, "quarter_date"), (7, "week_outside"), (8, "negative"),
        (9, "duplicate")]


def test_quota_file_with_chinese_headers_is_read():
    data = "销售员,季度,金额\nli,2026-11-25,8000\n".encode("gb18030")
    lines, problems = parse_quota_file("quotas.csv", data, {"li": 7}, {}, {}, _quarter_of)
    assert problems == [] and lines[0].amount == 8000.0 and lines[0].quarter_start == date(2026, 9, 28)
    _lines, problems = parse_quota_file("quotas.csv", b"name,value\nx,1\n", {}, {}, {}, _quarter_of)
    assert [problem.code for problem in problems] == ["no_columns"]
    _lines, problems = parse_quota_file("quotas.csv", b"amount,quarter,team\n" + b"1,2026-10-01,x\n" * 50,
                                        {}, {"x": 1}, {}, _quarter_of, {"max_cells": 30})
    assert [problem.code for problem in problems] == ["too_many_cells"]
