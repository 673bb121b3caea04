from odoo import _, api, fields, models

from .bulk import bulk_create


class CrmCnForecastBacktest(models.Model):
    """The landing range's backtest, beside the forecast accuracy: per past
    quarter and snapshot, P10 / P50 / P90 against what the quarter booked.
    Rebuilt by the system each time it is opened (landing_backtest())."""

    _name = "crm.cn.forecast.backtest"
    _description = "Landing Range Backtest"
    _order = "quarter_start desc, as_of"
    _rec_name = "as_of"

    company_id = fields.Many2one("res.company", string="Company", readonly=True,
                                 default=lambda self: self.env.user.company_id)
    quarter_start = fields.Date(string="Quarter", readonly=True)
    quarter_end = fields.Date(string="Quarter To", readonly=True)
    as_of = fields.Date(string="Range of", readonly=True)
    source = fields.Selection([("snapshot", "Snapshot"), ("history", "Rebuilt From History")],
                              readonly=True)
    booked = fields.Float(string="Booked Then", readonly=True, group_operator="avg")
    p10 = fields.Float(readonly=True)
    p50 = fields.Float(readonly=True)
    p90 = fields.Float(readonly=True)
    expected = fields.Float(readonly=True)
    actual = fields.Float(string="Quarter Booked", readonly=True, group_operator="avg")
    inside = fields.Boolean(string="Inside P10-P90", readonly=True)
    inside_rate = fields.Float(string="Inside P10-P90 (%)", readonly=True, group_operator="avg",
                               help="Averaged over rows: the share of ranges that held the actual (goal about 80 %).")

    @api.model
    def _cn_refresh(self):
        """Replace the company's rows by landing_backtest()."""
        company = self.env.user.company_id
        result = self.env["crm.cn.forecast.report"].landing_backtest()
        self.sudo().search([("company_id", "=", company.id)]).unlink()
        bulk_create(self.sudo(), [{
            "company_id": company.id, "quarter_start": row["quarter_start"],
            "quarter_end": row["quarter_end"], "as_of": row["day"], "source": row["source"],
            "booked": row["booked"], "p10": row["p10"], "p50": row["p50"], "p90": row["p90"],
            "expected": row["expected"], "actual": row["actual"], "inside": row["inside"],
            "inside_rate": 100.0 if row["inside"] else 0.0} for row in result["rows"]])
        return result

    @api.model
    def action_open(self):
        """Rebuild the backtest and open it."""
        self.check_access_rights("read")
        result = self._cn_refresh()
        coverage = result["coverage"]
        return {
            "type": "ir.actions.act_window", "res_model": self._name,
            "name": _("Landing Range Backtest: %s inside P10-P90") % (
                "%.0f %%" % (100.0 * coverage) if coverage is not False else _("no past quarter")),
            "view_mode": "tree,pivot,graph", "views": [(False, "tree"), (False, "pivot"), (False, "graph")],
            "domain": [("company_id", "=", self.env.user.company_id.id)],
        }
