"""The dealer's own account on the portal: balance, overdue and credit on the
home page, and its account statement (page, PDF/HTML, XLSX); the same
statement for accountants over XML-RPC. Figures computed by hand below."""
import xmlrpc.client

import xlrd
from lxml import html

from odoo.tests import common
from odoo.tests.common import at_install, get_db_name, post_install

from .common import GROUP_ACCOUNTANT, GROUP_USER, LifecycleHttpCase, create_dealer, create_product, \
    create_user, portal_user_of
from .test_channel_stock import days_ago as stock_days_ago
from .test_receivables_world import Accounting, days_ago


class PortalAccountCase(LifecycleHttpCase):

    def build_world(self):
        """Account Dealer (credit limit 10,000):
        - invoice 1000 of 65 days ago, due 35 days ago; 300 paid 20 days ago: 700 overdue, 35 days
        - invoice 500 of 10 days ago, due in 20 days: not due
        - credit note 100 of 5 days ago, not applied
        balance 1000 - 300 + 500 - 100 = 1100, overdue 700, headroom 10000 - 1100 = 8900.
        Other Account Dealer (no limit): invoice 4000 of 50 days ago, due 45 days ago."""
        env = self.env
        company = env.user.company_id
        company.write({"cn_credit_hold_overdue_days": 0, "cn_credit_include_quotations": False})
        env["crm.cn.credit.policy"].search([]).unlink()
        self.accounting = accounting = Accounting(env)
        self.dealer = create_dealer(env, "Account Dealer", login="acct_dealer")
        self.dealer.with_context(force_company=company.id).write({"cn_credit_limit": 10000.0})
        self.old_invoice = accounting.invoice(self.dealer, 1000.0, 65, due_days_ago=35)
        self.payment = accounting.pay(self.old_invoice, 300.0, 20)
        self.new_invoice = accounting.invoice(self.dealer, 500.0, 10, due_days_ago=-20)
        self.refund = accounting.invoice(self.dealer, 100.0, 5, due_days_ago=5, refund=True)
        self.other = create_dealer(env, "Other Account Dealer", login="acct_other")
        self.other_invoice = accounting.invoice(self.other, 4000.0, 50, due_days_ago=45)
        self.accountant = create_user(env, "acct_accountant", ["base.group_user", GROUP_ACCOUNTANT])
        self.salesperson = create_user(env, "acct_sales", ["base.group_user", GROUP_USER])
        self.other.user_id = self.salesperson  # its customer: Other Account Dealer only

    def url(self, path):
        return "http://%s:%s%s" % (common.HOST, common.PORT, path)

    def login(self, login):
        self.authenticate(login, login)

    def cell(self, page, css_class):
        """The text of the element of `css_class`, spaces (also non-breaking) collapsed."""
        nodes = html.fromstring(page).xpath("//*[contains(concat(' ', @class, ' '), ' %s ')]" % css_class)
        self.assertEqual(len(nodes), 1, css_class)
        return " ".join(nodes[0].text_content().replace("\xa0", " ").split())

    def statement_rows(self, page):
        rows = html.fromstring(page).xpath("//tr[contains(@class, 'o_cn_statement_line')]")
        return [[" ".join(td.text_content().replace("\xa0", " ").split()) for td in row.xpath("td")]
                for row in rows]


@at_install(False)
@post_install(True)
class TestPortalAccountHome(PortalAccountCase):

    def test_dealer_sees_its_balance_overdue_and_credit_on_the_home_page(self):
        self.login("acct_dealer")
        page = self.url_open("/my", timeout=60).text
        self.assertIn("1,100.00", self.cell(page, "o_cn_balance"))
        self.assertIn("700.00", self.cell(page, "o_cn_overdue"))
        self.assertEqual(self.cell(page, "o_cn_overdue_days"), "(oldest 35 days past due)")
        self.assertIn("10,000.00", self.cell(page, "o_cn_credit_limit"))
        self.assertIn("8,900.00", self.cell(page, "o_cn_headroom"))
        self.assertIn("/my/statement", page)

    def test_home_figures_are_the_backend_figures(self):
        self.login("acct_dealer")
        page = self.url_open("/my/home", timeout=60).text
        with self.server_cursor():
            figures = self.dealer.sudo(self.accountant)._cn_credit_figures()[self.dealer.id]
        self.assertEqual((figures["balance"], figures["overdue"], figures["headroom"]), (1100.0, 700.0, 8900.0))
        self.assertIn("{:,.2f}".format(figures["balance"]), self.cell(page, "o_cn_balance"))

    def test_other_dealer_sees_only_its_own_figures(self):
        self.login("acct_other")
        page = self.url_open("/my", timeout=60).text
        self.assertIn("4,000.00", self.cell(page, "o_cn_balance"))
        self.assertIn("4,000.00", self.cell(page, "o_cn_overdue"))
        self.assertEqual(self.cell(page, "o_cn_overdue_days"), "(oldest 45 days past due)")
        self.assertNotIn("o_cn_credit_limit", page)  # no limit of its own: nothing to show
        self.assertNotIn("1,100.00", page)
        self.assertNotIn("8,900.00", page)

    def test_public_user_is_sent_to_login(self):
        for path in ("/my", "/my/statement", "/my/statement/xlsx", "/my/statement/pdf"):
            response = self.opener.get(self.url(path), allow_redirects=False, timeout=60)
            self.assertIn(response.status_code, (302, 303), path)
            self.assertIn("/web/login", response.headers["Location"], path)


@at_install(False)
@post_install(True)
class TestPortalStatement(PortalAccountCase):

    def period(self):
        return "date_from=%s&date_to=%s" % (days_ago(self.env, 30), days_ago(self.env, 0))

    def test_statement_shows_opening_lines_running_balance_and_closing(self):
        self.login("acct_dealer")
        page = self.url_open("/my/statement?" + self.period(), timeout=60).text
        # before the period: the invoice of 65 days ago (1000)
        self.assertIn("1,000.00", self.cell(page, "o_cn_opening"))
        rows = self.statement_rows(page)
        self.assertEqual([row[0] for row in rows], [days_ago(self.env, 20), days_ago(self.env, 10),
                                                    days_ago(self.env, 5)])
        self.assertEqual([row[3] for row in rows], ["Payment", "Invoice", "Credit Note"])
        with self.server_cursor():
            self.assertEqual(rows[1][1], self.new_invoice.number)
        balances = [row[7] for row in rows]
        for balance, expected in zip(balances, ["700.00", "1,200.00", "1,100.00"]):
            self.assertIn(expected, balance)
        closing = self.cell(page, "o_cn_closing")
        self.assertIn("500.00", closing)    # debits of the period
        self.assertIn("400.00", closing)    # credits: 300 + 100
        self.assertIn("1,100.00", closing)  # = the balance on the home page
        self.assertNotIn("Other Account Dealer", page)

    def test_statement_of_the_other_dealer_is_its_own(self):
        self.login("acct_other")
        page = self.url_open("/my/statement?date_from=%s" % days_ago(self.env, 60), timeout=60).text
        rows = self.statement_rows(page)
        self.assertEqual(len(rows), 1)
        self.assertIn("4,000.00", rows[0][7])
        self.assertNotIn("1,100.00", page)

    def test_bad_dates_are_refused_with_a_message(self):
        self.login("acct_dealer")
        response = self.url_open("/my/statement?date_from=2026-13-01", timeout=60)
        self.assertEqual(response.status_code, 400)
        self.assertIn("Dates must be written as year-month-day", self.cell(response.text, "o_cn_statement_error"))
        response = self.url_open("/my/statement?date_from=2026-03-01&date_to=2026-02-01", timeout=60)
        self.assertEqual(response.status_code, 400)
        self.assertIn("The start date must not be after the end date", response.text)
        response = self.url_open("/my/statement/xlsx?date_from=2020-01-01&date_to=2026-01-01", timeout=60)
        self.assertEqual(response.status_code, 400)
        self.assertIn("A statement covers at most", response.text)

    def test_statement_xlsx_holds_the_same_lines_and_balances(self):
        self.login("acct_dealer")
        response = self.url_open("/my/statement/xlsx?" + self.period(), timeout=60)
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        sheet = xlrd.open_workbook(file_contents=response.content).sheet_by_index(0)
        self.assertEqual(sheet.row_values(0), ["Date", "Number", "Reference", "Type", "Due Date",
                                               "Debit", "Credit", "Balance"])
        rows = [sheet.row_values(row) for row in range(1, sheet.nrows)]
        self.assertEqual(rows[0][2], "Opening balance")
        self.assertEqual(rows[0][7], 1000.0)
        self.assertEqual([(row[3], row[5], row[6], row[7]) for row in rows[1:-1]], [
            ("Payment", 0.0, 300.0, 700.0), ("Invoice", 500.0, 0.0, 1200.0),
            ("Credit Note", 0.0, 100.0, 1100.0)])
        self.assertEqual(rows[-1][2], "Closing balance")
        self.assertEqual(rows[-1][5:], [500.0, 400.0, 1100.0])

    def test_statement_pdf_route_answers_the_report(self):
        """No wkhtmltopdf on the test machine (and none in test mode): the
        report comes as HTML, saying so; with it, a PDF."""
        self.login("acct_dealer")
        response = self.url_open("/my/statement/pdf?" + self.period(), timeout=60)
        self.assertEqual(response.status_code, 200)
        if response.headers["Content-Type"].startswith("application/pdf"):
            self.assertTrue(response.content.startswith(b"%PDF"))
            return
        page = response.text
        self.assertIn("Account Dealer", page)
        self.assertNotIn("Other Account Dealer", page)
        self.assertEqual(len(self.statement_rows(page)), 3)
        self.assertIn("1,100.00", self.cell(page, "o_cn_closing"))


@at_install(False)
@post_install(True)
class TestStatementXmlRpc(PortalAccountCase):

    def execute(self, login, method, partner, *args):
        with self.server_cursor() as env:
            uid = env["res.users"].search([("login", "=", login)]).id
        return self.xmlrpc_object.execute_kw(get_db_name(), uid, login, "res.partner", method,
                                             [[partner.id]] + list(args))

    def test_accountant_reads_the_statement_over_xmlrpc(self):
        result = self.execute("acct_accountant", "cn_account_statement", self.dealer,
                              days_ago(self.env, 30), days_ago(self.env, 0))
        self.assertEqual(result["opening"], 1000.0)
        self.assertEqual([(line["kind"], line["debit"], line["credit"], line["balance"])
                          for line in result["lines"]],
                         [("payment", 0.0, 300.0, 700.0), ("invoice", 500.0, 0.0, 1200.0),
                          ("refund", 0.0, 100.0, 1100.0)])
        self.assertEqual((result["debit"], result["credit"], result["closing"]), (500.0, 400.0, 1100.0))

    def test_opening_balance_covers_everything_before_the_period(self):
        result = self.execute("acct_accountant", "cn_account_statement", self.dealer,
                              days_ago(self.env, 7), days_ago(self.env, 0))
        self.assertEqual(result["opening"], 1200.0)  # 1000 - 300 + 500
        self.assertEqual([line["balance"] for line in result["lines"]], [1100.0])

    def test_salesperson_reads_its_customer_but_not_another(self):
        result = self.execute("acct_sales", "cn_account_statement", self.other, days_ago(self.env, 60))
        self.assertEqual(result["closing"], 4000.0)
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.execute("acct_sales", "cn_account_statement", self.dealer)
        self.assertEqual(refusal.exception.faultCode, 4)

    def test_dealer_reads_its_own_statement_but_not_another_dealers(self):
        result = self.execute("acct_dealer", "cn_account_statement", self.dealer,
                              days_ago(self.env, 30), days_ago(self.env, 0))
        self.assertEqual(result["closing"], 1100.0)
        with self.server_cursor():
            contact = portal_user_of(self.dealer).partner_id
        own_contact = self.execute("acct_dealer", "cn_account_statement", contact,
                                   days_ago(self.env, 30), days_ago(self.env, 0))
        self.assertEqual(own_contact["partner_id"], self.dealer.id)
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.execute("acct_dealer", "cn_account_statement", self.other)
        self.assertEqual(refusal.exception.faultCode, 4)

    def test_bad_period_over_xmlrpc_is_refused_with_the_message(self):
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.execute("acct_accountant", "cn_account_statement", self.dealer, "2026-02-30")
        self.assertIn("Dates must be written as year-month-day", refusal.exception.faultString)


@at_install(False)
@post_install(True)
class TestPortalFiguresForPeople(LifecycleHttpCase):

    def build_world(self):
        """40 on hand two weeks ago, 33 a week ago with 7 sold: 1 a day; today
        an estimated 33 - 7 = 26, i.e. 26 / 7 = 3.714286 weeks of cover."""
        create_product(self.env, "Copy paper A4", default_code="A4-80")
        self.dealer = create_dealer(self.env, "Cover Dealer", login="cover_dealer")
        Report = self.env["crm.cn.channel.stock.report"]
        Report.submit_report(self.dealer.id, stock_days_ago(14), [{"product_code": "A4-80", "on_hand": 40}])
        Report.submit_report(self.dealer.id, stock_days_ago(7), [
            {"product_code": "A4-80", "on_hand": 33, "sold": 7}])

    def test_weeks_of_cover_and_quantities_show_one_decimal(self):
        self.authenticate("cover_dealer", "cover_dealer")
        page = self.url_open("/my/channel_stock", timeout=60).text
        row = html.fromstring(page).xpath("//table[contains(@class, 'o_cn_channel_stock')]//tr[td]")[0]
        cells = [" ".join(td.text_content().split()) for td in row.xpath("td")]
        self.assertEqual(cells[2], "26.0")   # estimated stock
        self.assertEqual(cells[5], "3.7")    # weeks of cover, not 3.714286
        self.assertNotIn("3.714", page)
