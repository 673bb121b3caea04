from odoo import fields, models


class ProductCategory(models.Model):
    """How long an approved deal registration protects its dealer, per category."""

    _inherit = "product.category"

    cn_registration_days = fields.Integer(
        string="Registration Protection (days)",
        help="Days an approved deal registration for this category protects its dealer "
             "from other dealers' registrations of the same customer; 0: the default "
             "(90 days, system parameter crm_cn_lifecycle.registration_protection_days).")
