from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .bulk import bulk_create
from .crm_cn_lead_forward import FORWARD_STATES, GROUP_MANAGER
from ..tools.lead_forward import answer_deadline, order_candidates, plan_forwarding

# fields only the forwarding itself sets (offers, accept, timeouts)
FORWARD_FIELDS = ("cn_dealer_id", "cn_forward_state")


class CrmLead(models.Model):
    """Leads forwarded to dealers: the dealer holding the lead now, the state
    of its latest offer, and the offers themselves."""

    _inherit = "crm.lead"

    cn_dealer_id = fields.Many2one(
        "res.partner", string="Dealer", index=True, readonly=True, copy=False, ondelete="restrict",
        track_visibility="onchange", domain=[("cn_is_dealer", "=", True), ("is_company", "=", True)],
        help="The dealer this lead is offered to or that accepted it (or registered it).")
    cn_brand_id = fields.Many2one("crm.cn.brand", string="Brand", index=True,
                                  help="The brand the lead asks for (for lead forwarding rules).")
    cn_forward_ids = fields.One2many("crm.cn.lead.forward", "lead_id", string="Dealer Offers",
                                     readonly=True, copy=False)
    cn_forward_state = fields.Selection(FORWARD_STATES, string="Dealer Offer", index=True,
                                        readonly=True, copy=False,
                                        help="The state of the latest offer of this lead to a dealer.")

    @api.multi
    def write(self, vals):
        if any(name in vals for name in FORWARD_FIELDS) and self.env.uid != SUPERUSER_ID:
            raise AccessError(_("The dealer of a lead is set by forwarding it (Forward to a Dealer or "
                                "Forward by Rules), not by editing it."))
        return super(CrmLead, self).write(vals)

    # --- forwarding ------------------------------------------------------------------
    @api.model
    def _cn_check_forwarder(self):
        if self.env.uid != SUPERUSER_ID and not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(_("Only a CRM Lifecycle manager may forward leads to dealers."))

    @api.multi
    def _cn_forwardable(self):
        """Leads that are open (active, not won) and not offered to any dealer now."""
        if not self.ids:
            return self
        self.env.cr.execute("""
            SELECT l.id FROM crm_lead l
             WHERE l.id = ANY(%s) AND l.active AND COALESCE(l.probability, 0) < 100
               AND NOT EXISTS (SELECT 1 FROM crm_cn_lead_forward f
                                WHERE f.lead_id = l.id AND f.state IN ('offered', 'accepted'))""",
                            (self.ids,))
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.multi
    def cn_forward_by_rules(self):
        """Offer each of these leads to a dealer chosen by the forwarding rules
        (over XML-RPC too). Leads already offered, closed, or that no rule and
        dealer fit are left as they are. Returns the number of leads offered."""
        self._cn_check_forwarder()
        plan = self.sudo()._cn_forward_plan()
        self.sudo()._cn_make_offers(plan, self.env.user)
        return len(plan)

    @api.multi
    def action_cn_forward_by_rules(self):
        """Button / list action: forward the selected leads by the rules."""
        self.cn_forward_by_rules()
        return True

    @api.multi
    def cn_forward_to(self, dealer_id):
        """Offer these leads to one dealer (a manager's choice, the rules aside)."""
        self._cn_check_forwarder()
        dealer = self.env["res.partner"].browse(dealer_id).commercial_partner_id
        if not dealer.cn_is_dealer:
            raise UserError(_("%s is not a dealer or agent: leads are forwarded to channel partners "
                              "only.") % dealer.display_name)
        forwardable = self.sudo()._cn_forwardable()
        busy = self - forwardable
        if busy:
            raise UserError(_("These leads are closed or already offered to a dealer (withdraw the "
                              "offer first): %s") % ", ".join(busy.mapped("name")))
        self.sudo()._cn_make_offers({lead.id: (dealer.id, False) for lead in forwardable},
                                    self.env.user)
        return True

    @api.multi
    def _cn_forward_plan(self, tried=None):
        """{lead id: (dealer id, rule id)} for the forwardable leads among these:
        leads, rules, dealers, open offers and past offers read in a few queries."""
        leads = self._cn_forwardable()
        if not leads:
            return {}
        rules = self.env["crm.cn.forward.rule"].search([])._cn_rule_data()
        if not rules:
            return {}
        self.env.cr.execute("""
            SELECT id, state_id, country_id, cn_categ_id, cn_brand_id FROM crm_lead
             WHERE id = ANY(%s) ORDER BY id""", (leads.ids,))
        lead_data = [{"id": row[0], "state_id": row[1] or False, "country_id": row[2] or False,
                      "categ_id": row[3] or False, "brand_id": row[4] or False}
                     for row in self.env.cr.fetchall()]
        dealers = self._cn_forward_dealer_data()
        if tried is None:
            tried = self._cn_forward_tried(leads)
        return plan_forwarding(lead_data, rules, dealers, self._cn_forward_open_counts(), tried,
                               order=self._cn_forward_candidates)

    @api.model
    def _cn_forward_dealer_data(self):
        """{dealer id: {id, state_id, country_id, priority, capacity}} of every active dealer company."""
        self.env.cr.execute("""
            SELECT id, state_id, country_id, COALESCE(cn_forward_priority, 0),
                   COALESCE(cn_forward_capacity, 0)
              FROM res_partner WHERE cn_is_dealer AND active AND parent_id IS NULL""")
        return {row[0]: {"id": row[0], "state_id": row[1], "country_id": row[2], "priority": row[3],
                         "capacity": row[4]} for row in self.env.cr.fetchall()}

    @api.model
    def _cn_forward_candidates(self, dealer_ids, dealers, open_counts):
        """Hook: the candidate dealers of a lead, best first (by default: forwarding
        priority, then fewest open offers). A partner grade can reorder them here."""
        return order_candidates(dealer_ids, dealers, open_counts)

    @api.model
    def _cn_forward_open_counts(self):
        """{dealer id: open forwarded leads} (offered or accepted, lead still open)."""
        self.env.cr.execute("""
            SELECT f.dealer_id, COUNT(*) FROM crm_cn_lead_forward f JOIN crm_lead l ON l.id = f.lead_id
             WHERE f.state IN ('offered', 'accepted') AND l.active AND COALESCE(l.probability, 0) < 100
          GROUP BY f.dealer_id""")
        return dict(self.env.cr.fetchall())

    @api.model
    def _cn_forward_tried(self, leads):
        """{lead id: dealers that already had an offer of it}."""
        self.env.cr.execute("""
            SELECT lead_id, array_agg(DISTINCT dealer_id) FROM crm_cn_lead_forward
             WHERE lead_id = ANY(%s) GROUP BY lead_id""", (leads.ids,))
        return {lead_id: set(dealer_ids) for lead_id, dealer_ids in self.env.cr.fetchall()}

    @api.model
    def _cn_make_offers(self, plan, user):
        """Create the offers of `plan` ({lead id: (dealer id, rule id)}) in one insert,
        set each lead's dealer and offer state, and log each offer in its chatter."""
        if not plan:
            return self.env["crm.cn.lead.forward"]
        now = fields.Datetime.now()
        now_dt = fields.Datetime.from_string(now)
        leads = self.browse(sorted(plan))
        # each lead's company answer time in one query (reading it through the
        # records loads every stored field of every lead first)
        default_hours = self.env.user.company_id.cn_forward_service_hours or 24.0
        self.env.cr.execute("""
            SELECT l.id, c.cn_forward_service_hours FROM crm_lead l
              LEFT JOIN res_company c ON c.id = l.company_id
             WHERE l.id = ANY(%s)""", (leads.ids,))
        hours = {lead_id: company_hours or default_hours for lead_id, company_hours in self.env.cr.fetchall()}
        deadlines = {lead_id: fields.Datetime.to_string(answer_deadline(now_dt, hours.get(lead_id, default_hours)))
                     for lead_id in plan}
        Forward = self.env["crm.cn.lead.forward"].sudo()
        offers = bulk_create(Forward, [
            {"lead_id": lead_id, "dealer_id": dealer_id, "rule_id": rule_id or False,
             "state": "offered", "offered_on": now, "offered_by": user.id, "answer_hours": 0.0,
             "deadline": deadlines[lead_id]}
            for lead_id, (dealer_id, rule_id) in sorted(plan.items())], keep=("answer_hours",))
        leads._cn_sync_forward()
        names = dict(self.env["res.partner"].with_context(prefetch_fields=False)
                     .browse({dealer for dealer, _rule in plan.values()}).name_get())
        note = _("Lead offered to %(dealer)s (answer by %(deadline)s UTC).")
        Forward._cn_log(leads, {
            lead_id: note % {"dealer": names.get(dealer_id), "deadline": deadlines[lead_id]}
            for lead_id, (dealer_id, _rule) in plan.items()})
        return offers

    @api.multi
    def _cn_sync_forward(self):
        """Each lead's dealer and offer state from its latest offer, in one UPDATE."""
        if not self.ids:
            return
        self.env.cr.execute("""
            UPDATE crm_lead l
               SET cn_forward_state = f.state,
                   cn_dealer_id = CASE WHEN f.state IN ('offered', 'accepted') THEN f.dealer_id END
              FROM (SELECT DISTINCT ON (lead_id) lead_id, state, dealer_id FROM crm_cn_lead_forward
                     WHERE lead_id = ANY(%s) ORDER BY lead_id, offered_on DESC, id DESC) f
             WHERE l.id = f.lead_id""", (self.ids,))
        self.invalidate_cache(list(FORWARD_FIELDS), self.ids)
        self.modified(list(FORWARD_FIELDS))
        self.recompute()

    @api.multi
    def _cn_pass_on(self):
        """Leads whose offer was declined or timed out: to the next dealer by the
        same rules (never one that had it), else back to their salesperson with
        an activity."""
        leads = self.sudo()._cn_forwardable()
        if not leads:
            return
        plan = leads._cn_forward_plan()
        leads._cn_make_offers(plan, self.env.ref("base.user_root"))
        leads.filtered(lambda lead: lead.id not in plan)._cn_back_to_manager()

    @api.multi
    def _cn_back_to_manager(self):
        """No dealer left: a to-do for the lead's salesperson (else its team leader,
        else whoever forwarded it) and a note in the chatter."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get("crm.lead").id
        today = fields.Date.context_today(self)
        for lead in self:
            last = lead.cn_forward_ids[:1]
            user = lead.user_id or lead.team_id.user_id or last.offered_by or self.env.user
            self.env["mail.activity"].sudo().create({
                "res_model_id": model_id, "res_id": lead.id, "activity_type_id": todo.id,
                "user_id": user.id, "date_deadline": today,
                "summary": _("No dealer took this lead: follow it up or forward it by hand.")})
        self.env["crm.cn.lead.forward"]._cn_log(self, {
            lead.id: _("No other dealer fits this lead: it is back with the sales team.") for lead in self})
