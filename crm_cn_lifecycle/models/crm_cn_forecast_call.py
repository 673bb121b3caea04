from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import forecast
from ..tools.forecast_call import (BEST_CASE, COMMIT, PIPELINE, is_adjusted, prefill, reliability,
                                   sum_of_latest)

CALL_LEVELS = [("user", "Salesperson"), ("team", "Sales Team"), ("company", "Company")]


class CrmCnForecastCall(models.Model):
    """A weekly forecast call for a fiscal quarter: a salesperson's for
    itself, a team leader's for its team, a manager's for the company. The
    commit and best-case figures are prefilled (the salesperson's from its
    opportunities and what it booked; a team's from its people's latest
    calls; the company's from the teams' latest calls), kept as the raw sum
    beside the figures called; a call that differs from its raw sum says
    why. Submissions are never edited nor deleted: set beside what was
    actually booked, they tell whose calls are reliable."""

    _name = "crm.cn.forecast.call"
    _description = "Forecast Call"
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name")
    level = fields.Selection(CALL_LEVELS, required=True, default="user")
    user_id = fields.Many2one("res.users", string="Salesperson", index=True, ondelete="restrict",
                              help="The salesperson whose call this is (salesperson level).")
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True, ondelete="restrict",
                              help="The team called for; on a salesperson's call, its team.")
    company_id = fields.Many2one("res.company", required=True, index=True,
                                 default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one("res.currency", related="company_id.currency_id", readonly=True)
    date = fields.Datetime(string="Submitted On", readonly=True, default=fields.Datetime.now)
    submitted_by = fields.Many2one("res.users", readonly=True, index=True, ondelete="restrict",
                                   default=lambda self: self.env.user)
    quarter_start = fields.Date(string="Quarter", readonly=True, index=True)
    quarter_end = fields.Date(readonly=True)
    week_start = fields.Date(string="Week", readonly=True, help="The week the call was made in.")
    raw_commit = fields.Monetary(string="Commit (Sum)", readonly=True, currency_field="currency_id",
                                 help="Salesperson: booked so far + open opportunities in Commit closing "
                                      "this quarter; team and company: the sum of the latest calls below.")
    raw_best_case = fields.Monetary(string="Best Case (Sum)", readonly=True, currency_field="currency_id",
                                    help="As the commit sum, with the Best Case opportunities added.")
    commit = fields.Monetary(string="Commit (Call)", currency_field="currency_id")
    best_case = fields.Monetary(string="Best Case (Call)", currency_field="currency_id")
    adjusted = fields.Boolean(readonly=True, help="The call differs from its sum.")
    reason = fields.Text(help="Why the call differs from the sum (required then).")
    actual = fields.Monetary(string="Actually Booked", compute="_compute_actual",
                             currency_field="currency_id",
                             help="Orders booked in the call's quarter and scope, once the quarter has ended.")
    error_percent = fields.Float(string="Error (%)", compute="_compute_actual", digits=(16, 1),
                                 help="|commit called - actually booked| / actually booked.")
    @api.depends("level", "user_id", "team_id", "quarter_start", "week_start")
    def _compute_name(self):
        for call in self:
            owner = {"user": call.user_id.display_name, "team": call.team_id.display_name,
                     "company": call.company_id.display_name}[call.level or "user"]
            call.name = "%s %s %s" % (owner or "", call.quarter_start or "", call.week_start or "")

    # --- who may call for what --------------------------------------------------------

    def _cn_is_manager(self):
        return self.env.uid == SUPERUSER_ID or self.env.user.has_group("crm_cn_lifecycle.group_manager")

    @api.model
    def _cn_check_may_call(self, level, user, team):
        """Salespeople call for themselves, team leaders (and managers) for a team,
        managers for the company."""
        if self.env.uid == SUPERUSER_ID:
            return
        if level == "user" and user != self.env.user:
            raise AccessError(_("You can only submit your own forecast call, not %s's.") % user.name)
        if level == "team" and team.user_id != self.env.user and not self._cn_is_manager():
            raise AccessError(_("Only the leader of %s (or a sales manager) submits its forecast call.")
                              % team.name)
        if level == "company" and not self._cn_is_manager():
            raise AccessError(_("Only sales managers submit the company's forecast call."))

    # --- submitting -------------------------------------------------------------------

    @api.model
    def create(self, vals):
        level = vals.get("level") or "user"
        if level not in dict(CALL_LEVELS):
            raise UserError(_("Unknown forecast call level %s.") % level)
        company = self.env["res.company"].browse(vals.get("company_id")) or self.env.user.company_id
        user = self.env["res.users"].browse(vals.get("user_id") or self.env.uid) if level == "user" \
            else self.env["res.users"]
        team = self.env["crm.team"].browse(vals.get("team_id")) if level == "team" else user.sale_team_id
        if level == "team" and not team:
            raise UserError(_("Choose the sales team of the call."))
        self._cn_check_may_call(level, user, team)
        weeks = self.env["crm.cn.forecast.report"].quarter_weeks(
            vals.get("quarter_start") or fields.Date.context_today(self), company)
        today = fields.Date.from_string(fields.Date.context_today(self))
        submitted_by, date = self.env.uid, fields.Datetime.now()
        if self.env.uid == SUPERUSER_ID:  # the system enters history (demo, migration) as it was
            submitted_by = vals.get("submitted_by") or submitted_by
            date = vals.get("date") or date
            today = fields.Datetime.from_string(date).date()
            if not vals.get("quarter_start"):
                weeks = self.env["crm.cn.forecast.report"].quarter_weeks(fields.Date.to_string(today), company)
        if weeks[-1].end < today and self.env.uid != SUPERUSER_ID:
            raise UserError(_("The quarter %s is over: calls are made for the current quarter or a "
                              "later one.") % fields.Date.to_string(weeks[0].start))
        raw_commit, raw_best_case = self._cn_raw_figures(level, company, team, user, weeks)
        # scripts may call "the sum adjusted by": context cn_commit_adjustment / cn_best_case_adjustment
        commit = vals.get("commit", raw_commit + self.env.context.get("cn_commit_adjustment", 0.0))
        best_case = vals.get("best_case", raw_best_case + self.env.context.get("cn_best_case_adjustment", 0.0))
        adjusted = is_adjusted(raw_commit, commit) or is_adjusted(raw_best_case, best_case)
        if adjusted and not (vals.get("reason") or "").strip():
            raise UserError(_("The call differs from the sum (commit %(commit).2f, best case %(best).2f): "
                              "say why in the reason.") % {"commit": raw_commit, "best": raw_best_case})
        values = dict(vals, level=level, company_id=company.id, user_id=user.id, team_id=team.id,
                      submitted_by=submitted_by, date=date,
                      quarter_start=fields.Date.to_string(weeks[0].start),
                      quarter_end=fields.Date.to_string(weeks[-1].end),
                      week_start=fields.Date.to_string(
                          forecast.week_start_of(today, int(company.cn_week_start))),
                      raw_commit=raw_commit, raw_best_case=raw_best_case, commit=commit,
                      best_case=best_case, adjusted=adjusted)
        return super(CrmCnForecastCall, self).create(values)

    @api.multi
    def write(self, vals):
        """A submitted call is kept as it was: only the system may correct it."""
        if self.env.uid != SUPERUSER_ID:
            raise AccessError(_("A forecast call is never changed once submitted: submit a new one."))
        return super(CrmCnForecastCall, self).write(vals)

    @api.multi
    def unlink(self):
        if self.env.uid != SUPERUSER_ID:
            raise AccessError(_("Forecast calls are kept: they cannot be deleted."))
        return super(CrmCnForecastCall, self).unlink()

    @api.model
    def prefill(self, level="user", team_id=False, day=None):
        """The figures a new call of the current user would be prefilled with
        (also over XML-RPC): {'raw_commit', 'raw_best_case', 'quarter_start'}."""
        company = self.env.user.company_id
        user = self.env.user if level == "user" else self.env["res.users"]
        team = self.env["crm.team"].browse(team_id) if level == "team" else user.sale_team_id
        weeks = self.env["crm.cn.forecast.report"].quarter_weeks(day, company)
        raw_commit, raw_best_case = self._cn_raw_figures(level, company, team, user, weeks)
        return {"raw_commit": raw_commit, "raw_best_case": raw_best_case,
                "quarter_start": fields.Date.to_string(weeks[0].start)}

    @api.onchange("level", "team_id")
    def _onchange_prefill(self):
        figures = self.prefill(self.level or "user", self.team_id.id)
        self.commit, self.best_case = figures["raw_commit"], figures["raw_best_case"]
        self.raw_commit, self.raw_best_case = figures["raw_commit"], figures["raw_best_case"]

    @api.model
    def _cn_raw_figures(self, level, company, team, user, weeks):
        """(commit, best case) sums a call starts from (see the model's docstring)."""
        quarter = fields.Date.to_string(weeks[0].start)
        if level == "user":
            facts = self._cn_quarter_facts(weeks, company, user_id=user.id)
            totals = {name: sum(week.get(name, 0.0) for week in facts.values())
                      for name in ("booked", COMMIT, BEST_CASE, PIPELINE)}
            figures = prefill([(name, totals[name]) for name in (COMMIT, BEST_CASE, PIPELINE)],
                              totals["booked"])
            return figures.call_commit, figures.call_best_case
        if level == "team":
            domain = [("level", "=", "user"), ("user_id", "in", team.member_ids.ids)]
            key = "user_id"
        else:
            domain = [("level", "=", "team")]
            key = "team_id"
        calls = self.sudo().search_read(domain + [("company_id", "=", company.id),
                                                  ("quarter_start", "=", quarter)],
                                        [key, "date", "commit", "best_case"])
        return sum_of_latest([(call[key][0], call["date"], call["id"], (call["commit"], call["best_case"]))
                              for call in calls])

    # --- the quarter's figures ------------------------------------------------------

    @api.model
    def _cn_scope_domain(self, company, team_id=None, user_id=None):
        if user_id:
            return [("user_id", "=", user_id)]
        if team_id:
            return [("team_id", "=", team_id)]
        return [("company_id", "=", company.id)]

    @api.model
    def _cn_quarter_facts(self, weeks, company, team_id=None, user_id=None):
        """{week start (date): {booked, expected_model, commit, best_case, pipeline}}
        of a quarter in a scope: booked and the win model's expected orders from
        the weekly forecast; the open opportunities' expected revenue per forecast
        category in the week they are expected to close (without a date: this
        week). Two grouped reads and one for the undated opportunities."""
        start, end = fields.Date.to_string(weeks[0].start), fields.Date.to_string(weeks[-1].end)
        scope = self._cn_scope_domain(company, team_id, user_id)
        week_day = int(company.cn_week_start)
        facts = {week.start: {} for week in weeks}

        def add(day, name, amount):
            week = forecast.week_start_of(day, week_day)
            if week in facts:
                facts[week][name] = facts[week].get(name, 0.0) + (amount or 0.0)

        Report = self.env["crm.cn.forecast.report"]
        for row in Report.read_group(scope + [("date", ">=", start), ("date", "<=", end)],
                                     ["week_start", "booked", "expected_model"], ["week_start:day"], lazy=False):
            day = fields.Date.from_string(Report._group_start(row))
            add(day, "booked", row["booked"])
            add(day, "expected_model", row["expected_model"])
        Lead = self.env["crm.lead"]
        open_leads = scope + [("type", "=", "opportunity"), ("probability", "<", 100),
                              ("cn_forecast_category", "in", [COMMIT, BEST_CASE, PIPELINE])]
        for row in Lead.read_group(open_leads + [("date_deadline", ">=", start), ("date_deadline", "<=", end)],
                                   ["cn_forecast_category", "date_deadline", "planned_revenue"],
                                   ["cn_forecast_category", "date_deadline:day"],
                                   lazy=False):
            day = _group_day(row, "date_deadline")
            if day:
                add(day, row["cn_forecast_category"], row["planned_revenue"])
        today = fields.Date.from_string(fields.Date.context_today(self))
        for row in Lead.read_group(open_leads + [("date_deadline", "=", False)], ["cn_forecast_category", "planned_revenue"],
                                   ["cn_forecast_category"], lazy=False):
            add(today, row["cn_forecast_category"], row["planned_revenue"])
        return facts

    # --- reliability ------------------------------------------------------------------

    def _compute_actual(self):
        """Booked in each call's quarter and scope, once the quarter has ended
        (one grouped read per quarter)."""
        today = fields.Date.context_today(self)
        Report = self.env["crm.cn.forecast.report"].sudo()  # the call's reader may read its outcome
        for (quarter_start, quarter_end), calls in _by_quarter(self).items():
            if not quarter_end or quarter_end >= today:
                continue
            rows = Report.read_group([("date", ">=", quarter_start), ("date", "<=", quarter_end),
                                      ("company_id", "in", calls.mapped("company_id").ids)],
                                     ["company_id", "team_id", "user_id", "booked"], ["company_id", "team_id", "user_id"], lazy=False)
            for call in calls:
                call.actual = sum(row["booked"] for row in rows if _in_scope(call, row))
                error = forecast.absolute_percentage_error(call.commit, call.actual)
                call.error_percent = 100.0 * error if error is not None else 0.0

    @api.model
    def reliability(self, before=None):
        """Whose calls are reliable: per submitter and level, the number of calls
        of the quarters ended before `before` (default today) and the mean
        absolute % error of their commit against what was booked (None when
        nothing was booked). A list of dicts, also over XML-RPC."""
        before = before or fields.Date.context_today(self)
        calls = self.search([("quarter_end", "<", before)])
        errors = reliability([((call.submitted_by.id, call.level), call.commit, call.actual)
                              for call in calls])
        users = {user.id: user.display_name for user in calls.mapped("submitted_by")}
        return [{"submitted_by": user_id, "name": users[user_id], "level": level, "calls": count,
                 "mape": error}
                for (user_id, level), (count, error) in sorted(errors.items())]


def _group_day(row, field):
    """The date of a read_group row grouped by `field`:day."""
    for leaf in row["__domain"]:
        if isinstance(leaf, (list, tuple)) and leaf[0] == field and leaf[1] == ">=":
            return fields.Date.from_string(leaf[2][:10])
    return None


def _by_quarter(calls):
    groups = {}
    for call in calls:
        key = (call.quarter_start, call.quarter_end)
        groups[key] = groups.get(key, calls.browse()) | call
    return groups


def _in_scope(call, row):
    """Whether a booked row (company, team, user) belongs to the call's scope."""
    if row["company_id"] and row["company_id"][0] != call.company_id.id:
        return False
    if call.level == "user":
        return bool(row["user_id"]) and row["user_id"][0] == call.user_id.id
    if call.level == "team":
        return bool(row["team_id"]) and row["team_id"][0] == call.team_id.id
    return True

