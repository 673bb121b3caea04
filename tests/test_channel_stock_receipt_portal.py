"""Dealers confirm the receipt of their deliveries on the portal."""
import re

from odoo.tests import common
from odoo.tests.common import at_install, post_install

from .common import LifecycleHttpCase, create_dealer, create_order, create_product
from .test_channel_stock import days_ago
from .test_lifecycle import deliver


@at_install(False)
@post_install(True)
class TestReceiptPortal(LifecycleHttpCase):

    def build_world(self):
        env = self.env
        self.paper = create_product(env, "Copy paper A4", default_code="A4-80")
        env["stock.quant"]._update_available_quantity(self.paper, env.ref("stock.stock_location_stock"), 100)
        self.dealer = create_dealer(env, "Receipt Dealer", login="rc_portal", cn_confirms_receipt=True)
        self.other = create_dealer(env, "Receipt Other", login="rc_portal2", cn_confirms_receipt=True)
        self.mine = self._delivery(self.dealer, 20)
        self.theirs = self._delivery(self.other, 30)

    def _delivery(self, dealer, quantity):
        env = self.env
        env["crm.cn.channel.stock.report"].submit_report(dealer.id, days_ago(7), [
            {"product_code": "A4-80", "on_hand": 10}])
        order = create_order(env, dealer, [(self.paper, quantity, 25.0)])
        deliver(order)
        return order.picking_ids

    def url(self, path):
        return "http://%s:%s%s" % (common.HOST, common.PORT, path)

    def post(self, path):
        page = self.url_open("/my/channel_stock").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        return self.opener.post(self.url(path), data={"csrf_token": token})

    def received(self, picking):
        with self.server_cursor():
            return picking.cn_received_date

    def figures(self, dealer):
        with self.server_cursor() as env:
            row = env["crm.cn.channel.stock.estimate"].search([("dealer_id", "=", dealer.id)])
            return row.delivered_qty, row.in_transit_qty

    def test_dealer_sees_and_confirms_its_own_delivery(self):
        self.authenticate("rc_portal", "rc_portal")
        page = self.url_open("/my/channel_stock").text
        self.assertIn("/my/deliveries/%d/receive" % self.mine.id, page)
        self.assertNotIn("/my/deliveries/%d/receive" % self.theirs.id, page)
        self.assertEqual(self.figures(self.dealer), (0.0, 20.0))
        response = self.post("/my/deliveries/%d/receive" % self.mine.id)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Receipt confirmed", response.text)
        self.assertNotIn("/my/deliveries/%d/receive" % self.mine.id, response.text)
        self.assertTrue(self.received(self.mine))
        self.assertEqual(self.figures(self.dealer), (20.0, 0.0))

    def test_another_dealers_delivery_is_not_found(self):
        self.authenticate("rc_portal", "rc_portal")
        response = self.post("/my/deliveries/%d/receive" % self.theirs.id)
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.received(self.theirs))
        self.assertEqual(self.figures(self.other), (0.0, 30.0))

    def test_public_visitor_is_sent_to_login(self):
        response = self.opener.post(self.url("/my/deliveries/%d/receive" % self.mine.id), data={})
        self.assertIn("/web/login", response.url)
        self.assertFalse(self.received(self.mine))
        page = self.url_open("/my/channel_stock")
        self.assertIn("/web/login", page.url)
        self.assertNotIn(self.mine.name, page.text)

    def test_confirming_a_receipt_twice_keeps_the_first_date_and_redirects(self):
        with self.server_cursor():
            self.mine.cn_received_date = days_ago(3)
            self.server_cr.commit()
        self.authenticate("rc_portal", "rc_portal")
        # the delivery left the page: the token comes from another portal form
        token = re.search(r'name="csrf_token" value="([^"]+)"', self.url_open("/new/ticket").text).group(1)
        response = self.opener.post(self.url("/my/deliveries/%d/receive" % self.mine.id),
                                    data={"csrf_token": token})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith("/my/channel_stock?received=1"))
        self.assertEqual(self.received(self.mine), days_ago(3))
        self.assertEqual(self.figures(self.dealer), (20.0, 0.0))

    def test_receipt_by_get_is_refused(self):
        self.authenticate("rc_portal", "rc_portal")
        response = self.url_open("/my/deliveries/%d/receive" % self.mine.id)
        self.assertIn(response.status_code, (404, 405))
        self.assertFalse(self.received(self.mine))

    def test_receipt_without_the_csrf_token_is_refused(self):
        self.authenticate("rc_portal", "rc_portal")
        response = self.opener.post(self.url("/my/deliveries/%d/receive" % self.mine.id), data={})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.received(self.mine))
