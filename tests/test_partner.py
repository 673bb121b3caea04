"""Customer class, channel flag, territory and region on partners."""
from .common import LifecycleCase, create_customer, create_dealer, create_territory


class TestPartner(LifecycleCase):

    @classmethod
    def setUpClass(cls):
        super(TestPartner, cls).setUpClass()
        cls.territory = create_territory(
            cls.env, user_id=cls.salesperson.id,
            state_ids=[(6, 0, [cls.env.ref("l10n_cn.state_GD").id])])

    def test_dealers_and_agents_are_channel_partners(self):
        dealer = create_dealer(self.env, "Dealer")
        agent = create_customer(self.env, "Agent", "agent")
        direct = create_customer(self.env, "Direct", "direct")
        self.assertTrue(dealer.cn_is_dealer)
        self.assertTrue(agent.cn_is_dealer)
        self.assertFalse(direct.cn_is_dealer)
        direct.cn_customer_class = "dealer"
        self.assertTrue(direct.cn_is_dealer)

    def test_region_follows_province(self):
        customer = create_customer(self.env, "Wuhan Office", state_id=self.env.ref("l10n_cn.state_HB").id)
        self.assertEqual(customer.cn_region, "central")
        customer.state_id = self.env.ref("l10n_cn.state_SH")
        self.assertEqual(customer.cn_region, "east")

    def test_contacts_share_class_and_territory_of_their_company(self):
        company = create_customer(self.env, "Company", "oem", cn_territory_id=self.territory.id)
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": company.id})
        self.assertEqual(contact.cn_customer_class, "oem")
        self.assertEqual(contact.cn_territory_id, self.territory)
        company.cn_customer_class = "direct"
        self.assertEqual(contact.cn_customer_class, "direct")

    def test_customer_created_in_territory_goes_to_its_salesperson(self):
        customer = create_customer(self.env, "Customer", cn_territory_id=self.territory.id)
        self.assertEqual(customer.user_id, self.salesperson)

    def test_explicit_salesperson_wins_over_territory(self):
        customer = create_customer(self.env, "Customer", cn_territory_id=self.territory.id,
                                   user_id=self.other_salesperson.id)
        self.assertEqual(customer.user_id, self.other_salesperson)

    def test_territory_counts_its_customers(self):
        create_customer(self.env, "A", cn_territory_id=self.territory.id)
        create_customer(self.env, "B", cn_territory_id=self.territory.id)
        self.assertEqual(self.territory.partner_count, 2)
        action = self.territory.action_view_partners()
        self.assertEqual(self.env["res.partner"].search(action["domain"]).mapped("name"), ["A", "B"])

    def test_opportunity_carries_customer_class_and_territory(self):
        customer = create_customer(self.env, "Customer", "retail", cn_territory_id=self.territory.id)
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": customer.id})
        lead = self.env["crm.lead"].create({"name": "Deal", "type": "opportunity", "partner_id": contact.id})
        self.assertEqual(lead.cn_customer_class, "retail")
        self.assertEqual(lead.cn_territory_id, self.territory)

    def test_brand_counts_products(self):
        brand = self.env["crm.cn.brand"].create({"name": "Deli"})
        self.env["product.template"].create({"name": "Copy paper", "cn_brand_id": brand.id})
        self.assertEqual(brand.product_count, 1)
