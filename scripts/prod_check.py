"""Check a server started in Odoo's multi-process mode on the demo database.

Usage: prod_check.py BASE_URL DB LONGPOLLING_PORT SERVER_LOG SESSIONS_DIR
(scripts/prod_check.sh starts the server, calls this, stops it.)
Exits 1 with the failed checks listed; prints one line per check passed.
"""
import ast
import json
import os
import re
import sys
import time
import xmlrpc.client

import requests

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
START_TIMEOUT = 120  # seconds: the server preloads the registry, a loaded CI is slow
TIMEOUT = 60


def manifest_version():
    with open(os.path.join(REPO, "crm_cn_lifecycle", "__manifest__.py"), encoding="utf-8") as handle:
        return ast.literal_eval(handle.read())["version"]


def wait_for(url):
    """The first answer of url, waiting while nothing listens (the server is starting)."""
    deadline = time.time() + START_TIMEOUT
    while True:
        try:
            return requests.get(url, timeout=TIMEOUT)
        except requests.ConnectionError:
            if time.time() > deadline:
                raise AssertionError("no answer on %s within %ss" % (url, START_TIMEOUT))
            time.sleep(1)


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def check_login_page(base_url):
    response = wait_for(base_url + "/web/login")
    check(response.status_code == 200, "/web/login answered %s" % response.status_code)
    check('name="login"' in response.text, "/web/login has no login form")


def check_workers(log_path):
    with open(log_path, encoding="utf-8", errors="replace") as handle:
        log = handle.read()
    http_workers = set(re.findall(r"Worker WorkerHTTP \((\d+)\) alive", log))
    cron_workers = set(re.findall(r"Worker WorkerCron \((\d+)\) alive", log))
    check(len(http_workers) >= 2, "expected 2 HTTP worker processes, the log shows %d" % len(http_workers))
    check(len(cron_workers) >= 1, "no cron worker process in the log")
    check("Evented Service (longpolling) running" in log, "no long-polling process in the log")
    return "%d HTTP workers, %d cron worker" % (len(http_workers), len(cron_workers))


def check_health(url, sessions_dir=None):
    response = wait_for(url)
    check(response.status_code == 200, "%s answered %s" % (url, response.status_code))
    body = json.loads(response.text)
    version = manifest_version()
    expected = {"status": "ok", "database": True, "version": version, "installed_version": version}
    check(body == expected, "%s answered %r, expected %r" % (url, body, expected))
    if sessions_dir:
        session_file = os.path.join(sessions_dir, "werkzeug_%s.sess" % response.cookies["session_id"])
        check(not os.path.exists(session_file), "a monitor's call left a session behind: %s" % session_file)


def portal_session(base_url, login):
    """A requests session logged in through Odoo's login form (with its CSRF token)."""
    session = requests.Session()
    page = session.get(base_url + "/web/login", timeout=TIMEOUT).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    session.post(base_url + "/web/login", timeout=TIMEOUT, data={
        "login": login, "password": login, "csrf_token": token, "redirect": "/my"})
    # Odoo answers the login with a page whose script follows the redirection.
    response = session.get(base_url + "/my", timeout=TIMEOUT)
    check(response.status_code == 200 and response.url.endswith("/my"),
          "%s's /my ended on %s (%s)" % (login, response.url, response.status_code))
    return session, response


def check_dealer_portal(base_url):
    session, home = portal_session(base_url, "dealer_gz")
    check("o_portal_my_home" in home.text, "/my is not the portal home")
    check("Liu Jianguo" in home.text, "/my does not show the dealer's contact")
    check("/my/stock_reports" in home.text, "/my does not link the dealer's stock reports")
    reports = session.get(base_url + "/my/stock_reports", timeout=TIMEOUT)
    check(reports.status_code == 200, "/my/stock_reports answered %s" % reports.status_code)
    orders = session.get(base_url + "/my/orders", timeout=TIMEOUT)
    check(orders.status_code == 200, "/my/orders answered %s" % orders.status_code)


def check_xmlrpc(base_url, db):
    common = xmlrpc.client.ServerProxy(base_url + "/xmlrpc/2/common")
    uid = common.authenticate(db, "cn_manager", "cn_manager", {})
    check(isinstance(uid, int) and uid > 0, "cn_manager could not log in over XML-RPC: %r" % uid)
    models = xmlrpc.client.ServerProxy(base_url + "/xmlrpc/2/object")
    leads = models.execute_kw(db, uid, "cn_manager", "crm.lead", "search_read",
                              [[("type", "=", "opportunity")]],
                              {"fields": ["name", "cn_win_probability"], "limit": 5})
    check(len(leads) == 5, "expected 5 demo opportunities over XML-RPC, got %d" % len(leads))
    check(all(0 <= lead["cn_win_probability"] <= 100 for lead in leads),
          "a win probability outside 0-100: %r" % leads)


def main(base_url, db, longpolling_port, log_path, sessions_dir):
    checks = [
        ("/web/login answers", lambda: check_login_page(base_url)),
        ("/crm_cn/health, leaving no session behind",
         lambda: check_health(base_url + "/crm_cn/health", sessions_dir)),
        ("dealer portal (dealer_gz): /my, stock reports, orders", lambda: check_dealer_portal(base_url)),
        ("XML-RPC (cn_manager): opportunities with win probability", lambda: check_xmlrpc(base_url, db)),
        # the long-polling process starts a few seconds after the workers
        ("long-polling port answers", lambda: check_health(
            "http://127.0.0.1:%s/crm_cn/health" % longpolling_port)),
        ("multi-process server", lambda: check_workers(log_path)),
    ]
    failures = 0
    for name, run in checks:
        started = time.time()
        try:
            detail = run()
        except Exception as error:  # pylint: disable=broad-except
            failures += 1
            print("FAIL %s: %s" % (name, error))
            if name == "/web/login answers":
                break  # no server: the other checks can only fail the same way
        else:
            print("ok   %s%s (%.1fs)" % (name, " (%s)" % detail if detail else "", time.time() - started))
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 6:
        raise SystemExit(__doc__)
    sys.exit(main(*sys.argv[1:]))
