from odoo import fields, models


class ResCompany(models.Model):
    """Whether the dealers' open opportunities count as demand in DRP netting."""

    _inherit = "res.company"

    cn_drp_pipeline_demand = fields.Boolean(
        string="Pipeline Demand in DRP", default=True,
        help="Opportunities a dealer accepted or registered, with products and quantities, add "
             "their quantities weighted by win probability to the dealer's replenishment when "
             "they are expected within the lead time and target cover.")


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cn_drp_pipeline_demand = fields.Boolean(
        related="company_id.cn_drp_pipeline_demand", string="Pipeline Demand in DRP")
