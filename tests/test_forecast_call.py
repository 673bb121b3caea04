"""Forecast categories, quotas, the weekly call and the quarter screen on a
hand-computed world in the current quarter.

Salesperson cn_sales (team South, led by cn_fc_leader) has, closing this quarter:
A 10,000 New (pipeline, last week), B 4,000 Proposition (best case, week
before last), C 6,000 Qualified set to commit (last week), and a won 99,999
(omitted); it booked 200 x 25 = 5,000 in week 1. Its quota is 26,000 for the
quarter (2,000 a week); the team's 52,000.
So its call is prefilled with commit 5,000 + 6,000 = 11,000 and best case
11,000 + 4,000 = 15,000."""
from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, UserError

from .common import GROUP_USER, LifecycleCase, create_customer, create_opportunity, create_order, create_product, create_user


def day(value):
    return fields.Date.to_string(value)


class TestForecastCall(LifecycleCase):

    @classmethod
    def setUpClass(cls):
        super(TestForecastCall, cls).setUpClass()
        env = cls.env
        cls.weeks = env["crm.cn.forecast.report"].quarter_weeks()
        weeks = cls.weeks
        cls.leader = create_user(env, "cn_fc_leader", ["base.group_user", GROUP_USER])
        cls.other_leader = create_user(env, "cn_fc_leader2", ["base.group_user", GROUP_USER])
        cls.team = env["crm.team"].create({"name": "FC South", "user_id": cls.leader.id,
                                           "member_ids": [(4, cls.salesperson.id)]})
        cls.other_team = env["crm.team"].create({"name": "FC Export", "user_id": cls.other_leader.id,
                                                 "member_ids": [(4, cls.other_salesperson.id)]})
        customer = create_customer(env, "Pudong Stationery")
        owner = {"user_id": cls.salesperson.id, "team_id": cls.team.id}
        cls.lead_a = create_opportunity(env, customer, "A", planned_revenue=10000.0,
                                        stage_id=env.ref("crm.stage_lead1").id,
                                        date_deadline=day(weeks[-1].start), **owner)
        cls.lead_b = create_opportunity(env, customer, "B", planned_revenue=4000.0,
                                        stage_id=env.ref("crm.stage_lead3").id,
                                        date_deadline=day(weeks[-2].start), **owner)
        cls.lead_c = create_opportunity(env, customer, "C", planned_revenue=6000.0,
                                        stage_id=env.ref("crm.stage_lead2").id,
                                        date_deadline=day(weeks[-1].start), **owner)
        cls.lead_c.cn_forecast_category = "commit"
        cls.won = create_opportunity(env, customer, "Won", planned_revenue=99999.0,
                                     date_deadline=day(weeks[-1].start), **owner)
        cls.won.action_set_won()
        paper = create_product(env, price=25.0, cost=10.0, taxes_id=[(6, 0, [])])
        order = create_order(env, customer, [(paper, 200, 25.0)], **owner)
        order.confirmation_date = day(weeks[0].start) + " 09:00:00"
        Quota = env["crm.cn.forecast.quota"]
        Quota.create({"user_id": cls.salesperson.id, "quarter_start": day(weeks[3].start),
                      "amount": 26000.0})
        Quota.create({"team_id": cls.team.id, "quarter_start": day(weeks[0].start), "amount": 52000.0})

    def Call(self, user):
        return self.env["crm.cn.forecast.call"].sudo(user)

    # --- categories ---------------------------------------------------------------

    def test_category_follows_the_stage_the_salesperson_and_the_closing(self):
        self.assertEqual((self.lead_a.cn_forecast_category, self.lead_b.cn_forecast_category,
                          self.lead_c.cn_forecast_category, self.won.cn_forecast_category),
                         ("pipeline", "best_case", "commit", "omitted"))
        lead = self.lead_b.sudo(self.salesperson)
        lead.write({"stage_id": self.env.ref("crm.stage_lead2").id})
        self.assertEqual(lead.cn_forecast_category, "pipeline")
        lead.cn_forecast_category = "commit"
        lead.action_set_lost()
        self.assertEqual(lead.cn_forecast_category, "omitted")
        with self.assertRaises(UserError):
            self.won.sudo(self.salesperson).cn_forecast_category = "commit"
        lead.action_set_active()
        self.assertEqual(lead.cn_forecast_category, "pipeline")  # Qualified's again
        tracked = self.lead_b.message_ids.mapped("tracking_value_ids").filtered(
            lambda value: value.field == "cn_forecast_category")
        self.assertIn("Commit", tracked.mapped("new_value_char"))

    def test_stage_default_is_configurable(self):
        stage = self.env["crm.stage"].create({"name": "Verbal yes", "probability": 90,
                                              "cn_forecast_category": "commit"})
        lead = create_opportunity(self.env, self.lead_a.partner_id, "D", stage_id=stage.id)
        self.assertEqual(lead.cn_forecast_category, "commit")

    # --- quotas -------------------------------------------------------------------

    def test_quota_is_kept_on_the_quarter_start_with_its_attainment(self):
        quota = self.env["crm.cn.forecast.quota"].search([("user_id", "=", self.salesperson.id)])
        self.assertEqual(quota.quarter_start, day(self.weeks[0].start))
        self.assertEqual(quota.quarter_end, day(self.weeks[-1].end))
        self.assertAlmostEqual(quota.booked, 5000.0)
        self.assertAlmostEqual(quota.attainment, 5000.0 / 26000.0 * 100, places=1)

    def test_salesperson_may_not_set_quotas_but_reads_its_own_and_its_teams(self):
        Quota = self.env["crm.cn.forecast.quota"].sudo(self.salesperson)
        with self.assertRaises(AccessError):
            Quota.create({"user_id": self.salesperson.id, "quarter_start": day(self.weeks[0].start),
                          "amount": 1.0})
        own = Quota.search([])
        self.assertEqual(sorted(own.mapped("amount")), [26000.0, 52000.0])
        with self.assertRaises(AccessError):
            own[0].write({"amount": 99.0})
        self.assertFalse(self.env["crm.cn.forecast.quota"].sudo(self.other_salesperson).search([]))

    # --- calls --------------------------------------------------------------------

    def test_salesperson_call_is_prefilled_from_its_opportunities_and_booked(self):
        call = self.Call(self.salesperson).create({})
        self.assertEqual((call.level, call.user_id, call.team_id, call.submitted_by),
                         ("user", self.salesperson, self.team, self.salesperson))
        self.assertAlmostEqual(call.raw_commit, 11000.0)
        self.assertAlmostEqual(call.raw_best_case, 15000.0)
        self.assertEqual((call.commit, call.best_case, call.adjusted), (11000.0, 15000.0, False))
        self.assertEqual(call.quarter_start, day(self.weeks[0].start))

    def test_team_call_adjusts_its_peoples_sum_with_a_reason(self):
        self.Call(self.salesperson).create({"commit": 10000.0, "reason": "C may slip"})
        self.Call(self.salesperson).create({})  # the latest counts: 11,000 / 15,000
        Leader = self.Call(self.leader)
        with self.assertRaises(UserError):
            Leader.create({"level": "team", "team_id": self.team.id, "commit": 12000.0})
        call = Leader.create({"level": "team", "team_id": self.team.id, "commit": 12000.0,
                              "reason": "A signs before the holiday"})
        self.assertEqual((call.raw_commit, call.raw_best_case, call.commit, call.best_case, call.adjusted),
                         (11000.0, 15000.0, 12000.0, 15000.0, True))
        company = self.Call(self.manager).create({"level": "company"})
        self.assertEqual((company.raw_commit, company.raw_best_case, company.adjusted), (12000.0, 15000.0, False))

    def test_salesperson_may_not_call_for_another_nor_for_the_team(self):
        Call = self.Call(self.salesperson)
        with self.assertRaises(AccessError):
            Call.create({"user_id": self.other_salesperson.id})
        with self.assertRaises(AccessError):
            Call.create({"level": "team", "team_id": self.team.id})
        with self.assertRaises(AccessError):
            Call.create({"level": "company"})

    def test_team_leader_may_not_call_for_another_team(self):
        with self.assertRaises(AccessError):
            self.Call(self.leader).create({"level": "team", "team_id": self.other_team.id})

    def test_a_submitted_call_is_never_changed_nor_deleted(self):
        call = self.Call(self.salesperson).create({})
        for user in (self.salesperson, self.manager):
            with self.assertRaises(AccessError):
                call.sudo(user).write({"commit": 1.0})
            with self.assertRaises(AccessError):
                call.sudo(user).unlink()

    def test_salespeople_see_their_own_and_their_teams_calls(self):
        own = self.Call(self.salesperson).create({})
        other = self.Call(self.other_salesperson).create({})
        team = self.Call(self.leader).create({"level": "team", "team_id": self.team.id})
        company = self.Call(self.manager).create({"level": "company"})
        self.assertEqual(self.Call(self.salesperson).search([]), own | team)
        self.assertEqual(self.Call(self.leader).search([]), own | team)
        self.assertEqual(self.Call(self.manager).search([]), own | other | team | company)

    def test_reliability_sets_past_calls_beside_what_was_booked(self):
        # a quarter gone by: the salesperson booked 8,000; the call (entered by the
        # system, as a migration would) said 10,000: |10,000 - 8,000| / 8,000 = 25 %
        past = self.env["crm.cn.forecast.report"].quarter_weeks(day(self.weeks[0].start - (
            self.weeks[1].start - self.weeks[0].start)))
        paper = create_product(self.env, "Past paper", price=40.0, taxes_id=[(6, 0, [])])
        order = create_order(self.env, self.lead_a.partner_id, [(paper, 200, 40.0)],
                             user_id=self.salesperson.id, team_id=self.team.id)
        order.confirmation_date = day(past[4].start) + " 09:00:00"
        call = self.env["crm.cn.forecast.call"].create({
            "user_id": self.salesperson.id, "quarter_start": day(past[0].start), "commit": 10000.0,
            "best_case": 12000.0, "reason": "entered afterwards"})
        self.assertEqual(call.quarter_end, day(past[-1].end))
        self.assertAlmostEqual(call.actual, 8000.0)
        self.assertAlmostEqual(call.error_percent, 25.0)
        [row] = [row for row in self.env["crm.cn.forecast.call"].reliability()
                 if row["submitted_by"] == self.env.uid and row["level"] == "user"]
        self.assertEqual(row["calls"], 1)
        self.assertAlmostEqual(row["mape"], 25.0)
        with self.assertRaises(UserError):  # people call the quarter ahead, not a past one
            self.Call(self.salesperson).create({"quarter_start": day(past[0].start)})

    # --- the quarter screen ---------------------------------------------------------

    def test_quarter_summary_of_the_salesperson(self):
        self.Call(self.salesperson).create({})
        summary = self.env["crm.cn.forecast.quarter"].sudo(self.manager).quarter_summary(
            user_id=self.salesperson.id)
        quarter, weeks = summary["quarter"], summary["weeks"]
        self.assertEqual((summary["quarter_start"], summary["quarter_end"]),
                         (day(self.weeks[0].start), day(self.weeks[-1].end)))
        self.assertEqual(len(weeks), len(self.weeks))
        n = len(self.weeks)
        self.assertAlmostEqual(weeks[0]["quota"], 26000.0 / n)
        self.assertAlmostEqual(weeks[0]["booked"], 5000.0)
        self.assertAlmostEqual(weeks[0]["attainment"], 5000.0 / (26000.0 / n) * 100)
        self.assertAlmostEqual(weeks[-1]["commit"], 6000.0)
        self.assertAlmostEqual(weeks[-1]["pipeline"], 10000.0)
        self.assertAlmostEqual(weeks[-2]["best_case"], 4000.0)
        self.assertEqual((quarter["quota"], quarter["booked"], quarter["commit"], quarter["best_case"],
                          quarter["pipeline"], quarter["gap"]),
                         (26000.0, 5000.0, 6000.0, 4000.0, 10000.0, 21000.0))
        self.assertEqual((quarter["call_raw_commit"], quarter["call_commit"], quarter["call_gap"]),
                         (11000.0, 11000.0, 15000.0))
        expected_model = sum(row["expected_model"] for row in self.env["crm.cn.forecast.report"].quarter_table(
            domain=[("user_id", "=", self.salesperson.id)]))
        self.assertAlmostEqual(quarter["expected_model"], expected_model)
        landing = self.env["crm.cn.forecast.report"].sudo(self.manager).quarter_landing(
            user_id=self.salesperson.id)
        self.assertEqual(summary["landing"], {key: landing[key] for key in ("p10", "p50", "p90")})
        self.assertTrue(landing["booked"] <= landing["p10"] <= landing["p50"] <= landing["p90"])
        self.assertGreater(landing["p90"], landing["booked"])  # the open opportunities may land

    def test_quarter_screen_shows_the_weeks_and_drills_down(self):
        screen = self.env["crm.cn.forecast.quarter"].sudo(self.manager).create({"team_id": self.team.id})
        screen.action_refresh()
        self.assertEqual(len(screen.line_ids), len(self.weeks))
        self.assertAlmostEqual(screen.quota, 52000.0)
        self.assertAlmostEqual(screen.booked, 5000.0)
        landing = self.env["crm.cn.forecast.report"].sudo(self.manager).quarter_landing(team_id=self.team.id)
        self.assertTrue(screen.has_landing)
        for key in ("p10", "p50", "p90"):
            self.assertAlmostEqual(screen["landing_" + key], landing[key], delta=0.01)
        action = screen.line_ids[-1].action_open_opportunities()
        leads = self.env["crm.lead"].search(action["domain"])
        self.assertEqual(leads, self.lead_a | self.lead_c | self.won)


class TestPipelineCard(LifecycleCase):
    """The pipeline card: closed deals show their outcome, never a model guess;
    the badges have a row of their own, apart from the stars' row."""

    def test_kanban_badges_have_their_own_row_and_show_the_outcome(self):
        arch = etree.fromstring(self.env["crm.lead"].fields_view_get(
            self.env.ref("crm.crm_case_kanban_view_leads").id, "kanban")["arch"])
        [row] = arch.xpath("//div[contains(@class, 'o_cn_kanban_badges')]")
        self.assertFalse(row.xpath("ancestor::div[contains(@class, 'o_kanban_record_bottom')]"))
        self.assertTrue(row.xpath("preceding-sibling::div[contains(@class, 'o_kanban_record_subtitle')]"))
        win_badges = row.xpath(".//span[contains(@class, 'o_cn_win_badge')]")
        self.assertEqual(len(win_badges), 3)  # won, lost, open
        self.assertTrue(row.xpath(".//span[contains(@class, 'o_cn_credit_badge')]"))
        bottom_left = arch.xpath("//div[contains(@class, 'oe_kanban_bottom_left')]")[0]
        self.assertFalse(bottom_left.xpath(".//span[contains(@class, 'label')]"))
        text = etree.tostring(row).decode()
        self.assertNotIn("cn_win_probability", text)
        self.assertIn("cn_outcome_probability", text)

    def test_closed_deals_show_their_outcome(self):
        customer = create_customer(self.env, "Outcome Co")
        won = create_opportunity(self.env, customer, "Won deal")
        won.action_set_won()
        lost = create_opportunity(self.env, customer, "Lost deal")
        lost.action_set_lost()
        open_lead = create_opportunity(self.env, customer, "Open deal")
        self.env["crm.cn.win.score"]._cn_write([won.id, lost.id, open_lead.id], [0.0, 80.0, 37.0],
                                               ["x", "y", "z"])
        values = {lead.name: (lead.cn_is_closed, lead.cn_is_won, lead.cn_outcome_probability)
                  for lead in (won | lost | open_lead).with_context(active_test=False)}
        self.assertEqual(values, {"Won deal": (True, True, 100.0), "Lost deal": (True, False, 0.0),
                                  "Open deal": (False, False, 37.0)})


class TestQuotaImport(LifecycleCase):
    """Quotas from a file: checked whole, nothing saved when a row is wrong."""

    def wizard(self, user, text):
        import base64
        return self.env["crm.cn.forecast.quota.import"].sudo(user).create({
            "file": base64.b64encode(text.encode("utf-8")), "filename": "quotas.csv"})

    def test_a_bad_row_saves_nothing_and_is_named(self):
        Quota = self.env["crm.cn.forecast.quota"]
        before = Quota.search_count([])
        wizard = self.wizard(self.manager, "salesperson,quarter,amount\ncn_sales,2026-10-01,5000\n"
                                           "nobody,2026-10-01,5000\ncn_sales2,2026-10-01,-1\n")
        with self.assertRaises(UserError) as refusal:
            wizard.action_import()
        message = str(refusal.exception.name)
        self.assertIn("Row 3: unknown salesperson 'nobody'", message)
        self.assertIn("Row 4: negative amount -1", message)
        self.assertEqual(Quota.search_count([]), before)

    def test_manager_imports_and_salesperson_is_refused(self):
        text = "salesperson,team,quarter,week,amount\ncn_sales,,2026-10-01,,26000\ncn_sales,,2026-10-01,2026-10-07,4000\n"
        with self.assertRaises(AccessError):
            self.wizard(self.salesperson, text).action_import()
        action = self.wizard(self.manager, text).action_import()
        quotas = self.env["crm.cn.forecast.quota"].search(action["domain"], order="id")
        self.assertEqual([(quota.user_id, quota.quarter_start, quota.week_start, quota.amount) for quota in quotas],
                         [(self.salesperson, "2026-09-28", False, 26000.0),
                          (self.salesperson, "2026-09-28", "2026-10-05", 4000.0)])
