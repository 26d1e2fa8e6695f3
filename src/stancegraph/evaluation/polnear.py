"""Score quote attribution on PolNeAR (``stancegraph eval polnear DIR``).

PolNeAR (Newell, Margolin and Ruths, LREC 2018) marks every attribution in 1,008 US election
news articles as brat standoff: ``Source``, ``Cue`` and ``Content`` spans joined by an ``E``
line; a span may be discontinuous (``a b;c d``), and ``Attribution-no-source`` has no source.

How the scores are computed:

* An attribution's content is the set of characters of all its pieces. stancegraph writes a
  quote interrupted by its own cue ("“A,” he said, “B.”") as one quote per piece with the same
  cue; predicted quotes that share a cue span are joined back into one attribution, which is
  what PolNeAR annotates.
* A predicted and a gold attribution match when the character Jaccard of their contents is
  at least 0.5 (or, for the lenient scores, when they share any character); matching is one
  to one, greedily from the highest Jaccard.
* Speaker accuracy is over Jaccard-matched pairs whose gold attribution has a source: the
  predicted speaker span must overlap the gold source (a missing speaker is wrong).
* Some articles were annotated by several annotators; each article is scored against one
  file, the first annotator in sorted order, so that every article counts once.

The baseline is textacy's ``direct_quotations`` (the ``eval`` extra), on the same parse and
with the same scorer; textacy refuses a text with an odd number of quote marks, and such an
article is read paragraph by paragraph instead::

    stancegraph eval polnear ../shared/data/polnear/data/dev                    # both taggers
    stancegraph eval polnear ../shared/data/polnear/data/dev --tagger crf       # the --fast path
    stancegraph eval polnear ../shared/data/polnear/data/dev --system textacy

Each tagger is also scored per kind: ``direct``, ``partial`` or ``indirect`` by the share of
an attribution's content inside quotation marks (the rule of
:func:`~stancegraph.extract.quotes.quote_kind`), gold and predicted attributions of one kind
matched among themselves.

Example
-------
>>> gold = [GoldAttribution(content=((0, 10),), cue=(), source=((20, 22),))]
>>> predicted = [PredictedAttribution(content=((2, 10),), speaker=(20, 22))]
>>> counts = score_article(gold, predicted)
>>> counts.matched, counts.speaker_correct
(1, 1)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from spacy.tokens import Doc
from spacy.tokens import Span as DocSpan

from stancegraph.errors import ModelError
from stancegraph.records import Quote

__all__ = [
    "JACCARD_THRESHOLD",
    "KINDS",
    "SYSTEMS",
    "TAGGERS",
    "Counts",
    "GoldArticle",
    "GoldAttribution",
    "PredictedAttribution",
    "Ranges",
    "Report",
    "Scores",
    "attributions_of",
    "evaluate",
    "evaluate_taggers",
    "jaccard",
    "kind_of",
    "main",
    "match",
    "predict_doc",
    "predict_stancegraph",
    "predict_textacy",
    "read_annotations",
    "read_split",
    "score_article",
    "summarize",
]

JACCARD_THRESHOLD = 0.5
SYSTEMS = ("stancegraph", "textacy")
TAGGERS = ("transformer", "crf")
KINDS = ("direct", "partial", "indirect")

Ranges = tuple[tuple[int, int], ...]
"""Character ranges ``(start, end)``, end exclusive, of one possibly discontinuous span."""

_SPAN_LINE = re.compile(r"^(T\d+)\t([\w-]+) ([\d ;]+)\t", re.MULTILINE)
_EVENT_LINE = re.compile(r"^(E\d+)\t(\S+)((?: \S+)*)\s*$", re.MULTILINE)
_ATTRIBUTION_TYPES = frozenset({"Attribution", "Attribution-no-source"})


@dataclass(frozen=True)
class GoldAttribution:
    """One annotated attribution: content, cue and source ranges (cue and source may be empty)."""

    content: Ranges
    cue: Ranges
    source: Ranges


@dataclass(frozen=True)
class GoldArticle:
    """One article of a split, with the annotations of the annotator it is scored against."""

    name: str
    annotator: str
    text: str
    attributions: list[GoldAttribution]


@dataclass(frozen=True)
class PredictedAttribution:
    """What a system found: content ranges and a speaker range (None when it names none)."""

    content: Ranges
    speaker: tuple[int, int] | None


@dataclass
class Counts:
    """Counts of one article (or, summed, of a split)."""

    articles: int = 0
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    matched_overlap: int = 0
    speaker_total: int = 0
    speaker_correct: int = 0

    def add(self, other: Counts) -> None:
        for name, value in asdict(other).items():
            setattr(self, name, getattr(self, name) + value)


@dataclass(frozen=True)
class Scores:
    """Precision, recall and F1 at Jaccard >= 0.5 and at any overlap, speaker accuracy, counts."""

    precision: float
    recall: float
    f1: float
    overlap_precision: float
    overlap_recall: float
    overlap_f1: float
    speaker_accuracy: float
    counts: Counts = field(default_factory=Counts)


# --------------------------------------------------------------------------------------
# reading


def _ranges(offsets: str) -> Ranges:
    pieces = []
    for piece in offsets.split(";"):
        start, end = piece.split()
        pieces.append((int(start), int(end)))
    return tuple(sorted(pieces))


def read_annotations(ann: str) -> list[GoldAttribution]:
    """The attributions of one brat ``.ann`` text (``Discuss`` and ``Discard`` spans are skipped)."""
    spans = {match[1]: _ranges(match[3]) for match in _SPAN_LINE.finditer(ann)}
    found: list[GoldAttribution] = []
    for match in _EVENT_LINE.finditer(ann):
        kind = match[2].split(":", 1)[0]
        if kind not in _ATTRIBUTION_TYPES:
            continue
        roles = dict(arg.split(":", 1) for arg in match[3].split() if ":" in arg)
        content = spans.get(roles.get("Content", ""))
        if not content:
            continue
        found.append(GoldAttribution(
            content=content,
            cue=spans.get(roles.get("Cue", ""), ()),
            source=spans.get(roles.get("Source", ""), ()),
        ))
    return found


def read_split(directory: Path, *, limit: int = 0) -> list[GoldArticle]:
    """The articles of a PolNeAR split folder (``text/`` and ``attributions/``), in name order.

    Each article is read with its first annotator's file (annotator ids sorted); ``limit``
    keeps the first N articles (0: all). An unreadable split raises :class:`ModelError` E505.
    """
    text_dir, ann_dir = directory / "text", directory / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise ModelError("E505", input=str(directory), detail="expected the folders text/ and attributions/")
    first_annotator: dict[str, str] = {}
    for path in sorted(ann_dir.glob("*.ann")):
        name, _, annotator = path.stem.rpartition("_")
        if name and (name not in first_annotator or annotator < first_annotator[name]):
            first_annotator[name] = annotator
    articles: list[GoldArticle] = []
    for name in sorted(first_annotator):
        if limit and len(articles) >= limit:
            break
        annotator = first_annotator[name]
        try:
            text = (text_dir / f"{name}.txt").read_text(encoding="utf-8")
            ann = (ann_dir / f"{name}_{annotator}.ann").read_text(encoding="utf-8")
            attributions = read_annotations(ann)
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise ModelError("E505", input=f"{name}_{annotator}", detail=str(error)) from error
        articles.append(GoldArticle(name, annotator, text, attributions))
    if not articles:
        raise ModelError("E505", input=str(directory), detail="no annotated articles found")
    return articles


def attributions_of(quotes: Iterable[Quote]) -> list[PredictedAttribution]:
    """Quotes as attributions: quotes sharing a cue span are one attribution, in text order."""
    groups: dict[object, list[Quote]] = {}
    for index, quote in enumerate(quotes):
        key = (quote.cue.start, quote.cue.end) if quote.cue is not None else index
        groups.setdefault(key, []).append(quote)
    found = []
    for group in groups.values():
        content = tuple(sorted((q.content.start, q.content.end) for q in group))
        speaker = next(((q.speaker.start, q.speaker.end) for q in group if q.speaker is not None), None)
        found.append(PredictedAttribution(content, speaker))
    return sorted(found, key=lambda a: a.content)


# --------------------------------------------------------------------------------------
# scoring (pure)


def _merged(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _length(ranges: Sequence[tuple[int, int]]) -> int:
    return sum(end - start for start, end in ranges)


def _intersection(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> int:
    total, i, j = 0, 0, 0
    while i < len(a) and j < len(b):
        total += max(0, min(a[i][1], b[j][1]) - max(a[i][0], b[j][0]))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def jaccard(a: Iterable[tuple[int, int]], b: Iterable[tuple[int, int]]) -> float:
    """Character Jaccard of two sets of ranges: shared characters over characters in either."""
    left, right = _merged(a), _merged(b)
    shared = _intersection(left, right)
    union = _length(left) + _length(right) - shared
    return shared / union if union else 0.0


def match(gold: Sequence[Ranges], predicted: Sequence[Ranges], *, threshold: float | None = JACCARD_THRESHOLD,
          ) -> list[tuple[int, int]]:
    """One-to-one ``(gold index, predicted index)`` pairs, greedily from the highest Jaccard.

    A pair qualifies when its Jaccard is at least ``threshold``, or, with ``threshold=None``,
    when the two share any character.
    """
    merged_predicted = [_merged(p) for p in predicted]
    candidates = []
    for g, gold_ranges in enumerate(gold):
        merged_gold = _merged(gold_ranges)
        for p, predicted_ranges in enumerate(merged_predicted):
            shared = _intersection(merged_gold, predicted_ranges)
            if not shared:
                continue
            value = shared / (_length(merged_gold) + _length(predicted_ranges) - shared)
            if threshold is None or value >= threshold:
                candidates.append((-value, g, p))
    pairs, used_gold, used_predicted = [], set(), set()
    for _, g, p in sorted(candidates):
        if g not in used_gold and p not in used_predicted:
            pairs.append((g, p))
            used_gold.add(g)
            used_predicted.add(p)
    return sorted(pairs)


def score_article(gold: Sequence[GoldAttribution], predicted: Sequence[PredictedAttribution]) -> Counts:
    """The counts of one article."""
    gold_content = [g.content for g in gold]
    predicted_content = [p.content for p in predicted]
    pairs = match(gold_content, predicted_content)
    counts = Counts(articles=1, gold=len(gold), predicted=len(predicted), matched=len(pairs),
                    matched_overlap=len(match(gold_content, predicted_content, threshold=None)))
    for g, p in pairs:
        if not gold[g].source:
            continue
        counts.speaker_total += 1
        speaker = predicted[p].speaker
        if speaker is not None and _intersection(_merged(gold[g].source), [speaker]):
            counts.speaker_correct += 1
    return counts


def _prf(matched: int, gold: int, predicted: int) -> tuple[float, float, float]:
    precision = matched / predicted if predicted else 0.0
    recall = matched / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def summarize(counts: Counts) -> Scores:
    """Scores from summed counts (micro-averaged over attributions)."""
    p, r, f = _prf(counts.matched, counts.gold, counts.predicted)
    op, orr, of = _prf(counts.matched_overlap, counts.gold, counts.predicted)
    accuracy = counts.speaker_correct / counts.speaker_total if counts.speaker_total else 0.0
    return Scores(p, r, f, op, orr, of, accuracy, counts)


# --------------------------------------------------------------------------------------
# systems


def predict_stancegraph(texts: Sequence[str], *, tagger: str = "transformer") -> Iterable[list[PredictedAttribution]]:
    """stancegraph's quotes of each text (the real parse, actors and :func:`find_quotes`) with
    the transformer tagger or the CRF (``tagger="crf"``, the ``--fast`` path)."""
    from stancegraph.nlp import parse

    for doc in parse(texts):
        yield predict_doc(doc, tagger)


def predict_doc(doc: Doc, tagger: str) -> list[PredictedAttribution]:
    """stancegraph's attributions of one parsed text with ``tagger`` (see :data:`TAGGERS`)."""
    from stancegraph.extract.actors import find_actors
    from stancegraph.extract.quotes import find_quotes

    if tagger not in TAGGERS:
        raise ModelError("E552", name=tagger)
    from stancegraph.extract.attribution import load_tagger
    from stancegraph.extract.span_tagger import load_span_tagger

    chosen = load_tagger() if tagger == "crf" else load_span_tagger()
    return attributions_of(find_quotes(doc, find_actors(doc), tagger=chosen))


def predict_textacy(texts: Sequence[str]) -> Iterable[list[PredictedAttribution]]:
    """textacy's ``direct_quotations`` on the same parse (speaker: its speaker tokens' extent).

    textacy refuses a text with an odd number of quote tokens; such an article is then read
    paragraph by paragraph, and only the paragraphs it refuses are left out.
    """
    try:
        from textacy.extract.triples import direct_quotations
    except ImportError as error:
        raise ModelError("E510", detail=str(error)) from error
    from stancegraph.nlp import parse

    def quotes_of(doc: Doc, offset: int) -> list[PredictedAttribution]:
        found = []
        for triple in direct_quotations(doc):
            speaker = (offset + min(t.idx for t in triple.speaker),
                       offset + max(t.idx + len(t) for t in triple.speaker)) if triple.speaker else None
            content = ((offset + triple.content.start_char, offset + triple.content.end_char),)
            found.append(PredictedAttribution(content, speaker))
        return found

    for doc in parse(texts):
        try:
            yield quotes_of(doc, 0)
            continue
        except ValueError:
            pass
        found = []
        for paragraph in _paragraphs(doc):
            try:
                found.extend(quotes_of(paragraph.as_doc(), paragraph.start_char))
            except ValueError:
                continue
        yield found


def _paragraphs(doc: Doc) -> list[DocSpan]:
    """The stretches of a doc between line breaks (whole sentences, since lines end them)."""
    found, start = [], 0
    for token in doc:
        if "\n" in token.text or "\n" in token.whitespace_:
            if token.i + 1 > start:
                found.append(doc[start : token.i + 1])
            start = token.i + 1
    if start < len(doc):
        found.append(doc[start:])
    return found


def kind_of(text: str, content: Ranges, regions: list[tuple[int, int]]) -> str:
    """``direct``, ``partial`` or ``indirect``: the share of the content's letters inside
    quotation marks, over all its pieces, as :func:`~stancegraph.extract.quotes.quote_kind` reads it."""
    from stancegraph.extract.attribution import QUOTATION_SHARE
    from stancegraph.extract.quotemarks import quoted_share

    letters = [sum(ch.isalnum() for ch in text[start:end]) for start, end in content]
    quoted = sum(n * quoted_share(text, start, end, regions) for n, (start, end) in zip(letters, content))
    share = quoted / sum(letters) if sum(letters) else 0.0
    return "direct" if share >= QUOTATION_SHARE else "partial" if share > 0 else "indirect"


@dataclass
class Report:
    """The scores of one tagger on a split: over all attributions and per kind."""

    scores: Scores
    kinds: dict[str, Scores]


def _score_by_kind(article: GoldArticle, predicted: Sequence[PredictedAttribution], totals: dict[str, Counts],
                   regions: list[tuple[int, int]]) -> None:
    """Add the counts of one article to ``totals``: all attributions, then each kind alone
    (gold and predicted of that kind matched among themselves)."""
    totals["all"].add(score_article(article.attributions, predicted))
    for kind in KINDS:
        gold = [g for g in article.attributions if kind_of(article.text, g.content, regions) == kind]
        found = [p for p in predicted if kind_of(article.text, p.content, regions) == kind]
        totals[kind].add(score_article(gold, found))


def evaluate_taggers(directory: Path, *, limit: int = 0, taggers: Sequence[str] = TAGGERS) -> dict[str, Report]:
    """Score stancegraph with each tagger of ``taggers`` on a PolNeAR split (one parse for all)."""
    from stancegraph.extract.quotemarks import quoted_passages
    from stancegraph.nlp import parse

    for tagger in taggers:
        if tagger not in TAGGERS:
            raise ModelError("E552", name=tagger)
    articles = read_split(directory, limit=limit)
    totals = {tagger: {name: Counts() for name in ("all", *KINDS)} for tagger in taggers}
    for article, doc in zip(articles, parse([a.text for a in articles]), strict=True):
        regions = quoted_passages(article.text)
        for tagger in taggers:
            _score_by_kind(article, predict_doc(doc, tagger), totals[tagger], regions)
    return {tagger: Report(summarize(counts["all"]), {kind: summarize(counts[kind]) for kind in KINDS})
            for tagger, counts in totals.items()}


def evaluate(directory: Path, *, limit: int = 0, system: str = "stancegraph", tagger: str = "crf") -> Scores:
    """Score ``system`` (stancegraph with ``tagger``, or textacy) on a PolNeAR split folder."""
    if system not in SYSTEMS:
        raise ModelError("E511", name=system)
    if system == "stancegraph":
        return evaluate_taggers(directory, limit=limit, taggers=(tagger,))[tagger].scores
    articles = read_split(directory, limit=limit)
    total = Counts()
    for article, predicted in zip(articles, predict_textacy([a.text for a in articles]), strict=True):
        total.add(score_article(article.attributions, predicted))
    return summarize(total)


def _print_scores(label: str, scores: Scores) -> None:
    counts = scores.counts
    print(f"  {label:<22}{scores.precision:>7.3f}{scores.recall:>7.3f}{scores.f1:>7.3f}"
          f"{scores.overlap_f1:>9.3f}{scores.speaker_accuracy:>9.3f}{counts.gold:>7}{counts.predicted:>7}")


def main(directory: Path, *, limit: int, format: str, system: str = "stancegraph",
         taggers: Sequence[str] = TAGGERS) -> None:
    """Print the scores of ``system`` on ``directory`` as a table or one JSON object.

    For stancegraph, each tagger of ``taggers`` is scored, over all attributions and per
    kind; the JSON object's top-level scores are those of the first tagger.
    """
    if format not in ("table", "json"):
        raise ModelError("E507", name=format)
    if system not in SYSTEMS:
        raise ModelError("E511", name=system)
    if system == "textacy":
        reports = {"textacy": Report(evaluate(directory, limit=limit, system=system), {})}
    else:
        reports = evaluate_taggers(directory, limit=limit, taggers=taggers)
    first = next(iter(reports.values())).scores
    if format == "json":
        print(json.dumps({
            "directory": str(directory), "system": system, "tagger": next(iter(reports)), **asdict(first),
            "taggers": {name: {**asdict(r.scores), "kinds": {k: asdict(v) for k, v in r.kinds.items()}}
                        for name, r in reports.items()},
        }))
        return
    print(f"PolNeAR {directory.name}: {system}, {first.counts.articles} articles, "
          f"{first.counts.gold} gold attributions (Jaccard >= 0.5; speaker accuracy over matched quotes)")
    print(f"  {'':<22}{'P':>7}{'R':>7}{'F1':>7}{'F1 any':>9}{'speaker':>9}{'gold':>7}{'found':>7}")
    for name, report in reports.items():
        _print_scores(name, report.scores)
        for kind, scores in report.kinds.items():
            _print_scores(f"  {kind}", scores)
