"""Stories in the store: syndicated copies of one report share a ``story_id``.

As each article is stored, its MinHash signature (character 5-grams of the
dedup form, :mod:`marsad.dedup.fingerprint`) is cut into LSH bands kept in
``story_bands``; an article whose signature agrees with a stored one's on at
least ``threshold`` of its slots joins that article's story, else it starts
its own (``story_id`` = its id).  The earliest stored copy names the story,
so ids are stable as copies arrive.  A verbatim copy (same text, other URL)
is not stored twice: its URL is added to ``article_sources`` of the stored
one, so a story keeps every outlet that ran it.

This is the streaming counterpart of :mod:`marsad.dedup.stories`, which
clusters a finished batch run; both use the same fingerprints and threshold.
"""

from __future__ import annotations

import hashlib
import sqlite3
from functools import lru_cache

from marsad.dedup.fingerprint import NUM_PERM, fingerprint, signature_jaccard
from marsad.dedup.stories import DEFAULT_THRESHOLD, LSH_MARGIN

SCHEMA_V5 = """
ALTER TABLE articles ADD COLUMN story_id TEXT;
CREATE INDEX articles_story ON articles(story_id, seq);
CREATE TABLE story_signatures (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    signature  BLOB NOT NULL
);
CREATE TABLE story_bands (
    band       INTEGER NOT NULL,
    hash       INTEGER NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE
);
CREATE INDEX story_bands_key ON story_bands(band, hash);
CREATE INDEX story_bands_article ON story_bands(article_id);
CREATE TABLE article_sources (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    url        TEXT NOT NULL,
    title      TEXT,
    published  TEXT,
    seen_at    TEXT NOT NULL,
    UNIQUE(article_id, url)
);
"""


@lru_cache(maxsize=4)
def lsh_shape(threshold: float = DEFAULT_THRESHOLD, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows per band) that datasketch finds best for the threshold (less a margin)."""
    from datasketch.lsh import _optimal_param

    bands, rows = _optimal_param(max(0.05, threshold - LSH_MARGIN), num_perm, 0.5, 0.5)
    return int(bands), int(rows)


def band_hashes(signature: bytes, threshold: float = DEFAULT_THRESHOLD) -> list[tuple[int, int]]:
    """(band, hash) keys of a signature: a signed 64-bit digest of each band's slots."""
    bands, rows = lsh_shape(threshold)
    width = 4 * rows
    return [
        (b, int.from_bytes(hashlib.blake2b(signature[b * width:(b + 1) * width], digest_size=8).digest(),
                           "little", signed=True))
        for b in range(bands)
    ]


def assign_story(conn: sqlite3.Connection, article_id: str, text: str,
                 threshold: float = DEFAULT_THRESHOLD) -> str:
    """Record the article's fingerprint and return (and set) its story id."""
    fp = fingerprint(text)
    story = article_id
    if fp.signature is not None:
        keys = band_hashes(fp.signature, threshold)
        candidates: set[str] = set()
        for band, h in keys:
            candidates.update(
                r[0] for r in conn.execute(
                    "SELECT article_id FROM story_bands WHERE band = ? AND hash = ?", (band, h))
            )
        candidates.discard(article_id)
        best: tuple[float, int, str] | None = None
        for cid in candidates:
            row = conn.execute(
                "SELECT s.signature, a.seq, a.story_id FROM story_signatures s JOIN articles a"
                " ON a.id = s.article_id WHERE s.article_id = ?", (cid,)).fetchone()
            if row is None:
                continue
            sim = signature_jaccard(fp.signature, row[0])
            if sim >= threshold and (best is None or (-sim, row[1]) < (-best[0], best[1])):
                best = (sim, row[1], row[2] or cid)
        if best is not None:
            story = best[2]
        conn.execute("INSERT OR REPLACE INTO story_signatures(article_id, signature) VALUES (?, ?)",
                     (article_id, fp.signature))
        conn.executemany("INSERT INTO story_bands(band, hash, article_id) VALUES (?, ?, ?)",
                         [(b, h, article_id) for b, h in keys])
    conn.execute("UPDATE articles SET story_id = ? WHERE id = ?", (story, article_id))
    return story


def migrate_v5(conn: sqlite3.Connection, run_script: object) -> None:
    """Add the story tables and give every stored article its story, oldest first."""
    run_script(conn, SCHEMA_V5)  # type: ignore[operator]
    rows = conn.execute("SELECT id, text FROM articles ORDER BY seq").fetchall()
    for article_id, text in rows:
        assign_story(conn, article_id, text)
