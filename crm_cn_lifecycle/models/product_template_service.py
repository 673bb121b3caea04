from odoo import fields, models


class ProductTemplate(models.Model):
    """After-sales settings of a product: warranty length and on-site installation."""
    _inherit = "product.template"

    cn_warranty_months = fields.Integer(
        string="Warranty (months)",
        help="Months of warranty from the delivery date; 0 means the product's category decides.")
    cn_needs_installation = fields.Boolean(
        string="Needs Installation",
        help="Validating a delivery of this product opens an installation ticket.")

    def _cn_get_warranty_months(self):
        """The product's own warranty, else its category's."""
        self.ensure_one()
        return self.cn_warranty_months or self.categ_id.cn_warranty_months


class ProductCategory(models.Model):
    _inherit = "product.category"

    cn_warranty_months = fields.Integer(
        string="Warranty (months)", help="Default warranty of the category's products.")
