"""Relations between customers: periods and group tops, without a database."""
from datetime import date

from odoo.addons.crm_cn_lifecycle.tools.relations import (creates_cycle, descendants, group_tops,
                                                          holds_on, parent_map, periods_overlap)


def test_a_relation_holds_between_its_dates_both_included():
    assert holds_on("2026-01-01", "2026-03-31", "2026-01-01")
    assert holds_on("2026-01-01", "2026-03-31", "2026-03-31")
    assert not holds_on("2026-01-01", "2026-03-31", "2026-04-01")
    assert not holds_on("2026-01-01", False, "2025-12-31")
    assert holds_on(False, None, "1999-01-01")
    assert holds_on(date(2026, 1, 1), None, date(2026, 6, 1))


def test_periods_overlap_on_a_shared_day_only():
    assert periods_overlap("2026-01-01", "2026-01-31", "2026-01-31", "2026-02-28")
    assert not periods_overlap("2026-01-01", "2026-01-30", "2026-01-31", "2026-02-28")
    assert not periods_overlap("2026-03-01", False, False, "2026-02-28")
    assert periods_overlap(False, False, "2026-03-01", "2026-03-02")
    assert periods_overlap("2026-03-01", False, "2027-01-01", False)


def test_group_top_follows_two_levels_and_stops_at_partners_without_group():
    parents = parent_map([(3, 2), (2, 1), (5, 4)])
    assert group_tops(parents, [1, 2, 3, 4, 5, 6]) == {1: 1, 2: 1, 3: 1, 4: 4, 5: 4, 6: 6}


def test_first_parent_wins_and_a_cycle_does_not_loop():
    assert parent_map([(2, 1), (2, 7)]) == {2: 1}
    assert group_tops({1: 2, 2: 1}, [1, 2]) == {1: 2, 2: 1}


def test_cycle_found_through_the_groups_above():
    edges = [(2, 1), (3, 2)]  # 1 above 2 above 3
    assert creates_cycle(edges, 3, 1)  # 3 above 1: 1 -> 2 -> 3 -> 1
    assert creates_cycle(edges, 2, 2)
    assert not creates_cycle(edges, 1, 4)
    assert not creates_cycle(edges, 4, 3)


def test_descendants_walk_down_every_level_and_survive_a_loop():
    edges = [(2, 1), (3, 2), (4, 3), (9, 8), (1, 4)]
    assert descendants(edges, [2]) == {1, 2, 3, 4}
    assert descendants(edges, [8]) == {8, 9}
    assert descendants(edges, [5]) == {5}
