from tests.conftest import SEED

from marsad.arabic.sentences import split_sentences
from marsad.arabic.tokenize import tokenize
from marsad.documents import Sentence


def sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text, tokenize(text))]


def check_consistency(text: str, sents: list[Sentence]) -> None:
    tokens = tokenize(text)
    assert sents == split_sentences(text, tokens)
    expected_next = 0
    for s in sents:
        assert s.token_start == expected_next < s.token_end
        assert tokens[s.token_start].start == s.start
        assert tokens[s.token_end - 1].end == s.end
        assert text[s.start : s.end] == text[s.start : s.end].strip()
        expected_next = s.token_end
    assert expected_next == len(tokens)


def test_seed_article_golden() -> None:
    text = SEED.read_text(encoding="utf-8")
    got = sentences(text)
    # checked by hand: every paragraph of this page is one sentence
    expected = [
        ("فارون من الموصل ..", "ضد تنظيم داعش"),
        ("مشرف 1.3K", "مشاهدات0"),
        ("نقلت صحيفة “الغارديان”", "من سيطرته عليها."),
        ("وحسب المواطنين الفارين", "وجدت الدعم الكافي."),
        ("اثنان من أسرة واحدة", "قوى قبلية من الموصل."),
        ("التنظيم السري المناهض", "غير أنه موجود."),
        ("وكانت شائعات سرت،", "مجابهة التنظيم وعناصره."),
        ("أبو جميل، رجل آخر", "لديه خلية أمنية قوية”."),
        ("وتوعد أبو جميل", "الذين وقفوا ضده."),
        ("وسبق أن شكلت", "السيناريو ذاته في الموصل."),
        ("وفي داخل مخيم ديبكه", "مواقع التنظيم وأعضائه."),
        ("اترك رد", "اترك رد"),
        ("%d مدونون", "معجبون بهذه:"),
    ]
    assert len(got) == len(expected)
    for sent, (head, tail) in zip(got, expected, strict=True):
        assert sent.startswith(head) and sent.endswith(tail), sent
    check_consistency(text, split_sentences(text, tokenize(text)))
    # the first body sentence, exactly
    body = split_sentences(text, tokenize(text))[2]
    assert (body.start, body.end) == (text.index("نقلت"), text.index("عليها.") + len("عليها."))


def test_several_sentences_in_a_paragraph() -> None:
    text = "قال الوزير إن الوضع مستقر. وأضاف: «لن نتراجع. سنواصل العمل». ثم غادر؟ نعم!"
    assert sentences(text) == [
        "قال الوزير إن الوضع مستقر.",
        "وأضاف: «لن نتراجع. سنواصل العمل».",
        "ثم غادر؟",
        "نعم!",
    ]


def test_clause_mark_and_colon_do_not_break() -> None:
    text = "سقط ثلاثة قتلى؛ وأصيب عشرة: بينهم أطفال."
    assert sentences(text) == [text]


def test_abbreviations_and_decimals() -> None:
    text = "برلين (د ب أ) قال د. محمد علي إن النمو بلغ 3.5 في المئة. وقال أ. د. أحمد: الوضع صعب."
    assert sentences(text) == [
        "برلين (د ب أ) قال د. محمد علي إن النمو بلغ 3.5 في المئة.",
        "وقال أ. د. أحمد: الوضع صعب.",
    ]
    assert sentences("Dr. Smith met J. Brown. They talked.") == ["Dr. Smith met J. Brown.", "They talked."]


def test_closing_quote_after_terminator_joins_the_sentence() -> None:
    text = 'قال: "انتهى الأمر." ثم ذهب.'
    assert sentences(text) == ['قال: "انتهى الأمر."', "ثم ذهب."]
    text = "وقال (وهو غاضب جداً!) إنه لن يعود. انتهى."
    assert sentences(text) == ["وقال (وهو غاضب جداً!) إنه لن يعود.", "انتهى."]
    text = "(انتهى الاجتماع.) ثم بدأ آخر."
    assert sentences(text) == ["(انتهى الاجتماع.)", "ثم بدأ آخر."]


def test_arabic_style_quotes_with_same_mark_both_sides() -> None:
    text = "نقلت لـ”الغارديان” قولهم: ”لن نرحل. سنقاوم”. وانتهى اللقاء."
    assert sentences(text) == ["نقلت لـ”الغارديان” قولهم: ”لن نرحل. سنقاوم”.", "وانتهى اللقاء."]


def test_paragraph_break_ends_sentence_even_inside_quotes() -> None:
    text = "قال: «بداية الكلام\n\nونهايته». ثم صمت.\nسطر آخر"
    assert sentences(text) == ["قال: «بداية الكلام", "ونهايته».", "ثم صمت.", "سطر آخر"]


def test_unbalanced_quote_does_not_swallow_the_paragraph() -> None:
    text = "قال «بداية غير مغلقة. جملة ثانية. جملة ثالثة."
    assert sentences(text) == ["قال «بداية غير مغلقة.", "جملة ثانية.", "جملة ثالثة."]


def test_numbered_list_item_and_ellipsis() -> None:
    assert sentences("1. البند الأول يبدأ هنا.") == ["1. البند الأول يبدأ هنا."]
    assert sentences("انتظروا... سيأتي الخبر.") == ["انتظروا... سيأتي الخبر."]


def test_empty_and_whitespace() -> None:
    assert split_sentences("", []) == []
    assert split_sentences(" \n\n ", tokenize(" \n\n ")) == []


def test_offsets_survive_marks_and_presentation_forms() -> None:
    text = "\u200fﺑﺎﻟﻤﻮﺻﻞ قُتِلَ ٣ أشخاصٍ. \u200fوجُرح ٥."
    sents = split_sentences(text, tokenize(text))
    assert [text[s.start : s.end] for s in sents] == ["ﺑﺎﻟﻤﻮﺻﻞ قُتِلَ ٣ أشخاصٍ.", "وجُرح ٥."]
    check_consistency(text, sents)
