#!/usr/bin/env python
"""Tier rules bench: the overdue-contact scheduler and the contact coverage
report on many customers, against plain SQL finding the same overdue customers.

Inserts in SQL (rolled back at the end): N customers of the company's current
pyramid spread over the key/big/medium/small/prospect tiers and 20
salespeople, and 5 notes per customer by its salesperson over the last 400
days. Then times:
  - schedule_overdue_contacts(): the overdue customers found and one activity
    each created (bulk, in chunks), and its number of queries;
  - the coverage report: pivot by salesperson and tier;
  - a plain-SQL baseline: the overdue (customer, activity type) pairs.
The last line is `<what>: <ours> s vs SQL <baseline> s = ratio <r>x`.

    .venv/bin/python bench/tier_contacts.py [--database DB] [--customers N]
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import environment, report, say  # noqa: E402

# plain SQL: the overdue (customer, activity type) pairs, contacts and visits,
# inserted as activities (the bench's notes are all on the customers themselves)
BASELINE = """
WITH last AS (
    SELECT p.commercial_partner_id AS partner_id, MAX(m.date)::date AS day
      FROM mail_message m JOIN res_partner p ON p.id = m.res_id
     WHERE m.model = 'res.partner' AND m.message_type IN ('comment', 'email')
     GROUP BY p.commercial_partner_id),
visit AS (
    SELECT p.commercial_partner_id AS partner_id, m.mail_activity_type_id AS type_id,
           MAX(m.date)::date AS day
      FROM mail_message m JOIN res_partner p ON p.id = m.res_id
     WHERE m.model = 'res.partner' AND m.mail_activity_type_id IS NOT NULL
     GROUP BY 1, 2),
due AS (
    SELECT line.partner_id, cp.user_id, rule.activity_type_id AS type_id
      FROM crm_cn_pyramid_line line
      JOIN crm_cn_tier_rule rule ON rule.company_id = line.company_id AND rule.tier = line.tier
      JOIN res_partner cp ON cp.id = line.partner_id AND cp.user_id IS NOT NULL
      LEFT JOIN last ON last.partner_id = line.partner_id
     WHERE line.is_current AND (last.day IS NULL OR last.day < CURRENT_DATE - rule.contact_days)
    UNION
    SELECT line.partner_id, cp.user_id, rule.visit_activity_type_id
      FROM crm_cn_pyramid_line line
      JOIN crm_cn_tier_rule rule ON rule.company_id = line.company_id AND rule.tier = line.tier
      JOIN res_partner cp ON cp.id = line.partner_id AND cp.user_id IS NOT NULL
      LEFT JOIN visit ON visit.partner_id = line.partner_id
                     AND visit.type_id = rule.visit_activity_type_id
     WHERE line.is_current AND rule.visit_days > 0
       AND (visit.day IS NULL OR visit.day < CURRENT_DATE - rule.visit_days))
INSERT INTO mail_activity (res_model_id, res_model, res_id, res_name, activity_type_id, user_id,
                           date_deadline, summary, create_uid, create_date, write_uid, write_date)
SELECT %(model)s, 'res.partner', due.partner_id, p.display_name, due.type_id, due.user_id,
       CURRENT_DATE, 'overdue', 1, now(), 1, now()
  FROM due JOIN res_partner p ON p.id = due.partner_id
RETURNING res_id, activity_type_id
"""


class Undo(Exception):
    """Roll a savepoint back."""


def fill(env, customers):
    cr = env.cr
    company = env.user.company_id
    users = env["res.users"]
    for index in range(20):
        users |= env["res.users"].with_context(no_reset_password=True).create({
            "name": "Bench Tier Sales %d" % index, "login": "bench_tier_sales_%d" % index,
            "groups_id": [(6, 0, [env.ref("crm_cn_lifecycle.group_user").id])]})
    params = {"n": customers, "company": company.id, "users": users.ids,
              "authors": users.mapped("partner_id").ids}
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM res_partner")
    params["p0"] = cr.fetchone()[0]
    cr.execute("""
        INSERT INTO res_partner (id, name, display_name, is_company, customer, active, company_id,
                                 commercial_partner_id, user_id, type, lang, picking_warn,
                                 invoice_warn, sale_warn, create_date, write_date)
        SELECT %(p0)s + g, 'Bench tier ' || g, 'Bench tier ' || g, true, true, true, %(company)s,
               %(p0)s + g, (%(users)s::int[])[1 + g %% 20], 'contact', 'en_US', 'no-message',
               'no-message', 'no-message', NOW(), NOW()
          FROM generate_series(1, %(n)s) g""", params)
    cr.execute("SELECT setval('res_partner_id_seq', %s)", (params["p0"] + customers,))
    cr.execute("""
        INSERT INTO crm_cn_pyramid_line (date, is_current, company_id, partner_id, user_id, tier)
        SELECT CURRENT_DATE, true, %(company)s, %(p0)s + g, (%(users)s::int[])[1 + g %% 20],
               (ARRAY['key', 'big', 'medium', 'small', 'prospect'])[1 + g %% 5]
          FROM generate_series(1, %(n)s) g""", params)
    cr.execute("""
        INSERT INTO mail_message (model, res_id, message_type, author_id, body, date)
        SELECT 'res.partner', %(p0)s + g, 'comment', (%(authors)s::int[])[1 + g %% 20], 'note',
               now() - (((g * 7 + k * 131) %% 400) || ' days')::interval
          FROM generate_series(1, %(n)s) g, generate_series(1, 5) k""", params)
    cr.execute("ANALYZE res_partner; ANALYZE crm_cn_pyramid_line; ANALYZE mail_message")
    return users


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="cncl_bench_tier")
    parser.add_argument("--customers", type=int, default=20000)
    args = parser.parse_args()
    with environment(args.database) as env:
        started = time.time()
        fill(env, args.customers)
        say("filled %d customers and %d notes in %.1f s" % (
            args.customers, args.customers * 5, time.time() - started))
        cr = env.cr
        try:  # the baseline's activities are undone before the scheduler runs
            with cr.savepoint():
                started = time.time()
                cr.execute(BASELINE, {"model": env["ir.model"]._get("res.partner").id})
                expected = set(cr.fetchall())
                baseline = time.time() - started
                raise Undo()
        except Undo:
            pass
        with cr.savepoint():
            queries = cr.sql_log_count
            started = time.time()
            # in batches as the scheduled action, but not committed: the bench rolls back
            created = env["crm.cn.tier.rule"].with_context(cn_batch_no_commit=True).schedule_overdue_contacts()
            ours = time.time() - started
            queries = cr.sql_log_count - queries
            cr.execute("""SELECT res_id, activity_type_id FROM mail_activity
                           WHERE res_model = 'res.partner' AND summary <> 'overdue'""")
            found = set(cr.fetchall())
            assert found == expected and created == len(expected), (len(found), len(expected))
            say("scheduler: %d activities (contacts and senior visits) in %.2f s, %d queries" % (
                created, ours, queries))
        started = time.time()
        env["crm.cn.contact.coverage"].read_group(
            [], ["user_id", "tier", "customer_count", "coverage"], ["user_id", "tier"], lazy=False)
        say("coverage pivot by salesperson and tier: %.2f s" % (time.time() - started))
        report("overdue contacts and visits of %d customers, %d activities created"
               % (args.customers, created), ours, baseline)


if __name__ == "__main__":
    main()
