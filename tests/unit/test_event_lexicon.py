"""The word lists of the event and attribution readers: provenance, form,
coverage of EVENTS.md's signal words, valid types, no duplicates."""

from __future__ import annotations

import re
import unicodedata
from importlib import resources
from pathlib import Path

import pytest

from marsad.arabic.normalize import normalize
from marsad.arabic.tokenize import tokenize
from marsad.documents import Sentence
from marsad.events.lexicon import EVENT_TYPES, load_event_lexicon, read_event_lines
from marsad.events.view import SentenceView

FILES = ["triggers.tsv", "context.tsv", "modality.tsv", "figures.tsv", "actors.tsv", "attribution.tsv"]
EVENTS_MD = Path(__file__).resolve().parents[3] / "shared" / "design" / "EVENTS.md"


def _raw(name: str) -> str:
    return (resources.files("marsad") / "data" / "events" / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", FILES)
def test_files_have_a_source_header(name: str) -> None:
    head = _raw(name).splitlines()[:12]
    assert any(line.startswith("# Source:") for line in head), name
    assert any("Licence" in line for line in head), name


@pytest.mark.parametrize("name", FILES)
def test_forms_are_clean(name: str) -> None:
    for cols in read_event_lines(name):
        field = cols[0] if name != "context.tsv" else cols[1]
        for form in field.split("|"):
            assert form == form.strip() and form, (name, cols)
            assert unicodedata.normalize("NFKC", form) == form, (name, form)
            assert not any(0xFB50 <= ord(c) <= 0xFDFF or 0xFE70 <= ord(c) <= 0xFEFF for c in form), form


def _duplicates(name: str, key_cols: tuple[int, ...]) -> list[str]:
    seen: dict[tuple[str, ...], str] = {}
    dups = []
    for cols in read_event_lines(name):
        forms = cols[1] if name == "context.tsv" else cols[0]
        for form in forms.split("|"):
            key = (normalize(form),) + tuple(cols[k] for k in key_cols)
            if key in seen:
                dups.append(f"{form} ({seen[key]})")
            seen[key] = form
    return dups


@pytest.mark.parametrize("name, key", [
    ("triggers.tsv", ()), ("modality.tsv", ()), ("figures.tsv", (1,)), ("actors.tsv", (1,)),
    ("attribution.tsv", (1,)), ("context.tsv", (0,)),
])
def test_no_duplicate_forms(name: str, key: tuple[int, ...]) -> None:
    assert _duplicates(name, key) == []


def test_every_trigger_has_a_valid_type_and_sub_type() -> None:
    lex = load_event_lexicon()
    assert lex.trigger_entries
    known_flags = {"casualty", "participant", "ambiguous", "attack", "joins", "figure"}
    for e in lex.trigger_entries:
        if e.type == "none":
            assert e.sub_type is None
            continue
        assert e.type in EVENT_TYPES, e
        assert e.sub_type is None or e.sub_type in EVENT_TYPES[e.type], e
        assert e.flags <= known_flags, e
        assert all(name in lex.context for name in e.needs), e
        assert all(name in lex.context for name in e.unless + e.near), e


def test_other_lists_use_known_kinds() -> None:
    lex = load_event_lexicon()
    kinds = {"negation", "future", "hypothetical", "intent", "call", "background", "cause", "boundary"}
    for cols in read_event_lines("modality.tsv"):
        assert cols[1] in kinds and re.fullmatch(r"-?\d+", cols[2]), cols
    roles = {"killed", "injured", "displaced", "arrested", "households", "subset", "not_people", "filler",
             "one", "dual_person", "dual_person_broken"}
    assert {cols[1] for cols in read_event_lines("figures.tsv")} <= roles
    assert {cols[1] for cols in read_event_lines("actors.tsv")} <= {"actor", "target", "armed_victim"}
    assert set(lex.attribution) == {"verb", "verb_noun", "participle", "relay_verb", "address_verb", "prep",
                                    "noun", "complementiser", "speaker", "media", "speech_event", "np_stop"}


def _signal_words() -> dict[str, list[str]]:
    """The 'typical Arabic signals' column of the EVENTS.md table, by type."""
    out: dict[str, list[str]] = {}
    for line in EVENTS_MD.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*`(\w+)`\s*\|.*\|\s*([^|]+)\|\s*$", line)
        if m and m.group(1) in EVENT_TYPES:
            out[m.group(1)] = [w.strip() for w in m.group(2).split("،") if w.strip()]
    return out


def test_every_events_md_signal_word_is_covered() -> None:
    if not EVENTS_MD.exists():
        pytest.fail(f"missing {EVENTS_MD}")
    signals = _signal_words()
    assert set(signals) == set(EVENT_TYPES)
    lex = load_event_lexicon()
    missing = []
    for type_, words in signals.items():
        for word in words:
            toks = tokenize(word)
            view = SentenceView.of(toks, Sentence(0, len(word), 0, len(toks)))
            found = [m for m in view.find_all(lex.triggers) if m[2].type == type_]
            # مخيم is where the displaced are (a destination), not a trigger of its own
            if not found and not (type_ == "displacement" and word == "مخيم"):
                missing.append(f"{type_}: {word}")
    assert missing == []
