"""Goals with measured steps: targets as a value, a % change or a change,
the straight line from the baseline at the start to the target at the
deadline, progress and on-track, and the KPIs of a step from pyramid figures.

Plain Python (no odoo): dates are datetime.date, today is an argument."""
# target_type: which of the three target figures the user set; the other two follow
TARGET_VALUE, TARGET_PERCENT, TARGET_CHANGE = "value", "percent", "change"

# Goal measures (over a period: the base period, then the same length ending on the measure date)
GROSS_PROFIT, REVENUE, MARGIN_RATE, TIER_COUNT = "gross_profit", "revenue", "margin_rate", "tier_count"
MEASURES = (GROSS_PROFIT, REVENUE, MARGIN_RATE, TIER_COUNT)

# Step KPIs, each from the company's pyramid on or before the measure date:
KEY_KEPT = "key_kept"                  # key customers of the base pyramid still key
CONVERTED = "converted"                # customers moved 'converted' since the goal's start
TIER_MARGIN_RATE = "tier_margin_rate"  # 100 * margin / revenue of the tier's lines
LAPSED_COUNT = "lapsed"                # customers in the lapsed tier
TIER_REVENUE = "tier_revenue"          # revenue of the tier's lines
TIER_MARGIN = "tier_margin"            # gross margin of the tier's lines
TIER_CUSTOMERS = "tier_count"          # customers in the tier
KPIS = (KEY_KEPT, CONVERTED, TIER_MARGIN_RATE, LAPSED_COUNT, TIER_REVENUE, TIER_MARGIN, TIER_CUSTOMERS)
TIER_KPIS = (TIER_MARGIN_RATE, TIER_REVENUE, TIER_MARGIN, TIER_CUSTOMERS)


def percent_change(base, value):
    """The % change from `base` to `value`; None when base is 0."""
    if not base:
        return None
    return 100.0 * (value - base) / abs(base)


def value_from_percent(base, percent):
    """The value `percent` % above (below, if negative) `base`."""
    return base + abs(base) * percent / 100.0


def targets(target_type, base, value=0.0, percent=0.0, change=0.0):
    """(value, % change, change) of a target set as `target_type`, the other two
    derived from `base`. A value set against a zero base has a % change of 0."""
    if target_type == TARGET_PERCENT:
        value = value_from_percent(base, percent)
    elif target_type == TARGET_CHANGE:
        value = base + change
    percent = percent_change(base, value) if target_type != TARGET_PERCENT else percent
    return value, percent or 0.0, value - base


def expected_value(baseline, target, start, deadline, as_of):
    """The straight line from `baseline` on `start` to `target` on `deadline`,
    read on `as_of` (held at the ends outside them)."""
    if as_of <= start:
        return baseline
    if as_of >= deadline or deadline <= start:
        return target
    share = (as_of - start).days / float((deadline - start).days)
    return baseline + (target - baseline) * share


def progress(baseline, target, current):
    """Percent of the way from baseline to target (may exceed 100 or be negative).
    A target equal to its baseline (keep what there is) reads as the share of it
    held: 100 * current / target, capped at 100 (100 for a target of 0)."""
    if target == baseline:
        if not target:
            return 100.0 if not current else 0.0
        return min(100.0, 100.0 * current / target)
    return 100.0 * (current - baseline) / (target - baseline)


def on_track(baseline, target, current, expected, tolerance=1e-6):
    """At or past the straight line in the target's direction."""
    if target >= baseline:
        return current >= expected - tolerance
    return current <= expected + tolerance


def trailing_period(date_from, date_to, as_of):
    """The period as long as [date_from, date_to] ending on `as_of` (both ends in)."""
    return as_of - (date_to - date_from), as_of


def month_start(day):
    return day.replace(day=1)


def margin_rate(margin, revenue):
    return 100.0 * margin / revenue if revenue else 0.0


def measure_value(measure, revenue, margin, tier_count=0):
    """A goal's measure from the period's revenue and margin (or tier count)."""
    return {GROSS_PROFIT: margin, REVENUE: revenue, MARGIN_RATE: margin_rate(margin, revenue),
            TIER_COUNT: tier_count}[measure]


def step_value(kpi, tier, tiers, key_kept=0, converted=0):
    """A step's KPI from `tiers` ({tier: {"count", "revenue", "margin"}} of one
    pyramid), the count of key customers kept and of prospects converted."""
    if kpi == KEY_KEPT:
        return float(key_kept)
    if kpi == CONVERTED:
        return float(converted)
    if kpi == LAPSED_COUNT:
        tier = "lapsed"
    row = tiers.get(tier) or {}
    count, revenue, margin = row.get("count", 0), row.get("revenue", 0.0), row.get("margin", 0.0)
    if kpi == TIER_MARGIN_RATE:
        return margin_rate(margin, revenue)
    if kpi == TIER_REVENUE:
        return revenue
    if kpi == TIER_MARGIN:
        return margin
    return float(count)

