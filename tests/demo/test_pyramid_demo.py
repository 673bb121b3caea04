"""The demo's customer pyramid: Huaxin's key customers down to suspects and
lapsed ones, a month of movement and a late customer on the win-back list.
Runs on a database installed with demo data, like test_demo_story.py."""
from odoo.tests.common import TransactionCase


class TestPyramidDemo(TransactionCase):

    def setUp(self):
        super(TestPyramidDemo, self).setUp()
        self.Line = self.env["crm.cn.pyramid.line"]
        self.current = self.Line.search([("is_current", "=", True)])

    def line(self, xmlid):
        partner = self.env.ref("crm_cn_lifecycle.%s" % xmlid)
        return self.current.filtered(lambda line: line.partner_id == partner)

    def test_every_tier_of_the_story_is_there(self):
        tiers = set(self.current.mapped("tier"))
        self.assertLessEqual({"key", "big", "medium", "small", "prospect", "suspect", "lapsed"}, tiers)

    def test_fan_season_makes_shenzhen_mingda_a_key_customer(self):
        self.assertEqual(self.line("partner_sz_oem").tier, "key")
        self.assertEqual(self.env.ref("crm_cn_lifecycle.partner_sz_oem").cn_pyramid_tier, "key")

    def test_lapsed_suspect_and_late_customers(self):
        self.assertEqual(self.line("partner_dg_hotel").tier, "lapsed")
        self.assertEqual(self.line("partner_th_wholesale").tier, "suspect")
        late = self.line("partner_fs_printing")
        self.assertTrue(late.late)
        self.assertGreater(late.revenue_at_risk, 0)

    def test_a_month_of_movement(self):
        self.assertEqual(len(set(self.Line.search([]).mapped("date"))), 2)
        self.assertEqual(self.line("partner_maple").movement, "converted")
        self.assertEqual(self.line("partner_xihu_law").movement, "up")

    def test_margin_of_the_key_tier(self):
        key = [row for row in self.Line.pyramid_summary() if row["tier"] == "key"][0]
        self.assertGreater(key["revenue"], 0)
        self.assertGreater(key["margin"], 0)
        self.assertGreater(key["share"], 0.5)
