"""The customer pyramid, RFM, the late flag and movement, without a database.

Every world here is small enough to be checked by hand."""
import random
from datetime import date, datetime

import pytest

from odoo.addons.crm_cn_lifecycle.tools.pyramid import (
    BIG, BUYER_TIERS, KEY, LAPSED, MEDIUM, MOVE_ACTIVATED, MOVE_CONVERTED, MOVE_DOWN, MOVE_IN,
    MOVE_KINDS, MOVE_LAPSED, MOVE_OTHER, MOVE_OUT, MOVE_UP, PROSPECT, SMALL, SUSPECT, TIERS,
    assign_tiers, cross_sell, is_late, median_repeat_days, movement, rfm_scores, roll_up,
    tier_summary, top_share, typical_interval)

TODAY = date(2026, 6, 30)


def buyer(partner_id, revenue, **extra):
    return dict({"partner_id": partner_id, "revenue": revenue, "weighted_pipeline": 0.0,
                 "bought_before": False, "suspect": False}, **extra)


def test_tiers_follow_the_shares_of_the_number_of_buyers():
    # 10 buyers: key ceil(2) = 2, big ceil(3) = 3 (not 4 from 0.3 * 10 in floats), medium 3, small 2
    tiers = assign_tiers([buyer(n, 1000.0 - n * 10) for n in range(1, 11)])
    assert [tiers[n] for n in range(1, 11)] == [KEY] * 2 + [BIG] * 3 + [MEDIUM] * 3 + [SMALL] * 2


def test_tie_at_the_key_boundary_pulls_everyone_tied_up_in_any_order():
    # 5 buyers: key 1 place, big 2, medium 1; the two best are tied, so both are key
    # and big keeps its place count from position 1: only the 300 is left in it
    world = [buyer(1, 500.0), buyer(2, 500.0), buyer(3, 300.0), buyer(4, 200.0), buyer(5, 100.0)]
    expected = {1: KEY, 2: KEY, 3: BIG, 4: MEDIUM, 5: SMALL}
    assert assign_tiers(world, key_share=0.2, big_share=0.4, medium_share=0.2) == expected
    shuffled = list(world)
    for seed in range(5):
        random.Random(seed).shuffle(shuffled)
        assert assign_tiers(shuffled, key_share=0.2, big_share=0.4, medium_share=0.2) == expected


def test_tie_straddling_big_and_medium_keeps_the_tie_in_big():
    world = [buyer(1, 900.0), buyer(2, 400.0), buyer(3, 400.0), buyer(4, 400.0), buyer(5, 10.0)]
    # key 1 place, big 1 place (position 1), the tie spans positions 1-3: all big
    tiers = assign_tiers(world, key_share=0.2, big_share=0.2, medium_share=0.2)
    assert tiers == {1: KEY, 2: BIG, 3: BIG, 4: BIG, 5: SMALL}


def test_refunds_bringing_revenue_to_zero_or_below_make_no_buyer():
    world = [buyer(1, 1000.0), buyer(2, 0.1 + 0.2 - 0.3), buyer(3, -250.0),
             buyer(4, -80.0, bought_before=True)]
    tiers = assign_tiers(world)
    assert tiers == {1: KEY, 2: None, 3: None, 4: LAPSED}


def test_a_single_buyer_is_key():
    tiers = assign_tiers([buyer(7, 12.5), buyer(8, 0.0)], key_share=0.0)
    assert tiers == {7: KEY, 8: None}


def test_all_tiers_present_in_one_world():
    world = [buyer(n, 1000.0 * n) for n in range(1, 11)] + [
        buyer(11, 0.0, weighted_pipeline=5000.0),
        buyer(12, 0.0, suspect=True),
        buyer(13, 0.0, bought_before=True),
        buyer(14, 0.0),
    ]
    tiers = assign_tiers(world, prospect_threshold=1000.0)
    assert tiers[10] == tiers[9] == KEY
    assert {tiers[n] for n in (8, 7, 6)} == {BIG}
    assert {tiers[n] for n in (5, 4, 3)} == {MEDIUM}
    assert {tiers[n] for n in (2, 1)} == {SMALL}
    assert (tiers[11], tiers[12], tiers[13], tiers[14]) == (PROSPECT, SUSPECT, LAPSED, None)
    assert set(tiers.values()) == set(TIERS) | {None}


def test_pipeline_above_the_threshold_makes_a_lapsed_customer_a_prospect():
    world = [buyer(1, 0.0, bought_before=True, weighted_pipeline=800.0, suspect=True),
             buyer(2, 0.0, bought_before=True, weighted_pipeline=500.0, suspect=True),
             buyer(3, 0.0, weighted_pipeline=500.0, suspect=True)]
    tiers = assign_tiers(world, prospect_threshold=500.0)
    # exactly at the threshold is not above it
    assert tiers == {1: PROSPECT, 2: LAPSED, 3: SUSPECT}


@pytest.mark.parametrize("shares", [(-0.1, 0.3, 0.3), (0.2, 1.2, 0.0), (0.5, 0.3, 0.3),
                                    (None, 0.3, 0.3)])
def test_invalid_shares_are_refused(shares):
    key_share, big_share, medium_share = shares
    with pytest.raises(ValueError):
        assign_tiers([buyer(1, 10.0)], key_share=key_share, big_share=big_share,
                     medium_share=medium_share)


def test_shares_adding_up_to_one_leave_no_small_customer():
    tiers = assign_tiers([buyer(n, 10.0 * n) for n in range(1, 11)], 0.3, 0.3, 0.4)
    assert SMALL not in tiers.values()


def test_rfm_five_distinct_customers_score_one_to_five():
    world = [{"partner_id": n, "last_date": date(2026, 6, 30 - n * 5), "frequency": 6 - n,
              "monetary": 100.0 * (6 - n)} for n in range(1, 6)]
    scores = rfm_scores(world, TODAY)
    assert scores == {1: (5, 5, 5), 2: (4, 4, 4), 3: (3, 3, 3), 4: (2, 2, 2), 5: (1, 1, 1)}


def test_rfm_ties_share_the_score_whatever_the_order():
    world = [
        {"partner_id": 1, "last_date": date(2026, 6, 1), "frequency": 1, "monetary": 50.0},
        {"partner_id": 2, "last_date": date(2026, 6, 1), "frequency": 1, "monetary": 50.0},
        {"partner_id": 3, "last_date": date(2026, 1, 1), "frequency": 4, "monetary": 900.0},
        {"partner_id": 4, "last_date": None, "frequency": 1, "monetary": 10.0},
    ]
    scores = rfm_scores(world, TODAY)
    # place = mid-rank / 3, score = 1 + floor(5 x place)
    # R: 4 worst (never) 0 -> 1; 3 at 1/3 -> 2; 1 and 2 tied best at 2.5/3 -> 5
    # F: 1, 2 and 4 tied at the bottom at 1/3 -> 2; 3 alone at the top -> 5
    # M: 4 at 0 -> 1; 1 and 2 tied at 1.5/3 -> 3; 3 at the top -> 5
    assert scores == {1: (5, 2, 3), 2: (5, 2, 3), 3: (2, 5, 5), 4: (1, 2, 1)}
    assert rfm_scores(list(reversed(world)), TODAY) == scores


def test_rfm_works_with_fewer_than_five_customers():
    one = rfm_scores([{"partner_id": 1, "last_date": TODAY, "frequency": 2, "monetary": 1.0}], TODAY)
    assert one == {1: (3, 3, 3)}
    two = rfm_scores([{"partner_id": 1, "last_date": TODAY, "frequency": 2, "monetary": 1.0},
                      {"partner_id": 2, "last_date": date(2026, 1, 1), "frequency": 1, "monetary": 9.0}],
                     TODAY)
    assert two == {1: (5, 5, 1), 2: (1, 1, 5)}
    assert rfm_scores([], TODAY) == {}


def test_typical_interval_is_the_median_gap_between_distinct_dates():
    assert typical_interval([]) is None
    assert typical_interval([date(2026, 1, 1), date(2026, 1, 1)]) is None
    assert typical_interval([date(2026, 1, 31), date(2026, 1, 1), date(2026, 1, 1)]) == 30
    # gaps 10, 20, 50: median 20; datetimes count by their day
    assert typical_interval([datetime(2026, 1, 1, 9), datetime(2026, 1, 1, 17), date(2026, 1, 11),
                             date(2026, 1, 31), date(2026, 3, 22)]) == 20
    assert typical_interval([date(2026, 1, 1), date(2026, 1, 11), date(2026, 1, 31)]) == 15


def test_late_is_strictly_more_than_the_multiple_of_the_interval():
    last = date(2026, 6, 10)                      # 20 days before TODAY
    assert not is_late(last, 10, TODAY)           # 20 is not more than 2 x 10
    assert is_late(last, 9.5, TODAY)              # 20 > 19
    assert not is_late(last, None, TODAY)         # one purchase: no interval, never late
    assert not is_late(last, 5, TODAY, min_days=20)
    assert is_late(last, 5, TODAY, min_days=19)
    assert is_late(last, 12, TODAY, multiple=1.5)


def test_every_movement_kind():
    previous = {1: KEY, 2: SMALL, 3: PROSPECT, 4: None, 5: LAPSED, 6: SUSPECT, 7: MEDIUM,
                8: BIG, 9: BIG, 10: SUSPECT, 11: PROSPECT, 12: KEY}
    current = {1: BIG, 2: MEDIUM, 3: SMALL, 4: KEY, 5: SMALL, 6: SMALL, 7: LAPSED,
               9: PROSPECT, 10: PROSPECT, 11: SUSPECT, 12: KEY, 13: PROSPECT}
    kinds = {move["partner_id"]: move["kind"] for move in movement(previous, current)}
    assert kinds == {1: MOVE_DOWN, 2: MOVE_UP, 3: MOVE_CONVERTED, 4: MOVE_IN, 5: MOVE_IN,
                     6: MOVE_IN, 7: MOVE_LAPSED, 8: MOVE_OUT, 9: MOVE_OUT, 10: MOVE_ACTIVATED,
                     11: MOVE_OTHER, 13: MOVE_ACTIVATED}
    assert set(kinds.values()) == set(MOVE_KINDS)


def test_movement_lists_each_change_once_sorted_with_both_tiers():
    moves = movement({3: SMALL, 1: LAPSED}, {1: PROSPECT, 2: None, 3: SMALL})
    assert moves == [{"partner_id": 1, "from_tier": LAPSED, "to_tier": PROSPECT, "kind": MOVE_OTHER}]
    assert movement({}, {}) == []
    assert all(tier in BUYER_TIERS for tier in (KEY, BIG, MEDIUM, SMALL))


def test_top_share_counts_only_customers_with_revenue():
    # 5 positive customers: top ceil(1) = 1 brings 600 of 1000
    revenues = {1: 600.0, 2: 100.0, 3: 100.0, 4: 100.0, 5: 100.0, 6: 0.0, 7: -300.0}
    assert top_share(revenues) == pytest.approx(0.6)
    # 6 positive customers: ceil(1.2) = 2
    assert top_share([500.0, 300.0, 100.0, 50.0, 25.0, 25.0]) == pytest.approx(0.8)
    assert top_share([0.0, -1.0]) is None
    assert top_share([10.0, 10.0], share=1.0) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        top_share([1.0], share=1.5)


def test_median_repeat_days_pools_the_gaps_of_every_customer():
    dates = {
        "a": [date(2026, 1, 1), date(2026, 1, 3), date(2026, 1, 3)],         # gap 2
        "b": [date(2026, 1, 1), date(2026, 1, 11), date(2026, 1, 21), date(2026, 1, 31)],
        "c": [date(2026, 1, 1), date(2026, 4, 11)],                          # gap 100
        "e": [date(2026, 1, 1), date(2026, 7, 20)],                          # gap 200
        "d": [date(2026, 5, 5)],                                             # no gap
    }
    # pooled 2, 10, 10, 10, 100, 200 -> 10 (the median of each customer's median,
    # 2, 10, 100, 200, would be 55)
    assert median_repeat_days(dates) == 10
    assert median_repeat_days({"a": dates["a"], "c": dates["c"]}) == 51
    assert median_repeat_days({"d": dates["d"]}) is None


def test_tier_summary_sums_revenue_and_margin_per_tier_in_pyramid_order():
    tiers = {1: KEY, 2: BIG, 3: BIG, 4: LAPSED, 5: None}
    revenue = {1: 600.0, 2: 250.0, 3: 150.0, 4: 0.0, 5: 999.0}
    margin = {1: 120.0, 2: 50.0, 3: 10.0}
    rows = tier_summary(tiers, revenue, margin)
    assert [row["tier"] for row in rows] == list(TIERS)
    by_tier = {row["tier"]: row for row in rows}
    assert (by_tier[KEY]["count"], by_tier[KEY]["share"], by_tier[KEY]["margin_rate"]) == (1, 0.6, 0.2)
    assert (by_tier[BIG]["count"], by_tier[BIG]["revenue"], by_tier[BIG]["margin"]) == (2, 400.0, 60.0)
    assert by_tier[LAPSED]["count"] == 1 and by_tier[LAPSED]["margin_rate"] is None
    assert by_tier[SUSPECT] == {"tier": SUSPECT, "count": 0, "revenue": 0.0, "margin": 0.0,
                                "share": 0.0, "margin_rate": None}


def test_roll_up_counts_subsidiaries_for_their_group():
    customers = {
        1: {"partner_id": 1, "revenue": 100.0, "margin": 10.0, "weighted_pipeline": 0.0,
            "bought_before": False, "suspect": False, "dates": [date(2026, 1, 5)]},
        2: {"partner_id": 2, "revenue": 50.0, "margin": 5.0, "weighted_pipeline": 20.0,
            "bought_before": True, "suspect": True, "dates": [date(2026, 1, 5), date(2026, 2, 1)]},
        3: {"partner_id": 3, "revenue": 7.0, "margin": 1.0, "weighted_pipeline": 0.0,
            "bought_before": False, "suspect": False, "dates": []},
    }
    groups = roll_up(customers, {2: 1})
    assert sorted(groups) == [1, 3]
    assert groups[1] == {"partner_id": 1, "revenue": 150.0, "margin": 15.0, "weighted_pipeline": 20.0,
                         "bought_before": True, "suspect": True,
                         "dates": [date(2026, 1, 5), date(2026, 2, 1)]}
    assert groups[3]["revenue"] == 7.0


def test_cross_sell_suggests_what_most_peers_buy_and_the_customer_does_not():
    peers = {10: {1, 2, 3}, 11: {1, 2}, 12: {2, 4}, 13: {2}}
    assert cross_sell({1}, peers, min_share=0.5) == [(2, 1.0, 4)]
    assert cross_sell({1}, peers, min_share=0.25) == [(2, 1.0, 4), (3, 0.25, 1), (4, 0.25, 1)]
    assert cross_sell({1}, {}) == []
