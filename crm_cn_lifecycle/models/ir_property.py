from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import AccessError

from .res_partner import GROUP_ACCOUNTANT

# Company-dependent fields the addon stores as ir.property rows, and who may
# write those rows: the same groups as the field itself on its model.
PROTECTED_PROPERTIES = {
    ("res.partner", "cn_credit_limit"): (GROUP_ACCOUNTANT,),
}


class IrProperty(models.Model):
    """A company-dependent field lives in ir.property, which every user with
    "Contact Creation" may create and write over XML-RPC: the protected
    company-dependent fields (the credit limit) are refused there too, for
    everyone but the field's own groups and the system."""

    _inherit = "ir.property"

    @api.model
    def _cn_check_protected_properties(self, field_ids):
        if self.env.uid == SUPERUSER_ID or not field_ids:
            return
        fields_ = self.env["ir.model.fields"].sudo().browse(list(field_ids))
        for field in fields_:
            groups = PROTECTED_PROPERTIES.get((field.model, field.name))
            if groups is not None and not any(self.env.user.has_group(group) for group in groups):
                raise AccessError(_("You may not set “%(field)s” of %(model)s: your role does "
                                    "not allow it.") % {
                    "field": field.field_description, "model": field.model})

    @api.model
    def create(self, vals):
        self._cn_check_protected_properties({vals.get("fields_id")} - {None, False})
        return super(IrProperty, self).create(vals)

    @api.multi
    def write(self, vals):
        field_ids = set(self.sudo().mapped("fields_id").ids)
        if vals.get("fields_id"):
            field_ids.add(vals["fields_id"])
        self._cn_check_protected_properties(field_ids)
        return super(IrProperty, self).write(vals)

    @api.multi
    def unlink(self):
        self._cn_check_protected_properties(set(self.sudo().mapped("fields_id").ids))
        return super(IrProperty, self).unlink()
