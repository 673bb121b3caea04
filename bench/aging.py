#!/usr/bin/env python
"""Receivables bench: aging of every customer and the pipeline-risk report,
against plain SQL computing the same figures.

Builds its own database (cncl_bench_aging: the addon installed without demo,
then 100,000 customers, 1,000,000 receivable move lines, their payments and
matchings, 200,000 opportunities and 50,000 confirmed orders inserted in SQL),
then times:
  - aging: res.partner._cn_credit_figures() on all customers (balance, buckets,
    oldest overdue, last payment, DSO, days to pay, orders, headroom) vs the
    same figures from plain SQL queries;
  - pipeline risk: what the accountant's screen asks (pivot by salesperson and
    worst bucket, first list page of 80) through the ORM vs plain SQL on the
    base tables.
The last line is `<what>: <ours> s vs SQL <baseline> s = ratio <r>x`.

    .venv/bin/python bench/aging.py [--rebuild] [--customers N] [--lines N]
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import best_of, database_exists, drop_database, environment, report, say  # noqa: E402

DB = "cncl_bench_aging"
log = say


def fill(env, customers, lines):
    """Insert the big world in SQL: the ORM would take hours for a million lines."""
    cr = env.cr
    started = time.time()
    company = env.user.company_id
    receivable = env["account.account"].search([("internal_type", "=", "receivable")], limit=1)
    income = env["account.account"].search([("internal_type", "=", "other")], limit=1)
    sale_journal = env["account.journal"].search([("type", "=", "sale")], limit=1)
    bank_journal = env["account.journal"].search([("type", "=", "bank")], limit=1)
    users = env["res.users"]
    for index in range(20):
        users |= env["res.users"].with_context(no_reset_password=True).create({
            "name": "Bench Sales %d" % index, "login": "bench_sales_%d" % index,
            "groups_id": [(6, 0, [env.ref("crm_cn_lifecycle.group_user").id])]})
    user_ids = users.ids
    product = env["product.product"].create({"name": "Bench product", "type": "service",
                                             "invoice_policy": "order"})
    for customer_class, limit in (("direct", 50000.0), ("dealer", 200000.0), ("retail", 0.0)):
        env["crm.cn.credit.policy"].create({"customer_class": customer_class, "credit_limit": limit})
    classes = "ARRAY['direct','dealer','retail','agent','oem']"
    params = {
        "customers": customers, "company": company.id, "users": user_ids,
        "receivable": receivable.id, "income": income.id, "sale_journal": sale_journal.id,
        "bank_journal": bank_journal.id, "currency": company.currency_id.id,
        "invoices": lines * 4 // 5, "payments": lines // 5, "product": product.id,
        "uom": product.uom_id.id, "pricelist": env.ref("product.list0").id,
        "warehouse": env["stock.warehouse"].search([], limit=1).id,
    }
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM res_partner")
    params["partner0"] = cr.fetchone()[0]
    cr.execute("""
        INSERT INTO res_partner (id, name, display_name, active, customer, is_company, type,
                                 company_id, cn_customer_class, user_id,
                                 picking_warn, invoice_warn, sale_warn, create_date, write_date)
        SELECT %(partner0)s + i, 'Bench customer ' || i, 'Bench customer ' || i, TRUE, TRUE, TRUE,
               'contact', %(company)s, (""" + classes + """)[1 + i %% 5],
               (%(users)s::int[])[1 + i %% 20], 'no-message', 'no-message', 'no-message',
               NOW(), NOW()
          FROM generate_series(1, %(customers)s) i;
        UPDATE res_partner SET commercial_partner_id = id WHERE id > %(partner0)s;
        -- every 7th customer has a credit limit of its own (a company-dependent property)
        INSERT INTO ir_property (name, res_id, company_id, fields_id, value_float, type)
        SELECT 'cn_credit_limit', 'res.partner,' || (%(partner0)s + i), %(company)s,
               (SELECT id FROM ir_model_fields WHERE model = 'res.partner' AND name = 'cn_credit_limit'),
               30000, 'float'
          FROM generate_series(7, %(customers)s, 7) i;
        SELECT setval('res_partner_id_seq', %(partner0)s + %(customers)s);
    """, params)
    # One move per line. Invoice line k: customer 1 + k % customers, dated in the
    # last 400 days, due 30 days later; 60% paid, 15% half paid, 25% open.
    # Payment line j pays invoice line 4j (same customer), 3 to 60 days later.
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM account_move")
    params["move0"] = cr.fetchone()[0]
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM account_move_line")
    params["line0"] = cr.fetchone()[0]
    cr.execute("""
        INSERT INTO account_move (id, name, journal_id, date, state, company_id, currency_id,
                                  partner_id, amount, create_date, write_date)
        SELECT %(move0)s + k + 1, 'BINV/' || k, %(sale_journal)s, CURRENT_DATE - (k %% 400),
               'posted', %(company)s, %(currency)s, %(partner0)s + 1 + k %% %(customers)s,
               100 + k %% 900, NOW(), NOW()
          FROM generate_series(0, %(invoices)s - 1) k;
        INSERT INTO account_move_line (id, move_id, name, account_id, journal_id, partner_id,
                                       company_id, company_currency_id, date, date_maturity,
                                       debit, credit, balance, amount_residual, reconciled,
                                       user_type_id, create_date, write_date)
        SELECT %(line0)s + k + 1, %(move0)s + k + 1, 'Bench invoice', %(receivable)s,
               %(sale_journal)s, %(partner0)s + 1 + k %% %(customers)s, %(company)s, %(currency)s,
               CURRENT_DATE - (k %% 400), CURRENT_DATE - (k %% 400) + 30,
               100 + k %% 900, 0, 100 + k %% 900,
               CASE WHEN k %% 20 < 12 THEN 0 WHEN k %% 20 < 15 THEN (100 + k %% 900) / 2.0
                    ELSE 100 + k %% 900 END,
               k %% 20 < 12, (SELECT user_type_id FROM account_account WHERE id = %(receivable)s),
               NOW(), NOW()
          FROM generate_series(0, %(invoices)s - 1) k;
        INSERT INTO account_move (id, name, journal_id, date, state, company_id, currency_id,
                                  partner_id, amount, create_date, write_date)
        SELECT %(move0)s + %(invoices)s + j + 1, 'BPAY/' || j, %(bank_journal)s,
               LEAST(CURRENT_DATE, CURRENT_DATE - ((4 * j) %% 400) + 3 + j %% 58), 'posted',
               %(company)s, %(currency)s, %(partner0)s + 1 + (4 * j) %% %(customers)s,
               100 + (4 * j) %% 900, NOW(), NOW()
          FROM generate_series(0, %(payments)s - 1) j;
        INSERT INTO account_move_line (id, move_id, name, account_id, journal_id, partner_id,
                                       company_id, company_currency_id, date, date_maturity,
                                       debit, credit, balance, amount_residual, reconciled,
                                       user_type_id, create_date, write_date)
        SELECT %(line0)s + %(invoices)s + j + 1, %(move0)s + %(invoices)s + j + 1,
               'Bench payment', %(receivable)s, %(bank_journal)s,
               %(partner0)s + 1 + (4 * j) %% %(customers)s, %(company)s, %(currency)s,
               LEAST(CURRENT_DATE, CURRENT_DATE - ((4 * j) %% 400) + 3 + j %% 58),
               LEAST(CURRENT_DATE, CURRENT_DATE - ((4 * j) %% 400) + 3 + j %% 58),
               0, 100 + (4 * j) %% 900, -(100 + (4 * j) %% 900), 0, TRUE,
               (SELECT user_type_id FROM account_account WHERE id = %(receivable)s), NOW(), NOW()
          FROM generate_series(0, %(payments)s - 1) j;
        INSERT INTO account_partial_reconcile (debit_move_id, credit_move_id, amount, company_id,
                                               max_date, create_date, write_date)
        SELECT %(line0)s + 4 * j + 1, %(line0)s + %(invoices)s + j + 1, 100 + (4 * j) %% 900,
               %(company)s, LEAST(CURRENT_DATE, CURRENT_DATE - ((4 * j) %% 400) + 3 + j %% 58),
               NOW(), NOW()
          FROM generate_series(0, %(payments)s - 1) j;
        SELECT setval('account_move_id_seq', %(move0)s + %(invoices)s + %(payments)s);
        SELECT setval('account_move_line_id_seq', %(line0)s + %(invoices)s + %(payments)s);
    """, params)
    cr.execute("""
        INSERT INTO crm_lead (name, type, active, partner_id, user_id, planned_revenue, probability,
                              company_id, create_date, write_date)
        SELECT 'Bench deal ' || i, 'opportunity', TRUE, %(partner0)s + 1 + i %% %(customers)s,
               (%(users)s::int[])[1 + i %% 20], 1000 + i %% 50000, 10 + i %% 80, %(company)s,
               NOW(), NOW()
          FROM generate_series(0, 2 * %(customers)s - 1) i;
        INSERT INTO sale_order (name, partner_id, partner_invoice_id, partner_shipping_id,
                                pricelist_id, date_order, state, company_id, warehouse_id,
                                picking_policy, user_id, create_date, write_date)
        SELECT 'BSO/' || i, %(partner0)s + 1 + (3 * i) %% %(customers)s,
               %(partner0)s + 1 + (3 * i) %% %(customers)s, %(partner0)s + 1 + (3 * i) %% %(customers)s,
               %(pricelist)s, NOW(), 'sale', %(company)s, %(warehouse)s, 'direct',
               (%(users)s::int[])[1 + i %% 20], NOW(), NOW()
          FROM generate_series(0, %(customers)s / 2 - 1) i;
        INSERT INTO sale_order_line (order_id, name, product_id, product_uom, product_uom_qty,
                                     qty_invoiced, price_unit, price_total, customer_lead,
                                     create_date, write_date)
        SELECT so.id, 'Bench line', %(product)s, %(uom)s, 10, so.id %% 5, 50, 500, 0, NOW(), NOW()
          FROM sale_order so WHERE so.name LIKE 'BSO/%%';
    """, params)
    cr.commit()
    cr.execute("ANALYZE")
    log("inserted %d customers, %d move lines, %d opportunities, %d orders in %.0f s" % (
        customers, lines, 2 * customers, customers // 2, time.time() - started))


# ---- plain SQL baselines: the same figures, written by hand, no ORM ----------

BASELINE_AGING = """
SELECT p.commercial_partner_id, SUM(l.amount_residual),
       SUM(CASE WHEN l.amount_residual > 0 AND CURRENT_DATE - l.date_maturity BETWEEN 1 AND 30 THEN l.amount_residual ELSE 0 END),
       SUM(CASE WHEN l.amount_residual > 0 AND CURRENT_DATE - l.date_maturity BETWEEN 31 AND 60 THEN l.amount_residual ELSE 0 END),
       SUM(CASE WHEN l.amount_residual > 0 AND CURRENT_DATE - l.date_maturity BETWEEN 61 AND 90 THEN l.amount_residual ELSE 0 END),
       SUM(CASE WHEN l.amount_residual > 0 AND CURRENT_DATE - l.date_maturity > 90 THEN l.amount_residual ELSE 0 END),
       MIN(CASE WHEN l.amount_residual > 0 AND l.date_maturity < CURRENT_DATE THEN l.date_maturity END)
  FROM account_move_line l
  JOIN account_account a ON a.id = l.account_id AND a.internal_type = 'receivable'
  JOIN account_move m ON m.id = l.move_id AND m.state = 'posted'
  JOIN res_partner p ON p.id = l.partner_id
 WHERE l.amount_residual != 0
 GROUP BY p.commercial_partner_id
"""
BASELINE_SALES = """
SELECT p.commercial_partner_id, SUM(l.balance)
  FROM account_move_line l
  JOIN account_account a ON a.id = l.account_id AND a.internal_type = 'receivable'
  JOIN account_move m ON m.id = l.move_id AND m.state = 'posted'
  JOIN account_journal j ON j.id = l.journal_id AND j.type = 'sale'
  JOIN res_partner p ON p.id = l.partner_id
 WHERE l.date > CURRENT_DATE - 90 AND l.date <= CURRENT_DATE
 GROUP BY p.commercial_partner_id
"""
BASELINE_LAST_PAYMENT = """
SELECT DISTINCT ON (partner_id) partner_id, date, amount FROM (
    SELECT p.commercial_partner_id AS partner_id, l.date, -SUM(l.balance) AS amount
      FROM account_move_line l
      JOIN account_account a ON a.id = l.account_id AND a.internal_type = 'receivable'
      JOIN account_move m ON m.id = l.move_id AND m.state = 'posted'
      JOIN account_journal j ON j.id = l.journal_id AND j.type IN ('bank', 'cash')
      JOIN res_partner p ON p.id = l.partner_id
     WHERE l.date <= CURRENT_DATE
     GROUP BY p.commercial_partner_id, l.date) days
 WHERE amount > 0 ORDER BY partner_id, date DESC
"""
BASELINE_DAYS_TO_PAY = """
SELECT p.commercial_partner_id, SUM(r.amount * GREATEST(c.date - d.date, 0)) / SUM(r.amount)
  FROM account_partial_reconcile r
  JOIN account_move_line d ON d.id = r.debit_move_id
  JOIN account_move_line c ON c.id = r.credit_move_id
  JOIN account_account a ON a.id = d.account_id AND a.internal_type = 'receivable'
  JOIN account_move m ON m.id = d.move_id AND m.state = 'posted'
  JOIN account_journal dj ON dj.id = d.journal_id AND dj.type = 'sale'
  JOIN account_journal cj ON cj.id = c.journal_id AND cj.type IN ('bank', 'cash')
  JOIN res_partner p ON p.id = d.partner_id
 WHERE c.date > CURRENT_DATE - 365 AND c.date <= CURRENT_DATE
 GROUP BY p.commercial_partner_id
"""
BASELINE_ORDERS = """
SELECT p.commercial_partner_id,
       SUM(l.price_total * (l.product_uom_qty - l.qty_invoiced) / l.product_uom_qty)
  FROM sale_order_line l
  JOIN sale_order o ON o.id = l.order_id AND o.state IN ('sale', 'done')
  JOIN res_partner p ON p.id = o.partner_id
 WHERE l.product_uom_qty > 0 AND l.qty_invoiced < l.product_uom_qty
 GROUP BY p.commercial_partner_id
"""
BASELINE_LIMITS = """
SELECT p.id, COALESCE(NULLIF(own.value_float, 0), pol.credit_limit, 0)
  FROM res_partner p
  LEFT JOIN ir_property own ON own.res_id = 'res.partner,' || p.id AND own.company_id = p.company_id
        AND own.fields_id = (SELECT id FROM ir_model_fields
                              WHERE model = 'res.partner' AND name = 'cn_credit_limit')
  LEFT JOIN crm_cn_credit_policy pol ON pol.customer_class = p.cn_customer_class
 WHERE p.id = p.commercial_partner_id AND p.customer
"""
# The accountant's screen: pipeline and overdue by salesperson and worst
# bucket, and the 80 customers owing the most.
BASELINE_RISK = """
WITH rec AS (
    SELECT p.commercial_partner_id AS partner_id, SUM(l.amount_residual) AS balance,
           SUM(CASE WHEN l.amount_residual > 0 AND CURRENT_DATE - l.date_maturity BETWEEN 1 AND 30 THEN l.amount_residual ELSE 0 END) AS b1,
           SUM(CASE WHEN l.amount_residual > 0 AND CURRENT_DATE - l.date_maturity BETWEEN 31 AND 60 THEN l.amount_residual ELSE 0 END) AS b2,
           SUM(CASE WHEN l.amount_residual > 0 AND CURRENT_DATE - l.date_maturity BETWEEN 61 AND 90 THEN l.amount_residual ELSE 0 END) AS b3,
           SUM(CASE WHEN l.amount_residual > 0 AND CURRENT_DATE - l.date_maturity > 90 THEN l.amount_residual ELSE 0 END) AS b4
      FROM account_move_line l
      JOIN account_account a ON a.id = l.account_id AND a.internal_type = 'receivable'
      JOIN account_move m ON m.id = l.move_id AND m.state = 'posted'
      JOIN res_partner p ON p.id = l.partner_id
     WHERE l.amount_residual != 0
     GROUP BY p.commercial_partner_id
), pipe AS (
    SELECT p.commercial_partner_id AS partner_id, SUM(o.planned_revenue * o.probability / 100) AS weighted
      FROM crm_lead o JOIN res_partner p ON p.id = o.partner_id
     WHERE o.type = 'opportunity' AND o.active AND o.probability < 100
     GROUP BY p.commercial_partner_id
), orders AS (
    SELECT p.commercial_partner_id AS partner_id,
           SUM(l.price_total * (l.product_uom_qty - l.qty_invoiced) / l.product_uom_qty) AS amount
      FROM sale_order_line l
      JOIN sale_order o ON o.id = l.order_id AND o.state IN ('sale', 'done')
      JOIN res_partner p ON p.id = o.partner_id
     WHERE l.product_uom_qty > 0 AND l.qty_invoiced < l.product_uom_qty
     GROUP BY p.commercial_partner_id
), risk AS (
    SELECT p.id AS partner_id, p.name, p.user_id, pipe.weighted,
           COALESCE(rec.b1, 0) + COALESCE(rec.b2, 0) + COALESCE(rec.b3, 0) + COALESCE(rec.b4, 0) AS overdue,
           CASE WHEN rec.b4 > 0 THEN 'over_90' WHEN rec.b3 > 0 THEN '61_90'
                WHEN rec.b2 > 0 THEN '31_60' WHEN rec.b1 > 0 THEN '1_30' END AS bucket,
           COALESCE(NULLIF(own.value_float, 0), pol.credit_limit, 0)
               - COALESCE(rec.balance, 0) - COALESCE(orders.amount, 0) AS headroom
      FROM (SELECT partner_id FROM rec UNION SELECT partner_id FROM pipe
            UNION SELECT partner_id FROM orders) ids
      JOIN res_partner p ON p.id = ids.partner_id
      LEFT JOIN rec ON rec.partner_id = p.id
      LEFT JOIN pipe ON pipe.partner_id = p.id
      LEFT JOIN orders ON orders.partner_id = p.id
    LEFT JOIN ir_property own ON own.res_id = 'res.partner,' || p.id AND own.company_id = p.company_id
        AND own.fields_id = (SELECT id FROM ir_model_fields
                              WHERE model = 'res.partner' AND name = 'cn_credit_limit')
      LEFT JOIN crm_cn_credit_policy pol ON pol.customer_class = p.cn_customer_class
)
SELECT user_id, bucket, COUNT(*), SUM(weighted), SUM(overdue)
  FROM risk
 GROUP BY user_id, bucket
"""
BASELINE_RISK_PAGE = BASELINE_RISK.rsplit("SELECT user_id", 1)[0] + """
SELECT partner_id, name, user_id, weighted, overdue, bucket, headroom
  FROM risk
 ORDER BY overdue DESC, weighted DESC NULLS LAST LIMIT 80
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the database")
    parser.add_argument("--customers", type=int, default=100000)
    parser.add_argument("--lines", type=int, default=1000000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    if args.rebuild:
        drop_database(DB)
    built = database_exists(DB)
    with environment(DB, commit=True) as env:
        cr = env.cr
        if not built:
            fill(env, args.customers, args.lines)
        cr.execute("SELECT count(*) FROM account_move_line")
        line_count = cr.fetchone()[0]
        customers = env["res.partner"].search([("customer", "=", True), ("parent_id", "=", False)])
        accountant = env["res.users"].with_context(no_reset_password=True).search(
            [("login", "=", "bench_accountant")]) or env["res.users"].with_context(
            no_reset_password=True).create({
                "name": "Bench accountant", "login": "bench_accountant",
                "groups_id": [(6, 0, [env.ref("crm_cn_lifecycle.group_accountant").id])]})
        cr.commit()

        def ours_aging():
            env.cache.invalidate()
            partners = env["res.partner"].browse(customers.ids)
            figures = partners._cn_credit_figures()
            assert len(figures) == len(customers)

        def sql_aging():
            result = {}
            for query in (BASELINE_AGING, BASELINE_SALES, BASELINE_LAST_PAYMENT,
                          BASELINE_DAYS_TO_PAY, BASELINE_ORDERS, BASELINE_LIMITS):
                cr.execute(query)
                for row in cr.fetchall():
                    result.setdefault(row[0], []).append(row[1:])
            assert result

        risk_report = env["crm.cn.pipeline.risk.report"].sudo(accountant)

        def ours_risk():
            env.cache.invalidate()
            risk_report.read_group([], ["user_id", "worst_bucket", "weighted_pipeline", "overdue_amount"],
                              ["user_id", "worst_bucket"], lazy=False)
            page = risk_report.search_read([], ["partner_id", "user_id", "weighted_pipeline",
                                           "overdue_amount", "worst_bucket", "credit_headroom"],
                                      limit=80)
            assert len(page) == 80

        def sql_risk():
            cr.execute(BASELINE_RISK)
            assert cr.fetchall()
            cr.execute(BASELINE_RISK_PAGE)
            assert len(cr.fetchall()) == 80

        ours_aging()  # warm up caches on both sides
        sql_aging()
        aging_ours, aging_sql = best_of(args.runs, ours_aging), best_of(args.runs, sql_aging)
        log("aging of %d customers: %.2f s vs SQL %.2f s = ratio %.2fx" % (
            len(customers), aging_ours, aging_sql, aging_ours / aging_sql))
        ours_risk()
        sql_risk()
        risk_ours, risk_sql = best_of(args.runs, ours_risk), best_of(args.runs, sql_risk)
        log("pipeline risk report (pivot + first page of 80): %.2f s vs SQL %.2f s = ratio %.2fx" % (
            risk_ours, risk_sql, risk_ours / risk_sql))
        total_ours, total_sql = aging_ours + risk_ours, aging_sql + risk_sql
        report("aging + pipeline risk, %d customers, %d move lines" % (len(customers), line_count),
               total_ours, total_sql)


if __name__ == "__main__":
    main()
