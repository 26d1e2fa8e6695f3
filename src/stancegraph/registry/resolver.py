"""Corpus actors: the same person or body across articles, as one actor of the store.

Each article's analysis has its own actors; the :class:`Resolver` maps each of them to a
corpus actor, in the order the articles are stored, and creates corpus actors as it meets new
ones. The rules, first that applies:

1. The user's registry: a proper name that is one of an entry's names or aliases (or the same
   first and last name as one) is that entry's actor.
2. A person with a full name links to the corpus person of the same first and last name
   (middle names and initials ignored: "Donald J. Trump" is "Donald Trump"), or of the same
   alias. Organisations, countries and groups link by any of their names.
3. A person named by surname only links to the one corpus person of that surname; when two
   or more share it ("Bill Clinton", "Hillary Clinton"), to the one whose known roles fit the
   article's ("Senator Clinton"), else to a separate surname-only actor: an unsure link stays
   unmade. A surname-only actor takes the full name the first time one turns up while it is
   the only person of that surname.
4. Descriptors the article could not resolve ("the former president" with nobody named) link
   to the one actor whose office fits on the article's date: registry roles with their date
   ranges first, then roles the corpus has seen.

Ids are slugs of the name the actor first had (``donald-trump``), made unique with a suffix;
once given they never change, so a merge or split is the only thing that moves rows.

Example
-------
>>> from stancegraph.records import Actor, ArticleAnalysis
>>> resolver = Resolver()
>>> first = ArticleAnalysis("a1", None, "2024-01-02", None, "",
...     actors=[Actor("donald-j-trump", "Donald J. Trump", "person")])
>>> second = ArticleAnalysis("a2", None, None, None, "", actors=[Actor("trump", "Trump", "person")])
>>> resolver.resolve(first).ids, resolver.resolve(second).ids
({'donald-j-trump': 'donald-j-trump'}, {'trump': 'donald-j-trump'})
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import duckdb

from stancegraph.names import slug
from stancegraph.records import Actor, ArticleAnalysis, Role
from stancegraph.registry.descriptors import find_descriptors
from stancegraph.registry.file import Registry, RegistryEntry, RegistryRole
from stancegraph.registry.names import key as name_key
from stancegraph.registry.names import person_key, proper_form, proper_forms, surname, titles

__all__ = ["CorpusActor", "KnownRole", "Resolution", "Resolver"]

# offices one person holds per country at a time: the only ones an unnamed descriptor may be
# resolved to from the roles seen in the corpus (a registry role may be of any office)
_SINGLE_HOLDER_CLASSES = frozenset({"head", "minister", "royal", "religious"})
_SEEN_WINDOW = dt.timedelta(days=31)


@dataclass(frozen=True)
class KnownRole:
    """An office the corpus knows an actor held: from the registry (dates) or seen in articles."""

    office: str
    office_class: str
    country: str | None
    tense: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    from_registry: bool = False

    @classmethod
    def of_registry(cls, role: RegistryRole) -> KnownRole:
        return cls(role.office, role.office_class, role.country, None, role.start, role.end, True)

    def fits(self, office: str, office_class: str, country: str | None) -> bool:
        """Whether a mention of ``office`` (in ``country``) can name a holder of this role."""
        if country and self.country and country != self.country:
            return False
        return office == self.office or ("leader" in {office, self.office} and office_class == self.office_class == "head")

    def fits_date(self, tense: str | None, day: dt.date | None) -> bool:
        """Whether the role was held when a text of date ``day`` says so, in ``tense``.

        Registry roles have their own dates; roles seen in the corpus span the dates of the
        articles that showed them.
        """
        if day is None:
            return True
        if self.from_registry:
            if tense == "past":
                return self.end is not None and self.end < day
            if tense == "future":
                return self.start is not None and self.start > day
            return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)
        if (self.tense == "past") != (tense == "past"):
            return False
        if tense == "past" or self.start is None or self.end is None:
            return True
        return self.start - _SEEN_WINDOW <= day <= self.end + _SEEN_WINDOW


@dataclass
class CorpusActor:
    """A corpus actor as the resolver knows it: names, keys and known roles."""

    id: str
    name: str
    type: str
    country: str | None
    keys: set[str] = field(default_factory=set)
    person_keys: set[tuple[str, ...]] = field(default_factory=set)
    registry_roles: list[KnownRole] = field(default_factory=list)
    seen_roles: dict[tuple[str, str, str | None, str | None], tuple[dt.date | None, dt.date | None]] = \
        field(default_factory=dict)
    registry: bool = False

    def see_role(self, office: str, office_class: str, country: str | None, tense: str | None,
                 day: dt.date | None) -> None:
        """Widen the dates over which the corpus saw this actor in this role."""
        key = (office, office_class, country, tense)
        first, last = self.seen_roles.get(key, (day, day))
        if day is not None:
            first, last = min(first or day, day), max(last or day, day)
        self.seen_roles[key] = (first, last)

    @property
    def roles(self) -> list[KnownRole]:
        """Registry roles, then the roles seen in articles with the dates they were seen."""
        seen = [KnownRole(*key, *dates) for key, dates in self.seen_roles.items()]
        return self.registry_roles + seen


@dataclass
class Resolution:
    """What resolving one article gave: its actor ids mapped, and the store rows it needs."""

    ids: dict[str, str] = field(default_factory=dict)
    new_actors: list[CorpusActor] = field(default_factory=list)
    changed: list[CorpusActor] = field(default_factory=list)
    new_aliases: list[tuple[str, str]] = field(default_factory=list)
    descriptors: list[tuple[str, Role]] = field(default_factory=list)


def _day(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


class Resolver:
    """Maps each article's actors to corpus actors; holds the corpus state it needs in memory."""

    def __init__(self, registry: Registry | None = None) -> None:
        self.registry = registry or Registry()
        self.actors: dict[str, CorpusActor] = {}
        self.used_ids: set[str] = set(self.registry.entries)
        self._by_key: dict[tuple[str, str], list[str]] = defaultdict(list)
        self._by_person_key: dict[tuple[str, ...], list[str]] = defaultdict(list)
        self._by_surname: dict[str, list[str]] = defaultdict(list)
        self._aliases: set[tuple[str, str]] = set()
        self._registry_keys: dict[tuple[str, str], str] = {}
        self._registry_person_keys: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for entry in self.registry.entries.values():
            for form in [entry.name, *entry.aliases]:
                self._registry_keys.setdefault((entry.type, name_key(form)), entry.id)
                if entry.type == "person" and len(key := person_key(form)) > 1:
                    self._registry_person_keys[key].add(entry.id)
        self._registry_holders: dict[str, set[str]] = defaultdict(set)
        for entry in self.registry.entries.values():
            for role in entry.roles:
                self._registry_holders[role.office].add(entry.id)
        self._holders: dict[str, set[str]] = defaultdict(set)  # office -> actors seen holding it
        self._pending = Resolution()

    # --- loading ---

    @classmethod
    def from_store(cls, con: duckdb.DuckDBPyConnection, registry: Registry | None = None) -> Resolver:
        """A resolver that knows every corpus actor, alias and role already in the store."""
        from stancegraph.store.known import roles_seen, stored_actors, stored_aliases  # the store imports this module

        resolver = cls(registry)
        for actor_id, name, type_, country in stored_actors(con):
            resolver._register(CorpusActor(actor_id, name, type_, country,
                                           registry=actor_id in resolver.registry.entries))
        for actor_id, alias in stored_aliases(con):
            if actor_id in resolver.actors:
                resolver._aliases.add((actor_id, alias))
                resolver._index_form(resolver.actors[actor_id], alias)
        for actor_id, office, office_class, country, tense, first, last in roles_seen(con):
            if actor_id in resolver.actors:
                actor = resolver.actors[actor_id]
                actor.seen_roles[(office, office_class, country, tense)] = (first, last)
                resolver._holders[office].add(actor_id)
        for actor in resolver.actors.values():
            if actor.registry:
                resolver._attach_registry(actor, resolver.registry.entries[actor.id])
        return resolver

    # --- indexes ---

    def _register(self, actor: CorpusActor) -> None:
        self.actors[actor.id] = actor
        self.used_ids.add(actor.id)
        self._index_form(actor, actor.name)

    def _index_form(self, actor: CorpusActor, form: str) -> None:
        key = name_key(form)
        if key and key not in actor.keys:
            actor.keys.add(key)
            self._by_key[(actor.type, key)].append(actor.id)
        if actor.type != "person":
            return
        pkey = person_key(form)
        if len(pkey) > 1 and pkey not in actor.person_keys:
            actor.person_keys.add(pkey)
            self._by_person_key[pkey].append(actor.id)
        family = surname(form)
        if family and actor.id not in self._by_surname[family]:
            self._by_surname[family].append(actor.id)

    def _add_alias(self, actor: CorpusActor, form: str) -> None:
        self._index_form(actor, form)
        if (actor.id, form) not in self._aliases and form != actor.name:
            self._aliases.add((actor.id, form))
            self._pending.new_aliases.append((actor.id, form))

    def _attach_registry(self, actor: CorpusActor, entry: RegistryEntry) -> None:
        for alias in entry.aliases:
            self._add_alias(actor, alias)
        actor.registry_roles = [KnownRole.of_registry(role) for role in entry.roles]

    def _unique_id(self, name: str) -> str:
        base = slug(name)
        candidate, suffix = base, 2
        while candidate in self.used_ids:
            candidate, suffix = f"{base}-{suffix}", suffix + 1
        return candidate

    def _create(self, name: str, type_: str, country: str | None) -> CorpusActor:
        actor = CorpusActor(self._unique_id(name), name, type_, country)
        self._register(actor)
        self._pending.new_actors.append(actor)
        return actor

    def _from_registry(self, entry_id: str) -> CorpusActor:
        if entry_id in self.actors:
            return self.actors[entry_id]
        entry = self.registry.entries[entry_id]
        actor = CorpusActor(entry.id, entry.name, entry.type, entry.country, registry=True)
        self._register(actor)
        self._pending.new_actors.append(actor)
        self._attach_registry(actor, entry)
        return actor

    # --- the rules ---

    def _registry_match(self, type_: str, forms: list[str]) -> str | None:
        for form in forms:
            if (found := self._registry_keys.get((type_, name_key(form)))) is not None:
                return found
        if type_ == "person":
            for form in forms:
                entries = self._registry_person_keys.get(person_key(form), set())
                if len(entries) == 1:
                    return next(iter(entries))
        return None

    def _person(self, actor: Actor, forms: list[str], claimed: set[str], day: dt.date | None) -> CorpusActor:
        full = [form for form in forms if len(person_key(form)) > 1]
        for form in full:
            for candidate in self._by_key.get(("person", name_key(form)), []) + \
                    self._by_person_key.get(person_key(form), []):
                if candidate not in claimed:
                    return self.actors[candidate]
        if full:
            family = surname(full[0])
            people = [self.actors[c] for c in self._by_surname.get(family, [])]
            surname_only = [p for p in people if not p.person_keys]
            if len(surname_only) == 1 and len(people) == 1 and surname_only[0].id not in claimed:
                upgraded = surname_only[0]
                upgraded.name = full[0]
                self._pending.changed.append(upgraded)
                return upgraded
            name = actor.name if len(person_key(actor.name)) > 1 and proper_form(actor.name) == actor.name else full[0]
            return self._create(name, "person", actor.country)
        form = forms[0]
        family = surname(form)
        ids = dict.fromkeys(self._by_key.get(("person", name_key(form)), []) + self._by_surname.get(family, []))
        candidates = [self.actors[c] for c in ids if c not in claimed]
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            fitting = [c for c in candidates if any(
                known.fits(role.office, role.office_class, role.country) and known.fits_date(role.tense, day)
                for role in actor.roles for known in c.roles)]
            if len(fitting) == 1:
                return fitting[0]
            unsure = [c for c in candidates if not c.person_keys]
            if unsure:
                return unsure[0]
        return self._create(form, "person", actor.country)

    def _named(self, actor: Actor, forms: list[str]) -> CorpusActor:
        for form in forms:
            for candidate in self._by_key.get((actor.type, name_key(form)), []):
                return self.actors[candidate]
        return self._create(actor.name, actor.type, actor.country if actor.type != "country" else None)

    @staticmethod
    def _offices(role: Role, holders: dict[str, set[str]]) -> set[str]:
        """The ids that ever held the role's office (any head office for "leader")."""
        if role.office == "leader" and role.office_class == "head":
            return {i for office, ids in holders.items() if titles().get(office) == "head" for i in ids}
        return holders.get(role.office, set()) | holders.get("leader", set())

    def _descriptor(self, role: Role, day: dt.date | None) -> str | None:
        """The one actor a descriptor can name on ``day``: by registry roles, else by seen roles."""
        def fitting(known: KnownRole) -> bool:
            return known.fits(role.office, role.office_class, role.country) and known.fits_date(role.tense, day)

        in_registry = {
            entry_id for entry_id in self._offices(role, self._registry_holders)
            if self.registry.entries[entry_id].type == "person"
            and any(fitting(KnownRole.of_registry(r)) for r in self.registry.entries[entry_id].roles)
        }
        if in_registry:
            return next(iter(in_registry)) if len(in_registry) == 1 else None
        if role.office_class not in _SINGLE_HOLDER_CLASSES:
            return None
        seen = {
            actor_id for actor_id in self._offices(role, self._holders)
            if self.actors[actor_id].type == "person"
            and any(fitting(KnownRole(*key, *dates)) for key, dates in self.actors[actor_id].seen_roles.items())
        }
        return next(iter(seen)) if len(seen) == 1 else None

    # --- the public face ---

    def resolve(self, analysis: ArticleAnalysis) -> Resolution:
        """Map the article's actors to corpus actors (creating any new ones) and find the rows to add.

        Articles must come in the order they are stored: a surname is judged by the corpus
        as it stands when its article comes.
        """
        day = _day(analysis.date)
        claimed: set[str] = set()
        forms_of = {actor.id: proper_forms(actor) or [actor.name] for actor in analysis.actors}
        # full names first, so that a surname-only actor never takes a person named in full
        order = sorted(analysis.actors, key=lambda a: not any(len(person_key(f)) > 1 for f in forms_of[a.id]))
        for actor in order:
            forms = forms_of[actor.id]
            entry_id = self._registry_match(actor.type, forms)
            if entry_id is not None:
                corpus = self._from_registry(entry_id)
            elif actor.type == "person":
                corpus = self._person(actor, forms, claimed, day)
            else:
                corpus = self._named(actor, forms)
            claimed.add(corpus.id)
            self._pending.ids[actor.id] = corpus.id
            for form in forms:
                if proper_form(form):
                    self._add_alias(corpus, form)
            for role in actor.roles:
                corpus.see_role(role.office, role.office_class, role.country, role.tense, day)
                self._holders[role.office].add(corpus.id)
            if corpus.country is None and actor.country and corpus.type != "country":
                corpus.country = actor.country
                self._pending.changed.append(corpus)
        taken = [(m.start, m.end) for actor in analysis.actors for m in actor.mentions]
        for role in find_descriptors(analysis.text, taken):
            found = self._descriptor(role, day)
            if found is not None:
                corpus_id = found if found in self.actors else self._from_registry(found).id
                self._pending.descriptors.append((corpus_id, role))
        resolution, self._pending = self._pending, Resolution()
        return resolution
