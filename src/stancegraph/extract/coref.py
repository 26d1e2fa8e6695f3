"""Coreference: which actor a pronoun or a description stands for, chosen by a learned ranker.

Each anaphor (a third-person pronoun, or a description such as "the former president")
is scored against every actor named in the :data:`WINDOW_SENTENCES` sentences before it
(:data:`GENDERED_WINDOW_SENTENCES` for he and she) whose kind fits it (a "he" a person, an
"it" an organisation or a country, a "they" either or a group), and that passes the hard
constraints (gender; a description's role; binding: a "him" is not the subject of its own
verb). A candidate's features come from the parse: how far back its nearest name is in
sentences and in other actors, grammatical roles and their parallelism, gender, an
apposition, quotation marks, a paragraph break, how often and how early the actor is named,
and for a description whether the actor's known roles fit it. A logistic model
(``training/train_coref.py``, weights in ``models/coref/model.json``) turns the features
into a probability; the best candidate wins when it clears the model's threshold, otherwise
the anaphor stays unresolved.

Only names, titles and descriptions count as antecedents (not earlier pronouns), so a wrong
guess never propagates down a chain of pronouns.

Example
-------
>>> from stancegraph.nlp import load_pipeline
>>> from stancegraph.extract.actors import find_actors
>>> doc = load_pipeline()("Tomas Lindqvist thanked Anna Berg in Riga. He praised the port.")
>>> index = find_actors(doc)
>>> [(m.span.text, m.actor) for m in index.mentions if m.kind == "pronoun"]
[('He', 'tomas-lindqvist')]
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from spacy.attrs import DEP, IDX, IS_SPACE, LOWER
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from stancegraph import lang
from stancegraph.errors import ModelError
from stancegraph.extract.gazetteer import gazetteer
from stancegraph.extract.quotemarks import inside, quoted_regions
from stancegraph.names import is_name_word
from stancegraph.records import Role
from stancegraph.token_columns import doc_text, sentence_numbers, sentence_ranges

if TYPE_CHECKING:
    from stancegraph.extract.actors import ActorIndex, Mention
    from stancegraph.records import Actor

__all__ = [
    "FEATURES",
    "MODEL_DIR",
    "WINDOW_SENTENCES",
    "Anaphor",
    "Candidate",
    "Ranker",
    "candidates",
    "description_anaphor",
    "expand_holders",
    "is_pronoun",
    "load_ranker",
    "pronoun_anaphor",
    "resolve",
    "resolve_descriptions",
    "resolve_pronouns",
    "role_fits",
]

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "coref"
WINDOW_SENTENCES = 5
GENDERED_WINDOW_SENTENCES = 12
"""How far back a he/she looks: a person is often named once, then "he" for paragraphs."""
HEAD_DEPS = frozenset({"compound", "conj", "flat", "appos"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
OBJECT_DEPS = frozenset({"dobj", "pobj", "dative", "iobj"})
ANTECEDENT_KINDS = frozenset({"name", "title", "descriptor", "metonym", "demonym"})
FITS = {"m": {"person"}, "f": {"person"}, "n": {"organization", "country"}, "-": {"organization", "country", "group"}}

FEATURES = (
    "bias",
    "sentence_0", "sentence_1", "sentence_2", "sentence_3_plus", "sentence_6_plus",
    "between_0", "between_1", "between_2_plus",
    "candidate_subject", "anaphor_subject", "both_subject", "same_dependency",
    "subject_same_sentence", "subject_previous_sentence",
    "candidate_possessor", "candidate_object", "anaphor_possessive", "anaphor_object",
    "gender_match",
    "type_organization", "type_country", "type_group", "anaphor_plural", "anaphor_neuter",
    "candidate_in_quote", "anaphor_in_quote", "paragraph_between",
    "mentions_log", "first_actor", "candidate_apposition", "candidate_has_role",
    "candidate_first_in_sentence", "cataphora", "only_candidate", "only_candidate_gender_match",
    "descriptor", "role_fits", "role_country", "appositive",
    "evidence_match", "evidence_mismatch", "gender_guess_match", "gender_guess_mismatch", "gender_unknown", "untyped_name",
    "nearest_subject", "subject_mentions_log", "mentions_between_log", "tokens_log",
    "candidate_main_subject", "anaphor_main_subject", "anaphor_paragraph_start", "same_quote",
)
_INDEX = {name: i for i, name in enumerate(FEATURES)}


@dataclass(frozen=True)
class Anaphor:
    """A mention to resolve: tokens ``start``..``end``, its kind and what it allows."""

    start: int
    end: int
    kind: str  # pronoun or descriptor
    gender: str  # m, f, n (neuter) or - (either: plural)
    plural: bool
    role: Role | None = None


@dataclass(frozen=True)
class Candidate:
    """An actor an anaphor may stand for, with its feature vector (in :data:`FEATURES` order)."""

    actor: str
    features: np.ndarray


@functools.cache
def _pronouns() -> dict[str, tuple[str, str, str]]:
    """pronoun -> (gender, number, case)."""
    return {row[0]: (row[1], row[2], row[3]) for row in lang.rows("coref_pronouns.tsv")}


def is_pronoun(word: str) -> bool:
    """Whether a word (any case) is a third-person pronoun the ranker resolves."""
    return word.lower() in _pronouns()


def _pronoun_positions(doc: Doc) -> list[int]:
    """The tokens whose lower case is a pronoun of ``coref_pronouns.tsv``, found without building every token."""
    pronouns = {get_string_id(word) for word in _pronouns()}
    return [i for i, word in enumerate(doc.to_array(LOWER).tolist()) if word in pronouns]


def pronoun_anaphor(token: Token) -> Anaphor | None:
    """The anaphor a third-person pronoun token makes (None for any other token)."""
    entry = _pronouns().get(token.lower_)
    if entry is None or token.pos_ not in {"PRON", "DET"}:
        return None
    gender, number, _case = entry
    return Anaphor(token.i, token.i + 1, "pronoun", gender, number == "pl")


@dataclass
class _Document:
    """What the features read from a document, computed once per document."""

    doc: Doc
    sentence_of: list[int]
    paragraph_of: list[int]
    paragraph_first: list[int]  # each paragraph's first token
    quotes: list[tuple[int, int]]
    pronouns: list[int]  # tokens whose lower case is a pronoun of ``coref_pronouns.tsv``
    sentence_first: list[int]  # the first token of each token's sentence
    heads: dict[tuple[int, int], Token] = field(default_factory=dict)
    roots: dict[tuple[int, int], Token] = field(default_factory=dict)

    @classmethod
    def of(cls, doc: Doc) -> _Document:
        """Sentences numbered from 1 (a sentence of spaces only keeps the number before it);
        a line break in a token or the space after it ends its paragraph."""
        text = doc_text(doc)
        spaced = sentence_numbers(doc)
        counted = [False] * (spaced[-1] + 1 if spaced else 0)
        for i in np.flatnonzero(doc.to_array(IS_SPACE) == 0).tolist():
            counted[spaced[i]] = True
        numbers = list(itertools.accumulate(map(int, counted)))
        sentence_of = [numbers[number] for number in spaced]
        starts = doc.to_array(IDX).tolist()
        breaks = sorted({bisect.bisect_right(starts, match.start()) - 1 for match in re.finditer("\n", text)} - {-1})
        paragraph_of = [0] * len(doc)
        for paragraph, (after, until) in enumerate(itertools.pairwise([*breaks, len(doc) - 1]), start=1):
            paragraph_of[after + 1 : until + 1] = [paragraph] * (until - after)
        paragraph_first: list[int] = []
        for i, paragraph in enumerate(paragraph_of):
            if paragraph == len(paragraph_first):
                paragraph_first.append(i)
        sentence_first = [start for start, end in sentence_ranges(spaced) for _ in range(start, end)]
        return cls(doc, sentence_of, paragraph_of, paragraph_first, quoted_regions(text), _pronoun_positions(doc),
                   sentence_first)

    def root(self, start: int, end: int) -> Token:
        """The syntactic root of a mention's tokens, found once."""
        found = self.roots.get((start, end))
        if found is None:
            found = self.roots[(start, end)] = self.doc[start:end].root
        return found

    def head(self, start: int, end: int) -> Token:
        """The token whose role a mention plays (:func:`_head`), found once."""
        found = self.heads.get((start, end))
        if found is None:
            found = self.heads[(start, end)] = _head(self.root(start, end))
        return found


def _document(index: ActorIndex) -> _Document:
    cached = getattr(index, "_coref_document", None)
    if cached is None or cached.doc is not index.doc:
        cached = _Document.of(index.doc)
        index._coref_document = cached  # type: ignore[attr-defined]
    return cached


def _head(root: Token) -> Token:
    """The token whose role a mention with this root plays: the root, or the noun it is a part of
    ("Lind" in "the Lind government"), the first conjunct it joins or the noun it is in
    apposition to ("her father, Lind, ...")."""
    while root.dep_ in HEAD_DEPS and root.head.i != root.i:
        root = root.head
    return root


def role_fits(wanted: Role, known: Role) -> bool:
    """Whether a description's role can be a role the actor was given before."""
    if wanted.country and known.country and wanted.country != known.country:
        return False
    if wanted.office == known.office:
        return True
    return "leader" in {wanted.office, known.office} and "head" == known.office_class == wanted.office_class


def candidates(index: ActorIndex, anaphor: Anaphor, exclude: Iterable[str] = ()) -> list[Candidate]:
    """Every actor the anaphor may stand for, with its features, nearest first."""
    document = _document(index)
    doc = index.doc
    here = document.sentence_of[anaphor.start]
    window = GENDERED_WINDOW_SENTENCES if anaphor.kind == "pronoun" and anaphor.gender in {"m", "f"} else WINDOW_SENTENCES
    excluded = set(exclude)
    allowed = {"person"} if anaphor.kind == "descriptor" else FITS[anaphor.gender]
    types = {a.id: a for a in index.actors}
    first_actor = next((m.actor for m in index.mentions if m.kind in ANTECEDENT_KINDS), None)
    last: dict[str, Mention] = {}
    counts: dict[str, int] = {}
    cataphora: dict[str, Mention] = {}
    anaphor_head = document.head(anaphor.start, anaphor.end)
    gendered = anaphor.kind == "pronoun" and anaphor.gender in {"m", "f"}
    for mention in index.mentions:
        # where it stands first (the cheapest test): before the anaphor within the window, or
        # after it in its sentence (a pronoun only)
        earlier = mention.token_end <= anaphor.start
        if earlier:
            if here - document.sentence_of[mention.token_start] > window:
                continue
        elif anaphor.kind != "pronoun" or document.sentence_of[mention.token_start] != here \
                or mention.token_start <= anaphor.start or mention.actor in cataphora:
            continue
        actor = types.get(mention.actor)
        if mention.kind not in ANTECEDENT_KINDS or actor is None or mention.actor in excluded:
            continue
        if actor.type not in allowed and not (gendered and _untyped_name(actor)):
            continue
        if not _compatible(index, anaphor, anaphor_head, actor, mention):
            continue
        if earlier:
            last[mention.actor] = mention
            counts[mention.actor] = counts.get(mention.actor, 0) + 1
        else:
            cataphora[mention.actor] = mention
    for actor_id, mention in cataphora.items():
        if actor_id not in last:
            last[actor_id] = mention
            counts[actor_id] = 0
    if anaphor.kind == "pronoun":  # binding: "Veldt thanked him" is never Veldt
        for token in _binders(doc, anaphor_head):
            last.pop(_actor_at(index, token) or "", None)
    order = sorted(last, key=lambda a: -last[a].token_start)
    quote_of_anaphor = inside(document.quotes, doc[anaphor.start].idx)
    before = [m for m in index.mentions if m.kind in ANTECEDENT_KINDS and m.token_end <= anaphor.start]
    before_starts = [m.token_start for m in before]
    antecedent_starts = sorted(m.token_start for m in index.mentions if m.kind in ANTECEDENT_KINDS)
    evidence = _gender_evidence(index) if gendered else {}
    subjects: dict[str, int] = {}
    nearest_subject = None
    for m in before:
        if m.actor in last and document.head(m.token_start, m.token_end).dep_ in SUBJECT_DEPS:
            subjects[m.actor] = subjects.get(m.actor, 0) + 1
            nearest_subject = m.actor
    paragraph_start = document.sentence_of[anaphor.start] == document.sentence_of[
        document.paragraph_first[document.paragraph_of[anaphor.start]]]
    found = []
    for rank, actor_id in enumerate(order):
        mention = last[actor_id]
        actor = types[actor_id]
        features = np.zeros(len(FEATURES), dtype=np.float32)

        def put(name: str, value: float = 1.0, features: np.ndarray = features) -> None:
            features[_INDEX[name]] = value

        put("bias")
        start, end = mention.token_start, mention.token_end
        behind = start >= anaphor.end
        distance = here - document.sentence_of[start]
        put(("sentence_0", "sentence_1", "sentence_2", "sentence_3_plus")[min(max(distance, 0), 3)])
        put("sentence_6_plus", distance > WINDOW_SENTENCES)
        between = len({a for a in order[:rank] if last[a].token_start > start})
        put(("between_0", "between_1", "between_2_plus")[min(between, 2)])
        head = document.head(start, end)
        candidate_subject = head.dep_ in SUBJECT_DEPS
        anaphor_subject = anaphor_head.dep_ in SUBJECT_DEPS
        put("candidate_subject", candidate_subject)
        put("anaphor_subject", anaphor_subject)
        put("both_subject", candidate_subject and anaphor_subject)
        put("same_dependency", head.dep_ == anaphor_head.dep_)
        put("subject_same_sentence", candidate_subject and distance == 0)
        put("subject_previous_sentence", candidate_subject and distance == 1)
        put("candidate_possessor", head.dep_ == "poss")
        put("candidate_object", head.dep_ in OBJECT_DEPS)
        put("anaphor_possessive", anaphor_head.dep_ == "poss" or anaphor_head.tag_ == "PRP$")
        put("anaphor_object", anaphor_head.dep_ in OBJECT_DEPS)
        gender = index.genders.get(actor_id)
        put("gender_match", anaphor.gender in {"m", "f"} and gender == anaphor.gender)
        put("type_organization", actor.type == "organization")
        put("type_country", actor.type == "country")
        put("type_group", actor.type == "group")
        put("anaphor_plural", anaphor.plural)
        put("anaphor_neuter", anaphor.gender == "n")
        candidate_quote = inside(document.quotes, doc[start].idx)
        put("candidate_in_quote", candidate_quote is not None)
        put("anaphor_in_quote", quote_of_anaphor is not None)
        put("paragraph_between", document.paragraph_of[start] != document.paragraph_of[anaphor.start])
        put("mentions_log", math.log1p(counts[actor_id]))
        put("first_actor", actor_id == first_actor)
        put("candidate_apposition", head.dep_ == "appos" or any(c.dep_ == "appos" for c in head.children))
        put("candidate_has_role", bool(actor.roles))
        put("candidate_first_in_sentence",  # no antecedent mention starts between its sentence's start and it
            bisect.bisect_left(antecedent_starts, document.sentence_first[start])
            == bisect.bisect_left(antecedent_starts, start))
        put("cataphora", behind)
        put("only_candidate", len(order) == 1)
        put("only_candidate_gender_match", len(order) == 1 and features[_INDEX["gender_match"]] == 1.0)
        if anaphor.kind == "descriptor" and anaphor.role is not None:
            put("descriptor")
            put("role_fits", any(role_fits(anaphor.role, known) for known in actor.roles))
            put("role_country", anaphor.role.country is not None and anaphor.role.country == actor.country)
        put("appositive", _appositive(document, anaphor_head, start, end))
        votes = evidence.get(actor_id, {})
        mine = sum(i != anaphor.start for i in votes.get(anaphor.gender, ()))
        theirs = sum(len(v) for g, v in votes.items() if g != anaphor.gender)
        put("evidence_match", gendered and mine > theirs)
        put("evidence_mismatch", gendered and theirs > mine)
        guess = _name_gender(actor) if gender is None else None
        put("gender_guess_match", anaphor.gender in {"m", "f"} and guess == anaphor.gender)
        put("gender_guess_mismatch", anaphor.gender in {"m", "f"} and guess is not None and guess != anaphor.gender)
        put("gender_unknown", anaphor.gender in {"m", "f"} and gender is None and guess is None)
        put("untyped_name", actor.type not in allowed)
        put("nearest_subject", actor_id == nearest_subject)
        put("subject_mentions_log", math.log1p(subjects.get(actor_id, 0)))
        put("mentions_between_log", 0.0 if behind else math.log1p(len(before) - bisect.bisect_right(before_starts, start)))
        put("tokens_log", math.log1p(abs(anaphor.start - start)) / 5)
        put("candidate_main_subject", candidate_subject and head.head.dep_ == "ROOT")
        put("anaphor_main_subject", anaphor_subject and anaphor_head.head.dep_ == "ROOT")
        put("anaphor_paragraph_start", paragraph_start)
        put("same_quote", quote_of_anaphor is not None and candidate_quote == quote_of_anaphor)
        found.append(Candidate(actor_id, features))
    return found


def _gender_evidence(index: ActorIndex) -> dict[str, dict[str, list[int]]]:
    """Which he/she tokens speak for each actor's gender: a he or she (outside quotation marks)
    whose sentence and the one before name one person only who may have its gender ("Hadid was born in Baghdad. Her
    father ...": Hadid is a woman). Actor -> gender -> pronoun tokens; computed once a document."""
    cached = getattr(index, "_coref_evidence", None)
    if cached is not None and cached[0] is index.doc:
        return cached[1]
    document = _document(index)
    types = {a.id: a for a in index.actors}
    people = [m for m in index.mentions if m.kind in ANTECEDENT_KINDS and (actor := types.get(m.actor)) is not None
              and (actor.type == "person" or _untyped_name(actor))]
    evidence: dict[str, dict[str, list[int]]] = {}
    for i in document.pronouns:
        token = index.doc[i]
        entry = _pronouns().get(token.lower_)
        if entry is None or entry[0] not in {"m", "f"} or token.pos_ not in {"PRON", "DET"} \
                or inside(document.quotes, token.idx):
            continue
        here = document.sentence_of[token.i]
        named = {m.actor for m in people if m.token_end <= token.i and here - document.sentence_of[m.token_start] <= 1
                 and index.genders.get(m.actor) in {None, entry[0]}}
        if len(named) == 1:
            evidence.setdefault(named.pop(), {}).setdefault(entry[0], []).append(token.i)
    index._coref_evidence = (index.doc, evidence)  # type: ignore[attr-defined]
    return evidence


def _untyped_name(actor: Actor) -> bool:
    """Whether an organisation may be a person NER mistyped: one capitalised word (not an
    acronym) that neither the gazetteer nor the organisation head words know ("Sharapova",
    "Dahl" read as organisations). He and she rank such actors with the people."""
    return actor.type == "organization" and _untyped_word(actor.name)


@functools.cache
def _untyped_word(name: str) -> bool:
    if not is_name_word(name):
        return False
    gaz = gazetteer()
    return gaz.lookup(name) is None and gaz.organization(name) is None and \
        name.lower() not in lang.lines("organization_heads.txt")


def _name_gender(actor: Actor) -> str | None:
    """The gender a one-word name has as a given name ("Tammy"): a guess, as it may be a surname."""
    from stancegraph.extract.actors import first_name_genders

    return first_name_genders().get(actor.name.lower()) if " " not in actor.name else None


def _compatible(index: ActorIndex, anaphor: Anaphor, anaphor_head: Token, actor: Actor, mention: Mention) -> bool:
    """The hard constraints: a gendered anaphor never names an actor of the other gender, and a
    description names only a person whose roles fit it (or, with no role known, whose country
    it gives for a head of state or government) or whom it stands in apposition to."""
    gender = index.genders.get(actor.id)
    if anaphor.gender in {"m", "f"} and gender is not None and gender != anaphor.gender:
        return False
    role = anaphor.role
    if anaphor.kind != "descriptor" or role is None:
        return True
    if _appositive(_document(index), anaphor_head, mention.token_start, mention.token_end):
        return True
    if any(role_fits(role, known) for known in actor.roles):
        return True
    return not actor.roles and role.country is not None and actor.country == role.country and role.office_class == "head"


def _appositive(document: _Document, anaphor: Token, start: int, end: int) -> bool:
    """Whether the anaphor and the candidate's mention stand in apposition ("Lind, the chancellor")."""
    if anaphor.dep_ == "appos" and start <= anaphor.head.i < end:
        return True
    root = document.root(start, end)
    return root.dep_ == "appos" and root.head.i == anaphor.i


def _actor_at(index: ActorIndex, token: Token) -> str | None:
    mention = index.mention_at(token.i)
    return mention.actor if mention is not None else None


def _binders(doc: Doc, pronoun: Token) -> set[Token]:
    """The subjects a non-reflexive object pronoun cannot corefer with ("Lind praised him"),
    also the understood subject of a verb without its own ("Lind left, thanking him")."""
    if pronoun.dep_ not in OBJECT_DEPS or pronoun.lower_.endswith(("self", "selves")):
        return set()
    verb = pronoun.head.head if pronoun.dep_ == "pobj" else pronoun.head
    subjects = {child for child in verb.children if child.dep_ in SUBJECT_DEPS}
    if not subjects and verb.dep_ in {"xcomp", "advcl"} and verb.tag_ in {"VB", "VBG"}:
        subjects = {child for child in verb.head.children if child.dep_ in SUBJECT_DEPS}
    return subjects


class Ranker:
    """The shipped logistic ranker: weights over :data:`FEATURES` and two decision thresholds,
    one for he/she (``gendered``) and one for it/they, chosen apart on the choose data."""

    def __init__(self, weights: Sequence[float], threshold: float, gendered: float | None = None,
                 features: Sequence[str] = FEATURES) -> None:
        if tuple(features) != FEATURES:
            raise ModelError("E521", path=str(MODEL_DIR), detail="its features differ from this version's")
        self.weights = np.asarray(weights, dtype=np.float32)
        self.threshold = threshold
        self.gendered = threshold if gendered is None else gendered

    @classmethod
    def load(cls, model_dir: Path = MODEL_DIR) -> Ranker:
        path = model_dir / "model.json"
        if not path.is_file():
            raise ModelError("E520", path=str(path))
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(data["weights"], float(data["threshold"]), float(data["gendered_threshold"]), data["features"])
        except (ValueError, KeyError, TypeError) as error:
            raise ModelError("E521", path=str(path), detail=str(error)) from error

    def scores(self, found: Sequence[Candidate]) -> list[float]:
        """Each candidate's probability of being the anaphor's antecedent."""
        if not found:
            return []
        logits = np.stack([c.features for c in found]) @ self.weights
        return [float(p) for p in 1.0 / (1.0 + np.exp(-logits))]

    def choose(self, found: Sequence[Candidate], gendered: bool = False) -> tuple[str | None, float]:
        """The best candidate and its probability, or None when none clears the threshold."""
        scores = self.scores(found)
        if not scores:
            return None, 0.0
        best = int(np.argmax(scores))
        threshold = self.gendered if gendered else self.threshold
        return (found[best].actor if scores[best] >= threshold else None), scores[best]


@functools.cache
def load_ranker() -> Ranker:
    """The shared ranker of this process (loaded on first use)."""
    return Ranker.load()


def resolve(index: ActorIndex, anaphor: Anaphor, exclude: Iterable[str] = ()) -> str | None:
    """The actor an anaphor stands for, or None.

    A pronoun needs its best candidate to clear the model's threshold (many pronouns name no
    actor); a description's candidates have passed its role constraint already, so the best
    of them wins.
    """
    ranker = load_ranker()
    found = candidates(index, anaphor, exclude)
    if anaphor.kind == "descriptor":
        found = _same_tense_first(index, anaphor, found)
        scores = ranker.scores(found)
        return found[int(np.argmax(scores))].actor if found else None
    return ranker.choose(found, anaphor.gender in {"m", "f"})[0]


def _same_tense_first(index: ActorIndex, anaphor: Anaphor, found: list[Candidate]) -> list[Candidate]:
    """The candidates of a description that states a tense ("the former president") that the
    article gave a fitting role in that tense before, when there are any; else all of them.

    "Kettunen praised Behrend, while the former chancellor ..." is Behrend when the article called
    Behrend the former chancellor before and Kettunen only the chancellor, however near Kettunen is.
    """
    role = anaphor.role
    if role is None or role.tense is None:
        return found
    same = [c for c in found if (actor := index.get(c.actor)) is not None
            and any(known.tense == role.tense and role_fits(role, known) for known in actor.roles)]
    return same or found


def description_anaphor(start: int, end: int, role: Role) -> Anaphor:
    """The anaphor a description makes ("the former chancellor"): a person, of its title's gender."""
    gender = _title_genders().get(role.office, "-")
    return Anaphor(start, end, "descriptor", gender if gender in {"m", "f"} else "-", False, role)


@functools.cache
def _title_genders() -> dict[str, str]:
    return {row[0]: row[2] for row in lang.rows("titles.tsv")}


def resolve_descriptions(index: ActorIndex) -> None:
    """Rank the candidates of every description the actor step found, in text order; a
    resolved one becomes a mention and gives its actor the role it states."""
    for start, end, role in index.descriptions:
        actor_id = resolve(index, description_anaphor(start, end, role))
        actor = index.get(actor_id)
        if actor is None:
            continue
        index.add_mention(start, end, actor.id, "descriptor", role)
        if role not in actor.roles:
            actor.roles.append(role)
            actor.roles.sort(key=lambda r: r.span.start)


def resolve_pronouns(index: ActorIndex, skip: set[int]) -> None:
    """Resolve every third-person pronoun outside quotation marks (and not in ``skip``) into a
    mention, in text order (so that binding sees the actors of the pronouns before it)."""
    document = _document(index)
    for i in document.pronouns:
        if i in skip or i in index._by_token:
            continue
        token = index.doc[i]
        if inside(document.quotes, token.idx):
            continue
        anaphor = pronoun_anaphor(token)
        if anaphor is None or (anaphor.plural and resolve_group(index, token.i, token.i + 1)):
            continue  # a "they" after "A and B" is left to the steps that ask for its members
        actor = resolve(index, anaphor)
        if actor is not None:
            index.add_mention(anaphor.start, anaphor.end, actor, "pronoun")


# --------------------------------------------------------------------------------------
# groups: "both leaders", "the two men", "they" after "Lind and Berg"

GROUP_WINDOW_SENTENCES = 12
"""How far back a group noun phrase ("both leaders") looks for the coordination it names."""
PRONOUN_GROUP_WINDOW_SENTENCES = 2
"""How far back a plural pronoun ("they") looks for a coordination of actors."""
GROUP_TYPES = frozenset({"person", "organization", "country"})


@functools.cache
def _group_words() -> dict[str, int]:
    return {row[0]: int(row[1]) for row in lang.rows("coref_group_words.tsv")}


def group_phrase(doc: Doc, start: int, end: int) -> tuple[bool, int | None]:
    """Whether tokens ``start``..``end`` name a group, and how many members it says it has.

    A plural pronoun names a group of any size, and so does a plural noun that can stand for
    actors ("leaders", "men", "sides", an office of ``titles.tsv``); a count before it
    ("both", "two") gives the size.
    """
    root = doc[start:end].root
    if _pronouns().get(root.lower_, ("", ""))[1] == "pl":
        return True, None
    if root.tag_ not in {"NNS", "NNPS"}:
        return False, None
    lemma = root.lemma_.lower()
    if lemma not in lang.lines("stance_plural_holders.txt") and lemma not in _offices():
        return False, None
    counts = [_group_words()[t.lower_] for t in doc[start:end] if t.lower_ in _group_words()]
    return True, (counts[0] if counts else None)


@functools.cache
def _offices() -> frozenset[str]:
    return frozenset(row[0] for row in lang.rows("titles.tsv") if " " not in row[0])


def coordinations(index: ActorIndex) -> list[tuple[int, tuple[str, ...]]]:
    """Every coordination of two or more actors ("A, B and C"): its last token, its actors."""
    found = []
    types = {a.id: a.type for a in index.actors}
    conj = index.doc.vocab.strings["conj"]
    for i in (index.doc.to_array(DEP) == conj).nonzero()[0].tolist():  # without building every token
        token = index.doc[i]
        if any(c.dep_ == "conj" for c in token.children):
            continue
        first = token
        while first.dep_ == "conj" and first.head.i != first.i:
            first = first.head
        members: list[str] = []
        for member in [first, *[t for t in first.conjuncts if t.i > first.i]]:
            mention = index.mention_at(member.i)
            if mention is None or types.get(mention.actor) not in GROUP_TYPES:
                members = []
                break
            if mention.actor not in members:
                members.append(mention.actor)
        if len(members) >= 2:
            found.append((token.i, tuple(members)))
    return found


def resolve_group(index: ActorIndex, start: int, end: int) -> list[str]:
    """The members of the group tokens ``start``..``end`` name: the nearest coordination of
    actors before it (of the size it gives, if it gives one); for a noun phrase, else the
    group last named; or nothing."""
    is_group, size = group_phrase(index.doc, start, end)
    if not is_group:
        return []
    document = _document(index)
    pronoun = index.doc[start:end].root.pos_ == "PRON"
    window = PRONOUN_GROUP_WINDOW_SENTENCES if pronoun else GROUP_WINDOW_SENTENCES
    here = document.sentence_of[start]
    for last, members in reversed(coordinations(index)):
        if last >= start or here - document.sentence_of[last] > window:
            continue
        if size is None or size == len(members):
            return list(members)
    if not pronoun:  # a group named before stays at hand ("both leaders" a page later)
        for actor in reversed(index.actors):
            if actor.members and (size is None or size == len(actor.members)):
                return list(actor.members)
    return []



def expand_holders(actor_id: str | None, actors: Iterable[Actor]) -> list[str]:
    """The actors a quote's or a stance's holder counts for: a group's members, else itself.

    Relations, networks and the store count a group's quote or stance once for each member
    (``Quote.actors`` and ``Stance.actors`` already hold this list for new analyses; this
    serves code that has only an actor id and the article's actors)."""
    if actor_id is None:
        return []
    actor = next((a for a in actors if a.id == actor_id), None)
    return list(actor.members) if actor is not None and actor.members else [actor_id]
