"""The credit hold at every door of the ORM: approval fields and stored
totals only the system sets, a state written directly, action_done, a
confirmed order growing, import, copy, and an approval tied to its customer,
currency and amount."""
from odoo.exceptions import AccessError, UserError

from .test_receivables import ReceivablesCase


class CreditDoorsCase(ReceivablesCase):
    """Alpha: credit limit 5000, exposure 3900 (receivables 2900 + a confirmed
    order of 1000): headroom 1100. Beta: own limit 2000, nothing owed."""

    def quotation(self, amount, partner=None):
        return self.accounting.order(partner or self.alpha, amount, confirm=False,
                                     user=self.salesperson).sudo(self.salesperson)

    def confirmed(self, amount):
        order = self.quotation(amount)
        order.action_confirm()
        return order

    def approve(self, order, reason="Deposit received"):
        order.sudo(self.credit_manager).action_cn_credit_approve(reason)
        order.invalidate_cache()
        return order

    def assert_not_approved(self, order):
        order.invalidate_cache()
        self.assertFalse(order.cn_credit_approved_by_id)
        self.assertFalse(order.cn_credit_approved_amount)
        self.assertFalse(order.cn_credit_approval_reason)


class TestApprovalFields(CreditDoorsCase):

    def test_salesperson_cannot_write_the_credit_approval_on_own_quotation(self):
        order = self.quotation(5000.0)
        for vals in ({"cn_credit_approved_by_id": self.salesperson.id},
                     {"cn_credit_approved_amount": 99999.0},
                     {"cn_credit_approval_reason": "Trust me"},
                     {"cn_credit_approved_date": "2026-01-01 00:00:00"}):
            with self.assertRaises(AccessError):
                order.write(vals)
        self.assert_not_approved(order)
        with self.assertRaises(UserError):
            order.action_confirm()
        self.assertEqual(order.state, "draft")

    def test_salesperson_cannot_create_a_quotation_already_approved(self):
        with self.assertRaises(AccessError):
            self.env["sale.order"].sudo(self.salesperson).create({
                "partner_id": self.alpha.id, "cn_credit_approved_by_id": self.salesperson.id,
                "cn_credit_approved_amount": 99999.0})
        self.assertFalse(self.env["sale.order"].search([("cn_credit_approved_by_id", "=", self.salesperson.id)]))

    def test_salesperson_cannot_write_stored_totals(self):
        order = self.quotation(5000.0)
        with self.assertRaises(AccessError):
            order.write({"amount_total": 1.0})
        with self.assertRaises(AccessError):
            order.order_line.write({"price_total": 1.0, "price_subtotal": 1.0})
        order.invalidate_cache()
        self.assertEqual((order.amount_total, order.order_line.price_total), (5000.0, 5000.0))

    def test_held_quotation_with_a_tampered_stored_total_is_still_held(self):
        order = self.quotation(5000.0)
        self.env.cr.execute("UPDATE sale_order SET amount_total = 1, amount_untaxed = 1 WHERE id = %s", [order.id])
        self.env.cr.execute("UPDATE sale_order_line SET price_total = 1, price_subtotal = 1 WHERE order_id = %s",
                            [order.id])
        order.invalidate_cache()
        self.assertEqual(order.amount_total, 1.0)
        with self.assertRaises(UserError) as refusal:
            order.action_confirm()
        self.assertIn("credit headroom of Alpha Office Supplies by 3900.0", refusal.exception.name)
        self.assertEqual(order.state, "draft")


class TestConfirmationDoors(CreditDoorsCase):

    def test_writing_state_sale_on_a_held_quotation_is_refused(self):
        order = self.quotation(5000.0)
        with self.assertRaises(UserError) as refusal:
            order.write({"state": "sale"})
        self.assertIn("is on credit hold", refusal.exception.name)
        order.invalidate_cache()
        self.assertEqual(order.state, "draft")

    def test_writing_state_sale_with_other_values_saves_none_of_them(self):
        order = self.quotation(5000.0)
        with self.assertRaises(UserError):
            order.write({"state": "sale", "client_order_ref": "PO-1"})
        order.invalidate_cache()
        self.assertEqual((order.state, order.client_order_ref), ("draft", False))

    def test_action_done_on_a_held_quotation_is_refused(self):
        order = self.quotation(5000.0)
        with self.assertRaises(UserError):
            order.action_done()
        order.invalidate_cache()
        self.assertEqual(order.state, "draft")

    def test_quotation_within_headroom_can_be_set_done(self):
        order = self.quotation(1000.0)
        order.action_done()
        self.assertEqual(order.state, "done")

    def test_import_of_a_confirmed_order_is_refused_when_held(self):
        Order = self.env["sale.order"].sudo(self.salesperson)
        before = Order.search_count([("partner_id", "=", self.alpha.id)])
        result = Order.load(
            ["partner_id/.id", "state", "order_line/product_id/.id", "order_line/name",
             "order_line/product_uom_qty", "order_line/price_unit"],
            [[str(self.alpha.id), "sale", str(self.accounting.product.id), "Staplers", "1", "5000"]])
        self.assertFalse(result["ids"])
        self.assertIn("is on credit hold", " ".join(message["message"] for message in result["messages"]))
        self.assertEqual(Order.search_count([("partner_id", "=", self.alpha.id)]), before)

    def test_creating_a_confirmed_order_is_checked_like_a_confirmation(self):
        with self.assertRaises(UserError):
            self.env["sale.order"].sudo(self.salesperson).create({
                "partner_id": self.alpha.id, "state": "sale", "order_line": [(0, 0, {
                    "product_id": self.accounting.product.id, "product_uom_qty": 1.0,
                    "price_unit": 5000.0, "tax_id": [(6, 0, [])]})]})
        self.assertFalse(self.env["sale.order"].search([("partner_id", "=", self.alpha.id),
                                                       ("amount_total", "=", 5000.0)]))
        order = self.env["sale.order"].sudo(self.salesperson).create({
            "partner_id": self.alpha.id, "state": "sale", "order_line": [(0, 0, {
                "product_id": self.accounting.product.id, "product_uom_qty": 1.0,
                "price_unit": 1000.0, "tax_id": [(6, 0, [])]})]})
        self.assertEqual(order.state, "sale")

    def test_copy_of_an_approved_order_needs_a_new_approval(self):
        order = self.approve(self.quotation(5000.0))
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        copy = order.copy()
        self.assert_not_approved(copy)
        with self.assertRaises(UserError):
            copy.action_confirm()
        with self.assertRaises(UserError):
            order.copy({"state": "sale"})
        with self.assertRaises(AccessError):
            order.copy({"cn_credit_approved_by_id": self.salesperson.id})


class TestConfirmedOrderGrowth(CreditDoorsCase):

    def test_raising_the_quantity_of_a_confirmed_order_past_the_headroom_is_refused(self):
        order = self.confirmed(1000.0)  # 100 headroom left
        with self.assertRaises(UserError) as refusal:
            order.order_line.write({"product_uom_qty": 2.0})
        self.assertIn("may not grow by 1000.0", refusal.exception.name)
        self.assertIn("credit headroom of Alpha Office Supplies by 900.0", refusal.exception.name)
        order.invalidate_cache()
        self.assertEqual(order.order_line.product_uom_qty, 1.0)
        self.assertEqual(order.amount_total, 1000.0)

    def test_raising_the_price_of_a_confirmed_order_within_the_headroom_is_accepted(self):
        order = self.confirmed(1000.0)
        order.order_line.write({"price_unit": 1100.0})
        self.assertEqual(order.amount_total, 1100.0)
        with self.assertRaises(UserError):
            order.order_line.write({"price_unit": 1100.01})

    def test_lowering_a_confirmed_order_is_always_accepted(self):
        self.company.cn_credit_hold_overdue_days = 10  # Alpha is now held for overdue money
        order = self.alpha_order
        order.order_line.write({"product_uom_qty": 0.5})
        self.assertEqual(order.amount_total, 500.0)

    def test_moving_a_confirmed_order_to_another_customer_or_pricelist_is_refused(self):
        order = self.confirmed(1000.0)
        pricelist = self.env["product.pricelist"].create({"name": "Other prices"})
        for vals in ({"partner_id": self.beta.id}, {"pricelist_id": pricelist.id}):
            with self.assertRaises(UserError) as refusal:
                order.write(vals)
            self.assertIn("can no longer change", refusal.exception.name)
        order.invalidate_cache()
        self.assertEqual(order.partner_id, self.alpha)
        order.write({"partner_id": self.alpha.id, "note": "Same customer"})
        self.assertEqual(order.note, "Same customer")

    def test_adding_a_line_to_a_confirmed_order_past_the_headroom_is_refused(self):
        order = self.confirmed(1000.0)
        with self.assertRaises(UserError):
            order.write({"order_line": [(0, 0, {
                "product_id": self.accounting.product.id, "name": "More staplers",
                "product_uom_qty": 1.0, "price_unit": 500.0, "tax_id": [(6, 0, [])]})]})
        order.invalidate_cache()
        self.assertEqual(len(order.order_line), 1)
        with self.assertRaises(UserError):
            self.env["sale.order.line"].sudo(self.salesperson).create({
                "order_id": order.id, "product_id": self.accounting.product.id, "name": "More staplers",
                "product_uom_qty": 1.0, "price_unit": 500.0, "tax_id": [(6, 0, [])]})
        order.invalidate_cache()
        self.assertEqual(len(order.order_line), 1)

    def test_a_discount_or_a_tax_removed_back_is_growth_too(self):
        order = self.confirmed(1000.0)
        order.order_line.write({"discount": 50.0})
        order.order_line.write({"discount": 40.0})  # +100: the headroom left is 600
        tax = self.env["account.tax"].create({"name": "VAT 100%", "amount": 100.0, "type_tax_use": "sale"})
        with self.assertRaises(UserError):
            order.order_line.write({"tax_id": [(6, 0, tax.ids)]})
        order.invalidate_cache()
        self.assertFalse(order.order_line.tax_id)

    def test_money_overdue_too_long_refuses_any_growth(self):
        order = self.confirmed(10.0)
        self.company.cn_credit_hold_overdue_days = 180
        with self.assertRaises(UserError) as refusal:
            order.order_line.write({"product_uom_qty": 2.0})
        self.assertIn("overdue for 200 days", refusal.exception.name)


class TestApprovalScope(CreditDoorsCase):

    def test_credit_manager_approval_works_end_to_end(self):
        order = self.quotation(5000.0)
        self.assertTrue(order.cn_credit_hold)
        wizard = self.env["crm.cn.credit.approval.wizard"].sudo(self.credit_manager).create({
            "order_id": order.id, "reason": "Letter of credit"})
        wizard.action_approve()
        order.invalidate_cache()
        self.assertEqual((order.cn_credit_approved_by_id, order.cn_credit_approved_partner_id,
                          order.cn_credit_approved_currency_id, order.cn_credit_approved_amount),
                         (self.credit_manager, self.alpha, order.currency_id, 5000.0))
        self.assertFalse(order.cn_credit_hold)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        # the approval covers the confirmed order up to its amount, not beyond
        order.order_line.write({"product_uom_qty": 0.5})
        order.order_line.write({"product_uom_qty": 1.0})
        with self.assertRaises(UserError):
            order.order_line.write({"product_uom_qty": 1.5})

    def test_approval_no_longer_covers_the_order_of_another_customer(self):
        order = self.approve(self.quotation(5000.0))
        order.write({"partner_id": self.beta.id})  # Beta: headroom 2000
        with self.assertRaises(UserError) as refusal:
            order.action_confirm()
        self.assertIn("Beta Stationery", refusal.exception.name)
        self.assertEqual(order.state, "draft")

    def test_approval_no_longer_covers_the_order_in_another_currency(self):
        order = self.approve(self.quotation(5000.0))
        company_currency = self.company.currency_id
        other = self.env["res.currency"].search([("id", "!=", company_currency.id)], limit=1)
        pricelist = self.env["product.pricelist"].create({"name": "Other currency", "currency_id": other.id})
        order.write({"pricelist_id": pricelist.id})
        self.assertNotEqual(order.currency_id, company_currency)
        with self.assertRaises(UserError):
            order.action_confirm()
        self.assertEqual(order.state, "draft")

    def test_approval_is_in_company_currency_from_the_lines(self):
        order = self.quotation(5000.0)
        self.env.cr.execute("UPDATE sale_order SET amount_total = 1 WHERE id = %s", [order.id])
        order.invalidate_cache()
        self.approve(order)
        self.assertEqual(order.cn_credit_approved_amount, 5000.0)
