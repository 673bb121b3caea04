from odoo import api, fields, models

from ..tools.regions import REGIONS

GROUP_MANAGER = "crm_cn_lifecycle.group_manager"
GROUP_ACCOUNTANT = "crm_cn_lifecycle.group_accountant"
# Who may give a customer its salesperson: the addon's managers and Odoo's own
# Sales Managers (converting a lead gives the new customer the lead's salesperson).
SALESPERSON_SETTERS = (GROUP_MANAGER, "sales_team.group_sale_manager")
# A new customer or contact is daily work of salespeople: on create they may
# choose these freely (the salesperson is checked apart); changing them on an
# existing partner moves its credit or ownership and is for managers.
CREATE_FREE_FIELDS = ("cn_customer_class", "parent_id", "is_company")

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

    They belong to the commercial entity: contacts inherit them. What steers
    credit and ownership (class, parent company, company flag, salesperson,
    credit limit) is set by managers (the credit limit by accountants), see
    `_cn_protected_fields`."""

    _name = "res.partner"
    _inherit = ["res.partner", "crm.cn.protected.fields"]

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
        """Stored, so computed for whoever creates a partner: users without a
        lifecycle role (Odoo's own salespeople) may not read the responses."""
        for partner in self:
            responses = partner.sudo().cn_response_ids.sorted(lambda response: (response.date, response.id))
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
    def _cn_protected_fields(self):
        return {
            "cn_customer_class": (GROUP_MANAGER,),
            "parent_id": (GROUP_MANAGER,),
            "is_company": (GROUP_MANAGER,),
            "user_id": SALESPERSON_SETTERS,
            "cn_credit_limit": (GROUP_ACCOUNTANT,),
        }

    @api.model
    def _cn_check_protected_create(self, vals):
        """Salespeople create customers (any class) and contacts under any
        company, with themselves, nobody or the territory's salesperson as
        salesperson."""
        checked = {name: value for name, value in vals.items() if name not in CREATE_FREE_FIELDS}
        user_id = checked.pop("user_id", False)
        if user_id and user_id != self.env.uid and not self._cn_may_set(SALESPERSON_SETTERS):
            territory = self.env["crm.cn.territory"].browse(vals.get("cn_territory_id") or [])
            if user_id != territory.user_id.id:
                self._cn_refuse_field("user_id")
        return super(ResPartner, self)._cn_check_protected_create(checked)

    @api.multi
    def _cn_check_protected_write(self, vals):
        """Odoo copies the class of a company onto its contacts (commercial
        fields sync) as the user who edits them: that copy is no change of class."""
        if "cn_customer_class" not in vals or self._cn_may_set((GROUP_MANAGER,)):
            return super(ResPartner, self)._cn_check_protected_write(vals)
        new_class = vals["cn_customer_class"] or False
        synced = self.filtered(lambda partner: partner.commercial_partner_id != partner
                               and partner.commercial_partner_id.cn_customer_class == new_class)
        without_class = {name: value for name, value in vals.items() if name != "cn_customer_class"}
        super(ResPartner, synced)._cn_check_protected_write(without_class)
        return super(ResPartner, self - synced)._cn_check_protected_write(vals)

    @api.model
    def create(self, vals):
        if "company_type" in vals and "is_company" not in vals:
            # the company type's inverse would write is_company after the create
            vals = dict(vals, is_company=vals["company_type"] == "company")
        self._cn_default_salesperson(vals)
        return super(ResPartner, self).create(vals)

    @api.model
    def _cn_default_salesperson(self, vals):
        """A customer created in a territory goes to the territory's salesperson."""
        if vals.get("cn_territory_id") and not vals.get("user_id"):
            territory = self.env["crm.cn.territory"].browse(vals["cn_territory_id"])
            if territory.user_id:
                vals["user_id"] = territory.user_id.id
