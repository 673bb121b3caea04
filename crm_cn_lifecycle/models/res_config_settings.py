from odoo import fields, models


class ResConfigSettings(models.TransientModel):
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
