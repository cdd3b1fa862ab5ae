"""The numpy CRF gives exactly CRFsuite's Viterbi paths."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import numpy as np
import pycrfsuite
import pytest

from marsad.ner.crf import LinearChainCRF


def _synthetic(n: int, seed: int) -> tuple[list[list[list[str]]], list[list[str]]]:
    """Sequences whose labels depend on the word and its left neighbour."""
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(30)]
    xs, ys = [], []
    for _ in range(n):
        words = [rng.choice(vocab) for _ in range(rng.randint(1, 12))]
        labels = []
        for i, w in enumerate(words):
            k = int(w[1:])
            if k < 5:
                labels.append("B-PER")
            elif k < 9 and i and labels[-1] in ("B-PER", "I-PER"):
                labels.append("I-PER")
            elif k % 7 == 0:
                labels.append("B-LOC")
            else:
                labels.append("O")
        feats = [[f"w={w}", f"p={words[i - 1] if i else '<s>'}", "bias"] for i, w in enumerate(words)]
        xs.append(feats)
        ys.append(labels)
    return xs, ys


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, LinearChainCRF]:
    xs, ys = _synthetic(300, 1)
    trainer = pycrfsuite.Trainer(verbose=False)
    for x, y in zip(xs, ys, strict=True):
        trainer.append(x, y)
    # little regularisation and few iterations: a model that still errs
    trainer.set_params({"c1": 0.5, "c2": 0.5, "max_iterations": 15, "feature.possible_transitions": True})
    path = tmp_path_factory.mktemp("crf") / "m.crfsuite"
    trainer.train(str(path))
    return path, LinearChainCRF.from_crfsuite(str(path))


def test_same_paths_as_crfsuite(model: tuple[Path, LinearChainCRF]) -> None:
    path, crf = model
    ref = pycrfsuite.Tagger()
    ref.open(str(path))
    xs, _ = _synthetic(200, 2)
    xs.append([["w=unseen", "p=<s>", "bias"]])
    ours = crf.viterbi([crf.sum_groups(x) for x in xs])
    assert ours == [ref.tag(x) for x in xs]
    assert crf.viterbi([np.zeros((0, len(crf.labels)), dtype=np.float32)]) == [[]]


def test_viterbi_is_the_argmax(model: tuple[Path, LinearChainCRF]) -> None:
    _, crf = model
    rng = np.random.default_rng(0)
    n_lab = len(crf.labels)
    for length in (1, 2, 4):
        e = rng.normal(size=(length, n_lab)).astype(np.float32)
        best = max(
            itertools.product(range(n_lab), repeat=length),
            key=lambda ys: sum(e[t, y] for t, y in enumerate(ys))
            + sum(crf.transitions[a, b] for a, b in itertools.pairwise(ys)),
        )
        assert crf.viterbi([e]) == [[crf.labels[y] for y in best]]


def test_round_trip_and_stack(model: tuple[Path, LinearChainCRF]) -> None:
    _, crf = model
    again = LinearChainCRF.from_arrays(crf.to_arrays())
    assert again.labels == crf.labels and again.attributes == crf.attributes
    assert np.array_equal(again.weights, crf.weights)
    both = LinearChainCRF.stack([crf, again])
    groups = [["w=w3", "p=w1", "bias"], ["no-such-feature"]]
    sums = both.sum_groups(groups)
    n = len(crf.labels)
    assert np.allclose(sums[:, :n], crf.sum_groups(groups))
    assert np.allclose(sums[:, n:], crf.sum_groups(groups))
    assert not sums[1].any()
