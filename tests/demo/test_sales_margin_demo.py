"""The demo's sales and margin analysis: Huaxin's invoices and open orders
show revenue and margin per brand and customer class, and its stocked
products are listed to promote or to stock. Runs on a database
installed with demo data, like test_demo_story.py."""
from odoo.tests.common import TransactionCase

from odoo.addons.crm_cn_lifecycle.tools.stock_cover import cover_status

REPORT = "crm.cn.sales.margin.report"


class TestSalesMarginDemo(TransactionCase):

    def demo_invoices(self):
        return self.env["account.invoice"].search([
            ("type", "in", ("out_invoice", "out_refund")), ("state", "in", ("open", "paid"))])

    def test_demo_has_posted_customer_invoices(self):
        self.assertTrue(self.demo_invoices())

    def test_margin_by_brand_shows_the_demo_brands(self):
        rows = self.env[REPORT].summary([("source", "=", "invoiced")], "brand_id")
        brands = [row for row in rows if row["brand_id"] and row["revenue"] > 0]
        self.assertGreaterEqual(len(brands), 2)
        for row in brands:
            self.assertAlmostEqual(row["margin"], row["revenue"] - row["cost"], places=2)
            self.assertAlmostEqual(row["margin_rate"], 100.0 * row["margin"] / row["revenue"], places=4)
        total = sum(row["revenue"] for row in rows)
        invoiced = sum(self.demo_invoices().mapped("amount_untaxed_signed"))
        self.assertAlmostEqual(total, invoiced, delta=1.0)

    def test_margin_by_customer_class_shows_dealers_and_direct_customers(self):
        rows = self.env[REPORT].summary([("is_last_year", "=", False)], "customer_class")
        classes = {row["customer_class"] for row in rows if row["revenue"] > 0}
        self.assertLessEqual({"dealer", "direct"}, classes)

    def test_salesperson_sees_only_own_customers_figures(self):
        sales = self.env.ref("crm_cn_lifecycle.user_sales")
        rows = self.env[REPORT].sudo(sales).search([])
        self.assertTrue(rows)
        self.assertEqual(rows.mapped("partner_id.user_id"), sales)

    def test_products_to_promote_or_stock_follow_the_cover_rules(self):
        rows = self.env["crm.cn.stock.cover.report"].search([])
        self.assertTrue(rows, "the demo's stocked products have a cover row")
        for row in rows:
            self.assertEqual(row.status, cover_status(row.on_hand, row.weekly_rate, row.lead_time_weeks,
                                                      row.overstock_weeks), row.product_id.display_name)
