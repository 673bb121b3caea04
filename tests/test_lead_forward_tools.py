"""Lead forwarding rules and dealer choice without a database."""
import datetime

from odoo.addons.crm_cn_lifecycle.tools.lead_forward import (
    answer_deadline, first_rule, has_room, order_candidates, plan_forwarding, rule_matches)

GD, BJ, CN, HK = 1, 2, 10, 11
PAPER, PENS = 100, 101


def rule(rule_id, states=(), countries=(), categs=(), brands=(), dealers=()):
    return {"id": rule_id, "state_ids": set(states), "country_ids": set(countries),
            "categ_ids": set(categs), "brand_ids": set(brands), "dealer_ids": set(dealers)}


def lead(lead_id, state=GD, country=CN, categ=PAPER, brand=None):
    return {"id": lead_id, "state_id": state, "country_id": country, "categ_id": categ,
            "brand_id": brand}


def dealer(dealer_id, state=GD, country=CN, priority=0, capacity=0):
    return {"id": dealer_id, "state_id": state, "country_id": country, "priority": priority,
            "capacity": capacity}


def test_rule_matches_province_and_category():
    assert rule_matches(rule(1, states=[GD], categs=[PAPER]), lead(1))
    assert not rule_matches(rule(1, states=[BJ], categs=[PAPER]), lead(1))
    assert not rule_matches(rule(1, states=[GD], categs=[PENS]), lead(1))


def test_rule_matches_country_when_no_province_listed():
    assert rule_matches(rule(1, countries=[HK]), lead(1, state=None, country=HK))
    assert not rule_matches(rule(1, countries=[HK]), lead(1))


def test_rule_with_brand_refuses_lead_without_brand():
    assert not rule_matches(rule(1, brands=[7]), lead(1))
    assert rule_matches(rule(1, brands=[7]), lead(1, brand=7))


def test_first_rule_in_order_wins():
    rules = [rule(1, states=[BJ]), rule(2, categs=[PAPER]), rule(3)]
    assert first_rule(rules, lead(1))["id"] == 2
    assert first_rule(rules, lead(2, categ=PENS))["id"] == 3
    assert first_rule([rule(1, states=[BJ])], lead(3)) is None


def test_capacity_zero_means_no_cap():
    assert has_room(dealer(1, capacity=0), 1000)
    assert has_room(dealer(1, capacity=2), 1)
    assert not has_room(dealer(1, capacity=2), 2)


def test_candidates_by_priority_then_load_then_id():
    dealers = {1: dealer(1), 2: dealer(2, priority=5), 3: dealer(3)}
    assert order_candidates([1, 2, 3], dealers, {1: 4, 3: 1}) == [2, 3, 1]


def test_plan_uses_rule_dealers_or_dealers_of_the_province():
    dealers = {1: dealer(1, state=GD), 2: dealer(2, state=BJ), 3: dealer(3, state=BJ)}
    plan = plan_forwarding([lead(10), lead(11, state=BJ)], [rule(5, categs=[PAPER])], dealers, {})
    assert plan == {10: (1, 5), 11: (2, 5)}
    plan = plan_forwarding([lead(10)], [rule(6, dealers=[3])], dealers, {})
    assert plan == {10: (3, 6)}


def test_plan_respects_capacity_over_the_batch():
    dealers = {1: dealer(1, capacity=2), 2: dealer(2, capacity=1)}
    leads = [lead(lead_id) for lead_id in range(10, 15)]
    plan = plan_forwarding(leads, [rule(1)], dealers, {1: 1})
    taken = sorted(dealer_id for dealer_id, _rule in plan.values())
    assert taken == [1, 2]  # dealer 1 had one open offer of two; dealer 2 takes one
    assert len(plan) == 2


def test_plan_never_offers_again_to_a_dealer_that_had_the_lead():
    dealers = {1: dealer(1, priority=9), 2: dealer(2)}
    assert plan_forwarding([lead(10)], [rule(1)], dealers, {}, tried={10: {1}}) == {10: (2, 1)}
    assert plan_forwarding([lead(10)], [rule(1)], dealers, {}, tried={10: {1, 2}}) == {}


def test_plan_leaves_out_leads_no_rule_fits():
    assert plan_forwarding([lead(10, state=BJ)], [rule(1, states=[GD])], {1: dealer(1)}, {}) == {}


def test_deadline_adds_service_hours():
    start = datetime.datetime(2026, 1, 5, 9, 0)
    assert answer_deadline(start, 24) == datetime.datetime(2026, 1, 6, 9, 0)
    assert answer_deadline(start, 1.5) == datetime.datetime(2026, 1, 5, 10, 30)
