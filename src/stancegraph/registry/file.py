"""The actor registry: a YAML or CSV file of actors the user knows, read and written here.

YAML (``*.yaml``, ``*.yml``)::

    actors:
      - id: donald-trump            # optional: the slug of the name by default
        name: Donald Trump
        type: person                # person, organization, country or group (person by default)
        country: United States
        aliases: [Trump, Donald J. Trump, The Donald]
        roles:
          - {office: president, country: United States, from: 2017-01-20, to: 2021-01-20}
          - {office: president, country: United States, from: 2025-01-20}

CSV (``*.csv``): columns ``id, name, type, country, aliases, office, office_country, from, to``;
aliases separated by ``|``; one row per role, rows with the same id being one actor (its name,
type, country and aliases taken from the first row that gives them).

Example
-------
>>> registry = Registry.from_data({"actors": [{"name": "Donald Trump", "aliases": ["Trump"],
...     "roles": [{"office": "president", "country": "United States", "from": "2017-01-20",
...                "to": "2021-01-20"}]}]})
>>> entry = registry.entries["donald-trump"]
>>> entry.type, entry.roles[0].office_class, entry.roles[0].holds_on(dt.date(2019, 5, 1))
('person', 'head', True)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from stancegraph.errors import RegistryError
from stancegraph.names import slug
from stancegraph.registry.names import titles

__all__ = [
    "ACTOR_TYPES",
    "Registry",
    "RegistryEntry",
    "RegistryRole",
    "default_registry_path",
    "load_registry",
]

ACTOR_TYPES = ("person", "organization", "country", "group")
_ENTRY_KEYS = {"id", "name", "type", "country", "aliases", "roles"}
_ROLE_KEYS = {"office", "country", "from", "to"}
_CSV_COLUMNS = ["id", "name", "type", "country", "aliases", "office", "office_country", "from", "to"]


@dataclass(frozen=True)
class RegistryRole:
    """An office held from ``start`` to ``end`` (either open when None)."""

    office: str
    country: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def office_class(self) -> str:
        return titles().get(self.office, "official")

    def holds_on(self, day: dt.date) -> bool:
        """Whether the office was held on ``day``."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def ended_before(self, day: dt.date) -> bool:
        return self.end is not None and self.end < day

    def starts_after(self, day: dt.date) -> bool:
        return self.start is not None and self.start > day

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"office": self.office}
        if self.country:
            data["country"] = self.country
        if self.start:
            data["from"] = self.start.isoformat()
        if self.end:
            data["to"] = self.end.isoformat()
        return data


@dataclass
class RegistryEntry:
    """One actor of the registry."""

    id: str
    name: str
    type: str = "person"
    country: str | None = None
    aliases: list[str] = field(default_factory=list)
    roles: list[RegistryRole] = field(default_factory=list)

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "name": self.name, "type": self.type}
        if self.country:
            data["country"] = self.country
        if self.aliases:
            data["aliases"] = list(self.aliases)
        if self.roles:
            data["roles"] = [role.to_data() for role in self.roles]
        return data


def _date(value: Any, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise RegistryError("E602", entry=where, detail=f"'{value}' is not a date (YYYY-MM-DD)") from None


def _text(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


def _role(data: Any, where: str) -> RegistryRole:
    if not isinstance(data, dict) or not data.get("office"):
        raise RegistryError("E602", entry=where, detail="a role needs at least an 'office'")
    unknown = set(data) - _ROLE_KEYS
    if unknown:
        raise RegistryError("E602", entry=where, detail=f"unknown role field(s) {sorted(unknown)}")
    role = RegistryRole(
        office=" ".join(str(data["office"]).lower().replace(".", "").split()),
        country=_text(data.get("country")),
        start=_date(data.get("from"), where),
        end=_date(data.get("to"), where),
    )
    if role.start and role.end and role.end < role.start:
        raise RegistryError("E602", entry=where, detail=f"role '{role.office}' ends before it starts")
    return role


def _entry(data: Any, where: str) -> RegistryEntry:
    if not isinstance(data, dict) or not _text(data.get("name")):
        raise RegistryError("E602", entry=where, detail="an actor needs at least a 'name'")
    unknown = set(data) - _ENTRY_KEYS
    if unknown:
        raise RegistryError("E602", entry=where, detail=f"unknown field(s) {sorted(unknown)}")
    name = str(data["name"]).strip()
    type_ = _text(data.get("type")) or "person"
    if type_ not in ACTOR_TYPES:
        raise RegistryError("E602", entry=where, detail=f"type '{type_}' is not one of {', '.join(ACTOR_TYPES)}")
    aliases = data.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [aliases]
    roles = data.get("roles") or []
    if not isinstance(aliases, list) or not isinstance(roles, list):
        raise RegistryError("E602", entry=where, detail="'aliases' and 'roles' must be lists")
    return RegistryEntry(
        id=_text(data.get("id")) or slug(name),
        name=name,
        type=type_,
        country=_text(data.get("country")),
        aliases=[str(alias).strip() for alias in aliases if str(alias).strip()],
        roles=[_role(role, f"{where} ({name})") for role in roles],
    )


@dataclass
class Registry:
    """The actors of a registry file, by id; :meth:`save` writes them back in the file's format."""

    entries: dict[str, RegistryEntry] = field(default_factory=dict)
    path: Path | None = None

    @classmethod
    def from_data(cls, data: Any, path: Path | None = None) -> Registry:
        """A registry from parsed YAML: ``{"actors": [...]}`` (or the bare list)."""
        actors = data.get("actors", []) if isinstance(data, dict) else data
        if actors is None:
            actors = []
        if not isinstance(actors, list):
            raise RegistryError("E601", detail="expected a list of actors under 'actors:'")
        registry = cls(path=path)
        for number, item in enumerate(actors, start=1):
            registry.add(_entry(item, f"#{number}"))
        return registry

    @classmethod
    def from_csv(cls, text: str, path: Path | None = None) -> Registry:
        """A registry from CSV text (one row per role; see the module docstring)."""
        rows = csv.DictReader(io.StringIO(text))
        missing = {"name"} - set(rows.fieldnames or [])
        if missing:
            raise RegistryError("E601", detail="the CSV registry needs a 'name' column")
        merged: dict[str, dict[str, Any]] = {}
        for line, row in enumerate(rows, start=2):
            name = _text(row.get("name"))
            key = _text(row.get("id")) or (slug(name) if name else None)
            if key is None or (key not in merged and not name):  # a row that adds a role may leave the name out
                raise RegistryError("E602", entry=f"line {line}", detail="an actor needs at least a 'name'")
            data = merged.setdefault(key, {"id": key, "name": name, "roles": []})
            for column in ("type", "country"):
                if _text(row.get(column)) and column not in data:
                    data[column] = _text(row.get(column))
            if _text(row.get("aliases")) and "aliases" not in data:
                data["aliases"] = [a.strip() for a in row["aliases"].split("|") if a.strip()]
            if _text(row.get("office")):
                data["roles"].append({"office": row["office"], "country": row.get("office_country"),
                                      "from": row.get("from"), "to": row.get("to")})
        return cls.from_data({"actors": list(merged.values())}, path)

    def add(self, entry: RegistryEntry) -> None:
        if entry.id in self.entries:
            raise RegistryError("E603", id=entry.id)
        self.entries[entry.id] = entry

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=_CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for entry in self.entries.values():
            base = {"id": entry.id, "name": entry.name, "type": entry.type, "country": entry.country or "",
                    "aliases": "|".join(entry.aliases)}
            roles: list[RegistryRole | None] = [*entry.roles] or [None]
            for role in roles:
                row = dict(base)
                if role is not None:
                    row.update(office=role.office, office_country=role.country or "",
                               **{"from": role.start.isoformat() if role.start else "",
                                  "to": role.end.isoformat() if role.end else ""})
                writer.writerow(row)
        return out.getvalue()

    def save(self, path: Path | None = None) -> Path:
        """Write the registry to ``path`` (default: where it was read), YAML or CSV by suffix."""
        target = Path(path or self.path or "stancegraph.actors.yaml")
        if target.suffix.lower() == ".csv":
            target.write_text(self.to_csv(), encoding="utf-8")
        else:
            data = {"actors": [entry.to_data() for entry in self.entries.values()]}
            header = "# stancegraph actor registry: see the README, section 'The actor registry'\n"
            target.write_text(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        self.path = target
        return target


def default_registry_path(db: str | Path) -> Path:
    """Where the registry of a store is looked for: ``corpus.duckdb`` -> ``corpus.actors.yaml``."""
    return Path(db).with_suffix(".actors.yaml")


def load_registry(path: str | Path | None, *, required: bool = True) -> Registry:
    """The registry in ``path``; an empty one for None, or for a missing file when not ``required``."""
    if path is None:
        return Registry()
    path = Path(path)
    if not path.is_file():
        if required:
            raise RegistryError("E601", input=str(path), detail="no such file")
        return Registry(path=path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise RegistryError("E601", input=str(path), detail=str(err)) from err
    try:
        if path.suffix.lower() == ".csv":
            return Registry.from_csv(text, path)
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as err:
            raise RegistryError("E601", detail=str(err).replace("\n", " ")) from err
        return Registry.from_data(data or {}, path)
    except RegistryError as err:
        err.input = str(path)  # every message names the file
        raise
