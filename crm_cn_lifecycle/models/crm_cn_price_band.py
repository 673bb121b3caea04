from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import sales_margin


class CrmCnPriceBand(models.Model):
    """A range of list prices (below 10, 10-50 ...) the sales-and-margin
    analysis groups products by. From the minimum (included) to the maximum
    (excluded); no maximum means "and above". Bands of a company, or shared by
    every company, never overlap."""

    _name = "crm.cn.price.band"
    _description = "Price Band"
    _order = "company_id, min_price"

    name = fields.Char(required=True, translate=True)
    min_price = fields.Float(string="From List Price", required=True, default=0.0,
                             help="Products with a list price from this amount (included).")
    max_price = fields.Float(string="To List Price",
                             help="Up to this amount (excluded); leave 0 for no upper limit.")
    company_id = fields.Many2one("res.company", string="Company",
                                 help="Leave empty to use the band in every company.")
    active = fields.Boolean(default=True)

    @api.constrains("min_price", "max_price", "company_id", "active")
    def _check_bands(self):
        """Limits that make sense, and no two bands of one company covering one price."""
        for band in self:
            errors = sales_margin.band_errors(band.min_price, band.max_price)
            if "negative" in errors:
                raise ValidationError(_("Price band %(band)s: prices cannot be negative.") % {
                    "band": band.name})
            if "empty" in errors:
                raise ValidationError(_(
                    "Price band %(band)s: the upper limit must be above the lower limit "
                    "(or 0 for no upper limit).") % {"band": band.name})
        bands = self.sudo().with_context(active_test=True).search([])
        pairs = sales_margin.overlapping_pairs(
            (band.id, band.company_id.id or None, band.min_price, band.max_price) for band in bands)
        mine = set(self.ids)
        for first, second in pairs:
            if first in mine or second in mine:
                names = bands.browse([first, second]).mapped("name")
                raise ValidationError(_("Price bands %(first)s and %(second)s overlap: "
                                        "a list price must fall in one band only.") % {
                                            "first": names[0], "second": names[-1]})
