"""Compare two runs of Odoo's own tests: with the addon and without it.

Odoo 11's test runner logs each failed or erroring test as
``... ERROR <db> odoo.addons.sale.tests.test_x: FAIL: test_y (odoo.addons.sale.tests.test_x.TestX)``
(``ERROR: setUpClass (...)`` when a whole class could not start). This module
reads such logs into sets of test names and tells which failures are new
with the addon. Plain Python, no ``odoo`` import, so it is tested without a
database (tests/test_odoo_tests_compare.py).

A few of Odoo's tests compare two timestamps taken a moment apart (sale_stock's
lead-time tests allow one second between the order's creation and its
confirmation): on a loaded machine they fail now and then. A failure seen only
with the addon is therefore run a second time (RETRY_LOG); one that passes then
is reported as timing-dependent, not as a failure.

Usage: python odoo_tests_compare.py ADDON_LOG BASELINE_LOG [RETRY_LOG]
       python odoo_tests_compare.py --new ADDON_LOG BASELINE_LOG   (the new failures, one a line)
Exit 0 when every failure with the addon also happens without it (or passed
on its second run), 1 when some are new, 2 when a log shows no test run at all.
"""
import re
import sys

# "FAIL: test_y (odoo.addons.sale.tests.test_x.TestX)" after Odoo's log prefix
_OUTCOME = re.compile(r"\b(FAIL|ERROR): (\w+) \(([\w.]+)\)\s*$")
# "test_y (odoo.addons.sale.tests.test_x.TestX)": a test starts (Odoo logs
# unittest's " ... ok" apart and drops it)
_RAN = re.compile(r": (\w+) \((odoo\.addons\.[\w.]+)\)\s*$")
# "odoo.modules.module: odoo.addons.sale.tests.test_x running tests."
_MODULE_RAN = re.compile(r": odoo\.addons\.([\w.]+) running tests\.")
_SKIPPED = re.compile(r": skipped '")
_IMPORT_ERROR = re.compile(r"Can not `import ([\w.]+)`")


def _short(dotted):
    """odoo.addons.sale.tests.test_x.TestX -> sale.tests.test_x.TestX"""
    return dotted[len("odoo.addons."):] if dotted.startswith("odoo.addons.") else dotted


def parse_log(lines):
    """Read an Odoo test log; return a dict:
    failed: {"sale.tests.test_x.TestX.test_y": "FAIL" or "ERROR"},
    ran: names of the tests started, skipped: how many of them were skipped,
    modules: test modules that ran (or could not be imported)."""
    failed, ran, modules, skipped = {}, set(), set(), 0
    for line in lines:
        outcome = _OUTCOME.search(line)
        if outcome:
            kind, method, dotted = outcome.groups()
            failed["%s.%s" % (_short(dotted), method)] = kind
            continue
        progress = _RAN.search(line)
        if progress:
            ran.add("%s.%s" % (_short(progress.group(2)), progress.group(1)))
        skipped += 1 if _SKIPPED.search(line) else 0
        module = _MODULE_RAN.search(line)
        if module:
            modules.add(_short("odoo.addons." + module.group(1)))
        broken = _IMPORT_ERROR.search(line)
        if broken:
            # a test module that does not even import fails as a whole
            name = _short(broken.group(1))
            failed["%s.<import>" % name] = "ERROR"
            modules.add(name)
    return {"failed": failed, "ran": ran, "skipped": skipped, "modules": modules}


def new_failures(with_addon, baseline):
    """Failures (names) of the addon's run that the baseline does not have."""
    return sorted(set(with_addon) - set(baseline))


def passed_on_retry(new, retry):
    """The new failures that ran again (`retry`: a parse_log result) and passed."""
    return sorted(name for name in new if name in retry["ran"] and name not in retry["failed"])


def summary(with_addon, baseline, retried=()):
    """The one-line verdict printed at the end of `make odoo-tests`; `retried`:
    new failures that passed when run a second time."""
    new = [name for name in new_failures(with_addon, baseline) if name not in retried]
    if new:
        return "odoo's own tests with the addon: %d new failure(s) that a database without it does not have: %s" % (
            len(new), ", ".join(new))
    line = "odoo's own tests with the addon: %d failures, all also without it" % (len(with_addon) - len(retried))
    if retried:
        line += " (%d passed on a second run: %s)" % (len(retried), ", ".join(retried))
    return line


def _print_run(title, run):
    print("%s: %d tests in %d test modules, %d skipped, %d failed or errored" % (
        title, len(run["ran"]), len(run["modules"]), run["skipped"], len(run["failed"])))
    for name in sorted(run["failed"]):
        print("    %-5s %s" % (run["failed"][name], name))


def _read(path):
    with open(path, encoding="utf-8", errors="replace") as handle:
        return parse_log(handle)


def main(addon_log, baseline_log, retry_log=None):
    addon, baseline = _read(addon_log), _read(baseline_log)
    _print_run("with the addon    (%s)" % addon_log, addon)
    _print_run("without the addon (%s)" % baseline_log, baseline)
    if not addon["ran"] or not baseline["ran"]:
        print("no test ran in one of the runs: see its log")
        return 2
    new = new_failures(addon["failed"], baseline["failed"])
    retried = []
    if new and retry_log:
        retry = _read(retry_log)
        _print_run("new failures run again (%s)" % retry_log, retry)
        retried = passed_on_retry(new, retry)
    print(summary(addon["failed"], baseline["failed"], retried))
    return 1 if len(new) > len(retried) else 0


if __name__ == "__main__":
    if sys.argv[1] == "--new":
        print("\n".join(new_failures(_read(sys.argv[2])["failed"], _read(sys.argv[3])["failed"])))
        sys.exit(0)
    sys.exit(main(*sys.argv[1:4]))
