"""Engines: where the per-article work of an ingest runs, and the ingest that drives them.

* :mod:`~stancegraph.engines.base`: the work one worker does (:func:`analyze_chunk`) and what
  every engine promises (results in input order);
* :mod:`~stancegraph.engines.local`: this process, or N worker processes on this machine;
* :mod:`~stancegraph.engines.dask`: a Dask distributed cluster (or a ``LocalCluster``);
* :mod:`~stancegraph.engines.ingest`: reading, skipping known content, and writing the store.

The submodules are imported where used: the Dask engine and the store are heavy to load.
"""

__all__: list[str] = []
