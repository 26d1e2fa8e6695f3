"""The language data files: one folder per language, every file's columns checked."""

from __future__ import annotations

from importlib import resources

import pytest

from stancegraph import lang
from stancegraph.errors import ModelError


@pytest.mark.parametrize("language", lang.LANGUAGES)
def test_every_data_file_of_each_language_fits_its_columns(language: str) -> None:
    checked = lang.check_all(language)
    assert "titles.tsv" in checked and "stance_verbs.tsv" in checked
    assert set(checked) <= set(lang.columns())


def test_french_files_are_named_as_their_english_counterparts() -> None:
    folder = resources.files(lang)
    names = {language: {item.name for item in folder.joinpath(language).iterdir()
                        if item.name.endswith((".txt", ".tsv"))} for language in lang.LANGUAGES}
    # French-only rules; months.tsv and age_cues.tsv read dates and ages the French parser does not mark
    assert names["fr"] - names["en"] == {"person_exonyms.tsv", "report_object_verbs.txt", "months.tsv", "age_cues.tsv"}
    assert {"cue_verbs.txt", "titles.tsv", "stance_verbs.tsv", "metonyms.tsv"} <= names["fr"]


def test_french_titles_keep_the_english_office_classes() -> None:
    english = {row[1] for row in lang.rows("titles.tsv")}
    french = {row[0]: row[1] for row in lang.rows("titles.tsv", lang="fr")}
    assert set(french.values()) <= english
    assert french["première ministre"] == "head" and french["chef de la diplomatie"] == "minister"


def test_english_loader_reads_the_moved_files() -> None:
    assert lang.rows("pronouns.tsv")[0] == ("he", "m", "subject")
    assert lang.lines("state_nouns.txt") == lang.lines("state_nouns.txt", lang="en")


def _fake_package(tmp_path, monkeypatch, name: str, text: str) -> None:
    """Point the loader at a copy of the package whose ``xx/`` folder holds one file."""
    lang.columns()  # read (and cached) from the real package first
    (tmp_path / "xx").mkdir()
    (tmp_path / "xx" / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(lang.resources, "files", lambda _package: tmp_path)


def test_a_row_with_too_few_columns_is_e150_naming_file_and_line(tmp_path, monkeypatch) -> None:
    _fake_package(tmp_path, monkeypatch, "titles.tsv", "# comment\npresident\thead\tm\nminister\tminister\n")
    with pytest.raises(ModelError) as caught:
        lang.rows.__wrapped__("titles.tsv", "xx")
    assert caught.value.code == "E150"
    assert "xx/titles.tsv, line 3: 2 column(s), expected 3" in str(caught.value)


def test_an_optional_column_may_be_left_out_but_not_exceeded(tmp_path, monkeypatch) -> None:
    _fake_package(tmp_path, monkeypatch, "stance_verbs.tsv", "back\t1\tdobj\tposition\nsay\t0\tccomp\tposition\tx\ty\n")
    with pytest.raises(ModelError, match=r"line 2: 6 column\(s\), expected 4 to 5"):
        lang.rows.__wrapped__("stance_verbs.tsv", "xx")


def test_a_file_missing_from_the_columns_table_is_e151(tmp_path, monkeypatch) -> None:
    _fake_package(tmp_path, monkeypatch, "mystery.tsv", "a\tb\n")
    with pytest.raises(ModelError) as caught:
        lang.check_all("xx")
    assert caught.value.code == "E151"
