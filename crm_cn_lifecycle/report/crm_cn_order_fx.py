from psycopg2 import sql

from odoo import fields, models, tools

from ..tools.sql_text import as_text


def rate_at_order_date(currency):
    """SQL for the rate of `currency` (a column) at the date of order `so`: the
    latest rate on or before it, the company's own before the shared one (as
    Odoo 11 does)."""
    return """(SELECT r.rate FROM res_currency_rate r
                WHERE r.currency_id = %s AND r.name <= so.date_order
                  AND (r.company_id IS NULL OR r.company_id = so.company_id)
             ORDER BY r.company_id, r.name DESC LIMIT 1)""" % currency


class CrmCnOrderFx(models.Model):
    """Per sale order, the factor turning its amounts into its company's
    currency at the order date, from Odoo's own rate table. A plain view, so
    that the reports joining it compute it only for the orders they read."""

    _name = "crm.cn.order.fx"
    _description = "Sale Order Currency Factor"
    _auto = False

    order_id = fields.Many2one("sale.order", readonly=True)
    fx = fields.Float(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(as_text(self.env.cr, sql.SQL("""CREATE VIEW {table} AS (
SELECT so.id, so.id AS order_id,
       COALESCE({company_rate}, 1.0) / COALESCE({order_rate}, 1.0) AS fx, so.company_id
  FROM sale_order so
  JOIN product_pricelist pl ON pl.id = so.pricelist_id
  JOIN res_company company ON company.id = so.company_id
)""").format(
            table=sql.Identifier(self._table),
            company_rate=sql.SQL(rate_at_order_date("company.currency_id")),
            order_rate=sql.SQL(rate_at_order_date("pl.currency_id")))))
