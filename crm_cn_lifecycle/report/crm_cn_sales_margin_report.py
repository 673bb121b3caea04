from psycopg2 import sql

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError

from ..models.account_invoice_line_cost import PRODUCT_COST
from ..models.res_partner import CUSTOMER_CLASSES
from ..models.res_partner_pyramid import TIER_SELECTION
from ..tools.regions import REGIONS
from ..tools.sql_text import as_text
from ..tools.xlsx import rows_to_xlsx

SUMS = ("quantity", "revenue", "cost", "margin", "collected",
        "quantity_last_year", "revenue_last_year", "margin_last_year")
RATIOS = ("margin_rate",)
SOURCES = [("invoiced", "Invoiced"), ("ordered", "Ordered, not invoiced")]


# Each product's category, brand and price band(s) in each company, found
# once per query (not per fact) and hash-joined to the facts.
PRODUCT_ATTRIBUTES = """
product_attributes AS (
    SELECT pp.id AS product_id, c.id AS company_id, pt.categ_id, pt.cn_brand_id AS brand_id,
           band.id AS price_band_id
      FROM product_product pp
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
CROSS JOIN res_company c
 LEFT JOIN crm_cn_price_band band
        ON band.active AND (band.company_id IS NULL OR band.company_id = c.id)
       AND pt.list_price >= band.min_price
       AND (COALESCE(band.max_price, 0) = 0 OR pt.list_price < band.max_price)
)"""


# The date of last year's copy of an invoice's facts. Indexed (init()): a date
# filter on the report reaches the invoice scan of that copy through it, and
# PostgreSQL keeps statistics on it, so that it estimates how many invoices
# the filter keeps (without them it assumed a few hundred and chose nested
# loops over the links and order rates for hundreds of thousands of lines).
INVOICE_DATE_NEXT_YEAR = "(inv.date_invoice + interval '1 year')::date"


class CrmCnSalesMarginReport(models.Model):
    """Sales and gross margin by product, category, brand, price band,
    customer, class, territory, region, province, salesperson and period.

    Facts: posted customer invoice lines (credit notes subtract) and, for what
    is not invoiced yet, the remaining quantity of confirmed order lines at
    their net unit price. Cost: the order line's cost (sale_margin) when the
    invoice line comes from an order, else the product's cost in the
    invoice's company, as it was when the invoice was posted. All in company currency (orders converted at their
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
        """CTEs ending with `facts`: one row per invoice line and per order
        line not fully invoiced: (fact_id, source, date, company, product,
        salesperson, document partner, quantity in the product's unit,
        revenue, cost, collected)."""
        return """{costs},
facts AS ({facts})""".format(costs=self._cost_ctes(), facts=self._facts_select())

    def _cost_ctes(self):
        """The CTEs the facts read the products' costs from (each read once)."""
        return PRODUCT_COST.format(products="TRUE")

    def _facts_select(self, shift=0):
        """The facts, dated as themselves (shift 0) or one year later (shift 1:
        the copy carrying last year's figures). A set of plain UNION ALL branches
        whose date is the document's date (plus the shift), with the same
        column types in every branch: a filter on the date (or company,
        source) of whatever reads them reaches the invoice and order scans.
        An invoice line's cost is the one kept when its invoice was posted
        (account.invoice.line.cn_cost)."""
        if shift:
            invoice_date = INVOICE_DATE_NEXT_YEAR
            order_date = "(COALESCE(so.confirmation_date, so.date_order)::date + interval '1 year')::date"
        else:
            invoice_date = "inv.date_invoice"
            order_date = "COALESCE(so.confirmation_date, so.date_order)::date"
        return """
    SELECT il.id * 2 AS fact_id, 'invoiced'::varchar AS source, {invoice_date} AS date,
           inv.company_id, il.product_id, inv.user_id, inv.partner_id,
           {sign} * il.quantity / COALESCE(lu.factor, 1.0) * COALESCE(ipc.uom_factor, 1.0) AS quantity,
           il.price_subtotal_signed::numeric AS revenue,
           COALESCE(il.cn_cost, 0.0) AS cost,
           (il.price_subtotal_signed * CASE WHEN inv.amount_total_company_signed = 0 THEN 0
               ELSE 1 - inv.residual_company_signed / inv.amount_total_company_signed END)::numeric AS collected
      FROM account_invoice_line il
      JOIN account_invoice inv ON inv.id = il.invoice_id
 LEFT JOIN product_uom lu ON lu.id = il.uom_id
 LEFT JOIN product_cost ipc ON ipc.product_id = il.product_id AND ipc.company_id = inv.company_id
     WHERE inv.state IN ('open', 'paid') AND inv.type IN ('out_invoice', 'out_refund')
    UNION ALL
    SELECT sol.id * 2 + 1, 'ordered'::varchar, {order_date},
           so.company_id, sol.product_id, so.user_id, so.partner_id,
           (sol.product_uom_qty - sol.qty_invoiced) / lu.factor * opc.uom_factor,
           (sol.price_subtotal / sol.product_uom_qty * (sol.product_uom_qty - sol.qty_invoiced)
               * COALESCE(fx.fx, 1.0))::numeric,
           (sol.product_uom_qty - sol.qty_invoiced) * CASE
               WHEN COALESCE(sol.purchase_price, 0) != 0 THEN sol.purchase_price * COALESCE(fx.fx, 1.0)
               ELSE opc.cost / lu.factor * opc.uom_factor
           END,
           0.0::numeric
      FROM sale_order_line sol
      JOIN sale_order so ON so.id = sol.order_id
      JOIN product_cost opc ON opc.product_id = sol.product_id AND opc.company_id = so.company_id
      JOIN product_uom lu ON lu.id = sol.product_uom
 LEFT JOIN crm_cn_order_fx fx ON fx.order_id = so.id
     WHERE so.state IN ('sale', 'done') AND sol.product_uom_qty > 0
       AND sol.qty_invoiced < sol.product_uom_qty
""".format(invoice_date=invoice_date, order_date=order_date,
           sign="CASE WHEN inv.type = 'out_refund' THEN -1 ELSE 1 END")

    def _query(self):
        """The facts, each twice: as itself, and one year later as last year's
        figures (a second UNION ALL branch, so that a date filter on the view
        reaches both). The customers are LEFT JOINed on their primary keys
        (every fact has one): a query reading no customer column (by brand,
        category, period) lets PostgreSQL drop both joins."""
        return """
WITH {costs}
SELECT f.fact_id * 2 + f.shift AS id, f.date, f.source, f.shift = 1 AS is_last_year,
       f.company_id, f.product_id,
       pa.categ_id, pa.brand_id, pa.price_band_id,
       cp.id AS partner_id, cp.user_id AS customer_user_id, cp.cn_customer_class AS customer_class,
       cp.cn_pyramid_tier AS tier,
       cp.cn_territory_id AS territory_id, cp.cn_region AS region, cp.state_id, f.user_id,
       (1 - f.shift) * f.quantity AS quantity,
       (1 - f.shift) * f.revenue AS revenue,
       (1 - f.shift) * f.cost AS cost,
       (1 - f.shift) * (f.revenue - f.cost) AS margin,
       CASE WHEN f.shift = 0 AND f.revenue != 0
            THEN 100.0 * (f.revenue - f.cost) / f.revenue ELSE 0 END AS margin_rate,
       (1 - f.shift) * f.collected AS collected,
       f.shift * f.quantity AS quantity_last_year,
       f.shift * f.revenue AS revenue_last_year,
       f.shift * (f.revenue - f.cost) AS margin_last_year
  FROM (SELECT 0 AS shift, * FROM ({current}) current_year
        UNION ALL
        SELECT 1, * FROM ({last}) last_year) f
  LEFT JOIN res_partner dp ON dp.id = f.partner_id
  LEFT JOIN res_partner cp ON cp.id = dp.commercial_partner_id
 LEFT JOIN product_attributes pa ON pa.product_id = f.product_id AND pa.company_id = f.company_id
""".format(costs=self._cost_ctes() + "," + PRODUCT_ATTRIBUTES, current=self._facts_select(0), last=self._facts_select(1))

    @api.model_cr
    def init(self):
        tools.create_index(self.env.cr, "account_invoice_cn_date_next_year_index", "account_invoice",
                           ["(%s)" % INVOICE_DATE_NEXT_YEAR.replace("inv.", "")])
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(as_text(self.env.cr, sql.SQL("CREATE VIEW {table} AS ({query})").format(
            table=sql.Identifier(self._table), query=sql.SQL(self._query()))))
        # invoices posted before the costs were kept (an upgrade): once, here,
        # where the order currency view it reads exists
        self.env["account.invoice.line"]._cn_fill_costs()

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
