"""What a person sees: the backend pipeline and the dealer portal render in
a real browser without server or JavaScript errors."""
from selenium.webdriver.common.by import By

from odoo.tests import common
from odoo.tests.common import at_install, post_install

from .browser import HIDE_TOUR_TIPS, chromium, console_errors, login, wait_for
from .common import GROUP_MANAGER, LifecycleHttpCase, create_customer, create_dealer, create_opportunity, create_user


@at_install(False)
@post_install(True)
class TestBrowser(LifecycleHttpCase):

    def build_world(self):
        self.base_url = "http://%s:%s" % (common.HOST, common.PORT)
        self.manager = create_user(self.env, "browser_manager", ["base.group_user", GROUP_MANAGER])
        customer = create_customer(self.env, "Shanghai Software Park", "direct")
        create_opportunity(self.env, customer, "Printers for 3 floors", user_id=self.manager.id)
        create_dealer(self.env, "Yuexiu Stationery", login="browser_dealer")

    def setUp(self):
        super(TestBrowser, self).setUp()
        self.driver = chromium()
        self.addCleanup(self.driver.quit)

    def assert_no_errors(self):
        page = self.driver.page_source
        self.assertNotIn("Internal Server Error", page)
        self.assertFalse(self.driver.find_elements(By.CSS_SELECTOR, ".o_dialog_warning, .o_error_detail"),
                         "Odoo showed an error dialog")
        self.assertEqual(console_errors(self.driver), [])

    def test_manager_sees_the_pipeline(self):
        login(self.driver, self.base_url, "browser_manager", "browser_manager", "#oe_main_menu_navbar")
        self.driver.get(self.base_url + "/web#action=crm_cn_lifecycle.action_pipeline&view_type=kanban")
        wait_for(self.driver, ".o_kanban_record .o_kanban_record_title, .o_kanban_record")
        self.driver.execute_script(HIDE_TOUR_TIPS)
        self.assertIn("Printers for 3 floors", self.driver.page_source)
        self.assertIn("CRM Lifecycle", self.driver.page_source)
        self.assert_no_errors()

    def test_dealer_sees_the_portal_home(self):
        login(self.driver, self.base_url, "browser_dealer", "browser_dealer", ".o_portal_my_home, #wrap")
        self.assertTrue(self.driver.current_url.endswith("/my"), self.driver.current_url)
        self.assertIn("Yuexiu Stationery contact", self.driver.page_source)
        self.assert_no_errors()
