"""Products to promote or to stock (weeks of cover) on a hand-computed world:
13 weeks of sales are 91 days; stock in the main warehouse."""
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError

from odoo.addons.crm_cn_lifecycle.tools.stock_cover import cover_status

from .common import LifecycleCase, create_customer, create_dealer, create_product, portal_user_of
from .test_receivables_world import Accounting

REPORT = "crm.cn.stock.cover.report"


class TestStockCover(LifecycleCase):

    @classmethod
    def setUpClass(cls):
        super(TestStockCover, cls).setUpClass()
        env = cls.env
        cls.accounting = Accounting(env)
        cls.today = fields.Date.from_string(fields.Date.context_today(env.user))
        cls.customer = create_customer(env, "Cover Customer", user_id=cls.salesperson.id)
        cls.stock = env.ref("stock.stock_location_stock")
        cls.company = env.user.company_id
        cls.company.cn_overstock_weeks = 26
        # name: (on hand, sold in the last 13 weeks)
        world = {"slow": (100.0, 26.0), "fast": (3.0, 26.0), "delayed": (5.0, 26.0),
                 "idle": (5.0, 0.0), "even": (52.0, 26.0)}
        cls.products = {}
        for name, (on_hand, sold) in world.items():
            product = create_product(env, "Cover %s" % name, taxes_id=[(6, 0, [])])
            cls.products[name] = product
            env["stock.quant"]._update_available_quantity(product, cls.stock, on_hand)
            if sold:
                cls.invoice(product, sold, 10)
        cls.invoice(cls.products["fast"], 500.0, 100)      # before the 13 weeks: not counted
        env["product.supplierinfo"].create({
            "name": create_customer(env, "Cover Supplier").id,
            "product_tmpl_id": cls.products["delayed"].product_tmpl_id.id, "delay": 21})

    @classmethod
    def invoice(cls, product, quantity, days):
        invoice = cls.env["account.invoice"].create({
            "partner_id": cls.customer.id, "type": "out_invoice",
            "journal_id": cls.accounting.sale_journal.id, "account_id": cls.accounting.receivable.id,
            "date_invoice": fields.Date.to_string(cls.today - timedelta(days=days)),
            "invoice_line_ids": [(0, 0, {
                "name": product.name, "product_id": product.id, "uom_id": product.uom_id.id,
                "account_id": cls.accounting.income.id, "quantity": quantity, "price_unit": 10.0,
                "invoice_line_tax_ids": [(6, 0, [])]})]})
        invoice.action_invoice_open()

    def row(self, name, user=None):
        Report = self.env[REPORT].sudo(user or self.env.user)
        rows = Report.search([("product_id", "=", self.products[name].id)])
        self.assertEqual(len(rows), 1, name)
        return rows

    def test_weeks_of_cover_is_stock_over_the_13_week_rate(self):
        slow = self.row("slow")
        self.assertAlmostEqual(slow.on_hand, 100.0)
        self.assertAlmostEqual(slow.sold_13_weeks, 26.0)
        self.assertAlmostEqual(slow.weekly_rate, 2.0)
        self.assertAlmostEqual(slow.weeks_of_cover, 50.0)
        self.assertAlmostEqual(self.row("fast").weeks_of_cover, 1.5)

    def test_statuses_follow_the_rules_of_the_tools(self):
        expected = {"slow": "overstock", "fast": "at_risk", "delayed": "at_risk", "idle": "overstock",
                    "even": "ok"}
        for name, status in expected.items():
            row = self.row(name)
            self.assertEqual(row.status, status, name)
            self.assertEqual(cover_status(row.on_hand, row.weekly_rate, row.lead_time_weeks,
                                          row.overstock_weeks), status, name)

    def test_lead_time_is_the_supplier_delay_else_two_weeks(self):
        self.assertAlmostEqual(self.row("delayed").lead_time_weeks, 3.0)
        self.assertAlmostEqual(self.row("fast").lead_time_weeks, 2.0)

    def test_overstock_limit_is_a_company_setting(self):
        self.company.cn_overstock_weeks = 20
        self.env[REPORT].invalidate_cache()
        self.assertEqual(self.row("even").status, "overstock")

    def test_salesperson_reads_the_lists_and_dealer_nothing(self):
        self.assertEqual(self.row("slow", self.salesperson).status, "overstock")
        dealer = portal_user_of(create_dealer(self.env, "Cover Dealer", login="cover_dealer"))
        with self.assertRaises(AccessError):
            self.env[REPORT].sudo(dealer).search([])
