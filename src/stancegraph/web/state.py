"""The server's state: settings, the store gate, the analysis queue, cached computations.

One :class:`WebState` per app (``app.state.web``). Everything that reads the store goes
through :attr:`WebState.gate`; everything slow is cached by store state there.
"""

from __future__ import annotations

import json
import math
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stancegraph.errors import ApiError
from stancegraph.web.access import Cached, DnaGate, DnaSettings, StoreGate
from stancegraph.web.security import LoginLimiter
from stancegraph.web.worker import AnalysisQueue

__all__ = ["Settings", "WebState", "clean", "json_bytes"]

DEFAULT_MAX_BODY = 10 * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """How a server runs: its store, token, limits and network defaults.

    With ``dna`` the server reads that DNA database, read-only, instead of a store (``db`` is
    then the database's path).
    """

    db: Path
    token: str | None = None
    max_body: int = DEFAULT_MAX_BODY
    max_chars: int = 1_000_000
    similarity: float | None = 0.85
    read_wait: float = 2.0
    write_wait: float = 10.0
    registry: Path | None = None
    post_wait: float = 10.0  # how long POST waits for its analysis before answering 202 with a job URL
    analysis_budget: float = 60.0  # seconds one analysis may take before its worker is killed (E121)
    queue_size: int = 16  # articles waiting for the worker before POST answers 503
    dna: DnaSettings | None = None


def clean(value: Any) -> Any:
    """``value`` with non-finite floats made null, so that it is valid JSON."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    return value


def json_bytes(value: Any) -> bytes:
    return json.dumps(clean(value), ensure_ascii=False, separators=(",", ":"), default=str,
                      allow_nan=False).encode("utf-8")


@dataclass
class WebState:
    settings: Settings
    gate: StoreGate | DnaGate = field(init=False)
    embedder: Any = field(init=False)
    jobs: AnalysisQueue = field(init=False)
    logins: LoginLimiter = field(init=False)

    @property
    def store_gate(self) -> StoreGate:
        """The gate of the store (a DNA server has none: its writes and store pages are refused earlier)."""
        assert isinstance(self.gate, StoreGate)
        return self.gate

    def __post_init__(self) -> None:
        from stancegraph.web.networks import CachingEmbedder

        self.gate = (DnaGate(self.settings.dna) if self.settings.dna is not None
                     else StoreGate(self.settings.db, wait=self.settings.read_wait))
        self.embedder = CachingEmbedder()
        self.logins = LoginLimiter()
        self.jobs = AnalysisQueue(self.store_analysis, max_chars=self.settings.max_chars,
                                  budget=self.settings.analysis_budget, size=self.settings.queue_size)
        self._nested: dict[Any, tuple[tuple[Any, ...], Any]] = {}
        self._nested_lock = threading.Lock()
        self._nested_locks: dict[Any, threading.Lock] = {}

    # --- folded statements: computed inside a read, shared by networks, concepts and actors ---

    def folded(self, con: Any, similarity: float | None, heads: bool) -> Any:
        """The store's statements folded into concepts, for the state ``con`` reads (cached);
        a DNA database's statements with their coded concepts (``con`` is its source)."""
        from stancegraph.web.networks import Folded, fold_store

        if self.settings.dna is not None:
            from stancegraph.web.dna_serve import dna_folding

            return Folded(con.statements, dna_folding(con.statements))

        key = ("folded", similarity, heads)
        fingerprint = self.gate.fingerprint()  # stable: a read connection is open
        with self._nested_lock:
            lock = self._nested_locks.setdefault(key, threading.Lock())
        with lock:
            hit = self._nested.get(key)
            if hit is not None and hit[0] == fingerprint:
                return hit[1]
            value = fold_store(con, similarity=similarity, heads_as_countries=heads, embedder=self.embedder)
            self._nested[key] = (fingerprint, value)
            return value

    def similarity_for(self, similarity: float | None, no_embeddings: bool | None) -> float | None:
        """The folding threshold of a request: None (no embeddings) when asked or when the server's default."""
        if no_embeddings is None:
            return None if self.settings.similarity is None else (similarity if similarity is not None
                                                                  else self.settings.similarity)
        if no_embeddings:
            return None
        return similarity if similarity is not None else (self.settings.similarity or 0.85)

    def source_options(self, options: Any) -> Any:
        """Network options for this server's statements: as given for a store; for a DNA
        database, every qualifier value kept on the qualifier's own scale (as ``network --dna``)."""
        if self.settings.dna is None:
            return options
        from dataclasses import replace

        assert isinstance(self.gate, DnaGate)
        return replace(options, neutral=True, scale=self.gate.source().scale)

    # --- reads ---

    def ingest_order(self, con: Any) -> list[str] | None:
        """Article ids in the order of ingest, an undated store's timeline; None for a DNA database."""
        if self.settings.dna is not None:
            return None
        from stancegraph.store.queries import ingest_order

        return ingest_order(con)

    def read(self, key: Any, compute: Any) -> Cached[Any]:
        return self.gate.read(key, compute)

    # --- writes ---

    def registry(self) -> Any:
        from stancegraph.registry import default_registry_path, load_registry

        path = self.settings.registry or default_registry_path(self.settings.db)
        return load_registry(path, required=self.settings.registry is not None)

    def write(self, analyses: list[Any]) -> Any:
        """Write analyses in one transaction (the server's only write)."""
        from stancegraph.store import write_analyses

        registry = self.registry()
        with self.store_gate.writing(wait=self.settings.write_wait) as con:
            return write_analyses(con, analyses, registry=registry)

    def store_analysis(self, analysis: Any) -> tuple[str, bool]:
        """Write one analysis from the worker: (its id, whether it is new); E407 when its id is taken."""
        summary = self.write([analysis])
        if summary.failed:
            raise ApiError("E407", id=analysis.id)
        return analysis.id, bool(summary.added or summary.duplicates)

    def close(self) -> None:
        self.jobs.close(wait=10.0)  # an analysis about to finish is stored; a long one fails with E124


def require(value: Any, what: str, id: str) -> Any:
    if value is None:
        raise ApiError("E404", what=what, id=id)
    return value
