"""The JSON shapes of the HTTP API, for its OpenAPI description and the POST body's validation.

Responses are written from cached JSON (see :mod:`stancegraph.web.access`); these models
document them. :class:`ArticleIn` validates the body of ``POST /api/articles``.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from stancegraph.errors import Errors
from stancegraph.sources.ids import MAX_ID, id_problem

__all__ = [
    "ActorOut",
    "ActorsOut",
    "AnalysisOut",
    "ArticleDateIn",
    "ArticleIn",
    "ArticlesOut",
    "ConceptOut",
    "ErrorBody",
    "FlagsOut",
    "JobOut",
    "NetworkOut",
    "OverviewOut",
    "QuoteRef",
    "SpanOut",
    "StatementRef",
]

MAX_FIELD = 10_000


def _encodable(value: str | None) -> str | None:
    """Refuse text that is not valid Unicode (lone surrogates) or holds NUL characters."""
    if value is None:
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError("text must be valid Unicode (no lone surrogates)") from error
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    return value


class ArticleIn(BaseModel):
    """One article to analyse and store."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "id": "2024-03-01-talks", "title": "Talks in Paris", "date": "2024-03-01", "source": "Daily Example",
        "text": "French President Emmanuel Macron said on Friday that the sanctions must stay."}]})

    id: str | None = Field(None, min_length=1, max_length=MAX_ID, description=(
        "Article id (default: a hash of the text). Allowed form: 1 to 512 characters, not blank, no control "
        "characters, and no `.`, `..` or empty segment between slashes (a URL's `scheme://` and one final `/` "
        "excepted), e.g. `politics/2024-03-01-talks` or `https://news.example/2024/vote`."))
    title: str | None = Field(None, max_length=MAX_FIELD)
    date: dt.date | None = Field(None, description="Publication date, YYYY-MM-DD.")
    source: str | None = Field(None, max_length=MAX_FIELD)
    url: str | None = Field(None, max_length=MAX_FIELD)
    text: str = Field(..., min_length=1, description="The article text (it is analysed as given).")

    @field_validator("id", "title", "source", "url", "text")
    @classmethod
    def _valid_text(cls, value: str | None) -> str | None:
        return _encodable(value)

    @field_validator("id")
    @classmethod
    def _id_form(cls, value: str | None) -> str | None:
        if value is not None and (reason := id_problem(value)) is not None:
            raise ValueError(Errors.E120.format(id=value[:200], reason=reason))
        return value

    @field_validator("date")
    @classmethod
    def _date_range(cls, value: dt.date | None) -> dt.date | None:
        if value is not None and not (dt.date(1678, 1, 1) <= value <= dt.date(2261, 12, 31)):
            raise ValueError("date must be between 1678-01-01 and 2261-12-31")
        return value


class ArticleDateIn(BaseModel):
    """A stored article's new date (null: undated)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"date": "2024-03-01"}]})

    date: dt.date | None = Field(..., description="Publication date, YYYY-MM-DD, or null.")

    @field_validator("date")
    @classmethod
    def _date_range(cls, value: dt.date | None) -> dt.date | None:
        return ArticleIn._date_range(value)


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    """Every error: a stable code (E4xx, E2xx, E3xx) and a message."""

    error: ErrorDetail


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class SpanOut(BaseModel):
    start: int
    end: int
    text: str


class ActorIn(_Open):
    id: str
    name: str
    type: str
    aliases: list[str]
    mentions: list[SpanOut]


class QuoteOut(_Open):
    kind: Literal["direct", "partial", "indirect"]
    content: SpanOut
    cue: SpanOut | None
    speaker: SpanOut | None
    actor: str | None
    confidence: float
    id: str | None = Field(None, description="'<article id>#<n>': what a review names it by.")


class StanceOut(_Open):
    actor: str | None
    target: str | None
    target_kind: str
    polarity: int
    evidence: SpanOut
    confidence: float
    id: str | None = Field(None, description="'<article id>#<n>': what a review names it by.")


class RelationOut(_Open):
    a: str | None
    b: str | None
    kind: str
    on: str | None


class ClaimOut(_Open):
    span: SpanOut
    value: float
    unit: str
    qualifier: str | None
    source: str | None


class FlagOut(_Open):
    kind: str
    actor: str | None
    message: str
    evidence: list[SpanOut]


class AnalysisOut(_Open):
    """An article's analysis in the output contract (DESIGN.md), with corpus actor ids."""

    id: str
    title: str | None
    date: str | None
    source: str | None
    text: str
    actors: list[ActorIn]
    quotes: list[QuoteOut]
    stances: list[StanceOut]
    relations: list[RelationOut]
    claims: list[ClaimOut]
    flags: list[FlagOut]
    lang: str = "en"


class ArticleSummary(_Open):
    id: str
    title: str | None
    date: str | None
    source: str | None
    snippet: str
    lang: str | None = None
    actors: int
    quotes: int
    stances: int
    flags: int
    link: str


class ArticlesOut(BaseModel):
    total: int
    page: int
    per_page: int
    articles: list[ArticleSummary]


class ActorSummary(_Open):
    id: str
    name: str
    type: str
    articles: int
    quotes: int
    stances: int
    aliases: list[str]
    link: str


class ActorsOut(BaseModel):
    total: int
    page: int
    per_page: int
    actors: list[ActorSummary]


class Position(_Open):
    id: str
    article_id: str
    date: str | None
    concept: str
    label: str | None
    polarity: int


class ActorOut(_Open):
    """An actor: aliases, roles, quotes and stances (with dates), and its positions per concept."""

    id: str
    name: str
    type: str
    aliases: list[str]
    quotes: list[dict]
    stances: list[dict]
    positions: list[Position]


class ConceptOut(BaseModel):
    concept: str
    origin: Literal["user", "automatic"]
    statements: int
    labels: list[str]
    how: list[str]


class NetworkOut(_Open):
    """A network (``graph``, ``nodes``, ``edges``) or, with ``window``, ``{"windows": [...], "order": ...}``.

    ``order`` is ``"ingest"`` when no statement has a date: the windows are then batches of
    articles in the order of ingest (with ``first`` and ``last`` positions), not dates.

    Each edge has ``source``, ``target``, ``weight`` and, with details, the ``concepts`` (or
    ``actors``) behind it and the ids of its ``statements`` and ``quotes``.
    """

    graph: dict | None = None
    nodes: list[dict] | None = None
    edges: list[dict] | None = None
    windows: list[dict] | None = None
    order: Literal["date", "ingest"] | None = None


class QuoteRef(_Open):
    id: str
    article_id: str
    content_text: str
    speaker_text: str | None
    actor_id: str | None
    actor_name: str | None
    link: str


class StatementRef(_Open):
    id: str
    article_id: str
    actor_id: str | None
    target: str | None
    polarity: int
    evidence_text: str
    link: str


class FlagsOut(_Open):
    total: int
    page: int
    per_page: int
    kinds: list[str]
    flags: list[dict]
    findings: list[dict] | None = None


class OverviewOut(_Open):
    counts: dict[str, int]
    first_date: str | None
    last_date: str | None
    latest: list[ArticleSummary]
    actors: list[dict]


class JobOut(BaseModel):
    """An article handed to the analysis worker (``POST /api/articles`` answered 202): where it stands."""

    id: str = Field(description="The job id, in its URL `/api/jobs/{id}`.")
    status: Literal["queued", "running", "done", "failed"]
    url: str = Field(description="This job's status URL.")
    article: str | None = Field(None, description="The article id, once it is stored.")
    link: str | None = Field(None, description="The stored article's URL `/api/articles/{id}`, once done.")
    error: ErrorDetail | None = Field(None, description="Why it failed: E121 over the time budget, E122 the worker "
                                      "died, E124 the server stopped, or the analysis' own code (E1xx, E403, E407).")
