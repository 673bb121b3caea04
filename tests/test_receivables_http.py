"""The credit hold through the doors outside the backend: XML-RPC and the portal."""
import xmlrpc.client

from odoo.tests import common
from odoo.tests.common import at_install, get_db_name, post_install

from .common import GROUP_CREDIT_MANAGER, GROUP_USER, LifecycleHttpCase, create_user
from .test_receivables_world import Accounting, build_alpha

SIGNATURE = "aGVsbG8="  # any base64 image data: the route only stores it


class CreditHoldHttpCase(LifecycleHttpCase):

    def build_world(self):
        env = self.env
        env.user.company_id.write({"cn_credit_hold_overdue_days": 0,
                                   "cn_credit_include_quotations": False})
        env["crm.cn.credit.policy"].search([]).unlink()
        env["crm.cn.credit.policy"].create({"customer_class": "direct", "credit_limit": 5000.0})
        self.accounting = Accounting(env)
        self.alpha = build_alpha(env, self.accounting)   # exposure 2900, headroom 2100
        self.salesperson = create_user(env, "hold_sales", ["base.group_user", GROUP_USER])
        self.credit_manager = create_user(env, "hold_credit", ["base.group_user", GROUP_CREDIT_MANAGER])
        self.order = self.accounting.order(self.alpha, 3000.0, confirm=False, user=self.salesperson)

    def order_state(self):
        with self.server_cursor():
            return self.order.state


@at_install(False)
@post_install(True)
class TestCreditHoldXmlRpc(CreditHoldHttpCase):

    def execute(self, user, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            get_db_name(), user.id, user.login, model, method, list(args), kwargs)

    def test_xmlrpc_confirmation_beyond_headroom_is_refused(self):
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.execute(self.salesperson, "sale.order", "action_confirm", [self.order.id])
        self.assertIn("is on credit hold", refusal.exception.faultString)
        self.assertIn("credit headroom of Alpha Office Supplies by 900.0", refusal.exception.faultString)
        self.assertEqual(self.order_state(), "draft")

    def test_xmlrpc_confirmation_goes_through_after_credit_approval(self):
        self.execute(self.credit_manager, "sale.order", "action_cn_credit_approve",
                     [self.order.id], "Advance payment promised")
        self.assertTrue(self.execute(self.salesperson, "sale.order", "action_confirm", [self.order.id]))
        self.assertEqual(self.order_state(), "sale")
        with self.server_cursor():
            approval = self.order.message_ids.filtered(lambda message: "Advance payment" in message.body)
            self.assertEqual(approval.author_id, self.credit_manager.partner_id)

    def test_salesperson_cannot_write_the_credit_approval_on_own_quotation_over_xmlrpc(self):
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.execute(self.salesperson, "sale.order", "write", [self.order.id], {
                "cn_credit_approved_by_id": self.salesperson.id, "cn_credit_approved_amount": 99999.0,
                "cn_credit_approval_reason": "Trust me"})
        self.assertEqual(refusal.exception.faultCode, 4)  # AccessError
        with self.server_cursor():
            self.assertFalse(self.order.cn_credit_approved_by_id)
            self.assertFalse(self.order.cn_credit_approval_reason)
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.execute(self.salesperson, "sale.order", "action_confirm", [self.order.id])
        self.assertIn("is on credit hold", refusal.exception.faultString)
        self.assertEqual(self.order_state(), "draft")

    def test_salesperson_cannot_write_the_stored_total_over_xmlrpc(self):
        with self.assertRaises(xmlrpc.client.Fault):
            self.execute(self.salesperson, "sale.order", "write", [self.order.id], {"amount_total": 1.0})
        with self.server_cursor():
            self.assertEqual(self.order.amount_total, 3000.0)

    def test_writing_state_sale_over_xmlrpc_is_refused_when_held(self):
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.execute(self.salesperson, "sale.order", "write", [self.order.id], {"state": "sale"})
        self.assertIn("is on credit hold", refusal.exception.faultString)
        self.assertEqual(self.order_state(), "draft")

    def test_xmlrpc_salesperson_cannot_approve_own_order(self):
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.execute(self.salesperson, "sale.order", "action_cn_credit_approve",
                         [self.order.id], "Trust me")
        self.assertEqual(refusal.exception.faultCode, 4)


@at_install(False)
@post_install(True)
class TestCreditHoldPortal(CreditHoldHttpCase):

    def build_world(self):
        super(TestCreditHoldPortal, self).build_world()
        self.env["ir.config_parameter"].sudo().set_param("sale.sale_portal_confirmation_options", "sign")
        contact = self.env["res.partner"].create({
            "name": "Alpha buyer", "parent_id": self.alpha.id, "email": "alpha_buyer@example.com"})
        create_user(self.env, "alpha_buyer", ["base.group_portal"], partner_id=contact.id)
        # sent to the customer (who follows it, as action_quotation_send does), awaiting its signature
        self.order.write({"state": "sent"})
        self.order.message_subscribe([self.alpha.id])

    def accept_on_portal(self):
        """The buyer signs the quotation from the link it received (with its
        access token, as the portal page sends it)."""
        self.authenticate("alpha_buyer", "alpha_buyer")
        with self.server_cursor():
            token = self.order.access_token
        response = self.opener.post(
            "http://%s:%s/my/quotes/accept" % (common.HOST, common.PORT),
            json={"jsonrpc": "2.0", "method": "call", "params": {
                "res_id": self.order.id, "access_token": token,
                "partner_name": "Alpha buyer", "signature": SIGNATURE}})
        return response.json()

    def order_page(self):
        self.authenticate("alpha_buyer", "alpha_buyer")
        return self.url_open("/my/orders/%d" % self.order.id).text

    def test_portal_page_says_the_order_awaits_credit_approval(self):
        page = self.order_page()
        self.assertIn("needs our credit department", page)
        self.assertNotIn('id="portal_sign"', page)
        with self.server_cursor():
            self.order.sudo(self.credit_manager).action_cn_credit_approve("Deposit received")
            self.server_cr.commit()
        page = self.order_page()
        self.assertNotIn("needs our credit department", page)
        self.assertIn('id="portal_sign"', page)

    def test_portal_acceptance_beyond_headroom_is_refused(self):
        answer = self.accept_on_portal()
        self.assertEqual(answer["error"]["data"]["name"], "odoo.exceptions.UserError")
        self.assertIn("is on credit hold", answer["error"]["data"]["message"])
        self.assertEqual(self.order_state(), "sent")

    def test_portal_acceptance_goes_through_after_credit_approval(self):
        with self.server_cursor():
            self.order.sudo(self.credit_manager).action_cn_credit_approve("Customer paid a deposit")
            self.server_cr.commit()
        answer = self.accept_on_portal()
        self.assertIn("success", answer.get("result", {}), answer)
        self.assertEqual(self.order_state(), "sale")
