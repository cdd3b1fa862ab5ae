"""Events of an article: what happened, where, when, to whom, and how many.

:func:`find_events` reads each sentence:

1. **Triggers** (``data/events/triggers.tsv``), longest match first.  A
   trigger is dropped when the sentence gives it another sense: a sports,
   market, cyber or fiction context for an ``ambiguous`` word (``هجوم`` of a
   football team), a figurative word after it (``انفجار الحريات``،
   ``الهجوم على الحريات``، ``حملة هجومية``), a disaster for a killing (the
   dead of a tsunami), a word of an ``unless=`` list near it (a fugitive for a flight, ``فر من السجن``; a tribe for a migration), or a missing
   context for a ``needs=`` word (``مسيرة`` with no crowd is a career).
2. **Modality** (:mod:`marsad.events.view`): a trigger governed by a
   negation, future, hypothesis, intent or call marker yields nothing
   (``نفى ... وقوع``، ``يتوقع أن يشتد``، ``توعد ... بأن``، ``دعا إلى وقف``);
   nor does a verbal noun after the purpose لـ (``الحملة لاستعادة المدينة``:
   the retaking is the aim) unless a verb of undergoing precedes it
   (``تعرض لهجوم``).  A trigger under a background marker (``عقب مقتل``،
   ``إبان سيطرته``، ``سبق أن``) is kept with lower confidence.
3. **One event per type and sentence**: triggers of one type are merged.  A
   killing word (``قتل``، ``مقتل``) joins the sentence's battle, explosion or
   attack when there is one; alone, it is a battle when the dead are armed
   (``مقتل جنديين``), else violence against civilians.
4. **Arguments**: actors and targets are ORG/PER entities and descriptions
   (``data/events/actors.tsv``: ``مسلحون مجهولون``، ``قوات النظام``، ``مدنيين``)
   in the clauses of the triggers; ``على يد``، ``من قبل``، ``برصاص`` mark an
   actor and ``ضد``، ``استهدف`` a target (for displacement, only an agent word
   makes an actor).  ``place`` is the resolved place of the sentence that is
   nearest to the trigger — or, among places within a few words of the
   nearest, the most specific (a town before a province before a country) —, else the article's main place (its most mentioned resolved
   place); for displacement it is the place fled from (after
   ``من``) and ``destination`` the camp or the place after ``إلى``، ``نحو``
   (a camp the gazetteer does not know is kept as text with no coordinates).
   ``date`` is the sentence's date nearest to the trigger, else the
   publication date with precision ``day``, else null (an article with no
   date gives undated events rather than guessed ones).
6. **One event per happening** (:mod:`marsad.events.coref`): later mentions
   of the same type, place and date join the first one.
5. **Figures** (:mod:`marsad.events.figures`) go to the event they count:
   killed and injured to the violent event nearest to them (else a riot or
   protest), arrested to the arrests, displaced to the displacement.

Added, documented fields in :attr:`marsad.documents.Event.extra` (they appear
in the event's JSON):

* ``attribution``: the index in ``article.attributions`` of the attribution
  whose content holds the trigger (the statement reporting the event), when
  there is one;
* ``displaced_unit``: ``"households"`` when the displaced figure counts
  families (``300 عائلة``), else absent;
* ``background``: ``true`` when the event is mentioned in passing, else absent;
* ``mentions``: the later mentions of the same happening, merged into this
  event (:mod:`marsad.events.coref`), each ``{"trigger", "sentence"}``.

The ``place`` and ``destination`` objects carry ``text``, ``lat``, ``lon``,
``country_code`` and also ``name``, ``start`` and ``end`` (the mention's
offsets).  ``confidence`` is 0.8 for an event signalled by a core word,
0.65 when only people taking part (``المتظاهرون``) or a killing word signal
it, 0.6 when its only trigger is an ambiguous word, times 0.55 for a
background mention, plus 0.05 with a figure.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from marsad.arabic.numbers import NumberMention, find_numbers
from marsad.documents import Article, Attribution, DateMention, Entity, Event, Place, Sentence, Span
from marsad.events.coref import merge_mentions
from marsad.events.figures import Figure, read_figures
from marsad.events.lexicon import EventLexicon, TriggerEntry, load_event_lexicon
from marsad.events.view import Scopes, SentenceView, modality_scopes

__all__ = ["find_events", "main_place", "VIOLENT", "UNLESS_WINDOW", "ARG_WINDOW"]

VIOLENT = ("explosions_remote_violence", "battles", "violence_against_civilians")
UNLESS_WINDOW = 5  # words around a trigger searched for the words of its unless= lists
ARG_WINDOW = 12  # words around a trigger searched for actors and targets
_SUPPRESSING_CONTEXTS = ("sport", "market", "cyber", "fiction")
_AGENT_BEFORE = {("على", "يد"), ("من", "قبل"), ("من", "طرف"), ("بيد",), ("يد",), ("رصاص",), ("نيران",),
                 ("ايدي",)}
_TARGET_BEFORE = frozenset({"ضد", "استهدف", "استهدفت", "يستهدف", "تستهدف", "استهدفوا", "بحق"})
_NOMINAL_KILLING = ("مقتل", "اغتيال", "اختطاف", "خطف", "استشهاد", "إعدام", "اعدام", "مصرع", "تعذيب")
_LIGHT_VERBS = frozenset({"شن", "تنفيذ", "ارتكاب", "قيام", "تنظيم", "اعداد"})
_UNDERGO = ("تعرض", "يتعرض", "تتعرض", "تعرضت", "تعرضوا", "ادي", "ادت", "يودي", "تودي", "اسفر", "اسفرت",
            # causatives: دفع السكان للفرار، اضطرهم للنزوح (they fled)
            "دفع", "دفعت", "دفعهم", "اضطر", "اضطرت", "اجبر", "اجبرت", "ارغم", "ارغمت")
# verbal nouns of reaching an agreement: after the purpose لـ (للتوصل إلى اتفاق) it is only sought
_AGREEING = frozenset({"توصل", "توقيع", "ابرام", "عقد", "اعلان"})
_DESTINATION_BEFORE = frozenset({"الى", "نحو", "صوب", "باتجاه", "اتجاه"})
# places named in the sentence: the most specific is the place of the event
_SPECIFICITY = {"camp": 0, "site": 0, "crossing": 0, "district": 0, "village": 0, "city": 0, "admin2": 1,
                "admin1": 2, "country": 3}
_CONFIDENCE_CORE = 0.8
_CONFIDENCE_WEAK = 0.65
_CONFIDENCE_AMBIGUOUS = 0.6
_BACKGROUND_FACTOR = 0.55


@dataclass
class _Trigger:
    entry: TriggerEntry
    start: int  # content positions
    end: int
    span: Span
    background: bool = False


@dataclass
class _Draft:
    type: str
    triggers: list[_Trigger] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


_CLOSE_BY = 40  # characters: places this much farther than the nearest still compete


def _place_dict(place: Place) -> dict[str, Any]:
    return {
        "text": place.text, "name": place.name, "lat": place.lat, "lon": place.lon,
        "country_code": place.country_code, "start": place.start, "end": place.end,
    }


def main_place(places: list[Place]) -> Place | None:
    """The article's most mentioned resolved place (ties: the first mentioned)."""
    resolved = [p for p in places if p.lat is not None and p.lon is not None]
    if not resolved:
        return None
    counts = Counter(p.geonames_id or p.name or p.text for p in resolved)
    best = max(counts.values())
    return next(p for p in resolved if counts[p.geonames_id or p.name or p.text] == best)


class _Reader:
    def __init__(self, article: Article, lex: EventLexicon) -> None:
        self.article = article
        self.lex = lex
        self.text = article.text
        self.main = main_place(article.places)

        self.entities: list[Entity] = [e for e in article.entities if e.label in ("PER", "ORG")]

    def _numbers(self, sentence: Sentence) -> list[NumberMention]:
        """The figures of one sentence, with offsets into the article."""
        out = find_numbers(self.text[sentence.start:sentence.end])
        for m in out:
            m.start += sentence.start
            m.end += sentence.start
        return out

    # --------------------------------------------------------------- triggers

    def _context(self, view: SentenceView) -> set[str]:
        return view.names(self.lex.context_all)

    def _figurative(self, view: SentenceView, end: int) -> bool:
        """A figurative word after a trigger: a collocate within two words
        (حملة هجومية، هجوما لاذعا), or an object right after it or after one
        preposition (انفجار الحريات، الهجوم على الحريات، الهجوم من المثقفين)."""
        n = len(view)
        fig_obj = self.lex.context.get("figurative_object")
        fig_col = self.lex.context.get("figurative_collocate")
        q = end
        words = 0
        prep = False
        while q < n and words < 3:
            t = view.tok(q)
            if view.is_boundary(q):
                return False
            if t.kind == "punct":
                q += 1
                continue
            if fig_col is not None and words < 2 and view.match(fig_col, q) is not None:
                return True
            if fig_obj is not None and view.match(fig_obj, q) is not None:
                return words == 0 or prep
            if t.norm in ("علي", "على", "من", "ضد", "عن") and not prep:
                prep = True
            elif words >= 1:
                return False
            words += 1
            q += 1
        return False

    def _near_context(self, view: SentenceView, a: int, b: int, name: str) -> bool:
        """A word of the context list ``name`` within a few words of a trigger
        (a fugitive near a flight verb, a tribe near a migration)."""
        idx = self.lex.context.get(name)
        if idx is None:
            return False
        lo, hi = max(0, a - UNLESS_WINDOW), min(len(view), b + UNLESS_WINDOW)
        return any(view.match(idx, q) is not None for q in range(lo, hi) if not (a <= q < b))

    def _purpose(self, view: SentenceView, p: int, entry: TriggerEntry) -> bool:
        """A verbal noun after the purpose لـ (الحملة لاستعادة المدينة)."""
        if "participant" in entry.flags:
            return False
        if entry.sub_type == "agreement" and view.stem(p) not in _AGREEING:
            return False  # التوصل لاتفاق: the ل is on the agreement, not a purpose
        if "ل" not in view.clitics_before(p):
            return False
        if view.tok(p).norm[:1] in "يت" and "casualty" not in entry.flags:
            return False  # لتندلع الحرب: a result, not an aim
        # تعرضت المسيرة لهجوم، تعرضت أحياء حلب الشرقية لقصف، دفع السكان للفرار:
        # a verb of undergoing or a causative earlier in the clause
        for q in range(p - 1, max(-1, p - 6), -1):
            if view.is_boundary(q):
                break
            if any(view.tok(q).norm.startswith(u) for u in _UNDERGO):
                return False
        return True

    @staticmethod
    def _light_purpose(view: SentenceView, p: int) -> bool:
        """A trigger after لـ + a light verb of doing (لشن هجوم، لتنفيذ عمليات)."""
        if p == 0 or "ل" not in view.clitics_before(p - 1):
            return False
        return view.stem(p - 1) in _LIGHT_VERBS

    def _triggers(self, view: SentenceView, context: set[str], found: list[tuple[int, int, object]],
                  scopes: Scopes) -> list[_Trigger]:
        out: list[_Trigger] = []
        for a, b, entry in found:
            assert isinstance(entry, TriggerEntry)
            if entry.type == "none":
                continue
            if any(name not in context for name in entry.needs):
                continue
            if "ambiguous" in entry.flags and (context & set(_SUPPRESSING_CONTEXTS) or self._figurative(view, b)):
                continue
            if "disaster" in context and ("casualty" in entry.flags or "ambiguous" in entry.flags
                                          or entry.sub_type == "looting_property_destruction"):
                continue
            if any(self._near_context(view, a, b, name) for name in entry.unless):
                continue
            if not all(self._near_context(view, a, b, name) for name in entry.near):
                continue
            governed = [scopes.suppressed[q] for q in range(a, b) if q in scopes.suppressed]
            # people taking part are not what a call asks for: طالب المتظاهرون بـ
            if governed and not ("participant" in entry.flags and all(g.startswith("call:") for g in governed)):
                continue
            if self._purpose(view, a, entry) or self._light_purpose(view, a):
                continue
            s, e = view.host_start(a, self.lex.triggers), view.tok(b - 1).end
            out.append(_Trigger(entry, a, b, Span(self.text[s:e], s, e), a in scopes.background))
        return out

    # ----------------------------------------------------------------- events

    def _armed_victim(self, view: SentenceView, t: _Trigger) -> bool:
        """Armed people among the dead: after the killing word (قتل جنديان), or
        between لقي and مصرعه (لقي جندي إسرائيلي مصرعه)."""
        for q in range(t.end, min(len(view), t.end + 5)):
            if view.is_boundary(q):
                break
            m = view.match(self.lex.actors, q)
            if m is not None and m[1] == "armed_victim":
                return True
        if view.stem(t.start).startswith(("مصرع", "حتف")):
            for q in range(t.start - 1, max(-1, t.start - 4), -1):
                if view.is_boundary(q):
                    break
                m = view.match(self.lex.actors, q)
                if m is not None and m[1] == "armed_victim":
                    return True
        return False

    @staticmethod
    def _apart(view: SentenceView, a: int, b: int) -> bool:
        """A clause boundary between two positions."""
        lo, hi = min(a, b), max(a, b)
        return any(view.is_boundary(q) for q in range(lo + 1, hi))

    def _civilian_victims(self, view: SentenceView, d: _Draft) -> bool:
        """Civilian victims and no armed ones near the triggers of a draft."""
        lo = max(0, min(t.start for t in d.triggers) - ARG_WINDOW)
        hi = min(len(view), max(t.end for t in d.triggers) + ARG_WINDOW)
        kinds = set()
        for q in range(lo, hi):
            m = view.match(self.lex.actors, q)
            if m is not None:
                kinds.add(m[1])
        return "target" in kinds and "armed_victim" not in kinds

    def _killed_civilians(self, view: SentenceView, t: _Trigger) -> bool:
        """The people a killing word names are civilians (قتل تسعة مدنيين)."""
        for q in range(t.end, min(len(view), t.end + 7)):
            if view.is_boundary(q):
                break
            m = view.match(self.lex.actors, q)
            if m is not None:
                return m[1] == "target"
        return False

    def _drafts(self, view: SentenceView, triggers: list[_Trigger]) -> list[_Draft]:
        drafts: dict[str, _Draft] = {}
        casualties = [t for t in triggers if "casualty" in t.entry.flags]
        joiners = [t for t in triggers if "joins" in t.entry.flags]
        for t in triggers:
            if "casualty" in t.entry.flags or "joins" in t.entry.flags:
                continue
            drafts.setdefault(t.entry.type, _Draft(t.entry.type)).triggers.append(t)
        # an attack on civilians, not a battle
        b = drafts.get("battles")
        if b is not None and all("attack" in t.entry.flags for t in b.triggers) and (
                self._civilian_victims(view, b) or any(self._killed_civilians(view, t) for t in casualties)):
            v = drafts.setdefault("violence_against_civilians", _Draft("violence_against_civilians"))
            v.triggers.extend(b.triggers)
            del drafts["battles"]
        # an attack word beside a bombing or an attack on civilians is that event
        # (تلك التفجيرات ... إن الهجمات، هجمات الحادي عشر ... تنفيذ الهجمات)
        # — a noun that refers back to it, not a verb with its own agents (هاجم الجنود)
        # nor an attack on armed forces (الهجمات المسلحة ضد القوات)
        b = drafts.get("battles")
        others = [d for d in drafts.values() if d.type in ("explosions_remote_violence", "violence_against_civilians")]
        if b is not None and others and all(
                "attack" in t.entry.flags and view.stem(t.start).startswith("هج") and not self._armed_victim(view, t)
                and not any(view.stem(q) in ("مسلح", "مسلحه") for q in range(t.end, min(len(view), t.end + 2)))
                for t in b.triggers):
            for t in b.triggers:
                nearest = min(others, key=lambda d: min(abs(x.start - t.start) for x in d.triggers))
                nearest.triggers.append(t)
            del drafts["battles"]
        # a raid, a storming or a destruction joins the event it is part of
        for t in joiners:
            raid = t.entry.type == "battles" or t.entry.sub_type is None
            hosts = [d for d in drafts.values() if d.type in VIOLENT + ("riots",)
                     or (d.type == "strategic_developments" and raid)]
            if hosts:
                nearest = min(hosts, key=lambda d: min(abs(x.start - t.start) for x in d.triggers))
                nearest.triggers.append(t)
            else:
                drafts.setdefault(t.entry.type, _Draft(t.entry.type)).triggers.append(t)
        violent = [d for d in drafts.values() if d.type in VIOLENT]
        for t in casualties:
            if violent:
                nearest = min(violent, key=lambda d: min(abs(x.start - t.start) for x in d.triggers))
                # civilians killed in a clause of their own are an attack on civilians of their own
                # (استشهدت فتاة فلسطينية ..., في وقت ... تبادل لإطلاق النار)
                if nearest.type == "battles" and self._killed_civilians(view, t) \
                        and all(self._apart(view, t.start, x.start) for x in nearest.triggers):
                    drafts.setdefault("violence_against_civilians",
                                      _Draft("violence_against_civilians")).triggers.append(t)
                    continue
                nearest.triggers.append(t)
                continue
            type_ = "battles" if self._armed_victim(view, t) else "violence_against_civilians"
            drafts.setdefault(type_, _Draft(type_)).triggers.append(t)
        order = {"displacement": 0, "explosions_remote_violence": 1, "battles": 2,
                 "violence_against_civilians": 3, "riots": 4, "protests": 5, "strategic_developments": 6}
        return sorted(drafts.values(), key=lambda d: (min(t.start for t in d.triggers), order[d.type]))

    @staticmethod
    def _main_trigger(d: _Draft) -> _Trigger:
        def rank(t: _Trigger) -> tuple[int, int]:
            weak = "casualty" in t.entry.flags or "participant" in t.entry.flags or "joins" in t.entry.flags
            return (1 if weak else 0, t.start)
        return min(d.triggers, key=rank)

    @staticmethod
    def _sub_type(d: _Draft, main: _Trigger) -> str | None:
        if main.entry.sub_type and main.entry.type == d.type:
            return main.entry.sub_type
        for t in sorted(d.triggers, key=lambda t: t.start):
            if t.entry.type == d.type and t.entry.sub_type:
                return t.entry.sub_type
        return {"violence_against_civilians": "attack", "battles": "armed_clash"}.get(d.type)

    def _confidence(self, d: _Draft) -> float:
        def one(t: _Trigger) -> float:
            if "casualty" in t.entry.flags or "participant" in t.entry.flags:
                c = _CONFIDENCE_WEAK
            elif "ambiguous" in t.entry.flags:
                c = _CONFIDENCE_AMBIGUOUS
            else:
                c = _CONFIDENCE_CORE
            return c * (_BACKGROUND_FACTOR if t.background else 1.0)
        c = max(one(t) for t in d.triggers)
        if d.figures:
            c += 0.05
        return round(min(0.95, max(0.05, c)), 2)

    # -------------------------------------------------------------- arguments

    @staticmethod
    def _clause(view: SentenceView, t: _Trigger) -> tuple[int, int]:
        """The clause around a trigger (between commas), at most ``ARG_WINDOW``
        words on each side."""
        lo = t.start
        while lo > 0 and t.start - lo < ARG_WINDOW and not view.is_boundary(lo - 1):
            lo -= 1
        hi = t.end
        while hi < len(view) and hi - t.end < ARG_WINDOW and not view.is_boundary(hi):
            hi += 1
        return lo, hi

    def _actors_targets(self, view: SentenceView, d: _Draft) -> tuple[list[Span], list[Span]]:
        clauses = [self._clause(view, t) for t in d.triggers]
        lo = min(c[0] for c in clauses)
        hi = max(c[1] for c in clauses)
        inside = {q for a, b in clauses for q in range(a, b)}
        # who flees or protests is a target or the crowd; an actor needs an agent word
        agent_only = d.type in ("displacement",)
        # a verbal noun of killing names its victim next (مقتل ولده); a verb its author or victim
        casualty_ends = {t.end for t in d.triggers if t.span.text.lstrip("و").startswith(_NOMINAL_KILLING)}
        victim_zone = {q for t in d.triggers if "casualty" in t.entry.flags or t.entry.sub_type in (
            "abduction_forced_disappearance", "attack") for q in range(t.end, t.end + 4)}
        trigger_pos = {q for t in d.triggers for q in range(t.start, t.end)}
        actors: list[Span] = []
        targets: list[Span] = []
        taken: set[int] = set()

        def before(q: int) -> tuple[str, ...]:
            return tuple(view.tok(x).norm for x in range(max(lo, q - 2), q) if not view.is_punct(x))

        def role_by_context(q: int) -> str | None:
            prev = before(q)
            if any(prev[-len(k):] == k for k in _AGENT_BEFORE if len(prev) >= len(k)):
                return "actor"
            if view.clitics_before(q) and view.tok(q).norm in ("رصاص", "نيران"):
                return "actor"
            if prev and (prev[-1] in _TARGET_BEFORE or prev[-1] in ("على", "علي")):
                return "target"
            if q in casualty_ends or (q - 1) in casualty_ends:
                return "target"
            return None

        def extend(a: int, b: int) -> int:
            """Over the nisba adjectives after a description (القوات العراقية)."""
            n = len(view)
            while b < n and b - a < 6:
                t = view.tok(b)
                if t.kind != "word" or view.is_boundary(b):
                    break
                nisba = t.article and (t.stem.endswith(("ي", "يه", "يين", "يون")) or t.norm == "الاحتلال")
                if not nisba:
                    break
                b += 1
            return b

        q = lo
        while q < hi:
            if q in trigger_pos or q in taken or q not in inside:
                q += 1
                continue
            ent = self._entity_covering(view, q)
            if ent is not None:
                e_end = q
                while e_end < len(view) and view.tok(e_end).start < ent.end:
                    e_end += 1
                ctx = role_by_context(q)
                role = ctx or ("target" if ent.label == "PER" and q in victim_zone else "actor")
                span = Span(ent.text, ent.start, ent.end)
                if not (agent_only and ((role == "actor" and ctx != "actor") or ctx == "target")):
                    (actors if role == "actor" else targets).append(span)
                taken.update(range(q, e_end))
                q = e_end
                continue
            m = view.match(self.lex.actors, q)
            if m is not None:
                end = extend(q, m[0])
                kind = str(m[1])
                ctx = role_by_context(q)
                role = ctx or ("actor" if kind == "actor" else "target")
                s, e = view.tok(q).start, view.tok(end - 1).end
                # for a displacement the targets are the people who flee, not what
                # ضد or على point at (فارون ... المقاومة تتصاعد ضد تنظيم داعش)
                if not (agent_only and ((role == "actor" and ctx != "actor") or ctx == "target")):
                    (actors if role == "actor" else targets).append(Span(self.text[s:e], s, e))
                taken.update(range(q, end))
                q = end
                continue
            q += 1
        return actors, targets

    def _entity_covering(self, view: SentenceView, q: int) -> Entity | None:
        t = view.tok(q)
        for e in self.entities:
            if e.start <= t.start < e.end:
                return e
        return None

    def _places(self, view: SentenceView, d: _Draft, main: _Trigger) -> tuple[dict[str, Any] | None,
                                                                              dict[str, Any] | None]:
        s = view.sentence
        places = [p for p in self.article.places if s.start <= p.start < s.end]
        resolved = [p for p in places if p.lat is not None]
        anchor = main.span.start

        def dist(p: Place) -> int:
            return abs(p.start - anchor)

        def word_before(p: Place) -> str:
            k = None
            for q in range(len(view)):
                if view.tok(q).start >= p.start:
                    k = q
                    break
            if k is None:
                return ""
            clitics = view.clitics_before(k)
            if clitics:
                return clitics[-1]
            return view.tok(k - 1).norm if k > 0 else ""

        def best(cands: list[Place]) -> Place:
            # the nearest place, unless a more specific one stands close by it
            # ("في مدينة الرمادي بمحافظة الأنبار" → the town)
            near = min(dist(p) for p in cands)
            close = [p for p in cands if dist(p) <= near + _CLOSE_BY]
            return min(close, key=lambda p: (_SPECIFICITY.get(p.feature or "", 1), dist(p)))

        if d.type != "displacement":
            if resolved:
                return _place_dict(best(resolved)), None
            return (_place_dict(self.main) if self.main else None), None
        dest: dict | None = None
        camps = [p for p in places if p.feature == "camp"]
        targets = [p for p in resolved if word_before(p) in _DESTINATION_BEFORE]
        if camps:
            dest = _place_dict(min(camps, key=dist))
        elif targets:
            dest = _place_dict(min(targets, key=dist))
        else:
            dest = self._camp_text(view)
        origins = [p for p in resolved if word_before(p) == "من" and (dest is None or p.start != dest["start"])]
        others = [p for p in resolved if p.feature != "camp" and (dest is None or p.start != dest["start"])]
        place: dict[str, Any] | None
        if origins:
            place = _place_dict(best(origins))
        elif others:
            place = _place_dict(best(others))
        else:
            place = _place_dict(self.main) if self.main else None
        return place, dest

    def _camp_text(self, view: SentenceView) -> dict | None:
        """``مخيم X`` that no gazetteer resolved: the text, with no coordinates."""
        for q in range(len(view) - 1):
            if view.stem(q) == "مخيم" and view.tok(q + 1).kind == "word":
                s, e = view.tok(q).start, view.tok(q + 1).end
                return {"text": self.text[s:e], "name": None, "lat": None, "lon": None,
                        "country_code": None, "start": s, "end": e}
        return None

    def _date(self, sentence: Sentence, main: _Trigger) -> tuple[dict | None, bool | None]:
        """The event's date, and whether it is only the publication date: True
        when the sentence gives no date, None when a duration measured from
        the event stands just before it (بعد عامين من سيطرته: the publication
        date stands, but nothing says the event is of that time)."""
        in_sentence = [d for d in self.article.dates if sentence.start <= d.start < sentence.end]
        dates: list[DateMention] = [d for d in in_sentence if d.value]
        if dates:
            best = min(dates, key=lambda d: abs(d.start - main.span.start))
            return {"value": best.value, "precision": best.precision}, False
        if self.article.published:
            # بعد عامين ونصف من سيطرته: the duration just before the trigger dates it from another event
            measured = any(0 <= main.span.start - d.end <= 25 for d in in_sentence)
            return {"value": self.article.published[:10], "precision": "day"}, None if measured else True
        return None, False

    # --------------------------------------------------------------- sentence

    def sentence(self, sentence: Sentence, defaulted: set[int] | None = None,
                 unanchored: set[int] | None = None) -> list[Event]:
        """The events of one sentence; the ids of those dated only by the
        publication date are added to ``defaulted``, of those whose sentence
        dates them from another event to ``unanchored``."""
        view = SentenceView.of(self.article.tokens, sentence)
        if not len(view):
            return []
        found = view.find_all(self.lex.triggers)
        if not found:
            return []
        context = self._context(view)
        scopes = modality_scopes(view, self.lex)
        triggers = self._triggers(view, context, found, scopes)
        if not triggers:
            return []
        drafts = self._drafts(view, triggers)
        numbers = self._numbers(sentence)
        negated = set(scopes.suppressed)
        dates = [(d.start, d.end) for d in self.article.dates if sentence.start <= d.start < sentence.end]
        for fig in read_figures(view, numbers, self.lex, negated, dates):
            self._assign(fig, drafts)
        drafts = [d for d in drafts if d.figures or not all("figure" in t.entry.flags for t in d.triggers)]
        events: list[Event] = []
        for d in drafts:
            main = self._main_trigger(d)
            actors, targets = self._actors_targets(view, d)
            place, dest = self._places(view, d, main)
            sub = self._sub_type(d, main)
            if d.type == "protests":
                if "excessive_force" in context:
                    sub = "excessive_force_against_protesters"
                elif "intervention" in context:
                    sub = "protest_with_intervention"
            if d.type == "displacement" and dest is not None and "مخيم" in dest["text"] \
                    and any("participant" in t.entry.flags for t in d.triggers):
                sub = "arrival_in_camp"
            when, by_default = self._date(sentence, main)
            ev = Event(
                type=d.type, sub_type=sub, trigger=main.span,
                sentence=Sentence(sentence.start, sentence.end, sentence.token_start, sentence.token_end),
                actors=actors, targets=targets, place=place,
                destination=dest if d.type == "displacement" else None,
                date=when, confidence=self._confidence(d),
            )
            if by_default and defaulted is not None:
                defaulted.add(id(ev))
            elif by_default is None and unanchored is not None:
                unanchored.add(id(ev))
            for fig in d.figures:
                field_ = {"killed": "fatalities", "injured": "injured", "displaced": "displaced",
                          "arrested": "arrested"}[fig.role]
                setattr(ev, field_, (getattr(ev, field_) or 0) + fig.value)
                if fig.households:
                    ev.extra["displaced_unit"] = "households"
            if all(t.background for t in d.triggers):
                ev.extra["background"] = True
            events.append(ev)
        return events

    @staticmethod
    def _assign(fig: Figure, drafts: list[_Draft]) -> None:
        order: tuple[tuple[str, ...], ...]
        if fig.role in ("killed", "injured"):
            order = (VIOLENT, ("riots",), ("protests",))
        elif fig.role == "arrested":
            order = (("strategic_developments",),)
        else:
            order = (("displacement",),)
        for types in order:
            cands = [d for d in drafts if d.type in types]
            if cands:
                best = min(cands, key=lambda d: min(abs(t.start - fig.position) for t in d.triggers))
                best.figures.append(fig)
                return


def _link_attributions(events: list[Event], attributions: list[Attribution]) -> None:
    """Point each event at the attribution whose content holds its trigger."""
    for ev in events:
        best = None
        for i, a in enumerate(attributions):
            c = a.content
            if c is not None and c.start <= ev.trigger.start < c.end:
                if best is None or (c.end - c.start) < (attributions[best].content.end  # type: ignore[union-attr]
                                                        - attributions[best].content.start):  # type: ignore[union-attr]
                    best = i
        if best is not None:
            ev.extra["attribution"] = best


def find_events(article: Article, lex: EventLexicon | None = None) -> list[Event]:
    """The events of an article (see the module docstring); needs its tokens,
    sentences, entities, places, dates and attributions."""
    lex = lex or load_event_lexicon()
    reader = _Reader(article, lex)
    events: list[Event] = []
    defaulted: set[int] = set()
    unanchored: set[int] = set()
    for sentence in article.sentences:
        events.extend(reader.sentence(sentence, defaulted, unanchored))
    _link_attributions(events, article.attributions)
    return merge_mentions(events, defaulted, unanchored)
