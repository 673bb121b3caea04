"""Two Odoo processes on one database, as two machines in front of one PostgreSQL.

Usage: two_servers.py URL1 URL2 DB CONF
(scripts/two_servers.sh starts the two servers, calls this, stops them.)
- the same scheduled action (the win model training: each run adds a
  training record) made due and run by two cron runners at the same instant:
  it runs once (Odoo's lock on the ir_cron row, FOR UPDATE NOWAIT);
- the same portal submission (a dealer accepting its replenishment
  proposal) posted to both servers at once, several times: accepted once,
  one acceptance message, no server error.
Exits 1 with the failed checks listed.
`two_servers.py cron-runner CONF DB` is one cron runner (what a cron worker does once).
"""
import datetime
import re
import subprocess
import sys
import threading
import time
import xmlrpc.client

import requests

TIMEOUT = 120
ROUNDS = 3  # concurrent replays of the acceptance, each on both servers


def cron_runner(conf, db):
    """Process the due scheduled actions of `db` once, as a cron worker does."""
    import odoo  # pylint: disable=import-outside-toplevel
    odoo.tools.config.parse_config(["-c", conf, "--log-level=info"])
    from odoo.addons.base.ir.ir_cron import ir_cron  # pylint: disable=import-outside-toplevel
    ir_cron._acquire_job(db)


class Rpc(object):
    def __init__(self, base_url, db, login="admin", password="admin"):
        self.db, self.password = db, password
        self.uid = xmlrpc.client.ServerProxy(base_url + "/xmlrpc/2/common").authenticate(db, login, password, {})
        assert self.uid, "%s could not log in over XML-RPC" % login
        self.models = xmlrpc.client.ServerProxy(base_url + "/xmlrpc/2/object", allow_none=True)

    def __call__(self, model, method, *args, **kwargs):
        return self.models.execute_kw(self.db, self.uid, self.password, model, method, list(args), kwargs)


def check_cron_runs_once(rpc, conf, db):
    [cron_id] = [row["res_id"] for row in rpc("ir.model.data", "search_read", [
        ("module", "=", "crm_cn_lifecycle"), ("name", "=", "cron_win_model_train")], fields=["res_id"])]
    before = rpc("crm.cn.win.model", "search_count", [])
    now = datetime.datetime.utcnow()
    # only this action due: the others wait an hour
    others = rpc("ir.cron", "search", [("id", "!=", cron_id)])
    rpc("ir.cron", "write", others, {"nextcall": (now + datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")})
    rpc("ir.cron", "write", [cron_id], {"nextcall": (now - datetime.timedelta(minutes=5)).strftime(
        "%Y-%m-%d %H:%M:%S"), "active": True})
    runners = [subprocess.Popen([sys.executable, __file__, "cron-runner", conf, db], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, universal_newlines=True) for _ in range(2)]
    logs = [runner.communicate(timeout=TIMEOUT)[0] for runner in runners]
    started = [len(re.findall(r"Starting job `", log)) for log in logs]
    errors = [line for log in logs for line in log.splitlines() if re.search(r" (ERROR|CRITICAL) ", line)]
    after = rpc("crm.cn.win.model", "search_count", [])
    assert not errors, "a cron runner logged errors: %s" % errors[:3]
    assert sum(started) == 1, "the action started %s times in the two runners (expected once)" % started
    assert after == before + 1, "%d trainings were added, expected 1" % (after - before)
    nextcall = rpc("ir.cron", "read", [cron_id], fields=["nextcall"])[0]["nextcall"]
    assert nextcall > now.strftime("%Y-%m-%d %H:%M:%S"), "the action's next call did not move on"
    return "ran in runner %d only, one training added" % (started.index(1) + 1)


def dealer_session(base_url, login="dealer_gz"):
    session = requests.Session()
    page = session.get(base_url + "/web/login", timeout=TIMEOUT).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    session.post(base_url + "/web/login", timeout=TIMEOUT, data={
        "login": login, "password": login, "csrf_token": token, "redirect": "/my"})
    return session


def new_proposal(rpc):
    """A new draft replenishment proposal for the Guangzhou dealer, like the demo's."""
    [demo] = rpc("ir.model.data", "search_read", [("module", "=", "crm_cn_lifecycle"),
                                                  ("name", "=", "drp_proposal_gz")], fields=["res_id"])
    order = rpc("sale.order", "read", [demo["res_id"]], fields=["partner_id", "user_id", "order_line"])[0]
    lines = rpc("sale.order.line", "read", order["order_line"],
                fields=["product_id", "product_uom_qty", "cn_proposed_qty", "cn_pack_multiple"])
    order_id = rpc("sale.order", "create", {
        "partner_id": order["partner_id"][0], "user_id": order["user_id"] and order["user_id"][0],
        "cn_drp_proposal": True,
        "order_line": [(0, 0, {"product_id": line["product_id"][0], "product_uom_qty": line["product_uom_qty"],
                               "cn_proposed_qty": line["cn_proposed_qty"],
                               "cn_pack_multiple": line["cn_pack_multiple"]}) for line in lines]})
    # the dealer follows it, as the planner's proposals: Odoo's portal rule shows it then
    rpc("sale.order", "message_subscribe", [order_id], [order["partner_id"][0]])
    return order_id


def check_acceptance_once(rpc, urls):
    order_id = new_proposal(rpc)
    sessions = [dealer_session(url) for url in urls]
    tokens = []
    for url, session in zip(urls, sessions):
        page = session.get(url + "/my/drp_proposals", timeout=TIMEOUT)
        assert page.status_code == 200, "%s/my/drp_proposals answered %s" % (url, page.status_code)
        tokens.append(re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1))
    answers, barrier = [], threading.Barrier(2 * ROUNDS)

    def post(url, session, token):
        barrier.wait()
        response = session.post("%s/my/drp_proposals/%d/accept" % (url, order_id), timeout=TIMEOUT,
                                 data={"csrf_token": token}, allow_redirects=False)
        answers.append(response.status_code)
    threads = [threading.Thread(target=post, args=(url, session, token))
               for _ in range(ROUNDS) for url, session, token in zip(urls, sessions, tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert all(status in (200, 302, 303) for status in answers), "answers: %s" % answers
    state = rpc("sale.order", "read", [order_id], fields=["state"])[0]["state"]
    assert state == "sent", "the proposal is %s after the replays, expected accepted (sent)" % state
    # the acceptance note names the dealer's user, in the dealer's language (English or Chinese)
    [dealer] = rpc("res.users", "search_read", [("login", "=", "dealer_gz")], fields=["name"])
    messages = rpc("mail.message", "search_count", [("model", "=", "sale.order"), ("res_id", "=", order_id),
                                                     ("body", "ilike", dealer["name"])])
    assert messages == 1, "%d acceptance messages, expected 1" % messages
    return "%d concurrent POSTs on both servers: answers %s, accepted once" % (
        len(answers), sorted(answers))


def main(url1, url2, db, conf):
    rpc = Rpc(url1, db)
    checks = [
        ("the same scheduled action from two cron runners at once runs once",
         lambda: check_cron_runs_once(rpc, conf, db)),
        ("the same proposal acceptance posted to both servers at once is accepted once",
         lambda: check_acceptance_once(rpc, [url1, url2])),
    ]
    failures = 0
    for name, run in checks:
        started = time.time()
        try:
            detail = run()
        except Exception as error:  # pylint: disable=broad-except
            failures += 1
            print("FAIL %s: %s" % (name, error))
        else:
            print("ok   %s (%s) (%.1fs)" % (name, detail, time.time() - started))
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "cron-runner":
        cron_runner(sys.argv[2], sys.argv[3])
        sys.exit(0)
    if len(sys.argv) != 5:
        raise SystemExit(__doc__)
    sys.exit(main(*sys.argv[1:]))
