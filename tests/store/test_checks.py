"""Corpus checks on a store built with ``stancegraph.store.write_analyses`` from hand-made analyses."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from stancegraph.cli.main import app
from stancegraph.records import Actor, ArticleAnalysis, Claim, Quote, Role, Span
from stancegraph.store import open_store, write_analyses
from stancegraph.store.checks import figure_disagreements, quote_attributions, role_disagreements, run_checks

NAMES = {"trump": "Donald Trump", "macron": "Emmanuel Macron", "un": "United Nations"}


@dataclass
class Draft:
    """An article written piece by piece; every piece keeps its offsets in the text."""

    id: str
    date: str
    outlet: str
    text: str = ""
    actors: dict[str, Actor] = field(default_factory=dict)
    quotes: list[Quote] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    def write(self, words: str) -> Span:
        start = len(self.text) + (1 if self.text else 0)
        self.text = f"{self.text} {words}" if self.text else words
        return Span.of(self.text, start, start + len(words))

    def actor(self, key: str) -> Actor:
        if key not in self.actors:
            self.actors[key] = Actor(key, NAMES[key], "person", mentions=[self.write(NAMES[key] + ".")])
        return self.actors[key]

    def role(self, key: str, words: str, title: str, office: str, country: str | None, tense: str | None) -> Span:
        actor = self.actor(key)
        span = self.write(words)
        actor.mentions.append(span)
        actor.roles.append(Role(span, title, office, "head", country, tense))
        return span

    def quote(self, key: str, content: str) -> Span:
        self.actor(key)
        span = self.write(f"{content}")
        self.quotes.append(Quote("direct", span, None, None, key, 0.9))
        return span

    def claim(self, words: str, value: float, unit: str, qualifier: str | None, source: str | None,
              subject: str | None) -> Span:
        if source in NAMES:
            self.actor(source)
        span = self.write(words + ".")
        span = Span(span.start, span.end - 1, words)
        self.claims.append(Claim(span, value, unit, qualifier, source, subject))
        return span

    def analysis(self) -> ArticleAnalysis:
        return ArticleAnalysis(self.id, "Title", self.date, self.outlet, self.text, actors=list(self.actors.values()),
                               quotes=self.quotes, claims=self.claims)


def store(path: Path, drafts: list[Draft]) -> duckdb.DuckDBPyConnection:
    con = open_store(path)
    write_analyses(con, [draft.analysis() for draft in drafts])
    return con


def test_same_quote_with_two_speakers_in_two_articles(tmp_path: Path) -> None:
    a1, a2 = Draft("a1", "2024-03-01", "Wire"), Draft("a2", "2024-03-03", "Daily")
    first = a1.quote("trump", "I know him, I like him. We can make a deal with Moscow.")
    a2.quote("macron", "We can make a deal with Moscow!")
    (finding,) = quote_attributions(store(tmp_path / "s.duckdb", [a1, a2]))
    assert finding.kind == "quote_attribution"
    assert "Donald Trump" in finding.message and "Emmanuel Macron" in finding.message
    assert [e.article_id for e in finding.evidence] == ["a1", "a2"]
    assert finding.evidence[0].link == f"/articles/a1#{first.start}-{first.end}"


def test_same_quote_same_speaker_or_few_words_not_flagged(tmp_path: Path) -> None:
    a1, a2, a3 = Draft("a1", "2024-03-01", "Wire"), Draft("a2", "2024-03-03", "Daily"), Draft("a3", "2024-05-20", "Weekly")
    a1.quote("trump", "We can make a deal with Moscow.")
    a2.quote("trump", "We can make a deal with Moscow.")
    a1.quote("trump", "We will see.")
    a3.quote("macron", "We will see.")
    assert quote_attributions(store(tmp_path / "s.duckdb", [a1, a2, a3])) == []


def test_figures_that_disagree_on_nearby_dates(tmp_path: Path) -> None:
    a1, a2 = Draft("a1", "2024-03-01", "Wire"), Draft("a2", "2024-03-03", "Daily")
    first = a1.claim("over 10,000 civilian deaths", 10000, "civilian deaths", "over", "un", "civilian deaths")
    second = a2.claim("3,000 civilian deaths", 3000, "civilian deaths", None, "Russia", "Civilian deaths")
    (finding,) = figure_disagreements(store(tmp_path / "s.duckdb", [a1, a2]), days=7)
    assert finding.kind == "figure_disagreement"
    assert [(e.article_id, e.start, e.end) for e in finding.evidence] == [
        ("a1", first.start, first.end), ("a2", second.start, second.end)]
    assert "over 10,000" in finding.message and "United Nations" in finding.message and "3,000" in finding.message


def test_figures_not_flagged_when_far_apart_reconcilable_or_different(tmp_path: Path) -> None:
    drafts = [Draft("a1", "2024-03-01", "Wire"), Draft("a2", "2024-03-03", "Daily"),
              Draft("a3", "2024-05-20", "Weekly"), Draft("a4", "2024-03-01", "Post")]
    a1, a2, a3, a4 = drafts
    a1.claim("over 10,000 civilian deaths", 10000, "civilian deaths", "over", "un", "civilian deaths")
    a2.claim("12,500 civilian deaths", 12500, "civilian deaths", None, None, "civilian deaths")  # both can be true
    a3.claim("2,000 civilian deaths", 2000, "civilian deaths", None, None, "civilian deaths")  # months later
    a4.claim("2,000 military deaths", 2000, "military deaths", None, None, "military deaths")  # another quantity
    a1.claim("500 people", 500, "people", None, None, "people")  # one generic word: different events share it
    a2.claim("90 people", 90, "people", None, None, "people")
    con = store(tmp_path / "s.duckdb", drafts)
    assert figure_disagreements(con, days=7) == []
    assert len(figure_disagreements(con, days=120)) == 2  # a3's 2,000 against a1 and a2


def test_role_stated_differently_on_one_date(tmp_path: Path) -> None:
    a1, a4 = Draft("a1", "2024-03-01", "Wire"), Draft("a4", "2024-03-01", "Post")
    a1.role("trump", "U.S. President Donald Trump", "U.S. President", "president", "United States", None)
    a4.role("trump", "the former U.S. president", "former U.S. president", "president", "United States", "past")
    a1.role("macron", "French President Emmanuel Macron", "French President", "president", "France", None)
    a4.role("macron", "French Prime Minister Emmanuel Macron", "French Prime Minister", "prime minister", "France", None)
    findings = role_disagreements(store(tmp_path / "s.duckdb", [a1, a4]))
    assert sorted(f.message.split(" give ")[1].split(" conflicting")[0] for f in findings) == [
        "Donald Trump", "Emmanuel Macron"]
    trump = next(f for f in findings if "Trump" in f.message)
    assert [(e.article_id, e.detail) for e in trump.evidence] == [("a1", "present"), ("a4", "former")]


def test_roles_that_agree_or_differ_in_date_not_flagged(tmp_path: Path) -> None:
    a1, a2, a4 = Draft("a1", "2024-03-01", "Wire"), Draft("a2", "2024-03-03", "Daily"), Draft("a4", "2024-03-01", "Post")
    a1.role("trump", "Former U.S. President Donald Trump", "Former U.S. President", "president", "United States", "past")
    a4.role("trump", "the former president", "former president", "president", None, "past")
    a2.role("trump", "President Trump", "President", "president", None, None)  # another date
    a1.role("macron", "French President Emmanuel Macron", "French President", "president", "France", None)
    a4.role("macron", "the French leader", "French leader", "leader", "France", None)
    a4.role("macron", "then-President Macron", "then-President", "president", None, "past")
    assert role_disagreements(store(tmp_path / "s.duckdb", [a1, a2, a4])) == []


def test_check_command_prints_json_and_table(tmp_path: Path) -> None:
    a1, a4 = Draft("a1", "2024-03-01", "Wire"), Draft("a4", "2024-03-01", "Post")
    first = a1.role("trump", "U.S. President Donald Trump", "U.S. President", "president", "United States", None)
    second = a4.role("trump", "the former U.S. president", "former U.S. president", "president", "United States", "past")
    path = tmp_path / "s.duckdb"
    store(path, [a1, a4]).close()
    runner = CliRunner()
    result = runner.invoke(app, ["check", "--db", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["counts"] == {"quote_attribution": 0, "figure_disagreement": 0, "role_disagreement": 1}
    assert [e["link"] for e in payload["findings"][0]["evidence"]] == [
        f"/articles/a1#{first.start}-{first.end}", f"/articles/a4#{second.start}-{second.end}"]
    table = runner.invoke(app, ["check", "--db", str(path)])
    assert table.exit_code == 0 and "role_disagreement" in table.stdout
    assert f"/articles/a1#{first.start}-{first.end}" in table.stdout


def test_check_command_refuses_a_missing_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["check", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1 and "E201" in result.stderr


def test_run_checks_on_an_empty_store(tmp_path: Path) -> None:
    assert run_checks(store(tmp_path / "s.duckdb", [])) == []
