"""The landing range of the quarter on worlds small enough to work out by hand."""
import pytest

from odoo.addons.crm_cn_lifecycle.tools import landing

# Stage 1: half the past deals closed on their expected day, half 10 days late.
# Stage 2: three closed 5 days early, one 30 days late.
SLIPS = landing.SlipTable(stages=[1, 1, 2, 2], slips=[0, 10, -5, 30], counts=[1, 1, 3, 1])


def test_landing_probability_is_win_times_closing_by_quarter_end():
    probabilities = landing.landing_probabilities(
        win_probabilities=[0.5, 0.5, 0.8, 1.0], stages=[1, 1, 2, 3],
        days_to_expected=[5, 15, 10, 25], days_to_quarter_end=20, slips=SLIPS)
    # A: 20 - 5 = 15 days to spare, every stage-1 slip fits: 0.5 x 1.
    # B: 5 days to spare, only the on-time half fits: 0.5 x 0.5.
    # C: 10 to spare, the three early ones of four fit: 0.8 x 0.75.
    # D: stage 3 has no history, all stages pooled (-5 x3, 0, 10, 30): must be
    #    5 days early, 3 of 6 were: 1.0 x 0.5.
    assert list(probabilities) == pytest.approx([0.5, 0.25, 0.6, 0.5])


def test_overdue_deal_closes_at_once_when_its_slip_keeps_it_in_the_quarter():
    # expected 30 days ago, quarter ends in 5: any slip up to 35 days lands it.
    probabilities = landing.landing_probabilities([1.0], [1], [-30], 5, SLIPS)
    assert list(probabilities) == [1.0]


def test_without_any_history_deals_close_on_their_expected_day():
    probabilities = landing.landing_probabilities([0.4, 0.4], [1, 1], [3, 30], 20, landing.SlipTable())
    assert list(probabilities) == pytest.approx([0.4, 0.0])


# Three deals: 100 at 0.5, 200 at 0.25, 400 at 0.6; booked 1,000.
# Outcomes and their probabilities (A B C):
#   0: .5x.75x.4 = .15   100: .15   200: .05   300: .05
#   400: .5x.75x.6 = .225   500: .225   600: .075   700: .075
# cumulative: 0 .15, 100 .30, 200 .35, 300 .40, 400 .625, 500 .85, 600 .925, 700 1
# P10 = 0, P50 = 400, P90 = 600; mean 50 + 50 + 240 = 340.
AMOUNTS, PROBABILITIES = [100.0, 200.0, 400.0], [0.5, 0.25, 0.6]


def test_range_of_three_deals_is_enumerated_exactly():
    result = landing.landing_range(1000.0, AMOUNTS, PROBABILITIES)
    assert result == pytest.approx({"booked": 1000.0, "expected": 1340.0,
                                    "p10": 1000.0, "p50": 1400.0, "p90": 1600.0})


def test_simulation_with_a_fixed_seed_finds_the_exact_range():
    first = landing.landing_range(1000.0, AMOUNTS, PROBABILITIES, exact_limit=0)
    again = landing.landing_range(1000.0, AMOUNTS, PROBABILITIES, exact_limit=0)
    assert first == again
    assert (first["p10"], first["p50"], first["p90"]) == (1000.0, 1400.0, 1600.0)


def test_deals_certain_to_land_count_in_full():
    # 300 certain, and one deal of 100 at 0.5: P10 = 300, P50 = 300 (F = .5), P90 = 400.
    result = landing.landing_range(0.0, [300.0, 100.0, 50.0], [1.0, 0.5, 0.0])
    assert (result["p10"], result["p50"], result["p90"], result["expected"]) == (300.0, 300.0, 400.0, 350.0)


def test_many_small_deals_follow_their_normal_sum():
    # 10,000 deals of 1 at 0.5: mean 5,000, standard deviation 50;
    # P10 / P90 = 5000 -/+ 1.2816 x 50 = 4935.9 / 5064.1.
    result = landing.landing_range(0.0, [1.0] * 10000, [0.5] * 10000)
    assert result["p50"] == pytest.approx(5000.0, abs=3)
    assert result["p10"] == pytest.approx(4935.9, abs=3)
    assert result["p90"] == pytest.approx(5064.1, abs=3)


def test_coverage_counts_actuals_inside_the_range():
    assert landing.coverage([(0, 10, 5), (0, 10, 11), (10, 20, 10), (1, 2, 0)]) == 0.5
    assert landing.coverage([]) is None


def test_inventory_at_quarter_end_flags_stockouts_and_overstock():
    result = landing.inventory_at_quarter_end(
        on_hand=[100, 50, 500, 10], booked_not_shipped=[80, 10, 20, 0], pipeline=[40, 15, 30, 0],
        incoming=[10, 0, 0, 0])
    # 100 - 80 - 40 + 10 = -10: stock-out; 50 - 10 - 15 = 25 <= 2 x 25: ok;
    # 500 - 20 - 30 = 450 > 2 x 50: overstock; 10 left with nothing to ship: overstock.
    assert result == [(-10, "stockout"), (25, "ok"), (450, "overstock"), (10, "overstock")]
