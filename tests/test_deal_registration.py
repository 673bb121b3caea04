"""Deal registrations through the ORM: matching, protection, approval, who may do what."""
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError

from .common import LifecycleCase, create_customer, create_dealer, create_opportunity, create_product, \
    portal_user_of


def days_from_today(env, days):
    today = fields.Date.from_string(fields.Date.context_today(env.user))
    return fields.Date.to_string(today + timedelta(days=days))


class DealRegistrationCase(LifecycleCase):

    @classmethod
    def setUpClass(cls):
        super(DealRegistrationCase, cls).setUpClass()
        env = cls.env
        Category = env["product.category"]
        cls.stationery = Category.create({"name": "Reg Stationery"})
        cls.equipment = Category.create({"name": "Reg Equipment", "cn_registration_days": 30})
        cls.paper = create_product(env, "Reg paper", default_code="REG-PAPER", categ_id=cls.stationery.id)
        cls.shredder = create_product(env, "Reg shredder", default_code="REG-SHRED", categ_id=cls.equipment.id)
        cls.dealer = create_dealer(env, "Reg Dealer A", login="reg_dealer_a", user_id=cls.salesperson.id)
        cls.other_dealer = create_dealer(env, "Reg Dealer B", login="reg_dealer_b")
        cls.dealer_user = portal_user_of(cls.dealer)
        cls.other_dealer_user = portal_user_of(cls.other_dealer)

    def register(self, user, name, product=None, **values):
        """A registration created and submitted as `user` (a dealer's portal user)."""
        Registration = self.env["crm.cn.deal.registration"].sudo(user)
        vals = {"customer_name": name, "contact_name": "Buyer",
                "line_ids": [(0, 0, {"product_id": (product or self.paper).id, "quantity": 10})]}
        vals.update(values)
        registration = Registration.create(vals)
        registration.action_submit()
        return registration

    def approve(self, registration, note="Checked with the customer"):
        registration.sudo(self.manager).action_approve(note=note)
        return registration


class TestDealRegistrationMatching(DealRegistrationCase):

    def test_three_name_forms_of_one_company_match(self):
        create_customer(self.env, "广州华信办公用品有限公司 / Huaxin Office Supplies (Guangzhou) Co., Ltd.")
        for name in ("华信办公用品（广州）有限公司", "Huaxin Office Supplies (Guangzhou) Co., Ltd.",
                     "广州华信办公用品有限公司"):
            registration = self.register(self.dealer_user, name, phone="13911112222")
            self.assertEqual(registration.state, "conflict", name)
            self.assertEqual(registration.sudo().conflict_ids.filtered(
                lambda c: c.partner_id).mapped("reason"), ["name"], name)

    def test_english_name_of_the_registration_matches_an_english_opportunity(self):
        lead = self.env["crm.lead"].create({"name": "Folders", "partner_name": "Huaxin Office Supplies Limited"})
        registration = self.register(self.dealer_user, "华信办公用品（广州）有限公司",
                                     customer_name_en="Huaxin Office Supplies (Guangzhou) Co., Ltd.")
        self.assertEqual(registration.sudo().conflict_ids.mapped("lead_id"), lead)

    def test_phone_and_email_domain_match(self):
        lead = self.env["crm.lead"].create({"name": "Pens", "partner_name": "Somebody", "phone": "+86 20 8888 1234"})
        partner = create_customer(self.env, "Another Name Ltd", email="buyer@acme-stationery.cn")
        registration = self.register(self.dealer_user, "完全不同公司", phone="020-88881234",
                                     email="boss@ACME-stationery.cn")
        conflicts = registration.sudo().conflict_ids
        self.assertEqual(conflicts.filtered(lambda c: c.lead_id == lead).reason, "phone")
        self.assertEqual(conflicts.filtered(lambda c: c.partner_id == partner).reason, "email")

    def test_public_mail_domains_do_not_match(self):
        create_customer(self.env, "QQ user company", email="someone@qq.com")
        registration = self.register(self.dealer_user, "没有冲突的公司", email="other@qq.com")
        self.assertEqual(registration.state, "submitted")
        self.assertFalse(registration.sudo().conflict_ids)

    def test_dealers_own_company_and_contacts_are_no_conflict(self):
        registration = self.register(self.dealer_user, "Reg Dealer A")
        self.assertEqual(registration.state, "submitted")

    def test_dealer_learns_only_that_the_customer_is_covered(self):
        create_customer(self.env, "深圳明达电子有限公司", user_id=self.salesperson.id)
        Registration = self.env["crm.cn.deal.registration"].sudo(self.dealer_user)
        result = Registration.register_deal(
            {"customer_name": "明达电子（深圳）有限公司", "contact_name": "Buyer"},
            [{"product_code": "REG-PAPER", "quantity": 5}])
        self.assertEqual(result["state"], "conflict")
        self.assertIn("already covered", result["message"])
        self.assertNotIn("明达", result["message"])
        registration = Registration.browse(result["id"])
        with self.assertRaises(AccessError):
            registration.read(["conflict_ids"])
        with self.assertRaises(AccessError):
            self.env["crm.cn.deal.registration.conflict"].sudo(self.dealer_user).search([])
        self.assertNotIn("conflict_ids", registration.read()[0])


class TestDealRegistrationProtection(DealRegistrationCase):

    def test_approved_registration_blocks_another_dealer_in_the_same_category(self):
        self.approve(self.register(self.dealer_user, "佛山美联家居有限公司", phone="0757-22386610"))
        with self.assertRaises(UserError) as refusal:
            self.register(self.other_dealer_user, "美联家居（佛山）有限公司")
        self.assertIn("already covered", refusal.exception.name)
        self.assertNotIn("Reg Dealer A", refusal.exception.name)
        self.assertFalse(self.env["crm.cn.deal.registration"].search(
            [("dealer_id", "=", self.other_dealer.id), ("state", "!=", "draft")]))

    def test_protected_customer_from_the_portal_form_saves_nothing(self):
        self.approve(self.register(self.dealer_user, "佛山美联家居有限公司"))
        Registration = self.env["crm.cn.deal.registration"].sudo(self.other_dealer_user)
        with self.assertRaises(UserError) as refusal:
            Registration.register_deal({"customer_name": "Foshan Meilian Home Co., Ltd. / 美联家居（佛山）",
                                        "contact_name": "He"}, [{"product_code": "REG-PAPER", "quantity": 1}])
        self.assertIn("already covered", refusal.exception.name)
        self.assertFalse(Registration.search([]))

    def test_another_category_is_not_blocked(self):
        self.approve(self.register(self.dealer_user, "佛山美联家居有限公司"))
        registration = self.register(self.other_dealer_user, "美联家居（佛山）有限公司", product=self.shredder)
        self.assertEqual(registration.state, "conflict")

    def test_protection_follows_the_category_period_and_expires(self):
        registration = self.approve(self.register(self.dealer_user, "佛山美联家居有限公司", product=self.shredder))
        self.assertEqual(registration.protected_until, days_from_today(self.env, 30))
        default = self.approve(self.register(self.dealer_user, "东莞新锐五金厂"))
        self.assertEqual(default.protected_until, days_from_today(self.env, 90))
        registration.sudo().write({"protected_until": days_from_today(self.env, -1)})
        self.env["crm.cn.deal.registration"]._cron_expire()
        self.assertEqual(registration.state, "expired")
        again = self.register(self.other_dealer_user, "美联家居（佛山）有限公司", product=self.shredder)
        self.assertEqual(again.state, "conflict")  # its opportunity still matches: not refused


class TestDealRegistrationDecision(DealRegistrationCase):

    def test_approval_makes_an_opportunity_with_the_products_for_the_dealer(self):
        registration = self.register(self.dealer_user, "广州明德实验学校", phone="020-87654321",
                                     amount_expected=18600.0, line_ids=[
                                         (0, 0, {"product_id": self.paper.id, "quantity": 600}),
                                         (0, 0, {"product_id": self.shredder.id, "quantity": 2})])
        registration = self.approve(registration).sudo()
        lead = registration.lead_id
        self.assertEqual(registration.state, "approved")
        self.assertEqual((lead.type, lead.cn_dealer_id, lead.user_id, lead.planned_revenue),
                         ("opportunity", self.dealer, self.salesperson, 18600.0))
        self.assertEqual(lead.cn_lead_line_ids.mapped(lambda l: (l.product_id, l.product_uom_qty, l.price_unit)),
                         [(self.paper, 600.0, self.paper.lst_price), (self.shredder, 2.0, self.shredder.lst_price)])
        # the dealer works it on the portal as an accepted offer
        self.assertEqual((lead.cn_forward_state, lead.cn_forward_ids.mapped("state"),
                          lead.cn_forward_ids.dealer_id), ("accepted", ["accepted"], self.dealer))

    def test_approved_opportunity_carries_the_registered_category(self):
        registration = self.approve(self.register(self.dealer_user, "东莞松山湖软件园", phone="0769-22334455"))
        self.assertEqual(registration.sudo().categ_id, self.stationery)
        self.assertEqual(registration.sudo().lead_id.cn_categ_id, self.stationery)
        # the dealer's list of leads shows it
        offer = registration.sudo().lead_id.cn_forward_ids.sudo(self.dealer_user)
        self.assertEqual(offer.cn_lead_values()["cn_categ_id"][0], self.stationery.id)

    def test_conflict_needs_a_note_to_be_approved(self):
        create_customer(self.env, "顺景文具有限公司")
        registration = self.register(self.dealer_user, "佛山顺景文具有限公司")
        with self.assertRaises(UserError):
            registration.sudo(self.manager).action_approve()
        self.approve(registration, note="The customer asked for this dealer")
        self.assertEqual(registration.state, "approved")

    def test_rejection_needs_a_reason(self):
        registration = self.register(self.dealer_user, "韶关新世纪书店")
        with self.assertRaises(UserError):
            registration.sudo(self.manager).action_reject()
        registration.sudo(self.manager).action_reject(reason="Not our products")
        self.assertEqual((registration.state, registration.reject_reason), ("rejected", "Not our products"))

    def test_salesperson_and_dealer_cannot_decide(self):
        registration = self.register(self.dealer_user, "韶关新世纪书店")
        for user in (self.salesperson, self.dealer_user):
            with self.assertRaises(AccessError):
                registration.sudo(user).action_approve(note="me")
            with self.assertRaises(AccessError):
                registration.sudo(user).action_reject(reason="me")
        self.assertEqual(registration.state, "submitted")


class TestDealRegistrationFields(DealRegistrationCase):

    def test_manager_only_fields_are_refused_to_the_dealer(self):
        registration = self.env["crm.cn.deal.registration"].sudo(self.dealer_user).create(
            {"customer_name": "湛江海风文具店", "contact_name": "Wang",
             "line_ids": [(0, 0, {"product_id": self.paper.id, "quantity": 1})]})
        for vals in ({"state": "approved"}, {"protected_until": days_from_today(self.env, 300)},
                     {"reject_reason": "x"}, {"manager_note": "x"}):
            with self.assertRaises(AccessError):
                registration.write(vals)
        with self.assertRaises(AccessError):
            registration.copy({"state": "approved"})
        self.assertEqual(registration.state, "draft")

    def test_dealer_creates_for_its_own_company_only(self):
        Registration = self.env["crm.cn.deal.registration"].sudo(self.dealer_user)
        with self.assertRaises(AccessError):
            Registration.create({"customer_name": "X", "dealer_id": self.other_dealer.id})
        with self.assertRaises(AccessError):
            Registration.create({"customer_name": "X", "state": "approved"})

    def test_dealer_sees_only_its_own_registrations(self):
        mine = self.register(self.dealer_user, "肇庆星湖纸业")
        theirs = self.register(self.other_dealer_user, "江门五邑文具")
        found = self.env["crm.cn.deal.registration"].sudo(self.dealer_user).search([])
        self.assertIn(mine, found)
        self.assertNotIn(theirs, found)

    def test_submitted_registration_cannot_be_changed_by_the_dealer(self):
        registration = self.register(self.dealer_user, "肇庆星湖纸业")
        with self.assertRaises(UserError):
            registration.sudo(self.dealer_user).write({"customer_name": "Other"})
        with self.assertRaises(UserError):
            registration.sudo(self.dealer_user).line_ids.write({"quantity": 99})

    def test_register_deal_checks_every_value_and_saves_nothing_when_one_is_wrong(self):
        Registration = self.env["crm.cn.deal.registration"].sudo(self.dealer_user)
        before = Registration.search_count([])
        with self.assertRaises(UserError) as refusal:
            Registration.register_deal({"customer_name": "汕头美华文具", "phone": "12", "amount_expected": "x"},
                                       [{"product_code": "NOPE", "quantity": 1},
                                        {"product_code": "REG-PAPER", "quantity": 0}])
        message = refusal.exception.name
        for part in ("Phone", "Expected amount", "Product line 1", "Product line 2"):
            self.assertIn(part, message)
        self.assertEqual(Registration.search_count([]), before)

    def test_the_same_token_makes_one_registration(self):
        Registration = self.env["crm.cn.deal.registration"].sudo(self.dealer_user)
        values = {"customer_name": "惠州东江文具", "contact_name": "Li"}
        lines = [{"product_code": "REG-PAPER", "quantity": 3}]
        first = Registration.register_deal(values, lines, token="tok-1")
        second = Registration.register_deal(values, lines, token="tok-1")
        self.assertEqual(first["id"], second["id"])
        self.assertEqual(Registration.search_count([("client_token", "=", "tok-1")]), 1)
