import base64
import json
import logging

from odoo import _, api, fields, models
from odoo.tools import html_escape

from ..tools import win_model

_logger = logging.getLogger(__name__)

# tools/win_model feature -> (model, field) whose label names it in explanations
FEATURE_FIELDS = {
    "source": ("crm.lead", "source_id"), "medium": ("crm.lead", "medium_id"),
    "campaign": ("crm.lead", "campaign_id"), "campaign_type": ("utm.campaign", "cn_type"),
    "team": ("crm.lead", "team_id"), "salesperson": ("crm.lead", "user_id"),
    "country": ("crm.lead", "country_id"), "province": ("crm.lead", "state_id"),
    "city": ("crm.lead", "city"), "customer_class": ("crm.lead", "cn_customer_class"),
    "stage": ("crm.lead", "stage_id"), "revenue_bucket": ("crm.lead", "planned_revenue"),
    "days_in_stage": ("crm.cn.stage.history", "days"),
    "past_orders": ("res.partner", "sale_order_count"),
    "overdue": ("crm.lead", "cn_overdue_amount"),
    "activities": ("crm.lead", "activity_ids"), "messages": ("crm.lead", "message_ids"),
    "has_email": ("crm.lead", "email_from"), "has_phone": ("crm.lead", "phone"),
}
LEAD_FIELDS = ["type", "active", "probability", "planned_revenue", "date_closed", "write_date",
               "create_date", "date_last_stage_update", "email_from", "phone", "mobile", "city",
               "partner_id", "stage_id", "cn_close_stage_id", "cn_close_probability",
               "cn_close_stage_days", "source_id", "medium_id", "campaign_id", "team_id", "user_id",
               "country_id", "state_id", "cn_customer_class"]
# Orders of the opportunity's customer confirmed before the opportunity was created
# (untaxed, in the order's currency: the model only needs their size).
PARTNER_HISTORY_SQL = """
SELECT l.id, COUNT(so.id), COALESCE(SUM(so.amount_untaxed), 0)
  FROM crm_lead l
  JOIN res_partner lp ON lp.id = l.partner_id
  JOIN res_partner sp ON sp.commercial_partner_id = lp.commercial_partner_id
  JOIN sale_order so ON so.partner_id = sp.id AND so.state IN ('sale', 'done')
                    AND so.confirmation_date < l.create_date
 WHERE l.id = ANY(%s)
 GROUP BY l.id
"""
# Messages and done activities written before the opportunity closed, plus open activities.
ENGAGEMENT_SQL = """
SELECT l.id,
       (SELECT COUNT(*) FROM mail_message m
         WHERE m.model = 'crm.lead' AND m.res_id = l.id AND m.message_type IN ('comment', 'email')
           AND m.subtype_id IS DISTINCT FROM %(activity_subtype)s
           AND m.date <= COALESCE(l.date_closed, %(now)s)),
       (SELECT COUNT(*) FROM mail_message m
         WHERE m.model = 'crm.lead' AND m.res_id = l.id AND m.subtype_id = %(activity_subtype)s
           AND m.date <= COALESCE(l.date_closed, %(now)s))
       + (SELECT COUNT(*) FROM mail_activity a WHERE a.res_model = 'crm.lead' AND a.res_id = l.id)
  FROM crm_lead l
 WHERE l.id = ANY(%(ids)s)
"""
# For closed opportunities closed before this addon recorded their stage: the last stage
# below 100% they were in, from the stage history.
LAST_OPEN_STAGE_SQL = """
SELECT DISTINCT ON (h.lead_id) h.lead_id, h.stage_id, h.days
  FROM crm_cn_stage_history h JOIN crm_stage s ON s.id = h.stage_id AND s.probability < 100
 WHERE h.lead_id = ANY(%s)
 ORDER BY h.lead_id, h.date_in DESC, h.id DESC
"""
# (database, training id) -> its WinModel: unpickled once per process, the latest only.
LOADED = {}
PREDICTORS = [("model", "Win model"), ("stage", "Stage probability"),
              ("salesperson", "Salesperson's probability")]


class CrmCnWinModel(models.Model):
    """One training of the win model: what it learned from (closed
    opportunities up to that day), how well it did on the newest of them
    beside the stage's and the salesperson's probability, and the fitted
    pipeline that scores open opportunities until the next training."""

    _name = "crm.cn.win.model"
    _description = "Win Probability Model"
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name")
    date = fields.Datetime(string="Trained On", required=True, readonly=True, default=fields.Datetime.now)
    company_id = fields.Many2one("res.company", string="Company", required=True, readonly=True,
                                 default=lambda self: self.env.user.company_id)
    user_id = fields.Many2one("res.users", string="Trained By", readonly=True,
                              default=lambda self: self.env.user)
    closed_count = fields.Integer(string="Closed Opportunities", readonly=True)
    won_count = fields.Integer(string="Won", readonly=True)
    train_count = fields.Integer(string="Rows Used (Older)", readonly=True)
    test_count = fields.Integer(string="Rows Held Out (Newer)", readonly=True)
    split_date = fields.Char(string="Held Out From", readonly=True,
                             help="Opportunities closed from this day on were held out to measure the model.")
    scored_count = fields.Integer(string="Open Opportunities Scored", readonly=True)
    fallback = fields.Boolean(string="Stage Probability Used", readonly=True,
                              help="Too little history: open opportunities get their stage probability.")
    message = fields.Text(readonly=True)
    auc_model = fields.Float(string="AUC (Model)", digits=(16, 3), readonly=True)
    auc_stage = fields.Float(string="AUC (Stage)", digits=(16, 3), readonly=True)
    auc_salesperson = fields.Float(string="AUC (Salesperson)", digits=(16, 3), readonly=True)
    brier_model = fields.Float(string="Brier (Model)", digits=(16, 3), readonly=True)
    brier_stage = fields.Float(string="Brier (Stage)", digits=(16, 3), readonly=True)
    brier_salesperson = fields.Float(string="Brier (Salesperson)", digits=(16, 3), readonly=True)
    brier_base_rate = fields.Float(string="Brier (Base Rate)", digits=(16, 3), readonly=True,
                                   help="Brier score of always saying the older win rate.")
    calibration = fields.Text(string="Calibration Data", readonly=True)
    calibration_html = fields.Html(string="Calibration", compute="_compute_calibration_html",
                                   sanitize=False)
    model_file = fields.Binary(string="Fitted Pipeline", attachment=True, readonly=True)
    sklearn_version = fields.Char(string="scikit-learn", readonly=True)

    @api.depends("date")
    def _compute_name(self):
        for record in self:
            record.name = _("Win model of %s") % (record.date or "")

    @api.depends("calibration")
    def _compute_calibration_html(self):
        for record in self:
            tables = json.loads(record.calibration or "{}")
            if not tables:
                record.calibration_html = False
                continue
            head = "".join("<th>%s</th>" % html_escape(_(label)) for _key, label in PREDICTORS)
            lines = []
            bands = next(iter(tables.values()))
            for index, band in enumerate(bands):
                cells = []
                for key, _label in PREDICTORS:
                    line = tables.get(key, bands)[index]
                    cells.append("<td>%s</td>" % (
                        "-" if not line[2] else _("%d deals: said %d%%, won %d%%") % (
                            line[2], round(line[3] * 100), round(line[4] * 100))))
                lines.append("<tr><td>%d-%d%%</td>%s</tr>" % (band[0] * 100, band[1] * 100, "".join(cells)))
            record.calibration_html = (
                '<table class="table table-condensed o_cn_win_calibration"><thead><tr><th>%s</th>%s'
                "</tr></thead><tbody>%s</tbody></table>" % (html_escape(_("Predicted")), head, "".join(lines)))

    @api.model
    def action_train(self):
        """Train on every closed opportunity of the company, keep the result,
        score every open opportunity. Managers only (button, cron, XML-RPC)."""
        self.check_access_rights("create")
        labels = self._cn_labels()
        rows = self._cn_rows(self._cn_closed_leads())
        result = win_model.train(rows, labels=labels)
        metrics = result["metrics"]
        values = {
            "closed_count": result["closed"], "won_count": result["won"],
            "train_count": result["train"], "test_count": result["test"],
            "split_date": result["split_date"] and str(result["split_date"])[:10],
            "fallback": result["fallback"], "message": result["message"],
            "calibration": json.dumps(result["calibration"]),
            "sklearn_version": win_model.sklearn.__version__,
        }
        for name in ("model", "stage", "salesperson", "base_rate"):
            for measure in ("auc", "brier"):
                field_name = "%s_%s" % (measure, name)
                if field_name in self._fields:
                    values[field_name] = (metrics.get(name) or {}).get(measure) or 0.0
        if result["model"] is not None:
            values["model_file"] = base64.b64encode(result["model"].dumps())
        record = self.create(values)
        _logger.info("win model %s: %s", record.id, result["message"])
        record.sudo().scored_count = len(self._cn_score(self._cn_open_leads()))
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": record.id,
                "view_mode": "form", "views": [[False, "form"]], "target": "current"}

    @api.multi
    def action_retrain(self):
        """The form's button: a new training (this one stays as it was)."""
        return self.action_train()

    @api.model
    def _cn_company_domain(self):
        return [("company_id", "in", [self.env.user.company_id.id, False])]

    @api.model
    def _cn_closed_leads(self):
        """Won (probability 100) or lost (archived) opportunities of the company."""
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
        return Lead.search([("type", "=", "opportunity"), "|", ("probability", ">=", 100),
                            ("active", "=", False)] + self._cn_company_domain())

    @api.model
    def _cn_open_leads(self):
        return self.env["crm.lead"].sudo().search([
            ("type", "=", "opportunity"), ("probability", "<", 100),
            ("stage_id.probability", "<", 100)] + self._cn_company_domain())

    @api.model
    def _cn_labels(self):
        """The field labels (in the user's language) the explanations use."""
        labels, by_model = {}, {}
        for key, (model, field_name) in FEATURE_FIELDS.items():
            by_model.setdefault(model, []).append((key, field_name))
        for model, keys in by_model.items():
            described = self.env[model].fields_get([field_name for _key, field_name in keys], ["string"])
            for key, field_name in keys:
                labels[key] = described[field_name]["string"]
        return labels

    @api.model
    def _cn_latest(self):
        return self.sudo().search(self._cn_company_domain(), limit=1)

    @api.multi
    def _cn_load(self):
        """The WinModel of this training (None if it fell back), unpickled once per process."""
        self.ensure_one()
        if self.fallback:
            return None
        key = (self.env.cr.dbname, self.id)
        if key not in LOADED:
            data = self.sudo().with_context(bin_size=False).model_file
            LOADED.clear()
            LOADED[key] = win_model.WinModel.loads(base64.b64decode(data)) if data else None
        return LOADED[key]

    @api.model
    def _cn_score(self, leads):
        """Score `leads` with the latest training (stage probability and its
        reason when there is none or it fell back) and write the results;
        features gathered for all of them at once. Returns the leads."""
        leads = leads.sudo()
        if not leads:
            return leads
        latest = self._cn_latest()
        model, reason = None, _("No win model trained yet: the stage probability is used.")
        if latest:
            reason = latest.message
            try:
                model = latest._cn_load()
            except Exception:  # a pipeline pickled by another scikit-learn version
                _logger.exception("win model %s cannot be loaded", latest.id)
                reason = _("The win model could not be loaded (scikit-learn %s): train it again.") % (
                    latest.sklearn_version,)
        rows = self._cn_rows(leads) if model is not None else [
            {"id": lead.id, "stage_probability": lead.stage_id.probability} for lead in leads]
        scores = win_model.score(model, rows, reason)
        leads._cn_write_columns(("cn_win_probability", "cn_win_factors"), {
            row["id"]: (round(probability * 100.0, 1), factors)
            for row, (probability, factors) in zip(rows, scores)})
        return leads

    @api.model
    def _cn_rows(self, leads):
        """The tools/win_model rows of `leads` (open or closed): a constant
        number of queries whatever their number."""
        leads = leads.sudo().with_context(active_test=False, prefetch_fields=False)
        if not leads:
            return []
        records = leads.read(LEAD_FIELDS)
        cr, ids = self.env.cr, leads.ids
        now = fields.Datetime.now()
        cr.execute(PARTNER_HISTORY_SQL, [ids])
        history = {row[0]: row[1:] for row in cr.fetchall()}
        activity_subtype = self.env.ref("mail.mt_activities", raise_if_not_found=False)
        cr.execute(ENGAGEMENT_SQL, {"ids": ids, "now": now,
                                    "activity_subtype": activity_subtype and activity_subtype.id})
        engagement = {row[0]: row[1:] for row in cr.fetchall()}
        cr.execute(LAST_OPEN_STAGE_SQL, [ids])
        last_open = {row[0]: row[1:] for row in cr.fetchall()}
        partners = leads.mapped("partner_id")
        overdue = partners._cn_credit_figures() if partners else {}
        commercial = {partner.id: partner.commercial_partner_id.id for partner in partners}
        campaign_ids = {record["campaign_id"][0] for record in records if record["campaign_id"]}
        campaign_types = dict(self.env["utm.campaign"].sudo().fields_get(["cn_type"])["cn_type"]["selection"])
        campaigns = {campaign["id"]: campaign_types.get(campaign["cn_type"])
                     for campaign in self.env["utm.campaign"].sudo().browse(campaign_ids).read(["cn_type"])}
        stage_ids = {record["stage_id"][0] for record in records if record["stage_id"]}
        stage_ids |= {record["cn_close_stage_id"][0] for record in records if record["cn_close_stage_id"]}
        stage_ids |= {values[0] for values in last_open.values()}
        stages = {stage["id"]: stage for stage in self.env["crm.stage"].sudo().browse(
            list(stage_ids)).read(["name", "probability"])}
        classes = dict(self.env["crm.lead"].fields_get(["cn_customer_class"])["cn_customer_class"]["selection"])
        now_dt = fields.Datetime.from_string(now)
        rows = []
        for record in records:
            won = record["probability"] >= 100
            closed = won or not record["active"]
            stage_id = record["stage_id"] and record["stage_id"][0]
            probability, days = record["probability"], None
            if closed:
                if record["cn_close_stage_id"]:
                    stage_id = record["cn_close_stage_id"][0]
                    probability = record["cn_close_probability"]
                    days = record["cn_close_stage_days"]
                elif record["id"] in last_open:
                    stage_id, days = last_open[record["id"]]
                    probability = None
                elif stages.get(stage_id, {}).get("probability", 0) >= 100:
                    stage_id, probability = False, None
                else:
                    probability = None
            else:
                since = fields.Datetime.from_string(record["date_last_stage_update"] or now)
                days = (now_dt - since).total_seconds() / 86400.0
            stage = stages.get(stage_id) or {}
            if probability is None:  # the salesperson's probability before closing is unknown
                probability = stage.get("probability", 0.0)
            partner_id = record["partner_id"] and record["partner_id"][0]
            orders, revenue = history.get(record["id"], (0, 0.0))
            messages, activities = engagement.get(record["id"], (0, 0))
            figures = overdue.get(commercial.get(partner_id)) or {}
            rows.append({
                "id": record["id"],
                "won": (won if closed else None),
                "close_date": (record["date_closed"] or record["write_date"]) if closed else None,
                "source": record["source_id"] and record["source_id"][1],
                "medium": record["medium_id"] and record["medium_id"][1],
                "campaign": record["campaign_id"] and record["campaign_id"][1],
                "campaign_type": record["campaign_id"] and campaigns.get(record["campaign_id"][0]),
                "team": record["team_id"] and record["team_id"][1],
                "salesperson": record["user_id"] and record["user_id"][1],
                "country": record["country_id"] and record["country_id"][1],
                "province": record["state_id"] and record["state_id"][1],
                "city": record["city"],
                "customer_class": classes.get(record["cn_customer_class"]),
                "stage": stage.get("name"),
                "stage_probability": stage.get("probability", 0.0),
                "probability": probability,
                "days_in_stage": days or 0.0,
                "past_orders": orders, "past_revenue": revenue,
                "overdue": figures.get("overdue", 0.0),
                "expected_revenue": record["planned_revenue"],
                "activities": activities, "messages": messages,
                "has_email": bool(record["email_from"]),
                "has_phone": bool(record["phone"] or record["mobile"]),
            })
        return rows
