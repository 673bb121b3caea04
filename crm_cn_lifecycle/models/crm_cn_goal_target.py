from odoo import api, fields, models

from ..tools import goals

TARGET_TYPES = [
    (goals.TARGET_PERCENT, "% Change"),
    (goals.TARGET_CHANGE, "Change"),
    (goals.TARGET_VALUE, "Value"),
]
TARGET_FIELDS = {goals.TARGET_VALUE: "target_value", goals.TARGET_PERCENT: "target_percent",
                 goals.TARGET_CHANGE: "target_change"}


class CrmCnGoalTarget(models.AbstractModel):
    """A target set as a value, a % change or a change from a baseline: the
    figure the user set is kept (target_type), the other two follow it and
    follow the baseline when it is measured again."""

    _name = "crm.cn.goal.target"
    _description = "Goal Target"

    target_type = fields.Selection(TARGET_TYPES, string="Target Set As", required=True,
                                   default=goals.TARGET_PERCENT,
                                   help="Which figure of the target you set; the others follow the "
                                        "baseline.")
    target_value = fields.Float(string="Target", digits=(16, 2))
    target_percent = fields.Float(string="Target Change (%)", digits=(16, 2),
                                  help="The target as a % change from the baseline.")
    target_change = fields.Float(digits=(16, 2),
                                 help="The target minus the baseline (e.g. +2 margin-rate points).")

    def _cn_baseline_value(self):
        """The figure the target is measured from (each model's own field)."""
        raise NotImplementedError()

    @api.model
    def _cn_with_target_type(self, vals):
        """A target figure set alone says how the target is set."""
        given = [kind for kind, name in TARGET_FIELDS.items() if name in vals]
        if len(given) == 1 and "target_type" not in vals:
            vals = dict(vals, target_type=given[0])
        return vals

    @api.multi
    def _cn_sync_targets(self):
        for record in self:
            value, percent, change = goals.targets(
                record.target_type, record._cn_baseline_value(), value=record.target_value,
                percent=record.target_percent, change=record.target_change)
            new = {"target_value": value, "target_percent": percent, "target_change": change}
            if any(abs(record[name] - number) > 1e-9 for name, number in new.items()):
                super(CrmCnGoalTarget, record).write(new)
        return True
