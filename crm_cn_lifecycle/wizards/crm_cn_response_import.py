import base64

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.bulk import bulk_create
from ..models.crm_cn_customer_keys import KEY_FIELDS, key_values
from ..tools.regions import province_lookup
from ..tools.response_import import company_key, parse_responses, phone_digits

KEY_PREFIX = 6  # leading characters of a company key looked up in SQL


class CrmCnResponseImport(models.TransientModel):
    """Import a campaign's respondent list (CSV or XLSX) as leads.

    The whole file is checked first; one bad row and nothing is saved.
    Respondents already known as a lead or a customer are linked, not
    duplicated."""

    _name = "crm.cn.response.import"
    _inherit = "crm.cn.file.check"
    _description = "Import Campaign Responses"

    campaign_id = fields.Many2one("utm.campaign", required=True, string="Campaign")
    medium_id = fields.Many2one("utm.medium", string="Medium")
    source_id = fields.Many2one("utm.source", string="Source")
    date = fields.Date(required=True, default=fields.Date.context_today, string="Response Date")
    user_id = fields.Many2one("res.users", string="Salesperson",
                              help="Salesperson of the new leads; empty: leads go unassigned.")
    team_id = fields.Many2one("crm.team", string="Sales Team")
    file = fields.Binary(required=True)
    filename = fields.Char()
    state = fields.Selection([("upload", "Upload"), ("done", "Done")], default="upload")
    created_count = fields.Integer(string="Leads Created", readonly=True)
    linked_count = fields.Integer(string="Linked to Existing", readonly=True)
    rejected_count = fields.Integer(
        string="Already Recorded", readonly=True,
        help="Respondents already recorded for this campaign (e.g. a file imported twice): skipped.")

    @api.onchange("campaign_id")
    def _onchange_campaign_id(self):
        self.team_id = self.campaign_id.cn_team_id
        self.user_id = False

    def _problem_messages(self):
        messages = super(CrmCnResponseImport, self)._problem_messages()
        messages.update({
            "no_columns": _("The header has no company or contact column (found: %s)."),
            "missing_name": _("company and contact are both empty"),
            "email": _("malformed e-mail '%s'"),
            "phone": _("malformed phone '%s'"),
            "mobile": _("malformed mobile '%s'"),
            "province": _("unknown province '%s'"),
            "duplicate": _("same person as row %s"),
        })
        return messages

    def _province_lookup(self):
        states = self.env["res.country.state"].search([("country_id.code", "=", "CN")])
        return province_lookup([(state.id, state.name, state.code) for state in states])

    def action_import(self):
        self.ensure_one()
        if not self.env.user.has_group("crm_cn_lifecycle.group_manager"):
            raise AccessError(_("Only CRM Lifecycle managers import campaign responses."))
        self._check_upload_size(self.file, encoded=True)
        data = base64.b64decode(self.file or b"")
        responses, problems = parse_responses(self.filename, data, self._province_lookup(),
                                              self._upload_limits())
        if problems:
            raise UserError(self._format_problems(
                problems, _("Nothing was imported: fix these rows and import the file again.\n\n%s")))
        counts = self._save_responses(responses)
        self.write(dict(counts, state="done"))
        return {
            "type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
            "view_mode": "form", "target": "new", "name": _("Import Campaign Responses"),
        }

    def _save_responses(self, responses):
        """Create or link a lead per response, in bulk; returns the counts."""
        leads_by_key = self._existing_leads(responses)
        partners_by_key = self._existing_partners(responses)
        already = self._already_recorded()
        counts = {"created_count": 0, "linked_count": 0, "rejected_count": 0}
        kept = []  # (response, lead id or None, partner id, match)
        for response in responses:
            lead_id = _first_match(leads_by_key, response)
            partner_id = False if lead_id else _first_match(partners_by_key, response)
            if (lead_id and ("lead", lead_id) in already) or (partner_id and ("partner", partner_id) in already):
                counts["rejected_count"] += 1
                continue
            already.update({("lead", lead_id), ("partner", partner_id)})
            match = "lead" if lead_id else ("partner" if partner_id else "new")
            counts["linked_count" if match != "new" else "created_count"] += 1
            kept.append((response, lead_id, partner_id, match))
        shared = {"utm": self._utm_values(), "campaign_name": self.campaign_id.name,
                  "china_id": self.env.ref("base.cn").id, "interest_label": _("Interest: %s"),
                  "team_id": self.team_id.id, "user_id": self.user_id.id, "date": self.date}
        Lead = self.env["crm.lead"].with_context(default_type="lead", default_team_id=self.team_id.id)
        # the customer keys computed here, in one pass, not recomputed lead by lead
        new_leads = bulk_create(Lead, [self._prepare_lead(response, partner_id, shared)
                                       for response, lead_id, partner_id, _match in kept if not lead_id],
                                keep=KEY_FIELDS)
        new_lead_ids = iter(new_leads.ids)  # in the order they were given
        bulk_create(self.env["crm.cn.campaign.response"], [
            self._prepare_response(response, lead_id or next(new_lead_ids), partner_id, match, shared)
            for response, lead_id, partner_id, match in kept])
        return counts

    def _already_recorded(self):
        """('lead', id) and ('partner', id) of the campaign's recorded responses
        (one query: a campaign may already hold 100,000 of them)."""
        self.env.cr.execute("""
            SELECT lead_id, matched_partner_id FROM crm_cn_campaign_response WHERE campaign_id = %s""",
                            (self.campaign_id.id,))
        recorded = set()
        for lead_id, partner_id in self.env.cr.fetchall():
            if lead_id:
                recorded.add(("lead", lead_id))
            if partner_id:
                recorded.add(("partner", partner_id))
        return recorded

    def _existing_leads(self, responses):
        """Open leads and opportunities matching the file, by e-mail, phone and company."""
        emails, phones = _email_and_phone_keys(responses)
        names, name_params = _company_condition("partner_name", responses)
        self.env.cr.execute("""
            SELECT id, lower(trim(email_from)), regexp_replace(coalesce(phone, ''), '\\D', '', 'g'),
                   regexp_replace(coalesce(mobile, ''), '\\D', '', 'g'), partner_name
              FROM crm_lead
             WHERE active AND (lower(trim(email_from)) = ANY(string_to_array(%%s, E'\\n'))
                   OR regexp_replace(coalesce(phone, ''), '\\D', '', 'g') = ANY(string_to_array(%%s, E'\\n'))
                   OR regexp_replace(coalesce(mobile, ''), '\\D', '', 'g') = ANY(string_to_array(%%s, E'\\n'))
                   OR %s)
          ORDER BY id""" % names, (emails, phones, phones) + name_params)
        return _index_rows(self.env.cr.fetchall(), responses)

    def _existing_partners(self, responses):
        """Customers matching the file, by e-mail, phone and company name."""
        emails, phones = _email_and_phone_keys(responses)
        names, name_params = _company_condition("name", responses)
        self.env.cr.execute("""
            SELECT id, lower(trim(email)), regexp_replace(coalesce(phone, ''), '\\D', '', 'g'),
                   regexp_replace(coalesce(mobile, ''), '\\D', '', 'g'),
                   CASE WHEN is_company THEN name END
              FROM res_partner
             WHERE active AND (lower(trim(email)) = ANY(string_to_array(%%s, E'\\n'))
                   OR regexp_replace(coalesce(phone, ''), '\\D', '', 'g') = ANY(string_to_array(%%s, E'\\n'))
                   OR regexp_replace(coalesce(mobile, ''), '\\D', '', 'g') = ANY(string_to_array(%%s, E'\\n'))
                   OR (is_company AND %s))
          ORDER BY id""" % names, (emails, phones, phones) + name_params)
        return _index_rows(self.env.cr.fetchall(), responses)

    def _utm_values(self):
        """What every lead and response of this import shares (read once per file)."""
        return {"campaign_id": self.campaign_id.id, "medium_id": self.medium_id.id,
                "source_id": self.source_id.id}

    def _prepare_lead(self, response, partner_id, shared):
        return dict(shared["utm"], **{
            "name": "%s: %s" % (shared["campaign_name"], response.company or response.contact),
            "type": "lead",
            "partner_id": partner_id,
            "partner_name": response.company,
            "contact_name": response.contact,
            "email_from": response.email,
            "phone": response.phone,
            "mobile": response.mobile,
            "state_id": response.state_id,
            "country_id": response.state_id and shared["china_id"],
            "city": response.city,
            "description": "\n".join(filter(None, [
                response.interest and shared["interest_label"] % response.interest, response.notes])),
            "team_id": shared["team_id"],
            "user_id": shared["user_id"],
        }, **key_values(response.company, response.phone, response.mobile, response.email))

    def _prepare_response(self, response, lead_id, partner_id, match, shared):
        return dict(shared["utm"], **{
            "date": shared["date"],
            "lead_id": lead_id,
            "matched_partner_id": partner_id,
            "match": match,
            "company_name": response.company,
            "contact_name": response.contact,
            "email": response.email,
            "phone": response.phone,
            "mobile": response.mobile,
            "state_id": response.state_id,
            "city": response.city,
            "interest": response.interest,
            "note": response.notes,
        })


def _email_and_phone_keys(responses):
    """The file's e-mails and phone digits, the latter also with China's
    country code as stored numbers may carry it, each as one line-separated
    string: one SQL parameter (string_to_array) instead of an IN list of
    100,000 values, which PostgreSQL parses far more slowly."""
    emails = {response.email_key for response in responses if response.email_key}
    phones = set()
    for response in responses:
        for digits in response.phone_keys:
            phones.update({digits, "86" + digits, "0086" + digits})
    return "\n".join(emails), "\n".join(phones)


def _company_condition(column, responses):
    """SQL condition (and its parameters) keeping the rows whose company name
    may match a company of the file: its letters and digits start with the
    first KEY_PREFIX characters of a company key (company_key() strips legal
    suffixes from the end, so a key is a prefix of its name's letters and
    digits). _index_rows() then compares the exact keys, so that only the
    candidates travel, not every lead with a company name."""
    letters = "regexp_replace(lower(%s), '[^[:alnum:]]', '', 'g')" % column
    prefixes = {}
    for response in responses:
        if response.company_key:
            key = response.company_key[:KEY_PREFIX]
            prefixes.setdefault(len(key), set()).add(key)
    if not prefixes:
        return "FALSE", ()
    return "(%s)" % " OR ".join("left(%s, %d) = ANY(string_to_array(%%s, E'\\n'))" % (letters, length)
                               for length in sorted(prefixes)), \
        tuple("\n".join(prefixes[length]) for length in sorted(prefixes))


def _index_rows(rows, responses):
    """Map ('email'|'phone'|'company', key) -> first record id among `rows`
    (id, email, phone digits, mobile digits, company name), for the keys the
    file needs."""
    wanted_companies = {response.company_key for response in responses if response.company_key}
    index = {}
    for record_id, email, phone, mobile, company in rows:
        keys = []
        if email:
            keys.append(("email", email))
        keys.extend(("phone", phone_digits(number)) for number in (phone, mobile) if number)
        if company:
            key = company_key(company)
            if key in wanted_companies:
                keys.append(("company", key))
        for key in keys:
            index.setdefault(key, record_id)
    return index


def _first_match(index, response):
    """Best match of a response: same e-mail, else same phone, else same company."""
    keys = [("email", response.email_key)] if response.email_key else []
    keys.extend(("phone", digits) for digits in response.phone_keys)
    if response.company_key:
        keys.append(("company", response.company_key))
    for key in keys:
        if key in index:
            return index[key]
    return False
