"""The cron worker's one time limit, shared by every action it runs in a poll.

Odoo 11's cron worker (workers mode) runs every due scheduled action of a
database one after the other in one poll, and its watchdog is reset only
between two polls: limit_time_real_cron bounds the whole poll, not each
action. The addon's actions each fit the limit alone (bench/crons.py), but
after a restart, on a new database, or every day when actions of the same
interval fall due together, several long ones in one poll went past it and
the worker was killed mid-action. So one of the addon's actions starts only
while the poll is still fresh, else it stays due for the next poll (about a
minute later, Odoo's SLEEP_INTERVAL), and batched work counts its time budget
from the start of the poll (crm_cn_cron_batch)."""
import logging
import threading
import time

from odoo import models
from odoo.tools import config

_logger = logging.getLogger(__name__)

# Two actions of one poll follow each other within this many seconds; two
# polls of a worker are at least Odoo's SLEEP_INTERVAL (60 s) apart.
SAME_POLL_GAP = 10.0
# One of the addon's actions starts only while the poll has spent at most this
# share of the limit: the longest measured at full size (80 s) then still ends
# within it (bench/crons.py).
FRESH_SHARE = 0.2
_POLL = threading.local()


def cron_limit():
    """The cron worker's wall-time limit in seconds (limit_time_real_cron, -1
    meaning limit_time_real), 0 when there is none (threaded server)."""
    limit = config.get("limit_time_real_cron") or 0
    if limit == -1:
        limit = config.get("limit_time_real") or 0
    return limit if limit and limit > 0 else 0


def poll_started():
    """When the cron worker's current poll started, while one of its actions
    runs in this thread; None otherwise (a button, a test)."""
    return _POLL.started if getattr(_POLL, "running", False) else None


def leave_for_next_poll(spent, limit, ours):
    """Whether an action is left due for the next poll: the addon's own, when
    the poll has already spent more than FRESH_SHARE of the limit."""
    return bool(ours and limit and spent > FRESH_SHARE * limit)


class IrCron(models.Model):
    _inherit = "ir.cron"

    @classmethod
    def _process_job(cls, job_cr, job, cron_cr):
        """Odoo's run of one due action, skipped (left due, nothing written) when
        it is one of the addon's and the poll is no longer fresh."""
        now = time.time()
        if now - getattr(_POLL, "ended", 0.0) > SAME_POLL_GAP:
            _POLL.started = now
        try:
            spent, limit = now - _POLL.started, cron_limit()
            if leave_for_next_poll(spent, limit, cls._cn_is_ours(job_cr, job["id"])):
                _logger.info("scheduled action `%s` left for the next poll: this one has run for %.0f s "
                             "of the cron worker's %d s", job["cron_name"], spent, limit)
                return None
            _POLL.running = True
            return super(IrCron, cls)._process_job(job_cr, job, cron_cr)
        finally:
            _POLL.running = False
            _POLL.ended = time.time()

    @classmethod
    def _cn_is_ours(cls, cr, cron_id):
        cr.execute("SELECT 1 FROM ir_model_data WHERE module = 'crm_cn_lifecycle' AND model = 'ir.cron'"
                   " AND res_id = %s", [cron_id])
        return bool(cr.fetchone())
