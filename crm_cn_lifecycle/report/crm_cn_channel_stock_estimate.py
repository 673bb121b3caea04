from psycopg2 import sql

from odoo import api, fields, models, tools

from ..tools.channel_stock import STALE_AFTER_DAYS
from ..tools.drp import pick_setting, pipeline_demand
from ..tools.sql_text import as_text


class CrmCnChannelStockEstimate(models.Model):
    """Estimated stock today per dealer and product (渠道库存估算): the last
    reported on hand + deliveries to the dealer since − the estimated sell-out
    since (average daily sell-through of the recent reports), beside what is in
    transit and the confirmed orders not yet delivered. For a dealer that
    confirms receipts, a delivery counts once received (after its last report)
    and is in transit until then. A SQL view over the latest report line
    of each pair (its position, kept by the report's submission), Odoo's done
    stock moves and the sale order lines, as of today; it does in bulk what
    tools/channel_stock.estimate_stock does for one pair."""

    _name = "crm.cn.channel.stock.estimate"
    _description = "Estimated Channel Stock"
    _auto = False
    _rec_name = "product_id"
    _order = "stockout_date, dealer_id, product_id"

    dealer_id = fields.Many2one("res.partner", string="Dealer", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    last_report_date = fields.Date(string="Last Report", readonly=True)
    reported_qty = fields.Float(string="Reported On Hand", readonly=True)
    delivered_qty = fields.Float(string="Delivered Since", readonly=True,
                                 help="Done deliveries to the dealer after its last report, less returns; "
                                      "for a dealer that confirms receipts, those it received after its last report.")
    in_transit_qty = fields.Float(string="In Transit", readonly=True,
                                  help="Shipped to a dealer that confirms receipts, not yet received.")
    daily_sellout = fields.Float(string="Daily Sell-out", readonly=True, digits=(16, 3),
                                 help="Average units sold per day over the reports of the last 13 weeks.")
    estimated_qty = fields.Float(string="Estimated Stock", readonly=True)
    open_order_qty = fields.Float(string="Open Orders", readonly=True,
                                  help="Confirmed sale order quantities not yet delivered.")
    weeks_of_cover = fields.Float(string="Weeks of Cover", readonly=True, group_operator="avg")
    stockout_date = fields.Date(string="Stock-out Risk", readonly=True)
    days_since_report = fields.Integer(readonly=True, group_operator="max")
    stale = fields.Boolean(readonly=True,
                           help="No report for more than %d days." % STALE_AFTER_DAYS)
    pipeline_qty = fields.Float(
        string="Pipeline Demand", readonly=True, compute="_compute_pipeline_qty",
        help="Quantities of the open opportunities the dealer accepted or registered, weighted by "
             "their win probability, expected within the lead time and target cover (overdue "
             "ones included, those without an expected date left out). Added to the demand of "
             "a replenishment proposal; 0 when Pipeline Demand in DRP is off in Settings.")

    NETTING_FIELDS = ("id", "dealer_id", "product_id", "daily_sellout", "estimated_qty",
                      "in_transit_qty", "open_order_qty", "stockout_date")

    def _compute_pipeline_qty(self):
        """All rows at once: one query for the opportunities, one for the settings."""
        demand = self._cn_pipeline_qty({(estimate.dealer_id.id, estimate.product_id.id) for estimate in self})
        for estimate in self:
            estimate.pipeline_qty = demand.get((estimate.dealer_id.id, estimate.product_id.id), 0.0)

    @api.model
    def _cn_pipeline_qty(self, pairs, settings=None, grade_terms=None):
        """{(dealer id, product id): pipeline demand} of `pairs`, each in the window
        of its own replenishment setting (grade terms included, as the proposal
        nets it); empty when the company counts no pipeline demand. `settings`
        and `grade_terms` are read here unless the caller has them."""
        company = self.env.user.company_id.sudo()
        if not pairs or not company.cn_drp_pipeline_demand:
            return {}
        opportunities = self.env["crm.cn.lead.line"].sudo()._cn_pipeline_demand(
            {dealer_id for dealer_id, _product_id in pairs}, {product_id for _dealer_id, product_id in pairs})
        if not opportunities:
            return {}
        if settings is None:
            settings = self.env["crm.cn.drp.setting"].sudo()._settings_map()
        if grade_terms is None:
            grade_terms = self.env["res.partner"].sudo()._cn_grade_terms(
                {dealer_id for dealer_id, _product_id in opportunities})
        today = fields.Date.from_string(fields.Date.context_today(self))
        return {(dealer_id, product_id): pipeline_demand(
                    deals, today, pick_setting(settings, dealer_id, product_id, grade_terms=grade_terms))
                for (dealer_id, product_id), deals in opportunities.items() if (dealer_id, product_id) in pairs}

    @api.model
    def _read_estimates(self, dealer_ids=None):
        """Every estimate the user may read (of these dealers), as dicts of
        NETTING_FIELDS with plain ids, in one query: what DRP netting reads."""
        self.check_access_rights("read")
        query = self._where_calc([("dealer_id", "in", list(dealer_ids))] if dealer_ids else [])
        self._apply_ir_rules(query, "read")
        tables, where, params = query.get_sql()
        columns = ", ".join('"%s"."%s"' % (self._table, name) for name in self.NETTING_FIELDS)
        # one large query run once: compiling it (PostgreSQL JIT) costs more than it saves
        self.env.cr.execute("SET LOCAL jit = off")
        self.env.cr.execute("SELECT %s FROM %s WHERE %s" % (columns, tables, where or "TRUE"), params)
        rows = self.env.cr.dictfetchall()
        self.env.cr.execute("SET LOCAL jit TO DEFAULT")
        return rows

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(as_text(self.env.cr, sql.SQL("""CREATE OR REPLACE VIEW {table} AS (
WITH last AS (
    SELECT l.id, l.dealer_id, l.product_id, l.date AS last_date, l.on_hand_qty, l.daily_sellout AS daily
      FROM crm_cn_channel_stock_report_line l
     WHERE l.is_latest
), moves AS (
    SELECT last.id, m.product_qty, m.date, p.cn_received_date, ld.usage = 'customer' AS outgoing,
           dealer.cn_confirms_receipt IS TRUE AND ld.usage = 'customer' AS awaits_receipt,
           last.last_date
      FROM stock_move m
      JOIN stock_picking p ON p.id = m.picking_id
      JOIN res_partner rp ON rp.id = p.partner_id
      JOIN stock_location ls ON ls.id = m.location_id
      JOIN stock_location ld ON ld.id = m.location_dest_id
      JOIN last ON last.dealer_id = rp.commercial_partner_id AND last.product_id = m.product_id
      JOIN res_partner dealer ON dealer.id = last.dealer_id
     WHERE m.state = 'done' AND (ld.usage = 'customer') <> (ls.usage = 'customer')
       AND (m.date >= last.last_date + 1 OR dealer.cn_confirms_receipt)
), delivered AS (
    -- a dealer that confirms receipts holds a delivery from the day it received it;
    -- shipped and not received, it is in transit
    SELECT id,
           SUM(CASE WHEN outgoing THEN product_qty ELSE -product_qty END)
               FILTER (WHERE CASE WHEN awaits_receipt THEN cn_received_date >= last_date + 1
                                  ELSE date >= last_date + 1 END) AS qty,
           SUM(product_qty) FILTER (WHERE awaits_receipt AND cn_received_date IS NULL) AS transit
      FROM moves
     GROUP BY id
), open_orders AS (
    SELECT rp.commercial_partner_id AS dealer_id, sol.product_id,
           SUM(GREATEST(sol.product_uom_qty - sol.qty_delivered, 0)) AS qty
      FROM sale_order_line sol
      JOIN sale_order so ON so.id = sol.order_id
      JOIN res_partner rp ON rp.id = so.partner_id
      JOIN res_partner dealer ON dealer.id = rp.commercial_partner_id
     WHERE so.state IN ('sale', 'done') AND dealer.cn_is_dealer
     GROUP BY rp.commercial_partner_id, sol.product_id
), estimate AS (
    SELECT last.id, last.dealer_id, last.product_id, last.last_date, last.on_hand_qty,
           COALESCE(d.qty, 0) AS delivered_qty, COALESCE(d.transit, 0) AS transit_qty,
           COALESCE(last.daily, 0) AS daily,
           CURRENT_DATE - last.last_date AS days_since, COALESCE(o.qty, 0) AS open_qty,
           GREATEST(0, last.on_hand_qty + COALESCE(d.qty, 0)
                       - COALESCE(last.daily, 0) * (CURRENT_DATE - last.last_date)) AS stock
      FROM last
 LEFT JOIN delivered d ON d.id = last.id
 LEFT JOIN open_orders o ON o.dealer_id = last.dealer_id AND o.product_id = last.product_id
)
SELECT e.id, e.dealer_id, e.product_id, pt.categ_id, partner.user_id,
       e.last_date AS last_report_date, e.on_hand_qty AS reported_qty, e.delivered_qty,
       e.daily AS daily_sellout, e.stock AS estimated_qty, e.transit_qty AS in_transit_qty,
       e.open_qty AS open_order_qty,
       CASE WHEN e.daily > 0 THEN e.stock / (e.daily * 7) END AS weeks_of_cover,
       CASE WHEN e.daily > 0 THEN CURRENT_DATE + floor(e.stock / e.daily)::integer END AS stockout_date,
       e.days_since AS days_since_report, e.days_since > {stale} AS stale
  FROM estimate e
  JOIN product_product pp ON pp.id = e.product_id
  JOIN product_template pt ON pt.id = pp.product_tmpl_id
  JOIN res_partner partner ON partner.id = e.dealer_id
)""").format(table=sql.Identifier(self._table), stale=sql.Literal(STALE_AFTER_DAYS))))
