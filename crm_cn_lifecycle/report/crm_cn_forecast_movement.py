from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError

from ..models.crm_cn_win_model import _batch_settings
from ..tools.xlsx import rows_to_xlsx

MOVEMENTS = [("new", "New"), ("won", "Won"), ("lost", "Lost"),
             ("slipped", "Slipped Out of the Quarter"), ("pulled", "Pulled Into the Quarter"),
             ("stage_forward", "Stage Forward"), ("stage_back", "Stage Back"),
             ("category", "Category Changed"), ("amount_up", "Amount Up"),
             ("amount_down", "Amount Down"), ("probability", "Probability Changed"),
             ("unchanged", "Unchanged")]

# The quarter's figure of one snapshot row (alias {a}) seen from the quarter
# of the later snapshot (pair_qs .. pair_qe): won this quarter at its amount,
# open expected to close in it (an overdue one from its snapshot day on) at
# amount x probability.
VALUE_SQL = """CASE WHEN {a}.state = 'won' AND {a}.date_closed BETWEEN {a}.pair_qs AND {a}.pair_qe
                    THEN {a}.expected_revenue
                    WHEN {a}.state = 'open' AND GREATEST(COALESCE({a}.date_deadline, {a}.snapshot_date),
                                                         {a}.snapshot_date)
                         BETWEEN {a}.pair_qs AND {a}.pair_qe
                    THEN {a}.expected_revenue * {a}.probability / 100.0
                    ELSE 0.0 END"""
IN_QUARTER_SQL = """({a}.state = 'open' AND GREATEST(COALESCE({a}.date_deadline, {a}.snapshot_date),
                                                     {a}.snapshot_date) BETWEEN {a}.pair_qs AND {a}.pair_qe)"""
# One side of a pair (the rows of its day {side}), with the pair's columns.
SIDE_SQL = """SELECT p.company_id AS pair_company, p.date_from AS pair_from, p.date_to AS pair_to,
                     p.quarter_start AS pair_qs, p.quarter_end AS pair_qe, l.id, l.lead_id,
                     l.team_id, l.user_id, l.stage_id, l.stage_sequence, l.expected_revenue,
                     l.probability, l.date_deadline, l.date_closed, l.state, l.forecast_category,
                     l.snapshot_date
                FROM {pairs} p JOIN crm_cn_forecast_snapshot_line l
                  ON l.snapshot_date = p.{side} AND l.company_id = p.company_id"""
# Per opportunity of a pair of snapshots (p: company_id, date_from, date_to,
# quarter_start, quarter_end of the later one): one movement, in this order of
# precedence, and the change of the quarter's figure it brought.
MOVEMENT_SQL = """
{with_pairs}
SELECT {id} AS id, COALESCE(a.pair_from, b.pair_from) AS date_from,
       COALESCE(a.pair_to, b.pair_to) AS date_to, COALESCE(a.pair_company, b.pair_company) AS company_id,
       COALESCE(a.lead_id, b.lead_id) AS lead_id,
       COALESCE(a.team_id, b.team_id) AS team_id, COALESCE(a.user_id, b.user_id) AS user_id,
       b.stage_id AS stage_from_id, a.stage_id AS stage_to_id,
       COALESCE(b.expected_revenue, 0.0) AS amount_from, COALESCE(a.expected_revenue, 0.0) AS amount_to,
       b.date_deadline AS date_deadline_from, a.date_deadline AS date_deadline_to,
       COALESCE({value_b}, 0.0) AS value_from, COALESCE({value_a}, 0.0) AS value_to,
       COALESCE({value_a}, 0.0) - COALESCE({value_b}, 0.0) AS delta,
       CASE WHEN b.lead_id IS NULL THEN CASE WHEN a.state = 'open' THEN 'new' ELSE a.state END
            WHEN a.lead_id IS NULL THEN CASE WHEN b.state = 'open' THEN 'lost' ELSE 'unchanged' END
            WHEN b.state <> 'open' THEN CASE WHEN a.state = 'open' THEN 'new' ELSE 'unchanged' END
            WHEN a.state <> 'open' THEN a.state
            WHEN {in_b} AND NOT {in_a} THEN 'slipped'
            WHEN {in_a} AND NOT {in_b} THEN 'pulled'
            WHEN a.stage_sequence > b.stage_sequence THEN 'stage_forward'
            WHEN a.stage_sequence < b.stage_sequence THEN 'stage_back'
            WHEN {category_changed} THEN 'category'
            WHEN a.expected_revenue > b.expected_revenue THEN 'amount_up'
            WHEN a.expected_revenue < b.expected_revenue THEN 'amount_down'
            WHEN a.probability <> b.probability THEN 'probability'
            ELSE 'unchanged' END AS movement
  FROM ({before}) b
  FULL JOIN ({after}) a
    ON a.lead_id = b.lead_id AND a.pair_to = b.pair_to AND a.pair_company = b.pair_company
"""
# The consecutive snapshot days of each company (the report shows every week against the one before).
CONSECUTIVE_PAIRS_SQL = """
SELECT * FROM (
    SELECT d.company_id, lag(d.snapshot_date) OVER (PARTITION BY d.company_id ORDER BY d.snapshot_date)
           AS date_from, d.snapshot_date AS date_to, d.quarter_start, d.quarter_end
      FROM (SELECT company_id, snapshot_date, MIN(quarter_start) AS quarter_start,
                   MIN(quarter_end) AS quarter_end
              FROM crm_cn_forecast_snapshot_line GROUP BY company_id, snapshot_date) d) pairs
 WHERE date_from IS NOT NULL
"""


def movement_sql(pairs, category_changed="false", row_id="COALESCE(a.id, -b.id)", inline=False):
    """The SQL of the movements between the snapshot pairs of SQL `pairs`;
    `inline`: `pairs` (one pair of constants) is written in each side, so
    that the database reads each side by its day (its params then come twice)."""
    source = "(%s)" % pairs if inline else "p"
    return MOVEMENT_SQL.format(
        with_pairs="" if inline else "WITH p AS (%s)" % pairs, id=row_id, category_changed=category_changed,
        before=SIDE_SQL.format(side="date_from", pairs=source),
        after=SIDE_SQL.format(side="date_to", pairs=source),
        value_a=VALUE_SQL.format(a="a"), value_b=VALUE_SQL.format(a="b"),
        in_a=IN_QUARTER_SQL.format(a="a"), in_b=IN_QUARTER_SQL.format(a="b"))


class CrmCnForecastMovement(models.Model):
    """What moved between two weekly snapshots, per opportunity: new, won,
    lost, slipped out of or pulled into the quarter, stage forward or back,
    category changed, amount up or down. Summed per movement it is the
    waterfall from last week's quarter figure (won this quarter + weighted
    open pipeline expected in it) to this week's. Each snapshot is set
    against the one before; what_moved() compares any two."""

    _name = "crm.cn.forecast.movement"
    _description = "Forecast: What Moved"
    _auto = False
    _order = "date_to desc, movement"
    _rec_name = "lead_id"

    date_from = fields.Date(string="From Snapshot", readonly=True)
    date_to = fields.Date(string="To Snapshot", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    stage_from_id = fields.Many2one("crm.stage", string="Stage Before", readonly=True)
    stage_to_id = fields.Many2one("crm.stage", string="Stage After", readonly=True)
    amount_from = fields.Float(string="Amount Before", readonly=True)
    amount_to = fields.Float(string="Amount After", readonly=True)
    date_deadline_from = fields.Date(string="Expected Closing Before", readonly=True)
    date_deadline_to = fields.Date(string="Expected Closing After", readonly=True)
    value_from = fields.Float(string="Quarter Figure Before", readonly=True)
    value_to = fields.Float(string="Quarter Figure After", readonly=True)
    delta = fields.Float(string="Change", readonly=True)
    movement = fields.Selection(MOVEMENTS, readonly=True)

    @api.model
    def _cn_category_changed_sql(self):
        """SQL telling that the forecast category of the later row `a` differs
        from the earlier `b`: the hook for forecast categories."""
        return "(a.forecast_category IS DISTINCT FROM b.forecast_category)"

    def _query(self):
        return movement_sql(CONSECUTIVE_PAIRS_SQL, self._cn_category_changed_sql())

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("CREATE VIEW %s AS (%s)" % (self._table, self._query()))

    @api.model
    def _cn_rule_where(self):
        """(SQL, params) of the current user's record rules on this report, over
        a row aliased as the report's table."""
        query = self._where_calc([])
        self._apply_ir_rules(query, "read")
        from_clause, where_clause, params = query.get_sql()
        if from_clause.strip() != '"%s"' % self._table:
            raise UserError(_("The movements cannot be read with these access rules."))
        return where_clause or "true", params

    @api.model
    def _cn_pair(self, date_from, date_to):
        """The pair SQL and params of two snapshot days of the user's company."""
        company = self.env.user.company_id
        weeks = self.env["crm.cn.forecast.report"].quarter_weeks(date_to, company)
        return ("SELECT %s::int AS company_id, %s::date AS date_from, %s::date AS date_to, "
                "%s::date AS quarter_start, %s::date AS quarter_end",
                [company.id, date_from, date_to, fields.Date.to_string(weeks[0].start),
                 fields.Date.to_string(weeks[-1].end)])

    @api.model
    def what_moved(self, date_from, date_to, team_id=None, user_id=None, detail=False):
        """What moved between the snapshots of `date_from` and `date_to` (of the
        user's company, optionally one team or salesperson), in one query:
        {'date_from', 'date_to', 'figure_from', 'figure_to', 'waterfall': one
        row per movement (label, count, change), 'by_owner': the same per team
        and salesperson, and with `detail` 'lines': one row per opportunity}.
        Figures are the quarter's (of date_to): won in it + weighted open pipeline."""
        self.check_access_rights("read")
        pairs, params = self._cn_pair(date_from, date_to)
        rules, rule_params = self._cn_rule_where()
        where, filters = [rules], list(rule_params)
        for column, value in (("team_id", team_id), ("user_id", user_id)):
            if value:
                where.append('"%s".%s = %%s' % (self._table, column))
                filters.append(int(value))
        body = movement_sql(pairs, self._cn_category_changed_sql(), row_id="0", inline=True)
        params = params + params   # the pair is written in each side
        select = ("SELECT movement, team_id, user_id, count(*), SUM(value_from), SUM(value_to), SUM(delta)"
                  " FROM (%s) AS \"%s\" WHERE %s GROUP BY 1, 2, 3" % (body, self._table, " AND ".join(where)))
        with _batch_settings(self.env.cr):   # two snapshots joined: hashed in memory
            self.env.cr.execute(select, params + filters)
            grouped = self.env.cr.fetchall()
        labels = dict(self._fields["movement"]._description_selection(self.env))
        waterfall = {key: {"movement": key, "label": labels[key], "count": 0, "change": 0.0}
                     for key, _label in MOVEMENTS}
        owners = {}
        result = {"date_from": date_from, "date_to": date_to, "figure_from": 0.0, "figure_to": 0.0}
        for movement, team, user, count, value_from, value_to, delta in grouped:
            result["figure_from"] += value_from
            result["figure_to"] += value_to
            waterfall[movement]["count"] += count
            waterfall[movement]["change"] += delta
            owner = owners.setdefault((team or 0, user or 0), {
                "team_id": team or 0, "user_id": user or 0, "figure_from": 0.0, "figure_to": 0.0})
            owner["figure_from"] += value_from
            owner["figure_to"] += value_to
            owner[movement] = owner.get(movement, 0.0) + delta
        result["waterfall"] = [waterfall[key] for key, _label in MOVEMENTS]
        result["by_owner"] = sorted(owners.values(), key=lambda row: (row["team_id"], row["user_id"]))
        if detail:
            self.env.cr.execute(
                "SELECT lead_id, team_id, user_id, movement, amount_from, amount_to, value_from, value_to, delta"
                " FROM (%s) AS \"%s\" WHERE %s ORDER BY lead_id" % (
                    body, self._table,
                    " AND ".join(where)), params + filters)
            keys = ("lead_id", "team_id", "user_id", "movement", "amount_from", "amount_to",
                    "value_from", "value_to", "delta")
            result["lines"] = [dict(zip(keys, [value or 0 if index < 3 else value
                                               for index, value in enumerate(row)]))
                               for row in self.env.cr.fetchall()]
        return result

    @api.model
    def _cn_last_pair(self):
        """The last two snapshot days of the user's company, or None."""
        self.env.cr.execute("""SELECT DISTINCT snapshot_date FROM crm_cn_forecast_snapshot_line
                               WHERE company_id = %s ORDER BY 1 DESC LIMIT 2""",
                            [self.env.user.company_id.id])
        days = [row[0] for row in self.env.cr.fetchall()]
        return (days[1], days[0]) if len(days) == 2 else None

    @api.model
    def action_open(self):
        """The waterfall of the last two snapshots, one row per movement."""
        pair = self._cn_last_pair()
        name = _("What Moved %(from)s - %(to)s") % {"from": pair[0], "to": pair[1]} if pair else _("What Moved")
        return {
            "type": "ir.actions.act_window", "name": name, "res_model": self._name,
            "view_mode": "pivot,graph,tree", "views": [(False, "pivot"), (False, "graph"), (False, "tree")],
            "domain": [("date_to", "=", pair[1])] if pair else [],
            "context": {"group_by": ["movement"]},
        }

    @api.model
    def action_export_xlsx(self, date_from=None, date_to=None):
        """Download the waterfall and the per-salesperson movements of two
        snapshots (default the last two) as an XLSX file."""
        if not (date_from and date_to):
            pair = self._cn_last_pair()
            if not pair:
                raise UserError(_("Two snapshots are needed to see what moved."))
            date_from, date_to = pair
        moved = self.what_moved(date_from, date_to)
        teams = {team.id: team.name for team in self.env["crm.team"].browse(
            [row["team_id"] for row in moved["by_owner"] if row["team_id"]]).exists()}
        users = {user.id: user.name for user in self.env["res.users"].browse(
            [row["user_id"] for row in moved["by_owner"] if row["user_id"]]).exists()}
        labels = [label for _key, label in self._fields["movement"]._description_selection(self.env)]
        rows = [[_("All"), "", moved["figure_from"]] + [row["change"] for row in moved["waterfall"]]
                + [moved["figure_to"]]]
        rows += [[teams.get(row["team_id"], ""), users.get(row["user_id"], ""), row["figure_from"]]
                 + [row.get(key, 0.0) for key, _label in MOVEMENTS] + [row["figure_to"]]
                 for row in moved["by_owner"]]
        data = rows_to_xlsx(_("What Moved"), [_("Sales Team"), _("Salesperson"), _("Before")] + labels
                            + [_("After")], rows, number_format="#,##0.00")
        return self.env["crm.cn.export"]._cn_store("what_moved_%s_%s.xlsx" % (date_from, date_to), data)
