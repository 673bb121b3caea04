"""Relations between customers: stored once, shown from both sides, checked
(itself, twice, in a loop), the group top that the pyramid rolls revenue up
to, and who may record them (ORM and XML-RPC)."""
import xmlrpc.client
from contextlib import contextmanager
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests.common import at_install, get_db_name, post_install

from .test_access_matrix_rpc import rpc_refusal
from .common import (GROUP_USER, LifecycleCase, LifecycleHttpCase, create_customer, create_dealer,
                     create_user, portal_user_of)


def day(env, delta):
    """Today plus `delta` days, as Odoo 11 keeps dates."""
    today = fields.Date.from_string(fields.Date.context_today(env.user))
    return fields.Date.to_string(today + timedelta(days=delta))


class RelationCase(LifecycleCase):

    @classmethod
    def setUpClass(cls):
        super(RelationCase, cls).setUpClass()
        env = cls.env
        cls.Relation = env["crm.cn.partner.relation"]
        cls.group_type = env.ref("crm_cn_lifecycle.relation_type_group")
        cls.dealer_type = env.ref("crm_cn_lifecycle.relation_type_dealer")
        cls.owner_type = env.ref("crm_cn_lifecycle.relation_type_same_owner")
        sales = cls.salesperson
        cls.holding = create_customer(env, "Huanan Holding", user_id=sales.id)
        cls.subsidiary = create_customer(env, "Huanan Stationery", user_id=sales.id)
        cls.shop = create_customer(env, "Huanan Shop No. 3", user_id=sales.id)
        cls.shop_contact = env["res.partner"].create({"name": "Shop buyer", "parent_id": cls.shop.id})
        cls.dealer = create_dealer(env, "Pearl River Dealer", user_id=cls.other_salesperson.id)
        cls.others = create_customer(env, "Other's Customer", user_id=cls.other_salesperson.id)

    def relate(self, left, relation_type, right, **values):
        vals = {"left_partner_id": left.id, "type_id": relation_type.id,
                "right_partner_id": right.id}
        vals.update(values)
        return self.Relation.create(vals)

    @contextmanager
    def refused(self, exception, pattern=""):
        """The error, and nothing of the attempt left (as a request's rollback leaves it)."""
        with self.assertRaisesRegex(exception, pattern):
            with self.env.cr.savepoint():
                yield
        self.env.cache.invalidate()

    def seen_from(self, partner):
        return {(row.type_label, row.other_partner_id) for row in partner.cn_relation_all_ids}


class TestRelationsBothSides(RelationCase):

    def test_both_sides_show_the_relation_with_their_own_name(self):
        self.relate(self.shop, self.dealer_type, self.dealer)
        self.assertEqual(self.seen_from(self.shop), {("Buys through dealer", self.dealer)})
        self.assertEqual(self.seen_from(self.dealer), {("Sells to", self.shop)})
        rows = self.env["crm.cn.partner.relation.all"].search([("this_partner_id", "=", self.dealer.id)])
        self.assertEqual(rows.display_name, "Pearl River Dealer Sells to Huanan Shop No. 3")

    def test_relation_count_and_actions_start_from_the_partner(self):
        relation = self.relate(self.holding, self.group_type, self.subsidiary)
        self.assertEqual(self.subsidiary.cn_relation_count, 1)
        action = self.subsidiary.action_cn_view_relations()
        self.assertEqual(self.Relation.search(action["domain"]), relation)
        self.assertEqual(action["context"]["default_left_partner_id"], self.subsidiary.id)

    def test_partner_form_shows_relations_to_employees(self):
        view = self.env["res.partner"].sudo(self.salesperson).fields_view_get(view_type="form")
        self.assertIn('name="cn_relations"', view["arch"])
        self.assertIn('name="action_cn_view_relations"', view["arch"])
        self.assertIn("cn_inverse_names", view["arch"])
        self.assertIn("right_partner_id", view["fields"]["cn_relation_left_ids"]["views"]["tree"]["arch"])
        self.assertIn("left_partner_id", view["fields"]["cn_relation_right_ids"]["views"]["tree"]["arch"])

    def test_relations_are_edited_inline_from_either_side(self):
        as_sales = self.env["res.partner"].sudo(self.salesperson)
        as_sales.browse(self.subsidiary.id).write({"cn_relation_right_ids": [(0, 0, {
            "type_id": self.group_type.id, "left_partner_id": self.holding.id})]})
        as_sales.browse(self.shop.id).write({"cn_relation_left_ids": [(0, 0, {
            "type_id": self.dealer_type.id, "right_partner_id": self.dealer.id})]})
        self.assertEqual(self.subsidiary.cn_group_partner_id, self.holding)
        self.assertEqual(self.seen_from(self.holding), {("Group of", self.subsidiary)})
        self.assertEqual(self.seen_from(self.dealer), {("Sells to", self.shop)})
        relation = self.subsidiary.cn_relation_right_ids
        as_sales.browse(self.subsidiary.id).write({"cn_relation_right_ids": [(2, relation.id)]})
        self.assertFalse(relation.exists())
        self.assertEqual(self.subsidiary.cn_group_partner_id, self.subsidiary)

    def test_relations_to_a_partner_are_named_from_its_side(self):
        inverse = self.env["crm.cn.relation.type"].with_context(cn_inverse_names=True)
        self.assertEqual(inverse.browse(self.group_type.id).name_get(),
                         [(self.group_type.id, "Subsidiary of")])
        self.assertEqual([kind for kind, _name in inverse.name_search("Subsidiary")],
                         [self.group_type.id])
        self.assertEqual(self.group_type.name_get(), [(self.group_type.id, "Group of")])

    def test_a_contact_given_is_replaced_by_its_company(self):
        relation = self.relate(self.shop_contact, self.dealer_type, self.dealer)
        self.assertEqual(relation.left_partner_id, self.shop)

    def test_a_partner_cannot_relate_to_itself(self):
        with self.refused(ValidationError, "with itself"):
            self.relate(self.shop, self.owner_type, self.shop_contact)
        self.assertFalse(self.Relation.search([("left_partner_id", "=", self.shop.id)]))

    def test_the_same_relation_twice_at_the_same_time_is_refused(self):
        self.relate(self.shop, self.dealer_type, self.dealer, date_start=day(self.env, -100))
        with self.refused(ValidationError, "already recorded"):
            self.relate(self.shop, self.dealer_type, self.dealer, date_start=day(self.env, -10),
                        date_end=day(self.env, 10))

    def test_a_relation_of_the_same_name_both_ways_is_one_relation(self):
        self.relate(self.holding, self.owner_type, self.others)
        with self.refused(ValidationError, "already recorded"):
            self.relate(self.others, self.owner_type, self.holding)

    def test_the_same_relation_again_after_the_first_ended_is_accepted(self):
        self.relate(self.shop, self.dealer_type, self.dealer, date_start=day(self.env, -400),
                    date_end=day(self.env, -200))
        again = self.relate(self.shop, self.dealer_type, self.dealer, date_start=day(self.env, -30))
        self.assertTrue(again.is_current)
        self.assertEqual(len(self.shop.cn_relation_all_ids), 2)

    def test_a_relation_ending_before_it_starts_is_refused(self):
        with self.refused(ValidationError, "ends before it starts"):
            self.relate(self.shop, self.dealer_type, self.dealer, date_start=day(self.env, 0),
                        date_end=day(self.env, -1))


class TestGroupRollUp(RelationCase):

    def build_chain(self):
        """holding > subsidiary > shop."""
        top = self.relate(self.holding, self.group_type, self.subsidiary, date_start=day(self.env, -300))
        lower = self.relate(self.subsidiary, self.group_type, self.shop, date_start=day(self.env, -200))
        return top, lower

    def test_group_top_is_found_through_two_levels(self):
        self.build_chain()
        self.assertEqual(self.shop.cn_group_partner_id, self.holding)
        self.assertEqual(self.shop_contact.cn_group_partner_id, self.holding)
        self.assertEqual(self.subsidiary.cn_group_partner_id, self.holding)
        self.assertEqual(self.holding.cn_group_partner_id, self.holding)
        self.assertEqual(self.others.cn_group_partner_id, self.others)

    def test_a_loop_of_groups_is_refused(self):
        self.build_chain()
        with self.refused(ValidationError, "already above"):
            self.relate(self.shop, self.group_type, self.holding)
        self.assertEqual(self.holding.cn_group_partner_id, self.holding)

    def test_a_loop_with_an_ended_relation_is_no_loop(self):
        top, lower = self.build_chain()
        top.date_end = day(self.env, -1)
        self.relate(self.shop, self.group_type, self.holding, date_start=day(self.env, 0))
        self.assertEqual(self.holding.cn_group_partner_id, self.subsidiary)

    def test_a_company_belongs_to_one_group_at_a_time(self):
        self.build_chain()
        with self.refused(ValidationError, "already rolls up"):
            self.relate(self.others, self.group_type, self.shop)

    def test_group_top_follows_when_a_relation_ends(self):
        top, lower = self.build_chain()
        top.write({"date_end": day(self.env, -1)})
        self.assertEqual(self.subsidiary.cn_group_partner_id, self.subsidiary)
        self.assertEqual(self.shop.cn_group_partner_id, self.subsidiary)
        self.assertEqual(self.shop_contact.cn_group_partner_id, self.subsidiary)

    def test_group_top_follows_when_a_relation_is_deleted(self):
        top, lower = self.build_chain()
        lower.unlink()
        self.assertEqual(self.shop.cn_group_partner_id, self.shop)
        self.assertEqual(self.shop_contact.cn_group_partner_id, self.shop)
        self.assertEqual(self.subsidiary.cn_group_partner_id, self.holding)

    def test_group_top_follows_a_new_group_above_the_top(self):
        self.build_chain()
        self.relate(self.others, self.group_type, self.holding)
        self.assertEqual(self.shop.cn_group_partner_id, self.others)
        self.assertEqual(self.shop_contact.cn_group_partner_id, self.others)

    def test_relations_that_do_not_roll_up_make_no_group(self):
        self.relate(self.shop, self.dealer_type, self.dealer)
        self.assertEqual(self.shop.cn_group_partner_id, self.shop)

    def test_rollup_map_on_a_date(self):
        self.build_chain()
        ids = [self.holding.id, self.subsidiary.id, self.shop.id, self.others.id]
        Partner = self.env["res.partner"]
        self.assertEqual(Partner._cn_rollup_map(ids), {
            self.holding.id: self.holding.id, self.subsidiary.id: self.holding.id,
            self.shop.id: self.holding.id, self.others.id: self.others.id})
        # 250 days ago the shop was in no group yet
        self.assertEqual(Partner._cn_rollup_map(ids, day(self.env, -250)), {
            self.holding.id: self.holding.id, self.subsidiary.id: self.holding.id,
            self.shop.id: self.shop.id, self.others.id: self.others.id})

    def test_daily_cron_moves_a_partner_whose_relation_starts_today(self):
        relation = self.relate(self.holding, self.group_type, self.subsidiary,
                               date_start=day(self.env, 1))
        self.assertEqual(self.subsidiary.cn_group_partner_id, self.subsidiary)
        # the calendar moves on: tomorrow is today (no ORM write, nothing recomputed)
        self.env.cr.execute("UPDATE crm_cn_partner_relation SET date_start = %s WHERE id = %s",
                            (day(self.env, 0), relation.id))
        self.env.cache.invalidate()
        self.assertEqual(self.subsidiary.cn_group_partner_id, self.subsidiary)
        self.env["res.partner"]._cron_cn_update_groups()
        self.assertEqual(self.subsidiary.cn_group_partner_id, self.holding)


class TestRelationAccess(RelationCase):

    def as_user(self, user):
        return self.Relation.sudo(user)

    def test_salesperson_relates_an_own_customer_on_either_side(self):
        Relation = self.as_user(self.salesperson)
        left = Relation.create({"left_partner_id": self.shop.id, "type_id": self.dealer_type.id,
                                "right_partner_id": self.dealer.id})
        right = Relation.create({"left_partner_id": self.others.id, "type_id": self.group_type.id,
                                 "right_partner_id": self.subsidiary.id})
        left.write({"note": "Buys paper through the dealer"})
        self.assertEqual(self.subsidiary.cn_group_partner_id, self.others)
        right.unlink()
        self.assertEqual(self.subsidiary.cn_group_partner_id, self.subsidiary)

    def test_salesperson_cannot_relate_two_customers_of_others(self):
        with self.refused(AccessError):
            self.as_user(self.salesperson).create({
                "left_partner_id": self.others.id, "type_id": self.dealer_type.id,
                "right_partner_id": self.dealer.id})
        self.assertFalse(self.Relation.search([("left_partner_id", "=", self.others.id)]))

    def test_salesperson_reads_but_cannot_change_relations_of_others(self):
        relation = self.relate(self.others, self.dealer_type, self.dealer)
        Relation = self.as_user(self.salesperson)
        self.assertEqual(Relation.search([("id", "=", relation.id)]).type_id, self.dealer_type)
        with self.refused(AccessError):
            Relation.browse(relation.id).write({"note": "mine now"})
        with self.refused(AccessError):
            Relation.browse(relation.id).write({"right_partner_id": self.shop.id})
        with self.refused(AccessError):
            Relation.browse(relation.id).unlink()

    def test_salesperson_cannot_move_an_own_relation_to_customers_of_others(self):
        relation = self.relate(self.shop, self.dealer_type, self.dealer)
        with self.refused(AccessError):
            self.as_user(self.salesperson).browse(relation.id).write({"left_partner_id": self.others.id})
        self.assertEqual(relation.left_partner_id, self.shop)

    def test_accountant_reads_and_changes_nothing(self):
        relation = self.relate(self.shop, self.dealer_type, self.dealer)
        Relation = self.as_user(self.accountant)
        self.assertEqual(Relation.search([("id", "=", relation.id)]), relation)
        with self.refused(AccessError):
            Relation.create({"left_partner_id": self.shop.id, "type_id": self.owner_type.id,
                             "right_partner_id": self.holding.id})

    def test_only_managers_edit_relation_types(self):
        with self.refused(AccessError):
            self.env["crm.cn.relation.type"].sudo(self.salesperson).create(
                {"name": "Franchisee of", "name_inverse": "Franchisor of"})
        kind = self.env["crm.cn.relation.type"].sudo(self.manager).create(
            {"name": "Franchisee of", "name_inverse": "Franchisor of"})
        self.assertEqual(kind.sudo(self.salesperson).name, "Franchisee of")

    def test_portal_user_reads_no_relation(self):
        dealer = create_dealer(self.env, "Portal Dealer", login="cn_rel_portal",
                               user_id=self.salesperson.id)
        self.relate(dealer, self.dealer_type, self.dealer)
        portal = portal_user_of(dealer)
        for model in ("crm.cn.partner.relation", "crm.cn.partner.relation.all", "crm.cn.relation.type"):
            with self.refused(AccessError):
                self.env[model].sudo(portal).search([])
        # its own company stays readable: the relation fields are for employees
        self.assertEqual(dealer.sudo(portal).read(["name"])[0]["name"], "Portal Dealer")


@at_install(False)
@post_install(True)
class TestRelationAccessXmlRpc(LifecycleHttpCase):

    def build_world(self):
        env = self.env
        self.sales = create_user(env, "cn_rel_rpc_sales", ["base.group_user", GROUP_USER])
        other = create_user(env, "cn_rel_rpc_sales2", ["base.group_user", GROUP_USER])
        self.own = create_customer(env, "RPC Own Customer", user_id=self.sales.id)
        self.theirs = create_customer(env, "RPC Their Customer", user_id=other.id)
        self.theirs2 = create_customer(env, "RPC Their Other Customer", user_id=other.id)
        self.kind = env.ref("crm_cn_lifecycle.relation_type_referral")

    def execute(self, model, method, *args):
        return self.xmlrpc_object.execute_kw(get_db_name(), self.sales.id, self.sales.login,
                                             model, method, list(args), {})

    def count(self, partner):
        with self.server_cursor() as env:
            return env["crm.cn.partner.relation"].search_count(
                ["|", ("left_partner_id", "=", partner.id), ("right_partner_id", "=", partner.id)])

    def test_salesperson_relates_an_own_customer_over_xmlrpc(self):
        relation_id = self.execute("crm.cn.partner.relation", "create", {
            "left_partner_id": self.theirs.id, "type_id": self.kind.id,
            "right_partner_id": self.own.id})
        self.assertTrue(relation_id)
        rows = self.execute("crm.cn.partner.relation.all", "search_read",
                            [("this_partner_id", "=", self.own.id)], ["type_label", "other_partner_id"])
        self.assertEqual([(row["type_label"], row["other_partner_id"][0]) for row in rows],
                         [("Referred", self.theirs.id)])

    def test_salesperson_is_refused_two_customers_of_others_over_xmlrpc(self):
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.execute("crm.cn.partner.relation", "create", {
                "left_partner_id": self.theirs.id, "type_id": self.kind.id,
                "right_partner_id": self.theirs2.id})
        self.assertTrue(rpc_refusal(refusal.exception), refusal.exception.faultString)
        self.assertEqual(self.count(self.theirs), 0)
