from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.addons import decimal_precision as dp
from odoo.exceptions import UserError

GROUP_MANAGER = "crm_cn_lifecycle.group_manager"


class CrmCnDealRegistrationLine(models.Model):
    """A product and quantity of a deal registration."""

    _name = "crm.cn.deal.registration.line"
    _description = "Deal Registration Product"
    _order = "registration_id, id"

    registration_id = fields.Many2one("crm.cn.deal.registration", string="Registration", required=True,
                                      ondelete="cascade", index=True)
    dealer_id = fields.Many2one(related="registration_id.dealer_id", store=True, readonly=True,
                                string="Dealer")
    product_id = fields.Many2one("product.product", string="Product", required=True, ondelete="restrict")
    quantity = fields.Float(digits=dp.get_precision("Product Unit of Measure"), default=1.0)

    @api.model
    def create(self, vals):
        line = super(CrmCnDealRegistrationLine, self).create(vals)
        line._cn_check_draft()
        return line

    @api.multi
    def write(self, vals):
        self._cn_check_draft()
        result = super(CrmCnDealRegistrationLine, self).write(vals)
        self._cn_check_draft()
        return result

    @api.multi
    def unlink(self):
        self._cn_check_draft()
        return super(CrmCnDealRegistrationLine, self).unlink()

    @api.multi
    def _cn_check_draft(self):
        """Only managers change the products of a submitted registration; others
        only those of drafts they may write."""
        if self.env.uid == SUPERUSER_ID or self.env.user.has_group(GROUP_MANAGER):
            return
        registrations = self.mapped("registration_id")
        if any(registration.state != "draft" for registration in registrations):
            raise UserError(_("The products of a submitted registration cannot be changed."))
        registrations.check_access_rule("write")
