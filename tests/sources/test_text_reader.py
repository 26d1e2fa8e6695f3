"""Plain-text inputs: decoding, the checks that refuse bad input, and titles."""

from __future__ import annotations

import pytest

from stancegraph.errors import InputError
from stancegraph.sources import read_inputs
from stancegraph.sources.text import decode, first_line_title


def test_utf8_with_bom_decodes():
    assert decode("\ufeffCafé".encode("utf-8"), input="x") == "Café"


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"abc\x00def", "E102"), (bytes(range(1, 32)) * 20, "E102"), (b"caf\xe9 au lait", "E103")],
)
def test_bad_bytes_are_refused_with_a_clear_code(data, code):
    with pytest.raises(InputError) as err:
        decode(data, input="in.txt")
    assert err.value.code == code
    assert str(err.value).startswith("in.txt: [")


def test_title_is_the_first_line_only_when_it_reads_as_one():
    assert first_line_title("Budget Row\n\nThe minister said no.") == "Budget Row"
    assert first_line_title("The minister said no.\nMore.") is None
    assert first_line_title("Only one line") is None


def test_directory_walk_reports_bad_files_and_keeps_good_ones(tmp_path):
    (tmp_path / "good.txt").write_text("Title\n\nMerkel spoke.", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "latin.txt").write_bytes(b"caf\xe9")
    (tmp_path / "ignored.bin").write_bytes(b"\x00\x01")
    items = list(read_inputs([str(tmp_path)]))
    outcome = {getattr(i, "id", None) or i.input.rsplit("/", 1)[-1]: getattr(i, "code", "ok") for i in items}
    assert outcome == {"good": "ok", "empty.txt": "E101", "latin.txt": "E103"}


def test_a_missing_path_is_an_error_not_a_crash(tmp_path):
    (item,) = read_inputs([str(tmp_path / "nope*.txt")])
    assert isinstance(item, InputError) and item.code == "E112"
