"""Users with Odoo's own sales rights and no lifecycle role keep working as
Odoo lets them: they create customers and convert leads (Odoo's crm tests do
the same, `make odoo-tests`)."""
from odoo.exceptions import AccessError

from .common import LifecycleCase, create_campaign, create_customer, create_user


class TestOdooSalesRoles(LifecycleCase):

    @classmethod
    def setUpClass(cls):
        super(TestOdooSalesRoles, cls).setUpClass()
        env = cls.env
        cls.odoo_salesman = create_user(env, "odoo_salesman", [
            "base.group_user", "sales_team.group_sale_salesman_all_leads", "base.group_partner_manager"])
        cls.odoo_sales_manager = create_user(env, "odoo_sales_manager", [
            "base.group_user", "sales_team.group_sale_manager"])

    def test_odoo_salesman_without_lifecycle_role_creates_customers(self):
        self.assertFalse(self.odoo_salesman.has_group("crm_cn_lifecycle.group_user"))
        customer = self.env["res.partner"].sudo(self.odoo_salesman).create(
            {"name": "Walk-in Customer", "user_id": self.odoo_salesman.id})
        self.assertEqual(customer.user_id, self.odoo_salesman)
        self.assertFalse(customer.cn_first_campaign_id)

    def test_campaign_touches_still_follow_the_responses(self):
        customer = create_customer(self.env, "Responder")
        campaign = create_campaign(self.env)
        self.env["crm.cn.campaign.response"].create({
            "campaign_id": campaign.id, "matched_partner_id": customer.id, "date": "2026-03-02"})
        self.assertEqual(customer.sudo(self.odoo_salesman).cn_last_campaign_id, campaign)
        self.assertEqual(customer.cn_first_campaign_id, campaign)

    def test_odoo_sales_manager_converts_a_lead_of_another_salesperson(self):
        lead = self.env["crm.lead"].create({
            "name": "Office chairs for a new branch", "type": "lead", "partner_name": "Foshan Branch Office",
            "contact_name": "Zhou Lei", "user_id": self.salesperson.id})
        wizard = self.env["crm.lead2opportunity.partner.mass"].sudo(self.odoo_sales_manager).with_context(
            active_model="crm.lead", active_ids=lead.ids, active_id=lead.id).create({
                "name": "convert", "action": "each_exist_or_create", "user_ids": [(6, 0, self.salesperson.ids)]})
        wizard.mass_convert()
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.partner_id.commercial_partner_id.name, "Foshan Branch Office")
        self.assertEqual(lead.partner_id.commercial_partner_id.user_id, self.salesperson)

    def test_lifecycle_salesperson_still_may_not_give_a_customer_another_salesperson(self):
        with self.assertRaises(AccessError):
            self.env["res.partner"].sudo(self.salesperson).create(
                {"name": "Not mine", "user_id": self.other_salesperson.id})
