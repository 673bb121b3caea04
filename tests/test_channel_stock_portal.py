"""The dealer portal for channel stock: reports, upload, estimate, proposals."""
import re
import xmlrpc.client

from odoo.tests import common
from odoo.tests.common import at_install, get_db_name, post_install

from .common import LifecycleHttpCase, create_dealer, create_product
from .test_channel_stock import days_ago


@at_install(False)
@post_install(True)
class TestChannelStockPortal(LifecycleHttpCase):

    def build_world(self):
        env = self.env
        self.paper = create_product(env, "Copy paper A4", default_code="A4-80")
        self.pen = create_product(env, "Gel pen blue", default_code="PEN-BL")
        self.dealer = create_dealer(env, "Portal Dealer", login="cs_portal")
        self.other = create_dealer(env, "Other Dealer", login="cs_portal2")
        Report = env["crm.cn.channel.stock.report"]
        self.mine = Report.submit_report(self.dealer.id, days_ago(7), [{"product_code": "A4-80", "on_hand": 11}])
        self.theirs = Report.submit_report(self.other.id, days_ago(7), [{"product_code": "PEN-BL", "on_hand": 77}])
        self.my_proposal = self._proposal(self.dealer)
        self.their_proposal = self._proposal(self.other)

    def _proposal(self, dealer):
        order = self.env["sale.order"].create({"partner_id": dealer.id, "cn_drp_proposal": True, "order_line": [
            (0, 0, {"product_id": self.paper.id, "product_uom_qty": 24, "cn_proposed_qty": 24,
                    "cn_pack_multiple": 12})]})
        order.message_subscribe([dealer.id])
        return order

    def url(self, path):
        return "http://%s:%s%s" % (common.HOST, common.PORT, path)

    def csrf(self, path):
        return re.search(r'name="csrf_token" value="([^"]+)"', self.url_open(path).text).group(1)

    def post(self, path, data, files=None, form="/my/stock_reports/new"):
        data = dict(data, csrf_token=self.csrf(form))
        return self.opener.post(self.url(path), data=data, files=files)

    def reports_of(self, dealer):
        with self.server_cursor() as env:
            return env["crm.cn.channel.stock.report"].search([("dealer_id", "=", dealer.id)]).mapped(
                lambda report: (report.date, report.state, [(l.product_id.default_code, l.on_hand_qty)
                                                             for l in report.line_ids]))

    def test_home_counts_stock_reports_and_proposals(self):
        self.authenticate("cs_portal", "cs_portal")
        page = self.url_open("/my").text
        self.assertIn("/my/stock_reports", page)
        self.assertIn("/my/drp_proposals", page)

    def home_queries(self):
        """Queries the server runs for the dealer's /my home."""
        before = self.server_cr.sql_log_count
        self.assertEqual(self.url_open("/my").status_code, 200)
        return self.server_cr.sql_log_count - before

    def test_home_query_count_does_not_grow_with_the_dealers_history(self):
        self.authenticate("cs_portal", "cs_portal")
        for _warm_up in range(2):  # the registry, template and rule caches
            self.home_queries()
        few = self.home_queries()
        with self.server_cursor() as env:
            for days in range(6, 0, -1):
                env["crm.cn.channel.stock.report"].submit_report(
                    self.dealer.id, days_ago(days), [{"product_code": "A4-80", "on_hand": days},
                                                     {"product_code": "PEN-BL", "on_hand": 2 * days}])
            for _index in range(5):
                self._proposal(self.dealer)
                env["helpdesk.ticket"].create({"name": "Jammed feeder", "description": "Paper jam",
                                               "partner_id": self.dealer.id})
            env.cr.commit()
        many = self.home_queries()
        self.assertEqual(few, many)

    def test_dealer_lists_and_opens_own_report_only(self):
        self.authenticate("cs_portal", "cs_portal")
        listing = self.url_open("/my/stock_reports")
        self.assertIn("/my/stock_reports/%d" % self.mine, listing.text)
        self.assertNotIn("/my/stock_reports/%d" % self.theirs, listing.text)
        self.assertIn("Copy paper A4", self.url_open("/my/stock_reports/%d" % self.mine).text)
        refused = self.url_open("/my/stock_reports/%d" % self.theirs)
        self.assertEqual(refused.status_code, 404)
        self.assertNotIn("Gel pen", refused.text)

    def test_public_visitor_is_sent_to_login(self):
        for path in ("/my/stock_reports", "/my/stock_reports/%d" % self.mine, "/my/channel_stock",
                     "/my/drp_proposals"):
            response = self.url_open(path)
            self.assertIn("/web/login", response.url)
            self.assertNotIn("Copy paper", response.text)

    def test_dealer_submits_the_form(self):
        self.authenticate("cs_portal", "cs_portal")
        response = self.post("/my/stock_reports/new", {
            "date": days_ago(0), "product_code_0": "A4-80", "on_hand_0": "9", "sold_0": "2",
            "product_code_1": "PEN-BL", "on_hand_1": "4"})
        self.assertEqual(response.status_code, 200)
        self.assertIn((days_ago(0), "submitted", [("A4-80", 9.0), ("PEN-BL", 4.0)]), self.reports_of(self.dealer))

    def test_upload_with_a_bad_row_shows_the_error_and_saves_nothing(self):
        self.authenticate("cs_portal", "cs_portal")
        data = "产品编码,库存数量,销量\nA4-80,5,1\nNOPE,3,0\n".encode("gbk")
        response = self.post("/my/stock_reports/new", {"date": days_ago(0)},
                             files={"file": ("stock.csv", data, "text/csv")})
        self.assertIn("Row 3: unknown product code 'NOPE'", response.text)
        self.assertEqual(len(self.reports_of(self.dealer)), 1)

    def test_upload_over_the_byte_limit_is_refused_and_saves_nothing(self):
        with self.server_cursor() as env:
            env["ir.config_parameter"].set_param("crm_cn_lifecycle.upload_max_bytes", "100")
            env.cr.commit()
        self.authenticate("cs_portal", "cs_portal")
        data = "产品编码,库存数量,销量\n".encode("gbk") + b"A4-80,5,1\n" * 10
        response = self.post("/my/stock_reports/new", {"date": days_ago(0)},
                             files={"file": ("stock.csv", data, "text/csv")})
        self.assertIn("The file is larger than the 100 bytes an upload may have.", response.text)
        self.assertEqual(len(self.reports_of(self.dealer)), 1)

    def test_dealer_cannot_send_a_file_over_the_limit_over_xmlrpc(self):
        with self.server_cursor() as env:
            env["ir.config_parameter"].set_param("crm_cn_lifecycle.upload_max_bytes", "100")
            env.cr.commit()
            user_id = env["res.users"].search([("login", "=", "cs_portal")]).id
        data = xmlrpc.client.Binary(b"code,stock,sold\n" + b"A4-80,5,1\n" * 10)
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.xmlrpc_object.execute_kw(get_db_name(), user_id, "cs_portal", "crm.cn.channel.stock.report",
                                          "submit_file", [self.dealer.id, days_ago(0), "stock.csv", data])
        self.assertIn("larger than the 100 bytes", refusal.exception.faultString)
        self.assertEqual(len(self.reports_of(self.dealer)), 1)

    def test_channel_stock_shows_own_products_only(self):
        self.authenticate("cs_portal", "cs_portal")
        page = self.url_open("/my/channel_stock").text
        self.assertIn("Copy paper A4", page)
        self.assertNotIn("Gel pen", page)

    def test_dealer_accepts_own_proposal(self):
        self.authenticate("cs_portal", "cs_portal")
        self.assertIn(self.my_proposal.name, self.url_open("/my/drp_proposals").text)
        response = self.post("/my/drp_proposals/%d/accept" % self.my_proposal.id, {}, form="/my/drp_proposals")
        self.assertIn("accepted", response.text)
        with self.server_cursor():
            self.assertEqual(self.my_proposal.state, "sent")

    def test_dealer_cannot_accept_another_dealers_proposal(self):
        self.authenticate("cs_portal", "cs_portal")
        page = self.url_open("/my/drp_proposals").text
        self.assertNotIn(self.their_proposal.name, page)
        response = self.post("/my/drp_proposals/%d/accept" % self.their_proposal.id, {}, form="/my/drp_proposals")
        self.assertEqual(response.status_code, 404)
        with self.server_cursor():
            self.assertEqual(self.their_proposal.state, "draft")

    def proposal_lines(self, order):
        with self.server_cursor():
            return order.state, [(line.product_id.default_code, line.product_uom_qty) for line in order.order_line]

    def test_dealer_adjusts_quantities_within_limits_and_accepts(self):
        self.authenticate("cs_portal", "cs_portal")
        line = self.my_proposal.order_line
        self.assertIn('name="qty_%d"' % line.id, self.url_open("/my/drp_proposals").text)
        response = self.post("/my/drp_proposals/%d/accept" % self.my_proposal.id, {"qty_%d" % line.id: "48"},
                             form="/my/drp_proposals")
        self.assertIn("accepted", response.text)
        self.assertEqual(self.proposal_lines(self.my_proposal), ("sent", [("A4-80", 48.0)]))

    def test_adjustment_beyond_limits_is_refused_and_nothing_changes(self):
        self.authenticate("cs_portal", "cs_portal")
        line = self.my_proposal.order_line
        for quantity, message in (("60", "60.0 is outside 0 to 48.0"),
                                  ("30", "30.0 is not a whole number of packs of 12.0"),
                                  ("lots", "'lots' is not a quantity")):
            response = self.post("/my/drp_proposals/%d/accept" % self.my_proposal.id,
                                 {"qty_%d" % line.id: quantity}, form="/my/drp_proposals")
            self.assertIn("Copy paper A4: %s" % message, response.text)
            self.assertEqual(self.proposal_lines(self.my_proposal), ("draft", [("A4-80", 24.0)]))

    def test_dealer_cannot_adjust_another_dealers_proposal(self):
        self.authenticate("cs_portal", "cs_portal")
        line = self.their_proposal.order_line
        response = self.post("/my/drp_proposals/%d/accept" % self.their_proposal.id, {"qty_%d" % line.id: "12"},
                             form="/my/drp_proposals")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.proposal_lines(self.their_proposal), ("draft", [("A4-80", 24.0)]))

    def test_dealer_cannot_accept_another_dealers_proposal_over_xmlrpc(self):
        with self.server_cursor() as env:
            user_id = env["res.users"].search([("login", "=", "cs_portal")]).id
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.xmlrpc_object.execute_kw(get_db_name(), user_id, "cs_portal", "sale.order",
                                          "cn_action_accept_proposal", [[self.their_proposal.id]],
                                          {"quantities": {str(self.their_proposal.order_line.id): 12}})
        self.assertEqual(refusal.exception.faultCode, 4)  # AccessError
        self.assertEqual(self.proposal_lines(self.their_proposal), ("draft", [("A4-80", 24.0)]))

    def test_a_line_of_another_order_cannot_be_slipped_in(self):
        self.authenticate("cs_portal", "cs_portal")
        response = self.post("/my/drp_proposals/%d/accept" % self.my_proposal.id,
                             {"qty_%d" % self.their_proposal.order_line.id: "12"}, form="/my/drp_proposals")
        self.assertIn("not in proposal", response.text)
        self.assertEqual(self.proposal_lines(self.their_proposal), ("draft", [("A4-80", 24.0)]))
        self.assertEqual(self.proposal_lines(self.my_proposal), ("draft", [("A4-80", 24.0)]))

    def test_proposal_still_being_prepared_cannot_be_accepted(self):
        with self.server_cursor() as env:
            env["crm.cn.drp.pending.line"].create({
                "order_id": self.my_proposal.id, "dealer_id": self.dealer.id, "product_id": self.pen.id,
                "quantity": 10.0})
        self.authenticate("cs_portal", "cs_portal")
        page = self.url_open("/my/drp_proposals").text
        self.assertIn("1 more lines are being added", re.sub(r"\s+", " ", page))
        self.assertNotIn("o_cn_accept_proposal", page)
        response = self.post("/my/drp_proposals/%d/accept" % self.my_proposal.id, {}, form="/my/drp_proposals")
        self.assertIn("still being prepared", response.text)
        self.assertEqual(self.proposal_lines(self.my_proposal), ("draft", [("A4-80", 24.0)]))
