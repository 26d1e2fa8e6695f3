"""Small corpora written for the ingest tests, and a snapshot of a store to compare two stores."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

PEOPLE = [("Gordon Brown", "the Treasury"), ("Tony Blair", "Downing Street"), ("Michael Howard", "the Tories"),
          ("Charles Kennedy", "the Liberal Democrats"), ("Jack Straw", "the Foreign Office"),
          ("Patricia Hewitt", "the Department of Trade")]
TOPICS = ["the budget", "pensions", "the health service", "tuition fees", "the European constitution",
          "council tax", "immigration", "the railways"]

# time stamps and run records differ between two runs of the same inputs
VOLATILE = {"articles": ["ingested_at"], "failures": ["time"], "inputs": ["ingested_at"]}
COMPARED = ["articles", "actors", "aliases", "article_actors", "mentions", "roles", "quotes", "stances", "relations",
            "claims", "flags", "failures"]


def article_text(n: int) -> str:
    """A short political news article, different for every ``n``."""
    (speaker, place), (rival, _) = PEOPLE[n % len(PEOPLE)], PEOPLE[(n + 2) % len(PEOPLE)]
    topic = TOPICS[n % len(TOPICS)]
    surname = speaker.split()[-1]
    return (f"Row over {topic} number {n}\n\n"
            f"{speaker} said on Monday that {topic} would be reformed within {n + 2} years. "
            f"Speaking at {place}, {surname} told reporters that the plan was fair. "
            f"\u201cWe will not back down,\u201d {surname} said. "
            f"{rival} said the plan for {topic} was a mistake and called for a vote in Parliament.\n")


def write_corpus(folder: Path, count: int, start: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(start, start + count):
        (folder / f"{n:03d}.txt").write_text(article_text(n), encoding="utf-8")
    return folder


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every compared table of a store, sorted, without the columns that record time."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = {}
        for table in COMPARED:
            excluded = VOLATILE.get(table)
            columns = f"* EXCLUDE ({', '.join(excluded)})" if excluded else "*"
            tables[table] = con.execute(f"SELECT {columns} FROM {table} ORDER BY ALL").fetchall()
        return tables
    finally:
        con.close()


def count(path: Path, sql: str) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def summary_counts(output: str) -> dict[str, int]:
    """The counts of an ingest's one-line summary: ``added``, ``duplicates``, ``skipped``, ``failed``.

    Duplicates may be worded "N duplicates" or "N copies of added articles", and left out when
    there are none.
    """
    counts = {"duplicates": 0}
    for number, word in re.findall(r"(\d+) (added|duplicates|copies|skipped|failed)\b", output):
        counts["duplicates" if word == "copies" else word] = int(number)
    return counts
