"""French beside English: words per second of a bare spaCy parse and of the whole analysis.

One process, one core. English: the BBC politics articles (``--limit`` of them); French: the
project's own French texts (``examples/articles_fr.jsonl`` and the attribution set in
``src/stancegraph/evaluation/fr/``, all fictional). Each measure is the best of ``--repeat``
runs. The analysis is ``analyze_articles`` with the language given, so detection is not
timed; ``detect`` is timed apart, per article.

    .venv/bin/python bench/bench_french.py [--limit 60] [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import spacy
from bench_analyze import best_of  # the same timing as the English benchmark

from stancegraph.nlp import MODELS, pipeline_for
from stancegraph.pipeline import analyze_articles
from stancegraph.records import Article
from stancegraph.sources.language import detect

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = ROOT / ".." / "shared" / "data" / "bbc-news" / "politics"
FRENCH = [ROOT / "examples" / "articles_fr.jsonl", *sorted((ROOT / "src" / "stancegraph" / "evaluation" / "fr").glob("*.jsonl"))]


def measure(lang: str, texts: list[str], repeat: int) -> dict[str, float]:
    words = sum(len(t.split()) for t in texts)
    bare = spacy.load(MODELS[lang][0])
    pipeline_for(lang)
    articles = [Article(text=t, id=str(i), lang=lang) for i, t in enumerate(texts)]
    list(bare.pipe(texts[:3]))
    list(analyze_articles(articles[:3]))  # loads what each step loads on first use
    bare_time = best_of(repeat, lambda: list(bare.pipe(texts, batch_size=32)))
    analysis_time = best_of(repeat, lambda: list(analyze_articles(articles)))
    detect_time = best_of(repeat, lambda: [detect(t) for t in texts])
    return {"articles": len(texts), "words": words, "parse_words_per_s": words / bare_time,
            "analyze_words_per_s": words / analysis_time, "analysis_over_parse": analysis_time / bare_time,
            "detect_ms_per_article": 1000 * detect_time / len(texts)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    english = [f.read_text(encoding="utf-8", errors="replace") for f in sorted(ENGLISH.glob("*.txt"))[: args.limit]]
    french = [json.loads(line)["text"] for path in FRENCH for line in path.read_text(encoding="utf-8").splitlines()
              if line.strip()]
    results = {"en": measure("en", english, args.repeat), "fr": measure("fr", french, args.repeat)}
    print(f"{'':4} {'articles':>8} {'words':>7} {'parse w/s':>10} {'analyze w/s':>12} {'ratio':>6} {'detect ms':>10}")
    for lang, r in results.items():
        print(f"{lang:4} {r['articles']:8d} {r['words']:7d} {r['parse_words_per_s']:10.0f} "
              f"{r['analyze_words_per_s']:12.0f} {r['analysis_over_parse']:6.2f} {r['detect_ms_per_article']:10.2f}")


if __name__ == "__main__":
    main()
