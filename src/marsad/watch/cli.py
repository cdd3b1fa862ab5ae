"""``marsad watch FEEDS``: follow RSS/Atom feeds into the store.

After each round a table of the feeds goes to stdout (``--json``: one
status object per feed and line); warnings and per-entry failures go to
stderr.  Exit status with ``--once``: 0 when every feed was read and every
new entry stored, 1 when a feed or an entry failed, 2 for bad usage; 130
after Ctrl-C (what was stored is kept, and a new run resumes from there).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import signal
import sys
from collections.abc import Sequence
from typing import Any, NoReturn, TextIO

from marsad.errors import MarsadError
from marsad.watch.fetch import Stopped

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

EPILOG = """\
FEEDS is a text file with one feed a line: the URL, then optionally the
outlet's name (quoted if it has spaces) and a language code; # starts a
comment.  For example:

  https://www.aljazeera.net/aljazeerarss/a7c186be/feed  "الجزيرة نت"  ar
  https://feeds.bbci.co.uk/arabic/rss.xml  BBC ar

Only http(s) URLs are fetched, and hosts that are (or resolve to) loopback,
private, link-local or other non-public addresses are refused unless named
by --allow-host (repeatable; a host name, an IP address or a network such
as 10.0.0.0/8).  robots.txt is honoured, each host gets at most
$MARSAD_HOST_CONCURRENCY requests at a time, $MARSAD_HOST_DELAY seconds
apart; responses over $MARSAD_FETCH_MAX_BYTES bytes are refused.

The store is --db, else $MARSAD_DB, else marsad.db in the current directory.
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}\n(see {self.prog} --help)", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="marsad watch",
        description="Poll RSS/Atom feeds; fetch, analyse and store new articles, each exactly once.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("feeds", metavar="FEEDS", help="the feed list file")
    p.add_argument("--db", metavar="PATH", default=None, help="SQLite store (default $MARSAD_DB, else ./marsad.db)")
    p.add_argument("--once", action="store_true", help="poll every feed once, then exit")
    p.add_argument("--allow-host", action="append", default=[], metavar="HOST",
                   help="fetch from this host even if it is private or loopback (repeatable)")
    p.add_argument("--interval", type=float, default=None, metavar="SECONDS",
                   help="seconds between two polls of a feed (default 900, or $MARSAD_WATCH_INTERVAL)")
    p.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                   help="network timeout per request step (default 20, or $MARSAD_FETCH_TIMEOUT)")
    p.add_argument("--json", action="store_true", help="print feed status as JSON Lines instead of a table")
    return p


def _when(value: str | None) -> str:
    if not value:
        return "never"
    try:
        return dt.datetime.fromisoformat(value).astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    except ValueError:
        return value


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def format_table(rows: Sequence[dict[str, Any]]) -> str:
    """The status rows as a plain-text table: feed, last poll, status, new, stored, errors, note."""
    head = ("feed", "last poll", "status", "new", "stored", "errors", "note")
    lines = []
    for r in rows:
        name = r["outlet"] or r["url"]
        note = ""
        if r["error"]:
            note = f"{r['error']['code']}: {r['error']['message']}"
        lines.append((
            _cut(name, 40), _when(r["last_poll"]), r["status"], str(r["new_entries"]), str(r["stored"]),
            str(r["entry_errors"]), _cut(note, 70),
        ))
    widths = [max([len(head[i])] + [len(line[i]) for line in lines]) for i in range(len(head))]
    right = {3, 4, 5}

    def fmt(cells: Sequence[str]) -> str:
        return "  ".join(c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(cells)).rstrip()

    return "\n".join([fmt(head), *(fmt(line) for line in lines)])


def print_status(rows: Sequence[dict[str, Any]], as_json: bool, out: TextIO) -> None:
    if as_json:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        out.write(format_table(rows) + "\n")
    out.flush()


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``marsad watch`` with ``argv`` (the arguments after ``watch``); return the exit status."""
    args = build_parser().parse_args(argv)
    from marsad.settings import Settings
    from marsad.store.sqlite import Store
    from marsad.watch.feeds import read_feed_list
    from marsad.watch.state import status
    from marsad.watch.watcher import FeedReport, Watcher

    hosts = [h.strip() for value in args.allow_host for h in value.split(",") if h.strip()]
    previous_term = None
    try:
        base = Settings.build()
        settings = Settings.build(
            db=args.db,
            watch_interval=args.interval,
            fetch_timeout=args.timeout,
            allow_hosts=tuple(dict.fromkeys([*base.allow_hosts, *hosts])),
        )
        feeds = read_feed_list(args.feeds)
        if not feeds:
            raise MarsadError("bad_usage", f"{args.feeds} lists no feed")
        with Store(settings.db) as store:
            watcher = Watcher(store, settings)
            urls = [f.url for f in feeds]
            last: list[FeedReport] = []

            def on_round(reports: list[FeedReport]) -> None:
                last[:] = reports
                rows = [r for r in status(store) if r["url"] in urls]
                rows.sort(key=lambda r: urls.index(r["url"]))
                print_status(rows, args.json, sys.stdout)

            if sys.platform != "win32":
                try:
                    previous_term = signal.signal(signal.SIGTERM, _raise_interrupt)
                except ValueError:  # not the main thread
                    previous_term = None
            try:
                watcher.run(feeds, once=args.once, on_round=on_round)
            finally:
                watcher.close()
        return EXIT_OK if all(r.ok for r in last) else EXIT_FAILED
    except MarsadError as e:
        print(f"marsad watch: error: {e.message} [{e.code}]", file=sys.stderr)
        return EXIT_USAGE if e.code in {"bad_usage", "bad_url", "not_found", "unreadable"} else EXIT_FAILED
    except (KeyboardInterrupt, Stopped):
        print("marsad watch: interrupted; what was stored is kept, and the next run resumes from there",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        if previous_term is not None:
            signal.signal(signal.SIGTERM, previous_term)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
