"""A small world for the dealer scorecard, in the last complete quarter Q
(start S, end E) of the company's 4-4-5 calendar; figures by hand:

Scorecard Dealer A (salesperson: the world's `salesperson` if given):
- invoices 1000 (S+5, due S+35, open) and 600 (S+20, due E+10), credit note 100 (S+30):
  purchases 1500; the same quarter last year: 1200 (paid) -> growth 25.0 %
- 80 units of paper delivered at S+10; 2 tickets opened in Q -> 2.5 per 100 units
- stock reports: S-7 on hand 10; S+40 on hand 30, sold 20; E-1 on hand 25, sold 35:
  sold 55, closing 25 -> sell-through 55 / 80 = 68.8 %, cover 25 / (55 × 7 / 91) = 5.9 weeks;
  2 reports in Q, the last one 1 day before E; accuracy: 10 + 80 − 55 = 35 expected, 25
  reported -> 100 × (1 − 10 / 90) = 88.9 %
- overdue 1000 since S+35: 55 days at E
Scorecard Dealer B: invoice 200 (S+5); Dealer C: invoice 800 (S+5); Dealer D: 300 (S+5).
Grades (the data's grades are set aside): T-Gold (1000, 50 %, 60 days, pricelist, priority 1,
target 2 weeks), T-Silver (500), T-Bronze (nothing): A gold, C silver, D and B bronze (ranks 1, 2)."""
from datetime import timedelta

from odoo import fields

from odoo.addons.crm_cn_lifecycle.tools.scorecard import previous_quarter_bounds, same_quarter_last_year

from .common import create_dealer, create_order, create_product
from .test_lifecycle import deliver
from .test_receivables_world import Accounting, today_of


class ScorecardWorld(object):

    def __init__(self, env, salesperson=None, logins=("sc_dealer_a", "sc_dealer_b")):
        self.env = env
        company = env.user.company_id
        company.write({"cn_fiscal_year_start_month": "1", "cn_week_start": "0"})
        self.today = today_of(env)
        self.start, self.end = previous_quarter_bounds(self.today)
        self.ly_start, _ly_end = same_quarter_last_year(self.start)
        env["crm.cn.partner.grade"].search([]).write({"active": False})
        self.pricelist = env["product.pricelist"].create({"name": "T-Gold prices"})
        Grade = env["crm.cn.partner.grade"]
        self.gold = Grade.create({"name": "T-Gold", "sequence": 1, "min_purchases": 1000,
                                  "min_sell_through": 50, "max_overdue_days": 60, "forward_priority": 1,
                                  "pricelist_id": self.pricelist.id, "target_weeks": 2.0})
        self.silver = Grade.create({"name": "T-Silver", "sequence": 2, "min_purchases": 500,
                                    "forward_priority": 5})
        self.bronze = Grade.create({"name": "T-Bronze", "sequence": 3, "forward_priority": 9})
        extra = {"user_id": salesperson.id} if salesperson else {}
        self.a = create_dealer(env, "Scorecard Dealer A", login=logins[0], **extra)
        self.b = create_dealer(env, "Scorecard Dealer B", login=logins[1])
        self.c = create_dealer(env, "Scorecard Dealer C")
        self.d = create_dealer(env, "Scorecard Dealer D")
        self.dealers = self.a | self.b | self.c | self.d
        acc = self.accounting = Accounting(env)
        self.invoice(self.a, 1000.0, self.start + timedelta(days=5), self.start + timedelta(days=35))
        self.invoice(self.a, 600.0, self.start + timedelta(days=20), self.end + timedelta(days=10))
        self.invoice(self.a, 100.0, self.start + timedelta(days=30), self.start + timedelta(days=30), refund=True)
        last_year = self.invoice(self.a, 1200.0, self.ly_start + timedelta(days=5), self.ly_start + timedelta(days=5))
        acc.pay(last_year, 1200.0, self.ago(self.ly_start + timedelta(days=6)))
        for dealer, amount in ((self.b, 200.0), (self.c, 800.0), (self.d, 300.0)):
            self.invoice(dealer, amount, self.start + timedelta(days=5), self.end + timedelta(days=30))
        self.paper = create_product(env, "Scorecard paper", default_code="SC-PAPER", type="product")
        stock = env.ref("stock.stock_location_stock")
        env["stock.quant"]._update_available_quantity(self.paper, stock, 500)
        order = create_order(env, self.a, [(self.paper, 80, 25.0)], confirm=True)
        deliver(order)
        self.backdate(order, self.start + timedelta(days=10))
        for number in (1, 2):
            ticket = env["helpdesk.ticket"].create({"name": "Scorecard ticket %d" % number,
                                                    "description": "Jammed", "partner_id": self.a.id})
            env.cr.execute("UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s",
                           (fields.Date.to_string(self.start + timedelta(days=50)) + " 10:00:00", ticket.id))
        Report = env["crm.cn.channel.stock.report"]
        for day, on_hand, sold in ((self.start - timedelta(days=7), 10, 0),
                                   (self.start + timedelta(days=40), 30, 20),
                                   (self.end - timedelta(days=1), 25, 35)):
            Report.submit_report(self.a.id, fields.Date.to_string(day),
                                 [{"product_code": "SC-PAPER", "on_hand": on_hand, "sold": sold}])
        env.cache.invalidate()

    def ago(self, day):
        return (self.today - day).days

    def invoice(self, dealer, amount, day, due, refund=False):
        return self.accounting.invoice(dealer, amount, self.ago(day), due_days_ago=self.ago(due), refund=refund)

    def backdate(self, order, day):
        when = fields.Date.to_string(day) + " 10:00:00"
        ids = tuple(order.picking_ids.ids)
        self.env.cr.execute("UPDATE stock_move_line SET date = %s WHERE picking_id IN %s", (when, ids))
        self.env.cr.execute("UPDATE stock_move SET date = %s WHERE picking_id IN %s", (when, ids))
        self.env.cr.execute("UPDATE stock_picking SET date_done = %s WHERE id IN %s", (when, ids))
        self.env.cache.invalidate()

    def card(self, dealer):
        return self.env["crm.cn.dealer.scorecard"].search([
            ("dealer_id", "=", dealer.id), ("date_start", "=", fields.Date.to_string(self.start))])
