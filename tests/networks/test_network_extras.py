"""Without a package of an optional extra, the feature that needs it stops with E130 naming the extra,
and everything else of the core still works (scipy, matplotlib, distributed are hidden here)."""

from __future__ import annotations

import sys

import networkx as nx
import pytest

from stancegraph.errors import MissingExtraError
from stancegraph.networks import (
    NetworkOptions,
    build_network,
    plot_polarisation,
    polarisation,
)
from stancegraph.networks.camps import cluster_network


def hide(monkeypatch: pytest.MonkeyPatch, *packages: str) -> None:
    """Make ``import package`` (and its submodules) fail as if the package were not installed."""
    for name in [m for m in sys.modules if m.split(".")[0] in packages] + list(packages):
        monkeypatch.setitem(sys.modules, name, None)


def test_building_a_one_mode_network_needs_the_networks_extra(statements, monkeypatch: pytest.MonkeyPatch) -> None:
    two_mode = build_network(statements, NetworkOptions(kind="two-mode"))  # no scipy needed
    assert two_mode.number_of_edges() > 0
    hide(monkeypatch, "scipy")
    with pytest.raises(MissingExtraError, match=r"\[E130\] building a one-mode network needs the package 'scipy'.*"
                                                r"pip install 'stancegraph\[networks\]'"):
        build_network(statements, NetworkOptions(kind="subtract"))
    assert build_network(statements, NetworkOptions(kind="two-mode")).number_of_edges() \
        == two_mode.number_of_edges()


def test_hierarchical_and_kmeans_clustering_need_the_networks_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    graph = nx.complete_graph(4)
    nx.set_edge_attributes(graph, 1.0, "weight")
    hide(monkeypatch, "scipy")
    for method in ("ward", "kmeans"):
        with pytest.raises(MissingExtraError, match=rf"{method} clustering needs .*stancegraph\[networks\]"):
            cluster_network(graph, methods=(method,), seed=1)
    assert len(cluster_network(graph, methods=("louvain",), seed=1)) > 0


def test_png_plots_need_the_plots_extra(statements, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    table = polarisation(statements, NetworkOptions())
    hide(monkeypatch, "matplotlib")
    with pytest.raises(MissingExtraError, match=r"drawing a PNG plot needs the package 'matplotlib'.*"
                                                r"stancegraph\[plots\]"):
        plot_polarisation(table, tmp_path / "p.png")
    assert not (tmp_path / "p.png").exists()


def test_the_dask_engine_needs_the_cluster_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from stancegraph.engines.dask import DaskEngine

    hide(monkeypatch, "distributed", "dask")
    with pytest.raises(MissingExtraError, match=r"the Dask engine needs the package 'distributed'.*"
                                                r"stancegraph\[cluster\]"):
        DaskEngine(workers=1)


def test_a_module_missing_inside_an_installed_package_is_not_blamed_on_an_extra() -> None:
    from stancegraph.extras import require

    with pytest.raises(ModuleNotFoundError):
        require("networkx._no_such_module", extra="networks", feature="x")
