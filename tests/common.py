"""Factories that build a small world for each test; no demo data is used."""
from contextlib import contextmanager

from odoo import SUPERUSER_ID, api
from odoo.tests.common import HttpCase, SavepointCase

GROUP_USER = "crm_cn_lifecycle.group_user"
GROUP_MANAGER = "crm_cn_lifecycle.group_manager"
GROUP_ACCOUNTANT = "crm_cn_lifecycle.group_accountant"
GROUP_CREDIT_MANAGER = "crm_cn_lifecycle.group_credit_manager"


def create_user(env, login, group_xmlids, **values):
    """An internal (or portal) user whose password is its login."""
    groups = [env.ref(xmlid).id for xmlid in group_xmlids]
    vals = {
        "login": login,
        "password": login,
        "email": "%s@example.com" % login,
        "groups_id": [(6, 0, groups)],
    }
    vals.update(values)
    if not vals.get("partner_id"):
        vals["name"] = login.replace("_", " ").title()
    return env["res.users"].with_context(no_reset_password=True).create(vals)


def create_territory(env, name="South China", code="SC", **values):
    vals = {"name": name, "code": code}
    vals.update(values)
    return env["crm.cn.territory"].create(vals)


def create_customer(env, name, customer_class="direct", **values):
    vals = {"name": name, "is_company": True, "customer": True,
            "cn_customer_class": customer_class}
    vals.update(values)
    return env["res.partner"].create(vals)


def create_dealer(env, name="Guangzhou Dealer", login=None, **values):
    """A dealer company; with `login`, also a contact with portal access."""
    dealer = create_customer(env, name, "dealer", **values)
    if login:
        contact = env["res.partner"].create({
            "name": "%s contact" % name, "parent_id": dealer.id, "email": "%s@example.com" % login})
        create_user(env, login, ["base.group_portal"], partner_id=contact.id)
    return dealer


def portal_user_of(dealer):
    return dealer.child_ids.mapped("user_ids")[:1]


def create_opportunity(env, partner, name="Opportunity", **values):
    vals = {"name": name, "type": "opportunity", "partner_id": partner.id,
            "planned_revenue": 10000.0}
    vals.update(values)
    return env["crm.lead"].create(vals)


def create_campaign(env, name="2026 Guangzhou Office Expo", **values):
    vals = {"name": name, "cn_type": "trade_show"}
    vals.update(values)
    return env["utm.campaign"].create(vals)


def create_product(env, name="Copy paper A4", price=25.0, cost=15.0, **values):
    vals = {"name": name, "type": "product", "list_price": price, "standard_price": cost}
    vals.update(values)
    return env["product.product"].create(vals)


def create_order(env, partner, lines, confirm=True, **values):
    """A sale order of (product, quantity, unit price) lines, confirmed by default."""
    vals = {"partner_id": partner.id, "order_line": [
        (0, 0, {"product_id": product.id, "product_uom_qty": quantity, "price_unit": price})
        for product, quantity, price in lines]}
    vals.update(values)
    order = env["sale.order"].create(vals)
    if confirm:
        order.action_confirm()
    return order


class LifecycleCase(SavepointCase):
    """Users of every role of the addon, built once per test class."""

    @classmethod
    def setUpClass(cls):
        super(LifecycleCase, cls).setUpClass()
        env = cls.env
        cls.salesperson = create_user(env, "cn_sales", ["base.group_user", GROUP_USER])
        cls.other_salesperson = create_user(env, "cn_sales2", ["base.group_user", GROUP_USER])
        cls.manager = create_user(env, "cn_manager", ["base.group_user", GROUP_MANAGER])
        cls.accountant = create_user(env, "cn_accountant", ["base.group_user", GROUP_ACCOUNTANT])
        cls.credit_manager = create_user(env, "cn_credit", ["base.group_user", GROUP_CREDIT_MANAGER])


class LifecycleHttpCase(HttpCase):
    """HttpCase whose test data is visible to the HTTP server.

    Odoo 11's HttpCase serves requests from its own test cursor, not from the
    test's cursor: build the world on that cursor, save it, and release its
    lock so that the server threads can use it."""

    def setUp(self):
        super(LifecycleHttpCase, self).setUp()
        self.server_cr = self.registry.cursor()  # in test mode: the shared test cursor, locked
        self.env = api.Environment(self.server_cr, SUPERUSER_ID, {})
        self.build_world()
        self.server_cr.commit()  # a savepoint the server's rollbacks come back to
        self.server_cr.release()

    def build_world(self):
        """Create the records the test's requests work on (self.env)."""

    @contextmanager
    def server_cursor(self):
        """Use self.env between requests: take the cursor's lock, drop stale cache."""
        self.server_cr.acquire()
        try:
            self.env.cache.invalidate()
            yield self.env
        finally:
            self.server_cr.release()

    def authenticate(self, user, password):
        """HttpCase.authenticate reads the user through self.cr: use the server's."""
        with self.server_cursor():
            own_cr, self.cr = self.cr, self.server_cr
            try:
                super(LifecycleHttpCase, self).authenticate(user, password)
            finally:
                self.cr = own_cr


def create_company(env, name, currency, **values):
    """A company of its own (no parent) keeping its books in `currency`."""
    currency.active = True
    vals = {"name": name, "currency_id": currency.id}
    vals.update(values)
    return env["res.company"].create(vals)


@contextmanager
def current_company(env, company):
    """Work as env's user in `company` (what the company switcher does), then switch back."""
    user = env.user
    previous = user.company_id
    user.write({"company_ids": [(4, company.id)], "company_id": company.id})
    try:
        yield company
    finally:
        user.write({"company_id": previous.id})
