#!/usr/bin/env python
"""Channel stock and DRP bench: the estimated stock of every dealer × product
pair and its netting, as the DRP proposal wizard computes them
(crm.cn.drp.proposal._requirements: every estimate read in one query, netted in
tools/drp.py), against one plain SQL query computing the same estimate from the
same tables (the report history, the done deliveries, the open orders).
It also prints, for scale, the time of the estimate alone read in plain SQL from
the stored positions (what the wizard reads before netting).

Builds its own database (cncl_bench_drp: the addon installed without demo, then
N dealers, M products, a year of weekly stock reports of every dealer on
`--per-dealer` products, done deliveries to the dealers over the last two
weeks and confirmed orders not yet delivered, inserted in SQL). The dealers'
current positions are then set by the same SQL a submitted report runs
(crm.cn.channel.stock.report.line._update_positions).
The last line is `<what>: <ours> s vs SQL <baseline> s = ratio <r>x`.

    .venv/bin/python bench/drp.py [--rebuild] [--dealers 500] [--products 2000]
        [--per-dealer 2000] [--weeks 52] [--deliveries 200000] [--order-lines 100000] [--db NAME]
        [--runs 3] [--no-check]
"""
import argparse
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import best_of, drop_database, environment, report, say  # noqa: E402

DB = "cncl_bench_drp"
LINE_TABLE = "crm_cn_channel_stock_report_line"
LAST_REPORT_DAYS_AGO = 3
"""The last weekly report is a few days old: deliveries fall before and after it."""

# The same estimate as crm.cn.channel.stock.estimate, from the raw report
# history: last report per pair, sell-through over its 13-week window, done
# deliveries since, open orders.
BASELINE_SQL = """
WITH last AS (
    SELECT DISTINCT ON (dealer_id, product_id) id, dealer_id, product_id, date, on_hand_qty
      FROM crm_cn_channel_stock_report_line WHERE state = 'submitted'
  ORDER BY dealer_id, product_id, date DESC, report_id DESC
), windowed AS (
    SELECT last.id, l.date, l.sold_qty, last.date AS last_date,
           min(l.date) OVER (PARTITION BY last.id) AS first_date
      FROM last
      JOIN crm_cn_channel_stock_report_line l
        ON l.dealer_id = last.dealer_id AND l.product_id = last.product_id
       AND l.state = 'submitted' AND l.date >= last.date - 91
), rate AS (
    SELECT id, COALESCE(SUM(sold_qty) FILTER (WHERE date > first_date)
                        / NULLIF(max(last_date) - max(first_date), 0), 0) AS daily
      FROM windowed GROUP BY id
), delivered AS (
    SELECT rp.commercial_partner_id AS dealer_id, m.product_id, m.date,
           CASE WHEN ld.usage = 'customer' THEN m.product_qty ELSE -m.product_qty END AS qty
      FROM stock_move m
      JOIN stock_picking p ON p.id = m.picking_id
      JOIN res_partner rp ON rp.id = p.partner_id
      JOIN stock_location ls ON ls.id = m.location_id
      JOIN stock_location ld ON ld.id = m.location_dest_id
     WHERE m.state = 'done' AND (ld.usage = 'customer') <> (ls.usage = 'customer')
), open_orders AS (
    SELECT rp.commercial_partner_id AS dealer_id, sol.product_id,
           SUM(GREATEST(sol.product_uom_qty - sol.qty_delivered, 0)) AS qty
      FROM sale_order_line sol
      JOIN sale_order so ON so.id = sol.order_id
      JOIN res_partner rp ON rp.id = so.partner_id
     WHERE so.state IN ('sale', 'done')
     GROUP BY rp.commercial_partner_id, sol.product_id
), since AS (
    SELECT last.id, SUM(d.qty) AS qty FROM last
      JOIN delivered d ON d.dealer_id = last.dealer_id AND d.product_id = last.product_id
                      AND d.date >= last.date + 1
     GROUP BY last.id
)
SELECT last.id, last.dealer_id, last.product_id, rate.daily,
       GREATEST(0, last.on_hand_qty + COALESCE(since.qty, 0) - rate.daily * (CURRENT_DATE - last.date)),
       COALESCE(o.qty, 0)
  FROM last
  JOIN rate ON rate.id = last.id
  LEFT JOIN since ON since.id = last.id
  LEFT JOIN open_orders o ON o.dealer_id = last.dealer_id AND o.product_id = last.product_id
"""


def fill_masters(cr, params):
    cr.execute("""
        INSERT INTO product_template (name, type, categ_id, uom_id, uom_po_id, tracking, responsible_id,
                                      sale_line_warn, active, sale_ok, purchase_ok, company_id, list_price)
        SELECT 'Bench product ' || i, 'product', %(categ)s, %(uom)s, %(uom)s, 'none', %(uid)s,
               'no-message', TRUE, TRUE, TRUE, %(company)s, 10
          FROM generate_series(1, %(products)s) i;
        INSERT INTO product_product (product_tmpl_id, default_code, active)
        SELECT id, 'B-' || id, TRUE FROM product_template WHERE name LIKE 'Bench product %%';
        CREATE TABLE bench_products AS
        SELECT row_number() OVER (ORDER BY pp.id) AS n, pp.id FROM product_product pp
          JOIN product_template pt ON pt.id = pp.product_tmpl_id WHERE pt.name LIKE 'Bench product %%';
        INSERT INTO res_partner (name, display_name, active, customer, is_company, type, company_id,
                                 cn_customer_class, cn_is_dealer, picking_warn, invoice_warn, sale_warn)
        SELECT 'Bench dealer ' || i, 'Bench dealer ' || i, TRUE, TRUE, TRUE, 'contact', %(company)s,
               'dealer', TRUE, 'no-message', 'no-message', 'no-message'
          FROM generate_series(1, %(dealers)s) i;
        UPDATE res_partner SET commercial_partner_id = id WHERE name LIKE 'Bench dealer %%';
        CREATE TABLE bench_dealers AS
        SELECT row_number() OVER (ORDER BY id) AS n, id FROM res_partner WHERE name LIKE 'Bench dealer %%';
        INSERT INTO crm_cn_channel_stock_report (name, dealer_id, date, state, company_id, user_id)
        SELECT 'bench', d.id, CURRENT_DATE - %(last_days_ago)s - 7 * w, 'submitted', %(company)s, %(uid)s
          FROM bench_dealers d, generate_series(0, %(weeks)s - 1) w;
    """, params)


def fill_report_lines(cr, params):
    """The weekly report lines, the table's indexes built once after the insert."""
    cr.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT LIKE '%%pkey'",
               [LINE_TABLE])
    indexes = cr.fetchall()
    for name, _definition in indexes:
        cr.execute('DROP INDEX "%s"' % name)
    # bench data only: the ids come from the tables they refer to, so the
    # foreign keys are added back unchecked; the table is not WAL-logged
    cr.execute("""SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                   WHERE conrelid = %s::regclass AND contype = 'f'""", [LINE_TABLE])
    foreign_keys = cr.fetchall()
    for name, _definition in foreign_keys:
        cr.execute('ALTER TABLE %s DROP CONSTRAINT "%s"' % (LINE_TABLE, name))
    cr.execute("ALTER TABLE %s SET UNLOGGED" % LINE_TABLE)
    cr.execute("SET maintenance_work_mem = '1GB'")
    cr.execute("""
        INSERT INTO crm_cn_channel_stock_report_line (report_id, dealer_id, date, state, product_id,
                                                      on_hand_qty, sold_qty, is_latest)
        SELECT r.id, r.dealer_id, r.date, 'submitted', bp.id,
               (r.id * 7 + bp.n * 13) %% 200, (r.id * 3 + bp.n * 5) %% 40, FALSE
          FROM crm_cn_channel_stock_report r
          JOIN bench_products bp ON bp.n <= %(per_dealer)s
         WHERE r.name = 'bench'
    """, params)
    for _name, definition in indexes:
        cr.execute(definition)
    for name, definition in foreign_keys:
        cr.execute('ALTER TABLE %s ADD CONSTRAINT "%s" %s NOT VALID' % (LINE_TABLE, name, definition))
    cr.execute("ANALYZE %s" % LINE_TABLE)


def fill_deliveries(cr, params):
    """Done deliveries to the dealers over the last two weeks (one picking per
    dealer and day), before and after their last report."""
    cr.execute("""
        INSERT INTO stock_picking (name, move_type, location_id, location_dest_id, picking_type_id, company_id,
                                   state, partner_id, date, date_done)
        SELECT 'BENCH/OUT/' || d.n || '/' || day, 'direct', %(stock)s, %(customers)s, %(out_type)s, %(company)s,
               'done', d.id, CURRENT_DATE - day, CURRENT_DATE - day
          FROM bench_dealers d, generate_series(0, 13) day;
        INSERT INTO stock_move (name, date, date_expected, company_id, product_id, product_uom_qty, product_qty,
                                product_uom, location_id, location_dest_id, procure_method, state, picking_id,
                                partner_id)
        SELECT 'bench', p.date, p.date, %(company)s, bp.id, 1 + (i %% 17), 1 + (i %% 17), %(uom)s,
               %(stock)s, %(customers)s, 'make_to_stock', 'done', p.id, p.partner_id
          FROM generate_series(0, %(deliveries)s - 1) i
          JOIN bench_dealers d ON d.n = 1 + i %% %(dealers)s
          JOIN stock_picking p ON p.partner_id = d.id AND p.name LIKE 'BENCH/OUT/%%'
                              AND p.date = CURRENT_DATE - (i / %(dealers)s) %% 14
          JOIN bench_products bp ON bp.n = 1 + (i::bigint * 7919) %% %(per_dealer)s;
        ANALYZE stock_picking;
        ANALYZE stock_move;
    """, params)


def fill_open_orders(cr, params):
    """Confirmed orders of the dealers, partly delivered."""
    cr.execute("""
        INSERT INTO sale_order (name, date_order, partner_id, partner_invoice_id, partner_shipping_id,
                                pricelist_id, picking_policy, warehouse_id, company_id, state)
        SELECT 'BENCH-SO-' || d.n, now(), d.id, d.id, d.id, %(pricelist)s, 'direct', %(warehouse)s,
               %(company)s, 'sale'
          FROM bench_dealers d;
        INSERT INTO sale_order_line (order_id, name, price_unit, product_id, product_uom_qty, product_uom,
                                     customer_lead, qty_delivered, state, company_id, order_partner_id)
        SELECT so.id, 'bench', 10, bp.id, 5 + (i %% 23), %(uom)s, 0, i %% 3, 'sale', %(company)s, d.id
          FROM generate_series(0, %(order_lines)s - 1) i
          JOIN bench_dealers d ON d.n = 1 + i %% %(dealers)s
          JOIN sale_order so ON so.partner_id = d.id AND so.name LIKE 'BENCH-SO-%%'
          JOIN bench_products bp ON bp.n = 1 + (i::bigint * 104729) %% %(per_dealer)s;
        ANALYZE sale_order;
        ANALYZE sale_order_line;
    """, params)


def fill(env, args):
    """Fill what is missing (a build interrupted after the report lines resumes)."""
    cr = env.cr
    started = time.time()
    template = env["product.product"].search([("name", "=", "Bench template")], limit=1) or \
        env["product.product"].create({"name": "Bench template", "type": "product"})
    params = {"dealers": args.dealers, "products": args.products, "weeks": args.weeks,
              "per_dealer": min(args.per_dealer, args.products), "deliveries": args.deliveries,
              "order_lines": args.order_lines, "last_days_ago": LAST_REPORT_DAYS_AGO,
              "company": env.user.company_id.id, "uid": env.uid,
              "categ": template.categ_id.id, "uom": template.uom_id.id,
              "stock": env.ref("stock.stock_location_stock").id,
              "customers": env.ref("stock.stock_location_customers").id,
              "out_type": env.ref("stock.picking_type_out").id,
              "pricelist": env.ref("product.list0").id, "warehouse": env.ref("stock.warehouse0").id}
    cr.execute("SELECT to_regclass('bench_dealers') IS NULL")
    if cr.fetchone()[0]:
        fill_masters(cr, params)
        fill_report_lines(cr, params)
        cr.commit()
        say("report lines filled in %.0f s" % (time.time() - started))
    cr.execute("SELECT count(*) FROM bench_dealers")
    params["dealers"] = cr.fetchone()[0]
    cr.execute("SELECT count(*) FROM stock_picking WHERE name LIKE 'BENCH/OUT/%%'")
    if not cr.fetchone()[0]:
        fill_deliveries(cr, params)
        fill_open_orders(cr, params)
        cr.commit()
    cr.execute("SELECT 1 FROM %s WHERE is_latest LIMIT 1" % LINE_TABLE)
    if not cr.fetchone():
        cr.execute("SELECT id FROM crm_cn_channel_stock_report WHERE name = 'bench' AND date = CURRENT_DATE - %s",
                   [LAST_REPORT_DAYS_AGO])
        last_reports = [row[0] for row in cr.fetchall()]
        positions_started = time.time()
        env["crm.cn.channel.stock.report.line"]._update_positions(last_reports)
        cr.commit()
        say("positions of %d reports set in %.0f s" % (len(last_reports), time.time() - positions_started))
    cr.execute("SELECT relallvisible = 0 FROM pg_class WHERE relname = %s", [LINE_TABLE])
    if cr.fetchone()[0]:
        vacuum_started = time.time()  # what autovacuum does after a bulk load
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "odoo", "-d", cr.dbname, "-qc",
                        "VACUUM ANALYZE %s" % LINE_TABLE], check=True)
        say("vacuumed in %.0f s" % (time.time() - vacuum_started))
    say("filled in %.0f s" % (time.time() - started))


def describe(cr):
    counts = []
    for what, sql in (
            ("dealers", "SELECT count(*) FROM res_partner WHERE name LIKE 'Bench dealer %%'"),
            ("products", "SELECT count(*) FROM product_template WHERE name LIKE 'Bench product %%'"),
            ("stock reports", "SELECT count(*) FROM crm_cn_channel_stock_report"),
            ("report lines", "SELECT count(*) FROM %s" % LINE_TABLE),
            ("done delivery moves", "SELECT count(*) FROM stock_move WHERE state = 'done'"),
            ("open order lines", "SELECT count(*) FROM sale_order_line WHERE state = 'sale'")):
        cr.execute(sql)
        counts.append("%d %s" % (cr.fetchone()[0], what))
    cr.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
    say("data: %s; database %s" % (", ".join(counts), cr.fetchone()[0]))


def time_one_submission(env):
    """The position update a submitted report runs, for one dealer's last report."""
    env.cr.execute("SELECT max(id) FROM crm_cn_channel_stock_report WHERE name = 'bench'")
    report_id = env.cr.fetchone()[0]
    env.cr.execute("SELECT count(*) FROM %s WHERE report_id = %%s" % LINE_TABLE, [report_id])
    lines = env.cr.fetchone()[0]
    seconds = best_of(3, lambda: env["crm.cn.channel.stock.report.line"]._update_positions([report_id]))
    say("position update of one submitted report (%d lines): %.2f s" % (lines, seconds))


def check_same_estimates(env):
    """Ours and the plain SQL agree on every pair (or the bench stops)."""
    ours = {row["id"]: row for row in env["crm.cn.channel.stock.estimate"]._read_estimates()}
    env.cr.execute(BASELINE_SQL)
    theirs = env.cr.fetchall()
    assert len(theirs) == len(ours), (len(theirs), len(ours))
    for line_id, _dealer, _product, daily, stock, open_qty in theirs:
        row = ours[line_id]
        assert abs(row["daily_sellout"] - float(daily)) < 1e-6, (row, daily)
        assert abs(row["estimated_qty"] - float(stock)) < 1e-6, (row, stock)
        assert abs(row["open_order_qty"] - float(open_qty)) < 1e-6, (row, open_qty)
    return len(ours)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--db", default=DB)
    parser.add_argument("--dealers", type=int, default=500)
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--per-dealer", type=int, default=2000)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--deliveries", type=int, default=200000)
    parser.add_argument("--order-lines", type=int, default=100000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-check", action="store_true",
                        help="skip comparing every estimate with the SQL (done on a first run)")
    args = parser.parse_args()
    if args.rebuild:
        drop_database(args.db)
    with environment(args.db, commit=True) as env:
        fill(env, args)
        describe(env.cr)
        time_one_submission(env)
        wizard = env["crm.cn.drp.proposal"].create({})
        result = {}

        def ours():
            env.cache.invalidate()
            result["needs"] = wizard._requirements()

        def baseline():
            env.cr.execute(BASELINE_SQL)
            env.cr.fetchall()

        def positions_sql():
            env.cr.execute("SELECT id, dealer_id, product_id, daily_sellout, estimated_qty, open_order_qty"
                           " FROM crm_cn_channel_stock_estimate")
            env.cr.fetchall()

        if args.no_check:
            estimates = len(env["crm.cn.channel.stock.estimate"]._read_estimates())
        else:
            estimates = check_same_estimates(env)  # and warms both up
        ours_time = best_of(args.runs, ours)
        baseline_time = best_of(args.runs, baseline)
        # the estimate alone, in plain SQL over the stored positions (no netting, no access rules)
        say("for scale: the estimate view read in plain SQL from the stored positions: %.2f s"
            % best_of(args.runs, positions_sql))
        say("%d pairs estimated%s, %d need a shipment"
            % (estimates, "" if args.no_check else " (the same as the SQL)", len(result["needs"])))
        report("estimated channel stock and DRP netting, %d pairs" % estimates, ours_time, baseline_time)


if __name__ == "__main__":
    main()
