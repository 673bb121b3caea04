"""Each scheduled action of crm_cn_lifecycle, run by the cron worker of a
server in Odoo's multi-process mode, within the cron time limit.

Usage: prod_crons.py BASE_URL DB SERVER_LOG CONF
(scripts/prod_check.sh calls it while its server runs.) Over XML-RPC as the
administrator: make every action of the addon due (nextcall in the past),
wait until the cron worker has run each (its nextcall moved on), check each
one's effect in the database, and that each took less than the configuration's
limit_time_real_cron. Then (on make test's throwaway database, or with
CN_KILL_TEST=1) kill -9 the cron worker in the middle of a repurchase job of 40
one-opportunity batches: the respawned worker resumes it and every due order
has exactly one opportunity. Prints one line per check; exits 1 if one failed.
"""
import configparser
import datetime
import os
import re
import signal
import sys
import time
import xmlrpc.client

# The cron worker polls every 60-70 s, then runs the due actions one after the other.
POLL = 75
FORMAT = "%Y-%m-%d %H:%M:%S"


class Transport(xmlrpc.client.Transport):
    """XML-RPC with a timeout: a call a killed worker never answers fails instead of hanging."""

    def make_connection(self, host):
        connection = super(Transport, self).make_connection(host)
        connection.timeout = 150
        return connection


class Odoo(object):
    def __init__(self, base_url, db, login="admin", password="admin"):
        self.db, self.password = db, password
        self.uid = xmlrpc.client.ServerProxy(base_url + "/xmlrpc/2/common").authenticate(
            db, login, password, {})
        assert self.uid, "the administrator could not log in over XML-RPC"
        self.models = xmlrpc.client.ServerProxy(base_url + "/xmlrpc/2/object", allow_none=True,
                                                transport=Transport())

    def __call__(self, model, method, *args, **kwargs):
        return self.models.execute_kw(self.db, self.uid, self.password, model, method, list(args), kwargs)


def addon_crons(odoo):
    """{xml id: ir.cron record} of the addon's scheduled actions."""
    data = odoo("ir.model.data", "search_read", [("module", "=", "crm_cn_lifecycle"), ("model", "=", "ir.cron")],
                fields=["name", "res_id"])
    crons = odoo("ir.cron", "read", [row["res_id"] for row in data],
                 fields=["name", "nextcall", "active", "cron_name"])
    by_id = {cron["id"]: cron for cron in crons}
    return {row["name"]: by_id[row["res_id"]] for row in data}


def count(odoo, model, domain):
    return odoo(model, "search_count", domain)


def progress(odoo, job):
    rows = odoo("crm.cn.cron.progress", "search_read", [("job", "=", job)],
                fields=["state", "finished", "done_count"])
    return rows[0] if rows else None


def effects(started):
    """{cron xml id: (what it shows, check(odoo) -> detail or raises)}."""
    def newer(model, field="create_date", extra=()):
        def check(odoo):
            found = count(odoo, model, [(field, ">=", started)] + list(extra))
            assert found, "no %s written since %s" % (model, started)
            return "%d %s" % (found, model)
        return check

    def job_done(job, rules=None):
        def check(odoo):
            row = progress(odoo, job)
            if rules and not row and not count(odoo, rules, []):
                return "no %s: nothing to do" % rules
            assert row and row["state"] == "done" and row["finished"] >= started, \
                "job %s not done since %s: %r" % (job, started, row)
            return "job %s done, %d items" % (job, row["done_count"])
        return check

    def snapshot(odoo):
        lines = count(odoo, "crm.cn.forecast.snapshot.line", [("create_date", ">=", started)])
        if not lines and not count(odoo, "crm.lead", [("type", "=", "opportunity")]):
            return "no opportunity: nothing to snapshot"
        assert lines, "no forecast snapshot line taken since %s" % started
        return "%d snapshot lines" % lines

    def pyramid(odoo):
        lines = count(odoo, "crm.cn.pyramid.line", [("is_current", "=", True), ("write_date", ">=", started)])
        if not lines and not count(odoo, "account.invoice", [("type", "=", "out_invoice"),
                                                              ("state", "in", ["open", "paid"])]):
            return "no customer invoice: no pyramid"
        assert lines, "no current pyramid line written since %s" % started
        return "%d pyramid lines" % lines

    def goals(odoo):
        running = count(odoo, "crm.cn.goal", [("state", "=", "running")])
        measured = count(odoo, "crm.cn.goal.progress", [("create_date", ">=", started)])
        assert measured or not running, "%d running goals, no progress measured" % running
        return "%d goal progress rows" % measured

    def scorecards(odoo):
        written = count(odoo, "crm.cn.dealer.scorecard", [("write_date", ">=", started)])
        if not written and not count(odoo, "res.partner", [("cn_is_dealer", "=", True)]):
            return "no dealer: no scorecard"
        assert written, "no dealer scorecard written since %s" % started
        return "%d dealer scorecards" % written

    def none_left(model, domain, what):
        def check(odoo):
            left = count(odoo, model, domain)
            assert not left, "%d %s left" % (left, what)
            return "no %s left" % what
        return check

    def nothing(odoo):
        return ""

    return {
        "cron_win_model_train": newer("crm.cn.win.model"),
        "cron_forecast_snapshot": snapshot,
        "cron_repurchase_opportunities": job_done("repurchase", "crm.cn.repurchase.rule"),
        "cron_pyramid": pyramid,
        "cron_goal_measure": goals,
        "cron_overdue_contacts": job_done("overdue_contacts"),
        "cron_dealer_scorecard": scorecards,
        "cron_lead_forward_timeout": none_left(
            "crm.cn.lead.forward", [("state", "=", "offered"), ("deadline", "<", started)],
            "offers past their answer time"),
        "ir_cron_deal_registration_expire": none_left(
            "crm.cn.deal.registration", [("state", "=", "approved"), ("protected_until", "<", started[:10])],
            "approved registrations past their protection"),
        "cron_update_customer_groups": nothing,
        "cron_delete_old_exports": nothing,
        "cron_resume_batches": nothing,
    }


def job_starts(log_path):
    """{cron name: [start datetimes]} from the server's log (info level)."""
    starts = {}
    with open(log_path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            match = re.match(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),\d+ \d+ INFO \S+ odoo.addons.base.ir.ir_cron: "
                             r"Starting job `(.*)`\.", line)
            if match:
                starts.setdefault(match.group(2), []).append(
                    datetime.datetime.strptime(match.group(1), FORMAT))
    return starts


def cron_limit(conf_path):
    parser = configparser.ConfigParser()
    parser.read(conf_path)
    limit = int(parser.get("options", "limit_time_real_cron", fallback="-1"))
    if limit == -1:
        limit = int(parser.get("options", "limit_time_real", fallback="120"))
    return limit


def cron_worker_pid(log_path):
    with open(log_path, encoding="utf-8", errors="replace") as handle:
        pids = re.findall(r"Worker WorkerCron \((\d+)\) alive", handle.read())
    return int(pids[-1]) if pids else None


def make_due_customers(odoo, count):
    """`count` customers, each with an order confirmed 10 days ago of a category
    whose consumable cycle is 1 day: `count` repurchase opportunities due."""
    stamp = datetime.datetime.utcnow().strftime("%H%M%S")
    categ = odoo("product.category", "create", {"name": "Kill test paper %s" % stamp})
    odoo("crm.cn.repurchase.rule", "create", {"categ_id": categ, "rule_type": "cycle", "days": 1})
    # a service: confirming its orders makes no delivery (quick on a loaded machine)
    product = odoo("product.product", "create", {"name": "Kill test ream %s" % stamp, "categ_id": categ,
                                                 "type": "service", "list_price": 5.0})
    orders = []
    for number in range(count):
        partner = odoo("res.partner", "create", {"name": "Kill test customer %s-%d" % (stamp, number),
                                                 "customer": True, "is_company": True})
        orders.append(odoo("sale.order", "create", {"partner_id": partner, "order_line": [
            (0, 0, {"product_id": product, "product_uom_qty": 1, "price_unit": 5.0})]}))
    for order in orders:  # one at a time: Odoo 11 confirms several service orders wrongly
        odoo("sale.order", "action_confirm", [order])
    ago = (datetime.datetime.utcnow() - datetime.timedelta(days=10)).strftime(FORMAT)
    odoo("sale.order", "write", orders, {"confirmation_date": ago})
    return orders


def followed(odoo, orders):
    leads = odoo("crm.lead", "search_read", [("cn_previous_order_id", "in", orders), "|",
                                             ("active", "=", True), ("active", "=", False)],
                 fields=["cn_previous_order_id"])
    counts = dict.fromkeys(orders, 0)
    for lead in leads:
        counts[lead["cn_previous_order_id"][0]] += 1
    return counts


def check_kill(odoo, crons, log_path, limit, count=40):
    """kill -9 the cron worker while the repurchase job is half-way (one
    opportunity a batch): the respawned worker resumes it; every due order
    ends with exactly one opportunity, as after a clean run."""
    orders = make_due_customers(odoo, count)
    odoo("ir.config_parameter", "set_param", "crm_cn_lifecycle.cron_batch_size", "1")
    try:
        cron = crons["cron_repurchase_opportunities"]
        past = (datetime.datetime.utcnow() - datetime.timedelta(minutes=5)).strftime(FORMAT)
        odoo("ir.cron", "write", [cron["id"]], {"nextcall": past})
        deadline, killed = time.time() + POLL + limit, None
        while time.time() < deadline and killed is None:
            row = progress(odoo, "repurchase")
            done = sum(1 for value in followed(odoo, orders).values() if value)
            if row and row["state"] == "running" and 2 <= done < count:
                pid = cron_worker_pid(log_path)
                os.kill(pid, signal.SIGKILL)
                killed = (pid, done)
            elif done == count:
                raise AssertionError("the job ended before the worker could be killed")
            time.sleep(0.05)
        assert killed, "the cron worker did not start the repurchase job within %ss" % (POLL + limit)
        deadline = time.time() + 2 * POLL + limit
        while time.time() < deadline:
            row = progress(odoo, "repurchase")
            if row and row["state"] == "done":
                break
            time.sleep(1)
        counts = followed(odoo, orders)
        assert row and row["state"] == "done", "the job was not resumed after the kill: %r" % row
        assert set(counts.values()) == {1}, "after the kill, orders followed %s times" % sorted(
            set(counts.values()))
        assert cron_worker_pid(log_path) != killed[0], "no new cron worker after the kill"
        return "killed cron worker %d after %d of %d opportunities; resumed, each order followed once" % (
            killed[0], killed[1], count)
    finally:
        odoo("ir.config_parameter", "set_param", "crm_cn_lifecycle.cron_batch_size", "")


def main(base_url, db, log_path, conf_path):
    odoo = Odoo(base_url, db)
    limit = cron_limit(conf_path)
    crons = addon_crons(odoo)
    checks = effects("")
    missing = sorted(set(checks) - set(crons))
    failures = ["the addon has no scheduled action %s" % name for name in missing]
    unchecked = sorted(set(crons) - set(checks))
    failures += ["scheduled action %s has no check in scripts/prod_crons.py" % name for name in unchecked]
    started = datetime.datetime.utcnow()
    started_text = started.strftime(FORMAT)
    checks = effects(started_text)
    past = (started - datetime.timedelta(minutes=5)).strftime(FORMAT)
    odoo("ir.cron", "write", [cron["id"] for cron in crons.values()], {"nextcall": past, "active": True})
    pending = {name: cron for name, cron in crons.items() if name in checks}
    ended = {}
    deadline = time.time() + POLL + limit * len(pending)
    while pending and time.time() < deadline:
        time.sleep(1)
        rows = odoo("ir.cron", "read", [cron["id"] for cron in pending.values()], fields=["nextcall"])
        moved = {row["id"] for row in rows if row["nextcall"] > started_text}
        for name, cron in list(pending.items()):
            if cron["id"] in moved:
                ended[name] = datetime.datetime.utcnow()
                del pending[name]
    failures += ["%s was not run by the cron worker within %ss" % (name, POLL + limit * len(crons))
                 for name in sorted(pending)]
    starts = job_starts(log_path)
    for name in sorted(ended):
        cron = crons[name]
        logged = [when for when in starts.get(cron["cron_name"] or cron["name"], [])
                  if when >= started.replace(microsecond=0)]
        # the log is in the server's local time zone: measure from its start if it is ours
        took = (ended[name] - logged[-1]).total_seconds() if logged and logged[-1] <= ended[name] else None
        try:
            detail = checks[name](odoo)
        except AssertionError as error:
            failures.append("%s: %s" % (name, error))
            continue
        if took is not None and took > limit:
            failures.append("%s took %.0fs, over limit_time_real_cron (%ss)" % (name, took, limit))
            continue
        print("ok   cron worker ran %s%s%s" % (
            name, " in %.1fs" % took if took is not None else "", " (%s)" % detail if detail else ""))
    # The kill test adds 40 customers and orders: on the throwaway databases of
    # `make test` only (cncl_test*), or where CN_KILL_TEST=1 asks for it.
    if os.environ.get("CN_KILL_TEST", "1" if db.startswith("cncl_test") else "0") == "1":
        try:
            print("ok   %s" % check_kill(odoo, crons, log_path, limit))
        except Exception as error:  # pylint: disable=broad-except
            failures.append("kill -9 of the cron worker mid-job: %s" % error)
    else:
        print("--   kill -9 of the cron worker mid-job: skipped on %s (CN_KILL_TEST=1 runs it)" % db)
    for failure in failures:
        print("FAIL %s" % failure)
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 5:
        raise SystemExit(__doc__)
    sys.exit(main(*sys.argv[1:]))
