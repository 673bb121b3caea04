"""Lines of DRP replenishment proposals still to be added to their draft orders.

Odoo 11 took 0.1-0.15 s to create a sale order line of a large order (its
product onchange, taxes, and the order's stored totals and states recomputed
over all its lines at each new one), so a proposal of a thousand lines
outlasted an HTTP worker's limits (bench/crons.py). The DRP wizard creates the draft
orders at once and queues their lines here; small proposals are added in the
same request, large ones by the scheduled resume action, in batches that
commit (crm.cn.cron.batch), a killed worker losing only its last batch. An
order is neither accepted nor confirmed while lines of it wait here. Only the
system reads or writes these rows (the wizard and the batch job, as superuser)."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .bulk import bulk_create

JOB = "drp_order_lines"
# A proposal with at most this many lines is added in the wizard's own request.
SYNC_LINES = 100
# Lines added per committed batch (about 3 s at full size, 0.03 s a line): the system parameter
# crm_cn_lifecycle.cron_batch_size overrides it.
BATCH_LINES = 100


class CrmCnDrpPendingLine(models.Model):
    _name = "crm.cn.drp.pending.line"
    _description = "DRP Proposal Line Waiting to Be Added"
    _order = "order_id, id"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade", index=True, readonly=True)
    dealer_id = fields.Many2one("res.partner", required=True, readonly=True)
    product_id = fields.Many2one("product.product", required=True, ondelete="cascade", readonly=True)
    quantity = fields.Float(required=True, readonly=True)
    pack_multiple = fields.Float(readonly=True)
    amount = fields.Float(readonly=True, help="Quantity × the dealer's price when proposed (company "
                                              "currency): it uses the dealer's credit headroom already.")

    @api.model
    def _cn_add_lines(self, pending):
        """Create the order lines of `pending` (rows still here: another run may
        have added some) in their orders still in draft, then drop the rows."""
        pending = pending.sudo().exists()
        OrderLine = self.env["sale.order.line"]  # the salesperson in the wizard, the system in the job
        # the orders' stored totals and states once per batch, not once per line
        with self.env.norecompute():
            for row in pending.filtered(lambda row: row.order_id.state == "draft"):
                OrderLine.create({"order_id": row.order_id.id, "product_id": row.product_id.id,
                                  "product_uom_qty": row.quantity, "cn_proposed_qty": row.quantity,
                                  "cn_pack_multiple": row.pack_multiple})
        OrderLine.recompute()
        count = len(pending)
        pending.unlink()
        return count

    @api.model
    def _cn_queue(self, vals_list):
        """Queue lines ({order_id, dealer_id, product_id, quantity, pack_multiple,
        amount}); a few are added at once, else the batch job is started (the
        resume action runs it within the minute)."""
        pending = bulk_create(self.sudo(), vals_list)
        if len(pending) <= SYNC_LINES:
            self._cn_add_lines(pending)
            return 0
        Progress = self.env["crm.cn.cron.progress"].sudo()
        # a job running already takes the new rows in its next run; its row is
        # left alone (a cron worker may hold it for its current batch)
        if not Progress.search([("job", "=", JOB), ("state", "=", "running")]):
            Progress._cn_start(JOB, self._name, "_cron_add_lines")
        return len(pending)

    @api.model
    def _cron_add_lines(self):
        """The batch job: every waiting line, order by order, in committed batches."""
        Batch = self.env["crm.cn.cron.batch"]
        items = self.sudo().search([]).ids
        results, _finished = Batch._cn_run_batches(
            JOB, (self._name, "_cron_add_lines"), items,
            lambda batch: self._cn_add_lines(self.browse(batch)), Batch._cn_batch_size(BATCH_LINES))
        return sum(results)

    @api.model
    def _cn_waiting(self, dealer_ids, states):
        """read_group rows (dealer, product, quantity, amount) of the lines
        waiting for orders of `dealer_ids` in `states`."""
        return self.sudo().read_group(
            [("dealer_id", "in", list(dealer_ids)), ("order_id.state", "in", list(states))],
            ["dealer_id", "product_id", "quantity", "amount"], ["dealer_id", "product_id"], lazy=False)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    cn_drp_pending_count = fields.Integer(
        string="Lines Still Being Added", compute="_compute_cn_drp_pending_count",
        help="Lines of this replenishment proposal the scheduled job has not added yet: "
             "the order cannot be accepted or confirmed before they are all in.")

    @api.depends("order_line")
    def _compute_cn_drp_pending_count(self):
        groups = self.env["crm.cn.drp.pending.line"].sudo().read_group(
            [("order_id", "in", self.ids)], ["order_id"], ["order_id"])
        counts = {group["order_id"][0]: group["order_id_count"] for group in groups}
        for order in self:
            order.cn_drp_pending_count = counts.get(order.id, 0)

    @api.multi
    def write(self, vals):
        """No state change (accepting, sending, confirming, by any door) while lines wait."""
        if vals.get("state") not in (None, "draft", "cancel"):
            self._cn_check_no_pending_lines()
        return super(SaleOrder, self).write(vals)

    @api.multi
    def _cn_check_no_pending_lines(self):
        waiting = self.filtered(lambda order: order.id and order.cn_drp_proposal and order.cn_drp_pending_count)
        if waiting:
            raise UserError(_("Replenishment proposal %s is still being prepared: its lines are being added "
                              "in the background. Try again in a few minutes.")
                            % ", ".join(waiting.mapped("name")))
