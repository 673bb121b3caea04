"""Each group can do what its job needs and is refused the rest."""
from odoo.exceptions import AccessError

from .common import LifecycleCase, create_customer, create_dealer, create_opportunity, \
    create_territory, portal_user_of


class TestSecurity(LifecycleCase):

    @classmethod
    def setUpClass(cls):
        super(TestSecurity, cls).setUpClass()
        cls.customer = create_customer(cls.env, "Customer")
        cls.own_lead = create_opportunity(cls.env, cls.customer, "Own", user_id=cls.salesperson.id)
        cls.others_lead = create_opportunity(cls.env, cls.customer, "Other", user_id=cls.other_salesperson.id)
        cls.territory = create_territory(cls.env)
        cls.order = cls.env["sale.order"].create({"partner_id": cls.customer.id})

    def test_user_group_is_a_salesperson(self):
        self.assertTrue(self.salesperson.has_group("sales_team.group_sale_salesman"))
        self.assertFalse(self.salesperson.has_group("sales_team.group_sale_manager"))

    def test_manager_group_is_a_sales_manager(self):
        self.assertTrue(self.manager.has_group("sales_team.group_sale_manager"))
        self.assertTrue(self.manager.has_group("crm_cn_lifecycle.group_user"))

    def test_credit_manager_is_an_accountant(self):
        self.assertTrue(self.credit_manager.has_group("crm_cn_lifecycle.group_accountant"))

    def test_salesperson_sees_own_opportunities_only(self):
        leads = self.env["crm.lead"].sudo(self.salesperson).search([("partner_id", "=", self.customer.id)])
        self.assertEqual(leads, self.own_lead)
        with self.assertRaises(AccessError):
            self.others_lead.sudo(self.salesperson).read(["name"])

    def test_manager_sees_every_opportunity(self):
        leads = self.env["crm.lead"].sudo(self.manager).search([("partner_id", "=", self.customer.id)])
        self.assertEqual(leads, self.own_lead | self.others_lead)

    def test_accountant_reads_the_whole_pipeline(self):
        leads = self.env["crm.lead"].sudo(self.accountant).search([("partner_id", "=", self.customer.id)])
        self.assertEqual(leads, self.own_lead | self.others_lead)
        self.assertEqual(self.own_lead.sudo(self.accountant).planned_revenue, 10000.0)

    def test_accountant_cannot_write_the_pipeline(self):
        lead = self.own_lead.sudo(self.accountant)
        with self.assertRaises(AccessError):
            lead.write({"planned_revenue": 1.0})
        with self.assertRaises(AccessError):
            self.env["crm.lead"].sudo(self.accountant).create({"name": "New"})
        with self.assertRaises(AccessError):
            lead.unlink()

    def test_accountant_reads_but_cannot_change_orders(self):
        order = self.order.sudo(self.accountant)
        self.assertEqual(order.partner_id, self.customer)
        with self.assertRaises(AccessError):
            order.write({"note": "changed"})

    def test_salesperson_reads_territories_but_cannot_change_them(self):
        territory = self.territory.sudo(self.salesperson)
        self.assertEqual(territory.name, "South China")
        with self.assertRaises(AccessError):
            territory.write({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.env["crm.cn.territory"].sudo(self.salesperson).create({"name": "New", "code": "N"})

    def test_manager_maintains_territories_and_brands(self):
        territory = self.env["crm.cn.territory"].sudo(self.manager).create({"name": "East", "code": "E"})
        territory.write({"name": "East China"})
        brand = self.env["crm.cn.brand"].sudo(self.manager).create({"name": "M&G"})
        brand.unlink()
        self.assertEqual(territory.name, "East China")

    def test_dealer_portal_user_cannot_read_the_pipeline_or_territories(self):
        dealer = create_dealer(self.env, "Dealer", login="cn_dealer")
        user = portal_user_of(dealer)
        self.assertTrue(user.share)
        with self.assertRaises(AccessError):
            self.env["crm.lead"].sudo(user).search([])
        with self.assertRaises(AccessError):
            self.territory.sudo(user).read(["name"])
