"""A large DRP proposal's order lines are added in the background
(crm.cn.drp.pending.line): queued, counted as coming, its orders locked until
they are all in, added once even when a batch runs again."""
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError

from odoo.addons.crm_cn_lifecycle.models import crm_cn_drp_pending_line

from .test_drp import DrpWorld


class TestDrpPendingLines(DrpWorld):

    def propose_in_background(self, user=None):
        """The wizard's run as if the proposal were too large for its request."""
        with patch.object(crm_cn_drp_pending_line, "SYNC_LINES", 0):
            return self.propose(user)

    def pending(self, order):
        return self.env["crm.cn.drp.pending.line"].sudo().search([("order_id", "=", order.id)])

    def test_large_proposal_makes_the_order_and_queues_its_lines(self):
        wizard = self.propose_in_background()
        order = wizard.order_ids
        self.assertEqual(wizard.queued_line_count, 1)
        self.assertFalse(order.order_line)
        self.assertEqual(order.cn_drp_pending_count, 1)
        self.assertEqual([(row.product_id, row.quantity, row.amount) for row in self.pending(order)],
                         [(self.paper, 40.0, 40.0 * 25.0)])
        progress = self.env["crm.cn.cron.progress"].sudo().search([("job", "=", "drp_order_lines")])
        self.assertEqual(progress.state, "running", "the resume action picks the job up")

    def test_the_job_adds_the_lines_as_the_wizard_would(self):
        order = self.propose_in_background().order_ids
        self.assertEqual(self.env["crm.cn.drp.pending.line"]._cron_add_lines(), 1)
        self.assertEqual([(line.product_id, line.product_uom_qty, line.cn_proposed_qty, line.cn_pack_multiple)
                          for line in order.order_line], [(self.paper, 40.0, 40.0, 10.0)])
        self.assertEqual(order.amount_untaxed, 1000.0)
        # the totals and line fields the orders' recompute, deferred to the batch's end, gives
        # are those of an order made line by line
        reference = self.env["sale.order"].create({"partner_id": self.dealer.id, "order_line": [
            (0, 0, {"product_id": self.paper.id, "product_uom_qty": 40.0})]})
        fields = ["name", "price_unit", "tax_id", "product_uom", "price_total", "purchase_price", "state",
                  "invoice_status"]
        self.assertEqual(order.order_line.read(fields)[0], dict(reference.order_line.read(fields)[0],
                                                                id=order.order_line.id))
        self.assertEqual((order.amount_tax, order.amount_total, order.margin, order.invoice_status),
                         (reference.amount_tax, reference.amount_total, reference.margin,
                          reference.invoice_status))
        self.assertFalse(self.pending(order))
        self.assertEqual(order.cn_drp_pending_count, 0)
        progress = self.env["crm.cn.cron.progress"].sudo().search([("job", "=", "drp_order_lines")])
        self.assertEqual((progress.state, progress.done_count), ("done", 1))

    def test_a_batch_run_again_adds_nothing_twice(self):
        order = self.propose_in_background().order_ids
        pending = self.pending(order)
        Pending = self.env["crm.cn.drp.pending.line"]
        Pending._cn_add_lines(pending)  # a worker added them, then was killed before its commit ended the job
        self.assertEqual(Pending._cron_add_lines(), 0)
        self.assertEqual(Pending._cn_add_lines(pending), 0)
        self.assertEqual(len(order.order_line), 1)

    def test_order_waiting_for_its_lines_is_neither_accepted_nor_confirmed(self):
        order = self.propose_in_background().order_ids
        dealer_user = self.dealer.child_ids.user_ids
        attempts = [
            lambda: order.sudo(dealer_user).cn_action_accept_proposal(),
            lambda: order.sudo(self.salesperson).cn_action_accept_proposal(),
            lambda: order.sudo(self.salesperson).action_confirm(),
            lambda: order.sudo(self.salesperson).write({"state": "sale"}),
            lambda: order.sudo().write({"state": "sent"}),
        ]
        for attempt in attempts:
            with self.assertRaisesRegex(UserError, "still being prepared"):
                with self.env.cr.savepoint():
                    attempt()
            order.invalidate_cache()
            self.assertEqual(order.state, "draft")
        self.env["crm.cn.drp.pending.line"]._cron_add_lines()
        order.sudo(dealer_user).cn_action_accept_proposal()
        self.assertEqual(order.state, "sent")

    def test_waiting_lines_count_as_coming_and_use_the_headroom(self):
        self.propose_in_background()
        with self.assertRaisesRegex(UserError, "No dealer needs a shipment"):
            self.propose()
        self.env["crm.cn.drp.pending.line"].sudo().search([]).write({"quantity": 20.0, "amount": 500.0})
        self.dealer.sudo().write({"cn_credit_limit": 1000.0})  # 500 of it waiting: 20 more units at 25.0
        wizard = self.propose()
        self.assertEqual((wizard.line_ids.proposed_open_qty, wizard.line_ids.proposed_qty), (20.0, 20.0))
        self.assertEqual(wizard.order_ids.order_line.product_uom_qty, 20.0)

    def test_cancelled_order_drops_its_waiting_lines(self):
        order = self.propose_in_background().order_ids
        order.action_cancel()
        self.env["crm.cn.drp.pending.line"]._cron_add_lines()
        self.assertFalse(order.order_line)
        self.assertFalse(self.pending(order))

    def test_salesperson_and_dealer_cannot_touch_the_waiting_lines(self):
        order = self.propose_in_background().order_ids
        row = self.pending(order)
        for user in (self.salesperson, self.dealer.child_ids.user_ids):
            Pending = self.env["crm.cn.drp.pending.line"].sudo(user)
            for attempt in (lambda: Pending.browse(row.id).read(["quantity"]),
                            lambda: Pending.browse(row.id).write({"quantity": 9999.0}),
                            lambda: Pending.create({"order_id": order.id, "dealer_id": self.dealer.id,
                                                    "product_id": self.paper.id, "quantity": 9999.0})):
                with self.assertRaises(AccessError):
                    attempt()
        self.assertEqual(row.quantity, 40.0)
