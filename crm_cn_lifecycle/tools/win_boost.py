"""The second candidate of the win model and the drift correction, without a
database.

Deal histories are not linear (a campaign type may win with one team and
lose with another) and they drift (a market's win rate changes within a
year). tools/win_model.train() therefore fits, besides its regularised
logistic regression, scikit-learn's HistGradientBoostingClassifier on the
same features (categories as their own codes, numbers as they are), keeps
whichever has the lower log loss on a time-ordered validation split, and
shifts the log-odds of its output when the newest deals' win rate differs
from what the model says of them by more than chance explains.
"""
import numpy
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import threadpool_limits
from sklearn.metrics import log_loss

MAX_CODES = 254
"""Categories kept per feature (the most frequent); the others are 'missing'."""
MIN_BOOSTING_ROWS = 400
"""Fewer closed rows to fit on than this: boosting is not tried."""
MAX_BOOSTING_ROWS = 200000
"""Boosting fits on the newest this many rows (time and memory stay bounded;
the newest deals are the ones that matter under drift)."""
BOOSTING_GAIN = 0.02
"""Boosting replaces the logistic regression (simpler, and its factors are
its own) only when its validation log loss is at least this share lower."""
DRIFT_Z = 2.0
"""The newest win rate must differ from the predicted mean by this many standard errors."""
MAX_OFFSET = 10.0


class BoostedClassifier(object):
    """Gradient boosting on the columns a win_model.FeatureEncoder reads:
    each category mapped to a code (its rank by frequency in training),
    numbers raw (trees need no scaling)."""

    def __init__(self, categorical, numeric, random_state=0):
        self.categorical = tuple(categorical)
        self.numeric = tuple(numeric)
        self.random_state = random_state

    def _matrix(self, columns):
        blocks = []
        for key in self.categorical:
            known = self.codes_[key]
            values = columns[key]
            position = numpy.searchsorted(known["sorted"], values)
            position = numpy.minimum(position, len(known["sorted"]) - 1)
            found = known["sorted"][position] == values
            blocks.append(numpy.where(found, known["code"][position], numpy.nan))
        blocks.extend(numpy.asarray(columns[key], dtype=float) for key in self.numeric)
        return numpy.column_stack(blocks) if blocks else numpy.zeros((0, 0))

    def fit(self, columns, outcomes):
        self.codes_ = {}
        for key in self.categorical:
            values, counts = numpy.unique(columns[key], return_counts=True)
            kept = values[numpy.argsort(-counts, kind="stable")[:MAX_CODES]]
            order = numpy.argsort(kept, kind="stable")
            self.codes_[key] = {"sorted": kept[order], "code": order.astype(float)}
        mask = numpy.array([True] * len(self.categorical) + [False] * len(self.numeric))
        self.classifier_ = HistGradientBoostingClassifier(
            categorical_features=mask if mask.any() else None, max_iter=150, learning_rate=0.08,
            max_leaf_nodes=15, min_samples_leaf=20, l2_regularization=1.0,
            early_stopping=False, random_state=self.random_state)
        with threadpool_limits(limits=1, user_api="openmp"):
            self.classifier_.fit(self._matrix(columns), numpy.asarray(outcomes))
        return self

    def predict(self, columns):
        """Win probability (0..1) of each row. One OpenMP thread: Odoo's
        workers share the machine's cores, and OpenMP threads spinning
        beside them made fitting 10 times slower on a loaded machine."""
        with threadpool_limits(limits=1, user_api="openmp"):
            return self.classifier_.predict_proba(self._matrix(columns))[:, 1]


def subset(columns, index):
    return {key: values[index] for key, values in columns.items()}


def loss(outcomes, predictions):
    """Log loss of predictions in 0..1 (clipped away from 0 and 1)."""
    return float(log_loss(outcomes, numpy.clip(predictions, 1e-6, 1 - 1e-6), labels=[0, 1]))


def logit(predictions):
    predictions = numpy.clip(numpy.asarray(predictions, dtype=float), 1e-6, 1 - 1e-6)
    return numpy.log(predictions / (1.0 - predictions))


def shifted(predictions, offset):
    """Predictions with `offset` added to their log-odds."""
    if not offset:
        return numpy.asarray(predictions, dtype=float)
    return 1.0 / (1.0 + numpy.exp(-(logit(predictions) + offset)))


def drift_offset(outcomes, predictions, z=DRIFT_Z):
    """(offset, recent rate, predicted mean): the log-odds shift that makes
    the mean prediction of these (newest) rows equal their win rate, or 0
    when the difference is within `z` standard errors of the rate."""
    outcomes = numpy.asarray(outcomes, dtype=float)
    predictions = numpy.asarray(predictions, dtype=float)
    if not len(outcomes):
        return 0.0, None, None
    rate, said = float(outcomes.mean()), float(predictions.mean())
    spread = max(rate * (1.0 - rate), 1.0 / len(outcomes)) / len(outcomes)
    if abs(rate - said) <= z * spread ** 0.5:
        return 0.0, rate, said
    rate = min(max(rate, 0.5 / len(outcomes)), 1.0 - 0.5 / len(outcomes))
    low, high = -MAX_OFFSET, MAX_OFFSET
    for _step in range(60):  # the mean is increasing in the offset: bisection
        middle = (low + high) / 2.0
        if shifted(predictions, middle).mean() < rate:
            low = middle
        else:
            high = middle
    return (low + high) / 2.0, float(outcomes.mean()), said
