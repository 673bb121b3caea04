from odoo import api, fields, models, tools


class CrmCnForecastAccuracy(models.Model):
    """Forecast against what happened, per past week, team and salesperson:
    the expected orders of the last snapshot taken before the week began,
    beside the orders booked in that week."""

    _name = "crm.cn.forecast.accuracy"
    _description = "Forecast Accuracy"
    _auto = False
    _order = "week_start"

    week_start = fields.Date(string="Week", readonly=True)
    snapshot_date = fields.Date(string="Forecast of", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    expected = fields.Float(string="Forecast", readonly=True)
    actual = fields.Float(string="Orders Booked", readonly=True)
    abs_error = fields.Float(string="Absolute Error", readonly=True)
    error_rate = fields.Float(string="Error (%)", readonly=True,
                              help="Absolute error / orders booked, of the group's sums.")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""CREATE VIEW %s AS (
WITH last_snapshot AS (
    SELECT week_start, company_id, MAX(snapshot_date) AS snapshot_date
      FROM crm_cn_forecast_snapshot WHERE snapshot_date <= week_start GROUP BY week_start, company_id
), forecasts AS (
    SELECT s.week_start, s.snapshot_date, s.team_id, s.user_id, s.company_id, SUM(s.expected) AS expected
      FROM crm_cn_forecast_snapshot s
      JOIN last_snapshot ls ON ls.week_start = s.week_start AND ls.snapshot_date = s.snapshot_date
           AND ls.company_id IS NOT DISTINCT FROM s.company_id
  GROUP BY 1, 2, 3, 4, 5
), actuals AS (
    SELECT week_start, team_id, user_id, company_id, SUM(booked) AS actual
      FROM crm_cn_forecast_report WHERE booked <> 0 GROUP BY 1, 2, 3, 4
)
SELECT row_number() OVER (ORDER BY f.week_start, f.team_id, f.user_id, f.company_id) AS id,
       f.week_start, f.snapshot_date, f.team_id, f.user_id, f.company_id, f.expected,
       COALESCE(a.actual, 0.0) AS actual, ABS(f.expected - COALESCE(a.actual, 0.0)) AS abs_error,
       0.0 AS error_rate
  FROM forecasts f
  LEFT JOIN actuals a ON a.week_start = f.week_start
       AND a.team_id IS NOT DISTINCT FROM f.team_id AND a.user_id IS NOT DISTINCT FROM f.user_id
       AND a.company_id IS NOT DISTINCT FROM f.company_id
 WHERE f.week_start + 7 <= CURRENT_DATE
)""" % self._table)

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        """Error rate of each group from its sums (weighted absolute percentage error)."""
        fields = list(fields or []) + [name for name in ("abs_error", "actual") if name not in (fields or [])]
        groups = super(CrmCnForecastAccuracy, self).read_group(
            domain, fields, groupby, offset=offset, limit=limit, orderby=orderby, lazy=lazy)
        for group in groups:
            actual = group.get("actual") or 0.0
            group["error_rate"] = 100.0 * (group.get("abs_error") or 0.0) / actual if actual else 0.0
        return groups
