from odoo import api, fields, models

REASONS = [("name", "Company name"), ("phone", "Phone"), ("email", "E-mail domain")]


class CrmCnDealRegistrationConflict(models.Model):
    """What a submitted registration matched: an opportunity, a customer or
    another dealer's registration, and on which key. Managers only: the
    dealer never learns who covers its customer."""

    _name = "crm.cn.deal.registration.conflict"
    _description = "Deal Registration Conflict"
    _order = "registration_id, id"

    registration_id = fields.Many2one("crm.cn.deal.registration", string="Registration", required=True,
                                      ondelete="cascade", index=True)
    reason = fields.Selection(REASONS, string="Matched On", required=True)
    lead_id = fields.Many2one("crm.lead", string="Opportunity", ondelete="cascade")
    partner_id = fields.Many2one("res.partner", string="Customer", ondelete="cascade")
    other_registration_id = fields.Many2one("crm.cn.deal.registration", string="Other Registration",
                                            ondelete="cascade")
    other_dealer_id = fields.Many2one(related="other_registration_id.dealer_id", readonly=True,
                                      string="Other Dealer")
    other_state = fields.Selection(related="other_registration_id.state", readonly=True,
                                   string="Other Registration State")
    owner_id = fields.Many2one("res.users", compute="_compute_side", string="Salesperson")
    description = fields.Char(compute="_compute_side", string="Matched Record")

    @api.depends("lead_id", "partner_id", "other_registration_id")
    def _compute_side(self):
        for conflict in self:
            record = conflict.lead_id or conflict.partner_id or conflict.other_registration_id
            conflict.description = record.display_name
            conflict.owner_id = conflict.lead_id.user_id or conflict.partner_id.user_id
