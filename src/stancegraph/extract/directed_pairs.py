"""Directed pairs: who praises or blames whom, asked of the directed stance model where no rule spoke.

Two kinds of pair are asked, all in one batched call per article:

* every two actors named in one sentence (names, titles, descriptors; not pronouns; the first
  three actors) that holds a word that judges ("praised", "criticism", "disaster", "will
  hurt"), with the sentence as it stands: both directions of the answer count;
* a quote's speaker toward each actor the quote names, when the speaker is not named in that
  sentence: the model reads "<speaker> said: <the words said in that sentence>", and only the
  speaker's direction counts.

At most :data:`MAX_ASKS_PER_ARTICLE` pairs are asked per article. The verb frames are the surer reading: a pair the rules already relate in that sentence
(either way round), or the target model already judged, is not asked. Neutral answers and
answers below :data:`MIN_PROBABILITY` are dropped; a model stance's confidence is its
probability times :data:`MODEL_FACTOR`, below the rules'.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from stancegraph import lang
from stancegraph.extract.actors import Mention
from stancegraph.extract.directed_stance import direction_and_polarity
from stancegraph.extract.stance_context import Found
from stancegraph.extract.stance_targets import TargetReader
from stancegraph.extract.stance_words import asks_or_supposes, judgement_words, noun_frames, verb_frames

__all__ = ["MIN_PROBABILITY", "MODEL_FACTOR", "DirectedPairs", "DirectedPredictor"]

MODEL_FACTOR = 0.9
MIN_PROBABILITY = 0.5
MAX_ACTORS_PER_SENTENCE = 3
MAX_ASKS_PER_ARTICLE = 4
"""At most this many pairs per article (quotes first, then sentences in text order): a bound on the model's cost."""
NAMING_KINDS = frozenset({"name", "title", "descriptor", "metonym", "demonym"})


class DirectedPredictor(Protocol):
    """For each (text, p span, q span): one of the five directed labels and its probability."""

    def predict_pairs(self, items: Sequence[tuple[str, tuple[int, int], tuple[int, int]]]) -> list[tuple[str, float]]: ...


@dataclass(frozen=True)
class _Ask:
    text: str
    p: tuple[int, int]
    q: tuple[int, int]
    p_actor: str
    q_actor: str
    both_ways: bool  # False: only p's stance toward q counts (a quote's speaker)
    evidence: frozenset[int]
    anchor: int


class DirectedPairs:
    """Builds the pairs of one article, asks the model once, and adds its stances to the finder."""

    def __init__(self, finder: TargetReader) -> None:
        self.finder = finder
        self.related = {(f.holder, f.target, finder.sentence_of[f.anchor]) for f in finder.found
                        if isinstance(f.target, str)}

    def open_pair(self, a: str, b: str, sentence: int) -> bool:
        return (a, b, sentence) not in self.related and (b, a, sentence) not in self.related

    def cued_sentences(self) -> set[int]:
        """Sentences that hold a word that judges (a verb or noun of judgement, a judgement, a consequence):
        the model is asked only there, to keep its cost a small share of the parse."""
        words = {*(lemma for lemma, frames in verb_frames().items() if any(f.kind == "evaluate" for f in frames)),
                 *(noun for noun, frame in noun_frames().items() if frame.kind == "evaluate"),
                 *judgement_words(), *(row[0] for row in lang.rows("stance_consequences.tsv"))}
        return {self.finder.sentence_of[token.i] for token in self.finder.with_lemma(words)}

    def sentence_asks(self) -> list[_Ask]:
        """Every two actors named in one cued sentence that the rules left unrelated there."""
        finder, asks, cued = self.finder, [], self.cued_sentences()
        firsts: dict[int, dict[str, Mention]] = {}
        for mention in finder.actors.mentions:
            if mention.kind in NAMING_KINDS and mention.token_start not in finder.headline \
                    and finder.sentence_of[mention.token_start] in cued \
                    and not asks_or_supposes(finder.doc[mention.token_start]):
                number = finder.sentence_of[mention.token_start]
                firsts.setdefault(number, {}).setdefault(mention.actor, mention)
        for number, named in firsts.items():
            start, end = finder.sentences[number]
            offset = finder.doc[start].idx
            text = finder.text[offset : finder.doc[end - 1].idx + len(finder.doc[end - 1].text)]
            mentions = sorted(named.values(), key=lambda m: m.token_start)[:MAX_ACTORS_PER_SENTENCE]
            for a, b in itertools.combinations(mentions, 2):
                if a.actor == b.actor or b.token_start < a.token_end or not self.open_pair(a.actor, b.actor, number):
                    continue  # one actor, nested mentions ("the former U.S. president"), or related by a rule
                evidence = frozenset(range(a.token_start, b.token_end))
                asks.append(_Ask(text, (a.span.start - offset, a.span.end - offset),
                                 (b.span.start - offset, b.span.end - offset), a.actor, b.actor, True, evidence,
                                 a.token_start))
        return asks

    def quote_asks(self) -> list[_Ask]:
        """A quote's speaker toward each actor the quote names, where the speaker is not named in that sentence."""
        finder, asks = self.finder, []
        for quote in finder.quotes:
            speaker = finder.actors.get(quote.actor)
            if speaker is None:
                continue
            for mention in finder.actors.mentions_between(quote.content.start, quote.content.end):
                number = finder.sentence_of[mention.token_start]
                start, end = finder.sentences[number]
                named_here = {m.actor for i in range(start, end) if (m := finder.actors.mention_at(i)) is not None}
                if mention.actor == speaker.id or mention.kind not in NAMING_KINDS or speaker.id in named_here \
                        or asks_or_supposes(finder.doc[mention.token_start]) \
                        or not self.open_pair(speaker.id, mention.actor, number):
                    continue
                said_start = max(quote.content.start, finder.doc[start].idx)
                said_end = min(quote.content.end, finder.doc[end - 1].idx + len(finder.doc[end - 1].text))
                prefix = f"{speaker.name} said: "
                text = prefix + finder.text[said_start:said_end]
                shift = len(prefix) - said_start
                tokens = frozenset(t.i for t in finder.doc[start:end] if said_start <= t.idx < said_end)
                asks.append(_Ask(text, (0, len(speaker.name)), (mention.span.start + shift, mention.span.end + shift),
                                 speaker.id, mention.actor, False, tokens, mention.token_start))
        return asks

    def classify(self, model: DirectedPredictor) -> None:
        """Ask every open pair in one call and add the non-neutral answers as stances."""
        asks = list({(a.p_actor, a.q_actor, a.text): a for a in [*self.quote_asks(), *self.sentence_asks()]}.values())
        asks = asks[:MAX_ASKS_PER_ARTICLE]
        if not asks:
            return
        answers = model.predict_pairs([(a.text, a.p, a.q) for a in asks])
        for ask, (label, probability) in zip(asks, answers, strict=True):
            direction, polarity = direction_and_polarity(label)
            if not polarity or probability < MIN_PROBABILITY or (direction == "q->p" and not ask.both_ways):
                continue
            holder, target = (ask.p_actor, ask.q_actor) if direction == "p->q" else (ask.q_actor, ask.p_actor)
            self.finder.found.append(Found(holder, target, polarity, probability * MODEL_FACTOR,
                                           set(ask.evidence), ask.anchor))
