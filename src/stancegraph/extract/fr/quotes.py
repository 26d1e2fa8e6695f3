"""French quotes: direct quotes in « », “ ” or " ", incises, indirect "X a affirmé que …", "selon X".

French news sets a quote in guillemets with (non-breaking) spaces inside, and names its speaker
in an incise after it, subject after verb: « Nous ne céderons pas », a déclaré le ministre /
a-t-il ajouté. Or before it: Le ministre a déclaré : « … ». These rules read the text and the
parse of ``fr_core_news_sm``; the cues are the lemmas of ``lang/fr/cue_verbs.txt``. An
incise's pronoun ("a-t-elle ajouté") is the latest person of that gender named before the
quote. A quote with no cue in its sentence is kept with no speaker (lower confidence).

Example
-------
>>> from stancegraph.nlp import pipeline_for
>>> from stancegraph.extract.fr.actors import find_actors
>>> doc = pipeline_for("fr")("« Nous ne céderons pas », a déclaré la ministre Claire Dumont.")
>>> [(q.content.text, q.cue.text, q.actor) for q in find_quotes(doc, find_actors(doc))]
[('Nous ne céderons pas', 'déclaré', 'claire-dumont')]
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from stancegraph import lang
from stancegraph.extract.fr.actors import FrenchActors
from stancegraph.records import Quote, Span

__all__ = ["QUOTE_MARKS", "find_quotes", "is_cue"]

QUOTE_MARKS = re.compile(r"«(?P<a>[^«»]+)»|“(?P<b>[^“”]+)”|‹(?P<c>[^‹›]+)›|\"(?P<d>[^\"\n]+)\"")
"""A quoted stretch: French guillemets (also chevrons ‹ ›), English curly or straight quotes."""
_SPACES = " \t\n\u00a0\u202f\u2009"
_PARTICIPLE = [("é", "er"), ("ée", "er"), ("i", "ir"), ("it", "ire"), ("u", "re"), ("is", "ettre")]


def is_cue(token: Token) -> bool:
    """Whether a token is a reporting verb: its lemma, or its participle's infinitive, is a cue."""
    cues = lang.lines("cue_verbs.txt", lang="fr")
    word = token.text.lower()
    if token.lemma_.lower() in cues or word in cues:
        return True
    return any(word.endswith(end) and word[: -len(end)] + inf in cues for end, inf in _PARTICIPLE)


def _speaker(doc: Doc, actors: FrenchActors, start: int, end: int, *, before_cue: int | None,
             after_cue: int | None, context: int) -> tuple[Span | None, str | None]:
    """The speaker in [start, end): an actor's mention, else a subject pronoun resolved before ``context``."""
    if after_cue is not None:
        found = actors.mention_in(after_cue, end)
        if found is not None and found[0].start - after_cue < 40:
            return found
    if before_cue is not None:
        found = actors.mention_in(start, before_cue, last=True)
        if found is not None:
            return found
    for token in doc.char_span(start, end, alignment_mode="expand") or []:
        gender = actors.pronoun(token.text)
        if gender is not None:
            actor = actors.person_before(context, gender or None)
            span = Span.of(doc.text, token.idx, token.idx + len(token.text))
            return (span, actor) if actor else (None, None)
    return None, None


_CLAUSE_END = re.compile(r"[.!?\n«“]")
_CLAUSE_START = re.compile(r"[.!?\n»”](?=[^.!?\n»”]*$)")
WINDOW_CHARS = 200
"""How far around a quote its cue and speaker are looked for (the small model's sentence
boundaries are unreliable around guillemets, so the window is cut by punctuation instead)."""


def _after(text: str, end: int) -> int:
    """Where the clause after a closing quote mark ends: at the next sentence mark or quote."""
    found = _CLAUSE_END.search(text, end, min(len(text), end + WINDOW_CHARS))
    return found.start() if found else min(len(text), end + WINDOW_CHARS)


def _before(text: str, start: int) -> int:
    """Where the clause before an opening quote mark starts: after the previous sentence mark."""
    lower = max(0, start - WINDOW_CHARS)
    found = _CLAUSE_START.search(text, lower, start)
    return found.end() if found else lower


def _direct(doc: Doc, actors: FrenchActors) -> list[Quote]:
    quotes = []
    text = doc.text
    for match in QUOTE_MARKS.finditer(text):
        group = next(name for name in "abcd" if match.group(name) is not None)
        inner_start, inner_end = match.start(group), match.end(group)
        while inner_start < inner_end and text[inner_start] in _SPACES:
            inner_start += 1
        while inner_end > inner_start and text[inner_end - 1] in _SPACES + ",":
            inner_end -= 1
        content = Span.of(text, inner_start, inner_end)
        if len(content.text.split()) < 2:
            continue  # a quoted word or title, not a quote
        sent_start, sent_end = _before(text, match.start()), _after(text, match.end())
        after = doc.char_span(match.end(), sent_end, alignment_mode="expand")
        before = doc.char_span(sent_start, match.start(), alignment_mode="expand")
        cue = speaker = actor = None
        after_cues = [t for t in after or [] if is_cue(t) or t.lower_ == "selon"]
        before_cues = [t for t in before or [] if is_cue(t)]
        if after_cues:
            token = after_cues[0]
            cue = Span.of(text, token.idx, token.idx + len(token.text))
            speaker, actor = _speaker(doc, actors, match.end(), sent_end, before_cue=None, after_cue=cue.end,
                                      context=match.start())
        if actor is None and before_cues:
            token = before_cues[-1]
            cue = Span.of(text, token.idx, token.idx + len(token.text))
            speaker, actor = _speaker(doc, actors, sent_start, cue.start, before_cue=cue.start, after_cue=None,
                                      context=cue.start)
        confidence = 0.9 if actor else 0.6 if cue else 0.4
        quotes.append(Quote("direct", content, cue, speaker, actor, confidence, [actor] if actor else []))
    return quotes


def _indirect(doc: Doc, actors: FrenchActors, quoted: list[Span]) -> list[Quote]:
    """ "X a affirmé que …" and "selon X, …" outside direct quotes."""
    quotes = []
    text = doc.text
    for sent in doc.sents:
        if any(q.start < sent.end_char and sent.start_char < q.end for q in quoted):
            continue
        for token in sent:
            if token.lower_ == "selon":
                found = actors.mention_in(token.idx, sent.end_char)
                if found is None or found[0].start - token.idx > 20:
                    continue
                if token.i == sent.start:  # "Selon X, content."
                    comma = next((t for t in sent if t.idx >= found[0].end and t.text == ","), None)
                    start = comma.idx + 1 if comma else found[0].end
                    end = sent.end_char
                else:  # "content, selon X."
                    start, end = sent.start_char, token.idx
            elif is_cue(token):
                que = next((t for t in sent[token.i - sent.start + 1 : token.i - sent.start + 4]
                            if t.lower_ in {"que", "qu'", "qu’"}), None)
                if que is None:
                    continue
                speaker, actor = _speaker(doc, actors, sent.start_char, sent.end_char, before_cue=token.idx,
                                          after_cue=None, context=token.idx)
                if actor is None:
                    continue
                found = (speaker, actor)
                start, end = que.idx + len(que.text), sent.end_char
            else:
                continue
            while start < end and text[start] in _SPACES + ",":
                start += 1
            while end > start and text[end - 1] in _SPACES + ".,;:":
                end -= 1
            if end - start < 8:
                continue
            cue = Span.of(text, token.idx, token.idx + len(token.text))
            speaker, actor = found
            quotes.append(Quote("indirect", Span.of(text, start, end), cue, speaker, actor, 0.7, [actor]))
            break
    return quotes


def find_quotes(doc: Doc, actors: FrenchActors) -> list[Quote]:
    """The direct and indirect quotes of a parsed French article, in text order."""
    direct = _direct(doc, actors)
    indirect = _indirect(doc, actors, [q.content for q in direct])
    return sorted(direct + indirect, key=lambda q: q.content.start)
