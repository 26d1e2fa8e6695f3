"""French stances: "X soutient / rejette / dénonce / s'oppose à Y", from ``lang/fr/stance_verbs.tsv``.

The holder is the verb's subject (or, for a verb joined by "et", the first verb's), a pronoun
resolved as in quotes; the target is its object, or the object of the verb's preposition
("s'oppose à la réforme"). A target that names an actor is that actor; otherwise it is an
issue labelled by its words without the article ("la réforme des retraites" -> "réforme des
retraites"). "ne … pas", "ne … plus", "jamais" turn the polarity; a hedge ("peut-être")
lowers the confidence. Trained English stance models are not used on French.

Example
-------
>>> from stancegraph.nlp import pipeline_for
>>> from stancegraph.extract.fr.actors import find_actors
>>> doc = pipeline_for("fr")("Claire Dumont rejette la réforme des retraites.")
>>> [(s.actor, s.target, s.polarity) for s in find_stances(doc, find_actors(doc))]
[('claire-dumont', 'réforme des retraites', -1)]
"""

from __future__ import annotations

import functools

from spacy.tokens import Doc, Token

from stancegraph import lang
from stancegraph.extract.fr.actors import FrenchActors
from stancegraph.records import Span, Stance

__all__ = ["find_stances"]

_OBJECT_DEPS = {"obj"}
_OBLIQUE_DEPS = {"obl:arg", "obl", "obl:mod", "iobj"}
_LABEL_SKIP = {"det", "case", "punct", "cc", "advmod"}
MAX_LABEL_WORDS = 5


@functools.cache
def _verbs() -> dict[str, list[tuple[int, str, str]]]:
    """Lemma -> [(polarity, frame, required phrase)]."""
    verbs: dict[str, list[tuple[int, str, str]]] = {}
    for row in lang.rows("stance_verbs.tsv", lang="fr"):
        verbs.setdefault(row[0], []).append((int(row[1]), row[2], row[4] if len(row) > 4 else ""))
    return verbs


def _lemmas(token: Token) -> list[str]:
    """The lemma, then infinitives the word form suggests: the small model tags some verbs as
    nouns ("dénonce"), with the noun as lemma."""
    word = token.lower_
    guesses = [token.lemma_.lower(), word + "r" if word.endswith("e") else "", word[:-3] + "er" if word.endswith("ent") else ""]
    return [g for g in guesses if g]


def _subject(verb: Token) -> Token | None:
    for token in (verb, verb.head if verb.dep_ == "conj" else None):
        if token is None:
            continue
        subject = next((c for c in token.children if c.dep_ in {"nsubj", "nsubj:pass"}), None)
        if subject is not None:
            return subject
    return None


def _target(verb: Token, frame: str) -> Token | None:
    if frame == "dobj":
        return next((c for c in verb.children if c.dep_ in _OBJECT_DEPS), None)
    if frame.startswith("prep:"):
        preposition = frame[5:]
        for child in verb.children:
            if child.dep_ in _OBLIQUE_DEPS and any(c.dep_ == "case" and c.lower_ in {preposition, "au", "aux"}
                                                   for c in child.children):
                return child
    return None


def _clitic(doc: Doc, verb: Token, frame: str) -> tuple[Token, str] | None:
    """An object pronoun standing before the verb, as French puts it ("lui a reproché", "le
    soutient", "ne les a pas critiqués"): (the pronoun, the gender it asks for).

    Read from the word order, which French fixes for clitics, not the parse (the small model
    attaches "lui" and "leur" anywhere): the pronoun is the word right before the verb or its
    auxiliaries and "ne"; "lui"/"leur" are indirect objects ("reprocher à"), "le", "la",
    "l'", "les" direct ones.
    """
    i = verb.i - 1
    while i >= 0 and (doc[i].pos_ == "AUX" or doc[i].lower_ in {"ne", "n'", "n’"}) and doc[i].head.i == verb.i:
        i -= 1
    if i < 0:
        return None
    found = lang.table("pronouns.tsv", lang="fr").get(doc[i].lower_.replace("’", "'"))
    if found is None or found[1] not in {"object", "indirect object"}:
        return None
    indirect = found[1] == "indirect object"
    if indirect != frame.startswith("prep:à"):
        return None
    return doc[i], found[0]


def _label(target: Token) -> str:
    words = [t for t in target.subtree if t.i >= target.i or t.dep_ not in _LABEL_SKIP]
    words = [t for t in words if not (t.i < target.i and t.dep_ in _LABEL_SKIP)]
    cut = next((k for k, t in enumerate(words) if t.i > target.i and (t.is_punct or t.dep_ in {"acl:relcl", "acl"})),
               len(words))
    label = " ".join(t.text for t in words[: min(cut, MAX_LABEL_WORDS)])
    return label.lower().removeprefix("l'").removeprefix("l’").strip()


def _holder(doc: Doc, actors: FrenchActors, subject: Token) -> str | None:
    gender = actors.pronoun(subject.text)
    if gender is not None:
        return actors.person_before(subject.idx, gender or None)
    left, right = subject.left_edge.idx, subject.right_edge.idx + len(subject.right_edge.text)
    # "Le président de la Fédération hospitalière, Thomas Girard, a salué": the name in apposition
    for appos in (c for c in subject.children if c.dep_ == "appos"):
        named = actors.at(appos.left_edge.idx, appos.right_edge.idx + len(appos.right_edge.text))
        if named is not None:
            return named
    return actors.at(left, right)


def find_stances(doc: Doc, actors: FrenchActors) -> list[Stance]:
    """The stances stated by French stance verbs, in text order."""
    stances = []
    negators = lang.lines("stance_negators.txt", lang="fr")
    hedges = lang.lines("stance_hedges.txt", lang="fr")
    for verb in doc:
        for polarity, frame, required in next((_verbs()[lemma] for lemma in _lemmas(verb) if lemma in _verbs()), []):
            if required and not any(c.lower_ in {required, "se", "s'", "s’"} for c in verb.children):
                continue
            subject, target = _subject(verb), _target(verb, frame)
            clitic = _clitic(doc, verb, frame) if target is None else None
            if target is None and clitic is None:
                continue
            if subject is not None:
                holder, evidence_start = _holder(doc, actors, subject), min(subject.left_edge.idx, verb.idx)
            else:  # the small parser often leaves a titled name unattached: the name just before the verb
                found = actors.mention_in(verb.sent.start_char, verb.idx, last=True)
                holder, evidence_start = (found[1], found[0].start) if found else (None, verb.idx)
            if holder is None:
                continue
            if clitic is not None:  # "Le ministre lui a reproché …": the latest other actor that agrees
                if evidence_start >= clitic[0].idx:
                    continue
                left, right = clitic[0].idx, verb.idx + len(verb.text)
                target_actor = actors.object_before(clitic[0].idx, clitic[1], exclude=holder)
                if target_actor is None:
                    continue
            else:
                assert target is not None
                left, right = target.left_edge.idx, target.right_edge.idx + len(target.right_edge.text)
                target_actor = actors.at(left, right)
            if target_actor == holder:
                continue
            children = {c.lower_ for c in verb.children} | {c.lower_ for c in verb.head.children if verb.dep_ == "conj"}
            if children & negators:
                polarity = -polarity
            label = target_actor or (_label(target) if target is not None else "")
            if not label:
                continue
            stances.append(Stance(
                holder, label, "actor" if target_actor else "issue", polarity,  # type: ignore[arg-type]
                Span.of(doc.text, evidence_start, right), 0.5 if children & hedges else 0.7,
                None if target_actor else doc.text[left:right], [holder]))
            break
    return stances
