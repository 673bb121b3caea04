"""Where the quarter lands: P10 / P50 / P90 of its bookings, without a database.

Booked so far plus the open opportunities, each won with its probability and,
if won, closing at its expected date shifted by a close-date slip drawn from
what past deals of its stage did (actual close minus expected close, in
days). A deal still open today cannot close before tomorrow, so an expected
date plus slip that falls in the past closes at once: it lands in the quarter
iff expected + slip <= the quarter's last day. Deals are independent, so the
quarter's bookings are booked + a sum of independent amount x Bernoulli(p)
terms, p = P(won) x P(expected + slip <= quarter end).

The distribution of that sum is enumerated exactly for a few deals
(EXACT_LIMIT), else simulated with a fixed seed: the deals that carry most of
the variance one by one, the many small ones as their normal sum (central
limit theorem), so a million deals cost one vectorised pass.
"""
import numpy

QUANTILES = (0.1, 0.5, 0.9)
EXACT_LIMIT = 16
SIMULATIONS = 10000
SIMULATED_DEALS = 128
SEED = 20261216


class SlipTable(object):
    """Empirical distributions of close-date slip (days) per stage, from a
    histogram (stage, slip, count); stages without history use all stages',
    and with no history at all the slip is 0 (close at the expected date)."""

    def __init__(self, stages=(), slips=(), counts=()):
        stages = numpy.asarray(stages, dtype=numpy.int64)
        slips = numpy.asarray(slips, dtype=float)
        counts = numpy.asarray(counts, dtype=float)
        self.by_stage = {}
        for stage in numpy.unique(stages):
            mask = stages == stage
            self.by_stage[int(stage)] = self._cdf(slips[mask], counts[mask])
        self.pooled = self._cdf(slips, counts) if len(slips) else None

    @staticmethod
    def _cdf(slips, counts):
        order = numpy.argsort(slips, kind="mergesort")
        slips, counts = slips[order], counts[order]
        cumulative = numpy.cumsum(counts)
        return slips, cumulative / cumulative[-1]

    def probability_at_most(self, stages, limits):
        """P(slip <= limit) for each (stage, limit)."""
        stages = numpy.asarray(stages, dtype=numpy.int64)
        limits = numpy.asarray(limits, dtype=float)
        result = numpy.empty(len(limits))
        done = numpy.zeros(len(limits), dtype=bool)
        for stage, cdf in self.by_stage.items():
            mask = stages == stage
            result[mask] = self._at(cdf, limits[mask])
            done |= mask
        rest = ~done
        if self.pooled is not None:
            result[rest] = self._at(self.pooled, limits[rest])
        else:
            result[rest] = (limits[rest] >= 0).astype(float)
        return result

    @staticmethod
    def _at(cdf, limits):
        slips, levels = cdf
        index = numpy.searchsorted(slips, limits, side="right")
        return numpy.where(index > 0, levels[numpy.maximum(index - 1, 0)], 0.0)


def landing_probabilities(win_probabilities, stages, days_to_expected, days_to_quarter_end, slips):
    """Per open deal: P(won and closed by the quarter's end). `win_probabilities`
    in 0..1, `days_to_expected` = expected close - today (days),
    `days_to_quarter_end` = quarter end - today, `slips` a SlipTable."""
    days = numpy.asarray(days_to_expected, dtype=float)
    in_time = slips.probability_at_most(stages, float(days_to_quarter_end) - days)
    return numpy.clip(numpy.asarray(win_probabilities, dtype=float), 0.0, 1.0) * in_time


def lower_quantile(values, weights, q):
    """Smallest value v with P(X <= v) >= q, X taking `values` with `weights`."""
    order = numpy.argsort(values, kind="mergesort")
    values, cumulative = numpy.asarray(values)[order], numpy.cumsum(numpy.asarray(weights)[order])
    index = numpy.searchsorted(cumulative, q * cumulative[-1] - 1e-9 * cumulative[-1], side="left")
    return float(values[min(index, len(values) - 1)])


def exact_distribution(amounts, probabilities):
    """(values, probabilities) of sum(amount_i x Bernoulli(p_i)) over all 2^n outcomes."""
    amounts = numpy.asarray(amounts, dtype=float)
    probabilities = numpy.asarray(probabilities, dtype=float)
    count = len(amounts)
    outcomes = (numpy.arange(2 ** count)[:, None] >> numpy.arange(count)) & 1
    weights = numpy.prod(numpy.where(outcomes == 1, probabilities, 1.0 - probabilities), axis=1)
    return outcomes.dot(amounts), weights


def simulate(amounts, probabilities, simulations=SIMULATIONS, seed=SEED, simulated=SIMULATED_DEALS):
    """`simulations` draws of sum(amount_i x Bernoulli(p_i)) with a fixed seed:
    the `simulated` deals of largest variance drawn one by one, the others as
    a normal of their mean and variance."""
    amounts = numpy.asarray(amounts, dtype=float)
    probabilities = numpy.asarray(probabilities, dtype=float)
    random = numpy.random.default_rng(seed)
    variances = amounts * amounts * probabilities * (1.0 - probabilities)
    if len(amounts) > simulated:
        big = numpy.argpartition(-variances, simulated)[:simulated]
        small = numpy.ones(len(amounts), dtype=bool)
        small[big] = False
    else:
        big, small = numpy.arange(len(amounts)), numpy.zeros(len(amounts), dtype=bool)
    totals = numpy.zeros(simulations)
    for start in range(0, len(big), 64):   # bounded memory: simulations x 64 at a time
        chunk = big[start:start + 64]
        won = random.random((simulations, len(chunk)), dtype=numpy.float32) < probabilities[chunk]
        totals += won.dot(amounts[chunk])
    if small.any():
        mean = float(numpy.dot(amounts[small], probabilities[small]))
        totals += mean + numpy.sqrt(variances[small].sum()) * random.standard_normal(simulations)
    return totals


def landing_range(booked, amounts, probabilities, quantiles=QUANTILES, exact_limit=EXACT_LIMIT,
                  simulations=SIMULATIONS, seed=SEED):
    """{'booked', 'expected', 'p10', 'p50', 'p90'} of the quarter's bookings:
    `booked` so far plus each open deal's amount with its landing probability."""
    amounts = numpy.asarray(amounts, dtype=float)
    probabilities = numpy.asarray(probabilities, dtype=float)
    keep = (probabilities > 0) & (amounts != 0)
    amounts, probabilities = amounts[keep], probabilities[keep]
    certain = probabilities >= 1.0
    base = float(booked) + float(amounts[certain].sum())
    amounts, probabilities = amounts[~certain], probabilities[~certain]
    if len(amounts) <= exact_limit:
        values, weights = exact_distribution(amounts, probabilities)
    else:
        values = simulate(amounts, probabilities, simulations=simulations, seed=seed)
        weights = numpy.ones(len(values))
    result = {"booked": float(booked),
              "expected": base + float(numpy.dot(amounts, probabilities))}
    for q in quantiles:
        result["p%d" % round(q * 100)] = base + lower_quantile(values, weights, q)
    return result


def coverage(rows):
    """Share (0..1) of (p10, p90, actual) rows whose actual fell inside [p10, p90];
    None without rows."""
    rows = list(rows)
    if not rows:
        return None
    return sum(1 for low, high, actual in rows if low - 0.005 <= actual <= high + 0.005) / float(len(rows))


OVERSTOCK_RATIO = 2.0


def inventory_at_quarter_end(on_hand, booked_not_shipped, pipeline, incoming, overstock_ratio=OVERSTOCK_RATIO):
    """Per product category (parallel sequences): the stock projected at the
    quarter's end = on hand - booked not yet shipped - the weighted pipeline's
    expected shipments + incoming receipts, and its flag: 'stockout' below
    zero, 'overstock' above `overstock_ratio` x the quarter's demand (booked
    not shipped + pipeline; any stock left when nothing is to ship), else 'ok'.
    Returns [(projected, flag)]."""
    result = []
    for stock, booked, expected, receipts in zip(on_hand, booked_not_shipped, pipeline, incoming):
        projected = stock - booked - expected + receipts
        demand = booked + expected
        if projected < 0:
            flag = "stockout"
        elif projected > overstock_ratio * demand:
            flag = "overstock"
        else:
            flag = "ok"
        result.append((projected, flag))
    return result
