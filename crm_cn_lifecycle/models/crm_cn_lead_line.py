from odoo import api, fields, models
from odoo.addons import decimal_precision as dp


class CrmCnLeadLine(models.Model):
    """A product and quantity an opportunity is about (from a deal
    registration or entered by hand): the expected demand behind it."""

    _name = "crm.cn.lead.line"
    _description = "Opportunity Product Line"
    _order = "lead_id, sequence, id"

    lead_id = fields.Many2one("crm.lead", string="Opportunity", required=True, ondelete="cascade",
                              index=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one("product.product", string="Product", required=True, ondelete="restrict")
    product_uom_qty = fields.Float(string="Quantity", digits=dp.get_precision("Product Unit of Measure"),
                                   default=1.0)
    price_unit = fields.Float(string="Unit Price", digits=dp.get_precision("Product Price"))
    price_subtotal = fields.Float(string="Subtotal", compute="_compute_price_subtotal",
                                  digits=dp.get_precision("Product Price"))

    @api.depends("product_uom_qty", "price_unit")
    def _compute_price_subtotal(self):
        for line in self:
            line.price_subtotal = line.product_uom_qty * line.price_unit

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.product_id:
            self.price_unit = self.product_id.lst_price
