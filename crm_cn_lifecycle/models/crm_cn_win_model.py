import base64
import contextlib
import json
import logging

import numpy

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError
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
# Many2one features: the model learns their ids, explanations show their names.
NAMED_FEATURES = {"source": "utm.source", "medium": "utm.medium", "campaign": "utm.campaign",
                  "team": "crm.team", "salesperson": "res.users", "country": "res.country",
                  "province": "res.country.state", "stage": "crm.stage"}
SELECTION_FEATURES = {"campaign_type": ("utm.campaign", "cn_type"),
                      "customer_class": ("crm.lead", "cn_customer_class")}
# The frame's columns in FRAME_SQL's order, each as integers (i), floats (f) or text (t).
FRAME_COLUMNS = (
    ("id", "i"), ("won", "i"), ("close_date", "t"), ("source", "i"), ("medium", "i"),
    ("campaign", "i"), ("campaign_type", "t"), ("team", "i"), ("salesperson", "i"),
    ("country", "i"), ("province", "i"), ("city", "t"), ("customer_class", "t"), ("stage", "i"),
    ("stage_probability", "f"), ("probability", "f"), ("days_in_stage", "f"),
    ("expected_revenue", "f"), ("messages", "i"), ("activities", "i"), ("has_email", "i"),
    ("has_phone", "i"), ("commercial_partner_id", "i"), ("created", "i"))
SCORE_BATCH = 200000
CLOSED_WHERE = ("l.type = 'opportunity' AND (l.probability >= 100 OR NOT l.active)"
                " AND (l.company_id = %(company)s OR l.company_id IS NULL)")
# An open opportunity (crm_lead l joined to its crm_stage s): scored, and shown in the win analysis.
OPEN_WHERE = "l.type = 'opportunity' AND l.active AND l.probability < 100 AND s.probability < 100"
OPEN_SQL = """
SELECT l.id FROM crm_lead l JOIN crm_stage s ON s.id = l.stage_id
 WHERE """ + OPEN_WHERE + """
   AND (l.company_id = %(company)s OR l.company_id IS NULL)
 ORDER BY l.id
"""
# Training reads closed rows by when they closed: the frame keeps the day only
# (10 characters, not 26, a numpy text column of 1M rows 40 MB instead of 104),
# and tools/win_model's stable sort by day keeps this finer order.
CLOSE_ORDER = "COALESCE(l.date_closed, l.write_date), l.id"
# One row of features per opportunity chosen by {where}, open or closed, set-based
# (the customer's past orders come from ORDERS_SQL, its receivables from the credit figures):
# - messages and done activities written before it closed, plus open activities;
# - closed ones: the stage (and the salesperson's probability) just before closing,
#   else the last stage below 100% of the stage history, else their own stage.
FRAME_SQL = """
WITH chosen AS MATERIALIZED (
    SELECT l.id, l.probability >= 100 OR NOT l.active AS closed,
           lp.commercial_partner_id AS commercial_partner_id, l.probability, l.create_date,
           l.date_closed, l.write_date, l.date_last_stage_update, l.stage_id, l.cn_close_stage_id,
           l.cn_close_probability, l.cn_close_stage_days, l.source_id, l.medium_id, l.campaign_id,
           l.team_id, l.user_id, l.country_id, l.state_id, l.city, l.cn_customer_class,
           l.planned_revenue, l.email_from, l.phone, l.mobile
      FROM crm_lead l LEFT JOIN res_partner lp ON lp.id = l.partner_id
     WHERE {where}
), messages AS (
    SELECT c.id,
           COUNT(*) FILTER (WHERE m.message_type IN ('comment', 'email')
                              AND m.subtype_id IS DISTINCT FROM %(activity_subtype)s) AS messages,
           COUNT(*) FILTER (WHERE m.subtype_id = %(activity_subtype)s) AS done
      FROM chosen c
      JOIN mail_message m ON m.model = 'crm.lead' AND m.res_id = c.id
     WHERE m.date <= COALESCE(c.date_closed, %(now)s::timestamp)
     GROUP BY c.id
), activities AS (
    SELECT a.res_id AS id, COUNT(*) AS planned FROM mail_activity a
     WHERE a.res_model = 'crm.lead' AND a.res_id IN (SELECT id FROM chosen)
     GROUP BY a.res_id
), last_open AS (
    SELECT DISTINCT ON (h.lead_id) h.lead_id AS id, h.stage_id, h.days
      FROM crm_cn_stage_history h JOIN crm_stage s ON s.id = h.stage_id AND s.probability < 100
     WHERE h.lead_id IN (SELECT id FROM chosen WHERE closed)
     ORDER BY h.lead_id, h.date_in DESC, h.id DESC
)
SELECT l.id,
       CASE WHEN l.closed THEN (l.probability >= 100)::int ELSE -1 END,
       CASE WHEN l.closed THEN to_char(COALESCE(l.date_closed, l.write_date), 'YYYY-MM-DD') ELSE '' END,
       COALESCE(l.source_id, 0), COALESCE(l.medium_id, 0), COALESCE(l.campaign_id, 0),
       COALESCE(cp.cn_type, ''), COALESCE(l.team_id, 0), COALESCE(l.user_id, 0),
       COALESCE(l.country_id, 0), COALESCE(l.state_id, 0), COALESCE(l.city, ''),
       COALESCE(l.cn_customer_class, ''), COALESCE(fs.id, 0), COALESCE(fs.probability, 0),
       COALESCE(CASE WHEN NOT l.closed THEN l.probability
                     WHEN l.cn_close_stage_id IS NOT NULL THEN l.cn_close_probability END,
                fs.probability, 0),
       COALESCE(CASE WHEN NOT l.closed THEN EXTRACT(EPOCH FROM %(now)s::timestamp
                                                    - COALESCE(l.date_last_stage_update, %(now)s::timestamp))::float8 / 86400.0
                     WHEN l.cn_close_stage_id IS NOT NULL THEN l.cn_close_stage_days
                     ELSE lo.days END, 0)::float8,
       COALESCE(l.planned_revenue, 0)::float8,
       COALESCE(m.messages, 0), COALESCE(m.done, 0) + COALESCE(a.planned, 0),
       (COALESCE(l.email_from, '') <> '')::int,
       (COALESCE(l.phone, '') <> '' OR COALESCE(l.mobile, '') <> '')::int,
       COALESCE(l.commercial_partner_id, 0), EXTRACT(EPOCH FROM l.create_date)::bigint
  FROM chosen l
  LEFT JOIN crm_stage s ON s.id = l.stage_id
  LEFT JOIN last_open lo ON lo.id = l.id
  LEFT JOIN crm_stage fs ON fs.id = CASE WHEN NOT l.closed THEN l.stage_id
       ELSE COALESCE(l.cn_close_stage_id, lo.stage_id, CASE WHEN s.probability < 100 THEN l.stage_id END) END
  LEFT JOIN utm_campaign cp ON cp.id = l.campaign_id
  LEFT JOIN messages m ON m.id = l.id
  LEFT JOIN activities a ON a.id = l.id
 {order}
"""
# The confirmed orders of some customers (commercial partners): when, and how much
# in company currency at the order date (crm.cn.order.fx).
ORDERS_SQL = """
SELECT sp.commercial_partner_id, EXTRACT(EPOCH FROM so.confirmation_date)::bigint,
       (so.amount_untaxed * COALESCE(fx.fx, 1.0))::float8
  FROM sale_order so
  JOIN res_partner sp ON sp.id = so.partner_id
  JOIN crm_cn_order_fx fx ON fx.order_id = so.id
 WHERE so.state IN ('sale', 'done') AND so.confirmation_date IS NOT NULL
   AND sp.commercial_partner_id = ANY(%(partners)s::int[])
"""
ORDERS_COLUMNS = (("partner", "i"), ("time", "i"), ("amount", "f"))
# Separator of text values when a column is read as one text.
TEXT_SEPARATOR = "\x1f"


def int_array(values):
    """A PostgreSQL array literal of integers: read far faster by the server
    than the ARRAY[...] expression psycopg2 makes of a long list."""
    return "{%s}" % ",".join(map(str, map(int, values)))


def read_columns(cr, sql, params, columns):
    """{key: numpy array} of the rows of `sql`, whose columns are `columns`
    ((key, "i"|"f"|"t"), in order). Each column comes back as one text
    aggregated by the server, so a million rows cost no Python object per
    value. Every column of a row is read from the same row, whatever the
    order."""
    parts = []
    for index, (_key, kind) in enumerate(columns):
        if kind == "t":
            parts.append("string_agg(replace(COALESCE(c%d::text, ''), chr(31), ' '), chr(31))" % index)
        else:
            parts.append("string_agg(COALESCE(c%d::text, '0'), ',')" % index)
    cr.execute("SELECT count(*), %s FROM (%s) f(%s)" % (
        ", ".join(parts), sql, ", ".join("c%d" % index for index in range(len(columns)))), params)
    row = cr.fetchone()
    result = {}
    for (key, kind), text in zip(columns, row[1:]):
        if not row[0]:
            result[key] = numpy.array([], dtype={"i": numpy.int64, "f": float, "t": str}[kind])
        elif kind == "t":
            result[key] = numpy.array(text.split(TEXT_SEPARATOR))
        else:
            result[key] = numpy.fromstring(text, dtype=numpy.int64 if kind == "i" else float, sep=",")
    return result


# For the one large query of a training or a scoring batch: sorts and
# aggregates in memory, and no JIT compiling (it costs more than it saves here).
BATCH_SETTINGS = {"work_mem": "256MB", "jit": "off"}


@contextlib.contextmanager
def _batch_settings(cr):
    """BATCH_SETTINGS for the statements inside, the previous values after
    (settings the server does not know are left alone)."""
    names = list(BATCH_SETTINGS)
    cr.execute("SELECT %s" % ", ".join("current_setting(%s, true)" for _name in names), names)
    previous = dict(zip(names, cr.fetchone()))
    known = [name for name in names if previous[name] is not None]

    def apply(values):
        if known:
            cr.execute("SELECT %s" % ", ".join("set_config(%s, %s, true)" for _name in known),
                       [item for name in known for item in (name, values[name])])
    apply(BATCH_SETTINGS)
    try:
        yield
    finally:
        apply(previous)


# (database, training id) -> its WinModel (REFUSED when its signature failed):
# unpickled once per process, the latest only.
LOADED = {}
REFUSED = object()
# What the fitted pipelines are signed for, with a key derived from the database secret.
SIGNING_PURPOSE = "crm_cn_lifecycle.win_model"
GROUP_MANAGER = "crm_cn_lifecycle.group_manager"
PREDICTORS = [("model", "Win model"), ("stage", "Stage probability"),
              ("salesperson", "Salesperson's probability")]


class CrmCnWinModel(models.Model):
    """One training of the win model: what it learned from (closed
    opportunities up to that day), how well it did on the newest of them
    beside the stage's and the salesperson's probability, and the fitted
    pipeline that scores open opportunities until the next training.

    Written by the training only, as the system: no one else may create,
    change or delete a training, and its pipeline (a pickle) is loaded only
    if its signature, made at training time with a key derived from the
    database secret, matches (see _cn_load)."""

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
    algorithm = fields.Selection([("logistic", "Logistic Regression"), ("boosting", "Gradient Boosting")],
                                 readonly=True,
                                 help="The classifier with the lower log loss on the newest of the older "
                                      "closed opportunities (boosting competes from 400 of them).")
    selection_note = fields.Char(string="Why This Classifier", readonly=True)
    drift_offset = fields.Float(string="Drift Correction (Log-Odds)", digits=(16, 3), readonly=True,
                                help="Added to the log-odds of every score when the newest closed "
                                     "opportunities won at a rate the model did not expect (0: no drift).")
    recent_win_rate = fields.Float(string="Newest Win Rate (%)", digits=(16, 1), readonly=True)
    predicted_win_rate = fields.Float(string="Model Said (%)", digits=(16, 1), readonly=True,
                                      help="The mean score the model gave the newest closed opportunities "
                                           "before the drift correction.")
    calibration = fields.Text(string="Calibration Data", readonly=True)
    calibration_html = fields.Html(string="Calibration", compute="_compute_calibration_html",
                                   sanitize=False)
    model_file = fields.Binary(string="Fitted Pipeline", attachment=True, readonly=True)
    model_signature = fields.Char(string="Pipeline Signature", readonly=True, copy=False,
                                  groups="base.group_system",
                                  help="HMAC-SHA256 of the fitted pipeline, made by the training.")
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
                        "-" if not line[2] else _("%(deals)d deals: said %(said)d%%, won %(won)d%%") % {
                            "deals": line[2], "said": round(line[3] * 100), "won": round(line[4] * 100)}))
                lines.append("<tr><td>%d-%d%%</td>%s</tr>" % (band[0] * 100, band[1] * 100, "".join(cells)))
            record.calibration_html = (
                '<table class="table table-condensed o_cn_win_calibration"><thead><tr><th>%s</th>%s'
                "</tr></thead><tbody>%s</tbody></table>" % (html_escape(_("Predicted")), head, "".join(lines)))

    @api.model
    def create(self, vals):
        self._cn_check_system()
        return super(CrmCnWinModel, self).create(vals)

    @api.multi
    def write(self, vals):
        self._cn_check_system()
        return super(CrmCnWinModel, self).write(vals)

    @api.multi
    def unlink(self):
        self._cn_check_system()
        return super(CrmCnWinModel, self).unlink()

    @api.model
    def _cn_check_system(self):
        """Trainings are written by the training only, which runs as the
        system: a pipeline is code that the server runs when it scores."""
        if self.env.uid != SUPERUSER_ID:
            raise AccessError(_("Win models are created, changed and deleted by the training only: "
                                "sales managers train the win model with Train Win Model."))

    @api.model
    def _cn_check_may_train(self):
        """Sales managers (and the system: cron, install) start a training."""
        if self.env.uid != SUPERUSER_ID and not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(_("Only sales managers may train the win model."))

    @api.model
    def _cn_signing_key(self):
        """The key that signs the fitted pipelines: derived from the database
        secret (system parameter database.secret), None without one."""
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        return win_model.derive_key(secret, SIGNING_PURPOSE) if secret else None

    @api.model
    def action_train(self):
        """Train on every closed opportunity of the company, keep the result,
        score every open opportunity. Managers only (button, cron, XML-RPC);
        the training record is then written as the system."""
        record = self._cn_train()
        record.sudo().scored_count = self._cn_score_ids(self._cn_open_ids())
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": record.id,
                "view_mode": "form", "views": [[False, "form"]], "target": "current"}

    @api.model
    def _cn_train(self):
        """The new training record: features of every closed opportunity
        gathered in one query, fitted and measured by tools/win_model."""
        self._cn_check_may_train()
        labels = self._cn_labels()
        frame = self._cn_frame(CLOSED_WHERE, {"company": self.env.user.company_id.id},
                               order=CLOSE_ORDER)
        result = win_model.train(frame, labels=labels)
        del frame
        metrics = result["metrics"]
        values = {
            "closed_count": result["closed"], "won_count": result["won"],
            "train_count": result["train"], "test_count": result["test"],
            "split_date": result["split_date"] and str(result["split_date"])[:10],
            "fallback": result["fallback"], "message": result["message"],
            "calibration": json.dumps(result["calibration"]),
            "algorithm": result.get("kind"),
            "selection_note": (result.get("selection") or {}).get("note"),
            "drift_offset": result.get("offset") or 0.0,
            "recent_win_rate": 100.0 * (result.get("recent_rate") or 0.0),
            "predicted_win_rate": 100.0 * (result.get("predicted_rate") or 0.0),
            "sklearn_version": win_model.sklearn.__version__,
            "company_id": self.env.user.company_id.id, "user_id": self.env.uid,
        }
        for name in ("model", "stage", "salesperson", "base_rate"):
            for measure in ("auc", "brier"):
                field_name = "%s_%s" % (measure, name)
                if field_name in self._fields:
                    values[field_name] = (metrics.get(name) or {}).get(measure) or 0.0
        if result["model"] is not None:
            blob = result["model"].dumps()
            key = self._cn_signing_key()
            if not key:
                raise UserError(_("The database has no secret (system parameter database.secret): "
                                    "the win model cannot be signed."))
            values.update(model_file=base64.b64encode(blob), model_signature=win_model.sign(key, blob))
        record = self.sudo().create(values).with_env(self.env)
        _logger.info("win model %s: %s", record.id, result["message"])
        if result["model"] is not None:
            LOADED.clear()
            LOADED[(self.env.cr.dbname, record.id)] = result["model"]
        return record

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
    def _cn_open_ids(self):
        """Ids of the company's open opportunities (one query, for batch scoring)."""
        return read_columns(self.env.cr, OPEN_SQL, {"company": self.env.user.company_id.id},
                            (("id", "i"),))["id"].tolist()

    @api.model
    def _cn_open_leads(self):
        return self.env["crm.lead"].sudo().browse(self._cn_open_ids())

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
        labels["past_revenue"] = _("Past Order Revenue")
        return labels

    @api.model
    def _cn_latest(self):
        return self.sudo().search(self._cn_company_domain(), limit=1)

    @api.multi
    def _cn_load(self):
        """The WinModel of this training (None if it fell back), unpickled
        once per process, and only once its signature is checked: an
        unsigned or tampered pipeline raises BadSignature, now and on every
        later call, and is never unpickled."""
        self.ensure_one()
        if self.fallback:
            return None
        key = (self.env.cr.dbname, self.id)
        if key not in LOADED:
            record = self.sudo().with_context(bin_size=False)
            data = base64.b64decode(record.model_file) if record.model_file else None
            LOADED.clear()
            model = None
            if data:
                try:
                    model = win_model.WinModel.loads(data, self._cn_signing_key(), record.model_signature)
                except win_model.BadSignature:
                    _logger.warning("win model %s: its fitted pipeline is unsigned or its signature does "
                                    "not match; it is not loaded, the stage probability is used", self.id)
                    model = REFUSED
            LOADED[key] = model
        if LOADED[key] is REFUSED:
            raise win_model.BadSignature("win model %s" % self.id)
        return LOADED[key]

    @api.model
    def _cn_current(self):
        """(WinModel or None, reason shown when there is none) of the latest training."""
        latest = self._cn_latest()
        if not latest:
            return None, _("No win model trained yet: the stage probability is used.")
        try:
            return latest._cn_load(), latest.message
        except win_model.BadSignature:
            return None, _("The win model of %s is not signed by this database: it was not loaded and "
                          "the stage probability is used. Train the win model again.") % (latest.date,)
        except Exception:  # a pipeline pickled by another scikit-learn version
            _logger.exception("win model %s cannot be loaded", latest.id)
            return None, _("The win model could not be loaded (scikit-learn %s): train it again.") % (
                latest.sklearn_version,)

    @api.model
    def _cn_score(self, leads):
        """Score `leads` with the latest training (stage probability and its
        reason when there is none or it fell back) and write the results.
        Returns the leads."""
        leads = leads.sudo()
        if leads:
            self._cn_score_ids(leads.ids)
        return leads

    @api.model
    def _cn_score_ids(self, ids):
        """Score the opportunities `ids` in batches of SCORE_BATCH: their
        customers' orders and receivables read once, then per batch a
        constant number of queries (features, names) and one write.
        Returns how many were scored."""
        model, reason = self._cn_current()
        Score = self.env["crm.cn.win.score"]
        customers = self._cn_customer_facts(self._cn_customers_of(ids)) if model and ids else None
        for start in range(0, len(ids), SCORE_BATCH):
            batch = ids[start:start + SCORE_BATCH]
            if model is None:
                self.env.cr.execute("""SELECT l.id, COALESCE(s.probability, 0) FROM crm_lead l
                                       LEFT JOIN crm_stage s ON s.id = l.stage_id
                                       WHERE l.id = ANY(%s::int[])""", [int_array(batch)])
                found = self.env.cr.fetchall()
                lead_ids = [row[0] for row in found]
                probabilities, factors = win_model.score_columns(
                    None, {"stage_probability": [row[1] for row in found]}, reason)
            else:
                frame = self._cn_frame("l.id = ANY(%(ids)s::int[]) AND l.id BETWEEN %(low)s AND %(high)s",
                                       {"ids": int_array(batch), "low": min(batch), "high": max(batch)},
                                       customers=customers)
                lead_ids = frame["id"].tolist()
                probabilities, factors = win_model.score_columns(model, frame, names=self._cn_names(frame))
            percents = numpy.round(numpy.array(probabilities, dtype=float) * 100.0, 1).tolist()
            Score._cn_write(lead_ids, percents, factors)
        return len(ids)

    @api.model
    def _cn_customers_of(self, ids):
        """The customers (commercial partners) of the opportunities `ids`."""
        self.env.cr.execute("""SELECT DISTINCT p.commercial_partner_id FROM crm_lead l
                               JOIN res_partner p ON p.id = l.partner_id
                               WHERE l.id = ANY(%s::int[])""", [int_array(ids)])
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _cn_customer_facts(self, partner_ids):
        """What the features need of customers (commercial partner ids):
        their confirmed orders {partner, time, amount: column} (amounts in
        company currency) and their overdue receivables {partner: amount}."""
        partner_ids = [int(partner) for partner in partner_ids if partner]
        orders = read_columns(self.env.cr, ORDERS_SQL, {"partners": int_array(partner_ids)},
                              ORDERS_COLUMNS)
        figures = self.env["res.partner"].sudo().browse(partner_ids)._cn_credit_figures()
        return {"orders": orders,
                "overdue": {partner: values["overdue"] for partner, values in figures.items()}}

    @api.model
    def _cn_frame(self, where, params, order=None, customers=None):
        """The tools/win_model frame {feature: numpy column} of the
        opportunities matching `where` (SQL on crm_lead l), in `order`:
        FRAME_SQL, and the customers' orders before each was created and
        overdue receivables (`customers`: _cn_customer_facts of them, read
        here when not given)."""
        cr = self.env.cr
        activity_subtype = self.env.ref("mail.mt_activities", raise_if_not_found=False)
        params = dict(params, now=fields.Datetime.now(),
                      activity_subtype=activity_subtype and activity_subtype.id)
        with _batch_settings(cr):
            frame = read_columns(cr, FRAME_SQL.format(
                where=where, order="ORDER BY %s" % order if order else ""), params, FRAME_COLUMNS)
        frame["won"] = numpy.array([None, False, True], dtype=object)[frame["won"] + 1]
        partners, created = frame.pop("commercial_partner_id"), frame.pop("created")
        unique, position = numpy.unique(partners, return_inverse=True)
        if customers is None:
            customers = self._cn_customer_facts(unique.tolist())
        orders, overdue = customers["orders"], customers["overdue"]
        frame["past_orders"], frame["past_revenue"] = win_model.history_before(
            orders["partner"], orders["time"], orders["amount"], partners, created)
        frame["overdue"] = numpy.array([overdue.get(int(partner), 0.0) for partner in unique],
                                       dtype=float)[position]
        return win_model.frame_of(frame)

    @api.model
    def _cn_names(self, frame):
        """{feature: {value: name}} of the ids and selection keys in `frame`, for explanations."""
        names = {}
        for key, model in NAMED_FEATURES.items():
            ids = [int(value) for value in numpy.unique(frame[key]) if value > 0]
            if ids:
                names[key] = dict(self.env[model].sudo().browse(ids).name_get())
        for key, (model, field_name) in SELECTION_FEATURES.items():
            names[key] = dict(self.env[model].fields_get([field_name])[field_name]["selection"])
        return names
