#!/usr/bin/env python
"""Partner relationship management bench, one part per feature (`--part`).

register: the conflict check of deal registrations
(crm.cn.deal.registration._cn_find_conflicts: equality lookups on the indexed
customer keys) against 1M opportunities and 100k customers, timed over 100
registrations, against a plain-SQL baseline (one UNION of single-key
lookups per registration); both must find the same records.

Builds its own database (cncl_bench_prm: the addon installed without demo,
then the leads and partners copied in with their keys computed by
tools/name_keys.py, as the install fills them).
The last line of a part is `<what>: <ours> s vs SQL <baseline> s = ratio <r>x`.

    .venv/bin/python bench/prm.py --part register [--rebuild] [--leads 1000000]
        [--partners 100000] [--registrations 100] [--db NAME] [--runs 3] [--drop]
"""
import argparse
import io
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import best_of, drop_database, environment, say  # noqa: E402



def name_keys_module():
    """tools/name_keys.py, once the environment has put the addon on the path."""
    from odoo.addons.crm_cn_lifecycle.tools import name_keys
    return name_keys

DB = "cncl_bench_prm"
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


def part_register(env, args):
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


PARTS = {"register": part_register}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", choices=sorted(PARTS), default="register")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--drop", action="store_true", help="drop the bench database at the end")
    parser.add_argument("--db", default=DB)
    parser.add_argument("--leads", type=int, default=1000000)
    parser.add_argument("--partners", type=int, default=100000)
    parser.add_argument("--registrations", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.rebuild:
        drop_database(args.db)
    with environment(args.db, commit=True) as env:
        PARTS[args.part](env, args)
    if args.drop:
        import odoo
        odoo.sql_db.close_db(args.db)   # the registry's pooled connections
        drop_database(args.db)


if __name__ == "__main__":
    main()
