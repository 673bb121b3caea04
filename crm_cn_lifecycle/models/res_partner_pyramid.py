from odoo import api, fields, models

from ..tools import pyramid

TIER_SELECTION = [
    (pyramid.KEY, "Key"),
    (pyramid.BIG, "Big"),
    (pyramid.MEDIUM, "Mid-size"),
    (pyramid.SMALL, "Small"),
    (pyramid.PROSPECT, "Prospect"),
    (pyramid.SUSPECT, "Suspect"),
    (pyramid.LAPSED, "Lapsed"),
]


class ResPartner(models.Model):
    """The customer's place in the customer pyramid (crm.cn.pyramid.line),
    kept on the customer and its contacts for filters and group-bys: set by
    the pyramid's computation only."""

    _inherit = "res.partner"

    cn_pyramid_tier = fields.Selection(
        TIER_SELECTION, string="Pyramid Tier", readonly=True, index=True, copy=False,
        help="Key customers bring most of the revenue and must be kept; big, medium and small "
             "follow; prospects have no revenue yet but a promising pipeline; suspects are known "
             "companies with neither; lapsed bought before the window, not in it. Computed by "
             "the pyramid (CRM Lifecycle > Customers > Customer Pyramid), in the customer's "
             "company (the best tier over all companies for a customer shared by them).")
    cn_pyramid_date = fields.Date(string="Pyramid Computed On", readonly=True, copy=False)
    cn_competitor_customer = fields.Boolean(
        string="Competitor's Customer",
        help="Buys from a competitor today: a suspect in the pyramid until it has an "
             "opportunity or buys from us.")

    @api.model
    def _cn_protected_fields(self):
        protected = super(ResPartner, self)._cn_protected_fields()
        protected.update({"cn_pyramid_tier": (), "cn_pyramid_date": ()})
        return protected

    @api.model
    def _commercial_fields(self):
        return super(ResPartner, self)._commercial_fields() + ["cn_competitor_customer"]

    @api.multi
    def action_cn_cross_sell(self):
        """What customers of the same class and tier buy and this one does not."""
        self.ensure_one()
        return self.env["crm.cn.cross.sell"].action_suggest(self.commercial_partner_id.id)

    @api.multi
    def action_cn_view_pyramid(self):
        """This customer's places in the pyramid, month by month."""
        action = self.env.ref("crm_cn_lifecycle.action_pyramid_history").read()[0]
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        return action
