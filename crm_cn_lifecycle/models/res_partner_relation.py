from odoo import _, api, fields, models

from ..tools.relations import descendants, group_tops, parent_map


class ResPartner(models.Model):
    """Relations with other customers, seen from this partner, and the top of
    its group (the chain of roll-up relations: group of / subsidiary of)."""

    _inherit = "res.partner"

    cn_relation_left_ids = fields.One2many(
        "crm.cn.partner.relation", "left_partner_id", string="Relations (left)",
        groups="base.group_user")
    cn_relation_right_ids = fields.One2many(
        "crm.cn.partner.relation", "right_partner_id", string="Relations (right)",
        groups="base.group_user")
    cn_relation_all_ids = fields.One2many(
        "crm.cn.partner.relation.all", "this_partner_id", string="Relations",
        groups="base.group_user")
    cn_relation_count = fields.Integer(
        string="Relation Count", compute="_compute_cn_relation_count", groups="base.group_user")
    cn_group_partner_id = fields.Many2one(
        "res.partner", string="Group", compute="_compute_cn_group_partner_id", store=True,
        index=True, compute_sudo=True,
        help="The top of this customer's group along its current roll-up relations "
             "(group of / subsidiary of); the customer itself when it belongs to no group.")

    @api.depends("cn_relation_left_ids", "cn_relation_right_ids")
    def _compute_cn_relation_count(self):
        Relation = self.env["crm.cn.partner.relation"]
        ids = self.mapped("commercial_partner_id").ids
        counts = dict.fromkeys(ids, 0)
        for side in ("left_partner_id", "right_partner_id"):
            for row in Relation.read_group([(side, "in", ids)], [side], [side]):
                counts[row[side][0]] += row["%s_count" % side]
        for partner in self:
            partner.cn_relation_count = counts.get(partner.commercial_partner_id.id, 0)

    @api.depends("commercial_partner_id", "cn_relation_right_ids.left_partner_id",
                 "cn_relation_right_ids.rolls_up", "cn_relation_right_ids.date_start",
                 "cn_relation_right_ids.date_end")
    def _compute_cn_group_partner_id(self):
        """Contacts share their company's group; see _cn_rollup_map. The partners
        below a changed relation follow through _cn_refresh_groups (a dependency
        on the field itself would loop over an ended relation closing a circle)."""
        tops = self._cn_rollup_map(self.mapped("commercial_partner_id").ids)
        for partner in self:
            commercial = partner.commercial_partner_id.id or partner.id
            partner.cn_group_partner_id = tops.get(commercial, commercial)

    @api.model
    def _cn_rollup_map(self, partner_ids, date=None):
        """{partner id: id of the top of its group} on `date` (default today),
        following the roll-up relations that hold that day; a partner in no group
        maps to itself. Partners are commercial partners (the pyramid's customers).
        One query, whatever the number of partners."""
        day = date or fields.Date.context_today(self)
        self.env.cr.execute("""
            SELECT r.right_partner_id, r.left_partner_id
              FROM crm_cn_partner_relation r
              JOIN crm_cn_relation_type t ON t.id = r.type_id
             WHERE t.rolls_up AND t.active
               AND (r.date_start IS NULL OR r.date_start <= %(day)s)
               AND (r.date_end IS NULL OR r.date_end >= %(day)s)
             ORDER BY r.date_start NULLS FIRST, r.id
        """, {"day": day})
        return group_tops(parent_map(self.env.cr.fetchall()), [pid for pid in partner_ids if pid])

    @api.multi
    def _cn_refresh_groups(self):
        """Recompute the group of these partners, of every partner below them
        (along roll-up relations, whatever their dates) and of their contacts."""
        self.env.cr.execute("SELECT right_partner_id, left_partner_id FROM crm_cn_partner_relation "
                            "WHERE rolls_up")
        below = descendants(self.env.cr.fetchall(), self.ids)
        partners = self.sudo().with_context(active_test=False).search(
            [("commercial_partner_id", "in", sorted(below))])
        self.env.add_todo(self._fields["cn_group_partner_id"], partners)
        self.recompute()

    @api.model
    def _cron_cn_update_groups(self):
        """Daily: roll-up relations that start or end with the calendar move
        their partners between groups (a date passing writes nothing); the
        partners below them and their contacts follow (_cn_refresh_groups)."""
        self.env.cr.execute("SELECT DISTINCT right_partner_id FROM crm_cn_partner_relation "
                            "WHERE rolls_up")
        self.browse([row[0] for row in self.env.cr.fetchall()])._cn_refresh_groups()
        return True

    @api.multi
    def action_cn_view_relations(self):
        """The relations of this customer (its company), both sides; new ones start from it."""
        self.ensure_one()
        partner = self.commercial_partner_id
        action = self.env.ref("crm_cn_lifecycle.action_partner_relations").read()[0]
        action["domain"] = ["|", ("left_partner_id", "=", partner.id),
                            ("right_partner_id", "=", partner.id)]
        action["context"] = {"default_left_partner_id": partner.id}
        action["display_name"] = action["name"] = _("Relations of %(partner)s") % {
            "partner": partner.display_name}
        return action
