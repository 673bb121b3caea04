"""Margin rate, collected share and price bands, without a database."""
from odoo.addons.crm_cn_lifecycle.tools.sales_margin import band_errors, band_of, bands_overlap, \
    collected_share, margin_rate, overlapping_pairs

DEFAULTS = [("below_10", 0.0, 10.0), ("10_50", 10.0, 50.0), ("50_200", 50.0, 200.0),
            ("200_1000", 200.0, 1000.0), ("1000_up", 1000.0, 0.0)]


def test_margin_rate_is_margin_over_revenue_and_zero_without_revenue():
    assert margin_rate(800.0, 2000.0) == 40.0
    assert margin_rate(-50.0, -200.0) == 25.0
    assert margin_rate(100.0, 0.0) == 0.0


def test_collected_share_is_the_paid_part_of_an_invoice():
    assert collected_share(1000.0, 2000.0) == 0.5
    assert collected_share(-100.0, -100.0) == 0.0       # an open credit note
    assert collected_share(0.0, 0.0) == 0.0


def test_band_lower_limit_is_included_and_upper_excluded():
    assert band_of(9.99, DEFAULTS) == "below_10"
    assert band_of(10.0, DEFAULTS) == "10_50"
    assert band_of(1000.0, DEFAULTS) == "1000_up"
    assert band_of(10 ** 9, DEFAULTS) == "1000_up"      # 0 is "no upper limit"
    assert band_of(-1.0, DEFAULTS) is None


def test_touching_bands_do_not_overlap_but_sharing_a_price_does():
    assert not bands_overlap((10.0, 50.0), (50.0, 200.0))
    assert bands_overlap((10.0, 50.0), (40.0, 60.0))
    assert bands_overlap((1000.0, 0.0), (5000.0, 6000.0))
    assert bands_overlap((0.0, 0.0), (3.0, 4.0))


def test_overlaps_are_checked_within_a_company_and_against_shared_bands():
    bands = [(key, None, low, high) for key, low, high in DEFAULTS]
    assert overlapping_pairs(bands) == []
    assert overlapping_pairs(bands + [("mine", 1, 30.0, 40.0)]) == [("10_50", "mine")]
    own = [("a", 1, 0.0, 10.0), ("b", 2, 5.0, 20.0), ("c", 1, 8.0, 9.0)]
    assert overlapping_pairs(own) == [("a", "c")]


def test_band_limits_must_make_sense():
    assert band_errors(10.0, 50.0) == []
    assert band_errors(1000.0, 0.0) == []
    assert band_errors(50.0, 10.0) == ["empty"]
    assert band_errors(10.0, 10.0) == ["empty"]
    assert band_errors(-1.0, 10.0) == ["negative"]
