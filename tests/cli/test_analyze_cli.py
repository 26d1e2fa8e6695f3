"""``stancegraph analyze`` as a user runs it: a real subprocess, files on disk."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

STANCEGRAPH = [sys.executable, "-m", "stancegraph.cli.main"]


def run(*args, stdin: bytes | None = None):
    return subprocess.run([*STANCEGRAPH, *args], input=stdin, capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("articles")
    (folder / "talks.txt").write_text("Talks Resume\n\nAngela Merkel said the talks would resume.", encoding="utf-8")
    (folder / "visit.txt").write_text("Emmanuel Macron visited Berlin on Monday.", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (folder / "latin1.txt").write_bytes(b"Caf\xe9 politics")
    (folder / "quotes.txt").write_text('He said “yes and "no. She said ” never “ ok.', encoding="utf-8")
    return folder


def test_jsonl_gives_one_object_per_input_named_by_file(inputs):
    result = run("analyze", str(inputs / "talks.txt"), str(inputs / "visit.txt"), "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    objects = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [o["id"] for o in objects] == ["talks", "visit"]
    assert objects[0]["title"] == "Talks Resume"
    for obj in objects:
        for actor in obj["actors"]:
            for m in actor["mentions"]:
                assert obj["text"][m["start"] : m["end"]] == m["text"]


def test_bad_inputs_are_named_and_the_rest_still_processed(inputs):
    result = run("analyze", str(inputs), "--format", "jsonl")
    assert result.returncode == 1
    errors = result.stderr.decode().strip().splitlines()
    assert any("empty.txt" in e and "E101" in e for e in errors)
    assert any("binary.txt" in e and "E102" in e for e in errors)
    assert any("latin1.txt" in e and "E103" in e for e in errors)
    ids = sorted(json.loads(line)["id"] for line in result.stdout.decode().splitlines())
    assert ids == ["quotes", "talks", "visit"]


def test_json_of_one_article_is_one_object_and_stdin_works():
    result = run("analyze", "-", "--format", "json", stdin=b"Olaf Scholz spoke in Berlin.")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["id"] == "stdin" and data["actors"][0]["name"] == "Olaf Scholz"


def test_text_report_lists_actors_and_aliases(inputs):
    result = run("analyze", str(inputs / "talks.txt"))
    assert result.returncode == 0
    report = result.stdout.decode()
    assert "Actors" in report and "Angela Merkel" in report


def test_oversize_input_is_refused_with_the_limit(inputs, tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("Merkel spoke. " * 1000, encoding="utf-8")
    result = run("analyze", str(big), "--max-chars", "5000", "--format", "jsonl")
    assert result.returncode == 1
    assert "E104" in result.stderr.decode() and "big.txt" in result.stderr.decode()
