"""Both ends of the upgrade test (scripts/upgrade_test.sh).

  upgrade_check.py CONFIG DB before STATE.json   on the previous version: add the
      data its migrations must carry (credit limits, a second company), then
      record every record id of the addon's models and those limits
  upgrade_check.py CONFIG DB after STATE.json    on the upgraded database: every
      recorded record is still there, each limit is the customer's limit in
      its company (in every company for a customer shared by all), and every
      view of the addon still loads

Prints what it checked; exits 1 listing what is missing or broken.
"""
import json
import os
import sys

os.environ.setdefault("ODOO_PRELOAD_ADDONS", "no")
import odoo  # noqa: E402
from odoo import SUPERUSER_ID, api  # noqa: E402

MODULE = "crm_cn_lifecycle"
# (customer's position among the demo customers, limit, shared by every company)
CREDIT_LIMITS = ((0, 50000.0, False), (1, 120000.0, False), (2, 8000.0, True))


def addon_models(env):
    """The stored, non-transient models the addon defines."""
    data = env["ir.model.data"].search([("module", "=", MODULE), ("model", "=", "ir.model")])
    names = []
    for model in env["ir.model"].browse(data.mapped("res_id")):
        if model.model in env and not model.transient and not env[model.model]._abstract \
                and env[model.model]._auto:
            names.append(model.model)
    return sorted(names)


def before(env, state_path):
    second = env["res.company"].create({"name": "Upgrade Test Export Co.", "currency_id": env.ref("base.USD").id})
    customers = env["res.partner"].search([("customer", "=", True), ("is_company", "=", True),
                                           ("cn_customer_class", "!=", False)], order="id", limit=3)
    assert len(customers) == 3, "the previous version's demo data has fewer than 3 classified customers"
    limits = []
    for position, limit, shared in CREDIT_LIMITS:
        customer = customers[position]
        customer.write({"cn_credit_limit": limit, "company_id": False if shared else env.user.company_id.id})
        limits.append({"partner": customer.id, "limit": limit,
                       "companies": sorted([env.user.company_id.id, second.id] if shared
                                           else [env.user.company_id.id])})
    records = {}
    for model in addon_models(env):
        records[model] = env[model].with_context(active_test=False).search([], order="id").ids
    views = env["ir.model.data"].search([("module", "=", MODULE), ("model", "=", "ir.ui.view")]).mapped("name")
    with open(state_path, "w") as handle:
        json.dump({"records": records, "limits": limits, "views": views}, handle)
    print("before: %d models, %d records, %d credit limits, %d views" % (
        len(records), sum(len(ids) for ids in records.values()), len(limits), len(views)))
    return []


def check_views(env):
    """Every view of the addon, combined with what inherits from it, as the web client asks for it."""
    problems = []
    data = env["ir.model.data"].search([("module", "=", MODULE), ("model", "=", "ir.ui.view")])
    views = env["ir.ui.view"].browse(data.mapped("res_id"))
    for view in views:
        try:
            if view.type == "qweb" or not view.model:
                view.read_combined(["arch"])
            else:
                env[view.model].fields_view_get(view_id=view.id, view_type=view.type)
        except Exception as error:  # pylint: disable=broad-except
            problems.append("view %s (%s) does not load: %s" % (view.xml_id, view.model, error))
    return problems, len(views)


def check_forecast_categories(env):
    """11.0.1.2.0: Odoo's stages and the opportunities already there have their forecast category."""
    proposition = env.ref("crm.stage_lead3")
    Lead = env["crm.lead"].with_context(active_test=False)
    problems = []
    if proposition.cn_forecast_category != "best_case":
        problems.append("stage %s: forecast category %s, not best_case" % (
            proposition.name, proposition.cn_forecast_category))
    closed = Lead.search_count([("type", "=", "opportunity"), "|", ("active", "=", False),
                                ("probability", ">=", 100), ("cn_forecast_category", "!=", "omitted")])
    if closed:
        problems.append("%d closed opportunities are not omitted from the forecast" % closed)
    in_proposition = Lead.search_count([("type", "=", "opportunity"), ("active", "=", True),
                                        ("probability", "<", 100), ("stage_id", "=", proposition.id),
                                        ("cn_forecast_category", "!=", "best_case")])
    if in_proposition:
        problems.append("%d open opportunities in %s are not best case" % (in_proposition, proposition.name))
    return problems


def check_cron_priorities(env):
    """11.0.1.3.0: the resume action of batched work runs after the other due actions."""
    cron = env.ref("crm_cn_lifecycle.cron_resume_batches")
    return [] if cron.priority == 20 else ["the resume action has priority %d, not 20" % cron.priority]


def after(env, state_path):
    with open(state_path) as handle:
        state = json.load(handle)
    problems = []
    for model, ids in sorted(state["records"].items()):
        if model not in env:
            problems.append("model %s is gone (%d records)" % (model, len(ids)))
            continue
        found = set(env[model].with_context(active_test=False).browse(ids).exists().ids)
        missing = sorted(set(ids) - found)
        if missing:
            problems.append("%s: %d of %d records gone (ids %s)" % (model, len(missing), len(ids), missing[:10]))
    for row in state["limits"]:
        for company_id in row["companies"]:
            partner = env["res.partner"].with_context(force_company=company_id).browse(row["partner"])
            if partner.cn_credit_limit != row["limit"]:
                problems.append("partner %s in company %s: credit limit %s, was %s" % (
                    row["partner"], company_id, partner.cn_credit_limit, row["limit"]))
    problems += check_forecast_categories(env)
    problems += check_cron_priorities(env)
    now = set(env["ir.model.data"].search([("module", "=", MODULE), ("model", "=", "ir.ui.view")]).mapped("name"))
    view_problems, view_count = check_views(env)
    problems += view_problems
    print("after: %d models' records all there, %d credit limits per company, %d views load "
          "(%d views before, %d now)" % (len(state["records"]), sum(len(r["companies"]) for r in state["limits"]),
                                          view_count - len(view_problems), len(state["views"]), len(now)))
    return problems


def main(config, database, step, state_path):
    odoo.tools.config.parse_config(["-c", config, "-d", database, "--log-level=warn"])
    with api.Environment.manage(), odoo.registry(database).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        problems = {"before": before, "after": after}[step](env, state_path)
        if problems:
            cr.rollback()
            for problem in problems:
                print("FAIL", problem)
            return 1
        cr.commit()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 5 or sys.argv[3] not in ("before", "after"):
        raise SystemExit(__doc__)
    sys.exit(main(*sys.argv[1:]))
