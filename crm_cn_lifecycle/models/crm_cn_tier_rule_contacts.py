import time

from psycopg2 import sql

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError

from ..tools import contact_cadence
from ..tools.sql_text import as_text
from .bulk import bulk_create
from .crm_cn_contact_sql import CUSTOMER_CONTACTS, read_last_done_activities

CHUNK = 1000


class CrmCnTierRule(models.Model):
    """The daily scheduled action that asks salespeople to contact (and visit)
    the customers their tier's cadence says are overdue."""

    _inherit = "crm.cn.tier.rule"

    @api.model
    def schedule_overdue_contacts(self, today=None):
        """One activity (the rule's type, on the customer, for its salesperson, due
        today) per customer overdue for contact or for a senior visit, unless one
        of that type is open on it already; customers without an active
        salesperson are left out (they show in the coverage report without one).
        Returns the number of activities created. Managers and the scheduled action."""
        if self.env.uid != SUPERUSER_ID and not self.env.user.has_group("crm_cn_lifecycle.group_manager"):
            raise AccessError(_("Only sales managers may schedule the overdue contacts."))
        started = time.time()  # reading the customers counts in the run's time budget
        today = fields.Date.from_string(today or fields.Date.context_today(self))
        cr = self.env.cr
        cr.execute(as_text(cr, sql.SQL("""
            SELECT c.* FROM ({contacts}) c JOIN res_users u ON u.id = c.user_id AND u.active
             ORDER BY c.company_id, c.contact_days, c.partner_id""").format(
                 contacts=sql.SQL(CUSTOMER_CONTACTS))))
        rows = cr.dictfetchall()
        partner_ids = sorted({row["partner_id"] for row in rows})
        visit_types = {row["visit_activity_type_id"] for row in rows
                       if row["visit_days"] and row["visit_activity_type_id"]}
        visits = read_last_done_activities(cr, partner_ids, visit_types)
        cr.execute("""SELECT res_id, activity_type_id FROM mail_activity
                       WHERE res_model = 'res.partner' AND res_id = ANY(%s)""", (partner_ids,))
        open_activities = set(cr.fetchall())
        to_date = fields.Date.from_string
        customers = [{
            "partner_id": row["partner_id"], "user_id": row["user_id"], "tier": row["tier"],
            "cadences": [
                ("contact", row["contact_days"], row["activity_type_id"], to_date(row["last_contact"])),
                ("visit", row["visit_days"], row["visit_activity_type_id"],
                 to_date(visits.get((row["partner_id"], row["visit_activity_type_id"])))),
            ]} for row in rows]
        due = contact_cadence.due_contacts(customers, open_activities, today)
        Activity = self.env["mail.activity"].sudo()
        model_id = self.env["ir.model"]._get("res.partner").id
        users = self.env["res.users"].sudo().browse({item["user_id"] for item in due})
        langs = {user.id: user.lang or "en_US" for user in users}
        names = dict((partner["id"], partner["display_name"]) for partner in self.env[
            "res.partner"].sudo().browse(sorted({item["partner_id"] for item in due})).read(["display_name"]))
        for item in due:
            item["name"] = names[item["partner_id"]]
        values = []
        for lang in sorted(set(langs.values())):  # each summary in its salesperson's language
            summaries = self.with_context(lang=lang)._cn_activity_summaries()
            tiers = dict(self.env["res.partner"].with_context(lang=lang).fields_get(
                ["cn_pyramid_tier"])["cn_pyramid_tier"]["selection"])
            values.extend({
                "res_model_id": model_id, "res_id": item["partner_id"], "res_name": item["name"],
                "activity_type_id": item["activity_type_id"], "user_id": item["user_id"],
                "date_deadline": fields.Date.to_string(today),
                "summary": summaries[item["kind"], item["days"] is None] % {
                    "tier": tiers.get(item["tier"], ""), "days": item["days"]},
            } for item in due if langs[item["user_id"]] == lang)
        Batch = self.env["crm.cn.cron.batch"]
        results, _finished = Batch._cn_run_batches(
            "overdue_contacts", (self._name, "_cron_schedule_overdue_contacts"), values,
            lambda batch: self._cn_create_contact_batch(Activity, batch), Batch._cn_batch_size(CHUNK),
            started=started)
        return sum(results)

    @api.model
    def _cn_create_contact_batch(self, Activity, values):
        """Create the activities of `values` (one batch, committed with the job's
        progress) but those whose customer has one of that type open by now:
        an earlier run's batch, or another worker's."""
        self.env.cr.execute("""SELECT res_id, activity_type_id FROM mail_activity
                                WHERE res_model = 'res.partner' AND res_id = ANY(%s)""",
                            ([item["res_id"] for item in values],))
        open_activities = set(self.env.cr.fetchall())
        values = [item for item in values if (item["res_id"], item["activity_type_id"]) not in open_activities]
        return len(bulk_create(Activity, values, keep=("res_name",))) if values else 0

    @api.model
    def _cn_activity_summaries(self):
        """{(kind, never): summary template} in the context's language."""
        return {
            ("contact", False): _("Contact %(tier)s customer: last contact %(days)s days ago"),
            ("contact", True): _("Contact %(tier)s customer: no contact recorded"),
            ("visit", False): _("Senior visit to %(tier)s customer: last visit %(days)s days ago"),
            ("visit", True): _("Senior visit to %(tier)s customer: no visit recorded"),
        }

    @api.model
    def _cron_schedule_overdue_contacts(self):
        return self.schedule_overdue_contacts()
