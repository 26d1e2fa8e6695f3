"""French actors: people, organisations and countries, with titles, descriptors and pronouns.

The French pipeline has no trained actor model of its own: people come from
``fr_core_news_sm``'s PER entities, organisations and countries from its ORG and LOC entities
and from the French names in ``lang/fr/`` (``organizations.tsv``, ``countries_extra.tsv``,
``metonyms.tsv``: "l'Élysée" stands for France). Names are keyed as English articles key
them, so one person or country is one corpus actor in both languages: organisations and
countries take their English canonical names, people the form in ``person_exonyms.tsv``
("Vladimir Poutine" -> "Vladimir Putin").

A title before a name ("le président Emmanuel Macron", "la ministre des Armées Claire
Dumont") becomes a :class:`~stancegraph.records.Role` and part of the mention. A descriptor
standing alone ("le président", "l'ancienne ministre") is a mention of the latest actor named
with that office before it. A surname alone ("Macron") is the person named in full.

Example
-------
>>> from stancegraph.nlp import pipeline_for
>>> doc = pipeline_for("fr")("Le président Emmanuel Macron a reçu Vladimir Poutine. Le président a souri.")
>>> found = find_actors(doc)
>>> [(a.name, len(a.mentions)) for a in found.actors]
[('Emmanuel Macron', 2), ('Vladimir Putin', 1)]
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc

from stancegraph import lang
from stancegraph.names import slug
from stancegraph.records import Actor, ActorType, Role, Span

__all__ = ["FrenchActors", "find_actors", "same_office", "title_at"]

_DETERMINERS = ("le ", "la ", "les ", "l'", "l’")
_NAME_POS = {"PROPN", "NOUN", "ADJ", "X"}
"""Parts of speech the small model gives capitalised name words ("Macron" is often a NOUN)."""
_SUBJECT_PRONOUNS = {"il": "m", "elle": "f", "ils": None, "elles": None}


@functools.cache
def _titles() -> dict[str, tuple[str, str]]:
    """Title (lower case) -> (office class, gender), longest first."""
    table = lang.table("titles.tsv", lang="fr")
    return {title.lower(): (row[0], row[1]) for title, row in sorted(table.items(), key=lambda kv: -len(kv[0]))}


@functools.cache
def _names() -> dict[str, tuple[str, ActorType]]:
    """A French name of an organisation, country or government -> (canonical name, type)."""
    names: dict[str, tuple[str, ActorType]] = {}
    for name, aliases in lang.table("organizations.tsv", lang="fr").items():
        for alias in aliases[0].split("|"):
            names[alias] = names[alias[0].upper() + alias[1:]] = (name, "organization")
    for name, (country,) in lang.table("countries_extra.tsv", lang="fr").items():
        names[name] = names[name[0].upper() + name[1:]] = (country, "country")
    for phrase, (country,) in lang.table("metonyms.tsv", lang="fr").items():
        names.setdefault(phrase, (country, "country"))
        names.setdefault(phrase[0].upper() + phrase[1:], (country, "country"))
    return names


@functools.cache
def _names_pattern() -> re.Pattern[str]:
    alternatives = sorted(_names(), key=len, reverse=True)
    return re.compile(r"(?<![\w'’-])(?:" + "|".join(re.escape(a) for a in alternatives) + r")(?![\w-])")


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().lower()


def _strip_determiner(phrase: str) -> str:
    for det in _DETERMINERS:
        if phrase.startswith(det):
            return phrase[len(det):]
    return phrase


def title_at(phrase: str) -> tuple[str, str, str, str | None] | None:
    """(title, office class, gender, tense) of a phrase such as "l'ancienne ministre", or None.

    The article and descriptor modifiers ("ancien", "nouvelle", "allemande") may stand around
    the title, and a complement may follow it ("ministre de l'Agriculture" is a "ministre"
    where the table has no such office); a former modifier makes the tense "past".
    """
    modifiers = lang.lines("descriptor_modifiers.txt", lang="fr")
    former = lang.lines("former_modifiers.txt", lang="fr")
    words = _strip_determiner(_fold(phrase)).split(" ")
    tense = "past" if any(w in former or w.rstrip("-") in former or w.startswith("ex-") for w in words) else None
    words = [w.removeprefix("ex-") for w in words if w not in modifiers and w.rstrip("-") not in former]
    for end in range(len(words), 0, -1):
        rest = " ".join(words[:end])
        found = _titles().get(rest)
        if found is not None and (end == len(words) or words[end] in _COMPLEMENTS or words[end].startswith("d'")):
            return rest, found[0], found[1], tense
    return None


_COMPLEMENTS = {"de", "des", "du"}


def _stem(title: str) -> str:
    """A title's first word without its feminine ending ("présidente" -> "président")."""
    return re.sub(r"(e|ière|ère)$", "", title.split(" ")[0])


def same_office(descriptor: str, role: str) -> bool:
    """Whether a descriptor's office ("la ministre") is a role's ("ministre des armées")."""
    return _stem(descriptor) == _stem(role) and (" " not in descriptor or role.startswith(descriptor))


@dataclass
class FrenchActors:
    """The actors of a French article and where each is mentioned."""

    actors: list[Actor] = field(default_factory=list)
    mentions: list[tuple[Span, str]] = field(default_factory=list)
    """Every mention as (span, actor id), in text order."""
    genders: dict[str, str] = field(default_factory=dict)

    def get(self, actor_id: str | None) -> Actor | None:
        """The actor with this id, or None."""
        return next((a for a in self.actors if a.id == actor_id), None) if actor_id else None

    def at(self, start: int, end: int) -> str | None:
        """The actor of the first mention overlapping [start, end)."""
        return next((actor for span, actor in self.mentions if span.start < end and start < span.end), None)

    def mention_in(self, start: int, end: int, *, last: bool = False) -> tuple[Span, str] | None:
        """The first (or last) mention lying in [start, end)."""
        found = [m for m in self.mentions if start <= m[0].start and m[0].end <= end]
        return (found[-1] if last else found[0]) if found else None

    def person_before(self, offset: int, gender: str | None = None) -> str | None:
        """The latest person mentioned before ``offset`` whose gender agrees (for il/elle)."""
        people = {a.id for a in self.actors if a.type == "person"}
        for span, actor in reversed(self.mentions):
            if span.end <= offset and actor in people and (gender is None or self.genders.get(actor, gender) == gender):
                return actor
        return None

    def is_person(self, actor_id: str) -> bool:
        actor = self.get(actor_id)
        return actor is not None and actor.type == "person"

    def object_before(self, offset: int, gender: str, *, exclude: str | None) -> str | None:
        """The actor an object pronoun before ``offset`` stands for: the latest person of that
        gender ("m", "f"; "n" for either, or for a plural any actor) other than ``exclude``."""
        people = {a.id for a in self.actors if a.type == "person"}
        for span, actor in reversed(self.mentions):
            if span.end > offset or actor == exclude:
                continue
            if gender == "n" or (actor in people and self.genders.get(actor, gender) == gender):
                return actor
        return None

    def pronoun(self, text: str) -> str | None:
        """The gender a subject pronoun ("il", "-t-elle") asks for, "" for a plural; None if not one."""
        word = _fold(text).lstrip("-").removeprefix("t-").lstrip("-")
        if word not in _SUBJECT_PRONOUNS:
            return None
        return _SUBJECT_PRONOUNS[word] or ""


def _entity_spans(doc: Doc) -> list[tuple[int, int, str, ActorType]]:
    """(start, end, name, type) of every name, in text order.

    In order of trust: the French names of ``lang/fr/`` (organisations, countries,
    metonyms); runs of two or more capitalised words ("Emmanuel Macron", which the small
    model often misses, cuts to "Macron" or calls LOC), or one right after a title ("le
    président Macron"); the model's PER and ORG entities; and a lone surname of a person
    found so far.
    """
    found: list[tuple[int, int, str, ActorType]] = []
    names = _names()
    exonyms = lang.table("person_exonyms.tsv", lang="fr")
    not_actors = lang.lines("not_actors.txt", lang="fr")

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e, _, _ in found)

    def person(start: int, end: int) -> None:
        name = re.sub(r"\s+", " ", doc.text[start:end])
        if free(start, end) and name not in not_actors and not title_at(name):
            found.append((start, end, exonyms.get(name, (name,))[0], "person"))

    for match in _names_pattern().finditer(doc.text):
        name, kind = names[match.group()]
        found.append((match.start(), match.end(), name, kind))
    run: list = []
    for token in [*doc, None]:
        if token is not None and token.is_title and token.pos_ in _NAME_POS and not token.is_stop:
            run.append(token)
            continue
        # "le président de la République Emmanuel Macron": the capitalised end of a title is not the name
        cut = min((k for k in range(1, len(run)) if _title_before(doc, run[k].idx) is not None), default=0)
        run = run[cut:]
        if len(run) >= 2 or (run and _title_before(doc, run[0].idx) is not None):
            person(run[0].idx, run[-1].idx + len(run[-1].text))
        run = []
    for ent in doc.ents:
        text = ent.text.strip()
        end = ent.start_char + len(ent.text.rstrip())
        if ent.label_ == "PER" and ent[0].is_title:
            person(ent.start_char, end)
        elif ent.label_ == "ORG" and (ent[0].is_upper or ent[0].is_title) and free(ent.start_char, end) \
                and text not in not_actors:
            found.append((ent.start_char, end, _strip_determiner(text), "organization"))
    surnames = {name.split()[-1] for _, _, name, kind in found if kind == "person" and " " in name}
    surnames |= {text.split()[-1] for text in exonyms if " " in text}
    for token in doc:
        if token.text in surnames or exonyms.get(token.text, ("",))[0] in surnames:
            person(token.idx, token.idx + len(token.text))
    return sorted(found)


def _title_before(doc: Doc, start: int) -> tuple[int, tuple[str, str, str, str | None]] | None:
    """The title right before the character offset ``start``: (its start, title_at's answer)."""
    token = next((t for t in doc if t.idx >= start), None)
    best = None
    for width in range(1, 8):
        first = (token.i if token is not None else len(doc)) - width
        if first < 0:
            break
        words = doc[first : first + width]
        if any((t.is_punct and t.text not in "'’-.") or "\n" in t.text_with_ws for t in words):
            break
        found = title_at(words.text)
        if found:
            best = (doc[first].idx, found)
    return best


def find_actors(doc: Doc) -> FrenchActors:
    """The actors of a parsed French article with their mentions, roles and genders."""
    result = FrenchActors()
    by_id: dict[str, Actor] = {}
    text = doc.text

    def add(name: str, kind: ActorType, span: Span, role: Role | None = None) -> str:
        actor_id = slug(name)
        actor = by_id.get(actor_id)
        if actor is None:
            actor = by_id[actor_id] = Actor(actor_id, name, kind)
            result.actors.append(actor)
        actor.mentions.append(span)
        if span.text != name and span.text not in actor.aliases:
            actor.aliases.append(span.text)
        if role is not None:
            actor.roles.append(role)
        result.mentions.append((span, actor_id))
        return actor_id

    spans = _entity_spans(doc)
    surnames: dict[str, str] = {}
    for _, _, name, kind in sorted(spans, key=lambda s: (-len(s[2].split()), s[0])):
        if kind == "person" and len(name.split()) > 1:
            surnames.setdefault(name.split()[-1], name)
    for start, end, name, kind in spans:
        if kind == "person":
            name = surnames.get(name, name)  # "Macron" after (or before) "Emmanuel Macron"
            titled = _title_before(doc, start)
            if titled is not None:
                title_start, (title, office_class, gender, tense) = titled
                span = Span.of(text, title_start, end)
                role = Role(span, text[title_start:start].strip(), title, office_class, None, tense)
                actor_id = add(name, kind, span, role)
                if gender in ("m", "f"):
                    result.genders.setdefault(actor_id, gender)
                continue
        add(name, kind, Span.of(text, start, end))
    _descriptors(doc, result)
    _drop_nested(result)
    result.mentions.sort(key=lambda m: m[0].start)
    for actor in result.actors:
        actor.mentions.sort()
    return result


def _drop_nested(result: FrenchActors) -> None:
    """Drop a mention inside another actor's longer one: the country of a title ("le
    porte-parole du Kremlin Dmitri Orlov") is part of that person's role, not a speaker."""
    spans = [span for span, _ in result.mentions]
    nested = {(span, actor) for span, actor in result.mentions
              if any(other != span and other.contains(span) for other in spans)}
    result.mentions = [m for m in result.mentions if m not in nested]
    for span, actor_id in nested:
        actor = next(a for a in result.actors if a.id == actor_id)
        actor.mentions.remove(span)
    result.actors = [a for a in result.actors if a.mentions]


def _descriptors(doc: Doc, result: FrenchActors) -> None:
    """Mentions by office alone ("le président", "la ministre"): the latest actor with that office."""
    taken = [span for span, _ in result.mentions]
    text = doc.text
    for token in doc:
        if _fold(token.text) not in {"le", "la", "l'"}:
            continue
        best = None
        for width in range(1, 6):
            end = token.i + 1 + width
            if end > len(doc) or any(t.is_punct and t.text not in "'’-" for t in doc[token.i + 1 : end]):
                break
            found = title_at(doc[token.i : end].text)
            if found:
                best = (end, found)
        if best is None:
            continue
        end, (title, office_class, _, tense) = best
        if end < len(doc) and doc[end].pos_ == "PROPN":
            continue  # a title before a name: already part of that name's mention
        span = Span.of(text, token.idx, doc[end - 1].idx + len(doc[end - 1].text))
        if any(span.overlaps(other) for other in taken):
            continue
        candidates = [actor for actor in result.actors
                      if any(same_office(title, role.office) for role in actor.roles)]
        before = [(s, a) for s, a in result.mentions if s.end <= span.start and any(c.id == a for c in candidates)]
        actor_id = before[-1][1] if before else (candidates[0].id if len(candidates) == 1 else None)
        if actor_id is None:
            continue
        actor = next(a for a in result.actors if a.id == actor_id)
        actor.mentions.append(span)
        actor.roles.append(Role(span, span.text, title, office_class, None, tense))
        if span.text not in actor.aliases:
            actor.aliases.append(span.text)
        result.mentions.append((span, actor_id))
        taken.append(span)
