from odoo import api, fields, models

from .crm_cn_customer_keys import compute_keys, fill_key_columns


class CrmLead(models.Model):
    """An opportunity's product lines, its deal registrations, and the
    customer keys deal registrations are matched on (its dealer:
    crm_lead_forward.py)."""

    _inherit = "crm.lead"

    cn_registration_ids = fields.One2many("crm.cn.deal.registration", "lead_id",
                                          string="Deal Registrations", readonly=True)
    cn_lead_line_ids = fields.One2many("crm.cn.lead.line", "lead_id", string="Products", copy=True)
    cn_name_key = fields.Char(string="Name Key", compute="_compute_cn_keys", store=True, index=True,
                              readonly=True, help="The company name without legal form and city.")
    cn_name_key_en = fields.Char(string="Other Name Key", compute="_compute_cn_keys", store=True,
                                 index=True, readonly=True,
                                 help="The key of the name's other form (English or Chinese), if it gives both.")
    cn_phone_key = fields.Char(string="Phone Key", compute="_compute_cn_keys", store=True, index=True,
                               readonly=True)
    cn_email_domain = fields.Char(string="E-mail Domain", compute="_compute_cn_keys", store=True,
                                  index=True, readonly=True)

    @api.model_cr_context
    def _auto_init(self):
        fill_key_columns(self.env.cr, self._table, """
            SELECT id, partner_name, phone, mobile, email_from
              FROM crm_lead WHERE id > %s ORDER BY id LIMIT %s""")
        return super(CrmLead, self)._auto_init()

    @api.depends("partner_name", "phone", "mobile", "email_from")
    def _compute_cn_keys(self):
        for lead in self:
            compute_keys(lead, lead.partner_name, lead.phone, lead.mobile, lead.email_from)
