from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import goals
from .crm_cn_goal_target import TARGET_FIELDS
from .res_partner_pyramid import TIER_SELECTION

GROUP_MANAGER = "crm_cn_lifecycle.group_manager"
MEASURES = [
    (goals.GROSS_PROFIT, "Gross Profit"),
    (goals.REVENUE, "Revenue"),
    (goals.MARGIN_RATE, "Margin Rate (%)"),
    (goals.TIER_COUNT, "Customers in a Tier"),
]
STATES = [("draft", "Draft"), ("running", "Running"), ("done", "Done")]
BASE_FIELDS = ("measure", "tier", "base_date_from", "base_date_to", "company_id")


class CrmCnGoal(models.Model):
    """A company goal ("+20 % gross profit by a date, budgets unchanged"): a
    measure over a base period, a target, a deadline and a spending ceiling,
    broken into steps each with its own measured KPI. Its value is measured
    over a period as long as the base period ending on the measure date."""

    _name = "crm.cn.goal"
    _inherit = ["crm.cn.goal.target"]
    _description = "Goal"
    _order = "deadline, id"

    name = fields.Char(required=True)
    company_id = fields.Many2one("res.company", string="Company", required=True, index=True,
                                 default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    state = fields.Selection(STATES, default="draft", required=True, readonly=True, copy=False)
    measure = fields.Selection(MEASURES, required=True, default=goals.GROSS_PROFIT,
                               help="Gross profit, revenue and margin rate come from the invoiced "
                                    "sales and margin; customers in a tier from the customer pyramid.")
    tier = fields.Selection(TIER_SELECTION, help="The tier whose customers are counted.")
    base_date_from = fields.Date(string="Base Period From", required=True)
    base_date_to = fields.Date(string="Base Period To", required=True)
    base_value = fields.Float(digits=(16, 2), readonly=True,
                              help="The measure over the base period.")
    date_start = fields.Date(string="Start", copy=False,
                             help="When the goal started: the straight line to the target runs from "
                                  "here to the deadline.")
    deadline = fields.Date(required=True)
    budget = fields.Monetary(string="Budget Ceiling",
                             help="Marketing and sales spending allowed from the start to the deadline.")
    spent = fields.Monetary(string="Spent so Far", compute="_compute_spent",
                            help="Campaign costs dated from the start to today (or the deadline).")
    budget_left = fields.Monetary(compute="_compute_spent")
    over_budget = fields.Boolean(compute="_compute_spent")
    current_value = fields.Float(digits=(16, 2), compute="_compute_current",
                                 help="The measure over the period as long as the base period "
                                      "ending today.")
    expected_value = fields.Float(string="Expected Today", digits=(16, 2), compute="_compute_current",
                                  help="The straight line from the base value at the start to the "
                                       "target at the deadline, today.")
    progress = fields.Float(string="Progress (%)", digits=(16, 1), compute="_compute_current")
    on_track = fields.Boolean(compute="_compute_current")
    user_id = fields.Many2one("res.users", string="Owner", default=lambda self: self.env.user)
    team_id = fields.Many2one("crm.team", string="Sales Team")
    step_ids = fields.One2many("crm.cn.goal.step", "goal_id", string="Steps", copy=True)
    progress_ids = fields.One2many("crm.cn.goal.progress", "goal_id", string="Progress",
                                   readonly=True)
    note = fields.Text()

    def _cn_baseline_value(self):
        return self.base_value

    @api.constrains("base_date_from", "base_date_to", "deadline", "date_start", "measure", "tier",
                    "budget")
    def _check_goal(self):
        for goal in self:
            if goal.base_date_from > goal.base_date_to:
                raise ValidationError(_("Goal %(goal)s: the base period ends before it starts.")
                                      % {"goal": goal.name})
            if goal.deadline <= (goal.date_start or goal.base_date_to):
                raise ValidationError(_("Goal %(goal)s: the deadline must come after the base "
                                        "period and the start.") % {"goal": goal.name})
            if goal.measure == goals.TIER_COUNT and not goal.tier:
                raise ValidationError(_("Goal %(goal)s: choose the tier whose customers are "
                                        "counted.") % {"goal": goal.name})
            if goal.budget < 0:
                raise ValidationError(_("Goal %(goal)s: the budget ceiling cannot be negative.")
                                      % {"goal": goal.name})

    @api.model
    def create(self, vals):
        goal = super(CrmCnGoal, self).create(self._cn_with_target_type(vals))
        goal._cn_refresh_base()
        return goal

    @api.multi
    def write(self, vals):
        result = super(CrmCnGoal, self).write(self._cn_with_target_type(vals))
        if any(name in vals for name in BASE_FIELDS):
            self._cn_refresh_base()
            self.mapped("step_ids")._cn_refresh_baseline()
        elif "target_type" in vals or any(name in vals for name in TARGET_FIELDS.values()):
            self._cn_sync_targets()
        return result

    @api.multi
    def _cn_refresh_base(self):
        for goal in self:
            base_from, base_to = (fields.Date.from_string(goal.base_date_from),
                                  fields.Date.from_string(goal.base_date_to))
            value = goal._cn_measure_over(base_from, base_to)
            if value != goal.base_value:
                super(CrmCnGoal, goal).write({"base_value": value})
        return self._cn_sync_targets()

    @api.multi
    def _cn_measure_over(self, date_from, date_to):
        """The goal's measure over [date_from, date_to]: invoiced revenue and margin
        of the whole company (sales-and-margin report), or the customers in the tier
        of the company's pyramid on `date_to`."""
        self.ensure_one()
        if self.measure == goals.TIER_COUNT:
            tiers = self.env["crm.cn.goal.step"]._cn_pyramid_tiers(self.company_id, date_to)
            return float((tiers.get(self.tier) or {}).get("count", 0))
        groups = self.env["crm.cn.sales.margin.report"].sudo().read_group([
            ("company_id", "=", self.company_id.id), ("source", "=", "invoiced"),
            ("is_last_year", "=", False), ("date", ">=", fields.Date.to_string(date_from)),
            ("date", "<=", fields.Date.to_string(date_to))], ["revenue", "margin"], [])
        row = groups[0] if groups else {}
        return goals.measure_value(self.measure, row.get("revenue") or 0.0, row.get("margin") or 0.0)

    @api.multi
    def _cn_value_on(self, as_of):
        """The measure over the period as long as the base period ending on `as_of`."""
        self.ensure_one()
        date_from, date_to = goals.trailing_period(fields.Date.from_string(self.base_date_from),
                                                   fields.Date.from_string(self.base_date_to), as_of)
        return self._cn_measure_over(date_from, date_to)

    @api.multi
    def _cn_expected_on(self, as_of):
        self.ensure_one()
        start = fields.Date.from_string(self.date_start or fields.Date.context_today(self))
        return goals.expected_value(self.base_value, self.target_value, start,
                                    fields.Date.from_string(self.deadline), as_of)

    @api.depends("base_value", "target_value", "date_start", "deadline")
    def _compute_current(self):
        today = fields.Date.from_string(fields.Date.context_today(self))
        for goal in self:
            if not goal.id or not goal.base_date_from or not goal.base_date_to:
                continue
            value, expected = goal._cn_value_on(today), goal._cn_expected_on(today)
            goal.current_value, goal.expected_value = value, expected
            goal.progress = goals.progress(goal.base_value, goal.target_value, value)
            goal.on_track = goals.on_track(goal.base_value, goal.target_value, value, expected)

    @api.depends("budget", "date_start", "deadline")
    def _compute_spent(self):
        """Campaign costs dated in [start, min(today, deadline)]: one query for all goals."""
        today = fields.Date.context_today(self)
        periods = {goal.id: (goal.date_start, min(today, goal.deadline or today))
                   for goal in self if goal.id and goal.date_start}
        spent = {}
        if periods:
            self.env.cr.execute("""
                SELECT period.goal_id, COALESCE(SUM(cost.amount), 0)
                  FROM unnest(%s::int[], %s::date[], %s::date[]) period(goal_id, date_from, date_to)
                  JOIN crm_cn_campaign_cost cost
                    ON cost.date >= period.date_from AND cost.date <= period.date_to
                 GROUP BY period.goal_id""", (list(periods), [p[0] for p in periods.values()],
                                              [p[1] for p in periods.values()]))
            spent = dict(self.env.cr.fetchall())
        for goal in self:
            goal.spent = spent.get(goal.id, 0.0)
            goal.budget_left = goal.budget - goal.spent
            goal.over_budget = goal.spent > goal.budget

    @api.model
    def _cn_check_manager(self):
        if self.env.uid != SUPERUSER_ID and not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(_("Only sales managers may start, measure or close goals."))

    @api.multi
    def action_start(self):
        """Run the goal from today (or its start date): base value and the steps'
        baselines measured again, a first measure taken."""
        self._cn_check_manager()
        today = fields.Date.context_today(self)
        for goal in self:
            if goal.state != "draft":
                raise UserError(_("Goal %(goal)s has already started.") % {"goal": goal.name})
            goal.write({"state": "running", "date_start": goal.date_start or today})
            goal._cn_refresh_base()
            goal.step_ids._cn_refresh_baseline()
        self.action_measure()
        return True

    @api.multi
    def action_done(self):
        self._cn_check_manager()
        self.write({"state": "done"})
        return True

    @api.multi
    def action_draft(self):
        self._cn_check_manager()
        self.write({"state": "draft"})
        return True

    @api.multi
    def action_measure(self, as_of=None):
        """Measure the goal and its steps as of `as_of` (default today) into the
        month's progress rows; measuring the same month again replaces them.
        The button "Measure now", XML-RPC (`as_of` a date string) and the monthly
        scheduled action."""
        self._cn_check_manager()
        as_of = fields.Date.from_string(as_of or fields.Date.context_today(self))
        not_running = self.filtered(lambda goal: goal.state != "running")
        if not_running:
            raise UserError(_("Start goal %(goal)s before measuring it.")
                            % {"goal": not_running[0].name})
        self.sudo()._cn_write_progress(as_of)
        return True

    @api.multi
    def _cn_write_progress(self, as_of):
        Progress = self.env["crm.cn.goal.progress"]
        month = goals.month_start(as_of)
        Progress.search([("goal_id", "in", self.ids),
                         ("date", "=", fields.Date.to_string(month))]).unlink()
        rows = []
        for goal in self:
            value, expected = goal._cn_value_on(as_of), goal._cn_expected_on(as_of)
            rows.append(goal._cn_progress_values(as_of, False, goal.name, goal.base_value,
                                                 goal.target_value, value, expected))
            values = goal.step_ids._cn_values_on(as_of)
            for step in goal.step_ids:
                rows.append(goal._cn_progress_values(
                    as_of, step, step.name, step.baseline, step.target_value, values[step.id],
                    step._cn_expected_on(as_of)))
        created = Progress
        for row in rows:  # a goal and its few steps: a handful of rows a month
            created |= Progress.create(row)
        return created

    @api.multi
    def _cn_progress_values(self, as_of, step, name, baseline, target, value, expected):
        return {"goal_id": self.id, "step_id": step and step.id, "name": name,
                "date": fields.Date.to_string(goals.month_start(as_of)),
                "measured_on": fields.Date.to_string(as_of), "baseline": baseline,
                "target": target, "value": value, "expected": expected,
                "progress": goals.progress(baseline, target, value),
                "on_track": goals.on_track(baseline, target, value, expected)}

    @api.multi
    def action_view_curve(self):
        """The goal's (and its steps') actual values against the straight line."""
        action = self.env.ref("crm_cn_lifecycle.action_goal_curve").read()[0]
        action["domain"] = [("goal_id", "in", self.ids)]
        return action

    @api.model
    def _cron_measure(self):
        """Monthly: every running goal measured as of today."""
        return self.search([("state", "=", "running")]).action_measure()
