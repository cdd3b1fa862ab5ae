"""Fast inference for a linear-chain CRF trained by CRFsuite.

CRFsuite scores a label sequence ``y`` over items with binary attributes as
``Σ_t Σ_{a ∈ x_t} W[a, y_t] + Σ_t T[y_{t-1}, y_t]`` and tags by Viterbi.
:class:`LinearChainCRF` holds the same weights as numpy arrays and computes
the same argmax, but lets the caller sum a word's weights once per word type
(features that depend on one word only), so that a token costs a few vector
additions; Viterbi runs over a whole batch of sentences at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["LinearChainCRF", "sum_rows"]


def sum_rows(table: np.ndarray, index: dict[str, int], groups: list[list[str]]) -> np.ndarray:
    """For each list of keys, the sum of the rows of ``table`` that ``index``
    gives for them (unknown keys count for nothing)."""
    get = index.get
    idx: list[int] = []
    starts: list[int] = []
    for feats in groups:
        starts.append(len(idx))
        for f in feats:
            a = get(f)
            if a is not None:
                idx.append(a)
    out = np.zeros((len(groups),) + table.shape[1:], dtype=np.float32)
    if not idx:
        return out
    rows = table[np.asarray(idx)]
    st = np.asarray(starts)
    nonempty = np.append(st[1:], len(idx)) > st
    out[nonempty] = np.add.reduceat(rows, st[nonempty], axis=0)
    return out


@dataclass
class LinearChainCRF:
    labels: list[str]
    attributes: dict[str, int]
    weights: np.ndarray  # float32 [n_attributes, n_labels]
    transitions: np.ndarray  # float32 [n_labels, n_labels]: from → to

    @classmethod
    def from_crfsuite(cls, path: str) -> LinearChainCRF:
        """Read the weights of a CRFsuite model file (attributes with no
        non-zero weight are left out)."""
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        tagger.open(path)
        info = tagger.info()
        labels = sorted(tagger.labels())
        lab = {name: i for i, name in enumerate(labels)}
        attrs: dict[str, int] = {}
        rows: list[tuple[int, int, float]] = []
        for (attr, label), w in info.state_features.items():
            if w == 0.0:
                continue
            a = attrs.setdefault(attr, len(attrs))
            rows.append((a, lab[label], w))
        weights = np.zeros((len(attrs), len(labels)), dtype=np.float32)
        for a, j, w in rows:
            weights[a, j] = w
        trans = np.zeros((len(labels), len(labels)), dtype=np.float32)
        for (src, dst), w in info.transitions.items():
            trans[lab[src], lab[dst]] = w
        tagger.close()
        return cls(labels, attrs, weights, trans)

    @classmethod
    def stack(cls, crfs: list[LinearChainCRF]) -> LinearChainCRF:
        """One table whose columns are the label columns of each CRF in turn
        (for summing a word's weights for several CRFs at once); its
        transitions and labels are not meant for tagging."""
        attrs: dict[str, int] = {}
        for crf in crfs:
            for a in crf.attributes:
                attrs.setdefault(a, len(attrs))
        widths = [len(c.labels) for c in crfs]
        weights = np.zeros((len(attrs), sum(widths)), dtype=np.float32)
        col = 0
        for crf, w in zip(crfs, widths, strict=True):
            rows = np.fromiter((attrs[a] for a in crf.attributes), dtype=np.int64, count=len(crf.attributes))
            order = np.fromiter(crf.attributes.values(), dtype=np.int64, count=len(crf.attributes))
            weights[rows, col:col + w] = crf.weights[order]
            col += w
        labels = [f"{i}:{lab}" for i, c in enumerate(crfs) for lab in c.labels]
        return cls(labels, attrs, weights, np.zeros((len(labels), len(labels)), dtype=np.float32))

    # -- storage --------------------------------------------------------------
    def to_arrays(self) -> dict[str, np.ndarray]:
        names = sorted(self.attributes, key=self.attributes.__getitem__)
        return {
            "labels": np.array("\n".join(self.labels)),
            "attributes": np.array("\n".join(names)),
            "weights": self.weights.astype(np.float32),
            "transitions": self.transitions.astype(np.float32),
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> LinearChainCRF:
        names = str(arrays["attributes"]).split("\n") if str(arrays["attributes"]) else []
        return cls(
            labels=str(arrays["labels"]).split("\n"),
            attributes={a: i for i, a in enumerate(names)},
            weights=np.asarray(arrays["weights"], dtype=np.float32),
            transitions=np.asarray(arrays["transitions"], dtype=np.float32),
        )

    # -- scoring --------------------------------------------------------------
    def sum_groups(self, groups: list[list[str]]) -> np.ndarray:
        """``[len(groups), n_labels]``: the summed weights of each list of attributes."""
        return sum_rows(self.weights, self.attributes, groups)

    def viterbi(self, emissions: list[np.ndarray]) -> list[list[str]]:
        """The best label sequence for each sentence's ``[n_tokens, n_labels]``
        state scores."""
        out: list[list[str]] = [[] for _ in emissions]
        order = sorted(range(len(emissions)), key=lambda i: len(emissions[i]))
        n_lab = len(self.labels)
        trans = self.transitions
        labels = self.labels
        # sentences of similar length together, so that padding stays small
        start = 0
        while start < len(order):
            stop = start + 1
            while stop < len(order) and stop - start < 256 and len(emissions[order[stop]]) <= 2 * max(
                1, len(emissions[order[start]])
            ):
                stop += 1
            batch = order[start:stop]
            start = stop
            lengths = np.array([len(emissions[i]) for i in batch])
            max_len = int(lengths.max())
            if max_len == 0:
                continue
            e = np.zeros((len(batch), max_len, n_lab), dtype=np.float32)
            for b, i in enumerate(batch):
                e[b, : lengths[b]] = emissions[i]
            back = np.zeros((len(batch), max_len, n_lab), dtype=np.int16)
            delta = e[:, 0].copy()
            for t in range(1, max_len):
                cand = delta[:, :, None] + trans[None, :, :]  # [B, from, to]
                best = cand.argmax(axis=1)
                new = np.take_along_axis(cand, best[:, None, :], axis=1)[:, 0] + e[:, t]
                live = (t < lengths)[:, None]
                delta = np.where(live, new, delta)
                back[:, t] = best
            last = delta.argmax(axis=1)
            path = np.zeros((len(batch), max_len), dtype=np.int64)
            rows = np.arange(len(batch))
            cur = np.zeros(len(batch), dtype=np.int64)
            for t in range(max_len - 1, -1, -1):
                cur = np.where(lengths - 1 == t, last, cur)
                path[:, t] = cur
                if t:
                    cur = np.where(t < lengths, back[rows, t, cur], cur)
            for b, i in enumerate(batch):
                out[i] = [labels[y] for y in path[b, : lengths[b]].tolist()]
        return out
