from functools import partial

from odoo import api, fields, models, tools

from ..tools.regions import REGIONS
from ..tools.sales_margin import ratio


class CrmCnWinLossReport(models.Model):
    """Why deals are won and lost: one row per closed opportunity (won, or
    lost and archived), with the competitor it was lost to, Odoo's lost
    reason, product category, source, salesperson, team and territory; win
    rates and cycle times are computed from each group's sums."""

    _name = "crm.cn.win.loss.report"
    _inherit = "crm.cn.group.ratio.mixin"
    _cn_group_ratios = {"win_rate": ("won_count", "deal_count", ratio),
                        "cycle_days": ("cycle_days_total", "deal_count", partial(ratio, scale=1.0))}
    _description = "Win/Loss Analysis"
    _auto = False
    _rec_name = "lead_id"
    _order = "date_closed desc, id desc"

    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    outcome = fields.Selection([("won", "Won"), ("lost", "Lost")], readonly=True)
    lost_reason = fields.Many2one("crm.lost.reason", readonly=True)
    lost_to_id = fields.Many2one("crm.cn.competitor", string="Lost To", readonly=True)
    competitor_ids = fields.Many2many("crm.cn.competitor", "crm_lead_cn_competitor_rel", "lead_id",
                                      "competitor_id", string="Competitors", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    source_id = fields.Many2one("utm.source", string="Source", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", string="Campaign", readonly=True)
    territory_id = fields.Many2one("crm.cn.territory", string="Sales Territory", readonly=True)
    region = fields.Selection(REGIONS, string="Sales Region", readonly=True)
    state_id = fields.Many2one("res.country.state", string="Province", readonly=True)
    date_closed = fields.Date(string="Closed On", readonly=True)
    deal_count = fields.Integer(string="Closed Deals", readonly=True)
    won_count = fields.Integer(string="Won", readonly=True)
    lost_count = fields.Integer(string="Lost", readonly=True)
    win_rate = fields.Float(string="Win Rate (%)", digits=(16, 1), readonly=True, group_operator="avg",
                            help="Won over closed deals of the group.")
    revenue_won = fields.Float(readonly=True)
    revenue_lost = fields.Float(readonly=True)
    cycle_days_total = fields.Float(string="Days to Close (Sum)", readonly=True)
    cycle_days = fields.Float(string="Days to Close", digits=(16, 1), readonly=True, group_operator="avg",
                              help="Mean days from creation to closing of the group's deals.")

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""CREATE VIEW crm_cn_win_loss_report AS (
SELECT l.id, l.id AS lead_id, l.partner_id, l.user_id, l.team_id, l.company_id,
       CASE WHEN l.probability >= 100 THEN 'won' ELSE 'lost' END AS outcome,
       CASE WHEN l.probability >= 100 THEN NULL ELSE l.lost_reason END AS lost_reason,
       CASE WHEN l.probability >= 100 THEN NULL ELSE l.cn_lost_to_id END AS lost_to_id,
       l.cn_categ_id AS categ_id, l.source_id, l.campaign_id, cp.cn_territory_id AS territory_id,
       l.cn_region AS region, l.state_id, COALESCE(l.date_closed, l.write_date)::date AS date_closed,
       1 AS deal_count, (l.probability >= 100)::int AS won_count, (l.probability < 100)::int AS lost_count,
       0.0 AS win_rate,
       CASE WHEN l.probability >= 100 THEN l.planned_revenue ELSE 0 END AS revenue_won,
       CASE WHEN l.probability >= 100 THEN 0 ELSE l.planned_revenue END AS revenue_lost,
       GREATEST(EXTRACT(EPOCH FROM COALESCE(l.date_closed, l.write_date) - l.create_date), 0) / 86400.0
           AS cycle_days_total,
       0.0 AS cycle_days
  FROM crm_lead l
  LEFT JOIN res_partner p ON p.id = l.partner_id
  LEFT JOIN res_partner cp ON cp.id = p.commercial_partner_id
 WHERE l.type = 'opportunity' AND (l.probability >= 100 OR (NOT l.active AND l.probability = 0))
)""")
