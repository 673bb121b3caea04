from odoo import _, api, fields, models

from ..tools import forecast_call

MEASURES = ("quota", "booked", "commit", "best_case", "pipeline", "expected_model")


def _rpc_safe(value):
    """None -> False, dates -> text, recursively (XML-RPC carries no None)."""
    if value is None:
        return False
    if isinstance(value, dict):
        return {key: _rpc_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_rpc_safe(item) for item in value]
    if hasattr(value, "isoformat"):
        return fields.Date.to_string(value)
    return value


class CrmCnForecastQuarter(models.TransientModel):
    """The manager's forecast screen of a quarter: quota, booked, commit,
    best case, pipeline, the win model's weighted pipeline, the latest call
    (raw and adjusted), the landing range and the gap to quota, week by
    week, for the company, a team or a salesperson; each week opens its
    opportunities."""

    _name = "crm.cn.forecast.quarter"
    _description = "Quarter Forecast"
    _rec_name = "name"

    name = fields.Char(compute="_compute_name")
    day = fields.Date(string="Quarter of", required=True, default=fields.Date.context_today)
    team_id = fields.Many2one("crm.team", string="Sales Team")
    user_id = fields.Many2one("res.users", string="Salesperson")
    quarter_start = fields.Date(readonly=True)
    quarter_end = fields.Date(readonly=True)
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.user.company_id.currency_id)
    quota = fields.Monetary(readonly=True)
    booked = fields.Monetary(readonly=True)
    commit = fields.Monetary(string="Commit (Opportunities)", readonly=True)
    best_case = fields.Monetary(string="Best Case (Opportunities)", readonly=True)
    pipeline = fields.Monetary(readonly=True)
    expected_model = fields.Monetary(string="Weighted Pipeline (Win Model)", readonly=True)
    attainment = fields.Float(string="Attainment (%)", readonly=True, digits=(16, 1))
    gap = fields.Monetary(string="Gap to Quota", readonly=True)
    call_raw_commit = fields.Monetary(string="Call: Commit (Sum)", readonly=True)
    call_commit = fields.Monetary(string="Call: Commit", readonly=True)
    call_raw_best_case = fields.Monetary(string="Call: Best Case (Sum)", readonly=True)
    call_best_case = fields.Monetary(string="Call: Best Case", readonly=True)
    call_gap = fields.Monetary(string="Gap of the Call to Quota", readonly=True)
    has_call = fields.Boolean(readonly=True)
    has_landing = fields.Boolean(readonly=True)
    landing_p10 = fields.Monetary(readonly=True,
                                  help="The quarter ends at or above this with 90 % probability.")
    landing_p50 = fields.Monetary(readonly=True,
                                  help="The median of where the quarter's bookings end.")
    landing_p90 = fields.Monetary(readonly=True,
                                  help="The quarter ends at or below this with 90 % probability.")
    line_ids = fields.One2many("crm.cn.forecast.quarter.line", "quarter_id", string="Weeks", readonly=True)

    @api.depends("quarter_start", "quarter_end", "team_id", "user_id")
    def _compute_name(self):
        for screen in self:
            scope = screen.user_id.name or screen.team_id.name or screen.env.user.company_id.name
            screen.name = _("Quarter Forecast %(start)s - %(end)s: %(scope)s") % {
                "start": screen.quarter_start or "", "end": screen.quarter_end or "", "scope": scope}

    # --- the figures ------------------------------------------------------------------

    @api.model
    def quarter_summary(self, day=None, team_id=None, user_id=None):
        """The quarter holding `day` (default today) for the company, a team or a
        salesperson: {'quarter_start', 'quarter_end', 'weeks': [per week: week,
        start, end, quota, booked, commit, best_case, pipeline, expected_model,
        booked_to_date, quota_to_date, attainment, gap], 'quarter': {the sums,
        attainment, gap, the latest call (call_raw_commit, call_commit,
        call_raw_best_case, call_best_case, call_gap)}, 'landing': the P10/P50/P90
        range or False}; also over XML-RPC (no value is None there: False)."""
        company = self.env.user.company_id
        weeks = self.env["crm.cn.forecast.report"].quarter_weeks(day, company)
        Call = self.env["crm.cn.forecast.call"]
        facts = Call._cn_quarter_facts(weeks, company, team_id=team_id, user_id=user_id)
        quarter_quota, quotas = self._cn_quotas(weeks, company, team_id, user_id)
        latest = self._cn_latest_call(weeks, company, team_id, user_id)
        rows, quarter = forecast_call.summary(
            [(week.number, week.start, week.end) for week in weeks], quotas, facts,
            latest and (latest.raw_commit, latest.commit, latest.raw_best_case, latest.best_case))
        quarter["quota"] = quarter_quota
        quarter["attainment"] = forecast_call.attainment(quarter["booked"], quarter_quota)
        quarter["gap"] = quarter_quota - quarter["booked"]
        if latest:
            quarter.update(call_id=latest.id, call_date=latest.date, call_by=latest.submitted_by.display_name,
                           call_reason=latest.reason or "", call_gap=quarter_quota - latest.commit)
        return _rpc_safe({"quarter_start": weeks[0].start, "quarter_end": weeks[-1].end,
                          "weeks": rows, "quarter": quarter,
                          "landing": self._cn_landing_range(weeks, team_id, user_id)})

    def _cn_landing_range(self, weeks, team_id, user_id):
        """The P10/P50/P90 range of the quarter's bookings as of today
        ({'p10', 'p50', 'p90'}, see crm.cn.forecast.report.quarter_landing);
        None for a quarter that is not under way."""
        today = fields.Date.context_today(self)
        if not fields.Date.to_string(weeks[0].start) <= today <= fields.Date.to_string(weeks[-1].end):
            return None
        landing = self.env["crm.cn.forecast.report"].quarter_landing(today, team_id=team_id, user_id=user_id)
        return {key: landing[key] for key in ("p10", "p50", "p90")}

    @api.model
    def _cn_quotas(self, weeks, company, team_id=None, user_id=None):
        """(quarter quota, [quota of each week]) of the scope: a salesperson's or a
        team's own quotas; the company's are its teams' quotas (its salespeople's
        when no team has one)."""
        Quota = self.env["crm.cn.forecast.quota"]
        domain = [("company_id", "=", company.id), ("quarter_start", "=", fields.Date.to_string(weeks[0].start))]
        if user_id:
            quotas = Quota.search(domain + [("user_id", "=", user_id)])
        elif team_id:
            quotas = Quota.search(domain + [("team_id", "=", team_id)])
        else:
            quotas = Quota.search(domain + [("team_id", "!=", False)]) or Quota.search(domain)
        rows = [(fields.Date.from_string(quota.week_start) if quota.week_start else None, quota.amount)
                for quota in quotas]
        return forecast_call.quota_by_week(rows, [week.start for week in weeks])

    @api.model
    def _cn_latest_call(self, weeks, company, team_id=None, user_id=None):
        domain = [("company_id", "=", company.id), ("quarter_start", "=", fields.Date.to_string(weeks[0].start))]
        if user_id:
            domain += [("level", "=", "user"), ("user_id", "=", user_id)]
        elif team_id:
            domain += [("level", "=", "team"), ("team_id", "=", team_id)]
        else:
            domain += [("level", "=", "company")]
        return self.env["crm.cn.forecast.call"].search(domain, order="date desc, id desc", limit=1)

    # --- the screen ---------------------------------------------------------------------

    @api.multi
    def action_refresh(self):
        """Fill the screen with the quarter's figures."""
        self.ensure_one()
        summary = self.quarter_summary(self.day, self.team_id.id or None, self.user_id.id or None)
        quarter = summary["quarter"]
        landing = summary["landing"]
        self.line_ids.unlink()
        self.write(dict(
            {name: quarter[name] or 0.0 for name in MEASURES + ("attainment", "gap")},
            quarter_start=summary["quarter_start"], quarter_end=summary["quarter_end"],
            has_call=bool(quarter.get("call_id")),
            has_landing=bool(landing),
            **{"landing_" + key: (landing or {}).get(key) or 0.0 for key in ("p10", "p50", "p90")},
            line_ids=[(0, 0, dict({name: row[name] or 0.0 for name in MEASURES + ("attainment", "gap")},
                                  week=row["week"], start=row["start"], end=row["end"],
                                  booked_to_date=row["booked_to_date"]))
                      for row in summary["weeks"]],
            **{name: quarter[name] or 0.0 for name in ("call_raw_commit", "call_commit",
                                                        "call_raw_best_case", "call_best_case",
                                                        "call_gap")}))
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
                "view_mode": "form", "name": _("Quarter Forecast"), "target": "current"}

    @api.model
    def action_open(self):
        """The screen of this quarter for the company (menu)."""
        return self.create({}).action_refresh()

    @api.multi
    def action_open_opportunities(self):
        """The open opportunities of the screen's quarter and scope."""
        self.ensure_one()
        return self.env["crm.cn.forecast.quarter.line"]._cn_opportunities_action(self, self.quarter_start, self.quarter_end)


class CrmCnForecastQuarterLine(models.TransientModel):
    """A week of the quarter forecast screen."""

    _name = "crm.cn.forecast.quarter.line"
    _description = "Quarter Forecast Week"
    _order = "week"

    quarter_id = fields.Many2one("crm.cn.forecast.quarter", required=True, ondelete="cascade")
    currency_id = fields.Many2one("res.currency", related="quarter_id.currency_id", readonly=True)
    week = fields.Integer(readonly=True)
    start = fields.Date(readonly=True)
    end = fields.Date(readonly=True)
    quota = fields.Monetary(readonly=True)
    booked = fields.Monetary(readonly=True)
    booked_to_date = fields.Monetary(string="Booked to Date", readonly=True)
    commit = fields.Monetary(readonly=True)
    best_case = fields.Monetary(readonly=True)
    pipeline = fields.Monetary(readonly=True)
    expected_model = fields.Monetary(string="Weighted (Win Model)", readonly=True)
    attainment = fields.Float(string="Attainment to Date (%)", readonly=True, digits=(16, 1))
    gap = fields.Monetary(string="Gap to Quota to Date", readonly=True)

    @api.multi
    def action_open_opportunities(self):
        """The open opportunities expected to close in this week (drill-down)."""
        self.ensure_one()
        return self._cn_opportunities_action(self.quarter_id, self.start, self.end)

    @api.model
    def _cn_opportunities_action(self, screen, start, end):
        domain = [("type", "=", "opportunity"), ("date_deadline", ">=", start), ("date_deadline", "<=", end)]
        if screen.user_id:
            domain.append(("user_id", "=", screen.user_id.id))
        elif screen.team_id:
            domain.append(("team_id", "=", screen.team_id.id))
        return {"type": "ir.actions.act_window", "res_model": "crm.lead",
                "name": _("Opportunities %(start)s - %(end)s") % {"start": start, "end": end},
                "view_mode": "tree,kanban,form", "views": [(False, "tree"), (False, "kanban"), (False, "form")],
                "domain": domain, "context": {"group_by": ["cn_forecast_category"]}}
