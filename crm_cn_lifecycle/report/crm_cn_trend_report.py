from psycopg2 import sql

from odoo import fields, models, tools

from ..tools.sql_text import as_text


class CrmCnTrendReport(models.Model):
    """Month by month, per company: invoiced revenue, cost and gross margin
    (from the sales and margin analysis), and the receivables and inventory
    value at the month's end (Odoo's receivable journal items and valued
    stock moves, summed up to that day). A balance grouped over several
    months shows their average month-end value."""

    _name = "crm.cn.trend.report"
    _description = "Monthly Trends"
    _auto = False
    _rec_name = "month"
    _order = "month desc, company_id"

    month = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    revenue = fields.Float(readonly=True, help="Net invoiced revenue of the month (credit notes subtract).")
    cost = fields.Float(readonly=True)
    margin = fields.Float(string="Gross Margin", readonly=True)
    receivables = fields.Float(
        string="Receivables (Month End)", readonly=True, group_operator="avg",
        help="What customers owed at the month's end; over several months, the average.")
    inventory_value = fields.Float(
        string="Inventory Value (Month End)", readonly=True, group_operator="avg",
        help="The value of the company's valued stock at the month's end; over several months, "
             "the average.")

    def _query(self):
        return """
WITH sales AS (
    SELECT company_id, date_trunc('month', date)::date AS month,
           SUM(revenue) AS revenue, SUM(cost) AS cost, SUM(margin) AS margin
      FROM crm_cn_sales_margin_report
     WHERE source = 'invoiced' AND NOT is_last_year
     GROUP BY 1, 2
), receivable AS (
    SELECT aml.company_id, date_trunc('month', aml.date)::date AS month, SUM(aml.balance) AS amount
      FROM account_move_line aml
      JOIN account_account acc ON acc.id = aml.account_id
     WHERE acc.internal_type = 'receivable'
     GROUP BY 1, 2
), stock AS (
    SELECT company_id, date_trunc('month', date)::date AS month, SUM(value) AS amount
      FROM stock_move
     WHERE state = 'done' AND value IS NOT NULL AND value != 0
     GROUP BY 1, 2
), months AS (
    SELECT c.id AS company_id, m::date AS month
      FROM res_company c
      JOIN (SELECT company_id, MIN(month) AS first
              FROM (SELECT company_id, month FROM sales UNION ALL
                    SELECT company_id, month FROM receivable UNION ALL
                    SELECT company_id, month FROM stock) known
             GROUP BY company_id) f ON f.company_id = c.id,
           generate_series(f.first, date_trunc('month', CURRENT_DATE), interval '1 month') m
)
SELECT row_number() OVER (ORDER BY months.company_id, months.month) AS id,
       months.month, months.company_id,
       COALESCE(sales.revenue, 0) AS revenue, COALESCE(sales.cost, 0) AS cost,
       COALESCE(sales.margin, 0) AS margin,
       SUM(COALESCE(receivable.amount, 0)) OVER running AS receivables,
       SUM(COALESCE(stock.amount, 0)) OVER running AS inventory_value
  FROM months
  LEFT JOIN sales ON sales.company_id = months.company_id AND sales.month = months.month
  LEFT JOIN receivable ON receivable.company_id = months.company_id AND receivable.month = months.month
  LEFT JOIN stock ON stock.company_id = months.company_id AND stock.month = months.month
WINDOW running AS (PARTITION BY months.company_id ORDER BY months.month)
"""

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(as_text(self.env.cr, sql.SQL("CREATE VIEW {table} AS ({query})").format(
            table=sql.Identifier(self._table), query=sql.SQL(self._query()))))
