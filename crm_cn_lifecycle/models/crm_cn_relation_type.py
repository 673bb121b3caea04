from odoo import api, fields, models


class CrmCnRelationType(models.Model):
    """A kind of relationship between two customers, named from both sides
    (group of / subsidiary of, buys through dealer / sells to ...)."""

    _name = "crm.cn.relation.type"
    _description = "Customer Relation Type"
    _order = "sequence, id"

    name = fields.Char(
        required=True, translate=True,
        help="The relation as the left partner sees it, e.g. 'Group of'.")
    name_inverse = fields.Char(
        string="Inverse Name", required=True, translate=True,
        help="The relation as the right partner sees it, e.g. 'Subsidiary of'.")
    code = fields.Char(help="A fixed key for reports and integrations.")
    sequence = fields.Integer(default=10)
    rolls_up = fields.Boolean(
        string="Group Roll-up",
        help="Revenue of the right partner rolls up to the left one in the "
             "pyramid when group roll-up is chosen.")
    active = fields.Boolean(default=True)
    note = fields.Text()

    _sql_constraints = [
        ("code_uniq", "unique(code)", "A relation type with this code already exists."),
    ]

    @api.multi
    def name_get(self):
        """With `cn_inverse_names` in the context, the names as the right partner
        sees them (the partner form's list of relations to a partner)."""
        if self.env.context.get("cn_inverse_names"):
            return [(kind.id, kind.name_inverse) for kind in self]
        return super(CrmCnRelationType, self).name_get()

    @api.model
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        if self.env.context.get("cn_inverse_names") and name:
            kinds = self.search([("name_inverse", operator, name)] + list(args or []), limit=limit)
            return kinds.name_get()
        return super(CrmCnRelationType, self).name_search(name, args=args, operator=operator,
                                                          limit=limit)

    @api.multi
    def write(self, vals):
        """A type that starts or stops rolling up moves the partners of its relations."""
        result = super(CrmCnRelationType, self).write(vals)
        if "rolls_up" in vals or "active" in vals:
            relations = self.env["crm.cn.partner.relation"].sudo().search([("type_id", "in", self.ids)])
            relations.mapped("right_partner_id")._cn_refresh_groups()
        return result
