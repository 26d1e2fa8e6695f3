"""Claims: the figures an article reports, normalised, with the source the article credits.

Each figure is read token by token (digits, number words through ``text2num``, multipliers,
fractions, currencies, percentages, durations), then placed with the parse: what it counts,
what it is about and who the article says it comes from. Every word list is language data
(``lang/quantity_words.tsv``, ``qualifiers.tsv``, ``units.tsv``, ``source_cues.tsv``,
``level_verbs.txt``, ``definite_words.txt``; how numbers are written: ``number_format.tsv``).
The reading of the number phrase (:func:`figures`) takes a language; the placing here is the
English one, and :mod:`stancegraph.extract.fr.claims` places French figures.

What a :class:`~stancegraph.records.Claim` holds:

* ``span``: the qualifier, the number phrase and, for counts and durations, the noun it counts
  or measures: "over 10,000 civilian deaths", "22-month invasion", "about $3bn", "40%".
* ``value``: a float. "14 million" is 14000000, "$1.2bn" 1200000000; shares are in percent:
  "40%" is 40, "two thirds" 66.67, "one in five" 20.
* ``unit``: the counted noun phrase for counts ("civilian deaths"), the ISO 4217 code for
  money ("USD"), ``percent`` or ``percentage points``, the plural time unit of a duration
  ("months"), ``years`` for an age.
* ``qualifier``: a canonical bound: over, under, about, nearly, at least, at most, up to, exactly.
* ``source``: the actor id when the credited source is an actor of the article (a figure in an
  actor's quote is theirs), else the source's name as written ("health ministry"), else None.
* ``subject``: what the figure is about: the counted noun with its complement ("civilian
  deaths in Gaza"), the whole a share is of ("voters"), what money is for ("aid"), the event a
  duration measures ("invasion"), ``age`` for an age.

Not claims: dates and years, times, ordinals, numbers inside names ("Article 5", "G7"), scores
and ranges ("2-1", "10-15"), a bare "one", small definite counts ("the two leaders"), vague
plurals ("thousands of"), and numbers that count nothing the text names.

Example
-------
>>> from stancegraph.nlp import load_pipeline
>>> from stancegraph.extract.actors import find_actors
>>> doc = load_pipeline()("U.N. reports estimate over 10,000 civilian deaths.")
>>> [(c.span.text, c.value, c.unit, c.qualifier, c.source) for c in find_claims(doc, find_actors(doc), [])]
[('over 10,000 civilian deaths', 10000.0, 'civilian deaths', 'over', 'united-nations')]
"""

from __future__ import annotations

import bisect
import functools
import re
import weakref
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.attrs import LIKE_NUM
from spacy.tokens import Doc, Token
from spacy.tokens import Span as DocSpan
from text_to_num import text2num

from stancegraph import lang
from stancegraph.extract.actors import ActorIndex
from stancegraph.records import Claim, Quote, Span
from stancegraph.token_columns import token_columns

__all__ = ["Figure", "figures", "find_claims", "is_excluded", "number_format", "qualifier_before", "quantity_kind", "read_figure",
           "sentence_of", "source_cues"]

MAX_UNIT_WORDS = 5
"""The most words between a number and the noun it counts ("14 million displaced Ukrainians")."""
MAX_COMPLEMENT_WORDS = 6
"""The most words of a subject's complement ("civilian deaths in the eastern Donetsk region")."""

NAME_ENTITIES = frozenset({"PERSON", "PER", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT",
                           "WORK_OF_ART", "LANGUAGE"})
DATE_ENTITIES = frozenset({"DATE", "TIME", "ORDINAL"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
COMPLEMENT_PREPOSITIONS = frozenset({"in", "of", "from", "among", "across", "on", "at"})
PURPOSE_PREPOSITIONS = frozenset({"in", "for", "on", "of"})
OWNER_PREPOSITIONS = frozenset({"from", "by", "of", "at", "with"})
MAX_TRAILING_WORDS = 7
"""The most words of a closing attribution (", the U.N. refugee agency estimated.")."""
LEADING_WORDS = frozenset({"the", "a", "an", "these", "those", "this", "that", "its", "their", "his", "her"})
AGE_RANGE = (15, 110)
SCORE_SEPARATORS = frozenset({"-", "–", "—", "/", ":", "to"})

_YEAR = re.compile(r"^(1[89]|20)\d\d$")


_SENTENCE_BOUNDS: weakref.WeakKeyDictionary[Doc, tuple[list[int], list[int]]] = weakref.WeakKeyDictionary()


def sentence_of(token: Token) -> DocSpan:
    """The sentence of a token, found by bisection (``Token.sent`` walks the doc from its start)."""
    doc = token.doc
    bounds = _SENTENCE_BOUNDS.get(doc)
    if bounds is None:
        sentences = list(doc.sents)
        bounds = _SENTENCE_BOUNDS[doc] = ([s.start for s in sentences], [s.end for s in sentences])
    k = bisect.bisect_right(bounds[0], token.i) - 1
    return doc[bounds[0][k] : bounds[1][k]]


# --------------------------------------------------------------------------------------
# language data, read once


@functools.cache
def _quantity_words(language: str = "en") -> dict[str, tuple[str, float]]:
    """word -> (kind, value) for multipliers, abbreviations, fractions and counts."""
    return {row[0]: (row[1], float(row[2])) for row in lang.rows("quantity_words.tsv", language)}


def quantity_kind(word: str, language: str = "en") -> str | None:
    """The kind of a quantity word of ``lang/quantity_words.tsv`` ("multiplier", "fraction"...), or None."""
    found = _quantity_words(language).get(word)
    return found[0] if found else None


@functools.cache
def _qualifiers(language: str = "en") -> dict[tuple[str, ...], str]:
    return {tuple(row[0].split()): row[1] for row in lang.rows("qualifiers.tsv", language)}


@functools.cache
def _units(language: str = "en") -> dict[tuple[str, ...], tuple[str, str]]:
    """surface words (lower case) -> (unit, kind)."""
    return {tuple(row[0].split()): (row[1], row[2]) for row in lang.rows("units.tsv", language)}


@functools.cache
def source_cues(kind: str, language: str = "en") -> frozenset[str]:
    """The source cues of one kind (``verb``, ``document``, ``phrase``) of ``lang/source_cues.tsv``."""
    return frozenset(row[0] for row in lang.rows("source_cues.tsv", language) if row[1] == kind)


@functools.cache
def _months(language: str = "en") -> frozenset[str]:
    """Month names, for a language whose parser marks no dates (``lang/<lang>/months.tsv``)."""
    return frozenset(lang.table("months.tsv", language)) if lang.has("months.tsv", language) else frozenset()


@functools.cache
def _phrase_first_words() -> frozenset[str]:
    return frozenset(cue.split()[0] for cue in source_cues("phrase"))


@dataclass(frozen=True)
class NumberFormat:
    """How a language writes numbers (``lang/number_format.tsv``)."""

    digits: re.Pattern[str]  # one token of digits: "10,000.5" (English), "3,5" (French)
    suffixed: re.Pattern[str]  # digits with a multiplier written against them: "500m"
    group: str  # the group separator written inside a token ("," in English)
    decimal: str
    spaces: frozenset[str]  # spaces that separate digit groups across tokens ("10 000") or a number from "%"
    vague_plural: str | None  # a number word with this ending is a vague plural ("thousands")
    multiplier_only: bool  # a multiplier word ("millions") is no number on its own ("des millions de")
    articles: frozenset[str]  # words that stand for one before a multiplier ("a million")
    plain: frozenset[str]  # a lone word that is no figure on its own ("one", "un")

    def value(self, text: str) -> float:
        """The value of a digits token: "10,000.5" -> 10000.5 in English, "3,5" -> 3.5 in French."""
        return float((text.replace(self.group, "") if self.group else text).replace(self.decimal, "."))


@functools.cache
def number_format(language: str = "en") -> NumberFormat:
    """The number format of a language, read from its ``number_format.tsv``."""
    settings: dict[str, list[str]] = {}
    for setting, value in lang.rows("number_format.tsv", language):
        settings.setdefault(setting, []).append(chr(int(value[2:], 16)) if value.startswith("U+") else value)
    group, decimal = (settings.get("group") or [""])[0], settings["decimal"][0]
    grouped = rf"\d{{1,3}}(?:{re.escape(group)}\d{{3}})+|" if group else ""
    number = rf"(?:{grouped}\d+)(?:{re.escape(decimal)}\d+)?"
    return NumberFormat(
        digits=re.compile(rf"^{number}$"), suffixed=re.compile(rf"^({number})([a-z]+)$", re.IGNORECASE),
        group=group, decimal=decimal, spaces=frozenset(settings.get("space", [])),
        vague_plural=settings["vague_plural"][0] if settings.get("vague_plural") else None,
        multiplier_only=settings.get("multiplier_only", ["no"])[0] == "yes",
        articles=frozenset(settings.get("article", [])), plain=frozenset(settings.get("plain", [])))


@functools.cache
def _is_number_word(word: str, language: str = "en") -> bool:
    """Whether ``text2num`` reads a single word as a number ("fourteen", "twenty-two", "vingt-deux")."""
    form = number_format(language)
    if (not word.isalpha() and "-" not in word) or (form.vague_plural and word.endswith(form.vague_plural)):
        return False  # "thousands", "tens": vague plurals, no figure
    if form.multiplier_only and _quantity_words(language).get(word, ("",))[0] == "multiplier":
        return False  # "millions" is read after a number; "des millions de" is vague
    try:
        text2num(word, language)
    except ValueError:
        return False
    return True


@functools.cache
def _ends_number(words: str, language: str) -> bool:
    """Whether a plural ending closes the number words before it ("trois cents", "quatre-vingts")."""
    if not words.endswith("s"):
        return False
    try:
        text2num(words, language)
    except ValueError:
        return False
    return True


def _word(token: Token) -> str:
    """A token as the data files write it: lower case, straight apostrophe ("d’" -> "d'")."""
    return token.lower_.replace("’", "'")


# --------------------------------------------------------------------------------------
# reading the number phrase


@dataclass
class Figure:
    """A number phrase: tokens ``start``..``end`` (units written inside it included)."""

    start: int
    end: int
    core: int  # the last token of the number itself, whose head leads to the counted noun
    value: float
    kind: str  # count, money, percent, duration, age
    unit: str | None
    plain: bool  # a lone "one" or "a": no figure unless something else makes it one


def _unit_at(doc: Doc, i: int, kinds: frozenset[str], language: str = "en") -> tuple[int, str, str] | None:
    """The longest unit of one of ``kinds`` written at token ``i``: (end, unit, kind)."""
    for length in (3, 2, 1):
        if i + length > len(doc):
            continue
        words = tuple(_word(t) for t in doc[i : i + length])
        found = _units(language).get(words)
        if found is not None and found[1] in kinds:
            return i + length, found[0], found[1]
    return None


def _attached(doc: Doc, i: int) -> bool:
    """Whether token ``i`` is written against the token before it ("500m")."""
    return i > 0 and doc[i - 1].whitespace_ == ""


def _past_space(doc: Doc, i: int, language: str) -> int:
    """Token ``i``, or the one after it when it is a space the language puts inside a figure
    ("3,5\u00a0%", "3\u202f000"): the parser makes such a space a token of its own."""
    if i < len(doc) and doc[i].is_space and doc[i].text and set(doc[i].text) <= number_format(language).spaces:
        return i + 1
    return i


def _digit_groups(doc: Doc, i: int, language: str) -> tuple[int, str]:
    """Token ``i`` with the groups of three digits written after it across spaces ("10 000"):
    (end, digits); only in a language whose groups are separated by spaces."""
    form = number_format(language)
    text, end = doc[i].text, i + 1
    if not form.spaces or form.decimal in text:
        return end, text
    while end < len(doc):
        gap = doc[end - 1].whitespace_
        following = end if gap else _past_space(doc, end, language)  # a space inside the token, or one of its own
        if (gap and gap not in form.spaces) or (not gap and following == end) or following >= len(doc):
            break
        group = doc[following].text
        if not (len(group.split(form.decimal)[0]) == 3 and form.digits.match(group)):
            break
        text, end = text + group, following + 1
        if form.decimal in group:
            break
    return end, text


def _read_number(doc: Doc, i: int, language: str = "en") -> tuple[int, float, bool] | None:
    """The bare number at token ``i``: (end, value, whether it is a lone "one"/"a")."""
    form = number_format(language)
    token = doc[i]
    text = token.text
    if form.digits.match(text):
        if len(text) > 1 and text[0] == "0" and text[1].isdigit():
            return None  # "0630 GMT": a clock time or a code
        end, text = _digit_groups(doc, i, language)
        return end, form.value(text), False
    suffixed = form.suffixed.match(text)
    if suffixed:
        word = _quantity_words(language).get(suffixed.group(2).lower())
        if word is not None and word[0] in {"multiplier", "abbreviation"}:
            return i + 1, form.value(suffixed.group(1)) * word[1], False
        return None
    lower = token.lower_
    if lower in form.articles and i + 1 < len(doc):
        if _quantity_words(language).get(doc[i + 1].lower_, ("",))[0] in {"multiplier", "count", "fraction"}:
            return i + 1, 1.0, True
        if _unit_at(doc, i + 1, frozenset({"time"}), language) and _qualifier(doc, i, language)[1] is not None:
            return i + 1, 1.0, False  # "more than a decade"; a bare "a year" is no figure
    fraction_of = _quantity_words(language).get(lower, ("",))[0] == "fraction" and i + 1 < len(doc) and (
        doc[i + 1].lower_ == "of" or (doc[i + 1].lower_ in form.articles and i + 2 < len(doc)
                                     and _quantity_words(language).get(doc[i + 2].lower_, ("",))[0] == "multiplier"))
    if fraction_of and (i == 0 or doc[i - 1].pos_ not in {"ADJ", "DET", "NUM"}):  # not "the second quarter of"
        return i, 1.0, False  # "half of voters", "half a million"; the caller reads the word
    if not _is_number_word(lower, language):
        return None
    end = i + 1
    while end < len(doc) and (_is_number_word(doc[end].lower_, language) or (
            doc[end].lower_ in {"-", "and"} and end + 1 < len(doc) and _is_number_word(doc[end + 1].lower_, language))
            or (not form.vague_plural and _ends_number(doc[i : end + 1].text.lower(), language))):
        end += 1
    while end > i:
        try:
            value = float(text2num(doc[i:end].text.lower(), language))
        except ValueError:
            end -= 1
            continue
        return end, value, end == i + 1 and lower in form.plain
    return None


def read_figure(doc: Doc, i: int, language: str = "en") -> Figure | None:
    """The figure starting at token ``i``, or None."""
    start = i
    currency = _unit_at(doc, i, frozenset({"currency"}), language)
    if currency is not None and currency[0] < len(doc) and (
            doc[currency[0]].like_num or number_format(language).suffixed.match(doc[currency[0]].text)):
        i = currency[0]
    else:
        currency = None
    number = _read_number(doc, i, language)
    if number is None:
        return None
    end, value, plain = number
    share = False
    while end < len(doc):
        word = _word(doc[end])
        kind, factor = _quantity_words(language).get(word.rstrip(".") if _attached(doc, end) else word, ("", 0.0))
        if kind in {"multiplier", "count"} or (kind == "abbreviation" and (currency or _attached(doc, end))):
            value, end, plain = value * factor, end + 1, False
        elif kind == "fraction" and not share:
            following = doc[end + 1].lower_ if end + 1 < len(doc) else ""
            if plain and following != "of":
                return None  # "a third term": an ordinal, not a share
            value, end, plain, share = value * factor, end + 1, False, True
            if following == "a" and end + 1 < len(doc) and \
                    _quantity_words(language).get(doc[end + 1].lower_, ("",))[0] == "multiplier":
                end += 1  # "half a million": the multiplier comes next
                share = False
        elif word == "-" and end + 1 < len(doc) and \
                _quantity_words(language).get(doc[end + 1].lower_, ("",))[0] == "fraction":
            end += 1  # "two-thirds"
        else:
            break
    if end == i:
        return None
    core = end - 1
    if currency is not None:
        return Figure(start, end, core, value, "money", currency[1], False)
    if share:
        return Figure(start, end, core, value * 100, "percent", "percent", False)
    ratio = _one_in(doc, end, value)
    if ratio is not None:
        return Figure(start, ratio[0], ratio[0] - 1, ratio[1], "percent", "percent", False)
    unit = _unit_at(doc, _past_space(doc, end, language), frozenset({"percent", "currency"}), language)
    if unit is not None:
        kind = "money" if unit[2] == "currency" else "percent"
        return Figure(start, unit[0], core, value, kind, unit[1], False)
    timed = _time_figure(doc, start, end, core, value, language)
    if timed is not None:
        return timed
    if _is_age(doc, start, end, core):
        return Figure(start, end, core, value, "age", "years", False)
    return Figure(start, end, core, value, "count", None, plain)


def _one_in(doc: Doc, end: int, value: float) -> tuple[int, float] | None:
    """ "one in five" as a share: (end, percent)."""
    if end + 1 >= len(doc) or doc[end].lower_ != "in":
        return None
    j = end + 1 + (doc[end + 1].lower_ == "every")
    if j >= len(doc):
        return None
    whole = _read_number(doc, j)
    if whole is None or whole[1] == 0 or whole[0] == j:
        return None
    return whole[0], 100 * value / whole[1]


def _time_figure(doc: Doc, start: int, end: int, core: int, value: float, language: str = "en") -> Figure | None:
    """A duration ("22-month", "three years") or an age ("81-year-old", "81 years old")."""
    j = end + (end < len(doc) and doc[end].text in {"-", "–"})
    unit = _unit_at(doc, j, frozenset({"time"}), language) if j < len(doc) else None
    if unit is None:
        return None
    after = unit[0]
    words = [t.lower_ for t in doc[after : after + 2]]
    if unit[1] == "years" and (words[:1] == ["old"] or words == ["-", "old"]):
        return Figure(start, after + (1 if words[:1] == ["old"] else 2), core, value, "age", "years", False)
    if start > 0 and doc[start - 1].lower_ == "aged":
        return Figure(start, after, core, value, "age", "years", False)
    return Figure(start, after, core, value, "duration", unit[1], False)


def _is_age(doc: Doc, start: int, end: int, core: int) -> bool:
    """A bare number that gives a person's age: "aged 81", "Biden, 81, said"."""
    if start > 0 and doc[start - 1].lower_ == "aged":
        return True
    token = doc[core]
    return (token.dep_ == "appos" and token.head.ent_type_ == "PERSON" and start > 0 and doc[start - 1].text == ","
            and end < len(doc) and doc[end].text in {",", "."})


# --------------------------------------------------------------------------------------
# what is not a claim


def is_excluded(doc: Doc, fig: Figure, language: str = "en") -> bool:
    """Whether a figure is a date, a time, a name, a score, a lone "one" or a definite few."""
    tokens = doc[fig.start : fig.end]
    if any(t.ent_type_ in NAME_ENTITIES for t in tokens if t.i <= fig.core):
        return True
    share_of = fig.kind == "percent" and fig.end < len(doc) and doc[fig.end].lower_ == "of"
    if fig.kind in {"count", "money", "percent"} and not share_of and any(t.ent_type_ in DATE_ENTITIES for t in tokens):
        return True  # "three quarters" may be a time; "three quarters of services" is a share
    if fig.kind == "count" and fig.end - fig.start == 1 and _YEAR.match(doc[fig.start].text):
        return True
    if fig.end < len(doc) and _word(doc[fig.end]) in _months(language):
        return True  # "le 12 mars": a date, in a language whose parser marks no dates
    if fig.plain:
        return True
    before = doc[fig.start - 1] if fig.start > 0 else None
    after = doc[fig.end] if fig.end < len(doc) else None
    if before is not None and before.text in SCORE_SEPARATORS and before.i > 0 and doc[before.i - 1].like_num:
        return True
    if after is not None and after.text in SCORE_SEPARATORS and after.i + 1 < len(doc) and \
            doc[after.i + 1].like_num and fig.kind == "count":
        return True
    if before is not None and before.pos_ == "PROPN" and not before.like_num and \
            doc[fig.core].head.i == before.i:
        return True  # "Boeing 737", "Resolution 2334"
    first = doc[fig.start]
    if first.is_alpha and first.is_title and any(t.is_alpha for t in doc[sentence_of(first).start : first.i]) \
            and after is not None and after.is_title:
        return True  # "the Six Nations", "Million Dollar Baby": a name
    return bool(fig.kind == "count" and fig.value < 10 and before is not None and (before.lower_ in lang.lines("definite_words.txt", language) or before.tag_ == "PRP$"))


# --------------------------------------------------------------------------------------
# what the figure counts and what it is about


def _np_start(head: Token, lower: int) -> int:
    """The first token of a noun phrase's pre-modifiers, without determiners, possessives or numbers."""
    start = max(head.left_edge.i, lower)
    doc = head.doc
    while start < head.i and (doc[start].lower_ in LEADING_WORDS or doc[start].is_punct or doc[start].like_num
                              or doc[start].tag_ in {"PRP$", "POS"} or doc[start + 1].tag_ == "POS"):
        start += 1
    return start


def _counted_noun(doc: Doc, fig: Figure) -> Token | None:
    """The noun right after the number that it counts or modifies ("civilian deaths")."""
    token = doc[fig.core]
    for _ in range(4):
        if token.head.i <= token.i or token.dep_ not in {"nummod", "compound", "quantmod", "nmod", "amod",
                                                           "npadvmod"}:
            break
        token = token.head
        if token.i >= fig.end and token.pos_ in {"NOUN", "PROPN"}:
            break
    if token.i >= fig.end and token.pos_ in {"NOUN", "PROPN"} and token.i - fig.end < MAX_UNIT_WORDS:
        between = doc[fig.end : token.i]
        if all(t.pos_ in {"ADJ", "NOUN", "PROPN", "VERB", "PUNCT"} and t.text not in {",", ";"} for t in between):
            return _extend_compound(doc, token)
    j = fig.end
    while j < len(doc) and j - fig.end < MAX_UNIT_WORDS and doc[j].pos_ in {"ADJ", "VERB"} and doc[j].tag_ != "VBD":
        j += 1
    if j < len(doc) and doc[j].tag_ in {"NNS", "NNPS"}:
        return _extend_compound(doc, doc[j])
    return None


def _extend_compound(doc: Doc, token: Token) -> Token:
    """The last noun of a compound ("aid" -> "aid package")."""
    while token.i + 1 < len(doc) and token.dep_ == "compound" and token.head.i == token.i + 1:
        token = token.head
    return token


def _of_object(doc: Doc, position: int) -> Token | None:
    """The object of an "of" at ``position`` ("40% of voters" -> voters), unless a pronoun."""
    if position >= len(doc) or doc[position].lower_ != "of":
        return None
    obj = next((c for c in doc[position].children if c.dep_ == "pobj"), None)
    if obj is None or obj.pos_ == "PRON":
        return None
    return obj


def _level_subject(doc: Doc, fig: Figure) -> Token | None:
    """The subject a verb puts the figure on ("the death toll rose to 10,000" -> toll)."""
    token = doc[fig.core]
    while token.dep_ in {"nummod", "compound", "quantmod"} and fig.start <= token.head.i < fig.end:
        token = token.head
    if token.dep_ == "pobj" and token.head.lower_ in {"to", "at", "by", "of", "from"}:
        verb = token.head.head
    elif token.dep_ in {"attr", "dobj", "npadvmod"}:
        verb = token.head
    else:
        return None
    if verb.lemma_.lower() not in lang.lines("level_verbs.txt"):
        return None
    subject = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    if subject is None or subject.pos_ not in {"NOUN", "PROPN"}:
        return None
    return subject


def _copula_attribute(doc: Doc, fig: Figure) -> Token | None:
    """ "300 were civilians" -> civilians (read from the words: the parser often misses it)."""
    j = fig.end
    if j >= len(doc) or doc[j].lemma_ != "be":
        return None
    j += 1
    while j < len(doc) and j - fig.end <= MAX_UNIT_WORDS and doc[j].pos_ in {"ADJ", "DET"}:
        j += 1
    if j < len(doc) and doc[j].pos_ == "NOUN":
        return _extend_compound(doc, doc[j])
    return None


def _phrase(doc: Doc, head: Token, lower: int) -> tuple[int, int, str]:
    """A noun phrase ending at ``head`` without determiners: (start, end, text)."""
    start = _np_start(head, lower)
    return start, head.i + 1, doc[start : head.i + 1].text


def _with_complement(doc: Doc, head: Token, text: str) -> str:
    """A noun phrase with the prepositional phrase right after it ("civilian deaths in Gaza").

    The parser may hang the phrase on the verb instead ("recorded 2,400 deaths in Gaza"); it
    is taken either way.
    """
    if head.i + 1 >= len(doc):
        return text
    prep = doc[head.i + 1]
    if prep.dep_ != "prep" or prep.lower_ not in COMPLEMENT_PREPOSITIONS or prep.head.i not in {head.i, head.head.i}:
        return text
    end = min(prep.right_edge.i + 1, prep.i + MAX_COMPLEMENT_WORDS, sentence_of(head).end)
    end = next((t.i for t in doc[prep.i + 1 : end] if t.is_punct and t.text not in {"-", "'", "’"}), end)
    return f"{text} {doc[prep.i : end].text}" if end > prep.i + 1 else text


# --------------------------------------------------------------------------------------
# the credited source


def _is_document(token: Token) -> bool:
    return token.lower_ in source_cues("document") or token.lemma_.lower() in source_cues("document")


def _source_name(doc: Doc, head: Token, actors: ActorIndex, start: int | None = None) -> str | None:
    """The actor id a source phrase names, else its name as written (None for a bare report).

    The phrase runs from ``start`` (its left edge by default) to ``head``, with an owner after
    it ("analysts at Barclays", "figures from the WHO") and an apposition ("its chief,
    Marco Bellini"); people with an owner speak for it ("analysts at Barclays"), and a report
    or count names its owner ("Home Office data", "U.N. reports").
    """
    if head.pos_ == "PRON":
        return actors.resolve(doc[head.i : head.i + 1])
    start = head.left_edge.i if start is None else start
    owner = next((c for c in head.rights if c.dep_ == "prep" and c.lower_ in OWNER_PREPOSITIONS), None)
    apposition = next((c for c in head.rights if c.dep_ == "appos"), None)
    end = max([head.i + 1] + [t.right_edge.i + 1 for t in (owner, apposition) if t is not None])
    actor = actors.actor_between(doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text))
    if actor is not None:
        return actor
    owned = next((c for c in owner.children if c.dep_ == "pobj"), None) if owner is not None else None
    if owned is not None and owned.pos_ in {"NOUN", "PROPN"}:
        return _source_name(doc, owned, actors)  # "analysts at Barclays" speak for Barclays
    if not _is_document(head):
        return _phrase(doc, head, start)[2]
    named = [t for t in doc[start : head.i] if t.pos_ in {"NOUN", "PROPN"}]
    return doc[named[0].i : named[-1].i + 1].text if named else None


def _trailing_source(doc: Doc, sent: DocSpan, actors: ActorIndex) -> str | None:
    """A closing attribution the parser may miss: "..., Home Office data show." """
    words = [t for t in sent if not t.is_space]
    while words and words[-1].is_punct:
        words.pop()
    comma = max((k for k, t in enumerate(words) if t.text == ","), default=None)
    if comma is None:
        return None
    tail = words[comma + 1 :]
    if not 2 <= len(tail) <= MAX_TRAILING_WORDS or tail[-1].lemma_.lower() not in source_cues("verb"):
        return None
    head = tail[-2]
    if head.pos_ not in {"NOUN", "PROPN", "PRON"}:
        return None
    return _source_name(doc, head, actors, start=tail[0].i)


def _phrase_source(doc: Doc, token: Token, actors: ActorIndex) -> str | None:
    """The source of a phrase cue starting at ``token`` ("according to X", "citing X")."""
    if token.lower_ not in _phrase_first_words():
        return None
    for cue in source_cues("phrase"):
        words = cue.split()
        if [t.lower_ for t in doc[token.i : token.i + len(words)]] != words:
            continue
        last = doc[token.i + len(words) - 1]
        obj = next((c for c in last.children if c.dep_ in {"pobj", "dobj"}), None)
        if obj is None and token.i + len(words) < len(doc):
            following = doc[token.i + len(words)]
            obj = following if following.dep_ in {"pobj", "dobj"} else None
        if obj is not None:
            return _source_name(doc, obj, actors)
    return None


def _verb_source(doc: Doc, verb: Token, figure: Token, actors: ActorIndex) -> str | None:
    """The subject (or passive agent) of a reporting verb, unless the figure is in it."""
    if verb.pos_ not in {"VERB", "AUX"} or verb.lemma_.lower() not in source_cues("verb"):
        return None
    for child in verb.children:
        if child.dep_ == "agent":
            child = next((c for c in child.children if c.dep_ == "pobj"), child)
        elif child.dep_ != "nsubj":
            continue
        if child.left_edge.i <= figure.i <= child.right_edge.i or child.lower_ in {"it", "this", "that", "which"}:
            continue
        return _source_name(doc, child, actors)
    return None


def _credited_source(doc: Doc, figure: Token, span: Span, actors: ActorIndex, quotes: list[Quote]) -> str | None:
    """Who the article says a figure comes from: the actor of the quote it is in, else the
    nearest cue, else the words naming the quote's speaker.

    A quote counts only when it reports: words in quotation marks, or speech after a
    reporting cue ("said", "according to"); "the government approved €300 million" is an
    act, and its subject no source of the figure.
    """
    quote = next((q for q in quotes if q.content.contains(span) and _reports(doc, q)), None)
    if quote is not None and quote.actor is not None:
        return quote.actor
    found = _nearest_cue_source(doc, figure, actors)
    if found is None and quote is not None and quote.speaker is not None:
        return quote.speaker.text
    return found


def _reports(doc: Doc, quote: Quote) -> bool:
    if quote.kind != "indirect" or quote.cue is None:
        return True
    cue = doc.char_span(quote.cue.start, quote.cue.end, alignment_mode="expand")
    if cue is None:
        return False
    return any(cue.text.lower().startswith(phrase) for phrase in source_cues("phrase")) or any(
        token.lemma_.lower() in source_cues("verb") for token in cue)


def _nearest_cue_source(doc: Doc, figure: Token, actors: ActorIndex) -> str | None:
    """The source the cues around a figure name: up its parse tree, then the sentence's."""
    for node in [figure, *figure.ancestors]:
        for child in node.children:
            found = _phrase_source(doc, child, actors)
            if found:
                return found
        found = _verb_source(doc, node, figure, actors)
        if found:
            return found
    sentence = sentence_of(figure)
    found = _trailing_source(doc, sentence, actors)
    if found:
        return found
    for token in sentence:
        found = _phrase_source(doc, token, actors) or _verb_source(doc, token, figure, actors)
        if found:
            return found
    return None


# --------------------------------------------------------------------------------------
# the step


def qualifier_before(doc: Doc, fig: Figure, language: str = "en") -> tuple[int, str | None]:
    """The qualifier written before a figure ("plus de 10 000"): (its first token, canonical form)."""
    return _qualifier(doc, fig.start, language)


def _qualifier(doc: Doc, start: int, language: str = "en") -> tuple[int, str | None]:
    """The qualifier just before token ``start``: (its first token, canonical form)."""
    lower = sentence_of(doc[start]).start
    qualifiers = _qualifiers(language)
    longest = max(len(words) for words in qualifiers)
    for length in range(min(longest, start - lower), 0, -1):
        words = tuple(_word(t) for t in doc[start - length : start])
        if words in qualifiers:
            return start - length, qualifiers[words]
    return start, None


def _claim(doc: Doc, fig: Figure, actors: ActorIndex, quotes: list[Quote]) -> Claim | None:
    """The claim a figure makes, or None when it is not one."""
    end = fig.end
    unit = fig.unit
    subject: str | None = None
    counted = _counted_noun(doc, fig)
    head: Token | None = None
    if fig.kind == "age":
        subject = "age"
    elif fig.kind in {"count", "duration"} and counted is not None:
        head = counted
        _, end, text = _phrase(doc, counted, fig.end)
        unit = unit or text
        subject = _with_complement(doc, counted, text)
    else:
        found = _of_object(doc, fig.end)
        if found is None and fig.kind == "money" and fig.end < len(doc) and doc[fig.end].lower_ in PURPOSE_PREPOSITIONS:
            found = next((c for c in doc[fig.end].children if c.dep_ == "pobj"), None)
        if found is None and fig.kind == "count":
            found = _copula_attribute(doc, fig)
        found = head = found or counted or _level_subject(doc, fig)
        if found is not None:
            text = _phrase(doc, found, fig.end if found.i >= fig.end else found.left_edge.i)[2]
            unit = unit or text
            subject = _with_complement(doc, found, text)
    if unit is None or unit.lower() in lang.lines("not_counted.txt"):
        return None
    if fig.unit is None and head is not None and head.ent_type_ in NAME_ENTITIES - {"NORP"}:
        return None  # "ranked 31 Hantuchova": a name does not count anything
    if fig.kind == "age" and not (AGE_RANGE[0] <= fig.value <= AGE_RANGE[1]):
        return None
    start, qualifier = _qualifier(doc, fig.start)
    if fig.kind == "duration" and qualifier is not None and doc[start].dep_ == "prep":
        start, qualifier = fig.start, None  # "over five years" is a time frame, not "more than"
    tokens = doc[start:end]
    span = Span(tokens.start_char, tokens.end_char, tokens.text)  # (Doc.text joins every token)
    source = _credited_source(doc, doc[fig.core], span, actors, quotes)
    return Claim(span=span, value=round(fig.value, 4), unit=unit, qualifier=qualifier, source=source,
                 subject=subject)


@functools.cache
def _start_words(language: str = "en") -> frozenset[str]:
    """Words other than numbers that can open a figure: "a", "half", "$", "USD"."""
    return frozenset({*number_format(language).articles, *_quantity_words(language),
                      *(words[0] for words in _units(language))})


def _could_start_figure(doc: Doc, language: str) -> list[bool]:
    """For each token, a cheap test before reading: digits, a number word, a currency, "a"/"half"."""
    columns = token_columns(doc)
    starts = _start_words(language)
    return [bool(like) or text[:1].isdigit() or lower in starts
            for like, text, lower in zip(doc.to_array(LIKE_NUM).tolist(), columns.text, columns.lower)]


def figures(doc: Doc, language: str = "en") -> Iterator[Figure]:
    """Every number phrase of a parsed article that may be a claim, in text order: dates,
    names, scores, lone "one"s and definite few already left out (:func:`is_excluded`)."""
    could_start = _could_start_figure(doc, language)
    i = 0
    while i < len(doc):
        fig = read_figure(doc, i, language) if could_start[i] else None
        if fig is None:
            i += 1
            continue
        if not is_excluded(doc, fig, language):
            yield fig
        i = max(fig.end, i + 1)


def find_claims(doc: Doc, actors: ActorIndex, quotes: list[Quote]) -> list[Claim]:
    """The figures a parsed English article reports, in text order, with their credited sources."""
    return [claim for fig in figures(doc) if (claim := _claim(doc, fig, actors, quotes)) is not None]
