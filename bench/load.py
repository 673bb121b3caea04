#!/usr/bin/env python
"""Load bench: the addon's pages under many users at once, served by Odoo's
multi-process server (deploy/odoo.conf.example through scripts/env.sh's
prod_conf, as scripts/prod_check.sh serves it: HTTP workers, a cron worker,
the recommended limits), against Odoo's own comparable pages in the same run.

For each number of clients (`--clients 20,50`), that many real logged-in
sessions run together for `--seconds`, each waiting a random think time
(mean `--think` s) between two requests:

- dealers (60 % of the clients, one portal user each): portal home /my (with
  the account figures), tickets /my/tickets, estimates /my/channel_stock, the
  stock-report form /my/stock_reports/new and its submission (a CSRF-checked
  POST whose on-hand quantity is a marker unique to that submission), and
  Odoo's own /my/orders;
- salespeople (40 %): the pipeline list over JSON-RPC
  (/web/dataset/search_read on crm.lead with the fields of the list view as the
  addon extends it: win probability, credit badges), the opportunity form
  (read of the form view's fields), the forecast pivot (read_group on
  crm.cn.forecast.report by week and team), and Odoo's own pipeline list (the
  same search_read with only the stock crm list view's fields).

Printed per page: requests, p50, p95 and errors (any non-200 answer, a page
that is not the expected one, a JSON-RPC error, a timeout); the submissions
lost (answered as saved, not stored) and duplicated (stored more than once),
counted from the stored report lines afterwards; the load average; and the
closing line

    load, <N> clients: our p95 <a> s vs Odoo's <b> s = ratio <r>x

(goals: 0 errors, 0 lost, 0 duplicated, ratio <= 1.5x). Exits 1 on any error,
lost or duplicated submission.

    .venv/bin/python bench/load.py [--clients 20,50] [--seconds 60] [--think 1.0]
        [--dealers 150] [--salespeople 20] [--opportunities 3000] [--workers N]
        [--db NAME] [--port 8095] [--longpolling-port 8096] [--rebuild]

Database: cncl_bench_load (the addon without demo, then the dealers with
their portal users, orders, tickets and a first stock report, products,
salespeople and opportunities; built once, reused after). Every scheduled
action of the addon is made due before the server starts, so its cron
worker runs them all during the run, as on a new installation; an ERROR in
the server's log (a worker killed past its limit) fails the bench.
"""
import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import REPO, _psql, database_exists, drop_database, environment, say  # noqa: E402

DB = "cncl_bench_load"
PASSWORD = "load-bench-2026"
DEALER_LOGIN = "load_dealer_%04d"
SALES_LOGIN = "load_sales_%02d"
PRODUCTS = 200
TIMEOUT = 120  # seconds: Odoo's limit_time_real in the example configuration
START_TIMEOUT = 240

OURS, ODOOS = "ours", "Odoo's"
PAGES = [  # (key, whose, label)
    ("home", OURS, "portal home /my"),
    ("tickets", OURS, "portal tickets /my/tickets"),
    ("estimates", OURS, "portal estimates /my/channel_stock"),
    ("report_form", OURS, "stock report form /my/stock_reports/new"),
    ("report_post", OURS, "stock report submission (POST)"),
    ("pipeline", OURS, "pipeline list (badges, win probability)"),
    ("form", OURS, "opportunity form read"),
    ("pivot", OURS, "forecast pivot read_group"),
    ("orders", ODOOS, "Odoo portal orders /my/orders"),
    ("pipeline_stock", ODOOS, "Odoo pipeline list (stock crm fields)"),
]


# --- the bench data -----------------------------------------------------------------

def build(env, dealers, salespeople, opportunities):
    """Products, salespeople, dealers (company, contact, portal user, two
    confirmed orders, a ticket, a first stock report) and opportunities."""
    started = time.time()
    db = env.cr.dbname
    env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True,
                           mail_notrack=True, no_reset_password=True))
    say("building %s: %d products, %d salespeople, %d dealers, %d opportunities"
        % (db, PRODUCTS, salespeople, dealers, opportunities))
    # Resumable: what earlier (interrupted) builds committed is kept.
    products = env["product.product"].search([("default_code", "=like", "LB-%")], order="default_code")
    for index in range(len(products), PRODUCTS):
        products |= products.create({
            "name": "Load bench product %03d" % index, "default_code": "LB-%03d" % index,
            "type": "product", "list_price": 10 + index, "standard_price": 6 + index})
    sales_group = [env.ref("base.group_user").id, env.ref("crm_cn_lifecycle.group_user").id]
    users = env["res.users"].search([("login", "=like", "load_sales_%")], order="login")
    for index in range(len(users), salespeople):
        users |= users.create({"name": "Load bench salesperson %02d" % index,
                               "login": SALES_LOGIN % index, "email": "%s@example.com" % (SALES_LOGIN % index),
                               "groups_id": [(6, 0, sales_group)]})
    env.cr.commit()
    portal = env.ref("base.group_portal").id
    Partner, Ticket = env["res.partner"], env["helpdesk.ticket"]
    Order, Report = env["sale.order"], env["crm.cn.channel.stock.report"]
    done = Partner.search_count([("name", "=like", "Load bench dealer ____"), ("is_company", "=", True)])
    for index in range(done, dealers):
        salesperson = users[index % salespeople]
        dealer = Partner.create({"name": "Load bench dealer %04d" % index, "is_company": True,
                                 "customer": True, "cn_customer_class": "dealer",
                                 "user_id": salesperson.id})
        contact = Partner.create({"name": "Load bench dealer %04d contact" % index, "parent_id": dealer.id,
                                  "email": "%s@example.com" % (DEALER_LOGIN % index)})
        users.create({"login": DEALER_LOGIN % index, "partner_id": contact.id,
                      "groups_id": [(6, 0, [portal])]})
        for number in range(2):
            product = products[(index + number) % PRODUCTS]
            Order.create({"partner_id": dealer.id, "user_id": salesperson.id, "order_line": [
                (0, 0, {"product_id": product.id, "product_uom_qty": 10 + number, "price_unit": 20.0})]})
        Ticket.create({"name": "Load bench ticket %04d" % index, "description": "Paper jam",
                       "partner_id": contact.id})
        Report.submit_report(dealer.id, time.strftime("%Y-%m-%d", time.gmtime(time.time() - 7 * 86400)), [
            {"product_code": "LB-%03d" % ((index + shift) % PRODUCTS), "on_hand": 50, "sold": 5}
            for shift in range(3)])
        if index % 25 == 24:
            env.cr.commit()
            say("  %d dealers (%.0f s)" % (index + 1, time.time() - started))
    dealer_ids = Partner.search([("name", "=like", "Load bench dealer ____"), ("is_company", "=", True)]).ids
    order_ids = Order.search([("partner_id", "in", dealer_ids), ("state", "=", "draft")]).ids or [0]
    # Confirmed orders as /my/orders lists them (state sale, the dealer
    # following), without the deliveries a confirmation would make.
    cr = env.cr
    cr.execute("UPDATE sale_order SET state = 'sale', confirmation_date = now() WHERE id IN %s",
               [tuple(order_ids)])
    cr.execute("""
        INSERT INTO mail_followers (res_model, res_id, partner_id)
        SELECT 'sale.order', so.id, so.partner_id FROM sale_order so WHERE so.id IN %s
        ON CONFLICT DO NOTHING""", [tuple(order_ids)])
    cr.execute("DELETE FROM crm_lead WHERE name LIKE 'Load bench opportunity %'")
    stages = env["crm.stage"].search([("probability", "<", 100)]).ids
    cr.execute("""
        INSERT INTO crm_lead (name, type, active, partner_id, user_id, team_id, stage_id, probability,
                              planned_revenue, date_deadline, company_id, create_date, write_date)
        SELECT 'Load bench opportunity ' || g, 'opportunity', true, d.id, d.user_id,
               (SELECT id FROM crm_team ORDER BY id LIMIT 1), s.id, 10 + g %% 80, 1000 + (g * 53) %% 90000,
               current_date + (g %% 150) - 30, 1, now() - (g %% 90) * interval '1 day', now()
          FROM generate_series(1, %s) g
          JOIN (SELECT id, user_id, row_number() OVER (ORDER BY id) AS n FROM res_partner
                 WHERE id IN %s) d ON d.n = 1 + g %% %s
          JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM crm_stage WHERE id IN %s) s
            ON s.n = 1 + g %% %s""",
               [opportunities, tuple(dealer_ids), len(dealer_ids), tuple(stages), len(stages)])
    cr.execute("""INSERT INTO crm_cn_win_score (id, probability, factors)
                  SELECT id, (id * 7) % 100, '' FROM crm_lead WHERE name LIKE 'Load bench opportunity %'
                  ON CONFLICT DO NOTHING""")
    # One password for all: hashed once, copied to every bench user.
    first = env["res.users"].search([("login", "=", SALES_LOGIN % 0)])
    first.write({"password": PASSWORD})
    cr.execute("""UPDATE res_users SET password_crypt = (SELECT password_crypt FROM res_users WHERE id = %s)
                   WHERE login LIKE 'load\\_%%'""", [first.id])
    cr.execute("ANALYZE")
    say("built in %.0f s" % (time.time() - started))


def view_fields(env):
    """The fields the web client reads: the pipeline list as the addon extends
    it, the stock crm list view (its own arch) and the opportunity form."""
    Lead = env["crm.lead"]
    tree = env.ref("crm.crm_case_tree_view_oppor")
    ours = sorted(Lead.fields_view_get(view_id=tree.id, view_type="tree")["fields"])
    stock = sorted(set(re.findall(r'<field name="([^"]+)"', tree.arch_db)))
    form = env.ref("crm.crm_case_form_view_oppor")
    form_fields = sorted(Lead.fields_view_get(view_id=form.id, view_type="form")["fields"])
    pivot_measures = list(env["crm.cn.forecast.report"].MEASURES)
    for field in ("cn_win_probability", "cn_credit_alert", "cn_worst_bucket"):
        assert field in ours, "the pipeline list does not read %s" % field
    return {"ours": ours, "stock": stock, "form": form_fields, "measures": pivot_measures}


def bench_ids(db):
    """Opportunity ids per salesperson login (for the form reads)."""
    rows = _psql("""SELECT u.login, string_agg(l.id::text, ',') FROM crm_lead l JOIN res_users u ON u.id = l.user_id
                     WHERE l.name LIKE 'Load bench opportunity %%' AND u.login LIKE 'load\\_sales\\_%%'
                     GROUP BY u.login""".replace("%%", "%"), db)
    return {login: [int(i) for i in ids.split(",")] for login, ids in
            (line.split("|") for line in rows.splitlines() if line)}


# --- the server ----------------------------------------------------------------------

class Server:
    """odoo-bin with the production configuration on the bench database."""

    def __init__(self, db, port, longpolling_port, workers):
        self.url = "http://127.0.0.1:%d" % port
        state = os.path.join(REPO, ".odoo")
        os.makedirs(os.path.join(state, "test-logs"), exist_ok=True)
        self.conf = os.path.join(state, "load-%s.conf" % db)
        self.log = os.path.join(state, "test-logs", "load-server.log")
        subprocess.run(["bash", "-c", 'source "$0/scripts/env.sh" && prod_conf "$@"', REPO, self.conf, db,
                        str(port), str(longpolling_port), str(workers or "")], check=True)
        for taken in (port, longpolling_port):
            try:
                requests.get("http://127.0.0.1:%d/" % taken, timeout=2)
            except requests.ConnectionError:
                continue
            raise SystemExit("port %d is taken: the load bench needs it" % taken)
        # every scheduled action of the addon due, as on a new installation: the
        # cron worker runs them during the run, within its limit (models/ir_cron.py)
        _psql("UPDATE ir_cron SET nextcall = (now() at time zone 'UTC') - interval '1 minute'"
              " WHERE id IN (SELECT res_id FROM ir_model_data WHERE module = 'crm_cn_lifecycle'"
              " AND model = 'ir.cron')", db)
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                [sys.executable, os.path.join(REPO, "scripts", "odoo-bin"), "-c", self.conf, "-d", db],
                stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, ODOO_PRELOAD_ADDONS="no"))
        deadline = time.time() + START_TIMEOUT
        while True:
            try:
                if requests.get(self.url + "/web/login", timeout=TIMEOUT).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if self.process.poll() is not None or time.time() > deadline:
                self.stop()
                raise SystemExit("the server did not answer /web/login (log: %s)" % self.log)
            time.sleep(1)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def errors_logged(self):
        with open(self.log, encoding="utf-8", errors="replace") as handle:
            return [line.rstrip() for line in handle
                    if re.match(r"^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ", line)]


# --- the clients ---------------------------------------------------------------------

class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.errors = defaultdict(list)
        self.submissions = {}  # marker -> answered as saved

    def add(self, key, seconds, error=None):
        with self.lock:
            self.times[key].append(seconds)
            if error:
                self.errors[key].append(error)


def login(url, user):
    """A session logged in through Odoo's login form (with its CSRF token)."""
    session = requests.Session()
    page = session.get(url + "/web/login", timeout=TIMEOUT).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    session.post(url + "/web/login", timeout=TIMEOUT,
                 data={"login": user, "password": PASSWORD, "csrf_token": token, "redirect": "/my"})
    info = session.post(url + "/web/session/get_session_info", json={"jsonrpc": "2.0", "params": {}},
                        timeout=TIMEOUT).json().get("result") or {}
    if not info.get("uid"):
        raise SystemExit("%s could not log in" % user)
    return session


class Client(threading.Thread):

    def __init__(self, number, session, url, stats, stop_at, think):
        super(Client, self).__init__(daemon=True)
        self.number, self.session, self.url = number, session, url
        self.stats, self.stop_at, self.think = stats, stop_at, think
        self.random = random.Random(number)
        self.sequence = 0

    def actions(self):
        raise NotImplementedError

    def run(self):
        actions = self.actions()
        step = self.random.randrange(len(actions))
        while time.time() < self.stop_at:
            time.sleep(self.random.uniform(0, 2 * self.think))
            if time.time() >= self.stop_at:
                break
            actions[step % len(actions)]()
            step += 1

    def timed(self, key, call, check):
        started = time.time()
        try:
            response = call()
            error = check(response)
        except requests.RequestException as exception:
            response, error = None, "%s: %s" % (type(exception).__name__, exception)
        self.stats.add(key, time.time() - started, error)
        return response, error


class Dealer(Client):

    def actions(self):
        return [lambda: self.page("home", "/my", "o_portal_my_home"),
                lambda: self.page("tickets", "/my/tickets", "/my/ticket/"),
                lambda: self.page("estimates", "/my/channel_stock", "o_cn_channel_stock"),
                self.submit,
                lambda: self.page("orders", "/my/orders", "/my/orders/")]

    def page(self, key, path, expected):
        def check(response):
            if response.status_code != 200:
                return "%s answered %s" % (path, response.status_code)
            if "/web/login" in response.url or expected not in response.text:
                return "%s is not the expected page (%s)" % (path, response.url)
            return None
        return self.timed(key, lambda: self.session.get(self.url + path, timeout=TIMEOUT), check)

    def submit(self):
        form, error = self.page("report_form", "/my/stock_reports/new", 'name="csrf_token"')
        if error:
            return
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        self.sequence += 1
        marker = self.number * 100000 + self.sequence
        self.stats.submissions[marker] = False
        data = {"csrf_token": token, "date": time.strftime("%Y-%m-%d", time.gmtime()),
                "product_code_0": "LB-%03d" % self.random.randrange(PRODUCTS), "on_hand_0": str(marker),
                "sold_0": str(self.random.randrange(20))}

        def check(response):
            location = response.headers.get("Location", "")
            if response.status_code not in (301, 302, 303) or not re.search(r"/my/stock_reports/\d+$", location):
                return "submission answered %s %s" % (response.status_code, location or response.text[-300:])
            self.stats.submissions[marker] = True
            return None
        self.timed("report_post", lambda: self.session.post(self.url + "/my/stock_reports/new", data=data,
                                                            timeout=TIMEOUT, allow_redirects=False), check)


class Salesperson(Client):

    def __init__(self, number, session, url, stats, stop_at, think, fields, lead_ids):
        super(Salesperson, self).__init__(number, session, url, stats, stop_at, think)
        self.fields, self.lead_ids = fields, lead_ids

    def actions(self):
        return [lambda: self.list("pipeline", self.fields["ours"]),
                self.form,
                self.pivot,
                lambda: self.list("pipeline_stock", self.fields["stock"])]

    def rpc(self, key, path, params, check_result):
        def check(response):
            if response.status_code != 200:
                return "%s answered %s" % (path, response.status_code)
            body = response.json()
            if "error" in body:
                return "%s: %s" % (path, json.dumps(body["error"])[:300])
            return check_result(body["result"])
        payload = {"jsonrpc": "2.0", "method": "call", "id": self.random.randrange(10 ** 9), "params": params}
        return self.timed(key, lambda: self.session.post(self.url + path, json=payload, timeout=TIMEOUT), check)

    def list(self, key, fields):
        self.rpc(key, "/web/dataset/search_read", {
            "model": "crm.lead", "fields": fields, "domain": [("type", "=", "opportunity")],
            "context": {"lang": "en_US", "default_type": "opportunity"}, "offset": 0, "limit": 80, "sort": ""},
            lambda result: None if result["records"] else "the pipeline list is empty")

    def form(self):
        lead_id = self.random.choice(self.lead_ids)
        self.rpc("form", "/web/dataset/call_kw/crm.lead/read", {
            "model": "crm.lead", "method": "read", "args": [[lead_id], self.fields["form"]],
            "kwargs": {"context": {"lang": "en_US", "bin_size": True}}},
            lambda result: None if len(result) == 1 else "opportunity %s not read" % lead_id)

    def pivot(self):
        self.rpc("pivot", "/web/dataset/call_kw/crm.cn.forecast.report/read_group", {
            "model": "crm.cn.forecast.report", "method": "read_group", "args": [],
            "kwargs": {"domain": [], "fields": self.fields["measures"] + ["week_start", "team_id"], "groupby": ["week_start:week", "team_id"],
                       "lazy": False, "context": {"lang": "en_US"}}},
            lambda result: None if isinstance(result, list) else "no pivot rows")


# --- the run -------------------------------------------------------------------------

def percentile(values, share):
    values = sorted(values)
    if not values:
        return 0.0
    return values[min(len(values) - 1, int(round(share * (len(values) - 1))))]


def stored_markers(db, after_line_id):
    rows = _psql("""SELECT l.on_hand_qty::bigint, count(*) FROM crm_cn_channel_stock_report_line l
                     JOIN crm_cn_channel_stock_report r ON r.id = l.report_id
                     JOIN res_partner p ON p.id = r.dealer_id
                    WHERE l.id > %d AND p.name LIKE 'Load bench dealer %%' GROUP BY 1""" % after_line_id, db)
    return {int(marker): int(count) for marker, count in (line.split("|") for line in rows.splitlines() if line)}


def run_phase(server, db, clients, seconds, think, sessions, fields, lead_ids):
    dealers = max(1, int(round(clients * 0.6)))
    sales = clients - dealers
    last_line = int(_psql("SELECT COALESCE(max(id), 0) FROM crm_cn_channel_stock_report_line", db))
    stats = Stats()
    stop_at = time.time() + seconds
    threads = [Dealer(index, sessions["dealers"][index], server.url, stats, stop_at, think)
               for index in range(dealers)]
    threads += [Salesperson(index, sessions["sales"][index][1], server.url, stats, stop_at, think, fields,
                            lead_ids[sessions["sales"][index][0]]) for index in range(sales)]
    say("load, %d clients (%d dealers, %d salespeople) for %d s" % (clients, dealers, sales, seconds))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    load = os.getloadavg()
    stored = stored_markers(db, last_line)
    saved = [marker for marker, ok in stats.submissions.items() if ok]
    lost = [marker for marker in saved if not stored.get(marker)]
    duplicated = [marker for marker, count in stored.items() if count > 1]
    say("  %-44s %8s %8s %8s %7s" % ("page", "requests", "p50 s", "p95 s", "errors"))
    for key, _whose, label in PAGES:
        times = stats.times.get(key, [])
        say("  %-44s %8d %8.3f %8.3f %7d" % (label, len(times), percentile(times, 0.5),
                                             percentile(times, 0.95), len(stats.errors.get(key, []))))
    errors = [error for key in stats.errors for error in stats.errors[key]]
    for error in sorted(set(errors))[:10]:
        say("  error: %s" % error)
    say("  submissions: %d sent, %d answered as saved, %d stored, %d lost, %d duplicated"
        % (len(stats.submissions), len(saved), sum(1 for m in stats.submissions if stored.get(m)),
           len(lost), len(duplicated)))
    say("  load average: %.2f %.2f %.2f (%d cores)" % (load + (os.cpu_count(),)))
    pooled = {whose: [t for key, owner, _label in PAGES if owner == whose for t in stats.times.get(key, [])]
              for whose in (OURS, ODOOS)}
    for what, ours, theirs in (("portal", ("home", "tickets", "estimates", "report_form", "report_post"),
                                ("orders",)), ("pipeline list", ("pipeline",), ("pipeline_stock",))):
        a = percentile([t for key in ours for t in stats.times.get(key, [])], 0.95)
        b = percentile([t for key in theirs for t in stats.times.get(key, [])], 0.95)
        say("  %s: our p95 %.3f s vs Odoo's %.3f s = ratio %.2fx" % (what, a, b, a / b if b else float("inf")))
    ours, theirs = percentile(pooled[OURS], 0.95), percentile(pooled[ODOOS], 0.95)
    say("load, %d clients: our p95 %.2f s vs Odoo's %.2f s = ratio %.2fx"
        % (clients, ours, theirs, ours / theirs if theirs else float("inf")))
    return len(errors), len(lost), len(duplicated)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", default="20,50", help="comma-separated numbers of concurrent clients")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--think", type=float, default=1.0, help="mean think time between requests (s)")
    parser.add_argument("--dealers", type=int, default=150)
    parser.add_argument("--salespeople", type=int, default=20)
    parser.add_argument("--opportunities", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=0, help="HTTP workers (default: the example's)")
    parser.add_argument("--db", default=DB)
    parser.add_argument("--port", type=int, default=8095)
    parser.add_argument("--longpolling-port", type=int, default=8096)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    phases = [int(n) for n in args.clients.split(",")]
    dealers_needed = max(int(round(n * 0.6)) for n in phases)
    sales_needed = max(n - max(1, int(round(n * 0.6))) for n in phases)
    if dealers_needed > args.dealers or sales_needed > args.salespeople:
        raise SystemExit("%s clients need %d dealers and %d salespeople"
                         % (max(phases), dealers_needed, sales_needed))
    if args.rebuild:
        drop_database(args.db)
    built = database_exists(args.db) and _psql(
        "SELECT count(*) > 0 FROM res_users WHERE login = '%s' AND EXISTS "
        "(SELECT 1 FROM crm_lead WHERE name LIKE 'Load bench opportunity %%')"
        % (DEALER_LOGIN % (args.dealers - 1)), args.db) == "t"
    with environment(args.db, commit=True) as env:
        if not built:
            build(env, args.dealers, args.salespeople, args.opportunities)
        fields = view_fields(env)
    lead_ids = bench_ids(args.db)
    server = Server(args.db, args.port, args.longpolling_port, args.workers)
    failures = []
    try:
        say("server up (log: %s); logging in %d dealers and %d salespeople"
            % (server.log, dealers_needed, sales_needed))
        sessions = {"dealers": [login(server.url, DEALER_LOGIN % i) for i in range(dealers_needed)],
                    "sales": [(SALES_LOGIN % i, login(server.url, SALES_LOGIN % i)) for i in range(sales_needed)]}
        for clients in phases:
            errors, lost, duplicated = run_phase(server, args.db, clients, args.seconds, args.think,
                                                 sessions, fields, lead_ids)
            if errors or lost or duplicated:
                failures.append("%d clients: %d errors, %d lost, %d duplicated"
                                % (clients, errors, lost, duplicated))
    finally:
        server.stop()
    logged = server.errors_logged()
    if logged:
        say("the server logged %d ERROR/CRITICAL lines, e.g. %s" % (len(logged), logged[0]))
        failures.append("server log errors")
    if failures:
        say("FAILED: %s" % "; ".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
