#!/usr/bin/env python
"""Every scheduled action of the addon at bench size, each run in its own
child process exactly as Odoo's cron worker runs it: the ir.cron's server
action (its `code`, e.g. `model.action_train()`) as the superuser in a fresh
cursor, committed at the end, with the limits of deploy/odoo.conf.example
in the configuration (so that batched jobs spend the time budget a cron
worker gives them). Per job it prints the wall and CPU time of the call, the
child's peak resident memory (ru_maxrss of the ended child, registry
included, as a cron worker holds it) and its peak virtual size (VmPeak:
what Odoo 11 compares with limit_memory_soft), each against
limit_time_real_cron, limit_time_cpu and limit_memory_soft. CPU time is the
Odoo process's (PostgreSQL's is not counted, as limit_time_cpu does not). A batched job
(repurchase, overdue contacts, the resume action) is one cron call: the
batches that fit in its time budget, the rest left to the next call.

The databases are the other benches' (built when missing, committed and
kept; the jobs' results are committed into them as a cron's would be):
  - cncl_bench_win (bench/win_model.py): 1M closed + 1M open opportunities:
    win model training and rescoring, the forecast snapshot;
  - cncl_bench_crons_pyramid (bench/pyramid.py's world under its own name:
    100,000 customers, 2M invoice lines, their orders): the pyramid, then
    overdue contacts on its tiers, repurchase opportunities (one rule per
    product category, added here), the resume action, customer groups, goals,
    dealer offers timing out, deal registrations ending, export clean-up;
  - cncl_bench_scorecard (bench/scorecard.py): 500 dealers' scorecards.
DRP positions have no scheduled action: each submitted stock report moves
its dealer's positions within the HTTP request, and a salesperson's DRP
proposal nets them within another. Both are run the same way, each in its
own child with an HTTP worker's limits (limit_time_real instead of
limit_time_real_cron), on cncl_bench_drp (bench/drp.py: 500 dealers × 2,000
products × 52 weekly reports, 52M report lines): one dealer's full report
submitted (kept), the proposal for every dealer (rolled back) and for one
dealer (kept: its draft order, its order lines queued). The proposal's order
lines are added by the resume action in a cron worker, in committed batches
(models/crm_cn_drp_pending_line.py: about 0.03 s a line at full size): one
run of it is measured last.
The last line sums up how many jobs are within all three limits.

    .venv/bin/python bench/crons.py [--only LABEL ...] [--timeout 900]
        [--pyramid-customers 100000] [--pyramid-lines 2000000]
"""
import argparse
import configparser
import datetime
import json
import os
import resource
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import REPO, _psql, database_exists, environment, say  # noqa: E402

import odoo  # noqa: E402
from odoo import SUPERUSER_ID, api  # noqa: E402

WIN_DB = "cncl_bench_win"
PYRAMID_DB = "cncl_bench_crons_pyramid"
SCORECARD_DB = "cncl_bench_scorecard"
DRP_DB = "cncl_bench_drp"
BENCH = os.path.dirname(os.path.abspath(__file__))

# (label, ir.cron xml id, database, SQL describing its data, SQL describing its result)
JOBS = [
    ("win model: train + rescore", "cron_win_model_train", WIN_DB,
     "SELECT to_char(count(*) FILTER (WHERE probability >= 100 OR NOT active), 'FM9,999,999')"
     " || ' closed + ' || to_char(count(*) FILTER (WHERE active AND probability < 100), 'FM9,999,999')"
     " || ' open opps' FROM crm_lead WHERE type = 'opportunity'",
     "SELECT 'scored ' || to_char(scored_count, 'FM9,999,999') FROM crm_cn_win_model"
     " ORDER BY id DESC LIMIT 1"),
    ("forecast snapshot", "cron_forecast_snapshot", WIN_DB,
     "SELECT to_char(count(*), 'FM9,999,999') || ' open opps' FROM crm_lead"
     " WHERE type = 'opportunity' AND active AND probability < 100",
     "SELECT to_char(count(*), 'FM9,999,999') || ' opportunity rows' FROM crm_cn_forecast_snapshot_line"
     " WHERE snapshot_date = (SELECT max(snapshot_date) FROM crm_cn_forecast_snapshot_line)"),
    ("customer pyramid", "cron_pyramid", PYRAMID_DB,
     "SELECT to_char((SELECT count(*) FROM res_partner WHERE customer AND id = commercial_partner_id),"
     " 'FM9,999,999') || ' customers, ' || to_char(count(*), 'FM9,999,999') || ' invoice lines'"
     " FROM account_invoice_line",
     "SELECT to_char(count(*), 'FM9,999,999') || ' lines' FROM crm_cn_pyramid_line WHERE is_current"),
    ("overdue contacts (1 call)", "cron_overdue_contacts", PYRAMID_DB,
     "SELECT to_char(count(*), 'FM9,999,999') || ' tiered customers' FROM crm_cn_pyramid_line"
     " WHERE is_current",
     "SELECT batch_count || ' batches, ' || to_char(done_count, 'FM9,999,999') || ' done, ' || state"
     " FROM crm_cn_cron_progress WHERE job = 'overdue_contacts'"),
    ("repurchase opps (1 call)", "cron_repurchase_opportunities", PYRAMID_DB,
     "SELECT to_char(count(*), 'FM9,999,999') || ' orders, ' || (SELECT count(*)"
     " FROM crm_cn_repurchase_rule) || ' rules' FROM sale_order WHERE state IN ('sale', 'done')",
     "SELECT batch_count || ' batches, ' || to_char(done_count, 'FM9,999,999') || ' done, ' || state"
     " FROM crm_cn_cron_progress WHERE job = 'repurchase'"),
    ("resume batches (1 call)", "cron_resume_batches", PYRAMID_DB,
     "SELECT count(*) || ' unfinished jobs' FROM crm_cn_cron_progress WHERE state = 'running'",
     "SELECT string_agg(job || ' ' || batch_count || ' batches ' || state, ', ')"
     " FROM crm_cn_cron_progress"),
    ("customer groups", "cron_update_customer_groups", PYRAMID_DB,
     "SELECT to_char(count(*), 'FM9,999,999') || ' partners' FROM res_partner", None),
    ("goals", "cron_goal_measure", PYRAMID_DB,
     "SELECT count(*) || ' goals' FROM crm_cn_goal", None),
    ("dealer offers timeout", "cron_lead_forward_timeout", PYRAMID_DB,
     "SELECT count(*) || ' offers' FROM crm_cn_lead_forward", None),
    ("deal registrations ending", "ir_cron_deal_registration_expire", PYRAMID_DB,
     "SELECT count(*) || ' registrations' FROM crm_cn_deal_registration", None),
    ("export clean-up", "cron_delete_old_exports", PYRAMID_DB,
     "SELECT count(*) || ' exports' FROM crm_cn_export", None),
    ("dealer scorecards", "cron_dealer_scorecard", SCORECARD_DB,
     "SELECT count(*) || ' dealers, ' || to_char((SELECT count(*) FROM crm_cn_channel_stock_report_line),"
     " 'FM9,999,999') || ' report lines' FROM res_partner WHERE cn_is_dealer AND id = commercial_partner_id",
     "SELECT to_char(count(*), 'FM9,999,999') || ' scorecards' FROM crm_cn_dealer_scorecard"),
]




def submit_stock_report(env):
    """A dealer's weekly stock report of every product it carries (2,000
    lines at full size) submitted through the XML-RPC and portal door
    (`submit_report`): checked, saved, and the dealer's positions moved."""
    env.cr.execute("""SELECT p.default_code FROM bench_products bp JOIN product_product p ON p.id = bp.id
                       WHERE bp.n <= (SELECT count(DISTINCT product_id) FROM crm_cn_channel_stock_report_line
                                       WHERE report_id = (SELECT max(id) FROM crm_cn_channel_stock_report))
                       ORDER BY bp.n""")
    lines = [{"product_code": code, "on_hand": index % 200, "sold": index % 40}
             for index, (code,) in enumerate(env.cr.fetchall())]
    env.cr.execute("SELECT id FROM bench_dealers WHERE n = 1")
    env["crm.cn.channel.stock.report"].submit_report(env.cr.fetchone()[0], str(datetime.date.today()), lines)


def propose(env, dealers, keep=False):
    """The DRP proposal wizard's button (draft orders, proposal lines, order
    lines queued for the batch job) for the first `dealers` dealers (None:
    every dealer), rolled back after unless `keep` (for the batch job's row;
    main() drops it before the next run: it would count as already coming)."""
    dealer_ids = []
    if dealers:
        env.cr.execute("SELECT id FROM bench_dealers WHERE n <= %s", [dealers])
        dealer_ids = [row[0] for row in env.cr.fetchall()]
    env["crm.cn.drp.proposal"].create({"dealer_ids": [(6, 0, dealer_ids)]}).action_propose()
    if not keep:
        env.cr.rollback()


POSITIONS_SQL = ("SELECT to_char(count(*), 'FM9,999,999') || ' positions' FROM crm_cn_channel_stock_report_line"
                 " WHERE is_latest")
PENDING_SQL = "SELECT to_char(count(*), 'FM9,999,999') || ' order lines waiting' FROM crm_cn_drp_pending_line"
# What runs in an HTTP worker, not a cron worker, at the same limits:
# (label, function(env), database, SQL describing its data, SQL describing its result)
REQUESTS = [
    ("stock report submitted (positions moved)", submit_stock_report, DRP_DB,
     "SELECT (SELECT count(*) FROM bench_dealers) || ' dealers, ' || to_char(count(*), 'FM9,999,999,999')"
     " || ' report lines' FROM crm_cn_channel_stock_report_line",
     "SELECT to_char(count(*), 'FM9,999') || ' lines in the newest report' FROM crm_cn_channel_stock_report_line"
     " WHERE report_id = (SELECT max(id) FROM crm_cn_channel_stock_report)"),
    ("DRP proposal, every dealer", lambda env: propose(env, None), DRP_DB,
     POSITIONS_SQL, None),
    ("DRP proposal, one dealer (kept)", lambda env: propose(env, 1, keep=True), DRP_DB,
     POSITIONS_SQL, PENDING_SQL),
    # then, in a cron worker: one run of the resume action adds the queued order lines in batches
    ("DRP order lines, one run of the resume action", "cron_resume_batches", DRP_DB,
     PENDING_SQL, "SELECT count(*) || ' order lines added' FROM sale_order_line l JOIN sale_order o"
     " ON o.id = l.order_id WHERE o.cn_drp_proposal AND o.state = 'draft'"),
]


def production_limits():
    """limit_time_real_cron, limit_time_real, limit_time_cpu and limit_memory_soft
    of deploy/odoo.conf.example (Odoo 11's recommended values)."""
    parser = configparser.ConfigParser(inline_comment_prefixes=(";",))
    parser.read(os.path.join(REPO, "deploy", "odoo.conf.example"))
    options = parser["options"]
    limits = {key: int(options[key]) for key in (
        "limit_time_real_cron", "limit_time_real", "limit_time_cpu", "limit_memory_soft", "limit_memory_hard")}
    if limits["limit_time_real_cron"] == -1:
        limits["limit_time_real_cron"] = limits["limit_time_real"]
    return limits


def build(args):
    """The three databases, each by its own bench's build step, when missing."""
    if not database_exists(WIN_DB) or _psql(
            "SELECT count(*) FROM crm_lead WHERE name LIKE 'Win bench closed %%'", WIN_DB) == "0":
        say("building %s (bench/win_model.py --build-only)" % WIN_DB)
        subprocess.run([sys.executable, os.path.join(BENCH, "win_model.py"), "--build-only"], check=True)
    if not database_exists(DRP_DB):
        say("building %s (bench/drp.py)" % DRP_DB)
        subprocess.run([sys.executable, os.path.join(BENCH, "drp.py"), "--runs", "1", "--no-check"], check=True)
    if not database_exists(SCORECARD_DB):
        say("building %s (bench/scorecard.py)" % SCORECARD_DB)
        subprocess.run([sys.executable, os.path.join(BENCH, "scorecard.py"), "--runs", "1"], check=True)
    import pyramid  # bench/pyramid.py: its world, under this bench's own database name
    with environment(PYRAMID_DB, commit=True) as env:
        env.cr.execute("SELECT 1 FROM res_partner WHERE name = 'Bench customer 1'")
        if not env.cr.fetchone():
            say("building %s (bench/pyramid.py's build: %d customers, %d invoice lines)" % (
                PYRAMID_DB, args.pyramid_customers, args.pyramid_lines))
            pyramid.build(env, args.pyramid_customers, args.pyramid_lines)
            pyramid.store_costs(env)
        # repurchase: a consumable cycle of a year on every bench category (once)
        env.cr.execute("""
            INSERT INTO crm_cn_repurchase_rule (categ_id, rule_type, days, active,
                                                create_uid, create_date, write_uid, write_date)
            SELECT c.id, 'cycle', 365, true, 1, now(), 1, now() FROM product_category c
             WHERE c.name LIKE 'Bench category %%'
               AND NOT EXISTS (SELECT 1 FROM crm_cn_repurchase_rule r WHERE r.categ_id = c.id)""")


def _vm_peak_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmPeak:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def run_job(job, database, limits, out):
    """In the child: load the registry, then run the job as the cron worker
    does (superuser, own cursor, commit): a cron's server action (`job`: its
    xml id) or a request's function of the environment; write the figures
    to `out`."""
    result = {}
    try:
        odoo.tools.config.parse_config(["-c", os.path.join(REPO, ".odoo", "test.conf"), "-d", database,
                                        "--log-level=warn"])
        for key, value in limits.items():
            odoo.tools.config[key] = value
        registry = odoo.registry(database)
        with api.Environment.manage():
            if not callable(job):
                with registry.cursor() as cr:
                    action_id = api.Environment(cr, SUPERUSER_ID, {}).ref(
                        "crm_cn_lifecycle." + job).ir_actions_server_id.id
                job = lambda env: env["ir.actions.server"].browse(action_id).run()  # noqa: E731
            usage = resource.getrusage(resource.RUSAGE_SELF)
            result["rss_before_mb"] = usage.ru_maxrss / 1024.0
            started, cpu = time.time(), usage.ru_utime + usage.ru_stime
            with registry.cursor() as cr:
                job(api.Environment(cr, SUPERUSER_ID, {}))
                cr.commit()
            usage = resource.getrusage(resource.RUSAGE_SELF)
            result.update(wall=time.time() - started, cpu=usage.ru_utime + usage.ru_stime - cpu)
        result["vm_peak_mb"] = _vm_peak_mb()
    except Exception as error:  # reported in the table; the bench goes on with the next job
        result["error"] = "%s: %s" % (type(error).__name__, str(error).splitlines()[0][:120] if str(error) else "")
    os.write(out, json.dumps(result).encode())
    os.close(out)


def in_child(job, database, limits, timeout):
    """Fork, run the job in the child, wait for it (killed after `timeout` s);
    the figures plus the ended child's own rusage (os.wait4)."""
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        code = 0
        try:
            run_job(job, database, limits, write_end)
        except BaseException:  # pylint: disable=broad-except
            code = 1
        os._exit(code)  # no atexit/cleanup of the parent's state in the child
    os.close(write_end)
    deadline = time.time() + timeout
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if time.time() > deadline:
            os.kill(pid, signal.SIGKILL)
            done, status, usage = os.wait4(pid, 0)
            break
        time.sleep(0.2)
    chunks = []
    while True:
        chunk = os.read(read_end, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read_end)
    result = json.loads(b"".join(chunks).decode() or "{}")
    if not result:
        result["error"] = "killed after %d s" % timeout if time.time() > deadline else "exit status %d" % status
    result["peak_rss_mb"] = usage.ru_maxrss / 1024.0
    return result


def mark(ok):
    return "\u2714" if ok else "\u2718"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", help="run only the jobs whose label starts with one of these")
    parser.add_argument("--timeout", type=int, default=900, help="kill a job after this many seconds")
    parser.add_argument("--pyramid-customers", type=int, default=100000)
    parser.add_argument("--pyramid-lines", type=int, default=2000000)
    parser.add_argument("--skip-build", action="store_true", help="the databases are there: run the jobs")
    parser.add_argument("--build-only", action="store_true", help="build the databases and stop")
    args = parser.parse_args()
    if args.build_only:
        build(args)
        return
    limits = production_limits()
    if not args.skip_build:  # in a process of its own, so the children inherit no registry
        subprocess.run([sys.executable, os.path.abspath(__file__), "--build-only",
                        "--pyramid-customers", str(args.pyramid_customers),
                        "--pyramid-lines", str(args.pyramid_lines)], check=True)
    real, cpu_limit = limits["limit_time_real_cron"], limits["limit_time_cpu"]
    memory = limits["limit_memory_soft"] / 1048576.0
    say("limits (deploy/odoo.conf.example): limit_time_real_cron %d s, limit_time_cpu %d s, "
        "limit_memory_soft %d MB; load average %s" % (real, cpu_limit, memory, _load()))
    header = "| job | data | wall s | CPU s | peak RSS MB | peak VM MB | wall ≤ %d s | CPU ≤ %d s | " \
             "memory ≤ %d MB | result |" % (real, cpu_limit, memory)
    say(header)
    say("|" + " --- |" * header.count(" |"))
    within = ran = 0
    selected = [row for row in JOBS + REQUESTS
                if not args.only or any(row[0].startswith(prefix) for prefix in args.only)]
    if any(row[2] == DRP_DB for row in selected):  # the proposal the last run kept
        _psql("DELETE FROM sale_order WHERE cn_drp_proposal AND state = 'draft'", DRP_DB)
    for label, job, database, size_sql, result_sql in selected:
        size = _psql(size_sql, database)
        figures = in_child(job, database, limits, args.timeout)
        ran += 1
        if "error" in figures:
            say("| %s | %s | | | %.0f | | | | | \u2718 %s |" % (label, size, figures["peak_rss_mb"],
                                                              figures["error"]))
            continue
        checks = (figures["wall"] <= (real if isinstance(job, str) else limits["limit_time_real"]), figures["cpu"] <= cpu_limit,
                  max(figures["peak_rss_mb"], figures["vm_peak_mb"]) <= memory)
        within += all(checks)
        outcome = _psql(result_sql, database) if result_sql else ""
        say("| %s | %s | %.1f | %.1f | %.0f | %.0f | %s | %s | %s | %s |" % (
            label, size, figures["wall"], figures["cpu"], figures["peak_rss_mb"], figures["vm_peak_mb"],
            mark(checks[0]), mark(checks[1]), mark(checks[2]), outcome))
    say("scheduled actions and requests: %d of %d within limit_time_real_cron %d s, limit_time_cpu %d s and "
        "limit_memory_soft %d MB (one call each, its own process); load average %s" % (
            within, ran, real, cpu_limit, memory, _load()))


def _load():
    return " ".join("%.2f" % value for value in os.getloadavg())


if __name__ == "__main__":
    main()
