from odoo import _, api, fields, models, tools

from ..tools import forecast
from ..tools.xlsx import rows_to_xlsx


class CrmCnForecastReport(models.Model):
    """The weekly forecast, per day, sales team, salesperson and product category
    (each source summed per day before they are put together):
    expected orders from open opportunities (expected revenue x the
    salesperson's probability, and x the learned win probability, in the week
    of the expected closing date),
    orders booked, quantities and value shipped, invoiced, cash collected, and
    the on-hand stock of today. Amounts in company currency; weeks start on
    the company's forecast week day."""

    _name = "crm.cn.forecast.report"
    _description = "Weekly Forecast"
    _auto = False
    _rec_name = "week_start"
    _order = "week_start"

    week_start = fields.Date(string="Week", readonly=True)
    date = fields.Date(readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    expected = fields.Float(string="Expected Orders (Salesperson)", readonly=True)
    expected_model = fields.Float(string="Expected Orders (Win Model)", readonly=True)
    booked = fields.Float(string="Orders Booked", readonly=True)
    shipped_qty = fields.Float(string="Quantity Shipped", readonly=True)
    shipped = fields.Float(string="Value Shipped", readonly=True)
    invoiced = fields.Float(readonly=True)
    cash = fields.Float(string="Cash Collected", readonly=True)
    on_hand_qty = fields.Float(string="On Hand Today", readonly=True)

    MEASURES = ("expected", "expected_model", "booked", "shipped_qty", "shipped", "invoiced", "cash", "on_hand_qty")

    def _query(self):
        return """
WITH facts AS (
    SELECT MIN(l.id) * 8 + 1 AS id, COALESCE(l.date_deadline, CURRENT_DATE) AS date, l.team_id,
           l.user_id, NULL::integer AS categ_id, l.company_id,
           SUM(l.planned_revenue * l.probability / 100.0) AS expected,
           SUM(l.planned_revenue * COALESCE(ws.probability, l.probability) / 100.0) AS expected_model,
           0.0 AS booked,
           0.0 AS shipped_qty, 0.0 AS shipped, 0.0 AS invoiced, 0.0 AS cash, 0.0 AS on_hand_qty
      FROM crm_lead l LEFT JOIN crm_stage s ON s.id = l.stage_id
      LEFT JOIN crm_cn_win_score ws ON ws.id = l.id
     WHERE l.active AND l.type = 'opportunity' AND COALESCE(s.probability, 0) < 100
  GROUP BY 2, 3, 4, 6
    UNION ALL
    SELECT MIN(sol.id) * 8 + 2, so.confirmation_date::date, so.team_id, so.user_id, pt.categ_id,
           so.company_id, 0, 0, SUM(sol.price_subtotal * ofx.fx), 0, 0, 0, 0, 0
      FROM sale_order_line sol
      JOIN sale_order so ON so.id = sol.order_id
      JOIN crm_cn_order_fx ofx ON ofx.order_id = so.id
      JOIN product_product pp ON pp.id = sol.product_id
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
     WHERE so.state IN ('sale', 'done')
  GROUP BY 2, 3, 4, 5, 6
    UNION ALL
    SELECT MIN(m.id) * 8 + 3, m.date::date, so.team_id, so.user_id, pt.categ_id, m.company_id,
           0, 0, 0, SUM(m.product_qty), SUM(m.product_uom_qty * sol.price_reduce * ofx.fx), 0, 0, 0
      FROM stock_move m
      JOIN stock_location dest ON dest.id = m.location_dest_id AND dest.usage = 'customer'
      JOIN sale_order_line sol ON sol.id = m.sale_line_id
      JOIN sale_order so ON so.id = sol.order_id
      JOIN crm_cn_order_fx ofx ON ofx.order_id = so.id
      JOIN product_product pp ON pp.id = m.product_id
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
     WHERE m.state = 'done'
  GROUP BY 2, 3, 4, 5, 6
    UNION ALL
    SELECT MIN(il.id) * 8 + 4, inv.date_invoice, inv.team_id, inv.user_id, pt.categ_id,
           inv.company_id, 0, 0, 0, 0, 0, SUM(il.price_subtotal_signed), 0, 0
      FROM account_invoice_line il
      JOIN account_invoice inv ON inv.id = il.invoice_id
 LEFT JOIN product_product pp ON pp.id = il.product_id
 LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
     WHERE inv.type IN ('out_invoice', 'out_refund') AND inv.state IN ('open', 'paid')
  GROUP BY 2, 3, 4, 5, 6
    UNION ALL
    SELECT MIN(aml.id) * 8 + 5, aml.date, NULL, NULL, NULL, aml.company_id,
           0, 0, 0, 0, 0, 0, SUM(aml.debit - aml.credit), 0
      FROM account_move_line aml
      JOIN account_payment pay ON pay.id = aml.payment_id
      JOIN account_account acc ON acc.id = aml.account_id AND acc.internal_type = 'liquidity'
     WHERE pay.partner_type = 'customer' AND pay.state IN ('posted', 'reconciled')
  GROUP BY 2, 6
    UNION ALL
    SELECT MIN(q.id) * 8 + 6, CURRENT_DATE, NULL, NULL, pt.categ_id, q.company_id,
           0, 0, 0, 0, 0, 0, 0, SUM(q.quantity)
      FROM stock_quant q
      JOIN stock_location loc ON loc.id = q.location_id AND loc.usage = 'internal'
      JOIN product_product pp ON pp.id = q.product_id
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
  GROUP BY 5, 6
)
SELECT f.*, f.date - ((EXTRACT(ISODOW FROM f.date)::integer - 1
                       - COALESCE(c.cn_week_start, '0')::integer + 7) % 7) AS week_start
  FROM facts f LEFT JOIN res_company c ON c.id = f.company_id
"""

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("CREATE VIEW %s AS (%s)" % (self._table, self._query()))

    @api.model
    def quarter_weeks(self, day=None, company=None):
        """The weeks of the fiscal quarter holding `day` (default today)."""
        company = company or self.env.user.company_id
        day = fields.Date.from_string(day or fields.Date.context_today(self))
        return forecast.quarter_weeks(day, int(company.cn_fiscal_year_start_month),
                                      int(company.cn_week_start))

    @api.model
    def quarter_table(self, day=None, domain=None):
        """Week-by-week figures of the quarter holding `day`: a list of dicts
        (week number, start, end and every measure), also over XML-RPC."""
        weeks = self.quarter_weeks(day)
        start, end = fields.Date.to_string(weeks[0].start), fields.Date.to_string(weeks[-1].end)
        rows = self.read_group(  # on `date`, which the database can filter before grouping
            (domain or []) + [("date", ">=", start), ("date", "<=", end)],
            ["week_start"] + list(self.MEASURES), ["week_start:day"], lazy=False)
        by_week = {self._group_start(row): row for row in rows}
        table = []
        for week in weeks:
            key = fields.Date.to_string(week.start)
            row = by_week.get(key, {})
            table.append(dict({"week": week.number, "start": key, "end": fields.Date.to_string(week.end)},
                              **{name: row.get(name) or 0.0 for name in self.MEASURES}))
        return table

    @staticmethod
    def _group_start(row):
        """The day a read_group row grouped by week_start:day stands for."""
        for leaf in row["__domain"]:
            if isinstance(leaf, (list, tuple)) and leaf[0] == "week_start" and leaf[1] == ">=":
                return leaf[2][:10]
        return None

    @api.model
    def action_open_quarter(self, day=None):
        """The pivot of this quarter's 13 weeks, one row a week."""
        weeks = self.quarter_weeks(day)
        action = {
            "type": "ir.actions.act_window", "name": _("13-Week Forecast %(start)s - %(end)s") % {
                "start": fields.Date.to_string(weeks[0].start),
                "end": fields.Date.to_string(weeks[-1].end)},
            "res_model": self._name, "view_mode": "pivot,graph",
            "views": [(False, "pivot"), (False, "graph")],
            "domain": [("date", ">=", fields.Date.to_string(weeks[0].start)),
                       ("date", "<=", fields.Date.to_string(weeks[-1].end))],
            "context": {"group_by": ["week_start:day"]},
        }
        return action

    @api.model
    def action_export_quarter_xlsx(self, day=None):
        """Download the quarter's week-by-week table as an XLSX file."""
        table = self.quarter_table(day)
        labels = [_("Week"), _("From"), _("To")] + [self._fields[name].string for name in self.MEASURES]
        data = rows_to_xlsx(_("13-Week Forecast"), labels, [
            [row["week"], row["start"], row["end"]] + [row[name] for name in self.MEASURES]
            for row in table])
        return self.env["crm.cn.export"]._cn_store("forecast_13_weeks.xlsx", data)
