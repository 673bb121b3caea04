from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    cn_brand_id = fields.Many2one("crm.cn.brand", string="Brand", index=True)
