from odoo import fields, models


class CrmCnCampaignCost(models.Model):
    """A cost of a campaign entered by marketing (booth rent, printing, ads)."""

    _name = "crm.cn.campaign.cost"
    _description = "Campaign Cost"
    _order = "date desc, id desc"

    campaign_id = fields.Many2one("utm.campaign", string="Campaign", required=True,
                                  ondelete="cascade", index=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    name = fields.Char(string="Description", required=True)
    amount = fields.Monetary(required=True, currency_field="currency_id")
    currency_id = fields.Many2one(related="campaign_id.cn_currency_id", readonly=True)
    invoice_id = fields.Many2one("account.invoice", string="Vendor Bill",
                                 domain=[("type", "in", ("in_invoice", "in_refund"))])
