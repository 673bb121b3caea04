"""Tier rules ("one to one" treatment) on a hand-computed world: defaults for
customers new to a tier, ticket priority, overdue-contact activities and the
contact coverage report, and who may change the rules or read the coverage.

World (main company, current pyramid made by hand, today = T):
  A key   salesperson S1  new to the tier, no pricelist/term  call done today
  B key   S1              new to the tier, payment term set    note on its opportunity T-40
  C key   S1              key last month too                   never contacted
  D big   S2                                                   note on its order T-10
  E small no salesperson                                       never contacted
  F big   S2              a call already open                  note T-100
Rules: key every 30 days (call) and a senior visit every 365 (meeting); big 60; small 180.
Customers without a salesperson get no activity (nobody to give it to); the
coverage report counts them on a row without salesperson."""
from odoo.exceptions import AccessError, ValidationError

from .common import (LifecycleCase, create_customer, create_opportunity, create_order,
                     create_product)
from .test_receivables_world import Accounting, days_ago, today_of


class TestTierRules(LifecycleCase):

    @classmethod
    def setUpClass(cls):
        super(TestTierRules, cls).setUpClass()
        env = cls.env
        cls.company = env.user.company_id
        cls.call = env.ref("mail.mail_activity_data_call")
        cls.meeting = env.ref("mail.mail_activity_data_meeting")
        cls.pricelist = env["product.pricelist"].create({"name": "Key customers",
                                                         "company_id": cls.company.id})
        cls.net30 = env.ref("account.account_payment_term_net")
        cls.immediate = env.ref("account.account_payment_term_immediate")
        Rule = env["crm.cn.tier.rule"]
        Rule.search([("company_id", "=", cls.company.id)]).unlink()
        cls.key_rule = Rule.create({
            "tier": "key", "contact_days": 30, "activity_type_id": cls.call.id, "visit_days": 365,
            "visit_activity_type_id": cls.meeting.id, "pricelist_id": cls.pricelist.id,
            "payment_term_id": cls.net30.id, "ticket_priority": "3"})
        Rule.create({"tier": "big", "contact_days": 60, "activity_type_id": cls.call.id,
                     "ticket_priority": "2"})
        Rule.create({"tier": "small", "contact_days": 180, "activity_type_id": cls.call.id})
        s1, s2 = cls.salesperson, cls.other_salesperson
        spec = [("A", "key", s1, False), ("B", "key", s1, False), ("C", "key", s1, "key"),
                ("D", "big", s2, "big"), ("E", "small", None, "small"), ("F", "big", s2, "big")]
        cls.customers = {}
        for name, tier, user, previous in spec:
            partner = create_customer(env, "Tier %s" % name, user_id=user.id if user else False)
            cls.customers[name] = partner
            env["crm.cn.pyramid.line"].create({
                "date": days_ago(env, 0), "is_current": True, "company_id": cls.company.id,
                "partner_id": partner.id, "user_id": user.id if user else False, "tier": tier,
                "previous_tier": previous})
        cls.customers["B"].property_payment_term_id = cls.immediate  # set by a person
        env["crm.cn.pyramid.line"]._cn_update_partners()
        # contacts
        activity = env["mail.activity"].sudo(s1).create({
            "res_model_id": env["ir.model"]._get("res.partner").id, "res_id": cls.customers["A"].id,
            "activity_type_id": cls.call.id, "user_id": s1.id, "summary": "Monthly call"})
        activity.action_feedback("Ordered paper")
        lead = create_opportunity(env, cls.customers["B"], "Tier B deal", user_id=s1.id)
        cls.note(lead, s1, 40)
        cls.product = create_product(env, "Tier paper")
        order = create_order(env, cls.customers["D"], [(cls.product, 1, 25.0)], user_id=s2.id)
        cls.note(order, s2, 10)
        cls.note(cls.customers["F"], s2, 100)
        # an e-mail from the customer itself is not a contact by us
        env["mail.message"].create({
            "model": "res.partner", "res_id": cls.customers["C"].id, "message_type": "email",
            "author_id": cls.customers["C"].id, "body": "Where is my order?"})
        cls.open_call = env["mail.activity"].create({
            "res_model_id": env["ir.model"]._get("res.partner").id, "res_id": cls.customers["F"].id,
            "activity_type_id": cls.call.id, "user_id": s2.id})
        cls.Rule = Rule

    @classmethod
    def note(cls, record, user, age):
        return cls.env["mail.message"].create({
            "model": record._name, "res_id": record.id, "message_type": "comment",
            "author_id": user.partner_id.id, "body": "Spoke with the buyer",
            "subtype_id": cls.env.ref("mail.mt_note").id, "date": days_ago(cls.env, age) + " 08:00:00"})

    def activities(self, name):
        return self.env["mail.activity"].search([("res_model", "=", "res.partner"),
                                                 ("res_id", "=", self.customers[name].id)])

    # --- defaults for customers new to a tier ----------------------------------------
    def test_new_key_customer_gets_the_tier_pricelist_and_payment_term(self):
        self.Rule._cn_apply_new_customer_defaults(self.company)
        customer = self.customers["A"]
        customer.invalidate_cache()
        self.assertEqual(customer.property_product_pricelist, self.pricelist)
        self.assertEqual(customer.property_payment_term_id, self.net30)

    def test_a_payment_term_a_person_set_is_kept(self):
        self.Rule._cn_apply_new_customer_defaults(self.company)
        customer = self.customers["B"]
        customer.invalidate_cache()
        self.assertEqual(customer.property_payment_term_id, self.immediate)
        self.assertEqual(customer.property_product_pricelist, self.pricelist)

    def test_a_customer_already_in_the_tier_last_month_is_left_alone(self):
        self.Rule._cn_apply_new_customer_defaults(self.company)
        self.customers["C"].invalidate_cache()
        self.assertFalse(self.customers["C"].property_payment_term_id)
        self.assertNotEqual(self.customers["C"].property_product_pricelist, self.pricelist)

    # --- ticket priority ------------------------------------------------------------------
    def test_new_ticket_takes_the_priority_of_the_customer_tier(self):
        Ticket = self.env["helpdesk.ticket"]
        key = Ticket.create({"name": "Jam", "description": "x", "partner_id": self.customers["A"].id})
        big = Ticket.create({"name": "Jam", "description": "x", "partner_id": self.customers["D"].id})
        small = Ticket.create({"name": "Jam", "description": "x", "partner_id": self.customers["E"].id})
        self.assertEqual((key.priority, big.priority, small.priority), ("3", "2", "1"))

    def test_a_ticket_given_its_own_priority_keeps_it(self):
        ticket = self.env["helpdesk.ticket"].create({
            "name": "Jam", "description": "x", "partner_id": self.customers["A"].id, "priority": "0"})
        self.assertEqual(ticket.priority, "0")

    def test_choosing_the_customer_on_a_ticket_form_proposes_its_tier_priority(self):
        ticket = self.env["helpdesk.ticket"].new({"name": "Jam", "partner_id": self.customers["D"].id,
                                                  "priority": "1"})
        ticket._onchange_cn_tier_priority()
        self.assertEqual(ticket.priority, "2")

    # --- last contact and overdue activities -------------------------------------------
    def test_last_contact_counts_done_activities_and_employee_notes_only(self):
        today = today_of(self.env)
        last = {name: self.customers[name].cn_last_contact_date for name in "ABCDEF"}
        self.assertEqual(last, {"A": str(today), "B": days_ago(self.env, 40), "C": False,
                                "D": days_ago(self.env, 10), "E": False, "F": days_ago(self.env, 100)})

    def test_overdue_customers_get_one_activity_each_and_a_second_run_adds_none(self):
        created = self.Rule.schedule_overdue_contacts()
        # A: the yearly visit only (called today); B and C: call and visit; D on time;
        # E has no salesperson; F's call is open already
        kinds = {name: sorted(self.activities(name).mapped("activity_type_id.id")) for name in "ABCDEF"}
        self.assertEqual(kinds, {
            "A": [self.meeting.id], "B": sorted([self.call.id, self.meeting.id]),
            "C": sorted([self.call.id, self.meeting.id]), "D": [], "E": [], "F": [self.call.id]})
        self.assertEqual(created, 5)
        self.assertEqual(self.Rule.schedule_overdue_contacts(), 0)
        self.assertEqual(len(self.env["mail.activity"].search([
            ("res_model", "=", "res.partner"),
            ("res_id", "in", [partner.id for partner in self.customers.values()])])), 6)

    def test_the_activity_goes_to_the_salesperson_due_today_and_says_why(self):
        self.Rule.schedule_overdue_contacts()
        call = self.activities("B").filtered(lambda activity: activity.activity_type_id == self.call)
        self.assertEqual(call.user_id, self.salesperson)
        self.assertEqual(call.date_deadline, days_ago(self.env, 0))
        self.assertEqual(call.summary, "Contact Key customer: last contact 40 days ago")
        self.assertEqual(call.res_name, "Tier B")
        never = self.activities("C").filtered(lambda activity: activity.activity_type_id == self.call)
        self.assertEqual(never.summary, "Contact Key customer: no contact recorded")
        self.assertIn(never, self.env["mail.activity"].search([("user_id", "=", self.salesperson.id)]))
        # the customer's next activity deadline (stored by mail) follows
        self.customers["C"].invalidate_cache()
        self.assertEqual(self.customers["C"].activity_date_deadline, days_ago(self.env, 0))

    def test_only_managers_schedule_the_overdue_contacts(self):
        with self.assertRaises(AccessError):
            self.Rule.sudo(self.salesperson).schedule_overdue_contacts()

    # --- coverage ----------------------------------------------------------------------
    def coverage(self, user=None):
        Coverage = self.env["crm.cn.contact.coverage"].sudo(user) if user else \
            self.env["crm.cn.contact.coverage"]
        users = [self.salesperson.id, self.other_salesperson.id, False]
        return {(row.user_id.id, row.tier): (row.customer_count, row.contacted_count, row.overdue_count,
                                             row.never_count, round(row.coverage, 1))
                for row in Coverage.search([("user_id", "in", users),
                                            ("company_id", "=", self.company.id)])}

    def test_coverage_per_salesperson_and_tier(self):
        self.assertEqual(self.coverage(), {
            (self.salesperson.id, "key"): (3, 1, 2, 1, 33.3),
            (self.other_salesperson.id, "big"): (2, 1, 1, 0, 50.0),
            (False, "small"): (1, 0, 1, 1, 0.0)})

    def test_coverage_of_a_group_is_contacted_over_customers(self):
        groups = self.env["crm.cn.contact.coverage"].read_group(
            [("user_id", "in", [self.salesperson.id, self.other_salesperson.id]),
             ("company_id", "=", self.company.id)], ["company_id", "customer_count", "coverage"], ["company_id"])
        self.assertEqual(groups[0]["customer_count"], 5)
        self.assertAlmostEqual(groups[0]["coverage"], 40.0)

    def test_salesperson_sees_only_its_own_coverage_rows(self):
        self.assertEqual(set(self.coverage(self.salesperson)), {(self.salesperson.id, "key")})
        self.assertEqual(len(self.coverage(self.manager)), 3)

    # --- who may change the rules ---------------------------------------------------------
    def test_salesperson_reads_but_may_not_edit_the_rules(self):
        rule = self.key_rule.sudo(self.salesperson)
        self.assertEqual(rule.contact_days, 30)
        with self.assertRaises(AccessError):
            rule.write({"contact_days": 365})
        with self.assertRaises(AccessError):
            self.Rule.sudo(self.salesperson).create({"tier": "medium", "contact_days": 5})

    def test_manager_edits_the_rules(self):
        self.key_rule.sudo(self.manager).write({"contact_days": 45})
        self.assertEqual(self.key_rule.contact_days, 45)


class TestTierDefaultsFromPyramid(LifecycleCase):
    """The pyramid's computation gives a customer that enters a tier its defaults."""

    def test_computing_the_pyramid_applies_the_tier_defaults(self):
        env = self.env
        company = env.user.company_id
        Rule = env["crm.cn.tier.rule"]
        Rule.search([("company_id", "=", company.id)]).unlink()
        term = env.ref("account.account_payment_term_15days")
        Rule.create({"tier": "key", "contact_days": 30, "payment_term_id": term.id})
        customer = create_customer(env, "Tier buyer", user_id=self.salesperson.id)
        accounting = Accounting(env)
        product = create_product(env, "Tier toner", taxes_id=[(6, 0, [])])
        invoice = env["account.invoice"].create({
            "partner_id": customer.id, "type": "out_invoice", "journal_id": accounting.sale_journal.id,
            "account_id": accounting.receivable.id, "date_invoice": days_ago(env, 5),
            "invoice_line_ids": [(0, 0, {"product_id": product.id, "name": "Toner",
                                         "account_id": accounting.income.id, "quantity": 10,
                                         "price_unit": 25.0, "invoice_line_tax_ids": [(6, 0, [])]})]})
        invoice.action_invoice_open()
        env["crm.cn.pyramid.line"].compute_pyramid()
        customer.invalidate_cache()
        self.assertEqual(customer.cn_pyramid_tier, "key")
        self.assertEqual(customer.property_payment_term_id, term)


class TestTierRuleChecks(LifecycleCase):
    """A rule is refused, with a message naming its tier, when it is incomplete."""

    def test_a_senior_visit_cadence_needs_its_activity(self):
        Rule = self.env["crm.cn.tier.rule"]
        Rule.search([("tier", "=", "lapsed")]).unlink()
        with self.assertRaisesRegex(ValidationError, "Lapsed"):
            Rule.create({"tier": "lapsed", "contact_days": 30, "visit_days": 365,
                         "visit_activity_type_id": False})

    def test_the_manager_menu_schedules_and_opens_the_coverage(self):
        action = self.env.ref("crm_cn_lifecycle.action_schedule_overdue_contacts").sudo(
            self.manager).run()
        self.assertEqual(action["res_model"], "crm.cn.contact.coverage")
