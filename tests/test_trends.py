"""Monthly trends: revenue, cost and margin of each month, receivables and
inventory value at each month's end, on a hand-computed world."""
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError

from .common import LifecycleCase, create_customer, create_product
from .test_receivables_world import Accounting, today_of


class TestTrends(LifecycleCase):

    @classmethod
    def setUpClass(cls):
        super(TestTrends, cls).setUpClass()
        env = cls.env
        accounting = Accounting(env)
        customer = create_customer(env, "Trend Customer")
        cls.this_month = today_of(env).replace(day=1)
        cls.two_months_ago = cls.this_month - relativedelta(months=2)
        old = accounting.invoice(customer, 500.0, (today_of(env) - cls.two_months_ago).days)
        accounting.pay(old, 300.0, (today_of(env) - (cls.this_month - relativedelta(days=1))).days)
        accounting.invoice(customer, 1000.0, 0)
        product = create_product(env, "Trend paper", cost=15.0)
        inventory = env["stock.inventory"].create({
            "name": "Trend count", "filter": "product", "product_id": product.id,
            "location_id": env.ref("stock.stock_location_stock").id})
        inventory.action_start()
        env["stock.inventory.line"].create({"inventory_id": inventory.id, "product_id": product.id,
                                            "location_id": inventory.location_id.id, "product_qty": 10.0})
        inventory.action_done()
        cls.Trend = env["crm.cn.trend.report"]

    def month(self, day):
        return self.Trend.search([("month", "=", fields.Date.to_string(day)),
                                  ("company_id", "=", self.env.user.company_id.id)])

    def test_revenue_of_each_month(self):
        self.assertEqual(self.month(self.two_months_ago).revenue, 500.0)
        self.assertEqual(self.month(self.two_months_ago + relativedelta(months=1)).revenue, 0.0)
        self.assertEqual(self.month(self.this_month).revenue, 1000.0)

    def test_receivables_at_each_month_end(self):
        self.assertEqual(self.month(self.two_months_ago).receivables, 500.0)
        self.assertEqual(self.month(self.two_months_ago + relativedelta(months=1)).receivables, 200.0)
        self.assertEqual(self.month(self.this_month).receivables, 1200.0)

    def test_inventory_value_at_month_end(self):
        self.assertEqual(self.month(self.this_month).inventory_value, 150.0)

    def test_balances_over_several_months_are_their_average(self):
        group = self.Trend.read_group([("month", ">=", fields.Date.to_string(self.two_months_ago))],
                                      ["receivables", "revenue"], [])[0]
        self.assertAlmostEqual(group["receivables"], (500.0 + 200.0 + 1200.0) / 3)
        self.assertEqual(group["revenue"], 1500.0)

    def test_salespeople_read_no_company_trends(self):
        with self.assertRaises(AccessError):
            self.Trend.sudo(self.salesperson).search([])
        self.assertTrue(self.Trend.sudo(self.accountant).search([]))
