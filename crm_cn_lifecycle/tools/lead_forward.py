"""Lead forwarding: which rule fits a lead and which dealer gets it.

Plain data in, plain data out (no Odoo): the model gathers leads, rules,
dealers and their open offers in a few queries, these functions decide.

- a lead is a dict: {"id", "state_id", "country_id", "categ_id", "brand_id"}
- a rule is a dict: {"id", "state_ids", "country_ids", "categ_ids", "brand_ids",
  "dealer_ids"} (sets; an empty set matches everything); rules come in their
  order (sequence) and the first that fits a lead decides its candidates
- a dealer is a dict: {"id", "state_id", "country_id", "priority", "capacity"}
  (capacity 0: no cap)
"""
import datetime


def rule_matches(rule, lead):
    """True when the lead's province (or country), product category and brand
    are all allowed by the rule; an empty list on the rule allows anything,
    a lead without the value only passes an empty list."""
    if rule["state_ids"] or rule["country_ids"]:
        in_state = lead.get("state_id") in rule["state_ids"]
        in_country = bool(rule["country_ids"]) and lead.get("country_id") in rule["country_ids"]
        if not (in_state or in_country):
            return False
    if rule["categ_ids"] and lead.get("categ_id") not in rule["categ_ids"]:
        return False
    if rule["brand_ids"] and lead.get("brand_id") not in rule["brand_ids"]:
        return False
    return True


def first_rule(rules, lead):
    """The first rule (in the given order) that fits the lead, or None."""
    for rule in rules:
        if rule_matches(rule, lead):
            return rule
    return None


def rule_dealers(rule, lead, dealers_by_place):
    """Dealer ids a rule offers the lead to: its own dealers, or (none named)
    the dealers located in the lead's province, else in its country."""
    if rule["dealer_ids"]:
        return list(rule["dealer_ids"])
    if lead.get("state_id"):
        return list(dealers_by_place.get(("state", lead["state_id"]), ()))
    if lead.get("country_id"):
        return list(dealers_by_place.get(("country", lead["country_id"]), ()))
    return []


def dealers_by_place(dealers):
    """{("state", id) | ("country", id): [dealer ids]} of the dealers' own address."""
    places = {}
    for dealer in dealers:
        if dealer.get("state_id"):
            places.setdefault(("state", dealer["state_id"]), []).append(dealer["id"])
        if dealer.get("country_id"):
            places.setdefault(("country", dealer["country_id"]), []).append(dealer["id"])
    return places


def has_room(dealer, open_count):
    """A dealer with capacity 0 has no cap; otherwise fewer open offers than its cap."""
    capacity = dealer.get("capacity") or 0
    return capacity <= 0 or open_count < capacity


def order_candidates(dealer_ids, dealers, open_counts):
    """Candidates best first: higher forwarding priority, then fewer open
    offers (spread the load), then the older dealer (lower id)."""
    return sorted(set(dealer_ids), key=lambda dealer_id: (
        -(dealers[dealer_id].get("priority") or 0), open_counts.get(dealer_id, 0), dealer_id))


def plan_forwarding(leads, rules, dealers, open_counts, tried=None, order=order_candidates):
    """{lead id: (dealer id, rule id)} for every lead a dealer can take.

    `dealers`: {id: dealer dict}; `open_counts`: {dealer id: open offers now},
    updated as leads are planned so a dealer's cap holds over the whole batch;
    `tried`: {lead id: set of dealer ids that already had the lead} (never again).
    `order(dealer_ids, dealers, counts)`: the candidates best first (a grade may
    reorder them). Leads that no rule fits, or whose candidates are all full or
    tried, are left out."""
    tried = tried or {}
    places = dealers_by_place(dealers.values())
    counts = dict(open_counts)
    plan = {}
    for lead in leads:
        rule = first_rule(rules, lead)
        if rule is None:
            continue
        excluded = tried.get(lead["id"], ())
        candidates = [dealer_id for dealer_id in rule_dealers(rule, lead, places)
                      if dealer_id in dealers and dealer_id not in excluded]
        for dealer_id in order(candidates, dealers, counts):
            if has_room(dealers[dealer_id], counts.get(dealer_id, 0)):
                plan[lead["id"]] = (dealer_id, rule["id"])
                counts[dealer_id] = counts.get(dealer_id, 0) + 1
                break
    return plan


def answer_deadline(offered_on, hours):
    """When an offer made at `offered_on` (datetime) times out."""
    return offered_on + datetime.timedelta(hours=max(0.0, float(hours or 0)))
