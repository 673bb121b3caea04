"""DRP netting without a database."""
import datetime

from odoo.addons.crm_cn_lifecycle.tools.drp import (
    DEFAULT_SETTING, Adjustment, Setting, check_adjustments, cut_to_budget, gross_requirement,
    net_requirement, pick_setting, pipeline_demand, pipeline_horizon, round_up, share_available)

SETTING = Setting(target_weeks=2, lead_time_days=7, safety_qty=10, pack_multiple=12)


def test_gross_covers_lead_time_and_target_weeks():
    assert gross_requirement(2.0, SETTING) == 2.0 * 21


def test_net_takes_off_stock_and_open_orders_and_rounds_to_packs():
    # 42 + 10 - 15 - 5 = 32 -> 3 packs of 12
    assert net_requirement(2.0, 15, 5, SETTING) == 36


def test_net_takes_off_what_is_in_transit():
    # 42 + 10 - 15 - 8 in transit - 5 = 24 -> 2 packs of 12
    assert net_requirement(2.0, 15, 5, SETTING, in_transit=8) == 24
    # enough on its way: nothing to ship
    assert net_requirement(2.0, 15, 5, SETTING, in_transit=40) == 0


TODAY = datetime.date(2026, 3, 2)


def in_days(days):
    return TODAY + datetime.timedelta(days=days)


def test_pipeline_window_is_lead_time_plus_target_weeks():
    # 7 days + 2 weeks
    assert pipeline_horizon(TODAY, SETTING) == datetime.date(2026, 3, 23)
    # a part of a day is left out: 7 + 1.5 × 7 = 17.5 days -> 17
    assert pipeline_horizon(TODAY, SETTING._replace(target_weeks=1.5)) == in_days(17)


def test_pipeline_demand_weighs_each_deal_by_its_win_probability():
    # 100 × 0.3 + 40 × 0.5 on the last day of the window
    assert pipeline_demand([(in_days(5), 100, 0.3), (in_days(21), 40, 0.5)], TODAY, SETTING) == 50


def test_pipeline_demand_leaves_out_deals_after_the_window_or_without_a_date():
    assert pipeline_demand([(in_days(22), 100, 0.9), (None, 100, 0.9)], TODAY, SETTING) == 0


def test_overdue_deal_still_counts_and_probability_stays_within_0_and_1():
    assert pipeline_demand([(in_days(-10), 20, 0.25)], TODAY, SETTING) == 5
    assert pipeline_demand([(in_days(1), 20, 1.5), (in_days(1), 20, -0.5)], TODAY, SETTING) == 20


def test_pipeline_demand_is_added_to_the_gross_demand():
    # 42 + 10 safety + 20 pipeline - 15 - 5 = 52 -> 5 packs of 12
    assert net_requirement(2.0, 15, 5, SETTING, pipeline=20) == 60
    # without sell-out: the pipeline alone asks for a shipment (4 + 0 safety -> 1 pack of 12)
    assert net_requirement(0.0, 0, 0, SETTING._replace(safety_qty=0), pipeline=4) == 12


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


def test_credit_headroom_cuts_the_least_urgent_in_whole_packs():
    # 100 left: a takes 2 packs of 10 at 3 = 60, b gets 40 / 3 = 13.3 -> 1 pack of 10
    allowed = cut_to_budget([("a", 20, 3.0, 10), ("b", 30, 3.0, 10), ("c", 5, 2.0, 1)], 100)
    assert allowed == {"a": 20, "b": 10, "c": 5}


def test_no_credit_limit_cuts_nothing_and_no_headroom_cuts_everything():
    assert cut_to_budget([("a", 20, 3.0, 10)], None) == {"a": 20}
    assert cut_to_budget([("a", 20, 3.0, 10)], -50) == {"a": 0}


def test_dealer_adjusts_within_twice_the_proposal_in_packs():
    lines = [Adjustment("a", 40, 10), Adjustment("b", 6, 1), Adjustment("c", 12, 12)]
    quantities, problems = check_adjustments(lines, {"a": "80", "b": 0})
    assert quantities == {"a": 80.0, "b": 0.0, "c": 12}
    assert problems == []


def test_adjustments_out_of_range_off_pack_or_not_numbers_are_listed():
    lines = [Adjustment("a", 40, 10), Adjustment("b", 6, 1), Adjustment("c", 12, 12), Adjustment("d", 5, 0)]
    quantities, problems = check_adjustments(lines, {"a": "90", "b": "-1", "c": "13", "d": "many"})
    assert quantities == {}
    assert problems == [("a", "range", 90.0), ("b", "range", -1.0), ("c", "multiple", 13.0),
                        ("d", "quantity", "many")]
