"""Score quote attribution on a set written as JSON lines (``stancegraph eval quotes FILE``).

Each line is one article: ``id``, ``text``, optionally ``lang`` and ``title``, and
``attributions``, each with the ``content`` (the attributed words, as they stand in the
text), the ``cue`` (the reporting verb or "selon"; null when there is none), the ``speaker``
(the source's words as written: a name, a descriptor or a pronoun; null for none) and the
``actor`` (the person or body meant, by the name the corpus keys on; null for an unnamed
one). Words are located in the text: the content must occur once; the cue is taken where
it stands nearest to the content, the speaker nearest to the cue. The set of the French pipeline is
``evaluation/fr/`` (see its README).

The scoring is :mod:`stancegraph.evaluation.polnear`'s: contents match one to one at
character Jaccard >= 0.5 (and, leniently, at any overlap); speaker accuracy is over matched
attributions with a speaker, the predicted speaker span overlapping the gold one. Actor
accuracy is over matched attributions with an actor: the predicted quote's actor has that
name (what a network is built from, so a pronoun resolved to the right person counts).

A set may also list each article's ``figures`` (``text`` as it stands in the text, the
``occurrence`` of it when it stands more than once, ``value``, ``unit``, ``qualifier``,
``source``): the article's claims are then scored as ``eval claims`` scores them
(:mod:`stancegraph.evaluation.claims`: spans matched by overlap, value, unit and source).

It may also list each article's ``stances`` (``actor`` holding it, ``target``, ``kind``
``actor`` or ``issue``, ``polarity`` +1 or -1, ``evidence`` occurring once in the text): the
article's stances are then scored by :mod:`stancegraph.evaluation.stance_scores`.

Example
-------
>>> import json, tempfile, pathlib
>>> line = {"id": "a", "lang": "fr", "text": "« Nous ne céderons pas », a déclaré Claire Dumont.",
...         "attributions": [{"content": "Nous ne céderons pas", "cue": "déclaré", "speaker": "Claire Dumont",
...                           "actor": "Claire Dumont"}]}
>>> path = pathlib.Path(tempfile.mkdtemp()) / "set.jsonl"
>>> _ = path.write_text(json.dumps(line, ensure_ascii=False) + "\\n", encoding="utf-8")
>>> report = evaluate(path)
>>> report.scores.f1, report.scores.speaker_accuracy, report.actor_accuracy
(1.0, 1.0, 1.0)
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from stancegraph.errors import ModelError
from stancegraph.evaluation import claims as claim_scores
from stancegraph.evaluation import stance_scores
from stancegraph.evaluation.polnear import (
    Counts,
    GoldAttribution,
    PredictedAttribution,
    Scores,
    match,
    score_article,
    summarize,
)
from stancegraph.records import Article, ArticleAnalysis

__all__ = ["GoldArticle", "Report", "evaluate", "main", "read_set"]


@dataclass(frozen=True)
class GoldArticle:
    """One article of the set: its text, language and gold attributions with their actors."""

    id: str
    text: str
    lang: str | None
    attributions: list[GoldAttribution]
    actors: list[str | None]
    figures: list[claim_scores.Gold] | None = None
    stances: list[stance_scores.GoldStance] | None = None


@dataclass(frozen=True)
class Report:
    """The scores of a set, with actor accuracy beside PolNeAR's measures."""

    scores: Scores
    actor_total: int
    actor_correct: int
    figures: claim_scores.Scores | None = None
    stances: stance_scores.StanceScores | None = None

    @property
    def actor_accuracy(self) -> float:
        return self.actor_correct / self.actor_total if self.actor_total else 0.0


def _nearest(text: str, words: str | None, anchor: tuple[int, int], *, where: str) -> tuple[tuple[int, int], ...]:
    """The occurrence of ``words`` nearest to ``anchor`` (outside it), as ranges; () for None."""
    if not words:
        return ()
    starts = []
    start = text.find(words)
    while start >= 0:
        end = start + len(words)
        if end <= anchor[0] or start >= anchor[1]:
            starts.append(start)
        start = text.find(words, start + 1)
    if not starts:
        raise ValueError(f"{where} {words!r} is not in the text (outside the content)")
    best = min(starts, key=lambda s: s - anchor[1] if s >= anchor[1] else anchor[0] - s - len(words))
    return ((best, best + len(words)),)


def read_set(path: Path) -> list[GoldArticle]:
    """The articles of a set file; E152 names the line of a malformed one."""
    articles = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise ModelError("E152", path=path, line=0, detail=err.strerror or str(err)) from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            text = record["text"]
            gold, actors = [], []
            for item in record["attributions"]:
                content = item["content"]
                if text.count(content) != 1:
                    raise ValueError(f"content {content!r} occurs {text.count(content)} times, not once")
                start = text.index(content)
                ranges = ((start, start + len(content)),)
                cue = _nearest(text, item.get("cue"), ranges[0], where="cue")
                speaker = _nearest(text, item.get("speaker"), cue[0] if cue else ranges[0], where="speaker")
                gold.append(GoldAttribution(ranges, cue, speaker))
                actors.append(item.get("actor"))
            figures = [_figure(text, item) for item in record["figures"]] if "figures" in record else None
            stances = ([stance_scores.read_stance(text, item) for item in record["stances"]]
                       if "stances" in record else None)
            articles.append(GoldArticle(str(record["id"]), text, record.get("lang"), gold, actors, figures, stances))
        except (ValueError, KeyError, TypeError) as err:
            detail = f"missing field {err}" if isinstance(err, KeyError) else str(err)
            raise ModelError("E152", path=path, line=number, detail=detail) from None
    return articles


def _figure(text: str, item: dict[str, Any]) -> claim_scores.Gold:
    """A gold figure located in the text: its ``occurrence``-th (1 by default) place."""
    words, occurrence = item["text"], int(item.get("occurrence", 1))
    start = -1
    for _ in range(occurrence):
        start = text.find(words, start + 1)
        if start < 0:
            raise ValueError(f"figure {words!r} does not occur {occurrence} time(s) in the text")
    return claim_scores.Gold(start, start + len(words), words, float(item["value"]), item["unit"],
                             item.get("qualifier"), item.get("source"))


def _predicted_figures(analysis: ArticleAnalysis) -> list[claim_scores.Predicted]:
    """The article's claims, each source with the names its actor is known by."""
    actors = {actor.id: actor for actor in analysis.actors}
    found = []
    for claim in analysis.claims:
        actor = actors.get(claim.source or "")
        names = (actor.name, *actor.aliases) if actor is not None else ((claim.source,) if claim.source else ())
        found.append(claim_scores.Predicted(claim.span.start, claim.span.end, claim.value, claim.unit,
                                            claim.qualifier, claim.source, names))
    return found


def _predicted(analysis: ArticleAnalysis) -> tuple[list[PredictedAttribution], list[str | None]]:
    """Each quote as an attribution (one per quote: French incises are not split) and its actor's name."""
    names = {actor.id: actor.name for actor in analysis.actors}
    predicted, actors = [], []
    for quote in analysis.quotes:
        speaker = (quote.speaker.start, quote.speaker.end) if quote.speaker else None
        predicted.append(PredictedAttribution(((quote.content.start, quote.content.end),), speaker))
        actors.append(names.get(quote.actor) if quote.actor else None)
    return predicted, actors


def evaluate(path: Path) -> Report:
    """Analyse every article of the set (in its own language) and score its quotes."""
    from stancegraph.pipeline import analyze_articles

    gold = read_set(path)
    total = Counts()
    actor_total = actor_correct = 0
    results = analyze_articles([Article(a.text, id=a.id, lang=a.lang) for a in gold])
    figure_pairs: list[tuple[claim_scores.Gold | None, claim_scores.Predicted | None]] = []
    stances: list[stance_scores.StanceScores] = []
    for article, result in zip(gold, results, strict=True):
        if not isinstance(result, ArticleAnalysis):
            raise result
        if article.figures is not None:
            figure_pairs += claim_scores.match(article.figures, _predicted_figures(result))
        if article.stances is not None:
            stances.append(stance_scores.score(article.stances, stance_scores.predicted_stances(result),
                                               lang=result.lang))
        predicted, actors = _predicted(result)
        total.add(score_article(article.attributions, predicted))
        for g, p in match([a.content for a in article.attributions], [p.content for p in predicted]):
            if article.actors[g]:
                actor_total += 1
                actor_correct += actors[p] == article.actors[g]
    has_figures = any(article.figures is not None for article in gold)
    return Report(summarize(total), actor_total, actor_correct,
                  claim_scores.score_pairs(figure_pairs) if has_figures else None,
                  stance_scores.total(stances) if stances else None)


def main(path: Path, *, format: str = "table") -> Report:
    """Print the scores of a set as a table or JSON."""
    report = evaluate(path)
    scores, counts = report.scores, report.scores.counts
    if format == "json":
        payload: dict[str, Any] = {**asdict(scores), "actor_accuracy": report.actor_accuracy,
                                   "actor_total": report.actor_total}
        if report.figures is not None:
            payload["figures"] = asdict(report.figures)
        if report.stances is not None:
            payload["stances"] = asdict(report.stances)
        print(json.dumps(payload, indent=2))
        return report
    print(f"{path}: {counts.articles} articles, {counts.gold} gold attributions, {counts.predicted} predicted")
    print(f"  Jaccard >= 0.5   P {scores.precision:.3f}  R {scores.recall:.3f}  F1 {scores.f1:.3f}")
    print(f"  any overlap      P {scores.overlap_precision:.3f}  R {scores.overlap_recall:.3f}  F1 {scores.overlap_f1:.3f}")
    print(f"  speaker accuracy {scores.speaker_accuracy:.3f} ({counts.speaker_correct}/{counts.speaker_total} matched "
          "with a speaker, span overlap)")
    print(f"  actor accuracy   {report.actor_accuracy:.3f} ({report.actor_correct}/{report.actor_total} matched "
          "with a named actor, resolved name)")
    if report.figures is not None:
        figures = report.figures
        print(f"  figures: {figures.gold} gold, {figures.predicted} predicted, {figures.matched} matched (span overlap)")
        for name in claim_scores.FIELDS:
            field = figures.fields[name]
            print(f"    {name:<7} P {field.precision:.3f}  R {field.recall:.3f}  F1 {field.f1:.3f}")
    if report.stances is not None:
        stances = report.stances
        print(f"  stances: {stances.gold} gold, {stances.predicted} predicted (evidence overlap)")
        for label, field in (("holder+target+polarity", stances.full), ("holder+polarity", stances.holder_polarity)):
            print(f"    {label:<22} P {field.precision:.3f}  R {field.recall:.3f}  F1 {field.f1:.3f}"
                  f"  ({field.correct} matched)")
    return report
