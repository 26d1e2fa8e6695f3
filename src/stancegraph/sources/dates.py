"""Dates of articles, normalised to ISO ``YYYY-MM-DD`` whatever form the input gives.

ISO dates and timestamps and RFC 2822 dates (feeds, e-mail) are read directly; anything else
("1 March 2024", "March 1st, 2024", "01.03.2024") goes to dateutil's parser (English month names;
numeric dates read month first, as in the US), which must find a day, a month and a year: the
value is read against two different default dates, and a part it lacks shows as a difference.
A written time zone is ignored (the date as written is kept). Relative dates ("yesterday") are
refused: they would be read against the day of ingest. A value none of them reads is an
:class:`InputError` (E113).

Example
-------
>>> iso_date("2024-03-01T09:30:00+01:00", input="a.csv:2")
'2024-03-01'
>>> iso_date("Fri, 01 Mar 2024 09:30:00 GMT", input="feed.rss")
'2024-03-01'
>>> iso_date("1 March 2024", input="a.csv:3")
'2024-03-01'
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import time

from stancegraph.errors import InputError

__all__ = ["iso_date"]

_ISO_PREFIX = re.compile(r"\d{4}-\d{2}-\d{2}")
_DASH = re.compile(r"\s+[–—]\s+")
_DEFAULTS = (dt.datetime(2000, 1, 1), dt.datetime(2001, 2, 2))
"""Two dates that differ in year, month and day: a part the value lacks is filled differently."""


def iso_date(value: object, *, input: str) -> str | None:
    """``value`` as ``YYYY-MM-DD``; None for an empty value; E113 for one that is not a date."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, time.struct_time):
        return dt.date(value.tm_year, value.tm_mon, value.tm_mday).isoformat()
    text = str(value).strip()
    if not text:
        return None
    parsed = _parse(text)
    if parsed is None:
        raise InputError("E113", input=input, value=text)
    return parsed.isoformat()


def _parse(text: str) -> dt.date | None:
    if _ISO_PREFIX.match(text):
        try:
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        except ValueError:
            try:
                return dt.date.fromisoformat(text[:10])
            except ValueError:
                return None
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    from dateutil import parser  # the core's date parser (claims use it too); slow to import

    text = _DASH.sub(" ", text)  # "5 September 2024 – 10:32"
    try:
        first, second = (parser.parse(text, default=default, ignoretz=True) for default in _DEFAULTS)
    except (ValueError, OverflowError):
        return None
    return first.date() if first.date() == second.date() else None
