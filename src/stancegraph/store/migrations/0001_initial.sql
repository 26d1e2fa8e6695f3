-- Schema version 1: the articles, the corpus actors and everything found in each article.
-- Offsets (start, "end", *_start, *_end) are Python character offsets into articles.text,
-- end exclusive. Actor ids are corpus actor ids (actors.id). See store/SCHEMA.md.

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    title TEXT,
    date DATE,
    source TEXT,
    url TEXT,
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    duplicate_of TEXT,
    input TEXT,
    ingested_at TIMESTAMP NOT NULL
);

-- One row per input id: the same text under two ids is two rows with one content_hash, the
-- later one naming the first in duplicate_of (its analysis rows are stored once, for the first).
CREATE INDEX articles_content_hash ON articles (content_hash);

CREATE TABLE actors (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    country TEXT
);

CREATE TABLE aliases (
    actor_id TEXT NOT NULL,
    alias TEXT NOT NULL
);

CREATE TABLE mentions (
    article_id TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL
);

CREATE TABLE roles (
    article_id TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    title TEXT NOT NULL,
    office TEXT NOT NULL,
    office_class TEXT NOT NULL,
    country TEXT,
    tense TEXT
);

CREATE TABLE quotes (
    article_id TEXT NOT NULL,
    n INTEGER NOT NULL,
    kind TEXT NOT NULL,
    content_start INTEGER NOT NULL,
    content_end INTEGER NOT NULL,
    content_text TEXT NOT NULL,
    cue_start INTEGER,
    cue_end INTEGER,
    cue_text TEXT,
    speaker_start INTEGER,
    speaker_end INTEGER,
    speaker_text TEXT,
    actor_id TEXT,
    confidence DOUBLE NOT NULL
);

CREATE TABLE stances (
    article_id TEXT NOT NULL,
    n INTEGER NOT NULL,
    actor_id TEXT NOT NULL,
    target TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    polarity SMALLINT NOT NULL,
    evidence_start INTEGER NOT NULL,
    evidence_end INTEGER NOT NULL,
    evidence_text TEXT NOT NULL,
    confidence DOUBLE NOT NULL
);

CREATE TABLE relations (
    article_id TEXT NOT NULL,
    n INTEGER NOT NULL,
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    kind TEXT NOT NULL,
    on_target TEXT NOT NULL
);

CREATE TABLE claims (
    article_id TEXT NOT NULL,
    n INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    value DOUBLE NOT NULL,
    unit TEXT NOT NULL,
    qualifier TEXT,
    source TEXT,
    subject TEXT
);

CREATE TABLE flags (
    article_id TEXT NOT NULL,
    n INTEGER NOT NULL,
    kind TEXT NOT NULL,
    actor_id TEXT,
    message TEXT NOT NULL,
    evidence JSON NOT NULL
);

CREATE TABLE failures (
    input TEXT NOT NULL,
    code TEXT NOT NULL,
    reason TEXT NOT NULL,
    time TIMESTAMP NOT NULL,
    file TEXT
);

CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    engine TEXT NOT NULL,
    workers INTEGER NOT NULL,
    inputs JSON NOT NULL,
    added INTEGER,
    skipped INTEGER,
    failed INTEGER,
    duplicates INTEGER
);
