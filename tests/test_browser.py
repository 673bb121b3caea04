"""What a person sees: the backend pipeline and the dealer portal render in
a real browser without server or JavaScript errors."""
import time

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
        printers = create_opportunity(self.env, customer, "Printers for 3 floors", user_id=self.manager.id)
        shredders = create_opportunity(self.env, customer, "Shredders for the archive", user_id=self.manager.id)
        self.env["crm.cn.win.score"]._cn_write([printers.id, shredders.id], [20.0, 80.0],
                                               ["↓ Source: Cold Call", "↑ Source: Referral"])
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
        self.driver.refresh()  # a new hash alone races the client loading its home action
        wait_for(self.driver, ".o_kanban_record .o_kanban_record_title, .o_kanban_record")
        self.driver.execute_script(HIDE_TOUR_TIPS)
        self.assertIn("Printers for 3 floors", self.driver.page_source)
        self.assertIn("CRM Lifecycle", self.driver.page_source)
        self.assert_no_errors()

    def win_header(self, click=False):
        """The classes of the list's "Win Probability (Model)" header, clicked when `click`."""
        return self.driver.execute_script("""
            const th = Array.from(document.querySelectorAll('.o_list_view thead th'))
                .find(th => th.innerText.trim() === 'Win Probability (Model)');
            if (!th) { return ''; }
            const classes = th.className;
            if (arguments[0]) { th.click(); }
            return classes;""", click)

    def pipeline_names(self):
        """The two scored opportunities, in the order the list shows them."""
        rows = self.driver.execute_script(
            "return Array.from(document.querySelectorAll('.o_list_view .o_data_row')).map(r => r.innerText)")
        return [name for row in rows for name in ("Printers for 3 floors", "Shredders for the archive")
                if name in row]

    def test_manager_sorts_the_pipeline_list_by_win_probability(self):
        login(self.driver, self.base_url, "browser_manager", "browser_manager", "#oe_main_menu_navbar")
        self.driver.get(self.base_url + "/web#action=crm_cn_lifecycle.action_pipeline&view_type=list")
        self.driver.refresh()  # a new hash alone races the client loading its home action
        wait_for(self.driver, ".o_list_view .o_data_row")
        self.driver.execute_script(HIDE_TOUR_TIPS)
        orders = []
        for _click in range(2):
            before = self.win_header(click=True)
            self.assertIn("o_column_sortable", before)
            deadline = time.time() + 30
            while self.win_header() == before and time.time() < deadline:   # until it is sorted again
                time.sleep(0.2)
            orders.append(self.pipeline_names())
        self.assertEqual(sorted(orders), [["Printers for 3 floors", "Shredders for the archive"],
                                          ["Shredders for the archive", "Printers for 3 floors"]])
        self.assert_no_errors()

    def test_manager_sees_the_win_analysis(self):
        login(self.driver, self.base_url, "browser_manager", "browser_manager", "#oe_main_menu_navbar")
        self.driver.get(self.base_url + "/web#action=crm_cn_lifecycle.action_win_analysis")
        self.driver.refresh()  # a new hash alone races the client loading its home action
        wait_for(self.driver, ".o_pivot table")
        self.assertIn("Weighted Revenue (Win Model)", self.driver.page_source)
        self.assert_no_errors()

    def test_dealer_sees_the_portal_home(self):
        login(self.driver, self.base_url, "browser_dealer", "browser_dealer", ".o_portal_my_home, #wrap")
        self.assertTrue(self.driver.current_url.endswith("/my"), self.driver.current_url)
        self.assertIn("Yuexiu Stationery contact", self.driver.page_source)
        self.assert_no_errors()
