from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.stock_cover import DEFAULT_OVERSTOCK_WEEKS


class ResCompany(models.Model):
    """The cover above which a product counts as overstocked (products to promote)."""

    _inherit = "res.company"

    cn_overstock_weeks = fields.Integer(
        string="Overstocked Above (weeks of cover)", default=DEFAULT_OVERSTOCK_WEEKS,
        help="A product whose stock would last longer than this many weeks at its "
             "trailing 13-week sales rate is listed as overstocked, to promote.")

    @api.constrains("cn_overstock_weeks")
    def _check_overstock_weeks(self):
        if any(company.cn_overstock_weeks < 1 for company in self):
            raise ValidationError(_("The overstock limit must be at least 1 week."))


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cn_overstock_weeks = fields.Integer(
        related="company_id.cn_overstock_weeks", string="Overstocked Above (weeks of cover)")
