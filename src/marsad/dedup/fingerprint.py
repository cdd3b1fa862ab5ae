"""Fingerprints of an article body: a content hash and a MinHash signature.

Both work on the *dedup form* of the text: the matching form of
:func:`marsad.arabic.normalize.normalize` (alef forms, teh marbuta, harakat,
tatweel, digits, Latin case) with every run of punctuation and white space
made one space.  Two copies that differ only in diacritics, punctuation or
line breaks therefore have the same content hash.

The MinHash signature is taken over the set of *character* 5-grams of that
form, not word 5-grams: one changed word touches five word 5-grams (often a
tenth of a short paragraph's) but only the character 5-grams that overlap
it, so syndicated copies with small edits stay close.  Shingles are hashed
with CRC-32 (fast, stable across processes and machines, unlike ``hash``)
and permuted by datasketch's ``affine32`` scheme, which mixes them first.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from marsad.arabic.normalize import normalize

__all__ = [
    "MIN_SHINGLES",
    "NUM_PERM",
    "SHINGLE",
    "Fingerprint",
    "content_hash",
    "dedup_form",
    "fingerprint",
    "minhash",
    "scheme",
    "shingles",
    "signature_jaccard",
]

SHINGLE = 5  # characters per shingle
NUM_PERM = 128  # permutations per signature (512 bytes)
SEED = 1
# Below this many distinct shingles (about 80 characters of text) a text is
# too short for its signature to mean much: only exact copies are found.
MIN_SHINGLES = 80

_NOT_WORD = re.compile(r"[\W_]+")


def dedup_form(text: str) -> str:
    """The text as compared for duplicates: normalised, punctuation and spacing folded."""
    return _NOT_WORD.sub(" ", normalize(text)).strip()


def content_hash(text: str) -> str:
    """A hash of the dedup form: the same for copies that differ only in marks and spacing."""
    return hashlib.sha256(dedup_form(text).encode("utf-8")).hexdigest()[:16]


def shingles(form: str, k: int = SHINGLE) -> set[str]:
    """The character ``k``-grams of a dedup form (the whole form if it is shorter)."""
    if len(form) <= k:
        return {form} if form else set()
    return {form[i : i + k] for i in range(len(form) - k + 1)}


def _crc32(shingle: str) -> int:
    return zlib.crc32(shingle.encode("utf-8"))


@lru_cache(maxsize=4)
def _permutations(num_perm: int) -> Any:
    from datasketch import MinHash

    return MinHash(num_perm=num_perm, seed=SEED, hashfunc=_crc32, scheme="affine32").permutations


def minhash(grams: set[str], num_perm: int = NUM_PERM) -> Any:
    """A datasketch MinHash of a shingle set (the same set always gives the same signature)."""
    from datasketch import MinHash

    m = MinHash(
        num_perm=num_perm, seed=SEED, hashfunc=_crc32, scheme="affine32", permutations=_permutations(num_perm)
    )
    # sorted: the signature does not depend on the order, but this keeps the work identical
    m.update_batch(sorted(grams))
    return m


def scheme() -> str:
    """What the signatures depend on; signatures made under another scheme are not comparable."""
    from importlib.metadata import version

    major = version("datasketch").split(".")[0]
    return f"char{SHINGLE}-crc32-affine32-perm{NUM_PERM}-seed{SEED}-datasketch{major}"


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A text's content hash and, if it is long enough, its MinHash signature (uint32 LE bytes)."""

    content_hash: str
    signature: bytes | None


def fingerprint(text: str) -> Fingerprint:
    """The content hash and signature of an article body."""
    form = dedup_form(text)
    digest = hashlib.sha256(form.encode("utf-8")).hexdigest()[:16]
    grams = shingles(form)
    if len(grams) < MIN_SHINGLES:
        return Fingerprint(digest, None)
    values = minhash(grams).hashvalues.astype("<u4")
    return Fingerprint(digest, values.tobytes())


def signature_jaccard(a: bytes, b: bytes) -> float:
    """The Jaccard similarity two signatures estimate (share of equal slots)."""
    x = np.frombuffer(a, dtype="<u4")
    y = np.frombuffer(b, dtype="<u4")
    if x.shape != y.shape:
        raise ValueError("signatures of different lengths")
    return float(np.count_nonzero(x == y)) / len(x)
