"""Gazetteer load time and memory, and what place resolution adds to ``analyze``.

Loads the packaged gazetteer in a fresh process (time and the growth of peak
resident memory), then runs the full pipeline over article-length Arabic
documents built from ANERcorp (see corpus.py) and reports each stage's share
of the analysis time, the place stage's among them.

    .venv/bin/python benchmarks/bench_places.py [--docs 200]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

LOAD = """
import json, resource, time
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
from marsad.gazetteer import load_gazetteer
gaz = load_gazetteer()
seconds = time.perf_counter() - t0
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "grew_mb": (after - before) / 1024, "peak_mb": after / 1024,
                  "names": len(gaz)}))
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=200)
    args = ap.parse_args(argv)

    load = json.loads(subprocess.run([sys.executable, "-c", LOAD], capture_output=True, text=True,
                                     check=True).stdout)
    print(f"gazetteer: {load['names']} names, loaded in {load['seconds']:.2f} s, "
          f"peak memory +{load['grew_mb']:.0f} MB (process {load['peak_mb']:.0f} MB)")

    from marsad.documents import RawPage
    from marsad.pipeline.build import build_pipeline
    from marsad.settings import Settings

    docs = corpus.articles(args.docs)
    pages = [RawPage(t.encode("utf-8"), "text", f"doc{n}", published="2005-03-01") for n, t in enumerate(docs)]
    pipeline = build_pipeline(Settings.build(env={}))
    pipeline.run(pages[:2])  # load models and lexicons before timing
    pipeline.stats = type(pipeline.stats)()
    pipeline.run(pages)
    stages = pipeline.stats.stages
    total = sum(st.seconds for st in stages.values())
    place = stages["places.resolve.v1"].seconds
    print(f"{len(docs)} documents, analysis {total:.2f} s ({total / len(docs) * 1000:.1f} ms per document)")
    for name, st in stages.items():
        print(f"  {name:<26} {st.seconds / len(docs) * 1000:6.2f} ms/doc  {st.seconds / total:6.1%}")
    print(f"place resolution adds {place / (total - place):.1%} to the rest of analyze")
    return 0


if __name__ == "__main__":
    sys.exit(main())
