"""One event per happening: mentions of the same event across sentences merge."""

from __future__ import annotations

from tests.unit.test_events import PUBLISHED, analyse, place

from marsad.documents import Event, Sentence, Span
from marsad.events.coref import merge_mentions


def _ev(type_: str, start: int, *, date: str | None = PUBLISHED, fatalities: int | None = None,
        where: str | None = "Mosul", actors: tuple[str, ...] = ()) -> Event:
    return Event(type=type_, trigger=Span("x", start, start + 1), sentence=Sentence(start, start + 10),
                 place=None if where is None else {"text": where, "name": where, "lat": 36.3, "lon": 43.1
                                                   if where == "Mosul" else 44.4},
                 date=None if date is None else {"value": date, "precision": "range" if "/" in date else "day"},
                 fatalities=fatalities, actors=[Span(a, 0, len(a)) for a in actors])


def test_restatements_merge_into_the_first_mention() -> None:
    text = ("فر آلاف السكان من الموصل هربا من المعارك. "
            "وقال شهود إن الفارين من الموصل وصلوا إلى المخيمات خلال الأسابيع الستة الماضية.")
    events = [e for e in analyse(text, places=[place(text, "الموصل"), place(text, "الموصل", n=1)])
              if e["type"] == "displacement"]
    assert len(events) == 1, events
    (e,) = events
    assert e["trigger"]["text"] == "فر"
    assert [m["trigger"]["text"] for m in e["mentions"]] == ["الفارين"]
    assert e["mentions"][0]["sentence"]["start"] > e["sentence"]["start"]
    assert e["date"]["precision"] == "range"  # the dated mention's date wins over the publication date


def test_what_tells_happenings_apart_keeps_them_apart() -> None:
    a, b = _ev("battles", 0), _ev("battles", 50)
    assert len(merge_mentions([a, b])) == 1
    assert len(merge_mentions([_ev("battles", 0), _ev("explosions_remote_violence", 50)])) == 2
    assert len(merge_mentions([_ev("battles", 0), _ev("battles", 50, where="Baghdad")])) == 2
    assert len(merge_mentions([_ev("battles", 0, date="2005/2006"), _ev("battles", 50, date="2014-06-10")])) == 2
    assert len(merge_mentions([_ev("battles", 0, fatalities=12), _ev("battles", 50, fatalities=3)])) == 2
    assert len(merge_mentions([_ev("battles", 0, actors=("الجيش",)), _ev("battles", 50, actors=("البيشمركة",))])) == 2


def test_dates_join_when_one_holds_the_other() -> None:
    # a mention with no date of its own (publication date) joins a range that holds it
    first, later = _ev("battles", 0), _ev("battles", 50, date="2016-04-20/2016-10-20")
    (merged,) = merge_mentions([first, later], defaulted={id(first)})
    assert merged.date == {"value": "2016-04-20/2016-10-20", "precision": "range"}
    # but not an old event: the publication day is not within 2005/2006
    first, later = _ev("battles", 0), _ev("battles", 50, date="2005/2006")
    assert len(merge_mentions([first, later], defaulted={id(first)})) == 2
    # a day within a range
    assert len(merge_mentions([_ev("battles", 0, date="2016-05-01"),
                               _ev("battles", 50, date="2016-04-20/2016-10-20")])) == 1


def test_figures_and_actors_are_pooled() -> None:
    a = _ev("battles", 0, actors=("الجيش",))
    b = _ev("battles", 50, fatalities=7, actors=("الجيش", "مسلحون"))
    (m,) = merge_mentions([a, b])
    assert m.fatalities == 7 and [s.text for s in m.actors] == ["الجيش", "مسلحون"]
    assert m.extra["mentions"] == [{"trigger": {"text": "x", "start": 50, "end": 51},
                                    "sentence": b.sentence.to_dict()}]


def test_an_event_dated_from_another_is_merged_with_nothing() -> None:
    text = ("انطلقت الحملة لاستعادة المدينة من قبضة التنظيم بعد عامين ونصف العام من سيطرته عليها. "
            "وتقدمت القوات نحو المدينة خلال الأشهر الستة الماضية وسط اشتباكات عنيفة.")
    events = [e for e in analyse(text, places=[place(text, "المدينة"), place(text, "المدينة", n=1)])
              if e["type"] == "battles"]
    assert len(events) == 2, events
    assert all(not e.get("mentions") for e in events)
    # without the duration the two clashes would be one happening
    a, b = _ev("battles", 0), _ev("battles", 50, date="2016-04-20/2016-10-20")
    assert len(merge_mentions([a, b], defaulted={id(a)})) == 1
    assert len(merge_mentions([a, b], defaulted=set(), unanchored={id(a)})) == 2


def test_within_reads_every_iso_form() -> None:
    from marsad.isodates import within

    assert within("2016-10-20", "2016-04-20/2016-10-20") and within("2016-07-15", "2016-22")
    assert within("2016-W42", "2016-10") and not within("2016", "2016-10")
    assert not within("2016-10-21", "2016-04-20/2016-10-20") and not within("soon", "2016")
