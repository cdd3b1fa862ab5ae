"""The ``marsad`` command line.

Results go to stdout (JSON Lines for ``analyze``); progress, warnings and
statistics go to stderr.  Exit status: 0 when every document went through,
1 when any document failed, 2 for bad usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

from marsad import __version__
from marsad.errors import CODES, MarsadError

EXIT_OK, EXIT_DOC_FAILED, EXIT_USAGE = 0, 1, 2

INPUT_HELP = (
    "files or folders (recursed) or - for standard input; kinds by suffix: "
    ".txt (page text with its chrome), .html/.htm, .warc/.warc.gz, .jsonl/.jsonl.gz"
)

EPILOG = """\
examples:
  marsad analyze page.html                     one Article as JSON on stdout
  marsad analyze crawl.warc.gz --published 2016-10-20 > articles.jsonl
  cat dump.txt | marsad analyze -              read a text dump from stdin
  marsad ingest samples/ --db news.db          analyse and store (re-ingesting is a no-op)
  marsad search الموصل --db news.db            finds بالموصل, والموصل, للموصل too
  marsad stats --db news.db

The store is --db, else $MARSAD_DB, else marsad.db in the current directory.
Error codes of per-document failures:
""" + "\n".join(f"  {code:<14} {meaning}" for code, meaning in CODES.items())


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # bad usage exits with 2 and a hint
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}\n(see {self.prog} --help)", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def _add_run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="INPUT", help=INPUT_HELP)
    p.add_argument("--published", metavar="DATE",
                   help="ISO 8601 publication date for inputs that carry none (anchor of relative dates)")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="worker processes (default 1, or $MARSAD_WORKERS)")
    p.add_argument("--batch-size", type=int, default=None, metavar="N",
                   help="documents per batch handed to a worker (default 16)")
    p.add_argument("--max-bytes", type=int, default=None, metavar="N",
                   help="refuse documents larger than N bytes with too_large (default 20000000)")
    p.add_argument("--stats", action="store_true", help="print per-stage statistics on stderr at the end")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")


def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="PATH", default=None,
                   help="SQLite store (default $MARSAD_DB, else ./marsad.db)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="marsad",
        description="marsad (مرصد) reads Arabic news natively and offline: what happened, where, "
        "when, who did it, how many were hurt or displaced, and who said so.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"marsad {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("analyze", help="analyse documents, print one Article per document as JSON Lines",
                       description="Analyse documents and print one Article per document as JSON Lines "
                       "on stdout, in input order. A document that fails yields "
                       '{"id": ..., "error": {"code", "message"}} in its place.',
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_run_options(p)
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("ingest", help="analyse and store documents (the same document twice changes nothing)",
                       description="Analyse documents and store them in the SQLite store. Storing the "
                       "same document again changes nothing.",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_run_options(p)
    _add_db(p)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("search", help="Arabic-aware full-text search over stored articles",
                       description="Search stored articles. Words match across clitics and spelling "
                       "variants (الموصل finds بالموصل; أمريكي finds امريكي). Several words: all must "
                       'match; "a phrase" in quotes; OR between words; a trailing * for a prefix.')
    p.add_argument("query", nargs="+", metavar="QUERY")
    _add_db(p)
    p.add_argument("--json", action="store_true", help="one API search item per line")
    p.add_argument("--limit", type=int, default=20, metavar="N")
    p.add_argument("--offset", type=int, default=0, metavar="N")
    p.set_defaults(func=cmd_search)

    for name, (module, summary) in DELEGATED.items():
        p = sub.add_parser(name, help=summary, add_help=False, prefix_chars="\0")
        p.add_argument("rest", nargs=argparse.REMAINDER)
        p.set_defaults(func=_delegate(module, name))

    p = sub.add_parser("ner", help="tag pre-tokenised text (CoNLL: one token per line) with PER/LOC/ORG/MISC",
                       description="Tag pre-tokenised text: one token per line (first column; other "
                       "columns ignored), a blank line between sentences. Prints token<TAB>TAG lines "
                       "with the same tokens in the same order; tags are BIO over PER, LOC, ORG, MISC.")
    p.add_argument("--conll", required=True, metavar="FILE", help="the input file, or - for standard input")
    p.set_defaults(func=cmd_ner)

    p = sub.add_parser("eval", help="evaluate a model or rule set: ner, dates, places (precision/recall/F1)",
                       description="Evaluate on held-out data and print precision, recall and F1.",
                       epilog="examples:\n  marsad eval ner ../shared/data/anercorp/ANERCorp_CamelLab_test.txt\n"
                       "  marsad eval dates\n  marsad eval places",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("what", choices=sorted(EVALUATIONS), help="what to evaluate")
    p.add_argument("rest", nargs=argparse.REMAINDER, help="arguments for that evaluation (see its --help)")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("train", help="rebuild a model from the shared data (ner)")
    p.add_argument("what", choices=["ner"])
    p.add_argument("rest", nargs=argparse.REMAINDER, help="arguments for the trainer (see its --help)")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("serve", help="REST API and web dashboard over the store (default 127.0.0.1:8000)",
                       description="Serve the REST API (OpenAPI at /openapi.json) and the dashboard (/) "
                       "over the store. Endpoints that change data need MARSAD_API_TOKEN to be set and "
                       "an 'Authorization: Bearer <token>' header.")
    _add_db(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("export", help="one row per event: csv, geojson or parquet",
                       description="Export stored events, one row (CSV, Parquet) or feature (GeoJSON) "
                       "per event, with type, date, place, coordinates, actors, targets, figures, "
                       "source and evidence sentence.")
    p.add_argument("--format", required=True, choices=["csv", "geojson", "parquet"])
    _add_db(p)
    p.add_argument("-o", "--output", metavar="FILE", help="output file (default: stdout)")
    p.add_argument("--type", help="only events of this type")
    p.add_argument("--country", help="only events in this country (ISO 3166-1 alpha-2)")
    p.add_argument("--since", metavar="DATE", help="only events on or after this date")
    p.add_argument("--until", metavar="DATE", help="only events on or before this date")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("stats", help="what the store holds")
    _add_db(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stats)
    return parser


# Commands that live in their own module and parse their own arguments.
DELEGATED: dict[str, tuple[str, str]] = {
    "run": ("marsad.runners.batch", "batch processing into resumable Parquet shards (--runner local|ray)"),
    "watch": ("marsad.watch.cli", "poll RSS/Atom feeds politely and store new articles (--once: one round)"),
    "gazetteer": ("marsad.gazetteer.cli", "build the place index from GeoNames dumps, or look a name up"),
}

# `marsad eval WHAT`: the module whose main(argv) runs that evaluation.
EVALUATIONS: dict[str, str] = {
    "ner": "marsad.ner.evaluate",
    "dates": "marsad.eval.dates",
    "places": "marsad.eval.places",
    "events": "marsad.eval.events",
    "attribution": "marsad.eval.attribution",
}


def _delegate(module: str, name: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        import importlib

        main_fn = importlib.import_module(module).main
        return int(main_fn(args.rest) or 0)

    run.__name__ = f"cmd_{name}"
    return run


# -- helpers ---------------------------------------------------------------------------------

def _settings(args: argparse.Namespace) -> Any:
    from marsad.settings import Settings

    return Settings.build(
        db=getattr(args, "db", None),
        workers=getattr(args, "workers", None),
        batch_size=getattr(args, "batch_size", None),
        max_bytes=getattr(args, "max_bytes", None),
        published=getattr(args, "published", None),
    )


def _check_inputs(inputs: Sequence[str]) -> None:
    if inputs.count("-") > 1:
        raise MarsadError("bad_usage", "standard input (-) can be given only once")


def _runner(args: argparse.Namespace, settings: Any, description: str, transform: Any = None) -> Any:
    from marsad.runners.local import LocalRunner

    progress = False if args.no_progress else None
    return LocalRunner(settings, progress=progress, description=description, transform=transform)


def _items(args: argparse.Namespace, settings: Any) -> Any:
    from marsad.ingest import read_inputs

    _check_inputs(args.inputs)
    return read_inputs(args.inputs, stdin=sys.stdin.buffer, max_bytes=settings.max_bytes)


def _warn(failure: Any) -> None:
    print(f"marsad: {failure.source}: {failure.error.code}: {failure.error.message}", file=sys.stderr)


def _json_text(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False) + "\n"


def _json_line(obj: Any, out: TextIO) -> None:
    out.write(_json_text(obj))


def article_json_line(article: Any) -> str:
    """An analysed article as one line of ``analyze`` output (made in the worker)."""
    return _json_text(article.to_dict())


# -- commands --------------------------------------------------------------------------------

def cmd_analyze(args: argparse.Namespace) -> int:
    from marsad.pipeline.base import Failure

    settings = _settings(args)
    runner = _runner(args, settings, "analysing", transform=article_json_line)
    out = sys.stdout
    for res in runner.run(_items(args, settings)):
        if isinstance(res, Failure):
            _warn(res)
            _json_line(res.to_dict(), out)
        else:
            out.write(res)
    out.flush()
    if args.stats:
        print(runner.stats.format(), file=sys.stderr)
    return EXIT_DOC_FAILED if runner.failed else EXIT_OK


def cmd_ingest(args: argparse.Namespace) -> int:
    from marsad.documents import Article
    from marsad.pipeline.base import Failure
    from marsad.store.sqlite import Store

    settings = _settings(args)
    runner = _runner(args, settings, "ingesting")
    stored = skipped = 0
    pending: list[Article] = []
    with Store(settings.db) as store:
        for res in runner.run(_items(args, settings)):
            if isinstance(res, Failure):
                _warn(res)
                continue
            pending.append(res)
            if len(pending) >= settings.batch_size:
                a, b = store.add_many(pending)
                stored, skipped, pending = stored + a, skipped + b, []
        if pending:
            a, b = store.add_many(pending)
            stored, skipped = stored + a, skipped + b
    print(
        f"marsad: {runner.done} documents: {stored} stored, {skipped} already in the store, "
        f"{runner.failed} failed — store {settings.db}",
        file=sys.stderr,
    )
    print(runner.stats.format(), file=sys.stderr)
    return EXIT_DOC_FAILED if runner.failed else EXIT_OK


def _highlight(snippet: str, highlights: list[list[int]], tty: bool) -> str:
    on, off = ("\033[1;33m", "\033[0m") if tty else ("[", "]")
    out, pos = [], 0
    for start, end in sorted(highlights):
        out += [snippet[pos:start], on, snippet[start:end], off]
        pos = end
    out.append(snippet[pos:])
    return "".join(out)


def cmd_search(args: argparse.Namespace) -> int:
    from marsad.store.sqlite import Store

    settings = _settings(args)
    if not Path(settings.db).exists():
        raise MarsadError("not_found", f"no store at {settings.db} (run marsad ingest first)", str(settings.db))
    query = " ".join(args.query)
    with Store(settings.db, readonly=True) as store:
        result = store.search(query, limit=args.limit, offset=args.offset)
    if args.json:
        for hit in result.items:
            _json_line(hit.to_dict(), sys.stdout)
        return EXIT_OK
    tty = sys.stdout.isatty()
    print(f"{result.total} result(s) for {query}")
    for hit in result.items:
        print(f"\n{hit.title or '(untitled)'}  —  {hit.published or 'date unknown'}  [{hit.id}]")
        print("   " + _highlight(hit.snippet, hit.highlights, tty))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from marsad.api.app import serve

    settings = _settings(args)
    if not Path(settings.db).exists():
        raise MarsadError("not_found", f"no store at {settings.db} (run marsad ingest first)", str(settings.db))
    serve(settings, host=args.host, port=args.port)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from marsad.export import export
    from marsad.store.sqlite import Store

    settings = _settings(args)
    if not Path(settings.db).exists():
        raise MarsadError("not_found", f"no store at {settings.db}", str(settings.db))
    if args.format == "parquet" and not args.output and sys.stdout.isatty():
        raise MarsadError("bad_usage", "Parquet is binary: give -o FILE or redirect stdout")
    filters = {k: getattr(args, k) for k in ("type", "country", "since", "until") if getattr(args, k)}
    with Store(settings.db, readonly=True) as store:
        if args.output:
            n = export(store, args.format, args.output, **filters)
        else:
            n = export(store, args.format, sys.stdout.buffer, **filters)
            sys.stdout.buffer.flush()
    print(f"marsad: {n} events exported", file=sys.stderr)
    return EXIT_OK


def cmd_ner(args: argparse.Namespace) -> int:
    from marsad.ner.conll import tag_conll

    path = args.conll
    if path != "-" and not Path(path).is_file():
        raise MarsadError("not_found", f"no such file: {path}", path)
    tag_conll(path, sys.stdout)
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    import importlib

    return int(importlib.import_module(EVALUATIONS[args.what]).main(args.rest) or 0)


def cmd_train(args: argparse.Namespace) -> int:
    from marsad.ner.train import main as train_main

    return int(train_main(args.rest) or 0)


def cmd_stats(args: argparse.Namespace) -> int:
    from marsad.store.sqlite import Store

    settings = _settings(args)
    if not Path(settings.db).exists():
        raise MarsadError("not_found", f"no store at {settings.db}", str(settings.db))
    with Store(settings.db, readonly=True) as store:
        stats = store.stats()
    if args.json:
        _json_line(stats, sys.stdout)
    else:
        for key, value in stats.items():
            print(f"{key:<14} {json.dumps(value, ensure_ascii=False)}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except MarsadError as exc:
        print(f"marsad: error: {exc.message} [{exc.code}]", file=sys.stderr)
        return EXIT_USAGE if exc.code in {"bad_usage", "bad_date", "bad_query", "not_found"} else EXIT_DOC_FAILED
    except KeyboardInterrupt:
        print("marsad: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # e.g. `marsad analyze ... | head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
