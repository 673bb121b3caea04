"""Run the own tests of some Odoo modules on an installed database.

What Odoo 11's runner does with ``--test-enable``, for the named modules only
and with every installed module loaded (so the addon's overrides are active):
the at_install tests, then the post_install tests, with the HTTP server up for
HttpCase tests. ``-u`` would also upgrade and test every module that depends
on them (account, l10n_cn, sale_management ...) and run the at_install tests
before the addon is loaded. Results go to Odoo's log (FAIL:/ERROR: lines),
read by scripts/odoo_tests_compare.py.
Usage: python odoo_tests_run.py CONFIG DATABASE MODULE...
       python odoo_tests_run.py CONFIG DATABASE --again TEST...
(--again: run these tests once more, named as the comparison names them:
sale_stock.tests.test_sale_stock.TestSaleStock.test_03_... or ...TestX.setUpClass)
Exit 0 when all passed, 1 when a test failed, 2 when the run itself broke.
"""
import os
import sys
import unittest

os.environ.setdefault("ODOO_PRELOAD_ADDONS", "no")
import odoo  # noqa: E402
import odoo.tests.common  # noqa: E402
from odoo.modules.module import TestStream, run_unit_tests, runs_at_install, runs_post_install  # noqa: E402


def run_again(names):
    """Run the named tests (a whole class for `Class.setUpClass`) as Odoo's
    runner does; True when all passed."""
    passed = True
    for name in names:
        if name.endswith(".<import>"):
            passed = False
            continue
        if name.endswith(".setUpClass"):
            name = name[:-len(".setUpClass")]
        test_module = "odoo.addons." + ".".join(name.split(".")[:3])
        suite = unittest.TestLoader().loadTestsFromName("odoo.addons." + name)
        odoo.modules.module.current_test = name
        odoo.modules.module._logger.info("%s running tests.", test_module)
        result = unittest.TextTestRunner(verbosity=2, stream=TestStream(test_module)).run(suite)
        passed = result.wasSuccessful() and passed
    odoo.modules.module.current_test = None
    return passed


def main(config, database, *modules):
    odoo.tools.config.parse_config(["-c", config, "-d", database, "--test-enable", "--log-level=info"])
    # odoo.tests.common keeps the port it saw when first imported
    odoo.tests.common.PORT = odoo.tools.config["http_port"]
    odoo.modules.module.initialize_sys_path()
    odoo.service.server.load_server_wide_modules()
    # HttpCase tests call the port of the configuration
    server = odoo.service.server.ThreadedServer(odoo.service.wsgi_server.application)
    server.http_spawn()
    passed = True
    with odoo.api.Environment.manage():
        registry = odoo.registry(database)
        installed = set(registry._init_modules)
        missing = [module for module in modules if module not in installed and not module.startswith("-")
                   and "." not in module]
        if missing:
            print("not installed on %s: %s" % (database, ", ".join(missing)), file=sys.stderr)
            return 2
        if modules[0] == "--again":
            return 0 if run_again(modules[1:]) else 1
        for position in (runs_at_install, runs_post_install):
            for module in modules:
                passed = run_unit_tests(module, database, position=position) and passed
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
