from contextlib import contextmanager

from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import UserError

from .sale_order import CONFIRMED_STATES

# What a confirmed order's credit was checked for: changing it would move the
# order's amount to another customer or currency without a check.
CREDIT_KEYS = ("partner_id", "pricelist_id")


class SaleOrder(models.Model):
    """The credit hold at every door: an order entering `sale` or `done`
    (action_confirm, action_done, a plain write of the state, an import or a
    copy creating it confirmed, the portal, a cron) is checked in `write` and
    `create`, which they all go through. The approval and the stored totals
    can only be set by the system (crm.cn.protected.fields)."""

    _name = "sale.order"
    _inherit = ["sale.order", "crm.cn.protected.fields"]

    @api.model
    def _cn_protected_fields(self):
        protected = dict(super(SaleOrder, self)._cn_protected_fields())
        protected.update({name: () for name in (
            "cn_credit_approved_by_id", "cn_credit_approved_date", "cn_credit_approved_amount",
            "cn_credit_approved_partner_id", "cn_credit_approved_currency_id",
            "cn_credit_approval_reason", "amount_total", "amount_untaxed", "amount_tax")})
        return protected

    @api.model
    def create(self, vals):
        """An order created confirmed (import, RPC, copy) is created as a
        quotation, then confirmed through `write`, which checks its credit."""
        if vals.get("state") not in CONFIRMED_STATES:
            return super(SaleOrder, self).create(vals)
        vals = dict(vals)
        state = vals.pop("state")
        with self._cn_undo_on_error():
            order = super(SaleOrder, self).create(vals)
            order.write({"state": state})
        return order

    @api.multi
    def write(self, vals):
        """Orders entering `sale`/`done` from another state are checked after
        the rest of `vals` is written and before the state is: nothing is
        written when one is on credit hold."""
        self._cn_check_credit_keys(vals)
        if vals.get("state") not in CONFIRMED_STATES:
            return super(SaleOrder, self).write(vals)
        entering = self.filtered(lambda order: order.state not in CONFIRMED_STATES)
        if not entering:
            return super(SaleOrder, self).write(vals)
        rest = {key: value for key, value in vals.items() if key != "state"}
        with self._cn_undo_on_error():
            if rest:
                super(SaleOrder, self).write(rest)
            entering._cn_check_credit_hold()
            result = super(SaleOrder, self).write({"state": vals["state"]})
        return result

    @api.multi
    def _cn_check_credit_keys(self, vals):
        """A confirmed order keeps the customer and pricelist (currency) its
        credit was checked for (as Odoo's form does): changing them over
        RPC or import is refused; the same value passes."""
        keys = [key for key in CREDIT_KEYS if key in vals]
        if not keys or self.env.uid == SUPERUSER_ID:
            return
        for order in self.filtered(lambda order: order.state in CONFIRMED_STATES):
            if any(order[key].id != (vals[key] or False) for key in keys):
                raise UserError(_("Order %s is confirmed: its customer and pricelist can no longer "
                                  "change. Cancel it and make a new quotation.") % order.name)

    @contextmanager
    def _cn_undo_on_error(self):
        """Run a change in a savepoint: on an error nothing of it stays in the
        database nor in the cache, even when the caller goes on."""
        try:
            with self.env.cr.savepoint():
                yield
        except Exception:
            self.env.cache.invalidate()
            raise

    @contextmanager
    def _cn_credit_growth_checked(self):
        """Run a change of the lines of the orders of self; refuse it (undone)
        when a confirmed order grew by more than its customer's headroom before
        the change allows (or money is overdue too long), unless the order's
        approval covers its new total. Amounts come from the lines, in company
        currency; the customers are locked first."""
        orders = self.filtered(lambda order: order.state in CONFIRMED_STATES)
        if not orders:
            yield
            return
        orders._cn_lock_customers()
        figures = orders._cn_credit_figures_by_company()
        before = orders._cn_amounts_from_lines()
        with self._cn_undo_on_error():
            yield
            orders.invalidate_cache(["order_line"], orders.ids)
            after = orders._cn_amounts_from_lines()
            increases = {order_id: after[order_id] - before[order_id] for order_id in orders.ids}
            grown = orders.filtered(lambda order: increases[order.id] > 0.005
                                    and not order._cn_credit_approved(after[order.id]))
            holds = grown._cn_holds_for_amounts(increases, figures)
            for order in grown:
                if order in holds:
                    raise UserError(order._cn_credit_growth_message(increases[order.id], *holds[order]))

    @api.multi
    def _cn_credit_growth_message(self, increase, reasons, values):
        self.ensure_one()
        currency = self.company_id.currency_id
        return _("Order %(order)s is confirmed: it may not grow by %(increase)s %(currency)s for "
                 "the customer's credit: %(reasons)s") % {
            "order": self.name, "increase": currency.round(increase), "currency": currency.name,
            "reasons": self._cn_credit_hold_reasons(reasons, values)}
