"""The actor registry and the resolver of corpus actors.

The registry is a user-edited YAML or CSV file of actors (canonical names, aliases, type,
country and roles with dates; see :mod:`stancegraph.registry.file`); the
:class:`~stancegraph.registry.resolver.Resolver` uses it, with the actors already stored, to
make the same person or body in different articles one corpus actor.
"""

from stancegraph.registry.file import (
    ACTOR_TYPES,
    Registry,
    RegistryEntry,
    RegistryRole,
    default_registry_path,
    load_registry,
)
from stancegraph.registry.resolver import CorpusActor, KnownRole, Resolution, Resolver

__all__ = [
    "ACTOR_TYPES",
    "CorpusActor",
    "KnownRole",
    "Registry",
    "RegistryEntry",
    "RegistryRole",
    "Resolution",
    "Resolver",
    "default_registry_path",
    "load_registry",
]
