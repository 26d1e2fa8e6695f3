"""Every user-facing error of stancegraph, each with a stable code.

Messages live in :class:`Errors` as format strings, one attribute per code, so that a code
never changes meaning and every message can be found in one place (the spaCy convention).
Codes are grouped by the part of the system that raises them:

* ``E1xx`` inputs and readers, ``E2xx`` the store and ingest, ``E3xx`` networks and
  concepts, ``E4xx`` the HTTP API, ``E5xx`` models and evaluation, ``E6xx`` actor registry.

Example
-------
>>> err = InputError("E101", input="notes.txt")
>>> str(err)
'notes.txt: [E101] empty input: there is no text to analyse'
"""

from __future__ import annotations

__all__ = [
    "Errors",
    "StanceGraphError",
    "InputError",
    "StoreError",
    "NetworkError",
    "ApiError",
    "ModelError",
    "RegistryError",
]


class Errors:
    """Message templates, keyed by stable code."""

    # --- inputs and readers (E1xx) ---
    E101 = "empty input: there is no text to analyse"
    E102 = "binary input: the bytes look like a binary file ({detail}), not text"
    E103 = "invalid UTF-8 at byte {position}: {detail} (convert the file to UTF-8)"
    E104 = "input too large: {size:,} characters, over the limit of {limit:,} (raise it with --max-chars)"
    E105 = "malformed JSON on line {line}: {detail}"
    E106 = "record on line {line} has no usable '{field}' field"
    E107 = "malformed CSV: {detail}"
    E108 = "no main text could be extracted from the HTML"
    E109 = "malformed feed: {detail}"
    E110 = "cannot read input: {detail}"
    E111 = "unsupported input type '{suffix}' (expected .txt, .html, .htm, .jsonl, .json, .csv, .rss, .atom, .xml)"
    E112 = "no input matched '{pattern}'"
    E113 = "unrecognised date '{value}' (expected a date such as 2024-03-01 or 1 March 2024)"
    E114 = "analysis failed: {detail}"

    # --- models and evaluation (E5xx) ---
    E501 = "target stance model not found at {path} (reinstall stancegraph or run training/train_target_stance.py)"
    E502 = "target stance model at {path} cannot be loaded: {detail}"
    E503 = "target span {start}..{end} is outside the text of {length} characters"
    E504 = "target span {start}..{end} is empty"
    E505 = "evaluation set cannot be read: {detail}"
    E506 = "unknown baseline '{name}' (expected: vader)"
    E507 = "unknown output format '{name}' (expected: table or json)"


class StanceGraphError(Exception):
    """Base of every error stancegraph reports to a user.

    ``input`` names what the error is about (a file, a line of a file, a URL) when there
    is one; it starts the one-line message.
    """

    def __init__(self, code: str, *, input: str | None = None, **details: object) -> None:
        self.code = code
        self.input = input
        self.details = details
        self.message = getattr(Errors, code).format(**details)
        super().__init__(str(self))

    def __str__(self) -> str:
        prefix = f"{self.input}: " if self.input else ""
        return f"{prefix}[{self.code}] {self.message}"


class InputError(StanceGraphError):
    """An input cannot be read or analysed; the others go on."""


class StoreError(StanceGraphError):
    """The store cannot be opened, migrated, written or queried."""


class NetworkError(StanceGraphError):
    """A network or concept request cannot be built."""


class ApiError(StanceGraphError):
    """An HTTP API request is refused."""


class ModelError(StanceGraphError):
    """A shipped model is missing or cannot be used, or an evaluation set is unreadable."""


class RegistryError(StanceGraphError):
    """The user-editable actor registry is invalid."""
