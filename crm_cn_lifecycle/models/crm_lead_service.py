from odoo import fields, models


class CrmLead(models.Model):
    """Repurchase opportunities remember the order they follow."""
    _inherit = "crm.lead"

    cn_previous_order_id = fields.Many2one("sale.order", string="Previous Order", index=True, copy=False)
