"""Goals over XML-RPC: a manager measures a goal on a date (the month's rows
replaced when measured again), a salesperson owning a step is refused."""
import xmlrpc.client

from odoo.tests.common import at_install, get_db_name, post_install

from .common import GROUP_MANAGER, GROUP_USER, LifecycleHttpCase, create_user
from .test_receivables_world import days_ago


@at_install(False)
@post_install(True)
class TestGoalsRpc(LifecycleHttpCase):

    def build_world(self):
        env = self.env
        self.manager = create_user(env, "rpc_goal_manager", ["base.group_user", GROUP_MANAGER])
        self.salesperson = create_user(env, "rpc_goal_sales", ["base.group_user", GROUP_USER])
        self.goal = env["crm.cn.goal"].create({
            "name": "RPC goal", "measure": "revenue", "target_percent": 10.0,
            "base_date_from": days_ago(env, 400), "base_date_to": days_ago(env, 40),
            "deadline": days_ago(env, -300),
            "step_ids": [(0, 0, {"name": "RPC step", "kpi": "converted", "target_change": 3.0,
                                 "user_id": self.salesperson.id})]})
        self.goal.action_start()

    def execute(self, user, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            get_db_name(), user.id, user.login, model, method, list(args), kwargs)

    def rows(self):
        return self.execute(self.manager, "crm.cn.goal.progress", "search_read",
                            [("goal_id", "=", self.goal.id)], fields=["date", "step_id", "value"])

    def test_manager_measures_a_month_over_xmlrpc_once(self):
        as_of = days_ago(self.env, -40)
        self.assertTrue(self.execute(self.manager, "crm.cn.goal", "action_measure", [self.goal.id],
                                     as_of=as_of))
        self.assertTrue(self.execute(self.manager, "crm.cn.goal", "action_measure", [self.goal.id],
                                     as_of=as_of))
        rows = self.rows()
        self.assertEqual(len(rows), 4)  # the start's month and the later one, goal and step each
        self.assertEqual(len({row["date"] for row in rows}), 2)

    def test_salesperson_reads_its_step_but_may_not_measure(self):
        [step] = self.execute(self.salesperson, "crm.cn.goal.step", "search_read", [],
                              fields=["name", "target_value"])
        self.assertEqual((step["name"], step["target_value"]), ("RPC step", 3.0))
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.execute(self.salesperson, "crm.cn.goal", "action_measure", [self.goal.id])
        self.assertEqual(refusal.exception.faultCode, 4)  # AccessError
