from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.relations import creates_cycle, periods_overlap

PARTNER_FIELDS = ("left_partner_id", "right_partner_id")
# what moves a partner between groups
GROUP_FIELDS = PARTNER_FIELDS + ("type_id", "date_start", "date_end")


class CrmCnPartnerRelation(models.Model):
    """A relationship between two customers, stored once (left, type, right)
    and shown from both sides (crm.cn.partner.relation.all). Relations are
    between commercial partners: a contact given is replaced by its company."""

    _name = "crm.cn.partner.relation"
    _description = "Customer Relation"
    _order = "type_id, left_partner_id, date_start desc, id"

    left_partner_id = fields.Many2one(
        "res.partner", string="Partner", required=True, index=True, ondelete="cascade",
        domain="['|', ('is_company', '=', True), ('parent_id', '=', False)]")
    type_id = fields.Many2one("crm.cn.relation.type", string="Relation", required=True,
                              index=True, ondelete="restrict")
    right_partner_id = fields.Many2one(
        "res.partner", string="Related Partner", required=True, index=True, ondelete="cascade",
        domain="['|', ('is_company', '=', True), ('parent_id', '=', False)]")
    rolls_up = fields.Boolean(related="type_id.rolls_up", readonly=True, store=True)
    date_start = fields.Date(string="Since")
    date_end = fields.Date(string="Until", help="Leave empty while the relation lasts.")
    is_current = fields.Boolean(string="Current", compute="_compute_is_current")
    note = fields.Text()
    company_id = fields.Many2one(
        "res.company", string="Company", index=True,
        help="Leave empty for a relation every company sees.")

    @api.depends("date_start", "date_end")
    def _compute_is_current(self):
        today = fields.Date.context_today(self)
        for relation in self:
            relation.is_current = ((not relation.date_start or relation.date_start <= today)
                                   and (not relation.date_end or relation.date_end >= today))

    @api.multi
    def name_get(self):
        return [(relation.id, "%s %s %s" % (relation.left_partner_id.display_name,
                                            relation.type_id.name,
                                            relation.right_partner_id.display_name))
                for relation in self]

    # --- saving: commercial partners only -----------------------------------------
    @api.model
    def _cn_commercial_vals(self, vals):
        """Relations hold between companies (commercial partners), never contacts."""
        vals = dict(vals)
        for name in PARTNER_FIELDS:
            if vals.get(name):
                vals[name] = self.env["res.partner"].browse(vals[name]).commercial_partner_id.id
        return vals

    @api.model
    def create(self, vals):
        relation = super(CrmCnPartnerRelation, self).create(self._cn_commercial_vals(vals))
        relation.filtered("rolls_up").mapped("right_partner_id")._cn_refresh_groups()
        return relation

    @api.multi
    def write(self, vals):
        before = self.filtered("rolls_up").mapped("right_partner_id")
        result = super(CrmCnPartnerRelation, self).write(self._cn_commercial_vals(vals))
        if set(vals) & set(PARTNER_FIELDS):
            # Odoo checks the record rules before a write: a salesperson may not
            # move a relation of its own customer to two customers of others.
            self.check_access_rule("write")
        if set(vals) & set(GROUP_FIELDS):
            (before | self.filtered("rolls_up").mapped("right_partner_id"))._cn_refresh_groups()
        return result

    @api.multi
    def unlink(self):
        partners = self.filtered("rolls_up").mapped("right_partner_id")
        result = super(CrmCnPartnerRelation, self).unlink()
        partners._cn_refresh_groups()
        return result

    # --- checks ------------------------------------------------------------------
    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for relation in self:
            if relation.date_start and relation.date_end and relation.date_start > relation.date_end:
                raise ValidationError(_("The relation %(relation)s ends before it starts.") % {
                    "relation": relation.display_name})

    @api.constrains("left_partner_id", "right_partner_id")
    def _check_not_with_itself(self):
        for relation in self:
            if relation.left_partner_id == relation.right_partner_id:
                raise ValidationError(_("%(partner)s cannot have a relation with itself.") % {
                    "partner": relation.left_partner_id.display_name})

    @api.multi
    def _cn_overlapping(self, domain):
        """Other relations matching `domain` whose period overlaps this one's
        (all of them, whoever may read them: the rule is the same for everyone)."""
        self.ensure_one()
        others = self.sudo().search(domain + [("id", "!=", self.id)])
        return others.filtered(lambda other: periods_overlap(
            self.date_start, self.date_end, other.date_start, other.date_end))

    @api.constrains("left_partner_id", "type_id", "right_partner_id", "date_start", "date_end")
    def _check_no_duplicate(self):
        """The same relation twice at the same time; a relation whose two names are
        the same (same owner as) is the same whichever side is left."""
        for relation in self:
            left, right = relation.left_partner_id.id, relation.right_partner_id.id
            domain = [("type_id", "=", relation.type_id.id),
                      ("left_partner_id", "=", left), ("right_partner_id", "=", right)]
            if relation.type_id.name == relation.type_id.name_inverse:
                domain = [("type_id", "=", relation.type_id.id),
                          ("left_partner_id", "in", [left, right]),
                          ("right_partner_id", "in", [left, right])]
            if relation._cn_overlapping(domain):
                raise ValidationError(_(
                    "%(left)s is already recorded as '%(relation)s' %(right)s for these dates.") % {
                        "left": relation.left_partner_id.display_name,
                        "relation": relation.type_id.name,
                        "right": relation.right_partner_id.display_name})

    @api.constrains("left_partner_id", "type_id", "right_partner_id", "date_start", "date_end")
    def _check_group_roll_up(self):
        """A partner rolls up to one group at a time, and never to itself
        through a chain (A group of B group of A)."""
        for relation in self.filtered("type_id.rolls_up"):
            rolling = [("rolls_up", "=", True)]
            other_group = relation._cn_overlapping(
                rolling + [("right_partner_id", "=", relation.right_partner_id.id)])
            if other_group:
                raise ValidationError(_(
                    "%(partner)s already rolls up to %(group)s for these dates: "
                    "end that relation first.") % {
                        "partner": relation.right_partner_id.display_name,
                        "group": other_group[0].left_partner_id.display_name})
            edges = [(other.right_partner_id.id, other.left_partner_id.id)
                     for other in relation._cn_overlapping(rolling)]
            if creates_cycle(edges, relation.left_partner_id.id, relation.right_partner_id.id):
                raise ValidationError(_(
                    "%(left)s cannot be '%(relation)s' %(right)s: %(right)s is already above "
                    "%(left)s in its group.") % {
                        "left": relation.left_partner_id.display_name,
                        "relation": relation.type_id.name,
                        "right": relation.right_partner_id.display_name})
