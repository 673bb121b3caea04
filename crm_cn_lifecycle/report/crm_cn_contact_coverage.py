from psycopg2 import sql

from odoo import api, fields, models, tools

from ..models.crm_cn_contact_sql import CUSTOMER_CONTACTS
from ..models.res_partner_pyramid import TIER_SELECTION
from ..tools.contact_cadence import coverage_percent
from ..tools.sql_text import as_text


class CrmCnContactCoverage(models.Model):
    """Per company, salesperson and pyramid tier: the customers with a tier rule,
    how many were contacted within their tier's cadence today and how many are
    overdue, and the coverage (contacted over customers)."""

    _name = "crm.cn.contact.coverage"
    _inherit = "crm.cn.group.ratio.mixin"
    _cn_group_ratios = {"coverage": ("contacted_count", "customer_count", coverage_percent)}
    _description = "Contact Coverage"
    _auto = False
    _rec_name = "user_id"
    _order = "company_id, user_id, tier"

    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    tier = fields.Selection(TIER_SELECTION, string="Pyramid Tier", readonly=True)
    contact_days = fields.Integer(string="Contact Every (days)", readonly=True, group_operator="max")
    customer_count = fields.Integer(string="Customers", readonly=True)
    contacted_count = fields.Integer(string="Contacted in Time", readonly=True,
                                     help="Customers last contacted within their tier's cadence.")
    overdue_count = fields.Integer(string="Overdue", readonly=True,
                                   help="Customers never contacted or last contacted longer ago "
                                        "than their tier's cadence.")
    never_count = fields.Integer(string="Never Contacted", readonly=True)
    coverage = fields.Float(string="Coverage (%)", digits=(16, 1), readonly=True, group_operator="avg",
                            help="Customers contacted in time over all customers of the row.")

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(as_text(self.env.cr, sql.SQL("""CREATE VIEW {table} AS (
SELECT ROW_NUMBER() OVER (ORDER BY c.company_id, c.user_id NULLS FIRST, c.tier) AS id,
       c.company_id, c.user_id, MAX(c.team_id) AS team_id, c.tier,
       MAX(c.contact_days) AS contact_days, COUNT(*) AS customer_count,
       COUNT(*) FILTER (WHERE c.last_contact >= CURRENT_DATE - c.contact_days) AS contacted_count,
       COUNT(*) FILTER (WHERE c.last_contact IS NULL
                           OR c.last_contact < CURRENT_DATE - c.contact_days) AS overdue_count,
       COUNT(*) FILTER (WHERE c.last_contact IS NULL) AS never_count,
       100.0 * COUNT(*) FILTER (WHERE c.last_contact >= CURRENT_DATE - c.contact_days)
             / COUNT(*) AS coverage
  FROM ({contacts}) c
 GROUP BY c.company_id, c.user_id, c.tier
)""").format(table=sql.Identifier(self._table), contacts=sql.SQL(CUSTOMER_CONTACTS))))
