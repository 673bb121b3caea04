"""Win rates and sales cycles of closed deals, without a database."""


def win_rate(won, closed):
    """Won over closed deals, in percent (0 when none closed)."""
    return 100.0 * won / closed if closed else 0.0


def mean_days(total_days, deals):
    """Mean cycle time in days of `deals` deals that took `total_days` in all."""
    return float(total_days) / deals if deals else 0.0
