from odoo import api, models

# What changes a line's amount (the tax mapping and the unit matter through
# price and quantity; a line moved to another order grows that order).
AMOUNT_FIELDS = {"product_uom_qty", "price_unit", "discount", "tax_id", "product_uom", "product_id",
                 "order_id"}


class SaleOrderLine(models.Model):
    """A confirmed order grows only within its customer's credit: a line
    added, or raised in quantity, price, discount or taxes, on an order in
    `sale`/`done` (which starts a delivery) is checked like a confirmation
    (see sale.order._cn_credit_growth_checked). The stored amounts can only
    be computed, never written."""

    _name = "sale.order.line"
    _inherit = ["sale.order.line", "crm.cn.protected.fields"]

    @api.model
    def _cn_protected_fields(self):
        protected = dict(super(SaleOrderLine, self)._cn_protected_fields())
        protected.update({name: () for name in ("price_subtotal", "price_total", "price_tax")})
        return protected

    @api.model
    def create(self, vals):
        order = self.env["sale.order"].browse(vals.get("order_id") or [])
        with order._cn_credit_growth_checked():
            line = super(SaleOrderLine, self).create(vals)
        return line

    @api.multi
    def write(self, vals):
        if not AMOUNT_FIELDS & set(vals):
            return super(SaleOrderLine, self).write(vals)
        orders = self.mapped("order_id")
        if vals.get("order_id"):
            orders |= self.env["sale.order"].browse(vals["order_id"])
        with orders._cn_credit_growth_checked():
            result = super(SaleOrderLine, self).write(vals)
        return result
