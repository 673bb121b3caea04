#!/usr/bin/env python
"""Partner relationship management bench, one part per `--part`, each in its
own database (cncl_bench_prm_<part>: the addon installed without demo, then
the part's data inserted in SQL; reused when it is there).

forward: 10,000 open leads offered to 500 dealers by the forwarding rules, as
crm.lead.cn_forward_by_rules() does it (leads, rules, dealers, open offers and
past offers read in a few queries, the choice made in tools/lead_forward.py,
the offers and the chatter notes inserted in bulk, each lead's dealer set in
one UPDATE), against one plain SQL statement doing the same writes (first
matching rule per lead, best dealer by priority and open offers under its
cap, the offers, the leads' dealer, a note per lead). An untimed run of each
first checks their writes: the same leads offered, each with one offer, one
note and its dealer set, no dealer over its cap (ours). Each run is rolled
back. Data: dealers spread over China's provinces, product
categories, rules by province and category and a catch-all rule, the leads.

register: the conflict check of deal registrations
(crm.cn.deal.registration._cn_find_conflicts: equality lookups on the indexed
customer keys) against 1M opportunities and 100k customers, timed over 100
registrations, against a plain-SQL baseline (one UNION of single-key
lookups per registration); both must find the same records. Data: the leads
and partners copied in with their keys computed by tools/name_keys.py, as the
install fills them.

The last line of a part is `<what>: <ours> s vs SQL <baseline> s = ratio <r>x`.

    .venv/bin/python bench/prm.py --part forward [--rebuild] [--leads 10000]
        [--dealers 500] [--rules 60] [--runs 3] [--db NAME]
    .venv/bin/python bench/prm.py --part register [--rebuild] [--leads 1000000]
        [--partners 100000] [--registrations 100] [--runs 3] [--db NAME] [--drop]
"""
import argparse
import io
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import best_of, drop_database, environment, report, say, vacuum  # noqa: E402

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

# What a forwarding run wrote for the bench's leads: the leads offered (as an
# md5 of their ids, so both runs can be compared), their notes, leads whose
# dealer and state match their open offer, the open offers, and the dealers
# holding more open offers than their cap.
FORWARD_CHECK_SQL = """
SELECT (SELECT md5(string_agg(lead_id::text, ',' ORDER BY lead_id)) FROM crm_cn_lead_forward
         WHERE lead_id = ANY(%(ids)s) AND state = 'offered'),
       (SELECT md5(string_agg(res_id::text, ',' ORDER BY res_id)) FROM mail_message
         WHERE model = 'crm.lead' AND res_id = ANY(%(ids)s) AND body LIKE '<p>Lead offered to %%'),
       (SELECT md5(string_agg(l.id::text, ',' ORDER BY l.id)) FROM crm_lead l
          JOIN crm_cn_lead_forward f ON f.lead_id = l.id AND f.state = 'offered'
         WHERE l.id = ANY(%(ids)s) AND l.cn_dealer_id = f.dealer_id AND l.cn_forward_state = 'offered'),
       (SELECT md5(string_agg(lead_id::text, ',' ORDER BY lead_id)) FROM crm_cn_lead_forward
         WHERE lead_id = ANY(%(ids)s)),
       (SELECT count(*) FROM (SELECT f.dealer_id FROM crm_cn_lead_forward f
                                JOIN res_partner p ON p.id = f.dealer_id
                               WHERE f.state IN ('offered', 'accepted') AND p.cn_forward_capacity > 0
                            GROUP BY f.dealer_id, p.cn_forward_capacity
                              HAVING count(*) > p.cn_forward_capacity) over_cap)
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

        def checked(function, kind):
            # untimed: what the run wrote, read back before it is rolled back
            def run():
                function()
                cr.execute(FORWARD_CHECK_SQL, params)
                counts[kind + " writes"] = cr.fetchone()
            return run

        rolled_back(checked(ours, "ours"))()
        rolled_back(checked(baseline, "sql"))()
        ours_writes, sql_writes = counts["ours writes"], counts["sql writes"]
        if not counts["ours"] or ours_writes[0] != sql_writes[0] or len(set(ours_writes[:4])) != 1 \
                or ours_writes[4]:
            raise SystemExit("forwarding differs from the SQL: offered leads, notes, leads set, "
                             "offers, dealers over their cap: %s (SQL %s)" % (ours_writes, sql_writes))
        say("the same %d leads offered as the SQL, each with one offer, one note, its dealer set; "
            "no dealer over its cap" % counts["ours"])
        ours_time = best_of(args.runs, rolled_back(ours))
        baseline_time = best_of(args.runs, rolled_back(baseline))
        say("%d leads offered by the rules (plain SQL: %d; SQL ignores the caps filling up within the batch)"
            % (counts["ours"], counts["sql"]))
        report("forwarding {:,} leads".format(len(ids)), ours_time, baseline_time)


def name_keys_module():
    """tools/name_keys.py, once the environment has put the addon on the path."""
    from odoo.addons.crm_cn_lifecycle.tools import name_keys
    return name_keys

CHARS = "华信明德美联顺景星湖北江东方金龙腾飞宏达盛世天宇恒通万家正和嘉禾永安新锐博远鼎泰佳利众成祥瑞"
TRADES = ["办公用品", "文具", "电子", "家居", "贸易", "印务", "纸业", "科技", "五金", "实业"]
SUFFIXES = ["有限公司", "股份有限公司", "有限责任公司", "", "集团"]
BASELINE_SQL = """
    SELECT 'crm.lead', id FROM crm_lead
     WHERE active AND (cn_dealer_id IS NULL OR cn_dealer_id != %(dealer)s) AND cn_name_key = ANY(%(names)s)
    UNION SELECT 'crm.lead', id FROM crm_lead
     WHERE active AND (cn_dealer_id IS NULL OR cn_dealer_id != %(dealer)s) AND cn_name_key_en = ANY(%(names)s)
    UNION SELECT 'crm.lead', id FROM crm_lead
     WHERE active AND (cn_dealer_id IS NULL OR cn_dealer_id != %(dealer)s) AND cn_phone_key = %(phone)s
    UNION SELECT 'crm.lead', id FROM crm_lead
     WHERE active AND (cn_dealer_id IS NULL OR cn_dealer_id != %(dealer)s) AND cn_email_domain = %(domain)s
    UNION SELECT 'res.partner', id FROM res_partner
     WHERE active AND commercial_partner_id != %(dealer)s AND (cn_name_key = ANY(%(names)s)
           OR cn_name_key_en = ANY(%(names)s) OR cn_phone_key = %(phone)s OR cn_email_domain = %(domain)s)
       AND id NOT IN (SELECT partner_id FROM res_company)
    UNION SELECT 'crm.cn.deal.registration', id FROM crm_cn_deal_registration
     WHERE id != %(self)s AND state IN ('submitted', 'conflict', 'approved')
       AND (cn_name_key = ANY(%(names)s) OR cn_name_key_en = ANY(%(names)s)
            OR cn_phone_key = %(phone)s OR cn_email_domain = %(domain)s)"""


def company(rng, index):
    """(Chinese company name, phone, e-mail) number `index`, each name in one of its forms."""
    core = CHARS[index % len(CHARS)] + CHARS[(index // len(CHARS)) % len(CHARS)] \
        + CHARS[(index // len(CHARS) ** 2) % len(CHARS)] + TRADES[(index // len(CHARS) ** 3) % len(TRADES)]
    city = rng.choice(sorted(name_keys_module().CITIES))
    suffix = rng.choice(SUFFIXES)
    name = rng.choice(["%s%s%s" % (city, core, suffix), "%s（%s）%s" % (core, city, suffix),
                       "%s市%s%s" % (city, core, suffix)])
    return name, "0%d-%08d" % (20 + index % 900, index), "buyer@c%d.example.cn" % index


def _copy(value):
    return "\\N" if value in (None, False) else str(value).replace("\t", " ").replace("\\", "\\\\")


def fill_register(env, args):
    cr = env.cr
    rng = random.Random(17)
    keys_of = name_keys_module()
    for table, count, columns in (
            ("crm_lead", args.leads, "name, partner_name, phone, email_from, type, active"),
            ("res_partner", args.partners, "name, phone, email, is_company, active, "
                                           "invoice_warn, picking_warn, sale_warn")):
        cr.execute("SELECT count(*) FROM %s WHERE cn_email_domain LIKE 'c%%.example.cn'" % table)
        if cr.fetchone()[0] >= count:
            continue
        say("copying %d rows into %s" % (count, table))
        cr.execute("SELECT nextval('%s_id_seq') FROM generate_series(1, %d)" % (table, count))
        ids = [row[0] for row in cr.fetchall()]
        buffer = io.StringIO()
        for offset, record_id in enumerate(ids):
            index = offset if table == "crm_lead" else args.leads + offset
            name, phone, email = company(rng, index)
            keys = keys_of.name_keys(name) + (keys_of.phone_key(phone), keys_of.email_domain(email))
            if table == "crm_lead":
                row = (record_id, "Deal %d" % index, name, phone, email, "opportunity", "t")
            else:
                row = (record_id, name, phone, email, "t", "t") + ("no-message",) * 3
            buffer.write("\t".join(_copy(value) for value in row + keys) + "\n")
        buffer.seek(0)
        cr.copy_expert("COPY %s (id, %s, cn_name_key, cn_name_key_en, cn_phone_key, cn_email_domain) "
                       "FROM STDIN" % (table, columns), buffer)
        cr.commit()
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE commercial_partner_id IS NULL")
    cr.commit()
    for table in ("crm_lead", "res_partner"):
        cr.execute("ANALYZE %s" % table)


def registrations(env, args):
    """`args.registrations` drafts of one dealer: half name a known lead in another form, half are new."""
    Partner, Registration = env["res.partner"], env["crm.cn.deal.registration"]
    dealer = Partner.search([("name", "=", "Bench Dealer")], limit=1) or Partner.create(
        {"name": "Bench Dealer", "is_company": True, "cn_customer_class": "dealer"})
    old = Registration.search([("dealer_id", "=", dealer.id)])
    if len(old) == args.registrations:
        return old
    old.unlink()
    rng = random.Random(7)
    records = Registration.browse()
    for number in range(args.registrations):
        if number % 2:
            name, phone, email = company(rng, rng.randrange(args.leads))
        else:
            name, phone, email = "新客户%d贸易有限公司" % number, "139%08d" % number, "x@new%d.example.cn" % number
        records |= Registration.create({"dealer_id": dealer.id, "customer_name": name,
                                        "contact_name": "Buyer", "phone": phone, "email": email})
    env.cr.commit()
    return records


def part_register(args):
    with environment(args.db, commit=True) as env:
        _part_register(env, args)


def _part_register(env, args):
    fill_register(env, args)
    records = registrations(env, args)
    cr = env.cr
    found = {}

    def ours():
        for record in records:
            found[record.id] = {(model, record_id) for _reason, model, record_id in record._cn_find_conflicts()}

    def baseline():
        for record in records:
            cr.execute(BASELINE_SQL, {"names": [k for k in (record.cn_name_key, record.cn_name_key_en) if k]
                                      or [None], "phone": record.cn_phone_key or None,
                                      "domain": record.cn_email_domain or None, "self": record.id,
                                      "dealer": record.dealer_id.id})
            found.setdefault("sql", {})[record.id] = set(cr.fetchall())

    ours()
    baseline()
    differ = [record.id for record in records if found[record.id] != found["sql"][record.id]]
    matched = sum(1 for record in records if found[record.id])
    say("%d registrations, %d match a known customer, %s" % (
        len(records), matched, "the same matches as the SQL" if not differ else "DIFFER: %s" % differ[:5]))
    ours_time = best_of(args.runs, ours)
    baseline_time = best_of(args.runs, baseline)
    count = len(records)
    say("per registration: %.2f ms (SQL %.2f ms) against %d leads and %d partners" % (
        ours_time / count * 1000, baseline_time / count * 1000, args.leads, args.partners))
    # benchlib.report's two decimals would print 0.00 s: the same line with four
    ours_each, baseline_each = ours_time / count, baseline_time / count
    say("conflict check per registration: %.4f s vs SQL %.4f s = ratio %.2fx" % (
        ours_each, baseline_each, ours_each / baseline_each if baseline_each else float("inf")))
    if differ:
        sys.exit(1)




PARTS = {"forward": part_forward, "register": part_register}
# Each part's default sizes (the issue's): --leads means forwarded leads for one,
# opportunities to check against for the other.
DEFAULT_LEADS = {"forward": 10000, "register": 1000000}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", choices=sorted(PARTS), default="forward")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--drop", action="store_true", help="drop the bench database at the end")
    parser.add_argument("--db", help="default: cncl_bench_prm_<part>")
    parser.add_argument("--leads", type=int)
    parser.add_argument("--dealers", type=int, default=500)
    parser.add_argument("--rules", type=int, default=60)
    parser.add_argument("--partners", type=int, default=100000)
    parser.add_argument("--registrations", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    args.db = args.db or "cncl_bench_prm_%s" % args.part
    if args.leads is None:
        args.leads = DEFAULT_LEADS[args.part]
    if args.rebuild:
        drop_database(args.db)
    PARTS[args.part](args)
    if args.drop:
        import odoo
        odoo.sql_db.close_db(args.db)   # the registry's pooled connections
        drop_database(args.db)


if __name__ == "__main__":
    main()
