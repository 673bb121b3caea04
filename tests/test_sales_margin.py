"""The sales and margin analysis on a hand-computed world (tests/sales_margin_world.py)."""
import base64
import xmlrpc.client

import xlrd

from odoo.exceptions import AccessError, ValidationError
from odoo.tests.common import at_install, get_db_name, post_install

from .common import (GROUP_USER, LifecycleCase, LifecycleHttpCase, create_dealer, create_user,
                     portal_user_of)
from .sales_margin_world import MarginWorld

REPORT = "crm.cn.sales.margin.report"


class TestSalesMargin(LifecycleCase):

    @classmethod
    def setUpClass(cls):
        super(TestSalesMargin, cls).setUpClass()
        cls.world = MarginWorld(cls.env, cls.salesperson, cls.other_salesperson)

    def report(self, user=None):
        return self.env[REPORT].sudo(user or self.env.user)

    def rows(self, partner, user=None):
        """(source, quantity, revenue, cost, collected) of this year's own figures of `partner`."""
        records = self.report(user).search_read(
            self.world.this_year() + [("partner_id", "=", partner.id), ("is_last_year", "=", False)],
            ["source", "quantity", "revenue", "cost", "collected"])
        return sorted((row["source"], round(row["quantity"], 2), round(row["revenue"], 2),
                       round(row["cost"], 2), round(row["collected"], 2)) for row in records)

    def by(self, groupby, user=None, domain=None):
        rows = self.report(user).summary(self.world.this_year() + (domain or []), groupby)
        return {(row[groupby][1] if isinstance(row[groupby], (list, tuple)) else row[groupby]): row
                for row in rows}

    def test_invoice_cost_comes_from_the_order_line_else_the_product_and_refunds_subtract(self):
        self.assertEqual(self.rows(self.world.direct), sorted([
            ("invoiced", 100.0, 2000.0, 1200.0, 1000.0),    # order-line cost 12, half paid
            ("invoiced", 2.0, 800.0, 360.0, 0.0),           # no order: product cost 180
            ("invoiced", -10.0, -200.0, -150.0, 0.0),       # credit note: product cost 15
        ]))

    def test_invoice_cost_is_kept_as_it_was_at_posting(self):
        self.world.shredder.standard_price = 500.0
        self.assertIn(("invoiced", 2.0, 800.0, 360.0, 0.0), self.rows(self.world.direct))
        later = self.world.invoice(self.world.direct, self.world.shredder, 1, 400.0, self.world.today,
                                   user=self.salesperson)
        self.assertEqual(later.invoice_line_ids.cn_cost, 500.0)

    def test_invoice_back_to_draft_is_costed_again_when_posted_again(self):
        invoice = self.world.invoice(self.world.direct, self.world.shredder, 1, 400.0, self.world.today,
                                     user=self.salesperson)
        line = invoice.invoice_line_ids
        self.assertEqual(line.cn_cost, 180.0)
        invoice.journal_id.update_posted = True
        invoice.action_invoice_cancel()
        invoice.action_invoice_draft()
        invoice.invalidate_cache()  # Odoo's reset to draft leaves 'open' in the cache (its report's draft mode)
        self.assertFalse(line.cn_cost)
        line.quantity = 3
        self.world.shredder.standard_price = 200.0
        invoice.action_invoice_open()
        self.assertEqual(line.cn_cost, 600.0)

    def test_only_the_system_sets_an_invoice_lines_cost(self):
        billing = create_user(self.env, "margin_billing", ["base.group_user", "account.group_account_invoice"])
        line = self.world.invoice_from_order.invoice_line_ids.sudo(billing)
        self.assertEqual(line.cn_cost, 1200.0)
        with self.assertRaises(AccessError):
            line.write({"cn_cost": 1.0})
        with self.assertRaises(AccessError):
            line.copy({"invoice_id": self.world.last_year_invoice.id, "cn_cost": 1.0})
        self.assertEqual(line.cn_cost, 1200.0)

    def test_confirmed_orders_count_what_is_not_invoiced_in_company_currency(self):
        self.assertEqual(self.rows(self.world.dealer), sorted([
            ("ordered", 3.0, 1050.0, 540.0, 0.0),
            ("ordered", 10.0, 200.0, 150.0, 0.0),           # 10 x 3 USD at 0.15; cost 2.25 USD
        ]))

    def test_brand_figures_match_the_world(self):
        brands = self.by("brand_id")
        expected = {
            "Margin Deli": {"quantity": 100.0, "revenue": 2000.0, "cost": 1200.0, "margin": 800.0,
                            "margin_rate": 40.0, "collected": 1000.0, "revenue_last_year": 1000.0,
                            "margin_last_year": 250.0, "quantity_last_year": 50.0},
            "Margin HuaFeng": {"quantity": 5.0, "revenue": 1850.0, "cost": 900.0, "margin": 950.0,
                               "margin_rate": 100.0 * 950.0 / 1850.0, "collected": 0.0,
                               "revenue_last_year": 0.0, "margin_last_year": 0.0,
                               "quantity_last_year": 0.0},
        }
        for brand, figures in expected.items():
            for name, value in figures.items():
                self.assertAlmostEqual(brands[brand][name], value, msg="%s %s" % (brand, name))

    def test_margin_rate_of_a_group_is_its_margin_over_its_revenue(self):
        # Deli's rows have rates 40, 25 and 25 %: the group's is 800 / 2000, not their average.
        for row in self.by("brand_id").values():
            expected = 100.0 * row["margin"] / row["revenue"] if row["revenue"] else 0.0
            self.assertAlmostEqual(row["margin_rate"], expected)
        self.assertAlmostEqual(self.by("brand_id")["Margin Deli"]["margin_rate"], 40.0)
        total = self.report().read_group(self.world.this_year(), ["revenue", "margin", "margin_rate"], [])
        self.assertAlmostEqual(total[0]["margin_rate"], 100.0 * 1750.0 / 3850.0)

    def test_last_years_invoice_shows_beside_this_year(self):
        year = str(self.world.today.year)
        last = str(self.world.today.year - 1)
        rows = {row["date:year"]: row for row in self.report().summary(
            [("partner_id", "=", self.world.direct.id)], "date:year")}
        self.assertAlmostEqual(rows[year]["revenue_last_year"], 1000.0)
        self.assertAlmostEqual(rows[year]["margin_last_year"], 250.0)
        self.assertAlmostEqual(rows[year]["quantity_last_year"], 50.0)
        self.assertAlmostEqual(rows[last]["revenue"], 1000.0)
        self.assertAlmostEqual(rows[last]["revenue_last_year"], 0.0)

    def test_price_bands_group_products_by_list_price(self):
        bands = self.by("price_band_id")
        self.assertAlmostEqual(bands["10-50"]["revenue"], 2000.0)
        self.assertAlmostEqual(bands["200-1000"]["revenue"], 1850.0)

    def test_rows_carry_the_customer_dimensions(self):
        row = self.report().search_read(
            [("partner_id", "=", self.world.direct.id)],
            ["customer_class", "territory_id", "state_id", "region", "user_id", "categ_id"], limit=1)[0]
        self.assertEqual(row["customer_class"], "direct")
        self.assertEqual(row["territory_id"][0], self.world.territory.id)
        self.assertEqual(row["state_id"][0], self.world.guangdong.id)
        self.assertEqual(row["region"], self.world.guangdong.cn_region)
        self.assertEqual(row["user_id"][0], self.salesperson.id)
        self.assertEqual(row["categ_id"][0], self.world.paper.categ_id.id)
        classes = self.by("customer_class")
        self.assertAlmostEqual(classes["dealer"]["revenue"], 1250.0)

    def test_salesperson_reads_only_own_customers_rows(self):
        partners = self.report(self.salesperson).search([]).mapped("partner_id")
        self.assertIn(self.world.direct, partners)
        self.assertNotIn(self.world.dealer, partners)
        self.assertEqual(set(self.by("partner_id", self.salesperson)), {"Margin Direct Co"})
        other_row = self.report().search([("partner_id", "=", self.world.dealer.id)], limit=1)
        with self.assertRaises(AccessError):
            self.report(self.salesperson).browse(other_row.id).read(["revenue"])

    def test_manager_and_accountant_read_every_customer(self):
        for user in (self.manager, self.accountant):
            self.assertLessEqual({"Margin Direct Co", "Margin Dealer Co"}, set(self.by("partner_id", user)))

    def test_dealer_reads_nothing(self):
        dealer = create_dealer(self.env, "Margin Portal Dealer", login="margin_portal")
        with self.assertRaises(AccessError):
            self.report(portal_user_of(dealer)).search([])

    def test_xlsx_export_has_a_row_per_brand(self):
        action = self.report().action_export_xlsx(self.world.this_year(), "brand_id")
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        sheet = xlrd.open_workbook(file_contents=base64.b64decode(attachment.datas)).sheet_by_index(0)
        self.assertEqual(sheet.cell_value(0, 0), "Brand")
        rows = {sheet.cell_value(row, 0): sheet.row_values(row) for row in range(1, sheet.nrows)}
        self.assertLessEqual({"Margin Deli", "Margin HuaFeng"}, set(rows))
        headers = sheet.row_values(0)
        self.assertAlmostEqual(rows["Margin Deli"][headers.index("Revenue")], 2000.0)
        self.assertAlmostEqual(rows["Margin Deli"][headers.index("Margin Rate (%)")], 40.0)

    def test_export_refuses_an_unknown_grouping(self):
        with self.assertRaises(Exception) as refusal:
            self.report().action_export_xlsx([], "no_such_field")
        self.assertIn("no_such_field", str(refusal.exception))


class TestPriceBands(LifecycleCase):

    def test_default_bands_cover_every_price_once(self):
        bands = self.env["crm.cn.price.band"].search([])
        for price, name in ((0.5, "Below 10"), (10.0, "10-50"), (199.99, "50-200"),
                            (200.0, "200-1000"), (5000.0, "1000 and Above")):
            found = bands.filtered(lambda band: band.min_price <= price and (
                not band.max_price or price < band.max_price))
            self.assertEqual(found.mapped("name"), [name], price)

    def test_overlapping_band_is_refused(self):
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.env["crm.cn.price.band"].create({"name": "30-60", "min_price": 30.0, "max_price": 60.0})

    def test_band_ending_below_its_start_is_refused(self):
        Band = self.env["crm.cn.price.band"]
        Band.search([("max_price", "=", 0)]).write({"max_price": 5000.0})
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            Band.create({"name": "upside down", "min_price": 9000.0, "max_price": 8000.0})
        band = Band.create({"name": "5000 and above", "min_price": 5000.0})
        self.assertEqual(band.max_price, 0.0)

    def test_salesperson_cannot_change_a_band(self):
        band = self.env.ref("crm_cn_lifecycle.price_band_10_50")
        with self.assertRaises(AccessError):
            band.sudo(self.salesperson).write({"max_price": 60.0})


@at_install(False)
@post_install(True)
class TestSalesMarginXmlRpc(LifecycleHttpCase):

    def build_world(self):
        self.salesperson = create_user(self.env, "margin_sales", ["base.group_user", GROUP_USER])
        other = create_user(self.env, "margin_sales2", ["base.group_user", GROUP_USER])
        self.world = MarginWorld(self.env, self.salesperson, other)
        self.dealer_user = portal_user_of(create_dealer(self.env, "Margin RPC Dealer", login="margin_rpc_dealer"))
        self.billing = create_user(self.env, "margin_rpc_billing", ["base.group_user", "account.group_account_invoice"])
        Report = self.env[REPORT]
        self.own_ids = Report.search([("partner_id", "=", self.world.direct.id)]).ids
        self.other_ids = Report.search([("partner_id", "=", self.world.dealer.id)]).ids

    def execute(self, user, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(get_db_name(), user.id, user.login, REPORT, method,
                                             list(args), kwargs)

    def test_salesperson_reads_own_customers_summary_and_is_refused_others_over_xmlrpc(self):
        rows = self.execute(self.salesperson, "summary", [], "partner_id")
        self.assertEqual([row["partner_id"][0] for row in rows], [self.world.direct.id])
        ids = self.execute(self.salesperson, "search", [])
        self.assertEqual(sorted(ids), sorted(self.own_ids))
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.execute(self.salesperson, "read", self.other_ids[:1], ["revenue"])
        self.assertIn(REPORT, refusal.exception.faultString)

    def test_dealer_reads_nothing_over_xmlrpc(self):
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.execute(self.dealer_user, "summary", [], "brand_id")
        self.assertIn(REPORT, refusal.exception.faultString)

    def test_billing_user_cannot_set_an_invoice_lines_cost_over_xmlrpc(self):
        line = self.world.invoice_from_order.invoice_line_ids
        self.xmlrpc_object.execute_kw(get_db_name(), self.billing.id, self.billing.login, "account.invoice.line",
                                      "write", [line.ids, {"name": "Paper, as billed"}])
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.xmlrpc_object.execute_kw(get_db_name(), self.billing.id, self.billing.login, "account.invoice.line",
                                          "write", [line.ids, {"cn_cost": 1.0}])
        self.assertIn("your role does not allow it", refusal.exception.faultString)
        with self.server_cursor():
            self.assertEqual((line.name, line.cn_cost), ("Paper, as billed", 1200.0),
                             "the billing user edits the line, not its cost")
