"""Folding issue labels into concepts, and the user's concept list that overrides it."""

from __future__ import annotations

import numpy as np
import pytest

from stancegraph.errors import NetworkError
from stancegraph.networks import (
    NetworkOptions,
    UserConcept,
    add_concept,
    analyse_labels,
    build_network,
    corpus_folding,
    fold_concepts,
    load_statements,
    merge_concepts,
    read_concept_file,
    read_user_concepts,
    remove_concept,
    rename_concept,
    write_concept_file,
    write_user_concepts,
)
from stancegraph.networks.concepts import normalise


class FixedEmbedder:
    """Vectors chosen by hand: labels in one group are 0.95 similar, other groups orthogonal."""

    def __init__(self, groups: list[list[str]]) -> None:
        self.vectors = {}
        for number, group in enumerate(groups):
            base = np.zeros(64)
            base[number] = 1.0
            for k, label in enumerate(group):
                noise = np.zeros(64)
                noise[32 + (k % 32)] = 0.33
                vector = base + noise
                self.vectors[label] = vector / np.linalg.norm(vector)
        self.calls = 0

    def encode(self, labels):
        self.calls += 1
        fallback = np.eye(64)[-1]
        return np.stack([self.vectors.get(label, fallback) for label in labels]).astype(np.float32)


def fold(counts, nlp, user=(), embedder=None, similarity=0.85):
    names = sorted(set(counts) | {n for c in user for n in c.names})
    infos = analyse_labels(names, nlp)
    vectors = dict(zip(names, embedder.encode(names))) if embedder else None
    return fold_concepts(counts, infos=infos, user=user, embeddings=vectors, similarity=similarity)


def test_normalise_drops_case_quotes_dots_and_possessives():
    assert normalise("The U.S.’s  “Support”!") == "the us support"


def test_label_analysis_gives_key_head_and_verb(nlp):
    infos = analyse_labels(["Heavy sanctions on Russia", "the EU sanctions", "withhold us support", "military aid"], nlp)
    assert infos["Heavy sanctions on Russia"].key == "sanction on russia"
    assert infos["Heavy sanctions on Russia"].head == "sanction"
    assert infos["the EU sanctions"].key == "eu sanction"
    assert infos["withhold us support"].verb == "withhold"
    assert infos["military aid"].verb is None and infos["military aid"].head == "aid"


def test_same_key_and_nesting_fold_the_issue_example(nlp):
    folding = fold({"sanctions": 5, "EU sanctions": 2, "heavy sanctions on Russia": 1, "sanction": 1}, nlp)
    assert {folding.concept_of[label] for label in folding.concept_of} == {"sanctions"}
    assert folding.reason["EU sanctions"] == "nested"
    assert folding.reason["sanction"] == "key"


def test_verb_labels_never_nest(nlp):
    folding = fold({"us support": 3, "withhold us support": 2}, nlp)
    assert folding.concept_of["withhold us support"] == "withhold us support"


def test_specific_labels_stay_apart_without_a_general_one(nlp):
    apart = fold({"military aid": 2, "humanitarian aid": 2}, nlp)
    assert apart.concept_of["military aid"] != apart.concept_of["humanitarian aid"]
    together = fold({"military aid": 2, "humanitarian aid": 2, "aid": 1}, nlp)
    assert together.concept_of["military aid"] == together.concept_of["humanitarian aid"] == "aid"


def test_embeddings_fold_paraphrases_but_not_different_verbs(nlp):
    embedder = FixedEmbedder([["nuclear power", "nuclear energy"], ["end war", "continue war"], ["coal exit"]])
    folding = fold({"nuclear power": 3, "nuclear energy": 1, "end war": 2, "continue war": 1, "coal exit": 1},
                   nlp, embedder=embedder)
    assert folding.concept_of["nuclear energy"] == "nuclear power"
    assert folding.reason["nuclear energy"] == "embedding"
    assert folding.concept_of["continue war"] == "continue war"
    assert folding.concept_of["coal exit"] == "coal exit"
    strict = fold({"nuclear power": 3, "nuclear energy": 1}, nlp, embedder=embedder, similarity=0.99)
    assert strict.concept_of["nuclear energy"] == "nuclear energy"


def test_user_list_overrides_automatic_folding(nlp):
    user = [UserConcept("Russia sanctions", ("heavy sanctions on Russia",)), UserConcept("EU policy", ("EU sanctions",))]
    folding = fold({"sanctions": 5, "EU sanctions": 2, "heavy sanctions on Russia": 1}, nlp, user=user)
    assert folding.concept_of["heavy sanctions on Russia"] == "Russia sanctions"
    assert folding.concept_of["EU sanctions"] == "EU policy"
    assert folding.concept_of["sanctions"] == "sanctions"
    assert folding.reason["EU sanctions"] == "user"


def test_user_concepts_attract_similar_labels_but_never_each_other(nlp):
    embedder = FixedEmbedder([["nuclear power", "nuclear energy", "atomic power"]])
    user = [UserConcept("nuclear power"), UserConcept("atomic power")]
    folding = fold({"nuclear energy": 2}, nlp, user=user, embedder=embedder)
    assert folding.concept_of["nuclear energy"] in {"nuclear power", "atomic power"}
    assert folding.reason["nuclear energy"] == "user"
    assert set(folding.concepts()) == {"nuclear power", "atomic power"}


def test_actor_targets_only_fold_into_user_concepts(nlp):
    user = [UserConcept("Russia", ("Vladimir Putin",))]
    infos = analyse_labels(["Vladimir Putin", "Russia", "Donald Trump"], nlp)
    folding = fold_concepts({}, infos=infos, user=user, actor_labels=["Vladimir Putin", "Donald Trump"])
    assert folding.concept_of == {"Vladimir Putin": "Russia", "Donald Trump": "Donald Trump"}


def test_concept_list_in_the_store_changes_the_network(store, nlp):
    add_concept(store, "coal exit", ["coal phase-out"])
    assert read_user_concepts(store) == [UserConcept("coal exit", ("coal phase-out",))]
    graph = build_network(store, NetworkOptions(similarity=None))
    assert "concept:coal exit" in graph and "concept:coal phase-out" not in graph
    remove_concept(store, "coal exit")
    assert "concept:coal phase-out" in build_network(store, NetworkOptions(similarity=None))
    with pytest.raises(NetworkError, match="E311"):
        remove_concept(store, "coal exit")


def test_merge_and_rename_through_the_store(store, nlp):
    statements = load_statements(store)
    folding = corpus_folding(store, statements, similarity=None, nlp=nlp)
    merged = merge_concepts(store, folding, "coal phase-out", ["carbon tax"])
    assert merged == UserConcept("coal phase-out", ("carbon tax",))
    graph = build_network(store, NetworkOptions(kind="congruence", similarity=None))
    assert graph.edges["actor:green-party", "actor:climate-alliance"]["concepts"] == ["coal phase-out"]
    folding = corpus_folding(store, statements, similarity=None, nlp=nlp)
    renamed = rename_concept(store, folding, "carbon tax", "energy transition")  # found through its label
    assert renamed.label == "energy transition"
    assert read_user_concepts(store) == [UserConcept("energy transition", ("carbon tax", "coal phase-out"))]
    with pytest.raises(NetworkError, match="E311"):
        rename_concept(store, folding, "no such concept", "x")


def test_a_name_cannot_belong_to_two_user_concepts(store):
    with pytest.raises(NetworkError, match="E313"):
        write_user_concepts(store, [UserConcept("a", ("tax",)), UserConcept("b", ("Tax",))])
    add_concept(store, "a", ["tax"])
    add_concept(store, "b", ["tax"])  # moves the alias
    assert read_user_concepts(store) == [UserConcept("a", ()), UserConcept("b", ("tax",))]


def test_concept_file_round_trip_and_errors(tmp_path):
    concepts = [UserConcept("sanctions", ("EU sanctions", "heavy sanctions")), UserConcept("aid")]
    path = tmp_path / "concepts.yaml"
    write_concept_file(path, concepts)
    assert read_concept_file(path) == concepts
    path.write_text("- aliases: [x]\n", encoding="utf-8")
    with pytest.raises(NetworkError, match="E312"):
        read_concept_file(path)


def test_label_analyses_and_embeddings_are_cached_in_the_store(store, nlp):
    statements = load_statements(store)
    embedder = FixedEmbedder([["coal phase-out"], ["carbon tax"]])
    corpus_folding(store, statements, embedder=embedder, nlp=nlp)
    assert embedder.calls == 1
    corpus_folding(store, statements, embedder=embedder, nlp=nlp)
    assert embedder.calls == 1  # everything came from the cache
    (count,) = store.execute("SELECT count(*) FROM concept_label_cache WHERE embedding IS NOT NULL").fetchone()
    assert count == 2


@pytest.mark.slow
def test_real_embeddings_fold_the_issue_example_and_keep_opposites_apart(nlp):
    from stancegraph.networks import load_embedder

    counts = {"sanctions": 4, "EU sanctions": 2, "heavy sanctions on Russia": 1, "nuclear power": 2,
              "nuclear energy": 1, "end war": 3, "continue war": 1, "carbon tax": 2}
    folding = fold(counts, nlp, embedder=load_embedder())
    assert {folding.concept_of[label] for label in ("sanctions", "EU sanctions", "heavy sanctions on Russia")} == {"sanctions"}
    assert folding.concept_of["nuclear energy"] == "nuclear power"
    assert folding.concept_of["continue war"] == "continue war"
    assert folding.concept_of["carbon tax"] == "carbon tax"
