"""``stancegraph target-stance``: the polarity of sentences toward marked targets, JSONL in and out.

Each input line is ``{"text": str, "targets": [{"from": int, "to": int}, ...]}`` (character
offsets, ``to`` exclusive). Each output line repeats the object, in input order, with
``"polarity": -1|0|1`` and ``"confidence": float`` added to every target. A bad line is
reported on stderr with its line number and left out; the others still run, and the exit code
is 1 when any line failed.

Example
-------
::

    $ echo '{"text": "Critics accused Smith of lying.", "targets": [{"from": 16, "to": 21}]}' \\
        | stancegraph target-stance -
    {"text": "Critics accused Smith of lying.", "targets": [{"from": 16, "to": 21, "polarity": -1, "confidence": 0.93}]}
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import typer

from stancegraph.errors import InputError, ModelError, StanceGraphError

__all__ = ["parse_line", "register", "target_stance"]

CHUNK_LINES = 256
"""Lines classified together: large enough to batch well, small enough to stream."""


def parse_line(line: bytes, number: int, source: str) -> dict[str, Any]:
    """Decode and check one input line; raise a :class:`StanceGraphError` that names the line."""
    try:
        decoded = line.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError("E103", input=f"{source}, line {number}", position=error.start, detail=error.reason) from error
    try:
        record = json.loads(decoded)
    except json.JSONDecodeError as error:
        raise InputError("E105", input=source, line=number, detail=str(error)) from error
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise InputError("E106", input=source, line=number, field="text")
    targets = record.get("targets")
    if not isinstance(targets, list) or not all(
        isinstance(target, dict)
        and all(type(target.get(key)) is int for key in ("from", "to"))  # bool is not an offset
        for target in targets
    ):
        raise InputError("E106", input=source, line=number, field="targets")
    from stancegraph.extract.target_stance import check_span

    for index, target in enumerate(targets, start=1):
        try:
            check_span(record["text"], (target["from"], target["to"]))
        except ModelError as error:
            raise ModelError(error.code, input=f"{source}, line {number}, target {index}", **error.details) from None
    return record


def _records(stream: BinaryIO, source: str, failures: list[str]) -> Iterator[dict[str, Any]]:
    """The valid records of ``stream`` in order; each bad line is reported and counted in ``failures``."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            yield parse_line(line, number, source)
        except StanceGraphError as error:
            failures.append(str(error))
            typer.echo(str(error), err=True)


def _classify(records: list[dict[str, Any]]) -> None:
    """Add ``polarity`` and ``confidence`` to every target of ``records`` and print them as JSONL."""
    from stancegraph.extract.target_stance import load_classifier

    results = load_classifier().predict(
        [(record["text"], [(target["from"], target["to"]) for target in record["targets"]]) for record in records]
    )
    for record, predictions in zip(records, results):
        for target, (polarity, confidence) in zip(record["targets"], predictions):
            target["polarity"] = polarity
            target["confidence"] = round(confidence, 4)
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def target_stance(
    file: str = typer.Argument(..., help="A JSONL file of {text, targets: [{from, to}]} objects, or - for stdin."),
) -> None:
    """Classify the polarity (-1, 0, 1) of each text toward each of its target spans."""
    source = "<stdin>" if file == "-" else file
    failures: list[str] = []
    try:
        # closed in the finally below (stdin is not ours to close)
        stream = sys.stdin.buffer if file == "-" else Path(file).open("rb")  # noqa: SIM115
    except OSError as error:
        typer.echo(str(InputError("E110", input=source, detail=error.strerror or str(error))), err=True)
        raise typer.Exit(1) from None
    try:
        chunk: list[dict[str, Any]] = []
        for record in _records(stream, source, failures):
            chunk.append(record)
            if len(chunk) == CHUNK_LINES:
                _classify(chunk)
                chunk = []
        if chunk:
            _classify(chunk)
    except ModelError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    if failures:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the ``target-stance`` command to ``app``."""
    app.command("target-stance")(target_stance)
