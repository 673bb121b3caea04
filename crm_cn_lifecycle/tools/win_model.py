"""Win probability learned from the company's own closed opportunities,
without a database: plain dict rows in, probabilities and reasons out.

A row is one opportunity (keys of FEATURES plus `won`, `close_date`,
`stage_probability` and `probability`, the last two in percent). Closed rows
train a DictVectorizer + StandardScaler + LogisticRegression pipeline; the
newest closed rows are held out first to measure it beside the stage's and
the salesperson's probability. The pipeline is then refitted on every closed
row. Fewer than MIN_CLOSED closed rows (or only one outcome): no model, the
stage probability is used and the reason says so.
"""
import io
import math

import joblib
import numpy
import sklearn
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

MIN_CLOSED = 50
TEST_SHARE = 0.25
CALIBRATION_BINS = 5
TOP_FACTORS = 3
SEPARATOR = "="

CATEGORICAL = ("source", "medium", "campaign", "campaign_type", "team", "salesperson",
               "country", "province", "city", "customer_class", "stage", "revenue_bucket")
NUMERIC = ("days_in_stage", "past_orders", "past_revenue", "overdue", "activities", "messages",
           "has_email", "has_phone")
LOG_SCALED = ("days_in_stage", "past_orders", "past_revenue", "overdue", "activities", "messages")
FEATURES = CATEGORICAL + NUMERIC
# English labels for use outside Odoo; the addon passes its own field labels.
DEFAULT_LABELS = {
    "source": "Source", "medium": "Medium", "campaign": "Campaign",
    "campaign_type": "Campaign Type", "team": "Sales Team", "salesperson": "Salesperson",
    "country": "Country", "province": "State", "city": "City",
    "customer_class": "Customer Class", "stage": "Stage", "revenue_bucket": "Expected Revenue",
    "days_in_stage": "Days in Stage", "past_orders": "# of Sales Order",
    "past_revenue": "Past Order Revenue", "overdue": "Customer Overdue",
    "activities": "Activities", "messages": "Messages", "has_email": "Email", "has_phone": "Phone",
}
REVENUE_BUCKETS = ((0.0, "0"), (10000.0, "< 10k"), (50000.0, "10k-50k"), (200000.0, "50k-200k"),
                   (1000000.0, "200k-1M"), (None, ">= 1M"))


def revenue_bucket(amount):
    """The expected revenue as a bucket label ('0', '< 10k' ... '>= 1M')."""
    amount = amount or 0.0
    if amount <= 0:
        return "0"
    for upper, label in REVENUE_BUCKETS[1:]:
        if upper is None or amount < upper:
            return label


def shape(row):
    """The feature dict of one opportunity row (missing values are empty)."""
    features = {}
    for key in CATEGORICAL:
        value = row.get("expected_revenue") if key == "revenue_bucket" else row.get(key)
        if key == "revenue_bucket":
            value = revenue_bucket(value)
        features[key] = str(value) if value not in (None, False, "") else "(none)"
    for key in NUMERIC:
        value = float(row.get(key) or 0.0)
        if key in ("has_email", "has_phone"):
            value = 1.0 if value else 0.0
        elif key in LOG_SCALED:
            value = math.log1p(max(value, 0.0))
        features[key] = value
    return features


def closed_rows(rows):
    return [row for row in rows if row.get("won") is not None]


def time_split(rows, test_share=TEST_SHARE):
    """(older, newer) closed rows by close date: the newest `test_share` are held out."""
    ordered = sorted(closed_rows(rows), key=lambda row: (str(row.get("close_date") or ""),))
    cut = len(ordered) - int(round(len(ordered) * test_share))
    return ordered[:cut], ordered[cut:]


def make_pipeline():
    return Pipeline([
        ("vectorize", DictVectorizer(separator=SEPARATOR, sparse=False)),
        ("scale", StandardScaler()),
        ("classify", LogisticRegression(C=0.5, max_iter=1000)),
    ])


def _labels(rows):
    return numpy.array([1 if row["won"] else 0 for row in rows])


def evaluate(outcomes, predictions):
    """AUC (None with a single outcome) and Brier score of predictions in 0..1."""
    outcomes = numpy.asarray(outcomes)
    predictions = numpy.clip(numpy.asarray(predictions, dtype=float), 0.0, 1.0)
    if not len(outcomes):
        return {"auc": None, "brier": None}
    auc = roc_auc_score(outcomes, predictions) if len(set(outcomes.tolist())) > 1 else None
    return {"auc": None if auc is None else float(auc),
            "brier": float(brier_score_loss(outcomes, predictions))}


def calibration_table(outcomes, predictions, bins=CALIBRATION_BINS):
    """One line per probability band: [low, high, count, mean predicted, observed win rate]."""
    outcomes = numpy.asarray(outcomes, dtype=float)
    predictions = numpy.clip(numpy.asarray(predictions, dtype=float), 0.0, 1.0)
    table = []
    for index in range(bins):
        low, high = index / bins, (index + 1) / bins
        inside = (predictions >= low) & ((predictions < high) if index < bins - 1 else (predictions <= high))
        count = int(inside.sum())
        table.append([low, high, count,
                      float(predictions[inside].mean()) if count else None,
                      float(outcomes[inside].mean()) if count else None])
    return table


def _percent(rows, key):
    return [min(max(float(row.get(key) or 0.0), 0.0), 100.0) / 100.0 for row in rows]


class WinModel(object):
    """A fitted pipeline, the training means of its scaled features (the
    reference its explanations are measured from) and the field labels."""

    def __init__(self, pipeline, labels=None, shaper=None):
        self.pipeline = pipeline
        self.shaper = shaper or shape
        self.labels = dict(DEFAULT_LABELS, **(labels or {}))
        self.sklearn_version = sklearn.__version__

    def predict(self, rows):
        """Win probability (0..1) of each row."""
        if not rows:
            return []
        return [float(p) for p in self.pipeline.predict_proba([self.shaper(row) for row in rows])[:, 1]]

    def contributions(self, rows):
        """Per row, {feature key: log-odds it adds against an average opportunity}."""
        vectorizer = self.pipeline.named_steps["vectorize"]
        scaler = self.pipeline.named_steps["scale"]
        coefficients = self.pipeline.named_steps["classify"].coef_[0]
        scaled = scaler.transform(vectorizer.transform([self.shaper(row) for row in rows]))
        # StandardScaler centres on the training mean: scaled 0 is the average opportunity
        keys = [name.split(SEPARATOR, 1)[0] for name in vectorizer.get_feature_names_out()]
        result = []
        for line in scaled * coefficients:
            sums = {}
            for key, value in zip(keys, line):
                sums[key] = sums.get(key, 0.0) + float(value)
            result.append(sums)
        return result

    def explain(self, rows, top=TOP_FACTORS):
        """Per row, the `top` factors that moved its score most:
        [(label, shown value, +1 up / -1 down, log-odds)], largest first."""
        explained = []
        for row, sums in zip(rows, self.contributions(rows)):
            features = self.shaper(row)
            ranked = sorted(sums.items(), key=lambda item: -abs(item[1]))[:top]
            explained.append([(self.labels.get(key, key), display_value(key, row, features),
                               1 if value > 0 else -1, value) for key, value in ranked])
        return explained

    def dumps(self):
        """Bytes of the sklearn pipeline and labels (joblib), not of this class."""
        buffer = io.BytesIO()
        joblib.dump({"pipeline": self.pipeline, "labels": self.labels,
                     "sklearn_version": self.sklearn_version}, buffer)
        return buffer.getvalue()

    @classmethod
    def loads(cls, data):
        """The model saved by dumps(). Only load bytes this addon wrote: they are a pickle."""
        saved = joblib.load(io.BytesIO(data))
        model = cls(saved["pipeline"], saved["labels"])
        model.sklearn_version = saved["sklearn_version"]
        return model


def display_value(key, row, features):
    if key == "revenue_bucket":
        return features[key]
    if key in ("has_email", "has_phone"):
        return "yes" if row.get(key) else "no"
    if key in NUMERIC:
        value = float(row.get(key) or 0.0)
        return ("%d" % value) if value == int(value) else ("%.1f" % value)
    return features[key]


def format_factors(factors):
    """'↑ Campaign Type: Trade Show; ↓ Days in Stage: 40; ...'"""
    return "; ".join("%s %s: %s" % ("↑" if sign > 0 else "↓", label, value)
                     for label, value, sign, _weight in factors)


def fallback_scores(rows, reason):
    """The stage probability of each row, with the reason as its only factor."""
    return [(p, reason) for p in _percent(rows, "stage_probability")]


def train(rows, labels=None, min_closed=MIN_CLOSED, test_share=TEST_SHARE, shaper=shape):
    """Train on the closed rows. Returns a dict: fallback (bool), message,
    model (WinModel or None), counts, split_date, metrics
    {model|stage|salesperson|base_rate: {auc, brier}} and calibration
    {model|stage|salesperson: table}, both on the held-out newest rows.
    `shaper` turns a row into features (default: the opportunity features)."""
    closed = closed_rows(rows)
    won = sum(1 for row in closed if row["won"])
    result = {"fallback": True, "model": None, "closed": len(closed), "won": won,
              "train": 0, "test": 0, "split_date": None, "metrics": {}, "calibration": {}}
    if len(closed) < min_closed:
        result["message"] = (
            "Only %d closed opportunities (at least %d are needed): the stage probability "
            "is used." % (len(closed), min_closed))
        return result
    if won == 0 or won == len(closed):
        result["message"] = ("All %d closed opportunities were %s: nothing to learn, the stage "
                             "probability is used." % (len(closed), "won" if won else "lost"))
        return result
    older, newer = time_split(closed, test_share)
    result.update(train=len(older), test=len(newer),
                  split_date=newer[0].get("close_date") if newer else None)
    notes = []
    if newer and len(set(_labels(older).tolist())) > 1:
        held_out = make_pipeline().fit([shaper(row) for row in older], _labels(older))
        outcomes = _labels(newer)
        predicted = held_out.predict_proba([shaper(row) for row in newer])[:, 1]
        base_rate = float(_labels(older).mean())
        candidates = {"model": predicted, "stage": _percent(newer, "stage_probability"),
                      "salesperson": _percent(newer, "probability"),
                      "base_rate": [base_rate] * len(newer)}
        for name, predictions in candidates.items():
            result["metrics"][name] = evaluate(outcomes, predictions)
            if name != "base_rate":
                result["calibration"][name] = calibration_table(outcomes, predictions)
    else:
        notes.append("the older opportunities have a single outcome: not evaluated")
    pipeline = make_pipeline().fit([shaper(row) for row in closed], _labels(closed))
    result.update(fallback=False, model=WinModel(pipeline, labels, shaper))
    result["message"] = "Trained on %d closed opportunities (%d won), tested on the newest %d." % (
        len(closed), won, len(newer)) + ("" if not notes else " " + "; ".join(notes) + ".")
    return result


def score(model, rows, fallback_reason=None, top=TOP_FACTORS):
    """[(probability 0..1, factors text)] of each row; without a model the
    stage probability and `fallback_reason`."""
    if model is None:
        return fallback_scores(rows, fallback_reason or "No win model: stage probability.")
    probabilities = model.predict(rows)
    return [(p, format_factors(factors)) for p, factors in zip(probabilities, model.explain(rows, top))]
