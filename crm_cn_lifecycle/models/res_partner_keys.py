from odoo import api, fields, models

from .crm_cn_customer_keys import compute_keys, fill_key_columns


class ResPartner(models.Model):
    """Customer keys (company name core, phone digits, company e-mail domain)
    that deal registrations are matched on by indexed equality."""

    _inherit = "res.partner"

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
            SELECT id, CASE WHEN is_company OR parent_id IS NULL THEN name END, phone, mobile, email
              FROM res_partner WHERE id > %s ORDER BY id LIMIT %s""")
        return super(ResPartner, self)._auto_init()

    @api.depends("name", "is_company", "parent_id", "phone", "mobile", "email")
    def _compute_cn_keys(self):
        for partner in self:
            company_name = partner.name if partner.is_company or not partner.parent_id else False
            compute_keys(partner, company_name, partner.phone, partner.mobile, partner.email)
