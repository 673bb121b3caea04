"""Per-company credit limits, pipeline risk and campaign ROI with two companies
(Hong Kong in HKD, Shenzhen in CNY) and a dealer shared by both: each company
extends its own credit, and no figure adds HKD to CNY."""
import importlib.util
import os
import xmlrpc.client

from odoo.exceptions import AccessError, UserError
from odoo.tests.common import at_install, get_db_name, post_install

import odoo.addons.crm_cn_lifecycle as addon

from .common import GROUP_USER, LifecycleHttpCase, create_campaign, create_customer, create_user, \
    current_company
from .test_multi_company import MultiCompanyCase, build_companies

MIGRATION = os.path.join(os.path.dirname(addon.__file__), "migrations", "11.0.1.1.0")


def credit_limit_field(env):
    return env["ir.model.fields"].search([("model", "=", "res.partner"), ("name", "=", "cn_credit_limit")])


def set_limit(partner, company, amount):
    partner.with_context(force_company=company.id).write({"cn_credit_limit": amount})


def load_migration(name):
    spec = importlib.util.spec_from_file_location("cn_" + name.replace("-", "_"),
                                                  os.path.join(MIGRATION, name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class MultiCompanyCreditCase(MultiCompanyCase):

    @classmethod
    def setUpClass(cls):
        super(MultiCompanyCreditCase, cls).setUpClass()
        # a salesperson of both companies with Odoo's "Contact Creation" right (ir.property write)
        cls.mc_sales = create_user(cls.env, "mc_sales", [
            "base.group_user", GROUP_USER, "base.group_partner_manager"],
            company_id=cls.hong_kong.id, company_ids=[(6, 0, (cls.shenzhen | cls.hong_kong).ids)])
        cls.dealer.user_id = cls.mc_sales

    def limit_in(self, company, partner=None):
        partner = partner or self.dealer
        return partner._cn_credit_figures(company=company)[partner.id]["credit_limit"]

    def properties(self, partner=None):
        partner = partner or self.dealer
        return self.env["ir.property"].search([
            ("fields_id", "=", credit_limit_field(self.env).id),
            ("res_id", "=", "res.partner,%d" % partner.id)])


class TestCreditLimitPerCompany(MultiCompanyCreditCase):

    def test_customer_with_different_limits_is_held_in_one_company_only(self):
        set_limit(self.dealer, self.hong_kong, 2000.0)   # HK: 1000 HKD owed
        set_limit(self.dealer, self.shenzhen, 4000.0)    # SZ: 500 owed + 1000 ordered, CNY
        self.assertEqual((self.limit_in(self.hong_kong), self.limit_in(self.shenzhen)), (2000.0, 4000.0))
        held = self.quotation(self.hong_kong, 1500.0)
        passes = self.quotation(self.shenzhen, 1500.0)
        with self.assertRaises(UserError) as refusal:
            held.action_confirm()
        self.assertIn("by 500.0 HKD", str(refusal.exception))
        self.assertIn("credit limit 2000.0", str(refusal.exception))
        self.assertEqual(held.state, "draft")
        passes.action_confirm()
        self.assertEqual(passes.state, "sale")

    def test_accountant_sets_the_limit_of_its_current_company_only(self):
        accountant = self.hong_kong_user   # accountant (and manager) of Hong Kong
        self.dealer.sudo(accountant).action_cn_set_credit_limit(7000.0, "Bank guarantee")
        self.assertEqual((self.limit_in(self.hong_kong), self.limit_in(self.shenzhen)), (7000.0, 50000.0))
        self.assertEqual(self.properties().mapped("company_id"), self.hong_kong)
        self.assertIn("7000.0 HKD", self.dealer.message_ids[0].body)
        # the same customer read in each company by a user of both
        dealer = self.dealer.sudo(self.both_user)
        self.switch(self.both_user, self.hong_kong)
        dealer.invalidate_cache()
        self.assertEqual(dealer.cn_credit_limit, 7000.0)
        self.switch(self.both_user, self.shenzhen)
        dealer.invalidate_cache()
        self.assertEqual(dealer.cn_credit_limit, 0.0)
        wizard = self.env["crm.cn.credit.limit.wizard"].sudo(self.both_user).create({
            "partner_id": self.dealer.id, "credit_limit": 9000.0})
        self.assertEqual(wizard.company_id, self.shenzhen)
        wizard.action_set()
        self.assertEqual((self.limit_in(self.hong_kong), self.limit_in(self.shenzhen)), (7000.0, 9000.0))

    def test_salesperson_reads_no_credit_limit_property(self):
        set_limit(self.dealer, self.hong_kong, 2000.0)
        Property = self.env["ir.property"].sudo(self.mc_sales)
        self.assertFalse(Property.search([("fields_id", "=", credit_limit_field(self.env).id)]))
        with self.assertRaises(AccessError):
            self.properties().sudo(self.mc_sales).read(["value_float"])

    def test_salesperson_is_refused_on_the_customer_and_on_its_property(self):
        set_limit(self.dealer, self.hong_kong, 2000.0)
        sales = self.mc_sales
        with self.assertRaises(AccessError):
            self.dealer.sudo(sales).write({"cn_credit_limit": 99999.0})
        with self.assertRaises(AccessError):
            self.dealer.sudo(sales).with_context(force_company=self.shenzhen.id).write(
                {"cn_credit_limit": 99999.0})
        Property = self.env["ir.property"].sudo(sales)
        with self.assertRaises(AccessError):
            Property.create({"name": "cn_credit_limit", "fields_id": credit_limit_field(self.env).id,
                             "res_id": "res.partner,%d" % self.dealer.id, "type": "float",
                             "value_float": 99999.0, "company_id": self.shenzhen.id})
        with self.assertRaises(AccessError):
            self.properties().sudo(sales).write({"value_float": 99999.0})
        with self.assertRaises(AccessError):
            self.properties().sudo(sales).unlink()
        self.assertEqual((self.limit_in(self.hong_kong), self.limit_in(self.shenzhen)), (2000.0, 50000.0))
        # other company-dependent fields stay the salesperson's to set (Odoo's rights)
        term = self.env.ref("account.account_payment_term_15days")
        self.dealer.sudo(sales).write({"property_payment_term_id": term.id})
        self.assertEqual(self.dealer.sudo(sales).property_payment_term_id, term)

    def test_migration_turns_the_old_column_into_each_companys_property(self):
        cr = self.env.cr
        bound = create_customer(self.env, "Kowloon Stationery", "dealer", company_id=self.hong_kong.id)
        idle = create_customer(self.env, "No Limit Trading", "dealer", company_id=False)
        set_limit(self.dealer, self.shenzhen, 100.0)    # set since: kept
        cr.execute("ALTER TABLE res_partner ADD COLUMN cn_credit_limit numeric")
        cr.execute("UPDATE res_partner SET cn_credit_limit = CASE id WHEN %s THEN 9000 WHEN %s THEN 4000 "
                   "ELSE 0 END WHERE id IN %s", [self.dealer.id, bound.id, (self.dealer.id, bound.id, idle.id)])
        load_migration("pre-migrate").migrate(cr, "11.0.1.0.0")
        load_migration("post-migrate").migrate(cr, "11.0.1.0.0")
        cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'res_partner' "
                   "AND column_name LIKE 'cn_credit_limit%%'")
        self.assertEqual(cr.fetchall(), [])
        every_company = self.env["res.company"].search([])
        self.assertEqual(self.properties().mapped("company_id"), every_company)
        self.assertEqual(self.properties(bound).mapped("company_id"), self.hong_kong)
        self.assertFalse(self.properties(idle))
        self.assertEqual((self.limit_in(self.hong_kong), self.limit_in(self.shenzhen)), (9000.0, 100.0))
        self.assertEqual(self.limit_in(self.hong_kong, bound), 4000.0)


class TestPipelineRiskPerCompany(MultiCompanyCreditCase):

    def rows(self, user=None):
        Report = self.env["crm.cn.pipeline.risk.report"]
        Report = Report.sudo(user) if user else Report
        return Report.search([("partner_id", "=", self.dealer.id)])

    def test_shared_customer_has_a_row_in_each_company_with_its_figures(self):
        set_limit(self.dealer, self.hong_kong, 7000.0)
        rows = self.rows()
        self.assertEqual(rows.mapped("company_id"), self.shenzhen | self.hong_kong)
        hong_kong = rows.filtered(lambda row: row.company_id == self.hong_kong)
        shenzhen = rows.filtered(lambda row: row.company_id == self.shenzhen)
        self.assertEqual((hong_kong.currency_id, hong_kong.receivable_balance, hong_kong.overdue_amount,
                          hong_kong.uninvoiced_orders), (self.hkd, 1000.0, 1000.0, 0.0))
        self.assertEqual((hong_kong.credit_limit, hong_kong.credit_headroom), (7000.0, 6000.0))
        self.assertEqual((shenzhen.currency_id, shenzhen.receivable_balance, shenzhen.overdue_amount,
                          shenzhen.uninvoiced_orders), (self.cny, 500.0, 0.0, 1000.0))
        self.assertEqual((shenzhen.credit_limit, shenzhen.credit_headroom), (50000.0, 48500.0))

    def test_each_user_sees_the_rows_of_its_company(self):
        self.assertEqual(self.rows(self.hong_kong_user).mapped("company_id"), self.hong_kong)
        self.assertEqual(self.rows(self.shenzhen_user).mapped("company_id"), self.shenzhen)
        self.switch(self.both_user, self.shenzhen)
        row = self.rows(self.both_user)
        self.assertEqual((row.company_id, row.receivable_balance), (self.shenzhen, 500.0))


class TestCampaignRoiPerCompany(MultiCompanyCreditCase):

    def test_one_campaign_with_orders_in_both_companies_gives_a_row_per_currency(self):
        campaign = create_campaign(self.env, "Canton Fair 2026", cn_user_id=self.hong_kong_user.id,
                                   cn_currency_id=self.hkd.id)
        self.env["crm.cn.campaign.cost"].create({"campaign_id": campaign.id, "name": "Booth",
                                                 "amount": 300.0})
        for company, amount in ((self.hong_kong, 1000.0), (self.shenzhen, 2000.0)):
            order = self.quotation(company, amount)
            order.campaign_id = campaign
            with current_company(self.env, company):
                order.action_confirm()
        Report = self.env["crm.cn.campaign.roi.report"]
        rows = Report.summary([("campaign_id", "=", campaign.id)])
        by_currency = {row["currency_id"][1]: row for row in rows}
        self.assertEqual(len(rows), 2)
        self.assertEqual((by_currency["HKD"]["company_id"][0], by_currency["HKD"]["revenue"],
                          by_currency["HKD"]["cost"]), (self.hong_kong.id, 1000.0, 300.0))
        self.assertEqual((by_currency["CNY"]["company_id"][0], by_currency["CNY"]["revenue"],
                          by_currency["CNY"]["cost"]), (self.shenzhen.id, 2000.0, 0.0))
        by_type = Report.summary([("campaign_id", "=", campaign.id)], groupby="campaign_type")
        self.assertEqual(sorted(row["revenue"] for row in by_type), [1000.0, 2000.0])
        seen = Report.sudo(self.shenzhen_user).summary([("campaign_id", "=", campaign.id)])
        self.assertEqual([(row["currency_id"][1], row["revenue"]) for row in seen], [("CNY", 2000.0)])


@at_install(False)
@post_install(True)
class TestCreditLimitOverXmlRpc(LifecycleHttpCase):

    def build_world(self):
        env = self.env
        self.shenzhen, self.hong_kong, _users = build_companies(env)
        self.sales = create_user(env, "mc_rpc_sales", [
            "base.group_user", GROUP_USER, "base.group_partner_manager"],
            company_id=self.hong_kong.id, company_ids=[(6, 0, (self.shenzhen | self.hong_kong).ids)])
        self.dealer = create_customer(env, "Pearl River Dealer", "dealer", company_id=False,
                                      user_id=self.sales.id)
        self.field = credit_limit_field(env)

    def execute(self, model, method, *args):
        return self.xmlrpc_object.execute_kw(
            get_db_name(), self.sales.id, self.sales.login, model, method, list(args))

    def test_xmlrpc_salesperson_sets_no_credit_limit_by_any_door(self):
        self.assertEqual(self.execute("res.partner", "read", self.dealer.ids, ["name"])[0]["name"],
                         "Pearl River Dealer")
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.execute("res.partner", "write", self.dealer.ids, {"cn_credit_limit": 99999.0})
        self.assertEqual(refusal.exception.faultCode, 4)
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.execute("ir.property", "create", {
                "name": "cn_credit_limit", "fields_id": self.field.id, "type": "float",
                "res_id": "res.partner,%d" % self.dealer.id, "value_float": 99999.0,
                "company_id": self.hong_kong.id})
        self.assertEqual(refusal.exception.faultCode, 4)
        with self.server_cursor():
            self.assertFalse(self.env["ir.property"].search([("fields_id", "=", self.field.id)]))
            self.assertEqual(self.dealer.with_context(force_company=self.hong_kong.id).cn_credit_limit, 0.0)
