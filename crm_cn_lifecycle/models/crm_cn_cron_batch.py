import logging
import threading
import time

import psycopg2

from odoo import api, fields, models

from .ir_cron import cron_limit, poll_started

_logger = logging.getLogger(__name__)

# Share of the cron worker's wall-time limit (limit_time_real_cron, -1 meaning
# limit_time_real) one run may spend before it leaves the rest to the next run.
BUDGET_SHARE = 0.5
# Without a limit (threaded server, 0): one run still stops after this many seconds.
UNLIMITED_BUDGET = 600.0
LOCKED = "55P03"


def time_budget():
    """Seconds one scheduled run may spend on batches: half the cron worker's
    wall-time limit, so that a run always commits and ends before Odoo kills it."""
    limit = cron_limit()
    return limit * BUDGET_SHARE if limit else UNLIMITED_BUDGET


class CrmCnCronProgress(models.Model):
    """Where a scheduled action cut into batches stands: one record per job.
    Each batch's work and the advance of this record are one transaction, so a
    worker killed mid-way loses only its uncommitted batch, which the next run
    (the resume action, every minute) does again."""

    _name = "crm.cn.cron.progress"
    _description = "Scheduled Work in Batches"
    _order = "job"

    job = fields.Char(required=True, readonly=True, index=True)
    model = fields.Char(required=True, readonly=True, help="The model whose method runs the job.")
    method = fields.Char(required=True, readonly=True, help="The method the resume action calls again.")
    state = fields.Selection([("running", "Running"), ("done", "Done")], required=True,
                             default="running", readonly=True)
    started = fields.Datetime(readonly=True)
    last_batch = fields.Datetime(readonly=True)
    finished = fields.Datetime(readonly=True)
    done_count = fields.Integer(string="Done", readonly=True, help="Items done since the job started.")
    batch_count = fields.Integer(string="Batches", readonly=True)
    run_count = fields.Integer(string="Runs", readonly=True,
                               help="Scheduled runs the job took (more than one when it resumed).")

    _sql_constraints = [("job_unique", "UNIQUE (job)", "A job has one progress record.")]

    @api.model
    def _cn_start(self, job, model, method):
        """The progress record of `job`, running (a new run, or the resume of an
        unfinished one), committed before any batch."""
        now = fields.Datetime.now()
        # two workers starting the job's first run at once: one row, no error
        self.env.cr.execute("""
            INSERT INTO crm_cn_cron_progress (job, model, method, state, started, run_count, done_count,
                                              batch_count, create_uid, create_date, write_uid, write_date)
            VALUES (%(job)s, %(model)s, %(method)s, 'running', %(now)s, 0, 0, 0, %(uid)s, %(now)s,
                    %(uid)s, %(now)s)
            ON CONFLICT (job) DO NOTHING RETURNING id""",
                            {"job": job, "model": model, "method": method, "now": now, "uid": self.env.uid})
        created = self.env.cr.fetchone()
        progress = self.sudo().search([("job", "=", job)], limit=1)
        if created:
            progress.run_count = 1
        elif progress.state == "done":
            progress.write({"state": "running", "started": now, "finished": False, "done_count": 0,
                            "batch_count": 0, "run_count": 1})
        else:
            progress.run_count += 1
        return progress

    @api.multi
    def _cn_lock(self):
        """Lock this progress row for the current transaction; False when another
        worker (another machine's) holds it: that worker is running the job."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute("SELECT id FROM crm_cn_cron_progress WHERE id = %s FOR UPDATE NOWAIT",
                                    [self.id], log_exceptions=False)
        except psycopg2.OperationalError as error:
            if error.pgcode == LOCKED:
                return False
            raise
        self.invalidate_cache()  # another worker may have advanced it since
        return True

    @api.model
    def _cron_resume(self):
        """Every minute: run again the jobs left unfinished (time budget spent,
        or the worker killed); each resumes where its last commit left it."""
        for progress in self.sudo().search([("state", "=", "running")]):
            _logger.info("resuming the batched job %s", progress.job)
            getattr(self.env[progress.model].sudo(), progress.method)()
        return True


class CrmCnCronBatch(models.AbstractModel):
    """Run a scheduled action's work in batches that commit their progress."""

    _name = "crm.cn.cron.batch"
    _description = "Scheduled Work in Batches (helper)"

    @api.model
    def _cn_commits(self):
        """Batches commit in a real run; under tests they stay in the test's transaction."""
        return not getattr(threading.current_thread(), "testing", False) \
            and not self.env.registry.in_test_mode() and not self.env.context.get("cn_batch_no_commit")

    @api.model
    def _cn_commit(self):
        """Make a batch and its progress durable (one transaction): the point of
        the batches, so a killed worker keeps what it did (scheduled runs only)."""
        self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _cn_batch_size(self, default):
        """The batch size of the jobs: `default`, or the system parameter
        crm_cn_lifecycle.cron_batch_size when set (smaller on a small machine)."""
        value = self.env["ir.config_parameter"].sudo().get_param("crm_cn_lifecycle.cron_batch_size")
        try:
            return max(1, int(value)) if value else default
        except ValueError:
            return default

    @api.model
    def _cn_run_batches(self, job, method, items, process, batch_size, started=None):
        """`method`: (model name, method name) the resume action calls to go on.
        Do `process(batch)` for `items` (the work still to do, read from the
        database: what is done is no longer in it) in slices of `batch_size`,
        each slice and the progress of `job` in one transaction, committed.
        `process` must skip what is done already (it runs under the job's lock,
        so it sees every earlier batch of any worker). The time budget counts
        from `started` (when the run began reading its work; default now) and a
        batch is started only if one more, as long as the last, still fits in
        it: otherwise the job is left running for the resume action. In a cron
        worker the budget counts from the start of its poll, which the
        actions run before this one spent too (models/ir_cron.py). Marks it
        done when `items` is through. Returns (results of process, finished)."""
        Progress = self.env["crm.cn.cron.progress"]
        commits = self._cn_commits()
        progress = Progress._cn_start(job, *method)
        if commits:
            self._cn_commit()
        budget, last = time_budget(), 0.0
        started = min(time.time() if started is None else started, poll_started() or float("inf"))
        results, position = [], 0
        while position < len(items):
            if results and time.time() - started + last > budget:
                _logger.info("job %s: time budget of %ss spent after %s items, %s left for the next run",
                             job, budget, position, len(items) - position)
                return results, False
            batch = items[position:position + batch_size]
            if not progress._cn_lock():
                _logger.info("job %s is running in another worker: this run stops", job)
                return results, False
            batch_started = time.time()
            results.append(process(batch))
            last = time.time() - batch_started
            progress.write({"done_count": progress.done_count + len(batch),
                            "batch_count": progress.batch_count + 1, "last_batch": fields.Datetime.now()})
            if commits:
                self._cn_commit()
            position += len(batch)
        if progress._cn_lock():
            progress.write({"state": "done", "finished": fields.Datetime.now()})
            if commits:
                self._cn_commit()
        return results, True
