#!/usr/bin/env python
"""Channel stock bench: the estimated stock of every dealer × product pair
(crm.cn.channel.stock.estimate read through the ORM, as the list and the DRP
wizard read it) against one plain SQL query giving the last reported on hand
and the 13-week sell-through of every pair.

Builds its own database (cncl_bench_drp: the addon installed without demo, then
N dealers, M products and a year of weekly stock reports of every dealer on
`--per-dealer` products, inserted in SQL). Deliveries and open orders are not
generated: the view still joins Odoo's stock moves and sale order lines.
The last line is `<what>: <ours> s vs SQL <baseline> s = ratio <r>x`.

    .venv/bin/python bench/drp.py [--rebuild] [--dealers 500] [--products 2000]
                                  [--per-dealer 2000] [--weeks 52] [--db NAME]
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import best_of, database_exists, drop_database, environment, report, say  # noqa: E402

DB = "cncl_bench_drp"

ESTIMATE_FIELDS = ["dealer_id", "product_id", "last_report_date", "reported_qty", "delivered_qty",
                   "daily_sellout", "estimated_qty", "open_order_qty", "weeks_of_cover",
                   "stockout_date", "days_since_report", "stale"]

BASELINE_SQL = """
WITH last AS (
    SELECT DISTINCT ON (dealer_id, product_id) dealer_id, product_id, date, on_hand_qty
      FROM crm_cn_channel_stock_report_line WHERE state = 'submitted'
  ORDER BY dealer_id, product_id, date DESC
)
SELECT last.dealer_id, last.product_id, last.date, last.on_hand_qty,
       SUM(l.sold_qty) FILTER (WHERE l.date > last.date - 91) / 91.0
  FROM last
  JOIN crm_cn_channel_stock_report_line l
    ON l.dealer_id = last.dealer_id AND l.product_id = last.product_id
   AND l.state = 'submitted' AND l.date >= last.date - 91
 GROUP BY last.dealer_id, last.product_id, last.date, last.on_hand_qty
"""


def fill(env, dealers, products, per_dealer, weeks):
    cr = env.cr
    started = time.time()
    template = env["product.product"].create({"name": "Bench product", "type": "product"}).product_tmpl_id
    params = {"dealers": dealers, "products": products, "per_dealer": min(per_dealer, products),
              "weeks": weeks, "company": env.user.company_id.id, "uid": env.uid,
              "categ": template.categ_id.id, "uom": template.uom_id.id}
    cr.execute("""
        INSERT INTO product_template (name, type, categ_id, uom_id, uom_po_id, tracking, responsible_id,
                                      sale_line_warn, active, sale_ok, purchase_ok, company_id)
        SELECT 'Bench product ' || i, 'product', %(categ)s, %(uom)s, %(uom)s, 'none', %(uid)s,
               'no-message', TRUE, TRUE, TRUE, %(company)s
          FROM generate_series(1, %(products)s) i;
        INSERT INTO product_product (product_tmpl_id, default_code, active)
        SELECT id, 'B-' || id, TRUE FROM product_template WHERE name LIKE 'Bench product %%';
        CREATE TEMP TABLE bench_products AS
        SELECT row_number() OVER (ORDER BY pp.id) AS n, pp.id FROM product_product pp
          JOIN product_template pt ON pt.id = pp.product_tmpl_id WHERE pt.name LIKE 'Bench product %%';
        INSERT INTO res_partner (name, display_name, active, customer, is_company, type, company_id,
                                 cn_customer_class, cn_is_dealer, picking_warn, invoice_warn, sale_warn)
        SELECT 'Bench dealer ' || i, 'Bench dealer ' || i, TRUE, TRUE, TRUE, 'contact', %(company)s,
               'dealer', TRUE, 'no-message', 'no-message', 'no-message'
          FROM generate_series(1, %(dealers)s) i;
        UPDATE res_partner SET commercial_partner_id = id WHERE name LIKE 'Bench dealer %%';
        INSERT INTO crm_cn_channel_stock_report (name, dealer_id, date, state, company_id, user_id)
        SELECT 'bench', p.id, CURRENT_DATE - 7 * w, 'submitted', %(company)s, %(uid)s
          FROM res_partner p, generate_series(0, %(weeks)s - 1) w
         WHERE p.name LIKE 'Bench dealer %%';
        INSERT INTO crm_cn_channel_stock_report_line (report_id, dealer_id, date, state, product_id,
                                                      on_hand_qty, sold_qty)
        SELECT r.id, r.dealer_id, r.date, 'submitted', bp.id,
               (r.id * 7 + bp.n * 13) %% 200, (r.id * 3 + bp.n * 5) %% 40
          FROM crm_cn_channel_stock_report r
          JOIN bench_products bp ON bp.n <= %(per_dealer)s
         WHERE r.name = 'bench';
        ANALYZE crm_cn_channel_stock_report_line;
    """, params)
    cr.commit()
    cr.execute("SELECT count(*) FROM crm_cn_channel_stock_report_line")
    say("filled %d report lines in %.0f s" % (cr.fetchone()[0], time.time() - started))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--db", default=DB)
    parser.add_argument("--dealers", type=int, default=500)
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--per-dealer", type=int, default=2000)
    parser.add_argument("--weeks", type=int, default=52)
    args = parser.parse_args()
    if args.rebuild:
        drop_database(args.db)
    fresh = not database_exists(args.db)
    with environment(args.db, commit=True) as env:
        if fresh:
            fill(env, args.dealers, args.products, args.per_dealer, args.weeks)
        Estimate = env["crm.cn.channel.stock.estimate"]

        def ours():
            env.cache.invalidate()
            return Estimate.search_read([], ESTIMATE_FIELDS)

        def baseline():
            env.cr.execute(BASELINE_SQL)
            return env.cr.fetchall()

        pairs = len(baseline())
        say("%d dealer x product pairs" % pairs)
        ours_time = best_of(3, ours)
        baseline_time = best_of(3, baseline)
        report("estimated channel stock, %d pairs" % pairs, ours_time, baseline_time)


if __name__ == "__main__":
    main()
