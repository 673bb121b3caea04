"""The scorecard's lead columns from lead forwarding (crm.cn.lead.forward) and
deal registration (crm.cn.deal.registration). Figures by hand: dealer A was offered 4 leads in the quarter,
accepted 2 (answered in 2 h and 4 h), declined 1, let 1 time out; one accepted
lead was won -> acceptance 2 / 4 = 50.0 %, answer time (2 + 4 + 6) / 3 = 4.0 h
(the decline took 6 h), conversion 1 / 2 = 50.0 %."""
from datetime import datetime, time, timedelta

from odoo import fields

from .common import LifecycleCase, create_opportunity
from .scorecard_world import ScorecardWorld


class TestScorecardLeadStats(LifecycleCase):

    @classmethod
    def setUpClass(cls):
        super(TestScorecardLeadStats, cls).setUpClass()
        cls.world = ScorecardWorld(cls.env, logins=("scl_dealer_a", "scl_dealer_b"))
        offered = datetime.combine(cls.world.start + timedelta(days=10), time(9, 0))
        Forward = cls.env["crm.cn.lead.forward"]
        cls.leads = []
        for number, (state, hours) in enumerate((("accepted", 2), ("accepted", 4), ("declined", 6),
                                                 ("timed_out", None))):
            lead = create_opportunity(cls.env, cls.world.a, "Forwarded lead %d" % number)
            cls.leads.append(lead)
            Forward.create({
                "lead_id": lead.id, "dealer_id": cls.world.a.id, "state": state,
                "offered_on": fields.Datetime.to_string(offered),
                "answered_on": fields.Datetime.to_string(offered + timedelta(hours=hours)) if hours else False})
        cls.leads[0].action_set_won()

    def test_lead_stats_of_the_quarter(self):
        stats = self.env["crm.cn.dealer.scorecard"]._cn_scorecard_lead_stats(
            self.world.dealers.ids, self.world.start, self.world.end)[self.world.a.id]
        self.assertEqual((stats["lead_offered"], stats["lead_accepted"], stats["lead_declined"],
                          stats["lead_timed_out"], stats["lead_won"]), (4, 2, 1, 1, 1))
        self.assertAlmostEqual(stats["lead_answer_hours"], 4.0)

    def test_scorecard_shows_acceptance_and_conversion(self):
        self.env["crm.cn.dealer.scorecard"].compute_scorecards(fields.Date.to_string(self.world.start))
        card = self.world.card(self.world.a)
        self.assertAlmostEqual(card.lead_acceptance_rate, 50.0)
        self.assertAlmostEqual(card.lead_conversion, 50.0)
        self.assertAlmostEqual(card.lead_answer_hours, 4.0)
