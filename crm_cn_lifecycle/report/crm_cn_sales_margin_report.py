from psycopg2 import sql

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError

from ..models.res_partner import CUSTOMER_CLASSES
from ..models.res_partner_pyramid import TIER_SELECTION
from ..tools.regions import REGIONS
from ..tools.sql_text import as_text
from ..tools.xlsx import rows_to_xlsx

SUMS = ("quantity", "revenue", "cost", "margin", "collected",
        "quantity_last_year", "revenue_last_year", "margin_last_year")
RATIOS = ("margin_rate",)
SOURCES = [("invoiced", "Invoiced"), ("ordered", "Ordered, not invoiced")]


# Each product's cost (standard_price) in each company, read once per query:
# its own value for that company, else the default (Odoo 11 keeps it in
# ir_property, company dependent).
PRODUCT_COST = """
product_cost AS (
    SELECT pp.id AS product_id, c.id AS company_id,
           COALESCE(own.value_float, dflt.value_float, 0.0) AS cost
      FROM product_product pp
CROSS JOIN res_company c
 LEFT JOIN LATERAL (SELECT prop.value_float FROM ir_property prop
                     WHERE prop.fields_id = (SELECT id FROM cost_field)
                       AND prop.res_id = 'product.product,' || pp.id
                       AND (prop.company_id = c.id OR prop.company_id IS NULL)
                  ORDER BY prop.company_id NULLS LAST LIMIT 1) own ON TRUE
 LEFT JOIN LATERAL (SELECT prop.value_float FROM ir_property prop
                     WHERE prop.fields_id = (SELECT id FROM cost_field) AND prop.res_id IS NULL
                       AND (prop.company_id = c.id OR prop.company_id IS NULL)
                  ORDER BY prop.company_id NULLS LAST LIMIT 1) dflt ON TRUE
)"""


class CrmCnSalesMarginReport(models.Model):
    """Sales and gross margin by product, category, brand, price band,
    customer, class, territory, region, province, salesperson and period.

    Facts: posted customer invoice lines (credit notes subtract) and, for what
    is not invoiced yet, the remaining quantity of confirmed order lines at
    their net unit price. Cost: the order line's cost (sale_margin) when the
    invoice line comes from an order, else the product's cost in the
    invoice's company. All in company currency (orders converted at their
    date's rate). Each fact comes a second time one year later with its
    figures in the *last year* columns, so any period shows last year's
    beside it."""

    _name = "crm.cn.sales.margin.report"
    _inherit = "crm.cn.group.ratio.mixin"
    _description = "Sales and Margin Analysis"
    _auto = False
    _rec_name = "product_id"
    _order = "date desc, id"

    date = fields.Date(readonly=True)
    source = fields.Selection(SOURCES, readonly=True)
    is_last_year = fields.Boolean(string="Last Year's Figures", readonly=True,
                                  help="A row carrying last year's figures, moved one year later.")
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    brand_id = fields.Many2one("crm.cn.brand", string="Brand", readonly=True)
    price_band_id = fields.Many2one("crm.cn.price.band", string="Price Band", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    customer_user_id = fields.Many2one("res.users", string="Customer's Salesperson", readonly=True)
    customer_class = fields.Selection(CUSTOMER_CLASSES, readonly=True)
    tier = fields.Selection(TIER_SELECTION, string="Pyramid Tier", readonly=True,
                            help="The customer's tier in the current customer pyramid.")
    territory_id = fields.Many2one("crm.cn.territory", string="Sales Territory", readonly=True)
    region = fields.Selection(REGIONS, string="Sales Region", readonly=True)
    state_id = fields.Many2one("res.country.state", string="Province", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    quantity = fields.Float(readonly=True)
    revenue = fields.Float(readonly=True)
    cost = fields.Float(readonly=True)
    margin = fields.Float(string="Gross Margin", readonly=True)
    margin_rate = fields.Float(string="Margin Rate (%)", readonly=True, group_operator="avg",
                               help="Gross margin / revenue, computed per group from its sums.")
    collected = fields.Float(string="Amount Collected", readonly=True,
                             help="The paid share of each invoice line.")
    quantity_last_year = fields.Float(readonly=True)
    revenue_last_year = fields.Float(readonly=True)
    margin_last_year = fields.Float(string="Gross Margin Last Year", readonly=True)

    def _facts_query(self):
        """One row per invoice line and per order line not fully invoiced:
        (fact_id, source, date, company, product, salesperson, document partner,
        quantity in the product's unit, revenue, cost, collected)."""
        return """
cost_field AS (
    SELECT id FROM ir_model_fields WHERE model = 'product.product' AND name = 'standard_price'
),{product_cost},
facts AS (
    SELECT il.id * 2 AS fact_id, 'invoiced'::varchar AS source, inv.date_invoice AS date,
           inv.company_id, il.product_id, inv.user_id, inv.partner_id,
           sign.value * il.quantity / COALESCE(lu.factor, 1.0) * COALESCE(pu.factor, 1.0) AS quantity,
           il.price_subtotal_signed AS revenue,
           sign.value * CASE
               WHEN COALESCE(link.purchase_price, 0) != 0
               THEN il.quantity * link.purchase_price * COALESCE(fx.fx, 1.0)
               ELSE il.quantity / COALESCE(lu.factor, 1.0) * COALESCE(pu.factor, 1.0) * COALESCE(ipc.cost, 0.0)
           END AS cost,
           il.price_subtotal_signed * CASE WHEN inv.amount_total_company_signed = 0 THEN 0
               ELSE 1 - inv.residual_company_signed / inv.amount_total_company_signed END AS collected
      FROM account_invoice_line il
      JOIN account_invoice inv ON inv.id = il.invoice_id
      JOIN (SELECT 'out_invoice'::varchar AS type, 1 AS value
            UNION ALL SELECT 'out_refund', -1) sign ON sign.type = inv.type
 LEFT JOIN LATERAL (SELECT sol.purchase_price, sol.order_id
                      FROM sale_order_line_invoice_rel rel
                      JOIN sale_order_line sol ON sol.id = rel.order_line_id
                     WHERE rel.invoice_line_id = il.id
                  ORDER BY sol.id LIMIT 1) link ON TRUE
 LEFT JOIN crm_cn_order_fx fx ON fx.order_id = link.order_id
 LEFT JOIN product_product pp ON pp.id = il.product_id
 LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
 LEFT JOIN product_uom lu ON lu.id = il.uom_id
 LEFT JOIN product_uom pu ON pu.id = pt.uom_id
 LEFT JOIN product_cost ipc ON ipc.product_id = il.product_id AND ipc.company_id = inv.company_id
     WHERE inv.state IN ('open', 'paid')
    UNION ALL
    SELECT sol.id * 2 + 1, 'ordered', COALESCE(so.confirmation_date, so.date_order)::date,
           so.company_id, sol.product_id, so.user_id, so.partner_id,
           (sol.product_uom_qty - sol.qty_invoiced) / lu.factor * pu.factor,
           sol.price_subtotal / sol.product_uom_qty * (sol.product_uom_qty - sol.qty_invoiced)
               * COALESCE(fx.fx, 1.0),
           (sol.product_uom_qty - sol.qty_invoiced) * CASE
               WHEN COALESCE(sol.purchase_price, 0) != 0 THEN sol.purchase_price * COALESCE(fx.fx, 1.0)
               ELSE COALESCE(opc.cost, 0.0) / lu.factor * pu.factor
           END,
           0.0
      FROM sale_order_line sol
      JOIN sale_order so ON so.id = sol.order_id
      JOIN product_product pp ON pp.id = sol.product_id
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
      JOIN product_uom lu ON lu.id = sol.product_uom
      JOIN product_uom pu ON pu.id = pt.uom_id
 LEFT JOIN crm_cn_order_fx fx ON fx.order_id = so.id
 LEFT JOIN product_cost opc ON opc.product_id = sol.product_id AND opc.company_id = so.company_id
     WHERE so.state IN ('sale', 'done') AND sol.product_uom_qty > 0
       AND sol.qty_invoiced < sol.product_uom_qty
)""".format(product_cost=PRODUCT_COST)

    def _query(self):
        """The facts, each twice: as itself, and one year later as last year's figures."""
        return """
WITH {facts}
SELECT f.fact_id * 2 + y.shift AS id,
       (f.date + y.shift * interval '1 year')::date AS date,
       f.source, y.shift = 1 AS is_last_year, f.company_id, f.product_id,
       pt.categ_id, pt.cn_brand_id AS brand_id, band.id AS price_band_id,
       cp.id AS partner_id, cp.user_id AS customer_user_id, cp.cn_customer_class AS customer_class,
       cp.cn_pyramid_tier AS tier,
       cp.cn_territory_id AS territory_id, cp.cn_region AS region, cp.state_id, f.user_id,
       (1 - y.shift) * f.quantity AS quantity,
       (1 - y.shift) * f.revenue AS revenue,
       (1 - y.shift) * f.cost AS cost,
       (1 - y.shift) * (f.revenue - f.cost) AS margin,
       CASE WHEN y.shift = 0 AND f.revenue != 0
            THEN 100.0 * (f.revenue - f.cost) / f.revenue ELSE 0 END AS margin_rate,
       (1 - y.shift) * f.collected AS collected,
       y.shift * f.quantity AS quantity_last_year,
       y.shift * f.revenue AS revenue_last_year,
       y.shift * (f.revenue - f.cost) AS margin_last_year
  FROM facts f
 CROSS JOIN (VALUES (0), (1)) y(shift)
  JOIN res_partner dp ON dp.id = f.partner_id
  JOIN res_partner cp ON cp.id = dp.commercial_partner_id
 LEFT JOIN product_product pp ON pp.id = f.product_id
 LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
 LEFT JOIN crm_cn_price_band band
        ON band.active AND (band.company_id IS NULL OR band.company_id = f.company_id)
       AND pt.list_price >= band.min_price
       AND (COALESCE(band.max_price, 0) = 0 OR pt.list_price < band.max_price)
""".format(facts=self._facts_query())

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(as_text(self.env.cr, sql.SQL("CREATE VIEW {table} AS ({query})").format(
            table=sql.Identifier(self._table), query=sql.SQL(self._query()))))

    @api.model
    def summary(self, domain=None, groupby="brand_id"):
        """Per `groupby` value (a field, or "date:year" ...): the summed figures
        and the margin rate. What the XLSX export and XML-RPC clients read."""
        columns = list(SUMS) + list(RATIOS)
        groups = self.read_group(domain or [], [groupby.split(":")[0]] + columns, [groupby], lazy=False)
        key = groupby.split(":")[0]
        return [dict({groupby: group.get(groupby, group.get(key))},
                     **{name: group.get(name) or 0.0 for name in columns}) for group in groups]

    @api.model
    def _export_rows(self, domain=None, groupby="brand_id"):
        """(headers, rows) of the summary, each cell a plain value."""
        key = groupby.split(":")[0]
        if key not in self._fields:
            raise UserError(_("The sales and margin analysis cannot be grouped by "
                                           "%(field)s.") % {"field": groupby})
        columns = list(SUMS) + list(RATIOS)
        headers = [self._fields[name].get_description(self.env)["string"] for name in [key] + columns]
        selection = None
        if self._fields[key].type == "selection":
            selection = dict(self._fields[key]._description_selection(self.env))
        rows = []
        for row in self.summary(domain, groupby):
            value = row[groupby]
            if isinstance(value, (list, tuple)):
                value = value[1]
            elif selection is not None:
                value = selection.get(value, "")
            rows.append(["" if value is False or value is None else value]
                        + [float(row[name]) for name in columns])
        return headers, rows

    @api.model
    def action_export_xlsx(self, domain=None, groupby="brand_id"):
        """Download the figures grouped by `groupby` as an XLSX file, kept as the user's export."""
        headers, rows = self._export_rows(domain, groupby)
        data = rows_to_xlsx(_("Sales and Margin"), headers, rows, number_format="#,##0.00",
                            freeze=(1, 1))
        return self.env["crm.cn.export"]._cn_store("sales_margin.xlsx", data)
