"""A dealer in a real browser: accepts a lead forwarded to it, works it, and
registers two deals, one for a customer the company already covers."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from odoo.tests import common
from odoo.tests.common import at_install, post_install

from .browser import chromium, click_through, console_errors, fill, login, wait_for
from .common import (GROUP_MANAGER, GROUP_USER, LifecycleHttpCase, create_dealer, create_product,
                     create_user)

SECRET_PHONE = "+86 20 3777 0199"
SECRET_CONTACT = "Ms Walk Buyer"
# the company's own opportunity of the customer the dealer registers again
COVERED_NAME = "华信办公用品（广州）有限公司"
COVERED_OPPORTUNITY = "Huaxin yearly paper contract"
COVERED_SALESPERSON = "Zhao Minghui"
# the same customer as the dealer writes it
REGISTERED_NAME = "广州华信办公用品有限公司"
FRESH_NAME = "佛山南海新桥文具有限公司"
# errors a portal page may show: a danger alert, an Odoo error dialog, an open modal
ERROR_DIALOGS = ".alert-danger, .o_dialog_warning, .o_error_dialog, .modal.in"


@at_install(False)
@post_install(True)
class TestDealerLeadsBrowser(LifecycleHttpCase):

    def build_world(self):
        env = self.env
        self.base_url = "http://%s:%s" % (common.HOST, common.PORT)
        gd = env.ref("l10n_cn.state_GD")
        create_product(env, "Walk copy paper", default_code="WALK-A4")
        manager = create_user(env, "walk_manager", ["base.group_user", GROUP_MANAGER])
        salesperson = create_user(env, "walk_sales", ["base.group_user", GROUP_USER])
        salesperson.name = COVERED_SALESPERSON
        self.dealer = create_dealer(env, "Walk Dealer", login="walk_dealer", state_id=gd.id)
        self.lead = env["crm.lead"].create({
            "name": "Paper for a Foshan kindergarten", "type": "lead", "state_id": gd.id, "city": "Foshan",
            "planned_revenue": 8000, "partner_name": "Foshan Sunflower Kindergarten",
            "contact_name": SECRET_CONTACT, "phone": SECRET_PHONE, "user_id": salesperson.id})
        self.lead.sudo(manager).cn_forward_to(self.dealer.id)
        self.offer = self.lead.cn_forward_ids
        self.stage = env["crm.stage"].search([
            ("team_id", "in", [False, self.lead.team_id.id]), ("probability", "<", 100),
            ("id", "!=", self.lead.stage_id.id)], limit=1)
        self.covered = env["crm.lead"].create({
            "name": COVERED_OPPORTUNITY, "type": "opportunity", "partner_name": COVERED_NAME,
            "contact_name": "Mr Covered", "user_id": salesperson.id, "planned_revenue": 90000})

    def setUp(self):
        super(TestDealerLeadsBrowser, self).setUp()
        self.driver = chromium()
        self.addCleanup(self.driver.quit)

    def assert_clean_page(self):
        """No JavaScript error in the console, no error shown on the page."""
        self.assertEqual(console_errors(self.driver), [])
        self.assertEqual([element.text for element in
                          self.driver.find_elements(By.CSS_SELECTOR, ERROR_DIALOGS)], [])

    def register(self, customer_name, contact_name, phone):
        """Send the deal registration form; the registration's page once it is saved."""
        driver = self.driver
        driver.get(self.base_url + "/my/registrations")
        click_through(driver, wait_for(driver, ".o_cn_new_registration"), ".o_cn_registration_form")
        fill(self.driver, "customer_name", customer_name)
        fill(self.driver, "contact_name", contact_name)
        fill(self.driver, "phone", phone)
        fill(self.driver, "product_code_0", "WALK-A4")
        fill(self.driver, "quantity_0", "50")
        return click_through(driver, driver.find_element(By.CSS_SELECTOR, ".o_cn_submit_registration"),
                             ".o_cn_registration_lines")

    def registration_of(self, customer_name):
        return self.env["crm.cn.deal.registration"].search([
            ("dealer_id", "=", self.dealer.id), ("customer_name", "=", customer_name)])

    def test_dealer_accepts_works_a_lead_and_registers_deals(self):
        driver = self.driver
        login(driver, self.base_url, "walk_dealer", "walk_dealer", ".o_portal_my_home")
        click_through(driver, driver.find_element(By.CSS_SELECTOR, ".o_cn_leads a"), ".o_cn_leads_table")
        hidden = click_through(driver, driver.find_element(By.LINK_TEXT, "Paper for a Foshan kindergarten"),
                               ".o_cn_contact_hidden")
        self.assertIn("once you accept the lead", hidden.text)
        for secret in (SECRET_PHONE, SECRET_CONTACT, "Foshan Sunflower Kindergarten"):
            self.assertNotIn(secret, driver.page_source)

        contact = click_through(driver, driver.find_element(By.CSS_SELECTOR, ".o_cn_accept_lead button"),
                                ".o_cn_lead_contact")
        for secret in (SECRET_PHONE, SECRET_CONTACT, "Foshan Sunflower Kindergarten"):
            self.assertIn(secret, contact.text)
        self.assert_clean_page()

        Select(driver.find_element(By.NAME, "stage_id")).select_by_value(str(self.stage.id))
        fill(self.driver, "planned_revenue", "15000")
        driver.execute_script("document.getElementById('date_deadline').value = '2030-06-30';")
        fill(self.driver, "note", "Visited the kindergarten: they want samples first")
        message = click_through(driver, driver.find_element(By.CSS_SELECTOR, ".o_cn_update_lead button"),
                                ".o_cn_lead_message")
        self.assertIn("The lead is updated", message.text)
        self.assert_clean_page()
        with self.server_cursor():
            lead = self.lead
            self.assertEqual(self.offer.state, "accepted")
            self.assertEqual((lead.stage_id, lead.planned_revenue, lead.date_deadline),
                             (self.stage, 15000.0, "2030-06-30"))
            self.assertIn("Visited the kindergarten: they want samples first", lead.message_ids[0].body)

        covered = self.register(REGISTERED_NAME, "Mr Wu", "020-3777 0288")
        self.assertIn("This customer is already covered",
                      driver.find_element(By.CSS_SELECTOR, ".o_cn_covered").text)
        self.assertIn("50", covered.text)
        for other_side in (COVERED_NAME, COVERED_OPPORTUNITY, COVERED_SALESPERSON, "Mr Covered"):
            self.assertNotIn(other_side, driver.page_source)
        self.assertEqual(console_errors(driver), [])
        with self.server_cursor():
            registration = self.registration_of(REGISTERED_NAME)
            self.assertEqual(registration.state, "conflict")
            self.assertEqual(registration.conflict_ids.mapped("lead_id"), self.covered)

        self.register(FRESH_NAME, "Ms Liang", "0757-8666 1234")
        self.assertEqual(driver.find_elements(By.CSS_SELECTOR, ".o_cn_covered"), [])
        self.assertIn("Submitted", driver.find_element(By.CSS_SELECTOR, "h3 small").text)
        self.assert_clean_page()
        with self.server_cursor():
            registration = self.registration_of(FRESH_NAME)
            self.assertEqual((registration.state, registration.conflict_ids.ids), ("submitted", []))
        driver.get(self.base_url + "/my/registrations")
        listing = wait_for(driver, ".o_cn_registration_list").text
        self.assertIn(REGISTERED_NAME, listing)
        self.assertIn(FRESH_NAME, listing)
