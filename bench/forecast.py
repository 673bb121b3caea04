"""The 13-week forecast on 1M opportunities, 200k orders with their
deliveries, invoices and payments, against plain SQL computing the same
weekly figures. Goal: ratio <= 1.5x. Database: cncl_bench_forecast (built
once, about 5 minutes; reused after)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import best_of, environment, report, say  # noqa: E402
from campaign_roi import BUILD, FX, LEADS, ORDERS, build  # noqa: E402

EXTRA = [
    ("opportunity dates", """
        UPDATE crm_lead SET type = 'opportunity', probability = 10 + id %% 80,
               date_deadline = current_date + (id %% 200) - 100, team_id = 1
         WHERE name LIKE 'Bench lead %%';
        UPDATE sale_order SET team_id = 1 WHERE name LIKE 'BENCH%%';
    """),
    ("deliveries", """
        INSERT INTO stock_move (name, product_id, product_uom, product_uom_qty, product_qty,
                                location_id, location_dest_id, state, date, date_expected,
                                company_id, sale_line_id, procure_method)
        SELECT 'Bench delivery', l.product_id, l.product_uom, l.product_uom_qty, l.product_uom_qty,
               (SELECT id FROM stock_location WHERE usage = 'internal' ORDER BY id LIMIT 1),
               (SELECT id FROM stock_location WHERE usage = 'customer' ORDER BY id LIMIT 1),
               'done', o.confirmation_date + interval '3 days', o.confirmation_date, 1, l.id,
               'make_to_stock'
          FROM sale_order_line l JOIN sale_order o ON o.id = l.order_id
         WHERE o.name LIKE 'BENCH%%';
        UPDATE sale_order_line SET price_reduce = price_unit WHERE name = 'Bench line';
    """),
    ("payments", """
        INSERT INTO account_payment (name, payment_type, partner_type, partner_id, amount,
                                     payment_date, journal_id, payment_method_id, currency_id,
                                     state, company_id)
        SELECT 'BPAY' || i.id, 'inbound', 'customer', i.partner_id,
               i.amount_total_company_signed - i.residual_company_signed, i.date_invoice + 20,
               (SELECT min(id) FROM account_journal WHERE type = 'bank'),
               (SELECT min(id) FROM account_payment_method WHERE payment_type = 'inbound'),
               i.currency_id, 'posted', 1
          FROM account_invoice i
         WHERE i.number LIKE 'BINV%%' AND i.amount_total_company_signed > i.residual_company_signed;
        INSERT INTO account_move (name, journal_id, date, state, company_id, ref)
        SELECT p.name, p.journal_id, p.payment_date, 'posted', 1, p.name
          FROM account_payment p WHERE p.name LIKE 'BPAY%%';
        INSERT INTO account_move_line (name, move_id, account_id, debit, credit, balance, date,
                                       payment_id, company_id, journal_id, partner_id, date_maturity)
        SELECT p.name, m.id,
               (SELECT min(id) FROM account_account WHERE internal_type = 'liquidity'),
               p.amount, 0, p.amount, p.payment_date, p.id, 1, p.journal_id, p.partner_id, p.payment_date
          FROM account_payment p JOIN account_move m ON m.ref = p.name
         WHERE p.name LIKE 'BPAY%%';
        ANALYZE;
    """),
]

BASELINE = """
WITH facts AS (
    SELECT COALESCE(l.date_deadline, CURRENT_DATE) AS day,
           l.planned_revenue * l.probability / 100.0 AS expected, 0.0 AS booked, 0.0 AS shipped_qty,
           0.0 AS shipped, 0.0 AS invoiced, 0.0 AS cash
      FROM crm_lead l LEFT JOIN crm_stage s ON s.id = l.stage_id
     WHERE l.active AND l.type = 'opportunity' AND COALESCE(s.probability, 0) < 100
       AND COALESCE(l.date_deadline, CURRENT_DATE) BETWEEN %(start)s AND %(stop)s
    UNION ALL
    SELECT so.confirmation_date::date, 0, sol.price_subtotal * %(fx)s, 0, 0, 0, 0
      FROM sale_order_line sol JOIN sale_order so ON so.id = sol.order_id
      JOIN product_pricelist pl ON pl.id = so.pricelist_id JOIN res_company c ON c.id = so.company_id
     WHERE so.state IN ('sale', 'done') AND so.confirmation_date::date BETWEEN %(start)s AND %(stop)s
    UNION ALL
    SELECT m.date::date, 0, 0, m.product_qty, m.product_uom_qty * sol.price_reduce * %(fx)s, 0, 0
      FROM stock_move m JOIN stock_location d ON d.id = m.location_dest_id AND d.usage = 'customer'
      JOIN sale_order_line sol ON sol.id = m.sale_line_id JOIN sale_order so ON so.id = sol.order_id
      JOIN product_pricelist pl ON pl.id = so.pricelist_id JOIN res_company c ON c.id = so.company_id
     WHERE m.state = 'done' AND m.date::date BETWEEN %(start)s AND %(stop)s
    UNION ALL
    SELECT i.date_invoice, 0, 0, 0, 0, il.price_subtotal_signed, 0
      FROM account_invoice_line il JOIN account_invoice i ON i.id = il.invoice_id
     WHERE i.type IN ('out_invoice', 'out_refund') AND i.state IN ('open', 'paid')
       AND i.date_invoice BETWEEN %(start)s AND %(stop)s
    UNION ALL
    SELECT aml.date, 0, 0, 0, 0, 0, aml.debit - aml.credit
      FROM account_move_line aml
      JOIN account_payment p ON p.id = aml.payment_id
      JOIN account_account a ON a.id = aml.account_id AND a.internal_type = 'liquidity'
     WHERE p.partner_type = 'customer' AND p.state IN ('posted', 'reconciled')
       AND aml.date BETWEEN %(start)s AND %(stop)s
)
SELECT day - (EXTRACT(ISODOW FROM day)::integer - 1) AS week, SUM(expected), SUM(booked),
       SUM(shipped_qty), SUM(shipped), SUM(invoiced), SUM(cash)
  FROM facts GROUP BY 1 ORDER BY 1
""".replace("%(fx)s", FX)


def main():
    with environment("cncl_bench_forecast", commit=True) as env:
        build(env, BUILD + EXTRA)
        Report = env["crm.cn.forecast.report"]
        weeks = Report.quarter_weeks()
        params = {"start": str(weeks[0].start), "stop": str(weeks[-1].end)}
        table = Report.quarter_table()
        env.cr.execute(BASELINE, params)
        baseline = env.cr.fetchall()
        booked, expected = sum(row["booked"] for row in table), sum(row[2] for row in baseline)
        say("13 weeks from %s: orders booked %.0f (SQL %.0f)" % (weeks[0].start, booked, expected))
        assert abs(booked - expected) < 0.01 * max(expected, 1), "figures differ"
        ours = best_of(3, Report.quarter_table)
        sql = best_of(3, lambda: env.cr.execute(BASELINE, params) or env.cr.fetchall())
    report("13-week forecast, %d opportunities, %d orders" % (LEADS, ORDERS), ours, sql)


if __name__ == "__main__":
    main()
