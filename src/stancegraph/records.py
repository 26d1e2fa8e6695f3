"""Typed records of the output contract (see DESIGN.md, "Output contract").

Every record is a plain dataclass; :func:`to_dict` turns any of them into the JSON-ready
structure of the contract and :meth:`ArticleAnalysis.from_dict` reads it back. All offsets
are Python character offsets into :attr:`ArticleAnalysis.text`, end exclusive, so that
``text[span.start:span.end] == span.text`` holds for every span.

Example
-------
>>> span = Span.of("Macron said it.", 0, 6)
>>> span
Span(start=0, end=6, text='Macron')
>>> to_dict(span)
{'start': 0, 'end': 6, 'text': 'Macron'}
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "Actor",
    "ActorType",
    "Article",
    "ArticleAnalysis",
    "Claim",
    "Flag",
    "Quote",
    "QuoteKind",
    "Relation",
    "Role",
    "Span",
    "Stance",
    "holders",
    "to_dict",
]

ActorType = Literal["person", "organization", "country", "group"]
QuoteKind = Literal["direct", "partial", "indirect"]


@dataclass(frozen=True, order=True)
class Span:
    """A stretch of the article text: ``text[start:end]``."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        """The span of ``text`` between ``start`` and ``end``, with its text copied out."""
        return cls(start, end, text[start:end])

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True)
class Role:
    """An office the article gives an actor where it names it.

    ``"the former U.S. president"`` gives ``text="former U.S. president"``,
    ``office="president"``, ``country="United States"``, ``tense="past"``; ``span`` is the
    mention that states it. ``tense`` is None when the text does not say (an unmarked title
    before a name reads as the present office).
    """

    span: Span
    text: str
    office: str
    office_class: str
    country: str | None = None
    tense: str | None = None


@dataclass
class Actor:
    """One person, organisation, country or group, with every way the article names it.

    ``roles`` and ``country`` (a person's nationality where the text gives it) are additions
    to the output contract, and so is ``members``: the ids of the actors a group stands for
    ("both leaders" after "Trump and Macron"), empty for every other actor.
    """

    id: str
    name: str
    type: ActorType
    aliases: list[str] = field(default_factory=list)
    mentions: list[Span] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    country: str | None = None
    members: list[str] = field(default_factory=list)


@dataclass
class Quote:
    """Something an actor is reported as saying: its content, cue verb and speaker.

    ``actors`` (an addition to the contract) lists every actor that says it: the members when
    ``actor`` is a group, else ``actor`` alone (empty when no actor is known).
    """

    kind: QuoteKind
    content: Span
    cue: Span | None
    speaker: Span | None
    actor: str | None
    confidence: float
    actors: list[str] = field(default_factory=list)


@dataclass
class Stance:
    """Where an actor stands on a target (another actor or an issue), with its evidence.

    ``actors`` (an addition to the contract) lists every actor that holds it: the members when
    ``actor`` is a group, else ``actor`` alone.
    """

    actor: str
    target: str
    target_kind: Literal["actor", "issue"]
    polarity: Literal[-1, 0, 1]
    evidence: Span
    confidence: float
    target_phrase: str | None = None
    """For an issue: the words the text used ("the rise in the congestion charge"), beside the concept label."""
    actors: list[str] = field(default_factory=list)


@dataclass
class Relation:
    """Two actors taking the same (``agree``) or opposite (``conflict``) stance on a target."""

    a: str
    b: str
    kind: Literal["agree", "conflict"]
    on: str


@dataclass
class Claim:
    """A figure the article reports, normalised, with the source it credits."""

    span: Span
    value: float
    unit: str
    qualifier: str | None
    source: str | None
    subject: str | None = None


@dataclass
class Flag:
    """A place where the article disagrees with itself, with the spans that show it."""

    kind: str
    actor: str | None
    message: str
    evidence: list[Span] = field(default_factory=list)


@dataclass
class Article:
    """One input article, as the readers in :mod:`stancegraph.sources` produce it."""

    text: str
    id: str | None = None
    title: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None
    lang: str | None = None
    """The language given for it (``--lang``, a record's field, HTML ``lang``); None: detect it."""


@dataclass
class ArticleAnalysis:
    """Everything stancegraph finds in one article: the object of ``analyze --format json``."""

    id: str
    title: str | None
    date: str | None
    source: str | None
    text: str
    actors: list[Actor] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    stances: list[Stance] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    url: str | None = None
    lang: str = "en"
    """The language it was analysed in (an addition to the contract: ``en`` or ``fr``)."""

    def actor(self, actor_id: str | None) -> Actor | None:
        """The actor with this id, or None."""
        return next((a for a in self.actors if a.id == actor_id), None)

    def to_dict(self) -> dict[str, Any]:
        return to_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticleAnalysis:
        """Read back an object written by :meth:`to_dict` (or ``analyze --format json``)."""

        def span(value: dict[str, Any]) -> Span:
            return Span(value["start"], value["end"], value["text"])

        def optional_span(value: dict[str, Any] | None) -> Span | None:
            return None if value is None else span(value)

        return cls(
            id=data["id"],
            title=data.get("title"),
            date=data.get("date"),
            source=data.get("source"),
            url=data.get("url"),
            lang=data.get("lang", "en"),
            text=data["text"],
            actors=[
                Actor(
                    a["id"], a["name"], a["type"], list(a["aliases"]), [span(m) for m in a["mentions"]],
                    [Role(span(r["span"]), r["text"], r["office"], r["office_class"], r.get("country"),
                          r.get("tense")) for r in a.get("roles", [])],
                    a.get("country"), list(a.get("members", [])),
                )
                for a in data.get("actors", [])
            ],
            quotes=[
                Quote(q["kind"], span(q["content"]), optional_span(q.get("cue")), optional_span(q.get("speaker")),
                      q.get("actor"), q["confidence"], list(q.get("actors", [])))
                for q in data.get("quotes", [])
            ],
            stances=[
                Stance(s["actor"], s["target"], s["target_kind"], s["polarity"], span(s["evidence"]),
                       s["confidence"], s.get("target_phrase"), list(s.get("actors", [])))
                for s in data.get("stances", [])
            ],
            relations=[Relation(r["a"], r["b"], r["kind"], r["on"]) for r in data.get("relations", [])],
            claims=[
                Claim(span(c["span"]), c["value"], c["unit"], c.get("qualifier"), c.get("source"),
                      c.get("subject"))
                for c in data.get("claims", [])
            ],
            flags=[
                Flag(f["kind"], f.get("actor"), f["message"], [span(e) for e in f.get("evidence", [])])
                for f in data.get("flags", [])
            ],
        )


def holders(item: Quote | Stance, actors: Iterable[Actor] = ()) -> list[str]:
    """The actor ids a quote or a stance counts for: a group holder's members, else its actor.

    ``item.actors`` gives them when set (new analyses and the store fill it); else a group
    among ``actors`` (the article's) gives its members, and any other actor stands for itself.
    Relations, networks and the store count a group's quote or stance once per member.

    >>> text = "Both leaders backed the plan."
    >>> group = Actor("g", "Ana Vela and Bo Lind", "group", members=["ana", "bo"])
    >>> stance = Stance("g", "plan", "issue", 1, Span.of(text, 0, 28), 0.9)
    >>> holders(stance, [group]), holders(Stance("ana", "plan", "issue", 1, stance.evidence, 0.9))
    (['ana', 'bo'], ['ana'])
    """
    if item.actors:
        return list(item.actors)
    if item.actor is None:
        return []
    group = next((a for a in actors if a.id == item.actor and a.members), None)
    return list(group.members) if group is not None else [item.actor]


def to_dict(record: Any) -> Any:
    """The JSON-ready form of a record (dicts, lists, numbers and strings only)."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return {f.name: to_dict(getattr(record, f.name)) for f in dataclasses.fields(record)}
    if isinstance(record, (list, tuple)):
        return [to_dict(item) for item in record]
    if isinstance(record, dict):
        return {key: to_dict(value) for key, value in record.items()}
    return record
