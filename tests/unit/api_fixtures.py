"""Fixture articles for the API, export and dashboard tests.

Real Arabic text with hand-placed annotations whose offsets are checked
(``text[start:end] == span text``): the shared seed article (Mosul) with
displacement, battle and violence events, short reports from Syria and
Yemen, one article carrying markup and script (title, text and URL), and
one article with no event.  Sentences come from marsad's own splitter.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import SEED

from marsad.arabic.sentences import split_sentences
from marsad.arabic.tokenize import tokenize
from marsad.documents import (
    Article,
    Attribution,
    DateMention,
    Entity,
    Event,
    Place,
    Sentence,
    Span,
)
from marsad.store.sqlite import Store

MOSUL = {"text": "الموصل", "lat": 36.34, "lon": 43.13, "country_code": "IQ"}
DEBAGA = {"text": "مخيم ديبكه", "lat": 35.88, "lon": 43.79, "country_code": "IQ"}
ANBAR = {"text": "الأنبار", "lat": 33.42, "lon": 43.30, "country_code": "IQ"}
ALEPPO = {"text": "حلب", "lat": 36.20, "lon": 37.16, "country_code": "SY"}
HODEIDAH = {"text": "الحديدة", "lat": 14.80, "lon": 42.95, "country_code": "YE"}
TAIZ = {"text": "تعز", "lat": 13.58, "lon": 44.02, "country_code": "YE"}
BAGHDAD = {"text": "بغداد", "lat": 33.31, "lon": 44.36, "country_code": "IQ"}

XSS_SCRIPT = "<script>window.__pwned = 1; document.title = 'pwned';</script>"
XSS_IMG = '<img src=x onerror="window.__pwned = 2">'


def span(text: str, part: str, nth: int = 0) -> Span:
    """The ``nth`` occurrence of ``part`` in ``text`` as a Span (fails loudly if absent)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return Span(part, start, start + len(part))


def sentence_of(text: str, at: int) -> Sentence:
    """The sentence of ``text`` that holds offset ``at`` (marsad's splitter)."""
    for s in split_sentences(text, tokenize(text)):
        if s.start <= at < s.end:
            return Sentence(s.start, s.end)
    raise AssertionError(f"no sentence holds offset {at}")


def event(text: str, type_: str, trigger: str, nth: int = 0, **fields: Any) -> Event:
    trig = span(text, trigger, nth)
    return Event(type=type_, trigger=trig, sentence=sentence_of(text, trig.start), **fields)


def seed_body() -> tuple[str, str]:
    """The seed's title (line 1) and body (from line 5, page chrome at the end left out)."""
    lines = Path(SEED).read_text("utf-8").splitlines()
    body = []
    for line in lines[4:]:
        if line.strip() == "اترك رد":
            break
        body.append(line)
    return lines[0].strip(), "\n".join(body).strip()


def seed_article() -> Article:
    title, text = seed_body()
    a = Article(id="seed-mosul", text=text, title=title, language="ar", published="2016-10-20",
                url="https://www.example-news.net/2016/10/mosul-resistance.html")
    a.entities = [
        Entity(**span(text, "الغارديان").to_dict(), label="ORG"),
        Entity(**span(text, "الموصل").to_dict(), label="LOC"),
        Entity(**span(text, "داعش").to_dict(), label="ORG"),
        Entity(**span(text, "البيشمركة").to_dict(), label="ORG"),
        Entity(**span(text, "أبو جميل").to_dict(), label="PER"),
        Entity(**span(text, "الأنبار").to_dict(), label="LOC"),
        Entity(**span(text, "مخيم ديبكه").to_dict(), label="LOC"),
    ]
    a.places = [
        Place(**span(text, "الموصل").to_dict(), name="Mosul", name_ar="الموصل", country_code="IQ",
              lat=36.34, lon=43.13, feature="city", geonames_id=99072),
        Place(**span(text, "الأنبار").to_dict(), name="Al Anbar", name_ar="الأنبار", country_code="IQ",
              lat=33.42, lon=43.30, feature="admin1", geonames_id=99592),
        Place(**span(text, "مخيم ديبكه").to_dict(), name="Debaga camp", name_ar="مخيم ديبكه",
              country_code="IQ", lat=35.88, lon=43.79, feature="camp", geonames_id=None),
    ]
    a.dates = [
        DateMention(**span(text, "الصيف الماضي").to_dict(), value="2016-22", precision="season"),
        DateMention(**span(text, "عام 2005-2006").to_dict(), value="2005/2006", precision="range"),
    ]
    a.attributions = [
        Attribution(source=span(text, "سكان محليين"), cue=span(text, "نقلت"),
                    via=[span(text, "صحيفة “الغارديان” البريطانية")],
                    content=span(text, "المقاومة المحلية ضد تنظيم داعش")),
        Attribution(source=span(text, "المواطنين الفارين من المدينة"), cue=span(text, "حسب")),
    ]
    a.events = [
        event(text, "displacement", "فارين", sub_type="flight", place=dict(MOSUL),
              actors=[span(text, "سكان محليين")], date={"value": "2016-10-20", "precision": "day"},
              confidence=0.8),
        event(text, "battles", "تقدم القوات", sub_type="armed_clash", place=dict(MOSUL),
              actors=[span(text, "القوات العراقية والكردية")], targets=[span(text, "التنظيم", 2)],
              date={"value": "2016-10-17", "precision": "day"}, confidence=0.7),
        event(text, "violence_against_civilians", "مقتل", sub_type="attack", place=dict(MOSUL),
              actors=[span(text, "التنظيم", 7)], targets=[span(text, "ولده")], fatalities=1, confidence=0.7),
        event(text, "battles", "طرد", sub_type="armed_clash", place=dict(ANBAR),
              actors=[span(text, "تلك الصحوات")], date={"value": "2005/2006", "precision": "range"},
              confidence=0.4),
        event(text, "displacement", "النازحين", sub_type="arrival_in_camp", place=dict(MOSUL),
              destination=dict(DEBAGA), date={"value": "2016-10-20", "precision": "day"}, confidence=0.8),
    ]
    return a


def aleppo_article() -> Article:
    text = ("قصفت طائرات حربية أحياء في مدينة حلب الشرقية، أمس الأحد، ما أسفر عن مقتل 12 مدنياً "
            "وإصابة العشرات، بحسب ما أفاد المرصد السوري لحقوق الإنسان.\n"
            "وقال المرصد إن القصف استهدف سوقاً شعبية في حي الشعار.")
    a = Article(id="aleppo-strike", text=text, title="مقتل 12 مدنياً بقصف جوي على حلب", language="ar",
                published="2016-10-17", url="https://syria-news.example.org/aleppo/2016-10-17")
    a.entities = [Entity(**span(text, "حلب").to_dict(), label="LOC"),
                  Entity(**span(text, "المرصد السوري لحقوق الإنسان").to_dict(), label="ORG")]
    a.places = [Place(**span(text, "حلب").to_dict(), name="Aleppo", name_ar="حلب", country_code="SY",
                      lat=36.20, lon=37.16, feature="city", geonames_id=170063)]
    a.dates = [DateMention(**span(text, "أمس الأحد").to_dict(), value="2016-10-16", precision="day")]
    a.attributions = [Attribution(source=span(text, "المرصد السوري لحقوق الإنسان"), cue=span(text, "أفاد"))]
    a.events = [event(text, "explosions_remote_violence", "قصفت", sub_type="air_drone_strike",
                      place=dict(ALEPPO), actors=[span(text, "طائرات حربية")], targets=[span(text, "مدنياً")],
                      date={"value": "2016-10-16", "precision": "day"}, fatalities=12, injured=10,
                      confidence=0.9)]
    return a


def yemen_article() -> Article:
    text = ("نزحت مئات الأسر من مدينة الحديدة غربي اليمن خلال شهر أكتوبر هرباً من المعارك.\n"
            "وفي تعز، تظاهر مئات المواطنين يوم الجمعة احتجاجاً على انقطاع الرواتب.")
    a = Article(id="yemen-report", text=text, title="نزوح من الحديدة وتظاهرات في تعز", language="ar",
                published="2016-10-15", url="http://www.yemen-daily.example.com/report?id=7")
    a.entities = [Entity(**span(text, "الحديدة").to_dict(), label="LOC"),
                  Entity(**span(text, "تعز").to_dict(), label="LOC")]
    a.places = [Place(**span(text, "الحديدة").to_dict(), name="Al Hudaydah", name_ar="الحديدة",
                      country_code="YE", lat=14.80, lon=42.95, feature="city", geonames_id=79415),
                Place(**span(text, "تعز").to_dict(), name="Taiz", name_ar="تعز", country_code="YE",
                      lat=13.58, lon=44.02, feature="city", geonames_id=70225)]
    a.dates = [DateMention(**span(text, "شهر أكتوبر").to_dict(), value="2016-10", precision="month"),
               DateMention(**span(text, "يوم الجمعة").to_dict(), value="2016-10-14", precision="day")]
    a.events = [
        event(text, "displacement", "نزحت", sub_type="flight", place=dict(HODEIDAH), displaced=100,
              date={"value": "2016-10", "precision": "month"}, confidence=0.8,
              extra={"displaced_unit": "households"}),
        event(text, "protests", "تظاهر", sub_type="peaceful_protest", place=dict(TAIZ),
              actors=[span(text, "مئات المواطنين")], date={"value": "2016-10-14", "precision": "day"},
              confidence=0.8),
    ]
    return a


def hostile_article() -> Article:
    """Markup and script in the title, the text and the URL: all must show as text."""
    text = (f"تظاهر طلاب في بغداد أمس. ونشر موقع الخبر شيفرة {XSS_SCRIPT} داخل الصفحة، "
            f"وصورة {XSS_IMG} لم تظهر.\nوهذا نص عادي بعد الشيفرة.")
    a = Article(id="hostile-markup", text=text, title=f"{XSS_IMG} عنوان فيه <b>وسوم</b>", language="ar",
                published="2016-10-18", url="javascript:window.__pwned=3")
    a.entities = [Entity(**span(text, "بغداد").to_dict(), label="LOC"),
                  Entity(**span(text, XSS_SCRIPT).to_dict(), label="MISC")]
    a.places = [Place(**span(text, "بغداد").to_dict(), name="Baghdad", name_ar="بغداد", country_code="IQ",
                      lat=33.31, lon=44.36, feature="city", geonames_id=98182)]
    a.events = [event(text, "protests", "تظاهر", sub_type="peaceful_protest",
                      place={**BAGHDAD, "text": "بغداد <i>x</i>"}, actors=[span(text, "طلاب")],
                      date={"value": "2016-10-17", "precision": "day"}, confidence=0.6)]
    return a


def quiet_article() -> Article:
    text = "ناقش مجلس الوزراء في جلسته الأسبوعية مشروع الموازنة العامة للعام المقبل."
    return Article(id="no-events", text=text, title="مجلس الوزراء يناقش الموازنة", language="ar",
                   published=None, url="https://gov.example.net/budget")


def fixture_articles() -> list[Article]:
    return [seed_article(), aleppo_article(), yemen_article(), hostile_article(), quiet_article()]


def build_store(path: str | Path) -> Store:
    """A store at ``path`` holding the fixture articles (offsets checked first)."""
    from tests.conftest import assert_offsets

    articles = fixture_articles()
    for a in articles:
        assert_offsets(a.to_dict())
    store = Store(path)
    store.add_many(articles)
    return store
