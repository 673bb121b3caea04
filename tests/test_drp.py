"""DRP replenishment proposals from the estimated channel stock."""
from odoo.exceptions import AccessError, UserError

from .test_channel_stock import ChannelWorld, days_ago


class DrpWorld(ChannelWorld):
    """Paper sells 2 a day at the dealer, which holds 10; paper ships every
    2 weeks after 7 days, safety stock 6, in packs of 10: 40 to propose."""

    @classmethod
    def setUpClass(cls):
        super(DrpWorld, cls).setUpClass()
        env = cls.env
        # paper sells 2 a day at the dealer, 10 left; pens do not sell
        for days, on_hand, sold in ((14, 38, 0), (7, 24, 14), (0, 10, 14)):
            cls.Report.submit_report(cls.dealer.id, days_ago(days), [
                {"product_code": "A4-80", "on_hand": on_hand, "sold": sold},
                {"product_code": "PEN-BL", "on_hand": 50, "sold": 0}])
        env["stock.quant"]._update_available_quantity(cls.paper, env.ref("stock.stock_location_stock"), 30)
        env["crm.cn.drp.setting"].create({"product_id": cls.paper.id, "target_weeks": 2,
                                          "lead_time_days": 7, "safety_qty": 6, "pack_multiple": 10})

    def propose(self, user=None):
        wizard = self.env["crm.cn.drp.proposal"].sudo(user or self.salesperson).create(
            {"dealer_ids": [(6, 0, self.dealer.ids)]})
        wizard.action_propose()
        return wizard


class TestDrpProposal(DrpWorld):

    def test_draft_order_proposes_the_net_requirement_in_packs(self):
        wizard = self.propose()
        order = wizard.order_ids
        self.assertEqual(order.partner_id, self.dealer)
        self.assertEqual(order.state, "draft")
        self.assertTrue(order.cn_drp_proposal)
        # 2/day over 7 + 14 days = 42, + 6 safety - 10 on hand = 38 -> 4 packs of 10
        self.assertEqual([(line.product_id, line.product_uom_qty) for line in order.order_line],
                         [(self.paper, 40.0)])

    def test_shortfall_of_own_stock_is_shown(self):
        [line] = self.propose().line_ids
        self.assertEqual((line.proposed_qty, line.uncovered_qty), (40.0, 10.0))

    def test_open_orders_reduce_the_proposal(self):
        self.env["sale.order"].create({"partner_id": self.dealer.id, "order_line": [
            (0, 0, {"product_id": self.paper.id, "product_uom_qty": 38})]}).action_confirm()
        with self.assertRaisesRegex(UserError, "No dealer needs a shipment"):
            self.propose()

    def test_dealer_cannot_run_the_proposal(self):
        with self.assertRaises(AccessError):
            self.propose(user=self.dealer.child_ids.user_ids)

    def test_dealer_specific_setting_wins(self):
        self.env["crm.cn.drp.setting"].create({"dealer_id": self.dealer.id, "product_id": self.paper.id,
                                               "target_weeks": 0, "lead_time_days": 7, "pack_multiple": 1})
        [line] = self.propose().line_ids
        self.assertEqual(line.proposed_qty, 4.0)  # 14 - 10

    def test_order_line_keeps_the_proposal_and_its_pack(self):
        line = self.propose().order_ids.order_line
        self.assertEqual((line.cn_proposed_qty, line.cn_pack_multiple), (40.0, 10.0))

    def test_credit_headroom_cuts_the_order_in_whole_packs_and_shows_the_cut(self):
        self.dealer.sudo().write({"cn_credit_limit": 500.0})  # 20 units at 25.0
        wizard = self.propose()
        [line] = wizard.line_ids
        self.assertEqual((line.proposed_qty, line.credit_cut_qty, line.uncovered_qty), (40.0, 20.0, 0.0))
        self.assertEqual(wizard.order_ids.order_line.product_uom_qty, 20.0)

    def test_dealer_without_headroom_gets_no_order_but_sees_the_cut(self):
        self.dealer.sudo().write({"cn_credit_limit": 10.0})
        wizard = self.propose()
        self.assertFalse(wizard.order_ids)
        self.assertEqual(wizard.line_ids.credit_cut_qty, 40.0)

    def test_dealer_accepts_with_adjusted_quantity(self):
        order = self.propose().order_ids
        user = self.dealer.child_ids.user_ids
        order.sudo(user).cn_action_accept_proposal({str(order.order_line.id): 70})
        self.assertEqual((order.state, order.order_line.product_uom_qty), ("sent", 70.0))

    def test_dealer_adjustment_off_pack_changes_nothing(self):
        order = self.propose().order_ids
        with self.assertRaisesRegex(UserError, "not a whole number of packs of 10"):
            order.sudo(self.dealer.child_ids.user_ids).cn_action_accept_proposal({str(order.order_line.id): 45})
        self.assertEqual((order.state, order.order_line.product_uom_qty), ("draft", 40.0))

    def test_other_dealer_cannot_accept_the_proposal(self):
        order = self.propose().order_ids
        with self.assertRaises(AccessError):
            order.sudo(self.other_dealer.child_ids.user_ids).cn_action_accept_proposal()
        self.assertEqual(order.state, "draft")

    def test_accountant_cannot_accept_a_proposal(self):
        order = self.propose().order_ids
        with self.assertRaises(AccessError):
            order.sudo(self.accountant).cn_action_accept_proposal({str(order.order_line.id): 70})
        order.invalidate_cache()
        self.assertEqual((order.state, order.order_line.product_uom_qty), ("draft", 40.0))

    def test_salesperson_who_may_change_the_order_accepts_for_the_dealer(self):
        order = self.propose().order_ids
        order.sudo(self.salesperson).cn_action_accept_proposal()
        self.assertEqual(order.state, "sent")

    def test_accepting_a_proposal_twice_changes_nothing(self):
        order = self.propose().order_ids
        user = self.dealer.child_ids.user_ids
        order.sudo(user).cn_action_accept_proposal({str(order.order_line.id): 70})
        messages = len(order.message_ids)
        self.assertTrue(order.sudo(user).cn_action_accept_proposal({str(order.order_line.id): 20}))
        order.invalidate_cache()
        self.assertEqual((order.state, order.order_line.product_uom_qty), ("sent", 70.0))
        self.assertEqual(len(order.message_ids), messages)

    def test_running_the_proposal_twice_proposes_nothing_new(self):
        first = self.propose().order_ids
        with self.assertRaisesRegex(UserError, "No dealer needs a shipment"):
            self.propose()
        proposals = self.env["sale.order"].search([("partner_id", "=", self.dealer.id), ("cn_drp_proposal", "=", True)])
        self.assertEqual(proposals, first)

    def test_second_run_proposes_only_what_is_still_missing(self):
        first = self.propose().order_ids
        first.order_line.write({"product_uom_qty": 20.0})  # the salesperson cut the proposal
        wizard = self.propose()
        [line] = wizard.line_ids
        # 38 needed - 20 already proposed = 18 -> 2 packs of 10
        self.assertEqual((line.proposed_open_qty, line.proposed_qty), (20.0, 20.0))
        self.assertEqual(wizard.order_ids.order_line.product_uom_qty, 20.0)

    def test_open_proposals_use_the_credit_headroom(self):
        self.dealer.sudo().write({"cn_credit_limit": 500.0})  # 20 units at 25.0
        first = self.propose().order_ids
        self.assertEqual(first.order_line.product_uom_qty, 20.0)
        second = self.propose()
        self.assertFalse(second.order_ids)
        self.assertEqual(second.line_ids.credit_cut_qty, 20.0)

    def test_each_dealer_is_cut_at_its_own_pricelist_price(self):
        for days, on_hand, sold in ((14, 38, 0), (7, 24, 14), (0, 10, 14)):
            self.Report.submit_report(self.other_dealer.id, days_ago(days), [
                {"product_code": "A4-80", "on_hand": on_hand, "sold": sold}])
        half_price = self.env["product.pricelist"].create({"name": "Dealer half price", "item_ids": [
            (0, 0, {"applied_on": "0_product_variant", "product_id": self.paper.id,
                    "compute_price": "fixed", "fixed_price": 12.5})]})
        self.dealer.sudo().write({"property_product_pricelist": half_price.id, "cn_credit_limit": 500.0})
        self.other_dealer.sudo().write({"cn_credit_limit": 500.0})
        wizard = self.env["crm.cn.drp.proposal"].sudo(self.salesperson).create(
            {"dealer_ids": [(6, 0, (self.dealer | self.other_dealer).ids)]})
        wizard.action_propose()
        ordered = {order.partner_id: order.order_line.product_uom_qty for order in wizard.order_ids}
        # 500 of headroom: 40 at 12.5 for the dealer on the half-price list, 20 at 25.0 for the other
        self.assertEqual(ordered, {self.dealer: 40.0, self.other_dealer: 20.0})
