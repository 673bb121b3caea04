#!/usr/bin/env python
"""Dealer scorecard bench: the scorecards of every dealer for the quarter to
date, as crm.cn.dealer.scorecard.compute_scorecards computes and stores them
(one SQL statement per figure, the receivables' own figures, the math in
tools/scorecard.py, one INSERT ... ON CONFLICT for all rows), against a plain
SQL baseline reading the same figures from the same tables in one statement.
It checks that both agree on every dealer (purchases and last year's,
deliveries, sell-out, closing stock, reports, tickets).

Builds its own database (cncl_bench_scorecard: the addon without demo, then
N dealers with weekly stock reports on `--per-dealer` products, done
deliveries (bench/drp.py's fill), and `--invoices` open invoices per dealer
in this quarter and as many in the same quarter last year, copied in SQL from
one invoice made by the ORM).
The last line is `scorecard of 500 dealers: <ours> s vs SQL <b> s = ratio <r>x`.

    .venv/bin/python bench/scorecard.py [--rebuild] [--dealers 500] [--products 200]
        [--per-dealer 40] [--weeks 26] [--deliveries 50000] [--invoices 20] [--runs 3]
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import best_of, drop_database, environment, report, say  # noqa: E402
from drp import fill_deliveries, fill_masters, fill_report_lines, LAST_REPORT_DAYS_AGO  # noqa: E402

from odoo import fields  # noqa: E402

DB = "cncl_bench_scorecard"

# The same figures, written independently of the addon's queries.
BASELINE_SQL = """
WITH d AS (
    SELECT id FROM res_partner WHERE cn_is_dealer AND id = commercial_partner_id AND active
), inv AS (
    SELECT commercial_partner_id AS id,
           SUM(CASE WHEN date_invoice >= %(start)s THEN amount_untaxed_signed ELSE 0 END) AS now,
           SUM(CASE WHEN date_invoice < %(start)s THEN amount_untaxed_signed ELSE 0 END) AS before
      FROM account_invoice
     WHERE state IN ('open', 'paid') AND type IN ('out_invoice', 'out_refund') AND company_id = %(company)s
       AND ((date_invoice >= %(start)s AND date_invoice <= %(end)s)
            OR (date_invoice >= %(ly_start)s AND date_invoice <= %(ly_end)s))
     GROUP BY commercial_partner_id
), mv AS (
    SELECT p.commercial_partner_id AS id,
           SUM(CASE WHEN ld.usage = 'customer' THEN m.product_qty ELSE -m.product_qty END) AS qty
      FROM stock_move m JOIN stock_picking pk ON pk.id = m.picking_id
      JOIN res_partner p ON p.id = pk.partner_id
      JOIN stock_location ls ON ls.id = m.location_id JOIN stock_location ld ON ld.id = m.location_dest_id
     WHERE m.state = 'done' AND (ld.usage = 'customer') <> (ls.usage = 'customer')
       AND m.date::date BETWEEN %(start)s AND %(end)s
     GROUP BY p.commercial_partner_id
), last_line AS (
    SELECT DISTINCT ON (dealer_id, product_id) dealer_id, product_id, on_hand_qty
      FROM crm_cn_channel_stock_report_line
     WHERE state = 'submitted' AND date <= %(end)s AND date >= %(start)s
     ORDER BY dealer_id, product_id, date DESC
), st AS (
    SELECT l.dealer_id AS id, SUM(l.sold_qty) AS sold,
           (SELECT SUM(on_hand_qty) FROM last_line x WHERE x.dealer_id = l.dealer_id) AS closing
      FROM crm_cn_channel_stock_report_line l
     WHERE l.state = 'submitted' AND l.date BETWEEN %(start)s AND %(end)s
     GROUP BY l.dealer_id
), rp AS (
    SELECT dealer_id AS id, COUNT(*) FILTER (WHERE date >= %(start)s) AS reports, MAX(date) AS last
      FROM crm_cn_channel_stock_report WHERE state = 'submitted' AND date <= %(end)s GROUP BY dealer_id
), tk AS (
    SELECT p.commercial_partner_id AS id, COUNT(*) AS tickets
      FROM helpdesk_ticket t JOIN res_partner p ON p.id = t.partner_id
     WHERE t.create_date::date BETWEEN %(start)s AND %(end)s GROUP BY p.commercial_partner_id
)
SELECT d.id, COALESCE(inv.now, 0), COALESCE(inv.before, 0), COALESCE(mv.qty, 0), st.sold, st.closing,
       COALESCE(rp.reports, 0), rp.last, COALESCE(tk.tickets, 0)
  FROM d LEFT JOIN inv ON inv.id = d.id LEFT JOIN mv ON mv.id = d.id LEFT JOIN st ON st.id = d.id
  LEFT JOIN rp ON rp.id = d.id LEFT JOIN tk ON tk.id = d.id
"""


def fill_invoices(env, params):
    """`invoices` open invoices per dealer in the quarter and as many a year before,
    copies of one invoice the ORM made (every column of it, dates and amounts changed)."""
    Account = env["account.account"]
    receivable = Account.search([("internal_type", "=", "receivable")], limit=1)
    income = Account.search([("user_type_id", "=", env.ref("account.data_account_type_revenue").id)], limit=1)
    journal = env["account.journal"].search([("type", "=", "sale")], limit=1)
    env.cr.execute("SELECT id FROM bench_dealers ORDER BY n LIMIT 1")
    template = env["account.invoice"].create({
        "partner_id": env.cr.fetchone()[0], "type": "out_invoice", "journal_id": journal.id,
        "account_id": receivable.id, "date_invoice": fields.Date.to_string(params["start"]),
        "invoice_line_ids": [(0, 0, {"name": "Bench", "account_id": income.id, "quantity": 1.0,
                                     "price_unit": 100.0})]})
    env.cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'account_invoice' "
                   "AND column_name NOT IN ('id', 'partner_id', 'commercial_partner_id', 'date_invoice', "
                   "'amount_untaxed_signed', 'state', 'number', 'move_name', 'reference')")
    columns = [row[0] for row in env.cr.fetchall()]
    names = ", ".join(columns)
    env.cr.execute("""
        INSERT INTO account_invoice (partner_id, commercial_partner_id, date_invoice, amount_untaxed_signed,
                                     state, %(names)s)
        SELECT d.id, d.id, day, 100 + (d.n * 37 + i * 11) %%%% 900, 'open', %(names)s
          FROM account_invoice t, bench_dealers d, generate_series(1, %%(invoices)s) i,
               LATERAL (VALUES (%%(start)s::date + (i %%%% %%(days)s)),
                               (%%(ly_start)s::date + (i %%%% %%(days)s))) AS days(day)
         WHERE t.id = %%(template)s
    """ % {"names": names}, dict(params, template=template.id))
    template.unlink()
    env.cr.execute("ANALYZE account_invoice")


def fill(env, params):
    cr = env.cr
    started = time.time()
    cr.execute("SELECT to_regclass('bench_dealers') IS NULL")
    if cr.fetchone()[0]:
        fill_masters(cr, params)
        fill_report_lines(cr, params)
        fill_deliveries(cr, params)
        fill_invoices(env, params)
        cr.commit()
        say("filled in %.0f s" % (time.time() - started))


def check_same(env, rows, params):
    """Our stored scorecards and the plain SQL agree on every dealer."""
    env.cr.execute(BASELINE_SQL, params)
    theirs = {row[0]: row[1:] for row in env.cr.fetchall()}
    ours = {row["dealer_id"]: row for row in rows}
    assert set(theirs) == set(ours), (len(theirs), len(ours))
    for dealer_id, (now, before, delivered, sold, closing, reports, last, tickets) in theirs.items():
        row = ours[dealer_id]
        assert abs(row["purchases"] - float(now)) < 0.01, (row, now)
        assert abs(row["purchases_last_year"] - float(before)) < 0.01, (row, before)
        assert abs(row["delivered_qty"] - float(delivered)) < 1e-6, (row, delivered)
        assert abs((row.get("sold_qty") or 0.0) - float(sold or 0)) < 1e-6, (row, sold)
        assert abs((row.get("closing_qty") or 0.0) - float(closing or 0)) < 1e-6, (row, closing)
        # Odoo 11's cursor reads dates as text: compare both as text
        assert (row["report_count"], str(row["last_report_date"] or ""), row["ticket_count"]) == (
            reports, str(last or ""), tickets), (row, reports, last, tickets)
    return len(ours)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--db", default=DB)
    parser.add_argument("--dealers", type=int, default=500)
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--per-dealer", type=int, default=40)
    parser.add_argument("--weeks", type=int, default=26)
    parser.add_argument("--deliveries", type=int, default=50000)
    parser.add_argument("--invoices", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.rebuild:
        drop_database(args.db)
    with environment(args.db, commit=True) as env:
        # importable once the registry has loaded the addon
        from odoo.addons.crm_cn_lifecycle.tools.scorecard import quarter_bounds, same_quarter_last_year
        company = env.user.company_id
        calendar = (int(company.cn_fiscal_year_start_month), int(company.cn_week_start))
        today = fields.Date.from_string(fields.Date.context_today(env.user))
        start, end = quarter_bounds(today, *calendar)
        ly_start, ly_end = same_quarter_last_year(today, *calendar)
        template = env["product.product"].search([("name", "=", "Bench template")], limit=1) or \
            env["product.product"].create({"name": "Bench template", "type": "product"})
        params = {"dealers": args.dealers, "products": args.products, "weeks": args.weeks,
                  "per_dealer": min(args.per_dealer, args.products), "deliveries": args.deliveries,
                  "invoices": args.invoices, "last_days_ago": LAST_REPORT_DAYS_AGO,
                  "company": company.id, "uid": env.uid, "categ": template.categ_id.id,
                  "uom": template.uom_id.id, "stock": env.ref("stock.stock_location_stock").id,
                  "customers": env.ref("stock.stock_location_customers").id,
                  "out_type": env.ref("stock.picking_type_out").id,
                  "start": start, "end": end, "ly_start": ly_start, "ly_end": ly_end,
                  "days": max((min(end, today) - start).days, 1)}
        fill(env, params)
        Scorecard = env["crm.cn.dealer.scorecard"]
        result = {}

        def ours():
            env.cache.invalidate()
            result["rows"] = Scorecard._cn_compute_rows(company, start, end, today)
            Scorecard._cn_store_rows(result["rows"])

        def baseline():
            env.cr.execute(BASELINE_SQL, params)
            env.cr.fetchall()

        ours()
        dealers = check_same(env, result["rows"], params)
        say("%d dealers: the stored scorecards and the SQL agree" % dealers)
        ours_time = best_of(args.runs, ours)
        baseline_time = best_of(args.runs, baseline)
        env.cr.rollback()
        report("scorecard of %d dealers" % dealers, ours_time, baseline_time)


if __name__ == "__main__":
    main()
