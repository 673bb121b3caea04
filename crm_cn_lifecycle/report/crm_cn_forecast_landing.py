from datetime import timedelta

import numpy

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from ..models.crm_cn_win_model import _batch_settings, read_columns
from ..tools import landing

# The open opportunities of a company (crm_lead l) as the landing range needs
# them: who, stage, amount (company currency), win probability (learned, else
# the stage's) and days from `day` to the expected close.
OPEN_LEADS_SQL = """
SELECT COALESCE(l.team_id, 0), COALESCE(l.user_id, 0), COALESCE(l.stage_id, 0),
       COALESCE(l.planned_revenue, 0)::float8,
       COALESCE(ws.probability, s.probability, l.probability, 0)::float8,
       COALESCE(l.date_deadline, %(day)s::date) - %(day)s::date
  FROM crm_lead l
  LEFT JOIN crm_stage s ON s.id = l.stage_id
  LEFT JOIN crm_cn_win_score ws ON ws.id = l.id
 WHERE l.type = 'opportunity' AND l.active AND l.probability < 100 AND COALESCE(s.probability, 0) < 100
   AND COALESCE(l.company_id, %(company)s) = %(company)s {where}
"""
OPEN_COLUMNS = (("team", "i"), ("user", "i"), ("stage", "i"), ("amount", "f"), ("probability", "f"),
                ("days", "i"))
# The same, as a snapshot saw them (the backtest): its open rows.
SNAPSHOT_LEADS_SQL = """
SELECT COALESCE(sl.team_id, 0), COALESCE(sl.user_id, 0), COALESCE(sl.stage_id, 0),
       sl.expected_revenue::float8, sl.win_probability::float8,
       COALESCE(sl.date_deadline, sl.snapshot_date) - sl.snapshot_date
  FROM crm_cn_forecast_snapshot_line sl
 WHERE sl.snapshot_date = %(day)s AND sl.company_id = %(company)s AND sl.state = 'open' {where}
"""
# Past quarters without a snapshot: the opportunities open on `day` rebuilt from
# their creation and close dates, their stage that day from the stage history
# (else their stage now), that stage's probability, and today's amount and
# expected close.
HISTORY_LEADS_SQL = """
SELECT COALESCE(l.team_id, 0), COALESCE(l.user_id, 0), COALESCE(h.stage_id, l.cn_close_stage_id, l.stage_id, 0),
       COALESCE(l.planned_revenue, 0)::float8, COALESCE(hs.probability, s.probability, 0)::float8,
       COALESCE(l.date_deadline, %(day)s::date) - %(day)s::date
  FROM crm_lead l
  LEFT JOIN crm_stage s ON s.id = l.stage_id
  LEFT JOIN LATERAL (SELECT h.stage_id FROM crm_cn_stage_history h
                      WHERE h.lead_id = l.id AND h.date_in::date <= %(day)s::date
                      ORDER BY h.date_in DESC, h.id DESC LIMIT 1) h ON true
  LEFT JOIN crm_stage hs ON hs.id = COALESCE(h.stage_id, l.cn_close_stage_id)
 WHERE l.type = 'opportunity' AND l.create_date::date <= %(day)s::date
   AND (l.date_closed IS NULL OR l.date_closed::date > %(day)s::date)
   AND (l.active OR l.date_closed IS NOT NULL)
   AND COALESCE(l.company_id, %(company)s) = %(company)s
   AND COALESCE(hs.probability, s.probability, 0) < 100 {where}
"""
# Close-date slip (actual close - expected close, days) of the deals won up to
# `day`, per stage: for a deal a snapshot saw won, the expected close and
# stage of the last snapshot that saw it open; for the others their own
# expected close and the stage they left to be won (else the last open stage
# of their history). Snapshot rows are read for the won ones only.
SLIP_SQL = """
WITH won AS (
    SELECT l.id, l.date_closed::date AS closed, l.date_deadline,
           COALESCE(l.cn_close_stage_id, (
               SELECT h.stage_id FROM crm_cn_stage_history h
                 JOIN crm_stage hs ON hs.id = h.stage_id AND hs.probability < 100
                WHERE h.lead_id = l.id ORDER BY h.date_in DESC, h.id DESC LIMIT 1)) AS stage_id
      FROM crm_lead l
     WHERE l.type = 'opportunity' AND l.active AND l.probability >= 100 AND l.date_closed IS NOT NULL
       AND l.date_closed::date <= %(day)s::date AND COALESCE(l.company_id, %(company)s) = %(company)s
), seen AS (
    SELECT DISTINCT ON (w.lead_id) w.lead_id, o.stage_id, o.date_deadline
      FROM crm_cn_forecast_snapshot_line w
      JOIN LATERAL (SELECT sl.stage_id, sl.date_deadline FROM crm_cn_forecast_snapshot_line sl
                     WHERE sl.lead_id = w.lead_id AND sl.state = 'open' AND sl.date_deadline IS NOT NULL
                       AND sl.snapshot_date < w.snapshot_date
                     ORDER BY sl.snapshot_date DESC LIMIT 1) o ON true
     WHERE w.state = 'won' AND w.snapshot_date <= %(day)s::date AND w.company_id = %(company)s
     ORDER BY w.lead_id, w.snapshot_date
)
SELECT COALESCE(s.stage_id, w.stage_id, 0), w.closed - COALESCE(s.date_deadline, w.date_deadline), count(*)
  FROM won w LEFT JOIN seen s ON s.lead_id = w.id
 WHERE COALESCE(s.date_deadline, w.date_deadline) IS NOT NULL
 GROUP BY 1, 2
"""
BACKTEST_QUARTERS = 4
# Stock per product category of a company (storable products): on hand,
# booked not yet shipped, incoming receipts expected by %(end)s.
INVENTORY_SQL = """
WITH stocked AS (
    SELECT pp.id AS product_id, pt.categ_id FROM product_product pp
      JOIN product_template pt ON pt.id = pp.product_tmpl_id WHERE pt.type = 'product'
), on_hand AS (
    SELECT s.categ_id, SUM(q.quantity) AS qty FROM stock_quant q
      JOIN stocked s ON s.product_id = q.product_id
      JOIN stock_location loc ON loc.id = q.location_id AND loc.usage = 'internal'
     WHERE q.company_id = %(company)s GROUP BY 1
), booked AS (
    SELECT s.categ_id, SUM(GREATEST(sol.product_uom_qty - sol.qty_delivered, 0)) AS qty
      FROM sale_order_line sol JOIN sale_order so ON so.id = sol.order_id
      JOIN stocked s ON s.product_id = sol.product_id
     WHERE so.state IN ('sale', 'done') AND so.company_id = %(company)s GROUP BY 1
), incoming AS (
    SELECT s.categ_id, SUM(m.product_qty) AS qty FROM stock_move m
      JOIN stocked s ON s.product_id = m.product_id
      JOIN stock_location dest ON dest.id = m.location_dest_id AND dest.usage = 'internal'
      JOIN stock_location src ON src.id = m.location_id AND src.usage <> 'internal'
     WHERE m.state NOT IN ('draft', 'done', 'cancel') AND m.company_id = %(company)s
       AND m.date_expected::date <= %(end)s::date GROUP BY 1
)
SELECT COALESCE(o.categ_id, b.categ_id, i.categ_id), COALESCE(o.qty, 0), COALESCE(b.qty, 0), COALESCE(i.qty, 0)
  FROM on_hand o FULL JOIN booked b ON b.categ_id = o.categ_id
  FULL JOIN incoming i ON i.categ_id = COALESCE(o.categ_id, b.categ_id)
"""
# Quotations of open opportunities: quantities per opportunity and category,
# with what the landing probability needs of the opportunity.
PIPELINE_SQL = """
SELECT l.id, pt.categ_id, COALESCE(l.stage_id, 0),
       COALESCE(ws.probability, s.probability, l.probability, 0)::float8,
       COALESCE(l.date_deadline, %(day)s::date) - %(day)s::date, SUM(sol.product_uom_qty)
  FROM sale_order_line sol
  JOIN sale_order so ON so.id = sol.order_id
  JOIN crm_lead l ON l.id = so.opportunity_id
  LEFT JOIN crm_stage s ON s.id = l.stage_id
  LEFT JOIN crm_cn_win_score ws ON ws.id = l.id
  JOIN product_product pp ON pp.id = sol.product_id
  JOIN product_template pt ON pt.id = pp.product_tmpl_id AND pt.type = 'product'
 WHERE so.state IN ('draft', 'sent') AND so.company_id = %(company)s
   AND l.active AND l.probability < 100 AND COALESCE(s.probability, 0) < 100
 GROUP BY 1, 2, 3, 4, 5
"""
GROUP_MANAGER = "crm_cn_lifecycle.group_manager"
GROUP_ACCOUNTANT = "crm_cn_lifecycle.group_accountant"


class CrmCnForecastReport(models.Model):
    """Where the quarter lands (P10 / P50 / P90) and how often that range held."""

    _inherit = "crm.cn.forecast.report"

    @api.model
    def _cn_lead_rule_where(self):
        """An SQL condition on opportunity `l` applying the user's record rules
        on opportunities (none for the superuser), with its params."""
        Lead = self.env["crm.lead"]
        query = Lead._where_calc([], active_test=False)
        Lead._apply_ir_rules(query, "read")
        from_clause, where_clause, params = query.get_sql()
        if not query.where_clause or self.env.uid == 1:
            return "", []
        return " AND l.id IN (SELECT crm_lead.id FROM %s WHERE %s)" % (from_clause, where_clause), params

    @api.model
    def _cn_slip_table(self, day, company):
        """The SlipTable learned from the deals won up to `day`."""
        self.env.cr.execute(SLIP_SQL, {"day": day, "company": company.id})
        rows = self.env.cr.fetchall()
        return landing.SlipTable([row[0] for row in rows], [row[1] for row in rows],
                                 [row[2] for row in rows])

    @api.model
    def _cn_booked(self, start, stop, team_id=None, user_id=None, by_team=False):
        """Orders booked from `start` to `stop` (record rules applied): a total,
        or {team id (0 none): total} with `by_team`."""
        domain = [("date", ">=", start), ("date", "<=", stop), ("booked", "!=", 0),
                  ("company_id", "=", self.env.user.company_id.id)]
        domain += [("team_id", "=", team_id)] if team_id else []
        domain += [("user_id", "=", user_id)] if user_id else []
        rows = self.read_group(domain, ["booked", "team_id"], ["team_id"] if by_team else [], lazy=False)
        if not by_team:
            return rows[0]["booked"] or 0.0 if rows else 0.0
        return {row["team_id"][0] if row["team_id"] else 0: row["booked"] or 0.0 for row in rows}

    @api.model
    def _cn_landings(self, day, team_id=None, user_id=None, by_team=False, source="live"):
        """{'company': range, 'teams': {team id: range}} of the quarter holding
        `day`: booked up to `day` plus the open opportunities (`source`:
        'live' today's, 'snapshot' the snapshot of `day`, 'history' rebuilt)."""
        company = self.env.user.company_id
        weeks = self.quarter_weeks(day, company)
        start, end = weeks[0].start, weeks[-1].end
        where, params = self._cn_lead_rule_where() if source == "live" else ("", [])
        alias = {"live": "l", "snapshot": "sl", "history": "l"}[source]
        for column, value in (("team_id", team_id), ("user_id", user_id)):
            if value:
                where += " AND %s.%s = %%s" % (alias, column)
                params = params + [int(value)]
        sql = {"live": OPEN_LEADS_SQL, "snapshot": SNAPSHOT_LEADS_SQL, "history": HISTORY_LEADS_SQL}[source]
        named = {"day": day, "company": company.id}
        # positional params of the rules and filters after the named ones: name them too
        for index, value in enumerate(params):
            named["p%d" % index] = value
        where = self._cn_name_params(where, len(params))
        with _batch_settings(self.env.cr):   # two large reads: sorts and hashes in memory
            columns = read_columns(self.env.cr, sql.format(where=where), named, OPEN_COLUMNS)
            slips = self._cn_slip_table(day, company)
        probabilities = landing.landing_probabilities(
            columns["probability"] / 100.0, columns["stage"], columns["days"],
            (end - fields.Date.from_string(day)).days, slips)
        start_text = fields.Date.to_string(start)
        booked = self._cn_booked(start_text, day, team_id, user_id, by_team=by_team)

        def result(book, mask=None):
            amounts = columns["amount"] if mask is None else columns["amount"][mask]
            chances = probabilities if mask is None else probabilities[mask]
            return dict(landing.landing_range(book, amounts, chances), quarter_start=start_text,
                        quarter_end=fields.Date.to_string(end), day=day, open_count=int(len(amounts)))
        if not by_team:
            return {"company": result(booked)}
        teams = {}
        for team in sorted(set(numpy.unique(columns["team"]).tolist()) | set(booked)):
            teams[team] = result(booked.get(team, 0.0), columns["team"] == team)
        return {"company": result(sum(booked.values())), "teams": teams}

    @staticmethod
    def _cn_name_params(where, count):
        """`where` with its `count` positional %s turned into %(pN)s."""
        parts = where.replace("%%", "\x00").split("%s")
        assert len(parts) == count + 1
        text = parts[0]
        for index, part in enumerate(parts[1:]):
            text += "%%(p%d)s" % index + part
        return text.replace("\x00", "%%")

    @api.model
    def quarter_landing(self, day=None, team_id=None, user_id=None):
        """Where the quarter holding `day` (default today) lands, for the
        user's company or one team or salesperson: {'p10', 'p50', 'p90',
        'booked', 'expected', 'quarter_start', 'quarter_end', 'day',
        'open_count'}. Booked so far plus each open opportunity won with its
        learned probability and closing at its expected date shifted by the
        close-date slip learned per stage."""
        day = day or fields.Date.context_today(self)
        return self._cn_landings(day, team_id=team_id, user_id=user_id)["company"]

    @api.model
    def quarter_landings(self, day=None):
        """quarter_landing() of the company and of every team, from one read:
        {'company': range, 'teams': [dict(range, team_id=..., team=name)]}."""
        day = day or fields.Date.context_today(self)
        landings = self._cn_landings(day, by_team=True)
        names = dict(self.env["crm.team"].sudo().browse(
            [team for team in landings["teams"] if team]).exists().mapped(lambda t: (t.id, t.name)))
        return {"company": landings["company"], "teams": [
            dict(value, team_id=team, team=names.get(team, _("No Sales Team")))
            for team, value in sorted(landings["teams"].items())]}

    @api.model
    def landing_backtest(self, team_id=None, today=None):
        """How often the quarter's actual bookings fell inside P10-P90 over
        the last BACKTEST_QUARTERS past quarters: the range taken at each
        snapshot of the quarter (at its first day, rebuilt from history, when
        it has none) against the quarter's bookings. {'rows': [...],
        'coverage': share inside (False without rows)}."""
        company, user = self.env.user.company_id, self.env.user
        if not (user.has_group(GROUP_MANAGER) or user.has_group(GROUP_ACCOUNTANT)):
            if not user.sale_team_id or (team_id and team_id != user.sale_team_id.id):
                raise AccessError(_("Only managers see the backtest of other teams than their own."))
            team_id = user.sale_team_id.id
        today = fields.Date.from_string(today or fields.Date.context_today(self))
        quarters, cursor = [], self.quarter_weeks(fields.Date.to_string(today), company)[0].start
        for _index in range(BACKTEST_QUARTERS):
            weeks = self.quarter_weeks(fields.Date.to_string(cursor - timedelta(days=1)), company)
            quarters.append((weeks[0].start, weeks[-1].end))
            cursor = weeks[0].start
        self.env.cr.execute("""SELECT DISTINCT snapshot_date FROM crm_cn_forecast_snapshot_line
                               WHERE company_id = %s AND snapshot_date BETWEEN %s AND %s""",
                            [company.id, quarters[-1][0], quarters[0][1]])
        snapshot_days = sorted(row[0] for row in self.env.cr.fetchall())
        rows = []
        for start, end in reversed(quarters):
            days = [fields.Date.from_string(value) if isinstance(value, str) else value
                    for value in snapshot_days]
            inside = [value for value in days if start <= value <= end]
            sources = [(value, "snapshot") for value in inside] or [(start, "history")]
            actual = self._cn_booked(fields.Date.to_string(start), fields.Date.to_string(end), team_id)
            for as_of, source in sources:
                as_of_text = fields.Date.to_string(as_of)
                found = self._cn_landings(as_of_text, team_id=team_id, source=source)["company"]
                if source == "history" and not found["open_count"] and not actual:
                    continue
                rows.append(dict(found, actual=actual, source=source,
                                 inside=bool(found["p10"] - 0.005 <= actual <= found["p90"] + 0.005)))
        coverage = landing.coverage((row["p10"], row["p90"], row["actual"]) for row in rows)
        return {"rows": rows, "coverage": coverage if coverage is not None else False}

    @api.model
    def quarter_inventory(self, day=None):
        """Stock per product category at the end of the quarter holding `day`
        (default today): on hand - booked not yet shipped - expected shipments
        of the weighted pipeline (quotations of open opportunities, each at its
        landing probability) + incoming receipts; categories heading for a
        stock-out or an overstock flagged. A list of dicts."""
        self.check_access_rights("read")
        day = day or fields.Date.context_today(self)
        company = self.env.user.company_id
        end = self.quarter_weeks(day, company)[-1].end
        cr = self.env.cr
        cr.execute(INVENTORY_SQL, {"company": company.id, "end": fields.Date.to_string(end)})
        stock = {row[0]: list(row[1:]) for row in cr.fetchall()}
        cr.execute(PIPELINE_SQL, {"company": company.id, "day": day})
        quotes = cr.fetchall()
        pipeline = {}
        if quotes:
            chances = landing.landing_probabilities(
                [row[3] / 100.0 for row in quotes], [row[2] for row in quotes], [row[4] for row in quotes],
                (end - fields.Date.from_string(day)).days, self._cn_slip_table(day, company))
            for row, chance in zip(quotes, chances):
                pipeline[row[1]] = pipeline.get(row[1], 0.0) + row[5] * float(chance)
        categories = sorted(set(stock) | set(pipeline))
        figures = [stock.get(categ, [0.0, 0.0, 0.0]) for categ in categories]
        flags = landing.inventory_at_quarter_end(
            [row[0] for row in figures], [row[1] for row in figures],
            [pipeline.get(categ, 0.0) for categ in categories], [row[2] for row in figures])
        names = dict((categ.id, categ.display_name) for categ in self.env["product.category"].sudo().browse(
            categories).exists())
        return [{"categ_id": categ, "category": names.get(categ, ""), "on_hand": row[0],
                 "booked_not_shipped": row[1], "pipeline": pipeline.get(categ, 0.0), "incoming": row[2],
                 "projected": projected, "flag": flag, "quarter_end": fields.Date.to_string(end)}
                for categ, row, (projected, flag) in zip(categories, figures, flags)]
