"""The actor registry file, and corpus actors resolved across articles written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from stancegraph.errors import RegistryError
from stancegraph.pipeline import analyze
from stancegraph.records import Actor, ArticleAnalysis, Role, Span
from stancegraph.registry import Registry, Resolver, default_registry_path, load_registry
from stancegraph.store import open_store, write_analyses

REGISTRY_YAML = """\
actors:
  - name: Donald Trump
    country: United States
    aliases: [The Donald]
    roles:
      - {office: president, country: United States, from: 2017-01-20, to: 2021-01-20}
  - id: nato
    name: North Atlantic Treaty Organization
    type: organization
    aliases: [NATO, the Alliance]
"""


# --- the file ---


def test_yaml_registry_is_read_with_defaults(tmp_path):
    path = tmp_path / "corpus.actors.yaml"
    path.write_text(REGISTRY_YAML, encoding="utf-8")
    registry = load_registry(path)
    trump = registry.entries["donald-trump"]
    assert (trump.type, trump.country, trump.aliases) == ("person", "United States", ["The Donald"])
    assert trump.roles[0].start == dt.date(2017, 1, 20) and trump.roles[0].office_class == "head"
    assert registry.entries["nato"].type == "organization"


def test_csv_registry_has_one_row_per_role(tmp_path):
    path = tmp_path / "actors.csv"
    path.write_text(
        "id,name,type,country,aliases,office,office_country,from,to\n"
        "tony-blair,Tony Blair,person,United Kingdom,Blair|Mr Blair,prime minister,United Kingdom,1997-05-02,2007-06-27\n"
        "tony-blair,,,,,leader,,1994-07-21,2007-06-24\n"
        ",Labour Party,organization,United Kingdom,Labour,,,,\n",
        encoding="utf-8",
    )
    registry = load_registry(path)
    blair = registry.entries["tony-blair"]
    assert blair.aliases == ["Blair", "Mr Blair"]
    assert [(r.office, r.start.year, r.end.year) for r in blair.roles] == [("prime minister", 1997, 2007),
                                                                          ("leader", 1994, 2007)]
    assert registry.entries["labour-party"].aliases == ["Labour"]


@pytest.mark.parametrize("suffix", [".yaml", ".csv"])
def test_a_saved_registry_reads_back_the_same(tmp_path, suffix):
    registry = Registry.from_data(__import__("yaml").safe_load(REGISTRY_YAML))
    path = registry.save(tmp_path / f"registry{suffix}")
    again = load_registry(path)
    assert {k: v.to_data() for k, v in again.entries.items()} == {k: v.to_data() for k, v in registry.entries.items()}


@pytest.mark.parametrize(("text", "message"), [
    ("actors:\n  - name: X\n    nickname: Y\n", "unknown field(s) ['nickname']"),
    ("actors:\n  - name: X\n    type: robot\n", "type 'robot'"),
    ("actors:\n  - name: X\n    roles: [{office: mayor, from: last year}]\n", "'last year' is not a date"),
    ("actors:\n  - name: X\n    roles: [{office: mayor, from: 2020-01-01, to: 2019-01-01}]\n", "ends before it starts"),
    ("actors:\n  - aliases: [Y]\n", "needs at least a 'name'"),
    ("actors:\n  - name: X\n  - name: X\n", "appears twice"),
    ("actors: [unclosed\n", "E601"),
])
def test_registry_errors_name_the_file_and_the_problem(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        load_registry(path)
    assert message in str(err.value) and str(err.value).startswith(str(path))


def test_the_default_registry_sits_beside_the_store(tmp_path):
    assert default_registry_path(tmp_path / "corpus.duckdb") == tmp_path / "corpus.actors.yaml"
    assert load_registry(tmp_path / "missing.yaml", required=False).entries == {}
    with pytest.raises(RegistryError):
        load_registry(tmp_path / "missing.yaml")


# --- resolution rules on hand-built actors ---


def article(article_id: str, *actors: Actor, date: str | None = None, text: str = "") -> ArticleAnalysis:
    return ArticleAnalysis(article_id, None, date, None, text, actors=list(actors))


def person(name: str, *aliases: str, roles: list[Role] | None = None) -> Actor:
    return Actor(name.lower().replace(" ", "-").replace(".", ""), name, "person", list(aliases), roles=roles or [])


def role(office: str, office_class: str = "head", country: str | None = None, tense: str | None = None) -> Role:
    return Role(Span(0, 1, "x"), office, office, office_class, country, tense)


def test_full_names_link_with_middle_initials_ignored():
    resolver = Resolver()
    first = resolver.resolve(article("a1", person("Donald J. Trump", "Trump"))).ids
    second = resolver.resolve(article("a2", person("Donald Trump"))).ids
    third = resolver.resolve(article("a3", person("Donald Trump Jr."))).ids
    assert first["donald-j-trump"] == second["donald-trump"] == "donald-j-trump"
    assert third["donald-trump-jr"] != "donald-j-trump"


def test_a_shared_surname_keeps_two_people_apart():
    resolver = Resolver()
    bill = resolver.resolve(article("a1", person("Bill Clinton"))).ids["bill-clinton"]
    bare = resolver.resolve(article("a2", person("Clinton"))).ids["clinton"]
    assert bare == bill  # the only Clinton in the corpus so far
    hillary = resolver.resolve(article("a3", person("Hillary Clinton"))).ids["hillary-clinton"]
    assert hillary != bill
    unsure = resolver.resolve(article("a4", person("Clinton"))).ids["clinton"]
    assert unsure not in {bill, hillary}
    assert resolver.resolve(article("a5", person("Clinton"))).ids["clinton"] == unsure


def test_roles_settle_a_shared_surname():
    resolver = Resolver()
    bill = resolver.resolve(article("a1", person("Bill Clinton", roles=[role("president", country="United States")])))
    hillary = resolver.resolve(article("a2", person("Hillary Clinton", roles=[role("senator", "legislator")])))
    senator = resolver.resolve(article("a3", person("Clinton", roles=[role("senator", "legislator")])))
    assert senator.ids["clinton"] == hillary.ids["hillary-clinton"] != bill.ids["bill-clinton"]


def test_a_surname_seen_first_takes_the_full_name_later():
    resolver = Resolver()
    first = resolver.resolve(article("a1", person("Blair")))
    later = resolver.resolve(article("a2", person("Tony Blair")))
    assert first.ids["blair"] == later.ids["tony-blair"] == "blair"
    assert resolver.actors["blair"].name == "Tony Blair" and later.changed == [resolver.actors["blair"]]
    cherie = resolver.resolve(article("a3", person("Cherie Blair"))).ids["cherie-blair"]
    assert cherie != "blair"


def test_two_actors_of_one_article_never_become_one():
    resolver = Resolver()
    resolver.resolve(article("a1", person("John Smith")))
    both = resolver.resolve(article("a2", person("John Smith"), person("Smith"))).ids
    assert both["john-smith"] != both["smith"]


def test_registry_aliases_link_names_the_text_cannot():
    registry = Registry.from_data(__import__("yaml").safe_load(REGISTRY_YAML))
    resolver = Resolver(registry)
    ids = resolver.resolve(article("a1", person("The Donald"), Actor("nato", "NATO", "organization"))).ids
    assert ids == {"the-donald": "donald-trump", "nato": "nato"}
    assert resolver.resolve(article("a2", Actor("the-alliance", "the Alliance", "organization"))).ids == {
        "the-alliance": "nato"}


def test_descriptors_resolve_by_registry_roles_on_the_article_date():
    registry = Registry.from_data(__import__("yaml").safe_load(REGISTRY_YAML))
    text = "The talks failed, the former president said."
    after = Resolver(registry).resolve(article("a1", date="2022-05-01", text=text))
    assert [(actor, r.span.text, r.tense) for actor, r in after.descriptors] == [
        ("donald-trump", "the former president", "past")]
    during = Resolver(registry).resolve(article("a2", date="2019-05-01", text=text))
    assert during.descriptors == []  # in 2019 he was not a former president
    current = Resolver(registry).resolve(article("a3", date="2019-05-01", text="The president said no."))
    assert [actor for actor, _ in current.descriptors] == ["donald-trump"]


# --- across real articles written for the test ---

ARTICLES = [
    ("t1", "2021-03-02", "Trade talks stall\n\nDonald J. Trump said on Monday that the tariffs would stay. "
                         "Trump told reporters in Ohio that China had cheated for years."),
    ("t2", "2021-04-10", "Rally\n\nSpeaking at a rally in Ohio, Mr Trump said the election had been stolen."),
    ("t3", "2022-05-03", "Court ruling\n\nOn Tuesday the former president said the court ruling was a disgrace."),
    ("c1", "2004-06-01", "Clinton visits Kenya\n\nFormer President Bill Clinton arrived in Nairobi on Monday. "
                         "Bill Clinton said his foundation would fund new clinics."),
    ("c2", "2004-06-02", "Senate vote\n\nSenator Hillary Clinton voted against the bill on Thursday. "
                         "Hillary Clinton said the plan was reckless."),
    ("c3", "2004-06-03", "Debate\n\nClinton said the plan would fail."),
    ("s1", "2005-01-01", "Smith speech\n\nJohn Smith, the party chairman, said the budget was fair."),
    ("s2", "2005-01-02", "Smith reply\n\nJane Smith, the opposition spokeswoman, said the budget was unfair."),
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    registry = Registry.from_data({"actors": [{"name": "Donald Trump", "country": "United States", "roles": [
        {"office": "president", "country": "United States", "from": "2017-01-20", "to": "2021-01-20"}]}]})
    con = open_store(tmp_path_factory.mktemp("corpus") / "corpus.duckdb")
    write_analyses(con, [analyze(text, id=id_, date=date) for id_, date, text in ARTICLES], registry=registry)
    return con


def actors_in(con, article_id: str, type_: str = "person") -> set[str]:
    return {row[0] for row in con.execute(
        "SELECT DISTINCT m.actor_id FROM mentions m JOIN actors a ON a.id = m.actor_id "
        "WHERE m.article_id = ? AND a.type = ?", [article_id, type_]).fetchall()}


def test_trump_is_one_corpus_actor_across_three_articles(corpus):
    assert actors_in(corpus, "t1") == actors_in(corpus, "t2") == actors_in(corpus, "t3") == {"donald-trump"}
    assert corpus.execute("SELECT text, kind FROM mentions WHERE article_id = 't3'").fetchall() == [
        ("the former president", "descriptor")]
    aliases = {row[0] for row in corpus.execute("SELECT alias FROM aliases WHERE actor_id = 'donald-trump'").fetchall()}
    assert {"Donald J. Trump", "Trump"} <= aliases


def test_bill_and_hillary_clinton_stay_two_and_a_bare_clinton_joins_neither(corpus):
    bill, hillary, bare = actors_in(corpus, "c1"), actors_in(corpus, "c2"), actors_in(corpus, "c3")
    assert bill == {"bill-clinton"} and hillary == {"hillary-clinton"}
    assert len(bare) == 1 and not bare & (bill | hillary)


def test_john_and_jane_smith_stay_apart(corpus):
    assert actors_in(corpus, "s1") == {"john-smith"} and actors_in(corpus, "s2") == {"jane-smith"}
