"""Forecast calls and the quarter summary over XML-RPC: a salesperson submits
its own call (prefilled: booked nothing, commit 3,000, best case 1,000 more),
is refused for another; a manager reads the quarter with the call in it."""
import xmlrpc.client

from odoo import fields
from odoo.tests.common import at_install, get_db_name, post_install

from .common import GROUP_MANAGER, GROUP_USER, LifecycleHttpCase, create_customer, create_opportunity, create_user


@at_install(False)
@post_install(True)
class TestForecastCallRpc(LifecycleHttpCase):

    def build_world(self):
        env = self.env
        self.manager = create_user(env, "rpc_fc_manager", ["base.group_user", GROUP_MANAGER])
        self.salesperson = create_user(env, "rpc_fc_sales", ["base.group_user", GROUP_USER])
        self.other = create_user(env, "rpc_fc_sales2", ["base.group_user", GROUP_USER])
        self.team = env["crm.team"].create({"name": "RPC team", "member_ids": [(4, self.salesperson.id)]})
        weeks = env["crm.cn.forecast.report"].quarter_weeks()
        customer = create_customer(env, "RPC Stationery")
        for name, amount, category in (("Desks", 3000.0, "commit"), ("Chairs", 1000.0, "best_case")):
            create_opportunity(env, customer, name, planned_revenue=amount, user_id=self.salesperson.id,
                               team_id=self.team.id, cn_forecast_category=category,
                               date_deadline=fields.Date.to_string(weeks[-1].start))
        env["crm.cn.forecast.quota"].create({"user_id": self.salesperson.id, "amount": 10000.0,
                                             "quarter_start": fields.Date.to_string(weeks[0].start)})

    def execute(self, user, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(get_db_name(), user.id, user.login, model, method,
                                             list(args), kwargs)

    def test_salesperson_submits_its_call_and_the_manager_reads_the_quarter(self):
        prefill = self.execute(self.salesperson, "crm.cn.forecast.call", "prefill")
        self.assertEqual((prefill["raw_commit"], prefill["raw_best_case"]), (3000.0, 4000.0))
        call_id = self.execute(self.salesperson, "crm.cn.forecast.call", "create",
                               {"commit": 3500.0, "reason": "Desks grow to 3,500"})
        [call] = self.execute(self.salesperson, "crm.cn.forecast.call", "read", [call_id],
                              ["raw_commit", "commit", "adjusted", "submitted_by"])
        self.assertEqual((call["raw_commit"], call["commit"], call["adjusted"], call["submitted_by"][0]),
                         (3000.0, 3500.0, True, self.salesperson.id))
        summary = self.execute(self.manager, "crm.cn.forecast.quarter", "quarter_summary",
                               user_id=self.salesperson.id)
        quarter = summary["quarter"]
        self.assertEqual((quarter["quota"], quarter["commit"], quarter["best_case"], quarter["call_raw_commit"],
                          quarter["call_commit"], quarter["call_gap"]),
                         (10000.0, 3000.0, 1000.0, 3000.0, 3500.0, 6500.0))
        landing = self.execute(self.manager, "crm.cn.forecast.report", "quarter_landing",
                               user_id=self.salesperson.id)
        self.assertEqual(summary["landing"], {key: landing[key] for key in ("p10", "p50", "p90")})
        self.assertEqual(summary["weeks"][-1]["commit"], 3000.0)

    def test_salesperson_is_refused_for_another_and_may_not_edit(self):
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.execute(self.salesperson, "crm.cn.forecast.call", "create", {"user_id": self.other.id})
        self.assertIn("your own forecast call", refusal.exception.faultString)
        call_id = self.execute(self.salesperson, "crm.cn.forecast.call", "create", {})
        with self.assertRaises(xmlrpc.client.Fault):
            self.execute(self.salesperson, "crm.cn.forecast.call", "write", [call_id], {"commit": 1.0})
        with self.assertRaises(xmlrpc.client.Fault):
            self.execute(self.salesperson, "crm.cn.forecast.quota", "create",
                         {"user_id": self.salesperson.id, "amount": 1.0, "quarter_start": "2026-01-01"})
