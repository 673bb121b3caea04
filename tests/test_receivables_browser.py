"""What people see of receivables in a real browser: the badge on the
pipeline, the banner on the opportunity, the partner's Receivables tab and
the accountant's pipeline-risk report."""
from selenium.webdriver.common.by import By

from odoo.tests import common
from odoo.tests.common import at_install, post_install

from .browser import HIDE_TOUR_TIPS, chromium, console_errors, login, wait_for
from .common import GROUP_ACCOUNTANT, GROUP_MANAGER, LifecycleHttpCase, create_opportunity, create_user
from .test_receivables_world import Accounting, build_alpha


@at_install(False)
@post_install(True)
class TestReceivablesBrowser(LifecycleHttpCase):

    def build_world(self):
        self.base_url = "http://%s:%s" % (common.HOST, common.PORT)
        self.manager = create_user(self.env, "recv_manager", ["base.group_user", GROUP_MANAGER])
        self.accountant = create_user(self.env, "recv_accountant", ["base.group_user", GROUP_ACCOUNTANT])
        self.alpha = build_alpha(self.env, Accounting(self.env))
        self.alpha.user_id = self.manager
        self.lead = create_opportunity(self.env, self.alpha, "Copiers for Alpha", user_id=self.manager.id)

    def setUp(self):
        super(TestReceivablesBrowser, self).setUp()
        self.driver = chromium()
        self.addCleanup(self.driver.quit)

    def open(self, url, ready_css):
        """Load a web client URL (a new hash alone does not reload the client)."""
        self.driver.get(self.base_url + url)
        self.driver.refresh()
        element = wait_for(self.driver, ready_css)
        self.driver.execute_script(HIDE_TOUR_TIPS)
        return element

    def assert_no_errors(self):
        self.assertNotIn("Internal Server Error", self.driver.page_source)
        self.assertFalse(self.driver.find_elements(By.CSS_SELECTOR, ".o_dialog_warning, .o_error_detail"),
                         "Odoo showed an error dialog")
        self.assertEqual(console_errors(self.driver), [])

    def test_salesperson_sees_the_credit_badge_and_banner(self):
        login(self.driver, self.base_url, "recv_manager", "recv_manager", "#oe_main_menu_navbar")
        badge = self.open("/web#action=crm_cn_lifecycle.action_pipeline&view_type=kanban",
                          ".o_cn_credit_badge")
        self.assertIn("Over 90 Days", badge.text)
        banner = self.open("/web#action=crm_cn_lifecycle.action_pipeline&view_type=form&id=%d"
                           % self.lead.id, ".o_cn_credit_banner")
        self.assertIn("2,200.00", banner.text)
        self.assertIn("Over 90 Days", banner.text)
        self.assert_no_errors()

    def test_accountant_sees_receivables_tab_and_pipeline_risk(self):
        login(self.driver, self.base_url, "recv_accountant", "recv_accountant", "#oe_main_menu_navbar")
        self.open("/web#model=res.partner&view_type=form&id=%d" % self.alpha.id, ".o_form_view")
        tab = [link for link in self.driver.find_elements(By.CSS_SELECTOR, ".o_notebook .nav-tabs a")
               if link.text.strip() == "Receivables"]
        self.assertTrue(tab, "no Receivables tab")
        tab[0].click()
        self.assertIn("2,900.00", self.driver.page_source)
        self.open("/web#action=crm_cn_lifecycle.action_pipeline_risk_report", ".o_list_view .o_data_row")
        self.assertIn("Alpha Office Supplies", self.driver.page_source)
        self.open("/web#action=crm_cn_lifecycle.action_pipeline_risk_report&view_type=pivot", ".o_pivot")
        self.assert_no_errors()
