"""Concepts: the issue labels of a corpus folded together, under a list the user can edit.

Stance extraction names each issue with a short lemmatised label ("eu sanction", "withhold us
support"), folded within its own article. Across a corpus the same concept comes under many
labels, and DNA networks need one node per concept. Labels fold in four steps, each more
cautious than the last:

1. **The user's concept list.** A label whose key (below) is the key of a user concept's
   label or of one of its aliases belongs to that concept, whatever the other steps say.
   The list lives in the store (``concepts`` and ``concept_aliases`` tables) and is edited
   with ``stancegraph concepts``; it is the only step that also applies to actor targets
   (a user concept "Russia" may take the label "Vladimir Putin").
2. **Same key.** The key of a label is its words in lower case, plural nouns made singular
   and verbs lemmatised, without punctuation, determiners and qualifiers
   (``lang/issue_qualifiers.txt``: "heavy", "new", "further"), so "Heavy sanctions", "the
   sanctions" and "sanction" are one concept.
3. **Nesting.** A label folds into the most general label of the corpus with the same verb
   (or none) and head and a subset of its words: "eu sanction" and "sanction on russia" fold
   into "sanction", by the one rule stance extraction also uses within an article
   (:func:`stancegraph.extract.issues.nest_labels`). A verb label ("withhold us support")
   never nests in a noun label or under another verb, because the verb changes what is meant.
4. **Sentence embeddings.** What is left folds by average-linkage clustering of
   all-MiniLM-L6-v2 embeddings (the shipped ONNX export, :mod:`.embeddings`) at cosine similarity
   :data:`DEFAULT_SIMILARITY`, with two guards: two user concepts never fold together, and
   neither do verb labels with different verbs (their embeddings hardly tell "end war" from
   "continue war").

A concept is named by its user label, or else by the most frequent label of its most used
general label (nested labels counting for the label they nest in). Label analyses
(key, head, verb) and embeddings are cached in the store's ``concept_label_cache`` table when
the store is writable, so only new labels ever load spaCy or the embedding model.

The concept tables come with the store's schema (migration ``0003_concepts.sql``, made by
:func:`stancegraph.store.open_store`). A store opened read-only where it could not be
upgraded may lack them: it reads as having no user list and an empty cache.

Example
-------
>>> folding = fold_concepts(
...     {"sanction": 3, "eu sanction": 1, "heavy sanction": 2, "withhold us support": 1},
...     infos=analyse_labels(["sanction", "eu sanction", "heavy sanction", "withhold us support"]),
... )
>>> folding.concept_of["eu sanction"], folding.concept_of["heavy sanction"]
('sanction', 'sanction')
>>> folding.concept_of["withhold us support"]
'withhold us support'
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from stancegraph import lang
from stancegraph.errors import NetworkError
from stancegraph.networks.embeddings import EMBEDDING_MODEL, Embedder, load_embedder
from stancegraph.store.concepts import cache_label_rows, cached_label_rows, concept_rows, replace_concepts

__all__ = [
    "DEFAULT_SIMILARITY",
    "EMBEDDING_MODEL",
    "ConceptFolding",
    "Embedder",
    "LabelInfo",
    "UserConcept",
    "add_concept",
    "analyse_labels",
    "assign_concepts",
    "corpus_folding",
    "fold_concepts",
    "load_embedder",
    "merge_concepts",
    "normalise",
    "read_concept_file",
    "read_user_concepts",
    "remove_concept",
    "rename_concept",
    "singular",
    "write_concept_file",
    "write_user_concepts",
]

DEFAULT_SIMILARITY = 0.85
"""Cosine similarity at which two label clusters fold (average linkage)."""

_VERB_TAGS = frozenset({"VB", "VBP", "VBZ", "VBD", "VBG"})
_SKIPPED_TAGS = frozenset({"DT", "PDT", "POS", "WDT"})
_PREPOSITION_TAGS = frozenset({"IN", "TO"})
_PLURAL_TAGS = frozenset({"NNS", "NNPS"})
_BLOCK = 1024


# --------------------------------------------------------------------------------------
# labels


def normalise(text: str) -> str:
    """A label as plain lower-case words: NFKC, curly quotes, dots and punctuation removed.

    >>> normalise("  The U.S.  “Support”! ")
    'the us support'
    """
    text = unicodedata.normalize("NFKC", text).casefold().replace("’", "'").replace(".", "")
    text = re.sub(r"'s\b", "", text)
    return " ".join(re.sub(r"[^\w\s-]", " ", text).split())


@dataclass(frozen=True)
class LabelInfo:
    """What folding needs to know about a label: its key, words, head and leading verb."""

    label: str
    key: str
    words: tuple[str, ...]
    head: str
    verb: str | None = None

    def to_json(self) -> str:
        return json.dumps({"key": self.key, "words": list(self.words), "head": self.head, "verb": self.verb})

    @classmethod
    def from_json(cls, label: str, text: str) -> LabelInfo:
        data = json.loads(text)
        return cls(label, data["key"], tuple(data["words"]), data["head"], data["verb"])


def singular(word: str) -> str:
    """A plural noun's singular by English spelling rules (spaCy's lemmatizer turns "taxes" into "taxis").

    >>> [singular(w) for w in ("sanctions", "taxes", "policies", "crisis", "gas")]
    ['sanction', 'tax', 'policy', 'crisis', 'gas']
    """
    if len(word) <= 3 or not word.endswith("s") or word.endswith(("ss", "us", "is", "ics")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("xes", "ches", "shes", "sses", "zes")):
        return word[:-2]
    return word[:-1]


def _word(token: Any) -> str:
    """A token as a key word: plural nouns made singular, verbs lemmatised, the rest lower case."""
    if token.tag_ in _PLURAL_TAGS:
        return singular(normalise(token.text))
    if token.pos_ in ("VERB", "AUX"):
        return normalise(token.lemma_) or token.lower_
    return normalise(token.text) or token.lower_


def analyse_labels(labels: Iterable[str], nlp: Any = None) -> dict[str, LabelInfo]:
    """The :class:`LabelInfo` of each label, from spaCy's tagger and lemmatizer.

    ``nlp`` defaults to the shared pipeline (:func:`stancegraph.nlp.load_pipeline`).

    >>> info = analyse_labels(["Heavy sanctions on Russia"])["Heavy sanctions on Russia"]
    >>> info.key, info.head, info.verb
    ('sanction on russia', 'sanction', None)
    """
    unique = sorted(set(labels))
    if not unique:
        return {}
    if nlp is None:
        from stancegraph.nlp import load_pipeline

        nlp = load_pipeline()
    qualifiers = lang.lines("issue_qualifiers.txt")
    texts = [normalise(label) or label for label in unique]
    disabled = [name for name in nlp.pipe_names if name not in {"tok2vec", "tagger", "attribute_ruler", "lemmatizer"}]
    infos = {}
    with nlp.select_pipes(disable=disabled):
        for label, doc in zip(unique, nlp.pipe(texts)):
            kept = [t for t in doc if not t.is_punct and not t.is_space and t.tag_ not in _SKIPPED_TAGS
                    and t.lower_ not in qualifiers]
            words = tuple(_word(t) for t in kept) or (normalise(label),)
            preposition = next((i for i, t in enumerate(kept) if t.tag_ in _PREPOSITION_TAGS and i > 0), len(kept))
            head = words[max(preposition - 1, 0)] if kept else words[-1]
            verb = words[0] if kept and kept[0].tag_ in _VERB_TAGS and len(kept) > 1 else None
            infos[label] = LabelInfo(label, " ".join(words), words, head, verb)
    return infos


# --------------------------------------------------------------------------------------
# folding


@dataclass(frozen=True)
class UserConcept:
    """A concept of the user's list: its label and the labels that belong to it."""

    label: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


@dataclass
class ConceptFolding:
    """The concept of every label, and why.

    ``concept_of`` maps each label to its concept; ``reason`` says which step put it there
    ("user", "key", "nested", "embedding" or "own"); ``user`` holds the user concept labels.
    """

    concept_of: dict[str, str] = field(default_factory=dict)
    reason: dict[str, str] = field(default_factory=dict)
    user: set[str] = field(default_factory=set)

    def members(self, concept: str) -> list[str]:
        """The labels folded into ``concept``, sorted."""
        return sorted(label for label, c in self.concept_of.items() if c == concept)

    def concepts(self) -> list[str]:
        return sorted(set(self.concept_of.values()) | self.user)

    def find(self, name: str) -> str | None:
        """The concept called ``name`` (case-blind), or the concept of the label ``name``."""
        wanted = normalise(name)
        for concept in self.concepts():
            if normalise(concept) == wanted:
                return concept
        for label, concept in sorted(self.concept_of.items()):
            if normalise(label) == wanted:
                return concept
        return None


class _Clusters:
    """Union-find over label groups, keeping what the embedding step's guards need."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.vector_sum: dict[str, np.ndarray] = {}
        self.size: dict[str, int] = {}
        self.verbs: dict[str, frozenset[str]] = {}
        self.user: dict[str, str | None] = {}

    def add(self, name: str, vectors: np.ndarray, verbs: frozenset[str], user: str | None) -> None:
        self.parent[name] = name
        self.vector_sum[name] = vectors.sum(axis=0)
        self.size[name] = len(vectors)
        self.verbs[name] = verbs
        self.user[name] = user

    def root(self, name: str) -> str:
        while self.parent[name] != name:
            self.parent[name] = self.parent[self.parent[name]]
            name = self.parent[name]
        return name

    def try_merge(self, a: str, b: str, threshold: float) -> bool:
        a, b = self.root(a), self.root(b)
        if a == b:
            return False
        if self.user[a] and self.user[b]:
            return False
        if self.verbs[a] and self.verbs[b] and self.verbs[a] != self.verbs[b]:
            return False
        average = float(self.vector_sum[a] @ self.vector_sum[b]) / (self.size[a] * self.size[b])
        if average < threshold:
            return False
        keep, gone = (a, b) if self.user[a] or (not self.user[b] and self.size[a] >= self.size[b]) else (b, a)
        self.parent[gone] = keep
        self.vector_sum[keep] = self.vector_sum[keep] + self.vector_sum[gone]
        self.size[keep] += self.size[gone]
        self.verbs[keep] = self.verbs[keep] | self.verbs[gone]
        self.user[keep] = self.user[keep] or self.user[gone]
        return True


def _candidate_pairs(names: list[str], vectors: np.ndarray, threshold: float) -> list[tuple[float, str, str]]:
    """Pairs of rows at or above ``threshold`` cosine similarity, most similar first."""
    pairs = []
    for start in range(0, len(names), _BLOCK):
        block = vectors[start : start + _BLOCK] @ vectors.T
        rows, cols = np.nonzero(block >= threshold)
        for row, col in zip(rows, cols):
            i = start + int(row)
            if i < col:
                pairs.append((float(block[row, col]), names[i], names[int(col)]))
    return sorted(pairs, key=lambda pair: (-pair[0], pair[1], pair[2]))


def _representative(labels: Iterable[str], counts: Mapping[str, int]) -> str:
    return min(labels, key=lambda label: (-counts.get(label, 0), len(label.split()), label))


def _main_root(nesting_roots: list[str], roots: Mapping[str, list[str]], groups: Mapping[str, list[str]],
               counts: Mapping[str, int]) -> str:
    """The nesting root that names a cluster: the one with the most statements.

    Nested labels count for the label they nest in, so "military aid" and "humanitarian
    aid" folded into "aid" make the concept "aid", however often each is used.
    """
    def total(root: str) -> int:
        return sum(counts.get(label, 0) for key in roots[root] for label in groups.get(key, ()))

    return min(nesting_roots, key=lambda root: (-total(root), len(root.split()), root))


def _nesting_roots(groups: Mapping[str, list[str]], group_infos: Mapping[str, LabelInfo],
                   group_counts: Mapping[str, int], user: Sequence[UserConcept], infos: Mapping[str, LabelInfo],
                   user_of_key: Mapping[str, str]) -> dict[str, list[str]]:
    """Step 3: each key group under the most general label (or user name) it nests in.

    The rule is the article's own (:func:`stancegraph.extract.issues.nest_labels`): same verb
    (or none) and head, words a strict subset. Returns root -> the keys under it; a root is a
    key, or ``"user:<label>"`` for a key that nests in a user concept's name.
    """
    entries: dict[str, tuple[str | None, str, frozenset[str]]] = {
        key: (info.verb, info.head, frozenset(info.words)) for key, info in group_infos.items()
    }
    user_entries: dict[str, str] = {}  # entry name -> the user concept it stands for
    for concept in user:
        for name in concept.names:
            info = infos.get(name)
            if info is not None:
                user_entries[f"user:{info.key}"] = concept.label
                entries[f"user:{info.key}"] = (info.verb, info.head, frozenset(info.words))
    from stancegraph.extract.issues import nest_labels  # imports spaCy: only when folding

    nested = nest_labels(entries, rank=lambda key: (-group_counts.get(key, 0), key))
    roots: dict[str, list[str]] = defaultdict(list)
    for key in groups:
        root = nested[key]
        roots[f"user:{user_entries[root]}" if root in user_entries else root].append(key)
    return roots


def _cluster_by_embedding(clusters: _Clusters, roots: Mapping[str, list[str]], groups: Mapping[str, list[str]],
                          user: Sequence[UserConcept], infos: Mapping[str, LabelInfo],
                          embeddings: Mapping[str, np.ndarray], similarity: float) -> None:
    """Step 4: average-linkage clustering of the nesting roots and the user concepts."""
    members: list[tuple[str, list[str], str | None]] = [
        (root, [label for key in keys for label in groups[key]], None)
        for root, keys in sorted(roots.items()) if not root.startswith("user:")
    ]
    members += [(f"user:{c.label}", [n for n in c.names if n in embeddings], c.label) for c in user]
    names, means = [], []
    for name, labels, user_label in members:
        if not labels:
            continue
        vectors = np.stack([embeddings[label] for label in labels])
        verbs = frozenset(verb for label in labels if label in infos and (verb := infos[label].verb))
        clusters.add(name, vectors, verbs, user_label)
        mean = vectors.mean(axis=0)
        names.append(name)
        means.append(mean / (np.linalg.norm(mean) or 1.0))
    if names:
        for _, a, b in _candidate_pairs(names, np.stack(means), similarity):
            clusters.try_merge(a, b, similarity)


def fold_concepts(
    counts: Mapping[str, int],
    *,
    infos: Mapping[str, LabelInfo],
    user: Sequence[UserConcept] = (),
    embeddings: Mapping[str, np.ndarray] | None = None,
    similarity: float = DEFAULT_SIMILARITY,
    actor_labels: Iterable[str] = (),
) -> ConceptFolding:
    """Fold issue labels into concepts (the four steps of the module docstring).

    ``counts`` gives the number of statements of each issue label; ``infos`` the analysis of
    every label and user concept name (:func:`analyse_labels`); ``embeddings`` a unit vector
    per label and user concept name, or None to skip the embedding step. ``actor_labels``
    (names of actor targets) only fold into user concepts.
    """
    folding = ConceptFolding(user={concept.label for concept in user})
    user_of_key: dict[str, str] = {}
    for concept in user:
        for name in concept.names:
            key = infos[name].key if name in infos else normalise(name)
            user_of_key.setdefault(key, concept.label)
    for label in actor_labels:
        user_label = user_of_key.get(normalise(label)) or user_of_key.get(infos[label].key if label in infos else "")
        folding.concept_of[label] = user_label or label
        folding.reason[label] = "user" if user_label else "own"

    # steps 1 and 2: user keys, then same keys
    groups: dict[str, list[str]] = defaultdict(list)
    for label in sorted(counts):
        info = infos[label]
        if info.key in user_of_key:
            folding.concept_of[label] = user_of_key[info.key]
            folding.reason[label] = "user"
        else:
            groups[info.key].append(label)
    group_infos = {key: infos[_representative(members, counts)] for key, members in groups.items()}
    group_counts = {key: sum(counts[label] for label in members) for key, members in groups.items()}

    roots = _nesting_roots(groups, group_infos, group_counts, user, infos, user_of_key)
    clusters = _Clusters()
    if embeddings is not None:
        _cluster_by_embedding(clusters, roots, groups, user, infos, embeddings, similarity)

    final: dict[str, list[str]] = defaultdict(list)  # final root -> nesting roots
    for root in roots:
        final[clusters.root(root) if root in clusters.parent else root].append(root)
    for cluster_root, nesting_roots in final.items():
        user_label = cluster_root.removeprefix("user:") if cluster_root.startswith("user:") else clusters.user.get(cluster_root)
        main = _main_root(nesting_roots, roots, groups, counts)
        folded = user_label or _representative(groups[main], counts)
        for root in nesting_roots:
            for key in roots[root]:
                for label in groups[key]:
                    folding.concept_of[label] = folded
                    if user_label:
                        folding.reason[label] = "user"
                    elif root != main:
                        folding.reason[label] = "embedding"
                    elif key != root:
                        folding.reason[label] = "nested"
                    elif len(groups[key]) > 1:
                        folding.reason[label] = "key"
                    else:
                        folding.reason[label] = "own"
    return folding


# --------------------------------------------------------------------------------------
# the user's concept list in the store and in files


def read_user_concepts(con: Any) -> list[UserConcept]:
    """The user's concept list stored in ``con`` (empty when there is none)."""
    return [UserConcept(label, aliases) for label, aliases in concept_rows(con)]


def _checked(concepts: Sequence[UserConcept]) -> list[UserConcept]:
    """The list with each name in one concept only: a name used twice is an error (E313)."""
    owner: dict[str, str] = {}
    for concept in concepts:
        if not concept.label.strip():
            raise NetworkError("E312", path="concept list", detail="a concept has an empty label")
        for name in concept.names:
            key = normalise(name)
            if owner.get(key, concept.label) != concept.label:
                raise NetworkError("E313", name=name, first=owner[key], second=concept.label)
            owner[key] = concept.label
    return list(concepts)


def write_user_concepts(con: Any, concepts: Sequence[UserConcept]) -> None:
    """Replace the user's concept list in the store."""
    replace_concepts(con, [(concept.label, concept.aliases) for concept in _checked(concepts)])


def read_concept_file(path: str | Path) -> list[UserConcept]:
    """A concept list from a YAML file: a list of ``{label: str, aliases: [str, ...]}``."""
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError) as error:
        raise NetworkError("E312", path=str(path), detail=str(error)) from error
    if not isinstance(data, list):
        raise NetworkError("E312", path=str(path), detail="expected a list of concepts")
    concepts = []
    for number, entry in enumerate(data, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("label"), str):
            raise NetworkError("E312", path=str(path), detail=f"entry {number} has no label")
        aliases = entry.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(alias, str) for alias in aliases):
            raise NetworkError("E312", path=str(path), detail=f"entry {number}: aliases must be a list of strings")
        concepts.append(UserConcept(entry["label"], tuple(aliases)))
    return _checked(concepts)


def write_concept_file(path: str | Path, concepts: Sequence[UserConcept]) -> None:
    """Write a concept list as YAML, for editing by hand and reading back."""
    import yaml

    data = [{"label": c.label, "aliases": list(c.aliases)} for c in concepts]
    header = "# stancegraph concept list: each concept's label and the labels folded into it.\n"
    Path(path).write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


# --------------------------------------------------------------------------------------
# folding a corpus


def _cached_labels(con: Any, labels: list[str]) -> tuple[dict[str, LabelInfo], dict[str, np.ndarray]]:
    rows = cached_label_rows(con, labels)
    infos = {label: LabelInfo.from_json(label, info) for label, info, _, _ in rows}
    vectors = {label: np.asarray(vector, dtype=np.float32) for label, _, model, vector in rows
               if model == EMBEDDING_MODEL and vector is not None}
    return infos, vectors


def _cache_labels(con: Any, infos: Mapping[str, LabelInfo], vectors: Mapping[str, np.ndarray]) -> None:
    """Remember label analyses and embeddings (skipped on a read-only store)."""
    cache_label_rows(con, [(label, info.to_json(), EMBEDDING_MODEL if label in vectors else None,
                            vectors[label].tolist() if label in vectors else None) for label, info in infos.items()])


def corpus_folding(
    con: Any,
    statements: pd.DataFrame,
    *,
    similarity: float | None = DEFAULT_SIMILARITY,
    user: Sequence[UserConcept] | None = None,
    embedder: Embedder | None = None,
    nlp: Any = None,
) -> ConceptFolding:
    """Fold the labels of a statement table, with the user list and cache of ``con``.

    ``con`` may be None (no store: no user list unless ``user`` is given, no cache).
    ``similarity=None`` skips the embedding step (no model is loaded). ``embedder`` and
    ``nlp`` default to :func:`load_embedder` and the shared spaCy pipeline.
    """
    user = list(user) if user is not None else (read_user_concepts(con) if con is not None else [])
    issues = statements.loc[statements["target_kind"] != "actor", "label"].dropna()
    counts = Counter(issues)
    actor_labels = sorted(set(statements.loc[statements["target_kind"] == "actor", "label"].dropna()))
    names = sorted(set(counts) | {name for concept in user for name in concept.names} | set(actor_labels))
    infos, vectors = _cached_labels(con, names)
    missing = [name for name in names if name not in infos]
    new_infos = analyse_labels(missing, nlp) if missing else {}
    infos.update(new_infos)
    new_vectors: dict[str, np.ndarray] = {}
    embedded = sorted(set(counts) | {name for concept in user for name in concept.names})
    if similarity is not None:
        unembedded = [name for name in embedded if name not in vectors]
        if unembedded:
            encoded = (embedder or load_embedder()).encode(unembedded)
            new_vectors = dict(zip(unembedded, encoded))
            vectors.update(new_vectors)
    _cache_labels(con, {name: infos[name] for name in set(new_infos) | set(new_vectors)}, vectors)
    return fold_concepts(counts, infos=infos, user=user, embeddings=vectors if similarity is not None else None,
                         similarity=similarity if similarity is not None else DEFAULT_SIMILARITY,
                         actor_labels=actor_labels)


def assign_concepts(statements: pd.DataFrame, folding: ConceptFolding) -> pd.DataFrame:
    """The statements with their ``concept`` column set from ``folding``."""
    folded = statements.copy()
    folded["concept"] = [folding.concept_of.get(label, label) for label in folded["label"]]
    return folded


# --------------------------------------------------------------------------------------
# editing the user's list


def _require(folding: ConceptFolding, name: str) -> str:
    concept = folding.find(name)
    if concept is None:
        raise NetworkError("E311", label=name)
    return concept


def _claimed(concepts: list[UserConcept], label: str, names: Iterable[str]) -> list[UserConcept]:
    """The list with ``names`` moved into the concept ``label`` (created when missing).

    A name that is the label of another user concept cannot move (E313): merge them instead.
    """
    names = set(names)
    keys = {normalise(name) for name in names}
    kept = []
    for concept in concepts:
        if concept.label == label:
            names |= set(concept.names)
            continue
        if normalise(concept.label) in keys:
            raise NetworkError("E313", name=concept.label, first=concept.label, second=label)
        aliases = tuple(alias for alias in concept.aliases if normalise(alias) not in keys)
        kept.append(UserConcept(concept.label, aliases))
    kept.append(UserConcept(label, tuple(sorted(names - {label}))))
    return sorted(kept, key=lambda concept: concept.label.casefold())


def merge_concepts(con: Any, folding: ConceptFolding, target: str, sources: Sequence[str]) -> UserConcept:
    """Fold the concepts ``sources`` into ``target`` for good (a user concept named ``target``)."""
    concept = _require(folding, target)
    merged = [_require(folding, source) for source in sources]
    user = {c.label: c for c in read_user_concepts(con)}
    names = {concept, *folding.members(concept)}
    for source in merged:
        names |= {source, *folding.members(source)}
        if source in user and source != concept:
            names |= set(user.pop(source).names)
    updated = _claimed(list(user.values()), concept, names)
    write_user_concepts(con, updated)
    return next(c for c in updated if c.label == concept)


def rename_concept(con: Any, folding: ConceptFolding, old: str, new: str) -> UserConcept:
    """Give the concept ``old`` the label ``new`` (keeping every label folded into it)."""
    concept = _require(folding, old)
    existing = folding.find(new)
    if existing is not None and existing != concept:
        raise NetworkError("E313", name=new, first=existing, second=concept)
    user = {c.label: c for c in read_user_concepts(con)}
    names = {concept, *folding.members(concept)}
    if concept in user:
        names |= set(user.pop(concept).names)
    updated = _claimed(list(user.values()), new, names)
    write_user_concepts(con, updated)
    return next(c for c in updated if c.label == new)


def add_concept(con: Any, label: str, aliases: Sequence[str] = ()) -> UserConcept:
    """Put a concept on the user's list, taking ``aliases`` from any other user concept."""
    updated = _claimed(read_user_concepts(con), label, aliases)
    write_user_concepts(con, updated)
    return next(c for c in updated if c.label == label)


def remove_concept(con: Any, label: str) -> None:
    """Take a concept off the user's list; its labels fold automatically again."""
    concepts = read_user_concepts(con)
    remaining = [c for c in concepts if c.label.casefold() != label.casefold()]
    if len(remaining) == len(concepts):
        raise NetworkError("E311", label=label)
    write_user_concepts(con, remaining)
