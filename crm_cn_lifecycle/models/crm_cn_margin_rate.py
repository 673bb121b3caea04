from odoo import api, models

from ..tools.sales_margin import margin_rate


class CrmCnMarginRateMixin(models.AbstractModel):
    """Models with revenue, margin and margin_rate: a group's margin rate is its
    margin over its revenue, not the average of its rows' rates."""

    _name = "crm.cn.margin.rate.mixin"
    _description = "Margin Rate of Groups"

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        fields = list(fields or [])
        wanted = [name for name in ("revenue", "margin") if name not in fields]
        groups = super(CrmCnMarginRateMixin, self).read_group(
            domain, fields + wanted, groupby, offset=offset, limit=limit, orderby=orderby, lazy=lazy)
        for group in groups:
            group["margin_rate"] = margin_rate(group.get("margin") or 0.0, group.get("revenue") or 0.0)
        return groups
