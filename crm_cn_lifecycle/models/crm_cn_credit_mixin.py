from odoo import fields, models

from ..tools import aging


class CrmCnCreditMixin(models.AbstractModel):
    """What the customer (`partner_id`) of a document owes: overdue amount,
    worst aging bucket and credit headroom, computed for the whole list at once."""

    _name = "crm.cn.credit.mixin"
    _description = "Customer Credit on a Document"

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
        """In the document's company and its currency (the user's current
        company for a document without one): one read of the figures per company."""
        user_company = self.env.user.company_id
        for company in self.mapped("company_id") | user_company:
            records = self.filtered(lambda record: (record.company_id or user_company) == company)
            if not records:
                continue
            figures = records.mapped("partner_id")._cn_credit_figures(company=company)
            records._cn_set_credit(figures, company.currency_id)

    def _cn_set_credit(self, figures, currency):
        for record in self:
            values = figures.get(record.partner_id.commercial_partner_id.id) or {}
            headroom = values.get("headroom")
            record.update({
                "cn_credit_currency_id": currency,
                "cn_overdue_amount": values.get("overdue", 0.0),
                "cn_worst_bucket": values.get("worst_bucket", False),
                "cn_credit_headroom": headroom or 0.0,
                "cn_has_credit_limit": headroom is not None,
                "cn_credit_alert": values.get("alert", False),
            })
