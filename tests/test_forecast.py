"""The 13-week forecast on a hand-checked world in a past quarter."""
import base64
from datetime import timedelta

import xlrd

from odoo import fields
from odoo.exceptions import AccessError

from .common import (LifecycleCase, create_customer, create_opportunity, create_order, create_product,
                     create_user)
from .test_lifecycle import deliver
from .test_receivables_world import Accounting


def day(value):
    return fields.Date.to_string(value)


class TestForecast(LifecycleCase):

    @classmethod
    def setUpClass(cls):
        super(TestForecast, cls).setUpClass()
        env = cls.env
        Report = env["crm.cn.forecast.report"]
        today = fields.Date.from_string(fields.Date.context_today(env.user))
        cls.weeks = Report.quarter_weeks(day(today - timedelta(days=120)))  # a quarter gone by
        week = cls.weeks
        cls.team = env["crm.team"].create({"name": "South China", "member_ids": [(4, cls.salesperson.id)]})
        cls.other_team = env["crm.team"].create({"name": "Export"})
        cls.categ = env["product.category"].create({"name": "Forecast paper"})
        paper = create_product(env, price=25.0, cost=10.0, categ_id=cls.categ.id,
                               invoice_policy="order", taxes_id=[(6, 0, [])])
        env["stock.quant"]._update_available_quantity(paper, env.ref("stock.stock_location_stock"), 500)
        customer = create_customer(env, "Pudong Software Park")
        owner = {"team_id": cls.team.id, "user_id": cls.salesperson.id}
        create_opportunity(env, customer, planned_revenue=10000.0, probability=40.0,
                           date_deadline=day(week[10].start + timedelta(days=2)), **owner)
        create_opportunity(env, customer, planned_revenue=2000.0, probability=50.0,
                           date_deadline=day(week[2].start), **owner)
        create_opportunity(env, customer, planned_revenue=99999.0, probability=100.0,
                           stage_id=env.ref("crm.stage_lead4").id,
                           date_deadline=day(week[2].start), **owner)   # won: no longer expected
        create_opportunity(env, customer, planned_revenue=7000.0, probability=10.0,
                           date_deadline=day(week[2].start), team_id=cls.other_team.id)
        order = create_order(env, customer, [(paper, 200, 25.0)], **owner)
        order.confirmation_date = day(week[2].start + timedelta(days=1)) + " 09:00:00"
        deliver(order)
        order.picking_ids.mapped("move_lines").write({"date": day(week[3].start + timedelta(days=2)) + " 10:00:00"})
        invoice = env["account.invoice"].browse(order.action_invoice_create())
        invoice.write({"date_invoice": day(week[4].start)})
        invoice.action_invoice_open()
        Accounting(env).pay(invoice, 3000.0, (today - week[5].start).days)
        env["crm.cn.forecast.snapshot"].action_take_snapshot(day(week[0].start))

    def table(self, user=None, domain=None):
        Report = self.env["crm.cn.forecast.report"].sudo(user or self.env.user)
        return Report.quarter_table(day(self.weeks[0].start), domain or [])

    def test_quarter_table_has_13_weeks(self):
        table = self.table()
        self.assertEqual([row["week"] for row in table], list(range(1, len(self.weeks) + 1)))
        self.assertEqual(table[0]["start"], day(self.weeks[0].start))

    def test_week_by_week_figures_match_the_world(self):
        table = self.table(domain=["|", ("team_id", "=", self.team.id), ("team_id", "=", False)])
        figures = {(row["week"], name): row[name] for row in table
                   for name in ("expected", "booked", "shipped_qty", "shipped", "invoiced", "cash")
                   if row[name]}
        self.assertEqual(figures, {
            (3, "expected"): 1000.0, (11, "expected"): 4000.0,
            (3, "booked"): 5000.0,
            (4, "shipped_qty"): 200.0, (4, "shipped"): 5000.0,
            (5, "invoiced"): 5000.0,
            (6, "cash"): 3000.0,
        })

    def test_learned_probability_is_beside_the_salespersons(self):
        opportunities = self.env["crm.lead"].search([("team_id", "=", self.team.id), ("type", "=", "opportunity"),
                                                     ("probability", "<", 100)])
        week3 = opportunities.filtered(lambda lead: lead.date_deadline == day(self.weeks[2].start))
        expected = sum(lead.planned_revenue * lead.cn_win_probability / 100.0 for lead in week3)
        row = self.table(domain=[("team_id", "=", self.team.id)])[2]
        self.assertAlmostEqual(row["expected_model"], expected)
        self.assertEqual(row["expected"], 1000.0)

    def test_quarter_table_exports_to_xlsx(self):
        action = self.env["crm.cn.forecast.report"].action_export_quarter_xlsx(day(self.weeks[0].start))
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        sheet = xlrd.open_workbook(file_contents=base64.b64decode(attachment.datas)).sheet_by_index(0)
        self.assertEqual(sheet.nrows, len(self.weeks) + 1)
        self.assertEqual(sheet.cell_value(3, 0), 3)
        booked = sheet.row_values(0).index("Orders Booked")
        self.assertEqual(sheet.cell_value(3, booked), 5000.0)

    def test_on_hand_stock_is_today(self):
        rows = self.env["crm.cn.forecast.report"].read_group(
            [("categ_id", "=", self.categ.id), ("on_hand_qty", "!=", 0)], ["on_hand_qty", "date"], ["date"])
        self.assertEqual([(row["on_hand_qty"]) for row in rows], [300.0])

    def test_salesperson_sees_own_team_forecast_only(self):
        rows = self.table(user=self.salesperson)
        self.assertEqual(sum(row["expected"] for row in rows), 5000.0)  # not Export's 700
        everything = self.table(user=self.manager)
        self.assertEqual(sum(row["expected"] for row in everything), 5700.0)

    def test_snapshot_keeps_the_forecast_and_replaces_itself_the_same_day(self):
        snapshots = self.env["crm.cn.forecast.snapshot"].search([("snapshot_date", "=", day(self.weeks[0].start))])
        self.assertEqual(sorted(snapshots.mapped("expected")), [700.0, 1000.0, 4000.0])
        self.env["crm.cn.forecast.snapshot"].action_take_snapshot(day(self.weeks[0].start))
        again = self.env["crm.cn.forecast.snapshot"].search([("snapshot_date", "=", day(self.weeks[0].start))])
        self.assertEqual(len(again), 3)

    def test_accuracy_compares_last_snapshot_with_orders_booked(self):
        rows = self.env["crm.cn.forecast.accuracy"].read_group(
            [("team_id", "=", self.team.id), ("week_start", "=", day(self.weeks[2].start))],
            ["expected", "actual", "error_rate"], [], lazy=False)
        self.assertEqual((rows[0]["expected"], rows[0]["actual"]), (1000.0, 5000.0))
        self.assertAlmostEqual(rows[0]["error_rate"], 80.0)
        mape = self.env["crm.cn.forecast.snapshot"].accuracy([("team_id", "=", self.team.id)])
        self.assertAlmostEqual(mape["South China"], 80.0)

    def test_quarter_action_opens_the_13_weeks(self):
        action = self.env["crm.cn.forecast.report"].action_open_quarter(day(self.weeks[5].start))
        self.assertEqual(action["domain"], [("date", ">=", day(self.weeks[0].start)),
                                            ("date", "<=", day(self.weeks[-1].end))])
        self.assertEqual(action["context"]["group_by"], ["week_start:day"])

    def test_salesperson_sees_own_team_snapshots_only(self):
        on_day = [("snapshot_date", "=", day(self.weeks[0].start))]
        own = self.env["crm.cn.forecast.snapshot"].sudo(self.salesperson).search(on_day)
        self.assertEqual(sorted(own.mapped("expected")), [1000.0, 4000.0])
        everything = self.env["crm.cn.forecast.snapshot"].sudo(self.manager).search(on_day)
        self.assertEqual(sorted(everything.mapped("expected")), [700.0, 1000.0, 4000.0])

    def test_salesperson_cannot_take_a_snapshot(self):
        with self.assertRaises(AccessError):
            self.env["crm.cn.forecast.snapshot"].sudo(self.salesperson).action_take_snapshot(
                day(self.weeks[0].start))
        kept = self.env["crm.cn.forecast.snapshot"].search([("snapshot_date", "=", day(self.weeks[0].start))])
        self.assertEqual(len(kept), 3)

    def test_salesperson_sees_own_team_accuracy_only(self):
        Accuracy = self.env["crm.cn.forecast.accuracy"]
        own = Accuracy.sudo(self.salesperson).search([])
        self.assertEqual(own.mapped("team_id"), self.team)
        self.assertEqual(sorted(own.mapped("expected")), [1000.0, 4000.0])
        everything = Accuracy.sudo(self.manager).search([])
        self.assertEqual(sorted(everything.mapped("expected")), [700.0, 1000.0, 4000.0])

    def test_user_outside_the_sales_groups_is_refused_the_forecast(self):
        outsider = create_user(self.env, "cn_outsider", ["base.group_user"])
        with self.assertRaises(AccessError):
            self.table(user=outsider)
        with self.assertRaises(AccessError):
            self.env["crm.cn.forecast.snapshot"].sudo(outsider).search([])
        with self.assertRaises(AccessError):
            self.env["crm.cn.forecast.accuracy"].sudo(outsider).search([])
