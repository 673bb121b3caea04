"""The demo's closed deals tell who Huaxin loses to, and on what."""
from odoo.tests.common import TransactionCase

MODULE = "crm_cn_lifecycle"


class TestWinLossDemo(TransactionCase):

    def demo(self, xmlid):
        return self.env.ref("%s.%s" % (MODULE, xmlid))

    def test_each_rival_has_its_record_against_huaxin(self):
        # counted from demo/crm.lead.csv: (deals met, won against, lost to it)
        for xmlid, counts in [("competitor_jinbi", (43, 17, 26)), ("competitor_ocean", (20, 10, 10)),
                              ("competitor_nanfeng", (8, 5, 3))]:
            rival = self.demo(xmlid)
            self.assertEqual((rival.deal_count, rival.won_count, rival.lost_to_count), counts, rival.name)
        self.assertAlmostEqual(self.demo("competitor_nanfeng").win_rate, 62.5)

    def test_the_report_shows_fans_win_more_often_than_stationery(self):
        rows = self.env["crm.cn.win.loss.report"].read_group(
            [("categ_id", "!=", False)],
            ["categ_id", "win_rate", "deal_count"], ["categ_id"])
        rate = {row["categ_id"][0]: row["win_rate"] for row in rows}
        fans, stationery = self.demo("product_category_ceiling_fans"), self.demo("product_category_stationery")
        self.assertAlmostEqual(rate[fans.id], 100.0 * 10 / 15, places=3)
        self.assertAlmostEqual(rate[stationery.id], 100.0 * 14 / 30, places=3)
