from odoo import api, fields, models

from ..tools import forecast
from .bulk import bulk_create


class CrmCnForecastSnapshot(models.Model):
    """What the forecast said, week by week, on the day it was taken: kept so
    that its accuracy can be measured once the weeks have passed."""

    _name = "crm.cn.forecast.snapshot"
    _description = "Forecast Snapshot"
    _order = "snapshot_date desc, week_start"

    snapshot_date = fields.Date(required=True, index=True, default=fields.Date.context_today)
    week_start = fields.Date(string="Week", required=True, index=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True)
    user_id = fields.Many2one("res.users", string="Salesperson", index=True)
    company_id = fields.Many2one("res.company", string="Company", index=True,
                                 default=lambda self: self.env.user.company_id)
    expected = fields.Float(string="Expected Orders")

    @api.model
    def action_take_snapshot(self, day=None):
        """Store the expected orders of this week and the rest of the quarter,
        per company, team and salesperson. Taking it again the same day replaces it.
        Managers only (cron, XML-RPC)."""
        self.check_access_rights("create")
        Report = self.env["crm.cn.forecast.report"].sudo()
        today = day or fields.Date.context_today(self)
        weeks = [week for week in Report.quarter_weeks(today)
                 if week.end >= fields.Date.from_string(today)]
        self.sudo().search([("snapshot_date", "=", today)]).unlink()
        rows = Report.read_group(
            [("date", ">=", fields.Date.to_string(weeks[0].start)),
             ("date", "<=", fields.Date.to_string(weeks[-1].end))],
            ["week_start", "team_id", "user_id", "company_id", "expected"],
            ["week_start:day", "team_id", "user_id", "company_id"], lazy=False)
        return bulk_create(self.sudo(), [{
            "snapshot_date": today, "week_start": Report._group_start(row),
            "team_id": row["team_id"] and row["team_id"][0],
            "user_id": row["user_id"] and row["user_id"][0],
            "company_id": row["company_id"] and row["company_id"][0],
            "expected": row["expected"] or 0.0,
        } for row in rows if row["expected"]])

    @api.model
    def accuracy(self, domain=None):
        """Per team: the mean absolute percentage error of the weeks gone by,
        each week's forecast being the last snapshot taken before it began."""
        rows = self.env["crm.cn.forecast.accuracy"].read_group(
            domain or [], ["team_id", "week_start", "expected", "actual"],
            ["team_id", "week_start:day"], lazy=False)
        pairs = {}
        for row in rows:
            team = row["team_id"] and row["team_id"][1]
            pairs.setdefault(team, []).append((row["expected"] or 0.0, row["actual"] or 0.0))
        return {team: forecast.mape(team_pairs) for team, team_pairs in pairs.items()}
