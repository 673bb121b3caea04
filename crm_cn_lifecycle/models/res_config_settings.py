from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .crm_cn_file_check import UPLOAD_LIMITS

MEGABYTE = 1024 * 1024


class ResConfigSettings(models.TransientModel):
    """The addon's company settings, and the upload limits (system parameters
    read by crm.cn.file.check._upload_limits()); Settings are for administrators."""

    _inherit = "res.config.settings"

    cn_credit_hold_overdue_days = fields.Integer(
        related="company_id.cn_credit_hold_overdue_days", string="Credit Hold after Overdue Days")
    cn_credit_include_quotations = fields.Boolean(
        related="company_id.cn_credit_include_quotations",
        string="Quotations Sent Count in Exposure")
    cn_service_team_id = fields.Many2one(
        related="company_id.cn_service_team_id", string="Installation Team")
    cn_installation_delay_days = fields.Integer(
        related="company_id.cn_installation_delay_days", string="Installation Planned After (days)")
    cn_upload_max_mb = fields.Integer(
        string="Upload Size Limit (MB)",
        help="Largest file a dealer stock report upload or a respondent import may have.")
    cn_upload_max_cells = fields.Integer(
        string="Upload Cell Limit", help="Most cells (rows x columns) an uploaded sheet may hold.")
    cn_upload_max_files = fields.Integer(
        string="Files per Upload", help="Most files one upload may attach.")

    @api.model
    def get_values(self):
        values = super(ResConfigSettings, self).get_values()
        limits = self.env["crm.cn.file.check"]._upload_limits()
        values.update({
            "cn_upload_max_mb": max(1, int(round(limits["max_bytes"] / float(MEGABYTE)))),
            "cn_upload_max_cells": limits["max_cells"],
            "cn_upload_max_files": limits["max_files"],
        })
        return values

    @api.multi
    def set_values(self):
        """Write the upload limits; the byte limit only when its megabytes
        changed, so that a finer value set as a system parameter is kept."""
        result = super(ResConfigSettings, self).set_values()
        if min(self.cn_upload_max_mb, self.cn_upload_max_cells, self.cn_upload_max_files) < 1:
            raise ValidationError(_("Upload limits must be at least 1."))
        params = self.env["ir.config_parameter"].sudo()
        current = self.get_values()
        if self.cn_upload_max_mb != current["cn_upload_max_mb"]:
            params.set_param(UPLOAD_LIMITS["max_bytes"][0], str(self.cn_upload_max_mb * MEGABYTE))
        params.set_param(UPLOAD_LIMITS["max_cells"][0], str(self.cn_upload_max_cells))
        params.set_param(UPLOAD_LIMITS["max_files"][0], str(self.cn_upload_max_files))
        return result
