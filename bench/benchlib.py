"""What every bench shares: its own database with the addon installed, an
Odoo environment on it, a timer, and the closing line

    <what>: <ours> s vs SQL <baseline> s = ratio <r>x

Run a bench with `.venv/bin/python bench/<name>.py` once `make run` has
bootstrapped the venv and PostgreSQL.
"""
import contextlib
import os
import resource
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONF = os.path.join(REPO, ".odoo", "test.conf")
os.environ.setdefault("ODOO_PRELOAD_ADDONS", "no")

import odoo  # noqa: E402
from odoo import SUPERUSER_ID, api  # noqa: E402


def say(message):
    print(message, flush=True)


def _psql(sql, database="postgres"):
    return subprocess.run(["psql", "-h", "127.0.0.1", "-U", "odoo", "-d", database, "-tAc", sql],
                          stdout=subprocess.PIPE, universal_newlines=True, check=True).stdout.strip()


def vacuum(name, *tables):
    """VACUUM ANALYZE `tables` of database `name`: what earlier runs of a
    bench wrote and rolled back is cleared before it is timed again."""
    for table in tables:
        _psql("VACUUM ANALYZE %s" % table, name)


def database_exists(name):
    return _psql("select 1 from pg_database where datname='%s'" % name) == "1"


def drop_database(name):
    _psql('drop database if exists "%s"' % name)


def ensure_database(name):
    """Create `name` with crm_cn_lifecycle (no demo data) unless it exists."""
    if not database_exists(name):
        say("installing crm_cn_lifecycle into %s (about a minute)" % name)
        subprocess.run([sys.executable, os.path.join(REPO, "scripts", "odoo-bin"), "-c", CONF,
                        "-d", name, "-i", "crm_cn_lifecycle", "--without-demo=all",
                        "--stop-after-init", "--log-level=warn"], check=True)
    odoo.tools.config.parse_config(["-c", CONF, "-d", name, "--log-level=warn"])


@contextlib.contextmanager
def environment(name, commit=False):
    """An Odoo environment (superuser) on database `name`; rolled back unless `commit`."""
    ensure_database(name)
    registry = odoo.registry(name)
    with api.Environment.manage(), registry.cursor() as cr:
        yield api.Environment(cr, SUPERUSER_ID, {})
        if not commit:
            cr.rollback()


def best_of(runs, function):
    """The shortest of `runs` timed calls of `function`."""
    times = []
    for _run in range(runs):
        started = time.time()
        function()
        times.append(time.time() - started)
    return min(times)


@contextlib.contextmanager
def timer(result, key):
    start = time.time()
    yield
    result[key] = time.time() - start


def report(what, ours, baseline):
    ratio = ours / baseline if baseline else float("inf")
    say("%s: %.2f s vs SQL %.2f s = ratio %.2fx" % (what, ours, baseline, ratio))
    say("  %s" % memory())


LIMIT_MEMORY_SOFT = 2147483648  # deploy/odoo.conf.example: a worker over it is recycled


def memory():
    """The bench process's peaks so far (building its data included): resident
    (ru_maxrss) and virtual (VmPeak, what Odoo's limit_memory_soft compares),
    against limit_memory_soft."""
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    peak_vms = 0
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmPeak:"):
                    peak_vms = int(line.split()[1]) * 1024
    except OSError:
        pass
    worst = max(peak_rss, peak_vms)
    return "peak memory: %d MB resident, %d MB virtual; limit_memory_soft %d MB %s" % (
        peak_rss >> 20, peak_vms >> 20, LIMIT_MEMORY_SOFT >> 20,
        "\u2714" if worst < LIMIT_MEMORY_SOFT else "\u2718 over")
