"""The landing range, what moved and the backtest over XML-RPC: a manager
reads them, a salesperson is refused another team's backtest."""
import xmlrpc.client

from odoo.tests.common import at_install, get_db_name, post_install

from .common import (GROUP_MANAGER, GROUP_USER, LifecycleHttpCase, create_customer, create_opportunity,
                     create_user)
from .test_receivables_world import days_ago


@at_install(False)
@post_install(True)
class TestForecastLandingRpc(LifecycleHttpCase):
    """One open deal of the RPC team, 1,000 at 50 % (learned and the
    salesperson's), expected today; a week ago it was 500."""

    def build_world(self):
        env = self.env
        self.manager = create_user(env, "rpc_landing_manager", ["base.group_user", GROUP_MANAGER])
        self.salesperson = create_user(env, "rpc_landing_sales", ["base.group_user", GROUP_USER])
        self.team = env["crm.team"].create({"name": "RPC landing", "member_ids": [(4, self.salesperson.id)]})
        lead = create_opportunity(env, create_customer(env, "RPC landing customer"), "RPC deal",
                                  planned_revenue=500.0, probability=50.0, date_deadline=days_ago(env, 0),
                                  team_id=self.team.id, user_id=self.salesperson.id,
                                  stage_id=env.ref("crm.stage_lead2").id)
        env["crm.cn.win.score"]._cn_write([lead.id], [50.0], [""])
        env["crm.cn.forecast.snapshot"].action_take_snapshot(days_ago(env, 7))
        lead.write({"planned_revenue": 1000.0})
        env["crm.cn.win.score"]._cn_write([lead.id], [50.0], [""])
        env["crm.cn.forecast.snapshot"].action_take_snapshot(days_ago(env, 0))

    def execute(self, user, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            get_db_name(), user.id, user.login, model, method, list(args), kwargs)

    def test_manager_reads_the_landing_range_over_xmlrpc(self):
        result = self.execute(self.manager, "crm.cn.forecast.report", "quarter_landing",
                              team_id=self.team.id)
        # nothing booked; the deal lands (slip 0, no history) half the time:
        # P(0) = 0.5 >= 0.1 and >= 0.5, so P10 = P50 = 0, P90 = 1,000
        self.assertEqual((result["booked"], result["p10"], result["p50"], result["p90"], result["expected"]),
                         (0.0, 0.0, 0.0, 1000.0, 500.0))

    def test_manager_reads_what_moved_over_xmlrpc(self):
        moved = self.execute(self.manager, "crm.cn.forecast.movement", "what_moved",
                             days_ago(self.env, 7), days_ago(self.env, 0), team_id=self.team.id)
        self.assertEqual((moved["figure_from"], moved["figure_to"]), (250.0, 500.0))
        changes = {row["movement"]: row["change"] for row in moved["waterfall"] if row["count"]}
        self.assertEqual(changes, {"amount_up": 250.0})

    def test_salesperson_is_refused_the_backtest_of_another_team(self):
        result = self.execute(self.manager, "crm.cn.forecast.report", "landing_backtest")
        self.assertIn("coverage", result)
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.execute(self.salesperson, "crm.cn.forecast.report", "landing_backtest",
                         team_id=self.team.id + 1)
        self.assertEqual(refusal.exception.faultCode, 4)  # AccessError
