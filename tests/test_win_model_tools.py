"""The win model on generated opportunities, without a database."""
import io
import random
from datetime import date, timedelta

import joblib
import numpy
import pytest

from odoo.addons.crm_cn_lifecycle.tools import win_boost, win_model

SOURCES = ["Trade Show", "Website", "Cold Call", "Referral"]
STAGES = [("New", 10.0), ("Qualified", 30.0), ("Proposition", 60.0)]


def generated_world(count=400, seed=7):
    """Closed opportunities whose outcome follows a known rule: referrals and
    trade shows win, long stalls and overdue customers lose, the rest is noise.
    The salesperson's probability is a coin toss around the stage's."""
    rng = random.Random(seed)
    rows = []
    for index in range(count):
        source = rng.choice(SOURCES)
        stage, stage_probability = rng.choice(STAGES)
        days = rng.randint(0, 90)
        overdue = rng.choice([0.0, 0.0, 0.0, 50000.0])
        logit = -0.5 + {"Referral": 1.8, "Trade Show": 1.0, "Website": -0.5, "Cold Call": -1.5}[source]
        logit += -0.03 * (days - 45) - (1.5 if overdue else 0.0) + 0.02 * (stage_probability - 30)
        won = rng.random() < 1.0 / (1.0 + 2.718281828 ** -logit)
        rows.append({
            "won": won, "close_date": date(2025, 1, 1) + timedelta(days=index),
            "source": source, "medium": rng.choice(["Email", "Phone"]),
            "team": rng.choice(["South China", "Export"]), "salesperson": rng.choice(["Li", "Wang"]),
            "province": rng.choice(["Guangdong", "Zhejiang"]), "customer_class": "dealer",
            "stage": stage, "stage_probability": stage_probability,
            "probability": min(100.0, max(0.0, stage_probability + rng.uniform(-30, 30))),
            "days_in_stage": days, "overdue": overdue, "expected_revenue": rng.choice([5000, 80000]),
            "messages": rng.randint(0, 5), "has_email": rng.random() < 0.8,
        })
    return rows


def test_model_beats_the_base_rate_on_newer_deals():
    result = win_model.train(generated_world())
    assert not result["fallback"], result["message"]
    metrics = result["metrics"]
    assert metrics["model"]["auc"] > 0.7
    assert metrics["model"]["brier"] < metrics["base_rate"]["brier"]
    assert metrics["model"]["auc"] > metrics["salesperson"]["auc"]
    assert result["train"] == 300 and result["test"] == 100


def test_held_out_rows_are_the_newest():
    older, newer = win_model.time_split(generated_world(100))
    assert max(row["close_date"] for row in older) < min(row["close_date"] for row in newer)
    assert len(newer) == 25


def test_calibration_table_counts_every_held_out_row():
    result = win_model.train(generated_world())
    for name in ("model", "stage", "salesperson"):
        table = result["calibration"][name]
        assert len(table) == win_model.CALIBRATION_BINS
        assert sum(line[2] for line in table) == result["test"]


def test_scores_move_in_the_direction_of_the_signal():
    model = win_model.train(generated_world())["model"]
    good = {"source": "Referral", "stage": "Proposition", "days_in_stage": 2}
    bad = {"source": "Cold Call", "stage": "Proposition", "days_in_stage": 80, "overdue": 50000.0}
    p_good, p_bad = model.predict([good, bad])
    assert p_good > 0.7 > 0.3 > p_bad


def test_ten_closed_rows_fall_back_to_the_stage_probability():
    rows = generated_world(10)
    result = win_model.train(rows)
    assert result["fallback"] and result["model"] is None
    assert "Only 10 closed opportunities" in result["message"]
    scored = win_model.score(None, [{"stage_probability": 30.0}], result["message"])
    assert scored == [(0.3, result["message"])]


def test_a_single_outcome_falls_back():
    rows = generated_world(60)
    for row in rows:
        row["won"] = False
    result = win_model.train(rows)
    assert result["fallback"] and "were lost" in result["message"]


def test_explanations_name_real_fields():
    labels = {"source": "来源", "days_in_stage": "阶段天数"}
    model = win_model.train(generated_world(), labels=labels)["model"]
    factors = model.explain([{"source": "Cold Call", "days_in_stage": 85, "overdue": 50000.0}])[0]
    assert len(factors) == 3
    known = set(win_model.DEFAULT_LABELS.values()) | set(labels.values())
    assert {label for label, _value, _sign, _weight in factors} <= known
    assert ("来源", "Cold Call", -1) in [factor[:3] for factor in factors]
    text = win_model.score(model, [{"source": "Referral"}])[0][1]
    assert "↑ 来源: Referral" in text


def test_score_texts_are_the_explanations_of_each_row():
    rows = generated_world(count=300, seed=11)
    model = win_model.train(generated_world())["model"]
    texts = [text for _probability, text in win_model.score(model, rows)]
    assert texts == [win_model.format_factors(factors) for factors in model.explain(rows)]
    assert len(set(texts)) > 10


def test_history_counts_each_customers_orders_before_the_time():
    # partner 1 ordered 100 at t=10 and 50 at t=20; partner 2 ordered 7 at t=5
    orders = ([1, 2, 1], [20, 5, 10], [50.0, 7.0, 100.0])
    partners = [1, 1, 1, 2, 2, 3, 1]
    times = [15, 20, 21, 5, 6, 100, 9]
    counts, totals = win_model.history_before(*orders, partners, times)
    assert counts.tolist() == [1, 1, 2, 0, 1, 0, 0]
    assert totals.tolist() == [100.0, 100.0, 150.0, 0.0, 7.0, 0.0, 0.0]
    counts, totals = win_model.history_before([], [], [], partners, times)
    assert counts.tolist() == [0] * 7 and totals.tolist() == [0.0] * 7


def test_model_survives_a_round_trip_to_signed_bytes():
    model = win_model.train(generated_world())["model"]
    data = model.dumps()
    copy = win_model.WinModel.loads(data, KEY, win_model.sign(KEY, data))
    row = {"source": "Referral", "stage": "New"}
    assert copy.predict([row]) == model.predict([row])


KEY = win_model.derive_key("a database secret", "crm_cn_lifecycle.win_model")
PLANTED = []


def _planted(marker):
    """What a planted pickle runs when it is unpickled."""
    PLANTED.append(marker)


class _Planted(object):
    def __reduce__(self):
        return (_planted, ("planted pickle ran",))


def test_signature_accepts_the_signed_bytes_only():
    data = b"fitted pipeline bytes"
    signed = win_model.sign(KEY, data)
    assert len(signed) == 64
    assert win_model.verify(KEY, data, signed)
    assert win_model.check_signature(KEY, data, signed) == data
    flipped = bytes([data[0] ^ 1]) + data[1:]
    assert not win_model.verify(KEY, flipped, signed)
    other_key = win_model.derive_key("another database's secret", "crm_cn_lifecycle.win_model")
    other_purpose = win_model.derive_key("a database secret", "something else")
    assert not win_model.verify(other_key, data, signed)
    assert not win_model.verify(other_purpose, data, signed)
    for missing in (None, False, "", b""):
        assert not win_model.verify(KEY, data, missing)
    assert not win_model.verify(None, data, signed)
    assert not win_model.verify(KEY, data, signed[:-1] + ("0" if signed[-1] != "0" else "1"))
    assert not win_model.verify(KEY, data, "é" * 64)
    with pytest.raises(win_model.BadSignature):
        win_model.check_signature(KEY, flipped, signed)
    with pytest.raises(ValueError):
        win_model.derive_key("", "crm_cn_lifecycle.win_model")


def test_unsigned_or_tampered_pickle_is_refused_before_it_is_read():
    buffer = io.BytesIO()
    joblib.dump(_Planted(), buffer)
    planted = buffer.getvalue()
    model = win_model.train(generated_world())["model"]
    good = model.dumps()
    attempts = [(planted, None), (planted, ""), (planted, win_model.sign(KEY, good)),
                (planted, win_model.sign(win_model.derive_key("guessed", "crm_cn_lifecycle.win_model"),
                                         planted))]
    for data, signed in attempts:
        with pytest.raises(win_model.BadSignature):
            win_model.WinModel.loads(data, KEY, signed)
    with pytest.raises(win_model.BadSignature):
        win_model.WinModel.loads(good, None, win_model.sign(KEY, good))
    tampered = good[:-1] + bytes([good[-1] ^ 1])
    with pytest.raises(win_model.BadSignature):
        win_model.WinModel.loads(tampered, KEY, win_model.sign(KEY, good))
    assert PLANTED == []


def test_score_csv_checks_the_pipeline_on_any_deals_file(tmp_path, capsys):
    import csv
    import importlib.util
    import os
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bench", "score_csv.py")
    spec = importlib.util.spec_from_file_location("score_csv", path)
    score_csv = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score_csv)
    deals = tmp_path / "deals.csv"
    with open(str(deals), "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "closed_on", "source", "days_in_stage", "result"])
        for index, row in enumerate(generated_world(400)):
            writer.writerow([index, row["close_date"].isoformat(), row["source"], row["days_in_stage"],
                             "won" if row["won"] else "lost"])
    assert score_csv.main(["--csv", str(deals), "--target", "result", "--time", "closed_on",
                           "--drop", "id"]) == 0
    lines = capsys.readouterr().out.splitlines()
    model = next(line for line in lines if "model " in line and "AUC" in line).split()
    base = next(line for line in lines if "base rate" in line).split()
    assert "held out 100 newest rows, trained on 300 older" in "\n".join(lines)
    assert float(model[model.index("AUC") + 1]) > 0.7
    assert float(model[model.index("Brier") + 1]) < float(base[base.index("Brier") + 1])


def interaction_world(count=2000, seed=3, drift_from=None):
    """Closed deals whose outcome no sum of factors can describe: booths win
    with the South China team and lose with Export, mailings the reverse.
    From row `drift_from` on, every deal's odds are multiplied by e^1.5."""
    rng = numpy.random.RandomState(seed)
    source = rng.choice(["Trade Show", "Mailing"], count)
    team = rng.choice(["South China", "Export"], count)
    logit = numpy.where((source == "Trade Show") == (team == "South China"), 0.85, -1.4)
    if drift_from is not None:
        logit = logit + numpy.where(numpy.arange(count) >= drift_from, 1.5, 0.0)
    won = rng.rand(count) < 1.0 / (1.0 + numpy.exp(-logit))
    days = numpy.array([(date(2024, 1, 1) + timedelta(days=index // 4)).isoformat() for index in range(count)])
    return {"source": source, "team": team, "won": won, "close_date": days,
            "stage_probability": numpy.full(count, 50.0), "probability": numpy.full(count, 50.0)}


def two_factor_encoder():
    return win_model.FeatureEncoder(categorical=("source", "team"), numeric=(), log_scaled=(), flags=())


def test_boosting_is_chosen_where_the_factors_interact():
    result = win_model.train(interaction_world(), encoder=two_factor_encoder())
    assert result["kind"] == win_model.BOOSTING
    loss = result["selection"]["loss"]
    assert loss[win_model.BOOSTING] < loss[win_model.LOGISTIC] - 0.05
    assert "gradient boosting chosen" in result["message"]
    # a linear model says ~the base rate everywhere; the trees find the four cells
    assert result["metrics"]["model"]["auc"] > 0.7
    predicted = result["model"].predict({"source": numpy.array(["Trade Show", "Trade Show", "Mailing"]),
                                         "team": numpy.array(["South China", "Export", "Export"])})
    assert predicted[0] > 0.6 and predicted[1] < 0.3 and predicted[2] > 0.6


def test_boosting_is_not_tried_on_a_small_history():
    result = win_model.train(generated_world(300))
    assert result["kind"] == win_model.LOGISTIC
    assert result["selection"]["loss"] == {}
    assert "boosting is tried from 400" in result["message"]


def test_a_linear_world_keeps_the_logistic_regression():
    result = win_model.train(generated_world(1200))
    assert result["kind"] == win_model.LOGISTIC, result["selection"]


def test_drift_shifts_the_output_to_the_newest_win_rate():
    world = interaction_world(count=2400, drift_from=1600)
    result = win_model.train(world, encoder=two_factor_encoder(), candidates=(win_model.LOGISTIC,))
    newest = numpy.asarray(world["won"][-600:], dtype=float)
    assert result["offset"] > 0.5
    assert result["recent_rate"] == pytest.approx(newest.mean())
    assert result["predicted_rate"] < result["recent_rate"] - 0.1
    shifted = result["model"].predict({key: world[key][-600:] for key in ("source", "team")})
    assert numpy.mean(shifted) == pytest.approx(newest.mean(), abs=0.01)
    plain = win_model.train(world, encoder=two_factor_encoder(), candidates=(win_model.LOGISTIC,),
                            drift=False)
    assert plain["offset"] == 0.0
    # measured on held-out deals: the shift estimated before them helps
    assert result["metrics"]["model"]["brier"] < plain["metrics"]["model"]["brier"]


def test_no_drift_no_shift():
    offset, rate, said = win_boost.drift_offset([1, 0, 1, 0, 1, 0, 0, 1], [0.55] * 8)
    assert (offset, rate, said) == (0.0, 0.5, 0.55)
    offset, rate, said = win_boost.drift_offset([1] * 90 + [0] * 10, [0.5] * 100)
    assert offset == pytest.approx(2.1972, abs=1e-3)  # log(0.9 / 0.1)
    assert win_boost.shifted([0.5], offset)[0] == pytest.approx(0.9)


def test_boosted_model_survives_a_round_trip_to_signed_bytes():
    result = win_model.train(interaction_world(), encoder=two_factor_encoder())
    key = win_model.derive_key("secret", "win-model")
    blob = result["model"].dumps()
    loaded = win_model.WinModel.loads(blob, key, win_model.sign(key, blob))
    rows = {"source": numpy.array(["Trade Show", "Mailing"]), "team": numpy.array(["Export", "Export"])}
    assert loaded.kind == win_model.BOOSTING
    assert loaded.predict(rows) == result["model"].predict(rows)
    # explanations still name the factors (from the logistic regression)
    assert all("Source" in text or "Sales Team" in text for _p, text in loaded.score(rows))
