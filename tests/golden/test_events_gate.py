"""Quality gate: the event and attribution readers on their evaluation sets.

The figures are pinned where they stand, so that they can only go up.  The
test files were never used for tuning (see their headers); the dev files
were.  The test figures are those measured the first time the readers ran on
them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.eval.attribution import evaluate_attributions
from marsad.eval.attribution import main as attribution_main
from marsad.eval.events import evaluate_events, load_set, main
from marsad.events.lexicon import EVENT_TYPES

SETS = Path(__file__).resolve().parents[1] / "data" / "events_eval"


@pytest.fixture(scope="module")
def test_scores():
    return evaluate_events(load_set(SETS / "test.jsonl"))


@pytest.fixture(scope="module")
def dev_scores():
    return evaluate_events(load_set(SETS / "dev.jsonl"))


@pytest.mark.parametrize("name", ["dev.jsonl", "test.jsonl"])
def test_event_sets_are_well_formed(name: str) -> None:
    items = load_set(SETS / name)
    assert len({it["id"] for it in items}) == len(items)
    for it in items:
        assert it["text"].strip()
        for e in it["events"]:
            assert e["type"] in EVENT_TYPES and (e["sub_type"] is None or e["sub_type"] in EVENT_TYPES[e["type"]])
        for f in ("fatalities", "injured", "displaced", "arrested"):
            assert it[f] is None or (isinstance(it[f], int) and it[f] > 0)


def test_sets_are_large_and_apart() -> None:
    dev, test = load_set(SETS / "dev.jsonl"), load_set(SETS / "test.jsonl")
    assert len(dev) + len(test) >= 300
    assert not {it["text"] for it in dev} & {it["text"] for it in test}
    negatives = [it for it in dev + test if not it["events"]]
    assert len(negatives) >= 100
    att = load_set(SETS / "attribution_dev.jsonl") + load_set(SETS / "attribution_test.jsonl")
    assert len(att) >= 60
    for it in att:
        for a in it["attributions"]:
            for span in [a["source"], a["cue"], *a["via"]]:
                assert it["text"][span["start"]:span["end"]] == span["text"], (it["id"], span)


def test_event_gate_on_test_set(test_scores) -> None:
    # pinned on the test set as extended by the second round of sentences (see its header)
    s = test_scores
    f1 = {name: s.prf(name)[2] for name in list(EVENT_TYPES) + ["violence"]}
    assert f1["violence"] >= 0.855, s.errors
    assert f1["protests"] >= 0.791, s.errors
    assert f1["displacement"] >= 0.416, s.errors
    assert f1["explosions_remote_violence"] >= 0.824
    # strategic developments fell from 0.716 when ceasefires and peace deals came to need a word of
    # agreeing near them (dev 0.851 → 0.898, flagged dev 0.42 → 0.53): a deliberate trade
    assert f1["battles"] >= 0.768 and f1["strategic_developments"] >= 0.688
    assert f1["violence_against_civilians"] >= 0.675 and f1["riots"] >= 0.666
    assert s.figures["fatalities"][:2] == [32, 25]  # fatalities exact in 25 of 32 sentences
    assert s.figure_accuracy("injured") >= 0.899 and s.figure_accuracy("arrested") >= 0.866
    assert s.figure_accuracy("displaced") >= 0.833


def test_event_gate_on_dev_set(dev_scores) -> None:
    s = dev_scores
    assert s.prf("violence")[2] >= 0.934 and s.prf("protests")[2] >= 0.883
    assert s.prf("strategic_developments")[2] >= 0.897 and s.prf("battles")[2] >= 0.867
    assert s.prf("violence_against_civilians")[2] >= 0.844
    assert s.prf("displacement")[2] >= 0.856
    assert s.figure_accuracy("fatalities") >= 0.957 and s.figure_accuracy("arrested") >= 0.999
    assert sum(f[2] for f in s.figures.values()) <= 1  # a figure where the gold states none: at most one


def test_event_gate_on_flagged_dev_set() -> None:
    s = evaluate_events(load_set(SETS / "dev_flagged.jsonl"))
    assert s.prf("violence")[0] >= 0.80 and s.prf("battles")[0] >= 0.63  # precision
    assert s.prf("strategic_developments")[0] >= 0.51


def test_attribution_gate() -> None:
    t = evaluate_attributions(load_set(SETS / "attribution_test.jsonl"))
    assert t.cue[2] >= 0.895 and t.source[2] >= 0.872, t.errors
    d = evaluate_attributions(load_set(SETS / "attribution_dev.jsonl"))
    assert d.cue[2] >= 0.965 and d.source[2] >= 0.965, d.errors


def test_main_prints_the_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(SETS / "test.jsonl")]) == 0
    out = capsys.readouterr().out
    assert "violence                           102   0.814   0.902   0.856   [0.80, 0.90]" in out
    assert "fatalities                          32      25   0.781       2" in out
    assert main([str(SETS / "missing.jsonl")]) == 2
    assert attribution_main([str(SETS / "attribution_test.jsonl")]) == 0
    assert "source (with its cue)   P 0.894  R 0.852  F1 0.873" in capsys.readouterr().out
