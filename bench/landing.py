"""Where the quarter lands and what moved, on 1M open and 1M closed
opportunities over 10 sales teams:

- the landing range (P10/P50/P90) of the company and of every team through
  quarter_landings() (one read of the open ones, the close-date slip learned
  from the closed ones, vectorised numpy): goal < 10 s; beside it the plain
  SQL reading the same rows, and a check that every team's open count and
  amount are the SQL's;
- what moved between two snapshots of every open opportunity (1M rows each)
  through what_moved(), against a plain-SQL FULL JOIN classifying the same
  rows: goal <= 1.5x, checked equal movement by movement.

    .venv/bin/python bench/landing.py [--open N] [--closed N] [--db NAME]

Database: cncl_bench_landing (built once per size, reused after).
"""
import argparse
import os
import sys
import time
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import best_of, database_exists, environment, report, say, timer, vacuum  # noqa: E402

TEAMS = 10

BUILD = [
    ("closed opportunities (won ones with their close-date slip)", """
        INSERT INTO crm_lead (name, type, active, team_id, user_id, stage_id, probability,
                              planned_revenue, date_deadline, date_closed, cn_close_stage_id,
                              company_id, create_date, write_date)
        SELECT 'Landing bench closed ' || g, 'opportunity', g %% 3 <> 0, t.id, 1,
               CASE WHEN g %% 3 <> 0 THEN (SELECT id FROM crm_stage WHERE probability >= 100 ORDER BY sequence LIMIT 1)
                    ELSE st.id END,
               CASE WHEN g %% 3 <> 0 THEN 100 ELSE 0 END, 1000 + (g * 37) %% 90000,
               (now() - (g %% 700) * interval '1 day')::date - (g * 7 %% 61 - 20),
               now() - (g %% 700) * interval '1 day', st.id, 1,
               now() - (g %% 700 + 60) * interval '1 day', now()
          FROM generate_series(1, %(closed)s) g
          JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM crm_team
                 WHERE name LIKE 'Landing bench team %%') t ON t.n = 1 + g %% %(teams)s
          JOIN (SELECT id, row_number() OVER (ORDER BY sequence, id) AS n
                  FROM crm_stage WHERE probability < 100) st ON st.n = 1 + g %% 3;
    """),
    ("open opportunities and their learned win probability", """
        INSERT INTO crm_lead (name, type, active, team_id, user_id, stage_id, probability,
                              planned_revenue, date_deadline, company_id, create_date, write_date)
        SELECT 'Landing bench open ' || g, 'opportunity', true, t.id, 1, st.id, st.probability,
               1000 + (g * 53) %% 90000, current_date + (g %% 150) - 30, 1,
               now() - (g %% 90 + 5) * interval '1 day', now()
          FROM generate_series(1, %(open)s) g
          JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM crm_team
                 WHERE name LIKE 'Landing bench team %%') t ON t.n = 1 + g %% %(teams)s
          JOIN (SELECT id, probability, row_number() OVER (ORDER BY sequence, id) AS n
                  FROM crm_stage WHERE probability < 100) st ON st.n = 1 + g %% 3;
        INSERT INTO crm_cn_win_score (id, probability, factors)
        SELECT id, (id * 7) %% 100, '' FROM crm_lead WHERE name LIKE 'Landing bench open %%';
        ANALYZE;
    """),
]
# Between the two snapshots: some won, lost, slipped, pulled in, moved a
# stage, changed amount, and new ones.
MOVES = """
    UPDATE crm_lead SET probability = 100, date_closed = now(),
           stage_id = (SELECT id FROM crm_stage WHERE probability >= 100 ORDER BY sequence LIMIT 1)
     WHERE name LIKE 'Landing bench open %%' AND id %% 50 = 1;
    UPDATE crm_lead SET active = false, probability = 0, date_closed = now()
     WHERE name LIKE 'Landing bench open %%' AND id %% 50 = 2;
    UPDATE crm_lead SET date_deadline = date_deadline + 120
     WHERE name LIKE 'Landing bench open %%' AND id %% 50 = 3;
    UPDATE crm_lead SET date_deadline = current_date + 3
     WHERE name LIKE 'Landing bench open %%' AND id %% 50 = 4;
    UPDATE crm_lead SET stage_id = (SELECT id FROM crm_stage WHERE probability < 100 ORDER BY sequence DESC LIMIT 1)
     WHERE name LIKE 'Landing bench open %%' AND id %% 50 = 5;
    UPDATE crm_lead SET planned_revenue = planned_revenue * 1.5
     WHERE name LIKE 'Landing bench open %%' AND id %% 50 = 6;
    UPDATE crm_lead SET planned_revenue = planned_revenue * 0.5, probability = probability + 1
     WHERE name LIKE 'Landing bench open %%' AND id %% 50 = 7;
    INSERT INTO crm_lead (name, type, active, team_id, user_id, stage_id, probability,
                          planned_revenue, date_deadline, company_id, create_date, write_date)
    SELECT 'Landing bench new ' || g, 'opportunity', true,
           (SELECT min(id) FROM crm_team WHERE name LIKE 'Landing bench team %%'), 1,
           (SELECT id FROM crm_stage WHERE probability < 100 ORDER BY sequence LIMIT 1), 20,
           5000, current_date + 20, 1, now(), now()
      FROM generate_series(1, %(new)s) g;
"""
# What moved, in plain SQL: the two snapshots' rows FULL JOINed by opportunity,
# the same figure and precedence of movements, summed per movement.
BASELINE_MOVED = """
SELECT movement, count(*), SUM(value_from), SUM(value_to) FROM (
SELECT COALESCE(CASE WHEN b.state = 'won' AND b.date_closed BETWEEN %(qs)s AND %(qe)s THEN b.expected_revenue
                     WHEN b.state = 'open' AND GREATEST(COALESCE(b.date_deadline, b.snapshot_date), b.snapshot_date)
                          BETWEEN %(qs)s AND %(qe)s THEN b.expected_revenue * b.probability / 100.0
                     ELSE 0.0 END, 0.0) AS value_from,
       COALESCE(CASE WHEN a.state = 'won' AND a.date_closed BETWEEN %(qs)s AND %(qe)s THEN a.expected_revenue
                     WHEN a.state = 'open' AND GREATEST(COALESCE(a.date_deadline, a.snapshot_date), a.snapshot_date)
                          BETWEEN %(qs)s AND %(qe)s THEN a.expected_revenue * a.probability / 100.0
                     ELSE 0.0 END, 0.0) AS value_to,
       CASE WHEN b.lead_id IS NULL THEN CASE WHEN a.state = 'open' THEN 'new' ELSE a.state END
            WHEN a.lead_id IS NULL THEN CASE WHEN b.state = 'open' THEN 'lost' ELSE 'unchanged' END
            WHEN b.state <> 'open' THEN CASE WHEN a.state = 'open' THEN 'new' ELSE 'unchanged' END
            WHEN a.state <> 'open' THEN a.state
            WHEN GREATEST(COALESCE(b.date_deadline, b.snapshot_date), b.snapshot_date) BETWEEN %(qs)s AND %(qe)s
             AND GREATEST(COALESCE(a.date_deadline, a.snapshot_date), a.snapshot_date) NOT BETWEEN %(qs)s AND %(qe)s
            THEN 'slipped'
            WHEN GREATEST(COALESCE(a.date_deadline, a.snapshot_date), a.snapshot_date) BETWEEN %(qs)s AND %(qe)s
             AND GREATEST(COALESCE(b.date_deadline, b.snapshot_date), b.snapshot_date) NOT BETWEEN %(qs)s AND %(qe)s
            THEN 'pulled'
            WHEN a.stage_sequence > b.stage_sequence THEN 'stage_forward'
            WHEN a.stage_sequence < b.stage_sequence THEN 'stage_back'
            WHEN a.forecast_category IS DISTINCT FROM b.forecast_category THEN 'category'
            WHEN a.expected_revenue > b.expected_revenue THEN 'amount_up'
            WHEN a.expected_revenue < b.expected_revenue THEN 'amount_down'
            WHEN a.probability <> b.probability THEN 'probability'
            ELSE 'unchanged' END AS movement
  FROM (SELECT * FROM crm_cn_forecast_snapshot_line WHERE snapshot_date = %(d1)s AND company_id = 1) b
  FULL JOIN (SELECT * FROM crm_cn_forecast_snapshot_line WHERE snapshot_date = %(d2)s AND company_id = 1) a
    ON a.lead_id = b.lead_id) moved
 GROUP BY movement
"""
# The rows the landing range reads, in plain SQL, and the slip histogram.
BASELINE_OPEN = """
SELECT COALESCE(l.team_id, 0), l.stage_id, l.planned_revenue, COALESCE(ws.probability, s.probability),
       COALESCE(l.date_deadline, current_date) - current_date
  FROM crm_lead l JOIN crm_stage s ON s.id = l.stage_id LEFT JOIN crm_cn_win_score ws ON ws.id = l.id
 WHERE l.type = 'opportunity' AND l.active AND l.probability < 100 AND s.probability < 100
"""
BASELINE_SLIP = """
SELECT cn_close_stage_id, date_closed::date - date_deadline, count(*) FROM crm_lead
 WHERE type = 'opportunity' AND active AND probability >= 100 AND date_closed IS NOT NULL
 GROUP BY 1, 2
"""


def build(env, args):
    env.cr.execute("SELECT count(*) FROM crm_lead WHERE name LIKE 'Landing bench %%'")
    if env.cr.fetchone()[0]:
        say("bench data already built")
        return
    for number in range(1, TEAMS + 1):
        env["crm.team"].create({"name": "Landing bench team %d" % number})
    params = {"teams": TEAMS, "open": args.open, "closed": args.closed}
    for what, sql in BUILD:
        timings = {}
        with timer(timings, what):
            env.cr.execute(sql, params)
        say("built %s in %.1f s" % (what, timings[what]))
    env.cr.commit()


def snapshots(env, args):
    """Two snapshots a week apart, the moves in between; returns their days."""
    Line = env["crm.cn.forecast.snapshot.line"]
    today = date.today()
    first, second = str(today - timedelta(days=7)), str(today)
    env.cr.execute("SELECT count(*) FROM crm_cn_forecast_snapshot_line WHERE snapshot_date = %s", [second])
    if env.cr.fetchone()[0]:
        say("snapshots already taken")
        return first, second
    started = time.time()
    count = Line._cn_write_day(first)
    say("snapshot of %s: %d rows in %.1f s" % (first, count, time.time() - started))
    env.cr.execute(MOVES, {"new": max(args.open // 100, 1)})
    started = time.time()
    count = Line._cn_write_day(second)
    say("snapshot of %s: %d rows in %.1f s" % (second, count, time.time() - started))
    env.cr.commit()
    return first, second


def check_landing(env, landings):
    env.cr.execute("""SELECT COALESCE(l.team_id, 0), count(*), SUM(l.planned_revenue) FROM crm_lead l
                      JOIN crm_stage s ON s.id = l.stage_id
                      WHERE l.type = 'opportunity' AND l.active AND l.probability < 100
                        AND s.probability < 100 GROUP BY 1""")
    expected = {row[0]: row[1] for row in env.cr.fetchall()}
    ours = {row["team_id"]: row["open_count"] for row in landings["teams"] if row["open_count"]}
    assert ours == expected, "open opportunities differ: %s vs %s" % (ours, expected)
    for row in landings["teams"] + [landings["company"]]:
        assert row["p10"] <= row["p50"] <= row["p90"], row
        assert row["p10"] <= row["expected"] <= row["p90"], row
    company = landings["company"]
    say("company: booked %.0f, P10 %.0f, P50 %.0f, P90 %.0f (expected %.0f), %d open; %d teams equal to SQL"
        % (company["booked"], company["p10"], company["p50"], company["p90"], company["expected"],
           company["open_count"], len(ours)))


def check_moved(env, moved, first, second):
    weeks = env["crm.cn.forecast.report"].quarter_weeks(second)
    params = {"d1": first, "d2": second, "qs": str(weeks[0].start), "qe": str(weeks[-1].end)}
    env.cr.execute(BASELINE_MOVED, params)
    baseline = {row[0]: (row[1], row[2], row[3]) for row in env.cr.fetchall()}
    ours = {row["movement"]: row["count"] for row in moved["waterfall"] if row["count"]}
    assert ours == {key: value[0] for key, value in baseline.items()}, (ours, baseline)
    figure_from = sum(value[1] for value in baseline.values())
    figure_to = sum(value[2] for value in baseline.values())
    assert abs(moved["figure_from"] - figure_from) < 0.01 + 1e-9 * abs(figure_from)
    assert abs(moved["figure_to"] - figure_to) < 0.01 + 1e-9 * abs(figure_to)
    say("what moved %s -> %s: %s; figure %.0f -> %.0f, equal to SQL" % (
        first, second, ", ".join("%s %d" % item for item in sorted(ours.items())), figure_from, figure_to))
    return params


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--open", type=int, default=1000000)
    parser.add_argument("--closed", type=int, default=1000000)
    parser.add_argument("--db", default=None)
    args = parser.parse_args()
    name = args.db or ("cncl_bench_landing" if (args.open, args.closed) == (1000000, 1000000)
                       else "cncl_bench_landing_%d_%d" % (args.open, args.closed))
    fresh = not database_exists(name)
    with environment(name, commit=True) as env:
        build(env, args)
        first, second = snapshots(env, args)
        env.cr.commit()
        if fresh:
            vacuum(name, "crm_lead", "crm_cn_forecast_snapshot_line", "crm_cn_win_score")
        Report, Movement = env["crm.cn.forecast.report"], env["crm.cn.forecast.movement"]
        landings = Report.quarter_landings()
        check_landing(env, landings)
        ours_landing = best_of(3, Report.quarter_landings)
        sql_landing = best_of(3, lambda: [env.cr.execute(sql) or env.cr.fetchall()
                                          for sql in (BASELINE_OPEN, BASELINE_SLIP)])
        moved = Movement.what_moved(first, second)
        params = check_moved(env, moved, first, second)
        ours_moved = best_of(3, lambda: Movement.what_moved(first, second))
        sql_moved = best_of(3, lambda: env.cr.execute(BASELINE_MOVED, params) or env.cr.fetchall())
    report("landing range, company + %d teams, %d open + %d closed opportunities" % (
        TEAMS, args.open, args.closed), ours_landing, sql_landing)
    report("what moved, two snapshots of %d open opportunities" % args.open, ours_moved, sql_moved)


if __name__ == "__main__":
    main()
