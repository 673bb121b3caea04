"""The customer pyramid on a hand-computed world: tiers with a tie at the key
boundary, revenue leaving the window, a refund, a prospect, a suspect, a lapsed customer, a late one, a
month of movement, and who may see and compute it."""
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError

from .common import (LifecycleCase, create_customer, create_dealer, create_opportunity, create_order,
                     create_product, portal_user_of)
from .test_receivables_world import Accounting, days_ago, today_of

# quantity of the product (25.00, cost 15.00) invoiced to each customer 40 days ago
QUANTITIES = {"A": 400, "B": 320, "C": 320, "D": 200, "E": 160, "F": 120, "G": 80, "H": 40,
              "I": 20, "J": 4}


class TestPyramid(LifecycleCase):

    @classmethod
    def setUpClass(cls):
        super(TestPyramid, cls).setUpClass()
        env = cls.env
        cls.accounting = Accounting(env)
        cls.product = create_product(env, "Pyramid paper", price=25.0, cost=15.0, taxes_id=[(6, 0, [])])
        cls.customers = {}
        for name, quantity in sorted(QUANTITIES.items()):
            user = cls.salesperson if name <= "E" else cls.other_salesperson
            cls.customers[name] = create_customer(env, "Pyramid %s" % name, is_company=True,
                                                  user_id=user.id)
            cls.invoice(cls.customers[name], quantity, 40)
        # D's big order of a year ago is in last month's window, not in this month's
        cls.today = today_of(env)
        cls.invoice(cls.customers["D"], 280, (cls.today - (cls.today - relativedelta(months=12))).days)
        cls.contact_a = env["res.partner"].create({"name": "Buyer of A", "parent_id": cls.customers["A"].id})
        # K: invoiced and refunded; L: a promising opportunity; M: a competitor's
        # customer; N: bought 400 days ago only
        make = lambda name, **values: create_customer(env, "Pyramid %s" % name, is_company=True,
                                                      user_id=cls.other_salesperson.id, **values)
        cls.refunded, cls.prospect = make("K"), make("L")
        cls.suspect, cls.lapsed = make("M", cn_competitor_customer=True), make("N")
        cls.invoice(cls.refunded, 28, 40)
        cls.invoice(cls.refunded, 28, 30, refund=True)
        cls.deal = create_opportunity(env, cls.prospect, "Pyramid deal", planned_revenue=10000.0,
                                      probability=50.0)
        cls.invoice(cls.lapsed, 100, 400)
        # H ordered every 30 days and not for 110 days: late; A every 30 days, 40 days ago
        for name, ages in (("H", (200, 170, 140, 110)), ("A", (100, 70, 40))):
            for age in ages:
                order = create_order(env, cls.customers[name], [(cls.product, 1, 25.0)])
                order.confirmation_date = days_ago(env, age) + " 10:00:00"
        cls.last_month = cls.today.replace(day=1) - timedelta(days=1)
        cls.Line = env["crm.cn.pyramid.line"]
        cls.Line.compute_pyramid(as_of=fields.Date.to_string(cls.last_month))
        # this month: J buys 400 more (now the top customer), L buys for the first time
        cls.invoice(cls.customers["J"], 400, 0)
        cls.invoice(cls.prospect, 4, 0)
        cls.Line.compute_pyramid()

    @classmethod
    def invoice(cls, partner, quantity, age, refund=False, product=None):
        accounting = cls.accounting
        invoice = cls.env["account.invoice"].create({
            "partner_id": partner.id, "type": "out_refund" if refund else "out_invoice",
            "journal_id": accounting.sale_journal.id, "account_id": accounting.receivable.id,
            "date_invoice": days_ago(cls.env, age),
            "invoice_line_ids": [(0, 0, {
                "product_id": (product or cls.product).id, "name": "Paper", "account_id": accounting.income.id,
                "quantity": quantity, "price_unit": 25.0, "invoice_line_tax_ids": [(6, 0, [])]})],
        })
        invoice.action_invoice_open()
        return invoice

    def line(self, partner, current=True):
        domain = [("partner_id", "=", partner.id)]
        domain += [("is_current", "=", True)] if current else [
            ("date", "=", fields.Date.to_string(self.last_month))]
        return self.Line.search(domain)

    def tiers(self, current=True):
        return {name: self.line(partner, current).tier for name, partner in self.customers.items()}

    def test_last_month_top_20_percent_are_key(self):
        # 10 buyers: 2 key, 3 big, 3 medium, 2 small
        self.assertEqual(self.tiers(current=False), {
            "D": "key", "A": "key", "B": "big", "C": "big", "E": "big",
            "F": "medium", "G": "medium", "H": "medium", "I": "small", "J": "small"})

    def test_this_month_a_tie_at_the_key_boundary_pulls_both_up(self):
        # 11 buyers: 3 key places, B and C tie at the third
        self.assertEqual(self.tiers(), {
            "J": "key", "A": "key", "B": "key", "C": "key", "D": "big", "E": "big",
            "F": "big", "G": "medium", "H": "medium", "I": "medium"})

    def test_movement_against_last_month(self):
        moves = {name: self.line(partner).movement for name, partner in self.customers.items()}
        self.assertEqual(moves, {"J": "up", "B": "up", "C": "up", "D": "down", "F": "up", "I": "up",
                                 "A": False, "E": False, "G": False, "H": False})
        self.assertEqual(self.line(self.customers["D"]).previous_tier, "key")
        self.assertEqual(self.line(self.customers["D"]).revenue_change, -7000.0)
        self.assertEqual(self.line(self.prospect).movement, "converted")
        self.assertEqual(self.line(self.customers["J"]).revenue_change, 10000.0)

    def test_revenue_and_margin_of_a_customer(self):
        line = self.line(self.customers["A"])
        self.assertEqual((line.revenue, line.margin, line.margin_rate), (10000.0, 4000.0, 40.0))

    def test_refunded_customer_is_not_a_buyer(self):
        line = self.line(self.refunded)
        self.assertNotIn(line.tier, ("key", "big", "medium", "small"))

    def test_prospect_suspect_and_lapsed(self):
        self.assertEqual(self.line(self.prospect, current=False).tier, "prospect")
        # weighted by the learned probability (the stage's while few deals are closed)
        self.assertEqual(self.line(self.prospect, current=False).weighted_pipeline,
                         10000.0 * self.deal.cn_win_probability / 100.0)
        self.assertEqual(self.line(self.suspect).tier, "suspect")
        self.assertEqual(self.line(self.lapsed).tier, "lapsed")

    def test_customer_and_its_contacts_carry_the_tier(self):
        self.assertEqual(self.customers["A"].cn_pyramid_tier, "key")
        self.assertEqual(self.contact_a.cn_pyramid_tier, "key")
        self.assertEqual(self.customers["D"].cn_pyramid_tier, "big")
        self.assertEqual(self.customers["D"].cn_pyramid_date, fields.Date.to_string(self.today))

    def test_late_customer_on_the_win_back_list(self):
        late = self.line(self.customers["H"])
        self.assertEqual((late.late, late.interval_days, late.revenue_at_risk), (True, 30.0, 1000.0))
        self.assertFalse(self.line(self.customers["A"]).late)
        self.assertEqual(self.line(self.customers["A"]).interval_days, 30.0)

    def test_win_back_opportunity_is_created_once(self):
        late = self.line(self.customers["H"])
        late.action_create_winback()
        lead = late.winback_lead_id
        self.assertEqual((lead.partner_id, lead.user_id, lead.type),
                         (self.customers["H"], self.other_salesperson, "opportunity"))
        late.action_create_winback()
        self.assertEqual(late.winback_lead_id, lead)

    def test_rfm_scores_of_buyers(self):
        top = self.line(self.customers["J"])
        self.assertEqual(top.m_score, 5)
        self.assertEqual(top.rfm, "%d%d%d" % (top.r_score, top.f_score, top.m_score))

    def test_recomputing_in_the_same_month_replaces_that_month(self):
        before = self.Line.search_count([])
        self.Line.compute_pyramid()
        self.assertEqual(self.Line.search_count([]), before)
        self.assertEqual(len(self.line(self.customers["A"])), 1)

    def test_summary_per_tier(self):
        summary = {row["tier"]: row for row in self.Line.pyramid_summary()}
        self.assertEqual(summary["key"]["count"], 4)
        self.assertEqual(summary["key"]["revenue"], 10100.0 + 10000.0 + 8000.0 + 8000.0)

    def test_margin_analysis_by_tier(self):
        ids = [partner.id for partner in self.customers.values()]
        rows = {row["tier"]: row for row in self.env["crm.cn.sales.margin.report"].summary(
            [("source", "=", "invoiced"), ("is_last_year", "=", False), ("partner_id", "in", ids)], "tier")}
        self.assertEqual(rows["key"]["revenue"], 10100.0 + 10000.0 + 8000.0 + 8000.0)
        self.assertEqual(rows["key"]["margin_rate"], 40.0)

    def test_xlsx_export_is_the_users_own(self):
        action = self.Line.sudo(self.manager).action_export_xlsx()
        self.assertIn("/web/content/", action["url"])

    def test_salesperson_reads_only_its_own_customers_lines(self):
        names = set(self.Line.sudo(self.salesperson).search([("is_current", "=", True)])
                    .mapped("partner_id.name"))
        self.assertEqual(names, {"Pyramid %s" % name for name in "ABCDE"})
        with self.assertRaises(AccessError):
            self.line(self.customers["J"]).sudo(self.salesperson).read(["revenue"])

    def test_salesperson_may_not_compute_or_set_a_tier(self):
        with self.assertRaises(AccessError):
            self.Line.sudo(self.salesperson).compute_pyramid()
        with self.assertRaises(AccessError):
            self.customers["E"].sudo(self.salesperson).write({"cn_pyramid_tier": "key"})
        with self.assertRaises(AccessError):
            self.line(self.customers["E"]).sudo(self.salesperson).write({"tier": "key"})

    def test_manager_computes_and_reads_all(self):
        self.Line.sudo(self.manager).compute_pyramid()
        self.assertEqual(self.Line.sudo(self.manager).search_count(
            [("is_current", "=", True), ("partner_id", "in", [p.id for p in self.customers.values()])]), 10)

    def test_dealer_reads_nothing(self):
        dealer_user = portal_user_of(create_dealer(self.env, "Pyramid Dealer", login="cn_pyr_dealer"))
        with self.assertRaises(AccessError):
            self.Line.sudo(dealer_user).search([])

    def test_shares_above_100_percent_are_refused(self):
        with self.assertRaises(ValidationError):
            self.env.user.company_id.write({"cn_pyramid_key_share": 50.0, "cn_pyramid_big_share": 60.0})

    def test_group_roll_up_counts_a_subsidiary_for_its_group(self):
        self.env["crm.cn.partner.relation"].create({
            "left_partner_id": self.customers["E"].id, "right_partner_id": self.customers["F"].id,
            "type_id": self.env.ref("crm_cn_lifecycle.relation_type_group").id})
        self.env.user.company_id.cn_pyramid_group_rollup = True
        self.Line.compute_pyramid()
        group = self.line(self.customers["E"])
        self.assertEqual((group.revenue, group.margin), (4000.0 + 3000.0, 2800.0))
        self.assertFalse(self.line(self.customers["F"]).tier)

    def test_cross_sell_suggests_what_peers_of_the_tier_buy(self):
        pens = create_product(self.env, "Pyramid pens", price=25.0, cost=15.0,
                              categ_id=self.env["product.category"].create({"name": "Pens"}).id)
        for name in "ABC":  # the three other key customers buy pens too
            self.invoice(self.customers[name], 1, 5, product=pens)
        self.Line.compute_pyramid()
        self.assertEqual(self.customers["J"].cn_pyramid_tier, "key")
        rows = self.env["crm.cn.cross.sell"].suggestions(self.customers["J"].id)
        self.assertEqual(rows, [(pens.categ_id.id, 1.0, 3)])
        action = self.customers["J"].sudo(self.manager).action_cn_cross_sell()
        lines = self.env["crm.cn.cross.sell"].sudo(self.manager).search(action["domain"])
        self.assertEqual((lines.categ_id, lines.peer_share), (pens.categ_id, 100.0))

    def test_cross_sell_of_a_customer_the_salesperson_may_not_read_is_refused(self):
        with self.assertRaises(AccessError):
            self.env["crm.cn.cross.sell"].sudo(self.salesperson).suggestions(self.customers["J"].id)

    def test_window_follows_the_setting(self):
        company = self.env.user.company_id
        company.cn_pyramid_window_months = 1
        self.Line.compute_pyramid(as_of=fields.Date.to_string(self.today + relativedelta(months=1, days=5)))
        # the invoices of 40 days ago are out of a one-month window then: lapsed
        self.assertEqual(self.line(self.customers["A"]).tier, "lapsed")
