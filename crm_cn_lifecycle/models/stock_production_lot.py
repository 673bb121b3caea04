from odoo import api, fields, models

from ..tools.warranty import warranty_end


class StockProductionLot(models.Model):
    """Serials delivered to customers: to whom, when, and until when they are under warranty."""
    _inherit = "stock.production.lot"

    cn_customer_id = fields.Many2one(
        "res.partner", string="Delivered to", compute="_compute_cn_delivery")
    cn_delivery_date = fields.Date(string="Delivery Date", compute="_compute_cn_delivery")
    cn_warranty_end = fields.Date(string="Warranty End", compute="_compute_cn_delivery")

    @api.multi
    def _cn_customer_deliveries(self):
        """{lot id: [(commercial partner id, delivery date string)]} of the lots' done deliveries
        to customer locations, latest first; one query for the whole recordset."""
        deliveries = {}
        if not self.ids:
            return deliveries
        self.env.cr.execute("""
            SELECT sml.lot_id, partner.commercial_partner_id, MAX(sml.date)
              FROM stock_move_line sml
              JOIN stock_location dest ON dest.id = sml.location_dest_id
              JOIN stock_picking picking ON picking.id = sml.picking_id
              JOIN res_partner partner ON partner.id = picking.partner_id
             WHERE sml.lot_id IN %s AND sml.state = 'done' AND dest.usage = 'customer'
          GROUP BY sml.lot_id, partner.commercial_partner_id
          ORDER BY MAX(sml.date) DESC
        """, (tuple(self.ids),))
        for lot_id, partner_id, date in self.env.cr.fetchall():
            deliveries.setdefault(lot_id, []).append((partner_id, date and str(date)[:10]))
        return deliveries

    @api.multi
    def _compute_cn_delivery(self):
        deliveries = self._cn_customer_deliveries()
        for lot in self:
            partner_id, date = (deliveries.get(lot.id) or [(False, False)])[0]
            lot.cn_customer_id = partner_id
            lot.cn_delivery_date = date
            end = warranty_end(fields.Date.from_string(date) if date else None,
                               lot.product_id.product_tmpl_id._cn_get_warranty_months())
            lot.cn_warranty_end = fields.Date.to_string(end) if end else False
