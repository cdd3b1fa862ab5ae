"""Bootstrap intervals of the event evaluation."""

from __future__ import annotations

from marsad.eval.events import EventScores


def _scores(n_tp: int, n_fp: int, n_fn: int, n_tn: int) -> EventScores:
    s = EventScores()
    s.counts["protests"] = [n_tp, n_fp, n_fn]
    s.figures["fatalities"] = [n_tp, n_tp, 0]
    rows = [(True, True)] * n_tp + [(True, False)] * n_fp + [(False, True)] * n_fn + [(False, False)] * n_tn
    for p, g in rows:
        s.outcomes.append(({"protests": (p, g)}, {"fatalities": (g and p, g and p)}))
    s.items = len(rows)
    return s


def test_interval_holds_the_estimate_and_narrows_with_more_data() -> None:
    small = _scores(8, 2, 2, 30)
    big = _scores(80, 20, 20, 300)
    f1 = small.prf("protests")[2]
    lo, hi = small.intervals()["protests"]
    assert lo < f1 < hi
    blo, bhi = big.intervals()["protests"]
    assert blo < big.prf("protests")[2] < bhi
    assert bhi - blo < (hi - lo) / 2
    assert small.intervals()["fatalities"] == (1.0, 1.0)  # every stated figure exact
    assert small.intervals(seed=3) == small.intervals(seed=3)
