"""The demo's profit goal: +20 % gross profit by the end of next year with its
four steps, started and measured at install. Runs on the demo database."""
from odoo.tests.common import TransactionCase


class TestGoalDemo(TransactionCase):

    def setUp(self):
        super(TestGoalDemo, self).setUp()
        self.goal = self.env.ref("crm_cn_lifecycle.goal_profit")

    def test_the_goal_runs_for_20_percent_more_gross_profit(self):
        goal = self.goal
        self.assertEqual((goal.state, goal.measure, len(goal.step_ids)), ("running", "gross_profit", 4))
        self.assertGreater(goal.base_value, 0)
        self.assertAlmostEqual(goal.target_value, goal.base_value * 1.2, places=2)

    def test_each_step_has_its_baseline_and_target(self):
        key = self.env.ref("crm_cn_lifecycle.goal_profit_step_key")
        self.assertGreater(key.baseline, 0)
        self.assertEqual(key.target_value, key.baseline)
        convert = self.env.ref("crm_cn_lifecycle.goal_profit_step_convert")
        self.assertEqual((convert.baseline, convert.target_value), (0.0, 5.0))
        self.assertEqual(convert.current_value, 1.0)  # Maple Office Canada's first order
        margin = self.env.ref("crm_cn_lifecycle.goal_profit_step_margin")
        self.assertAlmostEqual(margin.target_value, margin.baseline + 2.0, places=2)
        lapsed = self.env.ref("crm_cn_lifecycle.goal_profit_step_lapsed")
        self.assertGreater(lapsed.baseline, 0)
        self.assertAlmostEqual(lapsed.target_value, lapsed.baseline * 2 / 3, places=2)

    def test_a_measure_run_wrote_this_months_progress(self):
        rows = self.goal.progress_ids
        self.assertEqual(len(rows), 5)  # the goal and its four steps
        self.assertEqual(len(set(rows.mapped("date"))), 1)
        self.assertEqual(len(self.env["crm.cn.goal.curve"].search([("goal_id", "=", self.goal.id)])), 10)
