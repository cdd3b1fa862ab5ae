"""One event per happening: later mentions of an event join its first mention.

News repeats itself: the lead says «فرّ آلاف السكان من الموصل», a later
paragraph «الفارون من المدينة»، and a quoted witness «فررنا». Read sentence by
sentence, that is three displacements. Conflict-event datasets code one event
per type, place, day and actors (ACLED's unit of coding), so the mentions of
one article are merged when nothing tells them apart:

* the same ``type``, and the same ``sub_type`` (or one of them unknown);
* the same place (both resolved to the same point or named alike, or both
  without a place), and no two different destinations;
* the same date, or one explicit date within the other (a day within a
  range); a mention whose sentence gives no date (its date is the
  publication date) joins one dated in the week before publication or in a
  range that holds the day of publication;
* no figure of one kind that differs (12 killed and 3 killed are two
  attacks), and no two disjoint non-empty sets of actors.

A mention whose sentence dates it only from another event (``بعد عامين ونصف
من سيطرته عليها``: the date expression has no value of its own) has an
unknown time and is merged with nothing.

The first mention stays the event's evidence (``trigger`` and ``sentence``);
the later ones are listed, in text order, in the added field ``mentions``
(``[{"trigger": span, "sentence": {"start", "end"}}]``). The merged event
takes the most precise date, the figures and places that only one mention
gives, the union of actors and targets, the highest confidence, and is a
background mention only when every mention is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from marsad.documents import Event, Span
from marsad.isodates import within

__all__ = ["merge_mentions"]

_FIGURES = ("fatalities", "injured", "displaced", "arrested")


def _place_key(place: dict[str, Any] | None) -> tuple[Any, ...] | None:
    if place is None:
        return None
    if place.get("lat") is not None and place.get("lon") is not None:
        return (round(float(place["lat"]), 3), round(float(place["lon"]), 3))
    return (place.get("name") or place.get("text"),)


def _recent(day: str, published: str, days: int = 7) -> bool:
    """``day`` is a date at most ``days`` days before ``published``."""
    try:
        d, p = date.fromisoformat(day), date.fromisoformat(published[:10])
    except ValueError:
        return False
    return timedelta(0) <= p - d <= timedelta(days=days)


def _dates_agree(a: Event, b: Event, defaulted: set[int]) -> bool:
    if a.date is None or b.date is None:
        return True
    va, vb = str(a.date["value"]), str(b.date["value"])
    if va == vb:
        return True
    if id(a) in defaulted and id(b) in defaulted:
        return True
    if id(a) in defaulted or id(b) in defaulted:
        # a sentence with no date speaks of the days of publication: it joins
        # a mention dated then (a range holding the day, or the past week)
        pub, dated = (va, vb) if id(a) in defaulted else (vb, va)
        return within(pub, dated) or _recent(dated, pub)
    return within(va, vb) or within(vb, va)


def _texts(spans: Sequence[Span]) -> set[str]:
    return {s.text for s in spans}


def _same_happening(a: Event, b: Event, defaulted: set[int]) -> bool:
    if a.type != b.type:
        return False
    if a.sub_type and b.sub_type and a.sub_type != b.sub_type:
        return False
    if _place_key(a.place) != _place_key(b.place):
        return False
    da, db = _place_key(a.destination), _place_key(b.destination)
    if da is not None and db is not None and da != db:
        return False
    if not _dates_agree(a, b, defaulted):
        return False
    for f in _FIGURES:
        x, y = getattr(a, f), getattr(b, f)
        if x is not None and y is not None and x != y:
            return False
    ta, tb = _texts(a.actors), _texts(b.actors)
    return not (ta and tb and not ta & tb)


def _precision_rank(date: dict[str, Any] | None) -> int:
    """Narrower dates first: a day before a range before a year."""
    if date is None:
        return 99
    order = ("day", "week", "month", "season", "range", "year")
    p = str(date.get("precision"))
    return order.index(p) if p in order else 50


def _absorb(into: Event, other: Event, defaulted: set[int]) -> None:
    into.extra.setdefault("mentions", []).append(
        {"trigger": other.trigger.to_dict(), "sentence": other.sentence.to_dict()})
    if id(into) in defaulted and id(other) not in defaulted:
        into.date = other.date
        defaulted.discard(id(into))
    elif id(other) not in defaulted and _precision_rank(other.date) < _precision_rank(into.date):
        into.date = other.date
    for f in _FIGURES:
        if getattr(into, f) is None and getattr(other, f) is not None:
            setattr(into, f, getattr(other, f))
    if into.sub_type is None:
        into.sub_type = other.sub_type
    if into.destination is None:
        into.destination = other.destination
    have = _texts(into.actors)
    into.actors += [s for s in other.actors if s.text not in have]
    have = _texts(into.targets)
    into.targets += [s for s in other.targets if s.text not in have]
    into.confidence = max(into.confidence, other.confidence)
    if not other.extra.get("background"):
        into.extra.pop("background", None)
    for key in ("displaced_unit", "attribution"):
        if key in other.extra and key not in into.extra:
            into.extra[key] = other.extra[key]


def merge_mentions(events: list[Event], defaulted: set[int] | None = None,
                   unanchored: set[int] | None = None) -> list[Event]:
    """The events with later mentions of one happening merged into the first.

    ``defaulted`` holds the ``id()`` of the events whose date is only the
    publication date; ``unanchored`` of those whose sentence dates them from
    another event (``بعد عامين من سيطرته``): their time is unknown, so they are
    merged with nothing. The input order (text order) is kept.
    """
    defaulted = set(defaulted or ())
    apart = set(unanchored or ())
    out: list[Event] = []
    for ev in events:
        host = None if id(ev) in apart else next(
            (e for e in out if id(e) not in apart and _same_happening(e, ev, defaulted)), None)
        if host is None:
            out.append(ev)
        else:
            _absorb(host, ev, defaulted)
    return out
