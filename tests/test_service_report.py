"""The after-sales service analysis: tickets per product and serial, days to
resolve, in/out of warranty counts, and the repurchase revenue that followed."""
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError

from .common import create_order
from .test_service import ServiceCase, backdate_delivery


def days_ago(days):
    return fields.Datetime.to_string(fields.Datetime.from_string(fields.Datetime.now()) - timedelta(days=days))


class TestServiceReport(ServiceCase):

    @classmethod
    def setUpClass(cls):
        super(TestServiceReport, cls).setUpClass()
        env = cls.env
        backdate_delivery(cls.order, 400)  # the customer's fan: out of its 12 months
        cls.order.confirmation_date = days_ago(401)
        cls.other_order.confirmation_date = days_ago(6)  # before the other customer's ticket
        Ticket = env["helpdesk.ticket"]
        cls.out_ticket = Ticket.create({"name": "Fan broken", "partner_id": cls.customer.id,
                                        "cn_product_id": cls.fan.id, "cn_lot_id": cls.lot_a.id})
        cls.in_ticket = Ticket.create({"name": "Fan noisy", "partner_id": cls.other.id,
                                       "cn_product_id": cls.fan.id, "cn_lot_id": cls.lot_b.id})
        env.cr.execute("UPDATE helpdesk_ticket SET create_date = %s, closed_date = %s WHERE id = %s",
                       (days_ago(30), days_ago(27), cls.out_ticket.id))
        env.cr.execute("UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s", (days_ago(5), cls.in_ticket.id))
        cls.repurchase = create_order(env, cls.customer, [(cls.fan, 2, 100.0)])
        cls.repurchase.confirmation_date = days_ago(10)
        env.cache.invalidate()

    def row(self, ticket, user=None):
        return self.env["crm.cn.service.report"].sudo(user or self.env.user).search([("ticket_id", "=", ticket.id)])

    def test_each_ticket_is_a_row_with_its_product_serial_and_customer(self):
        row = self.row(self.out_ticket)
        self.assertEqual((row.product_id, row.lot_id, row.partner_id, row.categ_id),
                         (self.fan, self.lot_a, self.customer, self.fans))

    def test_warranty_state_when_the_ticket_was_opened(self):
        self.assertEqual(self.row(self.out_ticket).warranty_state, "out")
        self.assertEqual(self.row(self.in_ticket).warranty_state, "in")

    def test_in_and_out_of_warranty_counts_per_product(self):
        [group] = self.env["crm.cn.service.report"].read_group(
            [("ticket_id", "in", (self.out_ticket | self.in_ticket).ids)],
            ["product_id", "ticket_count", "in_warranty_count", "out_warranty_count"], ["product_id"])
        self.assertEqual((group["ticket_count"], group["in_warranty_count"], group["out_warranty_count"]),
                         (2, 1, 1))

    def test_days_to_resolve(self):
        self.assertAlmostEqual(self.row(self.out_ticket).resolve_days, 3.0, places=2)
        self.assertFalse(self.row(self.in_ticket).resolve_days)

    def test_repurchase_revenue_follows_the_service(self):
        row = self.row(self.out_ticket)
        self.assertAlmostEqual(row.repurchase_amount, 200.0)
        self.assertEqual(row.repurchase_count, 1)
        self.assertEqual(self.row(self.in_ticket).repurchase_amount, 0.0)  # nothing bought since

    def test_first_time_fix_unless_the_same_serial_comes_back_within_30_days(self):
        self.assertEqual(self.row(self.out_ticket).first_time_fix_count, 1)
        self.assertEqual(self.row(self.in_ticket).first_time_fix_count, 0)  # not resolved yet
        again = self.env["helpdesk.ticket"].create({"name": "Fan broken again", "partner_id": self.customer.id,
                                                    "cn_product_id": self.fan.id, "cn_lot_id": self.lot_a.id})
        self.env.cr.execute("UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s", (days_ago(20), again.id))
        self.env.cache.invalidate()
        self.assertEqual(self.row(self.out_ticket).first_time_fix_count, 0)

    def test_warranty_cost_is_the_service_cost_of_tickets_in_warranty(self):
        self.in_ticket.cn_service_cost = 35.0
        self.out_ticket.cn_service_cost = 80.0  # charged to the customer: no warranty cost
        [group] = self.env["crm.cn.service.report"].read_group(
            [("ticket_id", "in", (self.out_ticket | self.in_ticket).ids)],
            ["product_id", "warranty_cost", "service_cost"], ["product_id"])
        self.assertEqual((group["warranty_cost"], group["service_cost"]), (35.0, 115.0))

    def test_salesperson_cannot_read_the_service_analysis(self):
        with self.assertRaises(AccessError):
            self.row(self.out_ticket, self.salesperson).read(["repurchase_amount"])

    def test_manager_reads_the_service_analysis(self):
        self.assertAlmostEqual(self.row(self.out_ticket, self.manager).repurchase_amount, 200.0)


class TestServiceViews(ServiceCase):

    def test_ticket_form_shows_sale_links_warranty_and_quotation_button(self):
        arch = self.env["helpdesk.ticket"].fields_view_get(view_type="form")["arch"]
        for name in ("cn_sale_order_id", "cn_product_id", "cn_lot_id", "cn_warranty_state",
                     "action_cn_create_quotation"):
            self.assertIn(name, arch)

    def test_delivery_and_order_forms_have_the_ticket_button(self):
        for model in ("stock.picking", "sale.order"):
            arch = self.env[model].fields_view_get(view_type="form")["arch"]
            self.assertIn("action_cn_create_ticket", arch, model)

    def test_service_menus_reach_their_actions(self):
        for xmlid in ("menu_service_tickets", "menu_service_report", "menu_repurchase_rules"):
            menu = self.env.ref("crm_cn_lifecycle.%s" % xmlid)
            self.assertTrue(menu.action, xmlid)
