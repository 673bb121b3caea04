import datetime

from odoo import _, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.bulk import bulk_create
from ..tools.drp import cut_to_budget, net_requirement, pick_setting, share_available


class CrmCnDrpProposal(models.TransientModel):
    """Propose replenishment orders for dealers from the estimated channel
    stock: one draft sale order per dealer (nothing is confirmed), cut to the
    dealer's credit headroom, and per line what the company's own free stock
    cannot cover."""

    _name = "crm.cn.drp.proposal"
    _description = "DRP Replenishment Proposal"

    dealer_ids = fields.Many2many("res.partner", string="Dealers",
                                  domain=[("cn_is_dealer", "=", True), ("is_company", "=", True)],
                                  help="Empty: every dealer with reported stock.")
    line_ids = fields.One2many("crm.cn.drp.proposal.line", "proposal_id", string="Proposal", readonly=True)
    order_ids = fields.Many2many("sale.order", string="Draft Orders", readonly=True)
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")
    queued_line_count = fields.Integer(
        string="Lines Added in the Background", readonly=True,
        help="A large proposal's order lines are added by a scheduled job within minutes "
             "(Settings > Scheduled Work in Batches shows how far it is); until then its "
             "orders cannot be accepted or confirmed.")

    def _free_stock(self, product_ids):
        """Free quantity (on hand − reserved) per product in the company's internal locations."""
        groups = self.env["stock.quant"].read_group(
            [("product_id", "in", list(product_ids)), ("location_id.usage", "=", "internal")],
            ["product_id", "quantity", "reserved_quantity"], ["product_id"])
        return {group["product_id"][0]: group["quantity"] - group["reserved_quantity"] for group in groups}

    def _requirements(self):
        """[(estimate dict, setting, quantity)] of every pair needing a shipment,
        most urgent first: all estimates read in one query, the dealers' open
        opportunities in another (when the company counts pipeline demand),
        netted in tools.drp."""
        Estimate = self.env["crm.cn.channel.stock.estimate"]
        estimates = Estimate._read_estimates(self.dealer_ids.ids)
        settings = self.env["crm.cn.drp.setting"]._settings_map()
        proposed = self._open_proposals({row["dealer_id"] for row in estimates},
                                        {row["product_id"] for row in estimates})
        grade_terms = self.env["res.partner"]._cn_grade_terms({row["dealer_id"] for row in estimates})
        pipeline = Estimate._cn_pipeline_qty({(row["dealer_id"], row["product_id"]) for row in estimates},
                                             settings, grade_terms)
        needs = []
        for row in estimates:
            key = (row["dealer_id"], row["product_id"])
            setting = pick_setting(settings, row["dealer_id"], row["product_id"], grade_terms=grade_terms)
            row["proposed_open_qty"] = proposed.get(key, 0.0)
            row["pipeline_qty"] = pipeline.get(key, 0.0)
            quantity = net_requirement(row["daily_sellout"], row["estimated_qty"],
                                       row["open_order_qty"] + row["proposed_open_qty"],
                                       setting, in_transit=row["in_transit_qty"], pipeline=row["pipeline_qty"])
            if quantity > 0:
                needs.append((row, setting, quantity))
        never = datetime.date.max
        needs.sort(key=lambda need: (need[0]["stockout_date"] or never, need[0]["id"]))
        return needs

    def _open_proposals(self, dealer_ids, product_ids):
        """{(dealer id, product id): quantity} of the DRP proposals not
        confirmed yet (draft, or accepted and waiting for the salesperson):
        already coming, so a second run does not propose it again. Read as
        superuser: another salesperson's proposal counts too."""
        if not dealer_ids or not product_ids:
            return {}
        groups = self.env["sale.order.line"].sudo().read_group(
            [("order_id.cn_drp_proposal", "=", True), ("order_id.state", "in", ("draft", "sent")),
             ("order_partner_id.commercial_partner_id", "in", list(dealer_ids)),
             ("product_id", "in", list(product_ids))],
            ["product_uom_qty", "order_partner_id", "product_id"], ["order_partner_id", "product_id"],
            lazy=False)
        partners = self.env["res.partner"].sudo().browse(
            {group["order_partner_id"][0] for group in groups})
        dealer_of = {partner.id: partner.commercial_partner_id.id for partner in partners}
        result = {}
        for group in groups:
            key = (dealer_of[group["order_partner_id"][0]], group["product_id"][0])
            result[key] = result.get(key, 0.0) + group["product_uom_qty"]
        for group in self.env["crm.cn.drp.pending.line"]._cn_waiting(dealer_ids, ("draft", "sent")):
            key = (group["dealer_id"][0], group["product_id"][0])
            result[key] = result.get(key, 0.0) + group["quantity"]
        return result

    def _open_proposal_amounts(self, dealer_ids):
        """{dealer id: value of its DRP proposals not confirmed yet, company
        currency}: they use the same credit headroom as the new proposal
        (quotations sent are in the exposure already when the company counts them)."""
        states = ("draft",) if self.env.user.company_id.cn_credit_include_quotations else ("draft", "sent")
        orders = self.env["sale.order"].sudo().search([
            ("cn_drp_proposal", "=", True), ("state", "in", states),
            ("partner_id.commercial_partner_id", "in", list(dealer_ids))])
        amounts = orders._cn_amounts_from_lines()
        result = {}
        for order in orders:
            dealer_id = order.partner_id.commercial_partner_id.id
            result[dealer_id] = result.get(dealer_id, 0.0) + amounts[order.id]
        for group in self.env["crm.cn.drp.pending.line"]._cn_waiting(dealer_ids, states):
            result[group["dealer_id"][0]] = result.get(group["dealer_id"][0], 0.0) + group["amount"]
        return result

    @staticmethod
    def _by_dealer(needs):
        """{dealer id: its needs}, each dealer's in the order given."""
        by_dealer = {}
        for need in needs:
            by_dealer.setdefault(need[0]["dealer_id"], []).append(need)
        return by_dealer

    def _credit_allowed(self, needs):
        """({estimate id: quantity within the dealer's credit headroom}, {estimate
        id: the dealer's pricelist price}), the most urgent lines first."""
        by_dealer = self._by_dealer(needs)
        dealers = self.env["res.partner"].browse(list(by_dealer))
        figures = dealers._cn_credit_figures()
        proposed = self._open_proposal_amounts(dealers.ids)
        prices = self._prices(dealers, {row["product_id"] for row, _setting, _qty in needs})
        allowed, row_prices = {}, {}
        for dealer in dealers:
            dealer_needs = by_dealer[dealer.id]
            dealer_prices = prices[dealer.property_product_pricelist.id]
            row_prices.update((row["id"], dealer_prices.get(row["product_id"], 0.0)) for row, _s, _q in dealer_needs)
            headroom = (figures.get(dealer.id) or {}).get("headroom")
            if headroom is not None:
                headroom -= proposed.get(dealer.id, 0.0)
            allowed.update(cut_to_budget(
                [(row["id"], quantity, row_prices[row["id"]], setting.pack_multiple)
                 for row, setting, quantity in dealer_needs], headroom))
        return allowed, row_prices

    def _prices(self, dealers, product_ids):
        """{pricelist id (False: none): {product id: unit price}} of the dealers'
        pricelists, computed once per pricelist (Odoo's rules depend on the
        pricelist, product, quantity and date, not on the partner, which they
        only pass on); the list price without a pricelist."""
        products = self.env["product.product"].browse(list(product_ids))
        result = {}
        for dealer in dealers:
            pricelist = dealer.property_product_pricelist
            if pricelist.id in result:
                continue
            result[pricelist.id] = pricelist.get_products_price(
                products, [1.0] * len(products), [dealer] * len(products)) if pricelist else {
                product.id: product.lst_price for product in products}
        return result

    def action_propose(self):
        self.ensure_one()
        if not self.env.user.has_group("crm_cn_lifecycle.group_user"):
            raise AccessError(_("Only salespeople propose replenishment orders."))
        needs = self._requirements()
        if not needs:
            raise UserError(_("No dealer needs a shipment: every estimated stock covers its target."))
        allowed, prices = self._credit_allowed(needs)
        uncovered = share_available(
            [(row["id"], row["product_id"], allowed[row["id"]]) for row, _setting, _qty in needs],
            self._free_stock({row["product_id"] for row, _setting, _qty in needs}))
        orders, waiting = self.env["sale.order"], []
        for dealer_id, dealer_needs in self._by_dealer(needs).items():
            ordered = [(row, setting) for row, setting, _qty in dealer_needs if allowed[row["id"]] > 0]
            if ordered:
                # the order's "created" message, no tracking of its first values (half
                # of its cost: every dealer's proposal is 500 orders at full size)
                order = self.env["sale.order"].with_context(mail_notrack=True).create(
                    {"partner_id": dealer_id, "cn_drp_proposal": True})
                order.message_subscribe([dealer_id])  # the dealer sees and accepts it on the portal
                orders |= order
                waiting += [{"order_id": order.id, "dealer_id": dealer_id, "product_id": row["product_id"],
                             "quantity": allowed[row["id"]], "pack_multiple": setting.pack_multiple,
                             "amount": allowed[row["id"]] * prices[row["id"]]} for row, setting in ordered]
        bulk_create(self.env["crm.cn.drp.proposal.line"], [
            self._prepare_line(row, quantity, allowed[row["id"]], uncovered[row["id"]])
            for row, _setting, quantity in needs])
        queued = self.env["crm.cn.drp.pending.line"]._cn_queue(waiting)
        self.write({"order_ids": [(6, 0, orders.ids)], "state": "done", "queued_line_count": queued})
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
                "view_mode": "form", "target": "new", "name": _("DRP Replenishment Proposal")}

    def _prepare_line(self, row, quantity, allowed, uncovered):
        return {"proposal_id": self.id, "dealer_id": row["dealer_id"], "product_id": row["product_id"],
                "estimated_qty": row["estimated_qty"], "in_transit_qty": row["in_transit_qty"],
                "open_order_qty": row["open_order_qty"], "proposed_open_qty": row["proposed_open_qty"],
                "pipeline_qty": row["pipeline_qty"], "daily_sellout": row["daily_sellout"], "proposed_qty": quantity,
                "credit_cut_qty": quantity - allowed, "uncovered_qty": uncovered}

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
    pipeline_qty = fields.Float(string="Pipeline Demand", readonly=True,
                                help="The dealer's open opportunities for the product, weighted by win "
                                     "probability, expected within the lead time and target cover: "
                                     "added to the demand.")
    in_transit_qty = fields.Float(string="In Transit", readonly=True)
    open_order_qty = fields.Float(string="Open Orders", readonly=True)
    proposed_open_qty = fields.Float(string="Already Proposed", readonly=True,
                                     help="In replenishment proposals not confirmed yet: counted as coming.")
    proposed_qty = fields.Float(string="Proposed", readonly=True,
                                help="The net requirement, in whole packs.")
    credit_cut_qty = fields.Float(string="Cut for Credit", readonly=True,
                                  help="Left out of the draft order: beyond the dealer's credit headroom.")
    uncovered_qty = fields.Float(string="Not Covered by Our Stock", readonly=True)
