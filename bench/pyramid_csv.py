"""The customer pyramid, RFM and the late (win-back) flag of the addon
(crm_cn_lifecycle/tools/pyramid.py) on any CSV of order lines, without Odoo
or a database, and a held-out check of the late flag against a baseline.

    .venv/bin/python bench/pyramid_csv.py --csv orders.csv --customer COL --date COL \
        --amount COL [--quantity COL] [--margin COL] [--as-of YYYY-MM-DD] \
        [--window-days 365] [--late-multiple 2.0] [--horizon-days 90] [--dayfirst]

Several lines per order or date are fine; negative amounts are returns (they
lower the revenue, and a date counts as a purchase only with a positive line).
Dates may be ISO (2011-12-09 12:50:00), compact (20111209), or 12/9/2011 12:50
(month first unless --dayfirst; 9.12.2011 with dots is day first). With
--quantity, the amount column is a unit price multiplied by it. Rows with an
empty customer, or a date or amount that cannot be read, are skipped and counted.

Whole file: the revenue share of the top 20% of customers and the median days
between repeat purchases. As of --as-of (default: the last date in the file)
over the trailing window: the tier table, RFM and the late customers. Held out:
rows before (last date - horizon) flag late customers, rows after tell who
did not buy again; precision and recall beside a "no purchase in the last
<horizon> days" baseline.
"""
import argparse
import csv
import datetime
import importlib.util
import os
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CURRENCY_SIGNS = "$€¥£￥"


def load_tool():
    path = os.path.join(REPO, "crm_cn_lifecycle", "tools", "pyramid.py")
    spec = importlib.util.spec_from_file_location("pyramid", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def parse_date(text, dayfirst=False):
    """A date from the day part of `text` (time of day ignored), None if unreadable."""
    head = text.strip().split(" ", 1)[0].split("T", 1)[0]
    try:
        if len(head) == 8 and head.isdigit():
            return datetime.date(int(head[:4]), int(head[4:6]), int(head[6:]))
        for separator in "-/.":
            if separator in head:
                parts = head.split(separator)
                if len(parts) != 3:
                    return None
                if len(parts[0]) == 4:
                    year, month, day = parts
                elif dayfirst or separator == ".":
                    day, month, year = parts
                else:
                    month, day, year = parts
                year = int(year)
                if year < 100:
                    year += 2000 if year < 70 else 1900
                return datetime.date(year, int(month), int(day))
    except ValueError:
        return None
    return None


def parse_amount(text):
    """A float from `text` ("1,234.50", "¥12", "-3"), None if unreadable or empty."""
    try:
        return float(text)
    except ValueError:
        cleaned = text.strip().lstrip(CURRENCY_SIGNS).replace(",", "").replace(" ", "")
        try:
            return float(cleaned) if cleaned else None
        except ValueError:
            return None


def read_orders(args):
    """Stream the CSV: {customer: {date: [amount, margin, bought]}} and counts."""
    columns = [args.customer, args.date, args.amount] + [
        name for name in (args.quantity, args.margin) if name]
    customers, counts, dates_seen = {}, {"rows": 0, "no customer": 0, "bad date": 0,
                                         "bad amount": 0}, {}
    with open(args.csv, newline="", encoding="utf-8-sig", errors="replace") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if not header:
            sys.exit("pyramid_csv: %s is empty" % args.csv)
        header = [name.strip() for name in header]
        missing = [name for name in columns if name not in header]
        if missing:
            sys.exit("pyramid_csv: no column %s in %s (columns: %s)" % (
                ", ".join(missing), args.csv, ", ".join(header)))
        i_customer, i_date, i_amount = (header.index(name) for name in columns[:3])
        i_quantity = header.index(args.quantity) if args.quantity else None
        i_margin = header.index(args.margin) if args.margin else None
        width = max(header.index(name) for name in columns) + 1
        for row in reader:
            counts["rows"] += 1
            if len(row) < width or not row[i_customer].strip():
                counts["no customer"] += 1
                continue
            text = row[i_date]
            day = dates_seen.get(text)
            if day is None:
                day = dates_seen[text] = parse_date(text, args.dayfirst) or False
            amount = parse_amount(row[i_amount])
            if i_quantity is not None and amount is not None:
                quantity = parse_amount(row[i_quantity])
                amount = amount * quantity if quantity is not None else None
            if not day:
                counts["bad date"] += 1
                continue
            if amount is None:
                counts["bad amount"] += 1
                continue
            margin = parse_amount(row[i_margin]) if i_margin is not None else None
            cell = customers.setdefault(row[i_customer].strip(), {}).setdefault(day, [0.0, 0.0, False])
            cell[0] += amount
            cell[1] += margin or 0.0
            if amount > 0:
                cell[2] = True
            if len(dates_seen) > 200000:  # every row its own timestamp: keep memory flat
                dates_seen.clear()
    return customers, counts


def ratio(numerator, denominator):
    return "%.2f" % (numerator / denominator) if denominator else "n/a"


def held_out_check(tool, purchases, last_day, args):
    """Flag late customers on the rows before the cutoff, then look after it."""
    cutoff = last_day - datetime.timedelta(days=args.horizon_days)
    n = churned = late = late_hit = base = base_hit = 0
    for dates in purchases.values():
        before = [day for day in dates if day < cutoff]
        if len(before) < 2:
            continue
        n += 1
        did_not_buy = not any(cutoff <= day <= last_day for day in dates)
        churned += did_not_buy
        if tool.is_late(before[-1], tool.typical_interval(before), cutoff, multiple=args.late_multiple):
            late += 1
            late_hit += did_not_buy
        if (cutoff - before[-1]).days > args.horizon_days:
            base += 1
            base_hit += did_not_buy
    print("held out: flags from rows before %s, checked on %s to %s (%d customers with 2+ purchase dates)"
          % (cutoff, cutoff, last_day, n))
    print("late flag (%.1fx own interval): precision %s recall %s (n=%d, base rate %s, flagged %d)" % (
        args.late_multiple, ratio(late_hit, late), ratio(late_hit, churned), n, ratio(churned, n), late))
    print("baseline (no purchase in %d days): precision %s recall %s (n=%d, base rate %s, flagged %d)" % (
        args.horizon_days, ratio(base_hit, base), ratio(base_hit, churned), n, ratio(churned, n), base))


def pyramid_as_of(tool, customers, purchases, as_of, args):
    """Tiers, RFM and late customers as of `as_of` over the trailing window."""
    start = as_of - datetime.timedelta(days=args.window_days)
    rows, revenue, margin, rfm_rows, late = [], {}, {}, [], set()
    for customer, days in customers.items():
        in_window = [cell for day, cell in days.items() if start < day <= as_of]
        revenue[customer] = sum(cell[0] for cell in in_window)
        margin[customer] = sum(cell[1] for cell in in_window)
        bought = [day for day in purchases.get(customer, ()) if day <= as_of]
        rows.append({"partner_id": customer, "revenue": revenue[customer], "weighted_pipeline": 0.0,
                     "bought_before": any(day <= start for day in bought), "suspect": False})
        if bought and bought[-1] > start:
            rfm_rows.append({"partner_id": customer, "last_date": bought[-1],
                             "frequency": sum(1 for day in bought if day > start),
                             "monetary": revenue[customer]})
        if tool.is_late(bought[-1] if bought else None, tool.typical_interval(bought), as_of,
                        multiple=args.late_multiple):
            late.add(customer)
    tiers = tool.assign_tiers(rows)
    print("pyramid as of %s over %d days:" % (as_of, args.window_days))
    with_margin = bool(args.margin)
    print("  %-9s %9s %16s %7s%s %6s" % ("tier", "customers", "revenue", "share",
                                         " %16s %7s" % ("margin", "rate") if with_margin else "", "late"))
    for row in tool.tier_summary(tiers, revenue, margin):
        rate = row["margin_rate"]
        extra = " %16.2f %7s" % (row["margin"], "%.1f%%" % (100 * rate) if rate is not None else "")
        print("  %-9s %9d %16.2f %6.1f%%%s %6d" % (
            row["tier"], row["count"], row["revenue"], round(100 * row["share"], 1) + 0.0,
            extra if with_margin else "",
            sum(1 for customer in late if tiers.get(customer) == row["tier"])))
    at_risk = sum(revenue[customer] for customer in late if tiers.get(customer) in tool.BUYER_TIERS)
    print("late customers as of %s (%.1fx own interval): %d, of them buyers in the window: %d "
          "with %.2f revenue at risk" % (as_of, args.late_multiple, len(late),
                                         sum(1 for c in late if tiers.get(c) in tool.BUYER_TIERS), at_risk))
    scores = tool.rfm_scores(rfm_rows, as_of)
    best = sum(1 for r, f, m in scores.values() if min(r, f, m) >= 4)
    slipping = sum(1 for r, f, _m in scores.values() if r <= 2 and f >= 4)
    print("RFM over the window: %d customers scored, %d with R, F and M all >= 4, "
          "%d frequent buyers slipping (R <= 2, F >= 4)" % (len(scores), best, slipping))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--csv", required=True, help="the CSV file of order lines (UTF-8)")
    parser.add_argument("--customer", required=True, help="the column naming the customer")
    parser.add_argument("--date", required=True, help="the column with the order date")
    parser.add_argument("--amount", required=True, help="the column with the line amount")
    parser.add_argument("--quantity", help="a quantity column: amount is then a unit price")
    parser.add_argument("--margin", help="the column with the line's gross margin")
    parser.add_argument("--as-of", type=lambda text: datetime.datetime.strptime(text, "%Y-%m-%d").date(),
                        help="the pyramid's date (default: the last date in the file)")
    parser.add_argument("--window-days", type=int, default=365, help="the trailing window")
    parser.add_argument("--late-multiple", type=float, default=2.0,
                        help="late after this many times a customer's own interval")
    parser.add_argument("--horizon-days", type=int, default=90, help="the held-out horizon")
    parser.add_argument("--dayfirst", action="store_true", help="12/9/2011 is 12 September")
    args = parser.parse_args(argv)
    tool = load_tool()
    started = time.time()
    customers, counts = read_orders(args)
    skipped = counts["no customer"] + counts["bad date"] + counts["bad amount"]
    print("pyramid_csv: %d rows, %d customers, %d skipped (%d without customer, %d bad date, "
          "%d bad amount)" % (counts["rows"], len(customers), skipped, counts["no customer"],
                              counts["bad date"], counts["bad amount"]))
    if not customers:
        print("pyramid_csv: no usable row")
        return 1
    purchases = {customer: sorted(day for day, cell in days.items() if cell[2])
                 for customer, days in customers.items()}
    totals = {customer: sum(cell[0] for cell in days.values()) for customer, days in customers.items()}
    share = tool.top_share(totals, 0.2)
    print("top 20%% of customers: %s of revenue" % ("%.1f%%" % (100 * share) if share is not None else "n/a"))
    repeat = tool.median_repeat_days(purchases)
    print("median days between repeat purchases: %s" % ("%g" % repeat if repeat is not None else "n/a"))
    last_day = max(max(days) for days in customers.values())
    pyramid_as_of(tool, customers, purchases, args.as_of or last_day, args)
    held_out_check(tool, purchases, last_day, args)
    print("pyramid_csv: done in %.1f s" % (time.time() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
