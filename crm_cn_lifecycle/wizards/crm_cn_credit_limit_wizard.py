from odoo import api, fields, models


class CrmCnCreditLimitWizard(models.TransientModel):
    """Accountants set a customer's credit limit without edit rights on the
    rest of the customer: the limit of their current company, in its currency."""

    _name = "crm.cn.credit.limit.wizard"
    _description = "Set a Customer's Credit Limit"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True,
                                 default=lambda self: self.env.user.company_id,
                                 help="The company whose credit limit is set: each company has its own.")
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.user.company_id.currency_id,
                                  readonly=True)
    credit_limit = fields.Monetary(
                                   help="0: the default of the customer's class applies.")
    note = fields.Char(string="Why")

    @api.model
    def default_get(self, fields_list):
        values = super(CrmCnCreditLimitWizard, self).default_get(fields_list)
        if values.get("partner_id"):
            values["credit_limit"] = self.env["res.partner"].browse(
                values["partner_id"]).commercial_partner_id.cn_credit_limit
        return values

    @api.multi
    def action_set(self):
        self.ensure_one()
        self.partner_id.action_cn_set_credit_limit(self.credit_limit, self.note)
        return {"type": "ir.actions.act_window_close"}
