from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..tools import forecast
from ..tools.forecast_call import attainment


class CrmCnForecastQuota(models.Model):
    """A sales quota (销售指标) of a salesperson or a sales team for a fiscal
    quarter (the company's 13-week quarters), optionally for one of its weeks
    or one product category; in company currency. Entered by sales managers
    (in the list or from a file); salespeople read their own and their
    team's. Attainment = orders booked in the quota's scope / quota."""

    _name = "crm.cn.forecast.quota"
    _description = "Sales Quota"
    _order = "quarter_start desc, team_id, user_id, week_start, id"

    name = fields.Char(compute="_compute_name")
    user_id = fields.Many2one("res.users", string="Salesperson", index=True, ondelete="cascade")
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True, ondelete="cascade")
    quarter_start = fields.Date(string="Quarter", required=True, index=True,
                                help="Any day of the fiscal quarter: it is kept as the quarter's first day.")
    quarter_end = fields.Date(readonly=True)
    week_start = fields.Date(string="Week", help="Empty: a quota for the whole quarter. Any day of "
                                                  "the week: it is kept as the week's first day.")
    categ_id = fields.Many2one("product.category", string="Product Category", ondelete="restrict")
    amount = fields.Monetary(string="Quota", required=True, currency_field="currency_id")
    company_id = fields.Many2one("res.company", required=True, index=True,
                                 default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one("res.currency", related="company_id.currency_id", readonly=True)
    booked = fields.Monetary(compute="_compute_attainment", currency_field="currency_id")
    attainment = fields.Float(string="Attainment (%)", compute="_compute_attainment", digits=(16, 1))

    _sql_constraints = [
        ("amount_positive", "CHECK (amount >= 0)", "A quota cannot be negative."),
        ("one_owner", "CHECK ((user_id IS NULL) <> (team_id IS NULL))",
         "A quota is for a salesperson or for a sales team, not both."),
    ]

    @api.depends("user_id", "team_id", "quarter_start", "week_start", "categ_id")
    def _compute_name(self):
        for quota in self:
            quota.name = " ".join(filter(None, [
                (quota.user_id or quota.team_id).display_name, quota.quarter_start,
                quota.week_start and _("week of %s") % quota.week_start, quota.categ_id.display_name]))

    @api.constrains("quarter_start", "week_start")
    def _check_week_in_quarter(self):
        for quota in self:
            if quota.week_start and not quota.quarter_start <= quota.week_start <= quota.quarter_end:
                raise ValidationError(_("The week %(week)s is not in the quarter %(start)s - %(end)s.") % {
                    "week": quota.week_start, "start": quota.quarter_start, "end": quota.quarter_end})

    # --- only managers ------------------------------------------------------------

    @api.model
    def _cn_check_manager(self):
        """Quotas are set by sales managers only (the access rights say so too)."""
        if self.env.uid != SUPERUSER_ID and not self.env.user.has_group("crm_cn_lifecycle.group_manager"):
            raise AccessError(_("Only sales managers set quotas."))

    @api.model
    def _cn_snap(self, vals, company=None):
        """Quarter and week moved to their first day; the quarter's end set."""
        company = company or self.env["res.company"].browse(vals.get("company_id")) or self.env.user.company_id
        Report = self.env["crm.cn.forecast.report"]
        vals = dict(vals)
        day = vals.get("quarter_start") or vals.get("week_start")
        if day:
            weeks = Report.quarter_weeks(day, company)
            vals["quarter_start"] = fields.Date.to_string(weeks[0].start)
            vals["quarter_end"] = fields.Date.to_string(weeks[-1].end)
        if vals.get("week_start"):
            week = forecast.week_start_of(fields.Date.from_string(vals["week_start"]),
                                          int(company.cn_week_start))
            vals["week_start"] = fields.Date.to_string(week)
        return vals

    @api.model
    def create(self, vals):
        self._cn_check_manager()
        return super(CrmCnForecastQuota, self).create(self._cn_snap(vals))

    @api.multi
    def write(self, vals):
        self._cn_check_manager()
        if "quarter_start" in vals or "week_start" in vals:
            for quota in self:
                snapped = dict(vals)
                snapped.setdefault("quarter_start", quota.quarter_start)
                super(CrmCnForecastQuota, quota).write(quota._cn_snap(snapped, quota.company_id))
            return True
        return super(CrmCnForecastQuota, self).write(vals)

    @api.multi
    def unlink(self):
        self._cn_check_manager()
        return super(CrmCnForecastQuota, self).unlink()

    # --- attainment -----------------------------------------------------------------

    def _compute_attainment(self):
        """Orders booked in each quota's scope (one grouped read per quarter)."""
        Report = self.env["crm.cn.forecast.report"].sudo()  # whoever reads the quota reads its figure
        for quarter_start in set(self.mapped("quarter_start")):
            quotas = self.filtered(lambda quota: quota.quarter_start == quarter_start)
            end = max(quotas.mapped("quarter_end"))
            rows = Report.read_group(
                [("date", ">=", quarter_start), ("date", "<=", end), ("booked", "!=", 0),
                 ("company_id", "in", quotas.mapped("company_id").ids)],
                ["user_id", "team_id", "categ_id", "week_start", "booked"],
                ["user_id", "team_id", "categ_id", "week_start:day"], lazy=False)
            facts = [(row["user_id"] and row["user_id"][0], row["team_id"] and row["team_id"][0],
                      row["categ_id"] and row["categ_id"][0], Report._group_start(row), row["booked"])
                     for row in rows]
            for quota in quotas:
                quota.booked = sum(
                    amount for user_id, team_id, categ_id, week, amount in facts
                    if (user_id == quota.user_id.id if quota.user_id else team_id == quota.team_id.id)
                    and (not quota.categ_id or categ_id == quota.categ_id.id)
                    and (not quota.week_start or week == quota.week_start))
                quota.attainment = attainment(quota.booked, quota.amount) or 0.0
