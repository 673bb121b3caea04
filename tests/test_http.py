"""The addon through the doors clients use: XML-RPC and the portal."""
import xmlrpc.client

from odoo.tests import common
from odoo.tests.common import at_install, post_install, get_db_name

from .common import GROUP_ACCOUNTANT, GROUP_USER, LifecycleHttpCase, create_customer, \
    create_dealer, create_opportunity, create_user


@at_install(False)
@post_install(True)
class TestXmlRpc(LifecycleHttpCase):

    def build_world(self):
        self.salesperson = create_user(self.env, "rpc_sales", ["base.group_user", GROUP_USER])
        self.accountant = create_user(self.env, "rpc_accountant", ["base.group_user", GROUP_ACCOUNTANT])
        self.customer = create_customer(self.env, "RPC Customer", "agent",
                                        state_id=self.env.ref("l10n_cn.state_BJ").id)
        self.lead = create_opportunity(self.env, self.customer, user_id=self.salesperson.id)

    def execute(self, user, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            get_db_name(), user.id, user.login, model, method, list(args), kwargs)

    def test_partner_fields_are_readable_over_xmlrpc(self):
        [record] = self.execute(self.salesperson, "res.partner", "read", [self.customer.id],
                                fields=["cn_customer_class", "cn_is_dealer", "cn_region"])
        self.assertEqual(record["cn_customer_class"], "agent")
        self.assertTrue(record["cn_is_dealer"])
        self.assertEqual(record["cn_region"], "north")

    def test_partner_can_be_created_over_xmlrpc_with_a_class(self):
        partner_id = self.execute(self.salesperson, "res.partner", "create",
                                  {"name": "Created by RPC", "cn_customer_class": "retail"})
        with self.server_cursor() as env:
            self.assertEqual(env["res.partner"].browse(partner_id).cn_customer_class, "retail")

    def test_accountant_reads_opportunity_but_write_is_refused(self):
        [record] = self.execute(self.accountant, "crm.lead", "read", [self.lead.id], fields=["planned_revenue"])
        self.assertEqual(record["planned_revenue"], 10000.0)
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.execute(self.accountant, "crm.lead", "write", [self.lead.id], {"planned_revenue": 1})
        self.assertEqual(refusal.exception.faultCode, 4)  # Odoo's XML-RPC code for AccessError
        self.assertIn("not allowed to modify", refusal.exception.faultString)
        with self.server_cursor():
            self.assertEqual(self.lead.planned_revenue, 10000.0)


@at_install(False)
@post_install(True)
class TestPortal(LifecycleHttpCase):

    def build_world(self):
        self.dealer = create_dealer(self.env, "Yuexiu Stationery", login="portal_dealer")
        create_opportunity(self.env, self.dealer)

    def test_dealer_opens_portal_home(self):
        self.authenticate("portal_dealer", "portal_dealer")
        response = self.url_open("/my")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Yuexiu Stationery contact", response.text)

    def test_anonymous_visitor_is_sent_to_login(self):
        response = self.url_open("/my")
        self.assertIn("/web/login", response.url)
        self.assertNotIn("Yuexiu Stationery", response.text)

    def test_dealer_is_refused_the_pipeline_over_json_rpc(self):
        self.authenticate("portal_dealer", "portal_dealer")
        response = self.opener.post(
            "http://%s:%s/web/dataset/call_kw" % (common.HOST, common.PORT),
            json={"jsonrpc": "2.0", "method": "call", "params": {
                "model": "crm.lead", "method": "search_read", "args": [[]],
                "kwargs": {"fields": ["name"]}}})
        error = response.json()["error"]
        self.assertEqual(error["data"]["name"], "odoo.exceptions.AccessError")


@at_install(False)
@post_install(True)
class TestReportsOverXmlRpc(LifecycleHttpCase):
    """Managers read the forecast and the campaign ROI from their own tools."""

    def build_world(self):
        self.manager = create_user(self.env, "rpc_manager", ["base.group_user", "crm_cn_lifecycle.group_manager"])
        self.campaign = self.env["utm.campaign"].create({"name": "RPC Expo"})
        self.env["crm.cn.campaign.cost"].create({"campaign_id": self.campaign.id, "name": "Booth", "amount": 800.0})

    def call(self, model, method, *args):
        return self.xmlrpc_object.execute_kw(
            get_db_name(), self.manager.id, "rpc_manager", model, method, list(args), {})

    def test_quarter_table_over_xmlrpc(self):
        table = self.call("crm.cn.forecast.report", "quarter_table")
        self.assertIn(len(table), (13, 14))
        self.assertEqual(sorted(table[0]), sorted(["week", "start", "end", "expected", "expected_model", "booked", "shipped_qty",
                                                   "shipped", "invoiced", "cash", "on_hand_qty"]))

    def test_campaign_roi_over_xmlrpc(self):
        rows = self.call("crm.cn.campaign.roi.report", "summary")
        expo = [row for row in rows if row["campaign_id"][0] == self.campaign.id]
        self.assertEqual(expo[0]["cost"], 800.0)
