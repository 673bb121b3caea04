"""Sales and margin analysis: group ratios and price bands, plain Python.

A price band is a half-open range of list prices [min_price, max_price);
max_price 0 (or None) means "and above". Bands of one company, or of no
company (shared by all), must not overlap."""

OPEN_END = float("inf")


def ratio(numerator, denominator, scale=100.0):
    """`numerator` / `denominator` × `scale`, 0 when the denominator is 0."""
    return scale * numerator / denominator if denominator else 0.0


def margin_rate(margin, revenue):
    """Gross margin as a percentage of revenue (0 without revenue)."""
    return ratio(margin, revenue)


def collected_share(residual, total):
    """The paid share of an invoice: 1 - residual / total (0 for a zero total)."""
    return 1.0 - residual / total if total else 0.0


def band_upper(max_price):
    return max_price if max_price else OPEN_END


def band_errors(min_price, max_price):
    """Problems of one band's limits, as message keys: 'negative', 'empty'."""
    errors = []
    if (min_price or 0.0) < 0 or (max_price or 0.0) < 0:
        errors.append("negative")
    if max_price and max_price <= (min_price or 0.0):
        errors.append("empty")
    return errors


def bands_overlap(first, second):
    """Whether two (min_price, max_price) ranges share a price."""
    (min1, max1), (min2, max2) = first, second
    return (min1 or 0.0) < band_upper(max2) and (min2 or 0.0) < band_upper(max1)


def overlapping_pairs(bands):
    """Pairs (key1, key2) of bands that overlap, among `bands`: an iterable of
    (key, company, min_price, max_price); company None is shared by every
    company and so collides with all."""
    bands = list(bands)
    pairs = []
    for index, (key1, company1, min1, max1) in enumerate(bands):
        for key2, company2, min2, max2 in bands[index + 1:]:
            same_scope = company1 is None or company2 is None or company1 == company2
            if same_scope and bands_overlap((min1, max1), (min2, max2)):
                pairs.append((key1, key2))
    return pairs


def band_of(price, bands):
    """The key of the band (key, min_price, max_price) holding `price`, else None."""
    for key, min_price, max_price in bands:
        if (min_price or 0.0) <= price < band_upper(max_price):
            return key
    return None
