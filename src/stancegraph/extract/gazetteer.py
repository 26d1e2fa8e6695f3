"""Names the actor step knows without reading the article: countries, metonyms, organisations.

Countries, their alternative spellings, capitals and demonyms come from the ``countryinfo``
package; ``lang/countries_extra.tsv``, ``lang/metonyms.tsv`` and ``lang/organizations.tsv``
add what it lacks. Every lookup goes through :func:`name_key`, which folds case, dots,
apostrophes and a leading "the", so "the U.S." and "US" meet.

Example
-------
>>> gazetteer().country("the U.S.")
'United States'
>>> gazetteer().country_of_demonym("Russian")
'Russia'
>>> gazetteer().organization("U.N.")
'United Nations'
>>> gazetteer().lookup("Brussels")
('European Union', 'organization', 'metonym')
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import countryinfo

from stancegraph import lang
from stancegraph.names import name_key
from stancegraph.records import ActorType

__all__ = ["Gazetteer", "gazetteer"]

@dataclass
class Gazetteer:
    """Lookup tables from folded names to canonical country and organisation names."""

    countries: dict[str, str] = field(default_factory=dict)
    capitals: dict[str, str] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)
    metonyms: dict[str, str] = field(default_factory=dict)
    organizations: dict[str, str] = field(default_factory=dict)
    not_actors: frozenset[str] = frozenset()
    country_names: frozenset[str] = frozenset()

    def country(self, text: str) -> str | None:
        """The country a name, capital or metonym stands for."""
        found = self.lookup(text)
        return found[0] if found and found[1] == "country" else None

    def lookup(self, text: str) -> tuple[str, ActorType, str] | None:
        """``(canonical name, actor type, mention kind)`` of a country name, metonym or capital.

        Metonyms come before capitals: "Brussels" in political news is the European Union.
        """
        key = name_key(text)
        if key in self.countries:
            return self.countries[key], "country", "name"
        if key in self.metonyms:
            canonical = self.metonyms[key]
            return canonical, "country" if canonical in self.country_names else "organization", "metonym"
        if key in self.capitals:
            return self.capitals[key], "country", "metonym"
        return None

    def country_of_demonym(self, text: str) -> str | None:
        """The country of a demonym ("French" -> France), singular or plural."""
        key = name_key(text)
        return self.demonyms.get(key) or (self.demonyms.get(key[:-1]) if key.endswith("s") else None)

    def organization(self, text: str) -> str | None:
        """The canonical name of a well-known organisation."""
        return self.organizations.get(name_key(text))

    def is_not_actor(self, text: str) -> bool:
        return name_key(text) in self.not_actors


def _as_list(value: str | list[str] | None) -> list[str]:
    if not value:
        return []
    return [value] if isinstance(value, str) else list(value)


@functools.cache
def gazetteer() -> Gazetteer:
    """The gazetteer of this process, built on first use."""
    table = Gazetteer()
    for info in countryinfo.all_countries():
        name = info.name()
        if not name:
            continue
        table.countries[name_key(name)] = name
        for spelling in info.alt_spellings() or []:
            # two- and three-letter codes ("IN", "CAN") collide with ordinary words
            if len(spelling) > 3:
                table.countries.setdefault(name_key(spelling), name)
        for capital in _as_list(info.capital()):
            table.capitals.setdefault(name_key(capital), name)
        for demonym in _as_list(info.demonym()):
            table.demonyms.setdefault(name_key(demonym), name)
    for alias, country in lang.rows("countries_extra.tsv"):
        table.countries[name_key(alias)] = country
    for phrase, country in lang.rows("metonyms.tsv"):
        table.metonyms[name_key(phrase)] = country
    for canonical, *aliases in lang.rows("organizations.tsv"):
        table.organizations[name_key(canonical)] = canonical
        for alias in aliases[0].split("|") if aliases else []:
            table.organizations[name_key(alias)] = canonical
    table.not_actors = frozenset(name_key(line) for line in lang.lines("not_actors.txt"))
    table.country_names = frozenset(table.countries.values())
    return table
