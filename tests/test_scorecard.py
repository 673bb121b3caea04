"""Dealer scorecards and partner grades through the ORM: figures by hand on
tests/scorecard_world.py, grade choice, override, pricelist, DRP terms."""
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError

from .common import LifecycleCase
from .scorecard_world import ScorecardWorld


class ScorecardCase(LifecycleCase):

    @classmethod
    def setUpClass(cls):
        super(ScorecardCase, cls).setUpClass()
        cls.world = ScorecardWorld(cls.env, salesperson=cls.salesperson)
        cls.Scorecard = cls.env["crm.cn.dealer.scorecard"]
        cls.count = cls.Scorecard.sudo(cls.manager).compute_scorecards(fields.Date.to_string(cls.world.start))

    def card(self, dealer):
        return self.world.card(dealer)


class TestScorecardFigures(ScorecardCase):

    def test_one_scorecard_per_dealer_of_the_quarter(self):
        self.assertGreaterEqual(self.count, 4)
        card = self.card(self.world.a)
        self.assertEqual(len(card), 1)
        self.assertEqual((card.date_start, card.date_end),
                         tuple(fields.Date.to_string(day) for day in (self.world.start, self.world.end)))
        self.assertTrue(card.complete)

    def test_purchases_are_net_of_refunds_with_growth_on_last_year(self):
        card = self.card(self.world.a)
        self.assertAlmostEqual(card.purchases, 1500.0)
        self.assertAlmostEqual(card.purchases_last_year, 1200.0)
        self.assertAlmostEqual(card.growth, 25.0)

    def test_sell_through_cover_and_freshness_from_stock_reports(self):
        card = self.card(self.world.a)
        self.assertAlmostEqual(card.sold_qty, 55.0)
        self.assertAlmostEqual(card.closing_qty, 25.0)
        self.assertAlmostEqual(card.sell_through, 68.8)
        self.assertAlmostEqual(card.weeks_of_cover, 5.9)
        self.assertEqual(card.report_count, 2)
        self.assertEqual(card.days_since_report, 1)

    def test_sellout_accuracy_against_deliveries(self):
        card = self.card(self.world.a)
        self.assertAlmostEqual(card.delivered_qty, 80.0)
        self.assertAlmostEqual(card.sellout_accuracy, 88.9)

    def test_tickets_per_hundred_units(self):
        card = self.card(self.world.a)
        self.assertEqual(card.ticket_count, 2)
        self.assertAlmostEqual(card.tickets_per_100_units, 2.5)

    def test_overdue_and_credit_figures_are_the_receivables_ones(self):
        card = self.card(self.world.a)
        self.assertAlmostEqual(card.overdue_amount, 1000.0)
        self.assertEqual(card.overdue_days, 55)
        figures = self.world.a._cn_credit_figures(today=self.world.end)[self.world.a.id]
        self.assertAlmostEqual(card.dso, figures["dso"] or 0.0)
        self.assertAlmostEqual(card.credit_used, figures["exposure"])

    def test_dealer_without_reports_has_no_stock_figures(self):
        self.env.cr.execute("SELECT sell_through, weeks_of_cover, sellout_accuracy FROM crm_cn_dealer_scorecard "
                            "WHERE id = %s", [self.card(self.world.b).id])
        self.assertEqual(self.env.cr.fetchone(), (None, None, None))

    def test_recomputing_updates_the_same_rows(self):
        before = self.card(self.world.a).id
        self.world.invoice(self.world.a, 50.0, self.world.start + timedelta(days=6),
                           self.world.end)
        self.Scorecard.sudo(self.manager).compute_scorecards(fields.Date.to_string(self.world.end))
        card = self.card(self.world.a)
        self.assertEqual(card.id, before)
        self.assertAlmostEqual(card.purchases, 1550.0)

    def test_queries_do_not_grow_with_the_dealers(self):
        company = self.env.user.company_id
        Scorecard = self.Scorecard.sudo()

        def queries(dealers):
            before = self.env.cr.sql_log_count
            Scorecard._cn_compute_rows(company, self.world.start, self.world.end, self.world.today, dealers.ids)
            return self.env.cr.sql_log_count - before

        queries(self.world.dealers)  # caches warm
        self.assertEqual(queries(self.world.a), queries(self.world.dealers))

    def test_dealers_offered_no_lead_have_no_lead_stats(self):
        self.assertEqual(self.Scorecard._cn_scorecard_lead_stats(self.world.dealers.ids, self.world.start,
                                                                 self.world.end), {})
        self.assertFalse(self.card(self.world.a).lead_offered)

    def test_only_managers_compute_scorecards(self):
        with self.assertRaises(AccessError):
            self.Scorecard.sudo(self.salesperson).compute_scorecards()

    def test_xlsx_export_of_the_scorecards(self):
        action = self.card(self.world.a).sudo(self.manager).action_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment = self.env["ir.attachment"].search([("res_model", "=", "crm.cn.export")], order="id desc",
                                                      limit=1)
        self.assertTrue(attachment.datas)


class TestGrades(ScorecardCase):

    def test_grade_is_the_best_one_met_and_rank_within_it(self):
        world = self.world
        self.assertEqual(self.card(world.a).grade_id, world.gold)
        self.assertEqual(self.card(world.c).grade_id, world.silver)
        self.assertEqual((self.card(world.d).grade_id, self.card(world.d).rank), (world.bronze, 1))
        self.assertEqual((self.card(world.b).grade_id, self.card(world.b).rank), (world.bronze, 2))

    def test_quarter_sets_the_dealers_grade_priority_and_pricelist(self):
        a = self.world.a
        self.assertEqual(a.cn_grade_id, self.world.gold)
        self.assertEqual(a.cn_grade_computed_id, self.world.gold)
        self.assertEqual(a.cn_forward_priority, 1)
        self.assertEqual(a.property_product_pricelist, self.world.pricelist)
        history = a.cn_grade_history_ids
        self.assertEqual(history[:1].source, "computed")
        self.assertEqual(history[:1].scorecard_id, self.card(a))
        self.assertEqual(history[:1].user_id, self.manager)

    def test_override_needs_a_reason(self):
        with self.assertRaises(ValidationError):
            self.world.b.sudo(self.manager).write({"cn_grade_override_id": self.world.gold.id})

    def test_override_stands_over_the_computation_and_is_kept_in_history(self):
        b = self.world.b.sudo(self.manager)
        b.write({"cn_grade_override_id": self.world.silver.id,
                 "cn_grade_override_reason": "Opened a second showroom"})
        self.assertEqual(b.cn_grade_id, self.world.silver)
        self.assertEqual(b.cn_forward_priority, 5)
        self.Scorecard.sudo(self.manager).compute_scorecards(fields.Date.to_string(self.world.start))
        b.invalidate_cache()
        self.assertEqual((b.cn_grade_id, b.cn_grade_computed_id), (self.world.silver, self.world.bronze))
        self.assertEqual(self.card(self.world.b).grade_computed_id, self.world.bronze)
        override = b.cn_grade_history_ids.filtered(lambda row: row.source == "override")
        self.assertEqual(override.reason, "Opened a second showroom")
        b.write({"cn_grade_override_id": False})
        self.assertEqual(b.cn_grade_id, self.world.bronze)
        self.assertFalse(b.cn_grade_override_reason)

    def test_grade_fields_are_managers_only(self):
        for values in ({"cn_grade_override_id": self.world.gold.id, "cn_grade_override_reason": "friend"},
                       {"cn_forward_priority": 0}, {"cn_grade_id": self.world.silver.id}):
            with self.assertRaises(AccessError):
                self.world.a.sudo(self.salesperson).write(values)

    def test_drp_falls_back_to_the_grade_terms(self):
        terms = self.env["res.partner"]._cn_grade_terms(self.world.dealers.ids)
        self.assertEqual(set(terms), {self.world.a.id})
        self.assertEqual(terms[self.world.a.id].target_weeks, 2.0)
