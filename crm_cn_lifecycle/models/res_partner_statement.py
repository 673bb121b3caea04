from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import statement as statement_tools
from ..tools.xlsx import rows_to_xlsx
from .res_partner_credit import FIGURES_OF_ALL_GROUPS, RECEIVABLE_LINES

# Posted receivable lines (as the credit figures read them) of one commercial partner in one company.
_STATEMENT_FROM = RECEIVABLE_LINES
_STATEMENT_WHERE = " WHERE aml.company_id = %(company)s AND p.commercial_partner_id = %(partner)s"
OPENING_SQL = ("SELECT COALESCE(SUM(aml.balance), 0)" + _STATEMENT_FROM + _STATEMENT_WHERE
               + " AND aml.date < %(date_from)s")
# One row per document (an invoice on a payment term has a line per due date).
PERIOD_SQL = """
SELECT am.id, am.name, am.ref, am.date, MAX(aml.date_maturity) AS date_maturity,
       SUM(aml.debit) AS debit, SUM(aml.credit) AS credit,
       MAX(ai.type) AS invoice_type, MAX(j.type) AS journal_type
""" + _STATEMENT_FROM + """
      JOIN account_journal j ON j.id = aml.journal_id
      LEFT JOIN account_invoice ai ON ai.id = aml.invoice_id
""" + _STATEMENT_WHERE + """ AND aml.date >= %(date_from)s AND aml.date <= %(date_to)s
     GROUP BY am.id, am.name, am.ref, am.date
     ORDER BY am.date, am.id
"""


def _date_text(value):
    """"YYYY-MM-DD" of a date column (Odoo 11 reads dates as text already), "" for none."""
    if not value:
        return ""
    return value if isinstance(value, str) else fields.Date.to_string(value)


class ResPartner(models.Model):
    """The account statement of a customer (对账单): what it owed at the start
    of a period, each posted invoice, credit note and payment of the period
    with the running balance, and what it owes at the end, in company currency."""

    _inherit = "res.partner"

    @api.multi
    def _cn_check_statement_access(self):
        """Managers and accountants read every customer's statement; a
        salesperson those of its own customers; a portal user its own
        company's only. Everybody else is refused."""
        self.ensure_one()
        user = self.env.user
        if self._cn_may_set(FIGURES_OF_ALL_GROUPS):
            return True
        if user.share:
            if self.commercial_partner_id == user.commercial_partner_id:
                return True
        elif self._cn_credit_visible() == self:
            return True
        raise AccessError(_("You may not read the account statement of this customer."))

    @api.model
    def _cn_statement_period(self, date_from=None, date_to=None):
        """(date_from, date_to) as dates, this year up to today by default;
        a malformed or reversed period is refused with a message for people."""
        try:
            start = statement_tools.parse_date(date_from)
            end = statement_tools.parse_date(date_to)
        except (ValueError, TypeError):
            raise UserError(_("Dates must be written as year-month-day, e.g. 2026-01-31."))
        today = fields.Date.from_string(fields.Date.context_today(self))
        default_start, default_end = statement_tools.default_period(today)
        start, end = start or default_start, end or default_end
        problem = statement_tools.check_period(start, end)
        if problem == "order":
            raise UserError(_("The start date must not be after the end date."))
        if problem == "length":
            raise UserError(_("A statement covers at most %d days: choose a shorter period.")
                            % statement_tools.MAX_DAYS)
        return start, end

    @api.multi
    def cn_account_statement(self, date_from=None, date_to=None, company_id=None):
        """The account statement of this customer (its commercial partner) in
        the user's current company for the period (default: this year), as a
        dict (in `company_id`, one of the user's companies, if given): partner, currency, date_from, date_to, opening, lines (date,
        number, reference, kind, kind_label, due_date, debit, credit, balance),
        debit, credit, closing. Dates as "YYYY-MM-DD" (XML-RPC friendly)."""
        self.ensure_one()
        self._cn_check_statement_access()
        start, end = self._cn_statement_period(date_from, date_to)
        partner = self.sudo().commercial_partner_id
        company = self._cn_statement_company(company_id)
        params = {"company": company.id, "partner": partner.id, "date_from": start, "date_to": end}
        self.env.cr.execute(OPENING_SQL, params)
        opening = self.env.cr.fetchone()[0] or 0.0
        kinds = self._cn_statement_kinds()  # before the query: _() reads translations on the cursor
        self.env.cr.execute(PERIOD_SQL, params)
        lines = []
        for row in self.env.cr.dictfetchall():
            kind = self._cn_statement_kind(row)
            lines.append({
                "date": _date_text(row["date"]), "number": row["name"] or "",
                "reference": row["ref"] or "", "kind": kind, "kind_label": kinds[kind],
                "due_date": _date_text(row["date_maturity"]),
                "debit": row["debit"], "credit": row["credit"],
            })
        result = statement_tools.running_statement(
            opening, lines, digits=company.currency_id.decimal_places)
        result.update({
            "partner_id": partner.id, "partner_name": partner.name,
            "company_name": company.name, "currency": company.currency_id.name,
            "date_from": fields.Date.to_string(start), "date_to": fields.Date.to_string(end),
        })
        return result

    @api.model
    def _cn_statement_company(self, company_id=None):
        user = self.env.user
        if not company_id or company_id == user.company_id.id:
            return user.company_id
        company = self.env["res.company"].browse(company_id)
        if self.env.uid != SUPERUSER_ID and company not in user.company_ids:
            raise AccessError(_("You may not read statements of a company you do not work for."))
        return company

    @api.model
    def _cn_statement_kinds(self):
        return {"invoice": _("Invoice"), "refund": _("Credit Note"), "payment": _("Payment"),
                "entry": _("Journal Entry")}

    @api.model
    def _cn_statement_kind(self, row):
        if row["journal_type"] in ("bank", "cash"):
            return "payment"
        if row["invoice_type"] == "out_invoice":
            return "invoice"
        if row["invoice_type"] == "out_refund":
            return "refund"
        return "entry"

    @api.model
    def _cn_statement_xlsx(self, statement):
        """The statement (see cn_account_statement) as XLSX bytes: a row for
        the balance brought forward, one per document, one for the closing balance."""
        headers = [_("Date"), _("Number"), _("Reference"), _("Type"), _("Due Date"),
                   _("Debit"), _("Credit"), _("Balance")]
        rows = [[statement["date_from"], "", _("Opening balance"), "", "", "", "", statement["opening"]]]
        for line in statement["lines"]:
            rows.append([line["date"], line["number"], line["reference"], line["kind_label"],
                         line["due_date"], line["debit"], line["credit"], line["balance"]])
        rows.append([statement["date_to"], "", _("Closing balance"), "", "",
                     statement["debit"], statement["credit"], statement["closing"]])
        return rows_to_xlsx(_("Statement"), headers, rows, number_format="#,##0.00", freeze=(1, 0))

    @api.multi
    def action_cn_statement_xlsx(self, date_from=None, date_to=None):
        """Download the statement as the user's XLSX export."""
        statement = self.cn_account_statement(date_from, date_to)
        filename = "statement-%s-%s-%s.xlsx" % (self.commercial_partner_id.id, statement["date_from"],
                                                 statement["date_to"])
        return self.env["crm.cn.export"]._cn_store(filename, self._cn_statement_xlsx(statement))
