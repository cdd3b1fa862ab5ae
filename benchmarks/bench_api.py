"""Latency of the events API under load, on a store of 100,000 synthetic events.

Builds (or reuses, with ``--db``) a store of synthetic articles carrying
100,000 events spread over places in Iraq, Syria, Yemen, Libya and
neighbours and over three years, starts ``marsad serve`` on 127.0.0.1 (the
``serve`` function when the installed CLI does not have the command yet),
then drives it from a second process: a bounded loop of HTTP clients
(threads, one keep-alive connection each) issuing ``GET /api/events``
queries with filters (type and date range, country, bounding box, full-text
query, paging), or, with ``--tool wrk``, Debian's ``wrk`` replaying 2000
such queries.  It prints p50/p95/p99 latency (per query kind with the
Python loop) and overall;
the target is p95 < 100 ms.  Everything stays on loopback and stops by
itself (``--requests`` and ``--seconds`` bound the load).

    .venv/bin/python benchmarks/bench_api.py [--events 100000] [--requests 3000]
                                             [--clients 4] [--seconds 120] [--db PATH]
                                             [--tool python|wrk]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

TARGET_P95_MS = 100.0
EVENTS_PER_ARTICLE = 5
TYPES = ("battles", "explosions_remote_violence", "violence_against_civilians", "protests", "riots",
         "strategic_developments", "displacement")
TRIGGERS = {
    "battles": "اشتباكات", "explosions_remote_violence": "قصف", "violence_against_civilians": "مقتل",
    "protests": "تظاهر", "riots": "شغب", "strategic_developments": "اعتقال", "displacement": "نزوح",
}
# (Arabic name, country, lat, lon): towns the synthetic events happen in
PLACES = [
    ("الموصل", "IQ", 36.34, 43.13), ("بغداد", "IQ", 33.31, 44.36), ("البصرة", "IQ", 30.51, 47.78),
    ("الرمادي", "IQ", 33.42, 43.30), ("الفلوجة", "IQ", 33.35, 43.78), ("كركوك", "IQ", 35.47, 44.39),
    ("تكريت", "IQ", 34.60, 43.68), ("سنجار", "IQ", 36.32, 41.87), ("أربيل", "IQ", 36.19, 44.01),
    ("حلب", "SY", 36.20, 37.16), ("دمشق", "SY", 33.51, 36.29), ("حمص", "SY", 34.73, 36.71),
    ("الرقة", "SY", 35.95, 39.01), ("إدلب", "SY", 35.93, 36.63), ("درعا", "SY", 32.62, 36.10),
    ("دير الزور", "SY", 35.34, 40.14), ("تدمر", "SY", 34.56, 38.28), ("عدن", "YE", 12.78, 45.04),
    ("صنعاء", "YE", 15.35, 44.21), ("تعز", "YE", 13.58, 44.02), ("الحديدة", "YE", 14.80, 42.95),
    ("مأرب", "YE", 15.46, 45.33), ("بنغازي", "LY", 32.12, 20.07), ("طرابلس", "LY", 32.89, 13.19),
    ("سرت", "LY", 31.21, 16.59), ("مصراتة", "LY", 32.38, 15.09), ("سيناء", "EG", 30.00, 33.80),
    ("العريش", "EG", 31.13, 33.80), ("غزة", "PS", 31.50, 34.47), ("طرابلس الشام", "LB", 34.44, 35.85),
]
FIRST_DAY = dt.date(2015, 1, 1)
DAYS = 3 * 365


# --- the store -------------------------------------------------------------------------------


def synthetic_articles(n_events: int, seed: int = 7) -> Any:
    """Articles of a few sentences, each reporting EVENTS_PER_ARTICLE events with valid offsets."""
    from marsad.documents import Article, Event, Sentence, Span

    rng = random.Random(seed)
    n_articles = (n_events + EVENTS_PER_ARTICLE - 1) // EVENTS_PER_ARTICLE
    made = 0
    for i in range(n_articles):
        parts: list[str] = []
        events = []
        day0 = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
        for _ in range(min(EVENTS_PER_ARTICLE, n_events - made)):
            type_ = rng.choice(TYPES)
            name, country, lat, lon = rng.choice(PLACES)
            trigger = TRIGGERS[type_]
            start = sum(len(p) + 1 for p in parts)
            sentence = f"أفادت مصادر محلية بوقوع {trigger} في مدينة {name} وفق تقرير رقم {i}."
            parts.append(sentence)
            t0 = start + sentence.index(trigger)
            roll = rng.random()
            if roll < 0.8:
                date = {"value": (day0 + dt.timedelta(days=rng.randrange(3))).isoformat(), "precision": "day"}
            elif roll < 0.95:
                date = {"value": day0.strftime("%Y-%m"), "precision": "month"}
            else:
                date = None
            events.append(Event(
                type=type_, trigger=Span(trigger, t0, t0 + len(trigger)),
                sentence=Sentence(start, start + len(sentence)),
                place={"text": name, "lat": lat, "lon": lon, "country_code": country},
                date=date, fatalities=rng.choice([None, None, 1, 3, 10]), confidence=0.7,
            ))
            made += 1
        text = " ".join(parts)
        yield Article(id=f"bench-{i}", text=text, title=f"تقرير ميداني {i}", language="ar",
                      published=day0.isoformat(), url=f"https://news{i % 50}.example.org/{i}", events=events)


def build_store(path: Path, n_events: int) -> None:
    from marsad.store.sqlite import Store

    t0 = time.perf_counter()
    with Store(path) as store:
        batch = []
        for article in synthetic_articles(n_events):
            batch.append(article)
            if len(batch) == 1000:
                store.add_many(batch)
                batch = []
        if batch:
            store.add_many(batch)
        stats = store.stats()
    print(f"built {path}: {stats['articles']} articles, {stats['events']} events "
          f"in {time.perf_counter() - t0:.1f}s", file=sys.stderr)


def store_events(path: Path) -> int:
    from marsad.store.sqlite import Store

    with Store(path, readonly=True) as store:
        return int(store.stats()["events"])


# --- the server ------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), or NaN elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    marsad = shutil.which("marsad", path=str(Path(sys.executable).parent))
    has_serve = marsad is not None and subprocess.run(
        [marsad, "serve", "--help"], capture_output=True).returncode == 0
    if has_serve:
        cmd = [marsad, "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)]
    else:
        code = ("import sys; from marsad.api.app import serve; from marsad.settings import Settings; "
                "serve(Settings.build(db=sys.argv[1]), '127.0.0.1', int(sys.argv[2]))")
        cmd = [sys.executable, "-c", code, str(db), str(port)]
    print("server: " + " ".join(cmd[:2]) + (" serve" if has_serve else " (marsad.api.app.serve)"), file=sys.stderr)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with status {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stats", timeout=2):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start within 60 s")


# --- the load --------------------------------------------------------------------------------


def random_query(rng: random.Random) -> tuple[str, dict[str, Any]]:
    """One events query with filters, and its kind."""
    kind = rng.choice(["type+dates", "country+type", "bbox+since", "text+type", "country+dates+page"])
    day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS - 90))
    if kind == "type+dates":
        params = {"type": rng.choice(TYPES), "since": day.isoformat(),
                  "until": (day + dt.timedelta(days=90)).isoformat()}
    elif kind == "country+type":
        params = {"country": rng.choice(PLACES)[1], "type": rng.choice(TYPES)}
    elif kind == "bbox+since":
        _, _, lat, lon = rng.choice(PLACES)
        params = {"bbox": f"{lon - 2:.2f},{lat - 2:.2f},{lon + 2:.2f},{lat + 2:.2f}", "since": day.isoformat()}
    elif kind == "text+type":
        params = {"q": rng.choice(PLACES)[0], "type": rng.choice(TYPES)}
    else:
        params = {"country": rng.choice(PLACES)[1], "since": day.strftime("%Y-%m"),
                  "until": (day + dt.timedelta(days=180)).strftime("%Y-%m"), "offset": 50, "limit": 100}
    params.setdefault("limit", 50)
    return kind, params


def load(base: str, n_requests: int, clients: int, seconds: float, out: Any) -> None:
    """Run in a second process: ``clients`` threads share ``n_requests``; results go to ``out``."""
    import httpx

    lock = threading.Lock()
    budget = [n_requests]
    deadline = time.monotonic() + seconds
    results: list[tuple[str, float, int]] = []

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=base, timeout=30.0) as client:
            for _ in range(5):  # warm the connection and the server's caches; not measured
                client.get("/api/events", params=random_query(rng)[1])
            while time.monotonic() < deadline:
                with lock:
                    if budget[0] <= 0:
                        return
                    budget[0] -= 1
                kind, params = random_query(rng)
                t0 = time.perf_counter()
                resp = client.get("/api/events", params=params)
                elapsed = (time.perf_counter() - t0) * 1000
                with lock:
                    results.append((kind, elapsed, resp.status_code))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.put({"results": results, "wall": time.perf_counter() - t0})


WRK_SCRIPT = """
local paths = {%s}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("start", counter * 7919)
end
local i = 0
function init(args)
  i = tonumber(wrk.thread:get("start")) or 0
end
function request()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK %%d %%d %%d %%.3f %%.3f %%.3f %%.3f %%.3f\\n", summary.requests,
    e.connect + e.read + e.write + e.timeout, e.status, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
"""


def run_wrk(base: str, clients: int, seconds: float, folder: Path) -> dict[str, Any]:
    """Drive the server with wrk (a C load tool) replaying 2000 random filtered event queries."""
    from urllib.parse import urlencode

    rng = random.Random(11)
    paths = ["/api/events?" + urlencode(random_query(rng)[1]) for _ in range(2000)]
    script = folder / "events.lua"
    script.write_text(WRK_SCRIPT % ",".join(json.dumps(p) for p in paths), encoding="utf-8")
    threads = max(1, min(2, clients))
    cmd = ["wrk", f"-t{threads}", f"-c{clients}", f"-d{int(seconds)}s", "--timeout", "10s", "-s", str(script),
           base + "/api/events"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("WRK ")), None)
    if line is None:
        raise SystemExit(f"wrk failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    n, socket_errors, status_errors, duration, p50, p95, p99, worst = line.split()[1:]
    row = {"n": int(n), "p50": float(p50), "p95": float(p95), "p99": float(p99), "max": float(worst)}
    print(f"{'query (wrk)':<22}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    print(f"{'all':<22}{row['n']:>7}{row['p50']:>9.1f}{row['p95']:>9.1f}{row['p99']:>9.1f}{row['max']:>9.1f}")
    rate = int(n) / float(duration)
    print(f"\n{n} requests in {float(duration):.1f}s ({rate:.0f}/s), "
          f"{int(status_errors)} not 2xx/3xx, {int(socket_errors)} socket errors")
    return {"kinds": {"all": row}, "errors": int(status_errors) + int(socket_errors), "requests_per_s": rate}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def report(results: list[tuple[str, float, int]], wall: float) -> dict[str, Any]:
    rows: dict[str, Any] = {}
    kinds = sorted({k for k, _, _ in results})
    print(f"{'query':<22}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for kind in [*kinds, "all"]:
        lat = [ms for k, ms, _ in results if kind in (k, "all")]
        row = {"n": len(lat), "p50": percentile(lat, 50), "p95": percentile(lat, 95),
               "p99": percentile(lat, 99), "max": max(lat), "mean": statistics.fmean(lat)}
        rows[kind] = row
        print(f"{kind:<22}{row['n']:>7}{row['p50']:>9.1f}{row['p95']:>9.1f}{row['p99']:>9.1f}{row['max']:>9.1f}")
    errors = sum(1 for _, _, status in results if status != 200)
    print(f"\n{len(results)} requests in {wall:.1f}s ({len(results) / wall:.0f}/s), {errors} not 200")
    return {"kinds": rows, "errors": errors, "requests_per_s": len(results) / wall}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=3000, help="measured requests in all (default 3000)")
    ap.add_argument("--clients", type=int, default=4, help="concurrent client connections (default 4)")
    ap.add_argument("--seconds", type=float, default=120.0, help="stop the load after this long (default 120)")
    ap.add_argument("--db", type=Path, default=None, help="reuse (or build and keep) the store at this path")
    ap.add_argument("--tool", choices=("python", "wrk"), default="python",
                    help="load tool: a Python httpx loop in a second process (per-query figures, default) "
                    "or wrk (C; --seconds bounds it)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON at the end")
    args = ap.parse_args(argv)

    tmp = None
    if args.db is None:
        tmp = tempfile.mkdtemp(prefix="marsad-bench-")
        db = Path(tmp) / "bench.db"
    else:
        db = args.db
    try:
        if not db.exists() or store_events(db) != args.events:
            if db.exists():
                for suffix in ("", "-wal", "-shm"):
                    Path(str(db) + suffix).unlink(missing_ok=True)
            build_store(db, args.events)
        if args.tool == "wrk" and shutil.which("wrk") is None:
            raise SystemExit("wrk is not installed (apt-get install wrk), or use --tool python")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(db, port)
        try:
            cpu0 = cpu_seconds(server.pid)
            load1 = os.getloadavg()[0]
            print(f"store: {args.events} events; {args.clients} clients on loopback; cores: {os.cpu_count()}; "
                  f"load average before: {load1:.1f} (other work on the machine skews the figures)")
            if args.tool == "wrk":
                folder = Path(tempfile.mkdtemp(prefix="marsad-wrk-"))
                try:
                    figures = run_wrk(base, args.clients, min(args.seconds, 30.0), folder)
                finally:
                    shutil.rmtree(folder, ignore_errors=True)
            else:
                queue: Any = mp.get_context("spawn").Queue()
                loader = mp.get_context("spawn").Process(
                    target=load, args=(base, args.requests, args.clients, args.seconds, queue))
                loader.start()
                outcome = queue.get(timeout=args.seconds + 120)
                loader.join(timeout=30)
                figures = report(outcome["results"], outcome["wall"])
            served = figures["kinds"]["all"]["n"]
            cpu = cpu_seconds(server.pid) - cpu0
            print(f"server CPU: {cpu:.1f}s, {cpu / max(served, 1) * 1000:.1f} ms per request "
                  "(load-independent; latency under load is queueing on the cores)")
            figures["server_cpu_ms_per_request"] = cpu / max(served, 1) * 1000
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        p95 = figures["kinds"]["all"]["p95"]
        verdict = "met" if p95 < TARGET_P95_MS else "MISSED"
        print(f"target p95 < {TARGET_P95_MS:.0f} ms: {verdict} (p95 {p95:.1f} ms)")
        if args.json:
            print(json.dumps(figures))
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
