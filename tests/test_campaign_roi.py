"""Campaign ROI on a hand-checked small world, attribution rule included."""
import base64
from datetime import timedelta

import xlrd

from odoo import fields
from odoo.exceptions import AccessError

from .common import LifecycleCase, create_campaign, create_customer, create_opportunity, \
    create_order, create_product
from .test_receivables_world import Accounting


class TestCampaignRoi(LifecycleCase):

    @classmethod
    def setUpClass(cls):
        super(TestCampaignRoi, cls).setUpClass()
        env = cls.env
        cls.today = fields.Date.from_string(fields.Date.context_today(env.user))
        paper = create_product(env, price=20.0, cost=12.0, invoice_policy="order",
                               taxes_id=[(6, 0, [])])
        cls.expo = create_campaign(env, "Expo", cn_type="trade_show")
        cls.mailing = create_campaign(env, "Mailing", cn_type="mailing")
        for campaign, amount in ((cls.expo, 1000.0), (cls.mailing, 200.0)):
            env["crm.cn.campaign.cost"].create({"campaign_id": campaign.id, "name": "Cost", "amount": amount})
        c1 = create_customer(env, "Customer One")
        c2 = create_customer(env, "Customer Two")
        c3 = create_customer(env, "Customer Three")
        cls.respond(cls.expo, c1, 50)
        cls.respond(cls.mailing, c2, 30)
        cls.respond(cls.mailing, c3, 150)
        won = create_opportunity(env, c1, campaign_id=cls.expo.id,
                                 stage_id=env.ref("crm.stage_lead4").id)
        env["crm.lead"].create({"name": "Visitor", "type": "lead", "campaign_id": cls.expo.id})
        first = cls.order(c1, paper, 100, 40, opportunity_id=won.id)
        cls.order(c1, paper, 50, 5)     # no opportunity: last touch (Expo, 45 days before)
        cls.order(c2, paper, 10, 20)    # Mailing, 10 days before
        cls.order(c3, paper, 10, 10)    # Mailing 140 days before: outside 90 days
        invoice = env["account.invoice"].browse(first.action_invoice_create())
        invoice.action_invoice_open()
        Accounting(env).pay(invoice, 1000.0, 1)

    @classmethod
    def days_ago(cls, days):
        return cls.today - timedelta(days=days)

    @classmethod
    def respond(cls, campaign, partner, days):
        cls.env["crm.cn.campaign.response"].create({
            "campaign_id": campaign.id, "matched_partner_id": partner.id,
            "date": fields.Date.to_string(cls.days_ago(days))})

    @classmethod
    def order(cls, partner, product, quantity, days, **values):
        order = create_order(cls.env, partner, [(product, quantity, 20.0)], **values)
        order.confirmation_date = fields.Datetime.to_string(cls.days_ago(days))
        return order

    def summary(self, user=None):
        Report = self.env["crm.cn.campaign.roi.report"].sudo(user or self.env.user)
        return {row["campaign_id"][0]: row for row in Report.summary()}

    def test_campaign_figures_match_the_world(self):
        expo = self.summary()[self.expo.id]
        expected = {"cost": 1000.0, "response_count": 1, "lead_count": 2, "qualified_count": 1,
                    "won_count": 1, "revenue": 3000.0, "margin": 1200.0, "invoiced": 2000.0,
                    "cash": 1000.0, "repurchase_revenue": 1000.0, "cost_per_lead": 500.0,
                    "cost_per_won": 1000.0, "lead_to_opportunity_rate": 50.0,
                    "opportunity_to_won_rate": 100.0, "roi_margin": 20.0, "roi_cash": 0.0}
        for name, value in expected.items():
            self.assertAlmostEqual(expo[name], value, msg=name)

    def test_order_without_opportunity_goes_to_last_response_in_window(self):
        mailing = self.summary()[self.mailing.id]
        self.assertEqual(mailing["response_count"], 2)
        self.assertAlmostEqual(mailing["revenue"], 200.0)      # Customer Three is outside 90 days
        self.assertAlmostEqual(mailing["roi_margin"], 100.0 * (80.0 - 200.0) / 200.0)

    def test_attribution_window_is_configurable(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_cn_lifecycle.attribution_window_days", "200")
        self.assertAlmostEqual(self.summary()[self.mailing.id]["revenue"], 400.0)

    def test_report_groups_by_campaign_type(self):
        rows = self.env["crm.cn.campaign.roi.report"].summary(groupby="campaign_type")
        by_type = {row["campaign_type"]: row for row in rows}
        self.assertAlmostEqual(by_type["trade_show"]["margin"], 1200.0)
        self.assertAlmostEqual(by_type["mailing"]["cost"], 200.0)

    def test_xlsx_export_has_a_row_per_campaign(self):
        action = self.env["crm.cn.campaign.roi.report"].action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        sheet = xlrd.open_workbook(file_contents=base64.b64decode(attachment.datas)).sheet_by_index(0)
        self.assertEqual(sheet.cell_value(0, 0), "Campaign")
        names = {sheet.cell_value(row, 0) for row in range(1, sheet.nrows)}
        self.assertEqual(names, {"Expo", "Mailing"})

    def test_accountant_reads_the_report_and_salesperson_is_refused(self):
        self.assertIn(self.expo.id, self.summary(self.accountant))
        with self.assertRaises(AccessError):
            self.summary(self.salesperson)

    def test_foreign_currency_orders_count_in_company_currency(self):
        env = self.env
        company = env.user.company_id
        usd = env.ref("base.USD") if company.currency_id != env.ref("base.USD") else env.ref("base.EUR")
        usd.active = True
        long_ago = fields.Date.to_string(self.days_ago(400))
        env["res.currency.rate"].search([("currency_id", "in", (usd | company.currency_id).ids)]).unlink()
        env["res.currency.rate"].create({"currency_id": company.currency_id.id, "rate": 1.0, "name": long_ago})
        env["res.currency.rate"].create({"currency_id": usd.id, "rate": 0.15, "name": long_ago})
        pricelist = env["product.pricelist"].create({"name": "Export", "currency_id": usd.id})
        export = create_campaign(env, "Export mailing", cn_type="mailing")
        buyer = create_customer(env, "Lone Star Home Supply")
        fan = create_product(env, "Fan", price=95.0, cost=0.0, taxes_id=[(6, 0, [])])
        create_order(env, buyer, [(fan, 10, 15.0)], pricelist_id=pricelist.id, campaign_id=export.id)
        self.assertAlmostEqual(self.summary()[export.id]["revenue"], 150.0 / 0.15)
