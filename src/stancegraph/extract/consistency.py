"""Consistency flags: the places where an article disagrees with itself.

Each :class:`~stancegraph.records.Flag` has a stable ``kind``, the actor it is about (if
any), a message a person understands and the spans that show the disagreement:

``role_conflict``
    An actor is given an office as held now ("U.S. President Donald Trump", "the sitting
    president") and as no longer held ("the former U.S. president"), or as held now and as yet
    to come ("the incoming president"); or says in their own quote what a holder would not say
    ("if I'm back in the Oval Office", cues in ``lang/out_of_office_cues.tsv``). "then-" and
    an office the person has held and holds again are not conflicts.
``time_conflict``
    A stated duration that does not fit the article's date and the start the text gives ("its
    22-month invasion" in an article dated three years after "the invasion began in February
    2022"); two durations of the same event, or two ages of the same person, that disagree; an
    age that does not fit a stated birth date.
``stance_conflict``
    The same actor for and against the same target (stances as the stance step gives them).
``figure_conflict``
    Parts that add up to more than their stated total ("Of the 500 people killed, 300 were
    civilians and 250 soldiers"), or the same quantity (same unit and subject, same dates, no
    word of change, no two different sources; a subject of one word, such as "people", only
    from one named source) given two values that qualifiers ("over", "about") cannot
    reconcile.

:func:`role_flags` is the registry-aware entry point: given the office dates an actor
registry knows (:class:`HeldOffice`), it also flags a present title the person did not hold at
the article's date, and a "former" title for an office held then.

Example
-------
>>> from stancegraph.nlp import load_pipeline
>>> from stancegraph.extract.actors import find_actors
>>> from stancegraph.records import Article
>>> text = "U.S. President Donald Trump spoke. The former U.S. president left."
>>> doc = load_pipeline()(text)
>>> [f.kind for f in find_flags(doc, Article(text), find_actors(doc), [], [], [])]
['role_conflict']
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from dateutil import parser as date_parser
from spacy.attrs import LOWER
from spacy.tokens import Doc
from spacy.tokens import Span as DocSpan

from stancegraph import lang
from stancegraph.extract.actors import ActorIndex
from stancegraph.extract.claims import sentence_of
from stancegraph.records import Actor, Article, Claim, Flag, Quote, Role, Span, Stance

__all__ = [
    "FLAG_KINDS",
    "ActorLookup",
    "HeldOffice",
    "age_flags",
    "article_date",
    "duration_flags",
    "figure_flags",
    "find_flags",
    "out_of_office_flags",
    "parse_date",
    "role_flags",
    "role_time",
    "roles_conflict",
    "sentence_dates",
    "stance_flags",
    "time_flags",
    "value_interval",
]

FLAG_KINDS = ("role_conflict", "time_conflict", "stance_conflict", "figure_conflict")
"""The stable flag kinds, in the order :func:`find_flags` reports them."""

DAYS_PER_MONTH = 30.44
MONTHS_PER_UNIT = {"hours": 1 / (24 * DAYS_PER_MONTH), "days": 1 / DAYS_PER_MONTH, "weeks": 7 / DAYS_PER_MONTH,
                   "months": 1.0, "years": 12.0, "decades": 120.0, "centuries": 1200.0}
PRECISION_MONTHS = {"day": 0.0, "month": 1.0, "year": 12.0}
DURATION_SLACK = 0.1
"""Relative slack on a duration: "two years" may be said of 26 months."""
EXACT_SLACK = 0.01
"""Relative slack on an unqualified figure (rounding)."""
APPROXIMATE_SLACK = 0.1
"""Relative slack on "about", "nearly" and the like."""
AGE_SLACK_YEARS = 1
NOT_DURATIONS = frozenset({"age"})


@dataclass(frozen=True)
class HeldOffice:
    """An office an actor held, with its dates, as an actor registry knows it.

    ``end`` is None while the office is held. Offices are named as in ``lang/titles.tsv``
    ("president", "prime minister"); ``country`` is a canonical country name or None.
    """

    office: str
    country: str | None
    start: dt.date | None
    end: dt.date | None = None

    def held_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


# --------------------------------------------------------------------------------------
# language data and small helpers


@functools.cache
def _former_words() -> frozenset[str]:
    return lang.lines("former_modifiers.txt")


@functools.cache
def _office_classes() -> dict[str, str]:
    return {row[0]: row[1] for row in lang.rows("titles.tsv")}


@functools.cache
def _out_of_office_cues(language: str = "en") -> tuple[tuple[re.Pattern[str], str, str | None], ...]:
    return tuple((re.compile(row[0], re.IGNORECASE), row[1], None if row[2] == "-" else row[2])
                 for row in lang.rows("out_of_office_cues.tsv", language))


@functools.cache
def _event_verbs(language: str = "en") -> dict[str, frozenset[str]]:
    return {row[0]: frozenset(v for v in row[1].split("|") if v != "-")
            for row in lang.rows("event_verbs.tsv", language)}


@functools.cache
def _figure_cues(role: str, language: str = "en") -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(row[0].split()) for row in lang.rows("figure_cues.tsv", language) if row[1] == role)


class ActorLookup(Protocol):
    """What the checks ask of an article's actors: an actor by id (English or French actors)."""

    def get(self, actor_id: str | None) -> Actor | None: ...


@functools.cache
def _month_pattern(language: str) -> re.Pattern[str] | None:
    """Dates in words of a language whose parser marks none ("12 mars 2024", "février 2022", "en 2024")."""
    if not lang.has("months.tsv", language):
        return None
    months = "|".join(sorted(lang.table("months.tsv", language), key=len, reverse=True))
    return re.compile(rf"(?:\b(\d{{1,2}})(?:er)?\s+)?\b({months})\b(?:\s+((?:1[89]|20)\d\d)\b)?"
                      rf"|\b((?:1[89]|20)\d\d)\b", re.IGNORECASE)


def sentence_dates(sent: DocSpan, language: str) -> list[tuple[tuple[dt.date, str] | None, Span]]:
    """The dates written in a sentence, each parsed (with its precision) where it has a year.

    English dates are the parser's DATE entities; a language whose data has month names
    (``months.tsv``) is read with them.
    """
    pattern = _month_pattern(language)
    if pattern is None:
        return [(parse_date(ent.text), Span(ent.start_char, ent.end_char, ent.text))
                for ent in sent.ents if ent.label_ == "DATE"]
    months = lang.table("months.tsv", language)
    found: list[tuple[tuple[dt.date, str] | None, Span]] = []
    for match in pattern.finditer(sent.text):
        day, month, year, bare_year = match.groups()
        start = sent.start_char + match.start()
        span = Span(start, start + len(match.group()), match.group())
        if bare_year:
            found.append(((dt.date(int(bare_year), 1, 1), "year"), span))
        elif year:
            number = int(months[month.lower()][0])
            try:
                found.append(((dt.date(int(year), number, int(day or 1)), "day" if day else "month"), span))
            except ValueError:
                found.append((None, span))
        else:
            found.append((None, span))
    return found


def _straight(text: str) -> str:
    """Curly apostrophes made straight (same length, so offsets hold)."""
    return text.replace("’", "'").replace("‘", "'")


def _quoted(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return f"“{flat if len(flat) <= limit else flat[: limit - 1] + '…'}”"


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.4g}"


def parse_date(text: str | None) -> tuple[dt.date, str] | None:
    """A date written in text with its precision ("day", "month" or "year"); it needs a year.

    >>> parse_date("February 2022")
    (datetime.date(2022, 2, 1), 'month')
    """
    if not text or not re.search(r"\b(1[89]|20)\d\d\b", text):
        return None
    try:
        early = date_parser.parse(text, default=dt.datetime(1, 1, 1), fuzzy=True)
        late = date_parser.parse(text, default=dt.datetime(1, 12, 28), fuzzy=True)
    except (ValueError, OverflowError):
        return None
    if early.year < 1800:
        return None
    precision = "day" if early.day == late.day else "month" if early.month == late.month else "year"
    return early.date(), precision


# --------------------------------------------------------------------------------------
# roles


def role_time(role: Role) -> str:
    """When a role says the office is held: ``present``, ``former``, ``future`` or ``then``.

    ``former`` needs a word of ``lang/former_modifiers.txt`` ("former", "ex-"); ``then`` is
    a past tense that leaves the present open ("then-President").
    """
    words = set(re.split(r"\s+|(?<=-)", role.text.lower()))
    if words & _former_words():
        return "former"
    if role.tense == "future":
        return "future"
    if role.tense == "past":
        return "then"
    return "present"


def _same_office(office_a: str, country_a: str | None, office_b: str, country_b: str | None) -> bool:
    """Whether two office names can name one office ("leader" fits any head of state)."""
    if country_a and country_b and country_a != country_b:
        return False
    if office_a == office_b:
        return True
    classes = _office_classes()
    return "leader" in {office_a, office_b} and classes.get(office_a) == classes.get(office_b) == "head"


def roles_conflict(a: Role, b: Role) -> bool:
    """Whether two roles of one person cannot both hold at one date.

    Present against former, or present against future, for the same office.
    """
    if a.office_class == "honorific" or b.office_class == "honorific":
        return False
    if not _same_office(a.office, a.country, b.office, b.country):
        return False
    return {role_time(a), role_time(b)} in ({"present", "former"}, {"present", "future"})


def _describe(role: Role) -> str:
    timing = {"present": "the sitting", "former": "a former", "future": "the incoming", "then": "the then"}
    country = f"{role.country} " if role.country else ""
    return f"{timing[role_time(role)]} {country}{role.office}"


def role_flags(actors: Iterable[Actor], article_date: dt.date | None = None,
               registry_roles: Mapping[str, Sequence[HeldOffice]] | None = None) -> list[Flag]:
    """Role contradictions of each actor: within the article, and against a registry.

    ``registry_roles`` maps an actor id to the offices a registry says it held; with an
    ``article_date`` a present title for an office not held at that date, and a "former"
    title for an office held then, are flagged too.
    """
    flags: list[Flag] = []
    for actor in actors:
        roles = [r for r in actor.roles if r.office_class != "honorific"]
        pairs = [(role, other) for role in roles if role_time(role) == "present"
                 for other in roles if roles_conflict(role, other)]
        if pairs:
            present = pairs[0][0]
            against = list(dict.fromkeys(other for _, other in pairs))
            others = "; ".join(f"{_describe(o)} ({_quoted(o.span.text)})" for o in against)
            flags.append(Flag(
                kind="role_conflict", actor=actor.id,
                message=f"{actor.name} is called {_describe(present)} ({_quoted(present.span.text)}) but also {others}.",
                evidence=sorted({present.span, *(o.span for o in against)}),
            ))
        if registry_roles and article_date and actor.id in registry_roles:
            flags.extend(_registry_flags(actor, roles, article_date, registry_roles[actor.id]))
    return flags


def _registry_flags(actor: Actor, roles: list[Role], day: dt.date, held: Sequence[HeldOffice]) -> list[Flag]:
    flags: list[Flag] = []
    for role in roles:
        timing = role_time(role)
        matching = [h for h in held if _same_office(role.office, role.country, h.office, h.country)]
        if timing not in {"present", "former"} or not matching:
            continue
        holds = any(h.held_on(day) for h in matching)
        if timing == "present" and not holds:
            spans = ", ".join(f"{h.start or '?'} to {h.end or 'now'}" for h in matching)
            message = (f"{actor.name} is called {_describe(role)} ({_quoted(role.span.text)}) in an article dated "
                       f"{day}, but held that office {spans}.")
        elif timing == "former" and holds:
            message = (f"{actor.name} is called {_describe(role)} ({_quoted(role.span.text)}) in an article dated "
                       f"{day}, when they held that office.")
        else:
            continue
        flags.append(Flag("role_conflict", actor.id, message, [role.span]))
    return flags


def out_of_office_flags(actors: ActorLookup, quotes: Sequence[Quote], language: str = "en") -> list[Flag]:
    """A speaker whose own words say they do not hold an office the article gives them now."""
    flags: list[Flag] = []
    for quote in quotes:
        actor = actors.get(quote.actor)
        if actor is None:
            continue
        text = _straight(quote.content.text)
        for pattern, office, country in _out_of_office_cues(language):
            match = pattern.search(text)
            if match is None:
                continue
            present = [r for r in actor.roles if role_time(r) == "present" and r.office_class != "honorific"
                       and _same_office(r.office, r.country, office, country)]
            if not present:
                continue
            start = quote.content.start + match.start()
            said = Span(start, start + len(match.group()), quote.content.text[match.start() : match.end()])
            flags.append(Flag(
                kind="role_conflict", actor=actor.id,
                message=(f"{actor.name} is called {_describe(present[0])} ({_quoted(present[0].span.text)}) but "
                         f"says {_quoted(said.text)}, which means they do not hold that office now."),
                evidence=[present[0].span, said],
            ))
            break
    return flags


# --------------------------------------------------------------------------------------
# time


def _event_of(claim: Claim, language: str = "en") -> str | None:
    """The event a duration measures: the first event noun of its subject."""
    if claim.subject is None:
        return None
    return next((w for w in claim.subject.lower().split() if w in _event_verbs(language)), None)


def _event_starts(doc: Doc, events: Iterable[str], language: str = "en") -> dict[str, tuple[dt.date, str, Span]]:
    """When the text says each of ``events`` began: event noun -> (date, precision, evidence)."""
    starts: dict[str, tuple[dt.date, str, Span]] = {}
    start_cues = lang.lines("time_start_cues.txt", language)
    wanted = {event: _event_verbs(language)[event] for event in events}
    for sent in doc.sents:
        dates = [(parsed, span) for parsed, span in sentence_dates(sent, language) if parsed]
        if not dates:
            continue
        lemmas = {t.lemma_.lower() for t in sent} | {t.lower_ for t in sent}
        for event, verbs in wanted.items():
            if not (event in lemmas and lemmas & start_cues) and not lemmas & verbs:
                continue
            (day, precision), ent = min(dates, key=lambda item: item[0][0])
            if event not in starts or day < starts[event][0]:
                starts[event] = (day, precision, ent)
    return starts


def _duration_bounds(claim: Claim) -> tuple[float, float]:
    """The months a duration claim allows, its qualifier read as a bound."""
    months = claim.value * MONTHS_PER_UNIT[claim.unit]
    slack = MONTHS_PER_UNIT[claim.unit] + DURATION_SLACK * months
    low, high = months - slack, months + slack
    if claim.qualifier in {"over", "at least"}:
        high = float("inf")
    elif claim.qualifier in {"under", "up to", "at most", "nearly"}:
        low = 0.0 if claim.qualifier != "nearly" else low
    return low, high


def time_flags(doc: Doc, actors: ActorIndex, claims: Sequence[Claim], article_date: dt.date | None = None,
               starts: Mapping[str, tuple[dt.date, str, Span | None]] | None = None) -> list[Flag]:
    """Durations and ages that do not fit the article's date, a stated start or each other.

    ``starts`` adds event starts known from elsewhere (event noun -> date, precision, evidence
    or None) to those the text gives; the text wins where both have one.
    """
    return [*duration_flags(doc, claims, article_date, starts), *_age_flags(doc, actors, claims, article_date)]


def duration_flags(doc: Doc, claims: Sequence[Claim], article_date: dt.date | None = None,
                   starts: Mapping[str, tuple[dt.date, str, Span | None]] | None = None,
                   language: str = "en") -> list[Flag]:
    """Durations that do not fit the article's date, a stated start or each other (see :func:`time_flags`)."""
    flags: list[Flag] = []
    durations = [(c, e) for c in claims if c.unit in MONTHS_PER_UNIT and c.subject not in NOT_DURATIONS
                 and (e := _event_of(c, language)) is not None]
    known = dict(starts or {})
    if durations and article_date is not None:
        known.update(_event_starts(doc, {event for _, event in durations}, language))
    first_of_event: dict[str, Claim] = {}
    for claim, event in durations:
        low, high = _duration_bounds(claim)
        if article_date is not None and event in known:
            day, precision, evidence = known[event]
            elapsed = (article_date - day).days / DAYS_PER_MONTH
            margin = PRECISION_MONTHS[precision]
            if not low - margin <= elapsed <= high + margin:
                flags.append(Flag(
                    kind="time_conflict", actor=None,
                    message=(f"{_quoted(claim.span.text)} does not fit the dates: the {event} began "
                             f"{_date_words(day, precision)}, {elapsed:.0f} months before the article's date "
                             f"({article_date})."),
                    evidence=[claim.span] + ([evidence] if evidence is not None else []),
                ))
        earlier = first_of_event.setdefault(event, claim)
        if earlier is not claim:
            other_low, other_high = _duration_bounds(earlier)
            if high < other_low or other_high < low:
                flags.append(Flag(
                    kind="time_conflict", actor=None,
                    message=f"The {event} is said to have lasted {_quoted(earlier.span.text)} and {_quoted(claim.span.text)}.",
                    evidence=[earlier.span, claim.span],
                ))
    return flags


def _date_words(day: dt.date, precision: str) -> str:
    return {"day": f"on {day:%d %B %Y}", "month": f"in {day:%B %Y}", "year": f"in {day.year}"}[precision]


def _actor_of_age(doc: Doc, actors: ActorIndex, claim: Claim) -> str | None:
    """The person an age is given for: the mention its phrase hangs from."""
    span = doc.char_span(claim.span.start, claim.span.end, alignment_mode="expand")
    if span is None:
        return None
    token = span.root
    for _ in range(3):
        mention = actors.mention_at(token.i)
        if mention is not None:
            return mention.actor
        token = token.head
    return None


def _births(doc: Doc, actors: ActorIndex) -> dict[str, tuple[dt.date, str, Span]]:
    """Birth dates the text states: "X, born in 1942," -> X."""
    births: dict[str, tuple[dt.date, str, Span]] = {}
    if not doc.count_by(LOWER).get(doc.vocab.strings["born"]):
        return births
    for token in doc:
        if token.lower_ != "born":
            continue
        sent = sentence_of(token)
        dates = [(parsed, ent) for ent in sent.ents if ent.label_ == "DATE" and ent.start > token.i
                 and (parsed := parse_date(ent.text))]
        owner = token.head if token.dep_ in {"acl", "amod", "appos", "relcl"} else None
        if owner is None:
            owner = next((c for c in token.children if c.dep_ == "nsubjpass"), None)
        mention = actors.mention_at(owner.i) if owner is not None else None
        if dates and mention is not None:
            (day, precision), ent = dates[0]
            births.setdefault(mention.actor, (day, precision, Span(ent.start_char, ent.end_char, ent.text)))
    return births


def _age_flags(doc: Doc, actors: ActorIndex, claims: Sequence[Claim], article_date: dt.date | None) -> list[Flag]:
    births = _births(doc, actors)
    ages = ((claim, _actor_of_age(doc, actors, claim)) for claim in claims if claim.subject == "age")
    return age_flags(actors, ages, births, article_date)


def age_flags(actors: ActorLookup, ages: Iterable[tuple[Claim, str | None]],
              births: Mapping[str, tuple[dt.date, str, Span]], article_date: dt.date | None) -> list[Flag]:
    """Two ages of one person that disagree, or an age that does not fit a stated birth date.

    ``ages`` pairs each age claim with the actor it is given for; ``births`` maps an actor to
    the birth date the text states (date, precision, evidence).
    """
    flags: list[Flag] = []
    first: dict[str, Claim] = {}
    for claim, actor_id in ages:
        actor = actors.get(actor_id)
        if actor is None:
            continue
        earlier = first.setdefault(actor.id, claim)
        if earlier is not claim and abs(earlier.value - claim.value) > AGE_SLACK_YEARS:
            flags.append(Flag("time_conflict", actor.id,
                              f"{actor.name} is said to be {_number(earlier.value)} ({_quoted(earlier.span.text)}) "
                              f"and {_number(claim.value)} ({_quoted(claim.span.text)}).",
                              [earlier.span, claim.span]))
        if article_date is not None and actor.id in births:
            born, precision, evidence = births[actor.id]
            expected = (article_date - born).days / 365.2425
            if abs(expected - claim.value) > AGE_SLACK_YEARS + (1 if precision != "day" else 0):
                flags.append(Flag("time_conflict", actor.id,
                                  f"{actor.name} is said to be {_number(claim.value)} ({_quoted(claim.span.text)}) "
                                  f"but was born {_date_words(born, precision)}, about {expected:.0f} years before "
                                  f"the article's date ({article_date}).",
                                  [claim.span, evidence]))
    return flags


# --------------------------------------------------------------------------------------
# stances


def stance_flags(stances: Sequence[Stance], names: Mapping[str, str] | None = None) -> list[Flag]:
    """An actor for and against the same target within one article."""
    names = names or {}
    by_pair: dict[tuple[str, str], dict[int, Stance]] = defaultdict(dict)
    for stance in stances:
        if stance.polarity != 0:
            by_pair[(stance.actor, stance.target)].setdefault(stance.polarity, stance)
    flags: list[Flag] = []
    for (actor, target), found in by_pair.items():
        if 1 in found and -1 in found:
            support, oppose = found[1], found[-1]
            flags.append(Flag(
                kind="stance_conflict", actor=actor,
                message=(f"{names.get(actor, actor)} is reported both for {names.get(target, target)} "
                         f"({_quoted(support.evidence.text)}) and against it ({_quoted(oppose.evidence.text)})."),
                evidence=sorted([support.evidence, oppose.evidence]),
            ))
    return flags


# --------------------------------------------------------------------------------------
# figures


def value_interval(value: float, qualifier: str | None, slack: float = EXACT_SLACK) -> tuple[float, float]:
    """The values a qualified figure allows: "over 10,000" is [10000, inf)."""
    approximate = max(slack, APPROXIMATE_SLACK)
    if qualifier in {"over", "at least"}:
        return value, float("inf")
    if qualifier in {"under", "up to", "at most"}:
        return 0.0, value
    if qualifier == "nearly":
        return value * (1 - approximate), value
    if qualifier == "about":
        return value * (1 - approximate), value * (1 + approximate)
    if qualifier == "exactly":
        return value, value
    return value * (1 - slack), value * (1 + slack)


def _starts_with(tokens: Sequence[str], cues: Iterable[tuple[str, ...]]) -> bool:
    return any(tuple(tokens[: len(cue)]) == cue for cue in cues)


def _claim_tokens(doc: Doc, claim: Claim) -> DocSpan | None:
    return doc.char_span(claim.span.start, claim.span.end, alignment_mode="expand")


def _is_total(doc: Doc, claim: Claim, tokens: DocSpan, language: str = "en") -> bool:
    sent = sentence_of(tokens[0])
    if _starts_with([t.lower_ for t in sent if not t.is_space], _figure_cues("total_start", language)) and \
            not any(t.like_num for t in doc[sent.start : tokens.start]):
        return True
    before = [t.lower_ for t in doc[max(sent.start, tokens.start - 3) : tokens.start]]
    if any(tuple(before[-len(cue):]) == cue for cue in _figure_cues("total_before", language)):
        return True
    after = [t.lower_ for t in doc[tokens.end : min(sent.end, tokens.end + 3)]]
    after = after[1:] if after[:1] == [","] else after
    return _starts_with(after, _figure_cues("total_after", language))


def _parts_of(doc: Doc, total: Claim, tokens: DocSpan, claims: Sequence[Claim], language: str = "en") -> list[Claim]:
    """The claims that split a total: later in its sentence, or in a next one opening "Of them"."""
    sent = sentence_of(tokens[0])
    following = doc[sent.end : sent.end + 4] if sent.end < len(doc) else None
    next_sent = None
    if following is not None and _starts_with([t.lower_ for t in following if not t.is_space],
                                              _figure_cues("parts_start", language)):
        next_sent = sentence_of(doc[sent.end])
    parts = []
    for claim in claims:
        if claim is total or claim.unit in MONTHS_PER_UNIT or claim.subject == "age":
            continue
        inside = sent.start_char <= claim.span.start < sent.end_char and claim.span.start >= total.span.end
        in_next = next_sent is not None and next_sent.start_char <= claim.span.start < next_sent.end_char
        if inside or in_next:
            parts.append(claim)
    money = total.unit.isupper() and len(total.unit) == 3
    if money:
        return [p for p in parts if p.unit == total.unit]
    if total.unit in {"percent", "percentage points"}:
        return []
    return [p for p in parts if not (p.unit.isupper() and len(p.unit) == 3) and p.unit != "percentage points"]


def _parts_flag(total: Claim, parts: list[Claim]) -> Flag | None:
    shares = [p for p in parts if p.unit == "percent"]
    counted = [p for p in parts if p.unit != "percent"]
    low_sum = sum(value_interval(p.value, p.qualifier)[0] for p in counted)
    high_total = value_interval(total.value, total.qualifier)[1]
    if len(counted) >= 1 and low_sum > high_total:
        listed = " + ".join(f"{_number(p.value)} {p.unit}" for p in counted)
        return Flag("figure_conflict", None,
                    f"The parts ({listed} = {_number(sum(p.value for p in counted))}) add up to more than the "
                    f"stated total of {_number(total.value)} {total.unit} ({_quoted(total.span.text)}).",
                    [total.span, *(p.span for p in counted)])
    share_sum = sum(value_interval(p.value, p.qualifier)[0] for p in shares)
    if len(shares) >= 2 and share_sum > 100 * (1 + EXACT_SLACK):
        listed = " + ".join(f"{_number(p.value)}%" for p in shares)
        return Flag("figure_conflict", None,
                    f"The shares of {_quoted(total.span.text)} add up to more than 100% ({listed}).",
                    [total.span, *(p.span for p in shares)])
    return None


def _key(text: str | None) -> str | None:
    return " ".join(text.lower().split()) if text else None


def _comparable_context(doc: Doc, claim: Claim, language: str = "en") -> tuple[frozenset[str], bool] | None:
    """The dates of a claim's sentence, and whether it speaks of a change."""
    tokens = _claim_tokens(doc, claim)
    if tokens is None:
        return None
    sent = sentence_of(tokens[0])
    if _month_pattern(language) is None:
        dates = frozenset(_key(e.text) or "" for e in sent.ents if e.label_ in {"DATE", "TIME"}
                          and not (e.start_char < claim.span.end and claim.span.start < e.end_char))
    else:
        dates = frozenset(_key(span.text) or "" for _, span in sentence_dates(sent, language)
                          if not (span.start < claim.span.end and claim.span.start < span.end))
    words = [t.lower_ for t in sent]
    lemmas = {t.lemma_.lower() for t in sent}
    cues = _figure_cues("change", language)
    change = any(len(cue) == 1 and cue[0] in lemmas for cue in cues) or any(
        tuple(words[i : i + len(cue)]) == cue for cue in cues if len(cue) > 1 for i in range(len(words)))
    return dates, change


def figure_flags(doc: Doc, claims: Sequence[Claim], language: str = "en") -> list[Flag]:
    """Figures that cannot all be true: parts over their total, one quantity with two values."""
    flags: list[Flag] = []
    for claim in claims:
        tokens = _claim_tokens(doc, claim)
        if tokens is not None and claim.subject != "age" and claim.unit not in MONTHS_PER_UNIT \
                and _is_total(doc, claim, tokens, language):
            flag = _parts_flag(claim, _parts_of(doc, claim, tokens, claims, language))
            if flag is not None:
                flags.append(flag)
    first: dict[tuple[str, str], tuple[Claim, int, frozenset[str]]] = {}
    for claim in claims:
        if claim.subject is None or claim.subject == "age" or claim.unit in MONTHS_PER_UNIT:
            continue
        context = _comparable_context(doc, claim, language)
        if context is None or context[1]:
            continue
        sentence = sentence_of(_claim_tokens(doc, claim)[0]).start  # type: ignore[index]
        key = (_key(claim.unit) or "", _key(claim.subject) or "")
        if key not in first:
            first[key] = (claim, sentence, context[0])
            continue
        earlier, earlier_sentence, earlier_dates = first[key]
        if sentence == earlier_sentence or earlier_dates != context[0]:
            continue
        if earlier.source and claim.source and earlier.source != claim.source:
            continue
        if " " not in key[1] and not (earlier.source and earlier.source == claim.source):
            continue  # "titles", "people": one word names too many different things
        low, high = value_interval(claim.value, claim.qualifier)
        other_low, other_high = value_interval(earlier.value, earlier.qualifier)
        if high < other_low or other_high < low:
            flags.append(Flag(
                "figure_conflict", None,
                f"The article gives {claim.subject} as {_quoted(earlier.span.text)} and as {_quoted(claim.span.text)}.",
                [earlier.span, claim.span],
            ))
    return flags


# --------------------------------------------------------------------------------------
# the step


def article_date(article: Article) -> dt.date | None:
    """The article's date, if it gives one in ISO form."""
    if not article.date:
        return None
    try:
        return dt.date.fromisoformat(article.date[:10])
    except ValueError:
        return None


def find_flags(doc: Doc, article: Article, actors: ActorIndex, quotes: list[Quote],
               stances: list[Stance], claims: list[Claim]) -> list[Flag]:
    """Self-contradictions of a parsed article, from the article alone, by kind."""
    day = article_date(article)
    names = {actor.id: actor.name for actor in actors.actors}
    return [
        *role_flags(actors.actors, day),
        *out_of_office_flags(actors, quotes),
        *time_flags(doc, actors, claims, day),
        *stance_flags(stances, names),
        *figure_flags(doc, claims),
    ]
