"""A corpus of 400 hand-built articles with 90 actors of four types, for the network page at scale.

Each article has three actors taking a stance on one of twelve concepts; a few actors speak
far more often than the rest (as in news), so node sizes differ. Nothing is parsed to build it.
"""

from __future__ import annotations

import datetime as dt
import random

from webcorpus import _article

from stancegraph.store import open_store, write_analyses

FIRST = ["Anna", "Bruno", "Clara", "David", "Elena", "Felix", "Greta", "Hugo", "Ines", "Jonas"]
LAST = ["Albrecht", "Brennan", "Castellano", "Drummond", "Eriksen"]
ORGS = ["Ministry of Finance", "Central Bank", "Farmers Union", "Chamber of Commerce", "Teachers Federation",
        "Green Alliance", "Port Authority", "Rail Company", "Nurses Council", "Student League",
        "Miners Guild", "Pensioners Club", "Tech Forum", "Fishing Board", "Water Utility",
        "Housing Trust", "Hospital Group", "Police Union", "Transport Agency", "Energy Regulator"]
COUNTRIES = ["France", "Germany", "Spain", "Italy", "Poland", "Sweden", "Norway", "Greece", "Ireland", "Austria"]
GROUPS = ["the protesters", "the unions", "the farmers", "the doctors", "the lawyers", "the voters",
          "the students", "the pensioners", "the bankers", "the commuters"]
CONCEPTS = ["carbon tax", "rail strike", "pension reform", "school funding", "housing plan", "border checks",
            "wind farms", "fishing quotas", "minimum wage", "bank levy", "hospital budget", "road tolls"]
ARTICLES = 400


def actors() -> list[tuple[str, str]]:
    """(name, type) of the 90 actors, the most active first."""
    people = [(f"{first} {last}", "person") for last in LAST for first in FIRST]
    return (people + [(name, "organization") for name in ORGS] + [(name, "country") for name in COUNTRIES]
            + [(name.capitalize(), "group") for name in GROUPS])


def big_corpus(dated: bool = True, seed: int = 14) -> list:
    """400 articles; with ``dated`` one a day from 2024-01-01, else without dates."""
    rng = random.Random(seed)
    cast = actors()
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(cast))]  # a few speak often, most rarely
    leaning = {name: rng.choice([1, -1]) for name, _ in cast}
    articles = []
    for number in range(ARTICLES):
        concept = CONCEPTS[rng.randrange(len(CONCEPTS))]
        chosen: list[tuple[str, str]] = []
        while len(chosen) < 3:
            pick = rng.choices(cast, weights)[0]
            if pick not in chosen:
                chosen.append(pick)
        sentences, spec_actors, stances = [], [], []
        for k, (name, kind) in enumerate(chosen):
            polarity = leaning[name] if rng.random() < 0.8 else -leaning[name]
            sentence = f"{name} said the {concept} is {'right' if polarity > 0 else 'wrong'} ({k})."
            sentences.append(sentence)
            local = f"a{k}"
            spec_actors.append((local, name, kind, [name]))
            stances.append((local, concept, "issue", polarity, sentence[:-1]))
        date = (dt.date(2024, 1, 1) + dt.timedelta(days=number)).isoformat() if dated else None
        articles.append(_article(f"big/{number:03d}", f"Debate {number} on the {concept}", date, "Test Wire",
                                 " ".join(sentences), actors=spec_actors, stances=stances))
    return articles


def build_big_store(path, dated: bool = True):
    con = open_store(path)
    try:
        write_analyses(con, big_corpus(dated))
    finally:
        con.close()
    return path
