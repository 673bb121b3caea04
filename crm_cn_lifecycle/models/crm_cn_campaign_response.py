from odoo import api, fields, models


class CrmCnCampaignResponse(models.Model):
    """Someone who answered a campaign: an attendee, a caller, a reply to a
    mailing. It is linked to the lead it became (or already was)."""

    _name = "crm.cn.campaign.response"
    _description = "Campaign Response"
    _order = "date desc, id desc"

    campaign_id = fields.Many2one("utm.campaign", required=True, ondelete="cascade", index=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    lead_id = fields.Many2one("crm.lead", string="Lead", ondelete="set null", index=True)
    matched_partner_id = fields.Many2one(
        "res.partner", string="Matched Customer", ondelete="set null", readonly=True,
        help="The existing customer the import matched this response to.")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", compute="_compute_partner_id", store=True, index=True,
        help="The customer of the response's lead, else the customer it was matched to.")
    commercial_partner_id = fields.Many2one(
        "res.partner", related="partner_id.commercial_partner_id", store=True, readonly=True, index=True,
        string="Company")
    medium_id = fields.Many2one("utm.medium", string="Medium")
    source_id = fields.Many2one("utm.source", string="Source")
    company_name = fields.Char()
    contact_name = fields.Char()
    email = fields.Char()
    phone = fields.Char()
    mobile = fields.Char()
    state_id = fields.Many2one("res.country.state", string="Province")
    city = fields.Char()
    interest = fields.Char()
    note = fields.Text()
    match = fields.Selection(
        [("new", "New lead"), ("lead", "Existing lead"), ("partner", "Existing customer")],
        string="Matched To", readonly=True)

    def init(self):
        # The campaign ROI report looks up each order's customer's latest
        # response before the order date: one index step per order.
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS crm_cn_campaign_response_partner_date_index
                ON crm_cn_campaign_response (commercial_partner_id, date, id)""")

    @api.depends("lead_id.partner_id", "matched_partner_id")
    def _compute_partner_id(self):
        for response in self:
            response.partner_id = response.lead_id.partner_id or response.matched_partner_id
