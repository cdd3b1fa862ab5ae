"""Document features for the second pass of the tagger.

A name is usually written the same way each time a news story mentions it,
and is of the same type each time.  The first pass tags each sentence on its
own; the second pass sees, for every word, what the first pass said about
the other occurrences of the same word in the same document (a block of at
most ``BLOCK`` consecutive sentences), and whether the word starts or
continues a name that the first pass found elsewhere in the block.

Features (added to the first pass's features of the word):

* ``d=X``: another occurrence was tagged as part of an ``X`` entity;
* ``dm=X``: the commonest tag type of the other occurrences (``O`` included);
* ``ds=B-X`` / ``ds=I-X``: the word begins / continues a sequence of words
  that the first pass tagged as an ``X`` entity elsewhere in the block.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from marsad.ner.evaluate import entities

__all__ = ["BLOCK", "blocks", "document_extras"]

BLOCK = 20  # sentences per document block


def blocks(n_sentences: int, size: int = BLOCK) -> list[range]:
    """Consecutive sentence ranges of at most ``size`` sentences."""
    return [range(i, min(i + size, n_sentences)) for i in range(0, n_sentences, size)]


def document_extras(forms: list[list[str]], tags: list[list[str]]) -> dict[tuple[int, int], list[str]]:
    """Features of the words of a block of sentences, by (sentence, word)
    position; positions without any are left out.

    ``forms`` are the words' matching forms (bare, as the gazetteers use
    them; an empty string for words to ignore), ``tags`` the first pass's
    BIO tags.
    """
    occurrences: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    spans: dict[str, set[tuple[tuple[str, ...], str]]] = defaultdict(set)
    for s, (fs, ts) in enumerate(zip(forms, tags, strict=True)):
        for i, (f, t) in enumerate(zip(fs, ts, strict=True)):
            if f:
                occurrences[f].append((s, i, t[2:] if t != "O" else "O"))
        if any(t != "O" for t in ts):
            for start, end, kind in entities(list(ts)):
                words = tuple(fs[start:end])
                if all(words):
                    spans[words[0]].add((words[1:], kind))
    out: dict[tuple[int, int], list[str]] = defaultdict(list)
    for occ in occurrences.values():
        if len(occ) < 2:
            continue
        total: Counter[str] = Counter(k for _, _, k in occ)
        for s, i, k in occ:
            others = total.copy()
            others[k] -= 1
            feats = out[(s, i)]
            for kind, count in others.items():
                if count > 0 and kind != "O":
                    feats.append("d=" + kind)
            top = max(others.items(), key=lambda kv: (kv[1], kv[0] != "O"))
            if top[1] > 0:
                feats.append("dm=" + top[0])
    if spans:
        for si, fs in enumerate(forms):
            n = len(fs)
            for i, f in enumerate(fs):
                cands = spans.get(f)
                if not cands:
                    continue
                for rest, kind in cands:
                    width = len(rest)
                    if i + width < n and tuple(fs[i + 1:i + 1 + width]) == rest:
                        out[(si, i)].append("ds=B-" + kind)
                        for j in range(i + 1, i + 1 + width):
                            out[(si, j)].append("ds=I-" + kind)
    return {pos: sorted(set(feats)) for pos, feats in out.items() if feats}
