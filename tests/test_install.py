"""The addon is installed with its groups, access rules and menus."""
from odoo.tests.common import TransactionCase


class TestInstall(TransactionCase):

    def test_module_is_installed(self):
        module = self.env["ir.module.module"].search([("name", "=", "crm_cn_lifecycle")])
        self.assertEqual(module.state, "installed")
        self.assertEqual(module.latest_version, "11.0.1.3.0")

    def test_dependencies_are_installed(self):
        names = ["crm", "sale_crm", "sale_stock", "account_invoicing", "portal", "utm",
                 "helpdesk_mgmt", "l10n_cn"]
        modules = self.env["ir.module.module"].search([("name", "in", names)])
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        self.assertEqual(len(modules), len(names))

    def test_groups_live_in_crm_lifecycle_category(self):
        category = self.env.ref("crm_cn_lifecycle.module_category_crm_lifecycle")
        self.assertEqual(category.name, "CRM Lifecycle")
        names = set(self.env["res.groups"].search([("category_id", "=", category.id)]).mapped("name"))
        self.assertEqual(names, {"User", "Manager", "Accountant", "Credit Manager"})

    def test_every_model_of_the_addon_has_access_rules(self):
        models = self.env["ir.model.data"].search([
            ("module", "=", "crm_cn_lifecycle"), ("model", "=", "ir.model")])
        model_ids = models.mapped("res_id")
        self.assertTrue(model_ids, "the addon defines models")
        for model in self.env["ir.model"].browse(model_ids):
            if model.transient or self.env[model.model]._abstract:
                continue
            self.assertTrue(model.access_ids, "%s has no ir.model.access" % model.model)

    def test_chinese_provinces_have_regions(self):
        guangdong = self.env.ref("l10n_cn.state_GD")
        chongqing = self.env.ref("l10n_cn.state_CQ")  # its code carries a trailing space
        self.assertEqual(guangdong.cn_region, "south")
        self.assertEqual(chongqing.cn_region, "southwest")
        cn_states = self.env["res.country.state"].search([("country_id.code", "=", "CN")])
        self.assertEqual(len(cn_states), 34)
        self.assertFalse(cn_states.filtered(lambda state: not state.cn_region))

    def test_every_menu_leads_somewhere_under_the_root(self):
        root = self.env.ref("crm_cn_lifecycle.menu_root")
        data = self.env["ir.model.data"].search([("module", "=", "crm_cn_lifecycle"), ("model", "=", "ir.ui.menu")])
        menus = self.env["ir.ui.menu"].browse(data.mapped("res_id")) - root
        self.assertGreater(len(menus), 25)
        for menu in menus:
            self.assertTrue(menu.action or menu.child_id, "%s leads nowhere" % menu.complete_name)
            ancestor = menu
            while ancestor.parent_id:
                ancestor = ancestor.parent_id
            self.assertEqual(ancestor, root, menu.complete_name)
