"""The founding article end to end: what issues 2, 3 and 6 say it must show.

The article is read from ../shared/seed at test time (never copied into the repository); the
pipeline holds no case keyed to it, and these tests only read what it finds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stancegraph import analyze
from stancegraph.extract import TAGGER_VARIABLE
from stancegraph.records import ArticleAnalysis

SEED = Path(__file__).resolve().parents[1] / ".." / "shared" / "seed" / "article.txt"


@pytest.fixture(scope="module")
def seed() -> ArticleAnalysis:
    with pytest.MonkeyPatch.context() as patch:  # the default quote tagger, as a user gets it
        patch.setenv(TAGGER_VARIABLE, "auto")
        return analyze(SEED.read_text(encoding="utf-8"))


def actor_named(seed: ArticleAnalysis, surname: str) -> str:
    [actor] = [a for a in seed.actors if a.type == "person" and a.name.split()[-1] == surname]
    return actor.id


def test_actors_are_merged_with_their_aliases(seed: ArticleAnalysis) -> None:
    trump = next(a for a in seed.actors if a.id == actor_named(seed, "Trump"))
    assert {"Trump", "U.S. President Donald Trump"} <= set(trump.aliases)
    putin = next(a for a in seed.actors if a.id == actor_named(seed, "Putin"))
    assert any("Russian leader" in alias for alias in putin.aliases)
    names = {a.name for a in seed.actors}
    assert not {"Macron Split", "Trusting Putin"} & names


def test_every_kind_of_quote_with_pronoun_speakers_resolved(seed: ArticleAnalysis) -> None:
    assert {q.kind for q in seed.quotes} == {"direct", "partial", "indirect"}
    pronoun_quotes = [q for q in seed.quotes if q.speaker is not None and q.speaker.text.lower() in {"he", "she"}]
    assert pronoun_quotes and all(q.actor is not None for q in pronoun_quotes)
    for quote in seed.quotes:
        for span in (quote.content, quote.cue, quote.speaker):
            assert span is None or seed.text[span.start:span.end] == span.text


def test_stances_and_relations(seed: ArticleAnalysis) -> None:
    trump, macron, orban, putin = (actor_named(seed, n) for n in ("Trump", "Macron", "Orbán", "Putin"))
    held = {(s.actor, s.target, s.polarity) for s in seed.stances}
    russia = {a.id for a in seed.actors if a.name == "Russia"}
    assert any((macron, r, -1) in held for r in russia | {putin})
    assert (trump, putin, 1) in held
    assert any(a == macron and "sanction" in t and p == 1 for a, t, p in held)
    assert any(a == orban and "sanction" in t and p == -1 for a, t, p in held)
    ending = {t for a, t, p in held if a == trump and p == 1} & {t for a, t, p in held if a == macron and p == 1}
    assert any(t.startswith("end") for t in ending)
    pair = {trump, macron}
    kinds = {r.kind for r in seed.relations if {r.a, r.b} == pair}
    assert kinds == {"agree", "conflict"}


def test_claims_and_the_role_flag(seed: ArticleAnalysis) -> None:
    un = {a.id for a in seed.actors if a.name == "United Nations"}
    by_value = {c.value: c for c in seed.claims}
    assert by_value[10000].qualifier == "over" and by_value[10000].source in un
    assert by_value[14_000_000].source in un
    trump = actor_named(seed, "Trump")
    assert any(f.kind == "role_conflict" and f.actor == trump for f in seed.flags)
