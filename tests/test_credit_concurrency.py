"""Two confirmations of one customer's orders at the same time cannot both
pass the credit check: real transactions on their own cursors (REPEATABLE
READ, as Odoo runs them). The data is committed, and removed afterwards."""
import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests.common import TransactionCase


class TestConcurrentConfirmations(TransactionCase):

    def setUp(self):
        super(TestConcurrentConfirmations, self).setUp()
        self.cursors = []
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            customer = env["res.partner"].create({
                "name": "Concurrent Customer", "is_company": True, "customer": True,
                "cn_credit_limit": 1000.0})
            product = env["product.product"].create({
                "name": "Concurrency staplers", "type": "service", "invoice_policy": "order",
                "taxes_id": [(6, 0, [])]})
            orders = env["sale.order"]
            for _i in range(2):
                orders |= env["sale.order"].create({"partner_id": customer.id, "order_line": [(0, 0, {
                    "product_id": product.id, "product_uom_qty": 1.0, "price_unit": 600.0,
                    "tax_id": [(6, 0, [])]})]})
            self.customer_id, self.product_id, self.order_ids = customer.id, product.id, orders.ids
        self.addCleanup(self.remove_committed_data)

    def remove_committed_data(self):
        for cr in self.cursors:
            cr.rollback()
            cr.close()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            orders = env["sale.order"].browse(self.order_ids).exists()
            orders.action_cancel()
            orders.unlink()
            env["product.product"].browse(self.product_id).unlink()
            env["res.partner"].browse(self.customer_id).unlink()

    def transaction(self):
        """A new transaction on its own cursor; its snapshot starts now."""
        cr = self.registry.cursor()
        self.cursors.append(cr)
        cr.execute("SELECT 1")
        return api.Environment(cr, SUPERUSER_ID, {})

    def confirm(self, env, index):
        env["sale.order"].browse(self.order_ids[index]).action_confirm()

    def test_second_confirmation_waits_for_the_first(self):
        first, second = self.transaction(), self.transaction()
        self.confirm(first, 0)  # 600 of 1000: fits
        second.cr.execute("SET LOCAL lock_timeout = '1s'")
        with self.assertRaises(psycopg2.OperationalError):  # lock not available: Odoo retries it
            self.confirm(second, 1)
        second.cr.rollback()
        first.cr.commit()
        retry = self.transaction()
        with self.assertRaises(UserError) as refusal:  # the retry sees the first order
            self.confirm(retry, 1)
        self.assertIn("is on credit hold", refusal.exception.name)

    def test_confirmation_on_an_old_snapshot_fails_to_serialize_and_the_retry_is_held(self):
        first, second = self.transaction(), self.transaction()
        self.confirm(first, 0)
        first.cr.commit()
        # the second transaction started before the first committed: it does not see that order
        with self.assertRaises(psycopg2.extensions.TransactionRollbackError):
            self.confirm(second, 1)
        second.cr.rollback()
        retry = self.transaction()
        with self.assertRaises(UserError):
            self.confirm(retry, 1)
        with self.registry.cursor() as cr:
            cr.execute("SELECT state FROM sale_order WHERE id = ANY(%s) ORDER BY id", [self.order_ids])
            self.assertEqual([row[0] for row in cr.fetchall()], ["sale", "draft"])
