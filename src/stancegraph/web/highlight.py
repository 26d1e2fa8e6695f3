"""The article page's highlights: the text cut at every span boundary, each piece with its classes.

Spans overlap and nest (a mention inside a quote inside a stance's evidence), so the text is
not wrapped in nested elements: it is cut at every start and end of every span, and each
piece (a :class:`Segment`) carries the classes and notes of all the spans covering it. Every
character of the text is in exactly one segment, in order; the template escapes each one.

Example
-------
>>> text = "Macron said: we agree."
>>> marks = [Mark(0, 6, ("mention",), "Emmanuel Macron"), Mark(13, 21, ("quote",), "quote by Macron"),
...          Mark(16, 21, ("stance",), "supports")]
>>> [(s.text, s.classes) for s in segment(text, marks)]
[('Macron', ('mention',)), (' said: ', ()), ('we ', ('quote',)), ('agree', ('quote', 'stance')), ('.', ())]
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Mark", "Segment", "article_marks", "segment"]


@dataclass(frozen=True)
class Mark:
    """One highlighted span: offsets into the text, classes, and a note for its tooltip."""

    start: int
    end: int
    classes: tuple[str, ...]
    note: str = ""
    data: tuple[tuple[str, str], ...] = ()


@dataclass
class Segment:
    """A stretch of text that no span starts or ends inside."""

    start: int
    end: int
    text: str
    classes: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    data: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return "\n".join(self.notes)


def segment(text: str, marks: Iterable[Mark]) -> list[Segment]:
    """The text cut at every boundary of ``marks`` (clipped to the text; empty ones dropped)."""
    size = len(text)
    kept = [m for m in marks if 0 <= m.start < m.end and m.start < size]
    kept = [Mark(m.start, min(m.end, size), m.classes, m.note, m.data) for m in kept]
    cuts = sorted({0, size} | {m.start for m in kept} | {m.end for m in kept})
    starting: dict[int, list[Mark]] = {}
    for mark in kept:
        starting.setdefault(mark.start, []).append(mark)
    open_marks: list[Mark] = []
    segments = []
    for start, end in itertools.pairwise(cuts):
        open_marks = [m for m in open_marks if m.end > start] + starting.get(start, [])
        classes: dict[str, None] = {}
        notes: dict[str, None] = {}
        data: dict[str, str] = {}
        for mark in open_marks:
            classes.update(dict.fromkeys(mark.classes))
            if mark.note:
                notes[mark.note] = None
            for name, value in mark.data:
                if name == "speaker" and mark.end != end:
                    continue  # the speaker is shown after the last piece of the quote
                data[name] = value
        segments.append(Segment(start, end, text[start:end], tuple(classes), tuple(notes), data))
    return segments


def _polarity_word(polarity: int) -> str:
    return {1: "supports", -1: "opposes", 0: "is neutral on"}.get(polarity, "is neutral on")


def article_marks(analysis: dict[str, Any], names: dict[str, str]) -> list[Mark]:
    """The marks of an article's analysis (output-contract dict): mentions, quotes, speakers,
    cues, stance evidence, claims and flag evidence. ``names`` maps actor ids to names."""
    marks: list[Mark] = []

    def name(actor: str | None) -> str:
        return names.get(actor or "", actor or "unknown")

    for actor in analysis.get("actors", []):
        for mention in actor.get("mentions", []):
            marks.append(Mark(mention["start"], mention["end"], ("mention",), f"{actor['name']} ({actor['type']})"))
    for n, quote in enumerate(analysis.get("quotes", [])):
        content = quote["content"]
        speaker = name(quote.get("actor")) if quote.get("actor") else (
            quote["speaker"]["text"] if quote.get("speaker") else "unattributed")
        marks.append(Mark(content["start"], content["end"], ("quote", f"quote-{quote['kind']}"),
                          f"{quote['kind']} quote by {speaker}", (("speaker", speaker), ("quote", str(n)))))
        if quote.get("speaker"):
            span = quote["speaker"]
            marks.append(Mark(span["start"], span["end"], ("speaker",), f"speaker: {speaker}"))
        if quote.get("cue"):
            span = quote["cue"]
            marks.append(Mark(span["start"], span["end"], ("cue",), "cue"))
    for stance in analysis.get("stances", []):
        evidence = stance["evidence"]
        polarity = int(stance.get("polarity", 0))
        target = name(stance["target"]) if stance.get("target_kind") == "actor" else stance["target"]
        css = {1: "stance-support", -1: "stance-oppose"}.get(polarity, "stance-neutral")
        marks.append(Mark(evidence["start"], evidence["end"], ("stance", css),
                          f"{name(stance['actor'])} {_polarity_word(polarity)} {target}"))
    for claim in analysis.get("claims", []):
        span = claim["span"]
        marks.append(Mark(span["start"], span["end"], ("claim",), f"figure: {claim['value']:g} {claim['unit']}"))
    for flag in analysis.get("flags", []):
        for span in flag.get("evidence", []):
            marks.append(Mark(span["start"], span["end"], ("flag",), f"flag ({flag['kind']}): {flag['message']}"))
    return marks


def covering(segments: Sequence[Segment], start: int, end: int) -> list[Segment]:
    """The segments that overlap ``[start, end)``."""
    return [s for s in segments if s.start < end and start < s.end]
