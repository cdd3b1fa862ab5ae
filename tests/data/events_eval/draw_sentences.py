"""Draw the sentences of the event and attribution evaluation sets from ANERcorp.

Run once, by hand: ``python tests/data/events_eval/draw_sentences.py ANERCORP_DIR OUT.jsonl``.
It rejoins the corpus tokens into sentences (the stray first token that every
sentence of the CAMeL Lab test file carries is dropped; spaces before closing
punctuation are removed), keeps the first copy of sentences of 25 to 450 characters, and draws,
with a fixed seed, from groups defined by cue words: every sentence with a
protest, displacement, arrest or riot cue; 170 with a violence cue; 30 with an
agreement cue; every sports or market sentence that holds a violence word (hard
negatives); 70 with a reporting verb (for the attribution set) and 70 at random.
The cue words only choose what to read: the labels were then given by reading
each sentence (see the headers of dev.jsonl and test.jsonl), before the
readers were written.  The labelled sentences were then split in two at
random (seed 6): the event set stratified by the kind of event a sentence
holds (displacement, riots, protests, violence, strategic developments,
none), the attribution set by whether a sentence holds an attribution.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "src"))
from marsad.arabic.normalize import normalize  # noqa: E402

GROUPS = {
    "protest": "تظاهر تظاهرة تظاهرات مظاهرة مظاهرات متظاهر متظاهرون متظاهرين احتجاج احتجاجات محتجين "
               "محتجون اعتصام معتصمين مسيرة مسيرات إضراب اضراب احتج",
    "displacement": "نزوح نازح نازحين النازحين فرار فارين فروا هربوا تهجير مهجرين لجوء لاجئين إجلاء "
                    "اجلاء تشريد مشردين",
    "arrest": "اعتقال اعتقل اعتقلت توقيف أوقفت مداهمة احتجاز معتقلين",
    "riot": "شغب الشغب بالحجارة",
    "violence": "قتل مقتل قتلى قتيل اشتباك اشتباكات قصف غارة غارات انفجار تفجير هجوم مسلح مسلحون "
                "استشهد استشهاد شهيد جرحى إصابة اغتيال اختطاف خطف معارك قذيفة صاروخ صواريخ",
    "agreement": "اتفاق هدنة وقف إطلاق",
    "sport": "مباراة الدوري منتخب لاعب بطولة البورصة الأسهم مؤشر",
    "quote": "قال قالت أكد أكدت أوضح أضاف أشار نفى ذكر ذكرت أفاد أفادت صرح حسب بحسب وفقا نقلت",
}
QUOTAS = {"violence": 170, "agreement": 30, "quote": 70}
VIOLENT_WORDS = "هجوم هجمة معركة حرب قصف هزيمة انفجار سحق اكتساح ضربة قتال"


def sentences(path: Path, drop_first: bool) -> list[list[str]]:
    out: list[list[str]] = []
    cur: list[str] = []
    for line in path.open(encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip():
            if cur:
                out.append(cur)
                cur = []
            continue
        cur.append(line.rsplit(" ", 1)[0])
    if cur:
        out.append(cur)
    return [s[1:] for s in out] if drop_first else out


def rejoin(tokens: list[str]) -> str:
    s = " ".join(tokens)
    s = re.sub(r" ([.,،؛:!?؟)])", r"\1", s)
    return s.replace("( ", "(")


def words(text: str) -> set[str]:
    out = set()
    for w in normalize(text).split():
        w = w.strip(".,،؛:!?؟()\"'«»")
        out.add(w)
        for p in ("و", "ب", "ل", "ف", "وب", "ول", "لل"):
            if w.startswith(p):
                out.add(w[len(p):])
        for v in list(out):
            if v.startswith("ال"):
                out.add(v[2:])
    return out


def load_corpus(root: Path) -> list[tuple[str, int, str]]:
    corpus = [("train", i, rejoin(s)) for i, s in enumerate(
        sentences(root / "ANERCorp_CamelLab_train.txt", False))]
    corpus += [("test", i, rejoin(s)) for i, s in enumerate(
        sentences(root / "ANERCorp_CamelLab_test.txt", True))]
    seen: set[str] = set()
    unique = []
    for c in corpus:  # the corpus repeats some sentences: keep the first copy
        key = normalize(c[2])
        if 25 <= len(c[2]) <= 450 and key not in seen:
            seen.add(key)
            unique.append(c)
    return unique


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--round2":
        return round2(argv[1:])
    root, out_path = Path(argv[0]), Path(argv[1])
    corpus = load_corpus(root)
    rng = random.Random(6)
    cues = {g: {normalize(w) for w in ws.split()} for g, ws in GROUPS.items()}
    violent = {normalize(w) for w in VIOLENT_WORDS.split()}
    members: dict[str, list[int]] = {g: [] for g in GROUPS}
    for n, (_, _, text) in enumerate(corpus):
        ws = words(text)
        for g, c in cues.items():
            if ws & c:
                if g == "sport" and not ws & violent:
                    continue
                members[g].append(n)
    chosen: dict[int, str] = {}
    for g, idx in members.items():
        idx = [i for i in idx if i not in chosen]
        if g in QUOTAS:
            idx = rng.sample(idx, min(QUOTAS[g], len(idx)))
        for i in idx:
            chosen[i] = g
    rest = [i for i in range(len(corpus)) if i not in chosen]
    for i in rng.sample(rest, 70):
        chosen[i] = "random"
    with out_path.open("w", encoding="utf-8") as f:
        for i in sorted(chosen):
            split, k, text = corpus[i]
            f.write(json.dumps({"id": f"ANER-{split}-{k}", "group": chosen[i], "text": text},
                               ensure_ascii=False) + "\n")
    print(f"{len(chosen)} sentences", {g: sum(1 for v in chosen.values() if v == g) for g in GROUPS})
    return 0


# Second round (2026-11-25): every sentence not yet in any set that holds a violence cue or a
# broader displacement cue (leaving, refuge, camps, return, expulsion), plus 40 at random.
DISPLACEMENT_WIDE = (
    "غادر غادروا يغادر لجأ لجؤوا لجأوا اللجوء لاجئ لاجئون اللاجئين مخيم مخيمات المخيم ملاجئ ملجأ "
    "إيواء الإيواء منازلهم ديارهم بيوتهم عودة عادوا العائدين هاجر هجرة المهاجرين تهجير هجروا "
    "المشردين شردت نزح نزحت النازحون نازحون الفارين فر فرت هرب هربت أجلي أجليت إخلاء أخلت اخلاء "
    "طرد طردت ترحيل رحلت")


def round2(argv: list[str]) -> int:
    """``draw_sentences.py --round2 ANERCORP_DIR OUT.jsonl``: sentences of no earlier set."""
    root, out_path = Path(argv[0]), Path(argv[1])
    here = Path(__file__).parent
    used = set()
    for name in ("dev.jsonl", "test.jsonl", "attribution_dev.jsonl", "attribution_test.jsonl"):
        for line in (here / name).open(encoding="utf-8"):
            if line.startswith("{"):
                used.add(json.loads(line)["id"])
    corpus = [c for c in load_corpus(root) if f"ANER-{c[0]}-{c[1]}" not in used]
    violence = {normalize(w) for w in GROUPS["violence"].split()}
    leaving = {normalize(w) for w in DISPLACEMENT_WIDE.split()}
    chosen: dict[int, str] = {}
    for n, (_, _, text) in enumerate(corpus):
        ws = words(text)
        if ws & leaving:
            chosen[n] = "displacement-wide"
        elif ws & violence:
            chosen[n] = "violence"
    rng = random.Random(25)
    for i in rng.sample([i for i in range(len(corpus)) if i not in chosen], 40):
        chosen[i] = "random"
    with out_path.open("w", encoding="utf-8") as f:
        for i in sorted(chosen):
            split, k, text = corpus[i]
            f.write(json.dumps({"id": f"ANER-{split}-{k}", "group": chosen[i], "text": text},
                               ensure_ascii=False) + "\n")
    print(f"{len(chosen)} sentences")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
