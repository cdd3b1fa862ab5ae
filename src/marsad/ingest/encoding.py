"""Bytes to text: charset detection that gets Arabic pages right.

The order of trust is: a byte-order mark, then valid UTF-8 (a page whose
bytes are valid UTF-8 is UTF-8 whatever its label says), then the declared
charset, the ``<meta>`` charset of an HTML page, windows-1256 when it reads
as clean Arabic, charset-normalizer's guess, ISO-8859-6 and windows-1252.
A reading is only taken when it is *plausible*: Arabic pages served as
latin-1 (very common) decode without error as latin-1 but come out as
mojibake (words made of U+00C0–U+00FF letters, no Arabic at all), so such
a reading is set aside for the next candidate.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from marsad.errors import MarsadError

__all__ = ["decode", "looks_binary", "looks_like_html", "meta_charset", "normalize_charset"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# File signatures of common binary formats that are sometimes given a text suffix.
_MAGIC: tuple[bytes, ...] = (
    b"\x89PNG\r\n\x1a\n",
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",  # JPEG
    b"%PDF-",
    b"PK\x03\x04",  # zip, docx, epub
    b"\x1f\x8b",  # gzip
    b"BZh",
    b"\xfd7zXZ\x00",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"\x7fELF",
    b"RIFF",  # webp, wav, avi
    b"OggS",
    b"ID3",
    b"\x00\x00\x01\x00",  # ico
    b"wOFF",
    b"wOF2",
    b"SQLite format 3\x00",
    b"PAR1",
)

# Charset labels that Python does not know, or knows under another meaning.
# Browsers read latin-1 and ASCII labels as windows-1252 (WHATWG Encoding).
_LABELS: dict[str, str] = {
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "x-mac-arabic": "mac-arabic",
    "unicode": "utf-16",
    "ucs-2": "utf-16",
    "x-user-defined": "cp1252",
    "iso-8859-6-i": "iso8859-6",
    "iso-8859-6-e": "iso8859-6",
}

_CONTROL = frozenset([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_META_RE = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]{2,40})""", re.IGNORECASE)
_HTML_RE = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|section|span|table|a\s|!--)[\s>/]",
    re.IGNORECASE,
)
_TAG_RE = re.compile(rb"</?[a-zA-Z][a-zA-Z0-9]{0,10}[\s>/]")

_SAMPLE = 20_000  # characters profiled per reading
_GUESS = "<charset-normalizer>"


def normalize_charset(label: str | None) -> str | None:
    """The Python codec name for a charset label, or None if unknown."""
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    key = _LABELS.get(key, key)
    try:
        return codecs.lookup(key).name
    except LookupError:
        return None


def meta_charset(content: bytes) -> str | None:
    """The charset named by a ``<meta charset>`` or http-equiv tag near the top."""
    m = _META_RE.search(content[:8192])
    return m.group(1).decode("ascii", "replace") if m else None


def _strip_bom(content: bytes) -> bytes:
    for bom, _ in _BOMS:
        if content.startswith(bom):
            return content[len(bom) :]
    return content


def looks_like_html(content: bytes) -> bool:
    """True when the start of ``content`` looks like markup."""
    head = _strip_bom(content[:4096]).lstrip()
    if _guess_utf16(head):
        enc = _guess_utf16(head)
        assert enc is not None
        head = head.decode(enc, "replace").encode("utf-8", "replace")
    if not head.startswith(b"<"):
        return bool(_HTML_RE.search(head)) and len(_TAG_RE.findall(head)) >= 3
    return bool(_HTML_RE.search(head)) or len(_TAG_RE.findall(head)) >= 3


def _guess_utf16(sample: bytes) -> str | None:
    """``utf-16-le``/``-be`` when NUL or 0x06 bytes sit on one parity only (BOM-less UTF-16)."""
    sample = sample[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    # high bytes of ASCII (0x00) and Arabic (0x06) code points
    even_hi = sum(1 for b in even if b in (0, 6))
    odd_hi = sum(1 for b in odd if b in (0, 6))
    if odd_hi >= 0.4 * len(odd) and even_hi <= 0.05 * len(even):
        return "utf-16-le"
    if even_hi >= 0.4 * len(even) and odd_hi <= 0.05 * len(odd):
        return "utf-16-be"
    return None


def looks_binary(content: bytes) -> bool:
    """True for bytes that are no text: a known binary signature or many control bytes."""
    if any(content.startswith(bom) for bom, _ in _BOMS):
        return False
    if content.startswith(_MAGIC):
        return True
    sample = content[:8192]
    if not sample:
        return False
    if b"\x00" in sample:
        return _guess_utf16(sample) is None
    controls = sum(1 for b in sample if b in _CONTROL)
    return controls > max(2, 0.02 * len(sample))


@dataclass(slots=True)
class _Profile:
    letters: int = 0
    arabic: int = 0
    foreign: int = 0  # non-ASCII Latin letters (U+00C0–U+024F): where mojibake shows up
    bad: int = 0  # C1 controls, U+FFFD, private use, control characters
    words: int = 0
    mixed: int = 0  # words mixing Arabic letters with Latin ones
    lead: int = 0  # ط and ظ: what UTF-8 lead bytes D8/D9 become when read as windows-1256
    chars: int = 0

    @property
    def utf8_as_arabic(self) -> bool:
        """Arabic letters that are UTF-8 Arabic read as windows-1256 (every other one is ط or ظ)."""
        return self.arabic >= 8 and self.lead > 0.25 * self.arabic

    @property
    def clean_arabic(self) -> bool:
        return (
            self.arabic >= 0.5 * self.letters
            and self.arabic > 0
            and not self.utf8_as_arabic
            and self.mixed <= 0.02 * self.words
            and self.bad <= 0.001 * self.chars
        )

    @property
    def suspect(self) -> bool:
        if self.bad > 0.005 * self.chars + 1:
            return True
        if self.mixed > max(1, 0.05 * self.words) or self.utf8_as_arabic:
            return True
        return self.foreign > max(4, 0.3 * self.letters)


_AR = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufeff"
_LAT = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_TAG_STRIP = re.compile(r"<[^<>]{0,2000}>|&[#\w]{1,10};")
_LETTER = re.compile(r"[^\W\d_]")
_ARABIC_LETTER = re.compile(f"(?=[{_AR}])[^\\W\\d_]")
_FOREIGN = re.compile("[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")
_BAD = re.compile("[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff]")
_HAS_AR = re.compile(f"[{_AR}]")
_HAS_LAT = re.compile(f"[{_LAT}]")
_LEAD = re.compile("[\u0637\u0638]")


def _profile(text: str) -> _Profile:
    """Letter and word counts of a reading (markup left out), on a sample of long texts."""
    if len(text) > _SAMPLE:
        half = _SAMPLE // 2
        mid = len(text) // 2
        text = text[:half] + " " + text[mid : mid + half]
    text = _TAG_STRIP.sub(" ", text)
    words = text.split()
    mixed = sum(1 for w in words if not w.isascii() and _HAS_AR.search(w) and _HAS_LAT.search(w))
    return _Profile(
        letters=len(_LETTER.findall(text)),
        arabic=len(_ARABIC_LETTER.findall(text)),
        foreign=len(_FOREIGN.findall(text)),
        bad=len(_BAD.findall(text)),
        words=len(words),
        mixed=mixed,
        lead=len(_LEAD.findall(text)),
        chars=len(text),
    )


def _try(content: bytes, codec: str) -> str | None:
    try:
        return content.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _normalizer_guess(content: bytes) -> str | None:
    from charset_normalizer import from_bytes

    results = from_bytes(content[:200_000])
    best = results.best()
    if best is None:
        return None
    # equally good readings: prefer the charsets Arabic and Western pages use most
    tied = [r for r in results if r.chaos == best.chaos and r.coherence == best.coherence]
    for preferred in ("cp1252", "cp1256", "iso8859_6"):
        if any(preferred in r.could_be_from_charset for r in tied):
            return preferred
    return best.encoding


def decode(content: bytes, declared: str | None = None, *, kind: str = "html") -> str:
    """Decode page bytes to text, preferring an Arabic reading over mojibake.

    ``declared`` is the charset a source named (an HTTP header, a WARC
    record).  Raises :class:`MarsadError` ``empty_input``, ``binary_input``
    or ``decode_failed``.
    """
    if not content or not content.strip(b" \t\r\n\x0b\x0c"):
        raise MarsadError("empty_input", "no bytes to decode")
    for bom, bom_codec in _BOMS:
        if content.startswith(bom):
            return content[len(bom) :].decode(bom_codec, errors="replace")
    if looks_binary(content):
        raise MarsadError("binary_input", "the bytes are not text", content[:16])

    utf16 = _guess_utf16(content)
    if utf16:
        wide = _try(content, utf16)
        if wide is not None and not _profile(wide).suspect:
            return wide

    strict = _try(content, "utf-8")
    if strict is not None:
        return strict
    # UTF-8 with a little damage (a cut multi-byte character, a stray byte)
    lossy = content.decode("utf-8", errors="replace")
    damage = lossy.count("\ufffd")
    non_ascii = sum(1 for ch in lossy if ord(ch) > 0x7F)
    if damage <= max(3, 0.02 * non_ascii) and damage <= 0.2 * non_ascii:
        return lossy

    # (codec, condition): "any" takes a plausible reading, "arabic" only a clean Arabic one;
    # _GUESS stands for charset-normalizer's guess, made only if it is reached
    candidates: list[tuple[str | None, str]] = [(normalize_charset(declared), "any")]
    if kind == "html":
        candidates.append((normalize_charset(meta_charset(content)), "any"))
    candidates += [
        ("cp1256", "arabic"),
        (_GUESS, "any"),
        ("iso8859-6", "arabic"),
        ("cp1256", "any"),
        ("iso8859-6", "any"),
        ("cp1252", "any"),
    ]

    seen: set[tuple[str, str]] = set()
    deferred: list[str] = []
    for codec, condition in candidates:
        if codec == _GUESS:
            codec = normalize_charset(_normalizer_guess(content))
        if codec is None or (codec, condition) in seen or codec.startswith("utf-8"):
            continue
        seen.add((codec, condition))
        text = _try(content, codec)
        if text is None:
            continue
        prof = _profile(text)
        if condition == "arabic":
            if prof.clean_arabic:
                return text
            continue
        if not prof.suspect:
            return text
        deferred.append(text)
    # no plausible reading: damaged UTF-8 if most of it is UTF-8, else the most
    # trusted reading that is still text
    if damage <= 0.3 * non_ascii:
        return lossy
    for text in deferred:
        prof = _profile(text)
        if not prof.utf8_as_arabic and prof.foreign <= 0.6 * prof.letters and prof.bad <= 0.05 * prof.chars:
            return text
    raise MarsadError("decode_failed", "no charset gives a readable text", declared)
