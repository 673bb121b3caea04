from psycopg2 import sql

from odoo import fields, models, tools

from ..models.crm_cn_win_model import OPEN_WHERE
from ..tools.sql_text import as_text


class CrmCnWinAnalysis(models.Model):
    """Open opportunities with the learned win probability beside the
    salesperson's, for pivot and graph: the expected revenue weighted by
    each, per team, salesperson, stage, source or campaign. The scores live
    in crm.cn.win.score, so this view is where they are grouped and sorted."""

    _name = "crm.cn.win.analysis"
    _description = "Win Probability Analysis"
    _auto = False
    _rec_name = "lead_id"
    _order = "win_probability desc, id"

    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    stage_id = fields.Many2one("crm.stage", string="Stage", readonly=True)
    source_id = fields.Many2one("utm.source", string="Source", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", string="Campaign", readonly=True)
    country_id = fields.Many2one("res.country", string="Country", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    date_deadline = fields.Date(string="Expected Closing", readonly=True)
    planned_revenue = fields.Float(string="Expected Revenue", readonly=True)
    probability = fields.Float(string="Probability (Salesperson)", readonly=True, group_operator="avg")
    win_probability = fields.Float(string="Win Probability (Model)", digits=(16, 1), readonly=True,
                                   group_operator="avg")
    expected = fields.Float(string="Weighted Revenue (Salesperson)", readonly=True)
    expected_model = fields.Float(string="Weighted Revenue (Win Model)", readonly=True)
    factors = fields.Char(string="Win Factors", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(as_text(self.env.cr, sql.SQL("""CREATE VIEW {table} AS (
SELECT l.id, l.id AS lead_id, l.partner_id, l.team_id, l.user_id, l.stage_id, l.source_id,
       l.campaign_id, l.country_id, l.company_id, l.date_deadline, l.planned_revenue,
       l.probability, COALESCE(ws.probability, s.probability) AS win_probability,
       l.planned_revenue * l.probability / 100.0 AS expected,
       l.planned_revenue * COALESCE(ws.probability, s.probability) / 100.0 AS expected_model,
       ws.factors
  FROM crm_lead l
  JOIN crm_stage s ON s.id = l.stage_id
  LEFT JOIN crm_cn_win_score ws ON ws.id = l.id
 WHERE {open_where}
)""").format(table=sql.Identifier(self._table), open_where=sql.SQL(OPEN_WHERE))))
