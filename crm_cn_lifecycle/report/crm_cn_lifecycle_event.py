from odoo import _, fields, models, tools
from odoo.exceptions import AccessError

STEPS = [
    ("1_response", "Campaign Response"),
    ("2_lead", "Lead"),
    ("3_opportunity", "Opportunity"),
    ("4_quotation", "Quotation"),
    ("5_order", "Order"),
    ("6_delivery", "Delivery"),
    ("7_invoice", "Invoice"),
    ("8_payment", "Payment"),
    ("9_ticket", "Service Ticket"),
    ("10_repurchase", "Repurchase Order"),
]


class CrmCnLifecycleEvent(models.Model):
    """The customer lifecycle chain read from Odoo's own records: campaign
    response, lead, opportunity, quotation, order, delivery, invoice, payment,
    helpdesk ticket and repurchase, each with its date and its document."""

    _name = "crm.cn.lifecycle.event"
    _description = "Customer Lifecycle Event"
    _auto = False
    _order = "date desc, id desc"

    step = fields.Selection(STEPS, readonly=True)
    date = fields.Datetime(readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Lead / Opportunity", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", string="Campaign", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    name = fields.Char(string="Document", readonly=True)
    amount = fields.Float(readonly=True)
    res_model = fields.Char(string="Model", readonly=True)
    res_id = fields.Integer(string="Record", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)

    def _select_events(self):
        """One SELECT per step, all with the same columns; `kind` makes ids unique."""
        return """
        SELECT r.id * 16 + 1 AS id, '1_response' AS step, r.date::timestamp AS date,
               r.commercial_partner_id AS partner_id, r.lead_id, r.campaign_id,
               l.user_id, c.name AS name, 0.0 AS amount,
               'crm.cn.campaign.response' AS res_model, r.id AS res_id, l.company_id
          FROM crm_cn_campaign_response r
          JOIN utm_campaign c ON c.id = r.campaign_id
     LEFT JOIN crm_lead l ON l.id = r.lead_id
        UNION ALL
        SELECT l.id * 16 + 2, '2_lead', l.create_date, p.commercial_partner_id, l.id,
               l.campaign_id, l.user_id, l.name, l.planned_revenue, 'crm.lead', l.id, l.company_id
          FROM crm_lead l LEFT JOIN res_partner p ON p.id = l.partner_id
         WHERE l.active OR l.probability = 0
        UNION ALL
        SELECT l.id * 16 + 3, '3_opportunity', COALESCE(l.date_conversion, l.create_date),
               p.commercial_partner_id, l.id, l.campaign_id, l.user_id, l.name,
               l.planned_revenue, 'crm.lead', l.id, l.company_id
          FROM crm_lead l LEFT JOIN res_partner p ON p.id = l.partner_id
         WHERE l.type = 'opportunity'
        UNION ALL
        SELECT o.id * 16 + 4, '4_quotation', o.create_date, p.commercial_partner_id,
               o.opportunity_id, o.campaign_id, o.user_id, o.name, o.amount_untaxed,
               'sale.order', o.id, o.company_id
          FROM sale_order o JOIN res_partner p ON p.id = o.partner_id
        UNION ALL
        SELECT o.id * 16 + CASE WHEN o.rank = 1 THEN 5 ELSE 10 END,
               CASE WHEN o.rank = 1 THEN '5_order' ELSE '10_repurchase' END,
               o.confirmation_date, o.partner_id, o.opportunity_id, o.campaign_id,
               o.user_id, o.name, o.amount_untaxed, 'sale.order', o.id, o.company_id
          FROM (SELECT so.*, p.commercial_partner_id AS partner_id_c,
                       row_number() OVER (PARTITION BY p.commercial_partner_id
                                          ORDER BY so.confirmation_date, so.id) AS rank
                  FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state IN ('sale', 'done')) o
        UNION ALL
        SELECT k.id * 16 + 6, '6_delivery', k.date_done, p.commercial_partner_id,
               so.opportunity_id, so.campaign_id, so.user_id, k.name, 0.0,
               'stock.picking', k.id, k.company_id
          FROM stock_picking k
          JOIN stock_picking_type t ON t.id = k.picking_type_id AND t.code = 'outgoing'
          JOIN res_partner p ON p.id = k.partner_id
     LEFT JOIN sale_order so ON so.id = k.sale_id
         WHERE k.state = 'done'
        UNION ALL
        SELECT i.id * 16 + 7, '7_invoice', i.date_invoice::timestamp, i.commercial_partner_id,
               NULL, i.campaign_id, i.user_id, i.number, i.amount_untaxed_signed,
               'account.invoice', i.id, i.company_id
          FROM account_invoice i
         WHERE i.type IN ('out_invoice', 'out_refund') AND i.state IN ('open', 'paid')
        UNION ALL
        SELECT a.id * 16 + 8, '8_payment', a.payment_date::timestamp, p.commercial_partner_id,
               NULL, NULL::integer, NULL::integer, a.name, a.amount, 'account.payment', a.id,
               a.company_id
          FROM account_payment a JOIN res_partner p ON p.id = a.partner_id
         WHERE a.partner_type = 'customer' AND a.payment_type = 'inbound'
           AND a.state IN ('posted', 'reconciled')
        UNION ALL
        SELECT h.id * 16 + 9, '9_ticket', h.create_date, p.commercial_partner_id,
               NULL, NULL::integer, h.user_id, h.number || ' ' || h.name, 0.0,
               'helpdesk.ticket', h.id, h.company_id
          FROM helpdesk_ticket h JOIN res_partner p ON p.id = h.partner_id
        """

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("CREATE VIEW %s AS (%s)" % (self._table, self._select_events()))

    def action_open_document(self):
        """Open the real Odoo record behind this step, if the user may read it."""
        self.ensure_one()
        record = self.env[self.res_model].browse(self.res_id)
        try:
            record.check_access_rights("read")
            record.check_access_rule("read")
        except AccessError:
            raise AccessError(_("You are not allowed to open this %s.") % self.res_model)
        return {"type": "ir.actions.act_window", "res_model": self.res_model,
                "res_id": self.res_id, "view_mode": "form", "target": "current"}
