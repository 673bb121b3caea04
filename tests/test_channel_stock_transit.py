"""Deliveries in transit to dealers that confirm their receipt: the estimate,
the confirmation in the backend and over XML-RPC, and the DRP netting."""
import xmlrpc.client

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests.common import at_install, get_db_name, post_install

from .common import LifecycleHttpCase, create_dealer, create_order, create_product, create_user
from .test_channel_stock import ChannelWorld, days_ago
from .test_lifecycle import deliver


class TransitWorld(ChannelWorld):
    """Both dealers reported 50 sheets of paper 14 days ago (no sell-out yet);
    20 more were shipped to each today. Only `dealer` confirms receipts."""

    @classmethod
    def setUpClass(cls):
        super(TransitWorld, cls).setUpClass()
        env = cls.env
        cls.dealer.cn_confirms_receipt = True
        for dealer in (cls.dealer, cls.other_dealer):
            cls.Report.submit_report(dealer.id, days_ago(14), [{"product_code": "A4-80", "on_hand": 50}])
        env["stock.quant"]._update_available_quantity(cls.paper, env.ref("stock.stock_location_stock"), 100)
        cls.order = create_order(env, cls.dealer, [(cls.paper, 20, 25.0)])
        deliver(cls.order)
        cls.picking = cls.order.picking_ids
        other_order = create_order(env, cls.other_dealer, [(cls.paper, 20, 25.0)])
        deliver(other_order)
        cls.other_picking = other_order.picking_ids
        cls.Estimate = env["crm.cn.channel.stock.estimate"]

    def figures(self, dealer):
        self.Estimate.invalidate_cache()
        row = self.Estimate.search([("dealer_id", "=", dealer.id), ("product_id", "=", self.paper.id)])
        return row.delivered_qty, row.in_transit_qty, row.estimated_qty


class TestTransitEstimate(TransitWorld):

    def test_shipped_not_received_is_in_transit_not_in_stock(self):
        self.assertEqual(self.picking.state, "done")
        self.assertFalse(self.picking.cn_received_date)
        self.assertEqual(self.figures(self.dealer), (0.0, 20.0, 50.0))

    def test_received_delivery_moves_from_transit_to_stock(self):
        self.picking.sudo(self.salesperson).action_cn_confirm_receipt()
        self.assertEqual(self.picking.cn_received_date, fields.Date.context_today(self.picking))
        self.assertEqual(self.figures(self.dealer), (20.0, 0.0, 70.0))

    def test_dealer_that_does_not_confirm_counts_deliveries_by_their_date(self):
        self.assertEqual(self.figures(self.other_dealer), (20.0, 0.0, 70.0))
        self.other_picking.action_cn_confirm_receipt()  # a receipt changes nothing for it
        self.assertEqual(self.figures(self.other_dealer), (20.0, 0.0, 70.0))

    def test_received_before_the_last_report_is_already_in_the_report(self):
        self.picking.write({"cn_received_date": days_ago(20)})
        self.assertEqual(self.figures(self.dealer), (0.0, 0.0, 50.0))

    def test_netting_reads_the_transit(self):
        [row] = [row for row in self.Estimate._read_estimates([self.dealer.id])
                 if row["product_id"] == self.paper.id]
        self.assertEqual((row["estimated_qty"], row["in_transit_qty"]), (50.0, 20.0))

    def test_confirming_twice_keeps_the_first_date(self):
        self.picking.write({"cn_received_date": days_ago(3)})
        self.picking.action_cn_confirm_receipt()
        self.assertEqual(self.picking.cn_received_date, days_ago(3))

    def test_only_done_deliveries_to_a_customer_are_received(self):
        pending = create_order(self.env, self.dealer, [(self.pen, 1, 2.0)]).picking_ids
        with self.assertRaisesRegex(UserError, "Only done deliveries"):
            (self.picking | pending).action_cn_confirm_receipt()
        self.assertFalse(self.picking.cn_received_date)

    def test_dealer_cannot_confirm_in_the_backend(self):
        with self.assertRaises(AccessError):
            self.picking.sudo(self.dealer.child_ids.user_ids).action_cn_confirm_receipt()
        self.assertFalse(self.picking.cn_received_date)


class TestTransitNetting(ChannelWorld):
    """Paper sells 2 a day, 10 left today; 20 are on their way to the dealer."""

    @classmethod
    def setUpClass(cls):
        super(TestTransitNetting, cls).setUpClass()
        env = cls.env
        cls.dealer.cn_confirms_receipt = True
        for days, on_hand, sold in ((14, 38, 0), (7, 24, 14), (0, 10, 14)):
            cls.Report.submit_report(cls.dealer.id, days_ago(days), [
                {"product_code": "A4-80", "on_hand": on_hand, "sold": sold}])
        env["stock.quant"]._update_available_quantity(cls.paper, env.ref("stock.stock_location_stock"), 50)
        env["crm.cn.drp.setting"].create({"product_id": cls.paper.id, "target_weeks": 2,
                                          "lead_time_days": 7, "safety_qty": 6, "pack_multiple": 10})
        deliver(create_order(env, cls.dealer, [(cls.paper, 20, 25.0)]))

    def test_net_requirement_subtracts_in_transit(self):
        wizard = self.env["crm.cn.drp.proposal"].sudo(self.salesperson).create(
            {"dealer_ids": [(6, 0, self.dealer.ids)]})
        wizard.action_propose()
        [line] = wizard.line_ids
        # 2/day over 7 + 14 days = 42, + 6 safety - 10 on hand - 20 in transit = 18 -> 2 packs of 10
        self.assertEqual((line.estimated_qty, line.in_transit_qty, line.proposed_qty), (10.0, 20.0, 20.0))


@at_install(False)
@post_install(True)
class TestReceiptXmlRpc(LifecycleHttpCase):

    def build_world(self):
        env = self.env
        paper = create_product(env, "Copy paper A4", default_code="A4-80")
        env["stock.quant"]._update_available_quantity(paper, env.ref("stock.stock_location_stock"), 5)
        dealer = create_dealer(env, "RPC Receipt Dealer", cn_confirms_receipt=True)
        order = create_order(env, dealer, [(paper, 5, 25.0)])
        deliver(order)
        self.picking = order.picking_ids
        self.user = create_user(env, "cn_stock_rpc", ["base.group_user", "stock.group_stock_user"])

    def test_backend_user_confirms_receipt_over_xmlrpc(self):
        self.xmlrpc_object.execute_kw(get_db_name(), self.user.id, "cn_stock_rpc", "stock.picking",
                                      "action_cn_confirm_receipt", [[self.picking.id]])
        with self.server_cursor():
            self.assertEqual(self.picking.cn_received_date, fields.Date.context_today(self.picking))

    def test_not_a_delivery_is_refused_over_xmlrpc(self):
        with self.server_cursor() as env:
            receipt = env["stock.picking"].create({
                "picking_type_id": env.ref("stock.picking_type_in").id,
                "location_id": env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": env.ref("stock.stock_location_stock").id})
            env.cr.commit()
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.xmlrpc_object.execute_kw(get_db_name(), self.user.id, "cn_stock_rpc", "stock.picking",
                                          "action_cn_confirm_receipt", [[receipt.id]])
        self.assertIn("Only done deliveries", refusal.exception.faultString)
