"""Dealers on the portal see and open their own company's tickets, never another
dealer's, and open tickets for the products and serials their company bought."""
import re

from odoo.tests import common
from odoo.tests.common import at_install, post_install

from .common import LifecycleHttpCase, create_dealer, create_order, create_product, portal_user_of
from .test_lifecycle import deliver


@at_install(False)
@post_install(True)
class TestServicePortal(LifecycleHttpCase):

    def build_world(self):
        env = self.env
        self.ream = create_product(env, "Copy paper A4 (portal)", taxes_id=[(6, 0, [])])
        self.fan = create_product(env, "Ceiling fan 52 (portal)", tracking="serial", cn_warranty_months=12,
                                  taxes_id=[(6, 0, [])])
        self.dealer = create_dealer(env, "Yuexiu Service Dealer", login="svc_portal_dealer")
        self.other_dealer = create_dealer(env, "Tianhe Service Dealer", login="svc_portal_dealer2")
        self.colleague = env["res.partner"].create({"name": "Yuexiu storekeeper", "parent_id": self.dealer.id})
        stock = env.ref("stock.stock_location_stock")
        Lot = env["stock.production.lot"]
        self.own_lot = Lot.create({"name": "PORTAL-FAN-1", "product_id": self.fan.id})
        self.other_lot = Lot.create({"name": "PORTAL-FAN-2", "product_id": self.fan.id})
        Quant = env["stock.quant"]
        Quant._update_available_quantity(self.ream, stock, 10)
        Quant._update_available_quantity(self.fan, stock, 1, lot_id=self.own_lot)
        self.own_order = create_order(env, self.dealer, [(self.ream, 1, 25.0), (self.fan, 1, 95.0)])
        deliver(self.own_order)
        Quant._update_available_quantity(self.fan, stock, 1, lot_id=self.other_lot)
        self.other_order = create_order(env, self.other_dealer, [(self.ream, 1, 25.0), (self.fan, 1, 95.0)])
        deliver(self.other_order)
        self.never_sold = create_product(env, "Shredder never sold (portal)")
        Ticket = env["helpdesk.ticket"]
        self.own_ticket = Ticket.create({
            "name": "Own jammed shredder", "partner_id": portal_user_of(self.dealer).partner_id.id,
            "cn_sale_order_id": self.own_order.id, "description": "own secret"})
        self.company_ticket = Ticket.create({
            "name": "Company fan wobbles", "partner_id": self.dealer.id, "cn_product_id": self.fan.id,
            "cn_lot_id": self.own_lot.id})
        self.colleague_ticket = Ticket.create({"name": "Colleague toner smear", "partner_id": self.colleague.id})
        self.other_ticket = Ticket.create({
            "name": "Other dealer broken fan", "partner_id": portal_user_of(self.other_dealer).partner_id.id,
            "cn_sale_order_id": self.other_order.id, "description": "other secret"})
        self.closing_stage = env["helpdesk.ticket.stage"].search([("closed", "=", True)], limit=1)
        self.open_stage = env["helpdesk.ticket.stage"].search([("closed", "=", False)], limit=1)

    def url(self, path):
        return "http://%s:%s%s" % (common.HOST, common.PORT, path)

    def login(self):
        self.authenticate("svc_portal_dealer", "svc_portal_dealer")

    def submit(self, **data):
        form = self.url_open("/new/ticket").text
        data.update(csrf_token=re.search(r'name="csrf_token" value="([^"]+)"', form).group(1))
        data.setdefault("subject", "Fan hums")
        data.setdefault("description", "Hums at low speed")
        return self.opener.post(self.url("/submitted/ticket"), data=data)

    def close(self, ticket, stage):
        """The ticket page's close button: a POST with the session's CSRF token."""
        form = self.url_open("/new/ticket").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        return self.opener.post(self.url("/ticket/close"), data={
            "ticket_id": ticket.id, "stage_id": stage.id, "csrf_token": token})

    def tickets_named(self, name):
        with self.server_cursor() as env:
            tickets = env["helpdesk.ticket"].search([("name", "=", name)])
            return [(t.partner_id, t.cn_product_id, t.cn_lot_id, t.cn_sale_order_id, t.channel_id.name)
                    for t in tickets]

    def assert_refused(self, response, *secrets):
        self.assertEqual(response.status_code, 404)
        for secret in secrets:
            self.assertNotIn(secret, response.text)

    def test_dealer_lists_the_tickets_of_its_whole_company_only(self):
        self.login()
        response = self.url_open("/my/tickets")
        self.assertEqual(response.status_code, 200)
        for name in ("Own jammed shredder", "Company fan wobbles", "Colleague toner smear"):
            self.assertIn(name, response.text)
        self.assertNotIn("Other dealer broken fan", response.text)

    def test_dealer_searches_its_company_tickets(self):
        self.login()
        response = self.url_open("/my/tickets?search=wobbles&search_in=name")
        self.assertIn("Company fan wobbles", response.text)
        self.assertNotIn("Own jammed shredder", response.text)
        response = self.url_open("/my/tickets?search=fan&search_in=name")
        self.assertNotIn("Other dealer broken fan", response.text)

    def test_portal_home_counts_the_company_tickets(self):
        self.login()
        self.assertRegex(self.url_open("/my/home").text, r'<span class="badge">3</span>\s*<a href="/my/tickets">')

    def test_dealer_opens_a_ticket_filed_under_its_company_with_serial_and_warranty(self):
        self.login()
        response = self.url_open("/my/ticket/%d" % self.company_ticket.id)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Company fan wobbles", response.text)
        self.assertIn("PORTAL-FAN-1", response.text)
        self.assertIn("In Warranty", response.text)

    def test_dealer_opens_own_ticket(self):
        self.login()
        response = self.url_open("/my/ticket/%d" % self.own_ticket.id)
        self.assertEqual(response.status_code, 200)
        self.assertIn("own secret", response.text)

    def test_dealer_is_refused_another_dealers_ticket(self):
        self.login()
        self.assert_refused(self.url_open("/my/ticket/%d" % self.other_ticket.id),
                            "Other dealer broken fan", "other secret")

    def test_missing_ticket_answers_like_a_forbidden_one(self):
        self.login()
        self.assert_refused(self.url_open("/my/ticket/%d" % (self.other_ticket.id + 1000)))

    def test_public_visitor_is_sent_to_login_without_data(self):
        for path in ("/my/tickets", "/my/ticket/%d" % self.own_ticket.id, "/new/ticket"):
            response = self.url_open(path)
            self.assertIn("/web/login", response.url, path)
            self.assertNotIn("Own jammed shredder", response.text)
            self.assertNotIn("own secret", response.text)

    def test_public_visitor_cannot_close_a_ticket(self):
        response = self.opener.post(self.url("/ticket/close"), data={
            "ticket_id": self.own_ticket.id, "stage_id": self.closing_stage.id})
        self.assertIn("/web/login", response.url)
        with self.server_cursor():
            self.assertNotEqual(self.own_ticket.stage_id, self.closing_stage)

    def test_dealer_closes_its_own_ticket(self):
        self.login()
        response = self.close(self.own_ticket, self.closing_stage)
        self.assertTrue(response.url.endswith("/my/ticket/%d" % self.own_ticket.id))
        with self.server_cursor():
            self.assertEqual(self.own_ticket.stage_id, self.closing_stage)

    def test_dealer_cannot_close_another_dealers_ticket(self):
        with self.server_cursor():
            before = self.other_ticket.stage_id
        self.login()
        self.assert_refused(self.close(self.other_ticket, self.closing_stage))
        with self.server_cursor():
            self.assertEqual(self.other_ticket.stage_id, before)

    def test_dealer_cannot_move_its_ticket_to_a_stage_that_does_not_close_it(self):
        with self.server_cursor():
            self.own_ticket.stage_id = self.closing_stage
            self.server_cr.commit()
        self.login()
        self.assert_refused(self.close(self.own_ticket, self.open_stage))
        with self.server_cursor():
            self.assertEqual(self.own_ticket.stage_id, self.closing_stage)

    def test_new_ticket_form_offers_the_products_the_company_bought(self):
        self.login()
        form = self.url_open("/new/ticket").text
        self.assertIn("Ceiling fan 52 (portal)", form)
        self.assertIn("Copy paper A4 (portal)", form)
        self.assertNotIn("Shredder never sold (portal)", form)
        self.assertIn('name="serial"', form)

    def test_dealer_opens_a_ticket_for_its_serial(self):
        self.login()
        response = self.submit(subject="Fan hums", product_id=str(self.fan.id), serial="PORTAL-FAN-1")
        contact = portal_user_of(self.dealer).partner_id
        [(partner, product, lot, order, channel)] = self.tickets_named("Fan hums")
        self.assertEqual((partner, product, lot, order, channel),
                         (contact, self.fan, self.own_lot, self.own_order, "Web"))
        with self.server_cursor() as env:
            ticket = env["helpdesk.ticket"].search([("name", "=", "Fan hums")])
            self.assertTrue(response.url.endswith("/my/ticket/%d" % ticket.id))
            self.assertEqual(ticket.cn_warranty_state, "in")

    def test_another_dealers_serial_is_refused_with_a_message(self):
        self.login()
        response = self.submit(subject="Fan hums", product_id=str(self.fan.id), serial="PORTAL-FAN-2")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Serial number PORTAL-FAN-2: no Ceiling fan 52 (portal) with this serial number "
                      "was delivered to Yuexiu Service Dealer.", response.text)
        self.assertIn("Hums at low speed", response.text)  # the form keeps what was typed
        self.assertEqual(self.tickets_named("Fan hums"), [])

    def test_unknown_serial_gets_the_same_message(self):
        self.login()
        response = self.submit(subject="Fan hums", product_id=str(self.fan.id), serial="NO-SUCH-FAN")
        self.assertIn("Serial number NO-SUCH-FAN: no Ceiling fan 52 (portal) with this serial number "
                      "was delivered to Yuexiu Service Dealer.", response.text)
        self.assertEqual(self.tickets_named("Fan hums"), [])

    def test_product_never_bought_is_refused(self):
        self.login()
        response = self.submit(subject="Shredder jams", product_id=str(self.never_sold.id))
        self.assertIn("Product: choose one of the products Yuexiu Service Dealer bought.", response.text)
        self.assertEqual(self.tickets_named("Shredder jams"), [])

    def test_the_ticket_is_filed_for_the_logged_in_contact_whatever_name_is_typed(self):
        self.login()
        self.submit(subject="Paper curls", product_id=str(self.ream.id),
                    name="Tianhe Service Dealer contact", email="svc_portal_dealer2@example.com")
        [(partner, product, lot, order, _channel)] = self.tickets_named("Paper curls")
        self.assertEqual((partner, product, lot, order),
                         (portal_user_of(self.dealer).partner_id, self.ream, self.env["stock.production.lot"],
                          self.own_order))

    def test_dealer_is_refused_another_dealers_ticket_over_json_rpc(self):
        self.login()
        response = self.opener.post(
            self.url("/web/dataset/call_kw"),
            json={"jsonrpc": "2.0", "method": "call", "params": {
                "model": "helpdesk.ticket", "method": "read", "args": [[self.other_ticket.id]],
                "kwargs": {"fields": ["name", "description"]}}})
        body = response.json()
        self.assertEqual(body["error"]["data"]["name"], "odoo.exceptions.AccessError")
        self.assertNotIn("other secret", response.text)
