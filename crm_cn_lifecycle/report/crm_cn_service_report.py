from odoo import fields, models, tools

WARRANTY_STATES = [("in", "In Warranty"), ("out", "Out of Warranty"), ("none", "No Warranty")]


class CrmCnServiceReport(models.Model):
    """After-sales service analysis, one row per ticket: product and serial,
    days to resolve, in or out of warranty when it was opened, and the
    revenue of the customer's orders that followed it (an order counts for the
    customer's latest ticket opened within the 365 days before it). A resolved
    ticket is fixed the first time when the customer opens no other ticket on the
    same product (and serial) within 30 days of its closing; the service cost of
    tickets in warranty is the warranty cost."""

    _name = "crm.cn.service.report"
    _description = "After-Sales Service Analysis"
    _auto = False
    _rec_name = "ticket_id"
    _order = "date desc"

    ticket_id = fields.Many2one("helpdesk.ticket", string="Ticket", readonly=True)
    date = fields.Date(string="Opened On", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    lot_id = fields.Many2one("stock.production.lot", string="Serial Number", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", string="Team", readonly=True)
    stage_id = fields.Many2one("helpdesk.ticket.stage", string="Stage", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    is_installation = fields.Boolean(string="Installation", readonly=True)
    warranty_state = fields.Selection(WARRANTY_STATES, string="Warranty", readonly=True)
    ticket_count = fields.Integer(string="Tickets", readonly=True)
    in_warranty_count = fields.Integer(string="In Warranty", readonly=True)
    out_warranty_count = fields.Integer(string="Out of Warranty", readonly=True)
    resolved_count = fields.Integer(string="Resolved", readonly=True)
    first_time_fix_count = fields.Integer(string="Fixed First Time", readonly=True)
    warranty_cost = fields.Float(readonly=True)
    service_cost = fields.Float(readonly=True)
    resolve_days = fields.Float(string="Days to Resolve", readonly=True, group_operator="avg")
    repurchase_amount = fields.Float(string="Repurchase Revenue", readonly=True)
    repurchase_count = fields.Integer(string="Repurchase Orders", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE OR REPLACE VIEW crm_cn_service_report AS (
            WITH tickets AS (
                SELECT ticket.id, ticket.create_date, ticket.closed_date, ticket.team_id,
                       COALESCE(ticket.cn_service_cost, 0) AS service_cost,
                       ticket.stage_id, ticket.company_id, ticket.cn_lot_id AS lot_id,
                       COALESCE(ticket.cn_is_installation, FALSE) AS is_installation,
                       COALESCE(ticket.cn_product_id, lot.product_id) AS product_id,
                       partner.commercial_partner_id AS partner_id,
                       CASE WHEN ticket.cn_lot_id IS NOT NULL THEN (
                           SELECT MAX(sml.date) FROM stock_move_line sml
                             JOIN stock_location dest ON dest.id = sml.location_dest_id
                             JOIN stock_picking picking ON picking.id = sml.picking_id
                             JOIN res_partner receiver ON receiver.id = picking.partner_id
                            WHERE sml.lot_id = ticket.cn_lot_id AND sml.state = 'done'
                              AND dest.usage = 'customer'
                              AND receiver.commercial_partner_id = partner.commercial_partner_id)
                       ELSE (
                           SELECT MIN(move.date) FROM stock_move move
                             JOIN stock_location dest ON dest.id = move.location_dest_id
                             JOIN sale_order_line line ON line.id = move.sale_line_id
                            WHERE line.order_id = ticket.cn_sale_order_id
                              AND move.product_id = ticket.cn_product_id
                              AND move.state = 'done' AND dest.usage = 'customer')
                       END AS delivery_date
                  FROM helpdesk_ticket ticket
             LEFT JOIN res_partner partner ON partner.id = ticket.partner_id
             LEFT JOIN stock_production_lot lot ON lot.id = ticket.cn_lot_id
            ), warranty AS (
                SELECT tickets.*, template.categ_id,
                       COALESCE(NULLIF(template.cn_warranty_months, 0), category.cn_warranty_months, 0) AS months
                  FROM tickets
             LEFT JOIN product_product product ON product.id = tickets.product_id
             LEFT JOIN product_template template ON template.id = product.product_tmpl_id
             LEFT JOIN product_category category ON category.id = template.categ_id
            ), states AS (
                SELECT warranty.*,
                       CASE WHEN delivery_date IS NULL OR months = 0 THEN 'none'
                            WHEN create_date::date <= (delivery_date::date
                                 + make_interval(months => months) - interval '1 day')::date THEN 'in'
                            ELSE 'out' END AS warranty_state
                  FROM warranty
            ), repurchases AS (
                SELECT (SELECT tickets.id FROM tickets
                         WHERE tickets.partner_id = buyer.commercial_partner_id
                           AND tickets.create_date <= sale.confirmation_date
                           AND tickets.create_date > sale.confirmation_date - interval '365 days'
                      ORDER BY tickets.create_date DESC, tickets.id DESC LIMIT 1) AS ticket_id,
                       sale.amount_untaxed
                  FROM sale_order sale
                  JOIN res_partner buyer ON buyer.id = sale.partner_id
                 WHERE sale.state IN ('sale', 'done')
            ), revenue AS (
                SELECT ticket_id, SUM(amount_untaxed) AS amount, COUNT(*) AS orders
                  FROM repurchases WHERE ticket_id IS NOT NULL GROUP BY ticket_id
            )
            SELECT states.id, states.id AS ticket_id, states.create_date::date AS date,
                   states.partner_id, states.product_id, states.categ_id, states.lot_id,
                   states.team_id, states.stage_id, states.company_id, states.is_installation,
                   states.warranty_state, 1 AS ticket_count,
                   CASE WHEN states.warranty_state = 'in' THEN 1 ELSE 0 END AS in_warranty_count,
                   CASE WHEN states.warranty_state = 'out' THEN 1 ELSE 0 END AS out_warranty_count,
                   CASE WHEN states.closed_date IS NOT NULL THEN 1 ELSE 0 END AS resolved_count,
                   CASE WHEN states.closed_date IS NOT NULL AND NOT EXISTS (
                            SELECT 1 FROM tickets again
                             WHERE again.partner_id = states.partner_id
                               AND again.product_id = states.product_id
                               AND again.lot_id IS NOT DISTINCT FROM states.lot_id
                               AND again.id != states.id
                               AND again.create_date > states.create_date
                               AND again.create_date <= states.closed_date + interval '30 days')
                        THEN 1 ELSE 0 END AS first_time_fix_count,
                   states.service_cost,
                   CASE WHEN states.warranty_state = 'in' THEN states.service_cost ELSE 0 END AS warranty_cost,
                   CASE WHEN states.closed_date IS NOT NULL
                        THEN EXTRACT(EPOCH FROM states.closed_date - states.create_date) / 86400.0
                   END AS resolve_days,
                   COALESCE(revenue.amount, 0) AS repurchase_amount,
                   COALESCE(revenue.orders, 0) AS repurchase_count
              FROM states
         LEFT JOIN revenue ON revenue.ticket_id = states.id
            )""")
