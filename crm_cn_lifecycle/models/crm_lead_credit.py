from odoo import fields, models

from ..tools import aging


class CrmLead(models.Model):
    """An opportunity shows what its customer owes: overdue amount, worst
    aging bucket and credit headroom, computed for the whole list at once."""

    _inherit = "crm.lead"

    cn_credit_currency_id = fields.Many2one(
        "res.currency", compute="_compute_cn_credit", string="Credit Currency")
    cn_overdue_amount = fields.Monetary(
        string="Customer Overdue", compute="_compute_cn_credit", currency_field="cn_credit_currency_id")
    cn_worst_bucket = fields.Selection(
        aging.BUCKETS[1:], string="Worst Overdue", compute="_compute_cn_credit")
    cn_credit_headroom = fields.Monetary(
        string="Credit Headroom", compute="_compute_cn_credit", currency_field="cn_credit_currency_id")
    cn_has_credit_limit = fields.Boolean(compute="_compute_cn_credit")
    cn_credit_alert = fields.Boolean(
        string="Credit Alert", compute="_compute_cn_credit",
        help="The customer has money overdue or no credit headroom left.")

    def _compute_cn_credit(self):
        figures = self.mapped("partner_id")._cn_credit_figures()
        currency = self.env.user.company_id.currency_id
        for lead in self:
            values = figures.get(lead.partner_id.commercial_partner_id.id)
            if not values:
                lead.update({"cn_credit_currency_id": currency, "cn_overdue_amount": 0.0,
                             "cn_worst_bucket": False, "cn_credit_headroom": 0.0,
                             "cn_has_credit_limit": False, "cn_credit_alert": False})
                continue
            lead.update({
                "cn_credit_currency_id": currency,
                "cn_overdue_amount": values["overdue"],
                "cn_worst_bucket": values["worst_bucket"],
                "cn_credit_headroom": values["headroom"] or 0.0,
                "cn_has_credit_limit": values["headroom"] is not None,
                "cn_credit_alert": values["alert"],
            })
