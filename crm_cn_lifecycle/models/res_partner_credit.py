from datetime import timedelta

from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import aging
from ..tools.sql_text import as_text

# Who reads the credit figures of every customer; other users read those of
# the customers whose salesperson they are.
FIGURES_OF_ALL_GROUPS = ("crm_cn_lifecycle.group_manager", "crm_cn_lifecycle.group_accountant")
BUCKET_FIELDS = {
    "not_due": "cn_aging_not_due",
    "1_30": "cn_aging_1_30",
    "31_60": "cn_aging_31_60",
    "61_90": "cn_aging_61_90",
    "over_90": "cn_aging_over_90",
}
DAYS_TO_PAY_WINDOW = 365

# The customers' own credit limits, a company-dependent property read as Odoo's
# ir.property does: the customer's value for the company, else its value for
# all companies, else the company's default, else the default for all. Read
# set-based (a list of 100,000 customers in one pass, a single one by index).
LIMIT_FIELD_SQL = ("(SELECT id FROM ir_model_fields "
                   "WHERE model = 'res.partner' AND name = 'cn_credit_limit')")
# per customer reference ('res.partner,<id>') and company
OWN_LIMITS_SQL = """
    SELECT DISTINCT ON (ip.res_id, c.id) ip.res_id, c.id AS company_id, ip.value_float
      FROM ir_property ip JOIN res_company c ON c.id = ip.company_id OR ip.company_id IS NULL
     WHERE ip.fields_id = """ + LIMIT_FIELD_SQL + """ AND ip.res_id IS NOT NULL
     ORDER BY ip.res_id, c.id, ip.company_id IS NULL"""
# per company: the default
DEFAULT_LIMITS_SQL = """
    SELECT DISTINCT ON (c.id) c.id AS company_id, ip.value_float
      FROM ir_property ip JOIN res_company c ON c.id = ip.company_id OR ip.company_id IS NULL
     WHERE ip.fields_id = """ + LIMIT_FIELD_SQL + """ AND ip.res_id IS NULL
     ORDER BY c.id, ip.company_id IS NULL"""

# One statement for the receivable figures of a whole list of customers:
# open receivable lines by due-date bucket, credit sales of the DSO period,
# the last payment day and amount-weighted days from invoice to payment.
_BUCKET_SQL = ",\n".join(
    "SUM(CASE WHEN aml.amount_residual > 0 AND %%(today)s::date - aml.date_maturity "
    ">= %d%s THEN aml.amount_residual ELSE 0 END) AS b_%s" % (
        first, "" if last is None else " AND %%(today)s::date - aml.date_maturity <= %d" % last, key)
    for key, first, last in aging.BUCKET_BOUNDS)
# Each part reads the base tables itself (a CTE shared by several parts would
# be materialized: a million rows copied before anything is summed).
RECEIVABLE_LINES = """
      FROM account_move_line aml
      JOIN account_account acc ON acc.id = aml.account_id AND acc.internal_type = 'receivable'
      JOIN account_move am ON am.id = aml.move_id AND am.state = 'posted'
      JOIN res_partner p ON p.id = aml.partner_id
"""
_RECEIVABLE_WHERE = "aml.company_id = %(company)s AND p.commercial_partner_id = ANY(%(ids)s)"
RECEIVABLE_FIGURES_SQL = """
WITH open_lines AS (
    SELECT p.commercial_partner_id AS partner_id,
           SUM(aml.amount_residual) AS balance,
           """ + _BUCKET_SQL + """,
           MIN(CASE WHEN aml.amount_residual > 0 AND aml.date_maturity < %(today)s
                    THEN aml.date_maturity END) AS oldest_overdue
    """ + RECEIVABLE_LINES + """
     WHERE """ + _RECEIVABLE_WHERE + """ AND aml.amount_residual != 0
     GROUP BY p.commercial_partner_id
), sales AS (
    SELECT p.commercial_partner_id AS partner_id, SUM(aml.balance) AS amount
    """ + RECEIVABLE_LINES + """
      JOIN account_journal j ON j.id = aml.journal_id AND j.type = 'sale'
     WHERE """ + _RECEIVABLE_WHERE + """ AND aml.date > %(sales_from)s AND aml.date <= %(today)s
     GROUP BY p.commercial_partner_id
), last_payment AS (
    SELECT DISTINCT ON (partner_id) partner_id, date, amount FROM (
        SELECT p.commercial_partner_id AS partner_id, aml.date, -SUM(aml.balance) AS amount
        """ + RECEIVABLE_LINES + """
          JOIN account_journal j ON j.id = aml.journal_id AND j.type IN ('bank', 'cash')
         WHERE """ + _RECEIVABLE_WHERE + """ AND aml.date <= %(today)s
         GROUP BY p.commercial_partner_id, aml.date) payment_days
     WHERE amount > 0
     ORDER BY partner_id, date DESC
), paid AS (
    SELECT p.commercial_partner_id AS partner_id,
           SUM(apr.amount * GREATEST(c.date - aml.date, 0)) AS weighted_days,
           SUM(apr.amount) AS amount
    """ + RECEIVABLE_LINES + """
      JOIN account_journal dj ON dj.id = aml.journal_id AND dj.type = 'sale'
      JOIN account_partial_reconcile apr ON apr.debit_move_id = aml.id
      JOIN account_move_line c ON c.id = apr.credit_move_id
      JOIN account_journal cj ON cj.id = c.journal_id AND cj.type IN ('bank', 'cash')
     WHERE """ + _RECEIVABLE_WHERE + """ AND c.date > %(paid_from)s AND c.date <= %(today)s
     GROUP BY p.commercial_partner_id
)
SELECT ids.partner_id, o.balance,
       """ + ", ".join("o.b_%s" % key for key, _f, _l in aging.BUCKET_BOUNDS) + """,
       o.oldest_overdue, s.amount AS sales, lp.date AS last_payment_date,
       lp.amount AS last_payment_amount, pd.weighted_days, pd.amount AS paid_amount
  FROM (SELECT partner_id FROM open_lines UNION SELECT partner_id FROM sales
        UNION SELECT partner_id FROM last_payment UNION SELECT partner_id FROM paid) ids
  LEFT JOIN open_lines o ON o.partner_id = ids.partner_id
  LEFT JOIN sales s ON s.partner_id = ids.partner_id
  LEFT JOIN last_payment lp ON lp.partner_id = ids.partner_id
  LEFT JOIN paid pd ON pd.partner_id = ids.partner_id
"""

# Each commercial partner of a list: its class and its own limit in the company.
PARTNER_LIMITS_SQL = """
WITH partners AS (
    SELECT DISTINCT c.id, c.cn_customer_class, 'res.partner,' || c.id AS ref
      FROM res_partner p JOIN res_partner c ON c.id = p.commercial_partner_id
     WHERE p.id = ANY(%(ids)s)
), own AS (
    SELECT DISTINCT ON (ip.res_id) ip.res_id, ip.value_float
      FROM ir_property ip
     WHERE ip.fields_id = """ + LIMIT_FIELD_SQL + """ AND ip.res_id IN (SELECT ref FROM partners)
       AND (ip.company_id = %(company)s OR ip.company_id IS NULL)
     ORDER BY ip.res_id, ip.company_id IS NULL
)
SELECT partners.id, partners.cn_customer_class,
       COALESCE(own.value_float, (SELECT d.value_float FROM (""" + DEFAULT_LIMITS_SQL + """) d
                                   WHERE d.company_id = %(company)s))
  FROM partners LEFT JOIN own ON own.res_id = partners.ref
"""

# Confirmed orders not invoiced yet (and, if the company says so, quotations
# sent), by customer and order currency.
ORDER_EXPOSURE_SQL = """
SELECT p.commercial_partner_id AS partner_id, pl.currency_id,
       SUM(CASE WHEN so.state = 'sent' THEN sol.price_total
                ELSE sol.price_total * (sol.product_uom_qty - sol.qty_invoiced) / sol.product_uom_qty
           END) AS amount
  FROM sale_order_line sol
  JOIN sale_order so ON so.id = sol.order_id
  JOIN product_pricelist pl ON pl.id = so.pricelist_id
  JOIN res_partner p ON p.id = so.partner_id
 WHERE so.company_id = %(company)s AND p.commercial_partner_id = ANY(%(ids)s)
   AND sol.product_uom_qty > 0
   AND ((so.state IN ('sale', 'done') AND sol.qty_invoiced < sol.product_uom_qty)
        OR (so.state = 'sent' AND %(quotations)s))
 GROUP BY p.commercial_partner_id, pl.currency_id
"""


class ResPartner(models.Model):
    """Receivables and credit of a customer (应收账款 / 信用额度), in company
    currency, read from the accounting's own move lines and the orders.

    Every figure is computed for the whole recordset at once (one SQL query
    for the receivables, one for the orders): lists stay at a constant number
    of queries."""

    _inherit = "res.partner"

    cn_credit_currency_id = fields.Many2one(
        "res.currency", compute="_compute_cn_credit_currency", string="Credit Currency")
    # company dependent (ir.property, like Odoo's own credit_limit from 13.0): each
    # company extends its own credit, in its own currency
    cn_credit_limit = fields.Float(
        string="Credit Limit", company_dependent=True, digits=(16, 2),
        help="The customer's own credit limit in this company, in its currency. 0: the default "
             "of its customer class applies. Each company sets its own. Set by accountants.")
    cn_credit_limit_effective = fields.Monetary(
        string="Effective Credit Limit", compute="_compute_cn_credit",
        currency_field="cn_credit_currency_id",
        help="The customer's own limit, else its customer class's default. 0: no limit.")
    cn_receivable_balance = fields.Monetary(
        string="Receivable Balance", compute="_compute_cn_credit", currency_field="cn_credit_currency_id")
    cn_overdue_amount = fields.Monetary(
        string="Overdue", compute="_compute_cn_credit", currency_field="cn_credit_currency_id")
    cn_aging_not_due = fields.Monetary(
        string="Not Due", compute="_compute_cn_credit", currency_field="cn_credit_currency_id")
    cn_aging_1_30 = fields.Monetary(
        string="1-30 Days", compute="_compute_cn_credit", currency_field="cn_credit_currency_id")
    cn_aging_31_60 = fields.Monetary(
        string="31-60 Days", compute="_compute_cn_credit", currency_field="cn_credit_currency_id")
    cn_aging_61_90 = fields.Monetary(
        string="61-90 Days", compute="_compute_cn_credit", currency_field="cn_credit_currency_id")
    cn_aging_over_90 = fields.Monetary(
        string="Over 90 Days", compute="_compute_cn_credit", currency_field="cn_credit_currency_id")
    cn_worst_bucket = fields.Selection(
        aging.BUCKETS[1:], string="Worst Overdue", compute="_compute_cn_credit")
    cn_oldest_overdue_date = fields.Date(string="Oldest Overdue Due Date", compute="_compute_cn_credit")
    cn_last_payment_date = fields.Date(string="Last Payment", compute="_compute_cn_credit")
    cn_last_payment_amount = fields.Monetary(
        string="Last Payment Amount", compute="_compute_cn_credit", currency_field="cn_credit_currency_id")
    cn_dso = fields.Float(
        string="DSO (90 days)", compute="_compute_cn_credit", digits=(16, 1),
        help="Days sales outstanding: receivable balance / credit sales of the last 90 days × 90.")
    cn_avg_days_to_pay = fields.Float(
        string="Average Days to Pay", compute="_compute_cn_credit", digits=(16, 1),
        help="Days from invoice to payment, weighted by amount, over the payments of the last year.")
    cn_uninvoiced_orders = fields.Monetary(
        string="Orders Not Invoiced", compute="_compute_cn_credit", currency_field="cn_credit_currency_id")
    cn_credit_exposure = fields.Monetary(
        string="Credit Exposure", compute="_compute_cn_credit", currency_field="cn_credit_currency_id",
        help="Open receivables + confirmed orders not invoiced yet (+ quotations sent, if "
             "the company counts them).")
    cn_credit_headroom = fields.Monetary(
        string="Headroom", compute="_compute_cn_credit", currency_field="cn_credit_currency_id",
        help="Credit limit - exposure. Meaningless without a credit limit.")
    cn_has_credit_limit = fields.Boolean(string="Has Credit Limit", compute="_compute_cn_credit")
    cn_credit_alert = fields.Boolean(
        string="Credit Alert", compute="_compute_cn_credit",
        help="The customer has money overdue or no credit headroom left.")
    cn_open_invoice_ids = fields.One2many(
        "account.invoice", "commercial_partner_id", string="Open Invoices", readonly=True,
        domain=[("state", "=", "open"), ("type", "in", ("out_invoice", "out_refund"))])

    def _compute_cn_credit_currency(self):
        currency = self.env.user.company_id.currency_id
        for partner in self:
            partner.cn_credit_currency_id = currency

    def _compute_cn_credit(self):
        visible = self._cn_credit_visible()
        figures = visible._cn_credit_figures()
        empty = self._cn_empty_figures()
        for partner in self:
            values = figures.get(partner.commercial_partner_id.id) if partner in visible else None
            partner.update(self._cn_figures_to_fields(values or empty))

    @api.multi
    def _cn_credit_visible(self):
        """The partners of self whose credit figures the user may read: all for
        managers and accountants, else those whose commercial partner's
        salesperson is the user (one query). The others' figures compute empty,
        so read, export and the form reveal nothing."""
        if self._cn_may_set(FIGURES_OF_ALL_GROUPS):
            return self
        record_ids = [record_id for record_id in self.ids if isinstance(record_id, int)]
        if not record_ids:
            return self.browse()
        self.env.cr.execute("""
            SELECT p.id FROM res_partner p JOIN res_partner c ON c.id = p.commercial_partner_id
             WHERE p.id = ANY(%s) AND c.user_id = %s""", [record_ids, self.env.uid])
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _cn_figures_to_fields(self, values):
        result = {
            "cn_credit_limit_effective": values["credit_limit"],
            "cn_receivable_balance": values["balance"],
            "cn_overdue_amount": values["overdue"],
            "cn_worst_bucket": values["worst_bucket"],
            "cn_oldest_overdue_date": values["oldest_overdue_date"],
            "cn_last_payment_date": values["last_payment_date"],
            "cn_last_payment_amount": values["last_payment_amount"],
            "cn_dso": values["dso"] or 0.0,
            "cn_avg_days_to_pay": values["avg_days_to_pay"] or 0.0,
            "cn_uninvoiced_orders": values["orders"],
            "cn_credit_exposure": values["exposure"],
            "cn_credit_headroom": values["headroom"] or 0.0,
            "cn_has_credit_limit": values["headroom"] is not None,
            "cn_credit_alert": values["alert"],
        }
        for key, field_name in BUCKET_FIELDS.items():
            result[field_name] = values[key]
        return result

    @api.model
    def _cn_empty_figures(self):
        values = aging.empty_aging()
        values.update(credit_limit=0.0, worst_bucket=False, last_payment_date=None,
                      last_payment_amount=0.0, dso=0.0, avg_days_to_pay=None, orders=0.0,
                      exposure=0.0, headroom=None, alert=False, hold_overdue_days=0)
        return values

    @api.multi
    def _cn_credit_figures(self, today=None, company=None):
        """{commercial partner id: figures} for every commercial partner of
        self, in company currency, as of `today` (default: today)."""
        company = company or self.env.user.company_id
        today = aging.to_date(today or fields.Date.context_today(self))
        record_ids = [record_id for record_id in self.ids if isinstance(record_id, int)]
        if not record_ids:
            return {}
        # plain SQL, not the ORM: reading partners would prefetch all their fields
        self.env.cr.execute(PARTNER_LIMITS_SQL, {"ids": record_ids, "company": company.id})
        partners = self.env.cr.fetchall()
        params = {
            "company": company.id, "ids": [row[0] for row in partners], "today": today,
            "sales_from": today - timedelta(days=aging.DSO_DAYS),
            "paid_from": today - timedelta(days=DAYS_TO_PAY_WINDOW),
            "quotations": bool(company.cn_credit_include_quotations),
        }
        self.env.cr.execute(RECEIVABLE_FIGURES_SQL, params)
        receivable_rows = {row["partner_id"]: row for row in self.env.cr.dictfetchall()}
        orders = self._cn_order_exposure(params, company)
        policies = self.env["crm.cn.credit.policy"]._get_policies(company)
        class_limits = {key: policy.credit_limit for key, policy in policies.items()}
        class_hold_days = {key: policy.hold_overdue_days for key, policy in policies.items()}
        company_hold_days = company.cn_credit_hold_overdue_days
        digits = company.currency_id.decimal_places
        empty = self._cn_empty_figures()
        result = {}
        for partner_id, customer_class, own_limit in partners:
            row = receivable_rows.get(partner_id)
            values = dict(empty)
            if row:
                bucket_sum = 0.0
                for key, _first, _last in aging.BUCKET_BOUNDS:
                    values[key] = round(row["b_%s" % key] or 0.0, digits) + 0.0
                    bucket_sum += values[key]
                values["balance"] = round(row["balance"] or 0.0, digits) + 0.0
                values["overdue"] = round(bucket_sum, digits) + 0.0
                values[aging.NOT_DUE] = round(values["balance"] - bucket_sum, digits) + 0.0
                values["oldest_overdue_date"] = row["oldest_overdue"]
                values["worst_bucket"] = aging.worst_bucket(values)
                values["last_payment_date"] = row["last_payment_date"]
                values["last_payment_amount"] = round(row["last_payment_amount"] or 0.0, digits) + 0.0
                values["dso"] = aging.dso(values["balance"], row["sales"] or 0.0)
                values["avg_days_to_pay"] = aging.average_from_sums(
                    row["weighted_days"] or 0.0, row["paid_amount"] or 0.0)
            values["orders"] = round(orders.get(partner_id, 0.0), digits) + 0.0
            values["credit_limit"] = aging.effective_credit_limit(
                own_limit, class_limits.get(customer_class, 0.0))
            values["hold_overdue_days"] = class_hold_days.get(customer_class) or company_hold_days
            values["exposure"] = aging.exposure(values["balance"], values["orders"], digits=digits)
            values["headroom"] = aging.headroom(values["credit_limit"], values["exposure"], digits)
            values["alert"] = values["overdue"] > 0 or (
                values["headroom"] is not None and values["headroom"] <= 0)
            result[partner_id] = values
        return result

    @api.model
    def _cn_order_exposure(self, params, company):
        """{commercial partner id: uninvoiced order amount in company currency}."""
        self.env.cr.execute(ORDER_EXPOSURE_SQL, params)
        rows = self.env.cr.dictfetchall()
        currencies = self.env["res.currency"].browse(
            {row["currency_id"] for row in rows} | {company.currency_id.id})
        rates = {currency.id: currency.rate or 1.0 for currency in currencies.with_context(
            date=fields.Date.to_string(params["today"]), company_id=company.id)}
        company_rate = rates[company.currency_id.id]
        result = {}
        for row in rows:
            amount = row["amount"] * company_rate / rates[row["currency_id"]]
            result[row["partner_id"]] = result.get(row["partner_id"], 0.0) + amount
        return result

    @api.model
    def _cn_check_credit_limit_access(self):
        """create/write refuse the credit limit through `_cn_protected_fields`."""
        if not self._cn_may_set(self._cn_protected_fields()["cn_credit_limit"]):
            raise AccessError(_("Only accountants can change a customer's credit limit."))

    @api.multi
    def action_cn_set_credit_limit(self, credit_limit, note=None):
        """Accountants set credit limits (they may not edit the rest of the
        customer): checked here, written as superuser for the accountant's
        current company only (each company its own limit, in its currency),
        logged in the chatter."""
        self._cn_check_credit_limit_access()
        if credit_limit is None or credit_limit < 0:
            raise UserError(_("The credit limit must be zero (no limit of its own) or positive."))
        self.check_access_rights("read")
        self.check_access_rule("read")
        company = self.env.user.company_id
        for partner in self.mapped("commercial_partner_id"):
            # sudo() would write the superuser's company: name the accountant's
            partner.sudo().with_context(force_company=company.id).write({"cn_credit_limit": credit_limit})
            body = _("Credit limit in %(company)s set to %(limit)s %(currency)s by %(user)s.") % {
                "company": company.name, "limit": credit_limit,
                "currency": company.currency_id.name, "user": self.env.user.name}
            if note:
                body += " " + note
            partner.sudo().message_post(body=body, author_id=self.env.user.partner_id.id)
        return True

    @api.model
    def _cn_credit_limits_from_column(self, column):
        """Migration to per-company credit limits (11.0.1.1.0): each non-zero
        limit of the old `column` of res_partner becomes the customer's
        ir.property in its company (in every company for a customer of no
        company), unless one is already set there; then the column is dropped.
        Returns the number of properties created."""
        cr = self.env.cr
        cr.execute("SELECT 1 FROM information_schema.columns WHERE table_name = 'res_partner' "
                   "AND column_name = %s", [column])
        if not cr.fetchone():
            return 0
        cr.execute("SELECT id FROM ir_model_fields WHERE model = 'res.partner' AND name = 'cn_credit_limit'")
        field_id = cr.fetchone()[0]
        cr.execute(as_text(cr, sql.SQL("""
            INSERT INTO ir_property (name, res_id, company_id, fields_id, value_float, type,
                                     create_uid, write_uid, create_date, write_date)
            SELECT 'cn_credit_limit', 'res.partner,' || p.id, c.id, %(field)s, p.{column}, 'float',
                   %(uid)s, %(uid)s, NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
              FROM res_partner p
              JOIN res_company c ON c.id = p.company_id OR p.company_id IS NULL
             WHERE COALESCE(p.{column}, 0) != 0
               AND NOT EXISTS (SELECT 1 FROM ir_property ip
                                WHERE ip.fields_id = %(field)s AND ip.company_id = c.id
                                  AND ip.res_id = 'res.partner,' || p.id)""").format(
            column=sql.Identifier(column))), {"field": field_id, "uid": self.env.uid})
        created = cr.rowcount
        cr.execute(as_text(cr, sql.SQL("ALTER TABLE res_partner DROP COLUMN {column}").format(
            column=sql.Identifier(column))))
        self.env["ir.property"].invalidate_cache()
        self.invalidate_cache(["cn_credit_limit"])
        return created
