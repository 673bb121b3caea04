from odoo import fields, models


class CrmCnTerritory(models.Model):
    """A sales territory: provinces, product categories and brands owned by a
    salesperson and a sales team. Customers are assigned through it."""

    _name = "crm.cn.territory"
    _description = "Sales Territory"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    user_id = fields.Many2one("res.users", string="Salesperson",
                              help="Customers of this territory are assigned to this salesperson.")
    team_id = fields.Many2one("crm.team", string="Sales Team")
    state_ids = fields.Many2many("res.country.state", string="Provinces")
    country_ids = fields.Many2many("res.country", string="Countries",
                                   help="For export territories: whole countries.")
    categ_ids = fields.Many2many("product.category", string="Product Categories")
    brand_ids = fields.Many2many("crm.cn.brand", string="Brands")
    partner_ids = fields.One2many("res.partner", "cn_territory_id", string="Customers")
    partner_count = fields.Integer(compute="_compute_partner_count")
    note = fields.Text()

    _sql_constraints = [
        ("code_uniq", "unique(code)", "A territory with this code already exists."),
    ]

    def _compute_partner_count(self):
        counts = self.env["res.partner"].read_group(
            [("cn_territory_id", "in", self.ids), ("parent_id", "=", False)],
            ["cn_territory_id"], ["cn_territory_id"])
        by_territory = {row["cn_territory_id"][0]: row["cn_territory_id_count"] for row in counts}
        for territory in self:
            territory.partner_count = by_territory.get(territory.id, 0)

    def action_view_partners(self):
        action = self.env.ref("crm_cn_lifecycle.action_customers").read()[0]
        action["domain"] = [("cn_territory_id", "in", self.ids)]
        action["context"] = {"default_cn_territory_id": self[:1].id}
        return action
