"""Pipeline demand in DRP: the open opportunities a dealer accepted or
registered add their quantities, weighted by win probability, to its
replenishment when they are expected within the lead time and target cover."""
from .common import create_company, create_customer, create_opportunity, portal_user_of
from .test_channel_stock import days_ago
from .test_drp import DrpWorld

# The world (tests/test_drp.py): paper sells 2 a day at the dealer, which holds
# 10; 7 days lead time + 2 weeks cover = a 21-day window; 2 × 21 + 6 safety
# − 10 = 38 -> 40 in packs of 10 without any pipeline.
WITHOUT_PIPELINE = 40.0


class TestDrpPipeline(DrpWorld):

    @classmethod
    def setUpClass(cls):
        super(TestDrpPipeline, cls).setUpClass()
        cls.customer = create_customer(cls.env, "Tianhe Law Office")

    def win(self, lead, probability):
        """The win model's score of `lead` (in percent), as its scoring writes it."""
        self.env["crm.cn.win.score"]._cn_write([lead.id], [probability], ["test"])

    def deal(self, quantity=30.0, days=10, probability=40.0, dealer=None, accept=True, product=None):
        """An opportunity for `quantity` of paper expected in `days`, scored
        `probability` % to win, forwarded to the dealer (accepted by its portal
        user unless `accept` is False)."""
        dealer = dealer or self.dealer
        lead = create_opportunity(self.env, self.customer, "Paper for the law office",
                                  date_deadline=days_ago(-days), user_id=self.salesperson.id,
                                  cn_lead_line_ids=[(0, 0, {"product_id": (product or self.paper).id,
                                                            "product_uom_qty": quantity})])
        self.win(lead, probability)
        lead.sudo(self.manager).cn_forward_to(dealer.id)
        if accept:
            lead.cn_forward_ids.sudo(portal_user_of(dealer)).action_accept()
        self.assertEqual(lead.cn_forward_state, "accepted" if accept else "offered")
        return lead

    def paper_line(self):
        return self.propose().line_ids.filtered(lambda line: line.product_id == self.paper)

    def estimate(self, product=None):
        return self.env["crm.cn.channel.stock.estimate"].sudo(self.salesperson).search(
            [("dealer_id", "=", self.dealer.id), ("product_id", "=", (product or self.paper).id)])

    def assert_no_pipeline(self):
        line = self.paper_line()
        self.assertEqual((line.pipeline_qty, line.proposed_qty), (0.0, WITHOUT_PIPELINE))
        self.assertEqual(self.estimate().pipeline_qty, 0.0)

    def test_accepted_deal_in_the_window_raises_the_proposal_by_its_weighted_quantity(self):
        self.deal(quantity=30, days=10, probability=40)
        line = self.paper_line()
        # 30 × 40% = 12: 38 + 12 = 50 -> 5 packs of 10
        self.assertEqual((line.pipeline_qty, line.proposed_qty), (12.0, 50.0))
        self.assertEqual(line.proposal_id.order_ids.order_line.product_uom_qty, 50.0)

    def test_estimate_shows_the_pipeline_demand_of_each_pair(self):
        self.deal(quantity=30, days=10, probability=40)
        self.deal(quantity=20, days=21, probability=50)  # the last day of the window
        self.assertEqual(self.estimate().pipeline_qty, 12.0 + 10.0)
        self.assertEqual(self.estimate(self.pen).pipeline_qty, 0.0)

    def test_overdue_deal_still_counts(self):
        self.deal(quantity=30, days=-5, probability=40)
        self.assertEqual(self.paper_line().pipeline_qty, 12.0)

    def test_learned_win_probability_comes_before_the_salespersons(self):
        lead = self.deal(quantity=30, days=10, probability=75)
        lead.write({"probability": 40.0})
        line = self.paper_line()
        # 30 × 75% = 22.5: 38 + 22.5 = 60.5 -> 7 packs of 10
        self.assertEqual((line.pipeline_qty, line.proposed_qty), (22.5, 70.0))

    def test_unscored_deal_counts_with_the_salespersons_probability(self):
        lead = self.deal(quantity=30, days=10, probability=75)
        lead.write({"probability": 40.0})
        self.env["crm.cn.win.score"]._cn_forget(lead.ids)
        self.assertEqual(self.paper_line().pipeline_qty, 12.0)

    def test_registered_deal_counts(self):
        registration = self.env["crm.cn.deal.registration"].sudo(portal_user_of(self.dealer)).create({
            "customer_name": "Registered Law Office", "contact_name": "Buyer",
            "date_expected": days_ago(-14),
            "line_ids": [(0, 0, {"product_id": self.paper.id, "quantity": 20})]})
        registration.action_submit()
        registration.sudo(self.manager).action_approve(note="Checked with the customer")
        lead = registration.sudo().lead_id
        self.assertEqual((lead.cn_dealer_id, lead.cn_forward_state), (self.dealer, "accepted"))
        self.win(lead, 50.0)
        line = self.paper_line()
        # 20 × 50% = 10: 38 + 10 = 48 -> 5 packs of 10
        self.assertEqual((line.pipeline_qty, line.proposed_qty), (10.0, 50.0))

    def test_grade_with_longer_cover_takes_in_a_later_deal(self):
        grade = self.env["crm.cn.partner.grade"].create({"name": "Gold (pipeline)", "target_weeks": 4})
        self.dealer.write({"cn_grade_override_id": grade.id, "cn_grade_override_reason": "Test terms"})
        self.deal(quantity=30, days=30, probability=40)  # after 21 days, within 7 + 28
        line = self.paper_line()
        # 2 × 35 + 6 − 10 = 66, + 12 = 78 -> 8 packs of 10
        self.assertEqual((line.pipeline_qty, line.proposed_qty), (12.0, 80.0))
        self.assertEqual(self.estimate().pipeline_qty, 12.0)

    def test_deal_after_the_window_or_without_a_date_does_not_count(self):
        self.deal(days=22)
        self.deal(days=5).write({"date_deadline": False})
        self.assert_no_pipeline()

    def test_lost_deal_does_not_count(self):
        self.deal().action_set_lost()
        self.assert_no_pipeline()

    def test_won_deal_does_not_count(self):
        self.deal().action_set_won()
        self.assert_no_pipeline()

    def test_deal_only_offered_to_the_dealer_does_not_count(self):
        self.deal(accept=False)
        self.assert_no_pipeline()

    def test_other_dealers_deal_does_not_count(self):
        self.deal(dealer=self.other_dealer)
        self.assert_no_pipeline()

    def test_another_companys_deal_does_not_count(self):
        other = create_company(self.env, "Shenzhen Branch (pipeline)", self.env.ref("base.CNY"))
        self.deal().write({"company_id": other.id})
        self.assert_no_pipeline()

    def test_setting_off_leaves_the_pipeline_out(self):
        self.deal()
        self.salesperson.company_id.write({"cn_drp_pipeline_demand": False})
        self.assert_no_pipeline()

    def test_setting_is_on_by_default_and_in_settings(self):
        settings = self.env["res.config.settings"].create({})
        self.assertTrue(settings.cn_drp_pipeline_demand)
        settings.write({"cn_drp_pipeline_demand": False})
        settings.execute()
        self.assertFalse(self.env.user.company_id.cn_drp_pipeline_demand)
