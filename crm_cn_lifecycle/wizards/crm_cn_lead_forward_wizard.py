from odoo import api, fields, models


class CrmCnLeadForwardWizard(models.TransientModel):
    """A manager offers the selected leads to one dealer, the rules aside."""

    _name = "crm.cn.lead.forward.wizard"
    _description = "Forward Leads to a Dealer"

    lead_ids = fields.Many2many("crm.lead", string="Leads",
                                default=lambda self: self.env.context.get("active_ids") or [])
    dealer_id = fields.Many2one("res.partner", string="Dealer", required=True,
                                domain=[("cn_is_dealer", "=", True), ("parent_id", "=", False)])

    @api.multi
    def action_forward(self):
        self.ensure_one()
        self.lead_ids.cn_forward_to(self.dealer_id.id)
        return {"type": "ir.actions.act_window_close"}
