"""The win model on generated opportunities, without a database."""
import io
import random
from datetime import date, timedelta

import joblib
import pytest

from odoo.addons.crm_cn_lifecycle.tools import win_model

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
