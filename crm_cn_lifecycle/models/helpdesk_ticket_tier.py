from odoo import api, models


class HelpdeskTicket(models.Model):
    """A new ticket of a customer takes the priority of its pyramid tier's rule
    (crm.cn.tier.rule) unless it is given one."""

    _inherit = "helpdesk.ticket"

    @api.model
    def _cn_tier_priority(self, partner_id, company_id=None):
        """The priority the tier rule of this customer gives its tickets, or None."""
        partner = self.env["res.partner"].sudo().browse(partner_id).commercial_partner_id
        company = self.env["res.company"].browse(company_id) if company_id else self.env.user.company_id
        rule = self.env["crm.cn.tier.rule"]._cn_rule_for(company, partner.cn_pyramid_tier)
        return rule.ticket_priority or None

    @api.model
    def create(self, vals):
        if vals.get("partner_id") and "priority" not in vals:
            priority = self._cn_tier_priority(vals["partner_id"], vals.get("company_id"))
            if priority:
                vals = dict(vals, priority=priority)
        return super(HelpdeskTicket, self).create(vals)

    @api.onchange("partner_id")
    def _onchange_cn_tier_priority(self):
        if self.partner_id:
            priority = self._cn_tier_priority(self.partner_id.id, self.company_id.id)
            if priority:
                self.priority = priority
