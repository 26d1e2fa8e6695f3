"""Groups of command-line options that several commands share, declared once.

Typer reads a command's options from its signature, so commands that take the same dozen
filters would each repeat them. :func:`with_groups` appends a group's options to a command's
signature and hands the command their values as one dict under the group's name.

Example::

    DATES = OptionGroup("dates", date_from=(str | None, typer.Option(None, "--from")),
                        date_to=(str | None, typer.Option(None, "--to")))

    @with_groups(DATES)
    def count(dates: dict[str, Any], top: int = typer.Option(10, "--top")) -> None:
        ...   # dates == {"date_from": ..., "date_to": ...}
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import wraps
from typing import Any

__all__ = ["OptionGroup", "with_groups"]


class OptionGroup:
    """Named options (name=(type, typer.Option(...))) that a command receives as one dict."""

    def __init__(self, name: str, **options: tuple[Any, Any]) -> None:
        self.name = name
        self.parameters = tuple(inspect.Parameter(option, inspect.Parameter.KEYWORD_ONLY, default=default,
                                                  annotation=annotation)
                                for option, (annotation, default) in options.items())


def with_groups(*groups: OptionGroup) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Add the groups' options to the command's signature; it gets each group's values as a dict."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(command, eval_str=True)
        names = {group.name for group in groups}
        own = [parameter.replace(kind=inspect.Parameter.KEYWORD_ONLY)
               for parameter in signature.parameters.values() if parameter.name not in names]
        parameters = own + [parameter for group in groups for parameter in group.parameters]

        @wraps(command)
        def run(**values: Any) -> Any:
            for group in groups:
                values[group.name] = {parameter.name: values.pop(parameter.name) for parameter in group.parameters}
            return command(**values)

        run.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        run.__annotations__ = {parameter.name: parameter.annotation for parameter in parameters}
        return run

    return decorate
