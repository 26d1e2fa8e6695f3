"""Quotation marks: which stretches of a text stand between an opening and a closing mark.

Straight double quotes alternate open/close within a paragraph; curly quotes say which they
are. A mark left unclosed at the end of its paragraph opens nothing (newspapers repeat the
opening mark on each paragraph of a long quote, and bad input has stray marks), so a stray
mark never swallows the rest of the article.

Example
-------
>>> quoted_regions('He said “yes” and "no".')
[(8, 13), (18, 22)]
"""

from __future__ import annotations

import re

__all__ = ["OPENING", "CLOSING", "quoted_regions", "inside"]

OPENING = "“„«‟"
CLOSING = "”»"
_STRAIGHT = '"'
_MARK = re.compile(r"[\"“”„«»‟]")


def quoted_regions(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each quoted passage, marks included, in text order."""
    regions: list[tuple[int, int]] = []
    paragraph_start = 0
    for paragraph in text.split("\n"):
        open_at: int | None = None
        for match in _MARK.finditer(paragraph):
            mark, position = match.group(), paragraph_start + match.start()
            if open_at is None:
                if mark in OPENING or mark == _STRAIGHT:
                    open_at = position
            elif mark in CLOSING or mark == _STRAIGHT:
                regions.append((open_at, position + 1))
                open_at = None
            elif mark in OPENING:
                open_at = position  # a second opening mark: the first was stray
        paragraph_start += len(paragraph) + 1
    return regions


def inside(regions: list[tuple[int, int]], position: int) -> tuple[int, int] | None:
    """The region that holds character ``position`` strictly between its marks, if any."""
    for start, end in regions:
        if start < position < end - 1:
            return start, end
        if start > position:
            break
    return None
