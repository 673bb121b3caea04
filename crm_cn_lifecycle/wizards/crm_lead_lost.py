from odoo import api, fields, models


class CrmLeadLost(models.TransientModel):
    """Odoo's Lost Reason dialog also asks which competitor won the deal."""

    _inherit = "crm.lead.lost"

    cn_lost_to_id = fields.Many2one("crm.cn.competitor", string="Lost To")

    @api.multi
    def action_lost_reason_apply(self):
        if self.cn_lost_to_id:
            self.env["crm.lead"].browse(self.env.context.get("active_ids")).write(
                {"cn_lost_to_id": self.cn_lost_to_id.id})
        return super(CrmLeadLost, self).action_lost_reason_apply()
