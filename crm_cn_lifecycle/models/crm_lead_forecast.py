from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.forecast_call import BEST_CASE, OMITTED, PIPELINE, category_of

FORECAST_CATEGORIES = [
    ("pipeline", "Pipeline"),
    ("best_case", "Best Case"),
    ("commit", "Commit"),
    ("omitted", "Omitted"),
]
# Changes after which an opportunity's category follows its stage or its closing again.
CATEGORY_FIELDS = {"stage_id", "probability", "active", "type"}


class CrmStage(models.Model):
    """The forecast category an opportunity takes when it enters the stage."""

    _inherit = "crm.stage"

    cn_forecast_category = fields.Selection(
        FORECAST_CATEGORIES, string="Forecast Category", required=True, default=PIPELINE,
        help="Category given to opportunities entering this stage; the salesperson may change it "
             "on an open opportunity. Won and lost opportunities are always omitted.")

    # Odoo's own stages: New and Qualified are pipeline, Proposition best case, Won omitted.
    ODOO_STAGE_CATEGORIES = (("crm.stage_lead1", PIPELINE), ("crm.stage_lead2", PIPELINE),
                             ("crm.stage_lead3", BEST_CASE), ("crm.stage_lead4", OMITTED))

    @api.model
    def _cn_default_forecast_categories(self):
        """Set the categories of Odoo's own stages (at install, and by the
        11.0.1.2.0 migration on databases that had the addon before)."""
        for xmlid, category in self.ODOO_STAGE_CATEGORIES:
            stage = self.env.ref(xmlid, raise_if_not_found=False)
            if stage:
                stage.cn_forecast_category = category
        return True


class CrmLead(models.Model):
    """The forecast category of an opportunity (pipeline, best case, commit,
    omitted): the stage's default, changed by the salesperson while the
    opportunity is open, always omitted once it is won or lost; changes are
    tracked in the chatter."""

    _inherit = "crm.lead"

    cn_forecast_category = fields.Selection(
        FORECAST_CATEGORIES, string="Forecast Category", default=PIPELINE, index=True,
        track_visibility="onchange", copy=False,
        help="Commit: you stake this deal on the quarter; Best Case: it may land this quarter; "
             "Pipeline: open, not yet likely; Omitted: won, lost or left out of the forecast.")

    cn_is_won = fields.Boolean(string="Won", compute="_compute_cn_outcome")
    cn_is_closed = fields.Boolean(string="Closed", compute="_compute_cn_outcome")
    cn_outcome_probability = fields.Float(
        string="Win Probability Shown", compute="_compute_cn_outcome", digits=(16, 0),
        help="Closed opportunities: their outcome (won 100 %, lost 0 %); open ones: the model's score.")

    @api.depends("active", "probability", "stage_id.probability")
    def _compute_cn_outcome(self):
        """What the pipeline shows as the win probability: a closed deal's outcome,
        never a model guess (the model scores open opportunities only)."""
        for lead in self:
            lead.cn_is_closed = lead._cn_is_closed()
            lead.cn_is_won = lead.cn_is_closed and (lead.probability >= 100 or lead.stage_id.probability >= 100)
            if lead.cn_is_closed:
                lead.cn_outcome_probability = 100.0 if lead.cn_is_won else 0.0
            else:
                lead.cn_outcome_probability = lead.cn_win_probability

    def _cn_is_closed(self):
        """Won (probability or stage at 100 %) or lost (archived)."""
        return not self.active or self.probability >= 100 or self.stage_id.probability >= 100

    def _cn_default_forecast_category(self):
        return category_of(self._cn_is_closed(), self.stage_id.cn_forecast_category)

    @api.onchange("stage_id")
    def _onchange_stage_id_forecast_category(self):
        self.cn_forecast_category = self._cn_default_forecast_category()

    @api.model
    def create(self, vals):
        lead = super(CrmLead, self).create(vals)
        chosen = vals.get("cn_forecast_category")
        if chosen and lead._cn_is_closed() and chosen != OMITTED:
            chosen = False  # a closed opportunity (imported won, say) is omitted
        category = category_of(lead._cn_is_closed(), lead.stage_id.cn_forecast_category, chosen)
        if lead.cn_forecast_category != category:
            super(CrmLead, lead).write({"cn_forecast_category": category})
        return lead

    @api.multi
    def write(self, vals):
        chosen = vals.get("cn_forecast_category")
        if chosen and chosen != OMITTED and not CATEGORY_FIELDS & set(vals):
            closed = self.filtered(lambda lead: lead._cn_is_closed()
                                   and lead.cn_forecast_category != chosen)
            if closed:
                raise UserError(_("Won and lost opportunities are always omitted from the forecast: "
                                  "%s cannot be put in another category.") % closed[0].display_name)
        result = super(CrmLead, self).write(vals)
        if CATEGORY_FIELDS & set(vals):
            self._cn_follow_forecast_category(chosen)
        return result

    @api.multi
    def _cn_follow_forecast_category(self, chosen=None):
        """After a change of stage or a closing: closed ones are omitted, open ones
        take the category written with the change, else their stage's."""
        by_category = {}
        for lead in self:
            category = category_of(lead._cn_is_closed(), lead.stage_id.cn_forecast_category, chosen)
            if lead.cn_forecast_category != category:
                by_category.setdefault(category, self.browse())
                by_category[category] |= lead
        for category, leads in by_category.items():
            super(CrmLead, leads).write({"cn_forecast_category": category})
        return True

    @api.model
    def _cn_reset_forecast_categories(self):
        """Give every opportunity its stage's category (closed ones: omitted):
        run once at install, over the opportunities already there (one query)."""
        self.env.cr.execute("""
            UPDATE crm_lead l
               SET cn_forecast_category = CASE
                   WHEN NOT l.active OR l.probability >= 100 OR COALESCE(s.probability, 0) >= 100
                        THEN 'omitted'
                   ELSE COALESCE(s.cn_forecast_category, 'pipeline') END
              FROM crm_lead l2 LEFT JOIN crm_stage s ON s.id = l2.stage_id
             WHERE l2.id = l.id""")
        self.invalidate_cache(["cn_forecast_category"])
        return True
