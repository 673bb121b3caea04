"""The demo's forecast history: past weeks for Forecast Accuracy, last week's
and this week's snapshot of every opportunity for What Moved, three past
quarters for the landing range backtest. Runs on the demo database."""
from datetime import timedelta

from odoo import fields
from odoo.tests.common import TransactionCase


class TestForecastLandingDemo(TransactionCase):

    def setUp(self):
        super(TestForecastLandingDemo, self).setUp()
        self.today = fields.Date.from_string(fields.Date.context_today(self.env.user))
        self.manager = self.env.ref("crm_cn_lifecycle.user_manager")

    def test_forecast_accuracy_opens_on_past_weeks(self):
        rows = self.env["crm.cn.forecast.accuracy"].search([])
        self.assertGreaterEqual(len(set(rows.mapped("week_start"))), 6)
        self.assertLessEqual({"cn_sales", "cn_manager"}, set(rows.mapped("user_id.login")))
        self.assertGreater(sum(rows.mapped("actual")), 0)

    def test_what_moved_shows_last_weeks_waterfall(self):
        last_week = fields.Date.to_string(self.today - timedelta(days=7))
        moved = self.env["crm.cn.forecast.movement"].sudo(self.manager).what_moved(
            last_week, fields.Date.to_string(self.today), detail=True)
        lines = {line["lead_id"]: line["movement"] for line in moved["lines"]}
        ref = self.env.ref
        self.assertEqual(lines[ref("crm_cn_lifecycle.opp_sz_oem_toner").id], "stage_forward")
        self.assertEqual(lines[ref("crm_cn_lifecycle.opp_baiyun_center_annual").id], "stage_back")
        self.assertEqual(lines[ref("crm_cn_lifecycle.opp_nn_store_restock").id], "new")
        wuhan = ref("crm_cn_lifecycle.opp_wuhan_back_to_school").id   # won 3 days ago, this quarter
        self.assertEqual(lines.get(wuhan, "won"), "won")
        self.assertIn(lines[ref("crm_cn_lifecycle.opp_bj_agent_q1").id], ("amount_up", "pulled", "slipped"))
        # the waterfall adds up: last week's figure + every change = this week's
        self.assertAlmostEqual(moved["figure_from"] + sum(row["change"] for row in moved["waterfall"]),
                               moved["figure_to"], places=2)
        action = self.env["crm.cn.forecast.movement"].sudo(self.manager).action_open()
        self.assertEqual(action["domain"], [("date_to", "=", fields.Date.to_string(self.today))])

    def test_backtest_sets_three_past_quarters_against_what_they_booked(self):
        result = self.env["crm.cn.forecast.report"].sudo(self.manager).landing_backtest()
        rows = [row for row in result["rows"] if row["source"] == "snapshot"]
        self.assertEqual(len(rows), 3)
        for row in rows:
            # three deals of 30,000 / 20,000 / 10,000 at 60 / 50 / 40 %: none won is
            # 12 % likely (P10 = booked), all three 12 % (P90 = booked + 60,000)
            self.assertEqual((row["p10"], row["p90"]), (row["booked"], row["booked"] + 60000.0))
        self.assertAlmostEqual(result["coverage"], 2.0 / 3.0)
        action = self.env["crm.cn.forecast.backtest"].sudo(self.manager).action_open()
        self.assertIn("67 %", action["name"])
