"""Deal registrations on the portal and over XML-RPC, as a dealer's portal user."""
import re
import xmlrpc.client

from odoo.tests import common
from odoo.tests.common import at_install, get_db_name, post_install

from .common import GROUP_USER, LifecycleHttpCase, create_dealer, create_product, create_user


@at_install(False)
@post_install(True)
class TestDealRegistrationPortal(LifecycleHttpCase):

    def build_world(self):
        env = self.env
        self.paper = create_product(env, "Reg portal paper", default_code="RP-PAPER")
        self.dealer = create_dealer(env, "Reg Portal Dealer", login="rp_dealer")
        self.other = create_dealer(env, "Reg Portal Other", login="rp_dealer2")
        self.salesperson = create_user(env, "rp_sales", ["base.group_user", GROUP_USER])
        Registration = env["crm.cn.deal.registration"]
        self.mine = Registration.create({"dealer_id": self.dealer.id, "customer_name": "清远北江文具",
                                         "contact_name": "Mine", "line_ids": [
                                             (0, 0, {"product_id": self.paper.id, "quantity": 4})]})
        self.theirs = Registration.create({"dealer_id": self.other.id, "customer_name": "韶关丹霞秘密客户",
                                           "contact_name": "Theirs", "line_ids": [
                                               (0, 0, {"product_id": self.paper.id, "quantity": 9})]})

    def url(self, path):
        return "http://%s:%s%s" % (common.HOST, common.PORT, path)

    def get(self, path):
        """A page; the first one a test asks for can be slow on a loaded machine."""
        return self.url_open(path, timeout=60)

    def form(self):
        text = self.get("/my/registrations/new").text
        return (re.search(r'name="csrf_token" value="([^"]+)"', text).group(1),
                re.search(r'name="token" value="([^"]+)"', text).group(1))

    def count(self, dealer):
        with self.server_cursor() as env:
            return env["crm.cn.deal.registration"].search_count([("dealer_id", "=", dealer.id)])

    def test_home_counts_registrations(self):
        self.authenticate("rp_dealer", "rp_dealer")
        self.assertIn("/my/registrations", self.get("/my").text)

    def test_dealer_lists_and_opens_own_registration_only(self):
        self.authenticate("rp_dealer", "rp_dealer")
        listing = self.get("/my/registrations").text
        self.assertIn("清远北江文具", listing)
        self.assertNotIn("韶关丹霞秘密客户", listing)
        self.assertIn("清远北江文具", self.get("/my/registrations/%d" % self.mine.id).text)
        refused = self.get("/my/registrations/%d" % self.theirs.id)
        self.assertEqual(refused.status_code, 404)
        self.assertNotIn("韶关丹霞秘密客户", refused.text)

    def test_public_visitor_is_sent_to_login(self):
        for path in ("/my/registrations", "/my/registrations/%d" % self.mine.id, "/my/registrations/new"):
            response = self.get(path)
            self.assertIn("/web/login", response.url)
            self.assertNotIn("清远北江文具", response.text)

    def test_replayed_form_makes_one_registration_and_get_changes_nothing(self):
        self.authenticate("rp_dealer", "rp_dealer")
        before = self.count(self.dealer)
        csrf, token = self.form()
        self.assertEqual(self.count(self.dealer), before)
        data = {"csrf_token": csrf, "token": token, "customer_name": "阳江海陵文具", "contact_name": "Zhou",
                "phone": "0662-3312345", "product_code_0": "RP-PAPER", "quantity_0": "20"}
        first = self.opener.post(self.url("/my/registrations/new"), data=data)
        second = self.opener.post(self.url("/my/registrations/new"), data=data)
        self.assertEqual(first.status_code, 200)
        self.assertEqual(first.url, second.url)
        self.assertEqual(self.count(self.dealer), before + 1)
        self.assertIn("阳江海陵文具", first.text)

    def test_form_without_csrf_is_refused(self):
        self.authenticate("rp_dealer", "rp_dealer")
        before = self.count(self.dealer)
        self.get("/my/registrations")
        response = self.opener.post(self.url("/my/registrations/new"), data={
            "customer_name": "No CSRF", "contact_name": "X", "product_code_0": "RP-PAPER", "quantity_0": "1"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.count(self.dealer), before)

    def test_form_error_names_the_row_and_saves_nothing(self):
        self.authenticate("rp_dealer", "rp_dealer")
        before = self.count(self.dealer)
        csrf, token = self.form()
        response = self.opener.post(self.url("/my/registrations/new"), data={
            "csrf_token": csrf, "token": token, "customer_name": "茂名油城文具", "contact_name": "X",
            "product_code_0": "NOPE", "quantity_0": "1"})
        self.assertIn("Product line 1", response.text)
        self.assertEqual(self.count(self.dealer), before)

    def rpc(self, login, model, method, args, kwargs=None):
        with self.server_cursor() as env:
            uid = env["res.users"].search([("login", "=", login)]).id
        return self.xmlrpc_object.execute_kw(get_db_name(), uid, login, model, method, args, kwargs or {})

    def test_dealer_registers_and_submits_over_xmlrpc_for_itself_only(self):
        new_id = self.rpc("rp_dealer", "crm.cn.deal.registration", "create", [{
            "customer_name": "潮州韩江文具", "contact_name": "Lin",
            "line_ids": [(0, 0, {"product_id": self.paper.id, "quantity": 2})]}])
        self.rpc("rp_dealer", "crm.cn.deal.registration", "action_submit", [[new_id]])
        with self.server_cursor() as env:
            registration = env["crm.cn.deal.registration"].browse(new_id)
            self.assertEqual((registration.dealer_id, registration.state), (self.dealer, "submitted"))
        with self.assertRaises(xmlrpc.client.Fault):
            self.rpc("rp_dealer", "crm.cn.deal.registration", "create", [{
                "customer_name": "X", "contact_name": "Y", "dealer_id": self.other.id}])
        with self.assertRaises(xmlrpc.client.Fault):
            self.rpc("rp_dealer", "crm.cn.deal.registration", "read", [[self.theirs.id], ["customer_name"]])
        with self.assertRaises(xmlrpc.client.Fault):
            self.rpc("rp_dealer", "crm.cn.deal.registration", "action_submit", [[self.theirs.id]])

    def test_manager_only_fields_are_refused_over_xmlrpc(self):
        for login, vals in (("rp_dealer", {"state": "approved"}),
                            ("rp_dealer", {"protected_until": "2099-01-01"}),
                            ("rp_sales", {"reject_reason": "x"})):
            with self.assertRaises(xmlrpc.client.Fault):
                self.rpc(login, "crm.cn.deal.registration", "write", [[self.mine.id], vals])
        with self.assertRaises(xmlrpc.client.Fault):
            self.rpc("rp_sales", "crm.cn.deal.registration", "action_approve", [[self.mine.id]])
        with self.server_cursor() as env:
            registration = env["crm.cn.deal.registration"].browse(self.mine.id)
            self.assertEqual((registration.state, registration.protected_until), ("draft", False))
