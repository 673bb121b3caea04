"""The access matrix (tests/access_matrix.csv) and the world its tests walk.

The matrix says, per (model, role), who may read, create, write and unlink:
`all` (own and other's record), `own` (own allowed, other's refused) or `none`.
`scope` names what the model's rules scope by, and so how its own and
other's record are built. The world has a salesperson (`cn_mx_sales`, team
"Matrix team") whose customer is the dealer company of the dealer user, and
another salesperson (`cn_mx_sales2`) with another dealer company:

- customer:    own belongs to (or is followed by) the dealer user's company,
               whose salesperson is the salesperson; other's to the other
               dealer company of the other salesperson.
- salesperson: own has the salesperson (and team) as user, for the dealer
               user's company; other's the other salesperson, other company.
- creator:     a wizard (transient) record created by the acting user; other's
               created by another user (Odoo's one implicit transient rule).
- owner:       own has user_id = the acting user; other's another user's.
- shared:      configuration without an owner: own and other's are two records
               (or one) alike.

The world is built once per test class (superuser), the same way for the ORM
and the XML-RPC walk; every operation is then tried as the role's user."""
import csv
import os
from collections import namedtuple

from odoo import fields
from odoo.exceptions import AccessError, ValidationError

from .common import (GROUP_ACCOUNTANT, GROUP_CREDIT_MANAGER, GROUP_MANAGER, GROUP_USER,
                     create_campaign, create_dealer, create_opportunity, create_order,
                     create_product, create_user, portal_user_of)
from .test_receivables_world import Accounting, days_ago

MATRIX_PATH = os.path.join(os.path.dirname(__file__), "access_matrix.csv")
ROLES = ("public", "dealer", "salesperson", "manager", "accountant", "credit_manager")
OPERATIONS = ("read", "create", "write", "unlink")
VALUES = ("all", "own", "none")
SCOPES = ("customer", "salesperson", "creator", "owner", "shared")
# Models the matrix names that another change brings; their rows are skipped
# (with a message) until the model is in the registry.
PENDING_MODELS = ("crm.cn.export",)

Row = namedtuple("Row", "model role read create write unlink scope note")


def load_matrix(path=MATRIX_PATH):
    """{(model, role): Row}; a malformed row fails loudly."""
    matrix = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for line_no, raw in enumerate(csv.DictReader(handle), start=2):
            row = Row(**{name: (raw.get(name) or "").strip() for name in Row._fields})
            assert row.role in ROLES, "line %d: unknown role %r" % (line_no, row.role)
            assert row.scope in SCOPES, "line %d: unknown scope %r" % (line_no, row.scope)
            for operation in OPERATIONS:
                assert getattr(row, operation) in VALUES, "line %d: %s is %r" % (
                    line_no, operation, getattr(row, operation))
            assert (row.model, row.role) not in matrix, "line %d: duplicate row" % line_no
            matrix[row.model, row.role] = row
    return matrix


def expected_outcome(row, operation, side):
    """'allowed' or 'refused' for the own or the other's record."""
    value = getattr(row, operation)
    if value == "all" or (value == "own" and side == "own"):
        return "allowed"
    return "refused"


def addon_models(env):
    """Every concrete model the addon defines or extends (ir.model `modules`)."""
    names = env["ir.model.data"].search([
        ("module", "=", "crm_cn_lifecycle"), ("model", "=", "ir.model")]).mapped("res_id")
    models = env["ir.model"].browse(names).mapped("model")
    return sorted(name for name in models if name in env and not env[name]._abstract)


class World(object):
    """Users of every role and, per model, an own and an other's record."""

    def __init__(self, env):
        self.env = env
        self.uniq = 0
        self.users = {
            "public": create_user(env, "cn_mx_public", ["base.group_public"]),
            "salesperson": create_user(env, "cn_mx_sales", ["base.group_user", GROUP_USER]),
            "manager": create_user(env, "cn_mx_manager", ["base.group_user", GROUP_MANAGER]),
            "accountant": create_user(env, "cn_mx_accountant", ["base.group_user", GROUP_ACCOUNTANT]),
            "credit_manager": create_user(env, "cn_mx_credit", ["base.group_user", GROUP_CREDIT_MANAGER]),
        }
        self.other_salesperson = create_user(env, "cn_mx_sales2", ["base.group_user", GROUP_USER])
        sales = self.users["salesperson"]
        Team = env["crm.team"]
        self.team = Team.create({"name": "Matrix team", "member_ids": [(4, sales.id)]})
        self.other_team = Team.create({"name": "Matrix team 2",
                                       "member_ids": [(4, self.other_salesperson.id)]})
        self.dealer = create_dealer(env, "Matrix Dealer", login="cn_mx_dealer", user_id=sales.id,
                                    team_id=self.team.id)
        self.other_dealer = create_dealer(env, "Matrix Other Dealer", login="cn_mx_dealer2",
                                          user_id=self.other_salesperson.id,
                                          team_id=self.other_team.id)
        self.users["dealer"] = portal_user_of(self.dealer)
        self.product = create_product(env, "Matrix paper", default_code="MX-PAPER")
        self.product2 = create_product(env, "Matrix pens", default_code="MX-PENS")
        self.accounting = Accounting(env)
        self.campaign = create_campaign(env, "Matrix campaign")
        self.owners = {"own": (sales, self.dealer, self.team),
                       "other": (self.other_salesperson, self.other_dealer, self.other_team)}
        self.leads = {side: create_opportunity(env, dealer, "Matrix opportunity %s" % side,
                                               user_id=user.id, team_id=team.id,
                                               campaign_id=self.campaign.id,
                                               date_deadline=days_ago(env, -10))
                      for side, (user, dealer, team) in self.owners.items()}
        self.orders = {side: create_order(env, dealer, [(self.product, 2, 25.0)], confirm=True,
                                          user_id=user.id, team_id=team.id)
                       for side, (user, dealer, team) in self.owners.items()}
        self.cache = {}
        self.quotations = {side: _quotation(self, side) for side in self.owners}
        self.held_quotation = create_order(env, self.dealer, [(self.product, 1, 25.0)], confirm=False,
                                           user_id=sales.id)  # the credit approval wizards' order
        self.tickets = {side: env["helpdesk.ticket"].create({
            "name": "Matrix ticket %s" % side, "description": "Broken", "partner_id": dealer.id,
            "cn_sale_order_id": self.orders[side].id})
            for side, (user, dealer, team) in self.owners.items()}
        Report = env["crm.cn.channel.stock.report"]
        for side, (user, dealer, team) in self.owners.items():
            Report.submit_report(dealer.id, days_ago(env, 3), [
                {"product_code": "MX-PAPER", "on_hand": 10, "sold": 2}])
        self.snapshots = {side: env["crm.cn.forecast.snapshot"].create({
            "snapshot_date": days_ago(env, 30), "week_start": days_ago(env, 21),
            "team_id": team.id, "user_id": user.id, "expected": 100.0})
            for side, (user, dealer, team) in self.owners.items()}

    # --- helpers ------------------------------------------------------------------
    def name(self, prefix):
        self.uniq += 1
        return "%s %d" % (prefix, self.uniq)

    def role_pair(self, role):
        """(the role's user, another user) for scopes `creator` and `owner`."""
        return self.users[role], self.other_salesperson

    def pair(self, model, build):
        """The (own, other) records of a model, built once."""
        if model not in self.cache:
            self.cache[model] = (build("own"), build("other"))
        return self.cache[model]

    def one_of(self, model, domain):
        record = self.env[model].search(domain, limit=1)
        assert record, "the world has no %s row matching %s" % (model, domain)
        return record

    def set_creator(self, record, user):
        """A transient record that `user` created (the ORM always writes the current uid)."""
        self.env.cr.execute("UPDATE %s SET create_uid = %%s WHERE id = %%s" % record._table,
                            (user.id, record.id))
        record.invalidate_cache()
        return record


def _parent(world, model, build, side):
    """A record other cells hang on (an order of lines ...), never itself a cell's
    record: deleting a cell's record over XML-RPC does not take it away."""
    key = ("parent", model, side)
    if key not in world.cache:
        world.cache[key] = build(world, side)
    return world.cache[key]


def _quotation(world, side):
    """A draft the dealer follows (as a DRP proposal or a quotation sent to it)."""
    user, dealer, team = world.owners[side]
    order = create_order(world.env, dealer, [(world.product, 1, 25.0)], confirm=False,
                         user_id=user.id, team_id=team.id)
    return _followed_by(order, dealer)


def _pending_line_vals(world, side):
    """A line waiting to be added to the side's draft order (the DRP batch job's queue)."""
    order = _parent(world, "sale.order", _quotation, side)
    return {"order_id": order.id, "dealer_id": world.owners[side][1].id,
            "product_id": world.product2.id, "quantity": 10.0, "amount": 250.0}


# --- per model: records (own, other), create values, write values -----------------
# Each spec: scope, records(world, role) -> (own, other), create(world, side, role) -> vals,
# write(record) -> vals. Values and records are built as superuser.
Spec = namedtuple("Spec", "scope records create write")


def _shared(model, make):
    """Two configuration records built by `make(world)` (own = other)."""
    def records(world, role):
        return world.pair(model, lambda side: make(world))
    return records


def _by_side(model, make):
    def records(world, role):
        return world.pair(model, lambda side: make(world, side))
    return records


def _creator(model, make):
    """Transient: own created by the acting role's user, other's by another user."""
    def records(world, role):
        key = (model, role)
        if key not in world.cache:
            world.cache[key] = tuple(world.set_creator(make(world), user)
                                     for user in world.role_pair(role))
        return world.cache[key]
    return records


def _owned(model):
    """Own: user_id is the acting role's user; other's: another user's."""
    def records(world, role):
        key = (model, role)
        if key not in world.cache:
            world.cache[key] = tuple(world.env[model].create({"user_id": user.id, "name": "Export"})
                                     for user in world.role_pair(role))
        return world.cache[key]
    return records


def _same(field):
    return lambda record: {field: record[field].id if hasattr(record[field], "id") else record[field]}


def _account_move(world):
    return world.env["account.move"].create({
        "journal_id": world.accounting.sale_journal.id, "ref": world.name("Matrix move"),
        "line_ids": [(0, 0, {"name": "zero", "account_id": world.accounting.income.id,
                             "debit": 0.0, "credit": 0.0})]})


def _draft_invoice(world, side):
    """A draft customer invoice the dealer follows."""
    user, dealer, team = world.owners[side]
    return _followed_by(world.env["account.invoice"].create({
        "partner_id": dealer.id, "user_id": user.id, "type": "out_invoice",
        "journal_id": world.accounting.sale_journal.id, "account_id": world.accounting.receivable.id,
        "invoice_line_ids": [(0, 0, {"name": "Goods", "account_id": world.accounting.income.id,
                                     "quantity": 1.0, "price_unit": 10.0})]}), dealer)


def _followed_by(record, partner):
    """Portal users read the orders and invoices their company follows."""
    record.message_subscribe(partner.ids)
    return record


def _report_row(model, field):
    """A row of a report (SQL view) whose `field` belongs to the side's owner."""
    def records(world, role):
        def build(side):
            user, dealer, team = world.owners[side]
            value = {"user_id": user.id, "partner_id": dealer.id, "dealer_id": dealer.id,
                     "order_id": world.orders[side].id, "ticket_id": world.tickets[side].id}[field]
            return world.one_of(model, [(field, "=", value)])
        return world.pair(model, build)
    return records


def _stock_report(world, side):
    user, dealer, team = world.owners[side]
    return world.env["crm.cn.channel.stock.report"].create({
        "dealer_id": dealer.id, "date": days_ago(world.env, 1),
        "line_ids": [(0, 0, {"product_id": world.product.id, "on_hand_qty": 5, "sold_qty": 1})]})


def _win_score(world, side):
    lead = world.leads[side]
    Score = world.env["crm.cn.win.score"]
    if not Score.search([("id", "=", lead.id)]):
        world.env.cr.execute("INSERT INTO crm_cn_win_score (id, probability, factors) "
                             "VALUES (%s, 50, 'matrix')", (lead.id,))
    return Score.browse(lead.id)


def _pyramid_line(world, side):
    user, dealer, team = world.owners[side]
    return world.env["crm.cn.pyramid.line"].create({
        "date": days_ago(world.env, 0), "company_id": world.env.user.company_id.id,
        "partner_id": dealer.id, "user_id": user.id, "tier": "key", "revenue": 100.0})


def _trend_row(world):
    """A month of the trends: the world's company has an open invoice."""
    Trend = world.env["crm.cn.trend.report"]
    if not Trend.search([], limit=1):
        world.accounting.invoice(world.dealer, 100.0, 0)
    return Trend.search([], limit=1)


def _tier_rule(world, side):
    """The rule of a tier the default data leaves out (own: lapsed, other's: prospect)."""
    tier = {"own": "lapsed", "other": "prospect"}[side]
    Rule = world.env["crm.cn.tier.rule"]
    company = world.env.user.company_id
    return Rule.search([("tier", "=", tier), ("company_id", "=", company.id)]) or Rule.create(
        {"tier": tier, "contact_days": 30, "company_id": company.id})


def _coverage_row(world, role):
    """The coverage row of each salesperson: its dealer is a key customer of the
    company's current pyramid, and key customers have a rule."""
    def build(side):
        user, dealer, team = world.owners[side]
        company = world.env.user.company_id
        Rule = world.env["crm.cn.tier.rule"]
        if not Rule.search([("tier", "=", "key"), ("company_id", "=", company.id)]):
            Rule.create({"tier": "key", "contact_days": 30, "company_id": company.id})
        world.env["crm.cn.pyramid.line"].create({
            "date": days_ago(world.env, 0), "is_current": True, "company_id": company.id,
            "partner_id": dealer.id, "user_id": user.id, "tier": "key"})
        return world.one_of("crm.cn.contact.coverage", [("user_id", "=", user.id)])
    return world.pair("crm.cn.contact.coverage", build)


def _win_loss_row(world, side):
    """The report row of a won opportunity of the side's salesperson."""
    user, dealer, _team = world.owners[side]
    lead = create_opportunity(world.env, dealer, world.name("Matrix won deal"), user_id=user.id)
    lead.action_set_won()
    return world.one_of("crm.cn.win.loss.report", [("lead_id", "=", lead.id)])


def _credit_policy_records(world, role):
    def build(side):
        Policy = world.env["crm.cn.credit.policy"]
        customer_class = {"own": "retail", "other": "oem"}[side]
        return Policy.search([("customer_class", "=", customer_class)], limit=1) or Policy.create(
            {"customer_class": customer_class, "credit_limit": 1000.0})
    return world.pair("crm.cn.credit.policy", build)


def _credit_limit_property_values(world, partner):
    field = world.env["ir.model.fields"].search([("model", "=", "res.partner"),
                                                 ("name", "=", "cn_credit_limit")])
    return {"name": "cn_credit_limit", "fields_id": field.id, "type": "float",
            "res_id": "res.partner,%d" % partner.id, "company_id": world.env.user.company_id.id}


def _credit_limit_property(world, side):
    """The dealer's credit limit in the main company: a company-dependent property."""
    values = _credit_limit_property_values(world, world.owners[side][1])
    Property = world.env["ir.property"]
    return Property.search([(name, "=", value) for name, value in values.items()
                            if name in ("fields_id", "res_id", "company_id")], limit=1) or \
        Property.create(dict(values, value_float=1000.0))


def _cron_vals(world):
    """An inactive scheduled action (the addon overrides how the cron worker runs them)."""
    return {"name": world.name("Matrix action"), "model_id": world.env.ref("base.model_res_partner").id,
            "state": "code", "code": "model.browse()", "interval_number": 1,
            "interval_type": "days", "numbercall": -1, "active": False}


def _matrix_companies(world):
    """The main company and two branches of it (the rule shows children to its users)."""
    Company = world.env["res.company"]
    main = world.env.user.company_id
    companies = main
    for name in ("Matrix Branch 1", "Matrix Branch 2"):
        companies |= Company.search([("name", "=", name)]) or Company.create(
            {"name": name, "parent_id": main.id, "currency_id": main.currency_id.id})
    return companies


def _free_tier_rule(world):
    """A tier and company without a rule yet (one rule per tier and company):
    XML-RPC creates really save, so each call takes the next free slot."""
    Rule = world.env["crm.cn.tier.rule"]
    slots = [(tier, company) for company in _matrix_companies(world)
             for tier in ("key", "big", "medium", "small", "prospect", "suspect", "lapsed")
             if not Rule.search([("company_id", "=", company.id), ("tier", "=", tier)])]
    world.uniq += 1
    tier, company = slots[world.uniq % len(slots)]
    return {"tier": tier, "contact_days": 30, "company_id": company.id}


def _free_policy(world):
    """A customer class and company without a policy yet. XML-RPC creates really
    save, and a class has one policy per company: two branches of the main
    company (the rule shows children to its users) make room for 13, so
    consecutive calls (own and other, every role) never pick the same slot."""
    companies = _matrix_companies(world)
    Policy = world.env["crm.cn.credit.policy"]
    slots = [(name, company) for company in companies
             for name in ("direct", "dealer", "agent", "retail", "oem")
             if not Policy.search([("company_id", "=", company.id), ("customer_class", "=", name)])]
    world.uniq += 1
    customer_class, company = slots[world.uniq % len(slots)]
    return {"customer_class": customer_class, "company_id": company.id, "credit_limit": 500.0}


def _state(world):
    return world.env["res.country.state"].create({
        "name": world.name("Matrix province"), "code": world.name("MX").replace(" ", ""),
        "country_id": world.env.ref("base.cn").id})


def _wizard(model, vals):
    return lambda world: world.env[model].create(vals(world))


def _relation_vals(world, side):
    """Own: the salesperson's dealer and a new company (no salesperson);
    other's: the other salesperson's dealer and a new company. A new right
    partner each time: the same relation twice is refused."""
    related = world.env["res.partner"].create({"name": world.name("Matrix related company"),
                                               "is_company": True})
    return {"left_partner_id": world.owners[side][1].id, "right_partner_id": related.id,
            "type_id": world.env.ref("crm_cn_lifecycle.relation_type_same_owner").id}


def _relation(world, side):
    return world.env["crm.cn.partner.relation"].create(_relation_vals(world, side))


def _goal_vals(world, side):
    return {"name": world.name("Matrix goal %s" % side), "base_date_from": days_ago(world.env, 400),
            "base_date_to": days_ago(world.env, 40), "deadline": days_ago(world.env, -300)}


def _goal_step(world, side):
    """A step the side's salesperson owns, on a goal of its own (so the goal is the side's too)."""
    goal = world.env["crm.cn.goal"].create(_goal_vals(world, side))
    return world.env["crm.cn.goal.step"].create({
        "goal_id": goal.id, "name": world.name("Matrix step"), "kpi": "converted",
        "target_change": 5.0, "user_id": world.owners[side][0].id})


def _goal_progress(world, side):
    step = _parent(world, "crm.cn.goal.step", _goal_step, side)
    return world.env["crm.cn.goal.progress"].create({
        "goal_id": step.goal_id.id, "step_id": step.id, "name": step.name,
        "date": days_ago(world.env, 0), "value": 1.0, "expected": 2.0})


SPECS = {
    # --- core models the addon extends or guards ---------------------------------------
    "res.partner": Spec("customer", _by_side("res.partner", lambda w, s: w.env["res.partner"].create(
        {"name": w.name("Matrix contact"), "parent_id": w.owners[s][1].id,
         "user_id": w.owners[s][0].id})),
                        lambda w, s, r: {"name": w.name("Matrix partner"), "is_company": True},
                        lambda rec: {"phone": "020-1234"}),
    "crm.lead": Spec("salesperson", _by_side("crm.lead", lambda w, s: create_opportunity(
        w.env, w.owners[s][1], w.name("Matrix opportunity"), user_id=w.owners[s][0].id,
        team_id=w.owners[s][2].id)),
                     lambda w, s, r: {"name": w.name("Matrix lead"), "type": "opportunity",
                                      "partner_id": w.owners[s][1].id, "user_id": w.owners[s][0].id,
                                      "team_id": w.owners[s][2].id},
                     lambda rec: {"description": "matrix"}),
    "sale.order": Spec("salesperson", _by_side("sale.order", _quotation),
                       lambda w, s, r: {"partner_id": w.owners[s][1].id, "user_id": w.owners[s][0].id,
                                        "team_id": w.owners[s][2].id},
                       lambda rec: {"client_order_ref": "matrix"}),
    "sale.order.line": Spec("salesperson",
                            _by_side("sale.order.line", lambda w, s: _parent(
                                w, "sale.order", _quotation, s).order_line[:1]),
                            lambda w, s, r: {"order_id": w.quotations[s].id,
                                             "product_id": w.product2.id, "product_uom_qty": 1},
                            lambda rec: {"name": "matrix"}),
    "crm.cn.drp.pending.line": Spec("salesperson", _by_side("crm.cn.drp.pending.line", lambda w, s: w.env[
        "crm.cn.drp.pending.line"].create(_pending_line_vals(w, s))),
        lambda w, s, r: _pending_line_vals(w, s), lambda rec: {"quantity": 9999.0}),
    "utm.campaign": Spec("shared", _shared("utm.campaign", lambda w: create_campaign(
        w.env, w.name("Matrix shared campaign"))),
        lambda w, s, r: {"name": w.name("Matrix new campaign")},
        lambda rec: {"name": rec.name + " (edited)"}),
    "helpdesk.ticket": Spec("customer", _by_side("helpdesk.ticket", lambda w, s: w.tickets[s]),
                            lambda w, s, r: {"name": w.name("Matrix new ticket"), "description": "x",
                                             "partner_id": w.owners[s][1].id},
                            lambda rec: {"description": "matrix"}),
    "stock.picking": Spec("customer",
                          _by_side("stock.picking", lambda w, s: w.orders[s].picking_ids[:1].copy(
                              {"partner_id": w.owners[s][1].id})),
                          lambda w, s, r: {
                              "partner_id": w.owners[s][1].id,
                              "picking_type_id": w.orders["own"].picking_ids[:1].picking_type_id.id,
                              "location_id": w.orders["own"].picking_ids[:1].location_id.id,
                              "location_dest_id": w.orders["own"].picking_ids[:1].location_dest_id.id},
                          lambda rec: {"note": "matrix"}),
    "stock.production.lot": Spec("customer", _by_side("stock.production.lot", lambda w, s: w.env[
        "stock.production.lot"].create({"name": w.name("MX-LOT"), "product_id": w.product.id,
                                        "cn_customer_id": w.owners[s][1].id})),
        lambda w, s, r: {"name": w.name("MX-NEWLOT"), "product_id": w.product.id,
                         "cn_customer_id": w.owners[s][1].id},
        lambda rec: {"ref": "matrix"}),
    "product.template": Spec("shared", _shared("product.template", lambda w: w.env[
        "product.template"].create({"name": w.name("Matrix template")})),
        lambda w, s, r: {"name": w.name("Matrix new template")},
        lambda rec: {"description_sale": "matrix"}),
    "product.category": Spec("shared", _shared("product.category", lambda w: w.env[
        "product.category"].create({"name": w.name("Matrix category")})),
        lambda w, s, r: {"name": w.name("Matrix new category")},
        lambda rec: {"name": rec.name + " (edited)"}),
    "res.company": Spec("shared", _shared("res.company", lambda w: w.env.ref("base.main_company")),
                        lambda w, s, r: {"name": w.name("Matrix company")},
                        lambda rec: {"phone": "020-5555"}),
    "res.config.settings": Spec("creator", _creator("res.config.settings", _wizard(
        "res.config.settings", lambda w: {})), lambda w, s, r: {}, _same("company_id")),
    "res.country.state": Spec("shared", _shared("res.country.state", _state),
                              lambda w, s, r: {"name": w.name("Matrix new province"),
                                               "code": w.name("MXN").replace(" ", ""),
                                               "country_id": w.env.ref("base.cn").id},
                              lambda rec: {"name": rec.name + " (edited)"}),
    "account.invoice": Spec("salesperson", _by_side("account.invoice", _draft_invoice),
                            lambda w, s, r: {"partner_id": w.owners[s][1].id,
                                             "user_id": w.owners[s][0].id, "type": "out_invoice",
                                             "journal_id": w.accounting.sale_journal.id,
                                             "account_id": w.accounting.receivable.id},
                            lambda rec: {"comment": "matrix"}),
    "account.invoice.line": Spec("salesperson", _by_side(
        "account.invoice.line", lambda w, s: w.env["account.invoice"].browse(
            _parent(w, "account.invoice", _draft_invoice, s).id).invoice_line_ids[:1]),
        lambda w, s, r: {"invoice_id": _parent(w, "account.invoice", _draft_invoice, s).id,
                         "name": "Matrix line", "quantity": 1.0, "price_unit": 1.0,
            "account_id": w.accounting.income.id},
        lambda rec: {"name": "matrix"}),
    "account.move": Spec("shared", _shared("account.move", _account_move),
                         lambda w, s, r: {"journal_id": w.accounting.sale_journal.id,
                                          "ref": w.name("Matrix new move")},
                         lambda rec: {"ref": "matrix"}),
    "account.move.line": Spec("shared", _shared("account.move.line", lambda w: _account_move(
        w).line_ids[:1]), lambda w, s, r: {
            "move_id": _parent(w, "account.move", lambda w, s: _account_move(w), "own").id,
            "name": "Matrix new line",
            "account_id": w.accounting.income.id, "debit": 0.0, "credit": 0.0},
        lambda rec: {"name": "matrix"}),
    "account.payment": Spec("customer", _by_side("account.payment", lambda w, s: w.env[
        "account.payment"].create(_payment_vals(w, s))),
        lambda w, s, r: _payment_vals(w, s), lambda rec: {"communication": "matrix"}),
    "account.payment.term": Spec("shared", _shared("account.payment.term", lambda w: w.env[
        "account.payment.term"].create({"name": w.name("Matrix term")})),
        lambda w, s, r: {"name": w.name("Matrix new term")},
        lambda rec: {"name": rec.name + " (edited)"}),
    "account.account": Spec("shared", _shared("account.account", lambda w: w.env[
        "account.account"].create({"code": w.name("MX").replace(" ", ""), "name": "Matrix account",
                                   "user_type_id": w.env.ref("account.data_account_type_revenue").id})),
        lambda w, s, r: {"code": w.name("MXN").replace(" ", ""), "name": "Matrix new account",
                         "user_type_id": w.env.ref("account.data_account_type_revenue").id},
        lambda rec: {"name": "Matrix account (edited)"}),
    "account.journal": Spec("shared", _shared("account.journal", lambda w: w.env[
        "account.journal"].create({"name": w.name("Matrix journal"), "type": "general",
                                   "code": "MJ%d" % w.uniq})),
        lambda w, s, r: {"name": w.name("Matrix new journal"), "type": "general",
                         "code": "MN%d" % w.uniq},
        lambda rec: {"name": rec.name + " (edited)"}),
    "crm.stage": Spec("shared", _shared("crm.stage", lambda w: w.env["crm.stage"].create(
        {"name": w.name("Matrix stage"), "sequence": 99})),
        lambda w, s, r: {"name": w.name("Matrix new stage"), "sequence": 99},
        lambda rec: {"name": rec.name + " (edited)"}),
    "crm.lead.tag": Spec("shared", _shared("crm.lead.tag", lambda w: w.env["crm.lead.tag"].create(
        {"name": w.name("Matrix tag")})), lambda w, s, r: {"name": w.name("Matrix new tag")},
        lambda rec: {"name": rec.name + " (edited)"}),
    "crm.lost.reason": Spec("shared", _shared("crm.lost.reason", lambda w: w.env[
        "crm.lost.reason"].create({"name": w.name("Matrix reason")})),
        lambda w, s, r: {"name": w.name("Matrix new reason")},
        lambda rec: {"name": rec.name + " (edited)"}),
    # --- the addon's models ------------------------------------------------------------
    "crm.cn.brand": Spec("shared", _shared("crm.cn.brand", lambda w: w.env["crm.cn.brand"].create(
        {"name": w.name("Matrix brand")})), lambda w, s, r: {"name": w.name("Matrix new brand")},
        lambda rec: {"code": "MXB"}),
    "crm.cn.territory": Spec("shared", _shared("crm.cn.territory", lambda w: w.env[
        "crm.cn.territory"].create({"name": w.name("Matrix territory"), "code": "MT%d" % w.uniq})),
        lambda w, s, r: {"name": w.name("Matrix new territory"), "code": "MTN%d" % w.uniq},
        lambda rec: {"note": "matrix"}),
    "crm.cn.campaign.cost": Spec("shared", _shared("crm.cn.campaign.cost", lambda w: w.env[
        "crm.cn.campaign.cost"].create({"campaign_id": w.campaign.id, "name": w.name("Booth"),
                                        "amount": 100.0})),
        lambda w, s, r: {"campaign_id": w.campaign.id, "name": w.name("Printing"), "amount": 50.0},
        lambda rec: {"name": "Booth (edited)"}),
    "crm.cn.campaign.response": Spec("shared", _shared("crm.cn.campaign.response", lambda w: w.env[
        "crm.cn.campaign.response"].create({"campaign_id": w.campaign.id,
                                            "contact_name": w.name("Visitor")})),
        lambda w, s, r: {"campaign_id": w.campaign.id, "contact_name": w.name("New visitor")},
        lambda rec: {"note": "matrix"}),
    "crm.cn.channel.stock.report": Spec("customer", _by_side("crm.cn.channel.stock.report",
                                                             _stock_report),
                                        lambda w, s, r: {"dealer_id": w.owners[s][1].id,
                                                         "date": days_ago(w.env, 2)},
                                        _same("date")),
    "crm.cn.channel.stock.report.line": Spec("customer", _by_side(
        "crm.cn.channel.stock.report.line", lambda w, s: _parent(
            w, "crm.cn.channel.stock.report", _stock_report, s).line_ids[:1]),
        lambda w, s, r: {"report_id": _parent(w, "crm.cn.channel.stock.report", _stock_report, s).id,
                         "product_id": w.product2.id, "on_hand_qty": 3,
            "sold_qty": 1},
        _same("on_hand_qty")),
    "ir.property": Spec("customer", _by_side("ir.property", _credit_limit_property),
                        lambda w, s, r: dict(_credit_limit_property_values(w, w.owners[s][1]),
                                             value_float=99999.0),
                        lambda rec: {"value_float": 99999.0}),
    "ir.cron": Spec("shared", _shared("ir.cron", lambda w: w.env["ir.cron"].create(_cron_vals(w))),
                    lambda w, s, r: _cron_vals(w), lambda rec: {"priority": 1}),
    "crm.cn.credit.policy": Spec("shared", _credit_policy_records,
                                 lambda w, s, r: _free_policy(w),
                                 lambda rec: {"hold_overdue_days": 45}),
    "crm.cn.drp.setting": Spec("customer", _by_side("crm.cn.drp.setting", lambda w, s: w.env[
        "crm.cn.drp.setting"].create({"dealer_id": w.owners[s][1].id, "product_id": create_product(
            w.env, w.name("Matrix DRP product")).id})),
        lambda w, s, r: {"dealer_id": w.owners[s][1].id, "product_id": w.product2.id},
        lambda rec: {"safety_qty": 2.0}),
    "crm.cn.forecast.snapshot": Spec("salesperson", _by_side("crm.cn.forecast.snapshot",
                                                             lambda w, s: w.snapshots[s]),
                                     lambda w, s, r: {"week_start": days_ago(w.env, -7),
                                                      "user_id": w.owners[s][0].id,
                                                      "team_id": w.owners[s][2].id,
                                                      "expected": 10.0},
                                     _same("expected")),
    "crm.cn.repurchase.rule": Spec("shared", _shared("crm.cn.repurchase.rule", lambda w: w.env[
        "crm.cn.repurchase.rule"].create({"categ_id": w.product.categ_id.id, "days": 90})),
        lambda w, s, r: {"categ_id": w.product.categ_id.id, "rule_type": "warranty", "days": 30},
        lambda rec: {"days": 60}),
    "crm.cn.stage.history": Spec("salesperson", _by_side("crm.cn.stage.history", lambda w, s: w.one_of(
        "crm.cn.stage.history", [("lead_id", "=", w.leads[s].id)])),
        lambda w, s, r: {"lead_id": w.leads[s].id, "stage_id": w.leads[s].stage_id.id},
        _same("date_in")),
    "crm.cn.win.model": Spec("shared", _shared("crm.cn.win.model", lambda w: w.env[
        "crm.cn.win.model"].create({"message": "matrix"})),
        lambda w, s, r: {"message": "matrix new"}, lambda rec: {"message": "edited"}),
    "crm.cn.win.score": Spec("salesperson", _by_side("crm.cn.win.score", _win_score),
                             lambda w, s, r: {"probability": 10.0, "factors": "matrix"},
                             lambda rec: {"factors": "edited"}),
    # --- reports (SQL views): read-only rows of the world ------------------------------
    "crm.cn.campaign.roi.report": Spec("salesperson", _report_row("crm.cn.campaign.roi.report",
                                                                  "user_id"),
                                       lambda w, s, r: {"user_id": w.owners[s][0].id},
                                       _same("user_id")),
    "crm.cn.channel.stock.estimate": Spec("customer", _report_row("crm.cn.channel.stock.estimate",
                                                                  "dealer_id"),
                                          lambda w, s, r: {"dealer_id": w.owners[s][1].id},
                                          _same("dealer_id")),
    "crm.cn.forecast.accuracy": Spec("salesperson", _report_row("crm.cn.forecast.accuracy", "user_id"),
                                     lambda w, s, r: {"user_id": w.owners[s][0].id},
                                     _same("user_id")),
    "crm.cn.forecast.report": Spec("salesperson", _report_row("crm.cn.forecast.report", "user_id"),
                                   lambda w, s, r: {"user_id": w.owners[s][0].id},
                                   _same("user_id")),
    "crm.cn.lifecycle.event": Spec("customer", _report_row("crm.cn.lifecycle.event", "partner_id"),
                                   lambda w, s, r: {"partner_id": w.owners[s][1].id},
                                   _same("partner_id")),
    "crm.cn.order.fx": Spec("salesperson", _report_row("crm.cn.order.fx", "order_id"),
                            lambda w, s, r: {"order_id": w.orders[s].id}, _same("order_id")),
    "crm.cn.pipeline.risk.report": Spec("customer", _report_row("crm.cn.pipeline.risk.report",
                                                                "partner_id"),
                                        lambda w, s, r: {"partner_id": w.owners[s][1].id},
                                        _same("partner_id")),
    "crm.cn.service.report": Spec("customer", _report_row("crm.cn.service.report", "ticket_id"),
                                  lambda w, s, r: {"ticket_id": w.tickets[s].id}, _same("ticket_id")),
    "crm.cn.win.analysis": Spec("salesperson", _report_row("crm.cn.win.analysis", "user_id"),
                                lambda w, s, r: {"user_id": w.owners[s][0].id}, _same("user_id")),
    "crm.cn.trend.report": Spec("shared", _shared("crm.cn.trend.report", _trend_row),
                                lambda w, s, r: {}, _same("month")),
    # --- wizards (transient): Odoo lets each user see only the ones it created ---------
    "crm.cn.channel.stock.upload": Spec("creator", _creator("crm.cn.channel.stock.upload", _wizard(
        "crm.cn.channel.stock.upload", lambda w: {"dealer_id": w.dealer.id, "file": "eA=="})),
        lambda w, s, r: {"dealer_id": w.dealer.id, "file": "eA=="}, _same("date")),
    "crm.cn.credit.approval.wizard": Spec("creator", _creator("crm.cn.credit.approval.wizard", _wizard(
        "crm.cn.credit.approval.wizard", lambda w: {"order_id": w.held_quotation.id,
                                                    "reason": "matrix"})),
        lambda w, s, r: {"order_id": w.held_quotation.id, "reason": "matrix"},
        lambda rec: {"reason": "edited"}),
    "crm.cn.credit.limit.wizard": Spec("creator", _creator("crm.cn.credit.limit.wizard", _wizard(
        "crm.cn.credit.limit.wizard", lambda w: {"partner_id": w.dealer.id, "credit_limit": 1.0})),
        lambda w, s, r: {"partner_id": w.dealer.id, "credit_limit": 1.0},
        lambda rec: {"note": "edited"}),
    "crm.cn.cross.sell": Spec("creator", _creator("crm.cn.cross.sell", _wizard(
        "crm.cn.cross.sell", lambda w: {"partner_id": w.dealer.id,
                                        "categ_id": w.product.categ_id.id})),
        lambda w, s, r: {"partner_id": w.dealer.id, "categ_id": w.product.categ_id.id},
        lambda rec: {"peer_count": 3}),
    "crm.cn.drp.proposal": Spec("creator", _creator("crm.cn.drp.proposal", _wizard(
        "crm.cn.drp.proposal", lambda w: {})), lambda w, s, r: {}, _same("state")),
    "crm.cn.drp.proposal.line": Spec("creator", _creator("crm.cn.drp.proposal.line", _wizard(
        "crm.cn.drp.proposal.line", lambda w: {"proposal_id": w.env["crm.cn.drp.proposal"].create(
            {}).id})), lambda w, s, r: {"proposal_id": _parent(
                w, "crm.cn.drp.proposal", lambda w, s: w.set_creator(
                    w.env["crm.cn.drp.proposal"].create({}), w.users[r]), r).id},
        _same("proposal_id")),
    "crm.cn.response.import": Spec("creator", _creator("crm.cn.response.import", _wizard(
        "crm.cn.response.import", lambda w: {"campaign_id": w.campaign.id, "file": "eA=="})),
        lambda w, s, r: {"campaign_id": w.campaign.id, "file": "eA=="}, _same("date")),
    "crm.cn.pyramid.line": Spec("salesperson", _by_side("crm.cn.pyramid.line", _pyramid_line),
                                lambda w, s, r: {"date": days_ago(w.env, 0), "tier": "key",
                                                 "company_id": w.env.user.company_id.id,
                                                 "partner_id": w.owners[s][1].id,
                                                 "user_id": w.owners[s][0].id},
                                lambda rec: {"tier": "small"}),
    # --- sales and margin analysis ------------------------------------------------------
    "crm.cn.price.band": Spec("shared", _shared("crm.cn.price.band", lambda w: w.env[
        "crm.cn.price.band"].create(_band_vals(w))), lambda w, s, r: _band_vals(w),
        lambda rec: {"name": rec.name + " (edited)"}),
    "crm.cn.sales.margin.report": Spec("customer", _report_row("crm.cn.sales.margin.report",
                                                               "partner_id"),
                                       lambda w, s, r: {"partner_id": w.owners[s][1].id},
                                       _same("partner_id")),
    "crm.cn.stock.cover.report": Spec("shared", _shared("crm.cn.stock.cover.report", lambda w: w.one_of(
        "crm.cn.stock.cover.report", [("product_id", "=", w.product.id)])),
        lambda w, s, r: {"product_id": w.product.id}, _same("product_id")),
    # --- tier rules and contact coverage ---------------------------------------------------
    "crm.cn.tier.rule": Spec("shared", _by_side("crm.cn.tier.rule", _tier_rule),
                             lambda w, s, r: _free_tier_rule(w),
                             lambda rec: {"contact_days": 45}),
    "crm.cn.contact.coverage": Spec("salesperson", _coverage_row,
                                    lambda w, s, r: {"user_id": w.owners[s][0].id}, _same("user_id")),
    # --- models another change brings ---------------------------------------------------
    "crm.cn.export": Spec("owner", _owned("crm.cn.export"),
                          lambda w, s, r: {"user_id": w.role_pair(r)[0 if s == "own" else 1].id, "name": "Export"},
                          lambda rec: {}),
    # --- relations between customers ------------------------------------------------------
    "crm.cn.relation.type": Spec("shared", _shared("crm.cn.relation.type", lambda w: w.env[
        "crm.cn.relation.type"].create({"name": w.name("Matrix partner of"),
                                        "name_inverse": "Matrix partner"})),
        lambda w, s, r: {"name": w.name("Matrix new relation"), "name_inverse": "Matrix new"},
        lambda rec: {"name_inverse": "Matrix (edited)"}),
    "crm.cn.partner.relation": Spec("customer", _by_side("crm.cn.partner.relation", _relation),
                                    lambda w, s, r: _relation_vals(w, s), lambda rec: {"note": "matrix"}),
    "crm.cn.partner.relation.all": Spec("customer", _by_side(
        "crm.cn.partner.relation.all", lambda w, s: w.env["crm.cn.partner.relation.all"].browse(
            _parent(w, "crm.cn.partner.relation", _relation, s).id * 2)),
        lambda w, s, r: {"this_partner_id": w.owners[s][1].id}, lambda rec: {"note": "matrix"}),
    # --- goals with measured steps --------------------------------------------------------
    "crm.cn.goal": Spec("salesperson", _by_side("crm.cn.goal", lambda w, s: _goal_step(w, s).goal_id),
        lambda w, s, r: _goal_vals(w, s), lambda rec: {"note": "matrix"}),
    "crm.cn.goal.step": Spec("salesperson", _by_side("crm.cn.goal.step", _goal_step),
                             lambda w, s, r: {"goal_id": _parent(w, "crm.cn.goal.step", _goal_step,
                                                                 s).goal_id.id,
                                              "name": w.name("Matrix new step"), "kpi": "lapsed",
                                              "user_id": w.owners[s][0].id},
                             lambda rec: {"name": "Matrix step (edited)"}),
    "crm.cn.goal.progress": Spec("salesperson", _by_side("crm.cn.goal.progress", _goal_progress),
                                 lambda w, s, r: {"goal_id": _parent(w, "crm.cn.goal.step", _goal_step,
                                                                     s).goal_id.id,
                                                  "name": "Matrix", "date": days_ago(w.env, 0)},
                                 lambda rec: {"value": 3.0}),
    "crm.cn.goal.curve": Spec("salesperson", _by_side("crm.cn.goal.curve", lambda w, s: w.one_of(
        "crm.cn.goal.curve", [("progress_id", "=", _parent(w, "crm.cn.goal.progress", _goal_progress,
                                                           s).id), ("series", "=", "actual")])),
        lambda w, s, r: {"name": "Matrix"}, _same("value")),
    "crm.cn.competitor": Spec("shared", _shared("crm.cn.competitor", lambda w: w.env["crm.cn.competitor"].create(
        {"name": w.name("Matrix competitor")})), lambda w, s, r: {"name": w.name("Matrix new competitor")},
        lambda rec: {"strengths": "matrix"}),
    "crm.lead.lost": Spec("creator", _creator("crm.lead.lost", _wizard("crm.lead.lost", lambda w: {})),
                          lambda w, s, r: {}, lambda rec: {"lost_reason_id": False}),
    "crm.cn.win.loss.report": Spec("salesperson", _by_side("crm.cn.win.loss.report", _win_loss_row),
                                   lambda w, s, r: {"user_id": w.owners[s][0].id}, _same("user_id")),
}


def _band_vals(world):
    """A price band of its own: the open-ended default band is closed far above
    any price first, since bands may not overlap."""
    Band = world.env["crm.cn.price.band"]
    Band.search([("max_price", "=", 0)]).write({"max_price": 1e9})
    world.uniq += 1
    return {"name": world.name("Matrix band"), "min_price": 1e9 + world.uniq * 10,
            "max_price": 1e9 + world.uniq * 10 + 5}


def _payment_vals(world, side):
    return {"payment_type": "inbound", "partner_type": "customer",
            "partner_id": world.owners[side][1].id, "amount": 10.0,
            "journal_id": world.accounting.bank_journal.id,
            "payment_method_id": world.accounting.inbound_method.id,
            "payment_date": fields.Date.context_today(world.env.user)}


# --- walking the matrix -----------------------------------------------------------
SIDES = ("own", "other")
PLAIN_TYPES = ("char", "date", "datetime", "float", "integer", "selection", "boolean", "monetary")


def read_field(model):
    """A stored plain field without `groups` (create_date where there is one)."""
    if "create_date" in model._fields and model._log_access:
        return "create_date"
    for name, field in model._fields.items():
        if field.store and not field.groups and field.type in PLAIN_TYPES and name != "id":
            return name
    return "id"


def coverage_problems(env, matrix):
    """Models of the addon without their six rows, rows of models that do not
    exist, and models without a factory: each a line of the failure message."""
    problems = []
    matrix_models = {model for model, _role in matrix}
    for model in addon_models(env):
        missing = [role for role in ROLES if (model, role) not in matrix]
        if missing:
            problems.append("%s: no row for %s in access_matrix.csv" % (model, ", ".join(missing)))
    for model in sorted(matrix_models | set(SPECS)):
        missing = [role for role in ROLES if (model, role) not in matrix]
        if missing and model in env:
            problems.append("%s: no row for %s in access_matrix.csv" % (model, ", ".join(missing)))
        if model not in env and model not in PENDING_MODELS:
            problems.append("%s: in access_matrix.csv but not in the registry" % model)
        if model not in SPECS:
            problems.append("%s: no factory in tests/access_world.py SPECS" % model)
    return sorted(set(problems))


def walked_models(env, matrix):
    """(models to walk, skip messages of models another change brings)."""
    models, skipped = [], []
    for model in sorted({model for model, _role in matrix} | set(addon_models(env)) | set(SPECS)):
        if model in env:
            models.append(model)
        else:
            skipped.append("%s is not in the registry yet: its rows are not checked" % model)
    return models, skipped


def cell_arguments(world, model, role, operation, side):
    """(record or None, values or field list) of one cell, built as superuser."""
    spec = SPECS[model]
    if operation == "create":
        return None, spec.create(world, side, role)
    own, other = spec.records(world, role)
    record = own if side == "own" else other
    if operation == "read":
        return record, [read_field(world.env[model])]
    if operation == "write":
        return record, spec.write(record)
    return record, None


def is_refusal(exc_type, message):
    """An AccessError, or the ValidationError Odoo raises when a constraint of
    a record just created cannot read it (the record rules refused it)."""
    if issubclass(exc_type, AccessError):
        return True
    return (issubclass(exc_type, ValidationError) and "Document type:" in message
            and "Operation:" in message)


def mismatch(row, operation, side, outcome):
    expected = expected_outcome(row, operation, side)
    if outcome == expected:
        return None
    return "%s as %s: %s %s record: expected %s, got %s%s" % (
        row.model, row.role, operation, "own" if side == "own" else "other's", expected, outcome,
        " (%s)" % row.note if row.note else "")


# --- forecast quotas, calls and the quarter screen ---------------------------------------
def _quota(world, side):
    return world.env["crm.cn.forecast.quota"].create({
        "user_id": world.owners[side][0].id, "quarter_start": days_ago(world.env, 0), "amount": 100.0})


def _call(world, side):
    """The side's salesperson's own call (entered as the system)."""
    return world.env["crm.cn.forecast.call"].create({"user_id": world.owners[side][0].id})


def _call_vals(world, side, role):
    """Salespeople call for themselves; managers call for a team (either side's)."""
    if role == "manager":
        return {"level": "team", "team_id": world.owners[side][2].id}
    return {"user_id": world.owners[side][0].id}


SPECS.update({
    "crm.cn.forecast.quota": Spec("salesperson", _by_side("crm.cn.forecast.quota", _quota),
                                  lambda w, s, r: {"user_id": w.owners[s][0].id,
                                                   "quarter_start": days_ago(w.env, 0), "amount": 50.0},
                                  lambda rec: {"amount": 200.0}),
    "crm.cn.forecast.call": Spec("salesperson", _by_side("crm.cn.forecast.call", _call),
                                 _call_vals, lambda rec: {"reason": "edited"}),
    "crm.cn.forecast.quota.import": Spec("creator", _creator("crm.cn.forecast.quota.import", _wizard(
        "crm.cn.forecast.quota.import", lambda w: {"file": "eA=="})),
        lambda w, s, r: {"file": "eA=="}, _same("filename")),
    "crm.cn.forecast.quarter": Spec("creator", _creator("crm.cn.forecast.quarter", _wizard(
        "crm.cn.forecast.quarter", lambda w: {})), lambda w, s, r: {}, _same("day")),
    "crm.cn.forecast.quarter.line": Spec("creator", _creator("crm.cn.forecast.quarter.line", _wizard(
        "crm.cn.forecast.quarter.line", lambda w: {"quarter_id": w.env["crm.cn.forecast.quarter"].create(
            {}).id})), lambda w, s, r: {"quarter_id": _parent(
                w, "crm.cn.forecast.quarter", lambda w, s: w.set_creator(
                    w.env["crm.cn.forecast.quarter"].create({}), w.users[r]), r).id},
        _same("quarter_id")),
})


# --- forecast: per-opportunity snapshots, what moved, the landing backtest --------------
def _snapshot_line(world, side, ago=14):
    user, _dealer, team = world.owners[side]
    return world.env["crm.cn.forecast.snapshot.line"].create({
        "snapshot_date": days_ago(world.env, ago), "lead_id": world.leads[side].id, "user_id": user.id,
        "team_id": team.id, "expected_revenue": 100.0, "probability": 50.0})


def _movement_row(world, side):
    """A row of what moved: the side's opportunity in two snapshots of its own days."""
    for ago in (35, 28):
        _snapshot_line(world, side, ago)
    return world.one_of("crm.cn.forecast.movement", [("lead_id", "=", world.leads[side].id),
                                                     ("date_to", "=", days_ago(world.env, 28))])


SPECS.update({
    "crm.cn.forecast.snapshot.line": Spec("salesperson", _by_side("crm.cn.forecast.snapshot.line",
                                                                  _snapshot_line),
                                          lambda w, s, r: {"snapshot_date": days_ago(w.env, 7),
                                                           "lead_id": w.leads[s].id,
                                                           "user_id": w.owners[s][0].id,
                                                           "team_id": w.owners[s][2].id},
                                          lambda rec: {"expected_revenue": 200.0}),
    "crm.cn.forecast.movement": Spec("salesperson", _by_side("crm.cn.forecast.movement", _movement_row),
                                     lambda w, s, r: {"user_id": w.owners[s][0].id}, _same("user_id")),
    "crm.cn.forecast.backtest": Spec("shared", _shared("crm.cn.forecast.backtest", lambda w: w.env[
        "crm.cn.forecast.backtest"].create({"as_of": days_ago(w.env, 10), "p10": 1.0})),
        lambda w, s, r: {"as_of": days_ago(w.env, 9), "p10": 2.0}, lambda rec: {"p50": 3.0}),
})


# --- deal registration: dealers' registrations, their products and conflicts -----------
def _deal_registration(world, side):
    user, dealer, team = world.owners[side]
    return world.env["crm.cn.deal.registration"].create({
        "dealer_id": dealer.id, "customer_name": world.name("Matrix registered customer"),
        "contact_name": "Matrix buyer", "line_ids": [(0, 0, {"product_id": world.product.id, "quantity": 1})]})


def _registration_of(world, side):
    return _parent(world, "crm.cn.deal.registration", _deal_registration, side)


SPECS.update({
    "crm.cn.deal.registration": Spec("customer", _by_side("crm.cn.deal.registration", _deal_registration),
                                     lambda w, s, r: {"dealer_id": w.owners[s][1].id,
                                                      "customer_name": "Matrix new customer",
                                                      "contact_name": "Matrix buyer"},
                                     lambda rec: {"city": "Foshan"}),
    "crm.cn.deal.registration.line": Spec("customer", _by_side(
        "crm.cn.deal.registration.line", lambda w, s: _registration_of(w, s).line_ids[:1]),
        lambda w, s, r: {"registration_id": _registration_of(w, s).id, "product_id": w.product2.id,
                         "quantity": 2}, lambda rec: {"quantity": 3}),
    "crm.cn.deal.registration.conflict": Spec("customer", _by_side(
        "crm.cn.deal.registration.conflict", lambda w, s: w.env["crm.cn.deal.registration.conflict"].create({
            "registration_id": _registration_of(w, s).id, "reason": "name", "lead_id": w.leads[s].id})),
        lambda w, s, r: {"registration_id": _registration_of(w, s).id, "reason": "phone",
                         "lead_id": w.leads[s].id}, lambda rec: {"reason": "email"}),
    "crm.cn.lead.line": Spec("salesperson", _by_side("crm.cn.lead.line", lambda w, s: w.env[
        "crm.cn.lead.line"].create({"lead_id": w.leads[s].id, "product_id": w.product.id,
                                    "product_uom_qty": 1})),
        lambda w, s, r: {"lead_id": w.leads[s].id, "product_id": w.product2.id, "product_uom_qty": 2},
        lambda rec: {"product_uom_qty": 5}),
})


# --- lead forwarding to dealers ----------------------------------------------------------
def _lead_forward(world, side, state="declined"):
    """A closed offer of a new lead of the side's salesperson to the side's dealer
    (closed: a lead holds one open offer, and cells build several)."""
    user, dealer, team = world.owners[side]
    lead = create_opportunity(world.env, dealer, world.name("Matrix forwarded lead"), user_id=user.id,
                              team_id=team.id)
    return {"lead_id": lead.id, "dealer_id": dealer.id, "state": state, "decline_reason": "matrix"}


SPECS.update({
    "crm.cn.forward.rule": Spec("shared", _shared("crm.cn.forward.rule", lambda w: w.env[
        "crm.cn.forward.rule"].create({"name": w.name("Matrix forwarding rule")})),
        lambda w, s, r: {"name": w.name("Matrix new forwarding rule")},
        lambda rec: {"name": rec.name + " (edited)"}),
    "crm.cn.lead.forward": Spec("customer", _by_side("crm.cn.lead.forward", lambda w, s: w.env[
        "crm.cn.lead.forward"].create(_lead_forward(w, s))),
        lambda w, s, r: _lead_forward(w, s), lambda rec: {"decline_reason": "matrix (edited)"}),
    "crm.cn.lead.forward.wizard": Spec("creator", _creator("crm.cn.lead.forward.wizard", _wizard(
        "crm.cn.lead.forward.wizard", lambda w: {"dealer_id": w.dealer.id})),
        lambda w, s, r: {"dealer_id": w.dealer.id}, _same("dealer_id")),
})


# --- scheduled work in batches: where each job stands (written by the system) -------------
def _cron_progress(world):
    count = world.env["crm.cn.cron.progress"].sudo().search_count([])
    return world.env["crm.cn.cron.progress"].sudo().create({
        "job": "matrix_job_%d" % count, "model": "crm.cn.repurchase.rule",
        "method": "_cron_create_repurchase_opportunities"})


SPECS.update({
    "crm.cn.cron.progress": Spec("shared", _shared("crm.cn.cron.progress", _cron_progress),
                                 lambda w, s, r: {"job": "matrix_new_%s_%s" % (s, r),
                                                  "model": "crm.cn.repurchase.rule",
                                                  "method": "_cron_create_repurchase_opportunities"},
                                 lambda rec: {"done_count": 7}),
})


# --- partner grades and the dealer scorecard -----------------------------------------------
def _scorecard(world, side):
    """A scorecard of the side's dealer, of a quarter of its own (one per dealer and quarter)."""
    _user, dealer, _team = world.owners[side]
    world.name("Scorecard")
    return world.env["crm.cn.dealer.scorecard"].create({
        "dealer_id": dealer.id, "user_id": dealer.user_id.id, "company_id": world.env.user.company_id.id,
        "date_start": days_ago(world.env, 1000 + world.uniq), "date_end": days_ago(world.env, 910 + world.uniq),
        "purchases": 100.0})


def _grade_history(world, side):
    _user, dealer, _team = world.owners[side]
    return world.env["crm.cn.partner.grade.history"].create({
        "partner_id": dealer.id, "source": "override", "reason": "Matrix reason"})


SPECS.update({
    "crm.cn.partner.grade": Spec("shared", _shared("crm.cn.partner.grade", lambda w: w.env[
        "crm.cn.partner.grade"].create({"name": w.name("Matrix grade")})),
        lambda w, s, r: {"name": w.name("New matrix grade")}, lambda rec: {"forward_priority": 3}),
    "crm.cn.partner.grade.history": Spec("customer", _by_side("crm.cn.partner.grade.history",
                                                              _grade_history),
                                         lambda w, s, r: {"partner_id": w.owners[s][1].id,
                                                          "source": "override", "reason": "Matrix"},
                                         _same("reason")),
    "crm.cn.dealer.scorecard": Spec("customer", _by_side("crm.cn.dealer.scorecard", _scorecard),
                                    lambda w, s, r: {"dealer_id": w.owners[s][1].id,
                                                     "company_id": w.env.user.company_id.id,
                                                     "date_start": days_ago(w.env, 300),
                                                     "date_end": days_ago(w.env, 210)},
                                    _same("purchases")),
})
