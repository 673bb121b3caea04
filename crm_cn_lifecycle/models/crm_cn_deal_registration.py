from odoo import _, api, fields, models
from odoo.addons import decimal_precision as dp
from odoo.exceptions import AccessError, UserError

from ..tools.deal_registration import blocking, protection_days, protection_end
from ..tools.name_keys import email_domain, name_key, name_keys, phone_key

GROUP_MANAGER = "crm_cn_lifecycle.group_manager"
STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("conflict", "Conflict"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("expired", "Expired"),
]
# Registrations another one is compared with: those still asking or holding.
LIVE_STATES = ("submitted", "conflict", "approved")
MAX_MATCHES = 20
# A dealer may change these on its own draft registration.
DEALER_FIELDS = ("customer_name", "customer_name_en", "contact_name", "phone", "email", "state_id",
                 "city", "line_ids", "date_expected", "amount_expected", "categ_id", "client_token")


class CrmCnDealRegistration(models.Model):
    """A deal a dealer found and registers (portal, XML-RPC or backend): checked
    against opportunities, customers and other registrations of the same end
    customer before it is submitted; a manager approves (an opportunity for
    the dealer, protected for a period per product category) or rejects it."""

    _name = "crm.cn.deal.registration"
    _inherit = ["crm.cn.protected.fields"]
    _description = "Deal Registration"
    _order = "id desc"
    _rec_name = "customer_name"

    dealer_id = fields.Many2one(
        "res.partner", string="Dealer", required=True, index=True, ondelete="restrict",
        domain=[("cn_is_dealer", "=", True), ("is_company", "=", True)],
        default=lambda self: self._default_dealer())
    customer_name = fields.Char(string="Customer Company", required=True)
    customer_name_en = fields.Char(string="Customer Company (English)",
                                   help="The company's English name, if it has one: matched too.")
    contact_name = fields.Char(string="Contact")
    phone = fields.Char()
    email = fields.Char(string="E-mail")
    state_id = fields.Many2one("res.country.state", string="Province", ondelete="restrict")
    city = fields.Char()
    line_ids = fields.One2many("crm.cn.deal.registration.line", "registration_id", string="Products",
                               copy=True)
    date_expected = fields.Date(string="Expected Closing")
    amount_expected = fields.Float(string="Expected Amount", digits=dp.get_precision("Account"))
    categ_id = fields.Many2one("product.category", string="Product Category", ondelete="restrict",
                               help="The category the protection covers; by default the first "
                                    "product's category.")
    state = fields.Selection(STATES, default="draft", required=True, readonly=True, index=True, copy=False)
    client_token = fields.Char(copy=False, readonly=True,
                               help="Sent by the portal form: the same form sent twice makes one registration.")
    conflict_ids = fields.One2many("crm.cn.deal.registration.conflict", "registration_id",
                                   string="Conflicts", readonly=True, copy=False, groups=GROUP_MANAGER)
    conflict_count = fields.Integer(compute="_compute_conflict_count", groups=GROUP_MANAGER)
    submit_date = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    approve_date = fields.Date(string="Approved On", readonly=True, copy=False)
    approver_id = fields.Many2one("res.users", string="Decided By", readonly=True, copy=False)
    protected_until = fields.Date(copy=False, index=True)
    lead_id = fields.Many2one("crm.lead", string="Opportunity", copy=False, ondelete="set null")
    reject_reason = fields.Text(string="Rejection Reason", copy=False)
    manager_note = fields.Text(string="Manager's Note", copy=False,
                               help="Why a registration in conflict was approved.")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.user.company_id,
                                 required=True)
    cn_name_key = fields.Char(compute="_compute_cn_keys", store=True, index=True, string="Name Key")
    cn_name_key_en = fields.Char(compute="_compute_cn_keys", store=True, index=True,
                                 string="English Name Key")
    cn_phone_key = fields.Char(compute="_compute_cn_keys", store=True, index=True, string="Phone Key")
    cn_email_domain = fields.Char(compute="_compute_cn_keys", store=True, index=True,
                                  string="E-mail Domain")

    _sql_constraints = [
        ("client_token_unique", "UNIQUE (dealer_id, client_token)",
         "This registration was sent already."),
    ]

    @api.model
    def _default_dealer(self):
        partner = self.env.user.commercial_partner_id
        return partner.id if partner.cn_is_dealer else False

    @api.depends("customer_name", "customer_name_en", "phone", "email")
    def _compute_cn_keys(self):
        for registration in self:
            key, other_key = name_keys(registration.customer_name)
            registration.cn_name_key = key
            registration.cn_name_key_en = name_key(registration.customer_name_en) or other_key
            registration.cn_phone_key = phone_key(registration.phone)
            registration.cn_email_domain = email_domain(registration.email)

    def _compute_conflict_count(self):
        for registration in self:
            registration.conflict_count = len(registration.conflict_ids)

    # --- who may set what --------------------------------------------------------
    @api.model
    def _cn_protected_fields(self):
        managers = [GROUP_MANAGER]
        return {"state": [], "submit_date": [], "approve_date": [], "approver_id": [],
                "protected_until": managers, "lead_id": managers, "reject_reason": managers,
                "manager_note": managers}

    def _cn_is_manager(self):
        return self._cn_may_set([GROUP_MANAGER])

    @api.model
    def create(self, vals):
        if not self._cn_is_manager():
            dealer = self.env.user.commercial_partner_id
            if vals.get("dealer_id") and vals["dealer_id"] != dealer.id or not dealer.cn_is_dealer:
                raise AccessError(_("You may register deals for your own company only."))
            vals = dict(vals, dealer_id=dealer.id)
        return super(CrmCnDealRegistration, self).create(vals)

    @api.multi
    def write(self, vals):
        if not self._cn_is_manager():
            if "dealer_id" in vals and any(reg.dealer_id.id != vals["dealer_id"] for reg in self):
                raise AccessError(_("Only a manager may move a registration to another dealer."))
            editable = set(DEALER_FIELDS) | {"dealer_id"}
            if set(vals) & editable and any(reg.state != "draft" for reg in self):
                raise UserError(_("A submitted registration cannot be changed."))
        return super(CrmCnDealRegistration, self).write(vals)

    @api.multi
    def unlink(self):
        if any(reg.state not in ("draft", "rejected") for reg in self):
            raise UserError(_("Only draft or rejected registrations can be deleted."))
        return super(CrmCnDealRegistration, self).unlink()

    # --- matching -------------------------------------------------------------------
    @api.multi
    def _cn_name_keys(self):
        self.ensure_one()
        return [key for key in (self.cn_name_key, self.cn_name_key_en) if key]

    @api.multi
    def _cn_find_conflicts(self):
        """[(reason, model, id)] of the leads, customers and live registrations
        naming the same customer as this registration."""
        self.ensure_one()
        return self._cn_conflicts_of(self._cn_name_keys(), self.cn_phone_key, self.cn_email_domain,
                                     self.dealer_id.id, self.id)

    @api.model
    def _cn_conflicts_of(self, names, phone, domain, dealer_id, registration_id=None):
        """[(reason, model, id)] matching these keys (equality lookups on the
        indexed key columns), other than the dealer's own company and leads."""
        cr = self.env.cr
        params = {"names": list(names) or [None], "phone": phone or None, "domain": domain or None,
                  "self": registration_id or 0, "dealer": dealer_id or 0, "limit": MAX_MATCHES,
                  "live": list(LIVE_STATES)}
        reason = """CASE WHEN cn_name_key = ANY(%(names)s) OR cn_name_key_en = ANY(%(names)s) THEN 'name'
                         WHEN cn_phone_key = %(phone)s THEN 'phone' ELSE 'email' END"""
        keys = """(cn_name_key = ANY(%(names)s) OR cn_name_key_en = ANY(%(names)s)
                   OR cn_phone_key = %(phone)s OR cn_email_domain = %(domain)s)"""
        found = []
        for model, condition in (
                ("crm.lead", "active AND (cn_dealer_id IS NULL OR cn_dealer_id != %(dealer)s) AND id NOT IN "
                             "(SELECT lead_id FROM crm_cn_deal_registration WHERE id = %(self)s "
                             "AND lead_id IS NOT NULL)"),
                ("res.partner", "active AND commercial_partner_id != %(dealer)s "
                                "AND id NOT IN (SELECT partner_id FROM res_company)"),
                (self._name, "id != %(self)s AND state = ANY(%(live)s)")):
            cr.execute("SELECT {0}, id FROM {1} WHERE {2} AND {3} LIMIT %(limit)s".format(
                reason, self.env[model]._table, keys, condition), params)
            found += sorted((row[0], model, row[1]) for row in cr.fetchall())
        return found

    @api.multi
    def _cn_check_protection(self, matches):
        self.ensure_one()
        self._cn_refuse_protected(matches, self.dealer_id.id, self.categ_id.id)

    @api.model
    def _cn_refuse_protected(self, matches, dealer_id, categ_id):
        """Refuse when another dealer's approved registration of this customer
        still protects it for this category; the message names nobody."""
        ids = [record_id for _reason, model, record_id in matches if model == self._name]
        others = self.sudo().browse(ids)
        rows = [{"dealer_id": other.dealer_id.id, "category_id": other.categ_id.id, "state": other.state,
                 "protected_until": fields.Date.from_string(other.protected_until)} for other in others]
        today = fields.Date.from_string(fields.Date.context_today(self))
        if blocking(rows, dealer_id, categ_id, today):
            raise UserError(_("This customer is already covered for this product category: "
                              "the registration cannot be submitted."))

    # --- the steps ----------------------------------------------------------------
    @api.multi
    def _cn_check_complete(self):
        for registration in self:
            if not registration.line_ids:
                raise UserError(_("Registration “%s”: add at least one product.") % registration.customer_name)
            for row, line in enumerate(registration.line_ids, start=1):
                if line.quantity <= 0:
                    raise UserError(_("Registration “%(name)s”, product line %(row)d: the quantity "
                                      "must be positive.") % {"name": registration.customer_name, "row": row})
            if not (registration.phone or registration.email or registration.contact_name):
                raise UserError(_("Registration “%s”: give a contact, a phone or an e-mail.")
                                % registration.customer_name)

    @api.multi
    def action_submit(self):
        """Check the registration against what is known of the customer and
        submit it: a match puts it in conflict for a manager to decide, a
        protected customer refuses it."""
        self.check_access_rights("write")
        self.check_access_rule("write")
        for registration in self:
            if registration.state != "draft":
                raise UserError(_("Only draft registrations can be submitted."))
            registration._cn_check_complete()
            if not registration.categ_id:
                registration.categ_id = registration.line_ids[0].product_id.sudo().categ_id
            matches = registration._cn_find_conflicts()
            registration._cn_check_protection(matches)
            state = "conflict" if matches else "submitted"
            registration.sudo().write({
                "state": state, "submit_date": fields.Datetime.now(),
                "conflict_ids": [(5, 0, 0)] + [(0, 0, self._cn_conflict_vals(reason, model, record_id))
                                               for reason, model, record_id in matches]})
        return True

    @api.model
    def _cn_conflict_vals(self, reason, model, record_id):
        field = {"crm.lead": "lead_id", "res.partner": "partner_id",
                 "crm.cn.deal.registration": "other_registration_id"}[model]
        return {"reason": reason, field: record_id}

    def _cn_check_manager(self):
        if not self._cn_is_manager():
            raise AccessError(_("Only a sales manager may approve or reject deal registrations."))

    @api.multi
    def action_approve(self, note=None):
        """Approve: the dealer gets an opportunity with the products and is
        protected for the category's period. A conflict needs a note."""
        self._cn_check_manager()
        if note:
            self.write({"manager_note": note})
        today = fields.Date.context_today(self)
        default_days = int(self.env["ir.config_parameter"].sudo().get_param(
            "crm_cn_lifecycle.registration_protection_days", 90) or 90)
        for registration in self:
            if registration.state not in ("submitted", "conflict"):
                raise UserError(_("Only submitted registrations can be approved."))
            if registration.state == "conflict" and not registration.manager_note:
                raise UserError(_("Registration “%s” is in conflict: write a note saying why it is "
                                  "approved.") % registration.customer_name)
            registration._cn_check_protection(registration._cn_find_conflicts())
            days = protection_days(registration.categ_id.cn_registration_days, default_days)
            until = protection_end(fields.Date.from_string(today), days)
            lead = self.env["crm.lead"].create(registration._prepare_opportunity())
            # the dealer holds it as an accepted offer: it works it at /my/leads
            self.env["crm.lead"].sudo()._cn_make_offers(
                {lead.id: (registration.dealer_id.id, False)}, self.env.user).action_accept()
            registration.sudo().write({
                "state": "approved", "approve_date": today, "approver_id": self.env.uid,
                "protected_until": fields.Date.to_string(until), "lead_id": lead.id})
        return True

    @api.multi
    def action_reject(self, reason=None):
        """Reject with a reason (given here or in the reason field)."""
        self._cn_check_manager()
        if reason:
            self.write({"reject_reason": reason})
        for registration in self:
            if registration.state not in ("submitted", "conflict"):
                raise UserError(_("Only submitted registrations can be rejected."))
            if not (registration.reject_reason or "").strip():
                raise UserError(_("Registration “%s”: give the reason of the rejection.")
                                % registration.customer_name)
            registration.sudo().write({"state": "rejected", "approver_id": self.env.uid})
        return True

    @api.multi
    def action_reset_draft(self):
        """A rejected registration goes back to its dealer as a draft."""
        for registration in self:
            if registration.state != "rejected":
                raise UserError(_("Only rejected registrations can be set back to draft."))
        self.check_access_rule("write")
        self.sudo().write({"state": "draft"})
        return True

    @api.multi
    def _prepare_opportunity(self):
        self.ensure_one()
        dealer = self.dealer_id
        return {
            "type": "opportunity",
            "name": _("%(customer)s (registered by %(dealer)s)") % {"customer": self.customer_name,
                                                                   "dealer": dealer.name},
            "partner_name": self.customer_name, "contact_name": self.contact_name,
            "phone": self.phone, "email_from": self.email, "state_id": self.state_id.id,
            "city": self.city, "planned_revenue": self.amount_expected, "cn_categ_id": self.categ_id.id,
            "date_deadline": self.date_expected,
            "user_id": dealer.user_id.id or self.env.uid, "team_id": dealer.team_id.id or False,
            "cn_lead_line_ids": [(0, 0, {"product_id": line.product_id.id, "product_uom_qty": line.quantity,
                                         "price_unit": line.product_id.lst_price})
                                 for line in self.line_ids],
        }

    @api.model
    def _cron_expire(self):
        """Approved registrations whose protection ended become expired."""
        today = fields.Date.context_today(self)
        self.search([("state", "=", "approved"), ("protected_until", "<", today)]).sudo().write(
            {"state": "expired"})
