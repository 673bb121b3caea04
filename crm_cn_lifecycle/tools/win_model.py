"""Win probability learned from the company's own closed opportunities,
without a database: columns (or plain dict rows) in, probabilities and
reasons out.

An opportunity has the keys of FEATURES plus `won` (None while open),
`close_date`, `stage_probability` and `probability` (the last two in
percent). Data come either as a list of dict rows or as a frame: a dict of
columns {key: sequence}, which is what the addon builds from one SQL query
so that a million opportunities need no Python dict per row.

The pipeline is a FeatureEncoder (scikit-learn one-hot encoders for the
categories, log1p for counts and amounts) + StandardScaler +
LogisticRegression; from win_boost.MIN_BOOSTING_ROWS closed rows on,
gradient boosting (tools/win_boost.py) competes with it on a time-ordered
validation split and replaces it when its log loss is clearly lower. The
newest closed opportunities are held out first to measure the chosen one
beside the stage's and the salesperson's probability; it is then refitted
on every closed one, and its log-odds shifted when the newest deals' win
rate has drifted from what it says of them. Explanations come from the
logistic regression (additive, so each factor has its own share). Fewer
than MIN_CLOSED closed rows (or only one outcome): no model, the stage
probability is used and the reason says so.
"""
import hashlib
import hmac
import io

import joblib
import numpy
import sklearn
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from . import win_boost

MIN_CLOSED = 50
TEST_SHARE = 0.25
CALIBRATION_BINS = 5
TOP_FACTORS = 3
NONE = "(none)"
LOGISTIC, BOOSTING = "logistic", "boosting"

CATEGORICAL = ("source", "medium", "campaign", "campaign_type", "team", "salesperson",
               "country", "province", "city", "customer_class", "stage", "revenue_bucket")
NUMERIC = ("days_in_stage", "past_orders", "past_revenue", "overdue", "activities", "messages",
           "has_email", "has_phone")
LOG_SCALED = ("days_in_stage", "past_orders", "past_revenue", "overdue", "activities", "messages")
FLAGS = ("has_email", "has_phone")
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
_BUCKET_BOUNDS = numpy.array([upper for upper, _label in REVENUE_BUCKETS[1:-1]])
_BUCKET_LABELS = numpy.array([label for _upper, label in REVENUE_BUCKETS])


def revenue_bucket(amount):
    """The expected revenue as a bucket label ('0', '< 10k' ... '>= 1M')."""
    return str(revenue_buckets([amount])[0])


def revenue_buckets(amounts):
    """revenue_bucket of each amount, as a numpy array of labels."""
    amounts = numpy.nan_to_num(numpy.asarray(amounts, dtype=float))
    codes = numpy.searchsorted(_BUCKET_BOUNDS, amounts, side="right") + 1
    codes[amounts <= 0] = 0
    return _BUCKET_LABELS[codes]


def history_before(order_partners, order_times, order_amounts, partners, times):
    """(counts, totals): for each (partner, time), how many of the orders
    (order_partners, order_times, order_amounts: columns) that partner
    placed strictly before `time`, and their total amount. Partners are
    integer ids, times integer seconds. Sorted once, then one binary search
    per row, whatever the number of orders."""
    partners = numpy.asarray(partners, dtype=numpy.int64)
    times = numpy.asarray(times, dtype=numpy.int64)
    order_partners = numpy.asarray(order_partners, dtype=numpy.int64)
    order_times = numpy.asarray(order_times, dtype=numpy.int64)
    counts = numpy.zeros(len(partners), dtype=numpy.int64)
    totals = numpy.zeros(len(partners))
    if not len(order_partners) or not len(partners):
        return counts, totals
    # one sorted key per order: the partner's rank, then the time within it
    low = min(order_times.min(), times.min())
    span = max(order_times.max(), times.max()) - low + 1
    known, rank = numpy.unique(order_partners, return_inverse=True)
    keys = rank * span + (order_times - low)
    order = numpy.argsort(keys, kind="stable")
    keys = keys[order]
    running = numpy.concatenate([[0.0], numpy.cumsum(numpy.asarray(order_amounts, dtype=float)[order])])
    found_rank = numpy.minimum(numpy.searchsorted(known, partners), len(known) - 1)
    found = known[found_rank] == partners
    first = numpy.searchsorted(keys, found_rank[found] * span, side="left")
    before = numpy.searchsorted(keys, found_rank[found] * span + (times[found] - low), side="left")
    counts[found] = before - first
    totals[found] = running[before] - running[first]
    return counts, totals


def _empty(value):
    return value is None or value is False or value == ""


def frame_of(data, keys=None):
    """A frame (dict of numpy arrays of one length) from a frame or from a
    list of dict rows; `revenue_bucket` is derived from `expected_revenue`."""
    if isinstance(data, dict) and "__len__" in data:
        return data
    if isinstance(data, dict):
        frame = {key: numpy.asarray(values) if not isinstance(values, numpy.ndarray) else values
                 for key, values in data.items()}
        length = len(next(iter(frame.values()))) if frame else 0
    else:
        rows = list(data)
        length = len(rows)
        names = set(keys or ())
        for row in rows:
            names.update(row)
        frame = {}
        for key in names:
            values = [row.get(key) for row in rows]
            column = numpy.empty(length, dtype=object)
            column[:] = values
            frame[key] = _tighten(column)
    frame["__len__"] = length
    if "revenue_bucket" not in frame:
        frame["revenue_bucket"] = revenue_buckets(frame.get("expected_revenue", numpy.zeros(length)))
    return frame


def _tighten(column):
    """An object column as ints or floats when every value is one, else as it is."""
    values = column.tolist()
    if values and all(type(value) is int for value in values):
        return numpy.asarray(values, dtype=numpy.int64)
    if values and all(type(value) in (int, float) for value in values):
        return numpy.asarray(values, dtype=float)
    return column


def _length(frame):
    return frame["__len__"]


def categories(frame, key, kind=None):
    """The column `key` as categories: integers stay integers (0 = none),
    anything else becomes text ('(none)' when empty). `kind` is the numpy
    kind the encoder was fitted on ('i' or 'U'), to read new data alike."""
    length = _length(frame)
    column = frame.get(key)
    if column is None:
        return numpy.zeros(length, dtype=numpy.int64) if kind == "i" else numpy.full(length, NONE)
    is_int = column.dtype.kind in "iu"
    if kind == "i" or (kind is None and is_int):
        if is_int:
            return column.astype(numpy.int64, copy=False)
        return numpy.array([value if type(value) is int else (0 if _empty(value) else -1)
                            for value in column.tolist()], dtype=numpy.int64)
    if column.dtype.kind == "U":
        return numpy.where(column == "", NONE, column)
    return numpy.array([NONE if _empty(value) else str(value) for value in column.tolist()])


def numbers(frame, key, log=False, flag=False):
    """The column `key` as floats (empty = 0), log1p of its positive part
    when `log`, 1/0 when `flag`."""
    column = frame.get(key)
    if column is None:
        return numpy.zeros(_length(frame))
    if column.dtype.kind == "O":
        column = numpy.array([0.0 if _empty(value) else
                              (1.0 if value is True else float(value) if not isinstance(value, str)
                               else 1.0) for value in column.tolist()])
    values = numpy.nan_to_num(column.astype(float))
    if flag:
        return (values != 0).astype(float)
    if log:
        return numpy.log1p(numpy.maximum(values, 0.0))
    return values


class FeatureEncoder(BaseEstimator, TransformerMixin):
    """A frame to a sparse matrix: one column per category seen in training
    (scikit-learn's OneHotEncoder, unknown categories ignored) and one per
    number. `keys_` names the feature of each column."""

    def __init__(self, categorical=CATEGORICAL, numeric=NUMERIC, log_scaled=LOG_SCALED,
                 flags=FLAGS):
        self.categorical = categorical
        self.numeric = numeric
        self.log_scaled = log_scaled
        self.flags = flags

    def fit(self, frame, y=None):
        frame = frame_of(frame)
        self.encoders_ = {}
        self.keys_ = []
        for key in self.categorical:
            values = categories(frame, key)
            encoder = OneHotEncoder(handle_unknown="ignore", dtype=numpy.float64)
            self.encoders_[key] = encoder.fit(values.reshape(-1, 1))
            self.keys_.extend([key] * len(encoder.categories_[0]))
        self.keys_.extend(self.numeric)
        return self

    def kind(self, key):
        return "i" if self.encoders_[key].categories_[0].dtype.kind in "iu" else "U"

    def columns(self, frame):
        """{key: the values the encoder reads} of a frame (categories as encoded)."""
        frame = frame_of(frame)
        result = {key: categories(frame, key, self.kind(key)) for key in self.categorical}
        for key in self.numeric:
            result[key] = numbers(frame, key)
        return result

    def transform(self, frame):
        frame = frame_of(frame)
        blocks = [self.encoders_[key].transform(categories(frame, key, self.kind(key)).reshape(-1, 1))
                  for key in self.categorical]
        if self.numeric:
            blocks.append(sparse.csr_matrix(numpy.column_stack([
                numbers(frame, key, key in self.log_scaled, key in self.flags)
                for key in self.numeric])))
        return sparse.hstack(blocks, format="csr")


def make_pipeline(encoder=None):
    return Pipeline([
        ("vectorize", encoder or FeatureEncoder()),
        ("scale", StandardScaler(with_mean=False)),
        ("classify", LogisticRegression(C=0.5, max_iter=1000)),
    ])


def closed_mask(frame):
    won = frame.get("won")
    if won is None:
        return numpy.zeros(_length(frame), dtype=bool)
    if won.dtype.kind == "b":
        return numpy.ones(len(won), dtype=bool)
    return numpy.array([value is not None for value in won.tolist()], dtype=bool)


def outcomes(frame, index):
    return numpy.array([1 if value else 0 for value in frame["won"][index].tolist()])


def _dates(frame, index):
    column = frame.get("close_date")
    if column is None:
        return numpy.arange(len(index))
    column = column[index]
    if column.dtype.kind == "O":
        column = numpy.array([str(value or "") for value in column.tolist()])
    return column


def split_index(frame, test_share=TEST_SHARE):
    """(older, newer) positions of the closed rows by close date: the newest
    `test_share` are held out."""
    closed = numpy.flatnonzero(closed_mask(frame))
    ordered = closed[numpy.argsort(_dates(frame, closed), kind="stable")]
    cut = len(ordered) - int(round(len(ordered) * test_share))
    return ordered[:cut], ordered[cut:]


def time_split(rows, test_share=TEST_SHARE):
    """(older, newer) closed dict rows by close date: the newest `test_share` are held out."""
    rows = list(rows)
    older, newer = split_index(frame_of(rows), test_share)
    return [rows[i] for i in older], [rows[i] for i in newer]


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


def _percent(frame, key, index=None):
    values = numbers(frame, key)
    if index is not None:
        values = values[index]
    return numpy.clip(values, 0.0, 100.0) / 100.0


# Signatures: a fitted pipeline is a pickle, which runs code when it is read.
# The addon signs what it writes (HMAC-SHA256, key from the database secret)
# and reads only what it signed.

class BadSignature(ValueError):
    """The bytes are unsigned, or their signature is not the key's."""


def derive_key(secret, purpose):
    """A key for one `purpose` (text) derived from `secret` (text or bytes),
    so that a signature made for one purpose is worth nothing for another."""
    if not secret:
        raise ValueError("a signing key needs a secret")
    if isinstance(secret, str):
        secret = secret.encode("utf-8")
    return hmac.new(secret, purpose.encode("utf-8"), hashlib.sha256).digest()


def sign(key, data):
    """The signature (64 hex digits) of `data` (bytes) with `key` (bytes)."""
    if not key:
        raise ValueError("signing needs a key")
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def verify(key, data, signature):
    """True if `signature` is the one `key` makes of `data`; False when any
    of them is missing. Compared in constant time."""
    if not key or not data or not signature or not isinstance(signature, (str, bytes)):
        return False
    if isinstance(signature, str):
        signature = signature.encode("utf-8", "replace")
    return hmac.compare_digest(sign(key, data).encode("ascii"), signature)


def check_signature(key, data, signature):
    """`data` when verify() accepts it, else BadSignature."""
    if not verify(key, data, signature):
        raise BadSignature("the signature is missing or does not match")
    return data


class WinModel(object):
    """A fitted pipeline and the field labels its explanations use. The
    scaler's means are the average opportunity that explanations are
    measured from. When gradient boosting was chosen (`kind`), `booster`
    gives the probabilities and the logistic pipeline still explains them;
    `offset` is added to the log-odds of every probability (drift)."""

    def __init__(self, pipeline, labels=None, booster=None, offset=0.0, kind=LOGISTIC):
        self.pipeline = pipeline
        self.labels = dict(DEFAULT_LABELS, **(labels or {}))
        self.sklearn_version = sklearn.__version__
        self.booster, self.offset, self.kind = booster, offset, kind

    @property
    def encoder(self):
        return self.pipeline.named_steps["vectorize"]

    def predict(self, data):
        """Win probability (0..1) of each row of `data` (frame or dict rows)."""
        frame = frame_of(data)
        if not _length(frame):
            return []
        return self._probabilities(frame, self.encoder.transform(frame))

    def _weights(self):
        """(keys, W, offset): contributions = X @ W - offset, one column per key."""
        if getattr(self, "_weights_cache", None) is None:
            scaler = self.pipeline.named_steps["scale"]
            coefficients = self.pipeline.named_steps["classify"].coef_[0] / scaler.scale_
            keys = list(dict.fromkeys(self.encoder.keys_))
            position = {key: index for index, key in enumerate(keys)}
            columns = numpy.array([position[key] for key in self.encoder.keys_])
            weights = sparse.csr_matrix((coefficients, (numpy.arange(len(columns)), columns)),
                                        shape=(len(columns), len(keys)))
            offset = numpy.bincount(columns, weights=scaler.mean_ * coefficients, minlength=len(keys))
            self._weights_cache = (keys, weights, offset)
        return self._weights_cache

    def contributions(self, data, encoded=None):
        """(keys, matrix): per row and feature key, the log-odds it adds
        against an average opportunity."""
        keys, weights, offset = self._weights()
        if encoded is None:
            encoded = self.encoder.transform(frame_of(data))
        return keys, numpy.asarray((encoded @ weights).todense()) - offset

    def _probabilities(self, frame, encoded):
        if self.booster is not None:
            predicted = self.booster.predict(self.encoder.columns(frame))
        else:
            scale, classify = self.pipeline.named_steps["scale"], self.pipeline.named_steps["classify"]
            predicted = classify.predict_proba(scale.transform(encoded))[:, 1]
        return win_boost.shifted(predicted, self.offset).tolist()

    def explain(self, data, top=TOP_FACTORS, names=None):
        """Per row, the `top` factors that moved its score most:
        [(label, shown value, +1 up / -1 down, log-odds)], largest first.
        `names` {key: {value: text}} shows ids as names."""
        frame = frame_of(data)
        if not _length(frame):
            return []
        keys, matrix = self.contributions(frame)
        return self._explain(frame, keys, matrix, top, names)

    def _explain(self, frame, keys, matrix, top, names):
        order = _top(matrix, top)
        columns = self.encoder.columns(frame)
        shown = _Shown(columns, names or {}, frame)
        labels = [self.labels.get(key, key) for key in keys]
        explained = []
        for row, line in enumerate(order.tolist()):
            explained.append([(labels[k], shown(keys[k], row), 1 if matrix[row, k] > 0 else -1,
                               float(matrix[row, k])) for k in line])
        return explained

    def score(self, data, top=TOP_FACTORS, names=None):
        """[(probability 0..1, factors text)] of each row."""
        return list(zip(*self.score_columns(data, top, names)))

    def score_columns(self, data, top=TOP_FACTORS, names=None):
        """(probabilities 0..1, factors texts): a list each, one value per row."""
        frame = frame_of(data)
        if not _length(frame):
            return [], []
        encoded = self.encoder.transform(frame)
        keys, matrix = self.contributions(frame, encoded)
        return self._probabilities(frame, encoded), self._texts(frame, keys, matrix, top, names)

    def _texts(self, frame, keys, matrix, top, names):
        """The factors text of each row, without a Python step per row: each
        factor (feature, value, direction) is numbered, each distinct
        combination of a row's factors is written once."""
        rows = len(matrix)
        order = _top(matrix, top)
        ups = (numpy.take_along_axis(matrix, order, axis=1) > 0).astype(numpy.int64)
        shown = _Shown(self.encoder.columns(frame), names or {}, frame)
        codes = numpy.zeros(order.shape, dtype=numpy.int64)
        pieces = []
        for k, key in enumerate(keys):
            cells = numpy.nonzero(order == k)
            if not len(cells[0]):
                continue
            values, inverse = numpy.unique(shown.columns[key][cells[0]], return_inverse=True)
            codes[cells] = len(pieces) + 2 * inverse + ups[cells]
            label = self.labels.get(key, key)
            for value in values.tolist():
                text = shown.text(key, value)
                pieces.extend((_factor(label, text, -1), _factor(label, text, 1)))
        combinations, inverse = numpy.unique(codes, axis=0, return_inverse=True)
        texts = numpy.array(["; ".join(pieces[code] for code in line)
                             for line in combinations.tolist()] or [""], dtype=object)
        return texts[inverse.reshape(rows)].tolist()

    def dumps(self):
        """Bytes of the scikit-learn pipeline and labels (joblib); loads()
        takes them back with their signature (sign())."""
        buffer = io.BytesIO()
        joblib.dump({"pipeline": self.pipeline, "labels": self.labels,
                     "sklearn_version": self.sklearn_version, "booster": self.booster,
                     "offset": self.offset, "kind": self.kind}, buffer)
        return buffer.getvalue()

    @classmethod
    def loads(cls, data, key, signature):
        """The model saved by dumps(), from bytes that `signature` signs with
        `key` (see sign()): they are a pickle, which can run code,
        so anything else raises BadSignature before it is read."""
        saved = joblib.load(io.BytesIO(check_signature(key, data, signature)))
        model = cls(saved["pipeline"], saved["labels"], saved.get("booster"),
                    saved.get("offset", 0.0), saved.get("kind", LOGISTIC))
        model.sklearn_version = saved["sklearn_version"]
        return model


class _Shown(object):
    """The value of a feature of a row as shown in an explanation, cached per value."""

    def __init__(self, columns, names, frame):
        self.columns, self.names, self.frame = columns, names, frame
        self.cache = {}

    def __call__(self, key, row):
        value = self.columns[key][row].item()
        cached = self.cache.get((key, value))
        if cached is None:
            cached = self.cache[(key, value)] = self.text(key, value)
        return cached

    def text(self, key, value):
        if key in FLAGS:
            return "yes" if value else "no"
        if isinstance(value, float):
            return ("%d" % value) if value == int(value) else ("%.1f" % value)
        if value in (0, NONE):
            return NONE
        return str(self.names.get(key, {}).get(value, value))


def _top(matrix, top):
    """Per row, the columns of the `top` largest absolute values, largest
    first: those `top` found without sorting the row, then sorted."""
    weights = -numpy.abs(matrix)
    if top >= weights.shape[1]:
        return numpy.argsort(weights, axis=1, kind="stable")[:, :top]
    chosen = numpy.argpartition(weights, top - 1, axis=1)[:, :top]
    order = numpy.argsort(numpy.take_along_axis(weights, chosen, axis=1), axis=1, kind="stable")
    return numpy.take_along_axis(chosen, order, axis=1)


def _factor(label, value, sign):
    """'↑ Campaign Type: Trade Show' (sign > 0) or '↓ ...'."""
    return "%s %s: %s" % ("↑" if sign > 0 else "↓", label, value)


def format_factors(factors):
    """'↑ Campaign Type: Trade Show; ↓ Days in Stage: 40; ...'"""
    return "; ".join(_factor(label, value, sign) for label, value, sign, _weight in factors)


class _Fitter(object):
    """Fits and applies either candidate on rows (positions) of the closed
    opportunities, encoded once: the scaled one-hot matrix for the logistic
    regression, the encoder's columns for gradient boosting."""

    def __init__(self, classify, scaled, columns, encoder):
        self.classify, self.scaled, self.columns, self.encoder = classify, scaled, columns, encoder

    def fit(self, kind, rows, outcomes):
        """`rows` in time order, `outcomes` theirs."""
        if kind == BOOSTING:
            newest = slice(max(len(rows) - win_boost.MAX_BOOSTING_ROWS, 0), None)
            return win_boost.BoostedClassifier(self.encoder.categorical, self.encoder.numeric).fit(
                win_boost.subset(self.columns, rows[newest]), outcomes[newest])
        return clone(self.classify).fit(self.scaled[rows], outcomes)

    def predict(self, kind, fitted, rows):
        if kind == BOOSTING:
            return fitted.predict(win_boost.subset(self.columns, rows))
        return fitted.predict_proba(self.scaled[rows])[:, 1]


def _select(fitter, outcomes, older, test_share, candidates):
    """(kind, selection): fitted on the older rows but the newest
    `test_share` of them, measured by log loss on those: boosting when it is
    at least win_boost.BOOSTING_GAIN lower, else the logistic regression.
    Boosting is tried from win_boost.MIN_BOOSTING_ROWS rows on."""
    cut = len(older) - int(round(len(older) * test_share))
    fit_rows, validation = older[:cut], older[cut:]
    selection = {"validation": len(validation), "loss": {}}
    y_fit = outcomes[fit_rows]
    if not len(validation) or len(set(y_fit.tolist())) < 2:
        selection["note"] = "logistic regression (too little history to compare with boosting)"
        return LOGISTIC, selection
    kinds = [LOGISTIC] + ([BOOSTING] if BOOSTING in candidates
                          and len(fit_rows) >= win_boost.MIN_BOOSTING_ROWS else [])
    if len(kinds) == 1:
        selection["note"] = "logistic regression" if BOOSTING not in candidates else (
            "logistic regression (boosting is tried from %d closed opportunities)"
            % win_boost.MIN_BOOSTING_ROWS)
        return LOGISTIC, selection
    for kind in kinds:
        fitted = fitter.fit(kind, fit_rows, y_fit)
        selection["loss"][kind] = win_boost.loss(outcomes[validation], fitter.predict(kind, fitted, validation))
    gain = 1.0 - selection["loss"][BOOSTING] / selection["loss"][LOGISTIC]
    kind = BOOSTING if gain >= win_boost.BOOSTING_GAIN else LOGISTIC
    selection["note"] = "%s chosen: validation log loss %.3f (logistic) vs %.3f (boosting)" % (
        "gradient boosting" if kind == BOOSTING else "logistic regression",
        selection["loss"][LOGISTIC], selection["loss"][BOOSTING])
    return kind, selection


def train(data, labels=None, min_closed=MIN_CLOSED, test_share=TEST_SHARE, encoder=None,
          candidates=(LOGISTIC, BOOSTING), drift=True):
    """Train on the closed rows of `data` (frame or dict rows). Returns a
    dict: fallback (bool), message, model (WinModel or None), counts,
    split_date, metrics {model|stage|salesperson|base_rate: {auc, brier}}
    and calibration {model|stage|salesperson: table}, both on the held-out
    newest rows; kind (LOGISTIC or BOOSTING), selection {validation: rows,
    loss: {kind: log loss}, note}, offset (log-odds shift for drift, 0 when
    none), recent_rate and predicted_rate of the newest rows. `encoder`: a
    FeatureEncoder for other features than an opportunity's. `candidates`:
    the kinds to choose from; `drift`: False leaves the output unshifted.
    Rows are encoded once; the held-out logistic regression is the starting
    point of the final one."""
    frame = frame_of(data)
    closed = numpy.flatnonzero(closed_mask(frame))
    labels_all = numpy.zeros(_length(frame), dtype=int)
    labels_all[closed] = outcomes(frame, closed)
    won = int(labels_all[closed].sum())
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
    older, newer = split_index(frame, test_share)
    close_dates = frame.get("close_date")
    split_date = close_dates[newer[0]] if len(newer) and close_dates is not None else None
    result.update(train=len(older), test=len(newer),
                  split_date=split_date.item() if hasattr(split_date, "item") else split_date)
    pipeline = make_pipeline(encoder)
    encode, scale, classify = [step for _name, step in pipeline.steps]
    if len(closed) == _length(frame):  # only closed rows (the database's training read): no copy
        closed_frame = dict(frame)
    else:
        closed_frame = {key: values[closed] if isinstance(values, numpy.ndarray) else values
                        for key, values in frame.items()}
    closed_frame["__len__"] = len(closed)
    # vocabulary and scale of every closed row (no outcome is used for them)
    scaled = scale.fit(encode.fit(closed_frame).transform(closed_frame)).transform(
        encode.transform(closed_frame))
    fitter = _Fitter(classify, scaled, encode.columns(closed_frame), encode)
    position = numpy.empty(_length(frame), dtype=int)
    position[closed] = numpy.arange(len(closed))
    older, newer = position[older], position[newer]
    closed_labels = labels_all[closed]
    kind, selection = _select(fitter, closed_labels, older, test_share, candidates)
    result.update(kind=kind, selection=selection)
    notes = [selection["note"]]
    start = None
    y_older = closed_labels[older]
    if len(newer) and len(set(y_older.tolist())) > 1:
        held_out = fitter.fit(kind, older, y_older)
        start = held_out if kind == LOGISTIC else None
        recent = older[len(older) - selection["validation"]:]
        offset = win_boost.drift_offset(closed_labels[recent], fitter.predict(kind, held_out, recent))[0] \
            if drift else 0.0
        y_newer = closed_labels[newer]
        predicted = win_boost.shifted(fitter.predict(kind, held_out, newer), offset)
        base_rate = float(y_older.mean())
        candidates = {"model": predicted, "stage": _percent(closed_frame, "stage_probability", newer),
                      "salesperson": _percent(closed_frame, "probability", newer),
                      "base_rate": numpy.full(len(newer), base_rate)}
        for name, predictions in candidates.items():
            result["metrics"][name] = evaluate(y_newer, predictions)
            if name != "base_rate":
                result["calibration"][name] = calibration_table(y_newer, predictions)
    else:
        notes.append("the older opportunities have a single outcome: not evaluated")
    if start is not None:
        classify.set_params(warm_start=True)
        classify.coef_, classify.intercept_ = start.coef_.copy(), start.intercept_.copy()
        classify.classes_ = start.classes_
    classify.fit(scaled, closed_labels)
    classify.set_params(warm_start=False)
    in_time = numpy.concatenate([older, newer])
    booster = fitter.fit(BOOSTING, in_time, closed_labels[in_time]) if kind == BOOSTING else None
    final = classify if booster is None else booster
    offset, recent_rate, said = win_boost.drift_offset(
        closed_labels[newer], fitter.predict(kind, final, newer)) if drift and len(newer) else (0.0, None, None)
    result.update(offset=offset, recent_rate=recent_rate, predicted_rate=said)
    if offset:
        notes.append("the newest %d closed opportunities won %.0f%% where the model said %.0f%%: its "
                     "log-odds are shifted by %+.2f" % (len(newer), 100 * recent_rate, 100 * said, offset))
    result.update(fallback=False, model=WinModel(pipeline, labels, booster, offset, kind))
    result["message"] = "Trained on %d closed opportunities (%d won), tested on the newest %d." % (
        len(closed), won, len(newer)) + " " + "; ".join(notes) + "."
    return result


def score(model, data, fallback_reason=None, top=TOP_FACTORS, names=None):
    """[(probability 0..1, factors text)] of each row (frame or dict rows);
    without a model the stage probability and `fallback_reason`."""
    return list(zip(*score_columns(model, data, fallback_reason, top, names)))


def score_columns(model, data, fallback_reason=None, top=TOP_FACTORS, names=None):
    """score() as two lists: probabilities 0..1 and factors texts."""
    if model is None:
        probabilities = _percent(frame_of(data), "stage_probability").tolist()
        return probabilities, [fallback_reason or "No win model: stage probability."] * len(probabilities)
    return model.score_columns(data, top, names)
