"""Dealer stock reports (渠道库存): reading, checking and estimating.

Nothing here touches the database. Callers give the rows (from a file, the
portal form, XML-RPC or the backend form), the product lookup
(default_code -> product id), today and the dealer's last report date, and get
back clean lines or every problem found, as codes with parameters so that the
caller words them in the user's language. The estimate of today's channel
stock is computed here too; the SQL report does the same sums in bulk.
"""
import datetime
from collections import namedtuple

from .response_import import Problem, map_headers, read_rows

FIELDS = ("product", "on_hand", "sold")

HEADER_ALIASES = {
    "product": ("product", "product code", "code", "sku", "default code", "default_code",
                "internal reference", "reference", "产品编码", "产品代码", "物料编码", "商品编码",
                "货号", "编码", "型号"),
    "on_hand": ("on hand", "on-hand", "on_hand", "stock", "on hand qty", "qty on hand", "inventory",
                "库存", "库存数量", "现有库存", "期末库存", "在库数量"),
    "sold": ("sold", "sell-out", "sell out", "sell_out", "sales", "sold qty", "sell-out qty",
             "销量", "销售数量", "售出", "售出数量", "出货数量"),
}
_HEADER_INDEX = {
    alias.lower(): field for field, aliases in HEADER_ALIASES.items() for alias in aliases}

PROBLEMS = ("encoding", "format", "empty", "no_columns", "no_lines", "product", "missing_product",
            "quantity", "negative", "duplicate", "date_future", "date_before_last", "date",
            "too_large", "too_many_cells", "too_wide", "unzipped_too_large", "archive")

Line = namedtuple("Line", "row product_id on_hand sold")
"""row: 1-based line of the input (file header = row 1); quantities are floats."""

RATE_WINDOW_DAYS = 91
"""Sell-through is averaged over the reports of the last 13 weeks."""
STALE_AFTER_DAYS = 21
"""A dealer that has not reported for three weeks has a stale estimate."""


def parse_quantity(value):
    """A quantity typed by a person ('1,200', ' 3 ', 4.0) as a float, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = (value or "").strip().replace(",", "").replace("，", "")
    if not text:
        return 0.0
    try:
        number = float(text)
    except ValueError:
        return None
    if number != number or number in (float("inf"), float("-inf")):
        return None
    return number


def check_lines(rows, products):
    """Check raw rows (row, product code, on hand, sold) against `products`
    (default_code -> product id). Returns (lines, problems)."""
    lines, problems, seen = [], [], {}
    for row, code, on_hand, sold in rows:
        row_problems = []
        code = (code or "").strip() if isinstance(code, str) else code
        product_id = products.get(code) if code else None
        if not code:
            row_problems.append(Problem(row, "missing_product", ""))
        elif not product_id:
            row_problems.append(Problem(row, "product", code))
        elif product_id in seen:
            row_problems.append(Problem(row, "duplicate", seen[product_id]))
        quantities = []
        for value in (on_hand, sold):
            quantity = parse_quantity(value)
            if quantity is None:
                row_problems.append(Problem(row, "quantity", str(value)))
            elif quantity < 0:
                row_problems.append(Problem(row, "negative", str(value)))
            quantities.append(quantity)
        if product_id and product_id not in seen:
            seen[product_id] = row
        if row_problems:
            problems.extend(row_problems)
        else:
            lines.append(Line(row, product_id, quantities[0], quantities[1]))
    if not rows:
        problems.append(Problem(0, "no_lines", ""))
    return lines, problems


def check_date(date, today, last_date=None):
    """Problems of a report date: not in the future, not before the dealer's
    last report (the same date is a correction and allowed)."""
    if not isinstance(date, datetime.date):
        try:
            date = datetime.datetime.strptime(str(date or "").strip(), "%Y-%m-%d").date()
        except ValueError:
            return [Problem(0, "date", str(date or ""))]
    if date > today:
        return [Problem(0, "date_future", date.isoformat())]
    if last_date and date < last_date:
        return [Problem(0, "date_before_last", last_date.isoformat())]
    return []


def parse_stock_file(filename, data, lookup, limits=None):
    """Read and check a dealer's stock report file (CSV or XLSX; UTF-8, BOM,
    GBK/GB18030; Chinese or English headers). `lookup` maps the set of product
    codes of the file to {code: product id} at once; `limits`: the upload's
    byte and cell limits (response_import.upload_limits). Returns (lines, problems)."""
    table, problem = read_rows(filename, data, limits)
    if problem:
        return [], [problem]
    columns = map_headers(table[0], _HEADER_INDEX)
    if "product" not in columns or "on_hand" not in columns:
        return [], [Problem(1, "no_columns", ", ".join(table[0]))]
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        get = lambda field: cells[columns[field]] if field in columns and columns[field] < len(cells) else ""  # noqa: E731,E501
        rows.append((line, get("product"), get("on_hand"), get("sold")))
    return check_lines(rows, lookup({row[1] for row in rows}))


# --- estimating ---------------------------------------------------------------

def daily_sellout(points, window_days=RATE_WINDOW_DAYS):
    """Average units sold per day from reports [(date, sold since the previous
    report)], over the reports of the last `window_days` before the latest.
    The first report of the window only opens it: its sell-out belongs to the
    time before. None when fewer than two reports span the window."""
    if not points:
        return None
    last = max(date for date, _sold in points)
    window = [(date, sold) for date, sold in points
              if date >= last - datetime.timedelta(days=window_days)]
    first = min(date for date, _sold in window)
    days = (last - first).days
    if days <= 0:
        return None
    return sum(sold for date, sold in window if date > first) / float(days)


Estimate = namedtuple("Estimate", "stock days_since weeks_of_cover stockout_date stale")


def estimate_stock(on_hand, last_date, delivered, daily_rate, today, stale_after=STALE_AFTER_DAYS):
    """Today's stock at a dealer: last reported on hand + delivered since
    − estimated sell-out since, never below zero; with weeks of cover, the day
    it runs out at that rate, and whether the last report is stale."""
    days_since = (today - last_date).days
    rate = daily_rate or 0.0
    stock = max(0.0, on_hand + delivered - rate * days_since)
    weeks = stock / (rate * 7) if rate > 0 else None
    stockout = today + datetime.timedelta(days=int(stock / rate)) if rate > 0 else None
    return Estimate(stock, days_since, weeks, stockout, days_since > stale_after)
