"""Dealer stock reports through the ORM and XML-RPC, and the channel stock estimate."""
import base64
import datetime
import xmlrpc.client

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests.common import at_install, get_db_name, post_install

from .common import LifecycleCase, LifecycleHttpCase, create_customer, create_dealer, create_order, \
    create_product, portal_user_of
from .test_lifecycle import deliver

from odoo.addons.crm_cn_lifecycle.tools.channel_stock import daily_sellout, estimate_stock


def days_ago(days):
    return fields.Date.to_string(datetime.date.today() - datetime.timedelta(days=days))


class ChannelWorld(LifecycleCase):

    @classmethod
    def setUpClass(cls):
        super(ChannelWorld, cls).setUpClass()
        env = cls.env
        cls.paper = create_product(env, "Copy paper A4", default_code="A4-80")
        cls.pen = create_product(env, "Gel pen blue", default_code="PEN-BL")
        # salespeople enter the reports of the dealers whose salesperson they are
        cls.dealer = create_dealer(env, "Yuexiu Stationery", login="cs_dealer", user_id=cls.salesperson.id)
        cls.other_dealer = create_dealer(env, "Futian Office", login="cs_dealer2", user_id=cls.salesperson.id)
        cls.Report = env["crm.cn.channel.stock.report"]


class TestStockReport(ChannelWorld):

    def submit(self, date, lines, dealer=None, user=None):
        return self.Report.sudo(user or self.salesperson).submit_report(
            (dealer or self.dealer).id, date, lines)

    def test_submitted_report_keeps_its_lines(self):
        report = self.Report.browse(self.submit(days_ago(7), [
            {"product_code": "A4-80", "on_hand": 100, "sold": 20},
            {"product_code": "PEN-BL", "on_hand": "1,200", "sold": 0}]))
        self.assertEqual(report.state, "submitted")
        self.assertEqual(sorted((line.product_id.default_code, line.on_hand_qty) for line in report.line_ids),
                         [("A4-80", 100.0), ("PEN-BL", 1200.0)])

    def test_bad_report_saves_nothing_and_lists_every_row(self):
        with self.assertRaises(UserError) as refusal:
            self.submit(days_ago(1), [
                {"product_code": "A4-80", "on_hand": 10, "sold": 1},
                {"product_code": "NOPE", "on_hand": 5, "sold": 1},
                {"product_code": "PEN-BL", "on_hand": -3, "sold": 1},
                {"product_code": "A4-80", "on_hand": "ten", "sold": 1}])
        message = refusal.exception.name
        self.assertIn("Row 2: unknown product code 'NOPE'", message)
        self.assertIn("Row 3: negative quantity -3", message)
        self.assertIn("Row 4: same product as row 1", message)
        self.assertIn("Row 4: 'ten' is not a quantity", message)
        self.assertFalse(self.Report.search([("dealer_id", "=", self.dealer.id)]))

    def test_future_date_and_date_before_last_report_are_refused(self):
        with self.assertRaisesRegex(UserError, "in the future"):
            self.submit(days_ago(-1), [{"product_code": "A4-80", "on_hand": 1}])
        self.submit(days_ago(3), [{"product_code": "A4-80", "on_hand": 1}])
        with self.assertRaisesRegex(UserError, "before the dealer's last report"):
            self.submit(days_ago(10), [{"product_code": "A4-80", "on_hand": 1}])

    def test_corrected_report_supersedes_the_old_one_and_history_is_kept(self):
        first = self.Report.browse(self.submit(days_ago(2), [{"product_code": "A4-80", "on_hand": 10}]))
        second = self.Report.browse(self.submit(days_ago(2), [{"product_code": "A4-80", "on_hand": 12}]))
        self.assertEqual((first.state, first.superseded_by_id), ("superseded", second))
        self.assertEqual(second.state, "submitted")
        with self.assertRaises(UserError):
            first.unlink()

    def test_correction_without_a_product_falls_back_to_its_previous_report(self):
        self.submit(days_ago(7), [{"product_code": "A4-80", "on_hand": 10}, {"product_code": "PEN-BL", "on_hand": 5}])
        self.submit(days_ago(2), [{"product_code": "A4-80", "on_hand": 8}, {"product_code": "PEN-BL", "on_hand": 3}])
        self.submit(days_ago(2), [{"product_code": "A4-80", "on_hand": 7}])
        Estimate = self.env["crm.cn.channel.stock.estimate"]
        rows = Estimate.search([("dealer_id", "=", self.dealer.id)])
        self.assertEqual(sorted((row.product_id.default_code, row.last_report_date, row.reported_qty)
                                for row in rows),
                         [("A4-80", days_ago(2), 7.0), ("PEN-BL", days_ago(7), 5.0)])
        latest = self.env["crm.cn.channel.stock.report.line"].search(
            [("dealer_id", "=", self.dealer.id), ("is_latest", "=", True)])
        self.assertEqual(len(latest), 2)

    def test_salesperson_enters_a_faxed_report_in_the_form(self):
        report = self.Report.sudo(self.salesperson).create({
            "dealer_id": self.dealer.id, "date": days_ago(1),
            "line_ids": [(0, 0, {"product_id": self.paper.id, "on_hand_qty": 5, "sold_qty": 2})]})
        self.assertEqual(report.state, "draft")
        report.action_submit()
        self.assertEqual(report.state, "submitted")

    def test_form_with_duplicate_or_negative_lines_is_not_submitted(self):
        report = self.Report.sudo(self.salesperson).create({
            "dealer_id": self.dealer.id, "date": days_ago(1),
            "line_ids": [(0, 0, {"product_id": self.paper.id, "on_hand_qty": 5}),
                         (0, 0, {"product_id": self.paper.id, "on_hand_qty": -1})]})
        with self.assertRaisesRegex(UserError, "Row 2: same product as row 1"):
            report.action_submit()
        self.assertEqual(report.state, "draft")

    def test_reports_are_for_dealer_companies_only(self):
        direct = create_customer(self.env, "Direct buyer", "direct")
        with self.assertRaises(ValidationError):
            self.Report.create({"dealer_id": direct.id, "date": days_ago(1)})

    def test_file_upload_with_gbk_encoding(self):
        data = "产品编码,库存数量,销量\nA4-80,30,5\n".encode("gbk")
        report = self.Report.browse(self.Report.sudo(self.salesperson).submit_file(
            self.dealer.id, days_ago(1), "stock.csv", base64.b64encode(data).decode()))
        self.assertEqual(report.line_ids.on_hand_qty, 30.0)

    def test_file_with_one_bad_row_saves_nothing(self):
        data = "code,stock,sold\nA4-80,30,5\nPEN-BL,-1,0\n".encode()
        with self.assertRaisesRegex(UserError, "Row 3: negative quantity -1"):
            self.Report.sudo(self.salesperson).submit_file(self.dealer.id, days_ago(1), "stock.csv", data)
        self.assertFalse(self.Report.search([("dealer_id", "=", self.dealer.id)]))

    def test_dealer_reports_own_stock_and_reads_only_its_own_reports(self):
        user = portal_user_of(self.dealer)
        mine = self.submit(days_ago(1), [{"product_code": "A4-80", "on_hand": 3}], user=user)
        theirs = self.submit(days_ago(1), [{"product_code": "A4-80", "on_hand": 9}], dealer=self.other_dealer)
        visible = self.Report.sudo(user).search([])
        self.assertEqual(visible.ids, [mine])
        with self.assertRaises(AccessError):
            self.Report.sudo(user).browse(theirs).read(["date"])
        with self.assertRaises(AccessError):
            self.Report.sudo(user).browse(theirs).line_ids.read(["on_hand_qty"])

    def test_dealer_cannot_report_for_another_dealer(self):
        with self.assertRaises(AccessError):
            self.submit(days_ago(1), [{"product_code": "A4-80", "on_hand": 3}],
                        dealer=self.other_dealer, user=portal_user_of(self.dealer))
        self.assertFalse(self.Report.search([("dealer_id", "=", self.other_dealer.id)]))

    def test_dealer_cannot_write_reports_directly(self):
        report = self.Report.browse(self.submit(days_ago(1), [{"product_code": "A4-80", "on_hand": 3}]))
        with self.assertRaises(AccessError):
            report.sudo(portal_user_of(self.dealer)).write({"state": "draft"})


class TestChannelStockEstimate(ChannelWorld):

    @classmethod
    def setUpClass(cls):
        super(TestChannelStockEstimate, cls).setUpClass()
        env = cls.env
        Report = cls.Report
        for days, on_hand, sold in ((28, 100, 0), (21, 90, 14), (14, 70, 21)):
            Report.submit_report(cls.dealer.id, days_ago(days), [
                {"product_code": "A4-80", "on_hand": on_hand, "sold": sold},
                {"product_code": "PEN-BL", "on_hand": 10, "sold": 0}])
        stock = env.ref("stock.stock_location_stock")
        env["stock.quant"]._update_available_quantity(cls.paper, stock, 100)
        cls.delivered = create_order(env, cls.dealer, [(cls.paper, 20, 25.0)])
        deliver(cls.delivered)
        cls.open_order = create_order(env, cls.dealer, [(cls.paper, 7, 25.0)])
        cls.Estimate = env["crm.cn.channel.stock.estimate"]

    def row(self, product, dealer=None):
        return self.Estimate.search([("dealer_id", "=", (dealer or self.dealer).id),
                                     ("product_id", "=", product.id)])

    def test_estimate_matches_the_tool(self):
        today = datetime.date.today()
        rate = daily_sellout([(today - datetime.timedelta(days=d), s) for d, s in ((28, 0), (21, 14), (14, 21))])
        expected = estimate_stock(70, today - datetime.timedelta(days=14), 20, rate, today)
        row = self.row(self.paper)
        self.assertAlmostEqual(row.daily_sellout, 2.5)
        self.assertEqual(row.reported_qty, 70)
        self.assertEqual(row.delivered_qty, 20)
        self.assertAlmostEqual(row.estimated_qty, expected.stock)
        self.assertAlmostEqual(row.weeks_of_cover, expected.weeks_of_cover)
        self.assertEqual(row.stockout_date, fields.Date.to_string(expected.stockout_date))
        self.assertEqual(row.days_since_report, 14)
        self.assertFalse(row.stale)

    def test_open_orders_are_shown_beside_the_estimate(self):
        self.assertEqual(self.row(self.paper).open_order_qty, 7)
        self.assertEqual(self.row(self.pen).open_order_qty, 0)

    def test_product_without_sell_out_keeps_its_stock(self):
        row = self.row(self.pen)
        self.assertEqual((row.estimated_qty, row.daily_sellout, row.weeks_of_cover), (10, 0, 0))

    def test_estimate_adds_up_per_dealer_in_the_pivot(self):
        groups = self.Estimate.read_group([("dealer_id", "=", self.dealer.id)],
                                          ["dealer_id", "estimated_qty", "open_order_qty"], ["dealer_id"])
        self.assertAlmostEqual(groups[0]["estimated_qty"], self.row(self.paper).estimated_qty + 10)

    def test_dealer_sees_only_its_own_estimate(self):
        self.Report.submit_report(self.other_dealer.id, days_ago(1), [{"product_code": "A4-80", "on_hand": 1}])
        rows = self.Estimate.sudo(portal_user_of(self.dealer)).search([])
        self.assertEqual(rows.mapped("dealer_id"), self.dealer)

    def test_bulk_read_gives_the_same_figures_and_keeps_the_record_rules(self):
        self.Report.submit_report(self.other_dealer.id, days_ago(1), [{"product_code": "A4-80", "on_hand": 1}])
        rows = {row["id"]: row for row in self.Estimate._read_estimates()}
        paper = self.row(self.paper)
        self.assertEqual((rows[paper.id]["estimated_qty"], rows[paper.id]["open_order_qty"]),
                         (paper.estimated_qty, 7.0))
        self.assertEqual(len(rows), 3)
        own = self.Estimate.sudo(portal_user_of(self.dealer))._read_estimates()
        self.assertEqual({row["dealer_id"] for row in own}, {self.dealer.id})
        self.assertEqual(len(self.Estimate._read_estimates([self.other_dealer.id])), 1)


@at_install(False)
@post_install(True)
class TestStockReportXmlRpc(LifecycleHttpCase):

    def build_world(self):
        create_product(self.env, "Copy paper A4", default_code="A4-80")
        self.dealer = create_dealer(self.env, "RPC Dealer", login="rpc_dealer")
        self.other = create_dealer(self.env, "RPC Other", login="rpc_dealer2")
        self.other_report = self.env["crm.cn.channel.stock.report"].submit_report(
            self.other.id, days_ago(1), [{"product_code": "A4-80", "on_hand": 4}])
        self.user = portal_user_of(self.dealer)

    def execute(self, model, method, *args):
        return self.xmlrpc_object.execute_kw(get_db_name(), self.user.id, "rpc_dealer", model, method, list(args))

    def test_dealer_submits_over_xmlrpc(self):
        report_id = self.execute("crm.cn.channel.stock.report", "submit_report", self.dealer.id, days_ago(1),
                                 [{"product_code": "A4-80", "on_hand": 12, "sold": 3}])
        [record] = self.execute("crm.cn.channel.stock.report", "read", [report_id], ["state"])
        self.assertEqual(record["state"], "submitted")

    def test_bad_rows_come_back_as_one_error(self):
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.execute("crm.cn.channel.stock.report", "submit_report", self.dealer.id, days_ago(1),
                         [{"product_code": "X", "on_hand": 1}, {"product_code": "A4-80", "on_hand": -1}])
        self.assertIn("Row 1: unknown product code 'X'", refusal.exception.faultString)
        self.assertIn("Row 2: negative quantity -1", refusal.exception.faultString)

    def test_other_dealers_report_is_refused_over_xmlrpc(self):
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.execute("crm.cn.channel.stock.report", "read", [self.other_report], ["date"])
        self.assertEqual(refusal.exception.faultCode, 4)
        with self.assertRaises(xmlrpc.client.Fault):
            self.execute("crm.cn.channel.stock.report", "submit_report", self.other.id, days_ago(1),
                         [{"product_code": "A4-80", "on_hand": 1}])
