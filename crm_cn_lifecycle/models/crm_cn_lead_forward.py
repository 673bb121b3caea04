from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .bulk import bulk_create

GROUP_MANAGER = "crm_cn_lifecycle.group_manager"
FORWARD_STATES = [
    ("offered", "Offered"),
    ("accepted", "Accepted"),
    ("declined", "Declined"),
    ("timed_out", "Timed Out"),
    ("withdrawn", "Withdrawn"),
]
OPEN_STATES = ("offered", "accepted")


class CrmCnLeadForward(models.Model):
    """One offer of a lead to a dealer: offered, then accepted, declined, timed
    out or withdrawn. A lead has at most one open (offered or accepted) offer.
    The dealer scorecard reads acceptance, speed and timeouts from here."""

    _name = "crm.cn.lead.forward"
    _description = "Lead Offered to a Dealer"
    _order = "offered_on desc, id desc"
    _rec_name = "lead_id"

    lead_id = fields.Many2one("crm.lead", string="Lead", required=True, index=True, ondelete="cascade",
                              readonly=True)
    dealer_id = fields.Many2one("res.partner", string="Dealer", required=True, index=True,
                                ondelete="restrict", readonly=True,
                                domain=[("cn_is_dealer", "=", True), ("parent_id", "=", False)])
    state = fields.Selection(FORWARD_STATES, string="Status", required=True, default="offered",
                             index=True, readonly=True)
    offered_on = fields.Datetime(required=True, readonly=True,
                                 default=fields.Datetime.now)
    deadline = fields.Datetime(string="Answer By", index=True, readonly=True,
                               help="Offered on + the company's service time: unanswered by then, "
                                    "the lead goes to the next dealer.")
    answered_on = fields.Datetime(readonly=True)
    decline_reason = fields.Text(readonly=True)
    offered_by = fields.Many2one("res.users", readonly=True,
                                 default=lambda self: self.env.user)
    rule_id = fields.Many2one("crm.cn.forward.rule", string="Forwarding Rule", readonly=True,
                              ondelete="set null")
    company_id = fields.Many2one(related="lead_id.company_id", store=True, readonly=True)
    answer_hours = fields.Float(string="Hours to Answer", compute="_compute_answer_hours", store=True,
                                group_operator="avg")

    _sql_constraints = [
        ("deadline_after_offer", "CHECK (deadline IS NULL OR deadline >= offered_on)",
         "An offer's answer deadline cannot be before the offer."),
    ]

    def init(self):
        # one open offer per lead, whatever door the offer came through
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS crm_cn_lead_forward_one_open
                ON crm_cn_lead_forward (lead_id) WHERE state IN ('offered', 'accepted')""")

    @api.depends("offered_on", "answered_on")
    def _compute_answer_hours(self):
        for offer in self:
            if offer.offered_on and offer.answered_on:
                delta = (fields.Datetime.from_string(offer.answered_on)
                         - fields.Datetime.from_string(offer.offered_on))
                offer.answer_hours = delta.total_seconds() / 3600.0
            else:
                offer.answer_hours = 0.0

    # --- who may answer --------------------------------------------------------------
    @api.multi
    def _cn_check_dealer(self):
        """The caller is the offer's dealer (one of its portal users) or a manager;
        the record rules already decided the caller may read the offer."""
        self.check_access_rights("read")
        self.check_access_rule("read")
        user = self.env.user
        if self.env.uid == SUPERUSER_ID or user.has_group(GROUP_MANAGER):
            return
        dealer = user.commercial_partner_id
        if any(offer.dealer_id != dealer for offer in self):
            raise AccessError(_("Only the dealer a lead was offered to may answer the offer."))

    # --- the dealer's answers ----------------------------------------------------------
    @api.multi
    def action_accept(self):
        """Accept the offer: the dealer now works the lead and sees its contact
        details. Accepting an accepted offer changes nothing."""
        self._cn_check_dealer()
        for offer in self.sudo():
            if offer.state == "accepted":
                continue
            if offer.state != "offered":
                raise UserError(_("The offer of “%(lead)s” is no longer open (%(state)s): it cannot "
                                  "be accepted.") % {"lead": offer.lead_id.name,
                                                     "state": offer._cn_state_label()})
            offer.write({"state": "accepted", "answered_on": fields.Datetime.now()})
            offer.lead_id._cn_sync_forward()
            offer.lead_id.message_post(body=_("%(dealer)s accepted the lead.") % {
                "dealer": offer.dealer_id.display_name}, subtype="mail.mt_note")
        return True

    @api.multi
    def action_decline(self, reason):
        """Decline with a reason; the lead goes to the next dealer by the rules
        (or back to its salesperson). Declining a declined offer changes nothing."""
        self._cn_check_dealer()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(_("Please give a reason for declining the lead."))
        declined = self.browse()
        for offer in self.sudo():
            if offer.state == "declined":
                continue
            if offer.state != "offered":
                raise UserError(_("The offer of “%(lead)s” is no longer open (%(state)s): it cannot "
                                  "be declined.") % {"lead": offer.lead_id.name,
                                                     "state": offer._cn_state_label()})
            offer.write({"state": "declined", "answered_on": fields.Datetime.now(),
                         "decline_reason": reason})
            offer.lead_id.message_post(body=_("%(dealer)s declined the lead: %(reason)s") % {
                "dealer": offer.dealer_id.display_name, "reason": reason}, subtype="mail.mt_note")
            declined |= offer
        declined.mapped("lead_id")._cn_sync_forward()
        declined.mapped("lead_id")._cn_pass_on()
        return True

    @api.multi
    def action_withdraw(self):
        """A manager takes an open offer back from the dealer."""
        if not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(_("Only a CRM Lifecycle manager may withdraw a lead from a dealer."))
        for offer in self.filtered(lambda offer: offer.state in OPEN_STATES):
            offer.sudo().write({"state": "withdrawn",
                                "answered_on": offer.answered_on or fields.Datetime.now()})
            offer.lead_id.sudo()._cn_sync_forward()
            offer.lead_id.message_post(body=_("Lead withdrawn from %(dealer)s.") % {
                "dealer": offer.dealer_id.display_name}, subtype="mail.mt_note")
        return True

    def _cn_state_label(self):
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    # --- timeouts -----------------------------------------------------------------------
    @api.model
    def _cron_cn_forward_timeout(self):
        """Offers past their deadline time out; their leads go to the next dealer
        by the same rules, or back to the salesperson. One UPDATE marks them, so
        two runs at once (or one run twice) time out each offer once."""
        self.env.cr.execute("""
            UPDATE crm_cn_lead_forward
               SET state = 'timed_out', write_date = (now() AT TIME ZONE 'UTC'), write_uid = %s
             WHERE state = 'offered' AND deadline < (now() AT TIME ZONE 'UTC')
         RETURNING id, lead_id""", (self.env.uid,))
        rows = self.env.cr.fetchall()
        if not rows:
            return 0
        timed_out = self.browse([row[0] for row in rows])
        timed_out.invalidate_cache(["state", "write_date", "write_uid"])
        leads = self.env["crm.lead"].sudo().browse(sorted({row[1] for row in rows}))
        leads._cn_sync_forward()
        self._cn_log(leads, {
            offer.lead_id.id: _("%(dealer)s did not answer in time: the offer timed out.") % {
                "dealer": offer.dealer_id.display_name} for offer in timed_out.sudo()})
        leads._cn_pass_on()
        return len(rows)

    @api.model
    def _cn_log(self, leads, bodies):
        """A note in the chatter of each lead ({lead id: text}), written in one insert."""
        if not bodies:
            return
        author = self.env.user.partner_id.id
        subtype = self.env.ref("mail.mt_note").id
        now = fields.Datetime.now()
        # the leads' names in one query (through the records: every stored field of every lead)
        self.env.cr.execute("SELECT id, name FROM crm_lead WHERE id = ANY(%s)", (list(bodies),))
        names = dict(self.env.cr.fetchall())
        # the author's address given as the default: mail's own default refuses a user without e-mail
        Message = self.env["mail.message"].sudo().with_context(
            default_email_from=self.env.user.partner_id.email_formatted or False)
        bulk_create(Message, [
            {"model": "crm.lead", "res_id": lead_id, "body": "<p>%s</p>" % _escape(body),
             "message_type": "notification", "subtype_id": subtype, "author_id": author,
             "date": now, "record_name": names.get(lead_id)}
            for lead_id, body in bodies.items()], raw=("body",))
        leads.invalidate_cache(["message_ids"])


def _escape(text):
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
