from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import AccessError


class CrmCnProtectedFields(models.AbstractModel):
    """Fields that only some roles (or only the system) may set, refused in
    `create` and `write` for everyone else: a view's `readonly=` is only a
    hint, XML-RPC, import and JSON-RPC write through here too.

    A model lists its protected fields in `_cn_protected_fields()`; a write
    that leaves a field's value as it is passes (imports and RPC clients send
    whole records), and so does a create with the field's declared default or
    empty."""

    _name = "crm.cn.protected.fields"
    _description = "Fields Only Some Roles May Set"

    @api.model
    def _cn_protected_fields(self):
        """{field name: group xml ids that may set it}; no groups: only the system."""
        return {}

    @api.model
    def _cn_may_set(self, groups):
        if self.env.uid == SUPERUSER_ID:
            return True
        return any(self.env.user.has_group(group) for group in groups)

    @api.model
    def _cn_refuse_field(self, field_name):
        description = self._fields[field_name].get_description(self.env)["string"]
        raise AccessError(_("You may not set “%(field)s” on %(model)s: your role does not allow it.") % {
            "field": description, "model": self._description or self._name})

    @api.model
    def _cn_check_protected_create(self, vals):
        for field_name, groups in self._cn_protected_fields().items():
            if not vals.get(field_name) or self._cn_may_set(groups):
                continue
            # the field's own default only: a `default_*` in the caller's context
            # or a user's saved default is no permission
            field = self._fields[field_name]
            default = field.default(self) if field.default else False
            if self._cn_same_value(field_name, default, vals[field_name]):
                continue
            self._cn_refuse_field(field_name)

    @api.multi
    def _cn_check_protected_write(self, vals):
        for field_name, groups in self._cn_protected_fields().items():
            if field_name not in vals or self._cn_may_set(groups):
                continue
            if all(self._cn_same_value(field_name, record[field_name], vals[field_name])
                   for record in self):
                continue
            self._cn_refuse_field(field_name)

    @api.model
    def _cn_same_value(self, field_name, current, new):
        """The value written equals the current one (records compare by id)."""
        field = self._fields[field_name]
        if field.type == "many2one":
            current = current.id if isinstance(current, models.BaseModel) else current
            return (current or False) == (new or False)
        if field.type in ("float", "monetary"):
            return abs((current or 0.0) - (new or 0.0)) < 1e-9
        return (current or False) == (new or False)

    @api.model
    def create(self, vals):
        self._cn_check_protected_create(vals)
        return super(CrmCnProtectedFields, self).create(vals)

    @api.multi
    def write(self, vals):
        self._cn_check_protected_write(vals)
        return super(CrmCnProtectedFields, self).write(vals)
