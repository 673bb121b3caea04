"""Dealer stock report files, checks and the channel stock estimate, without a database."""
import datetime
import io

import xlsxwriter

from odoo.addons.crm_cn_lifecycle.tools.channel_stock import (
    check_date, check_lines, daily_sellout, estimate_stock, parse_quantity, parse_stock_file)

PRODUCTS = {"A4-80": 1, "PEN-BL": 2, "FAN-52": 3}
D = datetime.date


def lookup(codes):
    return {code: PRODUCTS[code] for code in codes if code in PRODUCTS}


def codes(problems):
    return [(problem.row, problem.code) for problem in problems]


GOOD_CSV = "产品编码,库存数量,销量\nA4-80,\"1,200\",300\nPEN-BL,40,12\n"


def test_chinese_headers_utf8_bom_and_gbk_read_the_same():
    plain = parse_stock_file("r.csv", GOOD_CSV.encode("utf-8"), lookup)
    bom = parse_stock_file("r.csv", GOOD_CSV.encode("utf-8-sig"), lookup)
    gbk = parse_stock_file("r.csv", GOOD_CSV.encode("gbk"), lookup)
    assert plain == bom == gbk
    lines, problems = plain
    assert problems == []
    assert [(line.row, line.product_id, line.on_hand, line.sold) for line in lines] == [
        (2, 1, 1200.0, 300.0), (3, 2, 40.0, 12.0)]


def test_xlsx_with_english_headers_is_read():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet()
    for row, values in enumerate([["Product Code", "On Hand", "Sold"], ["FAN-52", 8, 2]]):
        sheet.write_row(row, 0, values)
    book.close()
    lines, problems = parse_stock_file("r.xlsx", buffer.getvalue(), lookup)
    assert problems == [] and lines[0].product_id == 3 and lines[0].on_hand == 8.0


def test_every_bad_row_is_listed_with_its_line():
    data = ("code,stock,sold\nA4-80,10,1\nNOPE,5,1\nPEN-BL,-3,1\nFAN-52,ten,1\nA4-80,4,0\n,1,1\n").encode()
    lines, problems = parse_stock_file("r.csv", data, lookup)
    assert codes(problems) == [(3, "product"), (4, "negative"), (5, "quantity"), (6, "duplicate"),
                               (7, "missing_product")]
    assert problems[3].value == 2  # same product as row 2
    assert [line.row for line in lines] == [2]


def test_unreadable_encoding_and_missing_columns_are_reported():
    _lines, problems = parse_stock_file("r.csv", b"\xff\xfe\x00\xd8\x00\x00bad", lookup)
    assert codes(problems) == [(0, "encoding")]
    _lines, problems = parse_stock_file("r.csv", b"name,qty\nx,1\n", lookup)
    assert codes(problems) == [(1, "no_columns")]
    _lines, problems = parse_stock_file("r.pdf", b"%PDF", lookup)
    assert codes(problems) == [(0, "format")]


def test_quantities_typed_by_people():
    assert parse_quantity(" 1,200 ") == 1200.0
    assert parse_quantity("") == 0.0
    assert parse_quantity(3) == 3.0
    assert parse_quantity("nan") is None and parse_quantity("abc") is None and parse_quantity(True) is None


def test_no_lines_is_a_problem():
    assert codes(check_lines([], PRODUCTS)[1]) == [(0, "no_lines")]


def test_report_date_not_in_future_nor_before_last_report():
    today = D(2026, 3, 10)
    assert check_date("2026-03-10", today, D(2026, 3, 10)) == []  # a correction of the same date
    assert codes(check_date("2026-03-11", today)) == [(0, "date_future")]
    assert codes(check_date(D(2026, 3, 1), today, D(2026, 3, 3))) == [(0, "date_before_last")]
    assert codes(check_date("10/03/2026", today)) == [(0, "date")]


def test_daily_sellout_ignores_the_first_report_of_the_window():
    points = [(D(2026, 1, 1), 999), (D(2026, 1, 8), 14), (D(2026, 1, 15), 28)]
    assert daily_sellout(points) == 42 / 14.0
    assert daily_sellout([(D(2026, 1, 1), 5)]) is None
    # reports older than the window do not count
    old = [(D(2025, 6, 1), 1000)] + points
    assert daily_sellout(old) == daily_sellout(points)


def test_estimate_adds_deliveries_and_takes_off_sell_out():
    estimate = estimate_stock(100, D(2026, 3, 1), 50, 5.0, D(2026, 3, 11))
    assert estimate.stock == 100 and estimate.days_since == 10
    assert estimate.weeks_of_cover == 100 / 35.0
    assert estimate.stockout_date == D(2026, 3, 31)
    assert not estimate.stale


def test_estimate_never_negative_and_stale_after_three_weeks():
    estimate = estimate_stock(10, D(2026, 1, 1), 0, 2.0, D(2026, 2, 1))
    assert estimate.stock == 0 and estimate.stockout_date == D(2026, 2, 1) and estimate.stale
    flat = estimate_stock(10, D(2026, 1, 30), 0, None, D(2026, 2, 1))
    assert flat.stock == 10 and flat.weeks_of_cover is None and flat.stockout_date is None
