"""The demo's "one to one" treatment: tier rules, overdue-contact activities
for the salespeople and the contact coverage. Runs on the demo database."""
from odoo.tests.common import TransactionCase


class TestTierRuleDemo(TransactionCase):

    def setUp(self):
        super(TestTierRuleDemo, self).setUp()
        self.call = self.env.ref("mail.mail_activity_data_call")

    def overdue_calls(self, user_xmlid):
        return self.env["mail.activity"].search([
            ("res_model", "=", "res.partner"), ("activity_type_id", "=", self.call.id),
            ("user_id", "=", self.env.ref("crm_cn_lifecycle.%s" % user_xmlid).id),
            ("summary", "like", "customer:")])

    def test_salespeople_have_overdue_contact_activities(self):
        self.assertTrue(self.overdue_calls("user_sales"))
        self.assertTrue(self.overdue_calls("user_manager"))

    def test_the_key_customer_called_today_is_not_overdue(self):
        partner = self.env.ref("crm_cn_lifecycle.partner_sz_oem")
        self.assertEqual(partner.cn_pyramid_tier, "key")
        self.assertTrue(partner.cn_last_contact_date)
        self.assertTrue(partner.user_id)
        calls = self.env["mail.activity"].search([
            ("res_model", "=", "res.partner"), ("res_id", "=", partner.id),
            ("activity_type_id", "=", self.call.id)])
        self.assertFalse(calls)

    def test_a_second_run_schedules_nothing_new(self):
        self.assertEqual(self.env["crm.cn.tier.rule"].schedule_overdue_contacts(), 0)

    def test_coverage_rows_for_the_salespeople(self):
        rows = self.env["crm.cn.contact.coverage"].search([])
        self.assertTrue(rows)
        self.assertGreater(sum(rows.mapped("overdue_count")), 0)
        self.assertGreater(sum(rows.mapped("contacted_count")), 0)
