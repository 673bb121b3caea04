from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html_escape

from ..tools import aging

GROUP_CREDIT_MANAGER = "crm_cn_lifecycle.group_credit_manager"


class SaleOrder(models.Model):
    """Quotations show the customer's credit, and confirming an order is held
    (backend, portal and XML-RPC alike: all go through action_confirm) when it
    would exceed the headroom or money is overdue too long, unless a Credit
    Manager approved it with a reason, logged in the chatter."""

    _name = "sale.order"
    _inherit = ["sale.order", "crm.cn.credit.mixin"]

    cn_credit_hold = fields.Boolean(
        string="On Credit Hold", compute="_compute_cn_credit_hold",
        help="Confirming the quotation now would be refused for the customer's credit.")
    cn_credit_hold_message = fields.Text(string="Credit Hold", compute="_compute_cn_credit_hold")
    cn_credit_approved_by_id = fields.Many2one(
        "res.users", string="Credit Approved by", readonly=True, copy=False, track_visibility="onchange")
    cn_credit_approved_date = fields.Datetime(string="Credit Approved on", readonly=True, copy=False)
    cn_credit_approved_amount = fields.Monetary(
        string="Credit Approved Amount", readonly=True, copy=False,
        help="The order total the approval covers: a larger total is checked again.")
    cn_credit_approval_reason = fields.Text(string="Credit Approval Reason", readonly=True, copy=False)

    @api.multi
    def action_confirm(self):
        self._cn_check_credit_hold()
        return super(SaleOrder, self).action_confirm()

    @api.multi
    def _cn_credit_approved(self):
        """The approval still covers the order's total."""
        self.ensure_one()
        return bool(self.cn_credit_approved_by_id) and \
            self.amount_total <= self.cn_credit_approved_amount + 0.005

    @api.multi
    def _cn_amount_in_company_currency(self, company):
        self.ensure_one()
        return self.currency_id.with_context(date=fields.Date.context_today(self), company_id=company.id).compute(
            self.amount_total, company.currency_id, round=False)

    @api.multi
    def _cn_credit_holds(self, together=True):
        """{order: (reasons, figures)} for the quotations of self that their
        customer's credit does not allow to confirm now (see tools/aging.py
        hold_reasons). `together`: orders of one customer confirmed at once add up."""
        today = fields.Date.context_today(self)
        holds = {}
        for company in self.mapped("company_id"):
            orders = self.filtered(lambda order: order.company_id == company
                                   and order.state in ("draft", "sent")
                                   and not order._cn_credit_approved())
            if not orders:
                continue
            figures = orders.mapped("partner_id")._cn_credit_figures(today=today, company=company)
            added = {}
            for order in orders:
                partner = order.partner_id.commercial_partner_id
                values = figures.get(partner.id)
                if not values:
                    continue
                amount = order._cn_amount_in_company_currency(company)
                if order.state == "sent" and company.cn_credit_include_quotations:
                    amount = 0.0  # already in the exposure
                if together:
                    amount = added[partner.id] = added.get(partner.id, 0.0) + amount
                reasons = aging.hold_reasons(values, amount, values["hold_overdue_days"], today)
                if reasons:
                    holds[order] = (reasons, values)
        return holds

    @api.multi
    def _cn_check_credit_hold(self):
        """Refuse with a translated UserError the orders whose confirmation the
        customer's credit does not allow; nothing is confirmed then."""
        holds = self._cn_credit_holds()
        for order in self:
            if order in holds:
                raise UserError(order._cn_credit_hold_message(*holds[order]))

    def _compute_cn_credit_hold(self):
        holds = self._cn_credit_holds(together=False)
        for order in self:
            hold = holds.get(order)
            order.cn_credit_hold = bool(hold)
            order.cn_credit_hold_message = hold and order._cn_credit_hold_message(*hold) or False

    @api.multi
    def _cn_credit_hold_message(self, reasons, values):
        self.ensure_one()
        currency = self.company_id.currency_id
        customer = self.partner_id.commercial_partner_id.display_name
        lines = []
        for code, value in reasons:
            if code == "headroom":
                lines.append(_("it would exceed the credit headroom of %s by %s %s "
                               "(credit limit %s, exposure %s).") % (
                    customer, value, currency.name, values["credit_limit"], values["exposure"]))
            else:
                lines.append(_("%s has %s %s overdue for %s days (orders are held after %s days).") % (
                    customer, values["overdue"], currency.name, value, values["hold_overdue_days"]))
        return _("Order %s is on credit hold: %s\nA Credit Manager can approve it with a reason.") % (
            self.name, " ".join(lines))

    @api.multi
    def action_cn_credit_approve(self, reason):
        """A Credit Manager lets the order be confirmed despite the credit hold;
        who, when, how much and why are kept on the order and in its chatter."""
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
            order.sudo().write({
                "cn_credit_approved_by_id": self.env.user.id,
                "cn_credit_approved_date": fields.Datetime.now(),
                "cn_credit_approved_amount": order.amount_total,
                "cn_credit_approval_reason": reason,
            })
            order.sudo().message_post(
                body=_("Credit hold approved by %s for %s %s. Reason: %s") % (
                    self.env.user.name, order.amount_total, order.currency_id.name, html_escape(reason)),
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
