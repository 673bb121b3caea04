"""Two companies in one database: a Hong Kong trading company keeping its books
in HKD and a Shenzhen company in CNY. Each company's records are seen in that
company only; credit is counted, in its currency, in the company that extends it."""
import xmlrpc.client
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests.common import at_install, get_db_name, post_install

from .common import GROUP_ACCOUNTANT, GROUP_MANAGER, LifecycleCase, LifecycleHttpCase, \
    create_company, create_customer, create_dealer, create_opportunity, create_product, \
    create_user, current_company, portal_user_of
from .test_receivables_world import Accounting, days_ago, today_of

ROLES = ["base.group_user", GROUP_MANAGER, GROUP_ACCOUNTANT]
# The addon's models that carry a company, and so a multi-company record rule.
COMPANY_MODELS = [
    "crm.cn.credit.policy", "crm.cn.win.model", "crm.cn.win.analysis", "crm.cn.stage.history",
    "crm.cn.channel.stock.report", "crm.cn.channel.stock.report.line",
    "crm.cn.pipeline.risk.report", "crm.cn.forecast.report", "crm.cn.forecast.snapshot",
    "crm.cn.forecast.accuracy", "crm.cn.service.report", "crm.cn.lifecycle.event",
    "crm.cn.order.fx",
]


def build_companies(env):
    """Shenzhen (CNY) and Hong Kong (HKD), and three users with every role of
    the addon: one of each company and one working in both (now in Hong Kong)."""
    shenzhen = create_company(env, "Shenzhen Office Supplies Co.", env.ref("base.CNY"))
    hong_kong = create_company(env, "Hong Kong Office Trading Ltd.", env.ref("base.HKD"))
    users = {}
    for login, companies in (("mc_shenzhen", shenzhen), ("mc_hong_kong", hong_kong),
                             ("mc_both", shenzhen | hong_kong)):
        users[login] = create_user(env, login, ROLES, company_id=companies[-1:].id,
                                   company_ids=[(6, 0, companies.ids)])
    return shenzhen, hong_kong, users


def company_books(env, company):
    """The accounts and journals of a new company (Accounting's), with its
    receivable account as its customers' default."""
    with current_company(env, company):
        books = Accounting(env)
        field = env["ir.model.fields"].search([("model", "=", "res.partner"),
                                               ("name", "=", "property_account_receivable_id")])
        env["ir.property"].create({
            "name": "property_account_receivable_id", "fields_id": field.id, "type": "many2one",
            "value_reference": "account.account,%d" % books.receivable.id, "company_id": company.id})
    return books


def build_company_records(env, company, dealer, product, label):
    """One record of each of the addon's company models, made in `company`."""
    with current_company(env, company):
        customer = create_customer(env, "%s Customer" % label, "direct", company_id=company.id)
        lead = create_opportunity(env, customer, "%s deal" % label, probability=50.0,
                                  date_deadline=fields.Date.context_today(env.user))
        env["crm.cn.win.model"].create({"message": label})
        env["crm.cn.channel.stock.report"].create({
            "dealer_id": dealer.id, "line_ids": [(0, 0, {"product_id": product.id, "on_hand_qty": 5})]})
        env["helpdesk.ticket"].create({"name": "%s repair" % label, "description": "Jam",
                                       "partner_id": customer.id})
        week = days_ago(env, 21)
        env["crm.cn.forecast.snapshot"].create({"snapshot_date": week, "week_start": week,
                                                "expected": 100.0})
        env["sale.order"].create({"partner_id": customer.id})
    return lead


class MultiCompanyCase(LifecycleCase):

    @classmethod
    def setUpClass(cls):
        super(MultiCompanyCase, cls).setUpClass()
        env = cls.env
        cls.shenzhen, cls.hong_kong, users = build_companies(env)
        cls.shenzhen_user, cls.hong_kong_user = users["mc_shenzhen"], users["mc_hong_kong"]
        cls.both_user = users["mc_both"]
        cls.hkd, cls.cny = cls.hong_kong.currency_id, cls.shenzhen.currency_id
        cls.dealer = create_customer(env, "Pearl River Dealer", "dealer", company_id=False)
        Policy = env["crm.cn.credit.policy"]
        Policy.create({"customer_class": "dealer", "company_id": cls.hong_kong.id, "credit_limit": 3000.0})
        Policy.create({"customer_class": "dealer", "company_id": cls.shenzhen.id, "credit_limit": 50000.0})
        # Shenzhen's rate of HKD: 1 CNY = 1.1 HKD (Hong Kong has no rate: HKD is its own currency)
        for currency, rate in ((cls.hkd, 1.1), (cls.cny, 1.0)):
            env["res.currency.rate"].create({"currency_id": currency.id, "rate": rate,
                                             "name": days_ago(env, 400), "company_id": cls.shenzhen.id})
        cls.pricelists = {}
        for company, currency in ((cls.shenzhen, cls.cny), (cls.shenzhen, cls.hkd), (cls.hong_kong, cls.hkd)):
            cls.pricelists[company, currency] = env["product.pricelist"].create({
                "name": "%s %s" % (company.name, currency.name), "currency_id": currency.id,
                "company_id": company.id})
        cls.hk_books = company_books(env, cls.hong_kong)
        cls.sz_books = company_books(env, cls.shenzhen)
        with current_company(env, cls.hong_kong):
            # 1000 HKD invoiced 40 days ago, due 10 days ago: overdue
            cls.hk_books.invoice(cls.dealer, 1000.0, 40, due_days_ago=10)
        with current_company(env, cls.shenzhen):
            # 500 CNY not due yet, and an order of 1100 HKD (1000 CNY) not invoiced
            cls.sz_books.invoice(cls.dealer, 500.0, 5, due_days_ago=-25)
            cls.sz_books.order(cls.dealer, 1100.0, pricelist=cls.pricelists[cls.shenzhen, cls.hkd])

    def quotation(self, company, amount, currency=None):
        books = self.hk_books if company == self.hong_kong else self.sz_books
        with current_company(self.env, company):
            return books.order(self.dealer, amount, confirm=False,
                               pricelist=self.pricelists[company, currency or company.currency_id])

    def switch(self, user, company):
        """The user picks `company` in the company switcher (writes it on itself)."""
        self.env["res.users"].sudo(user).browse(user.id).write({"company_id": company.id})
        self.env["res.users"].invalidate_cache()


class TestRecordsStayInTheirCompany(MultiCompanyCase):

    @classmethod
    def setUpClass(cls):
        super(TestRecordsStayInTheirCompany, cls).setUpClass()
        env = cls.env
        product = create_product(env, "Shredder S1", default_code="S1")
        cls.leads = build_company_records(env, cls.shenzhen, cls.dealer, product, "Shenzhen") | \
            build_company_records(env, cls.hong_kong, cls.dealer, product, "Hong Kong")
        env["crm.cn.stage.history"].invalidate_cache()

    def records_of(self, model, company):
        return self.env[model].search([("company_id", "=", company.id)])

    def visible(self, model, user):
        return self.env[model].sudo(user).search(
            [("company_id", "in", (self.shenzhen | self.hong_kong).ids)])

    def test_every_company_model_has_records_of_both_companies_here(self):
        for model in COMPANY_MODELS:
            for company in (self.shenzhen, self.hong_kong):
                with self.subTest(model=model, company=company.name):
                    self.assertTrue(self.records_of(model, company))

    def test_user_of_one_company_sees_none_of_the_other_companys_records(self):
        for model in COMPANY_MODELS:
            with self.subTest(model=model):
                hong_kong = self.records_of(model, self.hong_kong)
                self.assertEqual(self.visible(model, self.hong_kong_user).ids, hong_kong.ids)
                self.assertEqual(self.visible(model, self.shenzhen_user).ids,
                                 self.records_of(model, self.shenzhen).ids)

    def test_user_of_one_company_cannot_read_the_other_companys_record(self):
        for model in COMPANY_MODELS:
            with self.subTest(model=model):
                shenzhen = self.records_of(model, self.shenzhen)[:1]
                with self.assertRaises(AccessError):
                    shenzhen.sudo(self.hong_kong_user).read(["company_id"])

    def test_user_of_one_company_cannot_change_the_other_companys_credit_policy(self):
        policy = self.records_of("crm.cn.credit.policy", self.shenzhen)
        with self.assertRaises(AccessError):
            policy.sudo(self.hong_kong_user).write({"credit_limit": 1.0})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.env["crm.cn.credit.policy"].sudo(self.hong_kong_user).create({
                "customer_class": "direct", "company_id": self.shenzhen.id, "credit_limit": 1.0})
        policy.invalidate_cache()
        self.assertEqual(policy.credit_limit, 50000.0)

    def test_user_of_both_companies_sees_the_current_companys_records(self):
        for company, other in ((self.hong_kong, self.shenzhen), (self.shenzhen, self.hong_kong)):
            self.switch(self.both_user, company)
            for model in COMPANY_MODELS:
                with self.subTest(model=model, company=company.name):
                    visible = self.visible(model, self.both_user)
                    self.assertEqual(visible.ids, self.records_of(model, company).ids)
                    self.assertFalse(visible & self.records_of(model, other))

    def test_forecast_snapshot_keeps_each_companys_forecast_apart(self):
        snapshots = self.env["crm.cn.forecast.snapshot"].sudo(self.manager).action_take_snapshot()
        taken = snapshots.filtered(lambda snapshot: snapshot.company_id in self.shenzhen | self.hong_kong)
        for lead in self.leads:   # 10000 at 50%, one in each company
            mine = taken.filtered(lambda snapshot: snapshot.company_id == lead.company_id)
            self.assertEqual(sum(mine.mapped("expected")), 5000.0)
        seen = self.env["crm.cn.forecast.snapshot"].sudo(self.hong_kong_user).search(
            [("id", "in", taken.ids)])
        self.assertEqual(seen.mapped("company_id"), self.hong_kong)

    def test_dealer_report_from_the_portal_belongs_to_the_dealer_users_company(self):
        with current_company(self.env, self.hong_kong):
            dealer = create_dealer(self.env, "Kowloon Dealer", login="mc_kowloon")
        portal = portal_user_of(dealer)
        self.assertEqual(portal.company_id, self.hong_kong)
        Report = self.env["crm.cn.channel.stock.report"]
        report_id = Report.sudo(portal).submit_report(
            dealer.id, fields.Date.context_today(portal), [{"product_code": "S1", "on_hand": 3, "sold": 1}])
        report = Report.sudo(portal).browse(report_id)
        self.assertEqual(report.company_id, self.hong_kong)
        self.assertEqual(report.line_ids.mapped("on_hand_qty"), [3.0])
        self.assertFalse(Report.sudo(self.shenzhen_user).search([("id", "=", report_id)]))


class TestCreditPerCompany(MultiCompanyCase):

    def test_credit_figures_are_per_company_and_in_its_currency(self):
        hong_kong = self.dealer._cn_credit_figures(company=self.hong_kong)[self.dealer.id]
        shenzhen = self.dealer._cn_credit_figures(company=self.shenzhen)[self.dealer.id]
        self.assertEqual((hong_kong["balance"], hong_kong["overdue"], hong_kong["orders"]),
                         (1000.0, 1000.0, 0.0))
        self.assertEqual((hong_kong["credit_limit"], hong_kong["headroom"]), (3000.0, 2000.0))
        self.assertEqual((shenzhen["balance"], shenzhen["overdue"], shenzhen["orders"]),
                         (500.0, 0.0, 1000.0))     # 1100 HKD / 1.1
        self.assertEqual((shenzhen["credit_limit"], shenzhen["headroom"]), (50000.0, 48500.0))

    def test_customer_shows_the_credit_of_the_users_current_company(self):
        dealer = self.dealer.sudo(self.both_user)
        self.switch(self.both_user, self.hong_kong)
        dealer.invalidate_cache()
        self.assertEqual((dealer.cn_receivable_balance, dealer.cn_overdue_amount), (1000.0, 1000.0))
        self.assertEqual(dealer.cn_credit_currency_id, self.hkd)
        self.switch(self.both_user, self.shenzhen)
        dealer.invalidate_cache()
        self.assertEqual((dealer.cn_receivable_balance, dealer.cn_overdue_amount), (500.0, 0.0))
        self.assertEqual(dealer.cn_credit_exposure, 1500.0)
        self.assertEqual(dealer.cn_credit_currency_id, self.cny)

    def test_quotation_shows_the_credit_of_its_own_company_whoever_looks(self):
        quotation = self.quotation(self.hong_kong, 100.0)
        quotation.invalidate_cache()   # read in the superuser's own (third) company
        self.assertNotIn(self.env.user.company_id, self.shenzhen | self.hong_kong)
        self.assertEqual(quotation.cn_credit_currency_id, self.hkd)
        self.assertEqual(quotation.cn_overdue_amount, 1000.0)
        self.assertEqual(quotation.cn_credit_headroom, 2000.0)
        self.assertTrue(quotation.cn_credit_alert)

    def test_order_is_held_by_its_own_companys_exposure_and_limit(self):
        held = self.quotation(self.hong_kong, 2500.0)    # HK headroom 2000 HKD
        passes = self.quotation(self.shenzhen, 2500.0)   # SZ headroom 48500 CNY
        self.switch(self.both_user, self.shenzhen)       # whatever company the user is in
        with self.assertRaises(UserError) as refusal:
            held.action_confirm()
        self.assertIn("by 500.0 HKD", str(refusal.exception))
        self.assertIn("credit limit 3000.0", str(refusal.exception))
        self.assertEqual(held.state, "draft")
        self.assertTrue(held.cn_credit_hold)
        passes.sudo(self.both_user).action_confirm()
        self.assertEqual(passes.state, "sale")

    def test_foreign_currency_order_is_converted_at_its_companys_rate(self):
        # 53000 HKD is 48181.82 CNY at Shenzhen's rate: within its 48500 CNY headroom
        quotation = self.quotation(self.shenzhen, 53000.0, currency=self.hkd)
        with current_company(self.env, self.hong_kong):   # confirmed from the other company
            self.assertFalse(quotation.cn_credit_hold)
            quotation.action_confirm()
        self.assertEqual(quotation.state, "sale")

    def test_pipeline_risk_shows_the_figures_of_the_customers_company_only(self):
        customer = create_customer(self.env, "Kowloon Stationery", "dealer", company_id=self.hong_kong.id)
        with current_company(self.env, self.hong_kong):
            self.hk_books.invoice(customer, 1000.0, 40, due_days_ago=10)
        with current_company(self.env, self.shenzhen):
            self.sz_books.invoice(customer, 500.0, 40, due_days_ago=10)
        Report = self.env["crm.cn.pipeline.risk.report"]
        row = Report.sudo(self.hong_kong_user).search([("partner_id", "=", customer.id)])
        self.assertEqual((row.company_id, row.currency_id), (self.hong_kong, self.hkd))
        self.assertEqual((row.receivable_balance, row.overdue_amount), (1000.0, 1000.0))
        self.assertEqual((row.credit_limit, row.credit_headroom), (3000.0, 2000.0))
        self.assertFalse(Report.sudo(self.shenzhen_user).search([("partner_id", "=", customer.id)]))

    def test_hong_kong_invoice_does_not_count_in_shenzhen(self):
        with current_company(self.env, self.hong_kong):
            self.hk_books.invoice(self.dealer, 40000.0, 1, due_days_ago=-30)
        shenzhen = self.dealer._cn_credit_figures(company=self.shenzhen)[self.dealer.id]
        hong_kong = self.dealer._cn_credit_figures(company=self.hong_kong)[self.dealer.id]
        self.assertEqual(shenzhen["balance"], 500.0)
        self.assertEqual(hong_kong["balance"], 41000.0)
        quotation = self.quotation(self.shenzhen, 2500.0)
        quotation.action_confirm()
        self.assertEqual(quotation.state, "sale")


@at_install(False)
@post_install(True)
class TestCompanyRulesOverXmlRpc(LifecycleHttpCase):

    def build_world(self):
        env = self.env
        self.shenzhen, self.hong_kong, users = build_companies(env)
        self.hong_kong_user = users["mc_hong_kong"]
        Policy = env["crm.cn.credit.policy"]
        self.hk_policy = Policy.create({"customer_class": "dealer", "company_id": self.hong_kong.id,
                                        "credit_limit": 3000.0})
        self.sz_policy = Policy.create({"customer_class": "dealer", "company_id": self.shenzhen.id,
                                        "credit_limit": 50000.0})

    def execute(self, user, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            get_db_name(), user.id, user.login, model, method, list(args), kwargs)

    def test_xmlrpc_user_of_one_company_gets_only_its_credit_policies(self):
        rows = self.execute(self.hong_kong_user, "crm.cn.credit.policy", "search_read",
                            [("id", "in", (self.hk_policy | self.sz_policy).ids)], ["credit_limit"])
        self.assertEqual([row["id"] for row in rows], self.hk_policy.ids)
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.execute(self.hong_kong_user, "crm.cn.credit.policy", "write",
                         self.sz_policy.ids, {"credit_limit": 1.0})
        self.assertEqual(refusal.exception.faultCode, 4)
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.execute(self.hong_kong_user, "crm.cn.credit.policy", "create",
                         {"customer_class": "direct", "company_id": self.shenzhen.id, "credit_limit": 1.0})
        self.assertEqual(refusal.exception.faultCode, 4)
        with self.server_cursor():
            self.assertEqual(self.sz_policy.credit_limit, 50000.0)
            self.assertEqual(self.env["crm.cn.credit.policy"].search(
                [("company_id", "=", self.shenzhen.id)]), self.sz_policy)
