"""Page chrome rules: named whole-line patterns from ``data/chrome_patterns.txt``.

A rule matches a whole (folded) line.  Its named groups carry metadata out
of the line it removes — view, comment and like counters, a byline author,
a publication date — and its flags say how it affects the lines after it
(see the data file's header for the format).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from marsad.extract.dates import hijri_month_names, month_names, parse_date_text, weekday_names
from marsad.extract.fold import fold, fold_pattern, fold_quick, fold_text

__all__ = ["ChromeMatch", "ChromeRule", "ChromeRules", "load_chrome_rules", "parse_count"]

DEFAULT_MAX_WORDS = 25
_COUNTERS = ("views", "comments", "likes")
_MACRO_RE = re.compile(r"\{@([A-Z]+)\}")
_FIELD_SEP = re.compile(r"\s+[|•·]\s+|\s+[-–—]\s+")


@dataclass(frozen=True, slots=True)
class ChromeRule:
    family: str
    name: str
    regex: re.Pattern[str]
    ends_body: bool = False
    block: bool = False
    max_words: int = DEFAULT_MAX_WORDS
    sets: tuple[tuple[str, int], ...] = ()

    @property
    def key(self) -> str:
        return f"{self.family}.{self.name}"


@dataclass(slots=True)
class ChromeMatch:
    """A line recognised as chrome, with the metadata it carried."""

    rule: ChromeRule
    counters: dict[str, int] = field(default_factory=dict)
    author: str | None = None
    date: str | None = None


def _data_text(*parts: str) -> str:
    return resources.files("marsad").joinpath("data", *parts).read_text("utf-8")


def _entries(*parts: str) -> list[str]:
    return [
        line.strip()
        for line in _data_text(*parts).splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def _alternation(names: object) -> str:
    words = sorted({fold_text(str(n)).lower() for n in names}, key=len, reverse=True)  # type: ignore[attr-defined]
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + ")"


@lru_cache(maxsize=1)
def _multipliers() -> dict[str, int]:
    table: dict[str, int] = {}
    for line in _entries("extract", "count_multipliers.tsv"):
        word, factor = line.split("\t")
        table[fold_text(word).lower()] = int(factor)
    return table


@lru_cache(maxsize=1)
def generic_authors() -> frozenset[str]:
    """Folded account names that are no author (admin, مشرف ...)."""
    return frozenset(fold_text(n).lower() for n in _entries("extract", "generic_authors.tsv"))


_NUMBER_RE = re.compile(r"([0-9]+(?:[.,'][0-9]+)*)\s*([^\W\d_]*)")


def parse_count(value: str) -> int | None:
    """A page counter as an integer: ``1.3K`` → 1300, ``١٢٣`` → 123, ``2,5 ألف`` → 2500.

    With a multiplier a separator is a decimal point; without one, groups of
    three digits after a separator are thousands (``1,234`` and ``1.234``).
    """
    folded = fold_text(value)
    m = _NUMBER_RE.search(folded)
    if not m:
        return None
    digits, suffix = m.group(1), m.group(2).lower()
    factor = _multipliers().get(suffix) if suffix else None
    if suffix and factor is None:
        factor = 1
    parts = re.split(r"[.,']", digits)
    if factor and factor > 1:
        whole = parts[0]
        frac = "".join(parts[1:]) if len(parts) > 1 else ""
        number = float(f"{whole}.{frac}" if frac else whole)
        return round(number * factor)
    if len(parts) > 1 and all(len(p) == 3 for p in parts[1:]):
        return int("".join(parts))
    return int(parts[0])


def _clean_author(value: str) -> str | None:
    name = value.strip(" \t:：-–—|،,.").strip()
    if not name or fold_text(name).lower() in generic_authors():
        return None
    return name


class ChromeRules:
    """The chrome rules of a data file, ready to match lines."""

    def __init__(self, rules: list[ChromeRule]) -> None:
        self.rules = tuple(rules)
        # a line with more words than this matches nothing: most prose lines
        self.max_words = max([DEFAULT_MAX_WORDS, *(r.max_words for r in self.rules)])

    @classmethod
    def parse(cls, text: str) -> ChromeRules:
        """Build rules from the text of a chrome pattern file."""
        macros: dict[str, str] = {
            "MULT": _alternation(_multipliers()),
            "MONTH": _alternation(month_names()),
            "WEEKDAY": _alternation(weekday_names()),
            "HIJRI": _alternation(hijri_month_names()),
            "MENU": _alternation(_entries("extract", "menu_words.tsv")),
        }

        def expand(pattern: str, where: str) -> str:
            for _ in range(10):
                if "{@" not in pattern:
                    return pattern

                def sub(m: re.Match[str]) -> str:
                    if m.group(1) not in macros:
                        raise ValueError(f"{where}: unknown macro {m.group(0)}")
                    return macros[m.group(1)]

                pattern = _MACRO_RE.sub(sub, pattern)
            raise ValueError(f"{where}: macros nest too deep")

        rules: list[ChromeRule] = []
        family = "chrome"
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            where = f"chrome_patterns.txt:{lineno}"
            if line.startswith("["):
                family = line.strip().strip("[]").strip()
                continue
            parts = line.split("\t")
            if line.startswith("@"):
                macros[parts[0][1:]] = fold_pattern(expand(parts[1], where))
                continue
            if len(parts) < 2:
                raise ValueError(f"{where}: expected name<TAB>regex")
            name, pattern = parts[0], parts[1]
            flags = parts[2].split() if len(parts) > 2 else []
            try:
                regex = re.compile(fold_pattern(expand(pattern, where)), re.IGNORECASE)
            except re.error as exc:
                raise ValueError(f"{where}: {exc}") from exc
            max_words = DEFAULT_MAX_WORDS
            sets: list[tuple[str, int]] = []
            for flag in flags:
                if flag.startswith("max="):
                    max_words = int(flag[4:])
                elif flag.startswith("set:"):
                    key, _, val = flag[4:].partition("=")
                    sets.append((key, int(val)))
                elif flag not in ("end", "block"):
                    raise ValueError(f"{where}: unknown flag {flag!r}")
            rules.append(
                ChromeRule(
                    family=family,
                    name=name,
                    regex=regex,
                    ends_body="end" in flags,
                    block="block" in flags,
                    max_words=max_words,
                    sets=tuple(sets),
                )
            )
        return cls(rules)

    def match(self, line: str) -> ChromeMatch | None:
        """The first rule matching the whole of ``line``, else None.

        A post-meta line of several fields (``فلان | 17 أكتوبر 2016 | 3 تعليقات``)
        is chrome when every field is, or all but one short name.
        """
        quick = fold_quick(line)
        if not quick or quick.count(" ") + 1 > self.max_words:
            return None
        folded, index = fold(line)
        words = folded.count(" ") + 1
        found = self._match_folded(line, folded, index, words)
        if found or words > DEFAULT_MAX_WORDS or not _FIELD_SEP.search(folded):
            return found
        return self._match_fields(line, folded, index)

    def _match_folded(self, line: str, folded: str, index: list[int], words: int) -> ChromeMatch | None:
        for rule in self.rules:
            if words > rule.max_words:
                continue
            m = rule.regex.fullmatch(folded)
            if m is None:
                continue
            result = ChromeMatch(rule)
            ok = True
            for key, value in m.groupdict().items():
                if value is None:
                    continue
                original = (
                    line[index[m.start(key)] : index[m.end(key) - 1] + 1] if m.end(key) > m.start(key) else ""
                )
                if key in _COUNTERS:
                    count = parse_count(original)
                    if count is None:
                        ok = False
                        break
                    result.counters[key] = count
                elif key in ("date", "updated"):
                    date = parse_date_text(original)
                    if date is None:
                        ok = False
                        break
                    if key == "date":
                        result.date = date
                elif key == "author":
                    result.author = _clean_author(original)
            if not ok:
                continue
            for key, value in rule.sets:
                result.counters.setdefault(key, value)
            return result
        return None

    def _match_fields(self, line: str, folded: str, index: list[int]) -> ChromeMatch | None:
        spans: list[tuple[int, int]] = []
        pos = 0
        for sep in _FIELD_SEP.finditer(folded):
            spans.append((pos, sep.start()))
            pos = sep.end()
        spans.append((pos, len(folded)))
        matched: list[ChromeMatch] = []
        names: list[str] = []
        for start, end in spans:
            if start >= end:
                continue
            piece = line[index[start] : index[end - 1] + 1]
            sub = self.match_single(piece)
            if sub is not None:
                matched.append(sub)
                continue
            if len(folded[start:end].split()) <= 3 and not re.search(r"[0-9]", folded[start:end]):
                names.append(piece)
                continue
            return None
        if len(names) > 1 or len(matched) < 2 - len(names) or not matched:
            return None
        result = ChromeMatch(matched[0].rule)
        for sub in matched:
            for key, value in sub.counters.items():
                result.counters.setdefault(key, value)
            result.author = result.author or sub.author
            result.date = result.date or sub.date
        # a name beside a date alone may be a dateline place ("بغداد - 17 أكتوبر 2016");
        # beside two or more meta fields it is the byline
        if names and result.author is None and len(matched) >= 2:
            result.author = _clean_author(names[0])
        return result

    def match_single(self, line: str) -> ChromeMatch | None:
        """Like :meth:`match`, without splitting the line into fields."""
        quick = fold_quick(line)
        if not quick or quick.count(" ") + 1 > self.max_words:
            return None
        folded, index = fold(line)
        return self._match_folded(line, folded, index, folded.count(" ") + 1)


@lru_cache(maxsize=1)
def load_chrome_rules() -> ChromeRules:
    """The package's chrome rules (``data/chrome_patterns.txt``)."""
    return ChromeRules.parse(_data_text("chrome_patterns.txt"))
