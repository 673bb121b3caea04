from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

# What a dealer may change on a lead it accepted (portal and XML-RPC alike).
DEALER_WRITABLE = ("stage_id", "planned_revenue", "date_deadline", "activity_date",
                   "activity_summary", "note", "outcome", "lost_reason_id")
# What a dealer sees of an offered lead, and what more once it accepted it.
NEED_FIELDS = ("name", "description", "cn_categ_id", "cn_brand_id", "planned_revenue",
               "date_deadline", "cn_region", "state_id", "country_id", "city", "stage_id",
               "probability", "active")
CONTACT_FIELDS = ("partner_name", "contact_name", "email_from", "phone", "mobile", "street",
                  "street2", "zip", "title", "function")


class CrmCnLeadForward(models.Model):
    """What the dealer does with a lead it accepted: stage, expected revenue and
    closing, next activity, notes, won or lost. Only these, only on its own
    accepted offers; every step goes to the lead's chatter."""

    _inherit = "crm.cn.lead.forward"

    @api.multi
    def cn_lead_values(self):
        """The lead as its dealer may see it: the need always, the end customer's
        contact details only once the offer is accepted."""
        self._cn_check_dealer()
        self.ensure_one()
        names = NEED_FIELDS + (CONTACT_FIELDS if self.state == "accepted" else ())
        values = self.sudo().lead_id.with_context(active_test=False).read(list(names))[0]
        values["contact_visible"] = self.state == "accepted"
        regions = dict(self.env["crm.lead"]._fields["cn_region"]._description_selection(self.env))
        values["cn_region"] = regions.get(values.get("cn_region"), "")
        return values

    @api.multi
    def cn_dealer_update(self, values):
        """Apply the dealer's changes to the accepted lead: `values` may hold only
        DEALER_WRITABLE keys; all are checked before anything is written."""
        self._cn_check_dealer()
        self.ensure_one()
        unknown = sorted(set(values) - set(DEALER_WRITABLE))
        if unknown:
            raise AccessError(_("A dealer may not change %s on a lead.") % ", ".join(unknown))
        if self.state != "accepted":
            raise UserError(_("Only an accepted lead can be updated (this offer is %s).")
                            % self._cn_state_label())
        offer = self.sudo()
        lead = offer.lead_id
        lead_vals, log = offer._cn_dealer_lead_vals(values)
        outcome = values.get("outcome")
        if outcome == "lost" and not values.get("lost_reason_id"):
            raise UserError(_("Please choose why the lead was lost."))
        if values.get("activity_date") and not values.get("activity_summary"):
            raise UserError(_("Please say what the next activity is."))
        if lead_vals:
            lead.write(lead_vals)
        if values.get("activity_date"):
            lead._cn_schedule_activity(values["activity_date"], values["activity_summary"])
            log.append(_("Next activity on %(date)s: %(summary)s") % {
                "date": values["activity_date"], "summary": values["activity_summary"]})
        if outcome == "won":
            lead.action_set_won()
            log.append(_("Marked won."))
        elif outcome == "lost":
            reason = self.env["crm.lost.reason"].sudo().browse(_to_id(values["lost_reason_id"]))
            lead.write({"lost_reason": reason.id})
            lead.action_set_lost()
            log.append(_("Marked lost: %s") % reason.name)
        note = (values.get("note") or "").strip()
        if note:
            log.append(note)
        if log:
            lead.message_post(body=_("%(dealer)s updated the lead:") % {
                "dealer": offer.dealer_id.display_name} + "<br/>" + "<br/>".join(
                    _escape(line) for line in log), subtype="mail.mt_note",
                author_id=self.env.user.partner_id.id)
        return True

    @api.multi
    def _cn_dealer_lead_vals(self, values):
        """(values to write on the lead, chatter lines), validated."""
        lead = self.lead_id
        vals, log = {}, []
        if values.get("stage_id"):
            stage = self.env["crm.stage"].sudo().browse(_to_id(values["stage_id"])).exists()
            if not stage or (stage.team_id and stage.team_id != lead.team_id):
                raise UserError(_("Unknown stage for this lead."))
            if stage != lead.stage_id:
                vals["stage_id"] = stage.id
                log.append(_("Stage: %s") % stage.name)
        if values.get("planned_revenue") not in (None, ""):
            try:
                revenue = float(values["planned_revenue"])
            except (TypeError, ValueError):
                raise UserError(_("Expected revenue must be a number."))
            if revenue < 0:
                raise UserError(_("Expected revenue cannot be negative."))
            if abs(revenue - lead.planned_revenue) > 1e-6:
                vals["planned_revenue"] = revenue
                log.append(_("Expected revenue: %s") % revenue)
        if values.get("date_deadline"):
            try:
                fields.Date.from_string(values["date_deadline"])
            except ValueError:
                raise UserError(_("Expected closing must be a date (YYYY-MM-DD)."))
            if values["date_deadline"] != lead.date_deadline:
                vals["date_deadline"] = values["date_deadline"]
                log.append(_("Expected closing: %s") % values["date_deadline"])
        if values.get("activity_date"):
            try:
                fields.Date.from_string(values["activity_date"])
            except ValueError:
                raise UserError(_("The next activity date must be a date (YYYY-MM-DD)."))
        if values.get("outcome") not in (None, "", "won", "lost"):
            raise UserError(_("The outcome is won or lost."))
        if values.get("outcome") == "lost" and values.get("lost_reason_id"):
            if not self.env["crm.lost.reason"].sudo().browse(_to_id(values["lost_reason_id"])).exists():
                raise UserError(_("Unknown lost reason."))
        return vals, log


class CrmLead(models.Model):
    _inherit = "crm.lead"

    @api.multi
    def _cn_schedule_activity(self, date, summary):
        """A to-do on the lead for its salesperson (the company follows what the dealer plans)."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get("crm.lead").id
        for lead in self:
            self.env["mail.activity"].sudo().create({
                "res_model_id": model_id, "res_id": lead.id, "activity_type_id": todo.id,
                "date_deadline": date, "summary": summary,
                "user_id": (lead.user_id or lead.team_id.user_id or self.env.ref("base.user_root")).id})


def _escape(text):
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _to_id(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
