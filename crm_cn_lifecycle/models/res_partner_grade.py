from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.drp import GradeTerms

GROUP_MANAGER = "crm_cn_lifecycle.group_manager"
GRADE_FIELDS = ("cn_grade_id", "cn_grade_computed_id", "cn_grade_override_id", "cn_grade_override_reason",
                "cn_forward_priority")


class ResPartner(models.Model):
    """A dealer's partner grade: the one its last quarterly scorecard earned,
    unless a manager overrides it (with a reason). The grade in force sets the
    dealer's lead-forwarding priority, its pricelist (when the grade has one)
    and the replenishment terms DRP falls back to. Manager-only fields."""

    _inherit = "res.partner"

    cn_grade_id = fields.Many2one(
        "crm.cn.partner.grade", string="Partner Grade", index=True, readonly=True,
        track_visibility="onchange", ondelete="set null",
        help="The grade in force: the manager's override, else the last quarterly scorecard's.")
    cn_grade_computed_id = fields.Many2one(
        "crm.cn.partner.grade", string="Grade Earned", readonly=True, ondelete="set null",
        help="The grade the last complete quarter's scorecard earned.")
    cn_grade_override_id = fields.Many2one(
        "crm.cn.partner.grade", string="Grade Override", track_visibility="onchange", ondelete="set null",
        help="A manager's choice that stands over the computed grade until removed.")
    cn_grade_override_reason = fields.Char(
        string="Override Reason", track_visibility="onchange",
        help="Why the grade is overridden (required with an override).")
    cn_grade_history_ids = fields.One2many("crm.cn.partner.grade.history", "partner_id",
                                           string="Grade History", readonly=True, groups=GROUP_MANAGER)
    cn_scorecard_ids = fields.One2many("crm.cn.dealer.scorecard", "dealer_id", string="Scorecards",
                                       readonly=True)

    @api.model
    def _cn_protected_fields(self):
        protected = dict(super(ResPartner, self)._cn_protected_fields())
        protected.update({name: (GROUP_MANAGER,) for name in GRADE_FIELDS})
        return protected

    @api.constrains("cn_grade_override_id", "cn_grade_override_reason")
    def _check_grade_override_reason(self):
        for partner in self:
            if partner.cn_grade_override_id and not (partner.cn_grade_override_reason or "").strip():
                raise ValidationError(_("%s: give the reason for overriding the partner grade.")
                                      % partner.display_name)

    @api.multi
    def write(self, vals):
        result = super(ResPartner, self).write(vals)
        if "cn_grade_override_id" in vals and not self.env.context.get("cn_grade_applying"):
            for partner in self:
                if partner.cn_grade_override_id:
                    partner._cn_apply_grade(partner.cn_grade_override_id, "override",
                                            partner.cn_grade_override_reason)
                else:
                    partner.with_context(cn_grade_applying=True).write({"cn_grade_override_reason": False})
                    partner._cn_apply_grade(partner.cn_grade_computed_id, "override_removed")
        return result

    @api.multi
    def _cn_apply_grade(self, grade, source, reason=None, scorecards=None):
        """Put `grade` in force on these dealers (those it changes): the grade,
        its forwarding priority and pricelist, and a history row each. Run as
        superuser by the computation and the override (a manager's door)."""
        changed = self.filtered(lambda partner: partner.cn_grade_id != grade)
        if not changed:
            return
        History = self.env["crm.cn.partner.grade.history"].sudo()
        user_id = self.env.context.get("cn_grade_user") or self.env.uid
        card_of = {card.dealer_id.id: card.id for card in (scorecards or [])}
        for partner in changed:
            History.create({"partner_id": partner.id, "old_grade_id": partner.cn_grade_id.id,
                            "grade_id": grade.id, "source": source, "reason": reason, "user_id": user_id,
                            "scorecard_id": card_of.get(partner.id)})
        values = {"cn_grade_id": grade.id}
        if grade:
            values["cn_forward_priority"] = grade.forward_priority
            if grade.pricelist_id:
                values["property_product_pricelist"] = grade.pricelist_id.id
        changed.sudo().with_context(cn_grade_applying=True).write(values)

    @api.model
    def _cn_grade_terms(self, dealer_ids):
        """{dealer id: GradeTerms} of the dealers whose grade has replenishment
        terms (one query), for tools.drp.pick_setting."""
        if not dealer_ids:
            return {}
        self.env.cr.execute("""
            SELECT p.id, g.target_weeks, g.lead_time_days, g.pack_multiple
              FROM res_partner p JOIN crm_cn_partner_grade g ON g.id = p.cn_grade_id
             WHERE p.id = ANY(%s)
               AND (g.target_weeks > 0 OR g.lead_time_days > 0 OR g.pack_multiple > 0)""",
                            [list(dealer_ids)])
        return {row[0]: GradeTerms(row[1] or 0.0, row[2] or 0, row[3] or 0.0)
                for row in self.env.cr.fetchall()}
