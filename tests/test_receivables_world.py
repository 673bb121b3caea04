"""Factories for receivables tests: accounts, journals, invoices, payments and
orders built through Odoo's own accounting (no demo data, no copy of it).

A test database installed without demo has the l10n_cn chart; what is missing
(a receivable or income account, a sale or bank journal) is created here."""
from datetime import timedelta

from odoo import fields

from .common import create_customer


def today_of(env):
    return fields.Date.from_string(fields.Date.context_today(env.user))


def days_ago(env, days):
    return fields.Date.to_string(today_of(env) - timedelta(days=days))


class Accounting(object):
    """The accounts and journals of the company, found or created."""

    def __init__(self, env):
        self.env = env
        self.company = env.user.company_id
        Account = env["account.account"]
        self.receivable = Account.search([
            ("internal_type", "=", "receivable"), ("company_id", "=", self.company.id),
            ("deprecated", "=", False)], limit=1) or Account.create({
                "code": "CN1122", "name": "Receivable (test)", "reconcile": True,
                "user_type_id": env.ref("account.data_account_type_receivable").id})
        self.income = Account.search([
            ("user_type_id", "=", env.ref("account.data_account_type_revenue").id),
            ("company_id", "=", self.company.id)], limit=1) or Account.create({
                "code": "CN6001", "name": "Sales (test)",
                "user_type_id": env.ref("account.data_account_type_revenue").id})
        Journal = env["account.journal"]
        self.sale_journal = Journal.search([
            ("type", "=", "sale"), ("company_id", "=", self.company.id)], limit=1) or Journal.create({
                "name": "Sales (test)", "code": "TSAL", "type": "sale",
                "default_credit_account_id": self.income.id, "default_debit_account_id": self.income.id})
        self.bank_journal = Journal.search([
            ("type", "=", "bank"), ("company_id", "=", self.company.id)], limit=1) or Journal.create({
                "name": "Bank (test)", "code": "TBNK", "type": "bank"})
        self.inbound_method = env.ref("account.account_payment_method_manual_in")
        self.term_30_60 = env["account.payment.term"].create({
            "name": "50% 30 days, balance 60 days",
            "line_ids": [
                (0, 0, {"value": "percent", "value_amount": 50.0, "days": 30, "sequence": 1}),
                (0, 0, {"value": "balance", "days": 60, "sequence": 2}),
            ]})
        self.product = env["product.product"].create({
            "name": "Stapler box", "type": "service", "invoice_policy": "order",
            "list_price": 100.0, "taxes_id": [(6, 0, [])]})

    def invoice(self, partner, amount, invoice_days_ago, due_days_ago=None, term=None,
                refund=False, currency=None):
        """An open customer invoice (or credit note) without taxes."""
        vals = {
            "partner_id": partner.id,
            "type": "out_refund" if refund else "out_invoice",
            "journal_id": self.sale_journal.id,
            "account_id": self.receivable.id,
            "date_invoice": days_ago(self.env, invoice_days_ago),
            "invoice_line_ids": [(0, 0, {
                "name": "Goods", "account_id": self.income.id, "quantity": 1.0,
                "price_unit": amount, "invoice_line_tax_ids": [(6, 0, [])]})],
        }
        if term:
            vals["payment_term_id"] = term.id
        elif due_days_ago is not None:
            vals["date_due"] = days_ago(self.env, due_days_ago)
        if currency:
            vals["currency_id"] = currency.id
        invoice = self.env["account.invoice"].create(vals)
        invoice.action_invoice_open()
        return invoice

    def pay(self, invoice, amount, paid_days_ago):
        """A customer payment into the bank, matched with the invoice."""
        payment = self.env["account.payment"].create({
            "payment_type": "inbound", "partner_type": "customer",
            "partner_id": invoice.commercial_partner_id.id, "amount": amount,
            "journal_id": self.bank_journal.id, "payment_method_id": self.inbound_method.id,
            "payment_date": days_ago(self.env, paid_days_ago),
            "invoice_ids": [(6, 0, invoice.ids)],
            "currency_id": invoice.currency_id.id,
        })
        payment.post()
        return payment

    def order(self, partner, amount, confirm=True, user=None, pricelist=None):
        vals = {
            "partner_id": partner.id,
            "order_line": [(0, 0, {
                "product_id": self.product.id, "name": "Staplers", "product_uom_qty": 1.0,
                "price_unit": amount, "tax_id": [(6, 0, [])]})],
        }
        if user:
            vals["user_id"] = user.id
        if pricelist:
            vals["pricelist_id"] = pricelist.id
        order = self.env["sale.order"].create(vals)
        if confirm:
            order.action_confirm()
        return order


def build_alpha(env, accounting):
    """Alpha Office Supplies (direct): every aging bucket, a partial payment
    and an unapplied credit note; balance 2900, overdue 2200.

    - 2000 on "50% 30 days, balance 60 days", invoiced 100 days ago:
      1000 due 70 days ago (61-90), 1000 due 40 days ago (31-60);
      600 paid 50 days ago, matched with the oldest due line: 400 left in 61-90
    - 500 invoiced and due 200 days ago: over 90
    - 800 invoiced 10 days ago, due in 20 days: not due
    - 300 invoiced 15 days ago, due 5 days ago: 1-30
    - credit note of 100, 5 days ago, not applied: not due (-100)
    """
    alpha = create_customer(env, "Alpha Office Supplies", "direct")
    accounting.invoice(alpha, 500.0, 200, due_days_ago=200)
    big = accounting.invoice(alpha, 2000.0, 100, term=accounting.term_30_60)
    accounting.pay(big, 600.0, 50)
    accounting.invoice(alpha, 800.0, 10, due_days_ago=-20)
    accounting.invoice(alpha, 300.0, 15, due_days_ago=5)
    accounting.invoice(alpha, 100.0, 5, due_days_ago=5, refund=True)
    return alpha


def build_beta(env, accounting):
    """Beta Stationery (dealer): invoiced 1000 30 days ago, paid in full 20 days ago."""
    beta = create_customer(env, "Beta Stationery", "dealer")
    invoice = accounting.invoice(beta, 1000.0, 30, due_days_ago=30)
    accounting.pay(invoice, 1000.0, 20)
    return beta
