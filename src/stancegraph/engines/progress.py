"""The ingest progress bar: done/total, articles per second, time left, and the counts so far.

It draws on standard error, and only on a terminal: piped or in CI it stays silent, leaving
the one-line summary as the whole output.
"""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn, TimeRemainingColumn
from rich.text import Text

from stancegraph.engines.ingest import IngestSummary

__all__ = ["RateColumn", "RichProgress"]


class RateColumn(ProgressColumn):
    """Articles per second, as rich measures the task's speed."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:.1f} articles/s" if task.speed else "- articles/s", style="cyan")


class RichProgress:
    """An :class:`~stancegraph.engines.ingest.Progress` drawn with rich."""

    def __init__(self, console: Console | None = None) -> None:
        console = console or Console(stderr=True)
        self.bar = Progress(
            TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), RateColumn(), TimeRemainingColumn(),
            TextColumn("[green]{task.fields[added]} added[/] {task.fields[duplicates]} duplicates "
                       "{task.fields[skipped]} skipped [red]{task.fields[failed]} failed[/]"),
            console=console, disable=not console.is_terminal,
        )
        self.task = self.bar.add_task("ingest", total=None, added=0, duplicates=0, skipped=0, failed=0)

    def start(self, total: int) -> None:
        self.bar.update(self.task, total=total)
        self.bar.start()

    def update(self, summary: IngestSummary) -> None:
        total = self.bar.tasks[0].total or 0
        self.bar.update(self.task, completed=summary.completed, added=summary.added, duplicates=summary.duplicates,
                        skipped=summary.skipped, failed=summary.failed, total=max(total, summary.completed))

    def stop(self) -> None:
        self.bar.stop()
