"""Syndicated copies: content hashes, MinHash near-duplicates, story clustering.

:mod:`marsad.dedup.fingerprint` makes the content hash and MinHash signature
of an article body; :mod:`marsad.dedup.stories` groups copies into stories
and merges the events their copies report.
"""

from marsad.dedup.fingerprint import Fingerprint, content_hash, dedup_form, fingerprint, signature_jaccard
from marsad.dedup.stories import DEFAULT_THRESHOLD, Member, Story, StoryIndex, merge_events, stories_of

__all__ = [
    "DEFAULT_THRESHOLD",
    "Fingerprint",
    "Member",
    "Story",
    "StoryIndex",
    "content_hash",
    "dedup_form",
    "fingerprint",
    "merge_events",
    "signature_jaccard",
    "stories_of",
]
