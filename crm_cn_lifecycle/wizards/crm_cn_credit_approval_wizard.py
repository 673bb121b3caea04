from odoo import api, fields, models


class CrmCnCreditApprovalWizard(models.TransientModel):
    """A Credit Manager approves a quotation on credit hold, with a reason."""

    _name = "crm.cn.credit.approval.wizard"
    _description = "Approve an Order on Credit Hold"

    order_id = fields.Many2one("sale.order", string="Order", required=True, readonly=True)
    partner_id = fields.Many2one(related="order_id.partner_id", readonly=True)
    amount_total = fields.Monetary(related="order_id.amount_total", readonly=True)
    currency_id = fields.Many2one(related="order_id.currency_id", readonly=True)
    cn_overdue_amount = fields.Monetary(related="order_id.cn_overdue_amount", readonly=True,
                                        currency_field="currency_id")
    cn_credit_headroom = fields.Monetary(related="order_id.cn_credit_headroom", readonly=True,
                                         currency_field="currency_id")
    reason = fields.Text(required=True)

    @api.multi
    def action_approve(self):
        self.ensure_one()
        self.order_id.action_cn_credit_approve(self.reason)
        return {"type": "ir.actions.act_window_close"}
