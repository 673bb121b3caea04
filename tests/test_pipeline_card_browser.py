"""The pipeline card in a real browser: a won deal shows "Won 100%", never the
model's guess, and the badges row and the priority stars are drawn below the
amount line, never over it."""
from selenium.webdriver.common.by import By

from odoo.tests import common
from odoo.tests.common import at_install, post_install

from .browser import HIDE_TOUR_TIPS, chromium, console_errors, login, wait_for
from .common import GROUP_MANAGER, LifecycleHttpCase, create_customer, create_opportunity, create_user

# Each card: the amount line's bottom, the badge row's top and bottom, the stars' top.
CARD_GEOMETRY = """
return Array.from(document.querySelectorAll('.o_kanban_record')).map(card => {
    const box = css => { const e = card.querySelector(css); return e ? e.getBoundingClientRect() : null; };
    const subtitle = box('.o_kanban_record_subtitle'), badges = box('.o_cn_kanban_badges'),
          stars = box('.o_priority');
    const title = card.querySelector('.o_kanban_record_title');
    const win = card.querySelector('.o_cn_win_badge');
    return {name: title ? title.innerText.trim() : '', win: win ? win.innerText.trim() : '',
            subtitle_bottom: subtitle && subtitle.bottom, badges_top: badges && badges.top,
            badges_bottom: badges && badges.bottom, stars_top: stars && stars.top};
});"""


@at_install(False)
@post_install(True)
class TestPipelineCardBrowser(LifecycleHttpCase):

    def build_world(self):
        self.base_url = "http://%s:%s" % (common.HOST, common.PORT)
        self.manager = create_user(self.env, "card_manager", ["base.group_user", GROUP_MANAGER])
        customer = create_customer(self.env, "Nanjing Long Company Name Office Furniture Trading")
        values = {"user_id": self.manager.id, "priority": "3", "planned_revenue": 1234567.0}
        won = create_opportunity(self.env, customer, "Won: desks for the whole campus", **values)
        won.action_set_won()
        open_lead = create_opportunity(self.env, customer, "Open: chairs", cn_forecast_category="commit",
                                       **values)
        self.env["crm.cn.win.score"]._cn_write([won.id, open_lead.id], [0.0, 42.0], ["x", "y"])

    def setUp(self):
        super(TestPipelineCardBrowser, self).setUp()
        self.driver = chromium(width=1000)
        self.addCleanup(self.driver.quit)

    def test_won_card_shows_its_outcome_and_nothing_overlaps_the_amount(self):
        login(self.driver, self.base_url, "card_manager", "card_manager", "#oe_main_menu_navbar")
        self.driver.get(self.base_url + "/web#action=crm_cn_lifecycle.action_pipeline&view_type=kanban")
        self.driver.refresh()
        wait_for(self.driver, ".o_kanban_record .o_cn_win_badge")
        self.driver.execute_script(HIDE_TOUR_TIPS)
        cards = {card["name"]: card for card in self.driver.execute_script(CARD_GEOMETRY)}
        won, open_card = cards["Won: desks for the whole campus"], cards["Open: chairs"]
        self.assertEqual(won["win"], "Won 100%")
        self.assertEqual(open_card["win"], "Win 42%")
        for card in (won, open_card):
            self.assertGreaterEqual(card["badges_top"], card["subtitle_bottom"] - 0.5, card)
            self.assertGreaterEqual(card["stars_top"], card["badges_bottom"] - 0.5, card)
            self.assertGreaterEqual(card["stars_top"], card["subtitle_bottom"] - 0.5, card)
        self.assertFalse(self.driver.find_elements(By.CSS_SELECTOR, ".o_dialog_warning, .o_error_detail"))
        self.assertEqual(console_errors(self.driver), [])
