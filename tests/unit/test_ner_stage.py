"""The entity stage: words rebuilt from clitic tokens, spans in the original text."""

from __future__ import annotations

from marsad.arabic.sentences import split_sentences
from marsad.arabic.tokenize import tokenize
from marsad.documents import Article
from marsad.enrich.entities import EntityStage, sentence_words
from marsad.pipeline.base import check_chain

CLITICS = tuple("وفبلك")


def _article(text: str) -> Article:
    a = Article(id="t", text=text, language="ar")
    a.tokens = tokenize(text)
    a.sentences = split_sentences(text, a.tokens)
    return a


def test_words_rejoin_clitics_and_keep_punctuation_apart() -> None:
    text = "وقال للصحفيين في بغداد، إن القوات وصلت."
    words = sentence_words(text, tokenize(text))
    assert [w.text for w in words] == ["وقال", "للصحفيين", "في", "بغداد", "،", "إن", "القوات", "وصلت", "."]
    first = words[0]
    assert (first.start, first.host_start) == (0, 1)  # the host قال starts after و
    assert all(text[w.start:w.end] == w.text for w in words)


def test_stage_shape() -> None:
    stage = EntityStage()
    assert stage.name == "entities.crf.v1"
    assert stage.requires == {"tokens", "sentences"}
    assert stage.provides == {"entities"}
    assert stage.languages == {"ar"}
    from marsad.enrich.tokens import TokenStage

    check_chain([TokenStage(), stage], {"text", "language"})


def test_spans_drop_leading_clitics_keep_article() -> None:
    text = (
        "وقال الرئيس العراقي في بغداد إن القوات العراقية دخلت مدينة الموصل. "
        "وأضاف أن الجيش سيطر على مدينة الرمادي وبغداد آمنة، وأكد أن تنظيم داعش هزم بالموصل والعراق."
    )
    article = _article(text)
    (out,) = EntityStage().process([article])
    assert out is article
    ents = article.entities
    assert ents, "no entity found"
    for e in ents:
        assert text[e.start:e.end] == e.text
        assert e.label in {"PER", "LOC", "ORG", "MISC"}
        assert not e.text.startswith(" ") and not e.text.endswith(" ")
    by_text = {e.text: e.label for e in ents}
    assert by_text.get("بغداد") == "LOC"
    assert by_text.get("الموصل") == "LOC"
    assert by_text.get("داعش") == "ORG"
    # the و of وبغداد is not in the span
    second = text.index("وبغداد")
    assert any(e.start == second + 1 and e.text == "بغداد" for e in ents)
    # nor the ب of بالموصل, nor the و of والعراق; the article stays
    assert any(e.start == text.index("بالموصل") + 1 and e.text == "الموصل" for e in ents)
    assert any(e.start == text.index("والعراق") + 1 and e.text == "العراق" for e in ents)
    assert not any(e.text[0] in CLITICS and e.text[1:] in by_text for e in ents)
