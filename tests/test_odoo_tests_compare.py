"""`make odoo-tests` verdict: Odoo's test log read into failures and compared
with a run without the addon, without a database (scripts/odoo_tests_compare.py)."""
import importlib.util
from pathlib import Path

_SPEC = importlib.util.spec_from_file_location(
    "odoo_tests_compare", str(Path(__file__).resolve().parent.parent / "scripts" / "odoo_tests_compare.py"))
compare = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(compare)

PREFIX = "2026-12-02 17:40:01,123 4242 %s cncl_ot_addon odoo.addons.%s: "
LOG = [
    "2026-12-02 17:40:00,001 4242 INFO cncl_ot_addon odoo.modules.module: "
    "odoo.addons.sale.tests.test_sale_order running tests.",
    PREFIX % ("INFO", "sale.tests.test_sale_order")
    + "test_sale_order (odoo.addons.sale.tests.test_sale_order.TestSaleOrder)",
    PREFIX % ("INFO", "sale.tests.test_sale_order")
    + "test_unlink_cancel (odoo.addons.sale.tests.test_sale_order.TestSaleOrder)",
    PREFIX % ("ERROR", "sale.tests.test_sale_order") + "ERROR",
    PREFIX % ("ERROR", "sale.tests.test_sale_order")
    + "ERROR: test_unlink_cancel (odoo.addons.sale.tests.test_sale_order.TestSaleOrder)",
    PREFIX % ("ERROR", "sale.tests.test_sale_order") + "Traceback (most recent call last):",
    PREFIX % ("INFO", "sale.tests.test_sale_order") + "` psycopg2.IntegrityError: duplicate key value violates "
    'unique constraint "res_users_login_key"',
    PREFIX % ("ERROR", "account.tests.test_reconciliation")
    + "FAIL: test_balanced_exchanges_gain_loss (odoo.addons.account.tests.test_reconciliation.TestReconciliation)",
    PREFIX % ("ERROR", "sale_stock.tests.test_sale_stock")
    + "ERROR: setUpClass (odoo.addons.sale_stock.tests.test_sale_stock.TestSaleStock)",
    PREFIX % ("INFO", "crm.tests.test_crm_ui")
    + "test_01_crm_tour (odoo.addons.crm.tests.test_crm_ui.TestUi)",
    PREFIX % ("INFO", "crm.tests.test_crm_ui") + "skipped 'PhantomJS not found'",
    "2026-12-02 17:40:02,000 4242 ERROR cncl_ot_addon odoo.modules.module: Can not `import helpdesk_mgmt`.",
]


def test_log_gives_each_failing_test_by_class_and_method():
    run = compare.parse_log(LOG)
    assert run["failed"] == {
        "sale.tests.test_sale_order.TestSaleOrder.test_unlink_cancel": "ERROR",
        "account.tests.test_reconciliation.TestReconciliation.test_balanced_exchanges_gain_loss": "FAIL",
        "sale_stock.tests.test_sale_stock.TestSaleStock.setUpClass": "ERROR",
        "helpdesk_mgmt.<import>": "ERROR",
    }


def test_log_counts_the_tests_that_ran_and_their_modules():
    run = compare.parse_log(LOG)
    assert len(run["ran"]) == 3
    assert run["skipped"] == 1
    assert run["modules"] == {"sale.tests.test_sale_order", "helpdesk_mgmt"}


def test_failure_also_without_the_addon_is_not_new():
    addon = {"a.T.test_1": "FAIL", "b.T.test_2": "ERROR"}
    baseline = {"a.T.test_1": "FAIL", "c.T.test_3": "FAIL"}
    assert compare.new_failures(addon, baseline) == ["b.T.test_2"]
    assert compare.new_failures({"a.T.test_1": "FAIL"}, baseline) == []


def test_summary_names_the_new_failures_or_says_all_are_shared():
    baseline = {"a.T.test_1": "FAIL"}
    assert compare.summary(baseline, baseline) == \
        "odoo's own tests with the addon: 1 failures, all also without it"
    line = compare.summary({"a.T.test_1": "FAIL", "b.T.test_2": "ERROR"}, baseline)
    assert "1 new failure(s)" in line and line.endswith("b.T.test_2")


def test_new_failure_passing_on_its_second_run_is_not_a_failure():
    addon = {"a.T.test_1": "FAIL", "b.T.test_timing": "FAIL", "b.T.test_2": "ERROR"}
    retry = {"ran": {"b.T.test_timing", "b.T.test_2"}, "failed": {"b.T.test_2": "ERROR"}}
    new = compare.new_failures(addon, {"a.T.test_1": "FAIL"})
    assert compare.passed_on_retry(new, retry) == ["b.T.test_timing"]
    line = compare.summary(addon, {"a.T.test_1": "FAIL"}, ["b.T.test_timing"])
    assert line.endswith("1 new failure(s) that a database without it does not have: b.T.test_2")
    line = compare.summary({"b.T.test_timing": "FAIL"}, {}, ["b.T.test_timing"])
    assert line == ("odoo's own tests with the addon: 0 failures, all also without it "
                    "(1 passed on a second run: b.T.test_timing)")


def test_main_exits_1_on_a_new_failure_and_0_when_shared(tmp_path, capsys):
    addon_log, baseline_log, empty_log = (tmp_path / name for name in ("addon.log", "base.log", "empty.log"))
    addon_log.write_text("\n".join(LOG), encoding="utf-8")
    baseline_log.write_text("\n".join(LOG[:3]), encoding="utf-8")
    empty_log.write_text("", encoding="utf-8")
    assert compare.main(str(addon_log), str(baseline_log)) == 1
    assert compare.main(str(addon_log), str(addon_log)) == 0
    assert compare.main(str(addon_log), str(empty_log)) == 2
    assert "all also without it" in capsys.readouterr().out
    again_log = tmp_path / "again.log"
    again_log.write_text("\n".join(LOG[:2] + [
        PREFIX % ("INFO", "sale.tests.test_sale_order")
        + "test_unlink_cancel (odoo.addons.sale.tests.test_sale_order.TestSaleOrder)"]), encoding="utf-8")
    # the sale test passes on its second run; the account, sale_stock and helpdesk ones are not run again
    assert compare.main(str(addon_log), str(baseline_log), str(again_log)) == 1
    shared = tmp_path / "shared.log"
    shared.write_text("\n".join(LOG[:3] + LOG[7:9] + LOG[-1:]), encoding="utf-8")
    assert compare.main(str(addon_log), str(shared), str(again_log)) == 0
    assert "1 passed on a second run" in capsys.readouterr().out
