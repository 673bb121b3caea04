from odoo import api, fields, models


class SaleOrder(models.Model):
    """Orders open tickets, and quotations remember the ticket they came from."""
    _inherit = "sale.order"

    cn_service_ticket_id = fields.Many2one("helpdesk.ticket", string="Service Ticket",
                                           index=True, copy=False, readonly=True)

    @api.multi
    def _cn_prepare_ticket_defaults(self):
        self.ensure_one()
        products = self.order_line.mapped("product_id").filtered(lambda p: p.type != "service")
        return {
            "default_partner_id": self.partner_id.id,
            "default_cn_sale_order_id": self.id,
            "default_cn_product_id": products.id if len(products) == 1 else False,
        }

    @api.multi
    def action_cn_create_ticket(self):
        """A new service ticket about this order, for its customer."""
        return {"type": "ir.actions.act_window", "res_model": "helpdesk.ticket",
                "view_mode": "form", "views": [(False, "form")], "target": "current",
                "context": self._cn_prepare_ticket_defaults()}
