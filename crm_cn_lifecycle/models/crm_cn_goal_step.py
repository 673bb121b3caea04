from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import goals
from .crm_cn_goal_target import TARGET_FIELDS
from .res_partner_pyramid import TIER_SELECTION

KPIS = [
    (goals.KEY_KEPT, "Key Customers Kept"),
    (goals.CONVERTED, "Prospects Converted"),
    (goals.TIER_MARGIN_RATE, "Margin Rate of a Tier (%)"),
    (goals.LAPSED_COUNT, "Lapsed Customers"),
    (goals.TIER_REVENUE, "Revenue of a Tier"),
    (goals.TIER_MARGIN, "Gross Profit of a Tier"),
    (goals.TIER_CUSTOMERS, "Customers in a Tier"),
]
KPI_HELP = ("Each KPI is read from the company's customer pyramid on the measure date: "
            "key customers kept = key customers of the base pyramid (the last one of the base "
            "period) still key; prospects converted = customers moved from prospect to buyer "
            "since the goal's start; margin rate, revenue, gross profit and customers of a tier "
            "= the tier's lines; lapsed customers = the lapsed tier's customers.")
BASELINE_FIELDS = ("kpi", "tier", "goal_id")


class CrmCnGoalStep(models.Model):
    """A measured step of a goal ("keep every key customer", "lift the medium
    tier's margin rate by 2 points"): a KPI read from the customer pyramid, its
    baseline on the base pyramid, its target and its owner (salesperson or team),
    who reads the step and the goal's header."""

    _name = "crm.cn.goal.step"
    _inherit = ["crm.cn.goal.target"]
    _description = "Goal Step"
    _order = "goal_id, sequence, id"

    goal_id = fields.Many2one("crm.cn.goal", string="Goal", required=True, index=True,
                              ondelete="cascade")
    company_id = fields.Many2one(related="goal_id.company_id", store=True, readonly=True)
    state = fields.Selection(related="goal_id.state", readonly=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Step", required=True)
    kpi = fields.Selection(KPIS, string="KPI", required=True, help=KPI_HELP)
    tier = fields.Selection(TIER_SELECTION, help="The tier the KPI is read on (tier KPIs only).")
    baseline = fields.Float(digits=(16, 2), readonly=True,
                            help="The KPI on the base pyramid, measured when the goal starts "
                                 "(0 for prospects converted).")
    current_value = fields.Float(digits=(16, 2), compute="_compute_current")
    expected_value = fields.Float(string="Expected Today", digits=(16, 2), compute="_compute_current")
    progress = fields.Float(string="Progress (%)", digits=(16, 1), compute="_compute_current")
    on_track = fields.Boolean(compute="_compute_current",
                              help="At or past the straight line from the baseline at the goal's "
                                   "start to the target at its deadline.")
    user_id = fields.Many2one("res.users", string="Owner", index=True,
                              help="The salesperson who owns the step: reads it and its goal.")
    team_id = fields.Many2one("crm.team", string="Owner Team", index=True,
                              help="A team owning the step: its members read it and its goal.")

    def _cn_baseline_value(self):
        return self.baseline

    @api.constrains("kpi", "tier")
    def _check_tier(self):
        for step in self:
            if step.kpi in goals.TIER_KPIS and not step.tier:
                raise ValidationError(_("Step %(step)s: choose the tier its KPI is read on.")
                                      % {"step": step.name})

    @api.model
    def create(self, vals):
        step = super(CrmCnGoalStep, self).create(self._cn_with_target_type(vals))
        step._cn_refresh_baseline()
        return step

    @api.multi
    def write(self, vals):
        result = super(CrmCnGoalStep, self).write(self._cn_with_target_type(vals))
        if any(name in vals for name in BASELINE_FIELDS):
            self._cn_refresh_baseline()
        elif "target_type" in vals or any(name in vals for name in TARGET_FIELDS.values()):
            self._cn_sync_targets()
        return result

    @api.multi
    def _cn_refresh_baseline(self):
        """Each step's KPI on its goal's base pyramid (the last pyramid on or before
        the base period's end); the targets follow."""
        for goal in self.mapped("goal_id"):
            steps = self.filtered(lambda step: step.goal_id == goal)
            base_date = fields.Date.from_string(goal.base_date_to)
            tiers = self._cn_pyramid_tiers(goal.company_id, base_date)
            key_count = (tiers.get("key") or {}).get("count", 0)
            for step in steps:
                value = goals.step_value(step.kpi, step.tier, tiers, key_kept=key_count, converted=0)
                if value != step.baseline:
                    super(CrmCnGoalStep, step).write({"baseline": value})
        return self._cn_sync_targets()

    @api.model
    def _cn_pyramid_date(self, company, as_of):
        """The date of the company's last pyramid on or before `as_of` (None if none)."""
        self.env.cr.execute("""SELECT MAX(date) FROM crm_cn_pyramid_line
                                WHERE company_id = %s AND date <= %s""", (company.id, as_of))
        return self.env.cr.fetchone()[0]

    @api.model
    def _cn_pyramid_tiers(self, company, as_of):
        """{tier: {"count", "revenue", "margin"}} of the company's last pyramid on
        or before `as_of`: one query."""
        self.env.cr.execute("""
            SELECT tier, COUNT(*), COALESCE(SUM(revenue), 0), COALESCE(SUM(margin), 0)
              FROM crm_cn_pyramid_line
             WHERE company_id = %(company)s AND tier IS NOT NULL AND date = (
                   SELECT MAX(date) FROM crm_cn_pyramid_line
                    WHERE company_id = %(company)s AND date <= %(as_of)s)
             GROUP BY tier""", {"company": company.id, "as_of": as_of})
        return {tier: {"count": count, "revenue": revenue, "margin": margin}
                for tier, count, revenue, margin in self.env.cr.fetchall()}

    @api.multi
    def _cn_values_on(self, as_of):
        """{step id: KPI on `as_of`}, a few queries per goal whatever its steps."""
        values = {}
        for goal in self.mapped("goal_id"):
            company = goal.company_id
            tiers = self._cn_pyramid_tiers(company, as_of)
            base_date = self._cn_pyramid_date(company, fields.Date.from_string(goal.base_date_to))
            current_date = self._cn_pyramid_date(company, as_of)
            self.env.cr.execute("""
                SELECT COUNT(*) FROM crm_cn_pyramid_line base
                  JOIN crm_cn_pyramid_line cur ON cur.partner_id = base.partner_id
                   AND cur.company_id = base.company_id AND cur.date = %(current)s AND cur.tier = 'key'
                 WHERE base.company_id = %(company)s AND base.date = %(base)s AND base.tier = 'key'""",
                                {"company": company.id, "base": base_date, "current": current_date})
            key_kept = self.env.cr.fetchone()[0]
            self.env.cr.execute("""
                SELECT COUNT(DISTINCT partner_id) FROM crm_cn_pyramid_line
                 WHERE company_id = %s AND movement = 'converted' AND date >= %s AND date <= %s""",
                                (company.id, goal.date_start or as_of, as_of))
            converted = self.env.cr.fetchone()[0]
            for step in self.filtered(lambda step: step.goal_id == goal):
                values[step.id] = goals.step_value(step.kpi, step.tier, tiers, key_kept=key_kept,
                                                   converted=converted)
        return values

    @api.multi
    def _cn_expected_on(self, as_of):
        self.ensure_one()
        goal = self.goal_id
        start = fields.Date.from_string(goal.date_start or fields.Date.context_today(self))
        return goals.expected_value(self.baseline, self.target_value, start,
                                    fields.Date.from_string(goal.deadline), as_of)

    @api.depends("baseline", "target_value", "kpi", "tier")
    def _compute_current(self):
        today = fields.Date.from_string(fields.Date.context_today(self))
        steps = self.filtered("id")
        values = steps.sudo()._cn_values_on(today) if steps else {}
        for step in steps:
            value, expected = values[step.id], step._cn_expected_on(today)
            step.current_value, step.expected_value = value, expected
            step.progress = goals.progress(step.baseline, step.target_value, value)
            step.on_track = goals.on_track(step.baseline, step.target_value, value, expected)
