"""DRP netting without a database."""
from odoo.addons.crm_cn_lifecycle.tools.drp import (
    DEFAULT_SETTING, Setting, gross_requirement, net_requirement, pick_setting, round_up,
    share_available)

SETTING = Setting(target_weeks=2, lead_time_days=7, safety_qty=10, pack_multiple=12)


def test_gross_covers_lead_time_and_target_weeks():
    assert gross_requirement(2.0, SETTING) == 2.0 * 21


def test_net_takes_off_stock_and_open_orders_and_rounds_to_packs():
    # 42 + 10 - 15 - 5 = 32 -> 3 packs of 12
    assert net_requirement(2.0, 15, 5, SETTING) == 36


def test_nothing_is_proposed_when_the_dealer_holds_enough():
    assert net_requirement(2.0, 60, 0, SETTING) == 0
    assert net_requirement(0.0, 0, 0, SETTING._replace(safety_qty=0)) == 0


def test_round_up_exact_multiple_and_no_multiple():
    assert round_up(24, 12) == 24 and round_up(24.5, 12) == 36
    assert round_up(5.5, 0) == 5.5 and round_up(-3, 12) == 0


def test_most_specific_setting_wins():
    settings = {(None, None): SETTING, (None, 7): SETTING._replace(pack_multiple=6),
                (3, None): SETTING._replace(pack_multiple=24), (3, 7): SETTING._replace(pack_multiple=1)}
    assert pick_setting(settings, 3, 7).pack_multiple == 1
    assert pick_setting(settings, 3, 8).pack_multiple == 24
    assert pick_setting(settings, 4, 7).pack_multiple == 6
    assert pick_setting(settings, 4, 8).pack_multiple == 12
    assert pick_setting({}, 4, 8) == DEFAULT_SETTING


def test_free_stock_goes_to_the_most_urgent_first():
    uncovered = share_available([("a", 1, 30), ("b", 1, 30), ("c", 2, 5)], {1: 40})
    assert uncovered == {"a": 0, "b": 20, "c": 5}
