from odoo import api, fields, models

from ..tools.regions import REGIONS

CUSTOMER_CLASSES = [
    ("retail", "Store Retail"),
    ("direct", "Direct"),
    ("dealer", "Dealer"),
    ("agent", "Agent"),
    ("oem", "OEM"),
]
CHANNEL_CLASSES = ("dealer", "agent")


class ResPartner(models.Model):
    """Customer class, channel flag, territory and region of a customer.

    They belong to the commercial entity: contacts inherit them."""

    _inherit = "res.partner"

    cn_customer_class = fields.Selection(
        CUSTOMER_CLASSES, string="Customer Class", index=True, track_visibility="onchange",
        help="Store retail, direct, dealer, agent or OEM customer: each class "
             "gets its own information, rules and reports.")
    cn_is_dealer = fields.Boolean(
        string="Channel Partner", compute="_compute_cn_is_dealer", store=True, index=True,
        help="Dealers and agents: they resell, report channel stock and use the portal.")
    cn_confirms_receipt = fields.Boolean(
        string="Confirms Receipt",
        help="This dealer confirms the receipt of each delivery: a delivery counts in its "
             "estimated stock once received, and is in transit until then.")
    cn_territory_id = fields.Many2one(
        "crm.cn.territory", string="Sales Territory", index=True, track_visibility="onchange",
        ondelete="restrict")
    cn_region = fields.Selection(
        REGIONS, string="Sales Region", related="state_id.cn_region", store=True, readonly=True)

    cn_response_ids = fields.One2many(
        "crm.cn.campaign.response", "commercial_partner_id", string="Campaign Responses")
    cn_first_campaign_id = fields.Many2one(
        "utm.campaign", string="First Campaign", compute="_compute_cn_campaign_touches", store=True,
        help="The first campaign this customer responded to (first touch).")
    cn_last_campaign_id = fields.Many2one(
        "utm.campaign", string="Last Campaign", compute="_compute_cn_campaign_touches", store=True,
        help="The latest campaign this customer responded to (last touch).")
    cn_last_response_date = fields.Date(
        string="Last Campaign Response", compute="_compute_cn_campaign_touches", store=True)

    @api.depends("cn_response_ids.date", "cn_response_ids.campaign_id")
    def _compute_cn_campaign_touches(self):
        for partner in self:
            responses = partner.cn_response_ids.sorted(lambda response: (response.date, response.id))
            partner.cn_first_campaign_id = responses[:1].campaign_id
            partner.cn_last_campaign_id = responses[-1:].campaign_id
            partner.cn_last_response_date = responses[-1:].date

    def action_cn_view_lifecycle(self):
        """The lifecycle chain of this customer (its company and contacts)."""
        action = self.env.ref("crm_cn_lifecycle.action_lifecycle_events").read()[0]
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action

    @api.depends("cn_customer_class")
    def _compute_cn_is_dealer(self):
        for partner in self:
            partner.cn_is_dealer = partner.cn_customer_class in CHANNEL_CLASSES

    @api.model
    def _commercial_fields(self):
        return super(ResPartner, self)._commercial_fields() + [
            "cn_customer_class", "cn_territory_id"]

    @api.onchange("cn_territory_id")
    def _onchange_cn_territory_id(self):
        if self.cn_territory_id.user_id and not self.user_id:
            self.user_id = self.cn_territory_id.user_id

    @api.model
    def create(self, vals):
        self._cn_default_salesperson(vals)
        return super(ResPartner, self).create(vals)

    @api.model
    def _cn_default_salesperson(self, vals):
        """A customer created in a territory goes to the territory's salesperson."""
        if vals.get("cn_territory_id") and not vals.get("user_id"):
            territory = self.env["crm.cn.territory"].browse(vals["cn_territory_id"])
            if territory.user_id:
                vals["user_id"] = territory.user_id.id
