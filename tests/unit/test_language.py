from marsad.documents import Article
from marsad.enrich.language import LanguageStage, detect_language


def test_languages_of_news_text():
    assert detect_language("نقلت صحيفة الغارديان البريطانية عن سكان محليين فارين من مدينة الموصل") == "ar"
    assert detect_language("The Guardian reported that residents were fleeing the city of Mosul") == "en"
    assert detect_language("Le Guardian rapporte que des habitants fuient la ville de Mossoul") == "fr"
    assert detect_language("روزنامه گاردین از قول ساکنان محلی که از شهر موصل گریخته‌اند گزارش داد") == "fa"
    assert detect_language("Газета сообщила, что жители бегут из города Мосул на севере") == "ru"


def test_arabic_with_latin_names_is_arabic():
    text = "قالت وكالة Reuters إن قوات Peshmerga تقدمت نحو مدينة الموصل صباح اليوم وسط اشتباكات عنيفة"
    assert detect_language(text) == "ar"


def test_too_little_text_is_undetermined():
    assert detect_language("") == "und"
    assert detect_language("123 456 !!!") == "und"
    assert detect_language("خبر") == "und"


def test_stage_sets_language_on_every_article():
    arts = [Article(id="a", text="هذا خبر عاجل عن نزوح السكان من المدينة بعد القصف العنيف"),
            Article(id="b", text="This is breaking news about people fleeing the city after shelling")]
    out = LanguageStage().process(arts)
    assert [a.language for a in out] == ["ar", "en"]
