from odoo import api, fields, models


class CrmCnForwardRule(models.Model):
    """A lead-forwarding rule: leads of these provinces/countries, product
    categories and brands go to these dealers (none named: the dealers of the
    lead's own province). Rules are tried in sequence; the first that fits decides."""

    _name = "crm.cn.forward.rule"
    _description = "Lead Forwarding Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", string="Company",
                                 default=lambda self: self.env.user.company_id)
    territory_id = fields.Many2one(
        "crm.cn.territory", string="Sales Territory", ondelete="restrict",
        help="Adds the territory's provinces, countries, product categories and brands to the rule.")
    state_ids = fields.Many2many("res.country.state", "crm_cn_forward_rule_state_rel", "rule_id",
                                "state_id", string="Provinces",
                                help="Leads of these provinces; empty (and no country): any place.")
    country_ids = fields.Many2many("res.country", "crm_cn_forward_rule_country_rel", "rule_id",
                                  "country_id", string="Countries",
                                  help="Leads of these countries (export leads without a province).")
    categ_ids = fields.Many2many("product.category", "crm_cn_forward_rule_categ_rel", "rule_id",
                                "categ_id", string="Product Categories",
                                help="Leads about these product categories; empty: any.")
    brand_ids = fields.Many2many("crm.cn.brand", "crm_cn_forward_rule_brand_rel", "rule_id",
                                "brand_id", string="Brands", help="Leads about these brands; empty: any.")
    dealer_ids = fields.Many2many(
        "res.partner", "crm_cn_forward_rule_dealer_rel", "rule_id", "dealer_id", string="Dealers",
        domain=[("cn_is_dealer", "=", True), ("parent_id", "=", False)],
        help="Dealers this rule offers leads to (best forwarding priority and fewest open "
             "offers first); empty: the dealers located in the lead's province.")
    note = fields.Text()

    @api.multi
    def _cn_rule_data(self):
        """The rules as plain dicts for tools/lead_forward.py (territories merged in)."""
        rules = []
        for rule in self:
            territory = rule.territory_id
            rules.append({
                "id": rule.id,
                "state_ids": set((rule.state_ids | territory.state_ids).ids),
                "country_ids": set((rule.country_ids | territory.country_ids).ids),
                "categ_ids": set((rule.categ_ids | territory.categ_ids).ids),
                "brand_ids": set((rule.brand_ids | territory.brand_ids).ids),
                "dealer_ids": set(rule.dealer_ids.ids),
            })
        return rules
