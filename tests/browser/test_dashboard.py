"""The dashboard in a real browser: map, timeline, search, article view, filters, and no script from articles."""

from __future__ import annotations

from typing import Any

import pytest
from tests.browser.conftest import MISSING, Watched
from tests.unit.api_fixtures import XSS_SCRIPT

if MISSING:
    pytest.skip(MISSING, allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402


def assert_clean(w: Watched) -> None:
    """No request left this server, no script error, no blocked inline script, no dialog."""
    assert w.foreign_requests == []
    assert w.page_errors == []
    assert w.console_errors == []
    assert w.dialogs == []


def test_map_shows_country_outlines_and_markers(watched: Watched):
    page = watched.open()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("#tabs button").first.inner_text() == "الأحداث"
    assert page.locator("path.country").count() > 200  # world-atlas outlines drawn as GeoJSON
    markers = page.locator("path.event-marker")
    # six places; Mosul has three types, so three nested discs
    assert markers.count() == 8
    assert page.locator("path.event-marker.type-displacement").count() == 2  # Mosul and Hodeidah
    fills = {markers.nth(i).get_attribute("fill") for i in range(markers.count())}
    assert len(fills) == 5  # one colour per event type present
    # every marker lies inside the map's box: the view was fitted to the events
    box = page.locator("#map").bounding_box()
    for i in range(markers.count()):
        m = markers.nth(i).bounding_box()
        assert box["x"] <= m["x"] and m["x"] + m["width"] <= box["x"] + box["width"]
        assert box["y"] <= m["y"] and m["y"] + m["height"] <= box["y"] + box["height"]
    assert page.locator("#summary").inner_text() == "9 حدث في 5 مقال"
    watched.screenshot("dashboard.png")
    assert_clean(watched)


def test_marker_popup_lists_counts_by_type(watched: Watched):
    page = watched.open()
    page.locator("path.event-marker.type-battles").first.dispatch_event("click")
    popup = page.locator(".leaflet-popup-content .popup")
    popup.wait_for()
    assert "الموصل" in popup.locator("h3").inner_text()
    items = popup.locator("li").all_inner_texts()
    assert "نزوح: 2" in items and "معارك: 1" in items
    popup.locator("button").click()
    page.wait_for_selector("#place-filter:not([hidden])")
    page.locator(".event-card").nth(3).wait_for()
    assert page.locator(".event-card").count() == 4
    assert_clean(watched)


def test_timeline_draws_bars_per_day_and_type(watched: Watched):
    page = watched.open()
    bars = page.locator("#timeline rect.bar")
    assert bars.count() == 5
    drawn = {(bars.nth(i).get_attribute("data-date"), bars.nth(i).get_attribute("data-type"),
              bars.nth(i).get_attribute("data-count")) for i in range(bars.count())}
    assert ("2016-10-20", "displacement", "2") in drawn and ("2016-10-16", "explosions_remote_violence", "1") in drawn
    heights = {b["data-type"]: float(b["height"]) for b in (
        {"data-type": bars.nth(i).get_attribute("data-type"), "height": bars.nth(i).get_attribute("height")}
        for i in range(bars.count())) if b["data-type"] in ("displacement", "explosions_remote_violence")}
    assert heights["displacement"] > heights["explosions_remote_violence"] > 0  # 2 events vs 1
    assert "2" in page.locator("#timeline-note").inner_text()  # coarse and undated are counted apart
    # a click on a bar narrows every view to that day
    page.locator('#timeline rect.bar[data-date="2016-10-16"]').click()
    expect(page.locator("#f-since")).to_have_value("2016-10-16")
    watched.wait_ready()
    # Aleppo's strike that day, and Hodeidah's displacement dated to the month
    page.wait_for_selector('body[data-markers="2"]', state="attached")
    assert sorted(page.locator(".event-card .badge").all_inner_texts()) == ["انفجارات وعنف عن بعد", "نزوح"]
    assert_clean(watched)


def test_search_finds_an_article_and_opens_it(watched: Watched):
    page = watched.open()
    page.fill("#q", "بالموصل")
    page.press("#q", "Enter")
    results = page.locator("#result-list .result")
    results.first.wait_for()
    assert results.count() == 1
    assert results.first.locator(".title").inner_text().startswith("فارون من الموصل")
    marks = results.first.locator("mark").all_inner_texts()
    assert marks and all(m.endswith("الموصل") for m in marks)
    watched.screenshot("search.png")
    results.first.click()
    page.locator("#article-view .article-title").wait_for()
    assert page.locator("#article-view .article-title").inner_text().startswith("فارون من الموصل")
    assert_clean(watched)


def test_article_view_highlights_the_evidence(watched: Watched):
    page = watched.open()
    card = page.locator(".event-card", has_text="«فارين»")
    card.first.click()
    text = page.locator("#article-view .article-text")
    text.wait_for()
    person = text.locator("span.ent-PER")
    assert person.first.inner_text() == "أبو جميل"
    assert "شخص" in person.first.get_attribute("title")
    assert text.locator("span.ent-ORG").first.inner_text() == "الغارديان"
    assert "Mosul" in text.locator("span.place").first.get_attribute("title")
    assert text.locator("span.date").first.inner_text() == "الصيف الماضي"
    assert text.locator("span.attr-cue").first.inner_text() == "نقلت"
    focus = text.locator("span.trigger.focus")
    assert focus.count() == 1 and focus.inner_text() == "فارين"
    assert focus.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    link = page.locator("#article-view a.source-link")
    assert link.get_attribute("href") == "https://www.example-news.net/2016/10/mosul-resistance.html"
    assert link.get_attribute("rel") == "noopener noreferrer" and link.inner_text() == "example-news.net"
    assert page.locator("#article-view .article-events li").count() == 5
    watched.screenshot("article.png")
    # layers can be switched off
    page.locator('input[data-layer="entities"]').uncheck()
    assert text.evaluate("e => e.classList.contains('off-entities')")
    assert person.first.evaluate("e => getComputedStyle(e).backgroundColor") == "rgba(0, 0, 0, 0)"
    assert_clean(watched)


def test_filters_narrow_map_list_and_timeline(watched: Watched):
    page = watched.open()
    page.select_option("#f-type", "displacement")
    page.wait_for_selector('body[data-markers="2"]', state="attached")
    watched.wait_ready()
    badges = page.locator(".event-card .badge").all_inner_texts()
    assert badges == ["نزوح"] * 3
    assert page.locator("#timeline rect.bar").count() == 1
    page.select_option("#f-country", "YE")
    page.wait_for_selector('body[data-markers="1"]', state="attached")
    watched.wait_ready()
    assert page.locator(".event-card").count() == 1
    page.click("#f-reset")
    page.wait_for_selector('body[data-markers="8"]', state="attached")
    assert_clean(watched)


def test_english_toggle(watched: Watched):
    page = watched.open()
    page.click("#lang-toggle")
    page.wait_for_selector('html[dir="ltr"]', state="attached")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#tabs button").first.inner_text() == "Events"
    watched.wait_ready()
    assert "Displacement" in page.locator("#legend").inner_text()
    watched.screenshot("dashboard-en.png")
    page.reload()
    watched.wait_ready()
    assert page.locator("html").get_attribute("dir") == "ltr"  # the choice is remembered
    page.click("#lang-toggle")
    page.wait_for_selector('html[dir="rtl"]', state="attached")
    assert page.locator("#tabs button").first.inner_text() == "الأحداث"
    assert_clean(watched)


def _hostile_checks(w: Watched) -> None:
    page = w.page
    assert page.evaluate("() => window.__pwned") is None
    assert page.title() == "مرصد"
    assert w.dialogs == []
    # no element was made from the article's markup
    assert page.locator("#panel img, #panel script, #panel b, #panel i").count() == 0
    assert page.locator("script").count() == 3  # the page's own: leaflet, topojson-client, dashboard


def test_script_in_an_article_never_runs(watched_without_csp: Watched):
    """With the Content Security Policy switched off, only the page's escaping protects it."""
    w = watched_without_csp
    page = w.open()
    card = page.locator(".event-card", has_text="عنوان فيه")
    assert card.count() == 1
    assert '<img src=x onerror="window.__pwned = 2"> عنوان فيه <b>وسوم</b>' in card.inner_text()
    assert "بغداد <i>x</i>" in card.inner_text()
    _hostile_checks(w)
    card.click()
    text = page.locator("#article-view .article-text")
    text.wait_for()
    page.wait_for_timeout(300)  # time for any injected handler to fire
    assert XSS_SCRIPT in text.inner_text()
    assert text.locator("span.ent-MISC").inner_text() == XSS_SCRIPT  # highlighted, as text
    assert page.locator("#article-view .article-title").inner_text().startswith("<img src=x")
    # a javascript: URL is never made a link
    assert page.locator("#article-view a").count() == 0
    assert "javascript:window.__pwned=3" in page.locator("#article-view .meta").inner_text()
    w.screenshot("hostile-article.png")
    _hostile_checks(w)
    # the map popup of the place named with markup
    page.click("#tabs button[data-tab='events']")
    # places with one event each come south to north: Taiz, then Baghdad
    page.locator("path.event-marker.type-protests").nth(1).dispatch_event("click")  # discs may overlap
    popup = page.locator(".leaflet-popup-content .popup h3")
    popup.wait_for()
    assert popup.inner_text().startswith("بغداد")
    assert "<i>x</i>" in page.locator(".leaflet-popup-content .popup h3").inner_text()
    assert page.locator(".leaflet-popup-content i").count() == 0
    # a search whose snippet holds the markup
    page.fill("#q", "شيفرة")
    page.press("#q", "Enter")
    page.locator("#result-list .result").first.wait_for()
    assert "<script>" in page.locator("#result-list .snippet").first.inner_text()
    page.wait_for_timeout(300)
    _hostile_checks(w)
    assert w.page_errors == [] and w.foreign_requests == []


def test_the_policy_is_enforced_on_the_real_page(watched: Watched):
    page: Any = watched.open()
    page.locator(".event-card", has_text="عنوان فيه").click()
    page.locator("#article-view .article-text").wait_for()
    page.wait_for_timeout(300)
    _hostile_checks(watched)
    # an inline script injected on purpose is refused by the policy
    page.evaluate("""() => { const s = document.createElement('script');
                             s.textContent = 'window.__pwned = 9'; document.body.append(s); }""")
    assert page.evaluate("() => window.__pwned") is None
    assert any("Content Security Policy" in e for e in watched.console_errors)
