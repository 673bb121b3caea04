from odoo import fields, models

from .res_partner import CUSTOMER_CLASSES
from ..tools.regions import REGIONS


class CrmLead(models.Model):
    """Leads and opportunities carry their customer's class, territory and
    region so the pipeline can be sliced by them."""

    _inherit = "crm.lead"

    cn_customer_class = fields.Selection(
        CUSTOMER_CLASSES, string="Customer Class", store=True, readonly=True,
        related="partner_id.commercial_partner_id.cn_customer_class")
    cn_territory_id = fields.Many2one(
        "crm.cn.territory", string="Sales Territory", store=True, readonly=True,
        related="partner_id.commercial_partner_id.cn_territory_id")
    cn_region = fields.Selection(
        REGIONS, string="Sales Region", store=True, readonly=True, related="state_id.cn_region")
