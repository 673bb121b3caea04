"""Receivables and credit of each customer, on a hand-built accounting world."""
import base64
import json

import xlrd

from lxml import etree

from odoo.exceptions import AccessError, UserError

from .common import LifecycleCase, create_customer, create_opportunity
from .test_receivables_world import Accounting, build_alpha, build_beta, days_ago, today_of


class ReceivablesCase(LifecycleCase):

    @classmethod
    def setUpClass(cls):
        super(ReceivablesCase, cls).setUpClass()
        env = cls.env
        cls.company = env.user.company_id
        cls.company.write({"cn_credit_hold_overdue_days": 0, "cn_credit_include_quotations": False})
        cls.accounting = Accounting(env)
        Policy = env["crm.cn.credit.policy"]
        Policy.search([("company_id", "=", cls.company.id)]).unlink()
        cls.direct_policy = Policy.create({"customer_class": "direct", "credit_limit": 5000.0})
        cls.dealer_policy = Policy.create({"customer_class": "dealer", "credit_limit": 3000.0})
        cls.alpha = build_alpha(env, cls.accounting)
        cls.beta = build_beta(env, cls.accounting)
        cls.beta.cn_credit_limit = 2000.0
        cls.alpha_order = cls.accounting.order(cls.alpha, 1000.0)
        cls.today = today_of(env)

    def refreshed(self, records):
        records.invalidate_cache()
        return records


class TestReceivableFigures(ReceivablesCase):

    def test_every_aging_bucket_of_a_customer_is_exact(self):
        alpha = self.refreshed(self.alpha)
        self.assertEqual(alpha.cn_aging_not_due, 700.0)     # 800 - 100 credit note
        self.assertEqual(alpha.cn_aging_1_30, 300.0)
        self.assertEqual(alpha.cn_aging_31_60, 1000.0)
        self.assertEqual(alpha.cn_aging_61_90, 400.0)       # 1000 - 600 partial payment
        self.assertEqual(alpha.cn_aging_over_90, 500.0)
        self.assertEqual(alpha.cn_receivable_balance, 2900.0)
        self.assertEqual(alpha.cn_overdue_amount, 2200.0)
        self.assertEqual(alpha.cn_worst_bucket, "over_90")
        self.assertEqual(alpha.cn_oldest_overdue_date, days_ago(self.env, 200))

    def test_partial_payment_gives_last_payment_and_days_to_pay(self):
        alpha = self.refreshed(self.alpha)
        self.assertEqual(alpha.cn_last_payment_date, days_ago(self.env, 50))
        self.assertEqual(alpha.cn_last_payment_amount, 600.0)
        self.assertEqual(alpha.cn_avg_days_to_pay, 50.0)

    def test_dso_is_balance_over_last_90_days_sales(self):
        # sales of the last 90 days: 800 + 300 - 100 credit note = 1000
        self.assertEqual(self.refreshed(self.alpha).cn_dso, 261.0)   # 2900 / 1000 * 90

    def test_headroom_is_class_limit_minus_receivables_and_uninvoiced_orders(self):
        alpha = self.refreshed(self.alpha)
        self.assertEqual(alpha.cn_credit_limit_effective, 5000.0)
        self.assertEqual(alpha.cn_uninvoiced_orders, 1000.0)
        self.assertEqual(alpha.cn_credit_exposure, 3900.0)
        self.assertEqual(alpha.cn_credit_headroom, 1100.0)
        self.assertTrue(alpha.cn_credit_alert)

    def test_fully_paid_customer_owes_nothing_and_keeps_its_own_limit(self):
        beta = self.refreshed(self.beta)
        self.assertEqual(beta.cn_receivable_balance, 0.0)
        self.assertEqual(beta.cn_overdue_amount, 0.0)
        for field_name in ("cn_aging_not_due", "cn_aging_1_30", "cn_aging_31_60",
                           "cn_aging_61_90", "cn_aging_over_90"):
            self.assertEqual(beta[field_name], 0.0)
        self.assertFalse(beta.cn_worst_bucket)
        self.assertFalse(beta.cn_oldest_overdue_date)
        self.assertEqual(beta.cn_dso, 0.0)
        self.assertEqual(beta.cn_avg_days_to_pay, 10.0)
        self.assertEqual(beta.cn_last_payment_date, days_ago(self.env, 20))
        self.assertEqual(beta.cn_last_payment_amount, 1000.0)
        self.assertEqual(beta.cn_credit_limit_effective, 2000.0)   # own limit, not the class's 3000
        self.assertEqual(beta.cn_credit_headroom, 2000.0)
        self.assertFalse(beta.cn_credit_alert)

    def test_contact_shows_its_company_figures(self):
        contact = self.env["res.partner"].create({"name": "Ms Li", "parent_id": self.alpha.id})
        self.assertEqual(contact.cn_overdue_amount, 2200.0)
        self.assertEqual(contact.cn_credit_headroom, 1100.0)

    def test_customer_without_limit_has_no_headroom_figure(self):
        oem = create_customer(self.env, "OEM Factory", "oem")
        self.assertFalse(oem.cn_has_credit_limit)
        self.assertFalse(oem.cn_credit_alert)

    def test_foreign_currency_invoice_counts_in_company_currency(self):
        usd = self.env.ref("base.USD")
        usd.active = True
        self.env["res.currency.rate"].create({
            "currency_id": usd.id, "rate": 0.15, "name": days_ago(self.env, 400),
            "company_id": self.company.id})
        self.env["res.currency.rate"].create({
            "currency_id": self.company.currency_id.id, "rate": 1.0, "name": days_ago(self.env, 400),
            "company_id": self.company.id})
        gamma = create_customer(self.env, "Gamma Trading HK", "agent")
        self.accounting.invoice(gamma, 150.0, 10, due_days_ago=-20, currency=usd)
        pricelist = self.env["product.pricelist"].create({"name": "USD", "currency_id": usd.id})
        self.accounting.order(gamma, 30.0, pricelist=pricelist)
        gamma = self.refreshed(gamma)
        self.assertEqual(gamma.cn_receivable_balance, 1000.0)       # 150 USD / 0.15
        self.assertEqual(gamma.cn_uninvoiced_orders, 200.0)         # 30 USD / 0.15

    def test_quotations_sent_count_in_exposure_when_the_company_says_so(self):
        quotation = self.accounting.order(self.alpha, 400.0, confirm=False)
        quotation.write({"state": "sent"})
        self.assertEqual(self.refreshed(self.alpha).cn_credit_exposure, 3900.0)
        self.company.cn_credit_include_quotations = True
        alpha = self.refreshed(self.alpha)
        self.assertEqual(alpha.cn_uninvoiced_orders, 1400.0)
        self.assertEqual(alpha.cn_credit_headroom, 700.0)
        quotation.action_confirm()   # already in the exposure: 700 left is enough
        self.assertEqual(quotation.state, "sale")

    def test_invoicing_an_order_moves_it_from_orders_to_receivables(self):
        self.alpha_order.action_invoice_create()
        invoice = self.alpha_order.invoice_ids
        invoice.action_invoice_open()
        alpha = self.refreshed(self.alpha)
        self.assertEqual(alpha.cn_uninvoiced_orders, 0.0)
        self.assertEqual(alpha.cn_receivable_balance, 3900.0)
        self.assertEqual(alpha.cn_credit_headroom, 1100.0)
        self.assertIn(invoice, alpha.cn_open_invoice_ids)

    def test_forms_and_lists_carry_the_credit_fields_for_each_role(self):
        for user in (self.salesperson, self.accountant):
            partner_form = self.env["res.partner"].sudo(user).fields_view_get(
                self.env.ref("base.view_partner_form").id, "form")["arch"]
            self.assertIn('name="cn_receivables"', partner_form)
            self.assertIn("cn_open_invoice_ids", partner_form)
            lead_form = self.env["crm.lead"].sudo(user).fields_view_get(
                self.env.ref("crm.crm_case_form_view_oppor").id, "form")["arch"]
            self.assertIn("o_cn_credit_banner", lead_form)
            order_form = self.env["sale.order"].sudo(user).fields_view_get(
                self.env.ref("sale.view_order_form").id, "form")["arch"]
            self.assertIn("o_cn_credit_banner", order_form)
            kanban = self.env["crm.lead"].sudo(user).fields_view_get(
                self.env.ref("crm.crm_case_kanban_view_leads").id, "kanban")["arch"]
            self.assertIn("o_cn_credit_badge", kanban)
        self.assertTrue(self.approval_button_hidden_for(self.salesperson))
        self.assertTrue(self.approval_button_hidden_for(self.accountant))
        self.assertFalse(self.approval_button_hidden_for(self.credit_manager))

    def approval_button_hidden_for(self, user):
        arch = self.env["sale.order"].sudo(user).fields_view_get(
            self.env.ref("sale.view_order_form").id, "form")["arch"]
        [button] = etree.fromstring(arch).xpath("//button[@name='action_cn_open_credit_approval']")
        return json.loads(button.get("modifiers")).get("invisible") is True

    def test_opportunity_and_quotation_show_the_customer_credit(self):
        lead = create_opportunity(self.env, self.alpha)
        self.assertEqual(lead.cn_overdue_amount, 2200.0)
        self.assertEqual(lead.cn_worst_bucket, "over_90")
        self.assertEqual(lead.cn_credit_headroom, 1100.0)
        self.assertTrue(lead.cn_credit_alert)
        quotation = self.accounting.order(self.alpha, 10.0, confirm=False)
        self.assertEqual(quotation.cn_overdue_amount, 2200.0)
        self.assertEqual(quotation.cn_credit_headroom, 1100.0)

    def test_pipeline_risk_report_puts_weighted_pipeline_beside_overdue(self):
        create_opportunity(self.env, self.alpha, planned_revenue=10000.0, probability=40.0,
                           user_id=self.salesperson.id)
        create_opportunity(self.env, self.alpha, planned_revenue=5000.0, probability=20.0)
        self.alpha.user_id = self.salesperson
        report = self.env["crm.cn.pipeline.risk.report"].sudo(self.accountant)
        [row] = report.search([("partner_id", "=", self.alpha.id)])
        self.assertEqual(row.weighted_pipeline, 5000.0)
        self.assertEqual(row.opportunity_count, 2)
        self.assertEqual(row.overdue_amount, 2200.0)
        self.assertEqual(row.aging_over_90, 500.0)
        self.assertEqual(row.aging_not_due, 700.0)
        self.assertEqual(row.worst_bucket, "over_90")
        self.assertEqual(row.credit_headroom, 1100.0)
        self.assertEqual(row.user_id, self.salesperson)
        mine = report.search([("user_id", "=", self.salesperson.id), ("worst_bucket", "=", "over_90")])
        self.assertIn(row, mine)
        self.assertFalse(report.search([("partner_id", "=", self.alpha.id), ("worst_bucket", "=", "1_30")]))
        groups = report.read_group([("partner_id", "in", (self.alpha | self.beta).ids)],
                                   ["overdue_amount", "weighted_pipeline", "worst_bucket"],
                                   ["worst_bucket"])
        self.assertEqual(sum(group["overdue_amount"] for group in groups), 2200.0)

    def test_pipeline_risk_exports_to_xlsx(self):
        report = self.env["crm.cn.pipeline.risk.report"].sudo(self.accountant)
        rows = report.search([("partner_id", "in", (self.alpha | self.beta).ids)])
        action = rows.action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        sheet = xlrd.open_workbook(file_contents=base64.b64decode(attachment.datas)).sheet_by_index(0)
        header = sheet.row_values(0)
        self.assertEqual(header[:2], ["Customer", "Salesperson"])
        alpha_row = [sheet.row_values(row) for row in range(1, sheet.nrows)
                     if sheet.cell_value(row, 0) == "Alpha Office Supplies"][0]
        self.assertEqual(alpha_row[header.index("Overdue")], 2200.0)
        self.assertEqual(alpha_row[header.index("Worst Overdue")], "Over 90 Days")
        self.assertEqual(alpha_row[header.index("Headroom")], 1100.0)


class TestCreditAccess(ReceivablesCase):

    def test_accountant_sets_a_credit_limit(self):
        self.alpha.sudo(self.accountant).action_cn_set_credit_limit(8000.0, "Bank guarantee received")
        alpha = self.refreshed(self.alpha)
        self.assertEqual(alpha.cn_credit_limit, 8000.0)
        self.assertEqual(alpha.cn_credit_headroom, 4100.0)
        self.assertIn("Bank guarantee received", alpha.message_ids[0].body)

    def test_accountant_sets_a_credit_limit_through_the_wizard(self):
        wizard = self.env["crm.cn.credit.limit.wizard"].sudo(self.accountant).create({
            "partner_id": self.alpha.id, "credit_limit": 6000.0})
        wizard.action_set()
        self.assertEqual(self.refreshed(self.alpha).cn_credit_limit, 6000.0)

    def test_accountant_cannot_edit_the_rest_of_the_customer(self):
        with self.assertRaises(AccessError):
            self.alpha.sudo(self.accountant).write({"name": "Renamed"})

    def test_salesperson_cannot_change_a_credit_limit(self):
        self.alpha.user_id = self.salesperson
        with self.assertRaises(AccessError):
            self.alpha.sudo(self.salesperson).write({"cn_credit_limit": 99999.0})
        with self.assertRaises(AccessError):
            self.alpha.sudo(self.salesperson).action_cn_set_credit_limit(99999.0)

    def test_accountant_maintains_credit_policies(self):
        policy = self.direct_policy.sudo(self.accountant)
        policy.write({"credit_limit": 7000.0})
        self.assertEqual(self.refreshed(self.alpha).cn_credit_headroom, 3100.0)
        with self.assertRaises(AccessError):
            self.direct_policy.sudo(self.salesperson).write({"credit_limit": 1.0})

    def test_accountant_reads_credit_but_cannot_write_opportunities_or_orders(self):
        lead = create_opportunity(self.env, self.alpha).sudo(self.accountant)
        self.assertEqual(lead.cn_overdue_amount, 2200.0)
        with self.assertRaises(AccessError):
            lead.write({"planned_revenue": 1.0})
        order = self.alpha_order.sudo(self.accountant)
        self.assertEqual(order.cn_credit_headroom, 1100.0)
        with self.assertRaises(AccessError):
            order.write({"note": "paid later"})
        with self.assertRaises(AccessError):
            self.env["sale.order"].sudo(self.accountant).create({"partner_id": self.alpha.id})
        with self.assertRaises(AccessError):
            order.action_cancel()

    def test_accountant_reads_the_pipeline_risk_report_salesperson_does_not(self):
        self.assertTrue(self.env["crm.cn.pipeline.risk.report"].sudo(self.accountant).search([]))
        with self.assertRaises(AccessError):
            self.env["crm.cn.pipeline.risk.report"].sudo(self.salesperson).search([])


class TestCreditHold(ReceivablesCase):

    def quotation(self, amount, partner=None):
        return self.accounting.order(partner or self.alpha, amount, confirm=False,
                                     user=self.salesperson).sudo(self.salesperson)

    def test_order_within_headroom_is_confirmed(self):
        order = self.quotation(1100.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_order_beyond_headroom_is_refused_with_a_clear_message(self):
        order = self.quotation(1100.01)
        with self.assertRaises(UserError) as refusal:
            order.action_confirm()
        message = refusal.exception.name
        self.assertIn(order.name, message)
        self.assertIn("credit headroom of Alpha Office Supplies by 0.01", message)
        self.assertEqual(order.state, "draft")

    def test_quotation_shows_it_is_on_hold_before_confirmation(self):
        held, fine = self.quotation(1500.0), self.quotation(100.0)
        self.assertTrue(held.cn_credit_hold)
        self.assertIn("credit headroom of Alpha Office Supplies by 400.0", held.cn_credit_hold_message)
        self.assertFalse(fine.cn_credit_hold)
        held.sudo(self.credit_manager).action_cn_credit_approve("Deposit received")
        held.invalidate_cache()
        self.assertFalse(held.cn_credit_hold)

    def test_two_orders_confirmed_together_count_together(self):
        orders = self.quotation(600.0) | self.quotation(600.0)
        with self.assertRaises(UserError):
            orders.action_confirm()

    def test_money_overdue_too_long_holds_even_a_small_order(self):
        self.company.cn_credit_hold_overdue_days = 180
        order = self.quotation(1.0)
        with self.assertRaises(UserError) as refusal:
            order.action_confirm()
        self.assertIn("overdue for 200 days", refusal.exception.name)
        self.company.cn_credit_hold_overdue_days = 200
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_customer_class_overrides_the_company_overdue_days(self):
        self.company.cn_credit_hold_overdue_days = 365
        self.direct_policy.hold_overdue_days = 90
        with self.assertRaises(UserError):
            self.quotation(1.0).action_confirm()
        beta_order = self.quotation(100.0, partner=self.beta)
        beta_order.action_confirm()
        self.assertEqual(beta_order.state, "sale")

    def test_refusal_is_translated(self):
        self.env["res.lang"].load_lang("zh_CN")
        src = "Order %(order)s is on credit hold: %(reasons)s\nA Credit Manager can approve it with a reason."
        Translation = self.env["ir.translation"]
        if not Translation.search([("lang", "=", "zh_CN"), ("src", "=", src), ("type", "=", "code")]):
            Translation.create({  # the test database may not have loaded i18n/zh_CN.po
                "type": "code", "name": "addons/crm_cn_lifecycle/models/sale_order.py",
                "lang": "zh_CN", "module": "crm_cn_lifecycle", "src": src, "state": "translated",
                "value": "订单 %(order)s 因信用问题被冻结：%(reasons)s\n信用经理可填写理由后批准放行。"})
        self.salesperson.lang = "zh_CN"
        order = self.quotation(5000.0).with_context(lang="zh_CN")
        with self.assertRaises(UserError) as refusal:
            order.action_confirm()
        self.assertIn("信用经理", refusal.exception.name)
        self.assertNotIn("is on credit hold", refusal.exception.name)

    def test_credit_manager_approves_with_a_reason_logged_in_the_chatter(self):
        order = self.quotation(5000.0)
        order.sudo(self.credit_manager).action_cn_credit_approve("Paid by letter of credit")
        order.invalidate_cache()
        self.assertEqual(order.cn_credit_approved_by_id, self.credit_manager)
        self.assertEqual(order.cn_credit_approval_reason, "Paid by letter of credit")
        message = order.message_ids[0]
        self.assertIn("Paid by letter of credit", message.body)
        self.assertIn(self.credit_manager.name, message.body)
        self.assertEqual(message.author_id, self.credit_manager.partner_id)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        approvals = self.env["sale.order"].sudo(self.accountant).search(
            [("cn_credit_approved_by_id", "!=", False)])
        self.assertIn(order, approvals)

    def test_approval_through_the_wizard(self):
        order = self.quotation(5000.0)
        wizard = self.env["crm.cn.credit.approval.wizard"].sudo(self.credit_manager).create({
            "order_id": order.id, "reason": "Director's decision"})
        wizard.action_approve()
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_approval_covers_the_approved_amount_only(self):
        order = self.quotation(5000.0)
        order.sudo(self.credit_manager).action_cn_credit_approve("One-off")
        order.order_line.write({"price_unit": 6000.0})
        with self.assertRaises(UserError):
            order.action_confirm()

    def test_accountant_and_salesperson_cannot_approve(self):
        order = self.quotation(5000.0)
        with self.assertRaises(AccessError):
            order.sudo(self.accountant).action_cn_credit_approve("I say so")
        with self.assertRaises(AccessError):
            order.action_cn_credit_approve("I say so")
        with self.assertRaises(UserError):
            order.sudo(self.credit_manager).action_cn_credit_approve("  ")
        self.assertFalse(order.cn_credit_approved_by_id)


class TestQueryCount(ReceivablesCase):
    """The opportunity list costs the same number of queries whatever the
    number of invoices behind it."""

    LIST_FIELDS = ["name", "partner_id", "planned_revenue", "probability", "stage_id", "user_id",
                   "cn_overdue_amount", "cn_worst_bucket", "cn_credit_headroom", "cn_credit_alert",
                   "cn_has_credit_limit", "cn_credit_currency_id"]

    def count_list_queries(self, leads):
        leads.invalidate_cache()
        cr = self.env.cr
        before = cr.sql_log_count
        leads.sudo(self.manager).read(self.LIST_FIELDS)
        return cr.sql_log_count - before

    def test_opportunity_list_query_count_does_not_grow_with_invoices(self):
        customers = [create_customer(self.env, "Customer %d" % index) for index in range(20)]
        leads = self.env["crm.lead"]
        for index in range(80):
            leads |= create_opportunity(self.env, customers[index % 20], "Deal %d" % index)
        self.count_list_queries(leads)  # warm up the registry caches
        few = self.count_list_queries(leads)
        for index, customer in enumerate(customers):
            self.accounting.invoice(customer, 100.0 + index, 40, due_days_ago=10 + index)
            self.accounting.invoice(customer, 50.0, 5, due_days_ago=-25)
        many = self.count_list_queries(leads)
        self.assertEqual(few, many)
        self.assertLess(many, 30)
        self.assertLessEqual(many, self.count_list_queries(leads[:10]))  # 80 records: no more than 10

    def test_quotation_list_query_count_does_not_grow_with_invoices(self):
        customers = [create_customer(self.env, "Buyer %d" % index) for index in range(10)]
        orders = self.env["sale.order"]
        for index in range(30):
            orders |= self.accounting.order(customers[index % 10], 10.0, confirm=False)
        fields_list = ["name", "partner_id", "amount_total", "state", "cn_credit_alert", "cn_worst_bucket"]

        def count():
            orders.invalidate_cache()
            before = self.env.cr.sql_log_count
            orders.sudo(self.manager).read(fields_list)
            return self.env.cr.sql_log_count - before

        count()
        few = count()
        for customer in customers:
            self.accounting.invoice(customer, 70.0, 50, due_days_ago=35)
        self.assertEqual(count(), few)
