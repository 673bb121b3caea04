from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.name_keys import email_domain, name_key, name_keys, phone_key

TEXT_FIELDS = ("customer_name", "customer_name_en", "contact_name", "phone", "email", "city")


class CrmCnDealRegistration(models.Model):
    """Registrations from outside data (the portal form, XML-RPC): every value
    checked first, every problem named at once, then created and submitted in
    one step, or nothing saved."""

    _inherit = "crm.cn.deal.registration"

    @api.model
    def register_deal(self, values, lines, token=None):
        """Create and submit a registration of the user's own company.
        `values`: customer_name, customer_name_en, contact_name, phone, email,
        state_id (id) or province, city, date_expected, amount_expected;
        `lines`: dicts of product_code (internal reference) and quantity.
        The same `token` again returns the first registration, unchanged.
        Returns {"id": ..., "state": ..., "message": ...}."""
        if token:
            existing = self.search([("client_token", "=", token)], limit=1)
            if existing:
                return existing._cn_intake_result()
        vals = self._cn_check_intake(values or {}, lines or [])
        if token:
            vals["client_token"] = token
        # a protected customer is refused before anything is written
        self._cn_refuse_protected_values(vals)
        registration = self.create(vals)
        registration.action_submit()
        return registration._cn_intake_result()

    @api.model
    def _cn_refuse_protected_values(self, vals):
        dealer_id = vals.get("dealer_id") or self._default_dealer()
        key, other_key = name_keys(vals.get("customer_name"))
        names = [name for name in (key, name_key(vals.get("customer_name_en")) or other_key) if name]
        product = self.env["product.product"].sudo().browse(vals["line_ids"][0][2]["product_id"])
        matches = self._cn_conflicts_of(names, phone_key(vals.get("phone")), email_domain(vals.get("email")),
                                        dealer_id)
        self._cn_refuse_protected(matches, dealer_id, product.categ_id.id)

    def _cn_intake_result(self):
        self.ensure_one()
        message = {
            "conflict": _("This customer is already covered: a manager will review your registration."),
            "submitted": _("Registration submitted: a manager will review it."),
        }.get(self.state, "")
        return {"id": self.id, "state": self.state, "message": message}

    @api.model
    def _cn_check_intake(self, values, lines):
        problems = []
        vals = {name: (values.get(name) or "").strip() or False for name in TEXT_FIELDS
                if isinstance(values.get(name) or "", str)}
        if not name_key(vals.get("customer_name")):
            problems.append(_("Customer company: required."))
        if vals.get("phone") and not phone_key(vals["phone"]):
            problems.append(_("Phone “%s”: not a phone number.") % vals["phone"])
        if vals.get("email") and ("@" not in vals["email"] or not (email_domain(vals["email"]) or
                                                                   "." in vals["email"].split("@")[-1])):
            problems.append(_("E-mail “%s”: not an e-mail address.") % vals["email"])
        if not (vals.get("phone") or vals.get("email") or vals.get("contact_name")):
            problems.append(_("Contact, phone or e-mail: give at least one."))
        if values.get("dealer_id"):
            vals["dealer_id"] = values["dealer_id"]   # create() refuses another dealer's
        state_id = values.get("state_id")
        if state_id:
            try:
                state = self.env["res.country.state"].sudo().browse(int(state_id)).exists()
            except (TypeError, ValueError):
                state = None
            if not state:
                problems.append(_("Province: unknown."))
            else:
                vals["state_id"] = state.id
        for name, label in (("date_expected", _("Expected closing")),):
            value = (values.get(name) or "").strip() if isinstance(values.get(name), str) else values.get(name)
            if value:
                try:
                    vals[name] = fields.Date.to_string(fields.Date.from_string(value))
                except (TypeError, ValueError):
                    problems.append(_("%(field)s “%(value)s”: not a date (YYYY-MM-DD).") % {"field": label, "value": value})
        amount = values.get("amount_expected")
        if amount not in (None, "", False):
            try:
                vals["amount_expected"] = float(amount)
                if vals["amount_expected"] < 0:
                    raise ValueError
            except (TypeError, ValueError):
                problems.append(_("Expected amount “%s”: not a positive number.") % amount)
        products = self.env["crm.cn.channel.stock.report"]._product_lookup(
            [str(line.get("product_code") or "").strip() for line in lines if isinstance(line, dict)])
        line_vals = []
        for row, line in enumerate(lines, start=1):
            line = line if isinstance(line, dict) else {}
            code = str(line.get("product_code") or "").strip()
            if code not in products:
                problems.append(_("Product line %(row)d: unknown product code “%(code)s”.")
                                % {"row": row, "code": code})
                continue
            try:
                quantity = float(line.get("quantity") or 0)
            except (TypeError, ValueError):
                quantity = 0
            if quantity <= 0:
                problems.append(_("Product line %(row)d: the quantity must be a positive number.") % {"row": row})
                continue
            line_vals.append((0, 0, {"product_id": products[code], "quantity": quantity}))
        if not lines:
            problems.append(_("Products: add at least one product line."))
        if problems:
            raise UserError("\n".join(problems))
        vals["line_ids"] = line_vals
        return vals
