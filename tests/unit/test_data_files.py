"""Every language-data file under src/marsad/data must be clean: no Arabic
Presentation-Forms code points (they never match normal text), every entry in
NFKC, and no duplicate entries.  Generic: new files are picked up as they come.

Text files (.txt .tsv .csv) hold one entry a line; lines starting with # are
comments.  The entry's key, checked for duplicates, is the first column
(tab-separated for .tsv, comma-separated for .csv, the whole line for .txt).
A file whose key is elsewhere says so in a header comment, with 1-based
columns: ``# key: 3`` or ``# key: 1,3`` (or ``# key: line``).  JSON files are
checked for duplicate keys, duplicate strings in lists, and every string.
"""

import csv
import io
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import marsad

DATA = Path(marsad.__file__).resolve().parent / "data"
TEXT_SUFFIXES = {".txt", ".tsv", ".csv", ".json"}
PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")


def data_files() -> list[Path]:
    return sorted(p for p in DATA.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)


KEY_DECLARATION = re.compile(r"^#\s*key\s*:\s*(line|\d+(?:\s*,\s*\d+)*)\s*$", re.IGNORECASE)


def _entries(path: Path) -> list[tuple[int, str, str]]:
    """(line number, whole entry, key) for each entry of a text data file."""
    text = path.read_text(encoding="utf-8")
    suffix = path.suffix.lower()
    columns: list[int] | None = [0] if suffix in (".tsv", ".csv") else None
    lines = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith("#"):
            m = KEY_DECLARATION.match(line)
            if m:
                spec = m.group(1).lower()
                columns = None if spec == "line" else [int(c) - 1 for c in spec.split(",")]
        elif line.strip():
            lines.append((n, line))
    out = []
    for n, line in lines:
        if suffix == ".csv":
            row = next(csv.reader(io.StringIO(line)), [])
        else:
            row = line.split("\t")
        if columns is None:
            key = line.strip()
        else:
            key = "\t".join(row[c].strip() if c < len(row) else "" for c in columns)
        out.append((n, line, key))
    return out


def _json_problems(path: Path) -> list[str]:
    problems: list[str] = []

    def pairs_hook(pairs: list[tuple[str, object]]) -> dict[str, object]:
        keys = Counter(k for k, _ in pairs)
        problems.extend(f"duplicate key {k!r}" for k, c in keys.items() if c > 1)
        return dict(pairs)

    data = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=pairs_hook)

    def walk(node: object, where: str) -> None:
        if isinstance(node, str):
            strings = [node]
        elif isinstance(node, dict):
            strings = list(node.keys())
            for k, v in node.items():
                walk(v, f"{where}.{k}")
        elif isinstance(node, list):
            strings = []
            scalars = [x for x in node if isinstance(x, str)]
            problems.extend(f"{where}: duplicate entry {s!r}" for s, c in Counter(scalars).items() if c > 1)
            for i, v in enumerate(node):
                walk(v, f"{where}[{i}]")
        else:
            return
        for s in strings:
            if PRESENTATION.search(s):
                problems.append(f"{where}: Presentation Forms in {s!r}")
            if not unicodedata.is_normalized("NFKC", s):
                problems.append(f"{where}: not NFKC {s!r}")

    walk(data, "$")
    return problems


def file_problems(path: Path) -> list[str]:
    if path.suffix.lower() == ".json":
        return _json_problems(path)
    problems = []
    seen: dict[str, int] = {}
    for n, line, key in _entries(path):
        if PRESENTATION.search(line):
            codes = sorted({f"U+{ord(c):04X}" for c in PRESENTATION.findall(line)})
            problems.append(f"line {n}: Presentation Forms {', '.join(codes)} in {line!r}")
        if not unicodedata.is_normalized("NFKC", line):
            problems.append(f"line {n}: not NFKC {line!r}")
        if key in seen:
            problems.append(
                f"line {n}: duplicate entry {key!r} (first on line {seen[key]}; "
                "declare '# key: N' if the first column is not the entry)"
            )
        else:
            seen[key] = n
    return problems


def test_there_are_data_files() -> None:
    assert any(p.name == "lexicon.tsv" for p in data_files())


def test_data_files_are_clean() -> None:
    report = []
    for path in data_files():
        for problem in file_problems(path):
            report.append(f"{path.relative_to(DATA)}: {problem}")
    assert not report, "\n".join(report[:200])


def test_checker_catches_each_kind_of_problem(tmp_path: Path) -> None:
    bad_tsv = tmp_path / "bad.tsv"
    bad_tsv.write_text("# header ﻻ ignored\nواحد\t1\nﻻ\t2\nواحد\t3\nﬁ\t4\n", encoding="utf-8")
    problems = file_problems(bad_tsv)
    assert any("Presentation Forms U+FEFB" in p for p in problems)
    assert any("duplicate entry 'واحد'" in p for p in problems)
    assert any("not NFKC" in p for p in problems)
    keyed = tmp_path / "keyed.tsv"
    keyed.write_text("# key: 1,3\nعام\t-\tnot_unit\nعام\t2\tdual_noun\n", encoding="utf-8")
    assert file_problems(keyed) == []
    keyed.write_text("# key: 1,3\nعام\t-\tnot_unit\nعام\t2\tnot_unit\n", encoding="utf-8")
    assert len(file_problems(keyed)) == 1
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"a": ["ﺑ", "x", "x"], "b": 1, "b": 2}', encoding="utf-8")
    problems = file_problems(bad_json)
    assert any("duplicate key" in p for p in problems)
    assert any("duplicate entry" in p for p in problems)
    assert any("Presentation Forms" in p for p in problems)
