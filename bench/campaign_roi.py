"""Campaign ROI report on 1M leads, 200k orders with lines, invoices and
payments over 50 campaigns, against one plain-SQL GROUP BY per source
computing the same figures. Goal: ratio <= 1.5x. Database: cncl_bench_roi
(built once, about 5 minutes; reused after)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import best_of, environment, report, say, timer  # noqa: E402

LEADS = int(os.environ.get("BENCH_LEADS", 1000000))
ORDERS = int(os.environ.get("BENCH_ORDERS", 200000))
PARTNERS = ORDERS // 2
CAMPAIGNS = 50

BUILD = [
    ("campaigns and costs", """
        INSERT INTO utm_campaign (name, cn_type, cn_state, create_date, write_date)
        SELECT 'Bench campaign ' || g,
               (ARRAY['trade_show','seminar','exhibition','mailing','advertising','telemarketing','web'])[1 + g %% 7],
               'done', now(), now()
          FROM generate_series(1, %(campaigns)s) g;
        INSERT INTO crm_cn_campaign_cost (campaign_id, date, name, amount)
        SELECT c.id, current_date - (k * 20), 'Cost ' || k, 20000 + k * 1000
          FROM utm_campaign c, generate_series(1, 5) k WHERE c.name LIKE 'Bench campaign %%';
    """),
    ("customers", """
        INSERT INTO res_partner (name, is_company, customer, active, type, invoice_warn,
                                 picking_warn, sale_warn, state_id, city, create_date, write_date)
        SELECT 'Bench customer ' || g, true, true, true, 'contact', 'no-message', 'no-message',
               'no-message', (SELECT id FROM res_country_state WHERE country_id =
                   (SELECT id FROM res_country WHERE code = 'CN') ORDER BY id LIMIT 1 OFFSET g %% 30),
               'City ' || (g %% 200), now(), now()
          FROM generate_series(1, %(partners)s) g;
        UPDATE res_partner SET commercial_partner_id = id WHERE name LIKE 'Bench customer %%';
    """),
    ("campaign responses", """
        INSERT INTO crm_cn_campaign_response (campaign_id, date, partner_id, matched_partner_id,
                                              commercial_partner_id, match)
        SELECT c.id, current_date - (g %% 365), p.id, p.id, p.id, 'partner'
          FROM generate_series(1, %(partners)s) g
          JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM utm_campaign
                 WHERE name LIKE 'Bench campaign %%') c ON c.n = 1 + g %% %(campaigns)s
          JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM res_partner
                 WHERE name LIKE 'Bench customer %%') p ON p.n = g;
    """),
    ("leads and opportunities", """
        INSERT INTO crm_lead (name, type, active, campaign_id, partner_id, stage_id, probability,
                              user_id, state_id, city, planned_revenue, create_date, write_date)
        SELECT 'Bench lead ' || g, CASE WHEN g %% 3 = 0 THEN 'opportunity' ELSE 'lead' END, true,
               c.id, CASE WHEN g %% 3 = 0 THEN p.id END,
               s.id, s.probability, 1, p.state_id, p.city, 1000 + g %% 9000,
               now() - (g %% 365) * interval '1 day', now()
          FROM generate_series(1, %(leads)s) g
          JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM utm_campaign
                 WHERE name LIKE 'Bench campaign %%') c ON c.n = 1 + g %% %(campaigns)s
          JOIN (SELECT id, state_id, city, row_number() OVER (ORDER BY id) AS n FROM res_partner
                 WHERE name LIKE 'Bench customer %%') p ON p.n = 1 + g %% %(partners)s
          JOIN (SELECT id, probability, row_number() OVER (ORDER BY sequence, id) AS n
                  FROM crm_stage) s ON s.n = 1 + g %% (SELECT count(*) FROM crm_stage);
    """),
    ("orders and lines", """
        INSERT INTO sale_order (name, partner_id, partner_invoice_id, partner_shipping_id,
                                pricelist_id, warehouse_id, picking_policy, date_order,
                                confirmation_date, state, user_id, company_id, opportunity_id,
                                amount_untaxed, create_date, write_date)
        SELECT 'BENCH' || g, p.id, p.id, p.id, (SELECT min(id) FROM product_pricelist),
               (SELECT min(id) FROM stock_warehouse), 'direct',
               now() - (g %% 360) * interval '1 day', now() - (g %% 360) * interval '1 day',
               'sale', 1, 1,
               CASE WHEN g %% 2 = 0 THEN (SELECT max(id) FROM crm_lead) - (g %% %(leads)s) END,
               0, now(), now()
          FROM generate_series(1, %(orders)s) g
          JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM res_partner
                 WHERE name LIKE 'Bench customer %%') p ON p.n = 1 + g %% %(partners)s;
        INSERT INTO sale_order_line (order_id, name, product_id, product_uom, product_uom_qty,
                                     price_unit, price_subtotal, margin, customer_lead, state)
        SELECT o.id, 'Bench line', pp.id, 1, 10, 20, 200 + k * 50, 80 + k * 10, 0, 'sale'
          FROM sale_order o, generate_series(1, 2) k,
               (SELECT %(product)s AS id) pp
         WHERE o.name LIKE 'BENCH%%' AND (k = 1 OR o.id %% 2 = 0);
    """),
    ("invoices and payments", """
        INSERT INTO account_invoice (partner_id, commercial_partner_id, account_id, journal_id,
                                     company_id, currency_id, reference_type, type, state,
                                     number, date_invoice, amount_untaxed_signed,
                                     amount_total_company_signed, residual_company_signed, origin)
        SELECT o.partner_id, o.partner_id,
               (SELECT min(id) FROM account_account WHERE internal_type = 'receivable'),
               (SELECT min(id) FROM account_journal WHERE type = 'sale'), 1,
               (SELECT currency_id FROM res_company WHERE id = 1), 'none', 'out_invoice',
               CASE WHEN o.id %% 3 = 0 THEN 'paid' ELSE 'open' END, 'BINV' || o.id,
               o.confirmation_date::date + 3, 0,
               (SELECT sum(price_subtotal) FROM sale_order_line WHERE order_id = o.id),
               CASE WHEN o.id %% 3 = 0 THEN 0
                    ELSE (SELECT sum(price_subtotal) FROM sale_order_line WHERE order_id = o.id) / 2 END,
               o.name
          FROM sale_order o WHERE o.name LIKE 'BENCH%%' AND o.id %% 4 <> 0;
        INSERT INTO account_invoice_line (invoice_id, name, account_id, price_unit, quantity,
                                          product_id, price_subtotal, price_subtotal_signed)
        SELECT i.id, l.id::text, i.account_id, l.price_unit, l.product_uom_qty, l.product_id,
               l.price_subtotal, l.price_subtotal
          FROM account_invoice i JOIN sale_order o ON o.name = i.origin
          JOIN sale_order_line l ON l.order_id = o.id
         WHERE i.number LIKE 'BINV%%';
        INSERT INTO sale_order_line_invoice_rel (order_line_id, invoice_line_id)
        SELECT name::integer, id FROM account_invoice_line
         WHERE invoice_id IN (SELECT id FROM account_invoice WHERE number LIKE 'BINV%%');
        ANALYZE;
    """),
]

RATE = """COALESCE((SELECT r.rate FROM res_currency_rate r WHERE r.currency_id = %s
    AND r.name <= so.date_order AND (r.company_id IS NULL OR r.company_id = so.company_id)
    ORDER BY r.company_id, r.name DESC LIMIT 1), 1.0)"""
FX = "(%s / %s)" % (RATE % "c.currency_id", RATE % "pl.currency_id")

WINDOW = """(SELECT COALESCE((SELECT value::integer FROM ir_config_parameter
    WHERE key = 'crm_cn_lifecycle.attribution_window_days' AND value ~ '^[0-9]+$'), 90))"""

# The same figures as the report, by campaign, the same attribution rule
# (opportunity's campaign, else the order's tag, else the last response in the
# configured window) and the same currency conversion.
BASELINE = """
WITH orders AS (
    SELECT so.id, p.commercial_partner_id AS partner_id, so.confirmation_date, %(fx)s AS fx,
           CASE WHEN so.opportunity_id IS NOT NULL
                THEN (SELECT opp.campaign_id FROM crm_lead opp WHERE opp.id = so.opportunity_id)
                ELSE COALESCE(so.campaign_id, (
                    SELECT r.campaign_id FROM crm_cn_campaign_response r
                     WHERE r.commercial_partner_id = p.commercial_partner_id
                       AND r.date <= so.confirmation_date::date
                       AND r.date > so.confirmation_date::date - %(window)s
                  ORDER BY r.commercial_partner_id DESC, r.date DESC, r.id DESC LIMIT 1)) END AS campaign_id,
           MIN(so.confirmation_date) OVER (PARTITION BY p.commercial_partner_id) AS first_date
      FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
      JOIN product_pricelist pl ON pl.id = so.pricelist_id JOIN res_company c ON c.id = so.company_id
     WHERE so.state IN ('sale', 'done')
)
SELECT c.id,
       COALESCE((SELECT SUM(amount) FROM crm_cn_campaign_cost WHERE campaign_id = c.id), 0)
       + COALESCE((SELECT SUM(il.price_subtotal_signed) FROM account_invoice_line il
                     JOIN account_invoice inv ON inv.id = il.invoice_id
                    WHERE il.account_analytic_id = c.cn_analytic_account_id
                      AND inv.type IN ('in_invoice', 'in_refund') AND inv.state IN ('open', 'paid')), 0),
       (SELECT COUNT(*) FROM crm_cn_campaign_response WHERE campaign_id = c.id),
       l.leads, l.qualified, l.won, s.revenue, s.margin, i.invoiced, i.cash, s.repurchase
  FROM utm_campaign c
  LEFT JOIN (SELECT l.campaign_id, COUNT(*) AS leads,
                    COUNT(*) FILTER (WHERE l.type = 'opportunity') AS qualified,
                    COUNT(*) FILTER (WHERE l.active AND st.probability = 100) AS won
               FROM crm_lead l LEFT JOIN crm_stage st ON st.id = l.stage_id
              WHERE l.active OR l.probability = 0 GROUP BY l.campaign_id) l ON l.campaign_id = c.id
  LEFT JOIN (SELECT o.campaign_id, SUM(sol.price_subtotal * o.fx) AS revenue,
                    SUM(COALESCE(sol.margin, 0) * o.fx) AS margin,
                    SUM(sol.price_subtotal * o.fx) FILTER (WHERE o.confirmation_date > o.first_date
                        AND o.confirmation_date <= o.first_date + interval '12 months') AS repurchase
               FROM sale_order_line sol JOIN orders o ON o.id = sol.order_id
               JOIN product_product pp ON pp.id = sol.product_id
              GROUP BY o.campaign_id) s ON s.campaign_id = c.id
  LEFT JOIN (SELECT o.campaign_id, SUM(il.price_subtotal_signed) AS invoiced,
                    SUM(il.price_subtotal_signed * COALESCE(1 - inv.residual_company_signed
                        / NULLIF(inv.amount_total_company_signed, 0), 0)) AS cash
               FROM account_invoice_line il JOIN account_invoice inv ON inv.id = il.invoice_id
               JOIN (SELECT DISTINCT rel.invoice_line_id, sol.order_id
                       FROM sale_order_line_invoice_rel rel
                       JOIN sale_order_line sol ON sol.id = rel.order_line_id) link
                    ON link.invoice_line_id = il.id
               JOIN orders o ON o.id = link.order_id
              WHERE inv.type IN ('out_invoice', 'out_refund') AND inv.state IN ('open', 'paid')
              GROUP BY o.campaign_id) i ON i.campaign_id = c.id
""".replace("%(fx)s", FX).replace("%(window)s", WINDOW)
FIGURES = ("cost", "response_count", "lead_count", "qualified_count", "won_count", "revenue",
           "margin", "invoiced", "cash", "repurchase_revenue")


def build(env, steps=BUILD):
    """Insert the bench world with `steps` (what, SQL) unless it is there."""
    env.cr.execute("SELECT count(*) FROM utm_campaign WHERE name LIKE 'Bench campaign %%'")
    if env.cr.fetchone()[0]:
        say("bench data already built")
        return
    product = env["product.product"].create({"name": "Bench paper", "list_price": 20.0})
    params = {"campaigns": CAMPAIGNS, "partners": PARTNERS, "leads": LEADS, "orders": ORDERS,
              "product": product.id}
    for what, sql in steps:
        timings = {}
        with timer(timings, what):
            env.cr.execute(sql, params)
        say("built %s in %.1f s" % (what, timings[what]))
    env.cr.commit()


def same_figures(ours, baseline):
    """Campaigns whose report figures differ from the plain SQL's."""
    expected = {row[0]: [value or 0.0 for value in row[1:]] for row in baseline}
    differ = []
    for row in ours:
        want = expected.get(row["campaign_id"][0], [0.0] * len(FIGURES))
        if any(abs(row[name] - value) > 0.01 + 1e-9 * abs(value) for name, value in zip(FIGURES, want)):
            differ.append((row["campaign_id"][1], [row[name] for name in FIGURES], want))
    return differ


def main():
    timings = {}
    with environment("cncl_bench_roi", commit=True) as env:
        build(env)
        Report = env["crm.cn.campaign.roi.report"]
        ours = Report.summary()
        env.cr.execute(BASELINE)
        baseline = env.cr.fetchall()
        timings["ours"] = best_of(3, Report.summary)
        timings["sql"] = best_of(3, lambda: env.cr.execute(BASELINE) or env.cr.fetchall())
        revenue = sum(row["revenue"] for row in ours)
        expected = sum(row[6] or 0.0 for row in baseline)
        say("campaigns %d, revenue attributed %.0f (SQL %.0f)" % (len(ours), revenue, expected))
        differ = same_figures(ours, baseline)
        assert not differ, "figures differ: %s" % differ[:3]
    report("campaign ROI report, %d leads, %d orders" % (LEADS, ORDERS), timings["ours"], timings["sql"])


if __name__ == "__main__":
    main()
