"""The lifecycle chain and the stage history."""
from odoo.exceptions import AccessError

from .common import LifecycleCase, create_campaign, create_customer, create_opportunity, \
    create_order, create_product
from .test_receivables_world import Accounting


def deliver(order):
    """Deliver a confirmed order in full from the stock it reserved."""
    for picking in order.picking_ids:
        picking.action_assign()
        for line in picking.move_line_ids:
            line.qty_done = line.product_uom_qty
        picking.action_done()


class TestLifecycleChain(LifecycleCase):

    @classmethod
    def setUpClass(cls):
        super(TestLifecycleChain, cls).setUpClass()
        env = cls.env
        cls.accounting = Accounting(env)
        cls.campaign = create_campaign(env)
        cls.fan = create_product(env, "Ceiling fan 52\"", price=95.0, cost=60.0,
                                 invoice_policy="delivery", taxes_id=[(6, 0, [])])
        stock = env.ref("stock.stock_location_stock")
        env["stock.quant"]._update_available_quantity(cls.fan, stock, 100)
        cls.customer = create_customer(env, "Lone Star Home Supply", user_id=cls.salesperson.id)
        cls.lead = env["crm.lead"].create({"name": "Booth visitor", "type": "lead",
                                           "campaign_id": cls.campaign.id,
                                           "user_id": cls.salesperson.id})
        env["crm.cn.campaign.response"].create(
            {"campaign_id": cls.campaign.id, "lead_id": cls.lead.id, "date": "2026-01-10"})
        cls.lead.write({"type": "opportunity", "partner_id": cls.customer.id})
        cls.order = create_order(env, cls.customer, [(cls.fan, 10, 95.0)],
                                 opportunity_id=cls.lead.id, campaign_id=cls.campaign.id,
                                 user_id=cls.salesperson.id)
        deliver(cls.order)
        cls.invoice = env["account.invoice"].browse(cls.order.action_invoice_create())
        cls.invoice.action_invoice_open()
        cls.payment = cls.accounting.pay(cls.invoice, cls.invoice.amount_total, 0)
        cls.ticket = env["helpdesk.ticket"].create(
            {"name": "Fan wobbles", "description": "Wobbles at top speed", "partner_id": cls.customer.id})
        cls.repurchase = create_order(env, cls.customer, [(cls.fan, 5, 95.0)], user_id=cls.salesperson.id)

    def chain(self, user=None):
        events = self.env["crm.cn.lifecycle.event"].sudo(user or self.env.user).search(
            [("partner_id", "=", self.customer.id)])
        return {(event.step, event.res_model, event.res_id) for event in events}

    def test_chain_links_every_step_to_its_document(self):
        picking = self.order.picking_ids
        expected = {
            ("1_response", "crm.cn.campaign.response", self.campaign.cn_response_ids.id),
            ("2_lead", "crm.lead", self.lead.id),
            ("3_opportunity", "crm.lead", self.lead.id),
            ("4_quotation", "sale.order", self.order.id),
            ("4_quotation", "sale.order", self.repurchase.id),
            ("5_order", "sale.order", self.order.id),
            ("6_delivery", "stock.picking", picking.id),
            ("7_invoice", "account.invoice", self.invoice.id),
            ("8_payment", "account.payment", self.payment.id),
            ("9_ticket", "helpdesk.ticket", self.ticket.id),
            ("10_repurchase", "sale.order", self.repurchase.id),
        }
        self.assertEqual(self.chain(), expected)

    def test_chain_carries_dates_amounts_and_campaign(self):
        events = self.env["crm.cn.lifecycle.event"].search(
            [("partner_id", "=", self.customer.id), ("step", "=", "5_order")])
        self.assertEqual(events.date, self.order.confirmation_date)
        self.assertAlmostEqual(events.amount, 950.0)
        self.assertEqual(events.campaign_id, self.campaign)
        self.assertEqual(events.lead_id, self.lead)

    def test_opportunity_and_partner_open_the_same_chain(self):
        from_lead = self.lead.action_cn_view_lifecycle()
        from_partner = self.customer.action_cn_view_lifecycle()
        self.assertEqual(from_lead["domain"], from_partner["domain"])
        events = self.env["crm.cn.lifecycle.event"].search(from_lead["domain"])
        self.assertEqual(len(events), 11)

    def test_event_opens_its_document(self):
        event = self.env["crm.cn.lifecycle.event"].search(
            [("partner_id", "=", self.customer.id), ("step", "=", "8_payment")])
        action = event.action_open_document()
        self.assertEqual((action["res_model"], action["res_id"]), ("account.payment", self.payment.id))

    def test_salesperson_sees_own_customers_chain_only(self):
        self.assertEqual(len(self.chain(self.salesperson)), 11)
        self.assertEqual(self.chain(self.other_salesperson), set())

    def test_manager_and_accountant_see_every_chain(self):
        self.assertEqual(len(self.chain(self.manager)), 11)
        self.assertEqual(len(self.chain(self.accountant)), 11)

    def test_accountant_cannot_open_a_ticket_from_the_chain(self):
        event = self.env["crm.cn.lifecycle.event"].sudo(self.accountant).search(
            [("partner_id", "=", self.customer.id), ("step", "=", "9_ticket")])
        with self.assertRaises(AccessError):
            event.action_open_document()


class TestStageHistory(LifecycleCase):

    def test_each_stage_entered_is_recorded_once(self):
        new, qualified = self.env.ref("crm.stage_lead1"), self.env.ref("crm.stage_lead2")
        customer = create_customer(self.env, "Hangzhou Law Firm")
        opportunity = create_opportunity(self.env, customer, stage_id=new.id)
        opportunity.write({"stage_id": qualified.id})
        opportunity.write({"stage_id": qualified.id, "planned_revenue": 5.0})  # no move
        history = opportunity.cn_stage_history_ids
        self.assertEqual(history.mapped("stage_id"), new | qualified)
        first, second = history.sorted("id")
        self.assertTrue(first.date_out)
        self.assertFalse(second.date_out)
        self.assertGreaterEqual(first.days, 0.0)

    def test_history_starts_when_a_lead_becomes_an_opportunity(self):
        lead = self.env["crm.lead"].create({"name": "Visitor", "type": "lead"})
        self.assertFalse(lead.cn_stage_history_ids)
        lead.write({"type": "opportunity", "stage_id": self.env.ref("crm.stage_lead1").id})
        self.assertEqual(lead.cn_stage_history_ids.stage_id, self.env.ref("crm.stage_lead1"))

    def test_salesperson_reads_history_of_own_opportunities_only(self):
        customer = create_customer(self.env, "Wuhan Chutian")
        own = create_opportunity(self.env, customer, user_id=self.salesperson.id)
        other = create_opportunity(self.env, customer, user_id=self.other_salesperson.id)
        visible = self.env["crm.cn.stage.history"].sudo(self.salesperson).search(
            [("lead_id", "in", (own | other).ids)])
        self.assertEqual(visible.mapped("lead_id"), own)
