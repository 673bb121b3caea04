import datetime

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    """Deliveries open service tickets, and installation tickets when validated."""
    _inherit = "stock.picking"

    cn_received_date = fields.Date(
        string="Received by Dealer", copy=False, readonly=True,
        help="The day the dealer confirmed it received this delivery. For a dealer that "
             "confirms receipts, the delivery is in transit until then.")

    @api.multi
    def action_cn_confirm_receipt(self):
        """The customer received these deliveries today (those already confirmed keep
        their date). Only done deliveries to a customer can be received."""
        wrong = self.filtered(lambda picking: picking.state != "done" or not picking.partner_id
                              or picking.location_dest_id.usage != "customer")
        if wrong:
            raise UserError(_("Only done deliveries to a customer can be confirmed as received: %s")
                            % ", ".join(wrong.mapped("name")))
        pending = self.filtered(lambda picking: not picking.cn_received_date)
        pending.write({"cn_received_date": fields.Date.context_today(self)})
        return True

    @api.multi
    def _cn_prepare_ticket_defaults(self):
        self.ensure_one()
        lines = self.move_line_ids
        products = lines.mapped("product_id") or self.move_lines.mapped("product_id")
        lots = lines.mapped("lot_id")
        return {
            "default_partner_id": self.partner_id.id,
            "default_cn_sale_order_id": self.sale_id.id,
            "default_cn_picking_id": self.id,
            "default_cn_product_id": products.id if len(products) == 1 else False,
            "default_cn_lot_id": lots.id if len(lots) == 1 else False,
        }

    @api.multi
    def action_cn_create_ticket(self):
        """A new service ticket about this delivery, for its customer."""
        return {"type": "ir.actions.act_window", "res_model": "helpdesk.ticket",
                "view_mode": "form", "views": [(False, "form")], "target": "current",
                "context": self._cn_prepare_ticket_defaults()}

    @api.multi
    def action_done(self):
        result = super(StockPicking, self).action_done()
        self._cn_create_installation_tickets()
        return result

    @api.multi
    def _cn_prepare_installation_ticket(self, product, lots, team):
        self.ensure_one()
        delay = self.company_id.cn_installation_delay_days
        done = fields.Datetime.from_string(self.date_done) if self.date_done else datetime.datetime.now()
        return {
            "name": _("Install %s") % product.display_name,
            "partner_id": self.partner_id.id,
            "team_id": team.id,
            "cn_is_installation": True,
            "cn_picking_id": self.id,
            "cn_sale_order_id": self.sale_id.id,
            "cn_product_id": product.id,
            "cn_lot_id": lots.id if len(lots) == 1 else False,
            "cn_planned_date": fields.Date.to_string(done.date() + datetime.timedelta(days=delay)),
            "company_id": self.company_id.id,
        }

    @api.multi
    def _cn_create_installation_tickets(self):
        """One installation ticket per delivered product that needs installing; never twice."""
        pickings = self.filtered(lambda p: p.state == "done" and p.partner_id
                                 and p.location_dest_id.usage == "customer")
        if not pickings:
            return self.env["helpdesk.ticket"]
        Ticket = self.env["helpdesk.ticket"].sudo()
        existing = {(ticket.cn_picking_id.id, ticket.cn_product_id.id) for ticket in Ticket.search(
            [("cn_picking_id", "in", pickings.ids), ("cn_is_installation", "=", True)])}
        created = Ticket.browse()
        for picking in pickings:
            lines = picking.move_line_ids.filtered(
                lambda line: line.qty_done > 0 and line.product_id.cn_needs_installation)
            team = picking.company_id.cn_service_team_id or Ticket.env["helpdesk.ticket.team"].search([], limit=1)
            for product in lines.mapped("product_id"):
                if (picking.id, product.id) in existing:
                    continue
                lots = lines.filtered(lambda line: line.product_id == product).mapped("lot_id")
                created |= Ticket.create(picking._cn_prepare_installation_ticket(product, lots, team))
        return created
