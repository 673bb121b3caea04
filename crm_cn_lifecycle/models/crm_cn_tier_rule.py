from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .res_partner_pyramid import TIER_SELECTION


class CrmCnTierRule(models.Model):
    """How a company treats the customers of one pyramid tier ("one to one"
    selling and service): how often they are contacted and visited, the
    pricelist and payment term a customer new to the tier starts with, and
    the priority of its service tickets."""

    _name = "crm.cn.tier.rule"
    _description = "Customer Tier Rule"
    _order = "company_id, sequence, id"
    _rec_name = "tier"

    sequence = fields.Integer(default=10)
    tier = fields.Selection(TIER_SELECTION, string="Pyramid Tier", required=True, index=True)
    company_id = fields.Many2one("res.company", string="Company", required=True, index=True,
                                 ondelete="cascade",
                                 default=lambda self: self.env.user.company_id)
    active = fields.Boolean(default=True)
    contact_days = fields.Integer(
        string="Contact Every (days)", required=True, default=90,
        help="A customer of this tier whose last contact (a done activity, or a message or "
             "e-mail of an employee on it, its opportunities or orders) is older than this "
             "gets an activity for its salesperson.")
    activity_type_id = fields.Many2one(
        "mail.activity.type", string="Contact Activity", required=True, ondelete="restrict",
        default=lambda self: self.env.ref("mail.mail_activity_data_call", raise_if_not_found=False))
    visit_days = fields.Integer(
        string="Senior Visit Every (days)", default=0,
        help="How often a senior person visits the customer's decision makers (0: no visits). "
             "The last visit is the last done activity of the visit type.")
    visit_activity_type_id = fields.Many2one(
        "mail.activity.type", string="Visit Activity", ondelete="restrict",
        default=lambda self: self.env.ref("mail.mail_activity_data_meeting", raise_if_not_found=False))
    pricelist_id = fields.Many2one(
        "product.pricelist", string="Pricelist for New Customers",
        help="Given to a customer when it enters this tier and has no pricelist of its own "
             "in the company yet; a pricelist somebody set is never replaced.")
    payment_term_id = fields.Many2one(
        "account.payment.term", string="Payment Term for New Customers",
        help="Given to a customer when it enters this tier and has no payment term of its "
             "own in the company yet; a payment term somebody set is never replaced.")
    ticket_priority = fields.Selection(
        "_selection_ticket_priority", string="Service Ticket Priority",
        help="The priority of a new service ticket of a customer of this tier, unless the "
             "ticket is given its own.")

    _sql_constraints = [
        ("tier_company_unique", "unique(company_id, tier)",
         "A company has one rule per pyramid tier."),
        ("contact_days_positive", "CHECK (contact_days > 0)",
         "The contact cadence must be at least one day."),
        ("visit_days_not_negative", "CHECK (visit_days >= 0)",
         "The senior visit cadence cannot be negative."),
    ]

    @api.model
    def _selection_ticket_priority(self):
        """helpdesk_mgmt's ticket priorities, labels in the user's language."""
        return self.env["helpdesk.ticket"].sudo().fields_get(["priority"])["priority"]["selection"]

    @api.constrains("visit_days", "visit_activity_type_id", "pricelist_id", "company_id")
    def _check_visit_and_company(self):
        for rule in self:
            if rule.visit_days and not rule.visit_activity_type_id:
                raise ValidationError(_("The rule of tier %(tier)s has a senior visit cadence: "
                                        "choose its visit activity.") % {"tier": rule._cn_tier_label()})
            company = rule.pricelist_id.company_id
            if company and company != rule.company_id:
                raise ValidationError(_("The pricelist of the rule of tier %(tier)s belongs to "
                                        "another company.") % {"tier": rule._cn_tier_label()})

    @api.multi
    def _cn_tier_label(self):
        """The rule's tier as the user reads it."""
        self.ensure_one()
        return dict(self.fields_get(["tier"])["tier"]["selection"]).get(self.tier, self.tier)

    @api.model
    def _cn_rule_for(self, company, tier):
        """The active rule of `tier` in `company` (an empty recordset when none)."""
        if not tier or not company:
            return self.browse()
        return self.sudo().search([("company_id", "=", company.id), ("tier", "=", tier)], limit=1)

    @api.model
    def _cn_apply_new_customer_defaults(self, companies):
        """Give the customers that entered a tier in these companies' current pyramid
        (their tier differs from last month's) the tier's pricelist and payment term
        when they have none of their own in that company, on them and their contacts.
        One query per company and field; what a person set is never replaced."""
        count = 0
        for company in companies:
            rules = self.sudo().search([("company_id", "=", company.id)])
            for field_name, rule_field in (("property_product_pricelist", "pricelist_id"),
                                           ("property_payment_term_id", "payment_term_id")):
                values = {rule.tier: rule[rule_field].id for rule in rules if rule[rule_field]}
                if values:
                    count += self._cn_set_missing_property(company, field_name, values)
        return count

    @api.model
    def _cn_set_missing_property(self, company, field_name, values_by_tier):
        """Set `field_name` (a company-dependent field of res.partner) for the new
        customers of each tier of `values_by_tier` ({tier: record id}) without one."""
        self.env.cr.execute("""
            SELECT line.tier, family.id
              FROM crm_cn_pyramid_line line
              JOIN res_partner family ON family.commercial_partner_id = line.partner_id
             WHERE line.company_id = %(company)s AND line.is_current
               AND line.tier = ANY(%(tiers)s)
               AND line.previous_tier IS DISTINCT FROM line.tier
               AND NOT EXISTS (
                   SELECT 1 FROM ir_property prop JOIN ir_model_fields field ON field.id = prop.fields_id
                    WHERE field.model = 'res.partner' AND field.name = %(field)s
                      AND prop.company_id = %(company)s
                      AND prop.res_id = 'res.partner,' || line.partner_id)""",
                            {"company": company.id, "tiers": list(values_by_tier), "field": field_name})
        values = {partner_id: values_by_tier[tier] for tier, partner_id in self.env.cr.fetchall()}
        if values:
            self.env["ir.property"].sudo().with_context(force_company=company.id).set_multi(
                field_name, "res.partner", values)
            self.env["res.partner"].invalidate_cache([field_name], list(values))
        return len(values)
