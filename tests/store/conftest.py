"""Hand-built analyses: the store is tested without parsing anything."""

from __future__ import annotations

import pytest

from stancegraph.records import Actor, ArticleAnalysis, Claim, Flag, Quote, Relation, Role, Span, Stance


def build_analysis(article_id: str = "a1", date: str | None = "2024-03-01") -> ArticleAnalysis:
    """An analysis with one of every record, its offsets true to its text."""
    text = "Talks\n\nFrench President Emmanuel Macron met Scholz. “We agree,” Macron said. He backed 3% growth."
    at = text.index

    def span(part: str, start: int | None = None) -> Span:
        begin = at(part) if start is None else start
        return Span(begin, begin + len(part), part)

    title_span = span("French President Emmanuel Macron")
    macron_again = span("Macron", at("Macron said"))
    macron = Actor(
        "emmanuel-macron", "Emmanuel Macron", "person",
        aliases=["French President Emmanuel Macron", "Macron", "He"],
        mentions=[title_span, macron_again, span("He")],
        roles=[Role(title_span, "French President", "president", "head", "France", None)],
        country="France",
    )
    scholz = Actor("scholz", "Scholz", "person", mentions=[span("Scholz")])
    return ArticleAnalysis(
        id=article_id, title="Talks", date=date, source="Daily", url="https://daily.example/talks", text=text,
        actors=[macron, scholz],
        quotes=[Quote("direct", span("We agree,"), span("said"), macron_again, "emmanuel-macron", 0.9)],
        stances=[Stance("emmanuel-macron", "scholz", "actor", 1, span("“We agree,” Macron said"), 0.7),
                 Stance("emmanuel-macron", "growth", "issue", 1, span("He backed 3% growth"), 0.6)],
        relations=[Relation("emmanuel-macron", "scholz", "agree", "growth")],
        claims=[Claim(span("3%"), 3.0, "percent", None, "emmanuel-macron", "growth")],
        flags=[Flag("contradiction", "emmanuel-macron", "says two things", [span("We agree,"), span("He backed")])],
    )


@pytest.fixture
def analysis() -> ArticleAnalysis:
    return build_analysis()


@pytest.fixture
def make_analysis():
    """The builder itself, for tests that need several analyses."""
    return build_analysis
