from odoo import fields, models


class ResCompany(models.Model):
    """Where installation tickets go and when they are planned."""
    _inherit = "res.company"

    cn_service_team_id = fields.Many2one(
        "helpdesk.ticket.team", string="Installation Team",
        help="Team of the installation tickets opened on delivery; empty: the first helpdesk team.")
    cn_installation_delay_days = fields.Integer(
        string="Installation Planned After (days)", default=2,
        help="Days after the delivery when the installation is planned.")
