"""French claims: the figures a French article reports, as English claims are read.

The number phrase is read by the shared reader of :mod:`stancegraph.extract.claims` with the
French data of ``lang/fr/`` (``number_format.tsv``: "3,5", "10 000" with a space, no-break
space or narrow no-break space; ``quantity_words.tsv``: "14 millions", "1,2 milliard";
``units.tsv``: "d'euros", "%", "mois", "ans"; ``qualifiers.tsv``: "plus de", "environ",
"près de", "moins de"; number words through ``text2num``'s French). What differs is where
the parse puts the rest, French words coming after the noun:

* a count's unit is the noun after the number, after "de" when a multiplier ends it ("14
  millions de personnes" -> "personnes"), with its adjectives after it ("emplois industriels");
  its subject adds the complement ("personnes déplacées en Ukraine");
* a share's or a sum's subject is its "de" complement ("3,5 % des électeurs"), else what it is
  "pour", else the subject of a level verb ("le chômage atteint 3,5 %" -> "chômage");
* a duration's subject is the event noun after it or the noun it hangs on ("22 mois de
  guerre", "la guerre dure depuis 22 mois"), else the verb's subject;
* the source is the speaker of the quote the figure stands in (guillemets, "X a affirmé
  que", "selon X"), else the subject of a French reporting verb over it, else none.

Units are the English canonical ones (``EUR``, ``percent``, ``months``) so the figure and time
checks compare French figures as English ones. An age ("âgé de 81 ans", "X, 81 ans,") is a
claim with the subject ``age`` in ``years``, as in English.

Example
-------
>>> from stancegraph.nlp import pipeline_for
>>> from stancegraph.extract.fr.actors import find_actors
>>> doc = pipeline_for("fr")("Plus de 14 millions de personnes ont fui le pays.")
>>> [(c.span.text, c.value, c.unit, c.qualifier) for c in find_claims(doc, find_actors(doc), [])]
[('Plus de 14 millions de personnes', 14000000.0, 'personnes', 'over')]
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from stancegraph import lang
from stancegraph.extract.claims import Figure, figures, qualifier_before, quantity_kind, sentence_of, source_cues
from stancegraph.extract.fr.actors import FrenchActors
from stancegraph.records import Claim, Quote, Span

__all__ = ["find_claims"]

LANG = "fr"
MAX_UNIT_WORDS = 3
"""The most adjectives before or after a counted noun ("3 000 nouveaux emplois industriels")."""
MAX_COMPLEMENT_WORDS = 6
AGE_RANGE = (15, 110)
_OF = {"de", "d'", "d’", "des", "du"}
_COMPLEMENTS = _OF | {"en", "dans", "à", "au", "aux", "sur", "pour", "parmi"}
_PURPOSE = {"pour", "à", "au", "aux", "en", "dans"}
_STOP_DEPS = {"acl:relcl", "acl", "punct", "cc"}
_SUBJECT_DEPS = {"nsubj", "nsubj:pass"}
_NOMINAL_DEPS = {"obj", "nsubj", "nsubj:pass", "nmod", "obl", "obl:mod", "obl:arg", "appos"}


def _next_word(doc: Doc, i: int) -> int:
    """The first token from ``i`` that is not a space."""
    while i < len(doc) and doc[i].is_space:
        i += 1
    return i


def _noun_after(doc: Doc, i: int, *, after_of: bool) -> Token | None:
    """The noun a number counts: right after it, or after "de" ("14 millions de personnes"),
    adjectives before it allowed ("3 000 nouveaux emplois")."""
    i = _next_word(doc, i)
    if after_of and i < len(doc) and doc[i].lower_ in {"de", "d'", "d’"}:
        i += 1
    for j in range(i, min(i + MAX_UNIT_WORDS, len(doc))):
        if doc[j].pos_ in {"NOUN", "PROPN"} and not doc[j].is_punct:
            return doc[j]
        if doc[j].pos_ != "ADJ":
            break
    # the small parser tags some plural nouns as adjectives or verbs ("trois cents familles",
    # "1 200 salariés"); a word in a noun's place is taken
    if i < len(doc) and doc[i].is_alpha and doc[i].is_lower and (
            doc[i].pos_ == "ADJ" or (doc[i].pos_ == "VERB" and doc[i].dep_ in _NOMINAL_DEPS)):
        return doc[i]
    return None


def _unit_end(doc: Doc, noun: Token) -> int:
    """The end of a counted noun with the adjectives after it ("emplois industriels")."""
    end = noun.i + 1
    while end < len(doc) and end - noun.i <= MAX_UNIT_WORDS and doc[end].pos_ == "ADJ" and doc[end].head.i == noun.i:
        end += 1
    return end


def _with_complement(doc: Doc, start: int, end: int) -> str:
    """The words from ``start`` to ``end`` with the complement after them ("personnes déplacées en Ukraine")."""
    if end + 1 < len(doc) and doc[end].lower_ in _COMPLEMENTS and doc[end + 1].pos_ in {"DET", "NOUN", "PROPN", "ADJ", "NUM"}:
        stop = end + 1
        while stop < len(doc) and stop - end <= MAX_COMPLEMENT_WORDS and not doc[stop].is_punct \
                and doc[stop].pos_ not in {"VERB", "AUX", "SCONJ", "PRON", "CCONJ"}:
            stop += 1
        if stop > end + 1 and doc[stop - 1].pos_ not in {"ADP", "DET"}:
            end = stop
    return doc[start:end].text


def _phrase(doc: Doc, noun: Token) -> str:
    """A noun with its adjectives and complement, without determiners."""
    start = noun.i
    while start > noun.left_edge.i and doc[start - 1].pos_ == "ADJ":
        start -= 1
    return _with_complement(doc, start, _unit_end(doc, noun))


def _unit_text(doc: Doc, noun: Token) -> str:
    return doc[noun.i : _unit_end(doc, noun)].text


def _attribute(doc: Doc, fig: Figure) -> Token | None:
    """What a bare number is said to be or to be part of: "300 étaient des civils", "250 des soldats"."""
    i = _next_word(doc, fig.end)
    if i < len(doc) and _lemma(doc[i]) == "être":
        i += 1
    elif not (i < len(doc) and doc[i].lower_ in {"des", "d'entre", "d’entre"}):
        return None
    while i < len(doc) and doc[i].pos_ in {"DET", "ADP"} and i - fig.end <= MAX_UNIT_WORDS:
        i += 1
    return doc[i] if i < len(doc) and doc[i].pos_ == "NOUN" else None


def _of_object(doc: Doc, fig: Figure, prepositions: set[str]) -> Token | None:
    """The noun after a preposition right after the figure ("3,5 % des électeurs")."""
    i = _next_word(doc, fig.end)
    if i >= len(doc) or doc[i].lower_ not in prepositions:
        return None
    return _noun_after(doc, i + 1, after_of=False) or _noun_after(doc, i + 2, after_of=False)


def _verb_of(token: Token) -> Token | None:
    """The verb a figure hangs on, through the nouns of its phrase."""
    for node in [token, *token.ancestors]:
        if node.pos_ in {"VERB", "AUX"} or node.dep_ == "ROOT":
            return node
    return None


def _lemma(token: Token) -> str:
    return token.lemma_.lower().replace("’", "'")


def _level_subject(doc: Doc, fig: Figure) -> Token | None:
    """The subject of a verb that puts the figure on it ("le chômage atteint 3,5 %")."""
    verb = _verb_of(doc[fig.core])
    if verb is None or _lemma(verb) not in lang.lines("level_verbs.txt", LANG):
        return None
    subject = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS), None)
    return subject if subject is not None and subject.pos_ in {"NOUN", "PROPN"} else None


def _place(doc: Doc, fig: Figure) -> tuple[int, str | None, str | None]:
    """(end of the span, unit, subject) of a figure; a count with nothing counted has no unit."""
    multiplied = quantity_kind(doc[fig.end - 1].lower_, LANG) == "multiplier"
    if fig.kind == "duration":
        event = _noun_after(doc, fig.end, after_of=True)
        if event is None or doc[_next_word(doc, fig.end)].lower_ not in _OF:
            events = lang.table("event_verbs.tsv", LANG)
            before = [t for t in doc[sentence_of(doc[fig.start]).start : fig.start] if t.lower_ in events]
            event = before[-1] if before else next((t for t in doc[fig.end - 1].ancestors if t.pos_ == "NOUN"), None)
        return fig.end, fig.unit, event.text.lower() if event is not None and event.pos_ == "NOUN" else None
    if fig.kind == "count":
        noun = _noun_after(doc, fig.end, after_of=multiplied)
        if noun is not None:
            return _unit_end(doc, noun), _unit_text(doc, noun), _phrase(doc, noun)
        said = _attribute(doc, fig)  # the span stays the number: "300" of "300 étaient des civils"
        return fig.end, _unit_text(doc, said) if said is not None else None, _phrase(doc, said) if said else None
    found = _of_object(doc, fig, _OF)
    if found is None and fig.kind == "money":
        found = _of_object(doc, fig, _PURPOSE)
    found = found or _level_subject(doc, fig)
    return fig.end, fig.unit, _phrase(doc, found) if found is not None else None


def _phrase_cue(token: Token) -> bool:
    """Whether a preposition is a source cue of ``source_cues.tsv``: "selon", "d'après" (not "après")."""
    before = token.doc[token.i - 1] if token.i > 0 else None
    elided = before.lower_.replace("’", "'") if before is not None and before.lower_[-1:] in "'’" else ""
    return elided + token.lower_ in source_cues("phrase", LANG)


def _source(doc: Doc, fig: Figure, span: Span, actors: FrenchActors, quotes: list[Quote]) -> str | None:
    """The quote's actor (or its speaker's words), else "selon X" over the figure, else the
    subject of a reporting verb over it."""
    quote = next((q for q in quotes if q.content.contains(span)), None)
    if quote is not None and quote.actor:
        return quote.actor
    if quote is not None and quote.speaker is not None:  # an unnamed source, as written without its article
        words = doc.char_span(quote.speaker.start, quote.speaker.end, alignment_mode="expand")
        named = [t for t in words or () if t.pos_ != "DET" and t.lower_ not in {"l'", "l’"}]
        return doc[named[0].i : named[-1].i + 1].text if named else quote.speaker.text
    for node in [doc[fig.core], *doc[fig.core].ancestors]:
        cited = next((c for c in node.children if any(m.dep_ == "case" and _phrase_cue(m) for m in c.children)), None)
        if cited is not None:  # "3,5 % selon l'Insee"
            return actors.at(cited.left_edge.idx, cited.right_edge.idx + len(cited.right_edge.text)) or _phrase(doc, cited)
    for node in doc[fig.core].ancestors:
        if _lemma(node) not in source_cues("verb", LANG):
            continue
        subject = next((c for c in node.children if c.dep_ in _SUBJECT_DEPS), None)
        if subject is None or subject.left_edge.i <= fig.core <= subject.right_edge.i:
            continue
        left, right = subject.left_edge, subject.right_edge
        actor = actors.at(left.idx, right.idx + len(right.text))
        if actor is not None:
            return actor
        if subject.pos_ == "PRON":
            gender = actors.pronoun(subject.text)
            return actors.person_before(subject.idx, gender or None) if gender is not None else None
        return _phrase(doc, subject)
    return None


def age_cues(role: str) -> tuple[tuple[str, ...], ...]:
    """The phrases of ``lang/fr/age_cues.tsv`` of one role ("age", "birth"), as words."""
    return tuple(tuple(row[0].split()) for row in lang.rows("age_cues.tsv", LANG) if row[1] == role)


def _is_age(doc: Doc, fig: Figure, actors: FrenchActors) -> bool:
    """A number of years that is a person's age: "âgé de 81 ans", "Paul Verdier, 81 ans, a dit"."""
    if fig.kind != "duration" or fig.unit != "years" or not AGE_RANGE[0] <= fig.value <= AGE_RANGE[1]:
        return False
    before = tuple(t.lower_ for t in doc[max(0, fig.start - 3) : fig.start])
    if any(before[-len(cue) :] == cue for cue in age_cues("age")):
        return True
    if fig.start == 0 or fig.end >= len(doc) or doc[fig.start - 1].text not in {",", "("} \
            or doc[fig.end].text not in {",", ")", "."}:
        return False
    named = actors.at(doc[fig.start - 1].idx - 1, doc[fig.start - 1].idx)  # a name right before the comma
    return named is not None and actors.is_person(named)


def find_claims(doc: Doc, actors: FrenchActors, quotes: list[Quote]) -> list[Claim]:
    """The figures a parsed French article reports, in text order, with their credited sources."""
    claims = []
    not_counted = lang.lines("not_counted.txt", LANG)
    for fig in figures(doc, LANG):
        end, unit, subject = (fig.end, "years", "age") if _is_age(doc, fig, actors) else _place(doc, fig)
        if unit is None or unit.lower() in not_counted:
            continue
        start, qualifier = qualifier_before(doc, fig, LANG)
        tokens = doc[start:end]
        span = Span(tokens.start_char, tokens.end_char, tokens.text)
        claims.append(Claim(span=span, value=round(fig.value, 4), unit=unit, qualifier=qualifier,
                            source=_source(doc, fig, span, actors, quotes), subject=subject))
    return claims
