import io
import operator as compare

from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.sql import column_exists

from ..tools.sql_text import as_text

# Changes after which an opportunity is scored again.
RESCORE_FIELDS = {"stage_id", "planned_revenue", "partner_id", "team_id", "user_id", "type", "active"}
# Domain operators a win probability can be searched with: (SQL, Python).
SCORE_OPERATORS = {"=": ("=", compare.eq), "!=": ("<>", compare.ne), "<": ("<", compare.lt),
                   "<=": ("<=", compare.le), ">": (">", compare.gt), ">=": (">=", compare.ge)}
# Changes that may close an opportunity (won or lost).
CLOSING_FIELDS = {"stage_id", "probability", "active"}


class CrmLead(models.Model):
    """The win probability learned from the company's own closed
    opportunities (crm.cn.win.model, kept in crm.cn.win.score), beside the
    salesperson's `probability`, which it never changes; and, for closed
    opportunities, the stage and the salesperson's probability just before
    closing, which the model learns from."""

    _inherit = "crm.lead"

    cn_win_probability = fields.Float(
        string="Win Probability (Model)", digits=(16, 1), readonly=True,
        compute="_compute_cn_win", search="_search_cn_win_probability",
        help="Learned from this company's closed opportunities; the stage probability while "
             "there are too few of them. The salesperson's own probability is not changed.")
    cn_win_factors = fields.Char(
        string="Win Factors", readonly=True, compute="_compute_cn_win",
        help="The three facts that moved the model's score most, up (↑) or down (↓).")
    cn_close_stage_id = fields.Many2one(
        "crm.stage", string="Stage Before Closing", readonly=True, copy=False, ondelete="set null")
    cn_close_probability = fields.Float(
        string="Salesperson's Probability Before Closing", readonly=True, copy=False)
    cn_close_stage_days = fields.Float(
        string="Days in Stage Before Closing", readonly=True, copy=False, digits=(16, 1))

    def _compute_cn_win(self):
        """The scores kept in crm.cn.win.score, read for all of self in one query."""
        scores = self.env["crm.cn.win.score"]._cn_read([lead_id for lead_id in self.ids
                                                         if isinstance(lead_id, int)])
        for lead in self:
            lead.cn_win_probability, lead.cn_win_factors = scores.get(lead.id, (0.0, False))

    def _search_cn_win_probability(self, operator, value):
        """Opportunities whose score compares to `value` (no score counts as 0)."""
        if operator not in SCORE_OPERATORS:
            raise UserError(_("Win probabilities cannot be searched with '%s'.") % operator)
        value = float(value or 0.0)
        sql_operator, matches = SCORE_OPERATORS[operator]
        condition = "probability %s %%s" % sql_operator
        if matches(0.0, value):
            # no score counts as 0, which matches: all but the scored ones that do not
            return [("id", "not inselect", (
                "SELECT id FROM crm_cn_win_score WHERE NOT (%s)" % condition, [value]))]
        return [("id", "inselect", ("SELECT id FROM crm_cn_win_score WHERE %s" % condition, [value]))]

    @api.model
    def _generate_order_by_inner(self, alias, order_spec, query, reverse_direction=False, seen=None):
        """Opportunities can be sorted by the model's probability: a left
        join on the score table (unscored ones count as 0); any other part
        of the order is Odoo's."""
        terms = []
        for part in order_spec.split(","):
            words = part.split()
            if words and words[0] == "cn_win_probability":
                self._check_qorder(part)
                descending = (words[-1].upper() == "DESC") != reverse_direction
                score, _clause = query.add_join((alias, "crm_cn_win_score", "id", "id", "cn_win_score"),
                                                implicit=False, outer=True)
                terms.append('COALESCE("%s"."probability", 0) %s' % (score, "DESC" if descending else "ASC"))
            elif words:
                terms += super(CrmLead, self)._generate_order_by_inner(
                    alias, part, query, reverse_direction, seen)
        return terms

    @api.model
    def fields_get(self, allfields=None, attributes=None):
        """The model's probability is sortable in lists (see _generate_order_by_inner)."""
        result = super(CrmLead, self).fields_get(allfields, attributes)
        if "sortable" in result.get("cn_win_probability", {}):
            result["cn_win_probability"]["sortable"] = True
        return result

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
    def unlink(self):
        self.env["crm.cn.win.score"]._cn_forget(self.ids)
        return super(CrmLead, self).unlink()

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
        cr.execute(as_text(cr, sql.SQL("CREATE TEMP TABLE crm_cn_lead_values (id integer, {}) ON COMMIT DROP").format(
            sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(column), sql.SQL(types.get(column, "float8")))
                               for column in columns))))
        buffer = io.StringIO()
        buffer.writelines("%d\t%s\n" % (lead_id, "\t".join(_copy_text(value) for value in values))
                          for lead_id, values in values_by_id.items())
        buffer.seek(0)
        cr.copy_from(buffer, "crm_cn_lead_values", columns=["id"] + list(columns))
        cr.execute("ANALYZE crm_cn_lead_values")
        # rows whose values did not change are left alone (no new row version)
        names = [sql.Identifier(column) for column in columns]
        cr.execute(as_text(cr, sql.SQL(
            "UPDATE crm_lead SET {} FROM crm_cn_lead_values v WHERE crm_lead.id = v.id "
            "AND ({}) IS DISTINCT FROM ({})").format(
                sql.SQL(", ").join(sql.SQL("{} = v.{}").format(name, name) for name in names),
                sql.SQL(", ").join(sql.SQL("crm_lead.{}").format(name) for name in names),
                sql.SQL(", ").join(sql.SQL("v.{}").format(name) for name in names))))
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


class CrmCnWinScore(models.Model):
    """The win model's latest score of an opportunity, kept beside crm_lead
    rather than in it, under the opportunity's own id: scoring a million
    opportunities then writes this narrow table and its one index, not a
    million wide crm_lead rows and their fifteen indexes (nor, through a
    foreign key, a lock on each of them). Written by the scoring only; read
    through the opportunity's fields and the win analysis; removed with the
    opportunity."""

    _name = "crm.cn.win.score"
    _description = "Win Probability Score"
    _log_access = False
    _rec_name = "factors"

    probability = fields.Float(string="Win Probability (Model)", digits=(16, 1), readonly=True,
                               group_operator="avg")
    factors = fields.Char(string="Win Factors", readonly=True)

    @api.model_cr
    def init(self):
        """Scores that an earlier version kept in crm_lead's own columns move here."""
        cr = self.env.cr
        if column_exists(cr, "crm_lead", "cn_win_probability"):
            cr.execute("""INSERT INTO crm_cn_win_score (id, probability, factors)
                          SELECT id, cn_win_probability, cn_win_factors FROM crm_lead
                           WHERE cn_win_probability IS NOT NULL ON CONFLICT (id) DO NOTHING""")
            cr.execute("ALTER TABLE crm_lead DROP COLUMN cn_win_probability, "
                       "DROP COLUMN IF EXISTS cn_win_factors")

    @api.model
    def _cn_read(self, lead_ids):
        """{lead id: (probability, factors)} of the scored ones of `lead_ids`."""
        if not lead_ids:
            return {}
        self.env.cr.execute("SELECT id, probability, factors FROM crm_cn_win_score WHERE id = ANY(%s)",
                            [list(lead_ids)])
        return {row[0]: (row[1], row[2]) for row in self.env.cr.fetchall()}

    @api.model
    def _cn_write(self, lead_ids, probabilities, factors):
        """Keep the scores of `lead_ids` (probabilities in percent, factors
        texts: one each per lead) with one COPY and one INSERT .. ON
        CONFLICT; unchanged scores are left alone."""
        if not lead_ids:
            return
        cr = self.env.cr
        cr.execute("CREATE TEMP TABLE crm_cn_win_new (id integer, probability float8, "
                   "factors varchar) ON COMMIT DROP")
        texts = {text: _copy_text(text) for text in set(factors)}   # each distinct text once
        buffer = io.StringIO()
        buffer.writelines("%d\t%r\t%s\n" % (lead_id, probability, texts[text])
                          for lead_id, probability, text in zip(lead_ids, probabilities, factors))
        buffer.seek(0)
        cr.copy_from(buffer, "crm_cn_win_new")
        cr.execute("""INSERT INTO crm_cn_win_score (id, probability, factors)
                      SELECT id, probability, factors FROM crm_cn_win_new
                      ON CONFLICT (id) DO UPDATE
                         SET probability = EXCLUDED.probability, factors = EXCLUDED.factors
                       WHERE (crm_cn_win_score.probability, crm_cn_win_score.factors)
                             IS DISTINCT FROM (EXCLUDED.probability, EXCLUDED.factors)""")
        cr.execute("DROP TABLE crm_cn_win_new")
        self.env["crm.lead"].invalidate_cache(["cn_win_probability", "cn_win_factors"])

    @api.model
    def _cn_forget(self, lead_ids):
        """Remove the scores of `lead_ids` (opportunities being deleted)."""
        self.env.cr.execute("DELETE FROM crm_cn_win_score WHERE id = ANY(%s)", [list(lead_ids)])
