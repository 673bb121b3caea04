from odoo import api, fields, models, tools

SERIES = [("actual", "Actual"), ("expected", "Straight Line")]


class CrmCnGoalCurve(models.Model):
    """Each progress row twice, as the actual value and as the straight line,
    so that one line chart draws both per month (Odoo 11's graph shows one
    measure). Read-only, from crm.cn.goal.progress."""

    _name = "crm.cn.goal.curve"
    _description = "Goal Progress Curve"
    _auto = False
    _order = "date, goal_id, step_id, series"

    progress_id = fields.Many2one("crm.cn.goal.progress", string="Progress", readonly=True)
    goal_id = fields.Many2one("crm.cn.goal", string="Goal", readonly=True)
    step_id = fields.Many2one("crm.cn.goal.step", string="Step", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    user_id = fields.Many2one("res.users", string="Step Owner", readonly=True)
    team_id = fields.Many2one("crm.team", string="Step Owner Team", readonly=True)
    name = fields.Char(string="Measure", readonly=True)
    date = fields.Date(string="Month", readonly=True)
    series = fields.Selection(SERIES, readonly=True)
    value = fields.Float(digits=(16, 2), readonly=True)

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE VIEW crm_cn_goal_curve AS (
                SELECT p.id * 2 + s.shift AS id, p.id AS progress_id, p.goal_id, p.step_id,
                       p.company_id, p.user_id, p.team_id, p.name, p.date,
                       CASE WHEN s.shift = 0 THEN 'actual' ELSE 'expected' END AS series,
                       CASE WHEN s.shift = 0 THEN p.value ELSE p.expected END AS value
                  FROM crm_cn_goal_progress p
                 CROSS JOIN (VALUES (0), (1)) s(shift)
            )""")
