import pytest

from marsad.documents import (
    Article,
    Attribution,
    DateMention,
    Entity,
    Event,
    Place,
    Sentence,
    Span,
    content_id,
)
from marsad.errors import CODES, MarsadError


def test_content_id_is_stable_and_content_sensitive():
    assert content_id("نص") == content_id("نص")
    assert content_id("نص") != content_id("نص ")
    assert len(content_id("x")) == 16


def test_article_round_trips_through_dict():
    text = "قال مسؤول إن القصف على الموصل أمس"
    a = Article(id="a1", text=text, published="2016-10-20", language="ar")
    a.entities.append(Entity("الموصل", 23, 29, "LOC"))
    a.places.append(Place("الموصل", 23, 29, name="Mosul", country_code="IQ", lat=36.34, lon=43.13, feature="city", geonames_id=99072))
    a.dates.append(DateMention("أمس", 30, 33, "2016-10-19", "day"))
    a.attributions.append(Attribution(source=Span("مسؤول", 4, 9), cue=Span("قال", 0, 3)))
    a.events.append(Event(type="explosions_remote_violence", trigger=Span("القصف", 13, 18), sentence=Sentence(0, len(text)), extra={"displaced_unit": None}))
    d = a.to_dict()
    for e in d["entities"] + d["places"] + d["dates"]:
        assert text[e["start"]:e["end"]] == e["text"]
    assert Article.from_dict(d).to_dict() == d


def test_error_codes_are_checked():
    with pytest.raises(ValueError):
        MarsadError("no_such_code", "x")
    e = MarsadError("empty_input", "the file is empty", value="a.txt")
    assert e.to_dict() == {"code": "empty_input", "message": "the file is empty"}
    assert "empty_input" in CODES
