from odoo import api, models

from ..tools.sales_margin import margin_rate


class CrmCnGroupRatioMixin(models.AbstractModel):
    """Reports with ratios (a margin rate, a coverage): a group's ratio is
    computed from its sums, not averaged over its rows. A model lists its
    ratios in `_cn_group_ratios`: {ratio field: (numerator, denominator, function)}."""

    _name = "crm.cn.group.ratio.mixin"
    _description = "Ratios of Groups"
    _cn_group_ratios = {"margin_rate": ("margin", "revenue", margin_rate)}

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        fields = list(fields or [])
        sums = {name for numerator, denominator, _function in self._cn_group_ratios.values()
                for name in (numerator, denominator)}
        wanted = sorted(name for name in sums if name not in fields)
        groups = super(CrmCnGroupRatioMixin, self).read_group(
            domain, fields + wanted, groupby, offset=offset, limit=limit, orderby=orderby, lazy=lazy)
        for group in groups:
            for name, (numerator, denominator, function) in self._cn_group_ratios.items():
                group[name] = function(group.get(numerator) or 0.0, group.get(denominator) or 0.0)
        return groups
