"""What every discourse network and concept folding is built with: pandas and networkx.

Imported first by :mod:`stancegraph.networks`, so that without them any import of the package
stops with E130 naming the ``networks`` extra instead of a bare ``ModuleNotFoundError``
(``stancegraph serve`` brings them with the ``web`` extra).
"""

from __future__ import annotations

from stancegraph.extras import require

for _package in ("pandas", "networkx"):
    require(_package, extra="networks", feature="discourse networks and concepts (stancegraph.networks)")
