"""After-sales service: tickets tied to what was sold, warranty, installation,
repurchase opportunities and who may see the tickets."""
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.crm_cn_lifecycle.tools.warranty import warranty_end

from .common import LifecycleCase, create_campaign, create_customer, create_dealer, create_order, \
    create_product, create_user, portal_user_of
from .test_lifecycle import deliver

HELPDESK_USER = "helpdesk_mgmt.group_helpdesk_user"


def backdate_delivery(order, days):
    """Pretend the order's deliveries were done `days` ago."""
    when = fields.Datetime.to_string(fields.Datetime.from_string(fields.Datetime.now()) - timedelta(days=days))
    pickings = order.picking_ids
    order.env.cr.execute("UPDATE stock_move_line SET date = %s WHERE picking_id IN %s", (when, tuple(pickings.ids)))
    order.env.cr.execute("UPDATE stock_move SET date = %s WHERE picking_id IN %s", (when, tuple(pickings.ids)))
    order.env.cr.execute("UPDATE stock_picking SET date_done = %s WHERE id IN %s", (when, tuple(pickings.ids)))
    order.env.cache.invalidate()


class ServiceCase(LifecycleCase):
    """Two customers, each delivered one serial-tracked fan; a printer that needs installing."""

    @classmethod
    def setUpClass(cls):
        super(ServiceCase, cls).setUpClass()
        env = cls.env
        cls.today = fields.Date.from_string(fields.Date.context_today(env.user))
        cls.service_user = create_user(env, "cn_service", ["base.group_user", HELPDESK_USER])
        cls.team = env["helpdesk.ticket.team"].create({"name": "Installation crew"})
        cls.fans = env["product.category"].create({"name": "Ceiling fans", "cn_warranty_months": 24})
        cls.paper = env["product.category"].create({"name": "Paper"})
        cls.fan = create_product(env, "Ceiling fan 52\"", price=95.0, tracking="serial",
                                 categ_id=cls.fans.id, cn_warranty_months=12, taxes_id=[(6, 0, [])])
        cls.printer = create_product(env, "Laser printer", price=1200.0, categ_id=cls.fans.id,
                                     cn_needs_installation=True, taxes_id=[(6, 0, [])])
        cls.ream = create_product(env, "Copy paper A4", categ_id=cls.paper.id, taxes_id=[(6, 0, [])])
        stock = env.ref("stock.stock_location_stock")
        Lot = env["stock.production.lot"]
        cls.lot_a = Lot.create({"name": "FAN-A-0001", "product_id": cls.fan.id})
        cls.lot_b = Lot.create({"name": "FAN-B-0001", "product_id": cls.fan.id})
        Quant = env["stock.quant"]
        Quant._update_available_quantity(cls.fan, stock, 1, lot_id=cls.lot_a)
        Quant._update_available_quantity(cls.printer, stock, 10)
        Quant._update_available_quantity(cls.ream, stock, 100)
        cls.campaign = create_campaign(env)
        cls.customer = create_customer(env, "Lone Star Home Supply", user_id=cls.salesperson.id)
        cls.contact = env["res.partner"].create({"name": "Bob Buyer", "parent_id": cls.customer.id})
        cls.other = create_customer(env, "Maple Fans Ltd")
        cls.order = create_order(env, cls.customer, [(cls.fan, 1, 95.0)], campaign_id=cls.campaign.id,
                                 user_id=cls.salesperson.id)
        deliver(cls.order)
        Quant._update_available_quantity(cls.fan, stock, 1, lot_id=cls.lot_b)
        cls.other_order = create_order(env, cls.other, [(cls.fan, 1, 95.0)])
        deliver(cls.other_order)
        cls.picking = cls.order.picking_ids

    def new_ticket(self, **values):
        vals = {"name": "Fan wobbles", "partner_id": self.customer.id}
        vals.update(values)
        return self.env["helpdesk.ticket"].create(vals)


class TestTicketsTiedToSales(ServiceCase):

    def test_serials_went_to_their_own_customer(self):
        self.assertEqual(self.picking.move_line_ids.lot_id, self.lot_a)
        self.assertEqual(self.other_order.picking_ids.move_line_ids.lot_id, self.lot_b)

    def test_ticket_from_delivery_fills_order_product_serial_and_customer(self):
        action = self.picking.action_cn_create_ticket()
        self.assertEqual(action["res_model"], "helpdesk.ticket")
        ticket = self.env["helpdesk.ticket"].with_context(action["context"]).create({"name": "Noise"})
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertEqual(ticket.cn_sale_order_id, self.order)
        self.assertEqual(ticket.cn_picking_id, self.picking)
        self.assertEqual(ticket.cn_product_id, self.fan)
        self.assertEqual(ticket.cn_lot_id, self.lot_a)

    def test_ticket_from_order_fills_order_product_and_customer(self):
        action = self.order.action_cn_create_ticket()
        ticket = self.env["helpdesk.ticket"].with_context(action["context"]).create({"name": "Noise"})
        self.assertEqual((ticket.partner_id, ticket.cn_sale_order_id, ticket.cn_product_id),
                         (self.customer, self.order, self.fan))

    def test_ticket_from_delivery_makes_the_customer_a_follower(self):
        ticket = self.env["helpdesk.ticket"].with_context(
            self.picking.action_cn_create_ticket()["context"]).create({"name": "Noise"})
        self.assertIn(self.customer, ticket.message_partner_ids)

    def test_serial_delivered_to_another_customer_is_refused(self):
        with self.assertRaises(ValidationError) as refusal:
            self.new_ticket(cn_product_id=self.fan.id, cn_lot_id=self.lot_b.id)
        self.assertIn("FAN-B-0001 was never delivered to Lone Star Home Supply", refusal.exception.name)

    def test_serial_of_another_product_is_refused(self):
        with self.assertRaises(ValidationError) as refusal:
            self.new_ticket(cn_product_id=self.ream.id, cn_lot_id=self.lot_a.id)
        self.assertIn("FAN-A-0001 is not a", refusal.exception.name)

    def test_product_never_sold_to_the_customer_is_refused(self):
        with self.assertRaises(ValidationError) as refusal:
            self.new_ticket(cn_product_id=self.printer.id)
        self.assertIn("Laser printer was never sold to Lone Star Home Supply", refusal.exception.name)

    def test_order_of_another_customer_is_refused(self):
        with self.assertRaises(ValidationError) as refusal:
            self.new_ticket(cn_sale_order_id=self.other_order.id)
        self.assertIn("was not placed by Lone Star Home Supply", refusal.exception.name)

    def test_changing_the_serial_later_is_validated_too(self):
        ticket = self.new_ticket(cn_product_id=self.fan.id, cn_lot_id=self.lot_a.id)
        with self.assertRaises(ValidationError):
            ticket.write({"cn_lot_id": self.lot_b.id})

    def test_a_contact_of_the_customer_may_report_the_customers_serial(self):
        ticket = self.new_ticket(partner_id=self.contact.id, cn_product_id=self.fan.id,
                                 cn_lot_id=self.lot_a.id, cn_sale_order_id=self.order.id)
        self.assertEqual(ticket.cn_lot_id, self.lot_a)

    def test_validation_message_is_translated(self):
        self.env["res.lang"].load_lang("zh_CN")
        self.env["ir.translation"].create({
            "type": "code", "name": "addons/crm_cn_lifecycle/models/helpdesk_ticket.py", "lang": "zh_CN",
            "module": "crm_cn_lifecycle", "state": "translated",
            "src": "Ticket %(ticket)s: %(product)s was never sold to %(customer)s.",
            "value": "工单 %(ticket)s：%(product)s 从未售给 %(customer)s。"})
        with self.assertRaises(ValidationError) as refusal:
            self.env["helpdesk.ticket"].with_context(lang="zh_CN").create(
                {"name": "x", "partner_id": self.customer.id, "cn_product_id": self.printer.id})
        self.assertIn("从未售给 Lone Star Home Supply", refusal.exception.name)


class TestWarranty(ServiceCase):

    def test_serial_warranty_runs_from_its_delivery_date(self):
        delivered = fields.Date.from_string(self.lot_a.cn_delivery_date)
        self.assertEqual(self.lot_a.cn_customer_id, self.customer)
        self.assertEqual(delivered, self.today)
        self.assertEqual(fields.Date.from_string(self.lot_a.cn_warranty_end), warranty_end(delivered, 12))

    def test_ticket_on_a_new_serial_is_in_warranty(self):
        ticket = self.new_ticket(cn_product_id=self.fan.id, cn_lot_id=self.lot_a.id)
        self.assertEqual(ticket.cn_warranty_state, "in")
        self.assertEqual(ticket.cn_warranty_end, self.lot_a.cn_warranty_end)

    def test_ticket_on_a_serial_delivered_long_ago_is_out_of_warranty(self):
        backdate_delivery(self.order, 400)
        ticket = self.new_ticket(cn_product_id=self.fan.id, cn_lot_id=self.lot_a.id)
        self.assertEqual(ticket.cn_warranty_state, "out")

    def test_category_warranty_applies_when_the_product_has_none(self):
        self.fan.cn_warranty_months = 0
        backdate_delivery(self.order, 400)  # out after 12 months, still in after the category's 24
        ticket = self.new_ticket(cn_product_id=self.fan.id, cn_lot_id=self.lot_a.id)
        self.assertEqual(ticket.cn_warranty_state, "in")

    def test_ticket_without_serial_uses_the_orders_delivery(self):
        backdate_delivery(self.order, 400)
        ticket = self.new_ticket(cn_product_id=self.fan.id, cn_sale_order_id=self.order.id)
        self.assertEqual(ticket.cn_warranty_state, "out")

    def test_out_of_warranty_ticket_becomes_a_quotation_in_one_click(self):
        backdate_delivery(self.order, 400)
        ticket = self.new_ticket(cn_product_id=self.fan.id, cn_lot_id=self.lot_a.id,
                                 cn_sale_order_id=self.order.id)
        action = ticket.sudo(self.salesperson).action_cn_create_quotation()
        quotation = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual(quotation.partner_id, self.customer)
        self.assertEqual(quotation.state, "draft")
        self.assertEqual(quotation.order_line.product_id, self.fan)
        self.assertEqual(quotation.cn_service_ticket_id, ticket)
        self.assertEqual(quotation.campaign_id, self.campaign)
        self.assertEqual(ticket.cn_quotation_id, quotation)
        with self.assertRaises(UserError):
            ticket.action_cn_create_quotation()  # not twice

    def test_in_warranty_ticket_is_not_quoted(self):
        ticket = self.new_ticket(cn_product_id=self.fan.id, cn_lot_id=self.lot_a.id)
        with self.assertRaises(UserError):
            ticket.action_cn_create_quotation()
        self.assertFalse(ticket.cn_quotation_id)


class TestPortalTicketValues(ServiceCase):
    """The form a customer's contact fills in on the portal, checked as that contact."""

    @classmethod
    def setUpClass(cls):
        super(TestPortalTicketValues, cls).setUpClass()
        cls.portal_user = create_user(cls.env, "svc_buyer", ["base.group_portal"], partner_id=cls.contact.id)
        cls.Ticket = cls.env["helpdesk.ticket"].sudo(cls.portal_user)

    def values(self, **post):
        post.setdefault("subject", "Fan hums")
        return self.Ticket._cn_portal_ticket_values(self.portal_user.partner_id, post)

    def refusal(self, **post):
        with self.assertRaises(UserError) as refusal:
            self.values(**post)
        return refusal.exception.name

    def test_products_offered_are_those_sold_to_the_company(self):
        self.assertEqual(self.Ticket._cn_products_sold_to(self.customer), self.fan)

    def test_serial_delivered_to_the_company_fills_product_serial_and_order(self):
        vals = self.values(product_id=str(self.fan.id), serial=" FAN-A-0001 ")
        self.assertEqual((vals["partner_id"], vals["cn_product_id"], vals["cn_lot_id"], vals["cn_sale_order_id"]),
                         (self.contact.id, self.fan.id, self.lot_a.id, self.order.id))
        ticket = self.env["helpdesk.ticket"].create(vals)
        self.assertEqual(ticket.cn_warranty_state, "in")

    def test_another_customers_serial_is_refused(self):
        self.assertEqual(self.refusal(product_id=str(self.fan.id), serial="FAN-B-0001"),
                         "Serial number FAN-B-0001: no Ceiling fan 52\" with this serial number was "
                         "delivered to Lone Star Home Supply.")

    def test_serial_without_product_is_refused(self):
        self.assertIn("choose the product it belongs to", self.refusal(serial="FAN-A-0001"))

    def test_product_never_bought_is_refused(self):
        self.assertEqual(self.refusal(product_id=str(self.printer.id)),
                         "Product: choose one of the products Lone Star Home Supply bought.")

    def test_garbage_ids_are_refused(self):
        self.assertIn("Product:", self.refusal(product_id="1 OR 1=1"))
        self.assertIn("Category:", self.refusal(category="x"))

    def test_subject_is_required(self):
        self.assertIn("Subject:", self.refusal(subject="  "))


class TestInstallation(ServiceCase):

    def sell_printer(self):
        order = create_order(self.env, self.customer, [(self.printer, 1, 1200.0)])
        deliver(order)
        return order

    def installation_tickets(self, order):
        return self.env["helpdesk.ticket"].search(
            [("cn_picking_id", "in", order.picking_ids.ids), ("cn_is_installation", "=", True)])

    def test_delivering_a_product_to_install_opens_one_installation_ticket(self):
        self.env.user.company_id.write({"cn_service_team_id": self.team.id, "cn_installation_delay_days": 3})
        order = self.sell_printer()
        ticket = self.installation_tickets(order)
        self.assertEqual(len(ticket), 1)
        self.assertEqual((ticket.partner_id, ticket.cn_product_id, ticket.cn_sale_order_id, ticket.team_id),
                         (self.customer, self.printer, order, self.team))
        done = fields.Datetime.from_string(order.picking_ids.date_done).date()
        self.assertEqual(ticket.cn_planned_date, fields.Date.to_string(done + timedelta(days=3)))

    def test_installation_ticket_is_not_created_twice(self):
        order = self.sell_printer()
        again = order.picking_ids._cn_create_installation_tickets()
        self.assertFalse(again)
        self.assertEqual(len(self.installation_tickets(order)), 1)

    def test_without_a_setting_the_first_team_installs(self):
        self.env.user.company_id.cn_service_team_id = False
        order = self.sell_printer()
        first = self.env["helpdesk.ticket.team"].search([], limit=1)
        self.assertEqual(self.installation_tickets(order).team_id, first)

    def test_products_without_installation_open_no_ticket(self):
        self.assertFalse(self.installation_tickets(self.order))

    def test_installation_team_and_delay_are_set_in_the_settings(self):
        # saving the settings form creates the record: its related fields write the company
        self.env["res.config.settings"].create({"cn_service_team_id": self.team.id,
                                                "cn_installation_delay_days": 5})
        company = self.env.user.company_id
        self.assertEqual((company.cn_service_team_id, company.cn_installation_delay_days), (self.team, 5))
        ticket = self.installation_tickets(self.sell_printer())
        self.assertEqual(ticket.team_id, self.team)
        done = fields.Datetime.from_string(ticket.cn_picking_id.date_done).date()
        self.assertEqual(ticket.cn_planned_date, fields.Date.to_string(done + timedelta(days=5)))

    def test_settings_form_shows_the_installation_fields(self):
        arch = self.env["res.config.settings"].fields_view_get(view_type="form")["arch"]
        self.assertIn("cn_service_team_id", arch)
        self.assertIn("cn_installation_delay_days", arch)


class TestRepurchase(ServiceCase):

    @classmethod
    def setUpClass(cls):
        super(TestRepurchase, cls).setUpClass()
        cls.Rule = cls.env["crm.cn.repurchase.rule"]
        cls.paper_order = create_order(cls.env, cls.customer, [(cls.ream, 10, 25.0)],
                                       campaign_id=cls.campaign.id, user_id=cls.salesperson.id)
        cls.paper_order.confirmation_date = fields.Datetime.to_string(
            fields.Datetime.from_string(fields.Datetime.now()) - timedelta(days=40))
        cls.recent_order = create_order(cls.env, cls.other, [(cls.ream, 5, 25.0)])

    def repurchases(self):
        return self.env["crm.lead"].search([("cn_previous_order_id", "!=", False),
                                            ("partner_id", "in", (self.customer | self.other).ids)])

    def test_consumable_cycle_opens_an_opportunity_after_the_last_order(self):
        self.Rule.create({"categ_id": self.paper.id, "rule_type": "cycle", "days": 30})
        self.Rule._cron_create_repurchase_opportunities()
        lead = self.repurchases()
        self.assertEqual(len(lead), 1, "the customer who ordered 10 days ago is not due")
        self.assertEqual((lead.type, lead.partner_id, lead.cn_previous_order_id, lead.campaign_id),
                         ("opportunity", self.customer, self.paper_order, self.campaign))
        self.assertEqual(lead.user_id, self.salesperson)
        self.assertAlmostEqual(lead.planned_revenue, 250.0)

    def test_running_the_cron_twice_creates_no_duplicate(self):
        self.Rule.create({"categ_id": self.paper.id, "rule_type": "cycle", "days": 30})
        self.Rule._cron_create_repurchase_opportunities()
        self.Rule._cron_create_repurchase_opportunities()
        self.assertEqual(len(self.repurchases()), 1)

    def test_a_new_order_restarts_the_cycle(self):
        self.Rule.create({"categ_id": self.paper.id, "rule_type": "cycle", "days": 30})
        create_order(self.env, self.customer, [(self.ream, 1, 25.0)])
        self.Rule._cron_create_repurchase_opportunities()
        self.assertFalse(self.repurchases())

    def test_warranty_ending_soon_opens_an_opportunity(self):
        self.Rule.create({"categ_id": self.fans.id, "rule_type": "warranty", "days": 30})
        end = fields.Date.from_string(self.lot_a.cn_warranty_end)
        self.Rule._cron_create_repurchase_opportunities(today=fields.Date.to_string(end - timedelta(days=10)))
        leads = self.repurchases()
        self.assertEqual(leads.mapped("cn_previous_order_id"), self.order | self.other_order)
        self.Rule._cron_create_repurchase_opportunities(today=fields.Date.to_string(end - timedelta(days=100)))
        self.assertEqual(self.repurchases(), leads)

    def test_no_warranty_opportunity_long_before_the_end(self):
        self.Rule.create({"categ_id": self.fans.id, "rule_type": "warranty", "days": 30})
        self.Rule._cron_create_repurchase_opportunities()
        self.assertFalse(self.repurchases())

    def test_end_of_life_opens_an_opportunity_once_the_goods_are_old(self):
        self.Rule.create({"categ_id": self.fans.id, "rule_type": "replacement", "days": 1825})
        self.Rule._cron_create_repurchase_opportunities(
            today=fields.Date.to_string(self.today + timedelta(days=1824)))
        self.assertFalse(self.repurchases())
        self.Rule._cron_create_repurchase_opportunities(
            today=fields.Date.to_string(self.today + timedelta(days=1825)))
        self.assertEqual(self.repurchases().mapped("cn_previous_order_id"), self.order | self.other_order)

    def test_cron_creates_exactly_the_due_opportunities_once_over_all_rules(self):
        self.Rule.create({"categ_id": self.paper.id, "rule_type": "cycle", "days": 30})
        self.Rule.create({"categ_id": self.fans.id, "rule_type": "warranty", "days": 30})
        created = self.Rule._cron_create_repurchase_opportunities()
        self.assertEqual(created.mapped("cn_previous_order_id"), self.paper_order)
        self.assertFalse(self.Rule._cron_create_repurchase_opportunities())
        self.assertEqual(self.repurchases(), created)

    def test_lifecycle_chain_shows_the_ticket_and_the_repurchase(self):
        self.Rule.create({"categ_id": self.paper.id, "rule_type": "cycle", "days": 30})
        lead = self.Rule._cron_create_repurchase_opportunities()
        ticket = self.env["helpdesk.ticket"].with_context(
            self.picking.action_cn_create_ticket()["context"]).create({"name": "Noise"})
        repurchase = create_order(self.env, self.customer, [(self.ream, 10, 25.0)], opportunity_id=lead.id)
        events = self.env["crm.cn.lifecycle.event"].sudo(self.salesperson).search(
            [("partner_id", "=", self.customer.id)])
        steps = {(event.step, event.res_model, event.res_id) for event in events}
        self.assertIn(("9_ticket", "helpdesk.ticket", ticket.id), steps)
        self.assertIn(("3_opportunity", "crm.lead", lead.id), steps)
        self.assertIn(("10_repurchase", "sale.order", repurchase.id), steps)
        [repurchase_event] = events.filtered(lambda event: event.res_id == repurchase.id
                                             and event.step == "10_repurchase")
        self.assertEqual(repurchase_event.lead_id, lead)
        self.assertEqual(lead.campaign_id, self.campaign)  # the chain reaches back to the campaign

    def test_cron_is_scheduled_daily(self):
        cron = self.env.ref("crm_cn_lifecycle.cron_repurchase_opportunities")
        self.assertEqual((cron.interval_number, cron.interval_type, cron.active), (1, "days", True))

    def test_customers_last_orders_are_gathered_in_one_query(self):
        cr = self.env.cr
        before = cr.sql_log_count
        rows = self.Rule._cn_last_orders([self.paper.id])
        self.assertEqual(cr.sql_log_count - before, 1)
        self.assertEqual({(row["partner_id"], row["order_id"]) for row in rows},
                         {(self.customer.id, self.paper_order.id), (self.other.id, self.recent_order.id)})


class TestServiceAccess(ServiceCase):

    @classmethod
    def setUpClass(cls):
        super(TestServiceAccess, cls).setUpClass()
        cls.dealer = create_dealer(cls.env, "Yuexiu Stationery", login="svc_dealer")
        cls.other_dealer = create_dealer(cls.env, "Tianhe Office", login="svc_dealer2")
        Ticket = cls.env["helpdesk.ticket"]
        cls.dealer_order = create_order(cls.env, cls.dealer, [(cls.ream, 1, 25.0)])
        cls.other_dealer_order = create_order(cls.env, cls.other_dealer, [(cls.ream, 1, 25.0)])
        cls.dealer_ticket = Ticket.create({"name": "Own", "partner_id": cls.dealer.id,
                                           "cn_sale_order_id": cls.dealer_order.id})
        cls.other_ticket = Ticket.create({"name": "Other", "partner_id": cls.other_dealer.id,
                                          "cn_sale_order_id": cls.other_dealer_order.id})

    def test_service_user_edits_tickets(self):
        ticket = self.dealer_ticket.sudo(self.service_user)
        ticket.write({"name": "Edited by service"})
        self.assertEqual(self.dealer_ticket.name, "Edited by service")

    def customer_ticket(self):
        """A ticket of the salesperson's own customer."""
        return self.env["helpdesk.ticket"].create({"name": "Fan rattles", "partner_id": self.contact.id})

    def test_salesperson_reads_but_does_not_edit_own_customers_tickets(self):
        ticket = self.customer_ticket().sudo(self.salesperson)
        self.assertEqual(ticket.name, "Fan rattles")
        with self.assertRaises(AccessError):
            ticket.write({"name": "Edited by sales"})

    def test_salesperson_is_refused_another_salespersons_customers_ticket(self):
        ticket = self.customer_ticket()
        Ticket = self.env["helpdesk.ticket"].sudo(self.other_salesperson)
        self.assertFalse(Ticket.search([("id", "in", (ticket | self.dealer_ticket).ids)]))
        with self.assertRaises(AccessError):
            Ticket.browse(ticket.id).read(["name"])

    def test_salesperson_reads_tickets_on_orders_they_sold(self):
        self.other.user_id = self.other_salesperson
        ticket = self.new_ticket(partner_id=self.other.id, cn_sale_order_id=self.other_order.id)
        self.other_order.user_id = self.salesperson
        self.assertEqual(ticket.sudo(self.salesperson).name, "Fan wobbles")

    def test_manager_reads_every_ticket(self):
        tickets = self.customer_ticket() | self.dealer_ticket | self.other_ticket
        self.assertEqual(self.env["helpdesk.ticket"].sudo(self.manager).search([("id", "in", tickets.ids)]),
                         tickets)

    def test_service_user_edits_every_customers_ticket(self):
        ticket = self.customer_ticket().sudo(self.service_user)
        ticket.write({"name": "Checked by service"})
        self.assertEqual(ticket.name, "Checked by service")

    def test_public_user_reads_no_ticket(self):
        public = self.env.ref("base.public_user")
        with self.assertRaises(AccessError):
            self.env["helpdesk.ticket"].sudo(public).search([])
        with self.assertRaises(AccessError):
            self.dealer_ticket.sudo(public).read(["name"])

    def test_dealer_reads_the_tickets_of_its_company_and_contacts(self):
        colleague = self.env["res.partner"].create({"name": "Yuexiu clerk", "parent_id": self.dealer.id})
        colleague_ticket = self.env["helpdesk.ticket"].create({"name": "Clerk", "partner_id": colleague.id})
        Ticket = self.env["helpdesk.ticket"].sudo(portal_user_of(self.dealer))
        self.assertEqual(Ticket.search([("id", "in", (colleague_ticket | self.other_ticket).ids)]),
                         colleague_ticket)

    def test_dealer_reads_own_ticket_only(self):
        dealer_user = portal_user_of(self.dealer)
        Ticket = self.env["helpdesk.ticket"].sudo(dealer_user)
        visible = Ticket.search([("id", "in", (self.dealer_ticket | self.other_ticket).ids)])
        self.assertEqual(visible, self.dealer_ticket)
        with self.assertRaises(AccessError):
            Ticket.browse(self.other_ticket.id).read(["name"])
        with self.assertRaises(AccessError):
            Ticket.browse(self.dealer_ticket.id).write({"name": "Hacked"})
