"""The start-up caches: read on the next start, rebuilt when missing or corrupt, skipped when unwritable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stancegraph.extract import actors
from stancegraph.sources import language
from stancegraph.usercache import cache_dir, cached, load_json, save_json


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("STANCEGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    actors.first_name_genders.cache_clear()
    language._identifier.cache_clear()
    yield tmp_path / "cache"
    actors.first_name_genders.cache_clear()
    language._identifier.cache_clear()


def test_the_cache_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("STANCEGRAPH_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "stancegraph"


def test_an_entry_is_built_once_then_read(cache: Path) -> None:
    builds = []

    def build() -> dict[str, int]:
        builds.append(1)
        return {"n": len(builds)}

    assert cached("thing", "1.json", build=build, save=save_json, load=load_json) == {"n": 1}
    assert cached("thing", "1.json", build=build, save=save_json, load=load_json) == {"n": 1}
    assert len(builds) == 1
    assert cached("thing", "2.json", build=build, save=save_json, load=load_json) == {"n": 2}  # a new version


@pytest.mark.parametrize("content", ["", '{"half": ', "[1, 2]"])
def test_a_corrupt_entry_is_rebuilt(cache: Path, content: str) -> None:
    cache.mkdir()
    (cache / "thing-1.json").write_text(content, encoding="utf-8")
    assert cached("thing", "1.json", build=lambda: {"n": 1}, save=save_json, load=load_json) == {"n": 1}
    assert load_json(cache / "thing-1.json") == {"n": 1}


def test_an_unwritable_cache_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "file").write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("STANCEGRAPH_CACHE_DIR", str(tmp_path / "file" / "cache"))
    assert cached("thing", "1.json", build=lambda: {"n": 1}, save=save_json, load=load_json) == {"n": 1}


def test_first_name_genders_are_gender_guessers_and_read_from_the_cache_on_the_next_start(cache: Path) -> None:
    import gender_guesser.detector

    table = actors.first_name_genders()
    [entry] = cache.glob("first-name-genders-*.json")
    detector = gender_guesser.detector.Detector(case_sensitive=False)
    for name in detector.names:
        assert table.get(name) == actors.GENDERS.get(detector.get_gender(name))
    assert actors._first_name_gender("Angela") == "f"
    assert actors._first_name_gender("EMMANUEL") == "m"
    # the next start reads the entry: an edit to it shows
    entry.write_text(json.dumps({"angela": "m"}), encoding="utf-8")
    actors.first_name_genders.cache_clear()
    assert actors._first_name_gender("Angela") == "m"
    # a corrupt entry is rebuilt from gender_guesser
    entry.write_text("{", encoding="utf-8")
    actors.first_name_genders.cache_clear()
    assert actors._first_name_gender("Angela") == "f"
    assert load_json(entry) == table


TEXTS = ["The minister said the budget would stay as it is.",
         "Le président a déclaré que la réforme serait adoptée avant l'été.",
         "Der Minister sagte, der Haushalt bleibe, wie er ist."]


def test_the_unpacked_language_model_classifies_like_the_packed_one(cache: Path) -> None:
    packed = language._model_from_package()
    language.detect(TEXTS[0])  # first start: unpacks into the cache
    [entry] = cache.glob("py3langid-model-*.npz")
    unpacked = language._model_from_unpacked(entry)
    for text in TEXTS:
        assert unpacked.classify(text) == packed.classify(text)
    entry.write_bytes(entry.read_bytes()[:1000])  # truncated: rebuilt on the next start
    language._identifier.cache_clear()
    assert language.detect(TEXTS[1]).lang == "fr"
    assert language._model_from_unpacked(entry).classify(TEXTS[2]) == packed.classify(TEXTS[2])
