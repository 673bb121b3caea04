from odoo import api, fields, models

from .crm_cn_contact_sql import read_last_contacts


class ResPartner(models.Model):
    """The customer's last contact (see crm_cn_contact_sql), shown on the customer
    beside its pyramid tier: one query for all the customers displayed."""

    _inherit = "res.partner"

    cn_last_contact_date = fields.Date(
        string="Last Contact", compute="_compute_cn_last_contact_date",
        help="The latest done activity, or message or e-mail of an employee, on the customer, "
             "its contacts, opportunities or orders.")

    @api.multi
    def _compute_cn_last_contact_date(self):
        last = read_last_contacts(self.env.cr, set(self.mapped("commercial_partner_id").ids))
        for partner in self:
            partner.cn_last_contact_date = last.get(partner.commercial_partner_id.id, False)
