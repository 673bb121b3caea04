import io

from odoo import api, fields, models

# Changes after which an opportunity is scored again.
RESCORE_FIELDS = {"stage_id", "planned_revenue", "partner_id", "team_id", "user_id", "type", "active"}
# Changes that may close an opportunity (won or lost).
CLOSING_FIELDS = {"stage_id", "probability", "active"}


class CrmLead(models.Model):
    """The win probability learned from the company's own closed
    opportunities (crm.cn.win.model), beside the salesperson's `probability`,
    which it never changes; and, for closed opportunities, the stage and the
    salesperson's probability just before closing, which the model learns
    from."""

    _inherit = "crm.lead"

    cn_win_probability = fields.Float(
        string="Win Probability (Model)", digits=(16, 1), readonly=True, copy=False,
        group_operator="avg",
        help="Learned from this company's closed opportunities; the stage probability while "
             "there are too few of them. The salesperson's own probability is not changed.")
    cn_win_factors = fields.Char(
        string="Win Factors", readonly=True, copy=False,
        help="The three facts that moved the model's score most, up (↑) or down (↓).")
    cn_close_stage_id = fields.Many2one(
        "crm.stage", string="Stage Before Closing", readonly=True, copy=False, ondelete="set null")
    cn_close_probability = fields.Float(
        string="Salesperson's Probability Before Closing", readonly=True, copy=False)
    cn_close_stage_days = fields.Float(
        string="Days in Stage Before Closing", readonly=True, copy=False, digits=(16, 1))

    def _cn_is_open(self):
        return (self.type == "opportunity" and self.active and self.probability < 100
                and self.stage_id.probability < 100)

    @api.model
    def create(self, vals):
        lead = super(CrmLead, self).create(vals)
        if lead.type == "opportunity":
            lead._cn_rescore()
        return lead

    @api.multi
    def write(self, vals):
        before = {}
        if CLOSING_FIELDS & set(vals):
            now = fields.Datetime.from_string(fields.Datetime.now())
            for lead in self.filtered(lambda lead: lead._cn_is_open()):
                since = fields.Datetime.from_string(lead.date_last_stage_update) or now
                before[lead.id] = (lead.stage_id.id, lead.probability,
                                   round((now - since).total_seconds() / 86400.0, 1))
        result = super(CrmLead, self).write(vals)
        if before:
            closed = self.filtered(lambda lead: lead.id in before and not lead._cn_is_open())
            self._cn_write_columns(
                ("cn_close_stage_id", "cn_close_probability", "cn_close_stage_days"),
                {lead.id: before[lead.id] for lead in closed})
        if RESCORE_FIELDS & set(vals):
            self._cn_rescore()
        return result

    @api.multi
    def _cn_rescore(self):
        """Score the open opportunities of self again with the latest win model."""
        leads = self.filtered(lambda lead: lead._cn_is_open())
        if leads:
            self.env["crm.cn.win.model"].sudo()._cn_score(leads)

    @api.model
    def _cn_write_columns(self, columns, values_by_id):
        """Write computed values of many leads with one COPY and one UPDATE,
        without tracking, write_date or access checks (derived figures)."""
        if not values_by_id:
            return
        cr = self.env.cr
        types = {"cn_close_stage_id": "integer", "cn_win_factors": "varchar"}
        cr.execute("CREATE TEMP TABLE crm_cn_lead_values (id integer, %s) ON COMMIT DROP" % ", ".join(
            '"%s" %s' % (column, types.get(column, "float8")) for column in columns))
        buffer = io.StringIO()
        buffer.writelines("%d\t%s\n" % (lead_id, "\t".join(_copy_text(value) for value in values))
                          for lead_id, values in values_by_id.items())
        buffer.seek(0)
        cr.copy_from(buffer, "crm_cn_lead_values", columns=["id"] + list(columns))
        cr.execute("ANALYZE crm_cn_lead_values")
        # rows whose values did not change are left alone (no new row version)
        cr.execute("UPDATE crm_lead SET %s FROM crm_cn_lead_values v WHERE crm_lead.id = v.id "
                   "AND (%s) IS DISTINCT FROM (%s)" % (
                       ", ".join('"%s" = v."%s"' % (column, column) for column in columns),
                       ", ".join('crm_lead."%s"' % column for column in columns),
                       ", ".join('v."%s"' % column for column in columns)))
        cr.execute("DROP TABLE crm_cn_lead_values")
        self.browse(list(values_by_id)).invalidate_cache(list(columns))


def _copy_text(value):
    """`value` in PostgreSQL's COPY text format."""
    if value is None or value is False:
        return "\\N"
    if isinstance(value, str):
        return (value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                .replace("\r", "\\r"))
    return repr(value)
