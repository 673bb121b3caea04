"""The win model trained on a hand-built history of closed opportunities."""
import base64

from unittest.mock import patch

from odoo.addons.crm_cn_lifecycle.models import crm_cn_win_model
from odoo.addons.crm_cn_lifecycle.models.crm_cn_win_model import LOADED
from odoo.addons.crm_cn_lifecycle.tools import win_boost
from odoo.exceptions import AccessError, UserError

from .common import LifecycleCase, create_customer, create_opportunity, create_order, create_product


class WinWorld(LifecycleCase):
    """Sources that win (referrals) and that lose (cold calls), closed the way
    a salesperson closes them: won with Odoo's button, lost by archiving."""

    @classmethod
    def setUpClass(cls):
        super(WinWorld, cls).setUpClass()
        env = cls.env
        cls.referral = env["utm.source"].create({"name": "Dealer Referral"})
        cls.cold_call = env["utm.source"].create({"name": "Cold Call List"})
        cls.qualified = env.ref("crm.stage_lead2")
        cls.customer = create_customer(env, "Shenzhen Office Supplies")

    @classmethod
    def close_history(cls, count):
        """`count` closed opportunities: 9 in 10 referrals won, 9 in 10 cold calls lost."""
        for index in range(count):
            source = cls.referral if index % 2 else cls.cold_call
            lead = create_opportunity(cls.env, cls.customer, "Past deal %d" % index,
                                      source_id=source.id, stage_id=cls.qualified.id,
                                      user_id=cls.salesperson.id, probability=50.0)
            won = (source == cls.referral) != (index % 10 in (0, 5))
            if won:
                lead.action_set_won()
            else:
                lead.action_set_lost()

    def open_deal(self, source, **values):
        return create_opportunity(self.env, self.customer, "Open %s" % source.name,
                                  source_id=source.id, stage_id=self.qualified.id,
                                  user_id=self.salesperson.id, probability=35.0, **values)


class TestWinModel(WinWorld):

    @classmethod
    def setUpClass(cls):
        super(TestWinModel, cls).setUpClass()
        cls.close_history(80)

    def test_training_scores_open_opportunities_in_the_direction_of_history(self):
        good, bad = self.open_deal(self.referral), self.open_deal(self.cold_call)
        self.env["crm.cn.win.model"].sudo(self.manager).action_train()
        record = self.env["crm.cn.win.model"].search([], limit=1)
        self.assertFalse(record.fallback, record.message)
        self.assertEqual(record.closed_count, 80)
        self.assertEqual(record.train_count + record.test_count, 80)
        self.assertGreater(record.auc_model, 0.7)
        self.assertLess(record.brier_model, record.brier_base_rate)
        self.assertTrue(record.model_file)
        self.assertIn("<table", record.calibration_html)
        self.assertGreater(good.cn_win_probability, 70.0)
        self.assertLess(bad.cn_win_probability, 30.0)
        self.assertEqual(record.algorithm, "logistic")
        self.assertIn("boosting is tried from 400", record.selection_note)
        self.assertEqual(record.drift_offset, 0.0)

    def test_boosting_competes_and_the_quality_report_says_which_won(self):
        good, bad = self.open_deal(self.referral), self.open_deal(self.cold_call)
        with patch.object(win_boost, "MIN_BOOSTING_ROWS", 10):
            self.env["crm.cn.win.model"].sudo(self.manager).action_train()
        record = self.env["crm.cn.win.model"].search([], limit=1)
        self.assertIn(record.algorithm, ("logistic", "boosting"))
        self.assertRegex(record.selection_note, r"chosen: validation log loss [0-9.]+ \(logistic\) vs [0-9.]+ "
                                                r"\(boosting\)")
        self.assertGreater(good.cn_win_probability, bad.cn_win_probability + 40.0)

    def test_factors_name_the_opportunity_fields(self):
        self.env["crm.cn.win.model"].action_train()
        bad = self.open_deal(self.cold_call)
        source_label = self.env["crm.lead"].fields_get(["source_id"], ["string"])["source_id"]["string"]
        self.assertIn("↓ %s: Cold Call List" % source_label, bad.cn_win_factors)
        self.assertEqual(bad.cn_win_factors.count(";"), 2)

    def test_scoring_leaves_the_salespersons_probability_alone(self):
        lead = self.open_deal(self.referral)
        self.env["crm.cn.win.model"].action_train()
        self.assertEqual(lead.probability, 35.0)
        self.assertNotEqual(lead.cn_win_probability, 35.0)
        lead.write({"source_id": self.cold_call.id})   # not a change that is scored again
        score = lead.cn_win_probability
        lead.write({"planned_revenue": 20000.0})
        self.assertEqual(lead.probability, 35.0)
        self.assertNotEqual(lead.cn_win_probability, score)

    def test_closing_keeps_the_stage_and_probability_before_closing(self):
        lead = self.open_deal(self.referral)
        lead.action_set_won()
        self.assertEqual(lead.cn_close_stage_id, self.qualified)
        self.assertEqual(lead.cn_close_probability, 35.0)
        self.assertEqual(lead.probability, 100.0)

    def test_scoring_gathers_features_without_a_query_per_opportunity(self):
        Model = self.env["crm.cn.win.model"]
        Model.action_train()
        few = self.open_deal(self.referral) | self.open_deal(self.cold_call)
        many = few | self.env["crm.lead"].browse([self.open_deal(self.referral).id for _i in range(20)])
        for leads in (few, many):
            leads.invalidate_cache()
        with _Counter(self) as few_count:
            Model._cn_score(few)
        self.env["crm.lead"].invalidate_cache()
        with _Counter(self) as many_count:
            Model._cn_score(many)
        self.assertEqual(few_count.count, many_count.count)

    def test_batches_score_like_one_pass(self):
        Model = self.env["crm.cn.win.model"]
        Model.action_train()
        leads = [self.open_deal(self.referral if index % 2 else self.cold_call) for index in range(7)]
        ids = [lead.id for lead in leads]
        read = ["cn_win_probability", "cn_win_factors"]
        whole = self.env["crm.lead"].browse(ids).read(read)
        self.env.cr.execute("DELETE FROM crm_cn_win_score WHERE id = ANY(%s)", [ids])
        self.env["crm.lead"].invalidate_cache(read)
        with patch.object(crm_cn_win_model, "SCORE_BATCH", 3):
            self.assertEqual(Model._cn_score_ids(ids), 7)
        self.assertEqual(self.env["crm.lead"].browse(ids).read(read), whole)
        self.assertTrue(all(row["cn_win_factors"].count(";") == 2 for row in whole))

    def test_opportunities_are_searched_by_their_score(self):
        good, bad = self.open_deal(self.referral), self.open_deal(self.cold_call)
        self.env["crm.cn.win.model"].action_train()
        unscored = self.open_deal(self.referral)
        self.env.cr.execute("DELETE FROM crm_cn_win_score WHERE id = %s", [unscored.id])
        Lead = self.env["crm.lead"]
        Lead.invalidate_cache()
        mine = [("id", "in", (good | bad | unscored).ids)]
        self.assertEqual(Lead.search(mine + [("cn_win_probability", ">=", 50)]), good)
        self.assertEqual(Lead.search(mine + [("cn_win_probability", "<", 50)]), bad | unscored)
        self.assertEqual(Lead.search(mine + [("cn_win_probability", "=", 0)]), unscored)
        self.assertEqual(unscored.cn_win_probability, 0.0)
        with self.assertRaises(UserError):
            Lead.search([("cn_win_probability", "like", "5")])
        good_id = good.id
        good.unlink()
        self.assertFalse(self.env["crm.cn.win.score"]._cn_read([good_id]))

    def test_opportunities_are_sorted_by_their_score(self):
        good, bad = self.open_deal(self.referral), self.open_deal(self.cold_call)
        self.env["crm.cn.win.model"].action_train()
        unscored = self.open_deal(self.referral)
        self.env.cr.execute("DELETE FROM crm_cn_win_score WHERE id = %s", [unscored.id])
        Lead = self.env["crm.lead"].sudo(self.salesperson)
        mine = [("id", "in", (good | bad | unscored).ids)]
        self.assertEqual(Lead.search(mine, order="cn_win_probability desc").ids,
                         [good.id, bad.id, unscored.id])
        self.assertEqual(Lead.search(mine, order="stage_id, cn_win_probability, id desc").ids,
                         [unscored.id, bad.id, good.id])
        self.assertEqual([row["id"] for row in Lead.search_read(mine, ["name"], order="cn_win_probability asc")],
                         [unscored.id, bad.id, good.id])
        self.assertTrue(Lead.fields_get(["cn_win_probability"])["cn_win_probability"]["sortable"])

    def test_rescoring_writes_only_changed_scores(self):
        Model = self.env["crm.cn.win.model"]
        lead = self.open_deal(self.referral)
        Model.action_train()
        self.env.cr.execute("SELECT xmin::text FROM crm_cn_win_score WHERE id = %s", [lead.id])
        version = self.env.cr.fetchone()[0]
        self.env.cr.execute("SELECT xmin::text FROM crm_lead WHERE id = %s", [lead.id])
        lead_version = self.env.cr.fetchone()[0]
        self.env.cr.execute("SAVEPOINT rescore")   # a new subtransaction: a rewrite gets a new xmin
        Model._cn_score_ids([lead.id])
        self.env.cr.execute("SELECT xmin::text FROM crm_cn_win_score WHERE id = %s", [lead.id])
        self.assertEqual(self.env.cr.fetchone()[0], version)
        self.env.cr.execute("SELECT xmin::text FROM crm_lead WHERE id = %s", [lead.id])
        self.assertEqual(self.env.cr.fetchone()[0], lead_version, "scoring rewrote the opportunity")
        lead.write({"planned_revenue": 900000.0})
        self.env.cr.execute("SELECT xmin::text FROM crm_cn_win_score WHERE id = %s", [lead.id])
        self.assertNotEqual(self.env.cr.fetchone()[0], version)

    def test_win_analysis_groups_scores_and_keeps_salespeople_to_their_own(self):
        good, bad = self.open_deal(self.referral), self.open_deal(self.cold_call)
        other = create_opportunity(self.env, self.customer, "Someone else's", source_id=self.referral.id,
                                   stage_id=self.qualified.id, user_id=self.manager.id, probability=35.0,
                                   planned_revenue=1000.0)
        self.env["crm.cn.win.model"].action_train()
        Analysis = self.env["crm.cn.win.analysis"]
        leads = good | bad | other
        domain = [("lead_id", "in", leads.ids)]
        rows = {row["lead_id"][0]: row for row in Analysis.search_read(domain, ["lead_id", "win_probability",
                                                                               "expected_model"])}
        for lead in leads:
            self.assertAlmostEqual(rows[lead.id]["win_probability"], lead.cn_win_probability)
            self.assertAlmostEqual(rows[lead.id]["expected_model"],
                                   lead.planned_revenue * lead.cn_win_probability / 100.0)
        group = Analysis.read_group(domain + [("user_id", "=", self.salesperson.id)],
                                    ["user_id", "win_probability", "expected_model"], ["user_id"])[0]
        self.assertAlmostEqual(group["win_probability"], (good.cn_win_probability + bad.cn_win_probability) / 2)
        seen = Analysis.sudo(self.salesperson).search(domain).mapped("lead_id")
        self.assertEqual(seen, good | bad)
        self.assertEqual(Analysis.sudo(self.manager).search(domain).mapped("lead_id"), leads)
        with self.assertRaises(AccessError):
            Analysis.sudo(self.salesperson).browse(rows[other.id]["id"]).read(["win_probability"])
        with self.assertRaises(AccessError):
            self.env["crm.cn.win.score"].sudo(self.salesperson).search([])

    def test_scores_kept_on_the_opportunity_by_an_earlier_version_move_to_the_score_table(self):
        lead = self.open_deal(self.referral)
        self.env.cr.execute("DELETE FROM crm_cn_win_score WHERE id = %s", [lead.id])
        self.env.cr.execute("ALTER TABLE crm_lead ADD COLUMN cn_win_probability float8, "
                            "ADD COLUMN cn_win_factors varchar")
        self.env.cr.execute("UPDATE crm_lead SET cn_win_probability = 61.5, cn_win_factors = 'kept' "
                            "WHERE id = %s", [lead.id])
        self.env["crm.cn.win.score"].init()
        self.assertEqual(self.env["crm.cn.win.score"]._cn_read([lead.id]), {lead.id: (61.5, "kept")})
        self.env.cr.execute("SELECT count(*) FROM information_schema.columns WHERE table_name = 'crm_lead' "
                            "AND column_name LIKE 'cn_win%%'")
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_salesperson_cannot_train(self):
        with self.assertRaises(AccessError):
            self.env["crm.cn.win.model"].sudo(self.salesperson).action_train()

    def test_salesperson_reads_the_score_of_own_opportunity(self):
        lead = self.open_deal(self.referral)
        self.env["crm.cn.win.model"].action_train()
        own = lead.sudo(self.salesperson)
        self.assertGreater(own.cn_win_probability, 50.0)
        self.assertTrue(own.cn_win_factors)
        with self.assertRaises(AccessError):
            self.env["crm.cn.win.model"].sudo(self.salesperson).search([])

    def test_model_is_reloaded_from_its_stored_pipeline(self):
        self.env["crm.cn.win.model"].action_train()
        record = self.env["crm.cn.win.model"].search([], limit=1)
        LOADED.clear()
        model = record._cn_load()
        self.assertTrue(base64.b64decode(record.model_file))
        self.assertGreater(model.predict([{"source": self.referral.id, "stage": self.qualified.id}])[0], 0.5)


class _Counter(object):
    """Counts the queries run on the test cursor inside the block."""

    def __init__(self, case):
        self.cr = case.env.cr
        self.count = 0

    def __enter__(self):
        self.start = self.cr.sql_log_count
        return self

    def __exit__(self, *exc):
        self.count = self.cr.sql_log_count - self.start


class TestWinModelFallback(WinWorld):

    @classmethod
    def setUpClass(cls):
        super(TestWinModelFallback, cls).setUpClass()
        cls.close_history(10)

    def test_little_history_falls_back_to_the_stage_probability(self):
        lead = self.open_deal(self.referral)
        self.env["crm.cn.win.model"].sudo(self.manager).action_train()
        record = self.env["crm.cn.win.model"].search([], limit=1)
        self.assertTrue(record.fallback)
        self.assertIn("Only 10 closed opportunities", record.message)
        self.assertFalse(record.model_file)
        self.assertEqual(lead.cn_win_probability, self.qualified.probability)
        self.assertEqual(lead.cn_win_factors, record.message)
        self.assertEqual(lead.probability, 35.0)

    def test_new_opportunity_gets_the_stage_probability_before_any_training(self):
        lead = self.open_deal(self.cold_call)
        self.assertEqual(lead.cn_win_probability, self.qualified.probability)
        self.assertIn("stage probability", lead.cn_win_factors)


class TestPartnerHistory(WinWorld):

    def test_past_orders_count_in_company_currency(self):
        env = self.env
        company = env.user.company_id
        usd = env.ref("base.USD") if company.currency_id != env.ref("base.USD") else env.ref("base.EUR")
        usd.active = True
        env["res.currency.rate"].search([("currency_id", "in", (usd | company.currency_id).ids)]).unlink()
        env["res.currency.rate"].create({"currency_id": company.currency_id.id, "rate": 1.0, "name": "2020-01-01"})
        env["res.currency.rate"].create({"currency_id": usd.id, "rate": 0.15, "name": "2020-01-01"})
        export = env["product.pricelist"].create({"name": "Export", "currency_id": usd.id})
        fan = create_product(env, "Fan", price=95.0, cost=0.0, taxes_id=[(6, 0, [])])
        orders = (create_order(env, self.customer, [(fan, 10, 15.0)], pricelist_id=export.id)
                  | create_order(env, self.customer, [(fan, 2, 100.0)]))
        orders.write({"date_order": "2025-03-01 09:00:00", "confirmation_date": "2025-03-01 09:00:00"})
        lead = self.open_deal(self.referral)
        frame = env["crm.cn.win.model"]._cn_frame("l.id = ANY(%(ids)s)", {"ids": [lead.id]})
        self.assertEqual(frame["past_orders"].tolist(), [2])
        self.assertAlmostEqual(frame["past_revenue"][0], 150.0 / 0.15 + 200.0)
