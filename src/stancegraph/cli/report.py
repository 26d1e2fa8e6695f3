"""The terminal report of one analysed article: actors, then each actor's quotes and stances.

Article text is untrusted, so everything is built from :class:`rich.text.Text` pieces and
never parsed as console markup.
"""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console, Group
from rich.rule import Rule
from rich.text import Text

from stancegraph.records import ArticleAnalysis, Quote

__all__ = ["print_report", "render"]

POLARITY = {1: ("for", "green"), 0: ("neutral on", "yellow"), -1: ("against", "red")}


def _short(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _quote_line(quote: Quote) -> Text:
    line = Text("    ")
    line.append(f"[{quote.kind}] ", style="cyan")
    line.append(_short(quote.content.text))
    details = []
    if quote.cue is not None:
        details.append(f"cue: {quote.cue.text}")
    if quote.speaker is not None:
        details.append(f"speaker: {quote.speaker.text}")
    details.append(f"@{quote.content.start}-{quote.content.end}")
    line.append("  (" + "; ".join(details) + ")", style="dim")
    return line


def render(result: ArticleAnalysis) -> Group:
    """The report as rich renderables."""
    parts: list = []
    heading = Text(result.id, style="bold")
    if result.title:
        heading.append("  " + _short(result.title, 100), style="bold blue")
    meta = ", ".join(value for value in (result.date, result.source) if value)
    if meta:
        heading.append(f"  ({meta})", style="dim")
    parts.append(Rule(heading, align="left"))

    names = {actor.id: actor.name for actor in result.actors}
    parts.append(Text("Actors", style="bold underline"))
    for actor in result.actors:
        line = Text("  ")
        line.append(actor.name, style="bold")
        line.append(f" ({actor.type}, {len(actor.mentions)} mentions)", style="dim")
        if actor.aliases:
            line.append(" also: " + "; ".join(actor.aliases))
        parts.append(line)

    by_actor: dict[str | None, list[Quote]] = defaultdict(list)
    for quote in result.quotes:
        by_actor[quote.actor].append(quote)
    if result.quotes:
        parts.append(Text("Quotes", style="bold underline"))
    for actor_id in [a.id for a in result.actors if a.id in by_actor] + ([None] if None in by_actor else []):
        parts.append(Text("  " + (names.get(actor_id, "") if actor_id else "(speaker not resolved to an actor)"),
                          style="bold"))
        parts.extend(_quote_line(quote) for quote in by_actor[actor_id])

    if result.stances:
        parts.append(Text("Stances", style="bold underline"))
    for stance in result.stances:
        word, colour = POLARITY[stance.polarity]
        line = Text("  ")
        line.append(names.get(stance.actor, stance.actor), style="bold")
        line.append(f" {word} ", style=colour)
        line.append(names.get(stance.target, stance.target) if stance.target_kind == "actor" else stance.target)
        line.append(f"  “{_short(stance.evidence.text, 100)}” ({stance.confidence:.2f})", style="dim")
        parts.append(line)

    if result.relations:
        parts.append(Text("Relations", style="bold underline"))
    for relation in result.relations:
        line = Text("  ")
        line.append(f"{names.get(relation.a, relation.a)} and {names.get(relation.b, relation.b)} ")
        line.append(relation.kind, style="green" if relation.kind == "agree" else "red")
        line.append(f" on {names.get(relation.on, relation.on)}")
        parts.append(line)

    if result.claims:
        parts.append(Text("Claims", style="bold underline"))
    for claim in result.claims:
        value = f"{claim.value:,.0f}" if float(claim.value).is_integer() else f"{claim.value:,.2f}"
        line = Text(f"  {claim.qualifier + ' ' if claim.qualifier else ''}{value} {claim.unit}")
        if claim.source:
            line.append(f"  source: {names.get(claim.source, claim.source)}", style="dim")
        line.append(f"  “{_short(claim.span.text, 80)}”", style="dim")
        parts.append(line)

    if result.flags:
        parts.append(Text("Flags", style="bold underline"))
    for flag in result.flags:
        line = Text("  ")
        line.append(f"[{flag.kind}] ", style="magenta")
        line.append(flag.message)
        parts.append(line)
    return Group(*parts)


def print_report(result: ArticleAnalysis, console: Console) -> None:
    console.print(render(result))
    console.print()
