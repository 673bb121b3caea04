"""The dealer's own scorecard on the portal (/my/scorecard): its last
quarters, figures formatted for people. Scorecards are searched as the
logged-in user (the record rules keep a dealer to its own company's) and for
the user's own company only: no route takes a dealer id."""
from odoo.http import request, route

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..tools.scorecard import one_decimal

QUARTERS_SHOWN = 8
# columns read as stored (NULL: not known, shown as "–", never as 0)
FIGURES = ("purchases", "growth", "sell_through", "weeks_of_cover", "days_since_report", "report_count",
           "sellout_accuracy", "overdue_amount", "overdue_days", "dso", "credit_used_pct",
           "tickets_per_100_units", "lead_acceptance_rate", "lead_answer_hours", "lead_conversion",
           "registration_conversion", "rank")


class ScorecardPortal(CustomerPortal):

    def _prepare_portal_layout_values(self):
        values = super(ScorecardPortal, self)._prepare_portal_layout_values()
        values["cn_scorecard_count"] = request.env["crm.cn.dealer.scorecard"].search_count(
            self._cn_scorecard_domain())
        return values

    def _cn_scorecard_domain(self):
        return [("dealer_id", "=", request.env.user.commercial_partner_id.id)]

    def _cn_scorecard_rows(self):
        """The user's company's last quarters as dicts of display strings."""
        cards = request.env["crm.cn.dealer.scorecard"].search(
            self._cn_scorecard_domain(), order="date_start desc", limit=QUARTERS_SHOWN)
        if not cards:
            return []
        # the user may read these rows (searched as the user): their raw figures
        request.env.cr.execute("SELECT id, %s FROM crm_cn_dealer_scorecard WHERE id = ANY(%%s)"
                               % ", ".join(FIGURES), [cards.ids])
        raw = {row[0]: dict(zip(FIGURES, row[1:])) for row in request.env.cr.fetchall()}
        rows = []
        for card in cards.sudo():
            figures = raw[card.id]
            row = {name: one_decimal(figures[name]) for name in FIGURES}
            row.update({
                "date_start": card.date_start, "date_end": card.date_end, "complete": card.complete,
                "grade": card.grade_id.name or "–", "rank": figures["rank"] or "–",
                "days_since_report": figures["days_since_report"] if figures["days_since_report"]
                is not None else "–",
                "report_count": figures["report_count"] or 0,
                "overdue_days": figures["overdue_days"] or 0,
                "currency": card.currency_id, "purchases_amount": figures["purchases"] or 0.0,
                "overdue_value": figures["overdue_amount"] or 0.0,
            })
            rows.append(row)
        return rows

    @route(["/my/scorecard"], type="http", auth="user", website=True)
    def portal_my_scorecard(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update({"scorecards": self._cn_scorecard_rows(), "page_name": "cn_scorecard",
                       "grade": request.env.user.commercial_partner_id.sudo().cn_grade_id.name})
        return request.render("crm_cn_lifecycle.portal_my_scorecard", values)
