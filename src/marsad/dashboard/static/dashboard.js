/* marsad dashboard: map, timeline, search, filters and the article view.
 *
 * Everything that comes from the store (titles, article text, names) reaches the
 * page as text nodes (textContent / createTextNode), never as HTML: an article may
 * carry markup or script from the web, and it must show as text and never run.
 * Leaflet popups and tooltips are given DOM elements, never strings (a string
 * would be parsed as HTML).
 */
(function () {
  "use strict";

  const TYPES = [
    "battles", "explosions_remote_violence", "violence_against_civilians",
    "protests", "riots", "strategic_developments", "displacement",
  ];
  // Okabe–Ito colours: told apart by most colour-blind readers
  const COLORS = {
    battles: "#D55E00",
    explosions_remote_violence: "#E69F00",
    violence_against_civilians: "#CC79A7",
    protests: "#0072B2",
    riots: "#56B4E9",
    strategic_developments: "#6B6B6B",
    displacement: "#009E73",
  };

  const I18N = {
    ar: {
      title: "مرصد", subtitle: "الأخبار العربية على الخريطة",
      searchPlaceholder: "ابحث في المقالات… (مثلاً: الموصل)", search: "بحث",
      type: "النوع", allTypes: "كل الأنواع", since: "من", until: "إلى", country: "البلد",
      allCountries: "كل البلدان", reset: "مسح الفلاتر",
      tabEvents: "الأحداث", tabResults: "نتائج البحث", tabArticle: "المقال",
      more: "المزيد", noArticle: "اختر حدثاً أو نتيجة بحث لعرض المقال.",
      timeline: "الأحداث عبر الزمن", summary: "{events} حدث في {articles} مقال",
      noEvents: "لا أحداث تطابق الفلاتر.", noResults: "لا نتائج.",
      results: "{n} نتيجة لـ «{q}»", atPlace: "الأحداث في {place}", clear: "إلغاء",
      source: "المصدر", published: "نُشر", unknownDate: "تاريخ غير معروف", untitled: "(بلا عنوان)",
      undated: "بلا تاريخ", eventsHere: "{n} حدث", showEvents: "عرض الأحداث",
      timelineNote: "{day} حدث مؤرخ باليوم؛ {coarse} مؤرخ بفترة أطول (شهر، سنة…)؛ {undated} بلا تاريخ.",
      perDay: "يومياً", perWeek: "أسبوعياً", perMonth: "شهرياً",
      layers: "الطبقات:", lEntities: "الكيانات", lPlaces: "الأماكن", lDates: "التواريخ",
      lAttributions: "الإسناد", lEvents: "الأحداث",
      fatalities: "قتلى", injured: "جرحى", displaced: "نازحون", arrested: "معتقلون",
      eventsInArticle: "الأحداث في المقال", error: "خطأ",
      PER: "شخص", ORG: "منظمة", LOC: "مكان", MISC: "أخرى",
      attrSource: "مصدر الخبر", attrCue: "فعل الإسناد", attrVia: "ناقل", attrContent: "مضمون القول",
      trigger: "دالّ الحدث", place: "مكان", date: "تاريخ",
      types: {
        battles: "معارك", explosions_remote_violence: "انفجارات وعنف عن بعد",
        violence_against_civilians: "عنف ضد المدنيين", protests: "احتجاجات", riots: "أعمال شغب",
        strategic_developments: "تطورات استراتيجية", displacement: "نزوح",
      },
    },
    en: {
      title: "Marsad", subtitle: "Arabic news on the map",
      searchPlaceholder: "Search articles… (e.g. الموصل)", search: "Search",
      type: "Type", allTypes: "All types", since: "From", until: "To", country: "Country",
      allCountries: "All countries", reset: "Clear filters",
      tabEvents: "Events", tabResults: "Search results", tabArticle: "Article",
      more: "More", noArticle: "Pick an event or a search result to read the article.",
      timeline: "Events over time", summary: "{events} event(s) in {articles} article(s)",
      noEvents: "No event matches the filters.", noResults: "No results.",
      results: "{n} result(s) for “{q}”", atPlace: "Events at {place}", clear: "Clear",
      source: "Source", published: "Published", unknownDate: "date unknown", untitled: "(untitled)",
      undated: "undated", eventsHere: "{n} event(s)", showEvents: "Show events",
      timelineNote: "{day} events dated to the day; {coarse} dated to a longer period (month, year…); {undated} undated.",
      perDay: "per day", perWeek: "per week", perMonth: "per month",
      layers: "Layers:", lEntities: "Entities", lPlaces: "Places", lDates: "Dates",
      lAttributions: "Attribution", lEvents: "Events",
      fatalities: "killed", injured: "injured", displaced: "displaced", arrested: "arrested",
      eventsInArticle: "Events in this article", error: "Error",
      PER: "person", ORG: "organisation", LOC: "location", MISC: "other",
      attrSource: "source", attrCue: "reporting verb", attrVia: "relayed by", attrContent: "what was said",
      trigger: "event trigger", place: "place", date: "date",
      types: {
        battles: "Battles", explosions_remote_violence: "Explosions / remote violence",
        violence_against_civilians: "Violence against civilians", protests: "Protests", riots: "Riots",
        strategic_developments: "Strategic developments", displacement: "Displacement",
      },
    },
  };

  const PAGE = 50;
  const state = {
    lang: "ar",
    filters: { type: "", since: "", until: "", country: "", q: "" },
    place: null, // {name, lat, lon}: the event list is narrowed to one map place
    offset: 0,
    article: null, // the article shown, as the API gave it
    focusTrigger: null, // [start, end] of the trigger to bring into view
    tab: "events",
  };
  let map = null;
  let markers = null;
  let lastTimeline = null;
  let lastStats = null;

  // --- helpers ----------------------------------------------------------------------------

  const $ = (id) => document.getElementById(id);

  /** A DOM element; strings among the children become text nodes (never HTML). */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    if (props) {
      for (const [key, value] of Object.entries(props)) {
        if (value === null || value === undefined || value === false) continue;
        if (key === "class") node.className = value;
        else if (key === "text") node.textContent = value;
        else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
        else node.setAttribute(key, value === true ? "" : String(value));
      }
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    return node;
  }

  function t(key, vars) {
    let s = I18N[state.lang][key];
    if (s === undefined) s = I18N.en[key] !== undefined ? I18N.en[key] : key;
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.split("{" + k + "}").join(String(v));
    return s;
  }
  /** Left-to-right text (ISO dates, URLs) kept in order inside Arabic lines. */
  const ltr = (text) => el("bdi", { dir: "ltr", text });
  const typeLabel = (type) => I18N[state.lang].types[type] || type;
  const number = (n) => new Intl.NumberFormat(state.lang === "ar" ? "ar-u-nu-latn" : "en").format(n);

  function countryName(code) {
    if (!code) return "";
    try {
      return new Intl.DisplayNames([state.lang], { type: "region" }).of(code.toUpperCase()) || code;
    } catch (e) {
      return code;
    }
  }

  function outlet(url) {
    try {
      const host = new URL(url).hostname;
      return host.startsWith("www.") ? host.slice(4) : host;
    } catch (e) {
      return null;
    }
  }

  /** Only http(s) links are followed: a javascript: or data: URL from a page stays text. */
  function safeHref(url) {
    try {
      const u = new URL(url);
      return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  function showError(err) {
    $("status").textContent = err ? t("error") + ": " + (err.message || String(err)) : "";
  }

  async function api(path, params) {
    const qs = params ? params.toString() : "";
    const res = await fetch(path + (qs ? "?" + qs : ""), { headers: { Accept: "application/json" } });
    let body = null;
    try {
      body = await res.json();
    } catch (e) {
      body = null;
    }
    if (!res.ok) {
      const msg = body && body.error ? body.error.message + " [" + body.error.code + "]" : res.status + " " + res.statusText;
      throw new Error(msg);
    }
    return body;
  }

  function filterParams(extra) {
    const p = new URLSearchParams();
    for (const [key, value] of Object.entries(state.filters)) if (value) p.set(key, value);
    if (extra) for (const [key, value] of Object.entries(extra)) if (value !== null && value !== undefined) p.set(key, value);
    return p;
  }

  function placeBbox(place) {
    const d = 0.0005; // about 50 m: the events at exactly this place
    return [place.lon - d, place.lat - d, place.lon + d, place.lat + d].map((v) => v.toFixed(5)).join(",");
  }

  // --- language ---------------------------------------------------------------------------

  function applyLanguage() {
    const html = document.documentElement;
    html.lang = state.lang;
    html.dir = state.lang === "ar" ? "rtl" : "ltr";
    document.title = t("title");
    for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
    for (const node of document.querySelectorAll("[data-i18n-placeholder]")) node.placeholder = t(node.dataset.i18nPlaceholder);
    const toggle = $("lang-toggle");
    toggle.textContent = state.lang === "ar" ? "English" : "العربية";
    toggle.lang = state.lang === "ar" ? "en" : "ar";
    const typeSelect = $("f-type");
    for (const option of typeSelect.options) if (option.value) option.textContent = typeLabel(option.value);
    const countrySelect = $("f-country");
    for (const option of countrySelect.options) if (option.value) option.textContent = countryName(option.value);
    renderLegend();
  }

  // --- map --------------------------------------------------------------------------------

  function initMap() {
    map = L.map("map", { zoomControl: true, worldCopyJump: true, minZoom: 2, maxZoom: 12 });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Leaflet · Natural Earth (world-atlas)");
    map.setView([33.5, 42.5], 5);
    map.createPane("countries").style.zIndex = 250;
    fetch("/static/vendor/world-atlas/countries-50m.json")
      .then((r) => r.json())
      .then((topo) => {
        const land = topojson.feature(topo, topo.objects.countries);
        L.geoJSON(land, {
          pane: "countries",
          interactive: false,
          style: { color: "#8795a8", weight: 0.8, fillColor: "#f7f4ec", fillOpacity: 1, className: "country" },
        }).addTo(map);
        document.body.dataset.countries = String(land.features.length);
      })
      .catch(showError);
    markers = L.layerGroup().addTo(map);
    if (window.ResizeObserver) new ResizeObserver(() => map.invalidateSize()).observe($("map"));
  }

  /** Disc areas in proportion to counts, the largest place 28 px across its radius. */
  function markerRadius(n, most) {
    return 4 + 24 * Math.sqrt(n / Math.max(most, 1));
  }

  function placePopup(place) {
    const list = el("ul");
    for (const type of TYPES) {
      if (!place.by_type[type]) continue;
      list.append(el("li", null, el("span", { class: "swatch", "data-type": type }), typeLabel(type) + ": " + number(place.by_type[type])));
    }
    for (const swatch of list.querySelectorAll(".swatch")) swatch.style.background = COLORS[swatch.dataset.type];
    const title = (place.name || "") + (place.country_code ? " — " + countryName(place.country_code) : "");
    return el("div", { class: "popup" },
      el("h3", { text: title }),
      el("p", { text: t("eventsHere", { n: number(place.events) }) }),
      list,
      el("button", { type: "button", text: t("showEvents"), onclick: () => selectPlace(place) }));
  }

  /** One marker per place: nested discs, one ring per type, ring areas in proportion to counts. */
  function drawPlaces(places) {
    markers.clearLayers();
    const bounds = [];
    const most = Math.max(1, ...places.map((p) => p.events));
    for (const place of places) {
      const types = TYPES.filter((ty) => place.by_type[ty]).sort((a, b) => place.by_type[b] - place.by_type[a]);
      let remaining = place.events;
      for (const type of types) {
        const marker = L.circleMarker([place.lat, place.lon], {
          radius: markerRadius(remaining, most),
          color: "#1f2933", weight: 1, opacity: 0.7,
          fillColor: COLORS[type], fillOpacity: 0.85,
          className: "event-marker type-" + type,
        });
        marker.bindTooltip(el("span", { text: (place.name || "") + " · " + t("eventsHere", { n: number(place.events) }) }));
        // the popup opens at the place (a DOM element as content, never an HTML string)
        marker.on("click", () => L.popup().setLatLng([place.lat, place.lon]).setContent(placePopup(place)).openOn(map));
        marker.addTo(markers);
        remaining -= place.by_type[type];
      }
      bounds.push([place.lat, place.lon]);
    }
    document.body.dataset.markers = String(markers.getLayers().length);
    return bounds;
  }

  function renderLegend() {
    const legend = $("legend");
    legend.replaceChildren();
    for (const type of TYPES) {
      const swatch = el("span", { class: "swatch" });
      swatch.style.background = COLORS[type];
      legend.append(el("div", null, swatch, typeLabel(type)));
    }
  }

  // --- timeline ---------------------------------------------------------------------------

  function bucketOf(day, unit) {
    if (unit === "day") return day;
    if (unit === "month") return day.slice(0, 7) + "-01";
    const d = new Date(day + "T00:00:00Z");
    const back = (d.getUTCDay() + 6) % 7; // Monday starts the week
    d.setUTCDate(d.getUTCDate() - back);
    return d.toISOString().slice(0, 10);
  }

  function nextBucket(day, unit) {
    const d = new Date(day + "T00:00:00Z");
    if (unit === "day") d.setUTCDate(d.getUTCDate() + 1);
    else if (unit === "week") d.setUTCDate(d.getUTCDate() + 7);
    else d.setUTCMonth(d.getUTCMonth() + 1);
    return d.toISOString().slice(0, 10);
  }

  function drawTimeline(data) {
    lastTimeline = data;
    const box = $("timeline");
    box.replaceChildren();
    $("timeline-unit").textContent = "";
    $("timeline-note").textContent = t("timelineNote", { day: number(data.day), coarse: number(data.coarse), undated: number(data.undated) });
    if (!data.items.length) {
      box.append(el("p", { class: "empty", text: t("noEvents") }));
      return;
    }
    const first = data.items[0].date;
    const last = data.items[data.items.length - 1].date;
    const spanDays = (Date.parse(last) - Date.parse(first)) / 86400000;
    const unit = spanDays > 730 ? "month" : spanDays > 120 ? "week" : "day";
    $("timeline-unit").textContent = "(" + t(unit === "day" ? "perDay" : unit === "week" ? "perWeek" : "perMonth") + ")";
    const buckets = new Map();
    for (let b = bucketOf(first, unit); b <= last; b = nextBucket(b, unit)) buckets.set(b, {});
    for (const item of data.items) {
      const b = buckets.get(bucketOf(item.date, unit));
      b[item.type] = (b[item.type] || 0) + item.count;
    }
    const keys = [...buckets.keys()];
    const totals = keys.map((k) => Object.values(buckets.get(k)).reduce((a, b) => a + b, 0));
    const max = Math.max(1, ...totals);
    const width = Math.max(box.clientWidth, 300);
    const height = 150, left = 34, right = 8, top = 8, bottom = 22;
    const plotW = width - left - right, plotH = height - top - bottom;
    const step = plotW / keys.length;
    const barW = Math.min(36, Math.max(1, step * 0.8));
    const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "data-unit": unit });
    chart.append(svg("line", { class: "axis", x1: left, y1: top + plotH, x2: width - right, y2: top + plotH }));
    chart.append(svg("text", { x: left - 4, y: top + 8, "text-anchor": "end" }, number(max)));
    chart.append(svg("text", { x: left - 4, y: top + plotH, "text-anchor": "end" }, "0"));
    const labelEvery = Math.max(1, Math.ceil(keys.length / Math.max(1, Math.floor(plotW / 70))));
    keys.forEach((key, i) => {
      const x = left + i * step + (step - barW) / 2;
      let y = top + plotH;
      const counts = buckets.get(key);
      for (const type of TYPES) {
        const n = counts[type];
        if (!n) continue;
        const h = (n / max) * plotH;
        y -= h;
        const rect = svg("rect", { class: "bar", x: x.toFixed(2), y: y.toFixed(2), width: barW.toFixed(2), height: Math.max(h, 0.5).toFixed(2), fill: COLORS[type], "data-date": key, "data-type": type, "data-count": n });
        rect.append(svg("title", {}, key + " · " + typeLabel(type) + ": " + number(n)));
        rect.addEventListener("click", () => {
          const end = unit === "day" ? key : new Date(Date.parse(nextBucket(key, unit)) - 86400000).toISOString().slice(0, 10);
          setFilters({ since: key, until: end });
        });
        chart.append(rect);
      }
      if (i % labelEvery === 0) {
        chart.append(svg("text", { x: (left + i * step + step / 2).toFixed(2), y: height - 6, "text-anchor": "middle" }, unit === "month" ? key.slice(0, 7) : key.slice(5)));
      }
    });
    box.append(chart);
    document.body.dataset.bars = String(chart.querySelectorAll(".bar").length);
  }

  // --- event list -------------------------------------------------------------------------

  function figuresOf(ev) {
    const parts = [];
    for (const key of ["fatalities", "injured", "displaced", "arrested"]) {
      if (ev[key] !== null && ev[key] !== undefined) parts.push(number(ev[key]) + " " + t(key));
    }
    return parts.join(" · ");
  }

  function eventCard(ev) {
    const badge = el("span", { class: "badge", text: typeLabel(ev.type) });
    badge.style.background = COLORS[ev.type] || "#555";
    const where = ev.place && ev.place.text ? ev.place.text + (ev.place.country_code ? " (" + countryName(ev.place.country_code) + ")" : "") : "";
    const when = ev.date && ev.date.value ? ev.date.value : t("undated");
    const figures = figuresOf(ev);
    return el("li", { class: "card event-card", tabindex: 0, onclick: () => openArticle(ev.article_id, [ev.trigger.start, ev.trigger.end]) },
      el("div", { class: "meta" }, badge, ev.date && ev.date.value ? ltr(when) : when, where ? " · " + where : ""),
      el("div", { class: "title", dir: "auto", text: ev.article_title || t("untitled") }),
      el("div", { class: "meta" }, el("bdi", { text: "«" + ev.trigger.text + "»" }), ev.url ? " · " + (outlet(ev.url) || "") : ""),
      figures ? el("div", { class: "figures", text: figures }) : null);
  }

  async function loadEvents(append) {
    if (!append) state.offset = 0;
    const extra = { limit: PAGE, offset: state.offset };
    if (state.place) extra.bbox = placeBbox(state.place);
    const page = await api("/api/events", filterParams(extra));
    const list = $("event-list");
    if (!append) list.replaceChildren();
    for (const ev of page.items) list.append(eventCard(ev));
    if (!page.total) list.append(el("li", { class: "empty", text: t("noEvents") }));
    state.offset += page.items.length;
    $("more-events").hidden = state.offset >= page.total;
    const pf = $("place-filter");
    pf.hidden = !state.place;
    if (state.place) {
      pf.replaceChildren(el("span", { text: t("atPlace", { place: state.place.name || "" }) }),
        el("button", { type: "button", text: t("clear"), onclick: () => { state.place = null; loadEvents(false).catch(showError); } }));
    }
    return page;
  }

  function selectPlace(place) {
    state.place = { name: place.name, lat: place.lat, lon: place.lon };
    map.closePopup();
    showTab("events");
    loadEvents(false).catch(showError);
  }

  // --- search -----------------------------------------------------------------------------

  function highlighted(text, ranges) {
    const frag = document.createDocumentFragment();
    let pos = 0;
    for (const [start, end] of [...(ranges || [])].sort((a, b) => a[0] - b[0])) {
      if (start < pos || end > text.length || start >= end) continue;
      frag.append(text.slice(pos, start), el("mark", { text: text.slice(start, end) }));
      pos = end;
    }
    frag.append(text.slice(pos));
    return frag;
  }

  async function runSearch() {
    const q = state.filters.q;
    const list = $("result-list");
    list.replaceChildren();
    $("results-summary").textContent = "";
    if (!q) return;
    const page = await api("/api/search", new URLSearchParams({ q, limit: "50" }));
    $("results-summary").textContent = t("results", { n: number(page.total), q });
    for (const hit of page.items) {
      list.append(el("li", { class: "card result", tabindex: 0, "data-id": hit.id, onclick: () => openArticle(hit.id, null) },
        el("div", { class: "title", dir: "auto", text: hit.title || t("untitled") }),
        el("div", { class: "meta" }, hit.published ? ltr(hit.published) : t("unknownDate")),
        el("div", { class: "snippet", dir: "auto" }, highlighted(hit.snippet, hit.highlights))));
    }
    if (!page.items.length) list.append(el("li", { class: "empty", text: t("noResults") }));
  }

  // --- article view -----------------------------------------------------------------------

  /** Every annotation with offsets, as {start, end, cls, label}. */
  function marksOf(article) {
    const marks = [];
    const add = (span, cls, label) => {
      if (!span || typeof span.start !== "number" || typeof span.end !== "number") return;
      if (span.start < 0 || span.end > article.text.length || span.start >= span.end) return;
      marks.push({ start: span.start, end: span.end, cls, label });
    };
    for (const e of article.entities || []) add(e, "ent-" + e.label, t(e.label) + ": " + e.text);
    for (const p of article.places || []) add(p, "place", t("place") + ": " + (p.name || p.text) + (p.country_code ? " (" + p.country_code + ")" : ""));
    for (const d of article.dates || []) add(d, "date", t("date") + ": " + (d.value || "?") + (d.precision ? " (" + d.precision + ")" : ""));
    for (const a of article.attributions || []) {
      add(a.source, "attr-source", t("attrSource") + ": " + a.source.text);
      add(a.cue, "attr-cue", t("attrCue") + ": " + a.cue.text);
      for (const v of a.via || []) add(v, "attr-via", t("attrVia") + ": " + v.text);
      add(a.content, "attr-content", t("attrContent"));
    }
    for (const ev of article.events || []) {
      add({ start: ev.sentence.start, end: ev.sentence.end }, "ev-sentence", typeLabel(ev.type));
      add(ev.trigger, "trigger trig-" + ev.type, t("trigger") + ": " + typeLabel(ev.type));
      // later mentions of the same happening, merged into this event
      for (const m of ev.mentions || []) {
        add({ start: m.sentence.start, end: m.sentence.end }, "ev-sentence", typeLabel(ev.type));
        add(m.trigger, "trigger trig-" + ev.type, t("trigger") + ": " + typeLabel(ev.type));
      }
    }
    return marks;
  }

  /** The text cut at every annotation boundary; each piece carries the classes of the annotations over it. */
  function annotatedText(text, marks) {
    const cuts = new Set([0, text.length]);
    for (const m of marks) {
      cuts.add(m.start);
      cuts.add(m.end);
    }
    const points = [...cuts].sort((a, b) => a - b);
    const frag = document.createDocumentFragment();
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i], b = points[i + 1];
      const piece = text.slice(a, b);
      const over = marks.filter((m) => m.start <= a && m.end >= b);
      if (!over.length) {
        frag.append(document.createTextNode(piece));
        continue;
      }
      const span = el("span", { class: "hl " + [...new Set(over.map((m) => m.cls))].join(" "), title: over.map((m) => m.label).join("\n"), "data-start": a, "data-end": b });
      span.textContent = piece;
      frag.append(span);
    }
    return frag;
  }

  function layerToggles(textNode) {
    const box = el("div", { class: "layers" }, el("span", { text: t("layers") }));
    for (const [key, label] of [["entities", "lEntities"], ["places", "lPlaces"], ["dates", "lDates"], ["attributions", "lAttributions"], ["events", "lEvents"]]) {
      const input = el("input", { type: "checkbox", checked: true, "data-layer": key });
      input.addEventListener("change", () => textNode.classList.toggle("off-" + key, !input.checked));
      box.append(el("label", null, input, t(label)));
    }
    return box;
  }

  function renderArticle() {
    const view = $("article-view");
    const a = state.article;
    if (!a) return;
    const text = el("div", { class: "article-text", dir: "auto", lang: a.language || "" });
    text.append(annotatedText(a.text, marksOf(a)));
    const meta = el("div", { class: "meta" },
      el("span", null, t("published") + ": ", a.published ? ltr(a.published) : t("unknownDate")),
      a.author ? el("span", { text: a.author }) : null);
    const href = a.url ? safeHref(a.url) : null;
    if (href) {
      meta.append(el("span", null, t("source") + ": ", el("a", { class: "source-link", href, target: "_blank", rel: "noopener noreferrer", text: outlet(href) || href })));
    } else if (a.url) {
      meta.append(el("span", null, t("source") + ": ", ltr(a.url)));
    }
    const events = el("ol", { class: "article-events" });
    for (const ev of a.events || []) {
      const badge = el("span", { class: "badge", text: typeLabel(ev.type) });
      badge.style.background = COLORS[ev.type] || "#555";
      const where = ev.place && ev.place.text ? " · " + ev.place.text : "";
      const when = ev.date && ev.date.value ? [" · ", ltr(ev.date.value)] : [];
      const figures = figuresOf(ev);
      events.append(el("li", { onclick: () => focusTrigger(text, ev.trigger.start) }, badge, "«" + ev.trigger.text + "»" + where, when, figures ? " · " + figures : ""));
    }
    view.replaceChildren(
      el("h2", { class: "article-title", dir: "auto", text: a.title || t("untitled") }),
      meta,
      layerToggles(text),
      text,
      (a.events || []).length ? el("h3", { text: t("eventsInArticle") }) : null,
      events);
    if (state.focusTrigger) focusTrigger(text, state.focusTrigger[0]);
  }

  function focusTrigger(textNode, start) {
    for (const old of textNode.querySelectorAll(".trigger.focus")) old.classList.remove("focus");
    const span = textNode.querySelector(`.trigger[data-start="${Number(start)}"]`);
    if (span) {
      span.classList.add("focus");
      span.scrollIntoView({ block: "center" });
    }
  }

  async function openArticle(id, trigger) {
    const article = await api("/api/articles/" + encodeURIComponent(id)).catch((e) => {
      showError(e);
      return null;
    });
    if (!article) return;
    state.article = article;
    state.focusTrigger = trigger;
    showTab("article");
    renderArticle();
  }

  // --- tabs, filters, refresh -------------------------------------------------------------

  function showTab(name) {
    state.tab = name;
    for (const b of document.querySelectorAll("#tabs button")) b.classList.toggle("active", b.dataset.tab === name);
    for (const s of document.querySelectorAll(".tab")) s.classList.toggle("active", s.id === "tab-" + name);
  }

  function readFilters() {
    state.filters.type = $("f-type").value;
    state.filters.since = $("f-since").value;
    state.filters.until = $("f-until").value;
    state.filters.country = $("f-country").value;
  }

  function setFilters(values) {
    if ("since" in values) $("f-since").value = values.since;
    if ("until" in values) $("f-until").value = values.until;
    readFilters();
    refresh(false);
  }

  async function refresh(fit) {
    showError(null);
    document.body.dataset.ready = "loading";
    try {
      const [places, timelineData] = await Promise.all([
        api("/api/places", filterParams({ limit: 1000 })),
        api("/api/timeline", filterParams()),
        loadEvents(false),
      ]);
      drawTimeline(timelineData); // first: the timeline's height sets the map's
      const bounds = drawPlaces(places.items);
      map.invalidateSize();
      // no animation: the view is final when the page says it is ready
      if (fit && bounds.length) map.fitBounds(bounds, { padding: [40, 40], maxZoom: 7, animate: false });
      const shown = timelineData.day + timelineData.coarse + timelineData.undated;
      $("summary").textContent = lastStats ? t("summary", { events: number(shown), articles: number(lastStats.articles) }) : "";
    } catch (e) {
      showError(e);
    } finally {
      document.body.dataset.ready = "yes";
    }
  }

  async function loadCountries() {
    const places = await api("/api/places", new URLSearchParams({ limit: "5000" }));
    const codes = [...new Set(places.items.map((p) => p.country_code).filter(Boolean))].sort();
    const select = $("f-country");
    for (const code of codes) select.append(el("option", { value: code, text: countryName(code) }));
  }

  function init() {
    const saved = window.localStorage ? localStorage.getItem("marsad.lang") : null;
    if (saved === "en" || saved === "ar") state.lang = saved;
    const typeSelect = $("f-type");
    for (const type of TYPES) typeSelect.append(el("option", { value: type, text: type }));
    applyLanguage();
    initMap();

    $("filters").addEventListener("change", () => {
      readFilters();
      refresh(false);
    });
    $("filters").addEventListener("submit", (e) => e.preventDefault());
    $("f-reset").addEventListener("click", () => {
      for (const id of ["f-type", "f-since", "f-until", "f-country"]) $(id).value = "";
      state.place = null;
      readFilters();
      refresh(true);
    });
    $("search-form").addEventListener("submit", (e) => {
      e.preventDefault();
      state.filters.q = $("q").value.trim();
      showTab(state.filters.q ? "results" : "events");
      runSearch().catch(showError);
      refresh(true);
    });
    $("more-events").addEventListener("click", () => loadEvents(true).catch(showError));
    for (const b of document.querySelectorAll("#tabs button")) b.addEventListener("click", () => showTab(b.dataset.tab));
    $("lang-toggle").addEventListener("click", () => {
      state.lang = state.lang === "ar" ? "en" : "ar";
      if (window.localStorage) localStorage.setItem("marsad.lang", state.lang);
      applyLanguage();
      renderArticle();
      if (lastTimeline) drawTimeline(lastTimeline);
      refresh(false);
      if (state.filters.q) runSearch().catch(showError);
    });
    window.addEventListener("resize", () => {
      if (lastTimeline) drawTimeline(lastTimeline);
    });

    api("/api/stats")
      .then((s) => { lastStats = s; })
      .catch(() => null)
      .then(() => refresh(true));
    loadCountries().catch(showError);
  }

  document.addEventListener("DOMContentLoaded", init);
})();
