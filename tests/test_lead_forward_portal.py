"""Forwarded leads on the dealer's portal (/my/leads) and over XML-RPC."""
import re
import xmlrpc.client

from odoo.tests import common
from odoo.tests.common import at_install, get_db_name, post_install

from .common import LifecycleHttpCase, create_dealer, create_user, GROUP_MANAGER

SECRET_PHONE = "+86 20 5555 0101"
SECRET_EMAIL = "secret.buyer@end-customer.example.cn"


@at_install(False)
@post_install(True)
class TestLeadForwardPortal(LifecycleHttpCase):

    def build_world(self):
        env = self.env
        gd = env.ref("l10n_cn.state_GD")
        self.manager = create_user(env, "fwp_manager", ["base.group_user", GROUP_MANAGER])
        self.dealer = create_dealer(env, "Portal Forward Dealer", login="fwp_dealer", state_id=gd.id)
        self.other = create_dealer(env, "Other Forward Dealer", login="fwp_other", state_id=gd.id)
        self.categ = env["product.category"].create({"name": "Forwarded paper"})
        Lead = env["crm.lead"]

        def lead(name):
            return Lead.create({"name": name, "type": "lead", "state_id": gd.id, "city": "Foshan",
                                "cn_categ_id": self.categ.id, "planned_revenue": 12345,
                                "description": "Needs 300 reams a month", "partner_name": "Hidden Buyer Ltd",
                                "contact_name": "Ms Hidden", "email_from": SECRET_EMAIL,
                                "phone": SECRET_PHONE, "street": "1 Secret Road"})
        self.mine = lead("Paper for a Foshan school")
        self.second = lead("Paper for a Foshan clinic")
        self.theirs = lead("Paper for a Foshan bank")
        (self.mine | self.second).sudo(self.manager).cn_forward_to(self.dealer.id)
        self.theirs.sudo(self.manager).cn_forward_to(self.other.id)
        self.offer = self.mine.cn_forward_ids
        self.second_offer = self.second.cn_forward_ids
        self.their_offer = self.theirs.cn_forward_ids
        self.won_stage = env["crm.stage"].search([("probability", "=", 100)], limit=1)
        self.reason = env["crm.lost.reason"].create({"name": "Customer bought elsewhere"})

    def url(self, path):
        return "http://%s:%s%s" % (common.HOST, common.PORT, path)

    def get(self, path):
        """url_open with room for a loaded machine (url_open gives up after 10 s)."""
        return self.opener.get(self.url(path), timeout=120)

    def csrf(self, path):
        return re.search(r'name="csrf_token" value="([^"]+)"', self.get(path).text).group(1)

    def post(self, path, data, form=None):
        data = dict(data, csrf_token=self.csrf(form or "/my/leads/%d" % self.offer.id))
        return self.opener.post(self.url(path), data=data, timeout=120)

    def state_of(self, offer):
        with self.server_cursor():
            return offer.state

    def rpc(self, login, model, method, args, kwargs=None):
        with self.server_cursor() as env:
            uid = env["res.users"].search([("login", "=", login)]).id
        return self.xmlrpc_object.execute_kw(get_db_name(), uid, login, model, method, args, kwargs or {})

    # --- what the dealer sees ------------------------------------------------------------
    def test_home_and_list_show_own_offers_only(self):
        self.authenticate("fwp_dealer", "fwp_dealer")
        self.assertIn("/my/leads", self.get("/my").text)
        page = self.get("/my/leads").text
        self.assertIn("Paper for a Foshan school", page)
        self.assertNotIn("Paper for a Foshan bank", page)
        self.assertNotIn(SECRET_PHONE, page)

    def test_offered_lead_shows_the_need_but_not_the_contact(self):
        self.authenticate("fwp_dealer", "fwp_dealer")
        page = self.get("/my/leads/%d" % self.offer.id).text
        self.assertIn("Needs 300 reams a month", page)
        self.assertIn("Forwarded paper", page)
        self.assertIn("Foshan", page)
        for secret in (SECRET_PHONE, SECRET_EMAIL, "Hidden Buyer Ltd", "Ms Hidden", "1 Secret Road"):
            self.assertNotIn(secret, page)

    def test_accepted_lead_shows_the_contact(self):
        self.authenticate("fwp_dealer", "fwp_dealer")
        response = self.post("/my/leads/%d/accept" % self.offer.id, {})
        self.assertEqual(response.status_code, 200)
        for secret in (SECRET_PHONE, SECRET_EMAIL, "Hidden Buyer Ltd", "Ms Hidden"):
            self.assertIn(secret, response.text)
        self.assertEqual(self.state_of(self.offer), "accepted")

    def test_other_dealers_offer_is_not_found(self):
        self.authenticate("fwp_dealer", "fwp_dealer")
        response = self.get("/my/leads/%d" % self.their_offer.id)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Foshan bank", response.text)
        response = self.post("/my/leads/%d/accept" % self.their_offer.id, {})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.state_of(self.their_offer), "offered")

    def test_public_visitor_is_sent_to_login(self):
        for path in ("/my/leads", "/my/leads/%d" % self.offer.id):
            response = self.get(path)
            self.assertIn("/web/login", response.url)
            self.assertNotIn("Foshan school", response.text)

    # --- answers ----------------------------------------------------------------------
    def test_get_on_accept_changes_nothing(self):
        self.authenticate("fwp_dealer", "fwp_dealer")
        response = self.get("/my/leads/%d/accept" % self.offer.id)
        self.assertNotEqual(response.status_code, 200)
        self.assertEqual(self.state_of(self.offer), "offered")

    def test_post_without_csrf_changes_nothing(self):
        self.authenticate("fwp_dealer", "fwp_dealer")
        response = self.opener.post(self.url("/my/leads/%d/accept" % self.offer.id), data={}, timeout=120)
        self.assertNotEqual(response.status_code, 200)
        self.assertEqual(self.state_of(self.offer), "offered")

    def test_replayed_accept_is_harmless(self):
        self.authenticate("fwp_dealer", "fwp_dealer")
        self.post("/my/leads/%d/accept" % self.offer.id, {})
        again = self.post("/my/leads/%d/accept" % self.offer.id, {})
        self.assertEqual(again.status_code, 200)
        self.assertNotIn("o_cn_lead_error", again.text)
        with self.server_cursor():
            self.assertEqual(self.offer.state, "accepted")
            notes = self.mine.message_ids.filtered(lambda m: "accepted the lead" in (m.body or ""))
            self.assertEqual(len(notes), 1)

    def test_decline_requires_a_reason(self):
        self.authenticate("fwp_dealer", "fwp_dealer")
        response = self.post("/my/leads/%d/decline" % self.second_offer.id, {"reason": ""})
        self.assertIn("Please give a reason for declining the lead.", response.text)
        self.assertEqual(self.state_of(self.second_offer), "offered")
        self.post("/my/leads/%d/decline" % self.second_offer.id, {"reason": "Outside our city"})
        with self.server_cursor():
            self.assertEqual((self.second_offer.state, self.second_offer.decline_reason),
                             ("declined", "Outside our city"))

    def test_accepting_a_declined_offer_says_it_is_no_longer_open(self):
        self.authenticate("fwp_dealer", "fwp_dealer")
        self.post("/my/leads/%d/decline" % self.second_offer.id, {"reason": "Too busy"})
        response = self.post("/my/leads/%d/accept" % self.second_offer.id, {})
        self.assertIn("no longer open", response.text)
        self.assertEqual(self.state_of(self.second_offer), "declined")

    # --- working an accepted lead -------------------------------------------------------
    def test_dealer_works_the_accepted_lead_and_it_is_logged(self):
        self.authenticate("fwp_dealer", "fwp_dealer")
        self.post("/my/leads/%d/accept" % self.offer.id, {})
        self.post("/my/leads/%d/update" % self.offer.id, {
            "planned_revenue": "20000", "date_deadline": "2030-05-31", "activity_date": "2030-05-01",
            "activity_summary": "Bring samples", "note": "Met the headmaster"})
        with self.server_cursor():
            lead = self.mine
            self.assertEqual((lead.planned_revenue, lead.date_deadline), (20000.0, "2030-05-31"))
            self.assertEqual(lead.activity_ids.mapped("summary"), ["Bring samples"])
            body = lead.message_ids[0].body
            self.assertIn("Met the headmaster", body)
            self.assertIn("Expected revenue: 20000.0", body)

    def test_dealer_marks_lost_with_a_reason(self):
        self.authenticate("fwp_dealer", "fwp_dealer")
        self.post("/my/leads/%d/accept" % self.offer.id, {})
        response = self.post("/my/leads/%d/update" % self.offer.id, {"outcome": "lost"})
        self.assertIn("Please choose why the lead was lost.", response.text)
        self.post("/my/leads/%d/update" % self.offer.id, {"outcome": "lost", "lost_reason_id": str(self.reason.id)})
        with self.server_cursor():
            lead = self.mine.with_context(active_test=False)
            self.assertEqual((lead.active, lead.lost_reason), (False, self.reason))

    def test_update_of_an_offer_not_accepted_is_refused(self):
        self.authenticate("fwp_dealer", "fwp_dealer")
        response = self.post("/my/leads/%d/update" % self.offer.id, {"planned_revenue": "1"})
        self.assertIn("Only an accepted lead can be updated", response.text)
        with self.server_cursor():
            self.assertEqual(self.mine.planned_revenue, 12345.0)

    # --- XML-RPC as the dealer ------------------------------------------------------------
    def test_dealer_cannot_read_leads_over_xmlrpc(self):
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.rpc("fwp_dealer", "crm.lead", "read", [[self.mine.id], ["phone", "email_from"]])
        self.assertEqual(refusal.exception.faultCode, 4)  # AccessError

    def test_dealer_reads_only_the_need_of_an_offered_lead_over_xmlrpc(self):
        values = self.rpc("fwp_dealer", "crm.cn.lead.forward", "cn_lead_values", [[self.offer.id]])
        self.assertEqual(values["name"], "Paper for a Foshan school")
        self.assertNotIn("phone", values)
        self.assertNotIn(SECRET_PHONE, str(values))
        with self.assertRaises(xmlrpc.client.Fault):
            self.rpc("fwp_dealer", "crm.cn.lead.forward", "cn_lead_values", [[self.their_offer.id]])

    def test_dealer_cannot_write_other_fields_over_xmlrpc(self):
        self.rpc("fwp_dealer", "crm.cn.lead.forward", "action_accept", [[self.offer.id]])
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.rpc("fwp_dealer", "crm.cn.lead.forward", "cn_dealer_update",
                     [[self.offer.id], {"user_id": 1, "planned_revenue": 5}])
        self.assertEqual(refusal.exception.faultCode, 4)
        with self.assertRaises(xmlrpc.client.Fault):
            self.rpc("fwp_dealer", "crm.lead", "write", [[self.mine.id], {"planned_revenue": 5}])
        with self.assertRaises(xmlrpc.client.Fault):
            self.rpc("fwp_dealer", "crm.cn.lead.forward", "write", [[self.offer.id], {"state": "declined"}])
        with self.server_cursor():
            self.assertEqual((self.mine.planned_revenue, self.offer.state), (12345.0, "accepted"))

    def test_manager_forwards_by_rules_over_xmlrpc(self):
        with self.server_cursor() as env:
            env["crm.cn.forward.rule"].search([]).write({"active": False})
            env["crm.cn.forward.rule"].create({"name": "All to the portal dealer",
                                               "dealer_ids": [(6, 0, self.dealer.ids)]})
            lead = env["crm.lead"].create({"name": "RPC lead", "type": "lead"})
            env.cr.commit()
        self.assertEqual(self.rpc("fwp_manager", "crm.lead", "cn_forward_by_rules", [[lead.id]]), 1)
        with self.server_cursor():
            self.assertEqual(lead.cn_dealer_id, self.dealer)
