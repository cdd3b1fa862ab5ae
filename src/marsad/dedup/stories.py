"""Syndicated copies → stories, and the events of a story's copies → merged events.

A *story* is a set of documents that are copies of one text: exact copies
(the same content hash) and near copies (MinHash signatures whose estimated
Jaccard similarity of character 5-grams is at least ``threshold``), joined
transitively.  Nothing is thrown away: every member keeps its row, and the
story records all its sources and URLs.

The *canonical* member of a story is the earliest published one (members
without a date come last), ties broken by article id and then source; the
story id is the canonical member's article id.  The result depends only on
the set of members, not on the order they were added in.

Near copies are found with datasketch's MinHash LSH: each distinct text is
indexed once, its candidates are checked against the threshold on the
signatures themselves, so that LSH's false positives never merge stories.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from marsad.dedup.fingerprint import NUM_PERM, SEED, dedup_form

__all__ = ["DEFAULT_THRESHOLD", "Member", "Story", "StoryIndex", "event_key", "merge_events", "stories_of"]

# Character 5-gram Jaccard of copies with a changed sentence, a cut paragraph
# and a new headline is 0.55–0.75; distinct stories on the same topic (the
# same country, people and verbs) stay below 0.2.
DEFAULT_THRESHOLD = 0.5
# LSH finds candidates a little below the threshold, so that pairs just above
# it are not lost to the S-curve; the check on the signatures decides.
LSH_MARGIN = 0.1


@dataclass(frozen=True, slots=True)
class Member:
    """A document as story clustering sees it; ``key`` is unique in the collection (its source)."""

    key: str
    article_id: str
    published: str | None
    content_hash: str
    signature: bytes | None  # None: too short for near-copy detection, exact copies only

    def order(self) -> tuple[bool, str, str, str]:
        """Canonical order: earliest published first, undated last, then article id, then key."""
        return (self.published is None, self.published or "", self.article_id, self.key)


@dataclass(slots=True)
class Story:
    story_id: str
    members: list[Member]  # canonical first, then in canonical order
    similarity: dict[str, float] = field(default_factory=dict)  # key → estimated Jaccard to the canonical

    @property
    def canonical(self) -> Member:
        return self.members[0]


class _UnionFind:
    def __init__(self) -> None:
        self.parent: list[int] = []

    def add(self) -> int:
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _values(signature: bytes) -> np.ndarray:
    return np.frombuffer(signature, dtype="<u4")


class StoryIndex:
    """Collects members, then groups them into stories."""

    def __init__(self, threshold: float = DEFAULT_THRESHOLD, num_perm: int = NUM_PERM) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], not {threshold}")
        self.threshold = threshold
        self.num_perm = num_perm
        self.members: list[Member] = []
        self._uf = _UnionFind()
        self._by_hash: dict[str, int] = {}
        self._keys: set[str] = set()
        self.exact_pairs = 0  # members joined to an earlier one by content hash
        self.near_pairs = 0  # signature pairs found at or above the threshold

    def add(self, member: Member) -> None:
        if member.key in self._keys:
            raise ValueError(f"duplicate member key {member.key!r}")
        if member.signature is not None and len(member.signature) != 4 * self.num_perm:
            raise ValueError(
                f"{member.key}: signature of {len(member.signature)} bytes, expected {4 * self.num_perm}"
            )
        self._keys.add(member.key)
        i = self._uf.add()
        self.members.append(member)
        first = self._by_hash.setdefault(member.content_hash, i)
        if first != i:
            self._uf.union(first, i)
            self.exact_pairs += 1

    def _near(self) -> None:
        from datasketch import LeanMinHash, MinHashLSH

        reps = [i for i in self._by_hash.values() if self.members[i].signature is not None]
        if len(reps) < 2:
            return
        lsh = MinHashLSH(threshold=max(0.05, self.threshold - LSH_MARGIN), num_perm=self.num_perm)
        sigs: dict[int, np.ndarray] = {}
        for i in reps:
            values = _values(self.members[i].signature)  # type: ignore[arg-type]
            sigs[i] = values
            lean = LeanMinHash(seed=SEED, hashvalues=values, scheme="affine32")
            lsh.insert(i, lean, check_duplication=False)
        need = int(np.ceil(self.threshold * self.num_perm - 1e-9))
        for i in reps:
            lean = LeanMinHash(seed=SEED, hashvalues=sigs[i], scheme="affine32")
            for j in lsh.query(lean):
                if j <= i:
                    continue
                if int(np.count_nonzero(sigs[i] == sigs[j])) >= need:
                    self._uf.union(i, j)
                    self.near_pairs += 1

    def stories(self) -> list[Story]:
        """The stories, in the order of their first member as added."""
        self._near()
        groups: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.members)):
            groups[self._uf.find(i)].append(i)
        out = []
        taken: set[str] = set()
        for root in sorted(groups):
            members = sorted((self.members[i] for i in groups[root]), key=Member.order)
            story_id = members[0].article_id
            if story_id in taken:  # two stories whose canonical copies were given one id
                story_id = f"{story_id}~{members[0].content_hash[:8]}"
            taken.add(story_id)
            story = Story(story_id, members)
            canon = members[0]
            for m in members[1:]:
                if m.content_hash == canon.content_hash:
                    story.similarity[m.key] = 1.0
                elif m.signature is not None and canon.signature is not None:
                    same = np.count_nonzero(_values(m.signature) == _values(canon.signature))
                    story.similarity[m.key] = float(same) / self.num_perm
            out.append(story)
        return out


# --- events of a story ----------------------------------------------------------------------


def event_key(event: dict[str, Any]) -> tuple[Any, ...]:
    """What makes two event reports one event: type, sub-type, where and when.

    The place is its coordinates (to 0.01°) when resolved, else its text in
    dedup form; the date is its ISO value.
    """
    place = event.get("place") or {}
    lat, lon = place.get("lat"), place.get("lon")
    if lat is not None and lon is not None:
        where: Any = (round(float(lat), 2), round(float(lon), 2))
    elif place.get("text"):
        where = dedup_form(str(place["text"]))
    else:
        where = None
    date = (event.get("date") or {}).get("value")
    return (event.get("type"), event.get("sub_type"), where, date)


FIGURES = ("fatalities", "injured", "displaced", "arrested")
SOURCE_FIELDS = ("article_id", "source", "url", "published", "event_index")


def merge_events(story_id: str, events: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One merged event per distinct event of a story's copies.

    ``events`` are event rows (see :mod:`marsad.store.parquet`) of the
    story's members, the canonical member's first, each member's in text
    order.  Reports with the same :func:`event_key` in different members are
    one event; the k-th report of a key in a member joins the k-th merged
    event of that key, so two like events of one article stay two.  A merged
    event keeps the first report's fields (the canonical's when it has one),
    the highest figure any report gives, the highest confidence, and every
    report in ``sources``.
    """
    merged: list[dict[str, Any]] = []
    slots: dict[tuple[Any, int], int] = {}
    seen: dict[tuple[str, tuple[Any, ...]], int] = defaultdict(int)
    for ev in events:
        key = event_key(ev)
        nth = seen[(ev["source"], key)]
        seen[(ev["source"], key)] += 1
        slot = slots.get((key, nth))
        report = {name: ev.get(name) for name in SOURCE_FIELDS} | {f: ev.get(f) for f in FIGURES}
        if slot is None:
            slots[(key, nth)] = len(merged)
            row = {k: v for k, v in ev.items() if k not in SOURCE_FIELDS and k not in ("shard", "story_id")}
            digest = hashlib.sha256(json.dumps([story_id, repr(key), nth]).encode()).hexdigest()[:16]
            row.update(story_id=story_id, event_id=digest, sources=[report])
            merged.append(row)
            continue
        row = merged[slot]
        row["sources"].append(report)
        for f in FIGURES:
            values = [v for v in (row.get(f), ev.get(f)) if v is not None]
            row[f] = max(values) if values else None
        if ev.get("confidence") is not None:
            row["confidence"] = max(row.get("confidence") or 0.0, ev["confidence"])
    for row in merged:
        row["n_sources"] = len(row["sources"])
    return merged


def stories_of(members: Iterable[Member], threshold: float = DEFAULT_THRESHOLD) -> list[Story]:
    """Stories of a set of members (a convenience over :class:`StoryIndex`)."""
    index = StoryIndex(threshold)
    for m in members:
        index.add(m)
    return index.stories()
