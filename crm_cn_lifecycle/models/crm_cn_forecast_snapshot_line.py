from odoo import api, fields, models

# Who is in a snapshot: every open opportunity, and those closed (won or lost)
# this quarter, so that what moved between two snapshots is seen in them alone.
LINE_STATE_SQL = """CASE WHEN NOT l.active THEN 'lost'
                         WHEN l.probability >= 100 OR COALESCE(s.probability, 0) >= 100 THEN 'won'
                         ELSE 'open' END"""
INSERT_LINES_SQL = """
INSERT INTO crm_cn_forecast_snapshot_line (
    snapshot_date, quarter_start, quarter_end, lead_id, user_id, team_id, company_id, stage_id,
    stage_sequence, expected_revenue, probability, win_probability, date_deadline, date_closed,
    state, forecast_category, create_uid, create_date, write_uid, write_date)
SELECT %(day)s::date, q.quarter_start, q.quarter_end, l.id, l.user_id, l.team_id, q.company_id,
       l.stage_id, COALESCE(s.sequence, 0), COALESCE(l.planned_revenue, 0),
       COALESCE(l.probability, 0), COALESCE(ws.probability, s.probability, l.probability, 0),
       l.date_deadline, l.date_closed::date, {state}, {category},
       %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
  FROM crm_lead l
  JOIN unnest(%(companies)s::int[], %(starts)s::date[], %(ends)s::date[])
       q(company_id, quarter_start, quarter_end) ON q.company_id = COALESCE(l.company_id, %(company)s)
  LEFT JOIN crm_stage s ON s.id = l.stage_id
  LEFT JOIN crm_cn_win_score ws ON ws.id = l.id
 WHERE l.type = 'opportunity'
   AND ((l.active AND l.probability < 100 AND COALESCE(s.probability, 0) < 100)
        OR (l.date_closed::date BETWEEN q.quarter_start AND %(day)s::date
            AND (NOT l.active OR l.probability >= 100 OR COALESCE(s.probability, 0) >= 100)))
"""


class CrmCnForecastSnapshotLine(models.Model):
    """One opportunity as a weekly snapshot saw it: amount, probabilities,
    stage and expected close. What moved between two snapshots, the close-date
    slip and the landing backtest are read from these rows. Written by the
    snapshot in one INSERT ... SELECT (a million opportunities a week)."""

    _name = "crm.cn.forecast.snapshot.line"
    _description = "Forecast Snapshot Opportunity"
    _order = "snapshot_date desc, lead_id"
    _rec_name = "lead_id"

    snapshot_date = fields.Date(required=True, index=True, default=fields.Date.context_today)
    quarter_start = fields.Date(string="Quarter From")
    quarter_end = fields.Date(string="Quarter To")
    lead_id = fields.Many2one("crm.lead", string="Opportunity", required=True, index=True,
                              ondelete="cascade")
    user_id = fields.Many2one("res.users", string="Salesperson", index=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True)
    company_id = fields.Many2one("res.company", string="Company", index=True,
                                 default=lambda self: self.env.user.company_id)
    stage_id = fields.Many2one("crm.stage", string="Stage")
    stage_sequence = fields.Integer()
    expected_revenue = fields.Float()
    probability = fields.Float(string="Probability (Salesperson)", group_operator="avg")
    win_probability = fields.Float(string="Win Probability (Model)", group_operator="avg")
    date_deadline = fields.Date(string="Expected Closing")
    date_closed = fields.Date(string="Closed On")
    state = fields.Selection([("open", "Open"), ("won", "Won"), ("lost", "Lost")],
                             required=True, default="open", index=True)
    forecast_category = fields.Char(
        help="The opportunity's forecast category on the snapshot day, when categories are in use.")

    @api.model
    def _cn_category_sql(self):
        """SQL of the forecast category of opportunity `l` kept in each row
        (NULL while opportunities have none): the hook for forecast categories."""
        field = self.env["crm.lead"]._fields.get("cn_forecast_category")
        if field is not None and field.store and field.column_type:
            return "l.cn_forecast_category::varchar"
        return "NULL::varchar"

    @api.model
    def _cn_write_day(self, day):
        """Replace the rows of `day` by every open opportunity (and those
        closed this quarter), in one DELETE and one INSERT ... SELECT."""
        Report = self.env["crm.cn.forecast.report"].sudo()
        companies = self.env["res.company"].sudo().search([])
        starts, ends = [], []
        for company in companies:
            weeks = Report.quarter_weeks(day, company)
            starts.append(fields.Date.to_string(weeks[0].start))
            ends.append(fields.Date.to_string(weeks[-1].end))
        cr = self.env.cr
        cr.execute("DELETE FROM crm_cn_forecast_snapshot_line WHERE snapshot_date = %s", [day])
        cr.execute(INSERT_LINES_SQL.format(state=LINE_STATE_SQL, category=self._cn_category_sql()), {
            "day": day, "uid": self.env.uid, "companies": companies.ids, "starts": starts, "ends": ends,
            "company": self.env.user.company_id.id})
        count = cr.rowcount
        self.invalidate_cache()
        return count


class CrmCnForecastSnapshot(models.Model):
    _inherit = "crm.cn.forecast.snapshot"

    @api.model
    def action_take_snapshot(self, day=None):
        """Also keep one row per opportunity (crm.cn.forecast.snapshot.line)."""
        result = super(CrmCnForecastSnapshot, self).action_take_snapshot(day)
        self.env["crm.cn.forecast.snapshot.line"]._cn_write_day(day or fields.Date.context_today(self))
        return result
