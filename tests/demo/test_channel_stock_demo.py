"""The demo's channel inventory story (demo/channel_stock_demo.xml): the
Guangzhou dealer reports weekly and has a proposal waiting, the Wuhan dealer's
estimate is stale and its typo report is kept as superseded history.
Runs on a database installed with demo data, like test_demo_story.py."""
from odoo.tests.common import TransactionCase

MODULE = "crm_cn_lifecycle"


class TestChannelStockDemo(TransactionCase):

    def demo(self, xmlid):
        return self.env.ref("%s.%s" % (MODULE, xmlid))

    def estimates(self, dealer_xmlid):
        return self.env["crm.cn.channel.stock.estimate"].search(
            [("dealer_id", "=", self.demo(dealer_xmlid).id)])

    def test_guangzhou_reports_weekly_and_its_estimate_is_fresh(self):
        rows = self.estimates("partner_gz_dealer")
        self.assertEqual(sorted(rows.mapped("product_id.default_code")), ["DL-A4-500", "MG-FL-A4", "MG-GP-12"])
        paper = rows.filtered(lambda row: row.product_id == self.demo("product_copy_paper"))
        # 25 + 25 reams over the 14 days between the first and last report
        self.assertAlmostEqual(paper.daily_sellout, 50 / 14.0)
        self.assertEqual((paper.reported_qty, paper.days_since_report, paper.stale), (70, 7, False))

    def test_wuhan_is_stale_and_its_typo_report_is_history(self):
        rows = self.estimates("partner_wuhan_dealer")
        self.assertTrue(rows and all(rows.mapped("stale")))
        paper = rows.filtered(lambda row: row.product_id == self.demo("product_copy_paper"))
        self.assertEqual(paper.reported_qty, 180)
        typo = self.demo("stock_report_wuhan_2_typo")
        self.assertEqual((typo.state, typo.superseded_by_id), ("superseded", self.demo("stock_report_wuhan_2")))

    def test_guangzhou_dealer_sees_its_proposal_and_not_wuhans_stock(self):
        user = self.demo("user_dealer_gz")
        proposal = self.demo("drp_proposal_gz")
        visible = self.env["sale.order"].sudo(user).search([("cn_drp_proposal", "=", True), ("state", "=", "draft")])
        self.assertEqual(visible, proposal)
        self.assertEqual(sorted(proposal.order_line.mapped("cn_pack_multiple")), [5.0, 12.0])
        stock = self.env["crm.cn.channel.stock.estimate"].sudo(user).search([])
        self.assertEqual(stock.mapped("dealer_id"), self.demo("partner_gz_dealer"))

    def test_settings_say_how_paper_and_pens_ship(self):
        paper = self.demo("drp_setting_copy_paper")
        self.assertEqual((paper.pack_multiple, paper.safety_qty, paper.dealer_id.id), (5.0, 10.0, False))
        self.assertEqual(self.demo("drp_setting_gz_gel_pen").dealer_id, self.demo("partner_gz_dealer"))
