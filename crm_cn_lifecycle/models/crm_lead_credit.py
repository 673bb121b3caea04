from odoo import models


class CrmLead(models.Model):
    """An opportunity shows what its customer owes: overdue amount, worst
    aging bucket and credit headroom, computed for the whole list at once."""

    _name = "crm.lead"
    _inherit = ["crm.lead", "crm.cn.credit.mixin"]
