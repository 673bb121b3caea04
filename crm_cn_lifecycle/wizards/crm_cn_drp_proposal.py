from odoo import _, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.drp import net_requirement, pick_setting, share_available


class CrmCnDrpProposal(models.TransientModel):
    """Propose replenishment orders for dealers from the estimated channel
    stock: one draft sale order per dealer (nothing is confirmed), and per line
    what the company's own free stock cannot cover."""

    _name = "crm.cn.drp.proposal"
    _description = "DRP Replenishment Proposal"

    dealer_ids = fields.Many2many("res.partner", string="Dealers",
                                  domain=[("cn_is_dealer", "=", True), ("is_company", "=", True)],
                                  help="Empty: every dealer with reported stock.")
    line_ids = fields.One2many("crm.cn.drp.proposal.line", "proposal_id", string="Proposal", readonly=True)
    order_ids = fields.Many2many("sale.order", string="Draft Orders", readonly=True)
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")

    def _free_stock(self, products):
        """Free quantity (on hand − reserved) per product in the company's internal locations."""
        groups = self.env["stock.quant"].read_group(
            [("product_id", "in", products.ids), ("location_id.usage", "=", "internal")],
            ["product_id", "quantity", "reserved_quantity"], ["product_id"])
        return {group["product_id"][0]: group["quantity"] - group["reserved_quantity"] for group in groups}

    def _requirements(self):
        """[(estimate row, setting, quantity)] needing a shipment, most urgent first."""
        domain = [("dealer_id", "in", self.dealer_ids.ids)] if self.dealer_ids else []
        estimates = self.env["crm.cn.channel.stock.estimate"].search(domain)
        settings = self.env["crm.cn.drp.setting"]._settings_map()
        needs = []
        for row in estimates:
            setting = pick_setting(settings, row.dealer_id.id, row.product_id.id)
            quantity = net_requirement(row.daily_sellout, row.estimated_qty, row.open_order_qty, setting)
            if quantity > 0:
                needs.append((row, quantity))
        needs.sort(key=lambda need: (need[0].stockout_date or "9999-12-31", need[0].id))
        return needs

    def action_propose(self):
        self.ensure_one()
        if not self.env.user.has_group("crm_cn_lifecycle.group_user"):
            raise AccessError(_("Only salespeople propose replenishment orders."))
        needs = self._requirements()
        if not needs:
            raise UserError(_("No dealer needs a shipment: every estimated stock covers its target."))
        products = self.env["product.product"].browse({row.product_id.id for row, _qty in needs})
        uncovered = share_available([(row.id, row.product_id.id, qty) for row, qty in needs],
                                    self._free_stock(products))
        orders = self.env["sale.order"]
        by_dealer = {}
        for row, quantity in needs:
            by_dealer.setdefault(row.dealer_id, []).append((row, quantity))
        lines = []
        for dealer, dealer_needs in by_dealer.items():
            order = self.env["sale.order"].create(self._prepare_order(dealer, dealer_needs))
            order.message_subscribe([dealer.id])  # the dealer sees and accepts it on the portal
            orders |= order
            lines += [(0, 0, {
                "dealer_id": dealer.id, "product_id": row.product_id.id,
                "estimated_qty": row.estimated_qty, "open_order_qty": row.open_order_qty,
                "daily_sellout": row.daily_sellout, "proposed_qty": quantity,
                "uncovered_qty": uncovered[row.id]}) for row, quantity in dealer_needs]
        self.write({"line_ids": lines, "order_ids": [(6, 0, orders.ids)], "state": "done"})
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
                "view_mode": "form", "target": "new", "name": _("DRP Replenishment Proposal")}

    def _prepare_order(self, dealer, needs):
        return {"partner_id": dealer.id, "cn_drp_proposal": True,
                "order_line": [(0, 0, {"product_id": row.product_id.id, "product_uom_qty": quantity})
                               for row, quantity in needs]}

    def action_view_orders(self):
        action = self.env.ref("sale.action_quotations").read()[0]
        action["domain"] = [("id", "in", self.order_ids.ids)]
        return action


class CrmCnDrpProposalLine(models.TransientModel):
    _name = "crm.cn.drp.proposal.line"
    _description = "DRP Replenishment Proposal Line"

    proposal_id = fields.Many2one("crm.cn.drp.proposal", required=True, ondelete="cascade")
    dealer_id = fields.Many2one("res.partner", string="Dealer", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    daily_sellout = fields.Float(string="Daily Sell-out", readonly=True, digits=(16, 3))
    estimated_qty = fields.Float(string="Estimated Stock", readonly=True)
    open_order_qty = fields.Float(string="Open Orders", readonly=True)
    proposed_qty = fields.Float(string="Proposed", readonly=True)
    uncovered_qty = fields.Float(string="Not Covered by Our Stock", readonly=True)
