from odoo import api, fields, models, tools


class CrmCnPartnerRelationAll(models.Model):
    """Each relation twice, once from each partner: this partner, the relation
    as it sees it (the type's name, or its inverse name on the right side) and
    the other partner. Read-only; relations are edited as crm.cn.partner.relation."""

    _name = "crm.cn.partner.relation.all"
    _description = "Customer Relation (both sides)"
    _auto = False
    _order = "this_partner_id, type_id, is_inverse, date_start desc, id"

    relation_id = fields.Many2one("crm.cn.partner.relation", string="Relation", readonly=True)
    this_partner_id = fields.Many2one("res.partner", string="Partner", readonly=True)
    type_id = fields.Many2one("crm.cn.relation.type", string="Relation Type", readonly=True)
    is_inverse = fields.Boolean(
        string="Right Side", readonly=True,
        help="Seen from the right partner of the relation: the type's inverse name applies.")
    type_label = fields.Char(string="Relation", compute="_compute_type_label")
    other_partner_id = fields.Many2one("res.partner", string="Related Partner", readonly=True)
    date_start = fields.Date(string="Since", readonly=True)
    date_end = fields.Date(string="Until", readonly=True)
    is_current = fields.Boolean(string="Current", readonly=True)
    rolls_up = fields.Boolean(string="Group Roll-up", readonly=True)
    note = fields.Text(readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)

    @api.depends("type_id", "is_inverse")
    def _compute_type_label(self):
        for row in self:
            row.type_label = row.type_id.name_inverse if row.is_inverse else row.type_id.name

    @api.multi
    def name_get(self):
        return [(row.id, "%s %s %s" % (row.this_partner_id.display_name, row.type_label,
                                       row.other_partner_id.display_name)) for row in self]

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE VIEW crm_cn_partner_relation_all AS
            SELECT r.id * 2 + s.inverse::int AS id, r.id AS relation_id,
                   CASE WHEN s.inverse THEN r.right_partner_id ELSE r.left_partner_id END
                       AS this_partner_id,
                   CASE WHEN s.inverse THEN r.left_partner_id ELSE r.right_partner_id END
                       AS other_partner_id,
                   r.type_id, s.inverse AS is_inverse, r.date_start, r.date_end,
                   (r.date_start IS NULL OR r.date_start <= CURRENT_DATE)
                       AND (r.date_end IS NULL OR r.date_end >= CURRENT_DATE) AS is_current,
                   r.rolls_up, r.note, r.company_id
              FROM crm_cn_partner_relation r
             CROSS JOIN (VALUES (FALSE), (TRUE)) AS s(inverse)
        """)

    @api.multi
    def action_open_relation(self):
        """The relation itself, to edit it."""
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "crm.cn.partner.relation",
                "res_id": self.relation_id.id, "view_mode": "form", "target": "current"}
