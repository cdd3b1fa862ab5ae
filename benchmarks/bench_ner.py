"""Speed, load time and memory of the entity tagger.

Measured in a fresh process (so that caches start cold and the peak memory
is the tagger's own):

- load: importing marsad's tagger and loading the packaged artifact;
- tag (cold): tagging the ANERcorp test split (25,008 words the tagger never
  saw in training), features included, every word type analysed for the
  first time;
- tag (warm): the same text again (word analyses cached, as in a long run);
- stage: the entity stage on raw text, tokenisation and sentence splitting
  included: the test split's sentences joined into articles of 20 sentences.

Speeds are tokens per CPU-second of the process (user + system time, all
threads); tokens are ANERcorp's whitespace words.

    .venv/bin/python benchmarks/bench_ner.py [--tagger default] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST = (ROOT / ".." / "shared" / "data" / "anercorp" / "ANERCorp_CamelLab_test.txt").resolve()

PROBE = r"""
import json, resource, sys, time
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
out = {}
t0, c0 = time.perf_counter(), cpu()
from marsad.ner.conll import read_conll
from marsad.ner.model import load_tagger
tagger = load_tagger(sys.argv[2])
out["load_s"] = round(time.perf_counter() - t0, 3)
out["load_cpu_s"] = round(cpu() - c0, 3)
out["rss_after_load_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
sents = [[w for w, _ in s] for s in read_conll(sys.argv[1])]
n = sum(map(len, sents))
out["tokens"] = n
for run in ("cold", "warm"):
    c = cpu()
    tagger.tag(sents)
    out[f"tag_{run}_tok_per_cpu_s"] = round(n / (cpu() - c))
from marsad.arabic.sentences import split_sentences
from marsad.arabic.tokenize import tokenize
from marsad.documents import Article
from marsad.enrich.entities import EntityStage
from marsad.ner.model import Tagger
fresh = Tagger(tagger.name, type(tagger.featurizer)(tagger.featurizer.config, tagger.featurizer.lex,
               tagger.featurizer.counts, tagger.featurizer.pieces), tagger.crf, tagger.meta, tagger.crf2)
stage = EntityStage(fresh)
texts = [" ".join(" ".join(s) for s in sents[i:i + 20]) for i in range(0, len(sents), 20)]
c = cpu()
arts = []
for i, text in enumerate(texts):
    a = Article(id=str(i), text=text, language="ar")
    a.tokens = tokenize(text)
    a.sentences = split_sentences(text, a.tokens)
    arts.append(a)
for i in range(0, len(arts), 16):
    stage.process(arts[i:i + 16])
out["stage_cold_tok_per_cpu_s"] = round(n / (cpu() - c))
out["entities_found"] = sum(len(a.entities) for a in arts)
out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
print(json.dumps(out))
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tagger", default="default")
    ap.add_argument("--file", type=Path, default=TEST, help="a CoNLL file to tag (default: ANERcorp test)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not args.file.exists():
        print(f"{args.file} not found", file=sys.stderr)
        return 2
    proc = subprocess.run([sys.executable, "-c", PROBE, str(args.file), args.tagger],
                          capture_output=True, text=True, check=False)
    if proc.returncode:
        print(proc.stderr, file=sys.stderr)
        return 1
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    if args.json:
        print(json.dumps({"cpu_count": os.cpu_count(), **r}))
        return 0
    print(f"tagger {args.tagger!r} on {args.file.name} ({r['tokens']} tokens)")
    print(f"  load:              {r['load_s']} s wall, {r['load_cpu_s']} CPU-s, RSS {r['rss_after_load_mb']} MB")
    print(f"  tag, cold caches:  {r['tag_cold_tok_per_cpu_s']:,} tokens per CPU-second")
    print(f"  tag, warm caches:  {r['tag_warm_tok_per_cpu_s']:,} tokens per CPU-second")
    print(f"  stage on raw text: {r['stage_cold_tok_per_cpu_s']:,} tokens per CPU-second "
          f"(tokenizer + sentences + tagger, cold caches; {r['entities_found']} entities)")
    print(f"  peak RSS:          {r['peak_rss_mb']} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
