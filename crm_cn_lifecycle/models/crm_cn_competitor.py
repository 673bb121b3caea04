from odoo import api, fields, models

from ..tools.sales_margin import ratio


class CrmCnCompetitor(models.Model):
    """A competitor met on opportunities: who it is, what it is good and bad
    at, and how the company fares against it (deals it was on, won, lost,
    and lost to it)."""

    _name = "crm.cn.competitor"
    _description = "Competitor"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    website = fields.Char()
    strengths = fields.Text()
    weaknesses = fields.Text()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", string="Company",
                                 help="Leave empty to share the competitor between companies.")
    lead_ids = fields.Many2many("crm.lead", "crm_lead_cn_competitor_rel", "competitor_id", "lead_id",
                                string="Opportunities")
    deal_count = fields.Integer(string="Closed Deals Met", compute="_compute_outcomes")
    won_count = fields.Integer(string="Won Against", compute="_compute_outcomes")
    lost_count = fields.Integer(string="Lost Against", compute="_compute_outcomes")
    lost_to_count = fields.Integer(string="Lost To It", compute="_compute_outcomes",
                                   help="Lost deals whose 'Lost To' is this competitor.")
    win_rate = fields.Float(string="Win Rate Against (%)", digits=(16, 1), compute="_compute_outcomes",
                            help="Won over closed deals this competitor was on.")

    _sql_constraints = [("name_company_uniq", "unique(name, company_id)",
                         "A competitor with this name already exists.")]

    def _compute_outcomes(self):
        """Counted over the closed deals of the user's companies, in one query:
        how the company fares against a competitor is shared knowledge
        (the deals themselves stay behind their record rules)."""
        companies = self.env["res.company"].search([("id", "child_of", self.env.user.company_id.ids)])
        self.env.cr.execute("""
SELECT c.id, COALESCE(SUM(r.won_count), 0), COALESCE(SUM(r.lost_count), 0),
       COUNT(*) FILTER (WHERE r.lost_to_id = c.id)
  FROM crm_cn_competitor c
  JOIN crm_lead_cn_competitor_rel rel ON rel.competitor_id = c.id
  JOIN crm_cn_win_loss_report r ON r.lead_id = rel.lead_id
 WHERE c.id = ANY(%s) AND (r.company_id IS NULL OR r.company_id = ANY(%s))
 GROUP BY c.id""", [list(self.ids), companies.ids])
        counts = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for competitor in self:
            won, lost, lost_to = counts.get(competitor.id, (0, 0, 0))
            competitor.update({"won_count": won, "lost_count": lost, "deal_count": won + lost,
                               "lost_to_count": lost_to, "win_rate": ratio(won, won + lost)})

    @api.multi
    def action_open_deals(self):
        """The closed deals this competitor was on, in the win/loss report."""
        self.ensure_one()
        action = self.env.ref("crm_cn_lifecycle.action_win_loss_report").read()[0]
        action["domain"] = [("competitor_ids", "in", self.ids)]
        return action
