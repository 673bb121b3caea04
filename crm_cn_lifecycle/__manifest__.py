# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "CRM Lifecycle (China) / 客户生命周期管理",
    "summary": "Campaign-to-repurchase customer lifecycle for Chinese distributors: "
               "customer classes, territories, dealers, channel partners",
    "version": "11.0.1.0.0",
    "category": "Sales",
    "license": "AGPL-3",
    "author": "crm_cn_lifecycle developers",
    "website": "https://example.invalid/crm_cn_lifecycle",
    "depends": [
        "crm",
        "sale_crm",
        "sale_stock",
        "account_invoicing",
        "portal",
        "utm",
        "helpdesk_mgmt",
        # Chinese provinces (res.country.state) come from Odoo's l10n_cn.
        "l10n_cn",
    ],
    "data": [
        "security/crm_cn_lifecycle_security.xml",
        "security/ir.model.access.csv",
        "views/crm_cn_territory_views.xml",
        "views/crm_cn_brand_views.xml",
        "views/res_partner_views.xml",
        "views/product_template_views.xml",
        "views/crm_lead_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/product_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/crm_lead_demo.xml",
        "demo/sale_order_demo.xml",
        "demo/helpdesk_ticket_demo.xml",
    ],
    "application": True,
    "installable": True,
}
