from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """The customer pyramid's settings of the current company."""

    _inherit = "res.config.settings"

    cn_pyramid_window_months = fields.Integer(related="company_id.cn_pyramid_window_months")
    cn_pyramid_key_share = fields.Float(related="company_id.cn_pyramid_key_share")
    cn_pyramid_big_share = fields.Float(related="company_id.cn_pyramid_big_share")
    cn_pyramid_medium_share = fields.Float(related="company_id.cn_pyramid_medium_share")
    cn_pyramid_prospect_threshold = fields.Float(related="company_id.cn_pyramid_prospect_threshold")
    cn_late_multiple = fields.Float(related="company_id.cn_late_multiple")
    cn_pyramid_group_rollup = fields.Boolean(related="company_id.cn_pyramid_group_rollup")
