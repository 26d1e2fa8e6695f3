"""Quotation marks: which stretches of a text stand between an opening and a closing mark.

Curly quotes say which they are (“ ” and ‘ ’, « », „ “). A straight double quote ``"`` (or
the typewriter pair ``''``) opens after a space and closes before one; where the spaces
do not tell, it closes the innermost open quote it can close, else opens one. Straight and
curly marks close each other, since careless text mixes them. A quote nested in another one
(`“He called it "a hoax" again”`) stays part of the outer passage. A curly single quote
counts only where it cannot be an apostrophe: ‘ at the start of a word, ’ at the end of one.

A mark left unclosed at the end of its paragraph opens nothing (newspapers repeat the
opening mark on each paragraph of a long quote, and bad input has stray marks), so a stray
mark never swallows the rest of the article.

Example
-------
>>> quoted_regions('He said “yes” and "no".')
[(8, 13), (18, 22)]
>>> quoted_regions('“They called it "a hoax" again,” she said. ‘Soon’ and Trump’s')
[(0, 32), (43, 49)]
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re

__all__ = ["CLOSING", "OPENING", "inside", "quoted_passages", "quoted_regions", "quoted_share"]

OPENING = "“„«‟‘"
CLOSING = "”»’"
_CLOSED_BY = {
    "”": ("“", "‟", "``", '"', "''"),
    "»": ("«",),
    "’": ("‘",),
    '"': ('"', "“", "„", "``"),
    "''": ("''", "``", "“"),
    "“": ("„",),
}
"""The opening marks each closing mark can close (German „ closes with “)."""
_STRAIGHT = ('"', "''")
_MARK = re.compile(r"''|``|[\"“”„«»‟‘’]")


def _role(text: str, match: re.Match[str]) -> str | None:
    """What a mark does: ``open``, ``close``, or for a straight mark ``straight-open``,
    ``straight-close`` (from the spaces around it) or ``straight`` (either); None for an
    apostrophe."""
    mark, start, end = match.group(), match.start(), match.end()
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if mark in _STRAIGHT:
        if (before.isspace() or before in "([{—–-/") and not after.isspace():
            return "straight-open"
        if not before.isspace() and (after.isspace() or after in ".,;:!?)]}—–-/"):
            return "straight-close"
        return "straight"
    if mark == "``":
        return "open"
    if mark == "‘":
        return "open" if not before.isalnum() and after.isalnum() else None
    if mark == "’":
        return "close" if not after.isalnum() and not before.isspace() else None
    return "open" if mark in OPENING else "close"


def quoted_regions(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each outermost quoted passage, marks included, in text order."""
    return list(_quoted_regions(text))


@functools.lru_cache(maxsize=4)
def _quoted_regions(text: str) -> tuple[tuple[int, int], ...]:
    """:func:`quoted_regions`, kept for the last few texts: every extraction step reads them."""
    regions: list[tuple[int, int]] = []
    for paragraph_regions, _ in _paragraphs(text):
        regions.extend(paragraph_regions)
    return tuple(_outermost(regions))


def quoted_passages(text: str) -> list[tuple[int, int]]:
    """:func:`quoted_regions`, with a quotation that runs over several paragraphs as one passage.

    Newspapers leave a long quotation open at the end of each of its paragraphs and repeat
    the opening mark at the start of the next; such a chain is joined from its first opening
    mark to the closing one. A paragraph's unclosed mark starts a chain only where it opens
    the paragraph or follows a colon ("Reyes said: “...), and the chain ends (opening
    nothing) at the first paragraph that does not start with an opening mark.
    """
    return list(_quoted_passages(text))


@functools.lru_cache(maxsize=4)
def _quoted_passages(text: str) -> tuple[tuple[int, int], ...]:
    """:func:`quoted_passages`, kept for the last few texts."""
    regions = quoted_regions(text)
    starts = {start: end for start, end in regions}
    chain: int | None = None
    for paragraph_regions, dangling in _paragraphs(text, keep_blank=False):
        first = min((start for start, _ in paragraph_regions), default=None)
        if chain is not None and dangling is not None and dangling[1]:
            continue  # the chain runs on through this paragraph
        if chain is not None and first is not None and _opens_paragraph(text, first):
            regions.append((chain, starts[first]))
        chain = dangling[0] if dangling is not None and (dangling[1] or _after_colon(text, dangling[0])) else None
    return tuple(_outermost(regions))


def _paragraphs(text: str, *, keep_blank: bool = True,
                ) -> list[tuple[list[tuple[int, int]], tuple[int, bool] | None]]:
    """For each line: its quoted regions, and the outermost mark it leaves open (position,
    and whether that mark opens the line), if any."""
    found = []
    paragraph_start = 0
    for paragraph in text.split("\n"):
        regions, dangling = _paragraph_regions(paragraph, paragraph_start)
        if keep_blank or paragraph.strip():
            opens = dangling is not None and not text[paragraph_start:dangling].strip()
            found.append((regions, (dangling, opens) if dangling is not None else None))
        paragraph_start += len(paragraph) + 1
    return found


def _paragraph_regions(paragraph: str, offset: int) -> tuple[list[tuple[int, int]], int | None]:
    """The quoted regions of one line (offsets into the text), and the position of the
    outermost mark it leaves open, if any."""
    regions: list[tuple[int, int]] = []
    open_marks = _OpenMarks()
    for match in _MARK.finditer(paragraph):
        role = _role(paragraph, match)
        mark, position = match.group(), offset + match.start()
        if role is None:
            continue
        if role == "open" and not (mark == "“" and open_marks.innermost() == "„"):
            open_marks.push(mark, position)
            continue
        level = open_marks.closed_by(mark) if role != "straight-open" else None
        if level is None:
            if role.startswith("straight") and role != "straight-close":
                open_marks.push(mark, position)
            continue
        regions.append((open_marks.close(level), position + len(mark)))
    return regions, open_marks.levels[0][1] if open_marks.levels else None


def _opens_paragraph(text: str, position: int) -> bool:
    """Whether only spaces stand between the line start and ``position``."""
    line_start = text.rfind("\n", 0, position) + 1
    return not text[line_start:position].strip()


def _after_colon(text: str, position: int) -> bool:
    return text[:position].rstrip().endswith(":")


class _OpenMarks:
    """The open levels of a paragraph, outermost first, with each opening mark's levels kept
    apart so that finding the innermost level a mark closes takes constant time (a scan of
    every open level made a paragraph of thousands of unclosed marks quadratic).

    Mixed pairs close each other (a straight opening and a curly closing, and the reverse),
    since careless text mixes them: see ``_CLOSED_BY``.
    """

    def __init__(self) -> None:
        self.levels: list[tuple[str, int]] = []  # (mark, position)
        self.by_mark: dict[str, list[int]] = {}  # opening mark -> its levels, innermost last

    def innermost(self) -> str | None:
        return self.levels[-1][0] if self.levels else None

    def push(self, mark: str, position: int) -> None:
        self.by_mark.setdefault(mark, []).append(len(self.levels))
        self.levels.append((mark, position))

    def closed_by(self, mark: str) -> int | None:
        """The innermost open level that ``mark`` closes, if any."""
        tops = [self.by_mark[o][-1] for o in _CLOSED_BY.get(mark, ()) if self.by_mark.get(o)]
        return max(tops) if tops else None

    def close(self, level: int) -> int:
        """Close ``level`` and every level inside it; the position of its opening mark."""
        position = self.levels[level][1]
        del self.levels[level:]
        for stack in self.by_mark.values():
            while stack and stack[-1] >= level:
                stack.pop()
        return position


def _outermost(regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Regions in text order with any region inside another dropped."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(regions, key=lambda r: (r[0], -r[1])):
        if kept and start < kept[-1][1]:
            continue
        kept.append((start, end))
    return kept


def inside(regions: list[tuple[int, int]], position: int) -> tuple[int, int] | None:
    """The region that holds character ``position`` strictly between its marks, if any."""
    index = bisect.bisect_right(regions, (position, float("inf"))) - 1
    if index >= 0:
        start, end = regions[index]
        if start < position < end - 1:
            return start, end
    return None


def quoted_share(text: str, start: int, end: int, regions: list[tuple[int, int]]) -> float:
    """The share of the letters and digits of ``text[start:end]`` that stand inside ``regions``."""
    start, end = max(start, 0), min(end, len(text))
    if end <= start:
        return 0.0
    letters = _letters_before(text)
    total = letters[end] - letters[start]
    quoted = sum(letters[min(end, e)] - letters[max(start, s)] for s, e in regions if s < end and start < e)
    return quoted / total if total else 0.0


@functools.lru_cache(maxsize=4)
def _letters_before(text: str) -> list[int]:
    """For each offset into ``text`` (and its end), how many letters and digits stand before it."""
    return [0, *itertools.accumulate(map(str.isalnum, text))]
