from psycopg2 import sql

from odoo import api, fields, models, tools

from ..tools import stock_cover
from ..tools.sql_text import as_text

STATUSES = [("overstock", "Overstocked: promote"), ("at_risk", "At risk: stock up"), ("ok", "Covered")]


class CrmCnStockCoverReport(models.Model):
    """Products to promote or to stock, per company: the company's own stock
    (internal locations) against the trailing 13-week sales rate, from the
    facts of the sales and margin analysis (invoiced, and ordered not yet
    invoiced). Overstocked: cover above the company's limit (26 weeks by
    default) or stock that did not sell; at risk: cover below the lead time
    (the first supplier's delay, else 2 weeks). Same rules as
    tools/stock_cover.py."""

    _name = "crm.cn.stock.cover.report"
    _description = "Products to Promote or Stock"
    _auto = False
    _rec_name = "product_id"
    _order = "status, weeks_of_cover desc, id"

    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    brand_id = fields.Many2one("crm.cn.brand", string="Brand", readonly=True)
    on_hand = fields.Float(readonly=True)
    sold_13_weeks = fields.Float(string="Sold in 13 Weeks", readonly=True)
    weekly_rate = fields.Float(string="Sold per Week", readonly=True)
    weeks_of_cover = fields.Float(readonly=True, group_operator="avg",
                                  help="Stock on hand / quantity sold per week; empty when nothing sold.")
    lead_time_weeks = fields.Float(string="Lead Time (weeks)", readonly=True, group_operator="avg",
                                   help="The first supplier's delay, else 2 weeks.")
    overstock_weeks = fields.Integer(string="Overstock Above (weeks)", readonly=True, group_operator="max")
    status = fields.Selection(STATUSES, readonly=True)

    def _query(self):
        weeks = stock_cover.TRAILING_WEEKS
        return """
WITH sales AS (
    SELECT company_id, product_id, SUM(quantity) AS sold
      FROM crm_cn_sales_margin_report
     WHERE NOT is_last_year AND product_id IS NOT NULL
       AND date > CURRENT_DATE - {days} AND date <= CURRENT_DATE
     GROUP BY company_id, product_id
),
stock AS (
    SELECT COALESCE(loc.company_id, q.company_id) AS company_id, q.product_id,
           SUM(q.quantity) AS on_hand
      FROM stock_quant q
      JOIN stock_location loc ON loc.id = q.location_id AND loc.usage = 'internal'
     GROUP BY COALESCE(loc.company_id, q.company_id), q.product_id
),
figures AS (
    SELECT COALESCE(st.company_id, sa.company_id) AS company_id,
           COALESCE(st.product_id, sa.product_id) AS product_id,
           COALESCE(st.on_hand, 0) AS on_hand, COALESCE(sa.sold, 0) AS sold
      FROM stock st
      FULL JOIN sales sa ON sa.company_id = st.company_id AND sa.product_id = st.product_id
),
cover_rows AS (
    SELECT f.company_id, f.product_id, pt.categ_id, pt.cn_brand_id AS brand_id, f.on_hand,
           f.sold, f.sold / {weeks}.0 AS rate,
           COALESCE((SELECT si.delay FROM product_supplierinfo si
                      WHERE si.product_tmpl_id = pt.id
                        AND (si.product_id IS NULL OR si.product_id = pp.id)
                        AND (si.company_id IS NULL OR si.company_id = f.company_id)
                   ORDER BY si.sequence, si.id LIMIT 1), 0) AS delay,
           COALESCE(company.cn_overstock_weeks, {overstock}) AS overstock_weeks
      FROM figures f
      JOIN product_product pp ON pp.id = f.product_id
      JOIN product_template pt ON pt.id = pp.product_tmpl_id AND pt.type = 'product'
      JOIN res_company company ON company.id = f.company_id
     WHERE f.on_hand != 0 OR f.sold != 0
)
SELECT r.product_id::bigint * 1000 + r.company_id AS id,
       r.company_id, r.product_id, r.categ_id, r.brand_id, r.on_hand, r.sold AS sold_13_weeks,
       r.rate AS weekly_rate,
       CASE WHEN r.rate > 0 THEN r.on_hand / r.rate END AS weeks_of_cover,
       CASE WHEN r.delay > 0 THEN r.delay / 7.0 ELSE {lead} END AS lead_time_weeks,
       r.overstock_weeks,
       CASE WHEN r.rate <= 0 THEN CASE WHEN r.on_hand > 0 THEN 'overstock' ELSE 'ok' END
            WHEN r.on_hand > 0 AND r.on_hand / r.rate > r.overstock_weeks THEN 'overstock'
            WHEN r.on_hand / r.rate < CASE WHEN r.delay > 0 THEN r.delay / 7.0 ELSE {lead} END
                 THEN 'at_risk'
            ELSE 'ok' END AS status
  FROM cover_rows r
""".format(days=weeks * 7, weeks=weeks, overstock=stock_cover.DEFAULT_OVERSTOCK_WEEKS,
           lead=stock_cover.DEFAULT_LEAD_WEEKS)

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(as_text(self.env.cr, sql.SQL("CREATE VIEW {table} AS ({query})").format(
            table=sql.Identifier(self._table), query=sql.SQL(self._query()))))
