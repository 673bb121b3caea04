"""SQL pieces shared by the report views."""


def order_fx_ctes(env):
    """CTEs `rates` and `order_fx` (order_id, fx): the factor turning an
    order's amounts into its company's currency at the order date, from
    Odoo's own rate table (as sale.report does)."""
    return """rates AS (%s
), order_fx AS (
    SELECT so.id AS order_id,
           COALESCE(company_rate.rate, 1.0) / COALESCE(order_rate.rate, 1.0) AS fx
      FROM sale_order so
      JOIN product_pricelist pl ON pl.id = so.pricelist_id
      JOIN res_company company ON company.id = so.company_id
 LEFT JOIN rates order_rate ON order_rate.currency_id = pl.currency_id
       AND order_rate.company_id = so.company_id AND order_rate.date_start <= so.date_order
       AND (order_rate.date_end IS NULL OR order_rate.date_end > so.date_order)
 LEFT JOIN rates company_rate ON company_rate.currency_id = company.currency_id
       AND company_rate.company_id = so.company_id AND company_rate.date_start <= so.date_order
       AND (company_rate.date_end IS NULL OR company_rate.date_end > so.date_order)
)""" % env["res.currency"]._select_companies_rates()
