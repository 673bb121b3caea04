"""The customer pyramid (客户金字塔), RFM scores, the late (win-back) flag and
the pyramid's movement between two snapshots.

Plain Python: rows in, figures out, `today` is always an argument. The models
(and bench/pyramid_csv.py) gather revenue per commercial partner and call
these functions, so the same tiers come out of Odoo and out of any CSV.

Conventions:
- revenue is net (refunds subtracted), in company currency, over the window;
  a customer is a buyer when that revenue, rounded to `digits`, is above 0;
- equal revenues (rounded to `digits`) always land in the same tier, the
  better one, so that the result never depends on the order of the input;
- counts per tier are ceil(share x number of buyers), at least one key
  customer as soon as there is a buyer.
"""
import datetime
import math
from statistics import median

KEY = "key"
BIG = "big"
MEDIUM = "medium"
SMALL = "small"
PROSPECT = "prospect"
SUSPECT = "suspect"
LAPSED = "lapsed"
TIERS = (KEY, BIG, MEDIUM, SMALL, PROSPECT, SUSPECT, LAPSED)
BUYER_TIERS = (KEY, BIG, MEDIUM, SMALL)

# Kinds of movement between two snapshots of the pyramid.
MOVE_IN = "in"
MOVE_OUT = "out"
MOVE_UP = "up"
MOVE_DOWN = "down"
MOVE_CONVERTED = "converted"
MOVE_ACTIVATED = "activated"
MOVE_LAPSED = "lapsed"
MOVE_OTHER = "other"
MOVE_KINDS = (MOVE_IN, MOVE_OUT, MOVE_UP, MOVE_DOWN, MOVE_CONVERTED, MOVE_ACTIVATED,
              MOVE_LAPSED, MOVE_OTHER)

_EPSILON = 1e-9


def share_count(share, count):
    """ceil(share x count) without float noise (0.3 x 10 is 3, not 4)."""
    return int(math.ceil(round(share * count, 9)))


def check_shares(key_share, big_share, medium_share):
    """Raise ValueError unless each share is in [0, 1] and they add up to at most 1."""
    shares = (("key_share", key_share), ("big_share", big_share), ("medium_share", medium_share))
    for name, value in shares:
        if value is None or not 0.0 <= value <= 1.0:
            raise ValueError("%s must be between 0 and 1, got %r" % (name, value))
    if key_share + big_share + medium_share > 1.0 + _EPSILON:
        raise ValueError("key, big and medium shares add up to more than 1 (%r)"
                         % (key_share + big_share + medium_share))


def assign_tiers(customers, key_share=0.2, big_share=0.3, medium_share=0.3,
                 prospect_threshold=0.0, digits=2):
    """The pyramid tier of each customer: {partner_id: tier or None}.

    `customers`: dicts with partner_id, revenue, weighted_pipeline,
    bought_before and suspect (see the module docstring). Buyers are ranked by
    revenue, the shares are shares of the number of buyers from the top, the
    rest are small. A non-buyer is a prospect when its weighted pipeline is
    above `prospect_threshold` (even if it bought before), else lapsed when it
    bought before, else suspect when flagged, else None (not in the pyramid)."""
    check_shares(key_share, big_share, medium_share)
    tiers, buyers = {}, []
    for customer in customers:
        partner_id = customer["partner_id"]
        if partner_id in tiers:
            raise ValueError("customer %r appears twice" % (partner_id,))
        revenue = round(customer.get("revenue") or 0.0, digits)
        if revenue > 0:
            tiers[partner_id] = None
            buyers.append((revenue, partner_id))
        else:
            tiers[partner_id] = _non_buyer_tier(customer, prospect_threshold)
    count = len(buyers)
    if not count:
        return tiers
    key_end = max(1, share_count(key_share, count))
    big_end = key_end + share_count(big_share, count)
    medium_end = big_end + share_count(medium_share, count)
    buyers.sort(key=lambda pair: -pair[0])
    tier_of_revenue = {}
    for position, (revenue, partner_id) in enumerate(buyers):
        if revenue not in tier_of_revenue:  # the first (best) place of a tie decides
            if position < key_end:
                tier_of_revenue[revenue] = KEY
            elif position < big_end:
                tier_of_revenue[revenue] = BIG
            elif position < medium_end:
                tier_of_revenue[revenue] = MEDIUM
            else:
                tier_of_revenue[revenue] = SMALL
        tiers[partner_id] = tier_of_revenue[revenue]
    return tiers


def _non_buyer_tier(customer, prospect_threshold):
    if (customer.get("weighted_pipeline") or 0.0) > prospect_threshold:
        return PROSPECT
    if customer.get("bought_before"):
        return LAPSED
    if customer.get("suspect"):
        return SUSPECT
    return None


def quintile_scores(values, higher_is_better=True):
    """Scores 1..5 by rank (5 best) for {key: value}; ties share the score.

    Each value's place is its mid-rank among the others scaled to 0..1 (the
    worst 0, the best 1, a lone or all-equal value 0.5), cut into five equal
    bands: five distinct values score 1 to 5, ten score 1,1,2,2,...,5,5."""
    count = len(values)
    if not count:
        return {}
    ordered = sorted(values.values(), reverse=not higher_is_better)  # worst first
    first, last = {}, {}
    for position, value in enumerate(ordered):
        first.setdefault(value, position)
        last[value] = position
    scores = {}
    for key, value in values.items():
        if count == 1:
            scores[key] = 3
            continue
        below, equal = first[value], last[value] - first[value] + 1
        # floor(5 * (below + (equal - 1) / 2) / (count - 1)) in integers
        scores[key] = min(5, 1 + (5 * (2 * below + equal - 1)) // (2 * (count - 1)))
    return scores


def rfm_scores(customers, today, digits=2):
    """{partner_id: (r, f, m)}: recency, frequency and monetary quintile scores.

    `customers`: dicts with partner_id, last_date (date or None: never, the
    worst recency), frequency (distinct order dates in the window) and
    monetary (revenue in the window, compared rounded to `digits`)."""
    recency, frequency, monetary = {}, {}, {}
    for customer in customers:
        partner_id = customer["partner_id"]
        last_date = _as_date(customer.get("last_date"))
        recency[partner_id] = (today - last_date).days if last_date else float("inf")
        frequency[partner_id] = customer.get("frequency") or 0
        monetary[partner_id] = round(customer.get("monetary") or 0.0, digits)
    r_scores = quintile_scores(recency, higher_is_better=False)
    f_scores = quintile_scores(frequency)
    m_scores = quintile_scores(monetary)
    return {partner_id: (r_scores[partner_id], f_scores[partner_id], m_scores[partner_id])
            for partner_id in recency}


def _as_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def gaps(dates):
    """Days between consecutive distinct dates (any order, duplicates ignored)."""
    distinct = sorted({_as_date(value) for value in dates if value is not None})
    return [(later - earlier).days for earlier, later in zip(distinct, distinct[1:])]


def typical_interval(dates):
    """A customer's own typical days between purchases: the median gap between
    its consecutive distinct purchase dates, None with fewer than two dates."""
    days = gaps(dates)
    return median(days) if days else None


def is_late(last_date, interval, today, multiple=2.0, min_days=0):
    """Whether a customer is late for its next purchase (win-back list): more
    days since its last purchase than `multiple` times its typical interval
    (and than `min_days`). Never late without an interval."""
    if interval is None or last_date is None:
        return False
    return (today - _as_date(last_date)).days > max(multiple * interval, min_days)


def movement_kind(from_tier, to_tier):
    """The kind of move between two tiers (None: not in the pyramid), None when equal."""
    if from_tier == to_tier:
        return None
    if from_tier in BUYER_TIERS and to_tier in BUYER_TIERS:
        return MOVE_UP if TIERS.index(to_tier) < TIERS.index(from_tier) else MOVE_DOWN
    if to_tier in BUYER_TIERS:
        return MOVE_CONVERTED if from_tier == PROSPECT else MOVE_IN
    if from_tier in BUYER_TIERS:
        return MOVE_LAPSED if to_tier == LAPSED else MOVE_OUT
    if to_tier == PROSPECT and from_tier in (None, SUSPECT):
        return MOVE_ACTIVATED
    return MOVE_OTHER


def movement(previous, current):
    """Who changed tier between two snapshots {partner_id: tier or None}:
    dicts partner_id, from_tier, to_tier, kind, sorted by partner_id. A partner
    missing from a snapshot was not in the pyramid then."""
    moves = []
    for partner_id in sorted(set(previous) | set(current)):
        from_tier, to_tier = previous.get(partner_id), current.get(partner_id)
        kind = movement_kind(from_tier, to_tier)
        if kind:
            moves.append({"partner_id": partner_id, "from_tier": from_tier,
                          "to_tier": to_tier, "kind": kind})
    return moves


def top_share(revenues, share=0.2):
    """The share (0..1) of total positive revenue brought by the top
    ceil(share x n) of the n customers with revenue above 0; None without any.
    `revenues`: an iterable of amounts, or a dict {customer: amount}."""
    if not 0.0 <= share <= 1.0:
        raise ValueError("share must be between 0 and 1, got %r" % (share,))
    values = revenues.values() if isinstance(revenues, dict) else revenues
    positive = sorted((value for value in values if value and value > 0), reverse=True)
    total = sum(positive)
    if not positive or total <= 0:
        return None
    return sum(positive[:share_count(share, len(positive))]) / total


def median_repeat_days(dates_by_customer):
    """The median of all gaps between each customer's consecutive distinct
    purchase dates, pooled over customers; None when nobody bought twice."""
    pooled = []
    for dates in dates_by_customer.values():
        pooled.extend(gaps(dates))
    return median(pooled) if pooled else None


def tier_summary(tiers, revenue, margin=None):
    """Per tier in TIERS order, even empty ones: dicts tier, count, revenue,
    margin, share (of the revenue of every customer in the pyramid, 0 when
    that is not positive) and margin_rate (margin / revenue, None without
    revenue). Customers with no tier are left out."""
    margin = margin or {}
    rows = {tier: {"tier": tier, "count": 0, "revenue": 0.0, "margin": 0.0} for tier in TIERS}
    for partner_id, tier in tiers.items():
        if tier is None:
            continue
        row = rows[tier]
        row["count"] += 1
        row["revenue"] += revenue.get(partner_id) or 0.0
        row["margin"] += margin.get(partner_id) or 0.0
    total = sum(row["revenue"] for row in rows.values())
    result = []
    for tier in TIERS:
        row = rows[tier]
        row["share"] = row["revenue"] / total if total > 0 else 0.0
        row["margin_rate"] = row["margin"] / row["revenue"] if row["revenue"] > 0 else None
        result.append(row)
    return result


def roll_up(customers, group_of):
    """Customers' figures summed into the top of their group: `customers`
    {partner id: dict of revenue, margin, weighted_pipeline, bought_before,
    suspect, dates}, `group_of` {partner id: group top id} (missing: itself).
    A subsidiary's figures count for its group, which stands in the pyramid
    in their place; purchase dates are merged."""
    groups = {}
    for partner_id in sorted(customers):
        values = customers[partner_id]
        top = group_of.get(partner_id, partner_id)
        group = groups.setdefault(top, {
            "partner_id": top, "revenue": 0.0, "margin": 0.0, "weighted_pipeline": 0.0,
            "bought_before": False, "suspect": False, "dates": set()})
        for name in ("revenue", "margin", "weighted_pipeline"):
            group[name] += values[name]
        group["bought_before"] = group["bought_before"] or values["bought_before"]
        group["suspect"] = group["suspect"] or values["suspect"]
        group["dates"].update(values["dates"])
    for group in groups.values():
        group["dates"] = sorted(group["dates"])
    return groups


def cross_sell(own_categories, peer_categories, min_share=0.3):
    """Categories that a customer's peers usually buy and it does not:
    `own_categories` the customer's categories, `peer_categories` {peer id:
    its categories}. Returns (category, share of peers buying it, number of
    peers) for the categories at least `min_share` of the peers buy, the most
    shared first (ties by category)."""
    peers = len(peer_categories)
    if not peers:
        return []
    counts = {}
    for categories in peer_categories.values():
        for category in set(categories):
            counts[category] = counts.get(category, 0) + 1
    suggestions = [(category, count / float(peers), count) for category, count in counts.items()
                   if category not in set(own_categories) and count / float(peers) >= min_share]
    return sorted(suggestions, key=lambda row: (-row[1], row[0]))
