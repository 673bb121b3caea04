"""Scheduled work in batches (crm.cn.cron.batch) on the repurchase job: five
customers due, two opportunities a batch. A worker killed after its first
batch's commit loses only the batch it was on; the next run (or the resume
action) does the rest, and every due order ends with exactly one opportunity.

A commit is simulated by a savepoint (a test cannot commit), the kill by
rolling back to it and raising, as PostgreSQL does to a dead connection."""
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tools import config as odoo_config

from odoo.addons.crm_cn_lifecycle.models import crm_cn_cron_batch, crm_cn_repurchase_rule as repurchase_rule

from .common import create_customer, create_order
from .test_service import ServiceCase

COMMIT = "cn_test_batch_commit"


class FakeClock(object):
    """time.time() for the batch runner: the first reading is the run's start,
    after which `reading` seconds pass (the run reads its work); batches
    advance `now` themselves."""

    def __init__(self, reading):
        self.now, self.reading, self.started = 0.0, reading, False

    def time(self):
        if not self.started:
            self.started = True
            now, self.now = self.now, self.now + self.reading
            return now
        return self.now


class Killed(Exception):
    """The worker dies (kill -9) in the middle of a batch."""


class TestRepurchaseInBatches(ServiceCase):

    @classmethod
    def setUpClass(cls):
        super(TestRepurchaseInBatches, cls).setUpClass()
        env = cls.env
        cls.Rule = env["crm.cn.repurchase.rule"]
        cls.Rule.create({"categ_id": cls.paper.id, "rule_type": "cycle", "days": 30})
        long_ago = fields.Datetime.to_string(
            fields.Datetime.from_string(fields.Datetime.now()) - timedelta(days=40))
        cls.due_orders = env["sale.order"]
        for number in range(5):
            customer = create_customer(env, "Paper buyer %d" % number)
            order = create_order(env, customer, [(cls.ream, 2, 25.0)])
            order.confirmation_date = long_ago
            cls.due_orders |= order
        env["ir.config_parameter"].sudo().set_param("crm_cn_lifecycle.cron_batch_size", "2")
        cls.Batch = type(env["crm.cn.cron.batch"])

    def followed(self):
        """{order: number of opportunities following it} of the due orders."""
        self.env.cache.invalidate()
        leads = self.env["crm.lead"].with_context(active_test=False).search(
            [("cn_previous_order_id", "in", self.due_orders.ids)])
        counts = {order: 0 for order in self.due_orders}
        for lead in leads:
            counts[lead.cn_previous_order_id] += 1
        return counts

    def progress(self):
        self.env.cache.invalidate()
        return self.env["crm.cn.cron.progress"].search([("job", "=", "repurchase")])

    def commits(self):
        """Batches 'commit' (a savepoint each) as in a cron worker."""
        def commit(model):
            model.env.cr.execute("SAVEPOINT %s" % COMMIT)
        return patch.multiple(self.Batch, _cn_commits=lambda model: True, _cn_commit=commit)

    def run_killed_in_batch(self, number):
        """Run the job, killing the worker inside batch `number` (after its opportunities
        were created, before its commit): what it did is rolled back, as by PostgreSQL."""
        batches = []
        original = type(self.Rule)._cn_create_repurchase_batch

        def dying(model, due):
            batches.append(due)
            created = original(model, due)
            if len(batches) == number:
                raise Killed()
            return created
        with self.commits(), patch.object(type(self.Rule), "_cn_create_repurchase_batch", dying):
            with self.assertRaises(Killed):
                self.Rule._cron_create_repurchase_opportunities()
        self.env.cr.execute("ROLLBACK TO SAVEPOINT %s" % COMMIT)
        self.env.clear()
        return batches

    def test_a_worker_killed_mid_way_loses_nothing_and_the_next_run_duplicates_nothing(self):
        batches = self.run_killed_in_batch(2)
        self.assertEqual([len(batch) for batch in batches], [2, 2])
        counts = self.followed()
        self.assertEqual(sorted(counts.values()), [0, 0, 0, 1, 1], "the first batch's commit is kept")
        self.assertEqual((self.progress().state, self.progress().done_count), ("running", 2))
        with self.commits():
            created = self.Rule._cron_create_repurchase_opportunities()
        self.assertEqual(len(created), 3, "the next run creates the three left, not the committed two")
        self.assertEqual(set(self.followed().values()), {1}, "each due order followed exactly once")
        self.assertEqual(self.progress().state, "done")
        self.assertEqual(self.progress().run_count, 2)

    def test_the_result_after_a_kill_equals_a_clean_run(self):
        def rows(leads):
            return sorted((lead.partner_id.id, lead.cn_previous_order_id.id, lead.planned_revenue,
                           lead.name) for lead in leads)
        self.env.cr.execute("SAVEPOINT cn_test_clean_run")
        clean_rows = rows(self.Rule._cron_create_repurchase_opportunities())
        self.env.cr.execute("ROLLBACK TO SAVEPOINT cn_test_clean_run")
        self.env.clear()
        self.assertEqual(len(clean_rows), 5)
        self.assertFalse(self.progress())
        self.run_killed_in_batch(3)
        with self.commits():
            self.Rule._cron_create_repurchase_opportunities()
        self.assertEqual(rows(self.env["crm.lead"].search([("cn_previous_order_id", "in", self.due_orders.ids)])),
                         clean_rows)

    def test_a_run_out_of_time_is_resumed_by_the_resume_action(self):
        with self.commits(), patch.object(crm_cn_cron_batch, "time_budget", lambda: 0):
            created = self.Rule._cron_create_repurchase_opportunities()
        self.assertEqual(len(created), 2, "the budget spent, the run stops after its first batch")
        self.assertEqual(self.progress().state, "running")
        with self.commits():
            self.env["crm.cn.cron.progress"]._cron_resume()
        self.assertEqual(set(self.followed().values()), {1})
        self.assertEqual((self.progress().state, self.progress().done_count, self.progress().batch_count),
                         ("done", 5, 3))

    def run_four_second_batches(self, clock, *patches):
        """The job on `clock` with a budget of 10 s, each batch taking 4 s."""
        original = type(self.Rule)._cn_create_repurchase_batch

        def four_seconds(model, due):
            clock.now += 4.0
            return original(model, due)
        with self.commits(), patch.object(crm_cn_cron_batch, "time_budget", lambda: 10.0), \
                patch.object(crm_cn_cron_batch, "time", clock), patch.object(repurchase_rule, "time", clock), \
                patch.object(type(self.Rule), "_cn_create_repurchase_batch", four_seconds):
            for patcher in patches:
                patcher.start()
            try:
                return self.Rule._cron_create_repurchase_opportunities()
            finally:
                for patcher in patches:
                    patcher.stop()

    def test_reading_the_work_counts_and_a_batch_that_would_not_fit_is_left_for_the_next_run(self):
        """Budget 10 s, reading the due customers 5 s, a batch 4 s: after the
        first batch (at 9 s) a second one would end at 13 s, so the run stops."""
        created = self.run_four_second_batches(FakeClock(reading=5.0))
        self.assertEqual(len(created), 2, "one batch of two; without the reading time two batches fit")
        self.assertEqual(self.progress().state, "running")

    def test_in_a_cron_worker_the_budget_counts_from_the_start_of_its_poll(self):
        """Budget 10 s, the actions run before this one in the same poll took
        8 s: after the first batch (4 s) a second one would end past it."""
        clock = FakeClock(reading=0.0)
        created = self.run_four_second_batches(
            clock, patch.object(crm_cn_cron_batch, "poll_started", lambda: clock.now - 8.0))
        self.assertEqual(len(created), 2, "one batch of two; counted from the job's own start two fit")
        self.assertEqual(self.progress().state, "running")

    def test_the_resume_action_is_scheduled_every_minute_as_the_system_after_the_others(self):
        cron = self.env.ref("crm_cn_lifecycle.cron_resume_batches")
        self.assertEqual((cron.interval_number, cron.interval_type, cron.active, cron.user_id, cron.priority),
                         (1, "minutes", True, self.env.ref("base.user_root"), 20))
        data = self.env["ir.model.data"].search([("module", "=", "crm_cn_lifecycle"), ("model", "=", "ir.cron")])
        others = self.env["ir.cron"].browse(data.mapped("res_id")) - cron
        self.assertTrue(others)
        self.assertLess(max(others.mapped("priority")), 20, "the addon's other actions run first")

    def test_the_time_budget_is_half_the_cron_limit(self):
        config = odoo_config
        with patch.dict(config.options, {"limit_time_real_cron": 120, "limit_time_real": 300}):
            self.assertEqual(crm_cn_cron_batch.time_budget(), 60)
        with patch.dict(config.options, {"limit_time_real_cron": -1, "limit_time_real": 300}):
            self.assertEqual(crm_cn_cron_batch.time_budget(), 150, "-1: the HTTP limit applies")
        with patch.dict(config.options, {"limit_time_real_cron": 0, "limit_time_real": 300}):
            self.assertEqual(crm_cn_cron_batch.time_budget(), crm_cn_cron_batch.UNLIMITED_BUDGET)

    def test_a_job_locked_by_another_worker_is_left_to_it(self):
        with patch.object(type(self.env["crm.cn.cron.progress"]), "_cn_lock", lambda progress: False):
            self.assertFalse(self.Rule._cron_create_repurchase_opportunities())
        self.assertEqual(set(self.followed().values()), {0}, "the worker holding the lock does the work")
        self.assertEqual(self.progress().state, "running")

    def test_sales_managers_read_the_progress_from_the_configuration_menu(self):
        self.Rule._cron_create_repurchase_opportunities()
        menu = self.env.ref("crm_cn_lifecycle.menu_cron_progress")
        self.assertEqual(menu.action, self.env.ref("crm_cn_lifecycle.action_cron_progress"))
        progress = self.env["crm.cn.cron.progress"].sudo(self.manager).search([("job", "=", "repurchase")])
        self.assertEqual(progress.done_count, 5)
        self.assertIn(menu, self.env["ir.ui.menu"].sudo(self.manager).search([("id", "=", menu.id)]))
        self.assertFalse(self.env["ir.ui.menu"].sudo(self.salesperson).search([("id", "=", menu.id)]))
