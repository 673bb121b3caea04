"""Dealers on the portal see their own company's tickets, never another dealer's."""
from odoo.tests.common import at_install, post_install

from .common import LifecycleHttpCase, create_dealer, create_order, create_product, portal_user_of


@at_install(False)
@post_install(True)
class TestServicePortal(LifecycleHttpCase):

    def build_world(self):
        env = self.env
        ream = create_product(env, "Copy paper A4 (portal)", taxes_id=[(6, 0, [])])
        self.dealer = create_dealer(env, "Yuexiu Service Dealer", login="svc_portal_dealer")
        self.other_dealer = create_dealer(env, "Tianhe Service Dealer", login="svc_portal_dealer2")
        Ticket = env["helpdesk.ticket"]
        own_order = create_order(env, self.dealer, [(ream, 1, 25.0)])
        other_order = create_order(env, self.other_dealer, [(ream, 1, 25.0)])
        self.own_ticket = Ticket.create({
            "name": "Own jammed shredder", "partner_id": portal_user_of(self.dealer).partner_id.id,
            "cn_sale_order_id": own_order.id, "description": "own secret"})
        self.other_ticket = Ticket.create({
            "name": "Other dealer broken fan", "partner_id": portal_user_of(self.other_dealer).partner_id.id,
            "cn_sale_order_id": other_order.id, "description": "other secret"})

    def test_dealer_lists_own_tickets_only(self):
        self.authenticate("svc_portal_dealer", "svc_portal_dealer")
        response = self.url_open("/my/tickets")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Own jammed shredder", response.text)
        self.assertNotIn("Other dealer broken fan", response.text)

    def test_dealer_opens_own_ticket(self):
        self.authenticate("svc_portal_dealer", "svc_portal_dealer")
        response = self.url_open("/my/ticket/%d" % self.own_ticket.id)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Own jammed shredder", response.text)

    def test_dealer_is_refused_another_dealers_ticket(self):
        self.authenticate("svc_portal_dealer", "svc_portal_dealer")
        response = self.url_open("/my/ticket/%d" % self.other_ticket.id)
        refused = response.status_code in (403, 404) or not response.url.rstrip("/").endswith(
            "/my/ticket/%d" % self.other_ticket.id)
        self.assertTrue(refused, "the other dealer's ticket page was served")
        self.assertNotIn("Other dealer broken fan", response.text)
        self.assertNotIn("other secret", response.text)

    def test_dealer_is_refused_another_dealers_ticket_over_json_rpc(self):
        self.authenticate("svc_portal_dealer", "svc_portal_dealer")
        response = self.opener.post(
            "http://127.0.0.1:%s/web/dataset/call_kw" % self.server_port(),
            json={"jsonrpc": "2.0", "method": "call", "params": {
                "model": "helpdesk.ticket", "method": "read", "args": [[self.other_ticket.id]],
                "kwargs": {"fields": ["name", "description"]}}})
        body = response.json()
        self.assertEqual(body["error"]["data"]["name"], "odoo.exceptions.AccessError")
        self.assertNotIn("other secret", response.text)

    def server_port(self):
        from odoo.tests import common
        return common.PORT
