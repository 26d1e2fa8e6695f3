"""The trained attribution tagger: source, cue and content spans read off a CRF over tokens.

A linear-chain CRF (python-crfsuite) labels every token of a paragraph ``B-``/``I-`` +
``Source``, ``Cue`` or ``Content``, or ``O``, from the token's words, tags and its place in
the parse: above all the path up to the nearest reporting verb ("said" -> ``ccomp`` ->
content, "said" -> ``nsubj`` -> source) and whether it stands inside quotation marks.
:func:`token_features` is shared with ``training/train_attribution.py``, so that training and
run time cannot drift apart (a model records the :data:`FEATURE_VERSION` it was trained with).

The runs of labels are then linked by :func:`link`:

* a content run gets the tagged cue that governs it in the parse, else the nearest tagged cue
  of its sentence (of a neighbouring sentence too when the content is a quotation, whose cue
  often stands in the sentence before), else a reporting verb of its sentence; a cue reached
  only by nearness keeps a single reported (unquoted) content;
* a cue gets the source run that the parse makes its subject (or the object of "according
  to"), else the source run nearest it in its sentence, else its subject from the parse;
* a tagged cue left without content that hangs off a clause ("..., according to X") reports
  that clause.

Example
-------
>>> from stancegraph.nlp import load_pipeline
>>> doc = load_pipeline()("The mayor said that the bridge would reopen in May.")
>>> [(doc[a.source[0]:a.source[1]].text, doc[a.cue[0]:a.cue[1]].text, doc[a.content[0]:a.content[1]].text)
...  for a in load_tagger().attributions(doc)]
[('The mayor', 'said', 'that the bridge would reopen in May')]
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pycrfsuite
from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc, Token

from stancegraph import lang
from stancegraph.errors import ModelError
from stancegraph.extract.quotemarks import quoted_passages, quoted_regions, quoted_share
from stancegraph.token_columns import doc_text, sentence_numbers, sentence_ranges, token_columns

__all__ = [
    "FEATURE_VERSION",
    "MODEL_DIR",
    "QUOTATION_SHARE",
    "ROLES",
    "AttributionTagger",
    "TaggedAttribution",
    "TokenRange",
    "cue_lemmas",
    "is_cue_verb",
    "link",
    "load_tagger",
    "paragraphs",
    "referent",
    "sentence_ranges",
    "subject_of",
    "token_features",
]

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "attribution"
ROLES = ("Source", "Cue", "Content")
FEATURE_VERSION = "1"
"""Bumped whenever :func:`token_features` changes, so that a model knows its features."""

TokenRange = tuple[int, int]
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_INSERTED = frozenset({"prep", "parataxis", "advcl", "ccomp"})
"""Dependencies by which a cue hangs off the clause it reports ("according to", "he said")."""
_CLIMB = frozenset({"xcomp", "advcl", "conj", "pcomp", "prep", "acl"})
"""Dependencies through which a verb without a subject borrows its clause's ("by saying")."""
_MAX_PATH = 12
QUOTATION_SHARE = 0.9
"""Share of its letters inside quotation marks that makes a content a quotation (a direct quote)."""


@dataclass(frozen=True)
class TaggedAttribution:
    """One attribution as token ranges (end exclusive): content, cue and source, if found."""

    content: TokenRange
    cue: TokenRange | None
    source: TokenRange | None
    confidence: float


@functools.cache
def cue_lemmas() -> frozenset[str]:
    """Lemmas of reporting and attitude verbs ("say", "warn", "believe")."""
    return lang.lines("cue_verbs.txt")


def is_cue_verb(token: Token) -> bool:
    """Whether a token is a reporting or attitude verb of :func:`cue_lemmas`."""
    return token.pos_ == "VERB" and token.lemma_.lower() in cue_lemmas()


def paragraphs(doc: Doc) -> list[TokenRange]:
    """Token ranges between line breaks (the sequences the CRF labels), without the breaks.

    A token that is a line break (or holds one) ends the range before it; a line break in the
    space after a token ends the range with that token.
    """
    text = doc_text(doc)
    bounds = doc.to_array([IDX, LENGTH]).tolist()
    starts = [start for start, _ in bounds]
    found: list[TokenRange] = []
    start = 0
    breaks = sorted({bisect.bisect_right(starts, match.start()) - 1 for match in re.finditer("\n", text)})
    for i in breaks:
        if i < 0:
            continue
        if "\n" in text[bounds[i][0] : bounds[i][0] + bounds[i][1]]:
            if i > start:
                found.append((start, i))
        else:
            found.append((start, i + 1))
        start = i + 1
    if start < len(doc):
        found.append((start, len(doc)))
    return found


def _nearest_above(head: Sequence[int], accept: Sequence[bool]) -> list[tuple[int, int, int] | None]:
    """For each token, the nearest ancestor that ``accept`` takes, at most :data:`_MAX_PATH` - 1
    steps up: ``(ancestor, the token just below it on the path, steps)``, or None."""
    found: list[tuple[int, int, int] | None] = [None] * len(head)
    done = [False] * len(head)
    for start in range(len(head)):
        path = []
        node = start
        while not done[node]:
            path.append(node)
            if head[node] == node:
                break
            node = head[node]
        for node in reversed(path):
            parent = head[node]
            if parent == node:
                found[node] = None
            elif accept[parent]:
                found[node] = (parent, node, 1)
            elif found[parent] is not None:
                ancestor, child, steps = found[parent]  # type: ignore[misc]
                found[node] = (ancestor, child, steps + 1) if steps + 1 < _MAX_PATH else None
            done[node] = True
    return found


def _nearest_in_sentence(marked: Sequence[bool], sentence_of: Sequence[int]) -> list[int | None]:
    """For each token, the nearest marked token of its sentence (the earlier one on a tie), or None."""
    nearest: list[int | None] = []
    latest = None
    for i, is_marked in enumerate(marked):
        if i and sentence_of[i] != sentence_of[i - 1]:
            latest = None
        if is_marked:
            latest = i
        nearest.append(latest)
    following = None
    for i in range(len(marked) - 1, -1, -1):
        if i + 1 < len(marked) and sentence_of[i] != sentence_of[i + 1]:
            following = None
        if marked[i]:
            following = i
        before = nearest[i]
        if following is not None and (before is None or following - i < i - before):
            nearest[i] = following
    return nearest


def _bucket(distance: int) -> str:
    return str(distance) if distance < 3 else "3-5" if distance < 6 else "6-10" if distance < 11 else "far"


def token_features(doc: Doc) -> list[list[str]]:
    """The CRF features of every token of ``doc`` (one list of feature names per token)."""
    cues = cue_lemmas()
    columns = token_columns(doc)
    n = len(doc)
    lower, tag, dep, head, pos = columns.lower, columns.tag, columns.dep, columns.head, columns.pos
    lemma = [word.lower() for word in columns.lemma]
    is_verb = [p in {"VERB", "AUX"} for p in pos]
    is_cue = [lemma[i] in cues and pos[i] == "VERB" for i in range(n)]
    is_title = columns.is_title
    entity = columns.ent_type

    quote = ["out"] * n
    regions = quoted_regions(doc_text(doc))
    region_index = 0
    for i, idx in enumerate(columns.idx):
        while region_index < len(regions) and regions[region_index][1] <= idx:
            region_index += 1
        if region_index < len(regions):
            start, end = regions[region_index]
            if idx == start:
                quote[i] = "open"
            elif idx == end - 1:
                quote[i] = "close"
            elif start < idx < end:
                quote[i] = "in"

    sentence_of = columns.sentence_of
    sentence_quoted = [False] * (sentence_of[-1] + 1 if n else 0)
    for i in range(n):
        if quote[i] != "out":
            sentence_quoted[sentence_of[i]] = True
    nearest_cue = _nearest_in_sentence(is_cue, sentence_of)
    sentence_starts = {i for i in range(n) if i == 0 or sentence_of[i] != sentence_of[i - 1]}
    sentence_ends = {i for i in range(n) if i == n - 1 or sentence_of[i] != sentence_of[i + 1]}

    verb_above = _nearest_above(head, is_verb)
    cue_above = _nearest_above(head, is_cue)

    # the features of every token, built column by column (much faster than token by token)
    edge = ["<edge>"] * 2
    words = edge + lower + edge
    heads = [dep[i] + ">" + dep[head[i]] for i in range(n)]
    features = [list(row) for row in zip(
        ["bias"] * n,
        ["w=" + w for w in lower],
        ["l=" + w for w in lemma],
        ["t=" + t for t in tag],
        ["d=" + d for d in dep],
        ["q=" + q for q in quote],
        ["hd=" + h for h in heads],
        ["p3=" + heads[i] + ">" + dep[head[head[i]]] for i in range(n)],
        ["ht=" + tag[h] for h in head],
        ["w-2=" + w for w in words[:n]],
        ["w-1=" + w for w in words[1:n + 1]],
        ["w1=" + w for w in words[3:n + 3]],
        ["w2=" + w for w in words[4:n + 4]],
    )]
    for i in range(1, n):
        features[i] += ["t-1=" + tag[i - 1], "q-1=" + quote[i - 1]]
    for i in range(n - 1):
        features[i] += ["t1=" + tag[i + 1], "q1=" + quote[i + 1]]
    for i in range(n):
        f = features[i]
        if is_verb[head[i]]:
            f.append("hl=" + lemma[head[i]])
        if is_cue[i]:
            f.append("cue")
        if is_title[i]:
            f.append("title")
        if i in sentence_starts:
            f.append("bos")
        if i in sentence_ends:
            f.append("eos")
        if entity[i]:
            f.append("ent=" + entity[i])
        # the path up to the nearest reporting verb and the nearest verb
        if is_cue[i]:
            governing, verb = (lemma[i], "self", "self"), None
        else:
            verb_path, cue_path = verb_above[i], cue_above[i]
            verb = (lemma[verb_path[0]], dep[verb_path[1]]) if verb_path else None
            governing = None
            if cue_path:
                node, child, _ = cue_path
                governing = (lemma[node], dep[child], "before" if node < i else "after")
        if governing is None:
            f.append("gc=none")
        else:
            f += ["gc=" + governing[1], "gcl=" + governing[0] + "|" + governing[1],
                  "gcq=" + governing[1] + "|" + quote[i], "gcs=" + governing[1] + "|" + governing[2]]
        if verb is not None:
            f += ["gv=" + verb[0], "gvr=" + verb[1]]
        # where the sentence's reporting verbs are
        nearest = nearest_cue[i]
        if nearest is None:
            f.append("sc=none")
        elif nearest != i:
            side = "before" if nearest < i else "after"
            f += ["sc=" + side, "scd=" + side + _bucket(abs(nearest - i))]
        if sentence_quoted[sentence_of[i]]:
            f.append("sq")
    return features


class AttributionTagger:
    """The CRF of ``model.crfsuite`` and the linking of its labels into attributions."""

    def __init__(self, path: Path) -> None:
        if not path.exists():
            raise ModelError("E512", path=str(path))
        self._tagger = pycrfsuite.Tagger()
        try:
            self._tagger.open(str(path))
        except (OSError, ValueError) as error:
            raise ModelError("E513", path=str(path), detail=str(error)) from error

    def labels(self, doc: Doc) -> tuple[list[str], list[float]]:
        """The label of every token and the model's marginal probability of it."""
        features = token_features(doc)
        labels = ["O"] * len(doc)
        probabilities = [1.0] * len(doc)
        for start, end in paragraphs(doc):
            predicted = self._tagger.tag(features[start:end])
            for offset, label in enumerate(predicted):
                labels[start + offset] = label
                if label != "O":
                    probabilities[start + offset] = self._tagger.marginal(label, offset)
        return labels, probabilities

    def attributions(self, doc: Doc) -> list[TaggedAttribution]:
        """The attributions of a parsed doc, in text order."""
        labels, probabilities = self.labels(doc)
        return link(doc, labels, probabilities)


def _runs(labels: Sequence[str]) -> dict[str, list[TokenRange]]:
    """Maximal runs of each role: a ``B-`` or a change of role starts a new run."""
    runs: dict[str, list[TokenRange]] = {role: [] for role in ROLES}
    current: str | None = None
    start = 0
    for i, label in enumerate([*labels, "O"]):
        role = label[2:] if label != "O" else None
        if current is not None and (role != current or label.startswith("B-")):
            runs[current].append((start, i))
            current = None
        if role is not None and current is None:
            current, start = role, i
    return runs


def _distance(a: TokenRange, b: TokenRange) -> int:
    return max(0, a[0] - b[1] + 1, b[0] - a[1] + 1)


def _noun_phrase(noun: Token) -> TokenRange:
    """A noun's phrase: from its left edge to the noun, with an "of" phrase after it."""
    right = noun.i
    for child in noun.rights:
        if child.dep_ != "prep" or child.lower_ != "of":
            break
        right = child.right_edge.i
    return noun.left_edge.i, right + 1


def referent(doc: Doc, source: TokenRange) -> TokenRange:
    """The phrase a source stands for: a relative pronoun ("who said") gives its noun's."""
    token = doc[source[0]]
    if source[1] - source[0] == 1 and token.tag_ in {"WP", "WDT"} and token.head.dep_ == "relcl":
        return _noun_phrase(token.head.head)
    return source


def _without_time(doc: Doc, source: TokenRange) -> TokenRange:
    """A source without the time phrase the tagger may run on into ("Marta Keller on Monday")."""
    start, end = source
    while end - start > 1 and (doc[end - 1].ent_type_ in {"DATE", "TIME"} or doc[end - 1].is_punct):
        end -= 1
    if end < source[1] and doc[end - 1].pos_ == "ADP" and end - start > 1:
        end -= 1
    return (start, end) if doc[start:end].text.strip() else source


def _syntactic_source(doc: Doc, cue: TokenRange) -> TokenRange | None:
    """The source the parse gives a cue: its verb's subject, or the object of its last
    preposition ("according to the report")."""
    last = doc[cue[1] - 1]
    if last.pos_ == "ADP":
        objects = [child for child in last.children if child.dep_ == "pobj"]
        if objects:
            return _noun_phrase(objects[0])
    verb = next((doc[i] for i in range(*cue) if doc[i].pos_ in {"VERB", "AUX"}), None)
    return subject_of(verb) if verb is not None else None


def subject_of(verb: Token) -> TokenRange | None:
    """The subject noun phrase of a verb, climbing from "saying" or "to warn" to the clause's.

    The phrase runs from the subject's left edge to its head, with an "of" phrase after it
    ("the head of the party").
    """
    node = verb
    for _ in range(4):
        subject = next((c for c in node.children if c.dep_ in _SUBJECTS), None)
        if subject is not None:
            return _noun_phrase(subject)
        if node.dep_ not in _CLIMB or node.head.i == node.i:
            return None
        node = node.head
    return None


def link(doc: Doc, labels: Sequence[str], probabilities: Sequence[float]) -> list[TaggedAttribution]:
    """Join runs of labels into attributions (see the module docstring for the rules)."""
    runs = _runs(labels)
    text = doc_text(doc)
    regions = quoted_passages(text)
    sentence_of = sentence_numbers(doc)
    sentences = sentence_ranges(sentence_of)
    cue_of_token = {i: cue for cue in runs["Cue"] for i in range(*cue)}

    def governing(content: TokenRange, accept: Callable[[Token], bool]) -> Token | None:
        """The first token above the content (three steps at most) that ``accept`` takes."""
        for i in range(*content):
            node = doc[i]
            for _ in range(3):
                if node.head.i == node.i or content[0] <= node.head.i < content[1]:
                    break
                node = node.head
                if accept(node):
                    return node
        return None

    def nearest_cue(content: TokenRange) -> TokenRange | None:
        """The nearest cue of the content's sentences; of the sentences next to them too when
        the content is a quotation (whose cue often stands in the sentence before)."""
        own = {sentence_of[content[0]], sentence_of[content[1] - 1]}
        start, end = doc[content[0]].idx, doc[content[1] - 1].idx + len(doc[content[1] - 1])
        quoted = quoted_share(text, start, end, regions) >= QUOTATION_SHARE
        for reach in (0, 1) if quoted else (0,):
            nearby = [cue for cue in runs["Cue"]
                      if any(abs(sentence_of[cue[0]] - s) <= reach for s in own)]
            if nearby:
                return min(nearby, key=lambda cue: _distance(cue, content))
        lead = _colon_lead(doc, sentences, sentence_of[content[0]]) if quoted else None
        if lead is not None:
            return next((cue for cue in reversed(runs["Cue"]) if lead[0] <= cue[0] < lead[1]), None) \
                or _lead_verb(doc, lead)
        return None

    def lexicon_cue(content: TokenRange) -> TokenRange | None:
        """A reporting verb of the content's sentence, for content the model gave no cue."""
        verb = governing(content, is_cue_verb)
        if verb is None:
            start, end = sentences[sentence_of[content[0]]]
            outside = [t for t in doc[start:end] if is_cue_verb(t) and not content[0] <= t.i < content[1]]
            verb = min(outside, key=lambda t: _distance((t.i, t.i + 1), content), default=None)
        return (verb.i, verb.i + 1) if verb is not None else None

    def source_of(cue: TokenRange, content: TokenRange) -> TokenRange | None:
        """The source run of the cue's sentence that the parse makes the cue's subject (or
        object of "according to"), else the nearest one; never one inside the content."""
        def outside(span: TokenRange | None) -> bool:
            return span is not None and (span[1] <= content[0] or content[1] <= span[0])

        syntactic = _syntactic_source(doc, cue)
        here = sentence_of[cue[0]]
        nearby = [_without_time(doc, s) for s in runs["Source"] if sentence_of[s[0]] == here and outside(s)]
        if outside(syntactic):
            overlapping = [s for s in nearby if s[0] < syntactic[1] and syntactic[0] < s[1]]  # type: ignore[index]
            if overlapping:
                return overlapping[0]
        if nearby:
            return min(nearby, key=lambda s: _distance(s, cue))
        return syntactic if outside(syntactic) else None

    def is_quotation(content: TokenRange) -> bool:
        start, end = doc[content[0]].idx, doc[content[1] - 1].idx + len(doc[content[1] - 1])
        return quoted_share(text, start, end, regions) >= QUOTATION_SHARE

    # each content's cue: the tagged cue above it in the parse, else the nearest tagged cue,
    # else a reporting verb of its sentence
    linked: list[tuple[TokenRange, TokenRange | None, bool]] = []  # content, cue, found by the parse
    for content in runs["Content"]:
        tagged = governing(content, lambda token: token.i in cue_of_token)
        if tagged is not None:
            linked.append((content, cue_of_token[tagged.i], True))
        else:
            linked.append((content, nearest_cue(content) or lexicon_cue(content), False))
    unquoted: dict[TokenRange, list[tuple[TokenRange, bool]]] = {}
    for content, cue, by_parse in linked:
        if cue is not None and not is_quotation(content):
            unquoted.setdefault(cue, []).append((content, by_parse))

    def keeps(content: TokenRange, cue: TokenRange, by_parse: bool) -> bool:
        """One act of speech has one reported content: a cue reached only by nearness keeps
        the nearest unquoted content, and none if the parse gives it one."""
        if by_parse or is_quotation(content):
            return True
        rivals = unquoted[cue]
        if any(parse for _, parse in rivals):
            return False
        return min(rivals, key=lambda rival: _distance(rival[0], cue))[0] == content

    found = []
    for content, cue, by_parse in linked:
        if cue is not None and not keeps(content, cue, by_parse):
            cue = None
        source = source_of(cue, content) if cue is not None else None
        confidence = sum(probabilities[content[0]:content[1]]) / (content[1] - content[0])
        found.append(TaggedAttribution(content, cue, source, confidence))
    used = {attribution.cue for attribution in found}
    taken = [r for role in ROLES for r in runs[role]]
    for lone_cue in runs["Cue"]:
        host = None if lone_cue in used else _host_clause(doc, lone_cue)
        if host is not None and not any(r[0] < host[1] and host[0] < r[1] for r in taken):
            confidence = sum(probabilities[lone_cue[0]:lone_cue[1]]) / (lone_cue[1] - lone_cue[0])
            found.append(TaggedAttribution(host, lone_cue, source_of(lone_cue, host), confidence))
    return sorted(found, key=lambda attribution: attribution.content)


def _colon_lead(doc: Doc, sentences: Sequence[TokenRange], number: int) -> TokenRange | None:
    """The sentence that introduces sentence ``number`` with a colon across a paragraph break
    ("In a speech, he declared:" ¶ "“...”"), which the parser may make sentences of their own."""
    number -= 1
    while number >= 0 and all(t.is_space for t in doc[slice(*sentences[number])]):
        number -= 1
    if number < 0:
        return None
    words = [t for t in doc[slice(*sentences[number])] if not t.is_space]
    return sentences[number] if words[-1].text == ":" else None


def _lead_verb(doc: Doc, lead: TokenRange) -> TokenRange | None:
    """The verb of a sentence that introduces a quotation with a colon, for a quotation the
    tagger gave no cue: its last reporting verb, else its main verb when that has a subject
    ("Trump issued the following statement:")."""
    verbs = [t for t in doc[slice(*lead)] if is_cue_verb(t)]
    verb = verbs[-1] if verbs else next((t for t in doc[slice(*lead)] if t.dep_ == "ROOT"), None)
    if verb is None or verb.pos_ not in {"VERB", "AUX"} or subject_of(verb) is None:
        return None
    return verb.i, verb.i + 1


def _host_clause(doc: Doc, cue: TokenRange) -> TokenRange | None:
    """The content of a cue set into the clause it reports ("..., according to X", "..., he
    said, ..."): that clause without the cue's own phrase, when what is left is one stretch."""
    top = doc[cue[0]]
    while top.head.i != top.i and cue[0] <= top.head.i < cue[1]:
        top = top.head
    host = top.head
    if host.i == top.i or top.dep_ not in _INSERTED or host.pos_ not in {"VERB", "AUX"}:
        return None
    def trimmed(start: int, end: int) -> TokenRange:
        while start < end and (doc[start].is_punct or doc[start].is_space):
            start += 1
        while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        return start, end

    left, right = trimmed(host.left_edge.i, host.right_edge.i + 1)
    inserted = trimmed(min(top.left_edge.i, cue[0]), max(top.right_edge.i + 1, cue[1]))
    if inserted[0] <= left:
        start, end = trimmed(inserted[1], right)
    elif inserted[1] >= right:
        start, end = trimmed(left, inserted[0])
    else:
        return None  # the cue sits in the middle: the clause is in two pieces
    return (start, end) if end - start >= 2 else None


@functools.cache
def load_tagger(model_dir: Path = MODEL_DIR) -> AttributionTagger:
    """The shipped tagger, loaded once per process; its features must be this code's."""
    config_path = model_dir / "config.json"
    if not config_path.exists():
        raise ModelError("E512", path=str(model_dir))
    try:
        features = json.loads(config_path.read_text(encoding="utf-8"))["features"]
    except (OSError, ValueError, KeyError) as error:
        raise ModelError("E513", path=str(config_path), detail=f"{type(error).__name__}: {error}") from error
    if features != FEATURE_VERSION:
        raise ModelError("E513", path=str(model_dir),
                         detail=f"trained with features {features}, this code computes {FEATURE_VERSION}")
    return AttributionTagger(model_dir / "model.crfsuite")
