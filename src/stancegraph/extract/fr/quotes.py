"""French quotes: direct quotes in « », “ ” or " ", dialogue dashes, incises, indirect "X a affirmé que …", "selon X".

French news sets a quote in guillemets with (non-breaking) spaces inside, and names its speaker
in an incise after it, subject after verb: « Nous ne céderons pas », a déclaré le ministre /
a-t-il ajouté. Or before it: Le ministre a déclaré : « … ». These rules read the text and the
parse of ``fr_core_news_sm``; the cues are the lemmas of ``lang/fr/cue_verbs.txt``. An
incise's pronoun ("a-t-elle ajouté") is the latest person of that gender named before the
quote. A quote with no cue in its sentence is kept with no speaker (lower confidence).

Dialogue, French press style: a quotation whose lines open with a dash (« … / — … / — … »),
or paragraphs opening with "—" or "–" after a quotation, is one quote per turn, each with
its incise ("— Et la grève ? a demandé un journaliste."). A dash inside a sentence, or a
dash line that follows no quotation and has no incise (a list), is no quote.

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
from stancegraph.extract.fr.actors import FrenchActors, title_at
from stancegraph.records import Quote, Span

__all__ = ["QUOTE_MARKS", "find_quotes", "is_cue"]

QUOTE_MARKS = re.compile(r"«(?P<a>[^«»]+)»|“(?P<b>[^“”]+)”|‹(?P<c>[^‹›]+)›|\"(?P<d>[^\"\n]+)\"")
"""A quoted stretch: French guillemets (also chevrons ‹ ›), English curly or straight quotes."""
_SPACES = " \t\n\u00a0\u202f\u2009"
_PARTICIPLE = [("é", "er"), ("ée", "er"), ("i", "ir"), ("it", "ire"), ("u", "re"), ("is", "ettre")]


def is_cue(token: Token) -> bool:
    """Whether a token is a reporting verb: its lemma, or its participle's infinitive, is a cue."""
    return token.lemma_.lower() in lang.lines("cue_verbs.txt", lang="fr") or _participle_in(token, "cue_verbs.txt")


def _participle_in(token: Token, name: str) -> bool:
    """Whether the word, or the infinitive its participle ending suggests, is in a French list."""
    verbs = lang.lines(name, lang="fr")
    word = token.lower_
    return word in verbs or any(word.endswith(end) and word[: -len(end)] + inf in verbs for end, inf in _PARTICIPLE)


def _speaker(doc: Doc, actors: FrenchActors, start: int, end: int, *, before_cue: int | None,
             after_cue: int | None, context: int) -> tuple[Span | None, str | None]:
    """The speaker in [start, end): an actor's mention, a subject pronoun resolved before
    ``context``, or (with no actor) the noun phrase that names an unnamed source ("a confié
    une éleveuse de la Sarthe")."""
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
            return span, actor
    if after_cue is not None:
        return _noun_phrase_after(doc, after_cue, end), None
    return None, None


def _noun_phrase_after(doc: Doc, offset: int, end: int) -> Span | None:
    """The words from the first determiner after ``offset`` to ``end`` (at most
    :data:`MAX_SOURCE_TOKENS`): an incise's unnamed source."""
    tokens: list[Token] = list(doc.char_span(offset, end, alignment_mode="expand") or [])
    first = next((t for t in tokens if t.pos_ == "DET" or t.lower_ in _DETERMINERS), None)
    if first is None or first.idx - offset > 25:
        return None
    last = [t for t in tokens if t.i >= first.i and not t.is_punct][:MAX_SOURCE_TOKENS]
    return Span.of(doc.text, first.idx, last[-1].idx + len(last[-1].text))


MAX_SOURCE_TOKENS = 8
_DETERMINERS = {"un", "une", "le", "la", "l'", "l’", "les", "des", "son", "sa", "ses", "leur"}


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
    quotes: list[Quote] = []
    text = doc.text
    for match in QUOTE_MARKS.finditer(text):
        if _DIALOGUE_LINE.search(match.group()):
            continue  # a dialogue in guillemets: its turns are quotes of their own (_dialogue)
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
        gap = text[quotes[-1].content.end : match.start()] if quotes else "\n"
        if cue is None and quotes and quotes[-1].speaker is not None and "\n" not in gap and len(gap) <= 80:
            # "« A », a dit X. « B. »": a quote with no cue right after one with a speaker goes on it
            speaker, actor = quotes[-1].speaker, quotes[-1].actor
        confidence = 0.9 if actor else 0.6 if cue else 0.4
        quotes.append(Quote("direct", content, cue, speaker, actor, confidence, [actor] if actor else []))
    return quotes


_DASHES = "—–"
_DIALOGUE_LINE = re.compile(r"\n[ \t\u00a0\u202f]*[—–]")
_INCISE_OPENERS = {",", "?", "!"}
MAX_INCISE_START = 4
"""The most tokens between an incise's comma and its cue ("?, a-t-il ajouté" has three)."""


def _turns(text: str) -> list[tuple[int, int, bool, str]]:
    """The candidate dialogue turns of a text, in order: (start, end after the dash and
    guillemets, whether a dialogue quotation holds it, and what the paragraph before it is:
    "quote" when it ends a quotation, "turn" when it is a turn, else "").

    A line of a « » quotation that holds a dialogue (a line in it opens with a dash; its
    first line too) is a turn, and so is a paragraph opening with a dash.
    """
    turns: list[tuple[int, int, bool, str]] = []
    blocks = [(m.start(), m.end()) for m in QUOTE_MARKS.finditer(text) if _DIALOGUE_LINE.search(m.group())]
    offset, previous = 0, ""  # previous: "quote" (a paragraph ending a quotation), "turn" or ""
    for line in text.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        body = line.strip(_SPACES)
        if not body:
            continue
        in_block = any(s <= start + len(line) - len(line.lstrip(_SPACES)) < e for s, e in blocks)
        lead = len(line) - len(line.lstrip(_SPACES + "«“"))
        dashed = line[lead:lead + 1] in _DASHES
        if in_block or dashed:
            first = start + lead + (1 if dashed else 0)
            last = end
            while last > first and text[last - 1] in _SPACES + "»”":
                last -= 1
            turns.append((first, last, in_block, previous))
            previous = "turn"
        else:
            previous = "quote" if body[-1] in "»”" else ""
    return turns


def _incise(doc: Doc, start: int, end: int) -> tuple[Token, Token, int] | None:
    """The incise of a turn ("…, a déclaré le ministre."): (its opening mark, its cue, its end)."""
    tokens = list(doc.char_span(start, end, alignment_mode="expand") or [])
    for k, token in enumerate(tokens):
        if token.text not in _INCISE_OPENERS or k == len(tokens) - 1:
            continue
        cue = next((t for t in tokens[k + 1 : k + 1 + MAX_INCISE_START] if is_cue(t)), None)
        if cue is None:
            continue
        close = next((t for t in tokens if t.i > cue.i and t.text in {",", ".", ";", "!", "?"}), None)
        return token, cue, close.idx if close is not None else end
    return None


def _dialogue(doc: Doc, actors: FrenchActors) -> list[Quote]:
    """Dialogue turns as direct quotes, their incises naming the speaker. A turn with no
    incise is, as dialogue alternates, the speaker of the turn before the last when the two
    turns before it were two different actors'; else it has no speaker."""
    text = doc.text
    quotes: list[Quote] = []
    accepted = False  # whether the turn before was taken as one
    run: list[str | None] = []  # the actors of the turns of the current dialogue
    for start, end, in_block, previous in _turns(text):
        incise = _incise(doc, start, end)
        if not (in_block or incise is not None or previous == "quote" or (previous == "turn" and accepted)):
            accepted = False
            continue  # a dash line that is neither in a dialogue nor has an incise: a list item
        if previous != "turn" or not accepted:
            run = []
        accepted = True
        if incise is None:
            alternate = run[-2] if len(run) >= 2 and run[-2] and run[-1] and run[-2] != run[-1] else None
            parts, cue, speaker, actor = [_trimmed(text, start, end)], None, None, alternate
        else:
            mark, token, close = incise
            cue = Span.of(text, token.idx, token.idx + len(token.text))
            speaker, actor = _speaker(doc, actors, cue.end, close, before_cue=None, after_cue=cue.end, context=start)
            before = _trimmed(text, start, mark.idx + (len(mark.text) if mark.text in "?!" else 0))
            parts = [before, _trimmed(text, close + 1, end)]
        for first, last in parts:
            if len(text[first:last].split()) >= 2:
                confidence = 0.9 if actor and cue else 0.6 if actor or cue else 0.4
                quotes.append(Quote("direct", Span.of(text, first, last), cue, speaker, actor, confidence,
                                    [actor] if actor else []))
        run.append(actor)
    return quotes


def _sentence_end(text: str, offset: int) -> int:
    """The end of the sentence from ``offset``: the next . ! ? or line break outside guillemets."""
    depth = 0
    for index in range(offset, len(text)):
        char = text[index]
        if char in "«“":
            depth += 1
        elif char in "»”":
            depth = max(0, depth - 1)
        elif char == "\n" or (char in ".!?" and depth == 0):
            return index
    return len(text)


def _starts_sentence(text: str, offset: int) -> bool:
    before = text[:offset].rstrip(_SPACES)
    return not before or before[-1] in ".!?»\n"


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _SPACES + ",":
        start += 1
    while end > start and text[end - 1] in _SPACES + ".,;:":
        end -= 1
    return start, end


def _according_to(doc: Doc, actors: FrenchActors, token: Token, cue_start: int) -> Quote | None:
    """ "Selon X, …", "D'après X, …", "Pour X, …" (sentence-initial), or "…, selon X."."""
    text = doc.text
    source_start = token.idx + len(token.text)
    sentence_end = _sentence_end(text, source_start)
    comma = text.find(",", source_start, sentence_end)
    source_end = comma if comma >= 0 else sentence_end
    found = actors.mention_in(source_start, source_end)
    if token.lower_ == "pour" and found is None:
        return None  # "pour la première fois, …": "pour" names a source only with an actor
    speaker, actor = found if found else (Span.of(text, *_trimmed(text, source_start, source_end)), None)
    if _starts_sentence(text, cue_start):
        if comma < 0:
            return None
        start = comma + 1
        following = text.find(",", start, sentence_end)
        if following >= 0 and title_at(text[start:following]):  # "Selon X, secrétaire générale de …, …"
            start = following + 1
        end = sentence_end
    else:
        start = _before(text, cue_start)
        end = text.rfind(",", start, cue_start)
        if end < 0:
            return None
    start, end = _trimmed(text, start, end)
    if end - start < 8:
        return None
    cue = Span.of(text, cue_start, token.idx + len(token.text))
    return Quote("indirect", Span.of(text, start, end), cue, speaker, actor, 0.7 if actor else 0.5,
                 [actor] if actor else [])


def _subject_phrase(verb: Token) -> Span | None:
    """The noun phrase subject of a verb (or of the verb its auxiliary hangs on), as a span."""
    for head in (verb, verb.head):
        subject = next((c for c in head.children if c.dep_ in {"nsubj", "nsubj:pass"} and c.pos_ in {"NOUN", "PROPN"}),
                       None)
        if subject is not None:
            start, last = subject.left_edge, subject.right_edge
            return Span.of(verb.doc.text, start.idx, last.idx + len(last.text))
    return None


def _reported(doc: Doc, actors: FrenchActors, token: Token, direct: list[Quote]) -> Quote | None:
    """ "X a affirmé que …" (the clause), or "X a annoncé la création de …" (the object)."""
    text = doc.text
    sentence_start = _before(text, token.idx)
    que = next((t for t in doc[token.i + 1 : token.i + 4] if t.lower_ in {"que", "qu'", "qu’"}), None)
    speaker, actor = _speaker(doc, actors, sentence_start, token.idx, before_cue=token.idx, after_cue=None,
                              context=token.idx)
    if que is not None:
        if speaker is None:
            speaker = _subject_phrase(token)
        if speaker is None:
            return None
        start, end = _trimmed(text, que.idx + len(que.text), _sentence_end(text, que.idx))
    else:
        complement = next((c for c in token.children if c.dep_ in {"obj", "xcomp"} and c.i > token.i
                           and c.pos_ not in {"PRON", "PUNCT"}), None)
        if complement is None or actor is None or (token.lemma_.lower() not in lang.lines(
                "report_object_verbs.txt", lang="fr") and not _participle_in(token, "report_object_verbs.txt")):
            return None
        start, end = _trimmed(text, complement.left_edge.idx,
                              complement.right_edge.idx + len(complement.right_edge.text))
        if any(mark in text[start:end] for mark in "«»“”\"") or any(q.content.overlaps(Span(start, end, ""))
                                                                   for q in direct):
            return None
    if end - start < 8:
        return None
    cue = Span.of(text, token.idx, token.idx + len(token.text))
    return Quote("indirect", Span.of(text, start, end), cue, speaker, actor, 0.7 if actor else 0.5,
                 [actor] if actor else [])


def _indirect(doc: Doc, actors: FrenchActors, direct: list[Quote]) -> list[Quote]:
    """Reported speech outside direct quotes: "que" clauses, objects of cues, "selon X"."""
    quotes: list[Quote] = []
    for token in doc:
        if any(q.content.start <= token.idx < q.content.end for q in direct + quotes):
            continue
        low = token.lower_
        if low == "selon" or (low == "pour" and _starts_sentence(doc.text, token.idx)):
            found = _according_to(doc, actors, token, token.idx)
        elif low == "après" and token.i > 0 and doc[token.i - 1].lower_ in {"d'", "d’"}:
            found = _according_to(doc, actors, token, doc[token.i - 1].idx)
        elif is_cue(token):
            found = _reported(doc, actors, token, direct)
        else:
            continue
        if found is not None:
            quotes.append(found)
    return quotes


def find_quotes(doc: Doc, actors: FrenchActors) -> list[Quote]:
    """The direct and indirect quotes of a parsed French article, in text order.

    A quoted fragment inside a reported clause ("a estimé que le débat était « prématuré »")
    is part of that clause's quote, not a quote of its own.
    """
    direct = _direct(doc, actors) + _dialogue(doc, actors)
    indirect = _indirect(doc, actors, direct)
    direct = [q for q in direct if not any(i.content.contains(q.content) for i in indirect)]
    return sorted(direct + indirect, key=lambda q: q.content.start)
