"""The demo's relations between customers tell their story from both sides."""
from odoo.tests.common import TransactionCase

MODULE = "crm_cn_lifecycle"


class TestRelationDemo(TransactionCase):

    def demo(self, xmlid):
        return self.env.ref("%s.%s" % (MODULE, xmlid))

    def seen_from(self, partner):
        rows = self.env["crm.cn.partner.relation.all"].search([("this_partner_id", "=", partner.id)])
        return {(row.type_label, row.other_partner_id.id, row.is_current) for row in rows}

    def test_the_nanning_mart_rolls_up_to_the_guangzhou_dealers_group(self):
        dealer, mart = self.demo("partner_gz_dealer"), self.demo("partner_nn_store")
        self.assertEqual(mart.cn_group_partner_id, dealer)
        self.assertEqual(dealer.cn_group_partner_id, dealer)
        self.assertEqual(self.env["res.partner"]._cn_rollup_map([mart.id, dealer.id]),
                         {mart.id: dealer.id, dealer.id: dealer.id})

    def test_the_guangzhou_dealer_sees_its_mart_store_and_installation(self):
        dealer = self.demo("partner_gz_dealer")
        group = self.demo("relation_type_group")
        selling = self.demo("relation_type_dealer")
        installing = self.demo("relation_type_installer")
        self.assertLessEqual({
            (group.name, self.demo("partner_nn_store").id, True),
            (selling.name_inverse, self.demo("partner_gz_store").id, True),
            (installing.name, self.demo("partner_baiyun_center").id, True),
        }, self.seen_from(dealer))

    def test_the_chengdu_school_bought_through_wuhan_until_last_spring(self):
        school = self.demo("partner_cd_school")
        selling = self.demo("relation_type_dealer")
        self.assertIn((selling.name, self.demo("partner_wuhan_dealer").id, False), self.seen_from(school))

    def test_maple_is_a_competitors_customer(self):
        maple = self.demo("partner_maple")
        competitor = self.demo("partner_competitor_zhongshan")
        self.assertIn((self.demo("relation_type_competitor_customer").name, competitor.id, True),
                      self.seen_from(maple))
