from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """How the company cuts its customer pyramid (crm.cn.pyramid.line)."""

    _inherit = "res.company"

    cn_pyramid_window_months = fields.Integer(
        string="Pyramid Window (months)", default=12,
        help="Revenue and margin of the customers are summed over this many months up to "
             "the pyramid's date.")
    cn_pyramid_key_share = fields.Float(
        string="Key Customers (%)", default=20.0,
        help="The share of buying customers, top revenue first, that are key customers.")
    cn_pyramid_big_share = fields.Float(
        string="Big Customers (%)", default=30.0,
        help="The share of buying customers below the key ones that are big customers.")
    cn_pyramid_medium_share = fields.Float(
        string="Medium Customers (%)", default=30.0,
        help="The share of buying customers below the big ones that are medium customers; "
             "the rest are small.")
    cn_pyramid_prospect_threshold = fields.Float(
        string="Prospect Pipeline Threshold", default=0.0,
        help="A customer without revenue in the window is a prospect when its open "
             "opportunities, weighted by the learned win probability, exceed this amount.")
    cn_pyramid_group_rollup = fields.Boolean(
        string="Roll Up Groups",
        help="A group's subsidiaries (customer relations whose type rolls up) count for the "
             "group: their revenue, margin, pipeline and orders are the group's, and the group "
             "stands in the pyramid in their place.")
    cn_late_multiple = fields.Float(
        string="Late after (x own interval)", default=2.0,
        help="A customer is late (on the win-back list) when the days since its last order "
             "exceed this multiple of its own typical interval between orders.")

    @api.constrains("cn_pyramid_window_months", "cn_pyramid_key_share", "cn_pyramid_big_share",
                    "cn_pyramid_medium_share", "cn_late_multiple")
    def _check_cn_pyramid_settings(self):
        for company in self:
            shares = (company.cn_pyramid_key_share, company.cn_pyramid_big_share,
                      company.cn_pyramid_medium_share)
            if company.cn_pyramid_window_months < 1:
                raise ValidationError(_("The pyramid window must be at least one month."))
            if min(shares) < 0 or sum(shares) > 100:
                raise ValidationError(_("The key, big and medium shares must each be at least 0 % "
                                        "and add up to at most 100 %."))
            if company.cn_late_multiple <= 0:
                raise ValidationError(_("The late multiple must be above 0."))
