"""The demo's forecast: quotas of the current quarter, categories set on
opportunities, calls at three levels over the last two weeks, and the
quarter screen showing them. Runs on the demo database."""
from odoo import fields
from odoo.tests.common import TransactionCase


class TestForecastCallDemo(TransactionCase):

    def ref(self, xmlid):
        return self.env.ref("crm_cn_lifecycle." + xmlid)

    def test_quotas_are_for_the_current_quarter(self):
        weeks = self.env["crm.cn.forecast.report"].quarter_weeks()
        for xmlid, amount in (("quota_sales_quarter", 520000.0), ("quota_manager_quarter", 390000.0),
                              ("quota_department_quarter", 910000.0)):
            quota = self.ref(xmlid)
            self.assertEqual((quota.quarter_start, quota.amount), (fields.Date.to_string(weeks[0].start), amount))

    def test_salespeople_set_categories(self):
        self.assertEqual(self.ref("opp_sz_oem_toner").cn_forecast_category, "commit")
        self.assertEqual(self.ref("opp_nn_store_restock").cn_forecast_category, "best_case")
        won = self.env["crm.lead"].search([("probability", "=", 100), ("type", "=", "opportunity")])
        self.assertTrue(won)
        self.assertEqual(set(won.mapped("cn_forecast_category")), {"omitted"})

    def test_calls_at_three_levels_over_two_weeks_sum_up(self):
        calls = self.env["crm.cn.forecast.call"].search([("id", "in", [self.ref(name).id for name in (
            "call_sales_last_week", "call_department_last_week", "call_company_last_week",
            "call_sales_this_week", "call_department_this_week", "call_company_this_week")])])
        self.assertEqual(len(calls), 6)
        self.assertEqual(set(calls.mapped("level")), {"user", "team", "company"})
        self.assertEqual(len(set(calls.mapped("week_start"))), 2)
        sales, team, company = (self.ref("call_%s_this_week" % name) for name in ("sales", "department", "company"))
        self.assertEqual((sales.submitted_by, team.submitted_by), (self.ref("user_sales"), self.ref("user_manager")))
        self.assertAlmostEqual(sales.commit, sales.raw_commit - 30000.0)
        self.assertAlmostEqual(team.raw_commit, sales.commit)           # the department's only caller
        self.assertAlmostEqual(team.commit, team.raw_commit + 150000.0)
        self.assertAlmostEqual(company.raw_commit, team.commit)         # the company's only team
        self.assertAlmostEqual(company.commit, company.raw_commit + 50000.0)
        self.assertTrue(all(call.adjusted and call.reason for call in sales | team | company))

    def test_the_quarter_screen_shows_quota_and_the_company_call(self):
        summary = self.env["crm.cn.forecast.quarter"].quarter_summary()
        quarter = summary["quarter"]
        company = self.ref("call_company_this_week")
        self.assertEqual(quarter["quota"], 910000.0)
        self.assertAlmostEqual(quarter["call_commit"], company.commit)
        self.assertAlmostEqual(quarter["call_gap"], 910000.0 - company.commit)
        self.assertGreater(quarter["commit"], 0)
