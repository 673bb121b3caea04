"""The addon is installed with its groups, access rules and menus."""
from odoo.tests.common import TransactionCase


class TestInstall(TransactionCase):

    def test_module_is_installed(self):
        module = self.env["ir.module.module"].search([("name", "=", "crm_cn_lifecycle")])
        self.assertEqual(module.state, "installed")
        self.assertEqual(module.latest_version, "11.0.1.0.0")

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
            if model.transient:
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

    def test_menu_reaches_every_action(self):
        for xmlid in ("menu_customers", "menu_channel_partners", "menu_pipeline",
                      "menu_territories", "menu_brands", "menu_campaigns", "menu_campaign_responses",
                      "menu_response_import", "menu_campaign_roi", "menu_campaign_roi_xlsx",
                      "menu_lifecycle_events", "menu_stage_history"):
            menu = self.env.ref("crm_cn_lifecycle.%s" % xmlid)
            self.assertTrue(menu.action, "%s has no action" % xmlid)
            self.assertEqual(menu.parent_id.parent_id, self.env.ref("crm_cn_lifecycle.menu_root"))
