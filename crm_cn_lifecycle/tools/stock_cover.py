"""Products to promote or to stock: weeks of cover of the company's own stock
against the trailing sales rate, plain Python (the SQL report computes the
same; tests hold the two together).

- weekly rate: the quantity sold over the trailing weeks (13 by default) / weeks;
- weeks of cover: stock on hand / weekly rate (None without sales);
- overstocked: stock on hand and cover above N weeks, or no sales at all;
- at risk: cover below the lead time (the first supplier's delay, else 2 weeks)."""

TRAILING_WEEKS = 13
DEFAULT_LEAD_WEEKS = 2.0
DEFAULT_OVERSTOCK_WEEKS = 26
STATUSES = ("overstock", "at_risk", "ok")


def weekly_rate(sold, weeks=TRAILING_WEEKS):
    """Average quantity sold per week over `weeks` weeks."""
    return sold / float(weeks) if weeks else 0.0


def weeks_of_cover(on_hand, rate):
    """Weeks the stock lasts at `rate` a week; None when nothing sells."""
    return on_hand / rate if rate > 0 else None


def lead_time_weeks(delay_days=None, default=DEFAULT_LEAD_WEEKS):
    """The supplier's delay in weeks, else `default`."""
    return delay_days / 7.0 if delay_days else default


def cover_status(on_hand, rate, lead_weeks, overstock_weeks=DEFAULT_OVERSTOCK_WEEKS):
    """'overstock', 'at_risk' or 'ok' for a product with `on_hand` in stock
    selling `rate` a week."""
    cover = weeks_of_cover(on_hand, rate)
    if cover is None:
        return "overstock" if on_hand > 0 else "ok"
    if on_hand > 0 and cover > overstock_weeks:
        return "overstock"
    if cover < lead_weeks:
        return "at_risk"
    return "ok"
