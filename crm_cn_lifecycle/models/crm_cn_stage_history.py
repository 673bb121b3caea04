from odoo import api, fields, models


class CrmCnStageHistory(models.Model):
    """When an opportunity entered (and left) each stage: conversion time and
    stage-to-stage conversion rates are reported from it."""

    _name = "crm.cn.stage.history"
    _description = "Opportunity Stage History"
    _order = "date_in, id"
    _rec_name = "stage_id"

    lead_id = fields.Many2one("crm.lead", required=True, ondelete="cascade", index=True)
    stage_id = fields.Many2one("crm.stage", required=True, ondelete="restrict", index=True)
    date_in = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    date_out = fields.Datetime()
    days = fields.Float(string="Days in Stage", compute="_compute_days", store=True, group_operator="avg")
    user_id = fields.Many2one("res.users", string="Salesperson")
    team_id = fields.Many2one("crm.team", string="Sales Team")
    campaign_id = fields.Many2one(related="lead_id.campaign_id", store=True, readonly=True)
    company_id = fields.Many2one(related="lead_id.company_id", store=True, readonly=True)

    @api.depends("date_in", "date_out")
    def _compute_days(self):
        for step in self:
            if step.date_out:
                delta = fields.Datetime.from_string(step.date_out) - fields.Datetime.from_string(step.date_in)
                step.days = delta.total_seconds() / 86400.0
            else:
                step.days = 0.0
