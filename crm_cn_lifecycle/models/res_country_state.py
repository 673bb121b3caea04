from odoo import api, fields, models

from ..tools.regions import REGIONS, region_of


class ResCountryState(models.Model):
    """Provinces know their Chinese sales region (华北, 华东 ...)."""

    _inherit = "res.country.state"

    cn_region = fields.Selection(
        REGIONS, string="Sales Region", compute="_compute_cn_region", store=True,
        help="China's seven sales regions, derived from the province code.")

    @api.depends("code", "country_id.code")
    def _compute_cn_region(self):
        for state in self:
            state.cn_region = region_of(state.country_id.code, state.code)
