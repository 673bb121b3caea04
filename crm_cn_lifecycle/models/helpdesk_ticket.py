from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.warranty import NO_WARRANTY, OUT_OF_WARRANTY, warranty_end, warranty_state

WARRANTY_STATES = [("in", "In Warranty"), ("out", "Out of Warranty"), ("none", "No Warranty")]


class HelpdeskTicket(models.Model):
    """Service tickets tied to what was sold: order, product, serial, and its warranty."""
    _inherit = "helpdesk.ticket"

    cn_sale_order_id = fields.Many2one("sale.order", string="Sales Order", index=True)
    cn_picking_id = fields.Many2one("stock.picking", string="Delivery", index=True)
    cn_product_id = fields.Many2one("product.product", string="Product", index=True)
    cn_lot_id = fields.Many2one("stock.production.lot", string="Serial Number", index=True)
    cn_is_installation = fields.Boolean(string="Installation", readonly=True)
    cn_planned_date = fields.Date(string="Planned Date")
    cn_delivery_date = fields.Date(string="Delivered On", compute="_compute_cn_warranty")
    cn_warranty_end = fields.Date(string="Warranty End", compute="_compute_cn_warranty")
    cn_warranty_state = fields.Selection(WARRANTY_STATES, string="Warranty",
                                         compute="_compute_cn_warranty")
    cn_quotation_id = fields.Many2one("sale.order", string="Quotation", readonly=True, copy=False)

    @api.onchange("cn_lot_id")
    def _onchange_cn_lot_id(self):
        if self.cn_lot_id:
            self.cn_product_id = self.cn_lot_id.product_id

    @api.multi
    def _cn_delivery_dates(self):
        """{ticket id: delivery date string} from the serial's delivery to the customer,
        else from the order's done deliveries of the product."""
        lots = self.mapped("cn_lot_id")
        lot_deliveries = lots.sudo()._cn_customer_deliveries()
        orders = self.filtered(lambda ticket: not ticket.cn_lot_id).mapped("cn_sale_order_id")
        order_dates = {}
        if orders:
            moves = self.env["stock.move"].sudo().search([
                ("sale_line_id.order_id", "in", orders.ids), ("state", "=", "done"),
                ("location_dest_id.usage", "=", "customer")], order="date")
            for move in moves:
                order_dates.setdefault((move.sale_line_id.order_id.id, move.product_id.id), move.date)
        dates = {}
        for ticket in self:
            commercial = ticket.partner_id.commercial_partner_id.id
            if ticket.cn_lot_id:
                dates[ticket.id] = next((date for partner_id, date in lot_deliveries.get(ticket.cn_lot_id.id, [])
                                         if partner_id == commercial), False)
            else:
                date = order_dates.get((ticket.cn_sale_order_id.id, ticket.cn_product_id.id))
                dates[ticket.id] = date and date[:10]
        return dates

    @api.multi
    @api.depends("cn_lot_id", "cn_product_id", "cn_sale_order_id", "partner_id")
    def _compute_cn_warranty(self):
        dates = self._cn_delivery_dates()
        today = fields.Date.from_string(fields.Date.context_today(self))
        for ticket in self:
            date = dates.get(ticket.id)
            product = ticket.cn_product_id or ticket.cn_lot_id.product_id
            months = product.product_tmpl_id._cn_get_warranty_months() if product else 0
            end = warranty_end(fields.Date.from_string(date) if date else None, months)
            ticket.cn_delivery_date = date or False
            ticket.cn_warranty_end = fields.Date.to_string(end) if end else False
            ticket.cn_warranty_state = warranty_state(end, today) if product else NO_WARRANTY

    @api.multi
    @api.constrains("cn_lot_id", "cn_product_id", "cn_sale_order_id", "partner_id")
    def _check_cn_sold_to_customer(self):
        """A ticket names only an order, product or serial that went to its customer."""
        tickets = self.filtered(lambda t: t.cn_lot_id or t.cn_product_id or t.cn_sale_order_id)
        if not tickets:
            return
        lot_deliveries = tickets.mapped("cn_lot_id").sudo()._cn_customer_deliveries()
        for ticket in tickets:
            commercial = ticket.partner_id.commercial_partner_id
            if not commercial:
                raise ValidationError(_("Ticket %s: choose the customer before the order, product "
                                        "or serial number.") % ticket.number)
            order = ticket.cn_sale_order_id.sudo()
            if order and order.partner_id.commercial_partner_id != commercial:
                raise ValidationError(_("Ticket %s: order %s was not placed by %s.")
                                      % (ticket.number, order.name, commercial.display_name))
            lot = ticket.cn_lot_id.sudo()
            if lot:
                if ticket.cn_product_id and lot.product_id != ticket.cn_product_id:
                    raise ValidationError(_("Ticket %s: serial number %s is not a %s.")
                                          % (ticket.number, lot.name, ticket.cn_product_id.display_name))
                if commercial.id not in [partner_id for partner_id, _date in lot_deliveries.get(lot.id, [])]:
                    raise ValidationError(_("Ticket %s: serial number %s was never delivered to %s.")
                                          % (ticket.number, lot.name, commercial.display_name))
            product = ticket.cn_product_id or lot.product_id
            if product and not self.env["sale.order.line"].sudo().search_count([
                    ("product_id", "=", product.id), ("state", "in", ("sale", "done")),
                    ("order_id.partner_id", "child_of", commercial.id)]):
                raise ValidationError(_("Ticket %s: %s was never sold to %s.")
                                      % (ticket.number, product.display_name, commercial.display_name))

    @api.model
    def create(self, vals):
        ticket = super(HelpdeskTicket, self).create(vals)
        if ticket.partner_id and (ticket.cn_sale_order_id or ticket.cn_picking_id or ticket.cn_lot_id):
            # the customer follows its own after-sales ticket, which shows it on its portal
            ticket.message_subscribe(partner_ids=ticket.partner_id.ids)
        return ticket

    @api.multi
    def _cn_prepare_quotation(self):
        self.ensure_one()
        product = self.cn_product_id or self.cn_lot_id.product_id
        previous = self.cn_sale_order_id
        return {
            "partner_id": self.partner_id.commercial_partner_id.id,
            "origin": self.number,
            "cn_service_ticket_id": self.id,
            "campaign_id": previous.campaign_id.id,
            "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1.0})],
        }

    @api.multi
    def action_cn_create_quotation(self):
        """One click from an out-of-warranty ticket to a quotation for the customer."""
        self.ensure_one()
        if self.cn_quotation_id:
            raise UserError(_("Ticket %s already has quotation %s.") % (self.number, self.cn_quotation_id.name))
        if not (self.cn_product_id or self.cn_lot_id):
            raise UserError(_("Ticket %s names no product to quote.") % self.number)
        if self.cn_warranty_state != OUT_OF_WARRANTY:
            raise UserError(_("Ticket %s is not out of warranty: the repair is not charged.") % self.number)
        order = self.env["sale.order"].create(self._cn_prepare_quotation())
        # salespeople who quote may only read tickets: the link back is the system's
        self.sudo().cn_quotation_id = order
        return {"type": "ir.actions.act_window", "res_model": "sale.order", "res_id": order.id,
                "view_mode": "form", "views": [(False, "form")], "target": "current"}
