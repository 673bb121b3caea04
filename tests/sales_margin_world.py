"""A hand-computed world for the sales and margin analysis (shared by the ORM
and the XML-RPC tests).

Company currency throughout; USD at 0.15 per unit of it.
- Deli paper (list 25: band 10-50), cost 15; HuaFeng shredder (list 300: band
  200-1000), cost 180. No taxes.
- Direct customer (the salesperson's, Guangdong, South territory):
  order of 100 paper at 20 with an order-line cost of 12, invoiced, 1000 of
  2000 paid; an invoice of 2 shredders at 400 without an order (product cost
  180); a credit note of 10 paper at 20 (product cost 15); last year an
  invoice of 50 paper at 20 (product cost 15).
- Dealer customer (the other salesperson's): an order of 3 shredders at 350
  confirmed, not invoiced (order-line cost 180); an order in a USD pricelist of
  10 paper at 3 USD, not invoiced (order-line cost 15 CNY = 2.25 USD).
"""
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import fields

from .common import create_customer, create_product, create_territory
from .test_receivables_world import Accounting

USD_RATE = 0.15


class MarginWorld(object):

    def __init__(self, env, salesperson, other_salesperson):
        self.env = env
        self.accounting = accounting = Accounting(env)
        self.today = fields.Date.from_string(fields.Date.context_today(env.user))
        self.year_start = date(self.today.year, 1, 1)
        self.year_end = date(self.today.year, 12, 31)
        Brand = env["crm.cn.brand"]
        self.deli = Brand.create({"name": "Margin Deli"})
        self.huafeng = Brand.create({"name": "Margin HuaFeng"})
        self.paper = create_product(env, "Margin paper", price=25.0, cost=15.0, invoice_policy="order",
                                    taxes_id=[(6, 0, [])], cn_brand_id=self.deli.id)
        self.shredder = create_product(env, "Margin shredder", price=300.0, cost=180.0,
                                       invoice_policy="order", taxes_id=[(6, 0, [])],
                                       cn_brand_id=self.huafeng.id)
        self.territory = create_territory(env, "Margin South", "MS")
        self.guangdong = env.ref("l10n_cn.state_GD")
        self.direct = create_customer(env, "Margin Direct Co", "direct", user_id=salesperson.id,
                                      state_id=self.guangdong.id, cn_territory_id=self.territory.id)
        self.dealer = create_customer(env, "Margin Dealer Co", "dealer", user_id=other_salesperson.id)
        self.usd = self._usd_at_fixed_rate()

        self.order_invoiced = self.order(self.direct, self.paper, 100, 20.0, purchase_price=12.0,
                                         user=salesperson)
        self.invoice_from_order = env["account.invoice"].browse(
            self.order_invoiced.action_invoice_create())
        self.invoice_from_order.action_invoice_open()
        accounting.pay(self.invoice_from_order, 1000.0, 0)
        self.invoice(self.direct, self.shredder, 2, 400.0, self.today, user=salesperson)
        self.invoice(self.direct, self.paper, 10, 20.0, self.today, refund=True, user=salesperson)
        self.last_year_invoice = self.invoice(self.direct, self.paper, 50, 20.0,
                                              self.today - relativedelta(years=1), user=salesperson)
        self.order_open = self.order(self.dealer, self.shredder, 3, 350.0, user=other_salesperson)
        pricelist = env["product.pricelist"].create({"name": "Margin USD", "currency_id": self.usd.id})
        self.order_usd = self.order(self.dealer, self.paper, 10, 3.0, user=other_salesperson,
                                    pricelist_id=pricelist.id)

    def _usd_at_fixed_rate(self):
        env = self.env
        company = env.user.company_id
        usd = env.ref("base.USD") if company.currency_id != env.ref("base.USD") else env.ref("base.EUR")
        usd.active = True
        long_ago = fields.Date.to_string(self.today - relativedelta(years=5))
        Rate = env["res.currency.rate"]
        Rate.search([("currency_id", "in", (usd | company.currency_id).ids)]).unlink()
        Rate.create({"currency_id": company.currency_id.id, "rate": 1.0, "name": long_ago})
        Rate.create({"currency_id": usd.id, "rate": USD_RATE, "name": long_ago})
        return usd

    def order(self, partner, product, quantity, price, user, purchase_price=None, **values):
        line = {"product_id": product.id, "product_uom_qty": quantity, "price_unit": price,
                "tax_id": [(6, 0, [])]}
        if purchase_price is not None:
            line["purchase_price"] = purchase_price
        vals = {"partner_id": partner.id, "user_id": user.id, "order_line": [(0, 0, line)]}
        vals.update(values)
        order = self.env["sale.order"].create(vals)
        order.action_confirm()
        return order

    def invoice(self, partner, product, quantity, price, day, user, refund=False):
        """An open customer invoice (or credit note) of one line, without an order."""
        invoice = self.env["account.invoice"].create({
            "partner_id": partner.id, "user_id": user.id,
            "type": "out_refund" if refund else "out_invoice",
            "journal_id": self.accounting.sale_journal.id,
            "account_id": self.accounting.receivable.id,
            "date_invoice": fields.Date.to_string(day),
            "invoice_line_ids": [(0, 0, {
                "name": product.name, "product_id": product.id, "uom_id": product.uom_id.id,
                "account_id": self.accounting.income.id, "quantity": quantity, "price_unit": price,
                "invoice_line_tax_ids": [(6, 0, [])]})]})
        invoice.action_invoice_open()
        return invoice

    def this_year(self):
        return [("date", ">=", fields.Date.to_string(self.year_start)),
                ("date", "<=", fields.Date.to_string(self.year_end))]
