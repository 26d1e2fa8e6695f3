"""The ``stancegraph target-stance`` contract: JSONL in and out, order, bad lines, exit code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from stancegraph.cli.target_stance import register

PRAISED = "Voters praised Senator Alice Moreno for her honest, tireless work that saved the town hospital."
CHARGED = "Prosecutors charged Mayor Tom Bell with fraud after he lied to investigators and stole public funds."
OPPOSED = "Alice Moreno was hailed as a hero by the crowd, while Tom Bell was booed and mocked as a corrupt liar."


def record(text: str, *mentions: str, **extra: object) -> dict[str, object]:
    targets = [{"from": text.index(m), "to": text.index(m) + len(m)} for m in mentions]
    return {"text": text, "targets": targets, **extra}


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def root() -> None:
        """Keep ``target-stance`` a subcommand, as in the real app."""

    register(app)
    return app


def run(app: typer.Typer, args: list[str], stdin: str | None = None):
    return CliRunner().invoke(app, ["target-stance", *args], input=stdin)


def test_good_lines_in_order_with_polarity_and_confidence(app: typer.Typer, tmp_path: Path) -> None:
    records = [record(OPPOSED, "Tom Bell", "Alice Moreno", id="a"), record(PRAISED, "Alice Moreno"), record(CHARGED, "Tom Bell")]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = run(app, [str(path)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    output = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["text"] for o in output] == [OPPOSED, PRAISED, CHARGED]
    assert output[0]["id"] == "a"
    assert [[t["polarity"] for t in o["targets"]] for o in output] == [[-1, 1], [1], [-1]]
    for original, returned in zip(records, output):
        assert [(t["from"], t["to"]) for t in returned["targets"]] == [(t["from"], t["to"]) for t in original["targets"]]
        assert all(1 / 3 < t["confidence"] <= 1 for t in returned["targets"])


def test_bad_lines_are_reported_and_the_rest_still_run(app: typer.Typer) -> None:
    lines = [
        json.dumps(record(PRAISED, "Alice Moreno")),
        "{not json",
        json.dumps({"targets": [{"from": 0, "to": 3}]}),
        json.dumps({"text": "Ann left.", "targets": [{"from": 4, "to": 40}]}),
        json.dumps({"text": "Ann left.", "targets": [{"from": "0", "to": 3}]}),
        "",
        json.dumps(record(CHARGED, "Tom Bell")),
    ]
    result = run(app, ["-"], stdin="\n".join(lines) + "\n")
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert len(errors) == 4
    assert "line 2" in errors[0] and "E105" in errors[0]
    assert "line 3" in errors[1] and "'text'" in errors[1]
    assert "line 4" in errors[2] and "E503" in errors[2]
    assert "line 5" in errors[3] and "'targets'" in errors[3]
    output = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["text"] for o in output] == [PRAISED, CHARGED]
    assert [o["targets"][0]["polarity"] for o in output] == [1, -1]


def test_line_without_targets_is_echoed(app: typer.Typer) -> None:
    result = run(app, ["-"], stdin=json.dumps({"text": "Nothing here.", "targets": []}) + "\n")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"text": "Nothing here.", "targets": []}


def test_missing_file_fails_with_a_message(app: typer.Typer, tmp_path: Path) -> None:
    result = run(app, [str(tmp_path / "absent.jsonl")])
    assert result.exit_code == 1
    assert "E110" in result.stderr and "absent.jsonl" in result.stderr
    assert result.stdout == ""
