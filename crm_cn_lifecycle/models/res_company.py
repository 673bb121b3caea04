from odoo import fields, models


class ResCompany(models.Model):
    """Company-wide credit hold settings."""

    _inherit = "res.company"

    cn_credit_hold_overdue_days = fields.Integer(
        string="Credit Hold after Overdue Days", default=0,
        help="Confirming an order is refused when the customer has money overdue more "
             "than this many days. 0: no hold for overdue money.")
    cn_credit_include_quotations = fields.Boolean(
        string="Quotations Sent Count in Exposure",
        help="Quotations sent to the customer (which it can accept on the portal) add "
             "to its credit exposure.")
