"""Campaigns: plan, costs, results and who may change them."""
from odoo.exceptions import AccessError, ValidationError

from .common import LifecycleCase, create_campaign, create_customer, create_opportunity, \
    create_order, create_product


class TestCampaign(LifecycleCase):

    @classmethod
    def setUpClass(cls):
        super(TestCampaign, cls).setUpClass()
        cls.campaign = create_campaign(cls.env, cn_budget=100000.0)
        cls.paper = create_product(cls.env, price=25.0, cost=15.0)

    def test_costs_add_cost_lines_and_vendor_bills_on_the_analytic_account(self):
        analytic = self.env["account.analytic.account"].create({"name": "Expo 2026"})
        self.campaign.cn_analytic_account_id = analytic
        for name, amount in (("Booth rent", 30000.0), ("Brochures", 5000.0)):
            self.env["crm.cn.campaign.cost"].create(
                {"campaign_id": self.campaign.id, "name": name, "amount": amount})
        self._vendor_bill(analytic, 12000.0, "in_invoice")
        self._vendor_bill(analytic, 2000.0, "in_refund")
        self._vendor_bill(analytic, 99999.0, "in_invoice", validate=False)  # draft: not spent yet
        self.assertAlmostEqual(self.campaign.cn_cost, 30000.0 + 5000.0 + 12000.0 - 2000.0)

    def _vendor_bill(self, analytic, amount, kind, validate=True):
        vendor = self.env["res.partner"].create({"name": "Expo Center", "supplier": True})
        expense = self.env["account.account"].search(
            [("user_type_id", "=", self.env.ref("account.data_account_type_expenses").id)], limit=1)
        bill = self.env["account.invoice"].create({
            "partner_id": vendor.id, "type": kind,
            "invoice_line_ids": [(0, 0, {"name": "Expo", "quantity": 1, "price_unit": amount,
                                         "account_id": expense.id, "account_analytic_id": analytic.id})]})
        if validate:
            bill.action_invoice_open()
        return bill

    def test_results_count_leads_opportunities_orders_revenue_and_roi(self):
        self.env["crm.cn.campaign.cost"].create(
            {"campaign_id": self.campaign.id, "name": "Booth", "amount": 1000.0})
        customer = create_customer(self.env, "Pudong Software Park")
        self.env["crm.lead"].create({"name": "Visitor", "type": "lead", "campaign_id": self.campaign.id})
        create_opportunity(self.env, customer, campaign_id=self.campaign.id)
        create_order(self.env, customer, [(self.paper, 200, 25.0)], campaign_id=self.campaign.id)
        create_order(self.env, customer, [(self.paper, 999, 25.0)], confirm=False,
                     campaign_id=self.campaign.id)  # a quotation is no result yet
        campaign = self.campaign
        self.assertEqual((campaign.cn_lead_count, campaign.cn_opportunity_count, campaign.cn_order_count),
                         (1, 1, 1))
        self.assertAlmostEqual(campaign.cn_revenue, 5000.0)
        self.assertAlmostEqual(campaign.cn_margin, 200 * (25.0 - 15.0))
        self.assertAlmostEqual(campaign.cn_roi, 100.0 * (2000.0 - 1000.0) / 1000.0)

    def test_state_runs_from_draft_to_done(self):
        self.assertEqual(self.campaign.cn_state, "draft")
        self.campaign.action_cn_start()
        self.assertEqual(self.campaign.cn_state, "running")
        self.campaign.action_cn_done()
        self.assertEqual(self.campaign.cn_state, "done")

    def test_end_before_start_is_refused(self):
        with self.assertRaises(ValidationError):
            self.campaign.write({"cn_date_start": "2026-05-10", "cn_date_end": "2026-05-01"})

    def test_salesperson_reads_campaigns_but_cannot_change_them(self):
        campaign = self.campaign.sudo(self.salesperson)
        self.assertEqual(campaign.name, "2026 Guangzhou Office Expo")
        with self.assertRaises(AccessError):
            campaign.write({"cn_budget": 1.0})
        with self.assertRaises(AccessError):
            self.env["utm.campaign"].sudo(self.salesperson).create({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.env["crm.cn.campaign.cost"].sudo(self.salesperson).create(
                {"campaign_id": self.campaign.id, "name": "Lunch", "amount": 10.0})

    def test_accountant_reads_campaign_costs_but_cannot_change_them(self):
        cost = self.env["crm.cn.campaign.cost"].create(
            {"campaign_id": self.campaign.id, "name": "Booth", "amount": 1000.0})
        self.assertEqual(cost.sudo(self.accountant).amount, 1000.0)
        with self.assertRaises(AccessError):
            cost.sudo(self.accountant).write({"amount": 1.0})
        with self.assertRaises(AccessError):
            self.campaign.sudo(self.accountant).write({"cn_budget": 1.0})

    def test_manager_edits_campaigns_and_costs(self):
        campaign = self.env["utm.campaign"].sudo(self.manager).create({"name": "East China Seminar"})
        campaign.write({"cn_type": "seminar", "cn_budget": 50000.0})
        self.env["crm.cn.campaign.cost"].sudo(self.manager).create(
            {"campaign_id": campaign.id, "name": "Hotel hall", "amount": 8000.0})
        self.assertEqual(campaign.cn_cost, 8000.0)
