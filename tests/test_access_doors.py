"""Who may change and read what on customers, campaigns and dealer stock,
through the ORM (as the user who must be refused) and over XML-RPC and HTTP."""
import datetime
import xmlrpc.client

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests.common import at_install, get_db_name, post_install

from .common import GROUP_ACCOUNTANT, GROUP_MANAGER, GROUP_USER, LifecycleCase, LifecycleHttpCase, \
    create_campaign, create_customer, create_dealer, create_opportunity, create_order, create_product, \
    create_territory, create_user, portal_user_of
from .test_receivables_world import Accounting, build_alpha

FIGURES = ["cn_receivable_balance", "cn_overdue_amount", "cn_credit_exposure",
           "cn_credit_limit_effective", "cn_aging_over_90", "cn_credit_alert"]
MONEY = ["cn_budget", "cn_expected_revenue", "cn_cost", "cn_revenue", "cn_roi", "cn_note", "cn_cost_ids"]


def days_ago(days):
    return fields.Date.to_string(datetime.date.today() - datetime.timedelta(days=days))


class TestCustomerOwnership(LifecycleCase):
    """Class, parent company, company flag and salesperson are set by managers."""

    @classmethod
    def setUpClass(cls):
        super(TestCustomerOwnership, cls).setUpClass()
        cls.customer = create_customer(cls.env, "Own Customer", "dealer", user_id=cls.salesperson.id)
        cls.contact = cls.env["res.partner"].create({"name": "Buyer Wang", "parent_id": cls.customer.id})
        cls.other_company = create_customer(cls.env, "Other Company", "oem", user_id=cls.other_salesperson.id)

    def assert_unchanged(self, record, **values):
        record.invalidate_cache()
        for name, value in values.items():
            self.assertEqual(record[name], value, name)

    def test_salesperson_cannot_change_the_class_of_own_customer(self):
        with self.assertRaises(AccessError):
            self.customer.sudo(self.salesperson).write({"cn_customer_class": "oem"})
        self.assert_unchanged(self.customer, cn_customer_class="dealer")
        self.assert_unchanged(self.contact, cn_customer_class="dealer")

    def test_salesperson_cannot_change_the_class_of_a_contact(self):
        with self.assertRaises(AccessError):
            self.contact.sudo(self.salesperson).write({"cn_customer_class": "oem"})
        self.assert_unchanged(self.contact, cn_customer_class="dealer")

    def test_salesperson_cannot_move_a_contact_or_company_under_another_parent(self):
        with self.assertRaises(AccessError):
            self.contact.sudo(self.salesperson).write({"parent_id": self.other_company.id})
        with self.assertRaises(AccessError):
            self.customer.sudo(self.salesperson).write({"parent_id": self.other_company.id})
        with self.assertRaises(AccessError):
            self.contact.sudo(self.salesperson).write({"parent_id": False})
        self.assert_unchanged(self.contact, parent_id=self.customer)
        self.assert_unchanged(self.customer, parent_id=self.env["res.partner"])

    def test_salesperson_cannot_make_a_contact_its_own_company(self):
        with self.assertRaises(AccessError):
            self.contact.sudo(self.salesperson).write({"company_type": "company"})
        self.assert_unchanged(self.contact, is_company=False, commercial_partner_id=self.customer)

    def test_salesperson_cannot_hand_over_or_take_a_customer(self):
        with self.assertRaises(AccessError):
            self.customer.sudo(self.salesperson).write({"user_id": self.other_salesperson.id})
        with self.assertRaises(AccessError):
            self.other_company.sudo(self.salesperson).write({"user_id": self.salesperson.id})
        self.assert_unchanged(self.customer, user_id=self.salesperson)
        self.assert_unchanged(self.other_company, user_id=self.other_salesperson)

    def test_salesperson_edits_the_rest_and_contacts_follow_their_company(self):
        customer = self.customer.sudo(self.salesperson)
        # vat is a commercial field: Odoo copies every commercial field (the class
        # too) onto the contacts as the salesperson; an unchanged class passes
        customer.write({"phone": "020-12345678", "vat": "91440101MA59ABCD1X",
                        "cn_customer_class": "dealer", "user_id": self.salesperson.id})
        self.assert_unchanged(self.contact, vat="91440101MA59ABCD1X", cn_customer_class="dealer")

    def test_salesperson_creates_a_customer_and_a_contact_under_any_company(self):
        Partner = self.env["res.partner"].sudo(self.salesperson)
        new = Partner.create({"name": "New Customer", "company_type": "company", "customer": True,
                              "cn_customer_class": "direct", "user_id": self.salesperson.id})
        unassigned = Partner.create({"name": "Walk-in Buyer"})
        contact = Partner.create({"name": "Buyer Li", "parent_id": self.other_company.id})
        self.assertEqual((new.is_company, new.cn_customer_class, new.user_id),
                         (True, "direct", self.salesperson))
        self.assertFalse(unassigned.user_id)
        self.assertEqual((contact.commercial_partner_id, contact.cn_customer_class),
                         (self.other_company, "oem"))

    def test_salesperson_cannot_create_a_customer_for_another_salesperson(self):
        Partner = self.env["res.partner"].sudo(self.salesperson)
        with self.assertRaises(AccessError):
            Partner.create({"name": "Given Away", "is_company": True, "user_id": self.other_salesperson.id})
        with self.assertRaises(AccessError):
            Partner.with_context(default_user_id=self.other_salesperson.id).create(
                {"name": "Given Away", "user_id": self.other_salesperson.id})
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Given Away")]))

    def test_customer_created_in_a_territory_by_a_salesperson_goes_to_its_salesperson(self):
        territory = create_territory(self.env, user_id=self.other_salesperson.id)
        customer = self.env["res.partner"].sudo(self.salesperson).create(
            {"name": "Territory Customer", "is_company": True, "cn_territory_id": territory.id})
        self.assertEqual(customer.user_id, self.other_salesperson)

    def test_salesperson_cannot_set_a_credit_limit_even_as_a_context_default(self):
        Partner = self.env["res.partner"].sudo(self.salesperson)
        with self.assertRaises(AccessError):
            Partner.create({"name": "Big Limit", "cn_credit_limit": 99999.0})
        with self.assertRaises(AccessError):
            Partner.with_context(default_cn_credit_limit=99999.0).create(
                {"name": "Big Limit", "cn_credit_limit": 99999.0})
        with self.assertRaises(AccessError):
            self.customer.sudo(self.salesperson).write({"cn_credit_limit": 99999.0})
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Big Limit")]))
        self.assert_unchanged(self.customer, cn_credit_limit=0.0)

    def test_manager_changes_class_parent_company_flag_and_salesperson(self):
        self.customer.sudo(self.manager).write({"cn_customer_class": "agent", "user_id": self.other_salesperson.id})
        self.contact.sudo(self.manager).write({"parent_id": self.other_company.id})
        self.assert_unchanged(self.customer, cn_customer_class="agent", user_id=self.other_salesperson)
        self.assert_unchanged(self.contact, parent_id=self.other_company, cn_customer_class="oem")

    def test_accountant_sets_a_credit_limit_but_not_the_class(self):
        self.customer.sudo(self.credit_manager).action_cn_set_credit_limit(8000.0)
        self.assert_unchanged(self.customer, cn_credit_limit=8000.0)
        with self.assertRaises(AccessError):
            self.customer.sudo(self.accountant).write({"cn_customer_class": "oem"})


class TestCreditFiguresOfOthersCustomers(LifecycleCase):
    """A salesperson reads the receivables and credit of its own customers only."""

    @classmethod
    def setUpClass(cls):
        super(TestCreditFiguresOfOthersCustomers, cls).setUpClass()
        env = cls.env
        env.user.company_id.write({"cn_credit_hold_overdue_days": 0, "cn_credit_include_quotations": False})
        env["crm.cn.credit.policy"].search([]).unlink()
        env["crm.cn.credit.policy"].create({"customer_class": "direct", "credit_limit": 5000.0})
        cls.alpha = build_alpha(env, Accounting(env))   # balance 2900, overdue 2200
        cls.alpha.user_id = cls.other_salesperson
        cls.alpha_contact = env["res.partner"].create({"name": "Alpha buyer", "parent_id": cls.alpha.id})

    def figures(self, user, partner=None):
        return (partner or self.alpha).sudo(user).read(FIGURES)[0]

    def test_salesperson_reads_no_figures_of_another_salespersons_customer(self):
        for partner in (self.alpha, self.alpha_contact):
            values = self.figures(self.salesperson, partner)
            self.assertEqual([values[name] for name in FIGURES], [0.0, 0.0, 0.0, 0.0, 0.0, False])
            record = partner.sudo(self.salesperson)
            self.assertEqual((record.cn_dso, record.cn_last_payment_date, record.cn_worst_bucket),
                             (0.0, False, False))

    def test_salesperson_reads_the_figures_of_own_customer(self):
        self.alpha.user_id = self.salesperson
        values = self.figures(self.salesperson)
        self.assertEqual((values["cn_receivable_balance"], values["cn_overdue_amount"]), (2900.0, 2200.0))
        self.assertEqual(self.figures(self.salesperson, self.alpha_contact)["cn_receivable_balance"], 2900.0)

    def test_accountant_and_manager_read_every_customers_figures(self):
        for user in (self.accountant, self.manager):
            values = self.figures(user)
            self.assertEqual((values["cn_receivable_balance"], values["cn_overdue_amount"],
                              values["cn_credit_limit_effective"]), (2900.0, 2200.0, 5000.0))

    def test_list_of_mixed_customers_hides_only_the_others(self):
        own = create_customer(self.env, "Own Direct", "direct", user_id=self.salesperson.id)
        rows = (self.alpha | own).sudo(self.salesperson).read(["cn_credit_limit_effective"])
        self.assertEqual([row["cn_credit_limit_effective"] for row in rows], [0.0, 5000.0])

    def test_own_opportunity_still_shows_the_customer_credit(self):
        lead = create_opportunity(self.env, self.alpha, user_id=self.salesperson.id)
        self.assertEqual(lead.sudo(self.salesperson).cn_overdue_amount, 2200.0)


class TestCampaignMoney(LifecycleCase):
    """Campaigns are for employees; their money for managers and accountants."""

    @classmethod
    def setUpClass(cls):
        super(TestCampaignMoney, cls).setUpClass()
        cls.campaign = create_campaign(cls.env, cn_budget=80000.0, cn_expected_revenue=500000.0,
                                       cn_note="<p>Booth deal</p>")
        cls.env["crm.cn.campaign.cost"].create({"campaign_id": cls.campaign.id, "name": "Booth", "amount": 9000.0})
        cls.dealer = create_dealer(cls.env, "Campaign Dealer", login="camp_dealer")

    def test_dealer_cannot_read_or_create_a_campaign(self):
        dealer_user = portal_user_of(self.dealer)
        with self.assertRaises(AccessError):
            self.campaign.sudo(dealer_user).read(["name"])
        with self.assertRaises(AccessError), self.env.cr.savepoint():  # a request would roll back
            self.env["utm.campaign"].sudo(dealer_user).create({"name": "Dealer Promo"})
        self.assertFalse(self.env["utm.campaign"].sudo(dealer_user).search([]))
        self.assertFalse(self.env["utm.campaign"].search([("name", "=", "Dealer Promo")]))

    def test_public_user_cannot_read_a_campaign(self):
        with self.assertRaises(AccessError):
            self.campaign.sudo(self.env.ref("base.public_user")).read(["name"])

    def test_salesperson_reads_campaign_names_but_not_its_money(self):
        campaign = self.campaign.sudo(self.salesperson)
        self.assertEqual(campaign.read(["name", "cn_type"])[0]["cn_type"], "trade_show")
        for name in MONEY:
            with self.assertRaises(AccessError):
                campaign.read([name])
        with self.assertRaises(AccessError):
            self.env["crm.cn.campaign.cost"].sudo(self.salesperson).search_read([], ["amount"])

    def test_salesperson_cannot_search_or_group_campaigns_by_their_money(self):
        Campaign = self.env["utm.campaign"].sudo(self.salesperson)
        with self.assertRaises(AccessError):
            Campaign.search([("cn_budget", ">", 50000)])
        with self.assertRaises(AccessError):
            Campaign.search([], order="cn_budget desc")
        with self.assertRaises(AccessError):
            Campaign.read_group([], ["cn_budget"], ["cn_type"])
        with self.assertRaises(AccessError):
            self.env["crm.lead"].sudo(self.salesperson).search([("campaign_id.cn_budget", ">", 50000)])
        self.assertEqual(Campaign.search([("name", "=", self.campaign.name)]), self.campaign)

    def test_salesperson_form_and_list_carry_no_money(self):
        Campaign = self.env["utm.campaign"].sudo(self.salesperson)
        for view in ("view_utm_campaign_form", "view_utm_campaign_tree"):
            arch = Campaign.fields_view_get(self.env.ref("crm_cn_lifecycle.%s" % view).id)["arch"]
            self.assertNotIn("cn_budget", arch)
            self.assertNotIn("cn_roi", arch)
        self.assertNotIn("cn_budget", Campaign.fields_get())

    def test_manager_and_accountant_read_the_money(self):
        for user in (self.manager, self.accountant):
            values = self.campaign.sudo(user).read(["cn_budget", "cn_cost", "cn_roi"])[0]
            self.assertEqual((values["cn_budget"], values["cn_cost"]), (80000.0, 9000.0))


class TestDealerStockHistory(LifecycleCase):
    """Salespeople enter and correct their own dealers' stock reports; deleting is for managers."""

    @classmethod
    def setUpClass(cls):
        super(TestDealerStockHistory, cls).setUpClass()
        env = cls.env
        cls.paper = create_product(env, "Copy paper A4", default_code="A4-80")
        cls.own_dealer = create_dealer(env, "Own Dealer", user_id=cls.salesperson.id)
        cls.other_dealer = create_dealer(env, "Other Dealer", user_id=cls.other_salesperson.id)
        cls.Report = env["crm.cn.channel.stock.report"]

    def draft(self, dealer, qty=5.0):
        return self.Report.create({"dealer_id": dealer.id, "date": days_ago(1), "line_ids": [
            (0, 0, {"product_id": self.paper.id, "on_hand_qty": qty, "sold_qty": 1.0})]})

    def test_salesperson_reads_every_dealers_reports(self):
        report = self.draft(self.other_dealer)
        self.assertEqual(self.Report.sudo(self.salesperson).search([("id", "=", report.id)]), report)
        self.assertEqual(report.sudo(self.salesperson).line_ids.on_hand_qty, 5.0)

    def test_salesperson_cannot_delete_a_stock_report(self):
        report = self.draft(self.own_dealer)
        with self.assertRaises(AccessError):
            report.sudo(self.salesperson).unlink()
        self.assertTrue(report.exists())

    def test_salesperson_cannot_change_another_salespersons_dealer_report(self):
        report = self.draft(self.other_dealer)
        with self.assertRaises(AccessError):
            report.sudo(self.salesperson).write({"date": days_ago(2)})
        with self.assertRaises(AccessError):
            report.line_ids.sudo(self.salesperson).write({"on_hand_qty": 500.0})
        with self.assertRaises(AccessError):
            report.sudo(self.salesperson).action_submit()
        report.invalidate_cache()
        self.assertEqual((report.date, report.state, report.line_ids.on_hand_qty), (days_ago(1), "draft", 5.0))

    def test_salesperson_cannot_enter_a_report_for_another_salespersons_dealer(self):
        with self.assertRaisesRegex(AccessError, "your own dealers"):
            self.Report.sudo(self.salesperson).submit_report(
                self.other_dealer.id, days_ago(1), [{"product_code": "A4-80", "on_hand": 3}])
        with self.assertRaises(AccessError):
            self.Report.sudo(self.salesperson).create({"dealer_id": self.other_dealer.id, "date": days_ago(1)})
        self.assertFalse(self.Report.search([("dealer_id", "=", self.other_dealer.id)]))

    def test_salesperson_cannot_move_own_draft_to_another_dealer(self):
        report = self.draft(self.own_dealer)
        with self.assertRaises(AccessError):
            report.sudo(self.salesperson).write({"dealer_id": self.other_dealer.id})
        report.invalidate_cache()
        self.assertEqual(report.dealer_id, self.own_dealer)

    def test_submitted_lines_are_history_even_for_own_dealer(self):
        report = self.draft(self.own_dealer)
        report.sudo(self.salesperson).action_submit()
        with self.assertRaises(UserError):
            report.line_ids.sudo(self.salesperson).write({"on_hand_qty": 500.0})
        with self.assertRaises(UserError):
            report.line_ids.sudo(self.manager).unlink()
        report.invalidate_cache()
        self.assertEqual(report.line_ids.on_hand_qty, 5.0)

    def test_salesperson_corrects_own_dealers_draft(self):
        report = self.draft(self.own_dealer).sudo(self.salesperson)
        report.write({"line_ids": [(1, report.line_ids.id, {"on_hand_qty": 7.0})]})
        report.write({"line_ids": [(2, report.line_ids.id)]})
        self.assertFalse(report.line_ids)

    def test_manager_changes_and_deletes_any_dealers_draft(self):
        report = self.draft(self.other_dealer).sudo(self.manager)
        report.write({"date": days_ago(2)})
        self.assertEqual(report.date, days_ago(2))
        report.unlink()
        self.assertFalse(report.exists())


class AccessDoorsHttpCase(LifecycleHttpCase):

    def build_world(self):
        env = self.env
        env.user.company_id.write({"cn_credit_hold_overdue_days": 0, "cn_credit_include_quotations": False})
        env["crm.cn.credit.policy"].search([]).unlink()
        env["crm.cn.credit.policy"].create({"customer_class": "direct", "credit_limit": 5000.0})
        self.salesperson = create_user(env, "door_sales", ["base.group_user", GROUP_USER])
        self.other_salesperson = create_user(env, "door_sales2", ["base.group_user", GROUP_USER])
        self.manager = create_user(env, "door_manager", ["base.group_user", GROUP_MANAGER])
        self.accountant = create_user(env, "door_accountant", ["base.group_user", GROUP_ACCOUNTANT])
        self.alpha = build_alpha(env, Accounting(env))   # balance 2900, overdue 2200
        self.alpha.user_id = self.other_salesperson
        self.own = create_customer(env, "Door Own Customer", "direct", user_id=self.salesperson.id)
        self.campaign = create_campaign(env, cn_budget=80000.0)
        self.dealer = create_dealer(env, "Door Dealer", login="door_dealer", user_id=self.salesperson.id)
        self.other_dealer = create_dealer(env, "Door Other Dealer", user_id=self.other_salesperson.id)
        self.paper = create_product(env, "Copy paper A4", default_code="A4-80", sale_ok=True)
        self.own_report = env["crm.cn.channel.stock.report"].create({
            "dealer_id": self.dealer.id, "date": days_ago(1),
            "line_ids": [(0, 0, {"product_id": self.paper.id, "on_hand_qty": 5.0})]})
        self.other_report = env["crm.cn.channel.stock.report"].create({
            "dealer_id": self.other_dealer.id, "date": days_ago(1),
            "line_ids": [(0, 0, {"product_id": self.paper.id, "on_hand_qty": 5.0})]})
        order = create_order(env, self.dealer, [(self.paper, 2, 25.0)], confirm=False,
                             campaign_id=self.campaign.id)
        order.state = "sent"
        create_order(env, self.dealer, [(self.paper, 1, 25.0)], campaign_id=self.campaign.id)

    def execute(self, user, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            get_db_name(), user.id, user.login, model, method, list(args), kwargs)

    def assert_refused(self, user, model, method, *args, **kwargs):
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.execute(user, model, method, *args, **kwargs)
        return refusal.exception.faultString


@at_install(False)
@post_install(True)
class TestAccessDoorsXmlRpc(AccessDoorsHttpCase):

    def test_salesperson_cannot_change_class_parent_or_salesperson_over_xmlrpc(self):
        for vals in ({"cn_customer_class": "oem"}, {"parent_id": self.alpha.id},
                     {"user_id": self.other_salesperson.id}):
            message = self.assert_refused(self.salesperson, "res.partner", "write", [self.own.id], vals)
            self.assertIn("your role does not allow it", message)
        with self.server_cursor():
            self.assertEqual((self.own.cn_customer_class, self.own.parent_id.id, self.own.user_id),
                             ("direct", False, self.salesperson))

    def test_manager_changes_the_class_over_xmlrpc(self):
        self.execute(self.manager, "res.partner", "write", [self.own.id], {"cn_customer_class": "oem"})
        with self.server_cursor():
            self.assertEqual(self.own.cn_customer_class, "oem")

    def test_salesperson_reads_no_figures_of_another_salespersons_customer_over_xmlrpc(self):
        [theirs] = self.execute(self.salesperson, "res.partner", "read", [self.alpha.id], fields=FIGURES)
        self.assertEqual([theirs[name] for name in FIGURES], [0.0, 0.0, 0.0, 0.0, 0.0, False])
        [mine] = self.execute(self.other_salesperson, "res.partner", "read", [self.alpha.id], fields=FIGURES)
        self.assertEqual((mine["cn_receivable_balance"], mine["cn_overdue_amount"]), (2900.0, 2200.0))
        [books] = self.execute(self.accountant, "res.partner", "read", [self.alpha.id], fields=FIGURES)
        self.assertEqual(books["cn_receivable_balance"], 2900.0)

    def test_dealer_cannot_read_or_create_a_campaign_over_xmlrpc(self):
        dealer_user = self.portal_user()
        self.assert_refused(dealer_user, "utm.campaign", "read", [self.campaign.id], fields=["name"])
        self.assert_refused(dealer_user, "utm.campaign", "create", {"name": "Dealer Promo"})
        with self.server_cursor() as env:
            self.assertFalse(env["utm.campaign"].search([("name", "=", "Dealer Promo")]))

    def test_salesperson_reads_campaign_names_not_budget_over_xmlrpc(self):
        [row] = self.execute(self.salesperson, "utm.campaign", "read", [self.campaign.id], fields=["name"])
        self.assertEqual(row["name"], self.campaign.name)
        self.assert_refused(self.salesperson, "utm.campaign", "read", [self.campaign.id], fields=["cn_budget"])
        self.assert_refused(self.salesperson, "utm.campaign", "read", [self.campaign.id], fields=["cn_roi"])

    def test_salesperson_cannot_delete_or_change_others_stock_reports_over_xmlrpc(self):
        self.assert_refused(self.salesperson, "crm.cn.channel.stock.report", "unlink", [self.own_report.id])
        self.assert_refused(self.salesperson, "crm.cn.channel.stock.report", "write", [self.other_report.id],
                            {"date": days_ago(3)})
        with self.server_cursor():
            self.assertTrue(self.own_report.exists())
            self.assertEqual(self.other_report.date, days_ago(1))

    def test_manager_deletes_a_draft_stock_report_over_xmlrpc(self):
        self.execute(self.manager, "crm.cn.channel.stock.report", "unlink", [self.other_report.id])
        with self.server_cursor():
            self.assertFalse(self.other_report.exists())

    def portal_user(self):
        with self.server_cursor():
            return portal_user_of(self.dealer)



@at_install(False)
@post_install(True)
class TestDealerPortalWithoutCampaigns(AccessDoorsHttpCase):

    def test_dealer_portal_pages_render_without_campaign_access(self):
        self.authenticate("door_dealer", "door_dealer")
        for url in ("/my/home", "/my/orders", "/my/quotes"):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertIn("Door Dealer contact", response.text, url)
        with self.server_cursor() as env:
            dealer_user = portal_user_of(self.dealer)
            # the orders the dealer's portal lists (Odoo's rule: those its company follows)
            orders = env["sale.order"].sudo(dealer_user).search([]).sudo()
            self.assertTrue(orders)
            self.assertTrue(all(orders.mapped("campaign_id")))
        for order in orders:
            response = self.url_open("/my/orders/%d" % order.id)
            self.assertEqual(response.status_code, 200)
            self.assertIn(order.name, response.text)
