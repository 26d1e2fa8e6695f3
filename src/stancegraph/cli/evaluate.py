"""``stancegraph eval``: the project's own evaluation on public sets and its claims set."""

from __future__ import annotations

from pathlib import Path

import typer

__all__ = ["register"]

eval_app = typer.Typer(help="Score stancegraph on evaluation sets.", no_args_is_help=True)


@eval_app.command("polnear")
def polnear(
    directory: Path = typer.Argument(..., help="A PolNeAR split, e.g. ../shared/data/polnear/data/dev"),
    limit: int = typer.Option(0, help="Score only the first N articles (0: all)."),
    format: str = typer.Option("table", help="table or json"),
    system: str = typer.Option("stancegraph", help="stancegraph, or textacy (its direct_quotations; needs the eval extra)"),
    tagger: str = typer.Option("", help="transformer, or crf (the --fast path); both when not given"),
) -> None:
    """Quote attribution: P/R/F1 at Jaccard >= 0.5 and at any overlap, and speaker accuracy, per tagger and kind."""
    from stancegraph.evaluation import polnear as evaluation

    taggers = (tagger,) if tagger else evaluation.TAGGERS
    evaluation.main(directory, limit=limit, format=format, system=system, taggers=taggers)


@eval_app.command("quotes")
def quotes(
    path: Path = typer.Argument(..., help="An attribution set (JSON lines), e.g. src/stancegraph/evaluation/fr/quotes_dev.jsonl"),
    format: str = typer.Option("table", help="table or json"),
) -> None:
    """Quote attribution on a set written as JSON lines: P/R/F1 (Jaccard >= 0.5, any overlap), speaker and actor accuracy."""
    from stancegraph.evaluation import quotes as evaluation

    evaluation.main(path, format=format)


@eval_app.command("newsmtsc")
def newsmtsc(
    file: Path = typer.Argument(..., help="A NewsMTSC JSONL file, e.g. ../shared/data/newsmtsc/dev-rw.jsonl"),
    baseline: str = typer.Option("", help="Score a baseline instead of the shipped model: 'vader'."),
    format: str = typer.Option("table", help="table or json"),
) -> None:
    """Target-dependent sentiment: macro-F1 and accuracy."""
    from stancegraph.evaluation import newsmtsc as evaluation

    evaluation.main(file, baseline=baseline or None, format=format)


@eval_app.command("claims")
def claims(
    file: Path = typer.Argument(None, help="An annotated claims set (default: the one shipped in evaluation/)."),
    format: str = typer.Option("table", help="table or json"),
) -> None:
    """Figures: precision and recall of value, unit and source."""
    from stancegraph.evaluation import claims as evaluation

    evaluation.main(file, format=format)


@eval_app.command("dsa")
def dsa(
    file: Path = typer.Argument(..., help="A DSA file, e.g. ../shared/data/dsa/valid.txt"),
    baseline: str = typer.Option("", help="Score a baseline instead of the shipped model: 'neutral'."),
    format: str = typer.Option("table", help="table or json"),
) -> None:
    """Directed actor-to-actor stance: 5-class macro-F1, accuracy, per-class F1, confusion matrix."""
    from stancegraph.evaluation import dsa as evaluation

    evaluation.main(file, baseline=baseline or None, format=format)


@eval_app.command("dna")
def dna(
    file: Path = typer.Argument(..., help="A DNA database, e.g. ../shared/data/dna-sample/sample.dna"),
    mapping: Path = typer.Option(None, help="Concept mapping, TSV: words<TAB>DNA concept (default: none)."),
    format: str = typer.Option("table", help="table or json"),
) -> None:
    """Automatic statements against hand-coded DNA ones: statement P/R/F1, edge-weight correlations."""
    from stancegraph.evaluation import dna_statements as evaluation

    evaluation.main(file, mapping=mapping, format=format)


@eval_app.command("issue-statements")
def issue_statements(
    file: Path = typer.Argument(None, help="An annotated set (default: evaluation/issue_statements.jsonl)."),
    format: str = typer.Option("table", help="table or json"),
) -> None:
    """A speaker's stance on an issue: rules, target model and directed model, per split."""
    from stancegraph.evaluation import issue_statements as evaluation

    evaluation.main(file, format=format)


@eval_app.command("gap")
def gap(
    file: Path = typer.Argument(..., help="A GAP TSV file, e.g. ../shared/data/gap/gap-validation.tsv"),
    format: str = typer.Option("table", help="table or json"),
) -> None:
    """Pronoun resolution: GAP's official F1, masculine and feminine F1, and bias (F/M)."""
    from stancegraph.evaluation import gap as evaluation

    evaluation.main(file, format=format)


@eval_app.command("gum")
def gum(
    directory: Path = typer.Argument(..., help="The GUM folder, e.g. ../shared/data/gum"),
    split: str = typer.Option("dev", help="all, train, choose (chosen on) or dev (GUM's dev: reported); test is never read"),
    format: str = typer.Option("table", help="table or json"),
) -> None:
    """Actors and coreference: mention P/R/F1, names merged, pure actors, pronouns resolved right."""
    from stancegraph.evaluation import gum as evaluation

    evaluation.main(directory, split=split, format=format)


def register(app: typer.Typer) -> None:
    app.add_typer(eval_app, name="eval")
