from odoo import api, fields, models

from .bulk import bulk_create
from .res_partner import CUSTOMER_CLASSES
from ..tools.regions import REGIONS


class CrmLead(models.Model):
    """Leads and opportunities carry their customer's class, territory and
    region so the pipeline can be sliced by them."""

    _inherit = "crm.lead"

    cn_customer_class = fields.Selection(
        CUSTOMER_CLASSES, string="Customer Class", store=True, readonly=True,
        related="partner_id.commercial_partner_id.cn_customer_class")
    cn_territory_id = fields.Many2one(
        "crm.cn.territory", string="Sales Territory", store=True, readonly=True,
        related="partner_id.commercial_partner_id.cn_territory_id")
    cn_region = fields.Selection(
        REGIONS, string="Sales Region", store=True, readonly=True, related="state_id.cn_region")

    cn_stage_history_ids = fields.One2many(
        "crm.cn.stage.history", "lead_id", string="Stage History", readonly=True)

    @api.model
    def create(self, vals):
        lead = super(CrmLead, self).create(vals)
        lead._cn_enter_stage(new=True)
        return lead

    @api.multi
    def write(self, vals):
        moving = self.browse()
        if "stage_id" in vals or vals.get("type") == "opportunity":
            moving = self.filtered(lambda lead: lead.type != "opportunity"
                                   or lead.stage_id.id != vals.get("stage_id", lead.stage_id.id))
        result = super(CrmLead, self).write(vals)
        moving._cn_enter_stage()
        return result

    def _cn_enter_stage(self, new=False):
        """Close the open stage-history rows of these opportunities (unless they
        are new) and open one in their current stage. Leads have no history:
        it starts when they become opportunities."""
        opportunities = self.filtered(lambda lead: lead.type == "opportunity" and lead.stage_id)
        if not opportunities:
            return
        now = fields.Datetime.now()
        History = self.env["crm.cn.stage.history"].sudo()
        if not new:
            History.search([("lead_id", "in", opportunities.ids), ("date_out", "=", False)]).write(
                {"date_out": now})
        bulk_create(History, [
            {"lead_id": lead.id, "stage_id": lead.stage_id.id, "date_in": now,
             "user_id": lead.user_id.id, "team_id": lead.team_id.id}
            for lead in opportunities])

    def action_cn_view_lifecycle(self):
        """The lifecycle chain of this opportunity's customer, or of the lead alone."""
        self.ensure_one()
        action = self.env.ref("crm_cn_lifecycle.action_lifecycle_events").read()[0]
        partner = self.partner_id.commercial_partner_id
        action["domain"] = [("partner_id", "=", partner.id)] if partner else [("lead_id", "=", self.id)]
        action["context"] = {}
        return action
