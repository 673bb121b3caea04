"""DRP netting (分销资源计划): how much to ship to a dealer, without a database.

For each dealer and product: the demand until a shipment ordered today
arrives and then covers the target weeks, plus the demand the dealer's open
opportunities are expected to bring in that window, plus the safety stock, less what
the dealer is estimated to hold, what is on its way and what is already ordered, rounded up to
the pack multiple. Then the company's own free stock is shared among the
proposals, the most urgent first, to show what it cannot cover.
"""
import datetime
import math
from collections import namedtuple

Setting = namedtuple("Setting", "target_weeks lead_time_days safety_qty pack_multiple")
DEFAULT_SETTING = Setting(target_weeks=4.0, lead_time_days=7, safety_qty=0.0, pack_multiple=1.0)


def pick_setting(settings, dealer_id, product_id, default=DEFAULT_SETTING, grade_terms=None):
    """The most specific setting: dealer+product, dealer, then the terms of the
    dealer's partner grade, product, then any; `settings` maps (dealer id or
    None, product id or None) -> Setting; `grade_terms` maps dealer id ->
    GradeTerms. A grade's terms fill the setting that would apply without them
    (its safety stock, and any term the grade leaves at 0)."""
    for key in ((dealer_id, product_id), (dealer_id, None)):
        if key in settings:
            return settings[key]
    fallback = default
    for key in ((None, product_id), (None, None)):
        if key in settings:
            fallback = settings[key]
            break
    terms = (grade_terms or {}).get(dealer_id)
    if terms is None:
        return fallback
    return Setting(terms.target_weeks or fallback.target_weeks,
                   terms.lead_time_days or fallback.lead_time_days,
                   fallback.safety_qty,
                   terms.pack_multiple or fallback.pack_multiple)


GradeTerms = namedtuple("GradeTerms", "target_weeks lead_time_days pack_multiple")
"""A partner grade's replenishment terms (0: the setting's own term)."""


def round_up(quantity, multiple):
    """`quantity` rounded up to a whole number of packs of `multiple` (0 if nothing is needed)."""
    if quantity <= 1e-9:
        return 0.0
    if not multiple or multiple <= 0:
        return float(quantity)
    return math.ceil(quantity / multiple - 1e-9) * multiple


def gross_requirement(daily_rate, setting):
    """Sell-out expected over the lead time and the target cover after it."""
    return (daily_rate or 0.0) * (setting.lead_time_days + setting.target_weeks * 7)


def pipeline_horizon(today, setting):
    """The last day whose expected deals a shipment ordered `today` must cover:
    today + lead time + target weeks (whole days, a part of a day left out)."""
    return today + datetime.timedelta(days=int(setting.lead_time_days + setting.target_weeks * 7 + 1e-9))


def pipeline_demand(opportunities, today, setting):
    """Expected demand of a dealer's open opportunities for one product:
    Σ quantity × win probability over `opportunities` [(expected date,
    quantity, probability 0-1)] expected on or before pipeline_horizon.
    An opportunity whose expected date has passed still counts (the deal is
    still open, so still coming); one without an expected date does not
    (nothing says it falls in the window). Probabilities are kept within 0-1."""
    horizon = pipeline_horizon(today, setting)
    return sum((quantity or 0.0) * min(max(probability or 0.0, 0.0), 1.0)
               for expected, quantity, probability in opportunities
               if expected and expected <= horizon)


def net_requirement(daily_rate, estimated, open_orders, setting, in_transit=0.0, pipeline=0.0):
    """What to ship: gross + pipeline demand + safety − estimated stock − in
    transit − open orders, in packs."""
    net = (gross_requirement(daily_rate, setting) + (pipeline or 0.0) + setting.safety_qty - estimated
           - (in_transit or 0.0) - open_orders)
    return round_up(net, setting.pack_multiple)


def share_available(requests, available):
    """Share the company's free stock among requests [(key, product_id, qty)],
    in the order given (most urgent first). Returns {key: quantity not covered}."""
    left = dict(available)
    uncovered = {}
    for key, product_id, quantity in requests:
        covered = min(quantity, max(left.get(product_id, 0.0), 0.0))
        left[product_id] = left.get(product_id, 0.0) - covered
        uncovered[key] = quantity - covered
    return uncovered


def cut_to_budget(requests, budget):
    """Fit requests [(key, quantity, unit price, pack multiple)], most urgent
    first, into a dealer's credit headroom `budget` (None: no limit). A request
    that does not fit whole is cut to the packs that still fit. Returns
    {key: quantity allowed}."""
    allowed = {}
    left = budget
    for key, quantity, price, multiple in requests:
        if left is None or price <= 0:
            allowed[key] = quantity
            continue
        fits = min(quantity, max(left, 0.0) / price)
        if multiple and multiple > 0:
            fits = math.floor(fits / multiple + 1e-9) * multiple
        allowed[key] = fits
        left -= fits * price
    return allowed


ADJUST_LIMIT = 2.0
"""A dealer may order up to twice the proposed quantity of a line."""

Adjustment = namedtuple("Adjustment", "key proposed multiple")


def check_adjustments(lines, quantities, limit=ADJUST_LIMIT):
    """A dealer's quantities {key: number} for proposal lines [Adjustment]:
    between 0 and `limit` × proposed, in whole packs. Returns ({key: quantity},
    problems [(key, code, value)]) with code 'quantity', 'range' or 'multiple';
    lines without a quantity keep the proposed one."""
    result, problems = {}, []
    for line in lines:
        value = quantities.get(line.key, line.proposed)
        try:
            quantity = float(value)
        except (TypeError, ValueError):
            problems.append((line.key, "quantity", value))
            continue
        if quantity != quantity or quantity < 0 or quantity > limit * line.proposed + 1e-9:
            problems.append((line.key, "range", quantity))
        elif line.multiple and line.multiple > 0 and \
                abs(quantity / line.multiple - round(quantity / line.multiple)) > 1e-9:
            problems.append((line.key, "multiple", quantity))
        else:
            result[line.key] = quantity
    return result, problems
