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

    def test_guangzhou_pipeline_adds_demand_to_its_replenishment(self):
        """The law firm the dealer accepted (paper and pens in 20 days) and the
        school registration approved (paper and pens in 30 days) count as
        pipeline demand, weighted by their win probability; the school's pens
        fall after the 4-week window of the dealer's pen setting."""
        rows = self.estimates("partner_gz_dealer")
        paper = rows.filtered(lambda row: row.product_id == self.demo("product_copy_paper"))
        pens = rows.filtered(lambda row: row.product_id == self.demo("product_gel_pen"))
        lawfirm = self.demo("lead_fwd_lawfirm")
        school = self.demo("deal_registration_gz_school").lead_id
        self.assertEqual((lawfirm.cn_forward_state, school.cn_forward_state), ("accepted", "accepted"))
        self.assertGreater(paper.pipeline_qty, 0.0)
        self.assertAlmostEqual(paper.pipeline_qty, 100 * lawfirm.cn_win_probability / 100.0
                               + 600 * school.cn_win_probability / 100.0)
        self.assertAlmostEqual(pens.pipeline_qty, 120 * lawfirm.cn_win_probability / 100.0)
        wizard = self.env["crm.cn.drp.proposal"].sudo(self.demo("user_sales")).create(
            {"dealer_ids": [(6, 0, self.demo("partner_gz_dealer").ids)]})
        wizard.action_propose()
        line = wizard.line_ids.filtered(lambda line: line.product_id == self.demo("product_copy_paper"))
        self.assertEqual(line.pipeline_qty, paper.pipeline_qty)
        self.assertGreater(line.proposed_qty, 0.0)
