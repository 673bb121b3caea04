from odoo import fields, models


class CrmCnGoalProgress(models.Model):
    """A month's measure of a goal (no step) or of one of its steps, beside the
    straight line from its baseline at the start to its target at the deadline.
    Written by "Measure now" and the monthly scheduled action; measuring the
    same month again replaces the month's rows."""

    _name = "crm.cn.goal.progress"
    _description = "Goal Progress"
    _order = "date desc, goal_id, step_id, id"

    goal_id = fields.Many2one("crm.cn.goal", string="Goal", required=True, index=True,
                              ondelete="cascade", readonly=True)
    step_id = fields.Many2one("crm.cn.goal.step", string="Step", index=True, ondelete="cascade",
                              readonly=True, help="Empty: the goal's own measure.")
    company_id = fields.Many2one(related="goal_id.company_id", store=True, readonly=True)
    user_id = fields.Many2one(related="step_id.user_id", store=True, readonly=True,
                              string="Step Owner")
    team_id = fields.Many2one(related="step_id.team_id", store=True, readonly=True,
                              string="Step Owner Team")
    name = fields.Char(string="Measure", readonly=True, help="The goal's or the step's name.")
    date = fields.Date(string="Month", required=True, index=True, readonly=True)
    measured_on = fields.Date(readonly=True)
    baseline = fields.Float(digits=(16, 2), readonly=True, group_operator="sum")
    target = fields.Float(digits=(16, 2), readonly=True)
    value = fields.Float(string="Actual", digits=(16, 2), readonly=True)
    expected = fields.Float(string="Straight Line", digits=(16, 2), readonly=True,
                            help="Where the straight line from the baseline at the start to the "
                                 "target at the deadline stands on the measure date.")
    progress = fields.Float(string="Progress (%)", digits=(16, 1), readonly=True,
                            group_operator="avg")
    on_track = fields.Boolean(readonly=True)
