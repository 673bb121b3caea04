from psycopg2 import sql

from odoo import _, api, fields, models, tools

from ..models.res_partner import CUSTOMER_CLASSES
from ..models.res_partner_credit import DEFAULT_LIMITS_SQL, OWN_LIMITS_SQL
from ..tools import aging
from ..tools.sql_text import as_text

_BUCKET_KEYS = [key for key, _first, _last in aging.BUCKET_BOUNDS]
# per customer: its open receivables in each past-due bucket (same bounds as tools/aging.py)
_LINE_BUCKETS_SQL = ",\n".join(
    "SUM(CASE WHEN aml.amount_residual > 0 AND CURRENT_DATE - aml.date_maturity >= %d%s "
    "THEN aml.amount_residual ELSE 0 END) AS aging_%s" % (
        first, "" if last is None else " AND CURRENT_DATE - aml.date_maturity <= %d" % last, key)
    for key, first, last in aging.BUCKET_BOUNDS)
_ZERO_BUCKETS_SQL = ", ".join("0 AS aging_%s" % key for key in _BUCKET_KEYS)
_SUM_BUCKETS_SQL = ", ".join("SUM(aging_%s) AS aging_%s" % (key, key) for key in _BUCKET_KEYS)
_OVERDUE_SQL = " + ".join("agg.aging_%s" % key for key in _BUCKET_KEYS)
# A row is a customer in a company: its id packs both (company ids stay below this)
IDS_PER_PARTNER = 65536
_WORST_SQL = "CASE %s ELSE NULL END" % " ".join(
    "WHEN agg.aging_%s > 0 THEN '%s'" % (key, key) for key in reversed(_BUCKET_KEYS))


class CrmCnPipelineRiskReport(models.Model):
    """Pipeline risk (for accountants): per customer, the weighted open
    pipeline (expected revenue × probability) beside what it owes, how late,
    and the credit headroom left. A SQL view over the accounting's move
    lines, the opportunities and the orders (company currency, as of today;
    one row per customer and company it does business with: a customer of
    one company in that company only, a customer shared by all companies in
    each of them; each row has that company's figures, limit and currency)."""

    _name = "crm.cn.pipeline.risk.report"
    _description = "Pipeline Risk"
    _auto = False
    _rec_name = "partner_id"
    _order = "overdue_amount desc, weighted_pipeline desc"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    customer_class = fields.Selection(CUSTOMER_CLASSES, readonly=True)
    territory_id = fields.Many2one("crm.cn.territory", string="Sales Territory", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Currency", readonly=True)
    opportunity_count = fields.Integer(string="Open Opportunities", readonly=True)
    expected_revenue = fields.Monetary(readonly=True)
    weighted_pipeline = fields.Monetary(readonly=True,
                                        help="Sum of expected revenue × probability of open opportunities.")
    receivable_balance = fields.Monetary(readonly=True)
    overdue_amount = fields.Monetary(string="Overdue", readonly=True)
    aging_not_due = fields.Monetary(string="Not Due", readonly=True)
    aging_1_30 = fields.Monetary(string="1-30 Days", readonly=True)
    aging_31_60 = fields.Monetary(string="31-60 Days", readonly=True)
    aging_61_90 = fields.Monetary(string="61-90 Days", readonly=True)
    aging_over_90 = fields.Monetary(string="Over 90 Days", readonly=True)
    worst_bucket = fields.Selection(aging.BUCKETS[1:], string="Worst Overdue", readonly=True)
    uninvoiced_orders = fields.Monetary(string="Orders Not Invoiced", readonly=True)
    credit_limit = fields.Monetary(readonly=True)
    credit_exposure = fields.Monetary(readonly=True)
    credit_headroom = fields.Monetary(string="Headroom", readonly=True,
                                      group_operator="sum")
    has_credit_limit = fields.Boolean(readonly=True)
    no_headroom = fields.Boolean(readonly=True)

    XLSX_FIELDS = [
        "partner_id", "user_id", "customer_class", "opportunity_count", "weighted_pipeline",
        "receivable_balance", "overdue_amount", "aging_not_due", "aging_1_30", "aging_31_60",
        "aging_61_90", "aging_over_90", "worst_bucket", "uninvoiced_orders", "credit_limit",
        "credit_exposure", "credit_headroom", "company_id", "currency_id",
    ]

    @api.multi
    def _export_xlsx(self):
        """The rows as an Excel workbook (bytes), one column per figure."""
        return self.env["crm.cn.export"]._cn_xlsx(self, self.XLSX_FIELDS, _("Pipeline Risk"))

    @api.multi
    def action_export_xlsx(self):
        """Download the selected rows (all rows when none is selected) as XLSX,
        kept as the user's own export."""
        records = self or self.search([])
        return self.env["crm.cn.export"]._cn_store("pipeline_risk.xlsx", records._export_xlsx())

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        # One grouped UNION ALL of the customer's receivables, opportunities
        # and orders, each summed by customer and company, then the customer's
        # class, salesperson and limit in that company.
        self.env.cr.execute(as_text(self.env.cr, sql.SQL("""
CREATE VIEW {table} AS (
WITH rates AS (
    -- today's rate of each active currency for each company, as res.currency computes it
    SELECT cur.id AS currency_id, c.id AS company_id,
           COALESCE((SELECT r.rate FROM res_currency_rate r
                      WHERE r.currency_id = cur.id AND r.name <= NOW()
                        AND (r.company_id IS NULL OR r.company_id = c.id)
                      ORDER BY r.company_id, r.name DESC LIMIT 1), 1) AS rate
      FROM res_currency cur CROSS JOIN res_company c
     WHERE cur.active
), own_limits AS ({own_limits}
), default_limits AS ({default_limits}
)
SELECT agg.partner_id::bigint * {ids_per_partner} + agg.company_id AS id,
       agg.partner_id, p.user_id, p.team_id,
       p.cn_customer_class AS customer_class, p.cn_territory_id AS territory_id,
       company.id AS company_id, company.currency_id,
       agg.opportunity_count, agg.expected_revenue, agg.weighted_pipeline,
       agg.balance AS receivable_balance,
       {overdue} AS overdue_amount,
       agg.balance - ({overdue}) AS aging_not_due,
       {bucket_columns},
       {worst} AS worst_bucket,
       agg.orders AS uninvoiced_orders,
       lim.amount AS credit_limit,
       agg.balance + agg.orders AS credit_exposure,
       CASE WHEN lim.amount > 0 THEN lim.amount - agg.balance - agg.orders END AS credit_headroom,
       lim.amount > 0 AS has_credit_limit,
       lim.amount > 0 AND lim.amount - agg.balance - agg.orders <= 0 AS no_headroom
  FROM (
    -- one row per customer and company that it owes, has opportunities or orders in;
    -- a customer of one company only in that company
    SELECT partner_id, company_id, SUM(balance) AS balance, {sum_buckets},
           SUM(opportunity) AS opportunity_count, SUM(expected) AS expected_revenue,
           SUM(weighted) AS weighted_pipeline, SUM(orders) AS orders
      FROM (
        SELECT p.commercial_partner_id AS partner_id, aml.company_id,
               SUM(aml.amount_residual) AS balance, {line_buckets}, 0 AS opportunity,
               0 AS expected, 0 AS weighted, 0 AS orders
          FROM account_move_line aml
          JOIN account_account acc ON acc.id = aml.account_id AND acc.internal_type = 'receivable'
          JOIN account_move am ON am.id = aml.move_id AND am.state = 'posted'
          JOIN res_partner p ON p.id = aml.partner_id
          JOIN res_partner cp ON cp.id = p.commercial_partner_id
         WHERE aml.amount_residual != 0
           AND (cp.company_id IS NULL OR aml.company_id = cp.company_id)
         GROUP BY p.commercial_partner_id, aml.company_id
        UNION ALL
        SELECT p.commercial_partner_id, {lead_company}, 0, {zero_buckets}, COUNT(*),
               SUM(l.planned_revenue), SUM(l.planned_revenue * l.probability / 100.0), 0
          FROM crm_lead l
          JOIN res_partner p ON p.id = l.partner_id
          JOIN res_partner cp ON cp.id = p.commercial_partner_id
         WHERE l.type = 'opportunity' AND l.active AND l.probability < 100
           AND (l.company_id IS NULL OR cp.company_id IS NULL OR l.company_id = cp.company_id)
         GROUP BY p.commercial_partner_id, {lead_company}
        UNION ALL
        SELECT p.commercial_partner_id, so.company_id, 0, {zero_buckets}, 0, 0, 0,
               SUM(CASE WHEN so.state = 'sent' THEN sol.price_total
                        ELSE sol.price_total * (sol.product_uom_qty - sol.qty_invoiced) / sol.product_uom_qty
                   END * COALESCE(company_rate.rate, 1) / COALESCE(order_rate.rate, 1))
          FROM sale_order_line sol
          JOIN sale_order so ON so.id = sol.order_id
          JOIN res_company c ON c.id = so.company_id
          JOIN product_pricelist pl ON pl.id = so.pricelist_id
          JOIN res_partner p ON p.id = so.partner_id
          JOIN res_partner cp ON cp.id = p.commercial_partner_id
          LEFT JOIN rates order_rate
                 ON order_rate.currency_id = pl.currency_id AND order_rate.company_id = c.id
          LEFT JOIN rates company_rate
                 ON company_rate.currency_id = c.currency_id AND company_rate.company_id = c.id
         WHERE sol.product_uom_qty > 0
           AND (cp.company_id IS NULL OR so.company_id = cp.company_id)
           AND ((so.state IN ('sale', 'done') AND sol.qty_invoiced < sol.product_uom_qty)
                OR (so.state = 'sent' AND c.cn_credit_include_quotations))
         GROUP BY p.commercial_partner_id, so.company_id
      ) lines
     GROUP BY partner_id, company_id
  ) agg
  JOIN res_partner p ON p.id = agg.partner_id
  JOIN res_company company ON company.id = agg.company_id
  LEFT JOIN crm_cn_credit_policy policy
         ON policy.customer_class = p.cn_customer_class AND policy.company_id = company.id
  LEFT JOIN own_limits own
         ON own.res_id = 'res.partner,' || agg.partner_id AND own.company_id = agg.company_id
  LEFT JOIN default_limits dflt ON dflt.company_id = agg.company_id
  CROSS JOIN LATERAL (
    SELECT COALESCE(NULLIF(COALESCE(own.value_float, dflt.value_float), 0), policy.credit_limit, 0)
           AS amount) lim
)""").format(
            table=sql.Identifier(self._table),
            ids_per_partner=sql.SQL(str(IDS_PER_PARTNER)),
            lead_company=sql.SQL(
                "COALESCE(l.company_id, cp.company_id, (SELECT MIN(id) FROM res_company))"),
            own_limits=sql.SQL(OWN_LIMITS_SQL),
            default_limits=sql.SQL(DEFAULT_LIMITS_SQL),
            line_buckets=sql.SQL(_LINE_BUCKETS_SQL),
            zero_buckets=sql.SQL(_ZERO_BUCKETS_SQL),
            sum_buckets=sql.SQL(_SUM_BUCKETS_SQL),
            overdue=sql.SQL(_OVERDUE_SQL),
            bucket_columns=sql.SQL(", ".join("agg.aging_%s" % key for key in _BUCKET_KEYS)),
            worst=sql.SQL(_WORST_SQL),
        )))
