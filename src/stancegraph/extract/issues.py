"""Issue targets and their labels: the short, stable name of what a stance is about.

    A noun issue is the lemmatised head with its compound and adjective modifiers ("heavy
sanctions" -> "heavy sanction", "EU sanctions" -> "eu sanction"); a verb issue is the
verb lemma, its particle, and its object's head with the object's noun compounds
("withholding U.S. support" -> "withhold us support", "end Europe's bloodiest conflict"
-> "end conflict"). Determiners, possessors (they are owners, see Targets), numbers,
participles, comparatives, prepositional phrases and pickers such as "other"
(``issue_stop_words.txt``) are left out; a general noun (``issue_generic_nouns.txt``:
"point", "decision") names no issue unless a noun compound makes it specific, and a
verb without an object ("refused to comment") names none either. Within one article,
labels with the same head (and verb) fold together when their modifiers, once
qualifiers (``issue_qualifiers.txt``: "heavy", "full", "sustained") are dropped, are
nested: each folds to the most general of them, so "heavy sanction" and "eu sanction"
are both "sanction" while "military aid" and "humanitarian aid" stay apart; a label
that folds with nothing keeps its full form (folding across articles is the networks'
job).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TypeVar

from spacy.tokens import Token

from stancegraph import lang

__all__ = [
    "NOT_ISSUE_ENTITIES",
    "IssueLabel",
    "change_word",
    "fold_labels",
    "gerund_of",
    "is_generic",
    "label_word",
    "label_words",
    "nest_labels",
    "noun_label",
    "verb_label",
]

MODIFIER_DEPS = frozenset({"compound", "amod", "nmod"})
MODIFIER_POS = frozenset({"NOUN", "PROPN", "ADJ"})
K = TypeVar("K")
NOT_ISSUE_ENTITIES = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})


@dataclass(frozen=True)
class IssueLabel:
    """The short, stable name of an issue: an optional verb, modifiers and a head, lemmatised.

    >>> IssueLabel("withhold", ("us",), "support").text
    'withhold us support'
    >>> IssueLabel(None, ("heavy",), "sanction").general().text
    'sanction'
    """

    verb: str | None
    modifiers: tuple[str, ...]
    head: str
    phrase: str = field(default="", compare=False)
    """The words of the text the label was read from ("rise in the congestion charge"); not part of its identity."""

    @property
    def text(self) -> str:
        return " ".join(word for word in (self.verb, *self.modifiers, self.head) if word)

    def general(self) -> IssueLabel:
        """The label without qualifiers ("heavy", "sustained"), as used for folding."""
        qualifiers = lang.lines("issue_qualifiers.txt")
        return replace(self, modifiers=tuple(m for m in self.modifiers if m not in qualifiers))


def nest_labels(entries: Mapping[K, tuple[str | None, str, frozenset[str]]],
                rank: Callable[[K], object] = str) -> dict[K, K]:
    """The one folding rule, in the article and across the corpus: each label to the most general label it nests in.

    An entry is (verb, head, words) with qualifiers already dropped; a label nests in another
    with the same verb (or none) and head whose words are a strict subset of its own. Among
    several, the one with the fewest words wins, then the lowest ``rank``. A label that nests
    in nothing maps to itself.

    >>> nest_labels({"eu sanction": (None, "sanction", frozenset({"eu", "sanction"})),
    ...              "sanction": (None, "sanction", frozenset({"sanction"}))})["eu sanction"]
    'sanction'
    """
    by_frame: dict[tuple[str | None, str], list[K]] = defaultdict(list)
    for key, (verb, head, _) in entries.items():
        by_frame[(verb, head)].append(key)
    nested: dict[K, K] = {}
    for key, (verb, head, words) in entries.items():
        below = [other for other in by_frame[(verb, head)] if other != key and entries[other][2] < words]
        nested[key] = min(below, key=lambda other: (len(entries[other][2]), rank(other))) if below else key
    return nested


def fold_labels(labels: Iterable[IssueLabel]) -> dict[IssueLabel, IssueLabel]:
    """Fold the issue labels of one article with :func:`nest_labels`: each label to the label it is reported under.

    A label that folds with another (either way), or that is the same as another once both
    drop their qualifiers ("new tariffs", "tariffs"), is reported without its qualifiers; a
    label nested with no other keeps its full form.

    >>> heavy, eu = IssueLabel(None, ("heavy",), "sanction"), IssueLabel(None, ("eu",), "sanction")
    >>> sorted(label.text for label in fold_labels([heavy, eu]).values())
    ['sanction', 'sanction']
    >>> new = IssueLabel(None, ("new",), "tariff")
    >>> fold_labels([new, IssueLabel(None, (), "tariff")])[new].text
    'tariff'
    >>> military = IssueLabel(None, ("military",), "aid")
    >>> fold_labels([military, IssueLabel(None, ("humanitarian",), "aid")])[military].text
    'military aid'
    """
    unique = sorted(set(labels), key=lambda label: (label.verb or "", label.modifiers, label.head))
    entries = {label: (label.verb, label.head, frozenset(label.general().modifiers)) for label in unique}
    nested = nest_labels(entries, rank=lambda label: label.general().modifiers)
    roots = {root for label, root in nested.items() if root != label}
    same = Counter(entries.values())
    return {label: replace(root, phrase="").general() if root != label or label in roots or same[entries[label]] > 1
            else label for label, root in nested.items()}


def label_word(token: Token) -> str:
    """A token as a label word: lemma for common words, lower case, no dots."""
    text = token.lemma_ if token.pos_ in {"NOUN", "VERB", "ADJ", "AUX"} else token.text
    return text.lower().replace(".", "").replace("’", "'")


def modifier_tokens(head: Token, deps: frozenset[str]) -> list[Token]:
    """The modifiers of a noun kept in its label, with their own noun compounds."""
    kept: list[Token] = []
    for child in head.lefts:
        if child.dep_ in deps and child.pos_ in MODIFIER_POS and child.tag_ not in {"JJS", "JJR"} \
                and child.lower_ not in lang.lines("issue_stop_words.txt"):
            kept.extend(modifier_tokens(child, frozenset({"compound"})))
            kept.append(child)
    return kept


def label_words(tokens: list[Token]) -> tuple[str, ...]:
    """Label words of tokens in text order; tokens joined by a hyphen make one word."""
    doc = tokens[0].doc
    positions = {token.i for token in tokens}
    words: list[str] = []
    glue = False
    for token in sorted(tokens, key=lambda t: t.i):
        word = label_word(token).strip("'\"‘“”")
        if glue and words:
            words[-1] = words[-1].rstrip("-") + "-" + word
        elif word:
            words.append(word)
        after = token.i + 1
        glue = word.endswith("-") or (after + 1 < len(doc) and doc[after].text == "-" and after + 1 in positions
                                      and not token.whitespace_)
    return tuple(words)


def gerund_of(noun: Token) -> Token | None:
    """A gerund parsed as a compound of its object ("withholding farm subsidies")."""
    return next((c for c in noun.lefts if c.dep_ == "compound" and c.tag_ == "VBG" and c.pos_ == "VERB"), None)


def is_generic(noun: Token) -> bool:
    """Whether a noun is too general to name an issue: no noun compound makes it specific."""
    return noun.lemma_.lower() in lang.lines("issue_generic_nouns.txt") and \
        not any(c.dep_ == "compound" and c.pos_ in {"NOUN", "PROPN"} for c in noun.lefts)


def change_word(token: Token) -> str | None:
    """The concept word of a change ("rise", "raising", "hike" -> "increase"), from ``issue_change_words.tsv``."""
    found = lang.table("issue_change_words.tsv").get(token.lemma_.lower()) or \
        lang.table("issue_change_words.tsv").get(token.lower_)
    return found[0] if found else None


def _changed(change: str, label: IssueLabel, tokens: list[Token]) -> tuple[IssueLabel, list[Token]]:
    """The label of a change of an issue: the issue's words, then the change ("congestion charge increase")."""
    words = tuple(w for w in (label.verb, *label.modifiers, label.head) if w)
    return IssueLabel(None, words, change), tokens


def _bare_noun_label(head: Token) -> tuple[IssueLabel, list[Token]] | None:
    """The label of a noun issue and the tokens it is read from.

    A change noun takes its object along: "the rise in the congestion charge" and "a
    congestion charge hike" are both "congestion charge increase".
    """
    if head.pos_ not in {"NOUN", "PROPN"} or head.ent_type_ in NOT_ISSUE_ENTITIES:
        return None  # "agreed on Wednesday": a date, a time or a number names no issue
    change = change_word(head)
    if change is not None:
        for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in {"in", "of", "to"}):
            argument = next((g for g in prep.children if g.dep_ == "pobj"), None)
            inner = _bare_noun_label(argument) if argument is not None else None
            if inner is not None and inner[0].head != change:
                return _changed(change, inner[0], [head, prep, *inner[1]])
    gerund = gerund_of(head)
    if gerund is not None:
        modifiers = [t for t in modifier_tokens(head, frozenset({"compound"})) if t.i != gerund.i]
        words = label_words([*modifiers, head])
        if (changing := change_word(gerund)) is not None:
            return IssueLabel(None, words, changing), [gerund, *modifiers, head]
        return IssueLabel(label_word(gerund), words[:-1], words[-1]), [gerund, *modifiers, head]
    if is_generic(head):
        return None
    modifiers = modifier_tokens(head, MODIFIER_DEPS)
    words = label_words([*modifiers, head])
    if not words or sum(ch.isalnum() for ch in words[-1]) < 2:
        return None
    return IssueLabel(None, words[:-1], change if change and modifiers else words[-1]), [*modifiers, head]


def _bare_verb_label(verb: Token) -> tuple[IssueLabel, list[Token]] | None:
    """The label of a verb issue ("withhold us support") and the tokens it is read from."""
    particles = [child for child in verb.children if child.dep_ == "prt"]
    name = " ".join(label_word(token) for token in [verb, *particles])
    target = next((child for child in verb.children if child.dep_ == "dobj"), None)
    if target is None or target.pos_ not in {"NOUN", "PROPN"} or is_generic(target) \
            or target.ent_type_ in NOT_ISSUE_ENTITIES:
        return None  # "refused to comment", "change things" name no issue
    modifiers = modifier_tokens(target, frozenset({"compound"}))
    words = label_words([*modifiers, target])
    if not particles and (change := change_word(verb)) is not None:  # "raising the charge": "charge increase"
        return IssueLabel(None, words, change), [verb, *modifiers, target]
    return IssueLabel(name, words[:-1], words[-1]), [verb, *particles, *modifiers, target]


def _with_phrase(labelled: tuple[IssueLabel, list[Token]] | None) -> tuple[IssueLabel, list[Token]] | None:
    """The label with the raw text it was read from, first to last token."""
    if labelled is None:
        return None
    label, tokens = labelled
    doc, first, last = tokens[0].doc, min(t.i for t in tokens), max(t.i for t in tokens)
    return replace(label, phrase=doc[first : last + 1].text), tokens


def noun_label(head: Token) -> tuple[IssueLabel, list[Token]] | None:
    """The label of a noun issue, with its raw phrase, and the tokens it is read from."""
    return _with_phrase(_bare_noun_label(head))


def verb_label(verb: Token) -> tuple[IssueLabel, list[Token]] | None:
    """The label of a verb issue, with its raw phrase, and the tokens it is read from."""
    return _with_phrase(_bare_verb_label(verb))
