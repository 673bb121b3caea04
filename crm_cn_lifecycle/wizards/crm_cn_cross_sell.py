from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import pyramid

# Each peer's product categories bought in the window (invoiced, net positive).
PEER_CATEGORIES = """
SELECT r.partner_id, array_agg(DISTINCT r.categ_id)
  FROM crm_cn_sales_margin_report r
  JOIN res_partner p ON p.id = r.partner_id
 WHERE r.company_id = %(company)s AND r.source = 'invoiced' AND NOT r.is_last_year
   AND r.date > %(start)s AND r.date <= %(today)s AND r.categ_id IS NOT NULL
   AND p.cn_customer_class IS NOT DISTINCT FROM %(customer_class)s
   AND p.cn_pyramid_tier IS NOT DISTINCT FROM %(tier)s
 GROUP BY r.partner_id
HAVING SUM(r.revenue) > 0
"""
DEFAULT_MIN_SHARE = 0.3


class CrmCnCrossSell(models.TransientModel):
    """Product categories that customers of the same class and pyramid tier
    usually buy and this customer does not, with the share of those peers
    that buy them: what to offer it next."""

    _name = "crm.cn.cross.sell"
    _description = "Cross-sell Suggestion"
    _order = "peer_share desc, categ_id"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True,
                                 ondelete="cascade")
    categ_id = fields.Many2one("product.category", string="Product Category", required=True,
                               readonly=True, ondelete="cascade")
    peer_share = fields.Float(string="Peers Buying (%)", readonly=True, digits=(16, 1))
    peer_count = fields.Integer(string="Peers Buying", readonly=True)

    @api.model
    def suggestions(self, partner_id, min_share=DEFAULT_MIN_SHARE):
        """[(category id, share of peers, peers)] for customer `partner_id`, over
        the pyramid's window of the user's company. The customer must be one
        whose pyramid figures the user may read (salespeople: their own); the
        peers' categories are counted, never shown."""
        partner = self.env["res.partner"].browse(partner_id).commercial_partner_id
        if not partner.cn_pyramid_tier:
            raise UserError(_("%(customer)s has no tier in the customer pyramid yet: compute the "
                              "pyramid first.") % {"customer": partner.display_name})
        if not self.env["crm.cn.pyramid.line"].search_count(
                [("partner_id", "=", partner.id), ("is_current", "=", True)]):
            raise AccessError(_("You may not see the pyramid figures of %(customer)s.") % {
                "customer": partner.display_name})
        company = self.env.user.company_id
        today = fields.Date.from_string(fields.Date.context_today(self))
        self.env.cr.execute(PEER_CATEGORIES, {
            "company": company.id, "today": today,
            "start": today - relativedelta(months=company.cn_pyramid_window_months),
            "customer_class": partner.cn_customer_class or None, "tier": partner.cn_pyramid_tier})
        categories = dict(self.env.cr.fetchall())
        own = categories.pop(partner.id, [])
        return pyramid.cross_sell(own, categories, min_share)

    @api.model
    def action_suggest(self, partner_id):
        """Show the suggestions for the customer as a list."""
        rows = self.suggestions(partner_id)
        partner = self.env["res.partner"].browse(partner_id).commercial_partner_id
        lines = self.browse()
        for categ_id, share, count in rows:
            lines |= self.create({"partner_id": partner.id, "categ_id": categ_id,
                                  "peer_share": 100.0 * share, "peer_count": count})
        action = self.env.ref("crm_cn_lifecycle.action_cross_sell").read()[0]
        action["domain"] = [("id", "in", lines.ids)]
        return action
