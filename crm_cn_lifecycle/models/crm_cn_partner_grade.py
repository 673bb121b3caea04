from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.drp import GradeTerms
from ..tools.scorecard import Grade


class CrmCnPartnerGrade(models.Model):
    """A partner grade (gold, silver, bronze...): the thresholds a dealer's
    quarterly scorecard must meet to earn it, best grade first (sequence),
    and what the grade gives: lead-forwarding priority, a pricelist and the
    replenishment terms DRP falls back to when the dealer has no setting of
    its own."""

    _name = "crm.cn.partner.grade"
    _description = "Partner Grade"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Best grade first: a dealer gets the first grade it qualifies for.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", string="Company",
                                 help="Empty: the grade is used by every company.")
    min_purchases = fields.Float(
        string="Min. Purchases", digits=(16, 2),
        help="Net invoiced purchases of the quarter, in company currency. 0: not applied.")
    min_sell_through = fields.Float(
        string="Min. Sell-through (%)", digits=(16, 1),
        help="Units sold / (sold + left on hand) from the dealer's stock reports. 0: not applied; "
             "a dealer without reports does not meet it.")
    max_overdue_days = fields.Integer(
        string="Max. Overdue Days", help="Days its oldest overdue invoice is past due. 0: not applied.")
    min_lead_acceptance = fields.Float(
        string="Min. Lead Acceptance (%)", digits=(16, 1),
        help="Forwarded leads accepted / answered or timed out. 0: not applied; not applied to a "
             "dealer that was offered no lead.")
    forward_priority = fields.Integer(
        string="Forwarding Priority", default=10,
        help="Set on the dealer: lead forwarding offers leads to higher numbers first.")
    pricelist_id = fields.Many2one("product.pricelist", string="Pricelist",
                                   help="Set as the dealer's pricelist. Empty: the dealer keeps its own.")
    target_weeks = fields.Float(string="Target Weeks of Cover",
                                help="Replenishment term when the dealer has no DRP setting of its own. "
                                     "0: the general setting's.")
    lead_time_days = fields.Integer(string="Lead Time (Days)", help="0: the general setting's.")
    pack_multiple = fields.Float(help="0: the general setting's.")
    partner_ids = fields.One2many("res.partner", "cn_grade_id", string="Dealers", readonly=True)
    dealer_count = fields.Integer(compute="_compute_dealer_count", string="Dealers")

    _sql_constraints = [
        ("values_positive", "CHECK(min_purchases >= 0 AND min_sell_through >= 0 AND max_overdue_days >= 0 "
                            "AND min_lead_acceptance >= 0 AND target_weeks >= 0 AND lead_time_days >= 0 "
                            "AND pack_multiple >= 0)", "Grade thresholds and terms cannot be negative."),
    ]

    @api.constrains("min_sell_through", "min_lead_acceptance")
    def _check_percentages(self):
        for grade in self:
            if grade.min_sell_through > 100 or grade.min_lead_acceptance > 100:
                raise ValidationError(_("Grade %s: a percentage threshold cannot exceed 100.") % grade.name)

    def _compute_dealer_count(self):
        groups = self.env["res.partner"].read_group([("cn_grade_id", "in", self.ids)],
                                                    ["cn_grade_id"], ["cn_grade_id"])
        counts = {group["cn_grade_id"][0]: group["cn_grade_id_count"] for group in groups}
        for grade in self:
            grade.dealer_count = counts.get(grade.id, 0)

    @api.model
    def _thresholds(self, company):
        """The company's grades as tools.scorecard.Grade, best first."""
        grades = self.search(["|", ("company_id", "=", False), ("company_id", "=", company.id)])
        return [Grade(grade.id, grade.min_purchases, grade.min_sell_through, grade.max_overdue_days,
                      grade.min_lead_acceptance) for grade in grades]

    @api.multi
    def _terms(self):
        self.ensure_one()
        return GradeTerms(self.target_weeks, self.lead_time_days, self.pack_multiple)


class CrmCnPartnerGradeHistory(models.Model):
    """Each change of a dealer's grade: by the quarterly computation or by a
    manager's override, with its reason."""

    _name = "crm.cn.partner.grade.history"
    _description = "Partner Grade History"
    _order = "date desc, id desc"

    partner_id = fields.Many2one("res.partner", string="Dealer", required=True, index=True,
                                 ondelete="cascade")
    date = fields.Datetime(default=fields.Datetime.now, required=True)
    old_grade_id = fields.Many2one("crm.cn.partner.grade", string="From", ondelete="set null")
    grade_id = fields.Many2one("crm.cn.partner.grade", string="To", ondelete="set null")
    source = fields.Selection([("computed", "Quarterly Scorecard"), ("override", "Manager Override"),
                               ("override_removed", "Override Removed")], required=True)
    reason = fields.Char()
    scorecard_id = fields.Many2one("crm.cn.dealer.scorecard", string="Scorecard", ondelete="set null")
    user_id = fields.Many2one("res.users", string="By", default=lambda self: self.env.user)
