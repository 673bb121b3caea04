from datetime import datetime

from psycopg2.extras import execute_values

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError

from ..tools import aging, scorecard
from . import crm_cn_dealer_scorecard_sql as q

# How far before the quarter a dealer's last report still opens it.
OPENING_LOOKBACK_DAYS = 91
LEAD_FIELDS = ("lead_offered", "lead_accepted", "lead_declined", "lead_timed_out", "lead_answer_hours",
               "lead_won", "registration_count", "registration_approved", "registration_won")


class CrmCnDealerScorecard(models.Model):
    """A dealer's scorecard for a fiscal quarter (4-4-5 calendar): purchases and
    growth, sell-through and cover from its stock reports, their freshness,
    receivables, tickets per unit, lead work, the accuracy of its reported
    sell-out, the grade it earns and its rank within its grade. Rows are
    written by compute_scorecards() for all dealers at once (one SQL pass per
    figure), never by hand."""

    _name = "crm.cn.dealer.scorecard"
    _description = "Dealer Scorecard"
    _order = "date_start desc, grade_sequence, rank, dealer_id"
    _rec_name = "dealer_id"

    dealer_id = fields.Many2one("res.partner", string="Dealer", required=True, index=True,
                                ondelete="cascade", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True, index=True)
    company_id = fields.Many2one("res.company", string="Company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    date_start = fields.Date(string="Quarter Start", required=True, readonly=True, index=True)
    date_end = fields.Date(string="Quarter End", required=True, readonly=True)
    complete = fields.Boolean(string="Quarter Complete", readonly=True,
                              help="Computed after the quarter ended; otherwise the quarter to date.")
    computed_on = fields.Datetime(readonly=True)
    purchases = fields.Monetary(readonly=True, help="Net invoiced (invoices − refunds), untaxed, company currency.")
    purchases_last_year = fields.Monetary(string="Purchases Same Quarter Last Year", readonly=True)
    growth = fields.Float(string="Growth (%)", readonly=True, digits=(16, 1), group_operator="avg")
    delivered_qty = fields.Float(string="Units Delivered", readonly=True, digits=(16, 2))
    sold_qty = fields.Float(string="Reported Sell-out", readonly=True, digits=(16, 2))
    closing_qty = fields.Float(string="Reported Stock at End", readonly=True, digits=(16, 2))
    sell_through = fields.Float(string="Sell-through (%)", readonly=True, digits=(16, 1), group_operator="avg")
    weeks_of_cover = fields.Float(readonly=True, digits=(16, 1), group_operator="avg")
    report_count = fields.Integer(string="Stock Reports", readonly=True)
    last_report_date = fields.Date(string="Last Report", readonly=True)
    days_since_report = fields.Integer(readonly=True, group_operator="max")
    sellout_accuracy = fields.Float(
        string="Sell-out Accuracy (%)", readonly=True, digits=(16, 1), group_operator="avg",
        help="Stock reported at the start + units delivered − sell-out reported, against the stock "
             "reported at the end: 100 when they agree.")
    balance = fields.Monetary(string="Receivable Balance", readonly=True)
    overdue_amount = fields.Monetary(string="Overdue", readonly=True)
    overdue_days = fields.Integer(readonly=True, group_operator="max")
    dso = fields.Float(string="DSO", readonly=True, digits=(16, 1), group_operator="avg")
    credit_limit = fields.Monetary(readonly=True)
    credit_used = fields.Monetary(readonly=True, help="Open receivables + orders not invoiced.")
    credit_used_pct = fields.Float(string="Credit Used (%)", readonly=True, digits=(16, 1),
                                   group_operator="avg")
    ticket_count = fields.Integer(string="Tickets", readonly=True)
    tickets_per_100_units = fields.Float(string="Tickets per 100 Units", readonly=True, digits=(16, 2),
                                         group_operator="avg")
    lead_offered = fields.Integer(string="Leads Offered", readonly=True)
    lead_accepted = fields.Integer(string="Leads Accepted", readonly=True)
    lead_declined = fields.Integer(string="Leads Declined", readonly=True)
    lead_timed_out = fields.Integer(string="Leads Timed Out", readonly=True)
    lead_acceptance_rate = fields.Float(string="Lead Acceptance (%)", readonly=True, digits=(16, 1),
                                        group_operator="avg")
    lead_answer_hours = fields.Float(string="Answer Time (Hours)", readonly=True, digits=(16, 1),
                                     group_operator="avg")
    lead_won = fields.Integer(string="Forwarded Leads Won", readonly=True)
    lead_conversion = fields.Float(string="Forwarded Lead Conversion (%)", readonly=True, digits=(16, 1),
                                   group_operator="avg")
    registration_count = fields.Integer(string="Deal Registrations", readonly=True)
    registration_approved = fields.Integer(string="Registrations Approved", readonly=True)
    registration_won = fields.Integer(string="Registrations Won", readonly=True)
    registration_conversion = fields.Float(string="Registration Conversion (%)", readonly=True,
                                           digits=(16, 1), group_operator="avg")
    grade_computed_id = fields.Many2one("crm.cn.partner.grade", string="Grade Earned", readonly=True)
    grade_id = fields.Many2one("crm.cn.partner.grade", string="Grade", readonly=True,
                               help="The grade in force: a manager's override, else the grade earned.")
    grade_sequence = fields.Integer(readonly=True)
    rank = fields.Integer(string="Rank in Grade", readonly=True, group_operator="min",
                          help="1: the largest purchases among the dealers of its grade in the quarter.")

    _sql_constraints = [
        ("dealer_quarter_unique", "unique(dealer_id, company_id, date_start)",
         "A dealer has one scorecard per quarter and company."),
    ]

    # --- doors ----------------------------------------------------------------------

    @api.model
    def compute_scorecards(self, date=None, dealer_ids=None):
        """Compute (again) every dealer's scorecard of the quarter holding
        `date` (default: the last complete quarter) in the user's company.
        When that quarter is complete and the latest one that is, each dealer's
        grade is set from it (a manager's override stands). Managers only;
        returns the number of scorecards written."""
        if not self.env.user.has_group("crm_cn_lifecycle.group_manager") and self.env.uid != SUPERUSER_ID:
            raise AccessError(_("Only CRM managers compute the dealer scorecards."))
        company = self.env.user.company_id
        today = fields.Date.from_string(fields.Date.context_today(self))
        calendar = (int(company.cn_fiscal_year_start_month), int(company.cn_week_start))
        last_start, last_end = scorecard.previous_quarter_bounds(today, *calendar)
        day = fields.Date.from_string(date) if date else last_end
        start, end = scorecard.quarter_bounds(day, *calendar)
        rows = self.sudo()._cn_compute_rows(company, start, end, today, dealer_ids)
        cards = self.sudo()._cn_store_rows(rows)
        if end < today and start == last_start:
            self.sudo().with_context(cn_grade_user=self.env.uid)._cn_apply_grades(cards)
        return len(cards)

    @api.model
    def action_compute_scorecards(self):
        """The menu's button: the last complete quarter, then the list."""
        self.compute_scorecards()
        return self.env.ref("crm_cn_lifecycle.action_dealer_scorecard").read()[0]

    @api.model
    def _cron_compute_scorecards(self):
        """The last complete quarter (grades follow) and the current one to date."""
        self.compute_scorecards()
        self.compute_scorecards(fields.Date.context_today(self))

    @api.multi
    def action_export_xlsx(self):
        """The selected scorecards as the user's XLSX (the addon's safe writer)."""
        names = ["dealer_id", "date_start", "date_end", "grade_id", "rank", "purchases",
                 "purchases_last_year", "growth", "delivered_qty", "sold_qty", "sell_through",
                 "weeks_of_cover", "report_count", "days_since_report", "sellout_accuracy",
                 "balance", "overdue_amount", "overdue_days", "dso", "credit_used", "credit_used_pct",
                 "ticket_count", "tickets_per_100_units", "lead_offered", "lead_accepted",
                 "lead_declined", "lead_timed_out", "lead_acceptance_rate", "lead_answer_hours",
                 "lead_conversion", "registration_count", "registration_conversion"]
        records = self or self.search([])
        return self.env["crm.cn.export"]._cn_export_records(
            records, names, _("Dealer Scorecards"), "dealer-scorecards.xlsx")

    # --- computing --------------------------------------------------------------------

    @api.model
    def _cn_compute_rows(self, company, start, end, today, dealer_ids=None):
        """[dict of the scorecard's columns] of every dealer of `company` for
        the quarter [start, end], as of min(end, today): one query per figure."""
        cr = self.env.cr
        calendar = (int(company.cn_fiscal_year_start_month), int(company.cn_week_start))
        ly_start, ly_end = scorecard.same_quarter_last_year(start, *calendar)
        as_of = min(end, today)
        cr.execute(q.DEALERS, {"company": company.id, "only": list(dealer_ids) if dealer_ids else None})
        dealers = cr.fetchall()
        ids = [row[0] for row in dealers]
        if not ids:
            return []
        params = {"company": company.id, "ids": ids, "start": start, "end": end, "ly_start": ly_start,
                  "ly_end": ly_end, "lookback": OPENING_LOOKBACK_DAYS}
        cr.execute(q.PURCHASES, params)
        purchases = {row[0]: row[1:] for row in cr.fetchall()}
        cr.execute(q.DELIVERED, params)
        delivered = dict(cr.fetchall())
        cr.execute(q.STOCK, params)
        stock = {}
        for dealer_id, _product, sold, closing, opening, window_sold, window_delivered in cr.fetchall():
            values = stock.setdefault(dealer_id, {"sold": 0.0, "closing": 0.0, "windows": []})
            values["sold"] += sold or 0.0
            values["closing"] += closing or 0.0
            if opening is not None:
                values["windows"].append((opening, window_delivered, window_sold, closing))
        cr.execute(q.REPORTS, params)
        reports = {row[0]: (row[1], aging.to_date(row[2])) for row in cr.fetchall()}
        cr.execute(q.TICKETS, params)
        tickets = dict(cr.fetchall())
        credit = self.env["res.partner"].browse(ids)._cn_credit_figures(today=as_of, company=company)
        leads = self._cn_scorecard_lead_stats(ids, start, end)
        grades = self.env["crm.cn.partner.grade"]._thresholds(company)
        days = (as_of - start).days + 1
        rows = []
        for dealer_id, user_id, override_id in dealers:
            bought, bought_last_year = purchases.get(dealer_id, (0.0, 0.0))
            units = delivered.get(dealer_id) or 0.0
            stock_values = stock.get(dealer_id)
            count, last_report = reports.get(dealer_id, (0, None))
            figures = credit.get(dealer_id) or {}
            oldest = aging.to_date(figures.get("oldest_overdue_date"))
            overdue = figures.get("overdue") or 0.0
            exposure = figures.get("exposure") or 0.0
            limit = figures.get("credit_limit") or 0.0
            row = {
                "dealer_id": dealer_id, "user_id": user_id, "company_id": company.id,
                "date_start": start, "date_end": end, "complete": end < today,
                "purchases": bought, "purchases_last_year": bought_last_year,
                "growth": scorecard.growth(bought, bought_last_year),
                "delivered_qty": units, "report_count": count, "last_report_date": last_report,
                "days_since_report": scorecard.days_between(last_report, as_of),
                "balance": figures.get("balance") or 0.0, "overdue_amount": overdue,
                "overdue_days": scorecard.days_between(oldest, as_of) if overdue > 0 and oldest else 0,
                "dso": figures.get("dso"), "credit_limit": limit, "credit_used": exposure,
                "credit_used_pct": scorecard.ratio_percent(exposure, limit),
                "ticket_count": tickets.get(dealer_id, 0),
                "tickets_per_100_units": scorecard.per_hundred(tickets.get(dealer_id, 0), units),
            }
            if stock_values:
                row.update({
                    "sold_qty": stock_values["sold"], "closing_qty": stock_values["closing"],
                    "sell_through": scorecard.sell_through(stock_values["sold"], stock_values["closing"]),
                    "weeks_of_cover": scorecard.weeks_of_cover(stock_values["closing"],
                                                               stock_values["sold"], days),
                    "sellout_accuracy": scorecard.accuracy_of_products(stock_values["windows"]),
                })
            row.update(self._cn_lead_columns(leads.get(dealer_id)))
            row["grade_computed_id"] = scorecard.choose_grade(row, grades)
            row["grade_id"] = override_id or row["grade_computed_id"]
            rows.append(row)
        self._cn_rank(rows)
        return rows

    @api.model
    def _cn_lead_columns(self, stats):
        """The lead columns of a scorecard from `_cn_scorecard_lead_stats`' row."""
        if not stats:
            return {}
        values = {name: stats.get(name) or 0 for name in LEAD_FIELDS}
        values["lead_answer_hours"] = stats.get("lead_answer_hours")
        answered = values["lead_accepted"] + values["lead_declined"] + values["lead_timed_out"]
        values["lead_acceptance_rate"] = scorecard.ratio_percent(values["lead_accepted"], answered)
        values["lead_conversion"] = scorecard.ratio_percent(values["lead_won"], values["lead_accepted"])
        values["registration_conversion"] = scorecard.ratio_percent(
            values["registration_won"], values["registration_approved"])
        return values

    @api.model
    def _cn_scorecard_lead_stats(self, dealer_ids, date_from, date_to):
        """{dealer id: lead_offered, lead_accepted, lead_declined, lead_timed_out,
        lead_answer_hours, lead_won, registration_count, registration_approved,
        registration_won} of the leads forwarded to the dealers and the deals
        they registered in the period (one query each)."""
        if not dealer_ids:
            return {}
        params = {"ids": list(dealer_ids), "start": date_from, "end": date_to}
        stats = {}
        self.env.cr.execute(q.LEAD_FORWARDS, params)
        for dealer_id, offered, accepted, declined, timed_out, hours, won in self.env.cr.fetchall():
            stats[dealer_id] = {"lead_offered": offered, "lead_accepted": accepted, "lead_declined": declined,
                                "lead_timed_out": timed_out, "lead_won": won,
                                "lead_answer_hours": round(hours, 1) if hours is not None else None}
        self.env.cr.execute(q.REGISTRATIONS, params)
        for dealer_id, registered, approved, won in self.env.cr.fetchall():
            stats.setdefault(dealer_id, {}).update({
                "registration_count": registered, "registration_approved": approved,
                "registration_won": won})
        return stats

    @api.model
    def _cn_rank(self, rows):
        """Each row's rank by purchases among the rows of its grade (in place)."""
        grades = self.env["crm.cn.partner.grade"].browse(
            {row["grade_id"] for row in rows if row["grade_id"]})
        sequence = {grade.id: grade.sequence for grade in grades}
        ranks = scorecard.rank_within([(row["dealer_id"], row["grade_id"], row["purchases"]) for row in rows])
        for row in rows:
            row["rank"] = ranks[row["dealer_id"]]
            row["grade_sequence"] = sequence.get(row["grade_id"], 9999)

    @api.model
    def _cn_store_rows(self, rows):
        """Insert or update the rows (one statement), return the scorecards."""
        if not rows:
            return self.browse()
        columns = sorted({name for row in rows for name in row})
        columns += ["computed_on", "create_uid", "create_date", "write_uid", "write_date"]
        now = datetime.utcnow().replace(microsecond=0)
        uid = self.env.uid
        values = [tuple(row.get(name) for name in columns[:-5]) + (now, uid, now, uid, now) for row in rows]
        update = ", ".join('"%s" = EXCLUDED."%s"' % (name, name) for name in columns
                           if name not in ("create_uid", "create_date"))
        # every column of every row, so a figure no longer known is emptied
        nullable = [name for name in self._fields if name not in columns and self._fields[name].store
                    and self._fields[name].column_type and name not in models.MAGIC_COLUMNS]
        update += "".join(', "%s" = NULL' % name for name in nullable)
        ids = execute_values(self.env.cr, """
            INSERT INTO crm_cn_dealer_scorecard (%s) VALUES %%s
            ON CONFLICT (dealer_id, company_id, date_start) DO UPDATE SET %s
            RETURNING id""" % (", ".join('"%s"' % name for name in columns), update), values,
                             page_size=1000, fetch=True)
        self.invalidate_cache()
        return self.browse([row[0] for row in ids])

    @api.model
    def _cn_apply_grades(self, cards):
        """Each dealer's grade earned by these (latest complete) scorecards; the
        grade in force follows unless a manager overrides it."""
        Partner = self.env["res.partner"].sudo()
        by_grade = {}
        for card in cards:
            by_grade.setdefault(card.grade_computed_id, []).append(card)
        for grade, grade_cards in by_grade.items():
            dealers = Partner.browse([card.dealer_id.id for card in grade_cards])
            dealers.filtered(lambda partner: partner.cn_grade_computed_id != grade).with_context(
                cn_grade_applying=True).write({"cn_grade_computed_id": grade.id})
            dealers.filtered(lambda partner: not partner.cn_grade_override_id)._cn_apply_grade(
                grade, "computed", scorecards=grade_cards)

