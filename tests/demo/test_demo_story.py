"""The demo data tells one consistent story.

Runs on a database where crm_cn_lifecycle was installed WITH demo data
(scripts/test.sh builds one); the rest of the suite never relies on demo
records. Each test checks one link of the chain: people and their rights,
customers and territories, campaign to opportunity to order, delivery,
invoice and cash, after-sales service, and what the dealers see on the portal.
"""
from odoo import fields
from odoo.exceptions import AccessDenied
from odoo.tests.common import TransactionCase
from odoo.tools.safe_eval import safe_eval

MODULE = "crm_cn_lifecycle"
CUSTOMER_CLASSES = ("retail", "direct", "dealer", "agent", "oem")
DEMO_LOGINS = ("cn_sales", "cn_manager", "accountant", "credit", "dealer_gz", "dealer_us")


class TestDemoStory(TransactionCase):

    def demo(self, xmlid):
        return self.env.ref("%s.%s" % (MODULE, xmlid))

    def demo_records(self, model):
        """Every record of `model` this module's demo data created, archived ones included."""
        data = self.env["ir.model.data"].search([("module", "=", MODULE), ("model", "=", model)])
        return self.env[model].with_context(active_test=False).browse(data.mapped("res_id"))

    def user_has(self, user, group_xmlid):
        return self.env["res.users"].sudo(user).has_group(group_xmlid)

    def today(self):
        return fields.Date.context_today(self.env["res.users"])

    # -- the installation --------------------------------------------------

    def test_module_installed_with_demo_data(self):
        module = self.env["ir.module.module"].search([("name", "=", MODULE)])
        self.assertEqual(module.state, "installed")
        self.assertTrue(module.demo, "the story tests need a database installed with demo data")

    def test_demo_company_is_huaxin_in_guangzhou_keeping_its_currency(self):
        company = self.env.ref("base.main_company")
        self.assertIn("华信办公用品有限公司", company.name)
        self.assertIn("Huaxin Office Supplies", company.name)
        self.assertEqual(company.state_id, self.env.ref("l10n_cn.state_GD"))
        self.assertEqual(company.country_id, self.env.ref("base.cn"))
        self.assertEqual(company.currency_id, self.env.ref("base.CNY"))

    # -- people ---------------------------------------------------------------

    def test_six_demo_logins_exist(self):
        users = self.env["res.users"].search([("login", "in", DEMO_LOGINS)])
        self.assertEqual(sorted(users.mapped("login")), sorted(DEMO_LOGINS))
        self.assertEqual(users, self.demo("user_sales") | self.demo("user_manager")
                         | self.demo("user_accountant") | self.demo("user_credit")
                         | self.demo("user_dealer_gz") | self.demo("user_dealer_us"))

    def test_credit_manager_is_an_accountant_who_approves_credit_holds(self):
        credit = self.demo("user_credit")
        self.assertTrue(self.user_has(credit, "crm_cn_lifecycle.group_credit_manager"))
        self.assertTrue(self.user_has(credit, "crm_cn_lifecycle.group_accountant"))
        self.assertFalse(self.user_has(credit, "sales_team.group_sale_salesman"))

    def test_salesperson_is_a_lifecycle_user_not_a_manager(self):
        sales = self.demo("user_sales")
        self.assertFalse(sales.share)
        self.assertTrue(self.user_has(sales, "crm_cn_lifecycle.group_user"))
        self.assertTrue(self.user_has(sales, "sales_team.group_sale_salesman"))
        self.assertFalse(self.user_has(sales, "crm_cn_lifecycle.group_manager"))
        self.assertFalse(self.user_has(sales, "sales_team.group_sale_manager"))

    def test_manager_is_a_lifecycle_and_sales_manager(self):
        manager = self.demo("user_manager")
        self.assertTrue(self.user_has(manager, "crm_cn_lifecycle.group_manager"))
        self.assertTrue(self.user_has(manager, "crm_cn_lifecycle.group_user"))
        self.assertTrue(self.user_has(manager, "sales_team.group_sale_manager"))

    def test_accountant_is_no_salesperson(self):
        accountant = self.demo("user_accountant")
        self.assertTrue(self.user_has(accountant, "crm_cn_lifecycle.group_accountant"))
        self.assertTrue(self.user_has(accountant, "base.group_user"))
        self.assertFalse(self.user_has(accountant, "sales_team.group_sale_salesman"))
        self.assertFalse(self.user_has(accountant, "crm_cn_lifecycle.group_user"))

    def test_dealer_users_are_portal_contacts_of_their_dealer(self):
        for user_xmlid, dealer_xmlid in (("user_dealer_gz", "partner_gz_dealer"),
                                         ("user_dealer_us", "partner_lonestar")):
            user = self.demo(user_xmlid)
            self.assertTrue(user.share, user.login)
            self.assertTrue(self.user_has(user, "base.group_portal"), user.login)
            self.assertFalse(self.user_has(user, "base.group_user"), user.login)
            self.assertEqual(user.partner_id.parent_id, self.demo(dealer_xmlid), user.login)
            self.assertEqual(user.commercial_partner_id.cn_customer_class, "dealer", user.login)

    def test_every_demo_login_authenticates_with_its_login_as_password(self):
        for login in DEMO_LOGINS:
            user = self.env["res.users"].search([("login", "=", login)])
            # raises AccessDenied on a wrong password
            self.env["res.users"].sudo(user).check_credentials(login)
            with self.assertRaises(AccessDenied):
                self.env["res.users"].sudo(user).check_credentials(login + "-wrong")

    # -- customers and territories ---------------------------------------------------

    def test_customers_of_every_class_exist(self):
        customers = self.demo_records("res.partner").filtered(
            lambda partner: partner.customer and partner.is_company)
        for customer_class in CUSTOMER_CLASSES:
            self.assertTrue(customers.filtered(lambda p: p.cn_customer_class == customer_class),
                            "no %s customer in the demo data" % customer_class)

    def test_customers_are_spread_over_provinces_and_countries(self):
        customers = self.demo_records("res.partner").filtered(
            lambda partner: partner.customer and partner.is_company)
        chinese = customers.filtered(lambda p: p.country_id == self.env.ref("base.cn"))
        self.assertGreaterEqual(len(chinese.mapped("state_id")), 5)
        self.assertIn(self.env.ref("base.us"), customers.mapped("country_id"))
        self.assertIn(self.env.ref("base.ca"), customers.mapped("country_id"))

    def test_each_customer_belongs_to_a_territory_and_its_salesperson(self):
        customers = self.demo_records("res.partner").filtered(
            lambda partner: partner.customer and partner.is_company)
        for customer in customers:
            self.assertTrue(customer.cn_territory_id, customer.name)
            self.assertEqual(customer.user_id, customer.cn_territory_id.user_id, customer.name)
        self.assertEqual(self.demo("partner_gz_dealer").user_id, self.demo("user_sales"))
        self.assertEqual(self.demo("partner_lonestar").cn_territory_id,
                         self.demo("territory_north_america"))

    def test_contacts_inherit_the_class_and_territory_of_their_company(self):
        contact = self.demo("partner_gz_dealer_liu")
        self.assertEqual(contact.cn_customer_class, "dealer")
        self.assertEqual(contact.cn_territory_id, self.demo("territory_south"))

    def test_export_territory_covers_north_america_and_huafeng_fans(self):
        territory = self.demo("territory_north_america")
        self.assertEqual(territory.country_ids, self.env.ref("base.us") | self.env.ref("base.ca"))
        self.assertEqual(territory.brand_ids, self.demo("brand_huafeng"))

    # -- products and stock ----------------------------------------------------------

    def test_products_carry_category_brand_cost_and_stock(self):
        products = self.demo_records("product.product")
        self.assertGreaterEqual(len(products), 7)
        for product in products:
            self.assertEqual(product.type, "product", product.default_code)
            self.assertTrue(product.default_code)
            self.assertTrue(product.cn_brand_id, product.default_code)
            self.assertIn(product.categ_id, self.demo_records("product.category"), product.default_code)
            self.assertGreater(product.list_price, product.standard_price, product.default_code)
            self.assertGreater(product.qty_available, 0, product.default_code)

    # -- campaigns and pipeline ---------------------------------------------------------

    def test_leads_come_from_campaigns(self):
        leads = self.demo_records("crm.lead").filtered(lambda lead: lead.type == "lead")
        self.assertGreaterEqual(len(leads), 3)
        self.assertTrue(leads.filtered(
            lambda lead: lead.campaign_id == self.demo("campaign_gz_office_expo")))

    def test_every_stage_has_an_open_opportunity(self):
        opportunities = self.demo_records("crm.lead").filtered(
            lambda lead: lead.type == "opportunity" and lead.active)
        self.assertGreaterEqual(len(opportunities), 8)
        for stage in self.env["crm.stage"].search([]):
            self.assertTrue(opportunities.filtered(lambda opp: opp.stage_id == stage),
                            "no demo opportunity in stage %s" % stage.name)

    def test_a_lost_opportunity_has_a_reason(self):
        lost = self.demo_records("crm.lead").filtered(
            lambda lead: lead.type == "opportunity" and not lead.active)
        self.assertTrue(lost)
        for opportunity in lost:
            self.assertEqual(opportunity.probability, 0, opportunity.name)
            self.assertTrue(opportunity.lost_reason, opportunity.name)

    def test_won_opportunity_leads_from_campaign_to_order(self):
        won = self.demo("opp_pudong_printers")
        self.assertEqual(won.stage_id, self.env.ref("crm.stage_lead4"))
        self.assertEqual(won.probability, 100)
        self.assertEqual(won.campaign_id, self.demo("campaign_ec_seminar"))
        order = self.demo("so_pudong_printers")
        self.assertEqual(order.opportunity_id, won)
        self.assertEqual(order.campaign_id, won.campaign_id)
        self.assertIn(order.state, ("sale", "done"))

    def test_win_model_learned_from_two_years_of_won_and_lost_deals(self):
        history = self.demo_records("crm.lead").filtered(
            lambda lead: "win_history" in lead.get_external_id()[lead.id])
        self.assertEqual(len(history), 120)
        self.assertTrue(history.filtered(lambda lead: lead.probability == 100))
        self.assertTrue(history.filtered(lambda lead: not lead.active and lead.lost_reason))
        model = self.env["crm.cn.win.model"].search([], limit=1)
        self.assertFalse(model.fallback, model.message)
        self.assertGreaterEqual(model.closed_count, 120)
        self.assertGreater(model.auc_model, model.auc_stage)
        self.assertLess(model.brier_model, model.brier_base_rate)
        # same stage, a booth contact against a mailing reply: history favours the booth
        expo, mailing = self.demo("opp_baiyun_center_annual"), self.demo("opp_maple_fan_program")
        self.assertGreater(expo.cn_win_probability, mailing.cn_win_probability)
        analysis = self.env["crm.cn.win.analysis"].search([("lead_id", "=", expo.id)])
        self.assertAlmostEqual(analysis.win_probability, expo.cn_win_probability)

    def test_open_pipeline_has_deadlines_ahead(self):
        opportunities = self.demo_records("crm.lead").filtered(
            lambda lead: lead.type == "opportunity" and lead.active and lead.probability < 100)
        for opportunity in opportunities:
            self.assertGreater(opportunity.planned_revenue, 0, opportunity.name)
            self.assertGreater(opportunity.date_deadline, self.today(), opportunity.name)

    # -- campaigns: plan, spending, responses, return -----------------------------------------

    def demo_campaigns(self):
        return self.demo_records("utm.campaign")

    def roi_by_campaign(self, domain=None):
        rows = self.env["crm.cn.campaign.roi.report"].summary(domain)
        return {row["campaign_id"][0]: row for row in rows if row["campaign_id"]}

    def test_every_demo_campaign_has_a_type_plan_and_cost_lines(self):
        campaigns = self.demo_campaigns()
        self.assertEqual(len(campaigns), 4)
        for campaign in campaigns:
            self.assertTrue(campaign.cn_type, campaign.name)
            self.assertGreater(campaign.cn_budget, 0, campaign.name)
            self.assertGreater(campaign.cn_expected_leads, 0, campaign.name)
            self.assertGreater(campaign.cn_expected_revenue, 0, campaign.name)
            self.assertEqual(campaign.cn_user_id, self.demo("user_manager"), campaign.name)
            self.assertEqual(campaign.cn_team_id, self.env.ref("sales_team.team_sales_department"))
            self.assertTrue(campaign.cn_state_ids, campaign.name)
            self.assertTrue(campaign.cn_categ_ids, campaign.name)
            self.assertLessEqual(campaign.cn_date_start, campaign.cn_date_end, campaign.name)
            self.assertGreaterEqual(len(campaign.cn_cost_ids), 3, campaign.name)
            self.assertAlmostEqual(campaign.cn_cost, sum(campaign.cn_cost_ids.mapped("amount")))
            self.assertEqual(campaign.cn_currency_id, self.env.ref("base.CNY"), campaign.name)
        self.assertEqual(self.demo("campaign_20city_roadshow").cn_type, "exhibition")
        self.assertEqual(self.demo("campaign_gz_office_expo").cn_categ_ids,
                         self.demo("territory_south").categ_ids)

    def test_finished_campaigns_lie_behind_running_ones_reach_ahead(self):
        today = self.today()
        states = {campaign: campaign.cn_state for campaign in self.demo_campaigns()}
        self.assertEqual(sorted(states.values()), ["done", "done", "running", "running"])
        for campaign, state in states.items():
            self.assertLessEqual(campaign.cn_date_start, today, campaign.name)
            if state == "done":
                self.assertLess(campaign.cn_date_end, today, campaign.name)
            else:
                self.assertGreater(campaign.cn_date_end, today, campaign.name)

    def test_the_roadshow_has_the_biggest_budget_and_spending(self):
        roadshow = self.demo("campaign_20city_roadshow")
        others = self.demo_campaigns() - roadshow
        self.assertGreater(roadshow.cn_budget, max(others.mapped("cn_budget")))
        self.assertGreater(roadshow.cn_cost, sum(others.mapped("cn_cost")))
        self.assertLessEqual(roadshow.cn_cost, roadshow.cn_budget)

    def test_each_campaign_has_responses_within_its_dates_linked_to_leads_or_customers(self):
        for campaign in self.demo_campaigns():
            responses = campaign.cn_response_ids
            self.assertTrue(3 <= len(responses) <= 6, campaign.name)
            self.assertEqual(campaign.cn_response_count, len(responses), campaign.name)
            self.assertIn(campaign, responses.mapped("lead_id.campaign_id"),
                          "%s: no response became one of its own leads" % campaign.name)
            for response in responses:
                label = "%s: %s" % (campaign.name, response.company_name)
                self.assertTrue(response.lead_id or response.matched_partner_id, label)
                self.assertTrue(campaign.cn_date_start <= response.date <= campaign.cn_date_end, label)
                for name in ("company_name", "contact_name", "phone", "email", "state_id", "city",
                             "interest", "medium_id", "source_id", "match"):
                    self.assertTrue(response[name], "%s: no %s" % (label, name))

    def test_responses_reach_existing_customers(self):
        responses = self.demo_records("crm.cn.campaign.response")
        customers = responses.mapped("commercial_partner_id")
        for xmlid in ("partner_gz_dealer", "partner_gz_store", "partner_pudong_park",
                      "partner_lonestar", "partner_wuhan_dealer"):
            self.assertIn(self.demo(xmlid), customers, xmlid)
        matched = responses.filtered("matched_partner_id")
        self.assertTrue(matched)
        self.assertEqual(set(matched.mapped("match")), {"partner"})
        self.assertEqual(self.demo("response_roadshow_wuhan").partner_id, self.demo("partner_wuhan_dealer"))

    def test_a_customer_knows_its_first_and_last_campaign(self):
        store = self.demo("partner_gz_store")
        self.assertEqual(store.cn_first_campaign_id, self.demo("campaign_gz_office_expo"))
        self.assertEqual(store.cn_last_campaign_id, self.demo("campaign_20city_roadshow"))
        self.assertEqual(store.cn_last_response_date, self.demo("response_roadshow_gz_store").date)
        lonestar = self.demo("partner_lonestar")
        self.assertEqual(lonestar.cn_first_campaign_id, self.demo("campaign_na_fan_mailing"))
        self.assertEqual(lonestar.cn_last_campaign_id, self.demo("campaign_na_fan_mailing"))

    def test_roi_report_shows_the_guangzhou_expo_cost_revenue_and_margin(self):
        expo = self.demo("campaign_gz_office_expo")
        row = self.roi_by_campaign()[expo.id]
        self.assertAlmostEqual(row["cost"], expo.cn_cost)
        self.assertGreater(row["cost"], 0)
        self.assertEqual(row["response_count"], len(expo.cn_response_ids))
        # the dealer's first order came from the expo opportunity, its repeat order by last touch
        orders = self.demo("so_gz_dealer_autumn") | self.demo("so_gz_dealer_repeat")
        self.assertAlmostEqual(row["revenue"], sum(orders.mapped("amount_untaxed")), places=2)
        self.assertAlmostEqual(row["margin"], sum(orders.mapped("margin")), places=2)
        self.assertGreater(row["margin"], 0)
        self.assertAlmostEqual(row["repurchase_revenue"], self.demo("so_gz_dealer_repeat").amount_untaxed,
                               places=2)
        self.assertGreater(row["invoiced"], 0)

    def test_roi_report_shows_the_roadshow_as_the_loser(self):
        rows = self.roi_by_campaign()
        roadshow = rows[self.demo("campaign_20city_roadshow").id]
        self.assertGreater(roadshow["cost"], roadshow["margin"])
        self.assertLess(roadshow["roi_margin"], 0)
        self.assertEqual(roadshow["won_count"], 0)
        others = [rows[campaign.id]["roi_margin"] for campaign in self.demo_campaigns()
                  if campaign != self.demo("campaign_20city_roadshow")]
        self.assertLess(roadshow["roi_margin"], min(others))

    def test_roi_report_shows_the_fan_mailing_paying_back(self):
        mailing = self.roi_by_campaign()[self.demo("campaign_na_fan_mailing").id]
        self.assertEqual(mailing["won_count"], 1)
        self.assertGreater(mailing["margin"], mailing["cost"])
        self.assertGreater(mailing["roi_margin"], 0)

    def test_order_without_opportunity_goes_to_the_last_campaign_response_before_it(self):
        order = self.demo("so_gz_store_counter")
        store = self.demo("partner_gz_store")
        self.assertFalse(order.opportunity_id)
        confirmed = fields.Datetime.from_string(order.confirmation_date).date()
        last = fields.Date.from_string(store.cn_last_response_date)
        self.assertTrue(0 <= (confirmed - last).days <= 90)
        rows = self.roi_by_campaign([("partner_id", "=", store.id), ("revenue", "!=", 0)])
        self.assertEqual(list(rows), [self.demo("campaign_20city_roadshow").id])
        self.assertAlmostEqual(rows[self.demo("campaign_20city_roadshow").id]["revenue"],
                               order.amount_untaxed, places=2)

    def test_lifecycle_chain_runs_from_campaign_response_to_payment(self):
        customer = self.demo("partner_pudong_park")
        events = self.env["crm.cn.lifecycle.event"].search([("partner_id", "=", customer.id)])
        steps = set(events.mapped("step"))
        for step in ("1_response", "3_opportunity", "5_order", "6_delivery", "7_invoice",
                     "8_payment", "9_ticket"):
            self.assertIn(step, steps)
        response = events.filtered(lambda event: event.step == "1_response")
        self.assertEqual(response.campaign_id, self.demo("campaign_ec_seminar"))
        order = events.filtered(lambda event: event.step == "5_order")
        payment = events.filtered(lambda event: event.step == "8_payment")
        self.assertLess(response.date, order.date)
        self.assertLess(order.date, payment.date)

    # -- orders, deliveries, invoices, cash -------------------------------------------------

    def test_a_delivery_is_done(self):
        order = self.demo("so_gz_dealer_autumn")
        self.assertTrue(order.picking_ids)
        self.assertEqual(set(order.picking_ids.mapped("state")), {"done"})
        for line in order.order_line:
            self.assertEqual(line.qty_delivered, line.product_uom_qty, line.name)

    def test_one_order_is_confirmed_but_not_delivered(self):
        order = self.demo("so_wuhan_back_to_school")
        self.assertEqual(order.state, "sale")
        self.assertTrue(order.picking_ids)
        self.assertNotIn("done", order.picking_ids.mapped("state"))
        self.assertFalse(order.invoice_ids)

    def test_one_quotation_is_still_a_draft(self):
        quotation = self.demo("so_bj_agent_q1")
        self.assertEqual(quotation.state, "draft")
        self.assertEqual(quotation.opportunity_id, self.demo("opp_bj_agent_q1"))

    def test_an_order_held_for_credit_was_released_by_the_credit_manager_then_confirmed(self):
        order = self.demo("so_xihu_law_branch_shredders")
        customer = self.demo("partner_xihu_law")
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.cn_credit_approved_by_id, self.demo("user_credit"))
        self.assertEqual(order.cn_credit_approved_partner_id, customer)
        self.assertIn("30 days", order.cn_credit_approval_reason)
        self.assertEqual(customer.cn_credit_limit, 8000.0)
        # the order needed the approval: with it the customer is over its limit
        self.assertLess(customer.cn_credit_headroom, 0)
        action = self.env.ref("crm_cn_lifecycle.action_credit_approvals")
        approvals = self.env["sale.order"].sudo(self.demo("user_credit")).search(
            safe_eval(action.domain))
        self.assertIn(order, approvals)

    def test_an_open_invoice_is_overdue(self):
        invoice = self.demo("so_gz_dealer_autumn").invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "open")
        self.assertLess(invoice.date_due, self.today())
        self.assertGreater(invoice.residual, 0)

    def test_a_partly_paid_invoice_is_still_overdue(self):
        invoice = self.demo("so_xihu_law_shredders").invoice_ids
        self.assertEqual(invoice.state, "open")
        self.assertLess(invoice.date_due, self.today())
        self.assertGreater(invoice.residual, 0)
        self.assertLess(invoice.residual, invoice.amount_total)

    def test_invoices_are_paid(self):
        for order_xmlid in ("so_pudong_printers", "so_gz_dealer_repeat", "so_gz_store_counter"):
            invoice = self.demo(order_xmlid).invoice_ids
            self.assertEqual(invoice.state, "paid", order_xmlid)
            self.assertEqual(invoice.residual, 0, order_xmlid)
            self.assertTrue(invoice.payment_ids.filtered(lambda p: p.state == "posted"), order_xmlid)

    def test_export_invoice_is_in_usd_and_not_yet_due(self):
        invoice = self.demo("so_lonestar_spring_fans").invoice_ids
        self.assertEqual(invoice.currency_id, self.env.ref("base.USD"))
        self.assertEqual(invoice.state, "open")
        self.assertGreaterEqual(invoice.date_due, self.today())

    # -- after-sales service ----------------------------------------------------------

    def test_helpdesk_tickets_for_customers_in_several_stages(self):
        tickets = self.demo_records("helpdesk.ticket")
        self.assertGreaterEqual(len(tickets), 3)
        self.assertGreaterEqual(len(tickets.mapped("stage_id")), 3)
        customers = tickets.mapped("partner_id.commercial_partner_id")
        self.assertIn(self.demo("partner_gz_dealer"), customers)
        self.assertIn(self.demo("partner_pudong_park"), customers)
        self.assertTrue(self.demo("ticket_pudong_printer_installation").closed)

    def test_a_delivered_serial_has_a_ticket_in_warranty(self):
        ticket = self.demo("ticket_lonestar_fan_60_remote")
        lot = self.demo("lot_fan_60_0002")
        self.assertEqual(lot.cn_customer_id, self.demo("partner_lonestar"))
        self.assertEqual((ticket.cn_lot_id, ticket.cn_product_id), (lot, self.demo("product_fan_60_commercial")))
        self.assertEqual(ticket.cn_warranty_state, "in")
        self.assertEqual(ticket.cn_warranty_end, lot.cn_warranty_end)
        self.assertGreater(lot.cn_warranty_end, self.today())
        self.assertIn(ticket, self.env["helpdesk.ticket"].sudo(self.demo("user_dealer_us")).search([]))

    def test_delivering_printers_opened_an_installation_ticket_for_the_service_team(self):
        order = self.demo("so_pudong_printers_again")
        ticket = self.env["helpdesk.ticket"].search([("cn_picking_id", "in", order.picking_ids.ids),
                                                     ("cn_is_installation", "=", True)])
        self.assertEqual(len(ticket), 1)
        self.assertEqual((ticket.partner_id, ticket.cn_product_id, ticket.team_id),
                         (self.demo("partner_pudong_park"), self.demo("product_laser_printer"),
                          self.demo("helpdesk_team_after_sales")))
        self.assertGreater(ticket.cn_planned_date, self.today())

    def test_the_cron_opened_the_due_toner_repurchase_once(self):
        leads = self.env["crm.lead"].search([("cn_previous_order_id", "!=", False)])
        toner = leads.filtered(lambda lead: lead.cn_previous_order_id == self.demo("so_gz_dealer_autumn"))
        self.assertEqual(len(toner), 1)
        self.assertEqual((toner.partner_id, toner.campaign_id),
                         (self.demo("partner_gz_dealer"), self.demo("campaign_gz_office_expo")))
        again = self.env["crm.cn.repurchase.rule"]._cron_create_repurchase_opportunities()
        self.assertNotIn(self.demo("so_gz_dealer_autumn"), again.mapped("cn_previous_order_id"))

    # -- what the dealers see on the portal ---------------------------------------------------

    def test_each_dealer_sees_only_its_own_sale_orders(self):
        for user_xmlid, dealer_xmlid, order_xmlid in (
                ("user_dealer_gz", "partner_gz_dealer", "so_gz_dealer_autumn"),
                ("user_dealer_us", "partner_lonestar", "so_lonestar_spring_fans")):
            user, dealer = self.demo(user_xmlid), self.demo(dealer_xmlid)
            visible = self.env["sale.order"].sudo(user).search([])
            self.assertIn(self.demo(order_xmlid), visible, user.login)
            owners = self.env["sale.order"].browse(visible.ids).mapped(
                "partner_id.commercial_partner_id")
            self.assertEqual(owners, dealer, user.login)

    def test_each_dealer_sees_only_its_own_invoices_and_tickets(self):
        for user_xmlid, dealer_xmlid in (("user_dealer_gz", "partner_gz_dealer"),
                                         ("user_dealer_us", "partner_lonestar")):
            user, dealer = self.demo(user_xmlid), self.demo(dealer_xmlid)
            for model in ("account.invoice", "helpdesk.ticket"):
                visible = self.env[model].sudo(user).search([])
                self.assertTrue(visible, "%s sees no %s" % (user.login, model))
                owners = self.env[model].browse(visible.ids).mapped("partner_id.commercial_partner_id")
                self.assertEqual(owners, dealer, "%s: %s" % (user.login, model))

    # -- language ----------------------------------------------------------

    def test_chinese_labels_are_loaded(self):
        menu = self.env.ref("crm_cn_lifecycle.menu_root").with_context(lang="zh_CN")
        self.assertNotEqual(menu.name, "CRM Lifecycle")
        self.assertTrue(any("\u4e00" <= char <= "\u9fff" for char in menu.name), menu.name)
