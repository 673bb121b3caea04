from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

CAMPAIGN_TYPES = [
    ("trade_show", "Trade Show"),
    ("seminar", "Seminar"),
    ("exhibition", "Exhibition / Roadshow"),
    ("mailing", "Mailing / E-mail"),
    ("advertising", "Advertising"),
    ("telemarketing", "Telemarketing"),
    ("web", "Web"),
]
WON_ORDER_STATES = ("sale", "done")
# The money of a campaign (budget, spend, revenue, ROI, notes) is for managers
# and accountants: Odoo refuses reading these fields to others and strips them
# from their views; search and read_group are checked in this model.
MONEY_GROUPS = "crm_cn_lifecycle.group_manager,crm_cn_lifecycle.group_accountant"


class UtmCampaign(models.Model):
    """A marketing activity (市场活动): Odoo's own campaign, with its plan,
    its spending and what came of it."""

    _name = "utm.campaign"
    _inherit = ["utm.campaign", "mail.thread"]

    cn_type = fields.Selection(CAMPAIGN_TYPES, string="Campaign Type", track_visibility="onchange")
    cn_state = fields.Selection(
        [("draft", "Draft"), ("running", "Running"), ("done", "Done")],
        string="Status", default="draft", required=True, track_visibility="onchange")
    cn_date_start = fields.Date(string="Start Date")
    cn_date_end = fields.Date(string="End Date")
    cn_user_id = fields.Many2one("res.users", string="Owner", default=lambda self: self.env.user)
    cn_team_id = fields.Many2one("crm.team", string="Sales Team")
    cn_categ_ids = fields.Many2many("product.category", string="Target Product Categories")
    cn_state_ids = fields.Many2many("res.country.state", string="Target Provinces")
    cn_currency_id = fields.Many2one(
        "res.currency", string="Currency", default=lambda self: self.env.user.company_id.currency_id)
    cn_budget = fields.Monetary(string="Budget", currency_field="cn_currency_id",
                                groups=MONEY_GROUPS)
    cn_expected_leads = fields.Integer(string="Expected Leads")
    cn_expected_revenue = fields.Monetary(string="Expected Revenue", currency_field="cn_currency_id",
                                          groups=MONEY_GROUPS)
    cn_analytic_account_id = fields.Many2one(
        "account.analytic.account", string="Analytic Account",
        help="Vendor bill lines booked on this analytic account count as the campaign's cost.",
        groups=MONEY_GROUPS)
    cn_cost_ids = fields.One2many("crm.cn.campaign.cost", "campaign_id", string="Cost Lines",
                                  groups=MONEY_GROUPS)
    cn_response_ids = fields.One2many("crm.cn.campaign.response", "campaign_id", string="Responses")
    cn_note = fields.Html(string="Description", groups=MONEY_GROUPS)

    cn_cost = fields.Monetary(compute="_compute_cn_cost", string="Cost", currency_field="cn_currency_id",
                              help="Cost lines plus vendor bills on the campaign's analytic account.",
                              groups=MONEY_GROUPS)
    cn_response_count = fields.Integer(compute="_compute_cn_results", string="Responses")
    cn_lead_count = fields.Integer(compute="_compute_cn_results", string="Leads")
    cn_opportunity_count = fields.Integer(compute="_compute_cn_results", string="Opportunities")
    cn_order_count = fields.Integer(compute="_compute_cn_results", string="Orders",
                                    help="Confirmed orders tagged with this campaign.")
    cn_revenue = fields.Monetary(compute="_compute_cn_results", string="Revenue",
                                 currency_field="cn_currency_id", groups=MONEY_GROUPS)
    cn_margin = fields.Monetary(compute="_compute_cn_results", string="Gross Margin",
                                currency_field="cn_currency_id", groups=MONEY_GROUPS)
    cn_roi = fields.Float(compute="_compute_cn_results", string="ROI (%)",
                          help="(Gross margin - cost) / cost, as the Campaign ROI report attributes orders.",
                          groups=MONEY_GROUPS)

    @api.model
    def _cn_check_money_fields_used(self, domain=(), names=()):
        """Filtering, sorting or grouping by a money field tells its values:
        refused like reading it (Odoo 11 checks field groups on read only)."""
        names = list(names) + [leaf[0] for leaf in domain or ()
                               if isinstance(leaf, (list, tuple)) and isinstance(leaf[0], str)]
        used = {name.strip().split(" ")[0].split(".")[0].split(":")[0] for name in names if name}
        self.check_field_access_rights("read", [name for name in used if name in self._fields])

    @api.model
    def _search(self, args, offset=0, limit=None, order=None, count=False, access_rights_uid=None):
        self._cn_check_money_fields_used(args, (order or "").split(","))
        return super(UtmCampaign, self)._search(
            args, offset=offset, limit=limit, order=order, count=count, access_rights_uid=access_rights_uid)

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        groupby_list = [groupby] if isinstance(groupby, str) else list(groupby or [])
        self._cn_check_money_fields_used(domain, list(fields or []) + groupby_list + (orderby or "").split(","))
        return super(UtmCampaign, self).read_group(
            domain, fields, groupby, offset=offset, limit=limit, orderby=orderby, lazy=lazy)

    @api.constrains("cn_date_start", "cn_date_end")
    def _check_cn_dates(self):
        for campaign in self:
            if campaign.cn_date_start and campaign.cn_date_end \
                    and campaign.cn_date_end < campaign.cn_date_start:
                raise ValidationError(_("Campaign %s ends before it starts.") % campaign.name)

    def _compute_cn_cost(self):
        lines = self.env["crm.cn.campaign.cost"].read_group(
            [("campaign_id", "in", self.ids)], ["campaign_id", "amount"], ["campaign_id"])
        cost = {row["campaign_id"][0]: row["amount"] for row in lines}
        bills = self._cn_vendor_bill_costs()
        for campaign in self:
            campaign.cn_cost = cost.get(campaign.id, 0.0) + bills.get(campaign.cn_analytic_account_id.id, 0.0)

    def _cn_vendor_bill_costs(self):
        """Spend booked by accounting, in company currency: validated vendor bills
        less their refunds (price_subtotal_signed carries the sign), per analytic account."""
        accounts = self.mapped("cn_analytic_account_id")
        if not accounts:
            return {}
        self.env.cr.execute("""
            SELECT line.account_analytic_id, SUM(line.price_subtotal_signed)
              FROM account_invoice_line line
              JOIN account_invoice inv ON inv.id = line.invoice_id
             WHERE line.account_analytic_id IN %s
               AND inv.type IN ('in_invoice', 'in_refund')
               AND inv.state IN ('open', 'paid')
          GROUP BY line.account_analytic_id""", (tuple(accounts.ids),))
        return dict(self.env.cr.fetchall())

    def _compute_cn_results(self):
        def count_by_campaign(model, domain, field="campaign_id"):
            rows = self.env[model].read_group(
                domain + [(field, "in", self.ids)], [field], [field])
            return {row[field][0]: row[field + "_count"] for row in rows}

        responses = count_by_campaign("crm.cn.campaign.response", [])
        leads = count_by_campaign("crm.lead", [("type", "=", "lead")])
        opportunities = count_by_campaign("crm.lead", [("type", "=", "opportunity")])
        orders = count_by_campaign("sale.order", [("state", "in", WON_ORDER_STATES)])
        # Revenue, margin and ROI as the ROI report attributes them: those of the
        # user's current company, in its currency (the report never sums two)
        roi = {row["campaign_id"][0]: row for row in
               self.env["crm.cn.campaign.roi.report"].sudo().summary(
                   [("campaign_id", "in", self.ids), ("company_id", "=", self.env.user.company_id.id)])}
        for campaign in self:
            figures = roi.get(campaign.id, {})
            campaign.cn_response_count = responses.get(campaign.id, 0)
            campaign.cn_lead_count = leads.get(campaign.id, 0)
            campaign.cn_opportunity_count = opportunities.get(campaign.id, 0)
            campaign.cn_order_count = orders.get(campaign.id, 0)
            campaign.cn_revenue = figures.get("revenue", 0.0)
            campaign.cn_margin = figures.get("margin", 0.0)
            campaign.cn_roi = figures.get("roi_margin", 0.0)

    def action_cn_start(self):
        self.write({"cn_state": "running"})

    def action_cn_done(self):
        self.write({"cn_state": "done"})

    def action_cn_draft(self):
        self.write({"cn_state": "draft"})

    def _cn_action(self, xmlid, domain, context=None):
        action = self.env.ref(xmlid).read()[0]
        action["domain"] = domain
        action["context"] = dict(context or {}, default_campaign_id=self.id)
        return action

    def action_cn_view_responses(self):
        return self._cn_action("crm_cn_lifecycle.action_campaign_responses", [("campaign_id", "=", self.id)])

    def action_cn_view_leads(self):
        return self._cn_action("crm.crm_lead_all_leads", [("campaign_id", "=", self.id), ("type", "=", "lead")])

    def action_cn_view_opportunities(self):
        return self._cn_action("crm_cn_lifecycle.action_pipeline",
                               [("campaign_id", "=", self.id), ("type", "=", "opportunity")])

    def action_cn_view_orders(self):
        return self._cn_action("sale.action_orders",
                               [("campaign_id", "=", self.id), ("state", "in", WON_ORDER_STATES)])

    def action_cn_import_responses(self):
        action = self.env.ref("crm_cn_lifecycle.action_response_import").read()[0]
        action["context"] = {"default_campaign_id": self.id}
        return action
