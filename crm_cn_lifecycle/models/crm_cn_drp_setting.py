import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.drp import ADJUST_LIMIT, DEFAULT_SETTING, Adjustment, Setting, check_adjustments


class CrmCnDrpSetting(models.Model):
    """Replenishment settings of the channel: per dealer and product, per dealer,
    per product, or for everything (both empty). The most specific one applies."""

    _name = "crm.cn.drp.setting"
    _description = "DRP Replenishment Setting"
    _order = "dealer_id, product_id"

    dealer_id = fields.Many2one("res.partner", string="Dealer", index=True, ondelete="cascade",
                                domain=[("cn_is_dealer", "=", True), ("is_company", "=", True)],
                                help="Empty: every dealer.")
    product_id = fields.Many2one("product.product", string="Product", index=True, ondelete="cascade",
                                 help="Empty: every product.")
    target_weeks = fields.Float(string="Target Weeks of Cover", default=DEFAULT_SETTING.target_weeks)
    lead_time_days = fields.Integer(string="Lead Time (Days)", default=DEFAULT_SETTING.lead_time_days)
    safety_qty = fields.Float(string="Safety Stock", default=DEFAULT_SETTING.safety_qty)
    pack_multiple = fields.Float(default=DEFAULT_SETTING.pack_multiple,
                                 help="Proposals are rounded up to a whole number of packs.")

    _sql_constraints = [
        ("dealer_product_unique", "unique(dealer_id, product_id)",
         "There is already a setting for this dealer and product."),
        ("values_positive", "CHECK(target_weeks >= 0 AND lead_time_days >= 0 AND safety_qty >= 0 "
                            "AND pack_multiple >= 0)", "Settings cannot be negative."),
    ]

    @api.model
    def _settings_map(self):
        """(dealer id or None, product id or None) -> Setting, for tools.drp.pick_setting."""
        rows = self.search_read([], ["dealer_id", "product_id", "target_weeks", "lead_time_days",
                                     "safety_qty", "pack_multiple"])
        return {(row["dealer_id"] and row["dealer_id"][0] or None,
                 row["product_id"] and row["product_id"][0] or None):
                Setting(row["target_weeks"], row["lead_time_days"], row["safety_qty"], row["pack_multiple"])
                for row in rows}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    cn_drp_proposal = fields.Boolean(string="DRP Proposal", readonly=True, copy=False,
                                     help="Proposed by the DRP replenishment wizard.")

    @api.multi
    def cn_action_accept_proposal(self, quantities=None):
        """The dealer accepts a DRP proposal, with its own quantities if it
        adjusts them ({order line id: quantity}, 0 to twice the proposed
        quantity, in whole packs): the draft becomes a quotation sent, for the
        salesperson to confirm. Only the dealer's own portal users, or a user
        who may change the order, accept; a proposal already accepted stays as
        it is (a double click or a replayed request changes nothing)."""
        self.check_access_rights("read")
        self.check_access_rule("read")
        self._cn_check_may_accept_proposal()
        for order in self:
            if not order.cn_drp_proposal or order.state not in ("draft", "sent", "sale", "done"):
                raise UserError(_("Only a draft replenishment proposal can be accepted."))
        todo = self.filtered(lambda order: order.state == "draft")
        if not todo:
            return True
        todo._cn_lock_proposals()
        if quantities:
            todo.ensure_one()
            todo._cn_adjust_proposal(quantities)
        todo.sudo().write({"state": "sent"})
        for order in todo.sudo():
            order.message_post(body=_("Replenishment proposal accepted by %s.") % self.env.user.name)
        return True

    @api.multi
    def _cn_lock_proposals(self):
        """Lock the proposals being accepted, or refuse: the same acceptance sent
        twice at once (a double click, two servers) is done by one request only;
        the other fails cleanly instead of accepting again or failing on the write."""
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute("SELECT id FROM sale_order WHERE id IN %s FOR UPDATE NOWAIT",
                                    [tuple(self.ids)], log_exceptions=False)
        except (psycopg2.OperationalError, psycopg2.extensions.TransactionRollbackError):
            raise UserError(_("This proposal is being accepted in another window or was just accepted: "
                              "reload the page to see it."))

    @api.multi
    def _cn_check_may_accept_proposal(self):
        """Refuse (AccessError) a user who is neither a portal user of the
        proposal's dealer nor allowed to write the order (an accountant reads
        orders but may not change them)."""
        user = self.env.user
        foreign = self.filtered(lambda order: not (
            user.share and order.partner_id.commercial_partner_id == user.commercial_partner_id))
        if not foreign:
            return
        message = _("Only the dealer of a replenishment proposal, or a user who may change "
                    "the order, can accept it.")
        if not foreign.check_access_rights("write", raise_exception=False):
            raise AccessError(message)
        try:
            foreign.check_access_rule("write")
        except AccessError:
            raise AccessError(message)

    def _cn_adjust_proposal(self, quantities):
        """Check every adjusted quantity first (nothing is written if one is wrong),
        then set them; lines brought to zero are left out of the order."""
        lines = self.sudo().order_line
        quantities = {str(key): value for key, value in quantities.items()}
        unknown = set(quantities) - {str(line.id) for line in lines}
        if unknown:
            raise UserError(_("These lines are not in proposal %(order)s: %(lines)s") % {
                "order": self.name, "lines": ", ".join(sorted(unknown))})
        adjustments = [Adjustment(str(line.id), line.cn_proposed_qty or line.product_uom_qty,
                                  line.cn_pack_multiple) for line in lines]
        result, problems = check_adjustments(adjustments, quantities)
        if problems:
            by_key = {str(line.id): line for line in lines}
            messages = {
                "quantity": _("%(product)s: '%(value)s' is not a quantity"),
                "range": _("%(product)s: %(value)s is outside 0 to %(limit)s"),
                "multiple": _("%(product)s: %(value)s is not a whole number of packs of %(limit)s"),
            }
            rows = []
            for key, code, value in problems:
                line = by_key[key]
                limit = {"range": ADJUST_LIMIT * (line.cn_proposed_qty or line.product_uom_qty),
                         "multiple": line.cn_pack_multiple}.get(code)
                rows.append(messages[code] % {"product": line.product_id.display_name, "value": value,
                                              "limit": limit})
            raise UserError(_("Nothing was changed: fix these quantities.\n%s") % "\n".join(rows))
        if not any(result.values()):
            raise UserError(_("Keep at least one product in the order, or leave the proposal unaccepted."))
        for line in lines:
            quantity = result[str(line.id)]
            if quantity != line.product_uom_qty:
                line.write({"product_uom_qty": quantity})
        lines.filtered(lambda line: not line.product_uom_qty).unlink()


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    cn_proposed_qty = fields.Float(string="DRP Proposed Quantity", readonly=True, copy=False,
                                   help="What the DRP wizard proposed; the dealer may order 0 to twice as much.")
    cn_pack_multiple = fields.Float(string="DRP Pack Multiple", readonly=True, copy=False,
                                    help="The dealer's adjusted quantity must be a whole number of these packs.")
