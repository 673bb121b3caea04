from odoo import _, api, fields, models, tools

from ..models.utm_campaign import CAMPAIGN_TYPES
from ..tools.xlsx import rows_to_xlsx
from .crm_cn_order_fx import rate_at_order_date as rate

WINDOW_PARAM = "crm_cn_lifecycle.attribution_window_days"
DEFAULT_WINDOW_DAYS = 90
SUMS = ("cost", "response_count", "lead_count", "qualified_count", "won_count", "revenue",
        "margin", "invoiced", "cash", "repurchase_revenue")


def ratio(numerator, denominator, scale=1.0):
    return scale * numerator / denominator if denominator else 0.0


class CrmCnCampaignRoiReport(models.Model):
    """Campaign return on investment, from the campaign's cost to the cash
    its orders brought in.

    Attribution: a confirmed order belongs to the campaign of the opportunity
    it came from. An order without an opportunity belongs to the campaign it
    was tagged with (Odoo's UTM campaign, e.g. from a tracked link), else to
    the customer's last campaign response in the attribution window (default
    90 days) before the order was confirmed. Invoices and cash follow their orders; cash is the
    paid share of each invoice. Repurchase revenue: orders confirmed after the
    customer's first order and within 12 months of it. Amounts are in company
    currency, orders converted at their date's rate; each row carries its
    company (orders, invoices and bills their own; leads and responses their
    lead's, cost lines their bill's, else the campaign owner's company) and
    that company's currency. The window is the system
    parameter crm_cn_lifecycle.attribution_window_days, read each time the report runs."""

    _name = "crm.cn.campaign.roi.report"
    _description = "Campaign ROI Report"
    _auto = False
    _rec_name = "campaign_id"

    date = fields.Datetime(readonly=True)
    campaign_id = fields.Many2one("utm.campaign", string="Campaign", readonly=True)
    campaign_type = fields.Selection(CAMPAIGN_TYPES, readonly=True)
    medium_id = fields.Many2one("utm.medium", string="Medium", readonly=True)
    source_id = fields.Many2one("utm.source", string="Source", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    state_id = fields.Many2one("res.country.state", string="Province", readonly=True)
    city = fields.Char(readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Currency", readonly=True)
    cost = fields.Float(readonly=True)
    response_count = fields.Integer(string="Responses", readonly=True)
    lead_count = fields.Integer(string="Leads", readonly=True)
    qualified_count = fields.Integer(string="Qualified Opportunities", readonly=True)
    won_count = fields.Integer(string="Won", readonly=True)
    revenue = fields.Float(string="Order Revenue", readonly=True)
    margin = fields.Float(string="Gross Margin", readonly=True)
    invoiced = fields.Float(readonly=True)
    cash = fields.Float(string="Cash Collected", readonly=True)
    repurchase_revenue = fields.Float(string="Repurchase Revenue (12 months)", readonly=True)
    # Ratios: 0 in the view, computed per group in read_group.
    cost_per_lead = fields.Float(readonly=True)
    cost_per_won = fields.Float(string="Cost per Won", readonly=True)
    lead_to_opportunity_rate = fields.Float(string="Lead to Opportunity (%)", readonly=True)
    opportunity_to_won_rate = fields.Float(string="Opportunity to Won (%)", readonly=True)
    roi_margin = fields.Float(string="ROI on Margin (%)", readonly=True)
    roi_cash = fields.Float(string="ROI on Cash (%)", readonly=True)

    def _query(self):
        """The report's rows: each source summed at its own grain, orders
        attributed once (see _order_attribution_query) and joined to their lines
        and invoice lines in one pass."""
        return """
WITH facts AS (
    SELECT c.id * 8 + 1 AS id, c.campaign_id, c.date::timestamp AS date, NULL::integer AS medium_id,
           NULL::integer AS source_id, NULL::integer AS categ_id, NULL::integer AS state_id,
           NULL::varchar AS city, NULL::integer AS user_id, NULL::integer AS partner_id,
           COALESCE(bill.company_id, owner.company_id, {first_company}) AS company_id,
           c.amount AS cost, 0 AS response_count, 0 AS lead_count, 0 AS qualified_count,
           0 AS won_count, 0.0 AS revenue, 0.0 AS margin, 0.0 AS invoiced, 0.0 AS cash,
           0.0 AS repurchase_revenue
      FROM crm_cn_campaign_cost c
      JOIN utm_campaign uc ON uc.id = c.campaign_id
 LEFT JOIN res_users owner ON owner.id = uc.cn_user_id
 LEFT JOIN account_invoice bill ON bill.id = c.invoice_id
    UNION ALL
    SELECT il.id * 8 + 2, uc.id, inv.date_invoice::timestamp, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           inv.company_id, il.price_subtotal_signed, 0, 0, 0, 0, 0, 0, 0, 0, 0
      FROM account_invoice_line il
      JOIN account_invoice inv ON inv.id = il.invoice_id
      JOIN utm_campaign uc ON uc.cn_analytic_account_id = il.account_analytic_id
     WHERE inv.type IN ('in_invoice', 'in_refund') AND inv.state IN ('open', 'paid')
    UNION ALL
    SELECT r.id * 8 + 3, r.campaign_id, r.date::timestamp, r.medium_id, r.source_id, NULL, r.state_id,
           r.city, (SELECT l.user_id FROM crm_lead l WHERE l.id = r.lead_id), r.commercial_partner_id,
           COALESCE((SELECT l.company_id FROM crm_lead l WHERE l.id = r.lead_id), owner.company_id,
                    {first_company}),
           0, 1, 0, 0, 0, 0, 0, 0, 0, 0
      FROM crm_cn_campaign_response r
      JOIN utm_campaign uc ON uc.id = r.campaign_id
 LEFT JOIN res_users owner ON owner.id = uc.cn_user_id
    UNION ALL
    SELECT l.id * 8 + 4, l.campaign_id, l.create_date, l.medium_id, l.source_id, NULL, l.state_id, l.city,
           l.user_id, l.partner_id, COALESCE(l.company_id, owner.company_id, {first_company}), 0, 0, 1,
           CASE WHEN l.type = 'opportunity' THEN 1 ELSE 0 END,
           CASE WHEN l.active AND s.probability = 100 THEN 1 ELSE 0 END, 0, 0, 0, 0, 0
      FROM crm_lead l
      JOIN utm_campaign uc ON uc.id = l.campaign_id
 LEFT JOIN res_users owner ON owner.id = uc.cn_user_id
 LEFT JOIN crm_stage s ON s.id = l.stage_id
     WHERE l.campaign_id IS NOT NULL AND (l.active OR l.probability = 0)
    UNION ALL
    SELECT x.id, o.campaign_id, COALESCE(x.date, o.confirmation_date), o.medium_id, o.source_id,
           x.categ_id, o.state_id, o.city, o.user_id, o.partner_id, o.company_id, 0, 0, 0, 0, 0,
           x.revenue * o.fx, x.margin * o.fx, x.invoiced, x.cash,
           CASE WHEN o.confirmation_date > o.first_date
                 AND o.confirmation_date <= o.first_date + interval '12 months'
                THEN x.revenue * o.fx ELSE 0 END
      FROM (%s) o
      JOIN (SELECT sol.id * 8 + 5 AS id, sol.order_id, NULL::timestamp AS date, pt.categ_id,
                   sol.price_subtotal AS revenue, COALESCE(sol.margin, 0) AS margin,
                   0.0 AS invoiced, 0.0 AS cash
              FROM sale_order_line sol
              JOIN product_product pp ON pp.id = sol.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
            UNION ALL
            SELECT il.id * 8 + 6, link.order_id, inv.date_invoice::timestamp, pt.categ_id, 0, 0,
                   il.price_subtotal_signed,
                   il.price_subtotal_signed * CASE WHEN inv.amount_total_company_signed = 0 THEN 0
                       ELSE 1 - inv.residual_company_signed / inv.amount_total_company_signed END
              FROM account_invoice_line il
              JOIN account_invoice inv ON inv.id = il.invoice_id
              JOIN (SELECT DISTINCT rel.invoice_line_id, sol.order_id
                      FROM sale_order_line_invoice_rel rel
                      JOIN sale_order_line sol ON sol.id = rel.order_line_id) link
                   ON link.invoice_line_id = il.id
         LEFT JOIN product_product pp ON pp.id = il.product_id
         LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE inv.type IN ('out_invoice', 'out_refund') AND inv.state IN ('open', 'paid')
           ) x ON x.order_id = o.id
     WHERE o.campaign_id IS NOT NULL
)
SELECT f.*, c.cn_type AS campaign_type, company.currency_id,
       0.0 AS cost_per_lead, 0.0 AS cost_per_won, 0.0 AS lead_to_opportunity_rate,
       0.0 AS opportunity_to_won_rate, 0.0 AS roi_margin, 0.0 AS roi_cash
  FROM facts f JOIN utm_campaign c ON c.id = f.campaign_id
  JOIN res_company company ON company.id = f.company_id
""".replace("{first_company}", "(SELECT MIN(id) FROM res_company)") % self._order_attribution_query()

    def _order_attribution_query(self):
        """Per confirmed order: its campaign (the opportunity's; else the
        order's own campaign tag; else the customer's last response in the
        window), customer, the date of the customer's first order and the
        factor to company currency. The opportunity's campaign is read per
        order: half the orders have none, and a hash join on that skewed key
        is what made this report slow."""
        return """
    SELECT so.id, so.confirmation_date, so.user_id, so.medium_id, so.source_id, so.company_id,
           p.commercial_partner_id AS partner_id, p.state_id, p.city,
           MIN(so.confirmation_date) OVER (PARTITION BY p.commercial_partner_id) AS first_date,
           COALESCE(%s, 1.0) / COALESCE(%s, 1.0) AS fx,
           CASE WHEN so.opportunity_id IS NOT NULL
                THEN (SELECT opp.campaign_id FROM crm_lead opp WHERE opp.id = so.opportunity_id)
                WHEN so.campaign_id IS NOT NULL THEN so.campaign_id
                ELSE (SELECT r.campaign_id FROM crm_cn_campaign_response r
                       WHERE r.commercial_partner_id = p.commercial_partner_id
                         AND r.date <= so.confirmation_date::date
                         AND r.date > so.confirmation_date::date - (
                             SELECT COALESCE((SELECT value::integer FROM ir_config_parameter
                                               WHERE key = '%s' AND value ~ '^[0-9]+$'), %d))
                    ORDER BY r.commercial_partner_id DESC, r.date DESC, r.id DESC LIMIT 1)
           END AS campaign_id
      FROM sale_order so
      JOIN res_partner p ON p.id = so.partner_id
      JOIN product_pricelist pl ON pl.id = so.pricelist_id
      JOIN res_company company ON company.id = so.company_id
     WHERE so.state IN ('sale', 'done')
""" % (rate("company.currency_id"), rate("pl.currency_id"), WINDOW_PARAM, DEFAULT_WINDOW_DAYS)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("CREATE VIEW %s AS (%s)" % (self._table, self._query()))

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        """Sum the figures, then compute each group's ratios from its sums."""
        fields = list(fields or [])
        wanted = [name for name in SUMS if name not in fields]
        groups = super(CrmCnCampaignRoiReport, self).read_group(
            domain, fields + wanted, groupby, offset=offset, limit=limit, orderby=orderby, lazy=lazy)
        for group in groups:
            group.update(self._ratios({name: group.get(name) or 0.0 for name in SUMS}))
        return groups

    @api.model
    def _ratios(self, sums):
        return {
            "cost_per_lead": ratio(sums["cost"], sums["lead_count"]),
            "cost_per_won": ratio(sums["cost"], sums["won_count"]),
            "lead_to_opportunity_rate": ratio(sums["qualified_count"], sums["lead_count"], 100.0),
            "opportunity_to_won_rate": ratio(sums["won_count"], sums["qualified_count"], 100.0),
            "roi_margin": ratio(sums["margin"] - sums["cost"], sums["cost"], 100.0),
            "roi_cash": ratio(sums["cash"] - sums["cost"], sums["cost"], 100.0),
        }

    @api.model
    def summary(self, domain=None, groupby="campaign_id"):
        """Figures and ratios per company and `groupby` value: what the XLSX
        export and XML-RPC clients read. Each row is one company's, in its
        currency (`currency_id`): amounts of two currencies are never summed."""
        columns = list(SUMS) + ["cost_per_lead", "cost_per_won", "lead_to_opportunity_rate",
                                "opportunity_to_won_rate", "roi_margin", "roi_cash"]
        groups = self.read_group(domain or [], ["company_id", groupby] + columns,
                                 ["company_id", groupby], lazy=False)
        companies = self.env["res.company"].sudo().browse(
            {group["company_id"][0] for group in groups if group["company_id"]})
        currencies = {company.id: company.currency_id for company in companies}
        rows = []
        for group in groups:
            currency = currencies.get(group["company_id"] and group["company_id"][0])
            row = {groupby: group[groupby], "company_id": group["company_id"],
                   "currency_id": currency and (currency.id, currency.name) or False}
            row.update({name: group[name] for name in columns})
            rows.append(row)
        return rows

    @api.model
    def action_export_xlsx(self, domain=None, groupby="campaign_id"):
        """Download the summary as an XLSX file."""
        rows = self.summary(domain, groupby)
        labels = {name: field.string for name, field in self._fields.items()}
        names = [groupby] + [name for name in rows[0] if name != groupby] if rows else [groupby]
        data = rows_to_xlsx(_("Campaign ROI"), [labels[name] for name in names], [
            [row[name][1] if isinstance(row[name], (list, tuple)) else row[name] for name in names]
            for row in rows])
        return self.env["crm.cn.export"]._cn_store("campaign_roi.xlsx", data)
