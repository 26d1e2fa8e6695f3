"""Score actors and coreference on GUM (``stancegraph eval gum DIR``).

GUM (Zeldes 2017) annotates every entity mention with its entity and type in the MISC
column of CoNLL-U (``Entity=(3-person-...``). Each document's text is rebuilt from its
tokens (paragraphs on lines of their own), analysed by the actor step as any article is,
and compared with the person and organisation mentions of GUM:

- mention precision, recall and F1: a predicted mention matches a gold one that holds its
  head token (the gold mention's head must lie inside the predicted span);
- names merged: of the proper-name mentions of one entity that got an actor, the share
  that went to the entity's most frequent actor;
- pure actors: the share of actors whose matched mentions all belong to one entity;
- pronouns: third-person pronouns of a person or organisation whose entity has an actor
  (its most frequent one over its names and descriptions), resolved to that actor: of all
  such pronouns, and of those the step attached to some actor.

GUM's official test documents (``splits.md`` in the data folder) are never read.

Example
-------
>>> doc = read_conllu(["# newpar", "# text = Ann ran.", "1\\tAnn\\tAnn\\tPROPN\\tNNP\\t_\\t2\\tnsubj\\t_\\tEntity=(1-person-new-x-x-1-sgl)",
...                    "2\\tran\\trun\\tVERB\\tVBD\\t_\\t0\\troot\\t_\\tSpaceAfter=No", "3\\t.\\t.\\tPUNCT\\t.\\t_\\t2\\tpunct\\t_\\t_", ""])
>>> doc.text, [(m.entity, m.type, doc.text[m.start:m.end]) for m in doc.mentions]
('Ann ran.', [('1', 'person', 'Ann')])
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from stancegraph.errors import ModelError

__all__ = [
    "CHOOSE",
    "DEV",
    "SPLITS",
    "GoldMention",
    "GumDocument",
    "Scores",
    "evaluate",
    "held_out_documents",
    "main",
    "match_gold",
    "predicted_mentions",
    "read_conllu",
    "read_dir",
    "read_split",
    "score_document",
]

ACTOR_TYPES = frozenset({"person", "organization"})
THIRD_PERSON = frozenset({"he", "him", "his", "himself", "she", "her", "hers", "herself",
                          "they", "them", "their", "theirs", "themselves", "it", "its", "itself"})
_BRACKET = re.compile(r"\((\d+)-([a-z]+)[^()]*(\)?)|(\d+)\)")


@dataclass(frozen=True)
class GoldMention:
    """One GUM mention: its entity, type, character span, head offset and head's tag."""

    entity: str
    type: str
    start: int
    end: int
    head: int
    head_upos: str
    head_form: str


@dataclass
class GumDocument:
    """One document: the rebuilt text and its gold mentions (sorted by start)."""

    name: str
    text: str
    mentions: list[GoldMention] = field(default_factory=list)


def _entities(misc: str) -> tuple[list[tuple[str, str, bool]], list[str]]:
    """Openings (entity, type, closes on this token) and bare closings of a MISC Entity value."""
    value = next((part[len("Entity="):] for part in misc.split("|") if part.startswith("Entity=")), "")
    found = list(_BRACKET.finditer(value))
    opens = [(m.group(1), m.group(2), m.group(3) == ")") for m in found if m.group(1)]
    return opens, [m.group(4) for m in found if m.group(4)]


def read_conllu(lines: Iterable[str], name: str = "") -> GumDocument:
    """One GUM document from its CoNLL-U lines (``# newpar`` starts a new line of text)."""
    text = ""
    open_stack: dict[str, list[tuple[str, int]]] = defaultdict(list)  # entity -> (type, first token)
    tokens: list[tuple[int, int, int, str, str]] = []  # start, end, head token, upos, form
    spans: list[tuple[str, str, int, int]] = []  # entity, type, first and last token
    sentence_base, new_paragraph, space = 0, False, False
    for line in lines:
        line = line.rstrip("\n")
        if line.startswith("# newpar") and not line.startswith("# newpar_"):
            new_paragraph = True
        if not line.strip():
            sentence_base = len(tokens)
        columns = line.split("\t")
        if line.startswith("#") or len(columns) < 10 or not columns[0].isdigit():
            continue  # comments, multiword ranges and empty nodes
        if text:
            text += "\n" if new_paragraph else " " if space else ""
        new_paragraph, space = False, "SpaceAfter=No" not in columns[9]
        head = int(columns[6]) if columns[6].isdigit() else 0
        tokens.append((len(text), len(text) + len(columns[1]), sentence_base + head - 1 if head else -1,
                       columns[3], columns[1]))
        text += columns[1]
        index = len(tokens) - 1
        opens, closes = _entities(columns[9])
        for entity, type_, closed in opens:
            if closed:
                spans.append((entity, type_, index, index))
            else:
                open_stack[entity].append((type_, index))
        for entity in closes:
            if open_stack[entity]:
                type_, first = open_stack[entity].pop()
                spans.append((entity, type_, first, index))
    document = GumDocument(name, text)
    for entity, type_, first, last in spans:
        head = next((i for i in range(first, last + 1) if not first <= tokens[i][2] <= last), first)
        document.mentions.append(GoldMention(entity, type_, tokens[first][0], tokens[last][1], tokens[head][0],
                                             tokens[head][3], tokens[head][4]))
    document.mentions.sort(key=lambda m: (m.start, -m.end))
    return document


def read_dir(directory: Path, names: Sequence[str] | None = None) -> list[GumDocument]:
    """GUM's documents in ``directory`` (only ``names`` when given), its test documents left out."""
    files = sorted(directory.glob("*.conllu"))
    if not files:
        raise ModelError("E523", path=str(directory))
    held_out = held_out_documents(directory)
    wanted = set(names) if names is not None else None
    return [read_conllu(f.read_text(encoding="utf-8").splitlines(), f.stem) for f in files
            if f.stem not in held_out and (wanted is None or f.stem in wanted)]


def held_out_documents(directory: Path) -> set[str]:
    """The document names ``splits.md`` lists under test (and test2): never to be read."""
    path = directory / "splits.md"
    if not path.is_file():
        return set()
    held, section = set(), ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
        elif line.strip().startswith("* ") and section.startswith("test"):
            held.add(line.strip()[2:].strip())
    return held


CHOOSE = ("GUM_academic_census", "GUM_academic_mutation", "GUM_bio_chao", "GUM_bio_hadid", "GUM_court_carpet",
          "GUM_court_property", "GUM_interview_brotherhood", "GUM_interview_messina", "GUM_voyage_chatham",
          "GUM_voyage_lodz")
"""The documents carved from GUM's train part to choose models and thresholds on (two a genre)."""
DEV = ("GUM_academic_exposure", "GUM_academic_librarians", "GUM_bio_byron", "GUM_bio_emperor", "GUM_court_loan",
       "GUM_court_negligence", "GUM_interview_cyclone", "GUM_interview_gaming", "GUM_voyage_athens",
       "GUM_voyage_coron")
"""GUM's official dev documents of these genres: the split scores are reported on, never chosen on."""
SPLITS = ("all", "train", "choose", "dev")


@dataclass
class Scores:
    """Counts over the documents scored; the ratios are properties."""

    documents: int = 0
    gold: int = 0
    predicted: int = 0
    gold_matched: int = 0
    predicted_matched: int = 0
    names: int = 0
    names_merged: int = 0
    actors: int = 0
    actors_pure: int = 0
    pronouns: int = 0
    pronouns_attached: int = 0
    pronouns_right: int = 0

    def add(self, other: Scores) -> None:
        for name in asdict(other):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def ratios(self) -> dict[str, float]:
        def share(part: int, whole: int) -> float:
            return part / whole if whole else 0.0

        precision, recall = share(self.predicted_matched, self.predicted), share(self.gold_matched, self.gold)
        return {
            "mention_precision": precision,
            "mention_recall": recall,
            "mention_f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
            "names_merged": share(self.names_merged, self.names),
            "actors_pure": share(self.actors_pure, self.actors),
            "pronouns_right_of_all": share(self.pronouns_right, self.pronouns),
            "pronouns_right_of_attached": share(self.pronouns_right, self.pronouns_attached),
        }


def match_gold(gold: Sequence[GoldMention], start: int, end: int) -> int | None:
    """The gold mention a predicted span matches: its head inside the span, most overlap, shortest."""
    heads = [i for i, g in enumerate(gold) if start <= g.head < end]
    if not heads:
        return None
    return min(heads, key=lambda i: (-(min(end, gold[i].end) - max(start, gold[i].start)), gold[i].end - gold[i].start))


def score_document(document: GumDocument, mentions: Sequence[tuple[int, int, str, bool]]) -> Scores:
    """Score predicted mentions ``(start, end, actor, is_pronoun)`` against a document's gold."""
    gold = [m for m in document.mentions if m.type in ACTOR_TYPES]
    scores = Scores(documents=1, gold=len(gold), predicted=len(mentions))
    matched: dict[int, tuple[str, bool]] = {}  # gold index -> (actor, predicted as pronoun)
    actor_entities: dict[str, set[str]] = defaultdict(set)
    for start, end, actor, pronoun in mentions:
        best = match_gold(gold, start, end)
        if best is None:
            continue
        scores.predicted_matched += 1
        matched.setdefault(best, (actor, pronoun))
        actor_entities[actor].add(gold[best].entity)
    scores.gold_matched = len(matched)
    scores.actors = len(actor_entities)
    scores.actors_pure = sum(len(entities) == 1 for entities in actor_entities.values())
    names: dict[str, Counter[str]] = defaultdict(Counter)
    others: dict[str, Counter[str]] = defaultdict(Counter)
    for i, (actor, pronoun) in matched.items():
        if gold[i].head_upos == "PROPN":
            names[gold[i].entity][actor] += 1
        if not pronoun and gold[i].head_form.lower() not in THIRD_PERSON:
            others[gold[i].entity][actor] += 1
    for counts in names.values():
        if sum(counts.values()) >= 2:
            scores.names += sum(counts.values())
            scores.names_merged += max(counts.values())
    for mention in gold:
        if mention.end - mention.start != len(mention.head_form) or mention.head_form.lower() not in THIRD_PERSON:
            continue
        if not others[mention.entity]:
            continue  # no actor stands for the entity: no pronoun of it can be right
        target = others[mention.entity].most_common(1)[0][0]
        scores.pronouns += 1
        got = next((actor for start, end, actor, _ in mentions if start <= mention.start < end), None)
        scores.pronouns_attached += got is not None
        scores.pronouns_right += got == target
    return scores


def predicted_mentions(index: object) -> list[tuple[int, int, str, bool]]:
    """The mentions of an :class:`~stancegraph.extract.actors.ActorIndex` that GUM can match."""
    types = {a.id: a.type for a in index.actors}  # type: ignore[attr-defined]
    return [(m.span.start, m.span.end, m.actor, m.kind == "pronoun") for m in index.mentions  # type: ignore[attr-defined]
            if types.get(m.actor) in {"person", "organization", "group"}]


def split_names(split: str) -> Sequence[str] | None:
    """The document names of a split (None: every document but GUM's test ones)."""
    if split not in SPLITS:
        raise ModelError("E524", name=split, expected=", ".join(SPLITS))
    return {"all": None, "choose": CHOOSE, "dev": DEV}.get(split, ())


def read_split(directory: Path, split: str) -> list[GumDocument]:
    """The documents of one split; ``train`` is everything but choose, dev and test."""
    if split == "train":
        return [d for d in read_dir(directory) if d.name not in CHOOSE and d.name not in DEV]
    return read_dir(directory, split_names(split))


def evaluate(directory: Path, split: str = "all") -> Scores:
    """Run the actor step on every document of a split and add up the scores."""
    from stancegraph.extract.actors import find_actors
    from stancegraph.nlp import parse

    documents = read_split(directory, split)
    total = Scores()
    for document, doc in zip(documents, parse(d.text for d in documents), strict=True):
        total.add(score_document(document, predicted_mentions(find_actors(doc))))
    return total


def main(directory: Path, *, split: str, format: str) -> None:
    """Print the scores as a table or one JSON object."""
    if format not in ("table", "json"):
        raise ModelError("E507", name=format)
    scores = evaluate(directory, split)
    ratios = scores.ratios()
    if format == "json":
        print(json.dumps({"directory": str(directory), "split": split, **ratios, "counts": asdict(scores)}))
        return
    print(f"GUM {split}: {scores.documents} documents, {scores.gold} gold person/organisation mentions")
    print(f"  mentions   P {ratios['mention_precision']:.3f}  R {ratios['mention_recall']:.3f}  "
          f"F1 {ratios['mention_f1']:.3f}")
    print(f"  names merged into one actor   {ratios['names_merged']:.3f}  ({scores.names} names)")
    print(f"  pure actors                   {ratios['actors_pure']:.3f}  ({scores.actors} actors)")
    print(f"  pronouns right, of all        {ratios['pronouns_right_of_all']:.3f}  ({scores.pronouns} pronouns)")
    print(f"  pronouns right, of attached   {ratios['pronouns_right_of_attached']:.3f}  "
          f"({scores.pronouns_attached} attached)")
