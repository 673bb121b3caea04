#!/usr/bin/env python
"""Customer pyramid and sales-and-margin bench: 100,000 customers and 2
million customer invoice lines over three years, against plain SQL computing
the same figures.

Builds its own database (cncl_bench_pyramid: the addon installed without
demo, then products with brands, categories and costs, customers, posted
invoices and refunds, the orders part of them come from with their cost
(sale_margin) and invoice links, confirmed orders not invoiced yet, and open
opportunities and leads, all inserted in SQL; reused when it is there), then
times:
  - pyramid: crm.cn.pyramid.line.compute_pyramid() as of 2025-12-31 (tiers,
    RFM, own interval, late flag, movement against the pyramid of November,
    written as lines: the daily recomputation replacing the month's lines)
    vs one plain SQL statement computing the same per-customer figures from
    the base tables (tiers by rank(), ties in the better tier; RFM quintiles
    by rank() and count() exactly as tools/pyramid.quintile_scores; the own
    interval by percentile_cont) and writing them into a plain table. The
    bench checks every customer's tier, revenue, margin, frequency, interval,
    late flag and RFM scores against the SQL's, and prints the per-tier
    counts and sums of both. Movement (against last month) is written by
    ours only: the SQL does not compute it.
  - sales and margin: the report's summary() by brand for 2025 (with 2024
    beside it) and a read_group by product category and year with last
    year's columns, all sums and the margin rate, vs plain SQL over the base
    tables computing the same groups (cost per product read once, not per
    line; the bench world has one company, whose product costs the SQL
    reads), checked equal group by group.
The last line is `<what>: <ours> s vs SQL <baseline> s = ratio <r>x`.

    .venv/bin/python bench/pyramid.py [--rebuild] [--customers N] [--lines N] [--runs N] [--build-only]

Other sizes than the default get their own database (cncl_bench_pyramid_<N>c).
"""
import argparse
import datetime
import os
import resource
import sys
import time

from dateutil.relativedelta import relativedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import best_of, drop_database, environment, report, say  # noqa: E402

AS_OF = datetime.date(2025, 12, 31)
LAST_MONTH = datetime.date(2025, 11, 30)
FIRST_DAY = datetime.date(2023, 1, 1)  # three years of invoices: 2023-01-01 .. 2025-12-30
LINES_PER_INVOICE = 4
PRODUCTS = 300
TIER_ORDER = ("key", "big", "medium", "small", "prospect", "suspect", "lapsed")


def maxrss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# ---- the world ---------------------------------------------------------------
# Customer i (1..N): i % 10 == 0 never bought (half of them with open
# opportunities: prospects; some with leads or flagged as a competitor's
# customer: suspects); i % 10 == 9 bought only before the window (lapsed);
# the others buy over the three years, a few of them a lot (customer number
# drawn as frac(k * golden ratio)^2: a long tail).
# Invoice k: 4 lines; every 25th a refund; a third paid, the rest open (half
# of those half paid); every 97th a draft (not counted). Invoices k % 3 == 1
# (not refunds) come from an order: one order line per invoice line, linked,
# with the order line's cost (purchase_price) on every other line.

BUYER = """(SELECT 1 + (e / 9) * 10 + e %% 9 FROM (SELECT floor(%(eligible)s
    * power((k * 0.6180339887498949) - floor(k * 0.6180339887498949), 2))::int AS e) x)"""

FILL_INVOICES = """
CREATE TEMPORARY TABLE bench_invoice ON COMMIT DROP AS
SELECT k::int AS k, c.customer,
       %(first_day)s::date + (CASE WHEN c.customer %% 10 = 9 THEN (k * 7919) %% 700
                                   ELSE (k * 7919) %% 1095 END)::int AS day
  FROM generate_series(0::bigint, %(invoices)s - 1) k
 CROSS JOIN LATERAL (SELECT """ + BUYER + """ AS customer) c;

CREATE TEMPORARY TABLE bench_line ON COMMIT DROP AS
SELECT b.k, m, b.customer, b.day, pr.n AS product_n, pr.product_id, pr.list_price,
       1 + (b.k + m) %% 10 AS quantity,
       CASE WHEN b.k %% 25 = 0 THEN -1 ELSE 1 END AS sign
  FROM bench_invoice b CROSS JOIN generate_series(0, %(per_invoice)s - 1) m
  JOIN bench_product pr ON pr.n = 1 + ((b.k * %(per_invoice)s + m) * 31) %% %(products)s;

INSERT INTO account_invoice (id, partner_id, commercial_partner_id, account_id, journal_id,
                             company_id, currency_id, reference_type, type, state, number,
                             date_invoice, date_due, user_id, origin, amount_untaxed,
                             amount_total, amount_untaxed_signed, amount_total_signed,
                             amount_total_company_signed, residual, residual_signed,
                             residual_company_signed, create_date, write_date)
SELECT %(invoice0)s + b.k + 1, %(partner0)s + b.customer, %(partner0)s + b.customer,
       %(receivable)s, %(sale_journal)s, %(company)s, %(currency)s, 'none',
       CASE WHEN b.k %% 25 = 0 THEN 'out_refund' ELSE 'out_invoice' END,
       CASE WHEN b.k %% 97 = 0 THEN 'draft' WHEN b.k %% 3 = 0 THEN 'paid' ELSE 'open' END,
       'BPINV/' || b.k, b.day, b.day + 30, (%(users)s::int[])[1 + b.customer %% 20],
       CASE WHEN b.k %% 3 = 1 AND b.k %% 25 <> 0 THEN 'BPSO/' || b.k END,
       t.total, t.total, t.total * sign, t.total * sign, t.total * sign,
       t.residual, t.residual * sign, t.residual * sign, NOW(), NOW()
  FROM bench_invoice b
  JOIN (SELECT l.k, SUM(l.quantity * l.list_price) AS total,
               CASE WHEN l.k %% 3 = 0 THEN 0
                    WHEN l.k %% 2 = 0 THEN SUM(l.quantity * l.list_price) / 2
                    ELSE SUM(l.quantity * l.list_price) END AS residual,
               MIN(l.sign) AS sign
          FROM bench_line l GROUP BY l.k) t ON t.k = b.k;

INSERT INTO account_invoice_line (id, invoice_id, name, account_id, price_unit, quantity,
                                  product_id, uom_id, price_subtotal, price_subtotal_signed,
                                  price_total, company_id, partner_id, currency_id, sequence,
                                  create_date, write_date)
SELECT %(line0)s + l.k * %(per_invoice)s + l.m + 1, %(invoice0)s + l.k + 1, 'Bench line',
       %(income)s, l.list_price, l.quantity, l.product_id, %(uom)s,
       l.quantity * l.list_price, l.sign * l.quantity * l.list_price, l.quantity * l.list_price,
       %(company)s, %(partner0)s + l.customer, %(currency)s, 10, NOW(), NOW()
  FROM bench_line l;

INSERT INTO sale_order (id, name, partner_id, partner_invoice_id, partner_shipping_id,
                        pricelist_id, warehouse_id, picking_policy, date_order,
                        confirmation_date, state, user_id, company_id,
                        invoice_status, create_date, write_date)
SELECT %(order0)s + b.k + 1, 'BPSO/' || b.k, %(partner0)s + b.customer,
       %(partner0)s + b.customer, %(partner0)s + b.customer, %(pricelist)s, %(warehouse)s,
       'direct', b.day - (b.k %% 5), b.day - (b.k %% 5) + interval '9 hours', 'sale',
       (%(users)s::int[])[1 + b.customer %% 20], %(company)s, 'invoiced',
       NOW(), NOW()
  FROM bench_invoice b WHERE b.k %% 3 = 1 AND b.k %% 25 <> 0;

INSERT INTO sale_order_line (id, order_id, name, sequence, product_id, product_uom,
                             product_uom_qty, qty_invoiced, qty_delivered, price_unit,
                             price_subtotal, price_total, price_reduce, purchase_price, margin,
                             discount, customer_lead, state, company_id, order_partner_id,
                             currency_id, invoice_status, create_date, write_date)
SELECT %(sol0)s + l.k * %(per_invoice)s + l.m + 1, %(order0)s + l.k + 1, 'Bench line', 10,
       l.product_id, %(uom)s, l.quantity, l.quantity, l.quantity, l.list_price,
       l.quantity * l.list_price, l.quantity * l.list_price, l.list_price,
       CASE WHEN l.m %% 2 = 0 THEN round(l.list_price * (0.5 + (l.k %% 7) / 20.0), 2) ELSE 0 END,
       0, 0, 0, 'sale', %(company)s, %(partner0)s + l.customer, %(currency)s, 'invoiced',
       NOW(), NOW()
  FROM bench_line l WHERE l.k %% 3 = 1 AND l.k %% 25 <> 0;

INSERT INTO sale_order_line_invoice_rel (order_line_id, invoice_line_id)
SELECT %(sol0)s + l.k * %(per_invoice)s + l.m + 1, %(line0)s + l.k * %(per_invoice)s + l.m + 1
  FROM bench_line l WHERE l.k %% 3 = 1 AND l.k %% 25 <> 0;
"""

# Confirmed orders not invoiced yet (the report's "ordered" facts, and purchase
# dates for the pyramid): one per 5 customers, in the last 60 days, 2 lines.
FILL_OPEN_ORDERS = """
INSERT INTO sale_order (id, name, partner_id, partner_invoice_id, partner_shipping_id,
                        pricelist_id, warehouse_id, picking_policy, date_order,
                        confirmation_date, state, user_id, company_id,
                        invoice_status, create_date, write_date)
SELECT %(order0)s + %(invoices)s + j + 1, 'BPOPEN/' || j, %(partner0)s + c.customer,
       %(partner0)s + c.customer, %(partner0)s + c.customer, %(pricelist)s, %(warehouse)s,
       'direct', %(as_of)s::date - (j %% 60), %(as_of)s::date - (j %% 60) + interval '10 hours',
       'sale', (%(users)s::int[])[1 + c.customer %% 20], %(company)s, 'to invoice',
       NOW(), NOW()
  FROM generate_series(0, %(customers)s / 5 - 1) j
 CROSS JOIN LATERAL (SELECT 1 + (j * 5 + j %% 7) %% (%(customers)s - 1) AS customer) c0
 CROSS JOIN LATERAL (SELECT CASE WHEN c0.customer %% 10 = 0 THEN c0.customer + 1
                                 WHEN c0.customer %% 10 = 9 THEN c0.customer - 1
                                 ELSE c0.customer END AS customer) c;

INSERT INTO sale_order_line (order_id, name, sequence, product_id, product_uom,
                             product_uom_qty, qty_invoiced, qty_delivered, price_unit,
                             price_subtotal, price_total, price_reduce, purchase_price, margin,
                             discount, customer_lead, state, company_id, order_partner_id,
                             currency_id, invoice_status, create_date, write_date)
SELECT so.id, 'Bench open line', 10, pr.product_id, %(uom)s, 3 + m, m, 0, pr.list_price,
       (3 + m) * pr.list_price, (3 + m) * pr.list_price, pr.list_price,
       CASE WHEN m = 0 THEN round(pr.list_price * 0.6, 2) ELSE 0 END, 0, 0, 0, 'sale',
       %(company)s, so.partner_id, %(currency)s, 'to invoice', NOW(), NOW()
  FROM sale_order so CROSS JOIN generate_series(0, 1) m
  JOIN bench_product pr ON pr.n = 1 + (so.id * 13 + m * 7) %% %(products)s
 WHERE so.name LIKE 'BPOPEN/%%';
"""

# Open opportunities: 2 for each never-bought customer i % 20 == 0 (prospects),
# 1 for every 7th buyer; leads (not opportunities) for i % 40 == 10 (suspects).
FILL_PIPELINE = """
INSERT INTO crm_lead (name, type, active, partner_id, user_id, planned_revenue, probability,
                      company_id, stage_id, create_date, write_date)
SELECT 'Bench deal ' || i || '/' || n, 'opportunity', TRUE, %(partner0)s + i,
       (%(users)s::int[])[1 + i %% 20], 1000 + (i * 37) %% 50000, 10 + (i + n) %% 80,
       %(company)s, %(stage)s, NOW(), NOW()
  FROM generate_series(1, %(customers)s) i CROSS JOIN generate_series(1, 2) n
 WHERE (i %% 20 = 0) OR (i %% 7 = 0 AND i %% 10 NOT IN (0, 9) AND n = 1);
INSERT INTO crm_lead (name, type, active, partner_id, user_id, planned_revenue, probability,
                      company_id, stage_id, create_date, write_date)
SELECT 'Bench lead ' || i, 'lead', TRUE, %(partner0)s + i, (%(users)s::int[])[1 + i %% 20],
       0, 10, %(company)s, %(stage)s, NOW(), NOW()
  FROM generate_series(1, %(customers)s) i WHERE i %% 40 = 10;
"""


def build(env, customers, lines):
    """Insert the world in SQL (the ORM would take hours for 2M lines)."""
    cr = env.cr
    started = time.time()
    company = env.user.company_id
    users = env["res.users"]
    for index in range(20):
        users |= env["res.users"].with_context(no_reset_password=True).create({
            "name": "Bench Sales %d" % index, "login": "bench_sales_%d" % index,
            "groups_id": [(6, 0, [env.ref("crm_cn_lifecycle.group_user").id])]})
    categories = [env["product.category"].create({"name": "Bench category %d" % index}).id
                  for index in range(12)]
    brands = [env["crm.cn.brand"].create({"name": "Bench brand %d" % index}).id
              for index in range(30)]
    products = env["product.product"]
    for index in range(PRODUCTS):
        list_price = 5 + (index * 37) % 400 + (index % 4) * 0.25
        products |= products.create({
            "name": "Bench product %d" % index, "type": "consu", "list_price": list_price,
            "standard_price": round(list_price * (0.45 + (index % 9) * 0.05), 2),
            "categ_id": categories[index % len(categories)],
            "cn_brand_id": brands[index % len(brands)] if index % 10 else False})
    cr.execute("CREATE TABLE bench_product (n int, product_id int, list_price numeric)")
    cr.execute("INSERT INTO bench_product SELECT row_number() OVER (ORDER BY p.id), p.id, t.list_price"
               "  FROM product_product p JOIN product_template t ON t.id = p.product_tmpl_id"
               " WHERE p.id = ANY(%s)", (products.ids,))
    say("built users, %d products with brands and costs in %.1f s" % (PRODUCTS, time.time() - started))
    account = env["account.account"]
    params = {
        "customers": customers, "company": company.id, "users": users.ids,
        "currency": company.currency_id.id, "products": PRODUCTS,
        "invoices": lines // LINES_PER_INVOICE, "per_invoice": LINES_PER_INVOICE,
        "eligible": customers - customers // 10, "first_day": FIRST_DAY, "as_of": AS_OF,
        "receivable": account.search([("internal_type", "=", "receivable")], limit=1).id,
        "income": account.search([("internal_type", "=", "other")], limit=1).id,
        "sale_journal": env["account.journal"].search([("type", "=", "sale")], limit=1).id,
        "pricelist": env.ref("product.list0").id, "uom": env.ref("product.product_uom_unit").id,
        "warehouse": env["stock.warehouse"].search([], limit=1).id,
        "stage": env["crm.stage"].search([], limit=1).id,
    }
    for table, key in (("res_partner", "partner0"), ("account_invoice", "invoice0"),
                       ("account_invoice_line", "line0"), ("sale_order", "order0"),
                       ("sale_order_line", "sol0")):
        cr.execute("SELECT COALESCE(MAX(id), 0) FROM %s" % table)
        params[key] = cr.fetchone()[0]
    step = time.time()
    cr.execute("""
        INSERT INTO res_partner (id, name, display_name, active, customer, is_company, type,
                                 lang, user_id, cn_customer_class, state_id, cn_competitor_customer,
                                 picking_warn, invoice_warn, sale_warn, create_date, write_date)
        SELECT %(partner0)s + i, 'Bench customer ' || i, 'Bench customer ' || i, TRUE, TRUE, TRUE,
               'contact', 'en_US', (%(users)s::int[])[1 + i %% 20],
               (ARRAY['direct','dealer','retail','agent','oem'])[1 + i %% 5],
               (SELECT id FROM res_country_state WHERE country_id =
                   (SELECT id FROM res_country WHERE code = 'CN') ORDER BY id LIMIT 1 OFFSET i %% 30),
               i %% 50 = 30, 'no-message', 'no-message', 'no-message', NOW(), NOW()
          FROM generate_series(1, %(customers)s) i;
        UPDATE res_partner p SET commercial_partner_id = p.id, cn_region = s.cn_region
          FROM res_country_state s WHERE s.id = p.state_id AND p.id > %(partner0)s;
        SELECT setval('res_partner_id_seq', %(partner0)s + %(customers)s);
    """, params)
    say("built %d customers in %.1f s" % (customers, time.time() - step))
    step = time.time()
    cr.execute(FILL_INVOICES, params)
    for table in ("account_invoice", "account_invoice_line", "sale_order", "sale_order_line"):
        cr.execute("SELECT setval('%s_id_seq', (SELECT MAX(id) FROM %s))" % (table, table))
    cr.execute(FILL_OPEN_ORDERS, params)
    cr.execute("SELECT setval('sale_order_id_seq', (SELECT MAX(id) FROM sale_order))")
    say("built %d invoices, %d invoice lines, their orders in %.1f s" % (
        params["invoices"], params["invoices"] * LINES_PER_INVOICE, time.time() - step))
    step = time.time()
    cr.execute(FILL_PIPELINE, params)
    cr.execute("DROP TABLE bench_product")
    cr.commit()
    say("built opportunities and leads in %.1f s" % (time.time() - step))
    step = time.time()
    cr.execute("ANALYZE")
    say("analyzed in %.1f s; the whole build took %.1f s" % (time.time() - step, time.time() - started))


# ---- plain SQL: the pyramid -----------------------------------------------------

# Per invoice line of the company's posted customer invoices and refunds: the
# commercial partner, date, net revenue and cost, with the report's cost rule
# (the linked order line's cost at the order's rate, else the product's cost
# in the company, each product's cost read once).
SQL_LINES = """
cost_field AS (
    SELECT id FROM ir_model_fields WHERE model = 'product.product' AND name = 'standard_price'
),
product_cost AS (
    SELECT pp.id, COALESCE(
        (SELECT prop.value_float FROM ir_property prop
          WHERE prop.fields_id = (SELECT id FROM cost_field)
            AND prop.res_id = 'product.product,' || pp.id
            AND (prop.company_id = %(company)s OR prop.company_id IS NULL)
       ORDER BY prop.company_id NULLS LAST LIMIT 1),
        (SELECT prop.value_float FROM ir_property prop
          WHERE prop.fields_id = (SELECT id FROM cost_field) AND prop.res_id IS NULL
            AND (prop.company_id = %(company)s OR prop.company_id IS NULL)
       ORDER BY prop.company_id NULLS LAST LIMIT 1), 0.0) AS cost,
           COALESCE(pu.factor, 1.0) AS factor
      FROM product_product pp
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
 LEFT JOIN product_uom pu ON pu.id = pt.uom_id
),
link AS (
    SELECT DISTINCT ON (rel.invoice_line_id) rel.invoice_line_id, sol.purchase_price,
           COALESCE(COALESCE((SELECT r.rate FROM res_currency_rate r
                               WHERE r.currency_id = c.currency_id AND r.name <= so.date_order
                                 AND (r.company_id IS NULL OR r.company_id = so.company_id)
                            ORDER BY r.company_id, r.name DESC LIMIT 1), 1.0)
                  / COALESCE((SELECT r.rate FROM res_currency_rate r
                               WHERE r.currency_id = pl.currency_id AND r.name <= so.date_order
                                 AND (r.company_id IS NULL OR r.company_id = so.company_id)
                            ORDER BY r.company_id, r.name DESC LIMIT 1), 1.0), 1.0) AS fx
      FROM sale_order_line_invoice_rel rel
      JOIN sale_order_line sol ON sol.id = rel.order_line_id
      JOIN sale_order so ON so.id = sol.order_id
      JOIN product_pricelist pl ON pl.id = so.pricelist_id
      JOIN res_company c ON c.id = so.company_id
  ORDER BY rel.invoice_line_id, sol.id
),
lines AS (
    SELECT dp.commercial_partner_id AS partner_id, inv.date_invoice AS date, inv.type,
           il.price_subtotal_signed AS revenue,
           CASE WHEN inv.type = 'out_refund' THEN -1 ELSE 1 END * CASE
               WHEN COALESCE(link.purchase_price, 0) != 0
               THEN il.quantity * link.purchase_price * link.fx
               ELSE il.quantity / COALESCE(lu.factor, 1.0) * COALESCE(pc.factor, 1.0)
                    * COALESCE(pc.cost, 0.0)
           END AS cost
      FROM account_invoice_line il
      JOIN account_invoice inv ON inv.id = il.invoice_id
      JOIN res_partner dp ON dp.id = inv.partner_id
 LEFT JOIN link ON link.invoice_line_id = il.id
 LEFT JOIN product_cost pc ON pc.id = il.product_id
 LEFT JOIN product_uom lu ON lu.id = il.uom_id
     WHERE inv.company_id = %(company)s AND inv.state IN ('open', 'paid')
       AND inv.type IN ('out_invoice', 'out_refund') AND inv.date_invoice <= %(as_of)s
)"""

SQL_PYRAMID = """
WITH """ + SQL_LINES + """,
money AS (
    SELECT partner_id,
           COALESCE(SUM(revenue) FILTER (WHERE date > %(start)s), 0) AS revenue,
           COALESCE(SUM(revenue - cost) FILTER (WHERE date > %(start)s), 0) AS margin,
           COALESCE(SUM(revenue) FILTER (WHERE date <= %(start)s), 0) AS before
      FROM lines GROUP BY partner_id
),
order_dates AS (
    SELECT p.commercial_partner_id AS partner_id, so.confirmation_date::date AS day
      FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
     WHERE so.company_id = %(company)s AND so.state IN ('sale', 'done')
       AND so.confirmation_date::date <= %(as_of)s
  GROUP BY 1, 2
),
dates AS (
    SELECT partner_id, day FROM order_dates
    UNION ALL
    SELECT p.commercial_partner_id, inv.date_invoice
      FROM account_invoice inv JOIN res_partner p ON p.id = inv.partner_id
     WHERE inv.company_id = %(company)s AND inv.type = 'out_invoice'
       AND inv.state IN ('open', 'paid') AND inv.date_invoice <= %(as_of)s
       AND p.commercial_partner_id IN (SELECT partner_id FROM money)
       AND p.commercial_partner_id NOT IN (SELECT partner_id FROM order_dates)
  GROUP BY 1, 2
),
per_dates AS (
    SELECT partner_id, MIN(day) AS first_day, MAX(day) AS last_day,
           COUNT(*) FILTER (WHERE day > %(start)s) AS frequency,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS interval
      FROM (SELECT partner_id, day, day - lag(day) OVER (PARTITION BY partner_id ORDER BY day) AS gap
              FROM dates) d
  GROUP BY partner_id
),
pipeline AS (
    SELECT p.commercial_partner_id AS partner_id,
           SUM(l.planned_revenue * COALESCE(score.probability, l.probability) / 100.0) AS weighted
      FROM crm_lead l
      JOIN res_partner p ON p.id = l.partner_id
 LEFT JOIN crm_cn_win_score score ON score.id = l.id
     WHERE l.type = 'opportunity' AND l.active AND l.probability > 0 AND l.probability < 100
       AND (l.company_id = %(company)s OR l.company_id IS NULL)
       AND (p.company_id = %(company)s OR p.company_id IS NULL)
  GROUP BY p.commercial_partner_id
),
suspects AS (
    SELECT cp.id AS partner_id
      FROM res_partner cp
     WHERE cp.id = cp.commercial_partner_id AND cp.is_company AND cp.active
       AND (cp.company_id = %(company)s OR cp.company_id IS NULL)
       AND (cp.cn_competitor_customer
            OR EXISTS (SELECT 1 FROM crm_cn_campaign_response r WHERE r.commercial_partner_id = cp.id)
            OR EXISTS (SELECT 1 FROM crm_lead l JOIN res_partner lp ON lp.id = l.partner_id
                        WHERE lp.commercial_partner_id = cp.id))
),
customer AS (
    SELECT ids.partner_id, COALESCE(m.revenue, 0) AS revenue, COALESCE(m.margin, 0) AS margin,
           round(COALESCE(m.revenue, 0)::numeric, 2) AS rounded,
           COALESCE(pl.weighted, 0) AS weighted,
           COALESCE(m.before > 0, FALSE) OR COALESCE(d.first_day <= %(start)s, FALSE) AS bought_before,
           s.partner_id IS NOT NULL AS suspect, d.last_day, COALESCE(d.frequency, 0) AS frequency,
           d.interval
      FROM (SELECT partner_id FROM money UNION SELECT partner_id FROM order_dates
            UNION SELECT partner_id FROM pipeline UNION SELECT partner_id FROM suspects) ids
 LEFT JOIN money m ON m.partner_id = ids.partner_id
 LEFT JOIN per_dates d ON d.partner_id = ids.partner_id
 LEFT JOIN pipeline pl ON pl.partner_id = ids.partner_id
 LEFT JOIN suspects s ON s.partner_id = ids.partner_id
),
ranked AS (
    SELECT c.*, c.rounded > 0 AS buyer,
           rank() OVER (PARTITION BY c.rounded > 0 ORDER BY c.rounded DESC) - 1 AS place,
           count(*) OVER (PARTITION BY c.rounded > 0) AS buyers
      FROM customer c
),
tiered AS (
    SELECT r.*, CASE
           WHEN r.buyer THEN CASE
                WHEN r.place < GREATEST(1, ceil(r.buyers * %(key)s)) THEN 'key'
                WHEN r.place < GREATEST(1, ceil(r.buyers * %(key)s)) + ceil(r.buyers * %(big)s) THEN 'big'
                WHEN r.place < GREATEST(1, ceil(r.buyers * %(key)s)) + ceil(r.buyers * %(big)s)
                               + ceil(r.buyers * %(medium)s) THEN 'medium'
                ELSE 'small' END
           WHEN r.weighted > %(threshold)s THEN 'prospect'
           WHEN r.bought_before THEN 'lapsed'
           WHEN r.suspect THEN 'suspect' END AS tier,
           r.buyer AND r.last_day IS NOT NULL AS scored,
           %(as_of)s::date - r.last_day AS recency
      FROM ranked r
),
scored AS (
    SELECT t.*,
           count(*) OVER (PARTITION BY t.scored) AS n,
           rank() OVER (PARTITION BY t.scored ORDER BY t.recency DESC) - 1 AS r_below,
           count(*) OVER (PARTITION BY t.scored, t.recency) AS r_equal,
           rank() OVER (PARTITION BY t.scored ORDER BY t.frequency) - 1 AS f_below,
           count(*) OVER (PARTITION BY t.scored, t.frequency) AS f_equal,
           rank() OVER (PARTITION BY t.scored ORDER BY t.rounded) - 1 AS m_below,
           count(*) OVER (PARTITION BY t.scored, t.rounded) AS m_equal
      FROM tiered t WHERE t.tier IS NOT NULL
)
INSERT INTO bench_pyramid_sql (partner_id, tier, revenue, margin, weighted, last_day, recency,
                               frequency, interval, late, revenue_at_risk, r_score, f_score, m_score)
SELECT partner_id, tier, revenue, margin, weighted, last_day, recency, frequency, interval, late,
       CASE WHEN late THEN revenue ELSE 0 END,
       CASE WHEN scored THEN CASE WHEN n = 1 THEN 3
            ELSE LEAST(5, 1 + (5 * (2 * r_below + r_equal - 1)) / (2 * (n - 1))) END END,
       CASE WHEN scored THEN CASE WHEN n = 1 THEN 3
            ELSE LEAST(5, 1 + (5 * (2 * f_below + f_equal - 1)) / (2 * (n - 1))) END END,
       CASE WHEN scored THEN CASE WHEN n = 1 THEN 3
            ELSE LEAST(5, 1 + (5 * (2 * m_below + m_equal - 1)) / (2 * (n - 1))) END END
  FROM (SELECT s.*, COALESCE(s.last_day IS NOT NULL AND s.interval IS NOT NULL
                             AND s.tier IN ('key', 'big', 'medium', 'small', 'lapsed')
                             AND s.recency > %(multiple)s * s.interval, FALSE) AS late
          FROM scored s) x
"""

SQL_PYRAMID_TABLE = """
CREATE TABLE IF NOT EXISTS bench_pyramid_sql (
    partner_id integer PRIMARY KEY, tier varchar, revenue numeric, margin numeric,
    weighted numeric, last_day date, recency integer, frequency integer, interval float,
    late boolean, revenue_at_risk numeric, r_score integer, f_score integer, m_score integer)
"""

# ---- plain SQL: the sales and margin report ---------------------------------------

# Every fact of the report from the base tables: invoice lines (above, all
# companies) and order lines not invoiced yet, with product, brand, category.
SQL_FACTS = """
WITH """ + SQL_LINES.replace("inv.company_id = %(company)s AND ", "").replace(
    "AND inv.date_invoice <= %(as_of)s", "").replace(
    "SELECT dp.commercial_partner_id AS partner_id,",
    "SELECT il.product_id, il.quantity * CASE WHEN inv.type = 'out_refund' THEN -1 ELSE 1 END"
    " / COALESCE(lu.factor, 1.0) * COALESCE(pc.factor, 1.0) AS quantity,"
    " il.price_subtotal_signed * CASE WHEN inv.amount_total_company_signed = 0 THEN 0"
    " ELSE 1 - inv.residual_company_signed / inv.amount_total_company_signed END AS collected,"
    " dp.commercial_partner_id AS partner_id,") + """,
ordered AS (
    SELECT sol.product_id, COALESCE(so.confirmation_date, so.date_order)::date AS date,
           (sol.product_uom_qty - sol.qty_invoiced) / lu.factor * pc.factor AS quantity,
           sol.price_subtotal / sol.product_uom_qty * (sol.product_uom_qty - sol.qty_invoiced)
               * fx.fx AS revenue,
           (sol.product_uom_qty - sol.qty_invoiced) * CASE
               WHEN COALESCE(sol.purchase_price, 0) != 0 THEN sol.purchase_price * fx.fx
               ELSE pc.cost / lu.factor * pc.factor END AS cost,
           0.0 AS collected
      FROM sale_order_line sol
      JOIN sale_order so ON so.id = sol.order_id
      JOIN product_cost pc ON pc.id = sol.product_id
      JOIN product_uom lu ON lu.id = sol.product_uom
      JOIN res_partner dp ON dp.id = so.partner_id
      JOIN product_pricelist pl ON pl.id = so.pricelist_id
      JOIN res_company c ON c.id = so.company_id
     CROSS JOIN LATERAL (SELECT COALESCE(COALESCE((SELECT r.rate FROM res_currency_rate r
                               WHERE r.currency_id = c.currency_id AND r.name <= so.date_order
                                 AND (r.company_id IS NULL OR r.company_id = so.company_id)
                            ORDER BY r.company_id, r.name DESC LIMIT 1), 1.0)
                  / COALESCE((SELECT r.rate FROM res_currency_rate r
                               WHERE r.currency_id = pl.currency_id AND r.name <= so.date_order
                                 AND (r.company_id IS NULL OR r.company_id = so.company_id)
                            ORDER BY r.company_id, r.name DESC LIMIT 1), 1.0), 1.0) AS fx) fx
     WHERE so.state IN ('sale', 'done') AND sol.product_uom_qty > 0
       AND sol.qty_invoiced < sol.product_uom_qty
),
facts AS (
    SELECT product_id, date, quantity, revenue, cost, collected FROM lines
    UNION ALL
    SELECT product_id, date, quantity, revenue, cost, collected FROM ordered
)"""
# Per brand: 2025's figures and 2024's beside them.
SQL_BY_BRAND = SQL_FACTS + """
SELECT pt.cn_brand_id,
       SUM(f.quantity) FILTER (WHERE f.date >= '2025-01-01') AS quantity,
       SUM(f.revenue) FILTER (WHERE f.date >= '2025-01-01') AS revenue,
       SUM(f.cost) FILTER (WHERE f.date >= '2025-01-01') AS cost,
       SUM(f.revenue - f.cost) FILTER (WHERE f.date >= '2025-01-01') AS margin,
       SUM(f.collected) FILTER (WHERE f.date >= '2025-01-01') AS collected,
       SUM(f.quantity) FILTER (WHERE f.date < '2025-01-01') AS quantity_last_year,
       SUM(f.revenue) FILTER (WHERE f.date < '2025-01-01') AS revenue_last_year,
       SUM(f.revenue - f.cost) FILTER (WHERE f.date < '2025-01-01') AS margin_last_year
  FROM facts f
  JOIN product_product pp ON pp.id = f.product_id
  JOIN product_template pt ON pt.id = pp.product_tmpl_id
 WHERE f.date BETWEEN '2024-01-01' AND '2025-12-31'
 GROUP BY pt.cn_brand_id
"""
# Per category and year: that year's figures, and the year before beside them
# (a year's last-year figures are the facts of the year before).
SQL_BY_CATEGORY_YEAR = SQL_FACTS + """,
years AS (
    SELECT pt.categ_id, date_trunc('year', f.date)::date AS year, SUM(f.quantity) AS quantity,
           SUM(f.revenue) AS revenue, SUM(f.cost) AS cost, SUM(f.revenue - f.cost) AS margin,
           SUM(f.collected) AS collected
      FROM facts f
      JOIN product_product pp ON pp.id = f.product_id
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
  GROUP BY 1, 2
)
SELECT COALESCE(y.categ_id, b.categ_id), COALESCE(y.year, (b.year + interval '1 year')::date),
       y.quantity, y.revenue, y.cost, y.margin, y.collected,
       b.quantity, b.revenue, b.margin
  FROM years y
  FULL JOIN years b ON b.categ_id = y.categ_id AND b.year = (y.year - interval '1 year')::date
"""
REPORT_SUMS = ("quantity", "revenue", "cost", "margin", "collected",
               "quantity_last_year", "revenue_last_year", "margin_last_year")


def close(first, second):
    return abs((first or 0.0) - (second or 0.0)) <= 0.01 + 1e-9 * abs(second or 0.0)


def check_pyramid(cr):
    """Customers whose figures differ between our lines and the SQL's; per-tier
    counts and sums of both."""
    cr.execute("""
        SELECT partner_id, tier, revenue, margin, frequency, interval_days, late, r_score, f_score,
               m_score, revenue_at_risk
          FROM crm_cn_pyramid_line WHERE date = %s AND tier IS NOT NULL""", (AS_OF,))
    ours = {row[0]: row[1:] for row in cr.fetchall()}
    cr.execute("""
        SELECT partner_id, tier, revenue, margin, frequency, COALESCE(interval, 0), late, r_score,
               f_score, m_score, revenue_at_risk FROM bench_pyramid_sql""")
    theirs = {row[0]: row[1:] for row in cr.fetchall()}
    differ = []
    for partner_id in set(ours) | set(theirs):
        mine, sql = ours.get(partner_id), theirs.get(partner_id)
        if mine is None or sql is None:
            differ.append((partner_id, mine, sql))
            continue
        same = (mine[0] == sql[0] and close(mine[1], sql[1]) and close(mine[2], sql[2])
                and mine[3] == sql[3] and close(mine[4], sql[4]) and mine[5] == sql[5]
                and tuple(value or 0 for value in mine[6:9]) == tuple(value or 0 for value in sql[6:9])
                and close(mine[9], sql[9]))
        if not same:
            differ.append((partner_id, mine, sql))
    tables = []
    for figures in (ours, theirs):
        table = {}
        for values in figures.values():
            row = table.setdefault(values[0], [0, 0.0, 0.0, 0])
            row[0] += 1
            row[1] += float(values[1] or 0)
            row[2] += float(values[2] or 0)
            row[3] += 1 if values[5] else 0
        tables.append(table)
    return differ, tables


def check_groups(ours, theirs, key):
    """Groups whose report figures differ from the plain SQL's."""
    expected = {row[0]: row[1:] for row in theirs}
    differ = []
    for group in ours:
        value = group[key]
        if key == "brand_id" and isinstance(value, (list, tuple)):
            value = value[0]
        want = expected.pop(value or None, None) or [0.0] * len(REPORT_SUMS)
        if not all(close(group[name], want[index]) for index, name in enumerate(REPORT_SUMS)):
            differ.append((value, [group[name] for name in REPORT_SUMS], want))
        revenue, margin = want[1] or 0.0, want[3] or 0.0
        if not close(group["margin_rate"], 100.0 * margin / revenue if revenue else 0.0):
            differ.append((value, "margin rate", group["margin_rate"]))
    differ.extend((value, "missing", row) for value, row in expected.items() if any(row))
    return differ


def store_costs(env):
    """The invoice lines were inserted in SQL: keep their costs as posting does
    (account.invoice.line.cn_cost; an upgrade does the same once)."""
    cr = env.cr
    cr.execute("""SELECT count(*) FROM account_invoice_line il JOIN account_invoice inv ON inv.id = il.invoice_id
                   WHERE il.cn_cost IS NULL AND inv.state IN ('open', 'paid')
                     AND inv.type IN ('out_invoice', 'out_refund')""")
    missing = cr.fetchone()[0]
    if missing:
        started = time.time()
        env["account.invoice.line"]._cn_fill_costs()
        cr.commit()
        say("kept the cost of %d invoice lines in %.1f s (in production: at posting, or once at "
            "the upgrade)" % (missing, time.time() - started))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the database")
    parser.add_argument("--customers", type=int, default=100000)
    parser.add_argument("--lines", type=int, default=2000000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--build-only", action="store_true", help="build the database, time nothing")
    args = parser.parse_args()
    database = "cncl_bench_pyramid"
    if (args.customers, args.lines) != (100000, 2000000):
        database += "_%dc" % args.customers
    if args.rebuild:
        drop_database(database)
    with environment(database, commit=True) as env:
        cr = env.cr
        cr.execute("SELECT 1 FROM res_partner WHERE name = 'Bench customer 1'")
        if cr.fetchone():
            say("bench data already built")
        else:
            build(env, args.customers, args.lines)
        store_costs(env)
        if args.build_only:
            return
        cr.execute("SELECT count(*) FROM account_invoice_line")
        line_count = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM res_partner WHERE customer AND id = commercial_partner_id"
                   " AND name LIKE 'Bench customer %%'")
        customer_count = cr.fetchone()[0]
        company = env.user.company_id
        Line = env["crm.cn.pyramid.line"]
        rss_before = maxrss_mb()
        cr.execute("SELECT 1 FROM crm_cn_pyramid_line WHERE date = %s LIMIT 1", (LAST_MONTH,))
        if not cr.fetchone():
            started = time.time()
            Line.compute_pyramid(as_of=str(LAST_MONTH), company_ids=company.ids)
            cr.commit()
            say("computed last month's pyramid (%s) in %.1f s" % (LAST_MONTH, time.time() - started))
        cr.execute(SQL_PYRAMID_TABLE)
        cr.commit()
        params = {
            "company": company.id, "as_of": AS_OF,
            "start": AS_OF - relativedelta(months=company.cn_pyramid_window_months),
            "key": company.cn_pyramid_key_share / 100.0, "big": company.cn_pyramid_big_share / 100.0,
            "medium": company.cn_pyramid_medium_share / 100.0,
            "threshold": company.cn_pyramid_prospect_threshold, "multiple": company.cn_late_multiple,
        }

        def ours_pyramid():
            env.cache.invalidate()
            Line.compute_pyramid(as_of=str(AS_OF), company_ids=company.ids)

        def sql_pyramid():
            cr.execute("DELETE FROM bench_pyramid_sql")
            cr.execute(SQL_PYRAMID, params)

        cr.execute("SELECT 1 FROM crm_cn_pyramid_line WHERE date = %s LIMIT 1", (AS_OF,))
        if not cr.fetchone():  # so that every timed run replaces the month's lines
            ours_pyramid()
            sql_pyramid()
            cr.commit()
        timings = {"ours": [], "sql": []}
        for _run in range(args.runs):
            for name, function in (("ours", ours_pyramid), ("sql", sql_pyramid)):
                started = time.time()
                function()
                timings[name].append(time.time() - started)
                cr.commit()
        rss_after = maxrss_mb()
        say("pyramid runs: ours %s s, SQL %s s" % (
            ", ".join("%.2f" % value for value in timings["ours"]),
            ", ".join("%.2f" % value for value in timings["sql"])))
        say("memory: peak RSS %.0f MB after the pyramid (%.0f MB before it)" % (rss_after, rss_before))
        differ, (mine, theirs) = check_pyramid(cr)
        say("%-8s %9s %16s %16s %7s | SQL: %9s %16s %16s %7s" % (
            "tier", "customers", "revenue", "margin", "late", "customers", "revenue", "margin", "late"))
        for tier in TIER_ORDER:
            row, sql_row = mine.get(tier, [0, 0, 0, 0]), theirs.get(tier, [0, 0, 0, 0])
            say("%-8s %9d %16.2f %16.2f %7d | SQL: %9d %16.2f %16.2f %7d" % (
                (tier,) + tuple(row) + tuple(sql_row)))
        cr.execute("SELECT movement, count(*) FROM crm_cn_pyramid_line WHERE date = %s"
                   " AND movement IS NOT NULL GROUP BY movement ORDER BY movement", (AS_OF,))
        say("movement since %s: %s" % (LAST_MONTH, ", ".join("%s %d" % row for row in cr.fetchall())))
        assert not differ, "pyramid figures differ for %d customers: %s" % (len(differ), differ[:3])
        say("pyramid: every customer's tier, revenue, margin, frequency, interval, late flag "
            "and RFM equal to the SQL's")

        Report = env["crm.cn.sales.margin.report"]
        domain = [("date", ">=", "2025-01-01"), ("date", "<=", "2025-12-31")]
        pivot_fields = ["categ_id", "date"] + list(REPORT_SUMS) + ["margin_rate"]

        def ours_report():
            env.cache.invalidate()
            by_brand = Report.summary(domain, "brand_id")
            by_year = Report.read_group([], pivot_fields, ["categ_id", "date:year"], lazy=False)
            return by_brand, by_year

        def sql_report():
            cr.execute(SQL_BY_BRAND, params)
            by_brand = cr.fetchall()
            cr.execute(SQL_BY_CATEGORY_YEAR, params)
            return by_brand, cr.fetchall()

        by_brand, by_year = ours_report()
        sql_brand, sql_year = sql_report()
        differ = check_groups(by_brand, sql_brand, "brand_id")
        for group in by_year:
            group["categ_year"] = (group["categ_id"] and group["categ_id"][0], group["date:year"])
        differ += check_groups(by_year, [((row[0], str(row[1])[:4]),) + tuple(row[2:])
                                         for row in sql_year], "categ_year")
        say("sales and margin: %d brands (2025 revenue %.2f, 2024 %.2f), %d category-years" % (
            len(by_brand), sum(group["revenue"] for group in by_brand),
            sum(group["revenue_last_year"] for group in by_brand), len(by_year)))
        assert not differ, "report figures differ: %s" % differ[:3]
        report_ours = best_of(args.runs, ours_report)
        report_sql = best_of(args.runs, sql_report)
        cr.execute("SELECT count(*) FROM crm_cn_pyramid_line WHERE date = %s", (AS_OF,))
        pyramid_lines = cr.fetchone()[0]
    load = os.getloadavg()
    say("load average %.2f %.2f %.2f; %d customers, %d invoice lines, %d pyramid lines" % (
        load + (customer_count, line_count, pyramid_lines)))
    report("sales and margin report (by brand with last year + category by year, %s invoice lines)"
           % _size(line_count), report_ours, report_sql)
    report("pyramid (%s customers, %s invoice lines)" % ("{:,}".format(customer_count), _size(line_count)),
           min(timings["ours"]), min(timings["sql"]))


def _size(count):
    return "%gM" % round(count / 1e6, 2) if count >= 1000000 else "{:,}".format(count)


if __name__ == "__main__":
    main()
