from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html_escape

from ..tools import aging

GROUP_CREDIT_MANAGER = "crm_cn_lifecycle.group_credit_manager"
CONFIRMED_STATES = ("sale", "done")


class SaleOrder(models.Model):
    """Quotations show the customer's credit, and confirming an order is held
    when it would exceed the headroom or money is overdue too long, unless a
    Credit Manager approved it with a reason, logged in the chatter. Every door
    that confirms an order or makes a confirmed one grow is checked in
    sale_order_credit_guard.py / sale_order_line_credit.py."""

    _name = "sale.order"
    _inherit = ["sale.order", "crm.cn.credit.mixin"]

    cn_credit_hold = fields.Boolean(
        string="On Credit Hold", compute="_compute_cn_credit_hold",
        help="Confirming the quotation now would be refused for the customer's credit.")
    cn_credit_hold_message = fields.Text(string="Credit Hold", compute="_compute_cn_credit_hold")
    cn_credit_company_currency_id = fields.Many2one(
        "res.currency", related="company_id.currency_id", readonly=True, string="Company Currency")
    cn_credit_approved_by_id = fields.Many2one(
        "res.users", string="Credit Approved by", readonly=True, copy=False, track_visibility="onchange")
    cn_credit_approved_date = fields.Datetime(string="Credit Approved on", readonly=True, copy=False)
    cn_credit_approved_amount = fields.Monetary(
        string="Credit Approved Amount", readonly=True, copy=False,
        currency_field="cn_credit_company_currency_id",
        help="The order total (company currency) the approval covers: a larger total is checked again.")
    cn_credit_approved_partner_id = fields.Many2one(
        "res.partner", string="Credit Approved for", readonly=True, copy=False,
        help="The customer the approval was given for: it covers no other customer's order.")
    cn_credit_approved_currency_id = fields.Many2one(
        "res.currency", string="Credit Approved Currency", readonly=True, copy=False,
        help="The order currency when approved: the approval covers the order in that currency only.")
    cn_credit_approval_reason = fields.Text(string="Credit Approval Reason", readonly=True, copy=False)

    @api.multi
    def action_confirm(self):
        self._cn_check_credit_hold()
        return super(SaleOrder, self).action_confirm()

    @api.multi
    def _cn_credit_approved(self, amount):
        """The approval still covers the order: same customer, same currency,
        `amount` (its total now, company currency) not above the approved one."""
        self.ensure_one()
        return bool(self.cn_credit_approved_by_id) \
            and self.cn_credit_approved_partner_id == self.partner_id.commercial_partner_id \
            and self.cn_credit_approved_currency_id == self.currency_id \
            and amount <= self.cn_credit_approved_amount + 0.005

    @api.multi
    def _cn_to_company_currency(self, amount):
        self.ensure_one()
        return self.currency_id.with_context(
            date=fields.Date.context_today(self), company_id=self.company_id.id).compute(
            amount, self.company_id.currency_id, round=False)

    @api.multi
    def _cn_amounts_from_lines(self):
        """{order id: total in company currency} computed from the lines (price,
        quantity, discount, taxes) as Odoo computes them, never from the
        stored totals."""
        result = {}
        for order in self.sudo():
            total = 0.0
            for line in order.order_line:
                price = line.price_unit * (1 - (line.discount or 0.0) / 100.0)
                taxes = line.tax_id.compute_all(
                    price, order.currency_id, line.product_uom_qty, product=line.product_id,
                    partner=order.partner_shipping_id)
                total += taxes["total_included"]
            result[order.id] = order._cn_to_company_currency(total)
        return result

    @api.multi
    def _cn_counted_quotation_amounts(self):
        """{order id: what the customer's exposure already counts of the order
        (a quotation sent, when the company counts them), company currency}."""
        result = {}
        for order in self.sudo():
            counted = 0.0
            if order.state == "sent" and order.company_id.cn_credit_include_quotations:
                counted = order._cn_to_company_currency(sum(
                    order.order_line.filtered(lambda line: line.product_uom_qty > 0).mapped("price_total")))
            result[order.id] = counted
        return result

    @api.multi
    def _cn_credit_figures_by_company(self):
        """{company id: {commercial partner id: figures}} for the customers of self."""
        today = fields.Date.context_today(self)
        return {company.id: self.filtered(lambda order: order.company_id == company).mapped(
                    "partner_id")._cn_credit_figures(today=today, company=company)
                for company in self.mapped("company_id")}

    @api.multi
    def _cn_holds_for_amounts(self, amounts, figures_by_company=None, together=True):
        """{order: (reasons, figures)} of the orders of self whose `amounts`
        ({order id: amount in company currency}) their customer's credit does
        not allow now (tools/aging.py hold_reasons). `together`: the amounts
        of one customer's orders add up."""
        if figures_by_company is None:
            figures_by_company = self._cn_credit_figures_by_company()
        today = fields.Date.context_today(self)
        holds = {}
        added = {}
        for order in self:
            partner = order.partner_id.commercial_partner_id
            values = figures_by_company.get(order.company_id.id, {}).get(partner.id)
            if not values:
                continue
            amount = amounts[order.id]
            if together:
                key = (order.company_id.id, partner.id)
                amount = added[key] = added.get(key, 0.0) + amount
            reasons = aging.hold_reasons(values, amount, values["hold_overdue_days"], today)
            if reasons:
                holds[order] = (reasons, values)
        return holds

    @api.multi
    def _cn_credit_holds(self, together=True):
        """{order: (reasons, figures)} for the orders of self, not confirmed
        yet, that their customer's credit does not allow to confirm now.
        `together`: orders of one customer confirmed at once add up."""
        orders = self.filtered(lambda order: order.state not in CONFIRMED_STATES)
        if not orders:
            return {}
        totals = orders._cn_amounts_from_lines()
        counted = orders._cn_counted_quotation_amounts()
        orders = orders.filtered(lambda order: not order._cn_credit_approved(totals[order.id]))
        amounts = {order_id: totals[order_id] - counted[order_id] for order_id in orders.ids}
        return orders._cn_holds_for_amounts(amounts, together=together)

    @api.multi
    def _cn_check_credit_hold(self):
        """Refuse with a translated UserError the orders whose confirmation the
        customer's credit does not allow; nothing is confirmed then. The
        customers are locked first (see _cn_lock_customers)."""
        orders = self.filtered(lambda order: order.state not in CONFIRMED_STATES)
        if not orders:
            return
        orders._cn_lock_customers()
        holds = orders._cn_credit_holds()
        for order in orders:
            if order in holds:
                raise UserError(order._cn_credit_hold_message(*holds[order]))

    @api.multi
    def _cn_lock_customers(self):
        """Serialize the credit checks of one customer: update (to itself) the
        commercial partner's row, in id order. Under REPEATABLE READ a second
        transaction checking the same customer waits for this one, then fails
        with a serialization error that Odoo retries, and sees this one's order."""
        partner_ids = sorted(set(self.sudo().mapped("partner_id.commercial_partner_id").ids))
        if partner_ids:
            self.env.cr.execute("""
                UPDATE res_partner SET id = id
                 WHERE id IN (SELECT id FROM res_partner WHERE id = ANY(%s) ORDER BY id FOR UPDATE)""",
                [partner_ids])

    def _compute_cn_credit_hold(self):
        holds = self._cn_credit_holds(together=False)
        for order in self:
            hold = holds.get(order)
            order.cn_credit_hold = bool(hold)
            order.cn_credit_hold_message = hold and order._cn_credit_hold_message(*hold) or False

    @api.multi
    def _cn_credit_hold_message(self, reasons, values):
        self.ensure_one()
        return _("Order %(order)s is on credit hold: %(reasons)s\n"
                 "A Credit Manager can approve it with a reason.") % {
            "order": self.name, "reasons": self._cn_credit_hold_reasons(reasons, values)}

    @api.multi
    def _cn_credit_hold_reasons(self, reasons, values):
        """The reasons of a credit hold, in words, for the user refused."""
        self.ensure_one()
        currency = self.company_id.currency_id
        customer = self.partner_id.commercial_partner_id.display_name
        lines = []
        for code, value in reasons:
            if code == "headroom":
                lines.append(_("it would exceed the credit headroom of %(customer)s by %(amount)s "
                               "%(currency)s (credit limit %(limit)s, exposure %(exposure)s).") % {
                    "customer": customer, "amount": value, "currency": currency.name,
                    "limit": values["credit_limit"], "exposure": values["exposure"]})
            else:
                lines.append(_("%(customer)s has %(amount)s %(currency)s overdue for %(days)s days "
                               "(orders are held after %(hold_days)s days).") % {
                    "customer": customer, "amount": values["overdue"], "currency": currency.name,
                    "days": value, "hold_days": values["hold_overdue_days"]})
        return " ".join(lines)

    @api.multi
    def action_cn_credit_approve(self, reason):
        """A Credit Manager lets the order be confirmed despite the credit hold;
        who, when, for which customer, currency and amount (company currency,
        from the lines) and why are kept on the order and in its chatter. The
        only door to the approval fields: they are written as superuser."""
        if not self.env.user.has_group(GROUP_CREDIT_MANAGER):
            raise AccessError(_("Only a Credit Manager can approve an order on credit hold."))
        reason = (reason or "").strip()
        if not reason:
            raise UserError(_("Give the reason for approving the order on credit hold."))
        self.check_access_rights("read")
        self.check_access_rule("read")
        for order in self:
            if order.state not in ("draft", "sent"):
                raise UserError(_("Order %s is not a quotation any more.") % order.name)
        amounts = self._cn_amounts_from_lines()
        for order in self:
            order.sudo().write({
                "cn_credit_approved_by_id": self.env.user.id,
                "cn_credit_approved_date": fields.Datetime.now(),
                "cn_credit_approved_amount": amounts[order.id],
                "cn_credit_approved_partner_id": order.partner_id.commercial_partner_id.id,
                "cn_credit_approved_currency_id": order.currency_id.id,
                "cn_credit_approval_reason": reason,
            })
            order.sudo().message_post(
                body=_("Credit hold approved by %(user)s for %(amount)s %(currency)s. "
                       "Reason: %(reason)s") % {
                    "user": self.env.user.name,
                    "amount": order.company_id.currency_id.round(amounts[order.id]),
                    "currency": order.company_id.currency_id.name, "reason": html_escape(reason)},
                author_id=self.env.user.partner_id.id)
        return True

    @api.multi
    def action_cn_open_credit_approval(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Approve Credit Hold"),
            "res_model": "crm.cn.credit.approval.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }
