from odoo import api, fields, models

from .res_partner import CUSTOMER_CLASSES


class CrmCnCreditPolicy(models.Model):
    """Credit defaults of a customer class (信用政策): the credit limit a customer
    of that class gets unless it has its own, and the overdue days that put its
    orders on credit hold (instead of the company's setting)."""

    _name = "crm.cn.credit.policy"
    _description = "Credit Policy per Customer Class"
    _order = "customer_class"

    customer_class = fields.Selection(CUSTOMER_CLASSES, required=True)
    company_id = fields.Many2one("res.company", required=True,
                                 default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    credit_limit = fields.Monetary(
        string="Default Credit Limit",
        help="Credit limit of the class's customers that have no limit of their own. "
             "0: no limit.")
    hold_overdue_days = fields.Integer(
        string="Hold after Overdue Days",
        help="Orders of this class's customers are held when money is overdue more than "
             "this many days. 0: use the company's setting.")

    _sql_constraints = [
        ("class_company_uniq", "unique(customer_class, company_id)",
         "A customer class has one credit policy per company."),
    ]

    @api.model
    def _get_policies(self, company):
        """{customer class: policy} of a company, in one query."""
        policies = self.sudo().search([("company_id", "=", company.id)])
        return {policy.customer_class: policy for policy in policies}
