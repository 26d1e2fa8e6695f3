-- Schema version 6: human reviews of the automatic coding (issue 14). Each row is one decision
-- on one quote, stance, actor mention or actor, anchored on the article and the character
-- offsets of the item (not on its position), so that it is applied again when the article is
-- analysed again. The automatic rows carry the reviews' effect (store/reviews.py); a store
-- without this table (version 5, opened read-only) reads as having no reviews.

CREATE SEQUENCE IF NOT EXISTS review_ids START 1;

CREATE TABLE IF NOT EXISTS reviews (
    id INTEGER PRIMARY KEY,
    target_kind TEXT NOT NULL,
    article_id TEXT,
    start INTEGER,
    "end" INTEGER,
    anchor JSON NOT NULL,
    verdict TEXT NOT NULL,
    changes JSON NOT NULL,
    before JSON,
    after JSON,
    reviewer TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    undone BOOLEAN NOT NULL DEFAULT false,
    undone_at TIMESTAMP
);

CREATE INDEX IF NOT EXISTS reviews_article ON reviews (article_id);
