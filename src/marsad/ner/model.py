"""The trained entity tagger: a linear-chain CRF (CRFsuite) over the
features of :mod:`marsad.ner.features`.

An artifact is one file, ``marsad/data/ner/tagger-NAME.npz``: the CRF's
weights (read back from CRFsuite after training, see :mod:`marsad.ner.crf`),
the feature configuration, the word counts that guide clitic splitting, and
the subword piece vectors and cluster centroids.  :func:`load_tagger` loads
one once per process.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from marsad.errors import MarsadError
from marsad.ner.conll import normalize_tag
from marsad.ner.crf import LinearChainCRF, sum_rows
from marsad.ner.document import blocks, document_extras
from marsad.ner.embed import PieceVectors
from marsad.ner.features import FeatureConfig, Featurizer, WordInfo, document_form
from marsad.ner.lexicons import load_lexicons

__all__ = ["Tagger", "load_tagger", "load_artifact", "artifact_path", "save_artifact", "DATA_DIR"]

LABELS = ("PER", "LOC", "ORG", "MISC")


def _data_dir() -> Path:
    return Path(str(resources.files("marsad") / "data" / "ner"))


DATA_DIR = _data_dir()


def artifact_path(name: str, directory: Path | None = None) -> Path:
    """The artifact file of the tagger ``name``."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise MarsadError("bad_usage", f"not a tagger name: {name!r}", name)
    return (directory or DATA_DIR) / f"tagger-{name}.npz"


@dataclass
class Tagger:
    """Tags sentences of whitespace-separated words with BIO tags over
    ``PER``, ``LOC``, ``ORG`` and ``MISC``.

    With a second CRF (``crf2``), a first pass tags each sentence, then the
    second pass adds document features (:mod:`marsad.ner.document`): the
    sentences given to one :meth:`tag` call are read as consecutive
    sentences of documents, in blocks of ``document.BLOCK``.
    """

    name: str
    featurizer: Featurizer
    crf: LinearChainCRF
    meta: dict[str, Any]
    crf2: LinearChainCRF | None = None

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._labels = {t: normalize_tag(t) for t in self.crf.labels}
        # one table for the word-level sums of both passes
        if self.crf2 is None:
            self._scorer = self.crf
        else:
            self._scorer = LinearChainCRF.stack([self.crf, self.crf2])
        self._n1 = len(self.crf.labels)
        # subtracted from the final pass's O scores: trades precision for recall
        self.o_bias = float(self.meta.get("o_bias") or 0.0)
        # the weights of "k:f" (feature f of the word at offset k) for every
        # base feature f, side by side: one lookup per feature gives them all
        offsets = self.featurizer.offsets
        pos = {str(k): i for i, k in enumerate(offsets)}
        near: dict[str, int] = {}
        rows: list[tuple[int, int, int]] = []
        for attr, a in self._scorer.attributes.items():
            k, sep, base = attr.partition(":")
            if sep and k in pos:
                rows.append((near.setdefault(base, len(near)), pos[k], a))
        table = np.zeros((len(near), len(offsets), self._scorer.weights.shape[1]), dtype=np.float32)
        for b, o, a in rows:
            table[b, o] = self._scorer.weights[a]
        self._near_index = near
        self._near = table

    def _score_words(self, all_infos: list[list[WordInfo]]) -> None:
        cold: dict[int, WordInfo] = {}
        for infos in all_infos:
            for info in infos:
                if info.scores is None:
                    cold[id(info)] = info
        if not cold:
            return
        todo = list(cold.values())
        own = self._scorer.sum_groups([info.own for info in todo])
        near = sum_rows(self._near, self._near_index, [info.near for info in todo])
        for j, info in enumerate(todo):
            info.scores = np.concatenate([own[j][None], near[j]])

    def _emissions(self, all_infos: list[list[WordInfo]], extras: list[list[list[str]]], cols: slice,
                   crf: LinearChainCRF) -> list[np.ndarray]:
        """``[n_words, n_labels]`` state scores of every sentence, computed for
        all sentences at once (one gather per neighbour offset, one weight sum
        for the sentence-level attributes)."""
        n_lab = len(crf.labels)
        lengths = [len(infos) for infos in all_infos]
        flat = [i.scores for infos in all_infos for i in infos]
        if not flat:
            return [np.zeros((0, n_lab), dtype=np.float32) for _ in all_infos]
        stacked = np.stack(flat)[:, :, cols]  # [words, 1 + offsets, labels]
        n = len(flat)
        e = stacked[:, 0].copy()
        # each word's position in its sentence, and the words left after it
        pos = np.concatenate([np.arange(m) for m in lengths])
        left = np.concatenate([np.arange(m - 1, -1, -1) for m in lengths])
        for g, k in enumerate(self.featurizer.offsets, start=1):
            # position i sees the word at i + k (same sentence) through that word's group g
            if k < 0 and n + k > 0:
                ok = pos[-k:] >= -k
                e[-k:][ok] += stacked[: n + k, g][ok]
            elif k > 0 and n - k > 0:
                ok = left[: n - k] >= k
                e[: n - k][ok] += stacked[k:, g][ok]
        e += crf.sum_groups([x for ex in extras for x in ex])
        return np.split(e, np.cumsum(lengths)[:-1])

    def _raw_tags(self, sentences: list[list[str]], doc_blocks: list[range] | None = None) -> list[list[str]]:
        feat = self.featurizer
        feat.prepare([w for s in sentences for w in s])
        all_infos = [feat.infos(list(s)) for s in sentences]
        self._score_words(all_infos)
        extras = [feat.extras(infos) for infos in all_infos]
        first = slice(0, self._n1)
        emissions = self._emissions(all_infos, extras, first, self.crf)
        if self.crf2 is None:
            return self.crf.viterbi(self._biased(emissions, self.crf))
        tags = self.crf.viterbi(emissions)
        second = slice(self._n1, None)
        forms = [[document_form(i) for i in infos] for infos in all_infos]
        for block in doc_blocks if doc_blocks is not None else blocks(len(sentences)):
            doc = document_extras([forms[s] for s in block], [tags[s] for s in block])
            for (s, i), d in doc.items():
                extras[block[s]][i].extend(d)
        emissions = self._emissions(all_infos, extras, second, self.crf2)
        return self.crf2.viterbi(self._biased(emissions, self.crf2))

    def _biased(self, emissions: list[np.ndarray], crf: LinearChainCRF) -> list[np.ndarray]:
        if self.o_bias and "O" in crf.labels:
            o = crf.labels.index("O")
            for e in emissions:
                e[:, o] -= self.o_bias
        return emissions

    def tag_documents(self, documents: list[list[list[str]]]) -> list[list[list[str]]]:
        """Tags for several documents at once (each a list of sentences);
        document features never cross from one document to another."""
        flat: list[list[str]] = []
        doc_blocks: list[range] = []
        for doc in documents:
            offset = len(flat)
            flat.extend(doc)
            doc_blocks.extend(range(r.start + offset, r.stop + offset) for r in blocks(len(doc)))
        with self._lock:
            raw = self._raw_tags(flat, doc_blocks)
        lab = self._labels
        out: list[list[list[str]]] = []
        pos = 0
        for doc in documents:
            out.append([[lab[t] for t in path] for path in raw[pos:pos + len(doc)]])
            pos += len(doc)
        return out

    def tag(self, sentences: list[list[str]]) -> list[list[str]]:
        """BIO tags for each word of each sentence (empty sentences give []);
        the sentences are read as one document."""
        return self.tag_documents([sentences])[0]


def save_artifact(
    name: str,
    crf: LinearChainCRF,
    config: FeatureConfig,
    counts: dict[str, int],
    pieces: PieceVectors | None,
    meta: dict[str, Any],
    directory: Path | None = None,
    crf2: LinearChainCRF | None = None,
) -> Path:
    """Write a tagger's artifact (one compressed ``.npz``) and return its path."""
    path = artifact_path(name, directory)
    words = sorted(counts)
    arrays: dict[str, np.ndarray] = {
        "config": np.array(json.dumps(config.to_dict())),
        "meta": np.array(json.dumps(meta, ensure_ascii=False)),
        "count_words": np.array("\n".join(words)),
        "count_values": np.array([counts[w] for w in words], dtype=np.int32),
    }
    arrays.update({"crf_" + k: v for k, v in crf.to_arrays().items()})
    if crf2 is not None:
        arrays.update({"crf2_" + k: v for k, v in crf2.to_arrays().items()})
    if pieces is not None:
        arrays.update({"pv_" + k: v for k, v in pieces.to_arrays().items()})
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        np.savez_compressed(f, **arrays)  # type: ignore[arg-type]
    return path


def load_artifact(path: Path, name: str | None = None) -> Tagger:
    """A tagger from an artifact file."""
    if not path.exists():
        raise MarsadError("not_found", f"no entity tagger {path.stem!r} in {path.parent}", str(path))
    with np.load(path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    config = FeatureConfig.from_dict(json.loads(str(arrays["config"])))
    meta = json.loads(str(arrays["meta"]))
    words = str(arrays["count_words"]).split("\n") if str(arrays["count_words"]) else []
    counts = dict(zip(words, (int(v) for v in arrays["count_values"]), strict=True))
    pieces = None
    if config.clusters:
        pieces = PieceVectors.from_arrays({k[3:]: v for k, v in arrays.items() if k.startswith("pv_")})
    crf = LinearChainCRF.from_arrays({k[4:]: v for k, v in arrays.items() if k.startswith("crf_")})
    crf2 = None
    if any(k.startswith("crf2_") for k in arrays):
        crf2 = LinearChainCRF.from_arrays({k[5:]: v for k, v in arrays.items() if k.startswith("crf2_")})
    featurizer = Featurizer(config, load_lexicons(), counts, pieces)
    return Tagger(name or path.stem, featurizer, crf, meta, crf2)


_TAGGERS: dict[str, Tagger] = {}
_LOAD_LOCK = threading.Lock()


def load_tagger(name: str = "default") -> Tagger:
    """The packaged tagger ``name``, loaded on first use and then cached."""
    with _LOAD_LOCK:
        tagger = _TAGGERS.get(name)
        if tagger is None:
            tagger = _TAGGERS[name] = load_artifact(artifact_path(name), name)
        return tagger
