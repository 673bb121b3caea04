#!/usr/bin/env python
"""Partner relationship management bench, one part per `--part`.

forward: 10,000 open leads offered to 500 dealers by the forwarding rules, as
crm.lead.cn_forward_by_rules() does it (leads, rules, dealers, open offers and
past offers read in a few queries, the choice made in tools/lead_forward.py,
the offers and the chatter notes inserted in bulk, each lead's dealer set in
one UPDATE), against one plain SQL statement doing the same writes (first
matching rule per lead, best dealer by priority and open offers under its
cap, the offers, the leads' dealer, a note per lead). Each timed run is
rolled back.

Builds its own database (cncl_bench_prm: the addon installed without demo,
then dealers spread over China's provinces, product categories, rules by
province and category and a catch-all rule, and the leads, inserted in SQL).
The last line is `<what>: <ours> s vs SQL <baseline> s = ratio <r>x`.

    .venv/bin/python bench/prm.py [--part forward] [--rebuild] [--leads 10000]
        [--dealers 500] [--rules 60] [--runs 3] [--db NAME]
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import best_of, drop_database, environment, report, say, vacuum  # noqa: E402

DB = "cncl_bench_prm"
CATEGORIES = 20

# The same forwarding in one statement: the first rule (by sequence) whose
# provinces/countries, categories and brands fit, its dealers (or the dealers
# of the lead's province), the best by priority then open offers, under its cap.
FORWARD_SQL = """
WITH lead AS (
    SELECT l.id, l.state_id, l.country_id, l.cn_categ_id AS categ_id, l.cn_brand_id AS brand_id
      FROM crm_lead l
     WHERE l.id = ANY(%(ids)s) AND l.active AND COALESCE(l.probability, 0) < 100
       AND NOT EXISTS (SELECT 1 FROM crm_cn_lead_forward f
                        WHERE f.lead_id = l.id AND f.state IN ('offered', 'accepted'))
), first_rule AS (
    SELECT DISTINCT ON (l.id) l.id AS lead_id, l.state_id, r.id AS rule_id
      FROM lead l JOIN crm_cn_forward_rule r ON r.active
     WHERE ((NOT EXISTS (SELECT 1 FROM crm_cn_forward_rule_state_rel s WHERE s.rule_id = r.id)
             AND NOT EXISTS (SELECT 1 FROM crm_cn_forward_rule_country_rel c WHERE c.rule_id = r.id))
            OR EXISTS (SELECT 1 FROM crm_cn_forward_rule_state_rel s
                        WHERE s.rule_id = r.id AND s.state_id = l.state_id)
            OR EXISTS (SELECT 1 FROM crm_cn_forward_rule_country_rel c
                        WHERE c.rule_id = r.id AND c.country_id = l.country_id))
       AND (NOT EXISTS (SELECT 1 FROM crm_cn_forward_rule_categ_rel c WHERE c.rule_id = r.id)
            OR EXISTS (SELECT 1 FROM crm_cn_forward_rule_categ_rel c
                        WHERE c.rule_id = r.id AND c.categ_id = l.categ_id))
       AND (NOT EXISTS (SELECT 1 FROM crm_cn_forward_rule_brand_rel b WHERE b.rule_id = r.id)
            OR EXISTS (SELECT 1 FROM crm_cn_forward_rule_brand_rel b
                        WHERE b.rule_id = r.id AND b.brand_id = l.brand_id))
  ORDER BY l.id, r.sequence, r.id
), candidate AS (
    SELECT f.lead_id, f.rule_id, d.dealer_id
      FROM first_rule f JOIN crm_cn_forward_rule_dealer_rel d ON d.rule_id = f.rule_id
    UNION ALL
    SELECT f.lead_id, f.rule_id, p.id
      FROM first_rule f
      JOIN res_partner p ON p.cn_is_dealer AND p.active AND p.parent_id IS NULL AND p.state_id = f.state_id
     WHERE NOT EXISTS (SELECT 1 FROM crm_cn_forward_rule_dealer_rel d WHERE d.rule_id = f.rule_id)
), open_count AS (
    SELECT f.dealer_id, COUNT(*) AS n FROM crm_cn_lead_forward f JOIN crm_lead l ON l.id = f.lead_id
     WHERE f.state IN ('offered', 'accepted') AND l.active AND COALESCE(l.probability, 0) < 100
  GROUP BY f.dealer_id
), pick AS (
    SELECT DISTINCT ON (c.lead_id) c.lead_id, c.rule_id, c.dealer_id
      FROM candidate c
      JOIN res_partner p ON p.id = c.dealer_id
      LEFT JOIN open_count o ON o.dealer_id = c.dealer_id
     WHERE COALESCE(p.cn_forward_capacity, 0) <= 0 OR COALESCE(o.n, 0) < p.cn_forward_capacity
  ORDER BY c.lead_id, p.cn_forward_priority DESC, COALESCE(o.n, 0), c.dealer_id
), offer AS (
    INSERT INTO crm_cn_lead_forward (lead_id, dealer_id, rule_id, state, offered_on, deadline, offered_by,
                                     answer_hours, company_id, create_uid, create_date, write_uid, write_date)
    SELECT pick.lead_id, pick.dealer_id, pick.rule_id, 'offered', now() AT TIME ZONE 'UTC',
           now() AT TIME ZONE 'UTC' + interval '24 hours', %(uid)s, 0, l.company_id,
           %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
      FROM pick JOIN crm_lead l ON l.id = pick.lead_id
 RETURNING lead_id, dealer_id, deadline
), lead_update AS (
    UPDATE crm_lead l SET cn_dealer_id = offer.dealer_id, cn_forward_state = 'offered'
      FROM offer WHERE l.id = offer.lead_id
 RETURNING l.id
)
INSERT INTO mail_message (model, res_id, record_name, body, message_type, subtype_id, author_id, date,
                          create_uid, create_date, write_uid, write_date)
SELECT 'crm.lead', offer.lead_id, l.name,
       '<p>Lead offered to ' || p.name || ' (answer by ' || offer.deadline || ' UTC).</p>',
       'notification', %(subtype)s, %(author)s, now() AT TIME ZONE 'UTC',
       %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
  FROM offer JOIN res_partner p ON p.id = offer.dealer_id JOIN crm_lead l ON l.id = offer.lead_id
"""


def fill_forward(env, args):
    """Dealers, categories, rules and leads (once per database)."""
    cr = env.cr
    cr.execute("SELECT count(*) FROM crm_lead WHERE name LIKE 'Bench forward lead %%'")
    if cr.fetchone()[0] >= args.leads:
        return
    say("building %d dealers, %d rules and %d leads" % (args.dealers, args.rules, args.leads))
    china = env.ref("base.cn")
    states = env["res.country.state"].search([("country_id", "=", china.id)], order="id").ids
    params = {"company": env.user.company_id.id, "dealers": args.dealers, "leads": args.leads,
              "country": china.id, "states": states, "nstates": len(states), "uid": env.uid}
    cr.execute("""
        INSERT INTO product_category (name, complete_name)
        SELECT 'Bench category ' || i, 'Bench category ' || i
          FROM generate_series(1, %(categs)s) i;
        CREATE TABLE bench_categs AS
        SELECT row_number() OVER (ORDER BY id) AS n, id FROM product_category WHERE name LIKE 'Bench category %%';
        INSERT INTO res_partner (name, display_name, active, customer, is_company, type, company_id,
                                 cn_customer_class, cn_is_dealer, picking_warn, invoice_warn, sale_warn,
                                 state_id, country_id, cn_forward_priority, cn_forward_capacity)
        SELECT 'Bench dealer ' || i, 'Bench dealer ' || i, TRUE, TRUE, TRUE, 'contact', %(company)s,
               'dealer', TRUE, 'no-message', 'no-message', 'no-message',
               (%(states)s::int[])[1 + i %% %(nstates)s], %(country)s, i %% 3, 20 + i %% 40
          FROM generate_series(1, %(dealers)s) i;
        UPDATE res_partner SET commercial_partner_id = id WHERE name LIKE 'Bench dealer %%';
        CREATE TABLE bench_dealers AS
        SELECT row_number() OVER (ORDER BY id) AS n, id, state_id FROM res_partner WHERE name LIKE 'Bench dealer %%';
    """, dict(params, categs=CATEGORIES))
    # a rule per (province, category group): named dealers of that province;
    # then a catch-all rule: the dealers of the lead's own province
    cr.execute("""
        INSERT INTO crm_cn_forward_rule (name, sequence, active, company_id, create_uid, create_date,
                                         write_uid, write_date)
        SELECT 'Bench rule ' || i, i, TRUE, %(company)s, %(uid)s, now(), %(uid)s, now()
          FROM generate_series(1, %(rules)s) i;
        INSERT INTO crm_cn_forward_rule (name, sequence, active, company_id) VALUES
            ('Bench rule catch-all', 1000, TRUE, %(company)s);
        CREATE TABLE bench_rules AS
        SELECT row_number() OVER (ORDER BY id) AS n, id FROM crm_cn_forward_rule
         WHERE name LIKE 'Bench rule %%' AND name <> 'Bench rule catch-all';
        INSERT INTO crm_cn_forward_rule_state_rel (rule_id, state_id)
        SELECT id, (%(states)s::int[])[1 + n %% %(nstates)s] FROM bench_rules;
        INSERT INTO crm_cn_forward_rule_categ_rel (rule_id, categ_id)
        SELECT r.id, c.id FROM bench_rules r JOIN bench_categs c ON c.n %% 4 = r.n %% 4;
        INSERT INTO crm_cn_forward_rule_dealer_rel (rule_id, dealer_id)
        SELECT r.id, d.id FROM bench_rules r
          JOIN crm_cn_forward_rule_state_rel s ON s.rule_id = r.id
          JOIN bench_dealers d ON d.state_id = s.state_id AND d.n %% 2 = r.n %% 2;
    """, dict(params, rules=args.rules))
    cr.execute("""
        INSERT INTO crm_lead (name, type, active, probability, company_id, state_id, country_id,
                              cn_categ_id, planned_revenue, create_uid, create_date, write_uid, write_date)
        SELECT 'Bench forward lead ' || i, 'lead', TRUE, 10, %(company)s,
               (%(states)s::int[])[1 + (i * 7) %% %(nstates)s], %(country)s,
               (SELECT id FROM bench_categs WHERE n = 1 + i %% 20), 1000 + i %% 5000,
               %(uid)s, now(), %(uid)s, now()
          FROM generate_series(1, %(leads)s) i;
    """, params)
    cr.commit()
    vacuum(args.db, "crm_lead", "res_partner", "crm_cn_forward_rule", "crm_cn_lead_forward", "mail_message")


def part_forward(args):
    with environment(args.db, commit=True) as env:
        fill_forward(env, args)
        cr = env.cr
        cr.execute("SELECT id FROM crm_lead WHERE name LIKE 'Bench forward lead %%' ORDER BY id LIMIT %s",
                   (args.leads,))
        ids = [row[0] for row in cr.fetchall()]
        leads = env["crm.lead"].browse(ids)
        params = {"ids": ids, "uid": env.uid, "author": env.user.partner_id.id,
                  "subtype": env.ref("mail.mt_note").id}
        counts = {}

        def rolled_back(function):
            def run():
                cr.execute("SAVEPOINT bench_forward")
                try:
                    function()
                finally:
                    cr.execute("ROLLBACK TO SAVEPOINT bench_forward")
                    env.cache.invalidate()
                    env.clear()
            return run

        def ours():
            counts["ours"] = leads.cn_forward_by_rules()

        def baseline():
            cr.execute(FORWARD_SQL, params)
            counts["sql"] = cr.rowcount

        ours_time = best_of(args.runs, rolled_back(ours))
        baseline_time = best_of(args.runs, rolled_back(baseline))
        say("%d leads offered by the rules (plain SQL: %d; SQL ignores the caps filling up within the batch)"
            % (counts["ours"], counts["sql"]))
        report("forwarding {:,} leads".format(len(ids)), ours_time, baseline_time)


PARTS = {"forward": part_forward}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", choices=sorted(PARTS), default="forward")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--db", default=DB)
    parser.add_argument("--leads", type=int, default=10000)
    parser.add_argument("--dealers", type=int, default=500)
    parser.add_argument("--rules", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.rebuild:
        drop_database(args.db)
    PARTS[args.part](args)


if __name__ == "__main__":
    main()
