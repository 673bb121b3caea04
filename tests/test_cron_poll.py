"""Odoo's cron worker runs every due action of a poll within one time limit
(models/ir_cron.py): an action of the addon starts only while the poll is
fresh, else it stays due for the next poll; other modules' actions are not
touched; without a limit (threaded server) nothing is held back. Odoo's own
run of an action is replaced by a stand-in that records the call and lets
time pass, on a fake clock."""
from unittest.mock import patch

from odoo.addons.base.ir import ir_cron as base_ir_cron
from odoo.addons.crm_cn_lifecycle.models import ir_cron
from odoo.tests.common import TransactionCase
from odoo.tools import config


class Clock(object):
    def __init__(self):
        self.now = 1000.0

    def time(self):
        return self.now


class TestCronPoll(TransactionCase):

    def setUp(self):
        super(TestCronPoll, self).setUp()
        self.clock = Clock()
        self.ran = []
        self.poll_starts = []
        test = self

        def odoo_run(cls, job_cr, job, cron_cr):
            test.ran.append(job["id"])
            test.poll_starts.append(ir_cron.poll_started())
            test.clock.now += job.get("takes", 0.0)
        for patcher in (patch.object(ir_cron, "time", self.clock),
                        patch.object(base_ir_cron.ir_cron, "_process_job", classmethod(odoo_run)),
                        patch.dict(config.options, {"limit_time_real_cron": 120, "limit_time_real": 120})):
            patcher.start()
            self.addCleanup(patcher.stop)
        ir_cron._POLL.__dict__.clear()
        self.addCleanup(ir_cron._POLL.__dict__.clear)
        self.IrCron = type(self.env["ir.cron"])

    def job(self, xmlid, takes=0.0):
        cron = self.env.ref(xmlid)
        return {"id": cron.id, "cron_name": cron.name, "takes": takes}

    def process(self, job):
        self.IrCron._process_job(self.env.cr, job, self.env.cr)

    def test_an_action_of_the_addon_waits_for_the_next_poll_once_this_one_is_not_fresh(self):
        pyramid = self.job("crm_cn_lifecycle.cron_pyramid", takes=30.0)
        snapshot = self.job("crm_cn_lifecycle.cron_forecast_snapshot", takes=80.0)
        vacuum = self.job("base.autovacuum_job", takes=1.0)
        self.process(pyramid)
        self.clock.now += 0.5  # Odoo locks the next action of the same poll
        self.process(snapshot)
        self.process(vacuum)
        self.assertEqual(self.ran, [pyramid["id"], vacuum["id"]],
                         "30 s spent of 120: the 80 s snapshot would be killed; Odoo's own action runs")
        self.assertEqual(self.poll_starts, [1000.0, 1000.0], "both ran in the poll that started at 1000")
        self.clock.now += 61.0  # the worker sleeps, then polls again: the snapshot is still due
        self.process(snapshot)
        self.assertEqual(self.ran[-1], snapshot["id"])
        self.assertEqual(self.poll_starts[-1], self.clock.now - 80.0, "a new poll started with it")

    def test_a_short_first_action_leaves_the_poll_fresh(self):
        offers = self.job("crm_cn_lifecycle.cron_lead_forward_timeout", takes=3.0)
        goals = self.job("crm_cn_lifecycle.cron_goal_measure", takes=5.0)
        self.process(offers)
        self.process(goals)
        self.assertEqual(self.ran, [offers["id"], goals["id"]])

    def test_without_a_limit_nothing_is_held_back(self):
        with patch.dict(config.options, {"limit_time_real_cron": 0, "limit_time_real": 0}):
            self.process(self.job("crm_cn_lifecycle.cron_pyramid", takes=500.0))
            self.process(self.job("crm_cn_lifecycle.cron_forecast_snapshot"))
        self.assertEqual(len(self.ran), 2)

    def test_outside_an_action_there_is_no_poll(self):
        self.process(self.job("crm_cn_lifecycle.cron_goal_measure"))
        self.assertIsNone(ir_cron.poll_started(), "a button or an RPC call counts from its own start")

    def test_the_rule(self):
        self.assertFalse(ir_cron.leave_for_next_poll(24.0, 120, True))
        self.assertTrue(ir_cron.leave_for_next_poll(24.1, 120, True))
        self.assertFalse(ir_cron.leave_for_next_poll(100.0, 120, False), "other modules' actions run")
        self.assertFalse(ir_cron.leave_for_next_poll(100.0, 0, True), "no limit, nothing held back")
