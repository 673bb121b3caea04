import functools

from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError

from ..tools import pyramid
from . import crm_cn_pyramid_facts as facts
from .bulk import bulk_create
from .res_partner import CUSTOMER_CLASSES
from .res_partner_pyramid import TIER_SELECTION
from ..tools.regions import REGIONS

GROUP_MANAGER = "crm_cn_lifecycle.group_manager"
MOVEMENTS = [
    ("in", "New Buyer"),
    ("converted", "Prospect Converted"),
    ("activated", "Suspect to Prospect"),
    ("up", "Up"),
    ("down", "Down"),
    ("lapsed", "Lapsed"),
    ("out", "Out"),
    ("other", "Other Change"),
]


class CrmCnPyramidLine(models.Model):
    """A customer's place in the company's customer pyramid on a date: its tier,
    net invoiced revenue and gross margin over the window, RFM scores, its own
    interval between orders and whether it is late. One set per company and
    month: recomputing in the same month replaces that month's set, so the
    months before are the pyramid's history and its movement is measured
    against the last set of the month before."""

    _name = "crm.cn.pyramid.line"
    _inherit = "crm.cn.group.ratio.mixin"
    _description = "Customer Pyramid Line"
    _order = "date desc, revenue desc, id"
    _rec_name = "partner_id"

    date = fields.Date(required=True, index=True, readonly=True)
    is_current = fields.Boolean(string="Current", index=True, readonly=True,
                                help="The company's latest pyramid.")
    company_id = fields.Many2one("res.company", string="Company", required=True, index=True,
                                 readonly=True, ondelete="cascade")
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True,
                                 readonly=True, ondelete="cascade")
    user_id = fields.Many2one("res.users", string="Salesperson", index=True, readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    territory_id = fields.Many2one("crm.cn.territory", string="Sales Territory", readonly=True)
    customer_class = fields.Selection(CUSTOMER_CLASSES, readonly=True)
    region = fields.Selection(REGIONS, string="Sales Region", readonly=True)
    state_id = fields.Many2one("res.country.state", string="Province", readonly=True)
    tier = fields.Selection(TIER_SELECTION, index=True, readonly=True)
    previous_tier = fields.Selection(TIER_SELECTION, string="Tier Last Month", readonly=True)
    movement = fields.Selection(MOVEMENTS, index=True, readonly=True,
                                help="How the customer moved since the last pyramid of the month before.")
    revenue = fields.Monetary(readonly=True,
                              help="Net invoiced revenue over the window (refunds subtracted).")
    margin = fields.Monetary(string="Gross Margin", readonly=True)
    margin_rate = fields.Float(string="Margin Rate (%)", readonly=True, group_operator="avg")
    revenue_change = fields.Monetary(readonly=True,
                                     help="Revenue minus the revenue of last month's pyramid.")
    margin_change = fields.Monetary(readonly=True)
    weighted_pipeline = fields.Monetary(readonly=True)
    last_order_date = fields.Date(string="Last Order", readonly=True)
    recency_days = fields.Integer(string="Days since Last Order", readonly=True, group_operator="avg")
    frequency = fields.Integer(string="Orders in Window", readonly=True,
                               help="Distinct order dates in the window.")
    interval_days = fields.Float(string="Typical Interval (days)", readonly=True, group_operator="avg",
                                 help="The median days between this customer's orders.")
    late = fields.Boolean(index=True, readonly=True,
                          help="The days since the last order exceed the company's multiple of "
                               "this customer's own typical interval: a win-back candidate.")
    revenue_at_risk = fields.Monetary(string="Revenue at Risk", readonly=True,
                                      help="The window's revenue of a late customer.")
    r_score = fields.Integer(string="Recency Score", readonly=True, group_operator="avg")
    f_score = fields.Integer(string="Frequency Score", readonly=True, group_operator="avg")
    m_score = fields.Integer(string="Monetary Score", readonly=True, group_operator="avg")
    rfm = fields.Char(string="RFM", readonly=True, index=True,
                      help="Recency, frequency and monetary quintile scores, 5 the best.")
    winback_lead_id = fields.Many2one("crm.lead", string="Win-back Opportunity", readonly=True,
                                      ondelete="set null")

    @api.model
    def _cn_check_may_compute(self):
        if self.env.uid != SUPERUSER_ID and not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(_("Only sales managers may compute the customer pyramid."))

    @api.model
    def compute_pyramid(self, as_of=None, company_ids=None):
        """Compute the pyramid of each company (default: the user's current company)
        as of `as_of` (default today); returns the number of lines written.
        Managers (menu, XML-RPC) and the scheduled action."""
        self._cn_check_may_compute()
        as_of = fields.Date.from_string(as_of or fields.Date.context_today(self))
        companies = self.env["res.company"].browse(company_ids) if company_ids \
            else self.env.user.company_id
        count = 0
        for company in companies:
            count += len(self.sudo()._cn_compute_company(company, as_of))
        self.sudo()._cn_update_partners()
        self.env["crm.cn.tier.rule"].sudo()._cn_apply_new_customer_defaults(companies)
        return count

    @api.model
    def _cron_compute_pyramid(self):
        return self.compute_pyramid(company_ids=self.env["res.company"].sudo().search([]).ids)

    @api.model
    def _cn_compute_company(self, company, as_of):
        start = as_of - relativedelta(months=company.cn_pyramid_window_months)
        group_of = None
        if company.cn_pyramid_group_rollup:
            group_of = functools.partial(self.env["res.partner"]._cn_rollup_map, date=as_of)
        customers = facts.read_facts(
            self.env.cr, self.env["crm.cn.sales.margin.report"]._facts_query(), company.id,
            start, as_of, group_of)
        previous = self._cn_previous(company, as_of)
        for partner_id in previous:
            customers.setdefault(partner_id, facts.empty_customer(partner_id))
        tiers = pyramid.assign_tiers(
            customers.values(), key_share=company.cn_pyramid_key_share / 100.0,
            big_share=company.cn_pyramid_big_share / 100.0,
            medium_share=company.cn_pyramid_medium_share / 100.0,
            prospect_threshold=company.cn_pyramid_prospect_threshold)
        moves = {move["partner_id"]: move["kind"] for move in pyramid.movement(
            {partner_id: values[0] for partner_id, values in previous.items()}, tiers)}
        buyers = [{"partner_id": partner_id, "last_date": values["dates"][-1],
                   "frequency": values["frequency"], "monetary": values["revenue"]}
                  for partner_id, values in customers.items()
                  if tiers.get(partner_id) in pyramid.BUYER_TIERS and values["dates"]]
        scores = pyramid.rfm_scores(buyers, as_of)
        kept = [partner_id for partner_id in customers
                if tiers.get(partner_id) or previous.get(partner_id, (None,))[0]]
        partners = facts.read_partners(self.env.cr, kept)
        rows = [self._cn_line_values(company, as_of, customers[partner_id],
                                     tiers.get(partner_id), previous.get(partner_id),
                                     moves.get(partner_id), scores.get(partner_id),
                                     partners[partner_id])
                for partner_id in kept]
        month_start = as_of.replace(day=1)
        # The month's lines are replaced in one DELETE: they carry no attachment,
        # property, default or external id for the ORM's unlink() to clean up
        # (which would read 100,000 ids back and delete them in chunks).
        self.env.cr.execute("""
            DELETE FROM crm_cn_pyramid_line
             WHERE company_id = %(company)s AND date >= %(start)s AND date < %(end)s""", {
            "company": company.id, "start": month_start, "end": month_start + relativedelta(months=1)})
        self.invalidate_cache()
        # New lines are written current when no later pyramid is kept, so that
        # the UPDATE below only turns the former current ones off (setting
        # is_current on 100,000 new rows afterwards took 5 s).
        self.env.cr.execute("SELECT MAX(date) FROM crm_cn_pyramid_line WHERE company_id = %s",
                            (company.id,))
        latest = self.env.cr.fetchone()[0]
        is_current = not latest or fields.Date.from_string(latest) <= as_of
        for row in rows:
            row["is_current"] = is_current
        lines = bulk_create(self, rows)
        self.env.cr.execute("""
            UPDATE crm_cn_pyramid_line line SET is_current = (line.date = latest.day)
              FROM (SELECT MAX(date) AS day FROM crm_cn_pyramid_line
                     WHERE company_id = %(company)s) latest
             WHERE line.company_id = %(company)s
               AND line.is_current IS DISTINCT FROM (line.date = latest.day)""", {"company": company.id})
        self.invalidate_cache(["is_current"])
        return lines

    @api.model
    def _cn_line_values(self, company, as_of, customer, tier, previous, move, scores, partner):
        dates = customer["dates"]
        interval = pyramid.typical_interval(dates)
        last_date = dates[-1] if dates else None
        late = bool(last_date and tier in pyramid.BUYER_TIERS + (pyramid.LAPSED,) and pyramid.is_late(
            last_date, interval, as_of, multiple=company.cn_late_multiple))
        previous_tier, previous_revenue, previous_margin = previous or (None, 0.0, 0.0)
        revenue, margin = customer["revenue"], customer["margin"]
        values = dict(partner, **{
            "date": fields.Date.to_string(as_of), "company_id": company.id,
            "partner_id": customer["partner_id"], "tier": tier or False,
            "previous_tier": previous_tier or False, "movement": move or False,
            "revenue": revenue, "margin": margin,
            "margin_rate": 100.0 * margin / revenue if revenue else 0.0,
            "revenue_change": revenue - previous_revenue, "margin_change": margin - previous_margin,
            "weighted_pipeline": customer["weighted_pipeline"],
            "last_order_date": last_date and fields.Date.to_string(last_date) or False,
            "recency_days": (as_of - last_date).days if last_date else 0,
            "frequency": customer["frequency"],
            "interval_days": interval or 0.0, "late": late,
            "revenue_at_risk": revenue if late else 0.0,
        })
        if scores:
            values.update(r_score=scores[0], f_score=scores[1], m_score=scores[2],
                          rfm="%d%d%d" % tuple(scores))
        return values

    @api.model
    def _cn_previous(self, company, as_of):
        """{partner id: (tier, revenue, margin)} of the company's last pyramid
        before the month of `as_of`."""
        self.env.cr.execute("""
            SELECT partner_id, tier, revenue, margin FROM crm_cn_pyramid_line
             WHERE company_id = %(company)s AND date = (
                   SELECT MAX(date) FROM crm_cn_pyramid_line
                    WHERE company_id = %(company)s AND date < %(month)s)""",
                            {"company": company.id, "month": as_of.replace(day=1)})
        return {row[0]: (row[1], row[2] or 0.0, row[3] or 0.0) for row in self.env.cr.fetchall()}

    @api.model
    def _cn_update_partners(self):
        """Each customer (and its contacts) gets its tier in its company's current
        pyramid; a customer shared by the companies the best of its tiers."""
        self.env.cr.execute("""
            WITH best AS (
                SELECT DISTINCT ON (line.partner_id) line.partner_id, line.tier, line.date
                  FROM crm_cn_pyramid_line line
                  JOIN res_partner cp ON cp.id = line.partner_id
                 WHERE line.is_current AND line.tier IS NOT NULL
                   AND (cp.company_id IS NULL OR cp.company_id = line.company_id)
                 ORDER BY line.partner_id, array_position(%(tiers)s::varchar[], line.tier::varchar)
            )
            UPDATE res_partner p
               SET cn_pyramid_tier = best.tier, cn_pyramid_date = best.date
              FROM res_partner cp LEFT JOIN best ON best.partner_id = cp.id
             WHERE p.commercial_partner_id = cp.id
               AND (p.cn_pyramid_tier IS DISTINCT FROM best.tier
                    OR p.cn_pyramid_date IS DISTINCT FROM best.date)""", {"tiers": list(pyramid.TIERS)})
        self.env["res.partner"].invalidate_cache(["cn_pyramid_tier", "cn_pyramid_date"])

    @api.multi
    def action_create_winback(self):
        """A win-back opportunity for each late customer, assigned to its
        salesperson; a customer that has one open already keeps it."""
        Lead = self.env["crm.lead"]
        for line in self:
            if line.winback_lead_id.active and line.winback_lead_id.probability < 100:
                continue
            lead = Lead.create(line._cn_winback_values())
            line.sudo().winback_lead_id = lead
        leads = self.mapped("winback_lead_id")
        action = self.env.ref("crm.crm_lead_opportunities").read()[0]
        action["domain"] = [("id", "in", leads.ids)]
        return action

    @api.multi
    def _cn_winback_values(self):
        self.ensure_one()
        return {
            "name": _("Win back: %(customer)s") % {"customer": self.partner_id.display_name},
            "type": "opportunity", "partner_id": self.partner_id.id,
            "user_id": self.user_id.id or self.env.uid, "team_id": self.team_id.id,
            "planned_revenue": self.revenue_at_risk or self.revenue,
            "description": _("Last order %(date)s, usually every %(days)d days.") % {
                "date": self.last_order_date or "-", "days": round(self.interval_days)},
        }

    XLSX_FIELDS = ("date", "partner_id", "tier", "previous_tier", "movement", "user_id",
                   "territory_id", "customer_class", "state_id", "revenue", "margin", "margin_rate",
                   "revenue_change", "weighted_pipeline", "last_order_date", "frequency",
                   "interval_days", "late", "revenue_at_risk", "rfm")

    @api.multi
    def action_export_xlsx(self):
        """Download the selected lines (all current ones when none is selected)."""
        records = self or self.search([("is_current", "=", True)])
        return self.env["crm.cn.export"]._cn_export_records(
            records, self.XLSX_FIELDS, _("Customer Pyramid"), "customer_pyramid.xlsx")

    @api.model
    def pyramid_summary(self, company_id=None, date=None):
        """Per tier of one pyramid (default: the user's company's current one):
        customers, revenue, margin and revenue share, for XML-RPC and the XLSX."""
        domain = [("company_id", "=", company_id or self.env.user.company_id.id)]
        domain += [("date", "=", date)] if date else [("is_current", "=", True)]
        lines = self.search_read(domain, ["partner_id", "tier", "revenue", "margin"])
        tiers = {line["partner_id"][0]: line["tier"] for line in lines if line["tier"]}
        revenue = {line["partner_id"][0]: line["revenue"] for line in lines}
        margin = {line["partner_id"][0]: line["margin"] for line in lines}
        return pyramid.tier_summary(tiers, revenue, margin)

