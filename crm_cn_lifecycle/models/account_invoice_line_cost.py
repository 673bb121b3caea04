from odoo import api, fields, models

# Each product's cost (standard_price) in each company: its own value for that
# company, else the default (Odoo 11 keeps it in ir_property, company
# dependent); with the factor of the product's unit. `{products}`: an optional
# condition on `pp` (the products a query needs).
PRODUCT_COST = """
cost_field AS (
    SELECT id FROM ir_model_fields WHERE model = 'product.product' AND name = 'standard_price'
),
product_cost AS (
    SELECT pp.id AS product_id, c.id AS company_id,
           COALESCE(own.value_float, dflt.value_float, 0.0) AS cost,
           COALESCE(pu.factor, 1.0) AS uom_factor
      FROM product_product pp
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
 LEFT JOIN product_uom pu ON pu.id = pt.uom_id
CROSS JOIN res_company c
 LEFT JOIN LATERAL (SELECT prop.value_float FROM ir_property prop
                     WHERE prop.fields_id = (SELECT id FROM cost_field)
                       AND prop.res_id = 'product.product,' || pp.id
                       AND (prop.company_id = c.id OR prop.company_id IS NULL)
                  ORDER BY prop.company_id NULLS LAST LIMIT 1) own ON TRUE
 LEFT JOIN LATERAL (SELECT prop.value_float FROM ir_property prop
                     WHERE prop.fields_id = (SELECT id FROM cost_field) AND prop.res_id IS NULL
                       AND (prop.company_id = c.id OR prop.company_id IS NULL)
                  ORDER BY prop.company_id NULLS LAST LIMIT 1) dflt ON TRUE
     WHERE {products}
)"""

# The cost of the posted customer invoice lines that have none yet (of these
# invoices, or of all): the order line's cost (sale_margin) in company
# currency when the line comes from an order, else the product's cost in the
# invoice's company; negative on a credit note.
FILL_COSTS = """
WITH todo AS (
    SELECT il.id, il.product_id, il.quantity, il.uom_id, inv.company_id,
           CASE WHEN inv.type = 'out_refund' THEN -1 ELSE 1 END AS sign
      FROM account_invoice_line il
      JOIN account_invoice inv ON inv.id = il.invoice_id
     WHERE il.cn_cost IS NULL AND inv.state IN ('open', 'paid')
       AND inv.type IN ('out_invoice', 'out_refund')
       AND (%(all)s OR inv.id = ANY(%(invoice_ids)s))
),""" + PRODUCT_COST.format(products="pp.id IN (SELECT product_id FROM todo)") + """
UPDATE account_invoice_line line
   SET cn_cost = todo.sign * CASE
           WHEN COALESCE(sol.purchase_price, 0) != 0
           THEN todo.quantity * sol.purchase_price * COALESCE(fx.fx, 1.0)
           ELSE todo.quantity / COALESCE(lu.factor, 1.0) * COALESCE(pc.uom_factor, 1.0)
                * COALESCE(pc.cost, 0.0)
       END
  FROM todo
  LEFT JOIN LATERAL (SELECT MIN(rel.order_line_id) AS order_line_id
                       FROM sale_order_line_invoice_rel rel
                      WHERE rel.invoice_line_id = todo.id) link ON TRUE
  LEFT JOIN sale_order_line sol ON sol.id = link.order_line_id
  LEFT JOIN crm_cn_order_fx fx ON fx.order_id = sol.order_id
  LEFT JOIN product_uom lu ON lu.id = todo.uom_id
  LEFT JOIN product_cost pc ON pc.product_id = todo.product_id AND pc.company_id = todo.company_id
 WHERE line.id = todo.id
"""

# what a line's cost is computed from: changed, the cost is computed again
COST_SOURCES = {"quantity", "product_id", "uom_id", "invoice_id", "sale_line_ids"}


class AccountInvoiceLine(models.Model):
    """The cost of a customer invoice line, kept when its invoice is posted
    (as sale_margin keeps an order line's): what the sales and margin
    analysis and the customer pyramid read, instead of looking up the order
    line, its currency rate and the product's cost of every line each time.
    Only the system sets it."""

    _name = "account.invoice.line"
    _inherit = ["account.invoice.line", "crm.cn.protected.fields"]

    cn_cost = fields.Float(
        string="Cost (Company Currency)", readonly=True, copy=False,
        help="Set when the invoice is posted: the order line's cost (sale_margin) when the line "
             "comes from an order, else the product's cost then; negative on a credit note.")

    @api.model
    def _cn_protected_fields(self):
        protected = dict(super(AccountInvoiceLine, self)._cn_protected_fields())
        protected["cn_cost"] = ()
        return protected

    @api.model_cr
    def init(self):
        """Lines without a cost are found from their own small index."""
        self.env.cr.execute("""CREATE INDEX IF NOT EXISTS account_invoice_line_cn_cost_todo_idx
                               ON account_invoice_line (invoice_id) WHERE cn_cost IS NULL""")

    @api.model
    def create(self, vals):
        line = super(AccountInvoiceLine, self).create(vals)
        if line.invoice_id.state in ("open", "paid"):  # a draft's lines are costed when it is posted
            line.invoice_id._cn_fill_costs()
        return line

    @api.multi
    def write(self, vals):
        result = super(AccountInvoiceLine, self).write(vals)
        if COST_SOURCES & set(vals):
            invoices = self.mapped("invoice_id")
            self._cn_forget_costs()
            invoices._cn_fill_costs()
        return result

    @api.multi
    def _cn_forget_costs(self):
        if self.ids:
            self.env.cr.execute("UPDATE account_invoice_line SET cn_cost = NULL WHERE id = ANY(%s)",
                                [self.ids])
            self.invalidate_cache(["cn_cost"], self.ids)

    @api.model
    def _cn_fill_costs(self, invoice_ids=None):
        """Keep the cost of the posted customer invoice lines (of `invoice_ids`;
        None: of every invoice) that have none, in one statement."""
        self.env.cr.execute(FILL_COSTS, {"all": invoice_ids is None,
                                         "invoice_ids": list(invoice_ids or [])})
        self.invalidate_cache(["cn_cost"])


class AccountInvoice(models.Model):
    """Posting keeps its lines' costs; back to draft or cancelled, they are
    forgotten, and computed again when it is posted again."""

    _inherit = "account.invoice"

    @api.model
    def create(self, vals):
        invoice = super(AccountInvoice, self).create(vals)
        if invoice.state in ("open", "paid"):
            invoice._cn_fill_costs()
        return invoice

    @api.multi
    def write(self, vals):
        result = super(AccountInvoice, self).write(vals)
        if vals.get("state") in ("draft", "cancel"):
            self.mapped("invoice_line_ids")._cn_forget_costs()
        elif vals.get("state") in ("open", "paid"):
            self._cn_fill_costs()
        return result

    @api.multi
    def _cn_fill_costs(self):
        if self.ids:
            self.env["account.invoice.line"]._cn_fill_costs(self.ids)
