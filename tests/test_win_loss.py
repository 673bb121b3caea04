"""Why deals are won and lost: competitors on opportunities, the lost dialog,
and the win/loss report's rates and cycle times on a hand-built history."""
from odoo.exceptions import ValidationError

from .common import LifecycleCase, create_customer, create_opportunity


class TestWinLoss(LifecycleCase):

    @classmethod
    def setUpClass(cls):
        super(TestWinLoss, cls).setUpClass()
        env = cls.env
        Competitor = env["crm.cn.competitor"]
        cls.huafeng = Competitor.create({"name": "Huafeng Fans"})
        cls.breeze = Competitor.create({"name": "Breeze Appliances"})
        cls.price = env["crm.lost.reason"].create({"name": "Price too high"})
        cls.fans = env["product.category"].create({"name": "Ceiling fans"})
        customer = create_customer(env, "Foshan Hotel Supplies")
        cls.deals = {}
        # (name, outcome, competitors, lost to, category, days from creation to closing)
        for name, outcome, competitors, lost_to, categ, days in [
                ("d1", "won", cls.huafeng, None, cls.fans, 10),
                ("d2", "lost", cls.huafeng, cls.huafeng, cls.fans, 30),
                ("d3", "lost", cls.breeze, cls.breeze, None, 40),
                ("d4", "won", None, None, None, 20)]:
            lead = create_opportunity(env, customer, name, user_id=cls.salesperson.id,
                                      planned_revenue=1000.0 * len(cls.deals) + 1000.0,
                                      cn_categ_id=categ and categ.id,
                                      cn_competitor_ids=[(6, 0, competitors.ids if competitors else [])])
            if outcome == "won":
                lead.action_set_won()
            else:
                env["crm.lead.lost"].with_context(active_ids=lead.ids).create({
                    "lost_reason_id": cls.price.id, "cn_lost_to_id": lost_to.id}).action_lost_reason_apply()
            env.cr.execute("UPDATE crm_lead SET create_date = COALESCE(date_closed, write_date) - %s * INTERVAL '1 day'"
                           " WHERE id = %s",
                           [days, lead.id])
            cls.deals[name] = lead
        env["crm.lead"].invalidate_cache()

    def report(self, user, groupby, domain=None):
        rows = self.env["crm.cn.win.loss.report"].sudo(user).read_group(
            (domain or []) + [("lead_id", "in", [lead.id for lead in self.deals.values()])],
            groupby + ["deal_count", "won_count", "lost_count", "win_rate", "cycle_days", "revenue_won",
                       "revenue_lost"],
            groupby, lazy=False)
        return {(row[groupby[0]][1] if isinstance(row[groupby[0]], tuple) else row[groupby[0]]): row
                for row in rows}

    def test_the_lost_dialog_keeps_reason_and_competitor(self):
        d2 = self.deals["d2"].with_context(active_test=False)
        self.assertFalse(d2.active)
        self.assertEqual(d2.lost_reason, self.price)
        self.assertEqual(d2.cn_lost_to_id, self.huafeng)

    def test_rates_and_cycle_times_come_from_each_groups_sums(self):
        by_outcome = self.report(self.manager, ["outcome"])
        self.assertEqual(by_outcome["won"]["deal_count"], 2)
        self.assertAlmostEqual(by_outcome["won"]["cycle_days"], 15.0, places=3)   # (10 + 20) / 2
        self.assertAlmostEqual(by_outcome["lost"]["cycle_days"], 35.0, places=3)  # (30 + 40) / 2
        self.assertEqual(by_outcome["won"]["revenue_won"], 1000.0 + 4000.0)
        self.assertEqual(by_outcome["lost"]["revenue_lost"], 2000.0 + 3000.0)
        by_categ = self.report(self.manager, ["categ_id"])
        self.assertEqual(by_categ["Ceiling fans"]["deal_count"], 2)
        self.assertAlmostEqual(by_categ["Ceiling fans"]["win_rate"], 50.0)
        self.assertAlmostEqual(by_categ[False]["win_rate"], 50.0)  # d3 lost, d4 won
        by_lost_to = self.report(self.manager, ["lost_to_id"])
        self.assertEqual(by_lost_to["Huafeng Fans"]["lost_count"], 1)
        self.assertEqual(by_lost_to["Breeze Appliances"]["lost_count"], 1)
        self.assertEqual(by_lost_to[False]["won_count"], 2)
        by_reason = self.report(self.manager, ["lost_reason"])
        self.assertEqual(by_reason["Price too high"]["lost_count"], 2)

    def test_competitors_show_how_the_company_fares_against_them(self):
        self.assertEqual((self.huafeng.deal_count, self.huafeng.won_count, self.huafeng.lost_count,
                          self.huafeng.lost_to_count), (2, 1, 1, 1))
        self.assertAlmostEqual(self.huafeng.win_rate, 50.0)
        self.assertEqual((self.breeze.deal_count, self.breeze.lost_to_count), (1, 1))
        self.assertAlmostEqual(self.breeze.win_rate, 0.0)
        deals = self.env["crm.cn.win.loss.report"].search(self.huafeng.action_open_deals()["domain"])
        self.assertEqual(deals.mapped("lead_id"), self.deals["d1"] | self.deals["d2"])

    def test_naming_the_winner_adds_it_to_the_competitors_and_it_cannot_be_removed(self):
        d4 = self.deals["d4"]
        d4.write({"cn_lost_to_id": self.breeze.id})
        self.assertIn(self.breeze, d4.cn_competitor_ids)
        with self.assertRaises(ValidationError):
            d4.write({"cn_competitor_ids": [(3, self.breeze.id)]})

    def test_salespeople_see_their_own_deals_only(self):
        self.assertEqual(self.report(self.salesperson, ["outcome"])["won"]["deal_count"], 2)
        self.assertEqual(self.report(self.other_salesperson, ["outcome"]), {})
