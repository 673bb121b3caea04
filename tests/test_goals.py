"""Goals with measured steps on a hand-computed world.

Ten customers A..J bought 40 days ago (A 500 units ... J 20 at 25.00, cost
15.00: 10.00 gross profit a unit), N and O only 450 and 500 days ago
(lapsed), P had an opportunity. Last month's pyramid: A, B key; C, D, E big;
F, G, H medium (margin rate 40 %); I, J small. This month J buys 500 more,
P 4 (converted), G 10 at 20.00 (5.00 profit each): 11 buyers, J, A, B key;
C, D, E, F big; G, H, I, P medium. The base period is the twelve months to
the end of last month: gross profit 20,400.00 on revenue 51,000.00; today's
trailing year: 25,490.00. The goal started 10 days ago and ends in 30."""
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import (LifecycleCase, create_campaign, create_customer, create_dealer,
                     create_opportunity, create_product, portal_user_of)
from .test_receivables_world import Accounting, days_ago, today_of

QUANTITIES = {"A": 500, "B": 400, "C": 300, "D": 250, "E": 200, "F": 150, "G": 100, "H": 80,
              "I": 40, "J": 20}
BASE_PROFIT, CURRENT_PROFIT = 20400.0, 20400.0 + 5000.0 + 40.0 + 50.0


class TestGoals(LifecycleCase):

    @classmethod
    def setUpClass(cls):
        super(TestGoals, cls).setUpClass()
        env = cls.env
        cls.accounting = Accounting(env)
        cls.product = create_product(env, "Goal fan", price=25.0, cost=15.0, taxes_id=[(6, 0, [])])
        cls.customers = {}
        for name, quantity in sorted(QUANTITIES.items()):
            cls.customers[name] = create_customer(env, "Goal %s" % name, is_company=True,
                                                  user_id=cls.salesperson.id)
            cls.invoice(cls.customers[name], quantity, 40)
        for name, age in (("N", 450), ("O", 500)):
            cls.customers[name] = create_customer(env, "Goal %s" % name, is_company=True)
            cls.invoice(cls.customers[name], 10, age)
        cls.customers["P"] = create_customer(env, "Goal P", is_company=True)
        create_opportunity(env, cls.customers["P"], "Goal deal", planned_revenue=10000.0,
                           probability=50.0)
        cls.today = today_of(env)
        cls.last_month = cls.today.replace(day=1) - timedelta(days=1)
        cls.Line = env["crm.cn.pyramid.line"]
        cls.Line.compute_pyramid(as_of=fields.Date.to_string(cls.last_month))
        cls.invoice(cls.customers["J"], 500, 0)
        cls.invoice(cls.customers["P"], 4, 0)
        cls.invoice(cls.customers["G"], 10, 0, price=20.0)
        cls.Line.compute_pyramid()
        # campaign costs: before the start, in the goal's time, and not yet spent
        campaign = create_campaign(env, "Goal fair")
        for age, amount in ((20, 700.0), (5, 300.0), (-3, 900.0)):
            env["crm.cn.campaign.cost"].create({"campaign_id": campaign.id, "name": "Booth",
                                                "amount": amount, "date": days_ago(env, age)})
        cls.team = env["crm.team"].create({"name": "Goal team",
                                           "member_ids": [(4, cls.other_salesperson.id)]})
        cls.Goal = env["crm.cn.goal"]
        cls.goal = cls.Goal.sudo(cls.manager).create(dict(cls.goal_values(), step_ids=[
            (0, 0, {"name": "Keep every key customer", "kpi": "key_kept", "target_percent": 0.0,
                    "team_id": cls.team.id}),
            (0, 0, {"name": "Convert 5 prospects", "kpi": "converted", "target_change": 5.0,
                    "user_id": cls.salesperson.id}),
            (0, 0, {"name": "Medium margin +2 points", "kpi": "tier_margin_rate", "tier": "medium",
                    "target_change": 2.0}),
            (0, 0, {"name": "Cut lapsed by half", "kpi": "lapsed", "target_percent": -50.0}),
            (0, 0, {"name": "Key revenue", "kpi": "tier_revenue", "tier": "key",
                    "target_value": 40000.0}),
            (0, 0, {"name": "Key profit", "kpi": "tier_margin", "tier": "key", "target_percent": 10.0}),
            (0, 0, {"name": "Big customers", "kpi": "tier_count", "tier": "big", "target_change": 2.0}),
        ]))
        cls.goal.sudo(cls.manager).action_start()
        cls.steps = {step.kpi: step for step in cls.goal.step_ids}

    @classmethod
    def goal_values(cls, **values):
        base_from = cls.last_month - relativedelta(years=1) + timedelta(days=1)
        return dict({
            "name": "+20 % gross profit", "measure": "gross_profit", "target_percent": 20.0,
            "base_date_from": fields.Date.to_string(base_from),
            "base_date_to": fields.Date.to_string(cls.last_month),
            "date_start": days_ago(cls.env, 10), "deadline": days_ago(cls.env, -30),
            "budget": 1000.0, "user_id": cls.manager.id}, **values)

    @classmethod
    def invoice(cls, partner, quantity, age, price=25.0):
        accounting = cls.accounting
        invoice = cls.env["account.invoice"].create({
            "partner_id": partner.id, "type": "out_invoice",
            "journal_id": accounting.sale_journal.id, "account_id": accounting.receivable.id,
            "date_invoice": days_ago(cls.env, age),
            "invoice_line_ids": [(0, 0, {
                "product_id": cls.product.id, "name": "Fan", "account_id": accounting.income.id,
                "quantity": quantity, "price_unit": price, "invoice_line_tax_ids": [(6, 0, [])]})],
        })
        invoice.action_invoice_open()
        return invoice

    def figures(self, step):
        return (step.baseline, step.target_value, step.current_value)

    # --- the goal's measure ------------------------------------------------------------
    def test_base_value_over_the_base_period_and_target_from_the_percent(self):
        self.assertEqual(self.goal.state, "running")
        self.assertAlmostEqual(self.goal.base_value, BASE_PROFIT, places=2)
        self.assertAlmostEqual(self.goal.target_value, BASE_PROFIT * 1.2, places=2)
        self.assertAlmostEqual(self.goal.target_change, BASE_PROFIT * 0.2, places=2)

    def test_current_value_over_the_trailing_period(self):
        self.assertAlmostEqual(self.goal.current_value, CURRENT_PROFIT, places=2)

    def test_progress_against_the_straight_line(self):
        goal = self.goal
        # 10 of the 40 days from the start to the deadline
        self.assertAlmostEqual(goal.expected_value, BASE_PROFIT + 4080.0 * 10 / 40, places=2)
        self.assertAlmostEqual(goal.progress, 100.0 * (CURRENT_PROFIT - BASE_PROFIT) / 4080.0,
                               delta=0.05)  # shown to 0.1
        self.assertTrue(goal.on_track)

    def test_target_set_as_a_value_gives_the_percent(self):
        self.goal.sudo(self.manager).write({"target_value": 25500.0})
        self.assertEqual((self.goal.target_type, self.goal.target_percent), ("value", 25.0))
        self.goal.sudo(self.manager).write({"target_percent": 10.0})
        self.assertAlmostEqual(self.goal.target_value, 22440.0, places=2)

    def test_revenue_margin_rate_and_tier_count_measures(self):
        Goal = self.Goal.sudo(self.manager)
        revenue = Goal.create(self.goal_values(measure="revenue"))
        self.assertAlmostEqual(revenue.base_value, 51000.0, places=2)
        self.assertAlmostEqual(revenue.current_value, 51000.0 + 12500.0 + 100.0 + 200.0, places=2)
        rate = Goal.create(self.goal_values(measure="margin_rate", target_type="change",
                                            target_change=1.0))
        self.assertAlmostEqual(rate.base_value, 40.0, places=6)
        self.assertAlmostEqual(rate.target_value, 41.0, places=6)
        tier = Goal.create(self.goal_values(measure="tier_count", tier="big"))
        self.assertEqual((tier.base_value, tier.current_value), (3.0, 4.0))

    def test_spending_counts_campaign_costs_from_the_start_to_today(self):
        self.assertEqual((self.goal.spent, self.goal.budget_left, self.goal.over_budget),
                         (300.0, 700.0, False))
        self.goal.sudo(self.manager).write({"budget": 200.0})
        self.assertTrue(self.goal.over_budget)

    # --- each KPI of a step: baseline (last month), target, current value (this month) ---
    def test_key_customers_kept(self):
        step = self.steps["key_kept"]
        self.assertEqual(self.figures(step), (2.0, 2.0, 2.0))  # A and B are still key
        self.assertEqual((step.progress, step.on_track), (100.0, True))

    def test_prospects_converted_since_the_start(self):
        step = self.steps["converted"]
        self.assertEqual(self.figures(step), (0.0, 5.0, 1.0))  # P
        self.assertAlmostEqual(step.expected_value, 5.0 * 10 / 40)
        self.assertEqual((step.progress, step.on_track), (20.0, False))

    def test_margin_rate_of_a_tier(self):
        step = self.steps["tier_margin_rate"]
        self.assertAlmostEqual(step.baseline, 40.0, places=6)
        self.assertAlmostEqual(step.target_value, 42.0, places=6)
        # G 2,700 / 1,050, H 2,000 / 800, I 1,000 / 400, P 100 / 40
        self.assertAlmostEqual(step.current_value, 100.0 * 2290.0 / 5800.0, places=2)  # shown to 0.01

    def test_lapsed_customers(self):
        self.assertEqual(self.figures(self.steps["lapsed"]), (2.0, 1.0, 2.0))

    def test_revenue_and_gross_profit_of_a_tier(self):
        revenue = self.steps["tier_revenue"]
        self.assertEqual(self.figures(revenue), (22500.0, 40000.0, 35500.0))
        self.assertEqual((revenue.target_type, revenue.target_change), ("value", 17500.0))
        self.assertAlmostEqual(self.steps["tier_margin"].target_value, 9900.0, places=2)
        self.assertEqual(self.steps["tier_margin"].current_value, 5200.0 + 5000.0 + 4000.0)

    def test_customers_in_a_tier(self):
        self.assertEqual(self.figures(self.steps["tier_count"]), (3.0, 5.0, 4.0))

    # --- month by month --------------------------------------------------------------
    def test_start_measures_the_month(self):
        rows = self.goal.progress_ids
        self.assertEqual(len(rows), 8)  # the goal and its 7 steps
        goal_row = rows.filtered(lambda row: not row.step_id)
        self.assertEqual(goal_row.date, fields.Date.to_string(self.today.replace(day=1)))
        self.assertAlmostEqual(goal_row.value, CURRENT_PROFIT, places=2)
        self.assertAlmostEqual(goal_row.expected, BASE_PROFIT + 4080.0 * 10 / 40, places=2)
        curve = self.env["crm.cn.goal.curve"].search([("progress_id", "=", goal_row.id)])
        self.assertEqual(sorted(curve.mapped("value")), sorted([goal_row.value, goal_row.expected]))

    def test_measuring_the_same_month_again_replaces_it(self):
        goal = self.goal.sudo(self.manager)
        self.assertTrue(goal.action_measure())
        self.assertEqual(len(self.goal.progress_ids), 8)
        next_month = fields.Date.to_string(self.today + relativedelta(months=1))
        goal.action_measure(next_month)
        goal.action_measure(next_month)
        self.assertEqual(len(self.goal.progress_ids), 16)
        self.assertEqual(len(set(self.goal.progress_ids.mapped("date"))), 2)

    def test_monthly_scheduled_action_measures_running_goals(self):
        self.env["crm.cn.goal.progress"].search([]).unlink()
        self.Goal._cron_measure()
        self.assertEqual(len(self.goal.progress_ids), 8)

    def test_a_draft_goal_is_not_measured(self):
        draft = self.Goal.sudo(self.manager).create(self.goal_values())
        with self.assertRaises(UserError):
            draft.action_measure()

    # --- bad input ---------------------------------------------------------------------
    def test_deadline_before_the_base_period_is_refused(self):
        with self.assertRaises(ValidationError):
            self.Goal.sudo(self.manager).create(self.goal_values(
                date_start=False, deadline=fields.Date.to_string(self.last_month - timedelta(days=5))))

    def test_tier_kpi_without_a_tier_is_refused(self):
        with self.assertRaises(ValidationError):
            self.goal.sudo(self.manager).write({"step_ids": [(0, 0, {"name": "x", "kpi": "tier_revenue"})]})

    # --- who sees what ----------------------------------------------------------------
    def test_salesperson_sees_its_own_steps_and_the_goal_header(self):
        as_sales = self.goal.sudo(self.salesperson)
        self.assertEqual(as_sales.read(["name"])[0]["name"], "+20 % gross profit")
        steps = self.env["crm.cn.goal.step"].sudo(self.salesperson).search([])
        self.assertEqual(steps.mapped("name"), ["Convert 5 prospects"])
        self.assertEqual(steps.current_value, 1.0)
        with self.assertRaises(AccessError):
            self.steps["lapsed"].sudo(self.salesperson).read(["name"])
        rows = self.env["crm.cn.goal.progress"].sudo(self.salesperson).search([])
        self.assertEqual(sorted(rows.mapped("name")), ["+20 % gross profit", "Convert 5 prospects"])

    def test_team_member_sees_its_teams_step(self):
        steps = self.env["crm.cn.goal.step"].sudo(self.other_salesperson).search([])
        self.assertEqual(steps.mapped("name"), ["Keep every key customer"])
        self.assertEqual(self.Goal.sudo(self.other_salesperson).search([]), self.goal)

    def test_salesperson_cannot_edit_start_or_measure_the_goal(self):
        with self.assertRaises(AccessError):
            self.goal.sudo(self.salesperson).write({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.steps["converted"].sudo(self.salesperson).write({"target_change": 1.0})
        with self.assertRaises(AccessError):
            self.goal.sudo(self.salesperson).action_measure()

    def test_salesperson_without_a_step_sees_no_goal(self):
        stranger = self.env["res.users"].create({
            "name": "Goal stranger", "login": "cn_goal_stranger",
            "groups_id": [(6, 0, [self.env.ref("crm_cn_lifecycle.group_user").id])]})
        self.assertFalse(self.Goal.sudo(stranger).search([]))

    def test_accountant_reads_all_and_writes_nothing(self):
        self.assertEqual(len(self.env["crm.cn.goal.step"].sudo(self.accountant).search(
            [("goal_id", "=", self.goal.id)])), 7)
        with self.assertRaises(AccessError):
            self.goal.sudo(self.accountant).write({"name": "Books"})

    def test_dealer_reads_nothing(self):
        dealer_user = portal_user_of(create_dealer(self.env, "Goal Dealer", login="cn_goal_dealer"))
        for model in ("crm.cn.goal", "crm.cn.goal.step", "crm.cn.goal.progress", "crm.cn.goal.curve"):
            with self.assertRaises(AccessError):
                self.env[model].sudo(dealer_user).search([])
