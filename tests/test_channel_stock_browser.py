"""A dealer reports its stock in a real browser, sees a bad file's error and
accepts a replenishment proposal with an adjusted quantity."""
import os
import tempfile

from selenium.webdriver.common.by import By

from odoo.tests import common
from odoo.tests.common import at_install, post_install

from .browser import chromium, console_errors, fill, login, wait_for
from .common import LifecycleHttpCase, create_dealer, create_product
from .test_channel_stock import days_ago


@at_install(False)
@post_install(True)
class TestChannelStockBrowser(LifecycleHttpCase):

    def build_world(self):
        self.base_url = "http://%s:%s" % (common.HOST, common.PORT)
        paper = create_product(self.env, "Copy paper A4", default_code="A4-80")
        self.dealer = create_dealer(self.env, "Browser Dealer", login="cs_browser")
        self.proposal = self.env["sale.order"].create({
            "partner_id": self.dealer.id, "cn_drp_proposal": True, "order_line": [
                (0, 0, {"product_id": paper.id, "product_uom_qty": 40, "cn_proposed_qty": 40,
                        "cn_pack_multiple": 10})]})
        self.proposal.message_subscribe([self.dealer.id])

    def setUp(self):
        super(TestChannelStockBrowser, self).setUp()
        self.driver = chromium()
        self.addCleanup(self.driver.quit)

    def test_dealer_reports_uploads_a_bad_file_and_accepts_a_proposal(self):
        driver = self.driver
        login(driver, self.base_url, "cs_browser", "cs_browser", ".o_portal_my_home")
        driver.find_element(By.CSS_SELECTOR, ".o_cn_stock_reports a").click()
        wait_for(driver, ".o_cn_new_report").click()
        wait_for(driver, ".o_cn_report_form")
        driver.execute_script("document.getElementById('date').value = arguments[0];", days_ago(1))
        fill(self.driver, "product_code_0", "A4-80")
        fill(self.driver, "on_hand_0", "120")
        fill(self.driver, "sold_0", "30")
        driver.find_element(By.CSS_SELECTOR, ".o_cn_submit_report").click()
        lines = wait_for(driver, ".o_cn_report_lines")
        self.assertIn("Copy paper A4", lines.text)
        self.assertIn("120", lines.text)

        handle, path = tempfile.mkstemp(suffix=".csv")
        self.addCleanup(os.remove, path)
        with os.fdopen(handle, "wb") as upload:
            upload.write("产品编码,库存数量,销量\nA4-80,100,20\nA4-80,-5,0\n".encode("gbk"))
        driver.get(self.base_url + "/my/stock_reports/new")
        wait_for(driver, ".o_cn_report_form")
        driver.find_element(By.NAME, "file").send_keys(path)
        driver.find_element(By.CSS_SELECTOR, ".o_cn_submit_report").click()
        error = wait_for(driver, ".o_cn_report_error")
        self.assertIn("Row 3: same product as row 2", error.text)
        self.assertIn("Row 3: negative quantity -5", error.text)
        self.assertEqual(console_errors(driver), [])
        with self.server_cursor() as env:
            self.assertEqual(env["crm.cn.channel.stock.report"].search_count(
                [("dealer_id", "=", self.dealer.id)]), 1)

        driver.get(self.base_url + "/my")
        wait_for(driver, ".o_cn_proposals a").click()
        quantity = wait_for(driver, ".o_cn_proposal_qty")
        quantity.clear()
        quantity.send_keys("60")
        driver.find_element(By.CSS_SELECTOR, ".o_cn_accept_proposal").click()
        self.assertIn("Proposal accepted", wait_for(driver, ".alert-success").text)
        self.assertEqual(console_errors(driver), [])
        with self.server_cursor():
            self.assertEqual((self.proposal.state, self.proposal.order_line.product_uom_qty), ("sent", 60.0))
