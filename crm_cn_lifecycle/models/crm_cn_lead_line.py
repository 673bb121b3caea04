from odoo import api, fields, models
from odoo.addons import decimal_precision as dp


class CrmCnLeadLine(models.Model):
    """A product and quantity an opportunity is about (from a deal
    registration or entered by hand): the expected demand behind it."""

    _name = "crm.cn.lead.line"
    _description = "Opportunity Product Line"
    _order = "lead_id, sequence, id"

    lead_id = fields.Many2one("crm.lead", string="Opportunity", required=True, ondelete="cascade",
                              index=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one("product.product", string="Product", required=True, ondelete="restrict")
    product_uom_qty = fields.Float(string="Quantity", digits=dp.get_precision("Product Unit of Measure"),
                                   default=1.0)
    price_unit = fields.Float(string="Unit Price", digits=dp.get_precision("Product Price"))
    price_subtotal = fields.Float(string="Subtotal", compute="_compute_price_subtotal",
                                  digits=dp.get_precision("Product Price"))

    @api.depends("product_uom_qty", "price_unit")
    def _compute_price_subtotal(self):
        for line in self:
            line.price_subtotal = line.product_uom_qty * line.price_unit

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.product_id:
            self.price_unit = self.product_id.lst_price

    @api.model
    def _cn_pipeline_demand(self, dealer_ids, product_ids):
        """{(dealer id, product id): [(expected date, quantity, win probability 0-1)]}
        of the lines of the open opportunities (active, not won) these dealers
        accepted or registered, in one query: the expected demand DRP netting
        adds (tools.drp.pipeline_demand). The probability is the learned one,
        else the opportunity's own; opportunities of another company are left
        out. Every salesperson's opportunities count (as for open orders)."""
        if not dealer_ids or not product_ids:
            return {}
        self.env.cr.execute("""
            SELECT l.cn_dealer_id, line.product_id, l.date_deadline, SUM(line.product_uom_qty),
                   COALESCE(score.probability, l.probability, 0) / 100.0
              FROM crm_cn_lead_line line
              JOIN crm_lead l ON l.id = line.lead_id
         LEFT JOIN crm_stage stage ON stage.id = l.stage_id
         LEFT JOIN crm_cn_win_score score ON score.id = l.id
             WHERE l.cn_dealer_id = ANY(%s) AND line.product_id = ANY(%s)
               AND l.cn_forward_state = 'accepted' AND l.active AND l.type = 'opportunity'
               AND COALESCE(l.probability, 0) < 100 AND COALESCE(stage.probability, 0) < 100
               AND (l.company_id = %s OR l.company_id IS NULL)
          GROUP BY l.id, line.product_id, score.probability""",
                            [list(dealer_ids), list(product_ids), self.env.user.company_id.id])
        result = {}
        for dealer_id, product_id, expected, quantity, probability in self.env.cr.fetchall():
            result.setdefault((dealer_id, product_id), []).append(
                (fields.Date.from_string(expected) if isinstance(expected, str) else expected,
                 quantity, probability))
        return result
