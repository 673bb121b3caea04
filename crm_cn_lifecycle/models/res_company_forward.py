from odoo import fields, models


class ResCompany(models.Model):
    """How long a dealer has to answer a forwarded lead."""

    _inherit = "res.company"

    cn_forward_service_hours = fields.Float(
        string="Dealer Answer Time (hours)", default=24.0,
        help="A dealer accepts or declines a forwarded lead within this many hours; "
             "then the lead goes to the next dealer.")
