import random
from pathlib import Path

import pytest
from tests.conftest import SEED

from marsad.arabic.normalize import normalize
from marsad.arabic.tokenize import tokenize
from marsad.documents import Token

DATA = Path(__file__).resolve().parent.parent / "data"


def check_offsets(text: str, tokens: list[Token]) -> None:
    last = 0
    for t in tokens:
        assert text[t.start : t.end] == t.text
        assert t.text and t.start >= last
        last = t.end
        assert t.kind in ("word", "clitic", "number", "punct", "latin")


def pieces(word: str) -> list[str]:
    return [t.text for t in tokenize(word)]


# ---- offsets -----------------------------------------------------------------

ADVERSARIAL = [
    "",
    "   \n\t ",
    "وَالمَوْصِلُ، بِالـمـوصـل؟",
    "\u200fقال\u200f \u202bالعراق\u202c\u2066x\u2069",
    "ﻟﻠﻤﻮﺻﻞ ﻻ ﷲ ﹰ ﺑﺎﻟﻌﺮﺍﻕ",
    "لـ”الغارديان” لـ\"داعش\" «بغداد»",
    "1.3K مشاهدات0 2005-2006 ٣٫٥ ١٬٢٠٠ 12,500.75",
    "COVID-19 Reuters/AFP G20 naïve",
    "👍🏽👨\u200d👩\u200d👧 ✔️ 1️⃣ 😀وبغداد",
    "\u0651\u064eابتداء بعلامة",
    "ـــــ ــ",
    "Москва و東京 ولندن",
    "a\u0301b وَّ ",
    "\ufeff\u200b\u200c\u200d",
]


@pytest.mark.parametrize("text", ADVERSARIAL)
def test_offsets_on_adversarial_strings(text: str) -> None:
    check_offsets(text, tokenize(text))


def test_offsets_on_random_strings() -> None:
    rng = random.Random(99)
    alphabet = (
        "ابتثجحخدذرسشصضطظعغفقكلمنهويءآأؤإئىة" * 3
        + "وفبلكال" * 4
        + "\u064b\u064e\u064f\u0650\u0651\u0652\u0670\u0640"
        + "ﻻﻷﺑﺎﻟﻤﻮﺻﻞﷲﹰ"
        + "\u200f\u200e\u202b\u202c\u2066\u2069\ufeff\u061c\u200c\u200d"
        + "٠١٢٣0123.,٫٬ \n\t"
        + "AbcXYZé«»“”\"'()،؛؟!?-…"
        + "😀👍🏽\u0301\ufe0f"
    )
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        check_offsets(text, tokenize(text))


def test_offsets_with_hypothesis() -> None:
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies

    @hypothesis.settings(max_examples=300, deadline=None)
    @hypothesis.given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60))
    def any_text(text: str) -> None:
        check_offsets(text, tokenize(text))

    @hypothesis.settings(max_examples=300, deadline=None)
    @hypothesis.given(st.text(alphabet="وفبلكالموصنيةأإآى\u064e\u0651\u0640\u200f ﻻ،.؟«»\"1٢", max_size=40))
    def arabic_text(text: str) -> None:
        check_offsets(text, tokenize(text))

    any_text()
    arabic_text()


def test_offsets_and_norms_on_seed_article() -> None:
    text = SEED.read_text(encoding="utf-8")
    tokens = tokenize(text)
    check_offsets(text, tokens)
    for t in tokens:
        if t.kind == "word" and t.proclitics and t.proclitics[-1] == "ل" and t.article and t.text.startswith("ل"):
            assert t.norm == "ا" + normalize(t.text)  # elided article restored
        else:
            assert t.norm == normalize(t.text)


# ---- kinds -------------------------------------------------------------------


def test_kinds_punctuation_numbers_latin() -> None:
    text = "قال «مسؤول»: ارتفع 3.5% و١٬٢٠٠ (AFP) ٣٫٥، هل؟ ..."
    got = [(t.text, t.kind) for t in tokenize(text)]
    assert got == [
        ("قال", "word"),
        ("«", "punct"),
        ("مسؤول", "word"),
        ("»", "punct"),
        (":", "punct"),
        ("ارتفع", "word"),
        ("3.5", "number"),
        ("%", "punct"),
        ("و", "clitic"),
        ("١٬٢٠٠", "number"),
        ("(", "punct"),
        ("AFP", "latin"),
        (")", "punct"),
        ("٣٫٥", "number"),
        ("،", "punct"),
        ("هل", "word"),
        ("؟", "punct"),
        ("...", "punct"),
    ]
    nums = [t for t in tokenize(text) if t.kind == "number"]
    assert [t.norm for t in nums] == ["3.5", "1٬200", "3٫5"]


def test_number_separators_only_between_digits() -> None:
    assert [(t.text, t.kind) for t in tokenize("عام 2006. و1,000,000")] == [
        ("عام", "word"),
        ("2006", "number"),
        (".", "punct"),
        ("و", "clitic"),
        ("1,000,000", "number"),
    ]


def test_latin_lowercased_norm_and_digits_inside() -> None:
    toks = tokenize("Reuters G20")
    assert [(t.kind, t.norm) for t in toks] == [("latin", "reuters"), ("latin", "g20")]


def test_detached_proclitic_with_tatweel() -> None:
    toks = tokenize("تحدثا لـ”الغارديان”")
    assert [(t.text, t.kind) for t in toks] == [
        ("تحدثا", "word"),
        ("لـ", "clitic"),
        ("”", "punct"),
        ("الغارديان", "word"),
        ("”", "punct"),
    ]
    assert toks[1].norm == "ل"


def test_tatweel_only_run_is_punct() -> None:
    assert [(t.text, t.kind) for t in tokenize("أ ـــ ب")][1] == ("ـــ", "punct")


# ---- clitics -----------------------------------------------------------------


def test_article_stays_inside_host() -> None:
    toks = tokenize("بالموصل")
    assert [(t.text, t.start, t.end, t.kind) for t in toks] == [("ب", 0, 1, "clitic"), ("الموصل", 1, 7, "word")]
    host = toks[1]
    assert host.article and host.proclitics == ("ب",)
    assert host.norm == "الموصل" and host.stem == "موصل"


def test_elided_article_after_lam() -> None:
    toks = tokenize("للموصل")
    assert [(t.text, t.start, t.end, t.kind) for t in toks] == [("ل", 0, 1, "clitic"), ("لموصل", 1, 6, "word")]
    assert toks[1].norm == "الموصل" and toks[1].article and toks[1].stem == "موصل"
    assert toks[1].proclitics == ("ل",)


def test_search_stem_is_shared() -> None:
    stems = {[t for t in tokenize(w) if t.kind == "word"][0].stem for w in ("الموصل", "بالموصل", "والموصل", "للموصل", "وللموصل")}
    assert stems == {"موصل"}
    assert tokenize("أمريكي")[0].stem == tokenize("امريكي")[0].stem == "امريكي"


def test_two_proclitics() -> None:
    toks = tokenize("وللموصل وبالتالي")
    assert [t.text for t in toks] == ["و", "ل", "لموصل", "و", "ب", "التالي"]
    assert toks[2].proclitics == ("و", "ل") and toks[2].norm == "الموصل"
    assert toks[5].proclitics == ("و", "ب") and toks[5].stem == "تالي"


@pytest.mark.parametrize(
    "word",
    "وزير وادي ولد فرنسا فلسطين بغداد بيروت كركوك لبنان لندن ليبيا بريطانيا كانون فبراير وكالة فارين "
    "وكالات بلدية كلها كان كما لما لكن بين بعد وقت".split(),
)
def test_words_that_stay_whole(word: str) -> None:
    assert pieces(word) == [word]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("وبغداد", ["و", "بغداد"]),
        ("وفلسطين", ["و", "فلسطين"]),
        ("بفرنسا", ["ب", "فرنسا"]),
        ("للبنان", ["ل", "لبنان"]),
        ("كالعادة", ["ك", "العادة"]),
        ("والولد", ["و", "الولد"]),
        ("وقال", ["و", "قال"]),
        ("ووزير", ["و", "وزير"]),
        ("وفي", ["و", "في"]),
        ("بأن", ["ب", "أن"]),
        ("فإن", ["ف", "إن"]),
        ("ولده", ["ولده"]),
        ("وراءها", ["وراءها"]),
    ],
)
def test_splits(word: str, expected: list[str]) -> None:
    assert pieces(word) == expected


def test_clitic_keeps_its_harakat() -> None:
    toks = tokenize("وَالمَوصِل")
    assert [(t.text, t.start, t.end) for t in toks] == [("وَ", 0, 2), ("المَوصِل", 2, 10)]
    assert toks[1].norm == "الموصل"


def test_presentation_forms_word_is_segmented() -> None:
    toks = tokenize("ﻟﻠﻤﻮﺻﻞ")
    assert [(t.start, t.end, t.kind) for t in toks] == [(0, 1, "clitic"), (1, 6, "word")]
    assert toks[1].norm == "الموصل"


def test_article_not_read_into_root_letters() -> None:
    for word in ("إلى", "الذي", "ألمانيا", "التزام", "إلغاء"):
        t = tokenize(word)[0]
        assert not t.article and t.stem == t.norm, word
    t = tokenize("بالألمانية")[1]
    assert t.article and t.stem == "المانيه"


def _accuracy(name: str) -> tuple[float, list[str]]:
    total = ok = 0
    errors = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, gold = line.split("\t")[:2]
        assert gold.replace("+", "") == word
        got = "+".join(pieces(word))
        total += 1
        ok += got == gold
        if got != gold:
            errors.append(f"{word}: {gold} != {got}")
    return ok / total, errors


def test_clitic_segmentation_accuracy_on_held_out_gold() -> None:
    # 218 words from the ANERcorp test split; measured 0.954 (208/218)
    acc, errors = _accuracy("clitic_gold.tsv")
    assert acc >= 0.95, errors


def test_clitic_segmentation_accuracy_on_dev_set() -> None:
    # 123 rare words from the ANERcorp train split; measured 0.927 (114/123)
    acc, errors = _accuracy("clitic_dev.tsv")
    assert acc >= 0.92, errors
