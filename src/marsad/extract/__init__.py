"""Page → article: body text, title, author, date and page counters; text-dump cleaning."""

from marsad.extract.chrome import ChromeRules, load_chrome_rules, parse_count
from marsad.extract.page import MAX_PAGE_BYTES, extract_page
from marsad.extract.textdump import CleanedText, clean_lines, clean_text_dump

__all__ = [
    "MAX_PAGE_BYTES",
    "ChromeRules",
    "CleanedText",
    "clean_lines",
    "clean_text_dump",
    "extract_page",
    "load_chrome_rules",
    "parse_count",
]
