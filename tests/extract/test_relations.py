"""In-article relations: agree and conflict between actors on one target."""

from __future__ import annotations

from spacy.language import Language

from stancegraph.extract.actors import find_actors
from stancegraph.extract.stances import RULES_ONLY, find_relations, find_stances
from stancegraph.records import Actor, Relation, Role, Span, Stance

TEXT = "a stretch of article text standing in for the evidence"
EVIDENCE = Span.of(TEXT, 0, 9)


def stance(actor: str, target: str, polarity: int, kind: str = "issue") -> Stance:
    return Stance(actor, target, kind, polarity, EVIDENCE, 0.9)  # type: ignore[arg-type]


def head_of(country: str, tense: str | None = None) -> Role:
    return Role(EVIDENCE, "president", "president", "head", country, tense)


def test_same_polarity_agrees_and_opposite_conflicts() -> None:
    stances = [stance("ann", "tariff", 1), stance("bob", "tariff", 1), stance("cid", "tariff", -1)]
    assert find_relations(stances) == [
        Relation("ann", "bob", "agree", "tariff"),
        Relation("ann", "cid", "conflict", "tariff"),
        Relation("bob", "cid", "conflict", "tariff"),
    ]


def test_different_targets_do_not_relate() -> None:
    assert find_relations([stance("ann", "tariff", 1), stance("bob", "subsidy", -1)]) == []


def test_actor_target_and_issue_label_of_one_spelling_are_different_targets() -> None:
    stances = [stance("ann", "norway", 1, "actor"), stance("bob", "norway", -1, "issue")]
    assert find_relations(stances) == []


def test_no_self_relation_and_no_relation_on_oneself() -> None:
    stances = [stance("ann", "tariff", 1), stance("ann", "tariff", -1), stance("bob", "ann", 1, "actor"),
               stance("cid", "ann", -1, "actor")]
    relations = find_relations(stances)
    assert all(r.a != r.b for r in relations)
    assert relations == [Relation("bob", "cid", "conflict", "ann")]


def test_one_relation_per_pair_target_and_kind() -> None:
    stances = [stance("bob", "tariff", 1), stance("bob", "tariff", 1), stance("ann", "tariff", 1),
               stance("ann", "tariff", -1)]
    assert find_relations(stances) == [
        Relation("ann", "bob", "agree", "tariff"),
        Relation("ann", "bob", "conflict", "tariff"),
    ]


def test_neutral_stances_do_not_relate() -> None:
    assert find_relations([stance("ann", "tariff", 0), stance("bob", "tariff", 1)]) == []


def test_order_is_deterministic() -> None:
    stances = [stance("dan", "tax", -1), stance("bob", "tariff", 1), stance("cid", "tax", 1),
               stance("ann", "tariff", 1)]
    assert find_relations(stances) == find_relations(stances[::-1])
    assert [(r.a, r.b) for r in find_relations(stances)] == [("ann", "bob"), ("cid", "dan")]


def test_head_of_a_country_and_the_country_are_one_target() -> None:
    actors = [Actor("ruritania", "Ruritania", "country"),
              Actor("rudolf", "Rudolf", "person", roles=[head_of("Ruritania")])]
    stances = [stance("ann", "rudolf", 1, "actor"), stance("bob", "ruritania", -1, "actor"),
               stance("cid", "rudolf", -1, "actor")]
    # without the actors nothing says who Rudolf is
    assert find_relations(stances) == [Relation("ann", "cid", "conflict", "rudolf")]
    assert find_relations(stances, actors) == [
        Relation("ann", "bob", "conflict", "ruritania"),
        Relation("ann", "cid", "conflict", "rudolf"),
        Relation("bob", "cid", "agree", "ruritania"),
    ]


def test_a_former_head_is_not_the_country() -> None:
    actors = [Actor("ruritania", "Ruritania", "country"),
              Actor("rudolf", "Rudolf", "person", roles=[head_of("Ruritania"), head_of("Ruritania", "past")])]
    stances = [stance("ann", "rudolf", 1, "actor"), stance("bob", "ruritania", -1, "actor")]
    assert find_relations(stances, actors) == []


def test_a_head_does_not_relate_through_his_own_country() -> None:
    actors = [Actor("ruritania", "Ruritania", "country"),
              Actor("rudolf", "Rudolf", "person", roles=[head_of("Ruritania")])]
    stances = [stance("rudolf", "ruritania", 1, "actor"), stance("bob", "ruritania", -1, "actor")]
    assert find_relations(stances, actors) == []


def test_article_leader_folding_end_to_end(nlp: Language) -> None:
    text = ("Norwegian Prime Minister Kari Lund met Jane Doe. Jane Doe praised Kari Lund. "
            "Mark Hale said Norway cannot be trusted.")
    doc = nlp(text)
    index = find_actors(doc)
    stances = find_stances(doc, index, [], classifier=RULES_ONLY, directed=RULES_ONLY)
    assert {(s.actor, s.target, s.polarity) for s in stances} == {
        ("jane-doe", "kari-lund", 1), ("mark-hale", "norway", -1)}
    assert find_relations(stances) == []
    assert find_relations(stances, index.actors) == [Relation("jane-doe", "mark-hale", "conflict", "norway")]


def test_a_group_stance_relates_each_member_with_the_other_side():
    text = "Both ministers backed the levy. Ortiz opposed it."
    evidence = Span.of(text, 0, 30)
    against = Span.of(text, 31, 48)
    stances = [
        Stance("both-ministers", "levy", "issue", 1, evidence, 0.9, None, ["ana-vela", "bo-lind"]),
        Stance("rui-ortiz", "levy", "issue", -1, against, 0.9, None, ["rui-ortiz"]),
    ]
    relations = {(r.a, r.b, r.kind) for r in find_relations(stances)}
    assert relations == {("ana-vela", "bo-lind", "agree"), ("ana-vela", "rui-ortiz", "conflict"),
                         ("bo-lind", "rui-ortiz", "conflict")}
