"""The dealer's own scorecard on the portal and over XML-RPC: its own
figures (one decimal), never another dealer's; public users go to login."""
import xmlrpc.client

from lxml import html

from odoo import fields
from odoo.tests import common
from odoo.tests.common import at_install, get_db_name, post_install

from .common import GROUP_MANAGER, LifecycleHttpCase, create_user
from .scorecard_world import ScorecardWorld


@at_install(False)
@post_install(True)
class TestScorecardPortal(LifecycleHttpCase):

    def build_world(self):
        self.world = ScorecardWorld(self.env, logins=("scp_dealer_a", "scp_dealer_b"))
        manager = create_user(self.env, "scp_manager", ["base.group_user", GROUP_MANAGER])
        self.env["crm.cn.dealer.scorecard"].sudo(manager).compute_scorecards(
            fields.Date.to_string(self.world.start))
        self.card_a = self.world.card(self.world.a)
        self.card_b = self.world.card(self.world.b)

    def url(self, path):
        return "http://%s:%s%s" % (common.HOST, common.PORT, path)

    def cells(self, page, css_class):
        nodes = html.fromstring(page).xpath("//*[contains(concat(' ', @class, ' '), ' %s ')]" % css_class)
        return [" ".join(node.text_content().replace("\xa0", " ").split()) for node in nodes]

    def test_dealer_sees_its_own_scorecard_with_one_decimal(self):
        self.authenticate("scp_dealer_a", "scp_dealer_a")
        page = self.url_open("/my/scorecard", timeout=60).text
        self.assertEqual(self.cells(page, "o_cn_sell_through"), ["68.8"])
        self.assertEqual(self.cells(page, "o_cn_cover"), ["5.9"])
        self.assertIn("1,500.00", self.cells(page, "o_cn_purchases")[0])
        self.assertEqual(self.cells(page, "o_cn_grade"), ["T-Gold"])
        self.assertNotIn("Scorecard Dealer B", page)

    def test_other_dealer_sees_only_its_own(self):
        self.authenticate("scp_dealer_b", "scp_dealer_b")
        page = self.url_open("/my/scorecard", timeout=60).text
        self.assertIn("200.00", self.cells(page, "o_cn_purchases")[0])
        self.assertEqual(self.cells(page, "o_cn_sell_through"), ["–"])
        self.assertNotIn("1,500.00", page)
        self.assertNotIn("68.8", page)

    def test_home_page_counts_the_scorecards(self):
        self.authenticate("scp_dealer_a", "scp_dealer_a")
        page = self.url_open("/my", timeout=60).text
        self.assertEqual(len(self.cells(page, "o_cn_scorecard")), 1)
        self.assertIn("/my/scorecard", page)

    def test_public_user_is_sent_to_login(self):
        response = self.opener.get(self.url("/my/scorecard"), allow_redirects=False, timeout=60)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])

    def execute(self, login, method, *args):
        with self.server_cursor() as env:
            uid = env["res.users"].search([("login", "=", login)]).id
        return self.xmlrpc_object.execute_kw(get_db_name(), uid, login, "crm.cn.dealer.scorecard",
                                             method, list(args))

    def test_dealer_reads_only_its_own_scorecards_over_xmlrpc(self):
        rows = self.execute("scp_dealer_a", "search_read", [], ["dealer_id", "purchases"])
        self.assertEqual([row["id"] for row in rows], [self.card_a.id])
        self.assertEqual(rows[0]["purchases"], 1500.0)
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.execute("scp_dealer_a", "read", [self.card_b.id], ["purchases"])
        self.assertIn("security restrictions", refusal.exception.faultString)

    def test_dealer_cannot_compute_or_change_scorecards_over_xmlrpc(self):
        with self.assertRaises(xmlrpc.client.Fault):
            self.execute("scp_dealer_a", "compute_scorecards")
        with self.assertRaises(xmlrpc.client.Fault):
            self.execute("scp_dealer_a", "write", [self.card_a.id], {"purchases": 1.0})
