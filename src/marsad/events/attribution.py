"""Who said what: reported speech with its source, relays, cue and content.

:func:`find_attributions` reads every sentence of an article for the cues of
``data/events/attribution.tsv`` and builds :class:`marsad.documents.Attribution`
objects:

* a verb of saying (``قال``، ``أكد``، ``أفادت``…) takes its source from the noun
  phrase after it (``وقال مسؤول أمني إن``), else from the relative clause it
  sits in (``مسؤول أمن كردي، والذي أكد``), else from a topic that opens the
  sentence and is closed by a comma (``أبو جميل، رجل آخر فرّ…، أكد أنه``), else
  from the previous attribution (``وأضاف أن``).  It counts only with a
  complement: إن / أن (``بأن``, fused ``أنه``), a colon or a quotation; a verb
  of ``verb_noun`` kind (``أعلن``، ``نفى``) may instead report a verbal noun
  when its source looks like a speaker (a name or a head such as ``مصدر``);
* ``نقلت X عن Y قولهم إن``: Y is the source and X the relay (``via``);
  ``قال X لـY`` and ``تحدث X لـY`` make Y a relay when Y is a medium or a name;
* a circumstantial participle (``مؤكداً أن``) continues the previous speaker;
* a preposition (``حسب X``، ``وفقاً لـX``، ``نقلاً عن X``) takes X as the
  source; its content is the rest of the sentence on the longer side.

Content runs from the complement to the end of the sentence, or to the next
cue that follows a comma, or to the closing quote of a quotation (quote marks
are left out).  Spans never start with a proclitic and never include the
quote marks around a name (``لـ"الغارديان"`` → ``الغارديان``).  ``via`` lists
relays nearest to the source first.
"""

from __future__ import annotations

from dataclasses import dataclass

from marsad.documents import Article, Attribution, Entity, Span
from marsad.events.lexicon import EventLexicon, PhraseIndex, load_event_lexicon, match_keys
from marsad.events.view import QUOTES, SentenceView

__all__ = ["find_attributions", "MAX_NP", "MAX_COMPLEMENT"]

MAX_NP = 10  # words of a source's noun phrase
MAX_COMPLEMENT = 14  # words between a source and its complement
_RELATIVES = frozenset({"الذي", "التي", "الذين", "اللذين", "اللتين"})
_OPENING = frozenset("«“„\"‹")
_PAIRS = {"«": "»", "“": "”", "„": "”", "\"": "\"", "‹": "›", "”": "”"}
_PRONOUN_HEADS = frozenset({"قوله", "قولها", "قولهم", "قولهما", "زعمه", "زعمها", "زعمهم", "تعبيره",
                            "تعبيرها", "رايه", "رايها", "وصفه", "وصفها"})
_SPEECH_VERBS = ("verb", "verb_noun", "relay_verb", "address_verb")
_CUE_KINDS = ("prep", "relay_verb", "participle", "verb_noun", "verb", "address_verb", "noun")
_EMPTY = PhraseIndex()


@dataclass
class _Cue:
    kind: str
    start: int  # content positions
    end: int


def _span(view: SentenceView, text: str, a: int, b: int) -> Span | None:
    """The span of content positions ``[a, b)`` trimmed of punctuation and quotes."""
    while a < b and view.is_punct(a):
        a += 1
    while b > a and view.is_punct(b - 1):
        b -= 1
    if a >= b:
        return None
    s, e = view.tok(a).start, view.tok(b - 1).end
    return Span(text[s:e], s, e)


def _is_complementiser(view: SentenceView, p: int) -> bool:
    t = view.tok(p)
    if t.kind != "word":
        return False
    n = t.norm
    return n == "ان" or (n.startswith("ان") and n[2:] in ("ه", "ها", "هم", "هما", "هن", "نا", "ني", "ك", "كم"))


class _Reader:
    def __init__(self, article: Article, lex: EventLexicon) -> None:
        self.article = article
        self.text = article.text
        self.lex = lex
        self.stops = lex.attribution.get("np_stop")
        self.speech_events = lex.attribution.get("speech_event")
        self.media = lex.attribution.get("media")
        self.speakers = lex.attribution.get("speaker")
        # first words of every cue: most tokens are none, and are skipped at once
        self.cue_firsts = frozenset(k for kind in _CUE_KINDS for k in lex.attribution.get(kind, _EMPTY).by_first)
        self.entities: list[Entity] = sorted(
            (e for e in article.entities if e.label in ("PER", "ORG", "MISC")), key=lambda e: e.start)

    # ------------------------------------------------------------------ helpers

    def _in(self, index_name: str, view: SentenceView, p: int) -> tuple[int, object] | None:
        idx = self.lex.attribution.get(index_name)
        return None if idx is None else view.match(idx, p)

    def _cue_at(self, view: SentenceView, p: int) -> _Cue | None:
        i = view.content[p]
        if view.tokens[i].kind != "word" or not any(
                k in self.cue_firsts for k in match_keys(view.tokens, i, view.cache)):
            return None
        for kind in _CUE_KINDS:
            m = self._in(kind, view, p)
            if m is not None:
                if kind == "noun" and p > 0 and view.tok(p - 1).norm == "في":
                    return None  # في تصريحات له: an occasion, not a cue
                return _Cue(kind, p, m[0])
        return None

    def _verbal_cue(self, view: SentenceView, p: int) -> bool:
        cue = self._cue_at(view, p)
        return cue is not None and cue.kind != "noun"

    def _entity_at(self, view: SentenceView, p: int) -> Entity | None:
        t = view.tok(p)
        for e in self.entities:
            if e.start <= t.start < e.end:
                return e
            if e.start > t.start:
                break
        return None

    def _stop(self, view: SentenceView, p: int) -> bool:
        return self.stops is not None and view.match(self.stops, p) is not None

    def _np_forward(self, view: SentenceView, p: int, limit: int, relay: bool = False) -> int:
        """End (content position) of the noun phrase starting at ``p``."""
        n = len(view)
        q = p
        words = 0
        if q < n and self._verbal_cue(view, q):
            return q  # وتابعت قائلة: no subject here
        while q < n and words < limit:
            t = view.tok(q)
            if t.kind == "punct":
                if t.text in _OPENING and q > p and self.media is not None \
                        and view.match(self.media, q - 1) is not None:
                    # صحيفة “الغارديان”: a quoted name after a media head
                    close = q + 1
                    while close < n and close - q <= 6 and not (view.is_punct(close)
                                                               and view.tok(close).text in QUOTES):
                        close += 1
                    if close < n:
                        q = close + 1
                        continue
                break
            if _is_complementiser(view, q) or t.norm in _PRONOUN_HEADS:
                break
            if q > p and "ل" in view.clitics_before(q):
                break
            if q > p and "ب" in view.clitics_before(q):
                break
            if self._stop(view, q) and not (t.norm == "عن" and q > p and view.stem(q - 1) in ("صادر", "صادره")):
                break
            if t.norm == "في" and q + 1 < n and self.speech_events is not None \
                    and view.match(self.speech_events, q + 1) is not None:
                break
            if q > p and self._cue_at(view, q) is not None and not relay:
                break
            if q > p and not relay and view.match(self.lex.triggers, q) is not None:
                break  # أعلن الجيش مقتل جندي: the event is not the speaker
            words += 1
            q += 1
        return q

    def _np_backward(self, view: SentenceView, p: int) -> int:
        """Start (content position) of the noun phrase that ends just before ``p``."""
        q = p
        words = 0
        while q > 0 and words < 6:
            if view.is_punct(q - 1) or self._stop(view, q - 1) or _is_complementiser(view, q - 1):
                break
            if view.tok(q - 1).norm in ("من", "في", "على", "الى", "عن", "مع"):
                break
            q -= 1
            words += 1
            if view.clitics_before(q):
                break
        return q

    def _topic(self, view: SentenceView, cue: int) -> tuple[int, int] | None:
        """A noun phrase that opens the sentence and is closed by a comma."""
        q = 0
        while q < cue and q < 9:
            if view.is_punct(q):
                break
            if self._cue_at(view, q) is not None:
                return None
            q += 1
        if 0 < q < cue and view.tok(q).text in ("،", ","):
            return 0, q
        return None

    def _complement(self, view: SentenceView, p: int) -> tuple[int, str] | None:
        """The first complement at or after ``p``: (position, kind) with kind
        ``that`` (إن/أن, the position of the word), ``colon`` or ``quote``."""
        n = len(view)
        words = 0
        q = p
        while q < n and words < MAX_COMPLEMENT:
            t = view.tok(q)
            if t.kind == "punct":
                if t.text == ":":
                    return q, "colon"
                if t.text in _OPENING or t.text == "”":
                    return q, "quote"
                if t.text in ".!?؟":
                    return None
            elif _is_complementiser(view, q):
                return q, "that"
            elif q > p and self._verbal_cue(view, q):
                return None
            else:
                words += 1
            q += 1
        return None

    def _content(self, view: SentenceView, p: int, kind: str) -> Span | None:
        """Content from a complement at ``p`` to the end of what was said."""
        n = len(view)
        if kind == "colon":
            p += 1
            if p < n and view.tok(p).norm == "ان" and p + 1 < n and view.tok(p + 1).text in QUOTES:
                p += 1  # يقول: إن “...”
            if p < n and view.tok(p).text in QUOTES:
                kind = "quote"
        if kind == "quote":
            opener = view.tok(p).text
            closer = _PAIRS.get(opener, opener)
            q = p + 1
            while q < n and not (view.is_punct(q) and view.tok(q).text in (closer, "”", "»", "\"")):
                q += 1
            return _span(view, self.text, p + 1, q)
        start = p + 1 if view.tok(p).norm == "ان" else p
        return self._content_from(view, start)

    def _via(self, view: SentenceView, p: int) -> tuple[Span | None, int]:
        """A relay after لـ at ``p`` (a medium or a name): its span and end."""
        n = len(view)
        if p >= n or "ل" not in view.clitics_before(p):
            return None, p
        q = p
        while q < n and view.is_punct(q) and view.tok(q).text in QUOTES:
            q += 1
        if q >= n:
            return None, p
        media = self.media is not None and view.match(self.media, q) is not None
        entity = self._entity_at(view, q)
        quoted = q > p
        if not (media or entity or quoted):
            return None, p
        if quoted:
            e = q
            while e < n and not (view.is_punct(e) and view.tok(e).text in QUOTES):
                e += 1
        elif entity is not None and not media:
            e = q
            while e < n and view.tok(e).start < entity.end:
                e += 1
        else:
            e = self._np_forward(view, q, 5)
        end = e
        while end < n and view.is_punct(end) and view.tok(end).text in QUOTES:
            end += 1
        return _span(view, self.text, q, e), end

    def _looks_like_speaker(self, view: SentenceView, a: int, b: int | None = None) -> bool:
        """A name or a speaker head among the first words of ``[a, b)``."""
        for q in range(a, min(b if b is not None else a + 1, a + 4, len(view))):
            if self._entity_at(view, q) is not None:
                return True
            if self.speakers is not None and view.match(self.speakers, q) is not None:
                return True
        return False

    # ------------------------------------------------------------------ the reader

    def sentence(self, view: SentenceView, previous: Attribution | None) -> list[Attribution]:
        out: list[Attribution] = []
        n = len(view)
        p = 0
        while p < n:
            cue = self._cue_at(view, p)
            if cue is None:
                p += 1
                continue
            last = out[-1] if out else previous
            att = self._read(view, cue, last)
            if att is not None:
                out.append(att)
            p = max(cue.end, p + 1)
        return out

    def _read(self, view: SentenceView, cue: _Cue, last: Attribution | None) -> Attribution | None:
        cue_span = _span(view, self.text, cue.start, cue.end)
        if cue_span is None:
            return None
        idx = self.lex.attribution.get(cue.kind)
        if idx is not None:
            s = view.host_start(cue.start, idx)
            cue_span = Span(self.text[s:cue_span.end], s, cue_span.end)
        if cue.kind == "prep":
            return self._prep(view, cue, cue_span, last)
        if cue.kind == "participle":
            if last is None:
                return None
            comp = self._complement(view, cue.end)
            if comp is None:
                return None
            return Attribution(source=last.source, cue=cue_span, via=list(last.via),
                               content=self._content(view, *comp))
        if cue.kind == "relay_verb":
            return self._relay(view, cue, cue_span)
        return self._verb(view, cue, cue_span, last)

    def _verb(self, view: SentenceView, cue: _Cue, cue_span: Span, last: Attribution | None) -> Attribution | None:
        n = len(view)
        a = cue.end
        # pronouns and time words between the verb and its subject: وقال عنها مصدر
        while a < n and a - cue.end < 3 and not _is_complementiser(view, a):
            m = view.match(self.stops, a) if self.stops is not None else None
            if m is None:
                break
            a = m[0]
        b = self._np_forward(view, a, MAX_NP)
        source: Span | None = _span(view, self.text, a, b) if b > a else None
        via: list[Span] = []
        after = b if source is not None else cue.end
        v, v_end = self._via(view, after)
        if v is not None:
            via.append(v)
            after = v_end
        content_before: Span | None = None
        if cue.start > 0 and view.tok(cue.start - 1).norm == "كما":
            # ..., كما ذكرت وكالة الأناضول: the statement comes before
            content_before = _span(view, self.text, 0, cue.start - 1)
        if source is None:
            prev = cue.start - 1
            while prev >= 0 and view.is_punct(prev):
                prev -= 1
            if prev >= 0 and view.tok(prev).norm in _RELATIVES:
                end = self._skip_punct_back(view, prev)
                source = _span(view, self.text, self._np_backward(view, end), end)
            elif prev >= 0 and prev == cue.start - 1:
                # subject before the verb: لكن خبراء قالوا، وسائل إعلام قد ذكرت
                end = cue.start
                while end > 0 and (view.tok(end - 1).norm == "قد" or (
                        end - 1 > 0 and view.clitics_before(end - 1) == ("ب",))):
                    end -= 1
                start = self._np_backward(view, end)
                opens = start == 0 or view.is_punct(start - 1) or self._stop(view, start - 1) \
                    or _is_complementiser(view, start - 1)
                if start < end and (self._looks_like_speaker(view, start, end) or (opens and end - start <= 3)):
                    source = _span(view, self.text, start, end)
            if source is None:
                topic = self._topic(view, cue.start)
                if topic is not None:
                    source = _span(view, self.text, *topic)
            if source is None and last is not None:
                source = last.source
                via = via or list(last.via)
        if source is None:
            return None
        if content_before is not None:
            return Attribution(source=source, cue=cue_span, via=via, content=content_before)
        comp = self._complement(view, after)
        if comp is None:
            if cue.kind != "verb_noun" or b <= a or not self._looks_like_speaker(view, a, b):
                return None
            content = _span(view, self.text, after, n)
            return Attribution(source=source, cue=cue_span, via=via, content=content)
        return Attribution(source=source, cue=cue_span, via=via, content=self._content(view, *comp))

    @staticmethod
    def _skip_punct_back(view: SentenceView, p: int) -> int:
        """The position after the last word before ``p`` (commas skipped)."""
        q = p
        while q > 0 and view.is_punct(q - 1):
            q -= 1
        return q

    def _relay(self, view: SentenceView, cue: _Cue, cue_span: Span) -> Attribution | None:
        n = len(view)
        q = cue.end
        an = None
        while q < n and q - cue.end <= 10:
            if view.is_boundary(q) and view.tok(q).text not in ("،", ","):
                break
            if view.tok(q).norm == "عن":
                an = q
                break
            q += 1
        if an is None:
            return None
        via_span = _span(view, self.text, cue.end, self._np_forward(view, cue.end, MAX_NP)) \
            if an > cue.end else None
        if via_span is not None and via_span.end > view.tok(an).start:
            via_span = _span(view, self.text, cue.end, an)
        s = an + 1
        e = s
        while e < n and e - s < MAX_NP:
            t = view.tok(e)
            if t.kind == "punct" and t.text not in QUOTES:
                break
            if t.norm in _PRONOUN_HEADS or _is_complementiser(view, e):
                break
            e += 1
        source = _span(view, self.text, s, e)
        if source is None:
            return None
        comp = self._complement(view, e)
        content = self._content(view, *comp) if comp is not None else None
        return Attribution(source=source, cue=cue_span, via=[via_span] if via_span else [], content=content)

    def _prep(self, view: SentenceView, cue: _Cue, cue_span: Span, last: Attribution | None) -> Attribution | None:
        n = len(view)
        a = cue.end
        if a < n and view.tok(a).norm in ("ما", "لما"):
            a += 1
            verb = self._cue_at(view, a)
            if verb is not None and verb.kind in _SPEECH_VERBS:
                a = verb.end
            while a < n and view.tok(a).norm in ("عنه", "عنها", "عنهم"):
                a += 1
        while a < n and view.is_punct(a) and view.tok(a).text in QUOTES:
            a += 1
        if a >= n:
            return None
        if view.tok(a).norm in _PRONOUN_HEADS:
            if last is None:
                return None
            source: Span | None = last.source
            b = a + 1
        else:
            b = self._np_forward(view, a, 8, relay=True)
            if b < n and view.is_punct(b) and view.tok(b).text in QUOTES:
                b += 1
            if not (self._looks_like_speaker(view, a, b) or view.tok(a).kind == "latin"
                    or (a > cue.end and view.tok(a - 1).text in QUOTES)):
                return None  # وفق القرار الدولي: a rule, not a speaker
            source = _span(view, self.text, a, b)
        if source is None:
            return None
        # the content: the rest of the sentence on the longer side of the attribution
        first = 0
        opens = cue.start <= first + 1 and all(view.is_punct(q) for q in range(first, cue.start))
        if opens:
            c = b
            while c < n and (view.is_punct(c) or view.tok(c).norm in ("فان", "فقد", "ان")):
                c += 1
            content = self._content_from(view, c)
        else:
            before = _span(view, self.text, 0, cue.start)
            after = self._content_from(view, b)
            content = before
            if after is not None and (before is None or len(after.text) > len(before.text)):
                content = after
        return Attribution(source=source, cue=cue_span, via=[], content=content)

    def _content_from(self, view: SentenceView, c: int) -> Span | None:
        n = len(view)
        q = c
        while q < n:
            if q > c and view.is_punct(q - 1) and view.tok(q - 1).text in ("،", ",") \
                    and self._cue_at(view, q) is not None:
                break
            q += 1
        return _span(view, self.text, c, q)


def find_attributions(article: Article, lex: EventLexicon | None = None) -> list[Attribution]:
    """The attributions of an article, in text order (see the module docstring)."""
    lex = lex or load_event_lexicon()
    reader = _Reader(article, lex)
    out: list[Attribution] = []
    previous: Attribution | None = None
    last_para_end = -1
    for sentence in article.sentences:
        view = SentenceView.of(article.tokens, sentence)
        if not len(view):
            continue
        # a new paragraph forgets the previous speaker
        if last_para_end >= 0 and "\n" in article.text[last_para_end:sentence.start]:
            previous = None
        found = reader.sentence(view, previous)
        out.extend(found)
        if found:
            previous = found[-1]
        last_para_end = sentence.end
    return out
