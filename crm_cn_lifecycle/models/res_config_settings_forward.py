from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    """The dealers' answer time for forwarded leads."""

    _inherit = "res.config.settings"

    cn_forward_service_hours = fields.Float(
        related="company_id.cn_forward_service_hours", string="Dealer Answer Time (hours)")

    @api.constrains("cn_forward_service_hours")
    def _check_cn_forward_service_hours(self):
        if any(settings.cn_forward_service_hours <= 0 for settings in self):
            raise ValidationError(_("The dealer answer time must be more than 0 hours."))
