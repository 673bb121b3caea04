import time

from odoo import _, api, fields, models

from ..tools.repurchase import due_customers
from ..tools.warranty import warranty_end

# Opportunities created (and committed) per batch by the scheduled action.
BATCH = 200


class CrmCnRepurchaseRule(models.Model):
    """When a product category's customers are due to buy again (consumable cycle,
    warranty ending or end of life); a daily cron turns the due ones into repurchase opportunities."""
    _name = "crm.cn.repurchase.rule"
    _description = "Repurchase Rule"
    _order = "categ_id, rule_type"

    categ_id = fields.Many2one("product.category", string="Product Category", required=True,
                               ondelete="cascade", index=True)
    rule_type = fields.Selection([("cycle", "Consumable Cycle"), ("warranty", "Warranty Ending"),
                                  ("replacement", "End of Life")],
                                 string="Rule", required=True, default="cycle")
    days = fields.Integer(required=True, default=90,
                          help="Cycle: days after the last order. Warranty: days before the warranty ends. "
                               "End of life: age in days, from the delivery, when the goods are due for replacement.")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("days_positive", "CHECK (days > 0)", "The days of a repurchase rule must be positive."),
    ]

    @api.model
    def _cn_last_orders(self, categ_ids):
        """Each customer's last confirmed order per category, with its delivery date and
        warranty months: one query for every customer."""
        self.env.cr.execute("""
            SELECT DISTINCT ON (partner.commercial_partner_id, template.categ_id)
                   partner.commercial_partner_id, template.categ_id, sale.id,
                   sale.confirmation_date::date,
                   (SELECT MAX(move.date)::date FROM stock_move move
                      JOIN stock_location dest ON dest.id = move.location_dest_id
                      JOIN sale_order_line line ON line.id = move.sale_line_id
                      JOIN product_product mp ON mp.id = move.product_id
                      JOIN product_template mt ON mt.id = mp.product_tmpl_id
                     WHERE line.order_id = sale.id AND move.state = 'done'
                       AND dest.usage = 'customer' AND mt.categ_id = template.categ_id),
                   (SELECT MAX(COALESCE(NULLIF(lt.cn_warranty_months, 0), lc.cn_warranty_months, 0))
                      FROM sale_order_line l2
                      JOIN product_product lp ON lp.id = l2.product_id
                      JOIN product_template lt ON lt.id = lp.product_tmpl_id
                      JOIN product_category lc ON lc.id = lt.categ_id
                     WHERE l2.order_id = sale.id AND lt.categ_id = template.categ_id)
              FROM sale_order_line line
              JOIN sale_order sale ON sale.id = line.order_id
              JOIN res_partner partner ON partner.id = sale.partner_id
              JOIN product_product product ON product.id = line.product_id
              JOIN product_template template ON template.id = product.product_tmpl_id
             WHERE sale.state IN ('sale', 'done') AND template.categ_id IN %s
          ORDER BY partner.commercial_partner_id, template.categ_id,
                   sale.confirmation_date DESC, sale.id DESC
        """, (tuple(categ_ids),))
        to_date = fields.Date.from_string  # Odoo's cursor returns dates as strings
        return [{"partner_id": partner_id, "categ_id": categ_id, "order_id": order_id,
                 "order_date": to_date(order_date), "delivery_date": to_date(delivered),
                 "warranty_end": warranty_end(to_date(delivered), months)}
                for partner_id, categ_id, order_id, order_date, delivered, months in self.env.cr.fetchall()]

    @api.model
    def _cn_prepare_opportunity(self, due, order, categ):
        partner = self.env["res.partner"].browse(due["partner_id"])
        return {
            "name": _("Repurchase %(category)s: %(customer)s") % {
                "category": categ.name, "customer": partner.name},
            "type": "opportunity",
            "partner_id": partner.id,
            "user_id": order.user_id.id,
            "team_id": order.team_id.id,
            "campaign_id": order.campaign_id.id,
            "medium_id": order.medium_id.id,
            "source_id": order.source_id.id,
            "cn_previous_order_id": order.id,
            "planned_revenue": sum(order.order_line.filtered(
                lambda line: line.product_id.categ_id == categ).mapped("price_subtotal")),
        }

    @api.model
    def _cron_create_repurchase_opportunities(self, today=None):
        """Open a repurchase opportunity for every customer due; an order is followed up once.
        The opportunities are created BATCH at a time, each batch committed with the
        job's progress (crm.cn.cron.batch): a run cut short resumes where it stopped."""
        started = time.time()  # reading every customer's last orders counts in the run's time budget
        today = fields.Date.from_string(today or fields.Date.context_today(self))
        rules = self.search([])
        if not rules:
            return self.env["crm.lead"]
        rule_rows = [{"categ_id": rule.categ_id.id, "rule_type": rule.rule_type, "days": rule.days}
                     for rule in rules]
        due = due_customers(self._cn_last_orders(rules.mapped("categ_id").ids), rule_rows, today)
        followed = set(self.env["crm.lead"].with_context(active_test=False).search(
            [("cn_previous_order_id", "in", [row["order_id"] for row in due])]).mapped("cn_previous_order_id").ids)
        due = [row for row in due if row["order_id"] not in followed]  # a resumed run goes on, not over
        Batch = self.env["crm.cn.cron.batch"]
        results, _finished = Batch._cn_run_batches(
            "repurchase", (self._name, "_cron_create_repurchase_opportunities"), due,
            self._cn_create_repurchase_batch, Batch._cn_batch_size(BATCH), started=started)
        return self.env["crm.lead"].concat(*results)

    @api.model
    def _cn_create_repurchase_batch(self, due):
        """The opportunities of the `due` rows whose order no opportunity follows yet."""
        Lead = self.env["crm.lead"].with_context(active_test=False)
        followed = set(Lead.search([("cn_previous_order_id", "in", [row["order_id"] for row in due])])
                       .mapped("cn_previous_order_id").ids)
        orders = self.env["sale.order"].browse([row["order_id"] for row in due])
        categs = self.env["product.category"].browse([row["categ_id"] for row in due])
        orders.mapped("order_line.product_id.categ_id")  # prefetch
        created = self.env["crm.lead"]
        for row in due:
            if row["order_id"] in followed:
                continue
            followed.add(row["order_id"])
            created |= self.env["crm.lead"].create(self._cn_prepare_opportunity(
                row, orders.browse(row["order_id"]), categs.browse(row["categ_id"])))
        return created
