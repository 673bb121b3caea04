"""Lead forwarding in the backend: rules, capacity, answers, timeouts."""
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError

from odoo.addons.crm_cn_lifecycle.models.bulk import bulk_create

from .common import LifecycleCase, create_dealer, portal_user_of


def hours_ago(hours):
    return fields.Datetime.to_string(fields.Datetime.from_string(fields.Datetime.now())
                                     - timedelta(hours=hours))


class ForwardWorld(LifecycleCase):

    @classmethod
    def setUpClass(cls):
        super(ForwardWorld, cls).setUpClass()
        env = cls.env
        cls.gd = env.ref("l10n_cn.state_GD")
        cls.bj = env.ref("l10n_cn.state_BJ")
        cls.cn = env.ref("base.cn")
        Category = env["product.category"]
        cls.paper = Category.create({"name": "Paper (forwarding)"})
        cls.printers = Category.create({"name": "Printers (forwarding)"})
        cls.gz_dealer = create_dealer(env, "GZ Forward Dealer", login="fw_gz", state_id=cls.gd.id,
                                      country_id=cls.cn.id)
        cls.sz_dealer = create_dealer(env, "SZ Forward Dealer", login="fw_sz", state_id=cls.gd.id,
                                      country_id=cls.cn.id)
        cls.bj_dealer = create_dealer(env, "BJ Forward Dealer", login="fw_bj", state_id=cls.bj.id,
                                      country_id=cls.cn.id)
        Rule = env["crm.cn.forward.rule"]
        Rule.search([]).write({"active": False})
        cls.paper_rule = Rule.create({"name": "Paper leads of Guangdong", "sequence": 1,
                                      "state_ids": [(6, 0, cls.gd.ids)], "categ_ids": [(6, 0, cls.paper.ids)],
                                      "dealer_ids": [(6, 0, (cls.gz_dealer | cls.sz_dealer).ids)]})
        cls.province_rule = Rule.create({"name": "Everything else: dealers of the province",
                                         "sequence": 9})

    def lead(self, name, state=None, categ=None, **values):
        vals = {"name": name, "type": "lead", "state_id": (state or self.gd).id,
                "country_id": self.cn.id, "cn_categ_id": (categ or self.paper).id,
                "partner_name": "End Customer Co.", "email_from": "buyer@end.example.cn",
                "phone": "+86 20 1234 5678", "user_id": self.salesperson.id}
        vals.update(values)
        return self.env["crm.lead"].create(vals)

    def forward(self, leads):
        return leads.sudo(self.manager).cn_forward_by_rules()


class TestForwardRules(ForwardWorld):

    def test_rule_picks_dealers_by_province_and_category(self):
        paper_lead = self.lead("Paper in Guangdong")
        printer_lead = self.lead("Printer in Beijing", state=self.bj, categ=self.printers)
        self.assertEqual(self.forward(paper_lead | printer_lead), 2)
        self.assertIn(paper_lead.cn_dealer_id, self.gz_dealer | self.sz_dealer)
        self.assertEqual(printer_lead.cn_dealer_id, self.bj_dealer)  # second rule: the province's dealer
        self.assertEqual(paper_lead.cn_forward_state, "offered")
        offer = paper_lead.cn_forward_ids
        self.assertEqual((offer.state, offer.rule_id, offer.offered_by), ("offered", self.paper_rule, self.manager))
        self.assertTrue(offer.deadline > offer.offered_on)

    def test_priority_then_load_spreads_leads(self):
        self.sz_dealer.cn_forward_priority = 5
        leads = self.lead("First") | self.lead("Second")
        self.forward(leads)
        self.assertEqual(leads.mapped("cn_dealer_id"), self.sz_dealer)
        self.sz_dealer.cn_forward_priority = 0
        third = self.lead("Third")
        self.forward(third)
        self.assertEqual(third.cn_dealer_id, self.gz_dealer)  # fewer open offers

    def test_capacity_caps_open_offers_over_one_batch(self):
        self.gz_dealer.cn_forward_capacity = 1
        self.sz_dealer.cn_forward_capacity = 2
        leads = self.lead("A") | self.lead("B") | self.lead("C") | self.lead("D")
        self.assertEqual(self.forward(leads), 3)
        counts = {dealer: len(leads.filtered(lambda lead: lead.cn_dealer_id == dealer))
                  for dealer in (self.gz_dealer, self.sz_dealer)}
        self.assertEqual(counts, {self.gz_dealer: 1, self.sz_dealer: 2})
        self.assertEqual(len(leads.filtered(lambda lead: not lead.cn_dealer_id)), 1)

    def test_one_open_offer_per_lead(self):
        lead = self.lead("Once")
        self.forward(lead)
        self.assertEqual(self.forward(lead), 0)
        self.assertEqual(len(lead.cn_forward_ids), 1)
        with self.assertRaises(UserError):
            lead.sudo(self.manager).cn_forward_to(self.bj_dealer.id)

    def test_manager_forwards_by_hand_with_the_wizard(self):
        lead = self.lead("By hand", state=self.bj)
        wizard = self.env["crm.cn.lead.forward.wizard"].sudo(self.manager).with_context(
            active_ids=lead.ids).create({"dealer_id": self.gz_dealer.id})
        wizard.action_forward()
        self.assertEqual((lead.cn_dealer_id, lead.cn_forward_state), (self.gz_dealer, "offered"))
        self.assertFalse(lead.cn_forward_ids.rule_id)
        self.assertIn("Lead offered to GZ Forward Dealer", lead.message_ids.mapped("body")[0])

    def test_each_offered_lead_gets_its_own_note_with_the_dealer_as_text(self):
        dealer = create_dealer(self.env, "Lin & <b>Sons</b>", state_id=self.bj.id, country_id=self.cn.id)
        dealer.cn_forward_priority = 9
        leads = self.lead("Note one", state=self.bj) | self.lead("Note two", state=self.bj)
        self.assertEqual(self.forward(leads), 2)
        for lead in leads:
            notes = lead.message_ids.filtered(lambda message: "Lead offered to" in (message.body or ""))
            self.assertEqual(len(notes), 1)
            self.assertEqual(lead.cn_dealer_id, dealer)
            self.assertIn("Lead offered to Lin &amp; &lt;b&gt;Sons&lt;/b&gt; (answer by %s UTC)"
                          % lead.cn_forward_ids.deadline, notes.body)
            self.assertEqual((notes.model, notes.res_id, notes.record_name, notes.subtype_id),
                             ("crm.lead", lead.id, lead.name, self.env.ref("mail.mt_note")))

    def test_bulk_create_stores_only_text_fields_raw(self):
        with self.assertRaises(ValueError):
            bulk_create(self.env["crm.cn.lead.forward"], [{"state": "offered"}], raw=("state",))

    def test_salesperson_may_not_forward_nor_set_the_dealer(self):
        lead = self.lead("Not yours to forward")
        with self.assertRaises(AccessError):
            lead.sudo(self.salesperson).cn_forward_by_rules()
        with self.assertRaises(AccessError):
            lead.sudo(self.salesperson).write({"cn_dealer_id": self.gz_dealer.id})

    def test_dealer_settings_are_for_managers(self):
        with self.assertRaises(AccessError):
            self.gz_dealer.sudo(self.salesperson).write({"cn_forward_capacity": 99})
        self.gz_dealer.sudo(self.manager).write({"cn_forward_capacity": 4})
        self.assertEqual(self.gz_dealer.cn_forward_capacity, 4)


class TestForwardAnswers(ForwardWorld):

    def offered(self, name="Answer me"):
        lead = self.lead(name)
        self.forward(lead)
        return lead, lead.cn_forward_ids

    def test_accept_is_idempotent(self):
        lead, offer = self.offered()
        dealer_user = portal_user_of(offer.dealer_id)
        offer.sudo(dealer_user).action_accept()
        answered = offer.answered_on
        offer.sudo(dealer_user).action_accept()
        self.assertEqual((offer.state, offer.answered_on, lead.cn_forward_state), ("accepted", answered, "accepted"))
        self.assertEqual(len(lead.message_ids.filtered(lambda m: "accepted the lead" in (m.body or ""))), 1)

    def test_other_dealer_cannot_answer(self):
        _lead, offer = self.offered()
        other = self.bj_dealer
        with self.assertRaises(AccessError):
            offer.sudo(portal_user_of(other)).action_accept()
        self.assertEqual(offer.state, "offered")

    def test_decline_needs_a_reason_then_goes_to_the_next_dealer(self):
        lead, offer = self.offered()
        first = offer.dealer_id
        with self.assertRaises(UserError):
            offer.sudo(portal_user_of(first)).action_decline("  ")
        self.assertEqual(offer.state, "offered")
        offer.sudo(portal_user_of(first)).action_decline("No stock of this paper")
        self.assertEqual((offer.state, offer.decline_reason), ("declined", "No stock of this paper"))
        self.assertEqual(lead.cn_dealer_id, (self.gz_dealer | self.sz_dealer) - first)
        self.assertEqual(lead.cn_forward_state, "offered")

    def test_accepting_a_closed_offer_says_so(self):
        _lead, offer = self.offered()
        offer.sudo(portal_user_of(offer.dealer_id)).action_decline("Too far")
        with self.assertRaises(UserError) as refusal:
            offer.sudo(portal_user_of(offer.dealer_id)).action_accept()
        self.assertIn("no longer open", refusal.exception.name)

    def test_withdraw_frees_the_lead(self):
        lead, offer = self.offered()
        offer.sudo(self.manager).action_withdraw()
        self.assertEqual((offer.state, lead.cn_dealer_id.id, lead.cn_forward_state), ("withdrawn", False, "withdrawn"))
        self.assertEqual(self.forward(lead), 1)


class TestForwardTimeout(ForwardWorld):

    def expire(self, leads):
        offers = leads.mapped("cn_forward_ids").filtered(lambda offer: offer.state == "offered")
        self.env.cr.execute("UPDATE crm_cn_lead_forward SET offered_on = %s, deadline = %s WHERE id = ANY(%s)",
                            (hours_ago(30), hours_ago(6), offers.ids))
        offers.invalidate_cache()
        return offers

    def test_timeout_moves_to_next_dealer_then_back_to_the_salesperson(self):
        lead = self.lead("Nobody answers")
        self.forward(lead)
        first = self.expire(lead)
        Forward = self.env["crm.cn.lead.forward"]
        self.assertEqual(Forward._cron_cn_forward_timeout(), 1)
        self.assertEqual(first.state, "timed_out")
        second = lead.cn_forward_ids.filtered(lambda offer: offer.state == "offered")
        self.assertEqual(second.dealer_id, (self.gz_dealer | self.sz_dealer) - first.dealer_id)
        self.expire(lead)
        self.assertEqual(Forward._cron_cn_forward_timeout(), 1)
        self.assertEqual(lead.cn_forward_ids.mapped("state"), ["timed_out", "timed_out"])
        self.assertEqual((lead.cn_dealer_id.id, lead.cn_forward_state), (False, "timed_out"))
        activity = lead.activity_ids
        self.assertEqual((len(activity), activity.user_id), (1, self.salesperson))
        self.assertTrue(any("back with the sales team" in (body or "") for body in lead.message_ids.mapped("body")))

    def test_timeout_twice_is_harmless(self):
        lead = self.lead("Run the cron twice")
        self.forward(lead)
        self.expire(lead)
        Forward = self.env["crm.cn.lead.forward"]
        self.assertEqual(Forward._cron_cn_forward_timeout(), 1)
        self.assertEqual(Forward._cron_cn_forward_timeout(), 0)
        self.assertEqual(len(lead.cn_forward_ids), 2)
        self.assertEqual(lead.cn_forward_ids.mapped("state").count("offered"), 1)

    def test_offers_within_their_time_stay(self):
        lead = self.lead("Still time")
        self.forward(lead)
        self.assertEqual(self.env["crm.cn.lead.forward"]._cron_cn_forward_timeout(), 0)
        self.assertEqual(lead.cn_forward_state, "offered")

    def test_service_hours_come_from_the_company(self):
        self.env.user.company_id.cn_forward_service_hours = 2
        lead = self.lead("Two hours")
        self.forward(lead)
        offer = lead.cn_forward_ids
        delta = fields.Datetime.from_string(offer.deadline) - fields.Datetime.from_string(offer.offered_on)
        self.assertEqual(delta, timedelta(hours=2))
