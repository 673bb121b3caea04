from odoo import fields, models


class CrmCnBrand(models.Model):
    """A product brand the company sells (得力, 晨光, 华风 ...)."""

    _name = "crm.cn.brand"
    _description = "Product Brand"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    active = fields.Boolean(default=True)
    product_tmpl_ids = fields.One2many("product.template", "cn_brand_id", string="Products")
    product_count = fields.Integer(compute="_compute_product_count")

    _sql_constraints = [
        ("name_uniq", "unique(name)", "A brand with this name already exists."),
    ]

    def _compute_product_count(self):
        counts = self.env["product.template"].read_group(
            [("cn_brand_id", "in", self.ids)], ["cn_brand_id"], ["cn_brand_id"])
        by_brand = {row["cn_brand_id"][0]: row["cn_brand_id_count"] for row in counts}
        for brand in self:
            brand.product_count = by_brand.get(brand.id, 0)
