"""RSS and Atom feeds (``.rss``, ``.atom``, ``.xml``): one article per item, read by feedparser.

feedparser and lxml come with the ``feeds`` extra; without them a feed stops with E130 naming it.

An item's text is its full content where the feed carries it, else its summary, turned from
HTML into plain text with a line break between paragraphs. Its id is its link (else its guid),
its date the published (else updated) date, its source the feed's title. XML errors name the
line; items recovered around them are still read, and an item with no text is an
:class:`InputError` (E115) that does not stop the others.

Example
-------
>>> import tempfile, pathlib
>>> feed = pathlib.Path(tempfile.mkdtemp()) / "politics.rss"
>>> _ = feed.write_text('''<rss version="2.0"><channel><title>Daily</title><item><title>Talks</title>
... <link>https://daily.example/talks</link><pubDate>Fri, 01 Mar 2024 09:30:00 GMT</pubDate>
... <description>&lt;p&gt;Merkel spoke.&lt;/p&gt;&lt;p&gt;Macron listened.&lt;/p&gt;</description></item>
... </channel></rss>''')
>>> (_, article), = read_feed_file(feed, "politics", ReadOptions())
>>> article.id, article.date, article.source, article.text
('https://daily.example/talks', '2024-03-01', 'Daily', 'Merkel spoke.\\nMacron listened.')
"""

from __future__ import annotations

import html
import re
import xml.sax
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from stancegraph.errors import InputError
from stancegraph.extras import require
from stancegraph.records import Article
from stancegraph.sources.dates import iso_date
from stancegraph.sources.options import ReadOptions
from stancegraph.sources.text import check_text

__all__ = ["html_to_text", "read_feed_file"]

Record = tuple[str, Article | InputError]
_BLOCK_END = re.compile(r"(?i)<br\s*/?>|</(p|div|li|h[1-6]|blockquote|tr)>")


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment, one line per paragraph, blank lines dropped."""
    if "<" not in markup:
        text = html.unescape(markup)
    else:
        # slow to import: only for HTML; E130 without the feeds extra
        lxml_html = require("lxml.html", extra="feeds", feature="reading a feed's HTML")
        marked = _BLOCK_END.sub(lambda m: m.group(0) + "\n", markup)
        text = lxml_html.fragment_fromstring(marked, create_parent="div").text_content()
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _item_text(entry: Any) -> str:
    for content in entry.get("content") or []:
        if (content.get("value") or "").strip():
            return html_to_text(content["value"])
    return html_to_text(entry.get("summary") or "")


def _item_date(entry: Any, input: str) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed:
        return iso_date(parsed, input=input)
    return iso_date(entry.get("published") or entry.get("updated"), input=input)


def read_feed_file(path: Path, id: str, options: ReadOptions) -> Iterator[Record]:
    """An RSS or Atom file: one article per item (errors per item, or for the whole feed)."""
    input = str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        yield input, InputError("E110", input=input, detail=err.strerror or str(err))
        return
    # slow to import: only when a feed is read; E130 without the feeds extra
    feedparser = require("feedparser", extra="feeds", feature="reading an RSS or Atom feed")

    feed = feedparser.parse(data)
    problem = feed.get("bozo_exception")
    if not feed.get("version") and not feed.entries:
        yield input, InputError("E109", input=input, detail=str(problem or "no RSS or Atom feed found"))
        return
    if isinstance(problem, xml.sax.SAXParseException):
        # feedparser puts an XML declaration before a document that has none: one line more
        line = (problem.getLineNumber() or 1) - (0 if data.lstrip().startswith(b"<?xml") else 1)
        where = f"{input}:{line}"
        yield where, InputError("E109", input=where, detail=f"line {line}: {problem.getMessage()}")
    source = feed.feed.get("title") or None
    for number, entry in enumerate(feed.entries, start=1):
        item_input = f"{input}#{number}"
        try:
            text = _item_text(entry)
            if not text:
                raise InputError("E115", input=item_input, item=number)
            yield item_input, Article(
                text=check_text(text, input=item_input, max_chars=options.max_chars),
                id=entry.get("link") or entry.get("id") or None,
                title=entry.get("title") or None,
                date=_item_date(entry, item_input),
                source=source,
                url=entry.get("link") or None,
            )
        except InputError as err:
            yield item_input, err
